"""CSV as fact-checkers keep it: no header, other delimiters, BOM, value maps, chain columns,
more statement fields, mapping files, dry-run preview and grouped failure reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def _records(cli: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in cli.ok("export").stdout.splitlines()[1:]]


def _of(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == kind]


def test_no_header_columns_by_number_semicolons_and_bom(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes("\ufeffx;Jane Doe;asserts;The budget doubled;y\nx;John Roe;denies;Taxes fell;y\n".encode())
    summary = cli.json("import", str(path), "--format", "csv", "--no-header", "--map", "claim=4",
                       "--map", "speaker=2", "--map", "stance=3")
    assert summary["counts"]["statement"]["created"] == 2
    records = _records(cli)
    assert sorted(c["text"] for c in _of(records, "claim")) == ["Taxes fell", "The budget doubled"]
    assert sorted(s["stance"] for s in _of(records, "statement")) == ["asserts", "denies"]


def test_pipe_delimiter_is_detected_and_bom_header_names_match(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "sheet.txt"
    path.write_bytes("\ufeffClaim|Who\nThe budget doubled|Jane Doe\n".encode())
    summary = cli.json("import", str(path), "--format", "csv", "--map", "claim=Claim", "--map", "speaker=Who")
    assert summary["counts"]["actor"]["created"] == 1


def test_column_number_out_of_range_is_an_error(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("a,b\nc,d\n", encoding="utf-8")
    before = snapshot()
    result = cli("import", str(path), "--format", "csv", "--no-header", "--map", "claim=9")
    assert result.exit_code == 1
    assert "--map claim=9: there is no column 9; the first row has 2 columns" in result.stderr
    result = cli("import", str(path), "--format", "csv", "--no-header", "--map", "claim=Claim")
    assert result.exit_code == 1 and "without a header, name columns by number (1 to 2)" in result.stderr
    assert snapshot() == before


def test_value_maps_and_an_unmapped_value(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "fnc.csv"
    path.write_text("Headline,Stance\nA claim,agree\nB claim,Disagree\nC claim,discuss\nD claim,unrelated\n",
                    encoding="utf-8")
    args = ["import", str(path), "--format", "csv", "--map", "claim=Headline", "--map", "stance=Stance",
            "--values", "stance=agree:confirms,disagree:disputes,discuss:reports"]
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 1
    assert "line 5" in result.stderr
    assert "stance 'unrelated' is not in the value map --values stance=agree:confirms,disagree:disputes," \
           "discuss:reports" in result.stderr
    assert snapshot() == before
    rejects = tmp_path / "rejects.jsonl"
    cli.ok(*args, "--skip-bad", str(rejects))
    assert sorted(s["stance"] for s in _of(_records(cli), "statement")) == ["confirms", "disputes", "reports"]


def test_bad_values_option_is_a_usage_error(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Headline\nA claim\n", encoding="utf-8")
    before = snapshot()
    for bad, said in (("stance", "is not FIELD=VALUE:WORD"), ("mood=a:b", "unknown field 'mood'"),
                      ("stance=agree", "is not VALUE:WORD")):
        result = cli("import", str(path), "--format", "csv", "--map", "claim=Headline", "--values", bad)
        assert result.exit_code == 2, result.stderr
        assert said in result.stderr
    assert snapshot() == before


def test_verdict_labels_through_a_value_map(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    path.write_text("Claim,Rating\nA claim,F\nB claim,T\n", encoding="utf-8")
    cli.ok("import", str(path), "--format", "csv", "--map", "claim=Claim", "--map", "verdict=Rating",
           "--values", "verdict=F:false,T:true")
    assert sorted(v["label"] for v in _of(_records(cli), "verdict")) == ["false", "true"]


CHAIN = (
    "Claim,Speaker,Outlet,URL,Via,Cited URL,Cited outlet,Cited title,Cited published,Cited author,Primary\n"
    "Police detained 3000,OVD-Info,Daily A,https://a.example/1,,https://wire.example/x,Wire,Dispatch,"
    "2021-01-23,Jane Wire,no\n"
    "Police detained 3000,OVD-Info,Daily B,https://b.example/1,,https://wire.example/x,Wire,Dispatch,"
    "2021-01-23,Jane Wire,no\n"
    "Police detained 3000,OVD-Info,Daily C,https://c.example/1,AFP,,,,,,\n"
)
CHAIN_MAP = ["--format", "csv", "--map", "claim=Claim", "--map", "speaker=Speaker", "--map", "outlet=Outlet",
             "--map", "url=URL", "--map", "via=Via", "--map", "cited_url=Cited URL",
             "--map", "cited_outlet=Cited outlet", "--map", "cited_title=Cited title",
             "--map", "cited_published=Cited published", "--map", "cited_author=Cited author",
             "--map", "primary=Primary"]


def test_chain_columns_make_two_documents_and_two_hops(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "chain.csv"
    path.write_text(CHAIN, encoding="utf-8")
    cli.ok("import", str(path), *CHAIN_MAP)
    records = _records(cli)
    documents = {d["url"]: d for d in _of(records, "document")}
    assert set(documents) == {"https://a.example/1", "https://b.example/1", "https://c.example/1",
                              "https://wire.example/x"}
    assert documents["https://wire.example/x"]["author"] == "Jane Wire"
    assert documents["https://wire.example/x"]["published"] == "2021-01-23"
    hops = _of(records, "hop")
    by_doc = {h["document"]: h for h in hops}
    assert len(hops) == 5  # a, b each with a cited hop (two on the wire document), c via AFP
    cited = [h for h in hops if h["document"] == "url:https://wire.example/x"]
    assert len(cited) == 2
    a_hop = by_doc["url:https://a.example/1"]
    assert a_hop["via_hop"] in {h["key"] for h in cited}
    assert by_doc["url:https://c.example/1"]["via_actor"] == "afp"
    # the chain tree of document A reaches the wire document
    chain = cli.ok("chain", "https://a.example/1").stdout
    assert "Wire: Dispatch" in chain and "first reported by Wire" in chain
    # the echo audit sees A and B as echoes of one dispatch: 4 documents, 2 origins (wire, AFP)
    (problem,) = [p for p in cli.json("audit", "--rule", "echo") if p["rule"] == "echo"]
    assert problem["details"]["documents"] == 4 and problem["details"]["independent_origins"] == 2


def test_chain_columns_without_a_report_are_a_row_error(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "chain.csv"
    path.write_text("Claim,Cited URL\nA claim,https://wire.example/x\n", encoding="utf-8")
    before = snapshot()
    result = cli("import", str(path), "--format", "csv", "--map", "claim=Claim", "--map", "cited_url=Cited URL")
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "the row has no report" in result.stderr
    assert snapshot() == before


def test_more_statement_fields(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Claim,Speaker,Anon,For,Cue,Kind,Channel,Said,Quote\n"
        "The leak came from an ally,Ivan Zhdanov,,Navalny team,told AFP,indirect,interview,23 January 2021,"
        "a former ally\n"
        "The ally denied it,a former ally,yes,,said,,,2021-01-24,\n",
        encoding="utf-8")
    cli.ok("import", str(path), "--format", "csv", "--map", "claim=Claim", "--map", "speaker=Speaker",
           "--map", "anonymous=Anon", "--map", "on_behalf_of=For", "--map", "cue=Cue", "--map", "quote_kind=Kind",
           "--map", "channel=Channel", "--map", "said=Said", "--map", "quote=Quote")
    statements = sorted(_of(_records(cli), "statement"), key=lambda s: s["said"])
    first, second = statements
    assert first["cue"] == "told AFP" and first["quote_kind"] == "indirect" and first["channel"] == "interview"
    assert first["said"] == "2021-01-23" and first["on_behalf_of"] == "navalny-team"
    assert second["speaker"] is None and second["speaker_descriptor"] == "a former ally"


MAPPING = '''\
delimiter = ";"
header = true
date_order = "DMY"

[map]
claim = "Titular"
stance = "Postura"
published = "Fecha"
outlet = "Medio"
url = "Enlace"

[values.stance]
a_favor = "asserts"
en_contra = "denies"
'''


def test_mapping_file_and_dry_run_preview(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    path = tmp_path / "sheet.csv"
    path.write_text("Titular;Postura;Fecha;Medio;Enlace\nEl alcalde mintió;a_favor;01/02/2021;El Diario;"
                    "https://diario.example/1\n", encoding="utf-8")
    before = snapshot()
    result = cli.ok("import", str(path), "--format", "csv", "--mapping", str(mapping), "--dry-run")
    assert "line 2:" in result.stdout and "stance='asserts'" in result.stdout
    assert "published='2021-02-01'" in result.stdout
    assert "Dry run: nothing was written." in result.stdout
    assert snapshot() == before
    summary = cli.json("import", str(path), "--mapping", str(mapping), "--dry-run")
    assert summary["preview"][0]["line"] == 2
    cli.ok("import", str(path), "--mapping", str(mapping))
    assert _of(_records(cli), "document")[0]["published"] == "2021-02-01"


@pytest.mark.parametrize(("content", "said"), [
    ("[map\nclaim = 1", "not TOML"),
    ("colour = 1\n[map]\nclaim = 1", "unknown key 'colour'"),
    ("[map]\nmood = 1", "map.mood: unknown field 'mood'"),
    ("date_order = \"DDMM\"\n[map]\nclaim = 1", "date_order must be one of: DMY, MDY, YMD"),
])
def test_bad_mapping_files(cli: Any, tmp_path: Path, snapshot: Any, content: str, said: str) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(content, encoding="utf-8")
    path = tmp_path / "s.csv"
    path.write_text("a\nb\n", encoding="utf-8")
    before = snapshot()
    result = cli("import", str(path), "--format", "csv", "--mapping", str(mapping))
    assert result.exit_code == 1
    assert said in result.stderr and "mapping.toml" in result.stderr
    assert snapshot() == before


def test_failure_summary_groups_reasons(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "sheet.csv"
    rows = ["Claim,Published,URL"]
    rows += [f"Claim {n},someday {n},https://x.example/{n}" for n in range(6)]
    rows += [f"Claim b{n},01/02/2021,https://y.example/{n}" for n in range(2)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["import", str(path), "--format", "csv", "--map", "claim=Claim", "--map", "published=Published",
            "--map", "url=URL"]
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 1
    assert "line 2:" in result.stderr
    assert "8 bad rows in all" in result.stderr
    assert "6 rows: published: 'someday 0' is not a date" in result.stderr
    assert "2 rows: published: '01/02/2021' is ambiguous" in result.stderr
    assert snapshot() == before
    summary = cli.json(*args, "--skip-bad", str(tmp_path / "rejects.jsonl"))
    assert [r["count"] for r in summary["reasons"]] == [6, 2]
    result = cli.ok(*args, "--skip-bad", str(tmp_path / "rejects2.jsonl"))
    assert "6 rows: published: 'someday 0' is not a date" in result.stdout


def test_import_from_standard_input(cli: Any) -> None:
    summary = cli.json("import", "-", "--format", "csv", "--map", "claim=Claim", input="Claim\nA claim\n")
    assert summary["file"] == "<stdin>" and summary["counts"]["claim"]["created"] == 1


def test_real_emergent_csv_with_a_value_map(cli: Any, shared_data: Path) -> None:
    path = shared_data / "emergent" / "url-versions-2015-06-14-clean.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    summary = cli.json("import", str(path), "--format", "csv", "--map", "claim=claimHeadline",
                       "--map", "title=articleHeadline", "--map", "stance=articleHeadlineStance",
                       "--values", "stance=for:asserts,against:denies,observing:reports")
    assert summary["rejected"] == 0
    assert summary["counts"]["statement"]["created"] > 2000
    stances = {s["stance"] for s in _of(_records(cli), "statement")}
    assert stances == {"asserts", "denies", "reports"}


def test_map_fields_match_the_reader() -> None:
    from claimtrack.cli.transfer import MAP_FIELDS
    from claimtrack.formats.csv_rows import FIELDS

    assert MAP_FIELDS == FIELDS


@pytest.mark.parametrize("url", ["https://example.com:8o8o/", "javascript:alert(1)", "http://[::1/"])
def test_malformed_urls_are_row_errors_and_option_errors(cli: Any, tmp_path: Path, snapshot: Any, url: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"Claim,URL\nA claim,{url}\n", encoding="utf-8")
    before = snapshot()
    result = cli("import", str(path), "--format", "csv", "--map", "claim=Claim", "--map", "url=URL")
    assert result.exit_code == 1 and "line 2" in result.stderr and "is not a web address" in result.stderr
    assert "Traceback" not in result.stderr
    result = cli("document", "add", "--url", url, "--title", "T")
    assert result.exit_code == 1 and "is not a web address" in result.stderr
    assert snapshot() == before
