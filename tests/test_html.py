"""HTML documents (`--output FILE.html`) and the SVG picture: semantic, isolated, escaped, local.

A claim argued in Arabic, Russian and English: each side's cells stay in their columns in DOM
order, every user string sits in `<bdi dir="auto">`, `<script>` in a quote is text, only
http(s) URLs are links, and nothing is loaded from elsewhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "wbr", "source"}

ARABIC_CLAIM = "الشرطة زارت أنصار نافالني في منازلهم ليلا"
ARABIC_SPEAKER = "ليونيد فولكوف"
CYRILLIC_SPEAKER = "Министерство внутренних дел"
ARABIC_LABEL = "زائف"
LATIN_REVIEWER = "Fact Desk"
SCRIPT_QUOTE = "<script>alert(1)</script> ليلا"


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and (cls is None or cls in (child.attrs.get("class") or "").split()):
                    found.append(child)
                found += child.all(tag, cls)
        return found


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


def seed_mixed(database: Any) -> int:
    from tests import factories as f

    with database.write() as s:
        volkov = f.actor(s, ARABIC_SPEAKER)
        ministry = f.actor(s, CYRILLIC_SPEAKER, kind="government")
        desk = f.actor(s, LATIN_REVIEWER, kind="organization")
        outlet = f.actor(s, "Новая газета", kind="outlet")
        claim = f.claim(s, ARABIC_CLAIM, language="ar")
        said = f.statement(s, claim, volkov, "asserts", quote=SCRIPT_QUOTE, said="2024-07-10")
        denied = f.statement(s, claim, ministry, "denies", quote="Это ложь", said="2024-07-11")
        doc = f.document(s, outlet, url="https://novaya.example/a", title="Полиция пришла ночью",
                         published="2024-07-11")
        f.hop(s, doc, said)
        f.hop(s, doc, denied)
        f.verdict(s, claim, ARABIC_LABEL, desk, reviewed="2024-07-11", url="javascript:alert(1)")
        f.verdict(s, claim, "False", desk, reviewed="2024-07-12", url="https://desk.example/check")
        return claim.id


def test_claim_report_html_is_a_document_with_cells_in_order(cli, database, tmp_path: Path):
    claim_id = seed_mixed(database)
    out = tmp_path / "claim.html"
    cli.ok("report", "claim", str(claim_id), "--output", str(out))
    html = out.read_text(encoding="utf-8")
    root = parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert root.all("html")[0].attrs["lang"] == "en"
    assert ARABIC_CLAIM in root.all("title")[0].text()
    h1 = root.all("h1")[0].all("bdi")[0]
    assert h1.attrs == {"dir": "auto", "lang": "ar"} and h1.text() == ARABIC_CLAIM

    # sides: a real table, supports first, then opposes, then no side, each speaker in its column
    sides = root.all("table", "sides")[0]
    heads = [th.text() for th in sides.all("th")]
    assert [h.split(" (")[0] for h in heads] == ["Supports", "Opposes", "No side"]
    cells = sides.all("td")
    assert ARABIC_SPEAKER in cells[0].text() and CYRILLIC_SPEAKER in cells[1].text()
    assert CYRILLIC_SPEAKER not in cells[0].text() and ARABIC_SPEAKER not in cells[1].text()

    # verdict rows: reviewer, label, scale, date, in that DOM order, each user string isolated
    verdicts = next(t for t in root.all("table", "rows") if "reviewer" in t.all("thead")[0].text())
    first = verdicts.all("tbody")[0].all("tr")[0].all("td")
    assert first[0].text() == LATIN_REVIEWER and first[1].text().startswith(ARABIC_LABEL)
    assert first[3].text() == "2024-07-11" and first[3].attrs.get("class") == "date"
    assert [b.attrs.get("dir") for b in first[1].all("bdi")] == ["auto"]

    # every user string is isolated: no Arabic or Cyrillic letter outside a <bdi>
    def outside_bdi(node: Node) -> str:
        return "".join(c if isinstance(c, str) else ("" if c.tag in ("bdi", "title", "style") else outside_bdi(c))
                       for c in node.children)
    assert not re.search("[\u0600-\u06ff\u0400-\u04ff]", outside_bdi(root.all("body")[0]))

    # <script> in a quote is text; javascript: is never a link; https is
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not root.all("script")
    hrefs = [a.attrs.get("href") for a in root.all("a")]
    assert "https://desk.example/check" in hrefs and not any("javascript" in (h or "") for h in hrefs)
    assert "javascript:alert(1)" in root.text()  # shown, as text

    # nothing remote: no external stylesheet, script, font or image
    assert not root.all("link") and not root.all("img")
    assert not re.search(r"url\(|@import|src=", html)
    assert "@media print" in html and "@media (max-width: 640px)" in html


def test_speaker_outlet_timeline_conflicts_audit_chain_export_html(cli, database, tmp_path: Path):
    claim_id = seed_mixed(database)
    for index, argv in enumerate((["report", "speaker", ARABIC_SPEAKER], ["report", "outlet", "Новая газета"],
                 ["report", "timeline"], ["conflicts"], ["audit", "--fail-on", "never"],
                 ["chain", "document:1"], ["chain", "statement:1"])):
        out = tmp_path / f"{argv[0]}-{index}.html"
        cli.ok(*argv, "--output", str(out))
        root = parse(out.read_text(encoding="utf-8"))
        assert root.all("title") and root.all("main"), argv
        assert not root.all("script"), argv
        assert all(b.attrs.get("dir") == "auto" for b in root.all("bdi")), argv
    chain = parse((tmp_path / "chain-5.html").read_text(encoding="utf-8"))
    assert chain.all("ul", "chain") and chain.all("ul", "chain")[0].all("li")  # a nested list
    conflicts = parse((tmp_path / "conflicts-3.html").read_text(encoding="utf-8"))
    labels = [s.text() for s in conflicts.all("span", "sev")]
    assert labels and all(label in ("HIGH", "MEDIUM", "LOW") for label in labels)  # colours have words
    assert claim_id


def test_svg_embeds_nothing_remote(cli, database, tmp_path: Path):
    claim_id = seed_mixed(database)
    out = tmp_path / "claim.svg"
    cli.ok("report", "claim", str(claim_id), "--output", str(out))
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg and "cdnjs" not in svg and "@font-face" not in svg
    assert not re.search(r"url\(\s*['\"]?https?:", svg)
    assert "&lt;script&gt;" in svg and "<script" not in svg


def test_markdown_of_audit_and_chain(cli, database):
    seed_mixed(database)
    audit = cli("audit", "--markdown", "--fail-on", "never")
    assert audit.exit_code == 0 and audit.stdout.startswith("# Audit")
    chain = cli.ok("chain", "statement:1", "--markdown").stdout
    assert chain.startswith("# Attribution chain of statement 1") and "\n  - " in chain
    assert "\\<script\\>" in chain  # the quote is words, not a tag
