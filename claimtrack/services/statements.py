"""Statements: one act of saying, by a speaker or an anonymous descriptor, about one claim.

A wrong statement is never deleted: it is retracted (or deprecated) with a reason and stays
visible, so nobody re-adds it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.errors import InvalidInput
from claimtrack.models import Actor, Claim, Statement
from claimtrack.services.events import record_event, snapshot

# the one-line use case lives in services/logging.py; it is exposed here as well, the place
# callers (and the concurrency stress test) look for statement writes
from claimtrack.services.logging import LogResult, log_statement
from claimtrack.vocab import QuoteKind, Stance, StatementStatus, parse_choice

__all__ = ["LogResult", "add_statement", "log_statement", "retract_statement"]


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def add_statement(
    session: Session,
    *,
    claim: Claim,
    stance: str,
    speaker: Actor | None = None,
    descriptor: str | None = None,
    on_behalf_of: Actor | None = None,
    quote: str | None = None,
    quote_kind: str | None = None,
    cue: str | None = None,
    channel: str | None = None,
    context: str | None = None,
    said: PartialDate | None = None,
    language: str | None = None,
    original_text: str | None = None,
    parent: Statement | None = None,
    key: str | None = None,
) -> Statement:
    """Record that `speaker` (or `descriptor`) took `stance` on `claim`."""
    stance_value = parse_choice(Stance, stance, "stance").value
    descriptor, quote = _blank(descriptor), _blank(quote)
    if speaker is not None and descriptor is not None:
        raise InvalidInput("give either a speaker or an anonymous descriptor, not both")
    if quote is not None and speaker is None and descriptor is None:
        raise InvalidInput("a quote needs a speaker (--speaker) or an anonymous descriptor "
                           "(--anonymous 'a former ally'); the reporter's own voice is not quoted")
    if quote_kind and quote is None:
        raise InvalidInput("--quote-kind needs a --quote")
    kind_value = parse_choice(QuoteKind, quote_kind, "quote kind").value if quote_kind else (
        QuoteKind.DIRECT.value if quote is not None else None)
    if parent is not None and parent.claim_id is None:
        raise InvalidInput(f"statement {parent.id} has no claim")
    statement = Statement(
        key=key, claim_id=claim.id, speaker_id=speaker.id if speaker else None, speaker_descriptor=descriptor,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of else None, stance=stance_value, quote=quote,
        quote_kind=kind_value, cue=_blank(cue), channel=_blank(channel), context=_blank(context),
        language=_blank(language), original_text=_blank(original_text), parent_id=parent.id if parent else None,
    )
    statement.said = said
    session.add(statement)
    session.flush()
    record_event(session, "create", statement)
    return statement


def retract_statement(session: Session, statement: Statement, reason: str, *, status: str = "retracted") -> Statement:
    """Withdraw a wrongly logged statement; it stays visible with its status and reason."""
    if not reason or not reason.strip():
        raise InvalidInput("retracting needs --reason (why the statement was wrong)")
    status_value = parse_choice(StatementStatus, status, "status").value
    if status_value == StatementStatus.NORMAL.value:
        raise InvalidInput("status 'normal' is not a retraction; use retracted or deprecated")
    if statement.status != StatementStatus.NORMAL.value:
        raise InvalidInput(f"statement {statement.id} is already {statement.status}: {statement.status_reason}")
    before = snapshot(statement)
    statement.status = status_value
    statement.status_reason = reason.strip()
    session.flush()
    record_event(session, "retract", statement, before=before)
    return statement
