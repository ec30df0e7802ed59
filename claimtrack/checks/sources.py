"""Rules about who is speaking: nobody, somebody vague, somebody unnamed."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope, shared
from claimtrack.checks._common import (
    claim_ref,
    document_label,
    scope_hops,
    scope_statements,
    snippet,
    statement_ref,
)
from claimtrack.models import Actor, Claim, Document, Hop, Statement

#: words that make an unnamed speaker a vague source rather than merely anonymous: "sources
#: said", "local media", "officials", "experts" point at nobody in particular, whereas "a former
#: ally" or "a U.S. Embassy spokeswoman" is one identifiable, if unnamed, person
VAGUE_WORDS = frozenset({
    "source", "sources", "media", "officials", "insiders", "observers", "analysts", "experts", "critics",
    "reports", "rumors", "rumours", "studies", "people", "someone", "somebody", "others",
})
_WORDS = re.compile(r"[^\W\d_]+")


def is_vague_descriptor(descriptor: str) -> bool:
    """True for "sources", "local media", "administration officials"; False for "a former ally"."""
    return any(word in VAGUE_WORDS for word in _WORDS.findall(descriptor.casefold()))


def unattributed(session: Session, scope: Scope) -> list[Problem]:
    """A statement in the reporter's own voice: no speaker, no descriptor, nobody to check with."""
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text)
        .join(Claim, Claim.id == Statement.claim_id)
        .where(Statement.speaker_id.is_(None), Statement.speaker_descriptor.is_(None)),
        scope,
    )
    # lazy problems: the sentence and labels are built only when read (see Problem.lazy)
    return [Problem.lazy("unattributed", "warning", f"unattributed:statement:{sid}", _unattributed_parts,
                         sid, claim_id, text)
            for sid, claim_id, text in session.execute(query)]


def _unattributed_parts(sid: int, claim_id: int, text: str | None) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    return ((f'Statement {sid} is in the reporter\'s own voice: "{snippet(text)}" is attributed to nobody. '
            "Find who said it (an official figure, a monitor, a named witness) or treat it as the outlet's own claim."),
            [statement_ref(sid, None, None, text), claim_ref(claim_id, text)], {})


_UNSPECIFIED = select(Actor.id).where(Actor.kind == "unspecified").scalar_subquery()


def vague_source(session: Session, scope: Scope) -> list[Problem]:
    """A speaker or an intermediary of kind `unspecified`: "local media", "sources said"."""
    problems = []
    speaker = aliased(Actor)
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, speaker.id, speaker.name)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(speaker, speaker.id == Statement.speaker_id)
        .where(speaker.kind == "unspecified")
        # drive from the few unspecified actors through the speaker index, instead of looking up
        # every statement's claim and speaker before testing the kind
        .where(Statement.speaker_id.in_(_UNSPECIFIED)),
        scope,
    )
    for sid, claim_id, text, actor_id, name in session.execute(query):
        problems.append(Problem.lazy("vague-source", "warning", f"vague-source:statement:{sid}", _vague_speaker_parts,
                                     sid, claim_id, text, actor_id, name))
    for sid, claim_id, text, descriptor, _stance in _descriptor_rows(session, scope):
        if not is_vague_descriptor(descriptor):
            continue
        problems.append(Problem.lazy("vague-source", "warning", f"vague-source:statement:{sid}",
                                     _vague_descriptor_parts, sid, claim_id, text, descriptor))
    via = aliased(Actor)
    outlet = aliased(Actor)
    speaker2 = aliased(Actor)
    query = scope_hops(
        select(Hop.id, Hop.statement_id, Statement.speaker_descriptor, speaker2.name, Claim.text, via.id, via.name,
               Document.id, outlet.name, Document.title)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(via, via.id == Hop.via_actor_id)
        .join(Document, Document.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == Document.outlet_id)
        .outerjoin(speaker2, speaker2.id == Statement.speaker_id)
        .where(via.kind == "unspecified"),
        scope,
    )
    if session.get_bind().dialect.name == "sqlite":
        # drive from the few unspecified actors through ix_hops_via_actor_id, not a scan of hops;
        # PostgreSQL reads the pair of conditions as one row and runs nested loops over every
        # such hop (7-9 s at 1M, against 3 s for its hash joins without the IN)
        query = query.where(Hop.via_actor_id.in_(_UNSPECIFIED))
    for row in session.execute(query):
        problems.append(Problem.lazy("vague-source", "warning", f"vague-source:hop:{row[0]}", _vague_hop_parts, *row))
    return problems


def _vague_speaker_parts(sid: int, claim_id: int, text: str | None, actor_id: int,
                         name: str) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    return ((f'Statement {sid} is attributed to "{name}", a source nobody can check: '
            f'who exactly said "{snippet(text)}"? Name the outlet or person, or find the original report.'),
            [statement_ref(sid, name, None, text), ObjectRef("actor", actor_id, name), claim_ref(claim_id, text)], {})


def _vague_descriptor_parts(sid: int, claim_id: int, text: str | None,
                            descriptor: str) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    return ((f'Statement {sid} is attributed to "{descriptor}", a source nobody can check: '
            f'who exactly said "{snippet(text)}"? Name the person or the outlet, or find the original report.'),
            [statement_ref(sid, None, descriptor, text), claim_ref(claim_id, text)], {})


def _vague_hop_parts(hop_id: int, sid: int, descriptor: str | None, speaker_name: str | None, text: str | None,
                     via_id: int, via_name: str, doc_id: int, outlet_name: str | None,
                     title: str | None) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    doc = document_label(doc_id, outlet_name, title)
    return ((f'{doc} relies on "{via_name}", a source nobody can check, for statement {sid} '
            f'("{snippet(text)}"): which outlet reported it, and where?'),
            [ObjectRef("hop", hop_id, f"{doc} via {via_name}"), ObjectRef("actor", via_id, via_name),
             statement_ref(sid, speaker_name, descriptor, text), ObjectRef("document", doc_id, doc)], {})


def _descriptor_query(scope: Scope) -> Any:
    return scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, Statement.speaker_descriptor, Statement.stance)
        .join(Claim, Claim.id == Statement.claim_id)
        .where(Statement.speaker_descriptor.is_not(None)),
        scope,
    )


def _descriptor_rows(session: Session, scope: Scope) -> list[Any]:
    """The statements with a descriptor, read once per whole audit for vague-source and
    anonymous-speaker, which split them between them."""
    if not scope.whole:
        return list(session.execute(_descriptor_query(scope)))
    return shared(session, "descriptor_rows", lambda s: s.execute(_descriptor_query(scope)).all())


def anonymous_speaker(session: Session, scope: Scope) -> list[Problem]:
    """A descriptor ("a former ally") instead of a named actor; vague ones are `vague-source`'s."""
    problems = []
    for sid, claim_id, text, descriptor, stance in _descriptor_rows(session, scope):
        if is_vague_descriptor(descriptor):
            continue
        problems.append(Problem.lazy("anonymous-speaker", "info", f"anonymous-speaker:statement:{sid}",
                                     _anonymous_parts, sid, claim_id, text, descriptor, stance))
    return problems


def _anonymous_parts(sid: int, claim_id: int, text: str | None, descriptor: str,
                     stance: str) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    return ((f'Statement {sid} comes from an unnamed speaker, "{descriptor}" ({stance.replace("_", " ")} '
            f'"{snippet(text)}"): it cannot be checked with the person; note why the source is anonymous.'),
            [statement_ref(sid, None, descriptor, text), claim_ref(claim_id, text)], {})
