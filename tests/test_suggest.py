"""`claimtrack suggest`: queue the attributions found in a stored text, accept or reject them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

PAGES = Path(__file__).parent / "fixtures" / "pages"
URL = "https://courier.example/harbour-board"


@pytest.fixture
def stored(cli: Any) -> Any:
    cli.ok("actor", "add", "Ana Ruiz", "--kind", "person")
    cli.ok("actor", "alias", "Ana Ruiz", "Ana María Ruiz")
    cli.ok("document", "add", "--file", str(PAGES / "article.txt"), "--url", URL)
    return cli


def _by_cue(rows: list[dict[str, Any]], cue: str) -> dict[str, Any]:
    return next(r for r in rows if r["cue"] == cue)


def test_suggest_queues_resolves_and_is_idempotent(stored: Any):
    rows = stored.json("suggest", URL)
    ruiz = next(r for r in rows if r["source"] == "board chairwoman Ana Ruiz")
    assert ruiz["speaker"] == "Ana Ruiz" and ruiz["quote_kind"] == "direct"
    assert ruiz["method"].startswith("claimtrack-extract rules-")
    text = stored.ok("document", "text", URL).stdout
    assert text[ruiz["content_span"][0]:ruiz["content_span"][1]] == ruiz["content"]
    silent = _by_cue(rows, "did not respond")
    assert silent["stance"] == "did_not_respond"
    again = stored.ok("suggest", "run", URL).stdout
    assert "Queued 0 suggestion(s)" in again and f"{len(rows)} found before" in again
    assert len(stored.json("suggest", "list")) == len(rows)


def test_pronouns_link_to_the_nearest_named_speaker(cli: Any, tmp_path: Path):
    cli.ok("actor", "add", "Leonid Volkov", "--kind", "person")
    page = tmp_path / "p.txt"
    page.write_text("Key aide Leonid Volkov said that police had visited dozens of people.\n\n"
                    "“They came at night,” he wrote on Telegram.\n", encoding="utf-8")
    cli.ok("document", "add", "--file", str(page), "--url", URL)
    rows = cli.json("suggest", URL)
    he = next(r for r in rows if r["source"] == "he")
    assert he["speaker"] == "Leonid Volkov" and "nearest named speaker" in he["speaker_note"]


def test_accept_makes_an_ordinary_statement_with_its_hop(stored: Any, database: Any):
    rows = stored.json("suggest", URL)
    ruiz = next(r for r in rows if r["source"] == "board chairwoman Ana Ruiz")
    out = stored.ok("suggest", "accept", str(ruiz["id"]), "--claim", "The harbour board plans to dredge",
                    "--stance", "denies").stdout
    assert f"Accepted suggestion {ruiz['id']}: statement" in out
    [accepted] = stored.json("suggest", "list", "--status", "accepted")
    statement = stored.json("statement", "show", str(accepted["statement_id"]))
    assert statement["stance"] == "denies" and statement["speaker"] == "Ana Ruiz"
    assert statement["quote"].startswith("There is no plan and there has never been a plan")
    assert statement["quote_kind"] == "direct"
    doc = stored.json("document", "show", URL)
    assert [h["statement_id"] for h in doc["hops"]] == [accepted["statement_id"]]
    # an ordinary statement: audited like any other, and its quote is in the text
    assert stored.json("audit", "--rule", "quote-not-in-document") == []
    from claimtrack.models import Event

    with database.read() as session:
        actions = [(e.action, e.object_type) for e in session.query(Event).order_by(Event.id)]
    assert ("accept", "suggestion") in actions and ("create", "statement") in actions


def test_accept_an_unknown_name_asks_for_new_and_vague_sources_become_anonymous(stored: Any, snapshot: Any):
    rows = stored.json("suggest", URL)
    residents = next(r for r in rows if r["source"] == "residents")
    stored.ok("suggest", "accept", str(residents["id"]))
    [st] = stored.json("suggest", "list", "--status", "accepted")
    shown = stored.json("statement", "show", str(st["statement_id"]))
    assert shown["speaker_descriptor"] == "residents" and shown["speaker_id"] is None
    office = _by_cue(rows, "did not respond")
    before = snapshot()
    refused = stored("suggest", "accept", str(office["id"]), "--speaker", "Regional Environment Office")
    assert refused.exit_code == 1 and "no actor named 'Regional Environment Office'" in refused.stderr
    assert snapshot() == before
    stored.ok("suggest", "accept", str(office["id"]), "--speaker", "Regional Environment Office", "--new",
              "--claim", "The environment office approved the surveys", "--via", "AFP")
    doc = stored.json("document", "show", URL)
    assert [h["via_actor"] for h in doc["hops"]] == [None, "AFP"]


def test_reject_and_bad_numbers_write_nothing(stored: Any, snapshot: Any):
    rows = stored.json("suggest", URL)
    first = rows[0]["id"]
    stored.ok("suggest", "reject", str(first))
    assert stored.json("suggest", "list", "--status", "rejected")[0]["id"] == first
    before = snapshot()
    again = stored("suggest", "accept", str(first))
    assert again.exit_code == 1 and f"suggestion {first} was already rejected" in again.stderr
    missing = stored("suggest", "reject", "999")
    assert missing.exit_code == 1 and "suggestion 999 not found" in missing.stderr
    assert snapshot() == before


def test_suggest_needs_a_stored_text(cli: Any, snapshot: Any):
    cli.ok("document", "add", "--url", URL, "--title", "No text kept")
    before = snapshot()
    result = cli("suggest", URL)
    assert result.exit_code == 1 and "has no stored text" in result.stderr
    assert snapshot() == before
