"""Claims: worded once; identical texts are one claim, near-identical ones are suggested links.

Identity is claim_hash (case, accents, punctuation and spacing folded). A claim that is only
close to another ("Police visited Navalny supporters at home" / "Police visited Navalny's
supporters at home") gets a *suggested* same_as relation with its similarity score: a person
confirms it (`claim link`), nothing is merged silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.errors import AlreadyExists, InvalidInput
from claimtrack.models import Claim, ClaimRelation, utcnow
from claimtrack.normalize import claim_hash, fold
from claimtrack.services.events import record_event, snapshot
from claimtrack.vocab import Bound, RelationStatus, RelationType, parse_choice

#: rapidfuzz token_sort_ratio (0-100) at or above which two claims are suggested as the same
SAME_AS_SCORE = 90.0
#: full-text candidates examined per new claim (never a scan of every claim)
CANDIDATE_LIMIT = 50


@dataclass
class Suggestion:
    """A near-identical existing claim, linked to the new one as a suggested same_as."""

    claim_id: int
    text: str
    score: float  # 0-1
    relation_id: int


@dataclass
class ClaimResult:
    claim: Claim
    created: bool
    suggestions: list[Suggestion] = field(default_factory=list)


def find_claim_by_text(session: Session, text: str) -> Claim | None:
    return session.scalar(select(Claim).where(Claim.text_hash == claim_hash(text)))


def similar_claims(session: Session, text: str, *, exclude: int | None = None,
                   min_score: float = SAME_AS_SCORE) -> list[tuple[Claim, float]]:
    """Existing claims whose folded text is at least `min_score` similar, best first."""
    from rapidfuzz import fuzz

    from claimtrack.queries.fulltext import match, terms

    ranked = match(session, "claims", terms(text), limit=CANDIDATE_LIMIT)
    ids = [i for i in ranked if i != exclude]
    if not ids:
        return []
    folded = fold(text)
    result = []
    for claim in session.scalars(select(Claim).where(Claim.id.in_(ids))):
        score = fuzz.token_sort_ratio(folded, fold(claim.text))
        if score >= min_score:
            result.append((claim, score / 100.0))
    return sorted(result, key=lambda pair: (-pair[1], pair[0].id))


def add_claim(
    session: Session,
    text: str,
    *,
    language: str | None = None,
    key: str | None = None,
    quantity_subject: str | None = None,
    quantity_value: float | None = None,
    quantity_bound: str | None = None,
    quantity_unit: str | None = None,
) -> ClaimResult:
    """The claim with this text: the existing one if the normalized text matches, else a new
    one, with suggested same_as links to near-identical claims."""
    if text is None or not fold(text):
        raise InvalidInput("claim text is empty; word the checkable proposition, e.g. "
                           "'Police visited Navalny supporters at home'")
    if (quantity_value is None) != (quantity_subject is None or not quantity_subject.strip()):
        raise InvalidInput("a claim's figure needs both --quantity-subject (what is counted) and --quantity-value")
    bound = parse_choice(Bound, quantity_bound, "quantity bound").value if quantity_bound else None
    if bound and quantity_value is None:
        raise InvalidInput("--quantity-bound needs --quantity-value and --quantity-subject")
    existing = find_claim_by_text(session, text)
    while existing is not None and existing.merged_into_id is not None:
        existing = session.get(Claim, existing.merged_into_id)  # a merged duplicate: its survivor
    if existing is not None and existing.status != "normal":
        raise InvalidInput(
            f"claim {existing.id} has this wording and is {existing.status} ({existing.status_reason}); "
            "word the claim differently, or use another claim with --claim-id"
        )
    if existing is not None:
        if quantity_value is not None:
            _fill_quantity(session, existing, quantity_subject.strip() if quantity_subject else None,
                           quantity_value, bound, quantity_unit)
        return ClaimResult(existing, False)
    if key is not None and session.scalar(select(Claim.id).where(Claim.key == key)) is not None:
        raise AlreadyExists(f"a claim with key {key!r} already exists")
    claim = Claim(
        text=text.strip(), text_hash=claim_hash(text), language=language, key=key,
        quantity_subject=quantity_subject.strip() if quantity_subject else None,
        quantity_value=quantity_value, quantity_bound=bound, quantity_unit=quantity_unit,
    )
    session.add(claim)
    session.flush()
    record_event(session, "create", claim)
    suggestions = []
    from claimtrack.services.corrections import rejected_pair

    for other, score in similar_claims(session, text, exclude=claim.id):
        if other.status != "normal" or other.merged_into_id is not None or rejected_pair(session, claim.id, other.id):
            continue  # never suggest a link to a retired claim, nor one a person rejected
        relation = ClaimRelation(
            source_claim_id=claim.id, target_claim_id=other.id, type=RelationType.SAME_AS.value,
            status=RelationStatus.SUGGESTED.value, score=round(score, 4),
            note="suggested: near-identical wording", created_by=session.info.get("user"),
        )
        session.add(relation)
        session.flush()
        record_event(session, "link", relation)
        suggestions.append(Suggestion(other.id, other.text, score, relation.id))
    return ClaimResult(claim, True, suggestions)


def _fill_quantity(session: Session, claim: Claim, subject: str | None, value: float, bound: str | None,
                   unit: str | None) -> None:
    """Give an existing claim the figure it lacks; refuse a figure that differs from its own."""
    if claim.quantity_value is None:
        before = snapshot(claim)
        claim.quantity_subject, claim.quantity_value = subject, value
        claim.quantity_bound, claim.quantity_unit = bound, unit
        session.flush()
        record_event(session, "update", claim, before=before)
        return
    if (claim.quantity_subject, claim.quantity_value, claim.quantity_bound) != (subject, value, bound):
        raise InvalidInput(
            f"claim {claim.id} already counts {claim.quantity_subject!r} as {claim.quantity_bound or ''} "
            f"{claim.quantity_value:g}; a different figure is a different claim: word it differently")


def link_claims(session: Session, source: Claim, target: Claim, type: str, *, note: str | None = None) -> ClaimRelation:
    """A confirmed typed relation; confirms a suggested one between the same claims."""
    type_value = parse_choice(RelationType, type, "relation type").value
    if source.id == target.id:
        raise InvalidInput(f"claim {source.id} cannot be linked to itself")
    pair = [(source.id, target.id)]
    if type_value in (RelationType.SAME_AS.value, RelationType.CONTRADICTS.value):
        pair.append((target.id, source.id))  # symmetric relations: either direction is the same link
    for s, t in pair:
        existing = session.scalar(select(ClaimRelation).where(
            ClaimRelation.source_claim_id == s, ClaimRelation.target_claim_id == t, ClaimRelation.type == type_value))
        if existing is None:
            continue
        if existing.status == RelationStatus.CONFIRMED.value:
            raise AlreadyExists(f"claims {source.id} and {target.id} are already linked ({type_value}, relation {existing.id})")
        before = snapshot(existing)
        existing.status = RelationStatus.CONFIRMED.value
        existing.decided_by = session.info.get("user")
        existing.decided_at = utcnow()
        if note:
            existing.note = note
        session.flush()
        record_event(session, "update", existing, before=before)
        return existing
    relation = ClaimRelation(source_claim_id=source.id, target_claim_id=target.id, type=type_value,
                             status=RelationStatus.CONFIRMED.value, note=note,
                             created_by=session.info.get("user"))
    session.add(relation)
    session.flush()
    record_event(session, "link", relation)
    return relation
