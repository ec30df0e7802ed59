"""Partial dates keep their precision in JSON: the string at its precision and, beside it,
`<key>_precision` (day | month | year) and `<key>_approximate` (issue #12)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


def test_json_ready_adds_the_precision_beside_every_partial_date() -> None:
    from claimtrack.dates import parse_date
    from claimtrack.viewjson import json_ready

    @dataclass
    class Item:
        said: str | None
        reviewed: Any
        text: str

    data = {"items": [Item("2021-07", parse_date("~2020"), "2021")], "date": "2021-07-28",
            "created_at": "2026-11-24T10:00:00+00:00", "start": None, "end": 12}
    # (a null date has both keys null; a value that is not a partial date gets none)
    assert json_ready(data) == {
        "items": [{"said": "2021-07", "said_precision": "month", "said_approximate": False,
                   "reviewed": "~2020", "reviewed_precision": "year", "reviewed_approximate": True,
                   "text": "2021"}],  # a claim text that looks like a year is text, not a date
        "date": "2021-07-28", "date_precision": "day", "date_approximate": False,
        "created_at": "2026-11-24T10:00:00+00:00", "start": None, "start_precision": None,
        "start_approximate": None, "end": 12,
    }
    # the keys follow the date they describe
    assert list(json_ready({"said": "~2021-04", "x": 1})) == ["said", "said_precision", "said_approximate", "x"]


def _logged(cli: Any) -> None:
    cli.ok("log", "--speaker", "Maria Zakharova", "--stance", "denies", "--quote", "no interference",
           "--claim", "The U.S. Embassy interfered", "--said", "~2021-01", "--outlet", "TASS",
           "--title", "Zakharova on the embassy", "--published", "2021-01", "--via", "RIA Novosti",
           "--new", "--no-interactive")
    cli.ok("log", "--speaker", "US Embassy", "--stance", "asserts", "--claim", "The U.S. Embassy interfered",
           "--said", "2021", "--url", "https://example.org/embassy", "--published", "2021-01-24", "--new",
           "--no-interactive")
    cli.ok("verdict", "add", "1", "--label", "false", "--reviewer", "Example Checks", "--reviewed", "2021-02",
           "--new")
    cli.ok("actor", "add", "Russian Foreign Ministry", "--kind", "organization")
    cli.ok("actor", "affiliate", "Maria Zakharova", "--role", "spokeswoman", "--org", "Russian Foreign Ministry",
           "--start", "~2015")


def _dates(data: Any) -> list[tuple[str, Any, Any, Any]]:
    """(key, value, precision, approximate) of every date key with a value, anywhere in `data`."""
    from claimtrack.viewjson import DATE_KEYS

    found: list[tuple[str, Any, Any, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in DATE_KEYS and isinstance(item, str):
                    found.append((key, item, value.get(f"{key}_precision"), value.get(f"{key}_approximate")))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return found


EXPECTED = {"~2021-01": ("month", True), "2021-01": ("month", False), "2021": ("year", False),
            "2021-01-24": ("day", False), "2021-02": ("month", False), "~2015": ("year", True)}

COMMANDS = [
    ("statement", "show", "1"), ("claim", "show", "1"), ("report", "claim", "1"),
    ("report", "speaker", "Maria Zakharova"), ("report", "outlet", "TASS"), ("report", "timeline"),
    ("chain", "statement:1"), ("search", "embassy"), ("conflicts",), ("document", "show", "1"),
    ("document", "list"), ("actor", "show", "Maria Zakharova"), ("verdict", "list"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_every_view_json_carries_the_precision(cli: Any, argv: tuple[str, ...]) -> None:
    _logged(cli)
    dates = _dates(cli.json(*argv))
    assert dates, f"{' '.join(argv)} --json shows no partial date"
    for key, value, precision, approximate in dates:
        assert (precision, approximate) == EXPECTED[value], (key, value)


def test_the_web_view_json_carries_the_precision(cli: Any, database: Any) -> None:
    from tests.test_serve import client

    _logged(cli)
    web = client(database)
    for page in ("/statements/1", "/claims/1", "/timeline"):
        dates = _dates(web.get(page + "?format=json").json())
        assert dates, page
        for key, value, precision, approximate in dates:
            assert (precision, approximate) == EXPECTED[value], (page, key, value)
