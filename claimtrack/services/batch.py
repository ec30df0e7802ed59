"""`claimtrack log --batch FILE`: many one-line logs in one transaction, all or nothing.

Each line of the file is a JSON object with the fields of `claimtrack log`'s options
(`{"speaker": "Leonid Volkov", "stance": "asserts", "claim": "…", "url": "…", "said": "2021-07-28"}`;
`quote-kind` and `quote_kind` are the same field). Every line is checked and logged in its own
savepoint, so one run reports every bad line (numbered) at once, and any bad line rolls the
whole batch back: nothing is written unless every line is good.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from sqlalchemy.orm import Session

from claimtrack.errors import ClaimtrackError, ImportFailed
from claimtrack.services.logging import LogResult

#: every field a line may have, and its JSON type: text unless named here
STATEMENT_FIELDS = (
    "speaker", "anonymous", "stance", "quote", "quote_kind", "claim", "quantity_subject", "quantity_value",
    "quantity_bound", "quantity_unit", "outlet", "url", "title", "published", "via", "via_cue", "cue", "channel",
    "context", "said", "language", "original", "on_behalf_of", "nested_in", "document_kind", "document_language",
    "primary", "new",
)
#: a line with "statement" adds one more report of a logged statement (`log --statement`)
REPORT_FIELDS = ("statement", "url", "outlet", "title", "published", "via", "via_hop", "via_cue", "primary",
                 "document_kind", "new")
FLAGS = {"primary", "new"}
NUMBERS = {"quantity_value"}
ALIASES = {"about": "nested_in", "original_text": "original"}
#: a run stops collecting after this many bad lines (the first ones are what a person fixes)
MAX_ERRORS = 20


class BatchFailed(ImportFailed):
    """Some lines of a batch are bad; nothing was written. `details` has one line per problem."""

    def __init__(self, message: str, details: list[str]) -> None:
        super().__init__(message)
        self.details = details


@dataclass
class BatchLine:
    number: int
    fields: dict[str, Any] = field(default_factory=dict)


def _field_name(key: str) -> str:
    name = key.strip().lower().replace("-", "_").removeprefix("__")
    return ALIASES.get(name, name)


def _check_line(number: int, data: Any) -> tuple[dict[str, Any], list[str]]:
    """The line's fields under their canonical names, and what is wrong with them."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        return {}, [f"line {number}: expected a JSON object {{\"claim\": …, \"stance\": …}}, not {kind}"]
    known = set(REPORT_FIELDS if "statement" in data else STATEMENT_FIELDS)
    fields: dict[str, Any] = {}
    problems = []
    for key, value in data.items():
        name = _field_name(str(key))
        if name not in known:
            close = get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            kind = "a line with \"statement\" takes" if "statement" in data else "expected one of"
            problems.append(f"line {number}: unknown field {key!r}{hint}; {kind}: {', '.join(sorted(known))}")
            continue
        if value is None:
            continue
        if name in FLAGS:
            if not isinstance(value, bool):
                problems.append(f"line {number}: {name}: expected true or false, not {json.dumps(value)}")
                continue
        elif name in NUMBERS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                problems.append(f"line {number}: {name}: expected a number, not {json.dumps(value)}")
                continue
        elif not isinstance(value, str):
            problems.append(f"line {number}: {name}: expected text, not {json.dumps(value)}")
            continue
        fields[name] = value
    if not problems and "statement" not in fields:
        missing = [name for name in ("claim", "stance") if not fields.get(name)]
        if missing:
            problems.append(f"line {number}: missing {' and '.join(missing)}")
    return fields, problems


def read_log_lines(text: str, source: str) -> list[BatchLine]:
    """Parse JSON lines (blank lines are skipped); every malformed line is reported at once."""
    lines: list[BatchLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        fields, line_problems = _check_line(number, data)
        problems += line_problems
        lines.append(BatchLine(number, fields))
    if problems:
        raise _failed(source, problems)
    if not lines:
        raise ImportFailed(f"{source} has no lines to log: write one JSON object per line")
    return lines


def _failed(source: str, problems: list[str]) -> BatchFailed:
    shown = problems[:MAX_ERRORS]
    if len(problems) > MAX_ERRORS:
        shown.append(f"… and {len(problems) - MAX_ERRORS} more")
    if len(problems) == 1:
        return BatchFailed(f"{source}, {problems[0]}; nothing was logged", [])
    return BatchFailed(f"{source}: {len(problems)} problems; nothing was logged", shown)


def _log_one(session: Session, fields: dict[str, Any], create_missing: bool) -> LogResult:
    from claimtrack.services.logging import log_report, log_statement

    values = dict(fields)
    create = bool(values.pop("new", False)) or create_missing
    if "statement" in values:
        return log_report(session, create_missing=create, **values)
    values["original_text"] = values.pop("original", None)
    return log_statement(
        session, speaker=values.pop("speaker", None), claim=values.pop("claim"), stance=values.pop("stance"),
        create_missing=create, **values,
    )


def _words(message: str) -> str:
    """A service's message about an option, said about the field: '--said: …' -> 'said: …'."""
    if message.startswith("--"):
        name, sep, rest = message[2:].partition(":")
        if sep and " " not in name:
            return f"{name.replace('-', '_')}:{rest}"
    return message


def log_batch(session: Session, lines: list[BatchLine], *, source: str,
              create_missing: bool = False) -> list[tuple[int, LogResult]]:
    """Log every line in the caller's transaction; raise BatchFailed naming each bad line.

    Each line runs in a savepoint, so a bad line is undone alone while the others are still
    checked; the caller's transaction then rolls back everything."""
    results: list[tuple[int, LogResult]] = []
    problems: list[str] = []
    for line in lines:
        try:
            with session.begin_nested():
                results.append((line.number, _log_one(session, line.fields, create_missing)))
        except ClaimtrackError as exc:
            problems.append(f"line {line.number}: {_words(str(exc))}")
            candidates = getattr(exc, "candidates", [])
            if candidates:
                problems[-1] += " (" + "; ".join(candidates) + ")"
            if len(problems) > MAX_ERRORS:
                break
    if problems:
        raise _failed(source, problems)
    return results
