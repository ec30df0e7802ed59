"""`document add --file`, versions of a document's text, `document text`, and bad pages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://courier.example/harbour-board"


def test_add_html_prefills_and_stores_the_text(cli: Any, database: Any):
    out = cli.ok("document", "add", "--file", str(PAGES / "article.html"), "--url", URL).stdout
    assert "title 'Harbour board denies dredging plan'" in out and "byline 'Jo Marsh'" in out
    assert "date '2024-03-05'" in out and "site 'The Lakeside Courier'" in out
    assert "Stored its text as version 1" in out
    doc = cli.json("document", "show", URL)
    assert doc["title"] == "Harbour board denies dredging plan"
    assert doc["author"] == "Jo Marsh" and doc["language"] == "en" and doc["published"] == "2024-03-05"
    [version] = doc["snapshots"]
    text = cli.ok("document", "text", URL).stdout
    assert "“There is no plan and there has never been a plan,”" in text and "Subscribe" not in text
    stored_text = text.removesuffix("\n")  # a final newline is added on output when the text has none
    assert version["content_hash"] == hashlib.sha256(stored_text.encode("utf-8")).hexdigest()
    assert version["byte_size"] == (PAGES / "article.html").stat().st_size
    from claimtrack.models import Document

    with database.read() as session:
        stored = session.query(Document).one()
        assert stored.content_hash == version["content_hash"]


def test_options_override_what_the_page_says(cli: Any):
    cli.ok("actor", "add", "The Lakeside Courier", "--kind", "outlet")
    cli.ok("document", "add", "--file", str(PAGES / "article.html"), "--url", URL, "--title", "My title",
           "--language", "fr")
    doc = cli.json("document", "show", URL)
    assert doc["title"] == "My title" and doc["language"] == "fr"
    assert doc["outlet"] == "The Lakeside Courier"  # the site name resolved to the known outlet


def test_second_snapshot_is_a_new_version_never_an_overwrite(cli: Any, tmp_path: Path):
    cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL)
    again = cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL).stdout
    assert "Text unchanged: same as version 1" in again
    changed = tmp_path / "changed.txt"
    changed.write_text((PAGES / "article.txt").read_text(encoding="utf-8").replace("three days", "four days"),
                       encoding="utf-8")
    out = cli.ok("document", "add", "--file", str(changed), "--url", URL).stdout
    assert "version 2: it differs from version 1" in out
    versions = cli.json("document", "show", URL)["snapshots"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["differs_from_previous"] and versions[1]["changed_lines"] == 2
    assert "three days" in cli.ok("document", "text", URL, "--version", "1").stdout
    assert "four days" in cli.ok("document", "text", URL).stdout
    shown = cli.ok("document", "show", URL).stdout
    assert "differs from version 1" in shown


def test_text_file_title_is_its_first_line_and_stdin_works(cli: Any):
    data = (PAGES / "article.txt").read_text(encoding="utf-8")
    out = cli.ok("document", "add", "--file", "-", input=data).stdout
    assert "title 'Harbour board denies dredging plan'" in out
    assert cli.ok("document", "text", "1").stdout == data


def test_text_of_a_document_without_snapshot_or_version(cli: Any):
    cli.ok("document", "add", "--url", URL, "--title", "Bare")
    result = cli("document", "text", URL)
    assert result.exit_code == 1 and "has no stored text" in result.stderr
    cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL)
    result = cli("document", "text", URL, "--version", "3")
    assert result.exit_code == 1 and "has no text version 3 (it has 1)" in result.stderr


@pytest.mark.parametrize("name, data, message", [
    ("empty.html", b"", "the file is empty"),
    ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" * 30, "binary data"),
    ("cp1252.txt", "Le maire a déclaré".encode("cp1252"), "not UTF-8"),
    ("no-text.html", (PAGES / "no-text.html").read_bytes(), "no article text found"),
])
def test_bad_pages_write_nothing(cli: Any, snapshot: Any, tmp_path: Path, name: str, data: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot()
    result = cli("document", "add", "--file", str(path), "--url", URL)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before


def test_snapshot_is_logged_without_its_text(cli: Any, database: Any):
    cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL)
    import json

    from claimtrack.models import Event

    with database.read() as session:
        events = session.query(Event).filter(Event.object_type == "snapshot").all()
        assert len(events) == 1
        after = json.loads(events[0].after)
        assert "text" not in after and len(after["content_hash"]) == 64
