"""Rules about who is speaking: nobody, somebody vague, somebody unnamed."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope
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
    problems = []
    for sid, claim_id, text in session.execute(query):
        problems.append(Problem(
            "unattributed", "warning",
            f'Statement {sid} is in the reporter\'s own voice: "{snippet(text)}" is attributed to nobody. '
            "Find who said it (an official figure, a monitor, a named witness) or treat it as the outlet's own claim.",
            [statement_ref(sid, None, None, text), claim_ref(claim_id, text)],
            f"unattributed:statement:{sid}",
        ))
    return problems


def vague_source(session: Session, scope: Scope) -> list[Problem]:
    """A speaker or an intermediary of kind `unspecified`: "local media", "sources said"."""
    problems = []
    speaker = aliased(Actor)
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, speaker.id, speaker.name)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(speaker, speaker.id == Statement.speaker_id)
        .where(speaker.kind == "unspecified"),
        scope,
    )
    for sid, claim_id, text, actor_id, name in session.execute(query):
        problems.append(Problem(
            "vague-source", "warning",
            f'Statement {sid} is attributed to "{name}", a source nobody can check: '
            f'who exactly said "{snippet(text)}"? Name the outlet or person, or find the original report.',
            [statement_ref(sid, name, None, text), ObjectRef("actor", actor_id, name), claim_ref(claim_id, text)],
            f"vague-source:statement:{sid}",
        ))
    for sid, claim_id, text, descriptor, _stance in session.execute(_descriptor_query(scope)):
        if not is_vague_descriptor(descriptor):
            continue
        problems.append(Problem(
            "vague-source", "warning",
            f'Statement {sid} is attributed to "{descriptor}", a source nobody can check: '
            f'who exactly said "{snippet(text)}"? Name the person or the outlet, or find the original report.',
            [statement_ref(sid, None, descriptor, text), claim_ref(claim_id, text)],
            f"vague-source:statement:{sid}",
        ))
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
    for hop_id, sid, descriptor, speaker_name, text, via_id, via_name, doc_id, outlet_name, title in session.execute(query):
        doc = document_label(doc_id, outlet_name, title)
        problems.append(Problem(
            "vague-source", "warning",
            f'{doc} relies on "{via_name}", a source nobody can check, for statement {sid} '
            f'("{snippet(text)}"): which outlet reported it, and where?',
            [ObjectRef("hop", hop_id, f"{doc} via {via_name}"), ObjectRef("actor", via_id, via_name),
             statement_ref(sid, speaker_name, descriptor, text), ObjectRef("document", doc_id, doc)],
            f"vague-source:hop:{hop_id}",
        ))
    return problems


def _descriptor_query(scope: Scope) -> Any:
    return scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, Statement.speaker_descriptor, Statement.stance)
        .join(Claim, Claim.id == Statement.claim_id)
        .where(Statement.speaker_descriptor.is_not(None)),
        scope,
    )


def anonymous_speaker(session: Session, scope: Scope) -> list[Problem]:
    """A descriptor ("a former ally") instead of a named actor; vague ones are `vague-source`'s."""
    problems = []
    for sid, claim_id, text, descriptor, stance in session.execute(_descriptor_query(scope)):
        if is_vague_descriptor(descriptor):
            continue
        problems.append(Problem(
            "anonymous-speaker", "info",
            f'Statement {sid} comes from an unnamed speaker, "{descriptor}" ({stance.replace("_", " ")} '
            f'"{snippet(text)}"): it cannot be checked with the person; note why the source is anonymous.',
            [statement_ref(sid, None, descriptor, text), claim_ref(claim_id, text)],
            f"anonymous-speaker:statement:{sid}",
        ))
    return problems
