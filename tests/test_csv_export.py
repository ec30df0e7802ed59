"""`export --format csv`: a sheet for editors that comes back in with the documented mapping."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

DEMO = Path(__file__).resolve().parent.parent / "claimtrack" / "data" / "demo.jsonl"


def _mapping(tmp_path: Path) -> Path:
    from claimtrack.formats.csv_export import CLAIMTRACK_CSV_MAPPING

    path = tmp_path / "claimtrack-csv.toml"
    path.write_text(CLAIMTRACK_CSV_MAPPING, encoding="utf-8")
    return path


def test_csv_export_round_trips_through_the_documented_mapping(cli: Any, tmp_path: Path, db_url: str) -> None:
    from tests.conftest import Cli

    cli.ok("import", str(DEMO))
    cli.ok("verdict", "add", "1", "--label", "mostly true", "--reviewer", "Example Checks",
           "--url", "https://checks.example.org/1", "--value", "4", "--best", "5", "--worst", "1", "--new",
           "--reviewed", "March 2024")
    first = cli.ok("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(first)))
    assert rows and {"claim", "speaker", "role", "stance", "quote", "said", "outlet", "title", "url", "verdict",
                     "status"} <= set(rows[0])
    assert any(r["role"] for r in rows) and any(r["verdict"] for r in rows) and any(r["anonymous"] for r in rows)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(first, encoding="utf-8", newline="")
    # a second, empty database of the same backend
    other_url = f"sqlite:///{tmp_path / 'other.db'}" if db_url.startswith("sqlite") else None
    if other_url is None:
        import uuid

        from tests.conftest import pg_execute, pg_url_for

        name = f"ct_{uuid.uuid4().hex[:16]}"
        pg_execute(f"CREATE DATABASE {name}")
        other_url = pg_url_for(name)
    other = Cli(other_url)
    other.ok("db", "upgrade")
    summary = other.json("import", str(sheet), "--format", "csv", "--mapping", str(_mapping(tmp_path)))
    assert summary["rejected"] == 0
    assert other.ok("export", "--format", "csv").stdout == first
    if not db_url.startswith("sqlite"):
        from claimtrack.db import Database
        from tests.conftest import pg_drop_database

        Database(other_url).dispose()
        pg_drop_database(other_url.rsplit("/", 1)[1])


def test_csv_export_bom_and_standard_output(cli: Any, tmp_path: Path) -> None:
    cli.ok("import", str(DEMO))
    out = tmp_path / "sheet.csv"
    cli.ok("export", "--format", "csv", "--bom", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfclaim,speaker,")
    # (the test runner's stdout reads \r\n as \n)
    assert cli.ok("export", "--format", "csv", "-o", "-").stdout == data[3:].decode("utf-8").replace("\r\n", "\n")
    # Excel's BOM does not get in the way of importing it (dry run: a sheet carries no keys, so
    # into the database it came from it would add copies; see docs/formats.md)
    summary = cli.json("import", str(out), "--format", "csv", "--mapping", str(_mapping(tmp_path)), "--dry-run")
    assert summary["rejected"] == 0 and summary["counts"]["claim"]["created"] == 0


def test_bom_only_for_csv(cli: Any) -> None:
    result = cli("export", "--format", "jsonl", "--bom")
    assert result.exit_code == 2 and "--bom only applies to --format csv" in result.stderr


def test_the_documented_mapping_is_the_one_the_export_needs() -> None:
    import tomllib

    from claimtrack.formats.csv_export import CLAIMTRACK_CSV_MAPPING

    docs = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    block = docs.split("# claimtrack-csv.toml\n", 1)[1].split("```", 1)[0]
    assert tomllib.loads(block) == tomllib.loads(CLAIMTRACK_CSV_MAPPING)
