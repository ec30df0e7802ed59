"""Retire records with a reason, never delete them; reject and withdraw claim relations.

Every record kind a fact-checker logs can be *retracted* (it was wrong: a typo'd claim, a
misattributed quote) or *deprecated* (superseded; kept so nobody re-adds it). A retired record
stays in the database and in every listing, marked with its status and reason, and leaves
every count and conflict (see docs/concepts.md, "Corrections").

Suggested claim relations are *rejected* (a person looked and said no); a rejected pair is never
suggested again. A confirmed relation that turns out wrong is retracted like any record.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from claimtrack.errors import InvalidInput, NotFound
from claimtrack.models import Actor, Base, Claim, ClaimRelation, Document, utcnow
from claimtrack.services.events import object_type_of, record_event, snapshot
from claimtrack.vocab import RelationStatus, RelationType, StatementStatus, parse_choice

RETIRED = (StatementStatus.RETRACTED.value, StatementStatus.DEPRECATED.value)


def kind_of(obj: Base) -> str:
    """The user's word for an object: claim, statement, …, relation (for ClaimRelation)."""
    name = object_type_of(obj)
    return "relation" if name == "claim_relation" else name


M = TypeVar("M", Actor, Claim, Document)


def survivor(session: Session, obj: M) -> M:
    """Follow merged_into_id to the actor, claim or document that absorbed this one."""
    seen: set[int] = set()
    while obj.merged_into_id is not None and obj.id not in seen:
        seen.add(obj.id)
        obj = session.get(type(obj), obj.merged_into_id)  # type: ignore[assignment]
    return obj


def is_retired(obj: Any) -> bool:
    """Retracted, deprecated, (for relations) rejected, or merged into another record."""
    status = getattr(obj, "status", StatementStatus.NORMAL.value)
    if status in RETIRED or status == RelationStatus.REJECTED.value:
        return True
    return getattr(obj, "merged_into_id", None) is not None


def ensure_live(obj: Any, doing: str = "edited") -> None:
    """Refuse to change a retired or merged record: it is kept as it was when retired."""
    kind = kind_of(obj)
    merged_into = getattr(obj, "merged_into_id", None)
    if merged_into is not None:
        raise InvalidInput(
            f"{kind} {obj.id} was merged into {kind} {merged_into}; it cannot be {doing} "
            f"(change {kind} {merged_into}, or undo the merge with `claimtrack {kind} unmerge {obj.id}`)"
        )
    status = getattr(obj, "status", StatementStatus.NORMAL.value)
    if status in RETIRED or status == RelationStatus.REJECTED.value:
        reason = getattr(obj, "status_reason", None)
        raise InvalidInput(f"{kind} {obj.id} is {status}" + (f" ({reason})" if reason else "")
                           + f"; a retired {kind} cannot be {doing}")


def _reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise InvalidInput("retiring needs --reason (why the record was wrong or superseded)")
    return reason.strip()


def retire(session: Session, obj: Any, reason: str | None, *, status: str = "retracted") -> Any:
    """Retract or deprecate one record; it stays visible with its status and reason."""
    status_value = parse_choice(StatementStatus, status, "status").value
    if status_value == StatementStatus.NORMAL.value:
        raise InvalidInput("status 'normal' is not a retraction; use retracted or deprecated")
    why = _reason(reason)
    if isinstance(obj, ClaimRelation):
        return retract_relation(session, obj, why, status=status_value)
    kind = kind_of(obj)
    current = getattr(obj, "status", None)
    if current in RETIRED:
        raise InvalidInput(f"{kind} {obj.id} is already {current}: {getattr(obj, 'status_reason', '')}")
    ensure_live(obj, "retired")
    before = snapshot(obj)
    obj.status = status_value
    obj.status_reason = why
    session.flush()
    record_event(session, "retract", obj, before=before)
    return obj


# --------------------------------------------------------------------------- relations


def relations_between(session: Session, a: Claim, b: Claim, type: str | None = None) -> list[ClaimRelation]:
    """Every relation between two claims, either direction, oldest first."""
    query = select(ClaimRelation).where(or_(
        and_(ClaimRelation.source_claim_id == a.id, ClaimRelation.target_claim_id == b.id),
        and_(ClaimRelation.source_claim_id == b.id, ClaimRelation.target_claim_id == a.id),
    ))
    if type is not None:
        query = query.where(ClaimRelation.type == parse_choice(RelationType, type, "relation type").value)
    return list(session.scalars(query.order_by(ClaimRelation.id)))


