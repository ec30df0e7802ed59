"""The extractor (claimtrack/extract): offsets, shapes, quotation marks, stance hints, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.extract import candidate_dicts, extract
from claimtrack.extract.text import quote_spans, split_fast, split_pysbd

PAGES = Path(__file__).parent / "fixtures" / "pages"


def _one(text: str, **match: object):
    found = [c for c in extract(text) if all(getattr(c, k) == v for k, v in match.items())]
    assert found, f"nothing matching {match} in {[(c.source, c.cue, c.content) for c in extract(text)]}"
    return found[0]


def _check_offsets(text: str) -> None:
    for c in extract(text):
        assert text[c.cue_span[0]:c.cue_span[1]] == c.cue
        if c.source is not None:
            assert c.source_span and text[c.source_span[0]:c.source_span[1]] == c.source
        if c.content is not None:
            assert c.content_span and text[c.content_span[0]:c.content_span[1]] == c.content
        assert 0 <= c.confidence <= 1


def test_postposed_direct_quote_and_its_continuation():
    text = "“There is no plan,” board chairwoman Ana Ruiz said. “We measure it every year.”\n"
    c = _one(text, cue="said")
    assert c.source == "board chairwoman Ana Ruiz"
    assert c.quote_kind == "direct"
    assert c.content.startswith("“There is no plan,”") and c.content.endswith("every year.”")
    assert c.content_parts is not None and len(c.content_parts) == 2


def test_preposed_indirect_and_that():
    c = _one("Journalist and activist Ilya Azar said on Facebook that his home was one of those visited.",
             cue="said")
    assert c.source == "Journalist and activist Ilya Azar"
    assert c.content == "that his home was one of those visited"
    assert c.quote_kind == "indirect"


def test_mixed_quote_and_coordinated_speakers():
    text = ("Ilya Azar said that his home was visited, while key Navalny aide Leonid Volkov said that police "
            "had gone to \"several dozen\" people.")
    azar = _one(text, source="Ilya Azar")
    assert azar.content == "that his home was visited"
    volkov = _one(text, source="key Navalny aide Leonid Volkov")
    assert volkov.quote_kind == "mixed"


def test_inverted_and_according_to():
    c = _one("“We will appeal,” said Jason Miller, a spokesman.", cue="said")
    assert c.source == "Jason Miller, a spokesman" and c.content == "“We will appeal,”"  # PolNeAR keeps the description
    a = _one("According to the fishermen's association, at least 12 boats moved.", cue="According to")
    assert a.source == "the fishermen's association"
    assert a.content == "at least 12 boats moved"
    b = _one("At least 12 boats moved, according to the harbour master.", cue="according to")
    assert b.source == "the harbour master" and b.content == "At least 12 boats moved"


def test_told_with_an_object():
    c = _one("The deputy minister held talks with the ambassador, ministry spokeswoman Maria Zakharova "
             "told state-run media on Monday.", cue="told")
    assert c.source == "ministry spokeswoman Maria Zakharova"
    assert c.content == "The deputy minister held talks with the ambassador"


@pytest.mark.parametrize("opening, closing", [("“", "”"), ("«", "»"), ("„", "“"), ("「", "」"), ("‹", "›"),
                                              ('"', '"')])
def test_quotation_marks_of_every_script(opening, closing):
    text = f"{opening}The vote was free and fair,{closing} the commission said."
    c = _one(text, cue="said")
    assert c.quote_kind == "direct"
    assert c.content == f"{opening}The vote was free and fair,{closing}"
    assert quote_spans(text) == [(0, len(c.content))]


def test_stance_hints():
    deny = _one("A former ally, who denied the claim, left the country.", cue="denied")
    assert deny.stance == "denies" and deny.source == "who"
    silent = _one("The interior ministry did not immediately respond to AFP requests for comment.")
    assert silent.stance == "did_not_respond" and silent.source == "The interior ministry"
    declined = _one("The embassy declined to comment.")
    assert declined.stance == "declines_to_comment"


def test_nested_attribution():
    text = "It added that one person said police asked him to write a report against the opposition."
    cands = extract(text)
    outer = next(i for i, c in enumerate(cands) if c.cue == "added")
    inner = next(c for c in cands if c.source == "one person")
    assert inner.nested_in == outer


def test_nouns_and_names_are_not_cues():
    assert not [c for c in extract("The United States led the talks, the state said.") if c.cue == "States"]
    assert not [c for c in extract("He rejected the claim that the report was late.") if c.cue in ("claim", "report")]


def test_offsets_on_non_ascii_text():
    text = "Ça va « très bien », a dit Zoë. 「東京は晴れ」, the agency said. Alexeï Navalny said that it was over.\n"
    _check_offsets(text)
    c = _one(text, source="Alexeï Navalny")
    assert text[c.content_span[0]:c.content_span[1]] == "that it was over"


def test_offsets_on_the_seed_reports(seeds_dir: Path):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        _check_offsets(text)
        assert extract(text) or path.name.startswith("002"), path.name


def test_offsets_on_polnear(shared_data: Path):
    texts = sorted((shared_data / "polnear" / "dev" / "text").glob("*.txt"))
    if not texts:
        pytest.skip("PolNeAR dev texts not found")
    for path in texts[:15]:
        _check_offsets(path.read_text(encoding="utf-8"))


def test_sentence_splitters_keep_offsets():
    text = "Mr. Smith said it was late. Gov. Jones agreed!\n\n“Why?” she asked. The U.S. team left."
    for spans in (split_fast(text), split_pysbd(text)):
        assert [text[a:b] for a, b in spans][:2] == ["Mr. Smith said it was late.", "Gov. Jones agreed!"]
        assert all(text[a:b].strip() == text[a:b] for a, b in spans)


def test_json_contract_keys():
    rows = candidate_dicts(extract("“No,” he said."))
    assert rows and set(rows[0]) >= {"source", "source_span", "cue", "cue_span", "content", "content_span",
                                     "quote_kind", "nested_in", "confidence", "stance"}
    assert rows[0]["cue_span"] == [9, 13] and rows[0]["source_span"] == [6, 8]


# --- the command ---------------------------------------------------------------------------------------

def _run(*args: str, input: bytes | str | None = None):
    from claimtrack.cli.app import app

    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def test_cli_extract_text_json_and_stdin():
    result = _run("extract", str(PAGES / "article.txt"), "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    text = (PAGES / "article.txt").read_text(encoding="utf-8")
    ruiz = next(r for r in rows if r["source"] == "board chairwoman Ana Ruiz")
    assert text[ruiz["content_span"][0]:ruiz["content_span"][1]] == ruiz["content"]
    assert any(r["stance"] == "did_not_respond" for r in rows)
    piped = _run("extract", "-", "--json", input=text.encode("utf-8"))
    assert json.loads(piped.stdout) == rows


def test_cli_extract_html_offsets_into_the_printed_text():
    shown = _run("extract", str(PAGES / "article.html"), "--print-text")
    assert shown.exit_code == 0
    assert "Subscribe" not in shown.stdout and "Home" not in shown.stdout  # boilerplate left out
    rows = json.loads(_run("extract", str(PAGES / "article.html"), "--json").stdout)
    text = shown.stdout
    for r in rows:
        assert text[r["cue_span"][0]:r["cue_span"][1]] == r["cue"]
    table = _run("extract", str(PAGES / "article.html"))
    assert "Ana Ruiz" in table.stdout


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "the file is empty"),
    ("blank.html", b"  \n\n", "the file is empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary data"),
    ("latin1.txt", "Le maire a déclaré".encode("latin-1"), "not UTF-8 (byte 12) and no charset declared"),
    ("latin1.html", b"<html><body><p>" + "Le maire a déclaré".encode("latin-1") + b"</p></body></html>",
     "not UTF-8"),
])
def test_cli_extract_bad_input(tmp_path: Path, name: str, data: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(data)
    result = _run("extract", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_extract_html_without_text_and_missing_file(tmp_path: Path):
    result = _run("extract", str(PAGES / "no-text.html"))
    assert result.exit_code == 1 and "no article text found" in result.stderr
    missing = _run("extract", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    folder = _run("extract", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr


def test_declared_charset_is_honoured(tmp_path: Path):
    body = "<p>" + "Le maire a déclaré que le pont était fermé depuis trois semaines. " * 6 + "</p>"
    page = f"<html><head><meta charset=\"windows-1252\"><title>Pont</title></head><body><article>{body}</article></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252"))
    result = _run("extract", str(path), "--print-text")
    assert result.exit_code == 0, result.stderr
    assert "déclaré" in result.stdout


def test_help_does_not_import_the_extractor():
    probe = ("import sys\nfrom claimtrack.cli.app import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
             "print('HEAVY:' + ','.join(m for m in ('claimtrack.extract', 'trafilatura', 'pysbd', 'htmldate') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False).stdout
    assert out.strip().splitlines()[-1] == "HEAVY:"
