"""The native jsonl/json format: import, idempotency, deterministic export, schema, events."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
NATIVE = FIXTURES / "native_small.jsonl"
SCHEMA = Path(__file__).resolve().parent.parent / "claimtrack" / "schemas" / "native.schema.json"


def validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def export_text(database: Any, format: str = "jsonl", **options: Any) -> str:
    from claimtrack.formats import export

    stream = io.StringIO()
    with database.read() as session:
        export(session, format, stream, **options)
    return stream.getvalue()


def test_fixture_and_schema_agree() -> None:
    check = validator()
    for line in NATIVE.read_text(encoding="utf-8").splitlines():
        check.validate(json.loads(line))


def test_import_counts_then_reimport_creates_nothing(cli: Any) -> None:
    first = cli.json("import", str(NATIVE))
    assert first["format"] == "jsonl"
    assert {k: v["created"] for k, v in first["counts"].items()} == {
        "actor": 6, "affiliation": 1, "document": 1, "claim": 2, "statement": 3, "hop": 1, "relation": 1, "verdict": 1}
    second = cli.json("import", str(NATIVE))
    assert all(v["created"] == 0 for v in second["counts"].values())
    assert second["counts"]["statement"]["matched"] == 3
    assert second["id_ranges"] == {}


def test_import_stores_fields_and_one_event_covering_created_rows(database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.formats import import_native
    from claimtrack.models import Actor, Claim, Event, Hop, Statement, Verdict
    from tests import factories as f

    with database.write() as session:
        summary = import_native(session, NATIVE)
        # ids were assigned by the importer: ordinary inserts afterwards must still work
        # (PostgreSQL sequences were moved past them)
        assert f.actor(session, "Someone Else").id == 7
    assert summary.id_ranges["statements"] == [1, 3]
    with database.read() as session:
        navalny = session.scalar(select(Actor).where(Actor.key == "alexei-navalny"))
        # "Alexeï Navalny" folds to the name's form: that spelling is kept instead of a second row
        assert [a.alias for a in navalny.aliases] == ["Alexey Navalny", "Alexeï Navalny"]
        assert [(e.scheme, e.value) for e in navalny.external_ids] == [("wikidata", "Q10766")]
        claim = session.scalar(select(Claim).where(Claim.key == "police-visited-supporters"))
        assert (claim.quantity_value, claim.quantity_bound, claim.quantity_unit) == (20, "at_least", "people")
        said = session.scalar(select(Statement).where(Statement.key == "interior-ministry-no-response")).said
        assert str(said) == "~2021-07"
        hop = session.scalar(select(Hop).where(Hop.key == "tnie-ovd"))
        assert hop.via_actor.key == "afp" and hop.statement.speaker.name == "OVD-Info"
        verdict = session.scalar(select(Verdict))
        assert (verdict.rating_value, verdict.best, verdict.evidence_urls) == (4, 5, ["https://example.org/a"])
        events = session.scalars(select(Event).where(Event.action == "import")).all()
        assert len(events) == 1
        after = json.loads(events[0].after)
        assert after["file"] == "native_small.jsonl" and len(after["sha256"]) == 64 and after["format"] == "jsonl"
        assert after["counts"]["statement"]["created"] == 3
        assert after["id_ranges"]["actors"] == [1, 6]


def test_export_is_valid_deterministic_and_round_trips(database: Any, tmp_path: Path, template_url: str,
                                                       backend: str) -> None:
    from claimtrack.formats import import_native

    with database.write() as session:
        import_native(session, NATIVE)
    first = export_text(database)
    assert first == export_text(database)
    check = validator()
    lines = first.splitlines()
    assert json.loads(lines[0]) == {"type": "claimtrack", "format_version": 1}
    for line in lines:
        check.validate(json.loads(line))
    document = json.loads(export_text(database, "json"))
    check.validate(document)
    assert [json.dumps(r, ensure_ascii=False) for r in document["records"]] == lines[1:]
    # export -> import into an empty database -> export: byte-identical
    other = _fresh_database(backend, template_url, tmp_path)
    try:
        exported = tmp_path / "export.jsonl"
        exported.write_text(first, encoding="utf-8")
        with other.write() as session:
            import_native(session, exported)
        assert export_text(other) == first
    finally:
        other.dispose()


def _fresh_database(backend: str, template_url: str, tmp_path: Path) -> Any:
    import shutil
    import uuid

    from claimtrack.db import Database
    from tests.conftest import pg_execute, pg_url_for

    if backend == "sqlite":
        path = tmp_path / f"other-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), path)
        return Database(f"sqlite:///{path}", user="tester")
    name = f"ct_{uuid.uuid4().hex[:16]}"
    template = template_url.rsplit("/", 1)[1].split("?")[0]
    pg_execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return Database(pg_url_for(name), user="tester")


def test_keyless_rows_get_readable_keys_on_export(database: Any) -> None:
    from tests import factories as f

    with database.write() as session:
        speaker = f.actor(session, "Leonid Volkov", aliases=("Leonid Volkoff",))
        claim = f.claim(session, "Police visited several dozen supporters", ("supporters visited", 30, "about"))
        f.statement(session, claim, speaker, quote="several dozen", said="2021-07-28")
        f.actor(session, "Leonid Volkov")  # a namesake: its generated key must differ
    records = [json.loads(line) for line in export_text(database).splitlines()[1:]]
    actors = [r for r in records if r["type"] == "actor"]
    assert [a["key"] for a in actors] == ["leonid-volkov", "leonid-volkov-2"]
    assert actors[0]["aliases"] == ["Leonid Volkoff"]
    claim_record = next(r for r in records if r["type"] == "claim")
    assert claim_record["key"] == "police-visited-several-dozen-supporters"
    assert claim_record["quantity"] == {"subject": "supporters visited", "value": 30, "bound": "about", "unit": None}
    statement = next(r for r in records if r["type"] == "statement")
    assert statement["speaker"] == "leonid-volkov" and statement["claim"] == claim_record["key"]


def test_claim_filter_exports_only_what_the_claim_needs(database: Any) -> None:
    from claimtrack.formats import import_native

    with database.write() as session:
        import_native(session, NATIVE)
    records = [json.loads(line) for line in export_text(database, claims=["police-visits-routine"]).splitlines()[1:]]
    assert [(r["type"], r.get("key")) for r in records] == [
        ("claim", "police-visits-routine"), ("statement", "reporter-voice")]


def test_dry_run_writes_nothing_and_reports_the_plan(cli: Any, snapshot: Any) -> None:
    before = snapshot()
    plan = cli.json("import", str(NATIVE), "--dry-run")
    assert plan["dry_run"] is True and plan["counts"]["statement"]["created"] == 3
    assert snapshot() == before


def test_json_document_import(cli: Any, tmp_path: Path) -> None:
    records = [json.loads(line) for line in NATIVE.read_text(encoding="utf-8").splitlines()[1:]]
    path = tmp_path / "small.json"
    path.write_text(json.dumps({"claimtrack_format": 1, "records": records}), encoding="utf-8")
    summary = cli.json("import", str(path))
    assert summary["format"] == "json" and summary["counts"]["hop"]["created"] == 1


def test_plain_summary_and_help(cli: Any) -> None:
    result = cli.ok("import", str(NATIVE))
    assert "created" in result.stdout and "statement" in result.stdout
    assert "--skip-bad" in cli.ok("import", "--help").stdout
    assert "--format" in cli.ok("export", "--help").stdout


def test_export_to_file_and_prov_is_registered(cli: Any, tmp_path: Path) -> None:
    from claimtrack.formats import EXPORTERS

    assert EXPORTERS["prov"] == "claimtrack.formats.prov:export_prov"
    cli.ok("import", str(NATIVE))
    out = tmp_path / "out.jsonl"
    cli.ok("export", "-o", str(out))
    assert out.read_text(encoding="utf-8").count("\n") == 17


@pytest.mark.parametrize("format", ["jsonl", "json"])
def test_empty_database_exports_empty_file(database: Any, format: str) -> None:
    text = export_text(database, format)
    assert text in ('{"type": "claimtrack", "format_version": 1}\n', '{"claimtrack_format": 1, "records": [\n\n]}\n')


def test_tiny_chunks_and_trimmed_maps_give_the_same_database(database: Any, tmp_path: Path, template_url: str,
                                                             backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat on huge files because maps are dropped after flushes; results must not change."""
    from claimtrack.formats import apply, import_file

    files = [(NATIVE, "jsonl"), (FIXTURES / "google_factcheck_small.json", "google-factcheck"),
             (FIXTURES / "liar_small.tsv", "liar"), (FIXTURES / "polnear_small.tsv", "polnear")]
    other = _fresh_database(backend, template_url, tmp_path)
    try:
        for path, format in files:
            with other.write() as session:
                import_file(session, path, format)
        monkeypatch.setattr(apply, "CHUNK_ITEMS", 2)
        monkeypatch.setattr(apply, "BATCH_ROWS", 1)
        monkeypatch.setattr(apply, "MAX_MAP_ENTRIES", 0)
        for path, format in files * 2:  # the second round must match everything
            with database.write() as session:
                summary = import_file(session, path, format)
        assert summary.id_ranges == {}
        assert export_text(database) == export_text(other)
    finally:
        other.dispose()


