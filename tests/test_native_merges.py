"""Merged claims and documents survive native export → import: the duplicate comes back merged
(pointing at its survivor, out of every count and list, resolving to the survivor), never as a
live, empty copy."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

DEMO = Path(__file__).resolve().parent.parent / "claimtrack" / "data" / "demo.jsonl"


@pytest.fixture
def other_url(backend: str, template_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty, migrated database of the same backend (the import target)."""
    from tests.conftest import pg_drop_database, pg_execute, pg_url_for

    if backend == "sqlite":
        path = tmp_path / "other.db"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    name = f"ct_{uuid.uuid4().hex[:16]}"
    template = template_url.rsplit("/", 1)[1].split("?")[0]
    pg_execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield pg_url_for(name)
    pg_drop_database(name)


def _merged_demo(cli: Cli) -> None:
    cli.ok("import", str(DEMO))
    cli.ok("verdict", "add", "3", "--label", "false", "--reviewer", "AFP")  # follows claim 3 into claim 2
    cli.ok("claim", "merge", "2", "3")
    cli.ok("document", "merge", "1", "5")


def _export(cli: Cli, path: Path) -> str:
    cli.ok("export", "--format", "jsonl", "-o", str(path))
    return path.read_text(encoding="utf-8")


def _strip(value: Any) -> Any:
    """Without what an export does not carry: the change log (history) and creation times."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("history", "created_at")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _views(cli: Cli) -> dict[str, Any]:
    stats = cli.json("stats")
    stats.pop("events")
    return _strip({
        "stats": stats,
        "claims": cli.json("claim", "list", "--limit", "0"),
        "documents": cli.json("document", "list", "--limit", "0"),
        "survivor": cli.json("claim", "show", "2"),
        "survivor_text": cli.ok("claim", "show", "2").stdout,
        "report": cli.json("report", "claim", "2"),
        "document": cli.json("document", "show", "1"),
        "conflicts": cli.json("conflicts"),
    })


def test_merges_survive_export_and_import_into_an_empty_database(cli: Cli, other_url: str, tmp_path: Path) -> None:
    _merged_demo(cli)
    first = _export(cli, tmp_path / "merged.jsonl")
    records = [json.loads(line) for line in first.splitlines()[1:]]
    merged = {(r["type"], r["key"]): r["merged_into"] for r in records if r.get("merged_into")}
    assert merged == {("claim", "visited-several-dozen"): "visited-at-least-20",
                      ("document", "franceinfo-london-exiles-2024-03"): "tnie-2021-07-28"}
    from tests.test_formats_native import validator

    check = validator()
    for record in records:
        check.validate(record)

    other = Cli(other_url)
    other.ok("import", str(tmp_path / "merged.jsonl"))
    assert _views(other) == _views(cli)
    assert _export(other, tmp_path / "again.jsonl") == first
    assert other.json("stats")["claims"] == 26 and other.json("stats")["documents"] == 4
    assert other.json("claim", "show", "3")["merged_into_id"] == 2
    assert "[MERGED into claim 2]" in other.ok("claim", "show", "3").stdout
    assert other.json("document", "show", "5")["merged_into_id"] == 1
    # the merged wording and the merged document's key resolve to their survivors
    other.ok("log", "--speaker", "Leonid Volkov", "--stance", "confirms",
             "--claim", "Moscow police visited several dozen Navalny supporters at home overnight",
             "--document", "franceinfo-london-exiles-2024-03", "--no-interactive")
    statement = other.json("statement", "show", "32")
    assert statement["claim_id"] == 2
    assert [h["document_id"] for h in statement["reported_in"]] == [1]


def test_export_import_export_with_merges_is_byte_identical(cli: Cli, other_url: str, tmp_path: Path) -> None:
    _merged_demo(cli)
    cli.ok("claim", "merge", "5", "4")  # survivor first (id 5 > 4): export writes claim 5 before claim 4
    cli.ok("document", "merge", "4", "2")
    cli.ok("claim", "retract", "5", "--reason", "the whole claim was a misreading")  # a survivor may be retired
    first = _export(cli, tmp_path / "first.jsonl")
    lines = first.splitlines()
    keys = [json.loads(line).get("key") for line in lines[1:]]
    by_key = {json.loads(line).get("key"): json.loads(line) for line in lines[1:]}
    loser = next(k for k, r in by_key.items() if r["type"] == "claim" and r.get("merged_into") and r["merged_into"] != "visited-at-least-20")
    assert keys.index(by_key[loser]["merged_into"]) < keys.index(loser)
    other = Cli(other_url)
    other.ok("import", str(tmp_path / "first.jsonl"))
    assert _export(other, tmp_path / "second.jsonl") == first
    assert other.json("stats")["claims"] == cli.json("stats")["claims"]
    assert other.json("stats")["retired"] == cli.json("stats")["retired"]


def test_claim_filtered_export_of_a_merged_claim_carries_its_survivor(cli: Cli, tmp_path: Path) -> None:
    _merged_demo(cli)
    cli.ok("export", "--format", "jsonl", "--claim", "3", "-o", str(tmp_path / "one.jsonl"))
    records = [json.loads(line) for line in (tmp_path / "one.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    claims = {r["key"]: r.get("merged_into") for r in records if r["type"] == "claim"}
    assert claims["visited-several-dozen"] == "visited-at-least-20" and "visited-at-least-20" in claims


def _refused(cli: Cli, snapshot: Any, path: Path) -> str:
    before = snapshot()
    result = cli("import", str(path))
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert snapshot() == before
    return " ".join(result.stderr.split())


BAD = [
    ([{"type": "claim", "key": "a", "text": "Police visited supporters", "merged_into": "nowhere"}],
     ("Error: bad.jsonl, line 2: claim 'a': merged_into 'nowhere' is not the key of a claim earlier in the file "
      "or in the database")),
    ([{"type": "claim", "key": "a", "text": "Police visited supporters", "merged_into": "a"}],
     "Error: bad.jsonl, line 2: claim 'a': merged_into 'a' names this claim itself"),
    ([{"type": "claim", "key": "b", "text": "Police visited some supporters"},
      {"type": "claim", "key": "a", "text": "Police visited supporters", "merged_into": "b", "status": "retracted",
       "status_reason": "typo"}],
     "Error: bad.jsonl, line 3: claim 'a': a merged claim cannot also be retracted (status)"),
    ([{"type": "claim", "key": "a", "text": "Police visited supporters", "merged_into": "b"},
      {"type": "claim", "key": "b", "text": "Police visited some supporters"}],
     "Error: bad.jsonl, line 2: claim 'a': merged_into 'b' is not the key of a claim earlier in the file"),
    ([{"type": "document", "key": "d", "title": "A report", "merged_into": "d"}],
     "Error: bad.jsonl, line 2: document 'd': merged_into 'd' names this document itself"),
    ([{"type": "document", "key": "d", "title": "A report", "merged_into": "e"}],
     "Error: bad.jsonl, line 2: document 'd': merged_into 'e' is not the key of a document earlier in the file"),
    ([{"type": "claim", "key": "b", "text": "Police visited some supporters"},
      {"type": "document", "key": "d", "title": "A report", "merged_into": "b"}],
     "Error: bad.jsonl, line 3: document 'd': merged_into 'b' is not the key of a document"),
]


@pytest.mark.parametrize(("records", "message"), BAD, ids=[m.split(": ", 3)[-1][:40] for _, m in BAD])
def test_bad_merged_into_is_a_record_error_and_nothing_is_written(cli: Cli, snapshot: Any, tmp_path: Path,
                                                                  records: list[dict[str, Any]], message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([json.dumps({"type": "claimtrack", "format_version": 1}),
                               *(json.dumps(r) for r in records)]) + "\n", encoding="utf-8")
    assert message in _refused(cli, snapshot, path)


def test_merged_into_may_name_a_claim_already_in_the_database(cli: Cli, tmp_path: Path) -> None:
    cli.ok("import", str(DEMO))
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({"type": "claim", "key": "dup", "text": "Moscow police visited 20 supporters",
                                "merged_into": "visited-at-least-20"}) + "\n", encoding="utf-8")
    cli.ok("import", str(path))
    shown = cli.json("claim", "show", "dup")
    assert shown["merged_into_id"] == 2
    assert cli.json("stats")["claims"] == 27 and cli.json("stats")["retired"]["claims"] == 1
