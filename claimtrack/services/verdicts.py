"""Verdicts: a fact-checker's rating of a claim. Several may disagree; all are kept."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.errors import InvalidInput
from claimtrack.models import Actor, Claim, Verdict
from claimtrack.services.events import record_event


def check_scale(value: float | None, best: float | None, worst: float | None, *, option: str = "") -> None:
    """A rating scale has two different ends and the value lies between them.

    `option` prefixes the field names in the message ("--" when they were typed as options).
    """
    if best is not None and worst is not None and best == worst:
        raise InvalidInput(f"{option}best and {option}worst are both {best}; a scale needs two different ends")
    if value is not None and best is not None and worst is not None:
        low, high = min(best, worst), max(best, worst)
        if not low <= value <= high:
            raise InvalidInput(
                f"{option}value {value} is outside the scale from {option}worst {worst} to {option}best {best}")


def add_verdict(
    session: Session,
    *,
    claim: Claim,
    label: str,
    value: float | None = None,
    best: float | None = None,
    worst: float | None = None,
    reviewer: Actor | None = None,
    reviewed: PartialDate | None = None,
    url: str | None = None,
    explanation: str | None = None,
    evidence_urls: Sequence[str] = (),
    language: str | None = None,
    key: str | None = None,
) -> Verdict:
    """Rate `claim` with a label and, optionally, a value on a best/worst scale."""
    if not label or not label.strip():
        raise InvalidInput("verdict label is empty; give a rating such as 'false' or 'half-true'")
    check_scale(value, best, worst, option="--")
    verdict = Verdict(
        key=key, claim_id=claim.id, label=label.strip(), rating_value=value, best=best, worst=worst,
        reviewer_id=reviewer.id if reviewer else None, url=url, explanation=explanation,
        evidence_urls=[u for u in evidence_urls if u], language=language,
    )
    verdict.reviewed = reviewed
    session.add(verdict)
    session.flush()
    record_event(session, "verdict", verdict)
    return verdict
