"""Relation conflicts: two claims linked by a `contradicts` relation (confirmed or suggested)."""

from __future__ import annotations

from functools import partial

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from claimtrack.models import ClaimRelation
from claimtrack.queries.conflicts.loading import Filters, retracted_only_claims
from claimtrack.queries.conflicts.page import claim_side, get
from claimtrack.queries.conflicts.text import short_text, speaker_names
from claimtrack.queries.conflicts.values import HIGH, LOW, Candidate, Conflict, StatementItem
from claimtrack.vocab import RelationStatus, RelationType

#: what a relation conflict means, shown with every one (and in docs/reports.md)
EXPLANATION = ("The two claims are linked by a 'contradicts' relation, so both cannot be true. "
               "A suggested relation (found by similarity) is marked until a person confirms it.")


def relation_candidates(session: Session, f: Filters) -> list[Candidate]:
    query = select(ClaimRelation.id, ClaimRelation.source_claim_id, ClaimRelation.target_claim_id,
                   ClaimRelation.status).where(
        ClaimRelation.type == RelationType.CONTRADICTS.value,
        ClaimRelation.status.in_([RelationStatus.CONFIRMED.value, RelationStatus.SUGGESTED.value]),
    )
    if f.claim_id is not None:
        query = query.where(or_(ClaimRelation.source_claim_id == f.claim_id, ClaimRelation.target_claim_id == f.claim_id))
    restrict = f.statement_claims()
    if restrict is not None:
        query = query.where(or_(ClaimRelation.source_claim_id.in_(restrict), ClaimRelation.target_claim_id.in_(restrict)))
    rows = session.execute(query).all()
    dead = retracted_only_claims(session, [c for r in rows for c in (r[1], r[2])])
    result = []
    for relation_id, source, target, status in rows:
        retracted_only = source in dead or target in dead
        severity = HIGH if status == RelationStatus.CONFIRMED.value and not retracted_only else LOW
        result.append(Candidate("relation", (source, target), severity, 2, retracted_only,
                                 partial(build_relation, session, relation_id, retracted_only)))
    return result


def build_relation(session: Session, relation_id: int, retracted_only: bool) -> Conflict:
    relation = get(session, ClaimRelation, relation_id)
    assert relation is not None
    source, target = relation.source, relation.target
    source_side, source_total = claim_side(session, source)
    target_side, target_total = claim_side(session, target)
    suggested = relation.status == RelationStatus.SUGGESTED.value
    who_a = speaker_names(i for i in source_side if isinstance(i, StatementItem)) or "nobody on record"
    who_b = speaker_names(i for i in target_side if isinstance(i, StatementItem)) or "nobody on record"
    summary = (f"{'Suggested (unconfirmed): ' if suggested else ''}claim {source.id} \u201c{short_text(source.text)}\u201d "
               f"({who_a}) contradicts claim {target.id} \u201c{short_text(target.text)}\u201d ({who_b}).")
    if relation.score is not None and suggested:
        summary += f" Similarity {relation.score:.2f}."
    if retracted_only:
        summary += " (A claim's statements are all retracted or deprecated.)"
    severity = LOW if suggested or retracted_only else HIGH
    return Conflict("relation", [source.id, target.id], summary, severity, EXPLANATION,
                    [source_side, target_side], [f"claim {source.id}", f"claim {target.id}"],
                    [source_total, target_total], suggested=suggested, rests_on_retracted=retracted_only)


