"""Edits of claims and verdicts with optimistic locking.

The editor says which version they read (`expect_version`, shown by `claim show` / `verdict
show` and `history`). If somebody changed the object since, the edit fails with a message that
says how to re-read it: an edit never silently overwrites another person's change. The version
column is also SQLAlchemy's version_id_col, so an UPDATE that races past the check still
matches no row and fails the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from claimtrack.dates import PartialDate
from claimtrack.errors import AlreadyExists, ConcurrentEdit, InvalidInput
from claimtrack.models import Base, Claim, Verdict
from claimtrack.normalize import claim_hash, fold
from claimtrack.services.events import record_event, snapshot
from claimtrack.vocab import Bound, parse_choice

#: sentinel for "option not given" (None means "clear this field")
UNSET: Any = object()


#: where a person re-reads an object (and sees what changed); `verdict` has no `show` command
_REREAD = {"claim": "claimtrack claim show {id}", "verdict": "claimtrack history verdict {id}"}


def _stale(kind: str, obj_id: int, expected: int, current: int | None) -> ConcurrentEdit:
    now = f"now {current}" if current is not None else "now changed"
    reread = _REREAD.get(kind, "claimtrack history " + kind + " {id}").format(id=obj_id)
    return ConcurrentEdit(
        f"{kind} {obj_id} was changed by someone else since you read it (version {expected}, {now}); "
        f"re-read it with `{reread}` and try again"
    )


def check_version(kind: str, obj: Any, expect_version: int) -> None:
    """Refuse the edit when the object is no longer at the version the editor read."""
    if obj.version != expect_version:
        raise _stale(kind, obj.id, expect_version, obj.version)


def _apply(session: Session, kind: str, obj: Base, expect_version: int, changes: dict[str, Any],
           validate: Callable[[], None]) -> bool:
    """Set the changed fields, validate, flush with the version check, record the event.

    Returns False (and writes nothing) when every given value equals the current one.
    """
    from claimtrack.services.corrections import ensure_live

    ensure_live(obj)
    check_version(kind, obj, expect_version)
    changed = {key: value for key, value in changes.items() if getattr(obj, key) != value}
    if not changed:
        return False
    before = snapshot(obj)
    for key, value in changed.items():
        setattr(obj, key, value)
    validate()
    try:
        session.flush()
    except StaleDataError:
        # the session must be rolled back before it can read again, so the new version is unknown
        raise _stale(kind, before["id"], expect_version, None) from None
    record_event(session, "update", obj, before=before)
    return True


def edit_claim(
    session: Session,
    claim: Claim,
    *,
    expect_version: int,
    text: Any = UNSET,
    language: Any = UNSET,
    key: Any = UNSET,
    quantity_subject: Any = UNSET,
    quantity_value: Any = UNSET,
    quantity_bound: Any = UNSET,
    quantity_unit: Any = UNSET,
) -> bool:
    """Change a claim's wording, language, key or figure; True when something changed."""
    changes: dict[str, Any] = {}
    if text is not UNSET:
        if text is None or not fold(text):
            raise InvalidInput("claim text is empty; word the checkable proposition")
        changes["text"] = text.strip()
        changes["text_hash"] = claim_hash(text)
        other = session.scalar(select(Claim.id).where(Claim.text_hash == changes["text_hash"], Claim.id != claim.id))
        if other is not None:
            raise AlreadyExists(
                f"claim {other} already has this wording; link the two with `claimtrack claim link` instead"
            )
    if key is not UNSET:
        key = key.strip() if key and key.strip() else None
        if key is not None and session.scalar(select(Claim.id).where(Claim.key == key, Claim.id != claim.id)):
            raise AlreadyExists(f"a claim with key {key!r} already exists")
        changes["key"] = key
    for name, value in (("language", language), ("quantity_subject", quantity_subject), ("quantity_unit", quantity_unit)):
        if value is not UNSET:
            changes[name] = value.strip() if value and value.strip() else None
    if quantity_value is not UNSET:
        changes["quantity_value"] = quantity_value
    if quantity_bound is not UNSET:
        changes["quantity_bound"] = parse_choice(Bound, quantity_bound, "quantity bound").value if quantity_bound else None
    if not changes:
        raise InvalidInput("nothing to change: give at least one field to edit (see --help)")

    def validate() -> None:
        if (claim.quantity_value is None) != (claim.quantity_subject is None):
            raise InvalidInput(
                "a claim's figure needs both a quantity subject (what is counted) and a quantity value; "
                "clear both to remove the figure"
            )
        if claim.quantity_bound is not None and claim.quantity_value is None:
            raise InvalidInput("a quantity bound needs a quantity value")

    return _apply(session, "claim", claim, expect_version, changes, validate)


def edit_verdict(
    session: Session,
    verdict: Verdict,
    *,
    expect_version: int,
    label: Any = UNSET,
    value: Any = UNSET,
    best: Any = UNSET,
    worst: Any = UNSET,
    url: Any = UNSET,
    explanation: Any = UNSET,
    language: Any = UNSET,
    reviewed: Any = UNSET,
) -> bool:
    """Change a verdict's rating, scale, link, explanation, language or review date."""
    changes: dict[str, Any] = {}
    if label is not UNSET:
        if label is None or not label.strip():
            raise InvalidInput("verdict label is empty; give a rating such as 'false' or 'half-true'")
        changes["label"] = label.strip()
    for name, given in (("rating_value", value), ("best", best), ("worst", worst)):
        if given is not UNSET:
            changes[name] = given
    for name, given in (("url", url), ("explanation", explanation), ("language", language)):
        if given is not UNSET:
            changes[name] = given.strip() if given and given.strip() else None
    if reviewed is not UNSET:
        partial: PartialDate | None = reviewed
        changes["reviewed_on"] = partial.start if partial else None
        changes["reviewed_precision"] = partial.precision.value if partial else None
        changes["reviewed_approx"] = partial.approximate if partial else False
    if not changes:
        raise InvalidInput("nothing to change: give at least one field to edit (see --help)")

    def validate() -> None:
        best, worst, value = verdict.best, verdict.worst, verdict.rating_value
        if best is not None and worst is not None and best == worst:
            raise InvalidInput(f"best and worst are both {best}; a scale needs two different ends")
        if value is not None and best is not None and worst is not None:
            low, high = min(best, worst), max(best, worst)
            if not low <= value <= high:
                raise InvalidInput(
                    f"value {verdict.rating_value} is outside the scale from worst {verdict.worst} "
                    f"to best {verdict.best}"
                )

    return _apply(session, "verdict", verdict, expect_version, changes, validate)
