"""No audit statement binds a list of ids that grows with the database.

PostgreSQL takes at most 65,535 bound parameters per statement: a whole audit of a million-
statement archive crashed when quote-not-in-document bound one id per document (~200k). With
the chunk size made small, a database with more quoted documents than a chunk shows any such
list: every statement's parameters stay within a chunk plus the query's own constants.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from tests import factories as f
from tests.test_chains import build_cycle, seeded

CHUNK = 10
DOCUMENTS = 80  # quoted documents: several chunks' worth, and more than any query's own constants


def _quoted_documents(database: Any) -> None:
    from claimtrack.services.snapshots import add_snapshot

    with database.write() as session:
        agency = f.actor(session, "Wire Agency", kind="organization")
        speaker = f.actor(session, "Mayor Example")
        for n in range(DOCUMENTS):
            claim = f.claim(session, f"The city will open bridge number {n}")
            doc = f.document(session, outlet=agency, url=f"https://wire.example/{n}", title=f"Bridge {n}",
                             published="2021-05-02")
            said = f"We will open bridge {n} in May"
            statement = f.statement(session, claim, speaker, quote=said, said="2021-05-01")
            hop = f.hop(session, doc, statement, is_primary=True)
            # half the stored texts carry the quote, half a different wording
            text = f"The mayor said: {said}." if n % 2 else f"The mayor said the bridge {n} opens in June."
            add_snapshot(session, doc, text=text, media_type="text/plain", byte_size=len(text))
            reprint = f.document(session, outlet=f.actor(session, f"Paper {n}", kind="organization"),
                                 url=f"https://paper{n}.example/bridge", published="2021-05-03")
            relay = f.hop(session, reprint, statement, via_hop=hop)
            echo = f.document(session, outlet=f.actor(session, f"Echo {n}", kind="organization"),
                              url=f"https://echo{n}.example/bridge", published="2021-05-04")
            f.hop(session, echo, statement, via_hop=relay)


def test_a_whole_audit_binds_no_list_that_grows_with_the_database(database: Any, monkeypatch: Any) -> None:
    from claimtrack.checks import _common, run_audit

    seeded(database)
    build_cycle(database)
    _quoted_documents(database)
    monkeypatch.setattr(_common, "CHUNK", CHUNK)
    largest: list[tuple[int, str]] = []

    def count(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
        if not executemany and parameters:
            largest.append((len(parameters), statement))

    with database.read() as session:
        bind = session.get_bind()
        event.listen(bind, "before_cursor_execute", count)
        try:
            problems = run_audit(session)
        finally:
            event.remove(bind, "before_cursor_execute", count)
    rules = {p.rule for p in problems}
    assert {"quote-not-in-document", "echo", "circular-citation"} <= rules  # the data exercises them
    assert sum(p.rule == "quote-not-in-document" for p in problems) == DOCUMENTS // 2
    size, statement = max(largest)
    assert size < DOCUMENTS, f"{size} parameters bound in: {statement[:300]}"