def rejected_pair(session: Session, a_id: int, b_id: int) -> bool:
    """Whether a person rejected a suggested link between these two claims (either direction)."""
    return session.scalar(select(ClaimRelation.id).where(
        ClaimRelation.status == RelationStatus.REJECTED.value,
        or_(and_(ClaimRelation.source_claim_id == a_id, ClaimRelation.target_claim_id == b_id),
            and_(ClaimRelation.source_claim_id == b_id, ClaimRelation.target_claim_id == a_id)),
    ).limit(1)) is not None


def _decide(session: Session, relation: ClaimRelation, status: str, reason: str | None) -> ClaimRelation:
    before = snapshot(relation)
    relation.status = status
    relation.status_reason = reason
    relation.decided_by = session.info.get("user")
    relation.decided_at = utcnow()
    session.flush()
    record_event(session, "reject" if status == RelationStatus.REJECTED.value else "retract", relation,
                 before=before)
    return relation


def reject_relation(session: Session, relation: ClaimRelation, reason: str | None = None) -> ClaimRelation:
    """Turn down a suggested relation; the pair is never suggested again."""
    if relation.status != RelationStatus.SUGGESTED.value:
        raise InvalidInput(
            f"relation {relation.id} is {relation.status}, not suggested; only a suggestion can be rejected"
            + (" (withdraw a confirmed one with `claimtrack claim unlink … --reason`)"
               if relation.status == RelationStatus.CONFIRMED.value else "")
        )
    return _decide(session, relation, RelationStatus.REJECTED.value, reason.strip() if reason else None)


def retract_relation(session: Session, relation: ClaimRelation, reason: str | None, *,
                     status: str = "retracted") -> ClaimRelation:
    """Withdraw a confirmed relation that turned out wrong (or superseded)."""
    if relation.status != RelationStatus.CONFIRMED.value:
        raise InvalidInput(f"relation {relation.id} is {relation.status}; only a confirmed relation can be withdrawn")
    return _decide(session, relation, status, _reason(reason))


def unlink_claims(session: Session, a: Claim, b: Claim, *, type: str | None = None, reason: str | None = None,
                  deprecate: bool = False) -> list[ClaimRelation]:
    """Reject the suggested and withdraw the confirmed relations between two claims.

    With no relation between them at all, a rejected one is recorded, so that the pair is never
    suggested later either.
    """
    if a.id == b.id:
        raise InvalidInput(f"claim {a.id} cannot be unlinked from itself")
    relations = relations_between(session, a, b, type)
    live = [r for r in relations if r.status in (RelationStatus.SUGGESTED.value, RelationStatus.CONFIRMED.value)]
    changed: list[ClaimRelation] = []
    for relation in live:
        if relation.status == RelationStatus.SUGGESTED.value:
            changed.append(reject_relation(session, relation, reason))
        else:
            changed.append(retract_relation(session, relation, reason,
                                            status="deprecated" if deprecate else "retracted"))
    if changed:
        return changed
    if relations:
        shown = ", ".join(f"relation {r.id} ({r.type}, {r.status})" for r in relations)
        raise InvalidInput(f"claims {a.id} and {b.id} have no live relation to withdraw: {shown}")
    if type is None:
        raise NotFound(f"claims {a.id} and {b.id} are not linked; give --type to record that they are "
                       "not related (so the pair is never suggested)")
    relation = ClaimRelation(source_claim_id=a.id, target_claim_id=b.id,
                             type=parse_choice(RelationType, type, "relation type").value,
                             status=RelationStatus.REJECTED.value, note=None,
                             status_reason=reason.strip() if reason else None,
                             created_by=session.info.get("user"), decided_by=session.info.get("user"),
                             decided_at=utcnow())
    session.add(relation)
    session.flush()
    record_event(session, "reject", relation)
    return [relation]


def reject_link(session: Session, a: Claim, b: Claim, type: str, reason: str | None = None) -> ClaimRelation:
    """`claim link A B --type T --reject`: reject the suggested T link between the two claims, or
    record a rejected one when nothing was suggested (so it never is)."""
    if a.id == b.id:
        raise InvalidInput(f"claim {a.id} cannot be linked to itself")
    relations = relations_between(session, a, b, type)
    for relation in relations:
        if relation.status == RelationStatus.SUGGESTED.value:
            return reject_relation(session, relation, reason)
    for relation in relations:
        if relation.status == RelationStatus.CONFIRMED.value:
            raise InvalidInput(f"claims {a.id} and {b.id} are linked ({relation.type}, relation {relation.id}, "
                               "confirmed); withdraw it with `claimtrack claim unlink "
                               f"{a.id} {b.id} --reason …`")
        if relation.status == RelationStatus.REJECTED.value:
            raise InvalidInput(f"the {relation.type} link between claims {a.id} and {b.id} is already rejected "
                               f"(relation {relation.id})")
    return unlink_claims(session, a, b, type=type, reason=reason)[0]