def test_import_native_from_a_stream_with_progress(database: Any) -> None:
    from claimtrack.formats import import_file, import_native

    with database.write() as session:
        summary = import_native(session, io.BytesIO(NATIVE.read_bytes()), source_name="demo.jsonl")
    assert summary.file == "demo.jsonl" and summary.sha256 is None and summary.created("statement") == 3
    calls: list[tuple[int, int | None]] = []
    lines = NATIVE.read_text(encoding="utf-8").splitlines()
    many = "\n".join(lines + [json.dumps({"type": "actor", "key": f"a{i}", "name": f"Person {i}"}) for i in range(1200)])
    with database.write() as session:
        import_file(session, io.BytesIO(many.encode()), "jsonl", progress=lambda done, total: calls.append((done, total)))
    assert len(calls) == 2 and calls[0][0] > 0


def test_failed_export_leaves_no_file(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = cli("export", "--format", "claimreview", "--claim", "nope", "-o", str(out))
    assert result.exit_code == 1 and "claim 'nope' not found" in result.stderr
    assert not out.exists() and not (tmp_path / "out.json.part").exists()


def test_import_event_ranges_cover_exactly_the_created_rows(database: Any) -> None:
    from sqlalchemy import func, select

    from claimtrack.formats import import_file
    from claimtrack.models import Base, Event

    with database.write() as session:
        import_file(session, NATIVE, "jsonl")
        summary = import_file(session, FIXTURES / "polnear_small.tsv", "polnear")
    with database.read() as session:
        after = json.loads(session.scalars(select(Event.after).where(Event.action == "import")
                                           .order_by(Event.id.desc())).first())
        assert after["id_ranges"] == summary.id_ranges and after["counts"]["statement"]["created"] == 4
        for table, (first, last) in after["id_ranges"].items():
            t = Base.metadata.tables[table]
            in_range = session.scalar(select(func.count()).select_from(t).where(t.c.id.between(first, last)))
            newer = session.scalar(select(func.count()).select_from(t).where(t.c.id >= first))
            assert in_range == last - first + 1 == newer
        kinds = {"statements": "statement", "claims": "claim", "hops": "hop", "documents": "document", "actors": "actor"}
        for table, kind in kinds.items():
            first, last = after["id_ranges"][table]
            assert last - first + 1 == after["counts"][kind]["created"]
