"""The text boundary (claimtrack.display, claimtrack.reports.text): user strings are words."""

from __future__ import annotations

import io
import json

import pytest
from rich.table import Table
from rich.text import Text

from claimtrack.display import FSI, PDI, escape_controls, isolate, md, shown, unmd, unshown
from claimtrack.reports.text import join, make_console, user

HOSTILE = ["He said [the president] was wrong [sic]", "[/]", "[bold]x[/bold]", "[link=javascript:alert(1)]x[/link]",
           "\x1b]0;title\x07", "\x1b[2J", "\x1b]8;;http://e.vil/\x07a\x1b]8;;\x07", "<script>alert(1)</script>",
           "\u202eevil", "محمد 2024-07-11", "a\u0085b\x7fc", "tab\tand\nnewline", "|*_`#~&!<br>"]


@pytest.mark.parametrize("text", HOSTILE)
def test_shown_and_md_round_trip(text):
    assert unshown(shown(text)) == text
    assert unmd(md(text)) == text
    for out in (shown(text), md(text)):
        assert not any(ch in out for ch in "\x1b\x07\x7f\x85\u202e")


def test_controls_are_escaped_visibly_tab_and_newline_kept():
    assert escape_controls("a\x1b[2Jb\x07\u202e\u2066\t\n") == "a\\x1b[2Jb\\x07\\u202e\\u2066\t\n"


def test_only_right_to_left_text_is_isolated():
    assert isolate("Navalny") == "Navalny"
    assert isolate("نافالني") == f"{FSI}نافالني{PDI}"
    assert isolate("١٢") == f"{FSI}١٢{PDI}"  # Arabic-Indic digits reorder too
    assert shown("x\u2068y") == "x\\u2068y"  # a stored isolate is escaped: raw ones are ours


def test_markdown_cannot_link_or_break_a_table():
    out = md("[x](javascript:alert(1)) | <script>\n# heading")
    assert "](" not in out.replace("\\](", "") and "\n" not in out
    assert "\\<script\\>" in out and "\\|" in out


def _render(*objects) -> str:
    buffer = io.StringIO()
    console = make_console(file=buffer, width=200)
    console.print(*objects)
    return buffer.getvalue()


def test_safe_console_shows_any_str_literally():
    table = Table(title="[bold]t[/]")
    table.add_column("[red]c[/]")
    table.add_row("[/] [sic] \x1b[2J")
    out = _render(table, "[link=javascript:x]y[/link]")
    assert "[bold]t[/]" in out and "[red]c[/]" in out and "[/] [sic] \\x1b[2J" in out
    assert "[link=javascript:x]y[/link]" in out and "\x1b" not in out


def test_safe_console_escapes_controls_a_renderer_forgot():
    out = _render(Text("raw \x1b]0;x\x07 \u202e"))  # built without user(): the net still holds
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b]0;x" in out


def test_join_never_parses_markup():
    assert join(("[bold]", "red"), user("[/]"), " [sic]").plain == "[bold][/] [sic]"


def test_error_message_with_markup_and_escapes(cli):
    result = cli("claim", "show", "[/] \x1b[2J")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") and "[/] \\x1b[2J" in result.stderr
    assert "\x1b" not in result.stderr


def test_editorial_brackets_survive_search(cli, monkeypatch):
    from claimtrack.cli import output

    monkeypatch.setattr(output.console, "width", 300)
    cli.ok("log", "--speaker", "Jane Roe", "--stance", "asserts", "--claim", "The president was wrong",
           "--quote", "He said [the president] was wrong [sic]", "--new", "--no-interactive")
    out = cli.ok("search", "president").stdout
    assert "He said [the president] was wrong [sic]" in " ".join(out.split())
    hits = json.loads(cli.ok("search", "president", "--json").stdout)
    assert any(h.get("quote") == "He said [the president] was wrong [sic]" for h in hits)
