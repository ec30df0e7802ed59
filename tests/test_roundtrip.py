"""Lossless native round trip, as a property: for generated databases (keyed and keyless rows,
partial dates, quantities, nested statements, hops, relations, verdicts), export → import into
an empty database → export gives byte-identical output."""

from __future__ import annotations

import io
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = st.sampled_from(["Alexei Navalny", "Leonid Volkov", "OVD-Info", "AFP", "Maria Zakharova", "Алексей", "مسبار"])
WORDS = st.lists(st.sampled_from(["police", "visited", "20", "supporters", "Moscow", "protest", "détenus", "«quote»"]),
                 min_size=1, max_size=6).map(" ".join)
DATES = st.one_of(st.none(), st.sampled_from(["2021-01-23", "2021-01", "2021", "~2021-04", "~2020"]))
OPTIONAL_KEY = st.one_of(st.none(), st.text("abcxyz-", min_size=1, max_size=8))


@st.composite
def datasets(draw: Any) -> dict[str, Any]:
    actors = draw(st.lists(st.tuples(NAMES, OPTIONAL_KEY, st.sampled_from(["person", "outlet", "agency",
                                                                           "unspecified"])),
                           min_size=1, max_size=4))
    claims = draw(st.lists(st.tuples(WORDS, OPTIONAL_KEY, st.booleans()), min_size=1, max_size=4,
                           unique_by=lambda c: c[0]))
    statements = draw(st.lists(st.tuples(
        st.integers(0, 10), st.one_of(st.none(), st.integers(0, 10)),
        st.sampled_from(["asserts", "denies", "reports", "did_not_respond"]),
        st.one_of(st.none(), WORDS), DATES, OPTIONAL_KEY, st.booleans()), max_size=5))
    hops = draw(st.lists(st.tuples(st.integers(0, 10), st.booleans(), st.one_of(st.none(), st.integers(0, 10))),
                         max_size=4))
    verdicts = draw(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(["false", "half-true", "Mostly true"]),
                                       st.one_of(st.none(), st.integers(1, 5)), DATES), max_size=3))
    relate = draw(st.booleans())
    extras = draw(st.fixed_dictionaries({"merge": st.booleans(), "affiliate": st.booleans(),
                                         "forward_parent": st.booleans(), "descriptor": st.booleans(),
                                         "wikidata": st.booleans(), "merge_claims": st.booleans()}))
    return {"actors": actors, "claims": claims, "statements": statements, "hops": hops, "verdicts": verdicts,
            "relate": relate, **extras}


def build(session: Any, data: dict[str, Any]) -> None:
    from tests import factories as f

    used: set[str] = set()

    def key(value: str | None) -> str | None:
        if value is None or value in used:
            return None
        used.add(value)
        return value

    actors = [f.actor(session, name, kind=kind, key=key(k)) for name, k, kind in data["actors"]]
    claims = [f.claim(session, text, ("things counted", 3000, "more_than") if quantity else None, unit="people",
                      key=key(k)) for text, k, quantity in data["claims"]]
    statements: list[Any] = []
    for claim_i, speaker_i, stance, quote, said, k, nested in data["statements"]:
        speaker = actors[speaker_i % len(actors)] if speaker_i is not None else None
        statements.append(f.statement(
            session, claims[claim_i % len(claims)], speaker, stance=stance,
            quote=quote if speaker is not None else None, said=said, key=key(k),
            parent=statements[-1] if nested and statements else None))
    if statements:
        document = f.document(session, outlet=actors[0], url="https://example.org/a", title="A report",
                              published="2021-07")
        other = f.document(session, outlet=None, url=None, title=None)
        previous = None
        for i, (statement_i, primary, via_i) in enumerate(data["hops"]):
            target = statements[statement_i % len(statements)]
            doc = document if i % 2 == 0 else other
            if any(h.document_id == doc.id and h.statement_id == target.id for h in target.hops):
                continue
            via_actor = actors[via_i % len(actors)] if via_i is not None else None
            previous = f.hop(session, doc, target, via_hop=None if primary else previous, via_actor=via_actor,
                             cue="told AFP", is_primary=primary)
    for claim_i, label, value, reviewed in data["verdicts"]:
        from claimtrack.dates import parse_optional_date
        from claimtrack.models import Verdict

        verdict = Verdict(claim=claims[claim_i % len(claims)], label=label, rating_value=value, best=5 if value else None,
                          worst=1 if value else None, reviewer=actors[-1], evidence_urls=["https://e.org/1"])
        verdict.reviewed = parse_optional_date(reviewed)
        session.add(verdict)
    if data["relate"] and len(claims) > 1:
        f.relation(session, claims[0], claims[1], status="suggested", score=0.75)
    if data["wikidata"]:
        from claimtrack.models import ExternalId

        session.add(ExternalId(actor=actors[0], scheme="wikidata", value="Q10766"))
        session.add(ExternalId(actor=actors[0], scheme="wikidata", value="Q1"))
    if len(actors) > 1:
        if data["affiliate"]:
            f.affiliation(session, actors[0], actors[-1], "spokeswoman", start="~2015")
        if data["merge"]:
            actors[0].merged_into_id = actors[-1].id  # points at a later row: export must reorder
    if data["merge_claims"] and len(claims) > 1:
        claims[0].merged_into_id = claims[-1].id  # a merged claim pointing at a later row
        if statements:
            other.merged_into_id = document.id  # and a merged document pointing at an earlier one
    if data["descriptor"]:
        f.statement(session, claims[0], None, stance="denies", quote="never", speaker_descriptor="a former ally",
                    status="deprecated", status_reason="logged twice")
    if data["forward_parent"] and len(statements) > 1 and all(s.parent is None for s in statements):
        statements[0].parent = statements[-1]
    session.flush()


def export_text(database: Any) -> str:
    from claimtrack.formats import export

    stream = io.StringIO()
    with database.read() as session:
        export(session, "jsonl", stream)
    return stream.getvalue()


def fresh(template_url: str, tmp_path: Path) -> Any:
    from claimtrack.db import Database

    path = tmp_path / f"{uuid.uuid4().hex[:10]}.db"
    shutil.copyfile(template_url.removeprefix("sqlite:///"), path)
    return Database(f"sqlite:///{path}", user="tester")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets())
def test_export_import_export_is_identical(data: dict[str, Any], backend: str, template_url: str,
                                           tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("the property runs on SQLite; test_formats_native covers the round trip on PostgreSQL")
    import json

    from claimtrack.formats import import_native

    source, target = fresh(template_url, tmp_path), fresh(template_url, tmp_path)
    try:
        with source.write() as session:
            build(session, data)
        first = export_text(source)
        path = tmp_path / f"{uuid.uuid4().hex[:10]}.jsonl"
        path.write_text(first, encoding="utf-8")
        with target.write() as session:
            summary = import_native(session, path)
        assert summary.rejected == 0
        assert export_text(target) == first
        # and every exported record is valid against the published schema
        from tests.test_formats_native import validator

        check = validator()
        for line in first.splitlines():
            check.validate(json.loads(line))
    finally:
        source.dispose()
        target.dispose()
