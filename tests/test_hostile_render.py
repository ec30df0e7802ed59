"""Text is data: every read command, in every output form, over a database seeded with hostile
strings (Rich markup, editorial brackets, ANSI/OSC escapes and hyperlinks, HTML, javascript:
links, bidi overrides, Arabic and Cyrillic) in every text field.

Each hostile string starts with a marker «tag». Wherever a marker appears in an output, the
whole string must follow it exactly, after undoing claimtrack.display.shown (terminal), md
(Markdown), or nothing (JSON: the stored text, exactly). Truncation is allowed only where a
command says so with "…". No raw control character may reach any output, and no live link.

The commands are listed from the Typer app itself: a new command must be put in READ (walked
here) or NOT_WALKED (with the reason), or the first test fails naming it.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from claimtrack.display import CONTROL_RE, FSI, PDI, unmd, unshown

PAYLOAD = ("He said [the president] was wrong [sic] [b]x[/b] [/] <script>alert(1)</script> "
           "[link=javascript:alert(1)]x[/link] \x1b]0;pwn\x07\x1b[2J \x1b]8;;http://e.vil/\x07a\x1b]8;;\x07 "
           "\u202eevil\u202c مرحبا Привет |*a_b*")
SHORT = "[/][b]\x1b[2J\u202eم<i>"


def hostile(tag: str, short: bool = False) -> str:
    return f"«{tag}»" + (SHORT if short else " " + PAYLOAD)  # at most 200 characters (label, key)


#: command path -> why this test does not walk it
NOT_WALKED = {
    "import": "writes (its messages are covered by the bad-input corpus)",
    "demo": "writes a demo database of its own data",
    "db upgrade": "writes the schema", "db downgrade": "writes the schema",
    "server status": "the command server's own figures (pid, counts, paths): no stored text",
    "server start": "starts the command server: no stored text", "server stop": "stops it: no stored text",
    "serve": "a server: tests/test_serve.py and test_browser.py walk its pages (same templates as --output html)",
    "actor add": "writes", "actor alias": "writes", "actor affiliate": "writes", "actor merge": "writes",
    "document add": "writes", "claim add": "writes", "claim link": "writes", "claim edit": "writes",
    "statement add": "writes", "statement retract": "writes", "hop add": "writes", "hop set-via": "writes",
    "verdict add": "writes", "verdict edit": "writes", "log": "writes", "audit ack": "writes",
    "extract": "reads a file, not the database; its table cells go through reports.text.user (tests/test_extract.py)",
    "suggest run": "writes", "suggest accept": "writes", "suggest reject": "writes",
    "suggest list": "needs a stored text to have rows; its cells go through reports.text.user (tests/test_suggest.py)",
    "document text": "prints the stored text exactly (offsets refer to it), controls escaped on a terminal",
    "log keygen": "writes a key file; shows no stored text",
    "log checkpoint": "prints a signed note of hashes and counts: no stored text",
    "log export": "JSON Lines of the events exactly as stored (machine-readable, escaped by JSON)",
    "claim retract": "writes", "claim unlink": "writes", "document retract": "writes", "hop retract": "writes",
    "verdict retract": "writes", "actor unaffiliate": "writes",
    "statement edit": "writes", "document edit": "writes", "hop edit": "writes", "actor edit": "writes",
    "actor edit-affiliation": "writes", "claim edit-relation": "writes",
    "claim merge": "writes", "claim unmerge": "writes", "document merge": "writes", "document unmerge": "writes",
    "history hop": "shows before/after JSON like history document, which is walked",
    "history affiliation": "shows before/after JSON like history document, which is walked",
    "history relation": "shows before/after JSON like history document, which is walked",
    "shell": "runs the other commands (what they print is theirs); its own lines go through say()",
}


def all_commands() -> dict[str, list[str]]:
    """Every command path of the app (a group that runs itself counts), with its parameter names."""
    import typer.main

    from claimtrack.cli.app import app

    found: dict[str, list[str]] = {}

    def walk(command: Any, path: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            if path and getattr(command, "invoke_without_command", False):
                found[" ".join(path)] = [p.name for p in command.params]
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = [p.name for p in command.params]

    walk(typer.main.get_command(app), [])
    return found


def seed(database: Any) -> dict[str, Any]:
    """Hostile strings in every text field a report, listing or tree shows."""
    from claimtrack.services.acknowledgements import acknowledge_problem
    from claimtrack.services.edits import edit_claim
    from tests import factories as f

    with database.write() as s:
        speaker = f.actor(s, hostile("speaker"), aliases=(hostile("alias"),), key="speaker-key",
                          description=hostile("description"))
        other = f.actor(s, hostile("other"))
        outlet = f.actor(s, hostile("outlet"), kind="outlet")
        agency = f.actor(s, hostile("agency"), kind="outlet")
        vague = f.actor(s, hostile("vague"), kind="unspecified")
        reviewer = f.actor(s, hostile("reviewer"), kind="organization")
        f.affiliation(s, speaker, other, hostile("role"))
        claim = f.claim(s, hostile("claim"), quantity=(hostile("subject"), 3000, "more_than"),
                        unit=hostile("unit", short=True), key="claim-key")
        rival = f.claim(s, hostile("rival"), quantity=(hostile("subject"), 50, "exact"))
        f.relation(s, claim, rival, note=hostile("note"))
        said = f.statement(s, claim, speaker, "asserts", quote=hostile("quote"), said="2021-07-28",
                           cue=hostile("cue"), channel=hostile("channel", short=True), context=hostile("context"))
        denial = f.statement(s, claim, other, "denies", quote=hostile("denial"), said="2021-07-29")
        anonymous = f.statement(s, claim, None, "asserts", speaker_descriptor=hostile("descriptor"),
                                said="2021-07-30")
        retracted = f.statement(s, rival, speaker, "asserts", quote=hostile("retracted"), said="2021-08-01",
                                status="retracted", status_reason=hostile("reason"))
        wire = f.document(s, agency, url="https://wire.example/a?q=%3Cscript%3E", title=hostile("wire"),
                          published="2021-07-28")
        paper = f.document(s, outlet, url="http://paper.example/[sic]", title=hostile("title"),
                           published="2021-07-29", archive_url="javascript:alert(1)")
        first = f.hop(s, wire, said, cue=hostile("hopcue"), quote=hostile("hopquote"), is_primary=False)
        f.hop(s, paper, said, via_hop=first, via_actor=vague, cue=hostile("viacue"))
        f.hop(s, paper, denial)
        f.hop(s, paper, anonymous)
        f.hop(s, paper, retracted)
        f.verdict(s, claim, hostile("label"), reviewer, reviewed="2021-08-02", rating_value=1, best=5, worst=1,
                  url="javascript:alert(1)", explanation=hostile("explanation"))
        f.verdict(s, claim, hostile("label2"), reviewer, reviewed="2021-08-03", rating_value=5, best=5, worst=1, evidence_urls=["javascript:alert(1)"])
        ids = {"claim": claim.id, "rival": rival.id, "speaker": speaker.id, "outlet": outlet.id,
               "statement": said.id, "document": paper.id, "wire": wire.id}
    with database.write() as s:
        from claimtrack.models import Claim

        edit_claim(s, s.get(Claim, ids["rival"]), expect_version=1, text=hostile("edited"))
        from claimtrack.checks import Scope, run_audit

        key = next(p.key for p in run_audit(s, Scope(), ["vague-source"]))
        acknowledge_problem(s, key, hostile("ack"))
    with database.read() as s:
        from claimtrack.models import Verdict

        ids["verdict"] = s.query(Verdict.id).first()[0]
    return ids


TAGS = re.compile(r"«([a-z0-9]+)»")


def check_literals(text: str, where: str) -> int:
    """Every marker in `text` is followed by its whole hostile string (or a prefix and "…")."""
    found = 0
    for match in TAGS.finditer(text):
        tag = match.group(1)
        if text.startswith(("-]", "+}"), match.end()):
            continue  # quote drift shows a word diff ("[-«quote»-] {+«hopquote»+} He said …")
        if match.group() == text:
            continue  # ... and in JSON, the list of words that differ
        for expected in (hostile(tag), hostile(tag, short=True)):
            got = text[match.start():match.start() + len(expected)]
            if got == expected:
                break
            # "…"-truncation, as history does for long values, keeps an exact prefix
            cut = text.find("…", match.start(), match.start() + len(expected))
            if cut > match.start() + len(tag) + 2 and expected.startswith(text[match.start():cut]):
                break
        else:
            pytest.fail(f"{where}: «{tag}» text altered: {text[match.start():match.start() + 400]!r}")
        found += 1
    return found


def check_no_raw_controls(text: str, where: str) -> None:
    bad = CONTROL_RE.search(text.replace(FSI, "").replace(PDI, ""))
    assert bad is None, f"{where}: raw control {bad.group()!r} near {text[max(0, bad.start() - 40):bad.end() + 20]!r}"
    assert text.count(FSI) == text.count(PDI), f"{where}: unbalanced isolates"


def json_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


def argv_for(ids: dict[str, Any]) -> dict[str, list[list[str]]]:
    """The read commands and the arguments that make them show the seeded objects."""
    c, sp, ou, st, doc = ids["claim"], ids["speaker"], ids["outlet"], ids["statement"], ids["document"]
    return {
        "stats": [[]],
        "search": [["president"], ["Привет"]],
        "conflicts": [[], ["--claim", str(c)]],
        "chain": [[f"document:{doc}"], [f"statement:{st}"], [f"document:{ids['wire']}"]],
        "export": [["--format", fmt] for fmt in ("jsonl", "json", "claimreview", "prov")],
        "db current": [[]],
        "db check": [[]],
        "actor show": [[str(sp)], [str(ou)]],
        "actor list": [[]],
        "document show": [[str(doc)], [str(ids["wire"])]],
        "document list": [[]],
        "claim show": [[str(c)], [str(ids["rival"])]],
        "claim list": [[]],
        "statement show": [[str(st)]],
        "verdict list": [[]],
        # the seeded rows were written without events, so the data check (which names only
        # tables and ids) would fail: the chain check is what shows stored text here
        "log verify": [["--chain-only"]],
        "log show": [[]],
        "report claim": [[str(c)], [str(ids["rival"])]],
        "report speaker": [[str(sp)]],
        "report outlet": [[str(ou)]],
        "report timeline": [[], ["--claim", str(c)]],
        "audit": [["--fail-on", "never", "--all"]],
        "history claim": [[str(ids["rival"])], [str(c)]],
        "history statement": [[str(st)]],
        "history actor": [[str(sp)]],
        "history verdict": [[str(ids["verdict"])]],
        "history document": [[str(doc)]],
    }


def test_every_command_is_walked_or_excused(db_url):
    walked = set(argv_for({k: 1 for k in ("claim", "speaker", "outlet", "statement", "document", "wire",
                                          "rival", "verdict")}))
    missing = sorted(set(all_commands()) - walked - set(NOT_WALKED))
    assert not missing, f"commands neither walked by the hostile-text test nor excused: {missing}"


def _modes(params: list[str], command: str) -> list[str]:
    if command == "export":
        return ["data"]
    modes = ["text"]
    if "as_json" in params or "json_output" in params:
        modes.append("json")
    if "markdown" in params:
        modes.append("markdown")
    if "output" in params:
        modes += ["html", "svg"]
    return modes


def test_hostile_text_survives_every_read_command(cli, database, tmp_path, monkeypatch):
    from claimtrack.cli import output

    # wide enough that no cell wraps a hostile string (wrapping is layout, not loss)
    monkeypatch.setattr(output.console, "width", 8000)
    monkeypatch.setattr(output.err_console, "width", 8000)
    ids = seed(database)
    commands = all_commands()
    seen_tags: set[str] = set()
    for command, variants in argv_for(ids).items():
        for args in variants:
            for mode in _modes(commands[command], command):
                argv = [*command.split(), *args]
                out_file: Path | None = None
                if mode == "json":
                    argv.append("--json")
                elif mode == "markdown":
                    argv.append("--markdown")
                elif mode in ("html", "svg"):
                    out_file = tmp_path / f"{command.replace(' ', '-')}-{len(list(tmp_path.iterdir()))}.{mode}"
                    argv += ["--output", str(out_file)]
                where = f"`claimtrack {' '.join(argv)}`"
                result = cli(*argv)
                assert result.exit_code == 0, f"{where} exited {result.exit_code}: {result.stderr[-800:]}"
                assert "Traceback" not in result.stdout + result.stderr, where
                for stream in (result.stdout, result.stderr):
                    if mode != "data":  # an export is the data itself (JSON, JSON-LD), exact
                        check_no_raw_controls(stream, where)
                if mode in ("json", "data"):
                    texts = ([json.loads(line) for line in result.stdout.splitlines() if line.strip()]
                             if command == "export" and "jsonl" in args else [json.loads(result.stdout)])
                    for value in texts:
                        for string in json_strings(value):
                            check_literals(string, where)
                            seen_tags.update(TAGS.findall(string))
                elif mode == "markdown":
                    check_literals(unmd(result.stdout), where)
                    assert "](javascript" not in result.stdout, where
                else:
                    plain = unshown(result.stdout)
                    check_literals(plain, where)
                    seen_tags.update(TAGS.findall(plain))
                if out_file is not None:
                    check_export(out_file, where)
    # every seeded field was shown somewhere (so the walk really looked at them)
    expected = {"speaker", "alias", "other", "outlet", "agency", "vague", "reviewer", "role", "claim",
                "subject", "unit", "rival", "quote", "cue", "channel", "descriptor", "denial", "reason",
                "wire", "title", "hopcue", "hopquote", "viacue", "label", "label2", "explanation", "edited",
                "ack", "note", "description", "context"}
    assert expected <= seen_tags, f"never shown by any command: {sorted(expected - seen_tags)}"


def check_export(path: Path, where: str) -> None:
    data = path.read_text(encoding="utf-8")
    check_no_raw_controls(data, f"{where} ({path.suffix})")
    assert "<script>" not in data and "<script " not in data.replace("<script>", ""), where
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", data, re.IGNORECASE), f"{where}: live javascript: link"
    if path.suffix == ".html":
        links = re.findall(r"""href\s*=\s*["']([^"']*)["']""", data)
        assert all(h.startswith(("http://", "https://", "#", "/")) for h in links), f"{where}: {links}"
        assert "<bdi" in data, f"{where}: user strings are not isolated"
        text = html.unescape(re.sub(r"<[^>]+>", "", data))
        check_literals(unshown(text), f"{where} (.html)")
