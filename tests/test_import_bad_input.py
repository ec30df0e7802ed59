"""Every bad input named in issue 9: one clear message on stderr, exit 1, database unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
NATIVE_LINES = (FIXTURES / "native_small.jsonl").read_text(encoding="utf-8").splitlines()


def refused(cli: Any, snapshot: Any, *args: str) -> str:
    """Run an import that must fail; return stderr after checking nothing was written."""
    before = snapshot()
    result = cli("import", *args)
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert snapshot() == before
    return " ".join(result.stderr.split())


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_malformed_json_line_names_file_line_and_column(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    lines = NATIVE_LINES[:4] + ['{"type": "claim", "key": "x", "text": "oops",, }'] + NATIVE_LINES[4:]
    path = write(tmp_path, "bad.jsonl", "\n".join(lines) + "\n")
    message = refused(cli, snapshot, path)
    assert "Error: bad.jsonl, line 5: column 46: malformed JSON" in message


def test_truncated_file(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    text = "\n".join(NATIVE_LINES)
    path = write(tmp_path, "cut.jsonl", text[: text.rindex('"label"') + 5])
    message = refused(cli, snapshot, path, "--format", "jsonl")
    assert f"cut.jsonl, line {len(NATIVE_LINES)}: column" in message and "malformed JSON" in message


def test_truncated_json_document(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "cut.json", '{"claimtrack_format": 1, "records": [\n{"type": "claim", "text": "a"},\n')
    message = refused(cli, snapshot, path, "--format", "json")
    assert "cut.json, line 3, column 1: malformed JSON" in message


def test_liar_wrong_column_count(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    rows = (FIXTURES / "liar_small.tsv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].rsplit("\t", 2)[0]
    path = write(tmp_path, "liar.tsv", "\n".join(rows) + "\n")
    message = refused(cli, snapshot, path, "--format", "liar")
    assert "liar.tsv, line 2: 12 tab-separated fields; a LIAR row has 14" in message


def test_unknown_stance_in_native_and_emergent(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    lines = [line.replace('"stance": "asserts"', '"stance": "deny"') for line in NATIVE_LINES]
    message = refused(cli, snapshot, write(tmp_path, "s.jsonl", "\n".join(lines) + "\n"))
    assert "s.jsonl, line 12: statement 'ovd-info-at-least-20': unknown stance 'deny'; expected one of: asserts" in message
    csv_text = (FIXTURES / "emergent_small.csv").read_text(encoding="utf-8").replace(",observing,", ",neutral,")
    message = refused(cli, snapshot, write(tmp_path, "e.csv", csv_text))
    assert "e.csv, line 4: unknown stance 'neutral'; expected one of: for, against, observing" in message


def test_unknown_liar_label(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    text = (FIXTURES / "liar_small.tsv").read_text(encoding="utf-8").replace("\thalf-true\t", "\thalf-truthy\t")
    message = refused(cli, snapshot, write(tmp_path, "l.tsv", text))
    assert "l.tsv, line 2: unknown label 'half-truthy'; expected one of: pants-fire, false" in message


def test_map_naming_a_missing_column(cli: Any, snapshot: Any) -> None:
    message = refused(cli, snapshot, str(FIXTURES / "sheet.csv"), "--format", "csv", "--map", "claim=Statement",
                      "--map", "speaker=Speaker")
    assert "sheet.csv, line 1: --map speaker=Speaker: there is no column 'Speaker'; the header has: Statement, Who" in message


def test_undecodable_bytes(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    data = ("\n".join(NATIVE_LINES[:3]) + "\n").encode() + b'{"type": "actor", "name": "Caf\xe9"}\n'
    message = refused(cli, snapshot, write(tmp_path, "latin1.jsonl", data), "--format", "jsonl")
    assert "latin1.jsonl, line 4: bytes are not UTF-8 text (byte 0xe9 at column 31)" in message
    rows = (FIXTURES / "liar_small.tsv").read_bytes().replace(b"Mayor", b"Ma\xffor")
    message = refused(cli, snapshot, write(tmp_path, "l.tsv", rows), "--format", "liar")
    assert "l.tsv, line 1: bytes are not UTF-8 text" in message


# Several cases share one database each (a fresh PostgreSQL database per case costs seconds).


def test_empty_file(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    for content, expected in [("", "empty.jsonl is empty: nothing to import"),
                              ("\n\n", "empty.jsonl contains no records: nothing to import"),
                              ('{"type": "claimtrack", "format_version": 1}\n', "empty.jsonl contains no records")]:
        message = refused(cli, snapshot, write(tmp_path, "empty.jsonl", content), "--format", "jsonl")
        assert expected in message


def test_file_in_another_format_than_format_says(cli: Any, snapshot: Any) -> None:
    for fixture, given, actual in [
        ("liar_small.tsv", "jsonl", "liar"),
        ("native_small.jsonl", "liar", "jsonl"),
        ("claimreview_single.json", "google-factcheck", "claimreview"),
        ("google_factcheck_small.json", "claimreview", "google-factcheck"),
        ("emergent_small.csv", "polnear", "emergent"),
    ]:
        message = refused(cli, snapshot, str(FIXTURES / fixture), "--format", given)
        assert f"{fixture}, line 1: looks like" in message and f"use --format {actual}" in message


def test_auto_refuses_to_guess(cli: Any, snapshot: Any) -> None:
    message = refused(cli, snapshot, str(FIXTURES / "sheet.csv"))
    assert "cannot tell the format of sheet.csv" in message


def test_unknown_reference_and_unknown_field(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    lines = ['{"type": "statement", "claim": "nope", "stance": "asserts"}']
    message = refused(cli, snapshot, write(tmp_path, "r.jsonl", "\n".join(lines) + "\n"), "--format", "jsonl")
    assert "r.jsonl, line 1: statement: claim 'nope' is not the key of a claim earlier in the file or in the database" in message
    message = refused(cli, snapshot, write(tmp_path, "f.jsonl", '{"type": "actor", "name": "A", "nmae": "B"}\n'))
    assert "f.jsonl, line 1: actor: unknown field 'nmae' in a actor record" in message


def test_skip_bad_keeps_going_and_writes_rejects(cli: Any, tmp_path: Path) -> None:
    lines = list(NATIVE_LINES)
    lines.insert(3, "{broken")
    lines = [line.replace('"stance": "did_not_respond"', '"stance": "shrugs"') for line in lines]
    path = write(tmp_path, "mixed.jsonl", "\n".join(lines) + "\n")
    rejects = tmp_path / "rejects.jsonl"
    summary = cli.json("import", path, "--skip-bad", str(rejects))
    assert summary["rejected"] == 2 and summary["rejects_file"] == str(rejects)
    assert summary["counts"]["statement"] == {"created": 2, "matched": 0, "skipped": 1}
    rejected = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in rejected] == [4, 14]
    assert "malformed JSON" in rejected[0]["reason"] and rejected[0]["record"] == "{broken"
    assert "unknown stance 'shrugs'" in rejected[1]["reason"]
    assert rejected[1]["record"]["key"] == "interior-ministry-no-response"


def test_bad_usage_exits_2(cli: Any) -> None:
    assert cli("import", str(FIXTURES / "sheet.csv"), "--format", "csv").exit_code == 2
    assert cli("import", str(FIXTURES / "sheet.csv"), "--map", "claimz=Statement").exit_code == 2
    assert cli("export", "--format", "xml").exit_code == 2


def test_json_documents_name_the_record(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    document = {"claimtrack_format": 1, "records": [{"type": "claim", "text": "a"}, {"type": "claim"}]}
    message = refused(cli, snapshot, write(tmp_path, "doc.json", json.dumps(document)))
    assert "doc.json, record 2: claim: text is required" in message
    google = {"claims": [{"text": "x", "claimReview": [{"url": "https://e.org/1"}]}]}
    message = refused(cli, snapshot, write(tmp_path, "g.json", json.dumps(google)), "--format", "google-factcheck")
    assert "g.json, entry 1: review 1: textualRating is missing" in message


CLAIM_C = '{"type": "claim", "key": "c", "text": "Some claim"}'


INVALID_RECORDS = [
    (['{"type": ["claim"], "text": "a"}'], "line 1: unknown record type ['claim']; expected one of: actor"),
    (['{"type": "claim", "text": 5}'], "line 1: claim: text must be text, got 5"),
    (['["claim"]'], "line 1: expected a JSON object (a record), got list"),
    ([CLAIM_C, '{"type": "statement", "claim": "c", "stance": "asserts", "said": "2999-01-01"}'],
     "line 2: statement: said: 2999-01-01 is in the future"),
    ([CLAIM_C, '{"type": "verdict", "claim": "c", "label": "x", "rating_value": 9, "best": 5, "worst": 1}'],
     "line 2: verdict: rating_value 9.0 lies outside the scale 1.0..5.0"),
]


def test_invalid_records(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    for lines, expected in INVALID_RECORDS:
        message = refused(cli, snapshot, write(tmp_path, "r.jsonl", "\n".join(lines) + "\n"), "--format", "jsonl")
        assert f"r.jsonl, {expected}" in message


def test_missing_file(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    message = refused(cli, snapshot, str(tmp_path / "nope.jsonl"), "--format", "jsonl")
    assert "nope.jsonl: no such file" in message
