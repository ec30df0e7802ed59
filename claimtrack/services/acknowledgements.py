"""Acknowledging an audit problem: a person looked at it and accepts it, for a recorded reason.

An acknowledged problem stops failing `claimtrack audit` but stays listed with `--all`. The
acknowledgement names the problem by its stable key ("vague-source:statement:12"), so it
survives re-runs, and is written to the change log like every other write.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.errors import AlreadyExists, InvalidInput, NotFound
from claimtrack.models import Acknowledgement
from claimtrack.services.events import record_event


def acknowledge_problem(session: Session, problem_key: str, reason: str) -> Acknowledgement:
    """Record that the problem `problem_key` is accepted because of `reason`.

    The key must name a problem the audit finds now (so a typo cannot silence nothing), and a
    problem is acknowledged once; the reason may not be blank.
    """
    from claimtrack.checks import RULE_NAMES, run_audit, scope_for_key

    key = problem_key.strip()
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("--reason: say why this problem is acceptable (it is recorded with your name)")
    rule = key.split(":", 1)[0]
    if rule not in RULE_NAMES:
        raise InvalidInput(
            f"{problem_key!r} is not a problem key; keys look like 'vague-source:statement:12' and start with "
            f"a rule name ({', '.join(RULE_NAMES)}); `claimtrack audit --all` lists them"
        )
    existing = session.scalar(select(Acknowledgement).where(Acknowledgement.problem_key == key))
    if existing is not None:
        raise AlreadyExists(
            f"problem {key} was already acknowledged by {existing.user} on "
            f"{existing.created_at:%Y-%m-%d}: {existing.reason}"
        )
    # only the objects the key names are checked: the rule runs narrowed to that statement,
    # hop or claim, never over the whole database
    scope = scope_for_key(key)
    if scope is None or key not in {p.key for p in run_audit(session, scope, rules=[rule])}:
        raise NotFound(f"no current audit problem has the key {key!r}; `claimtrack audit --all --rule {rule}` lists them")
    ack = Acknowledgement(problem_key=key, reason=text, user=session.info.get("user") or "unknown")
    session.add(ack)
    record_event(session, "acknowledge", ack)
    return ack
