"""Audit rule quote-not-in-document, and `log` warning at once when a quote is not in the text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimtrack.checks.quote_text import closest_passage, find_quote, quote_fold, quoted_parts

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://courier.example/harbour-board"
TEXT = (PAGES / "article.txt").read_text(encoding="utf-8")


def test_folding_ignores_quote_marks_dashes_spacing_and_case():
    assert quote_fold("“It’s  OVER” — he\nsaid")[0] == "it's over - he said"
    assert not find_quote('"there is NO plan and there has never   been a plan"', "direct", TEXT)
    assert not find_quote("“We measure the depth every year … as the law requires.”", "direct", TEXT)
    assert find_quote("There is no plan and there never was a plan", "direct", TEXT)


def test_mixed_quotes_check_only_their_quoted_words():
    assert quoted_parts('police had gone to "several dozen" people in "an act of terrorism"', "mixed") == [
        "several dozen", "an act of terrorism"]
    assert not find_quote('the chairwoman said there was "no plan" at all', "mixed", TEXT)
    assert find_quote('she said there was "no plan whatsoever"', "mixed", TEXT) == ["no plan whatsoever"]


def test_closest_passage_is_taken_from_the_text():
    passage = closest_passage("There is no plan and there never was a plan", TEXT)
    assert passage is not None and "There is no plan and there has never been a plan" in passage


def _logged(cli: Any, quote: str, kind: str = "direct", url: str = URL) -> Any:
    return cli("log", "--speaker", "Ana Ruiz", "--stance", "denies", "--quote", quote, "--quote-kind", kind,
               "--claim", "The harbour board plans to dredge the northern channel", "--outlet", "The Lakeside Courier",
               "--url", url, "--cue", "said", "--new", "--no-interactive")


def test_audit_finds_a_misquote_with_the_closest_passage(cli: Any):
    cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL)
    good = _logged(cli, "There is no plan and there has never been a plan")
    assert good.exit_code == 0 and "Warning" not in good.stderr
    bad = _logged(cli, "There is no plan and there never was a plan")
    assert bad.exit_code == 0, bad.stderr  # logged all the same: a warning, not a refusal
    assert "Warning: The quote is not in the text of" in bad.stderr
    assert "the closest passage is" in bad.stderr and "{+was+}" in bad.stderr
    problems = cli.json("audit", "--rule", "quote-not-in-document", "--fail-on", "never")
    [problem] = problems
    assert problem["rule"] == "quote-not-in-document" and problem["severity"] == "warning"
    assert problem["details"]["closest"] == "There is no plan and there has never been a plan"
    assert "[-has-]" in problem["details"]["diff"] and problem["details"]["version"] == 1
    text = cli.ok("audit", "--rule", "quote-not-in-document", "--fail-on", "never").stdout
    assert "quotes checked in 1 document(s) with stored text" in text


def test_documents_without_text_are_skipped_and_counted(cli: Any):
    assert _logged(cli, "Anything at all, it is not checked", url="https://courier.example/other").exit_code == 0
    result = cli("audit", "--rule", "quote-not-in-document", "--json")
    assert result.exit_code == 0 and result.stdout.strip() == "[]"
    assert "1 document(s) without stored text skipped (1 quote(s) not checked" in result.stderr


def test_a_new_version_of_the_text_is_what_is_checked(cli: Any, tmp_path: Path):
    cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL)
    assert _logged(cli, "There is no plan and there has never been a plan").exit_code == 0
    assert cli.json("audit", "--rule", "quote-not-in-document") == []
    changed = tmp_path / "v2.txt"
    changed.write_text(TEXT.replace("there has never been a plan", "there is none"), encoding="utf-8")
    cli.ok("document", "add", "--file", str(changed), "--url", URL)
    [problem] = cli.json("audit", "--rule", "quote-not-in-document", "--fail-on", "never")
    assert problem["details"]["version"] == 2
