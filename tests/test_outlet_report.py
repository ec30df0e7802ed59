"""The outlet report's one-pass counts equal their definitions, hop by hop (queries/outlet.py)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from tests import factories as f

RETRACTED = {"status": "retracted", "status_reason": "test"}


def _build(s: Any, seed: int) -> int:
    """A random small archive around one outlet (with a duplicate merged into it); its id."""
    from claimtrack.models import Document

    rng = random.Random(seed)
    paper = f.actor(s, "Gazette", kind="outlet")
    old_name = f.actor(s, "The Gazette (old)", kind="outlet")
    s.flush()
    old_name.merged_into_id = paper.id
    other = f.actor(s, "Wire", kind="agency")
    vague = [f.actor(s, f"local media {i}", kind="unspecified") for i in range(2)]
    people = [f.actor(s, f"Person {i}") for i in range(5)]
    claims = [f.claim(s, f"Claim number {i}", **(RETRACTED if i == 0 else {})) for i in range(6)]
    docs = []
    for i in range(14):
        outlet = rng.choice([paper, paper, old_name, other, None])
        status = RETRACTED if rng.random() < 0.15 else {}
        docs.append(f.document(s, outlet, url=f"https://example.org/{i}",
                               published=rng.choice([None, "2021", "2021-03", f"2021-04-{i + 1:02d}"]), **status))
    survivor = docs[0]
    merged = f.document(s, paper, url="https://example.org/dup", published="2021-05-01")
    merged.merged_into_id = survivor.id
    docs.append(merged)
    hops: list[Any] = []
    for i in range(140):  # more statements than the report lists, so "recent" must choose
        speaker = rng.choice([None, None, *people, *vague])
        descriptor = "a source" if speaker is None and rng.random() < 0.3 else None
        quote = "words" if (speaker or descriptor) and rng.random() < 0.6 else None
        extra = {"quote_kind": rng.choice(["direct", "mixed", "indirect"])} if quote else {}
        if rng.random() < 0.1:
            extra |= RETRACTED
        statement = f.statement(s, rng.choice(claims), speaker, stance=rng.choice(["asserts", "denies", "reports"]),
                                quote=quote, said=rng.choice([None, "2020", f"2020-0{i % 9 + 1}-1{i % 10}"]),
                                speaker_descriptor=descriptor, **extra)
        for document in rng.sample(docs, rng.randint(1, 3)):
            via = rng.choice([None, None, *hops[-6:]])
            status = RETRACTED if rng.random() < 0.1 else {}
            hops.append(f.hop(s, document, statement, via_hop=via,
                              via_actor=rng.choice([None, None, other, *vague]), **status))
    s.flush()
    assert s.get(Document, merged.id).merged_into_id == survivor.id
    return paper.id


def _by_definition(s: Any, outlet_id: int) -> dict[str, Any]:
    """The report's figures worked out hop by hop from the ORM objects, as docs/reports.md defines them."""
    from sqlalchemy import select

    from claimtrack.models import Actor, Hop

    ids = {outlet_id} | set(s.scalars(select(Actor.id).where(Actor.merged_into_id == outlet_id)))
    classes: Counter[str] = Counter()
    via: Counter[str] = Counter()
    relies: Counter[str] = Counter()
    counted, carried = set(), set()
    for hop in s.scalars(select(Hop)):
        doc = hop.document
        if doc.outlet_id not in ids or doc.status != "normal" or doc.merged_into_id is not None:
            continue
        statement = hop.statement
        carried.add(statement)
        claim = statement.claim
        if hop.status != "normal" or statement.status != "normal" or claim.status != "normal" \
                or claim.merged_into_id is not None:
            continue
        counted.add(statement.id)
        if statement.speaker_id is None and statement.speaker_descriptor is None:
            classes["unattributed"] += 1
        elif statement.speaker_descriptor is not None or (statement.speaker and statement.speaker.kind == "unspecified") \
                or (hop.via_actor and hop.via_actor.kind == "unspecified"):
            classes["vague"] += 1
        elif statement.quote_kind in ("direct", "mixed"):
            classes["direct"] += 1
        else:
            classes["indirect"] += 1
        if hop.via_actor is not None:
            via[hop.via_actor.name] += 1
        if hop.via_hop is not None:
            outlet = hop.via_hop.document.outlet
            relies[outlet.name if outlet else "(no outlet)"] += 1
    latest = sorted(carried, key=lambda st: (st.said_on is not None, st.said_on or 0, st.id), reverse=True)
    return {"hops": sum(classes.values()), "statements": len(counted),
            "attribution": {k: classes[k] for k in ("direct", "indirect", "vague", "unattributed")},
            "intermediaries": dict(via), "relies_on_outlets": dict(relies),
            "recent": [st.id for st in latest[:50]]}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_outlet_report_counts_equal_their_definition(database: Any, seed: int) -> None:
    from claimtrack.models import Actor
    from claimtrack.queries.outlet import outlet_report

    with database.write() as s:
        outlet_id = _build(s, seed)
    with database.read() as s:
        report = outlet_report(s, s.get(Actor, outlet_id))
        expected = _by_definition(s, outlet_id)
    got = {"hops": report.hops, "statements": report.statements, "attribution": report.attribution,
           "intermediaries": {c.name: c.count for c in report.intermediaries},
           "relies_on_outlets": {c.name: c.count for c in report.relies_on_outlets},
           "recent": [r.statement_id for r in report.recent]}
    assert got == expected
    assert expected["hops"] > 10 and expected["relies_on_outlets"] and expected["intermediaries"]
    assert len(expected["recent"]) == 50
    counts = [c.count for c in report.intermediaries]
    assert counts == sorted(counts, reverse=True)


def test_outlet_report_of_an_outlet_without_documents(database: Any) -> None:
    from claimtrack.models import Actor
    from claimtrack.queries.outlet import outlet_report

    with database.write() as s:
        outlet_id = f.actor(s, "Empty Times", kind="outlet").id
    with database.read() as s:
        report = outlet_report(s, s.get(Actor, outlet_id))
    assert (report.documents, report.hops, report.statements, report.recent) == (0, 0, 0, [])
    assert report.attribution_shares == {"direct": 0.0, "indirect": 0.0, "vague": 0.0, "unattributed": 0.0}
