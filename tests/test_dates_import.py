"""Dates in imported files and in options: every form, --date-order, errors naming the row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def _sheet(tmp_path: Path, dates: list[str]) -> Path:
    path = tmp_path / "sheet.csv"
    lines = ["Claim,Speaker,Published,URL"]
    for n, value in enumerate(dates):
        lines.append(f"Claim number {n},Speaker {n},{value},https://example.org/{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


MAP = ["--format", "csv", "--map", "claim=Claim", "--map", "speaker=Speaker", "--map", "published=Published",
       "--map", "url=URL"]


def _published(cli: Any) -> list[str]:
    lines = [json.loads(line) for line in cli.ok("export").stdout.splitlines()]
    return sorted(r["published"] for r in lines if r["type"] == "document" and r.get("published"))


def test_import_reads_every_date_form(cli: Any, tmp_path: Path) -> None:
    path = _sheet(tmp_path, ["2019-07-22 17:16:52", "20150113", "2025-04-28T19:23:46Z", "11 March 2024",
                             "March 2024", "23 de janeiro de 2021", "\"23. Januar 2021\""])
    cli.ok("import", str(path), *MAP)
    assert _published(cli) == ["2015-01-13", "2019-07-22", "2021-01-23", "2021-01-23", "2024-03", "2024-03-11",
                               "2025-04-28"]


def test_ambiguous_dates_name_the_row_and_write_nothing(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = _sheet(tmp_path, ["2021-01-05", "01/02/2021"])
    before = snapshot()
    result = cli("import", str(path), *MAP)
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "'01/02/2021' is ambiguous" in result.stderr
    assert "--date-order" in result.stderr
    assert snapshot() == before


def test_date_order_reads_numeric_dates(cli: Any, tmp_path: Path) -> None:
    path = _sheet(tmp_path, ["01/02/2021", "13/02/2021"])
    cli.ok("import", str(path), *MAP, "--date-order", "DMY")
    assert _published(cli) == ["2021-02-01", "2021-02-13"]


def test_date_order_rejects_a_date_not_in_that_order(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = _sheet(tmp_path, ["01/02/2021", "13/02/2021"])
    before = snapshot()
    result = cli("import", str(path), *MAP, "--date-order", "MDY")
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "not a date in MDY order" in result.stderr
    assert snapshot() == before


def test_bad_date_order_is_a_usage_error(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = _sheet(tmp_path, ["2021-01-05"])
    before = snapshot()
    result = cli("import", str(path), *MAP, "--date-order", "DDMM")
    assert result.exit_code == 2
    assert "--date-order" in result.stderr and "DMY, MDY, YMD" in result.stderr
    assert snapshot() == before


def test_options_take_written_dates_and_the_date_order_variable(cli: Any, snapshot: Any) -> None:
    cli.ok("document", "add", "--url", "https://example.org/a", "--title", "A", "--published", "23 January 2021")
    before = snapshot()
    result = cli("document", "add", "--url", "https://example.org/b", "--title", "B", "--published", "01/02/2021")
    assert result.exit_code != 0 and "ambiguous" in result.stderr
    assert snapshot() == before
    cli.ok("document", "add", "--url", "https://example.org/b", "--title", "B", "--published", "01/02/2021",
           env={"CLAIMTRACK_DATE_ORDER": "MDY"})
    assert _published(cli) == ["2021-01-02", "2021-01-23"]


def test_real_google_factcheck_timestamps_keep_their_day(cli: Any, shared_data: Path) -> None:
    path = shared_data / "claimreview" / "google_factcheck_api_ar.json"
    if not path.exists():
        pytest.skip(f"{path} not found")
    raw = json.loads(path.read_text(encoding="utf-8"))
    claims = raw if isinstance(raw, list) else raw["claims"]
    first = next(r for c in claims for r in c.get("claimReview", []) if r.get("reviewDate"))
    cli.ok("import", str(path))
    lines = [json.loads(line) for line in cli.ok("export").stdout.splitlines()]
    reviewed = {r["reviewed"] for r in lines if r["type"] == "verdict" and r.get("reviewed")}
    assert first["reviewDate"][:10] in reviewed
