"""The audit: rules that name every gap in the attribution record (see docs/chains-and-audit.md).

As in beancount's validation, each rule is a plain function `rule(session, scope) -> list[Problem]`
and data problems are values, collected and reported together. Every rule is set-based: a
handful of SQL queries over the whole scope, never one query per row, so the audit stays
usable on a million statements.

A problem's `key` ("vague-source:statement:12") is stable across runs: it is what an
acknowledgement refers to, so an accepted problem stays accepted.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

#: severities, most severe first
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


# A named tuple, not a frozen dataclass: an audit of a million statements builds several million
# of these, and a frozen dataclass's __init__ (object.__setattr__ per field) costs ~3x a tuple's.
class ObjectRef(NamedTuple):
    """One object a problem involves: its type ("statement", "hop", …), id and a readable label."""

    type: str
    id: int
    label: str | None = None

    def __str__(self) -> str:
        return f"{self.type}:{self.id}"


class Problem:
    """One gap in the record: which rule, how bad, a sentence, and the objects involved.

    A rule that finds many problems builds them lazily (`Problem.lazy`): it keeps the row values
    and a module-level function that turns them into (message, objects, details) when they are
    read. A whole-archive audit then costs the SQL plus a small shell per problem, and a
    renderer that streams (`--json`) builds one sentence at a time instead of holding a million.
    Lazy parts are built on each read, never cached, so memory stays that of the shells.
    """

    __slots__ = (
        "_args",
        "_build",
        "_details",
        "_message",
        "_objects",
        "ack_reason",
        "acknowledged",
        "key",
        "rule",
        "severity",
    )

    def __init__(self, rule: str, severity: str, message: str, objects: list[ObjectRef], key: str,
                 details: dict[str, Any] | None = None, acknowledged: bool = False,
                 ack_reason: str | None = None) -> None:
        self.rule = rule
        self.severity = severity
        self.key = key
        self.acknowledged = acknowledged
        self.ack_reason = ack_reason
        self._message: str | None = message
        self._objects: list[ObjectRef] | None = objects
        self._details: dict[str, Any] | None = details if details is not None else {}
        self._build: Callable[..., tuple[str, list[ObjectRef], dict[str, Any]]] | None = None
        self._args: tuple[Any, ...] = ()

    @classmethod
    def lazy(cls, rule: str, severity: str, key: str,
             build: Callable[..., tuple[str, list[ObjectRef], dict[str, Any]]], *args: Any) -> Problem:
        """A problem whose message, objects and details are `build(*args)`, computed when read."""
        problem = cls.__new__(cls)
        problem.rule, problem.severity, problem.key = rule, severity, key
        problem.acknowledged, problem.ack_reason = False, None
        problem._message = problem._objects = problem._details = None
        problem._build, problem._args = build, args
        return problem

    def _parts(self) -> tuple[str, list[ObjectRef], dict[str, Any]]:
        if self._build is not None:
            return self._build(*self._args)
        return self._message, self._objects, self._details  # type: ignore[return-value]

    @property
    def message(self) -> str:
        return self._parts()[0]

    @property
    def objects(self) -> list[ObjectRef]:
        return self._parts()[1]

    @property
    def details(self) -> dict[str, Any]:
        return self._parts()[2]

    def __repr__(self) -> str:
        return f"Problem({self.rule!r}, {self.severity!r}, key={self.key!r})"

    def at_least(self, severity: str) -> bool:
        """True when this problem is as severe as `severity` or more."""
        return SEVERITY_RANK[self.severity] <= SEVERITY_RANK[severity]

    def as_dict(self) -> dict[str, Any]:
        """The documented `--json` form of a problem."""
        message, objects, details = self._parts()
        return {
            "rule": self.rule,
            "severity": self.severity,
            "key": self.key,
            "message": message,
            "objects": [{"type": o.type, "id": o.id, "label": o.label} for o in objects],
            "details": details,
            "acknowledged": self.acknowledged,
            "ack_reason": self.ack_reason,
        }


@dataclass(frozen=True)
class Scope:
    """What to audit: everything, or the statements of one claim, or what one document carries."""

    claim_id: int | None = None
    document_id: int | None = None
    # one statement or one hop: what `audit ack KEY` checks, so acknowledging one problem does
    # not re-run a rule over the whole database
    statement_id: int | None = None
    hop_id: int | None = None
    # several claims: what `audit --since-last` re-checks (the claims that changed)
    claim_ids: frozenset[int] | None = None
    # with claim_ids, the documents that changed: their own findings (unfindable-document) are
    # re-checked too; the rules over statements and hops go by claim_ids alone
    document_ids: frozenset[int] | None = None

    @property
    def whole(self) -> bool:
        """True when nothing narrows the audit."""
        return (self.claim_id is None and self.document_id is None and self.statement_id is None
                and self.hop_id is None and self.claim_ids is None and self.document_ids is None)


def scope_for_key(key: str) -> Scope | None:
    """The narrowest scope in which the problem `key` can be found, or None for a malformed key.

    "vague-source:statement:12" -> statement 12; "time-order:hop:9:said" -> hop 9;
    "circular-citation:hop:3,5,8" -> hop 3 (the cycle is found through any of its hops);
    "echo:claim:4" -> claim 4 (its counts involve only that claim's hops);
    "no-source:import:812" -> the whole database (an import's grouped finding counts every
    unsourced statement of the import, which no narrower scope sees).
    """
    parts = key.split(":")
    if len(parts) < 3:
        return None
    first = parts[2].split(",")[0]
    if not first.isdigit():
        return None
    ident = int(first)
    if parts[1] == "statement":
        return Scope(statement_id=ident)
    if parts[1] == "hop":
        return Scope(hop_id=ident)
    if parts[1] == "claim":
        return Scope(claim_id=ident)
    if parts[1] == "document":
        return Scope(document_id=ident)
    if parts[1] == "import":
        return Scope()
    return None


Rule = Callable[[Session, Scope], list[Problem]]

#: session.info key of what a whole-database `run_audit` reads once for several rules
_SHARED = "claimtrack.audit.shared"


def shared(session: Session, name: str, build: Callable[[Session], Any]) -> Any:
    """`build(session)`, computed once per whole-database `run_audit` and shared by its rules
    (the hop table several rules scan); outside one, computed on each call."""
    cache = session.info.get(_SHARED)
    if cache is None:
        return build(session)
    if name not in cache:
        cache[name] = build(session)
    return cache[name]


def _registry() -> dict[str, Rule]:
    from claimtrack.checks import chains, dates, quote_text, quotes, records, sources

    return {
        "unattributed": sources.unattributed,
        "vague-source": sources.vague_source,
        "anonymous-speaker": sources.anonymous_speaker,
        "no-primary-source": chains.no_primary_source,
        "time-order": dates.time_order,
        "circular-citation": chains.circular_citation,
        "echo": chains.echo,
        "linked-by-name-only": chains.linked_by_name_only,
        "quote-drift": quotes.quote_drift,
        "quote-not-in-document": quote_text.quote_not_in_document,
        "missing-dates": dates.missing_dates,
        "no-source": records.no_source,
        "unfindable-document": records.unfindable_document,
        "undated-statement": records.undated_statement,
        "translated-quote": records.translated_quote,
    }


#: rule names in the order they run and are reported
RULE_NAMES = (
    "unattributed", "vague-source", "anonymous-speaker", "no-primary-source", "time-order",
    "circular-citation", "echo", "linked-by-name-only", "quote-drift", "quote-not-in-document", "missing-dates", "no-source",
    "translated-quote", "unfindable-document", "undated-statement",
)


def run_audit(session: Session, scope: Scope | None = None, rules: Iterable[str] | None = None) -> list[Problem]:
    """Run the named rules (all by default) and mark the problems someone acknowledged.

    Problems come back sorted by severity, then rule order, then key, so output is stable.
    """
    from claimtrack.errors import InvalidInput

    scope = scope or Scope()
    registry = _registry()
    chosen = list(rules) if rules else list(RULE_NAMES)
    unknown = [name for name in chosen if name not in registry]
    if unknown:
        raise InvalidInput(f"unknown audit rule {unknown[0]!r}; expected one of: {', '.join(RULE_NAMES)}")
    problems: list[Problem] = []
    # A whole audit builds millions of small objects that hold no cycles (rows, tuples, problems);
    # the cyclic collector's repeated passes over them cost a fifth of the rules' time at 1M.
    collecting = gc.isenabled()
    gc.disable()
    if scope.whole:
        session.info[_SHARED] = {}
    try:
        for name in RULE_NAMES:
            if name in chosen:
                problems.extend(registry[name](session, scope))
        _mark_acknowledged(session, problems)
        order = {name: i for i, name in enumerate(RULE_NAMES)}
        problems.sort(key=lambda p: (SEVERITY_RANK[p.severity], order[p.rule], _natural(p.key)))
    finally:
        session.info.pop(_SHARED, None)
        if collecting:
            gc.enable()
    return problems


def _natural(key: str) -> tuple[Any, ...]:
    """Sort "hop:9" before "hop:10" (the rule part is left out: problems are grouped by rule first)."""
    _rule, _, rest = key.partition(":")
    kind, _, ids = rest.partition(":")
    if ids.isdigit():  # the common "type:ID" shape, without splitting into parts
        return (kind, int(ids))
    return (kind, *(int(part) if part.isdigit() else part for part in ids.replace(",", ":").split(":")))


def _mark_acknowledged(session: Session, problems: list[Problem]) -> None:
    from sqlalchemy import select

    from claimtrack.models import Acknowledgement

    if not problems:
        return
    # acknowledgements are few (people write them one at a time): read them all in one query
    reasons = {key: reason for key, reason in session.execute(select(Acknowledgement.problem_key, Acknowledgement.reason))}
    for problem in problems:
        if problem.key in reasons:
            problem.acknowledged = True
            problem.ack_reason = reasons[problem.key]


def failing(problems: Iterable[Problem], fail_on: str) -> list[Problem]:
    """The unacknowledged problems at or above `fail_on`: what makes `claimtrack audit` exit 1."""
    return [p for p in problems if not p.acknowledged and p.at_least(fail_on)]


def counts_by_rule(problems: Iterable[Problem]) -> dict[str, int]:
    """How many problems each rule found (every rule listed, zero included)."""
    counts = {name: 0 for name in RULE_NAMES}
    for problem in problems:
        counts[problem.rule] = counts.get(problem.rule, 0) + 1
    return counts
