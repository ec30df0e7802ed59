"""Merge duplicate claims and documents, and undo a merge.

As with actors (services/actors.merge_actors), the loser is kept and points at the survivor
(`merged_into_id`); what referred to it moves: a claim's statements (their hops follow),
verdicts and relations; a document's hops. One `merge` event on the survivor records both
sides and every moved row id, so `history` of either shows it and `unmerge` can move exactly
those rows back.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from claimtrack.errors import InvalidInput
from claimtrack.models import Claim, ClaimRelation, Document, Event, Hop, Statement, Verdict
from claimtrack.services.corrections import ensure_live, kind_of
from claimtrack.services.events import record_event, snapshot


def _check(survivor: Any, loser: Any) -> None:
    kind = kind_of(survivor)
    if survivor.id == loser.id:
        raise InvalidInput(f"cannot merge {kind} {survivor.id} into itself")
    if loser.merged_into_id is not None:
        raise InvalidInput(f"{kind} {loser.id} was already merged into {kind} {loser.merged_into_id}")
    ensure_live(survivor, "merged into")
    ensure_live(loser, "merged")


def _move(session: Session, moved: dict[str, list[int]], label: str, model: Any, ids: list[int], column: str,
          value: int) -> None:
    if not ids:
        return
    moved[label] = ids
    session.execute(update(model).where(model.id.in_(ids)).values({column: value})
                    .execution_options(synchronize_session=False))


def _finish(session: Session, survivor: Any, loser: Any, moved: dict[str, list[int]], before: dict[str, Any]) -> Any:
    loser.merged_into_id = survivor.id
    session.flush()
    session.expire_all()
    record_event(session, "merge", survivor, before=before,
                 after={"survivor_id": survivor.id, "merged_id": loser.id, "moved": moved})
    return survivor


def merge_claims(session: Session, survivor: Claim, loser: Claim) -> Claim:
    """Fold claim `loser` into `survivor`: its statements, verdicts and relations move."""
    _check(survivor, loser)
    before = {"survivor": snapshot(survivor), "merged": snapshot(loser)}
    moved: dict[str, list[int]] = {}
    _move(session, moved, "statements.claim_id", Statement,
          list(session.scalars(select(Statement.id).where(Statement.claim_id == loser.id).order_by(Statement.id))),
          "claim_id", survivor.id)
    _move(session, moved, "verdicts.claim_id", Verdict,
          list(session.scalars(select(Verdict.id).where(Verdict.claim_id == loser.id).order_by(Verdict.id))),
          "claim_id", survivor.id)
    # a relation moves unless it would link the survivor to itself or repeat one it has: those
    # stay with the merged claim, as they were
    existing = {(r.source_claim_id, r.target_claim_id, r.type) for r in session.scalars(select(ClaimRelation).where(
        or_(ClaimRelation.source_claim_id == survivor.id, ClaimRelation.target_claim_id == survivor.id)))}
    for end in ("source_claim_id", "target_claim_id"):
        other_end = "target_claim_id" if end == "source_claim_id" else "source_claim_id"
        ids = []
        for relation in session.scalars(select(ClaimRelation).where(getattr(ClaimRelation, end) == loser.id)
                                        .order_by(ClaimRelation.id)):
            other = getattr(relation, other_end)
            key = (survivor.id, other, relation.type) if end == "source_claim_id" else (other, survivor.id, relation.type)
            if other in (survivor.id, loser.id) or key in existing:
                continue
            existing.add(key)
            ids.append(relation.id)
        _move(session, moved, f"claim_relations.{end}", ClaimRelation, ids, end, survivor.id)
    return _finish(session, survivor, loser, moved, before)


def merge_documents(session: Session, survivor: Document, loser: Document) -> Document:
    """Fold document `loser` into `survivor`: its hops move (unless the survivor already reports
    that statement: such a hop stays with the merged document)."""
    _check(survivor, loser)
    before = {"survivor": snapshot(survivor), "merged": snapshot(loser)}
    reported = set(session.scalars(select(Hop.statement_id).where(Hop.document_id == survivor.id)))
    ids = [hop_id for hop_id, statement_id in session.execute(
        select(Hop.id, Hop.statement_id).where(Hop.document_id == loser.id).order_by(Hop.id))
        if statement_id not in reported]
    moved: dict[str, list[int]] = {}
    _move(session, moved, "hops.document_id", Hop, ids, "document_id", survivor.id)
    return _finish(session, survivor, loser, moved, before)


_MOVABLE: dict[str, Any] = {"statements": Statement, "verdicts": Verdict, "claim_relations": ClaimRelation, "hops": Hop}


def merge_event(session: Session, kind: str, loser_id: int) -> Event | None:
    """The latest merge event that folded this claim or document into another."""
    for event in session.scalars(select(Event).where(Event.action == "merge", Event.object_type == kind)
                                 .order_by(Event.id.desc())):
        after = json.loads(event.after) if event.after else {}
        if isinstance(after, dict) and after.get("merged_id") == loser_id:
            return event
    return None


def unmerge(session: Session, loser: Claim | Document) -> Claim | Document:
    """Undo the merge of `loser`: the rows that moved move back, and it stands on its own again."""
    kind = kind_of(loser)
    if loser.merged_into_id is None:
        raise InvalidInput(f"{kind} {loser.id} is not merged into another {kind}")
    event = merge_event(session, kind, loser.id)
    if event is None:
        raise InvalidInput(f"{kind} {loser.id} has no merge event to undo")
    after = json.loads(event.after or "{}")
    survivor_id = after["survivor_id"]
    model: Any = type(loser)
    before = {"merged": snapshot(loser)}
    moved_back: dict[str, list[int]] = {}
    for label, ids in (after.get("moved") or {}).items():
        table, column = label.split(".")
        target = _MOVABLE[table]
        col = getattr(target, column)
        # only rows still where the merge put them (a later correction may have moved one on)
        still = list(session.scalars(select(target.id).where(and_(target.id.in_(ids), col == survivor_id))))
        _move(session, moved_back, label, target, still, column, loser.id)
    obj: Any = session.get(model, loser.id)
    assert obj is not None
    obj.merged_into_id = None
    session.flush()
    session.expire_all()
    record_event(session, "unmerge", obj, before=before,
                 after={**snapshot(obj), "survivor_id": survivor_id, "merged_id": obj.id, "moved": moved_back})
    return obj
