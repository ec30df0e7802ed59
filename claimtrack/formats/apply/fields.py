"""Reading the fields of a native record: the checks and conversions every record kind shares.

A record's fault raises `RecordError`; the applier adds where it was and turns it into the
import's failure (or a reject with --skip-bad). The vocabulary of fields per record type is here
too (`FIELDS`), so the record modules and the applier's check of unknown fields agree.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import UTC, date, datetime
from typing import Any

from claimtrack.dates import PartialDate, parse_date
from claimtrack.errors import InvalidInput
from claimtrack.formats import apply as settings
from claimtrack.normalize import normalize_url
from claimtrack.vocab import StatementStatus

FIELDS: dict[str, frozenset[str]] = {
    "actor": frozenset({"type", "key", "name", "kind", "aliases", "external_ids", "description", "merged_into"}),
    "affiliation": frozenset({"type", "actor", "organization", "role", "start", "end", "status", "status_reason"}),
    "document": frozenset({"type", "key", "outlet", "kind", "url", "title", "author", "language", "published",
                           "retrieved_at", "archive_url", "content_hash", "status", "status_reason",
                           "merged_into"}),
    "claim": frozenset({"type", "key", "text", "language", "quantity", "status", "status_reason", "merged_into"}),
    "statement": frozenset({"type", "key", "claim", "speaker", "speaker_descriptor", "on_behalf_of", "stance",
                            "quote", "quote_kind", "cue", "channel", "context", "said", "language",
                            "original_text", "parent", "status", "status_reason"}),
    "hop": frozenset({"type", "key", "document", "statement", "via_hop", "via_actor", "cue", "quote", "primary",
                      "status", "status_reason"}),
    "relation": frozenset({"type", "source", "target", "relation", "status", "score", "note", "created_by",
                           "decided_by", "status_reason"}),
    "verdict": frozenset({"type", "key", "claim", "label", "rating_value", "best", "worst", "reviewer",
                          "reviewed", "url", "explanation", "license", "evidence_urls", "language", "status",
                          "status_reason"}),
}
QUANTITY_FIELDS = frozenset({"subject", "value", "bound", "unit"})


class RecordError(Exception):
    """One record is invalid; the applier adds the line and turns it into ImportFailed or a reject."""


def choice(enum: Any, value: Any, field: str, default: str | None = None) -> str | None:
    if value is None:
        return default
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, got {value!r}")
    try:
        return enum(value).value  # the fast path: already a vocabulary value
    except ValueError:
        pass
    from claimtrack.vocab import parse_choice

    try:
        return parse_choice(enum, value, field).value
    except InvalidInput as exc:
        raise RecordError(str(exc)) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(value: str) -> bool:
    """Whether a value may be looked up at all (the record itself reports why not)."""
    return bool(value.strip()) and "\x00" not in value and (value.isascii() or _SURROGATE.search(value) is None)


def check_text(value: str, field: str) -> str:
    """Text a database can store: no NUL (PostgreSQL refuses it, SQLite cuts C strings at it)
    and no lone UTF-16 surrogate (a JSON `\\ud800` without its pair is not a character)."""
    if "\x00" in value:
        raise RecordError(f"{field} contains a NUL character (\\x00 at position {value.index(chr(0)) + 1}); "
                          "remove it")
    if not value.isascii() and (match := _SURROGATE.search(value)) is not None:
        raise RecordError(f"{field} contains a lone surrogate (\\u{ord(match.group()):04x} at position "
                          f"{match.start() + 1}), which is not a character; fix the file's text")
    return value


def text_field(record: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    value = record.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"{field} is required")
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, got {value!r}")
    return check_text(value, field)


def number_field(record: dict[str, Any], field: str, label: str | None = None) -> float | None:
    value = record.get(field)
    field = label or field
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{field} must be a number, got {short(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise RecordError(f"{field} must be a finite number, got {short(value)}")
    return number


def short(value: Any) -> str:
    """A value for a message: repr, cut (a 5,000-digit number is not a message)."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return "(a value too large to show)"
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


_today = date.today


def date_field(record: dict[str, Any], field: str, *, not_future: bool = False) -> PartialDate | None:
    value = record.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be a date as text (e.g. 2021-01-23), got {value!r}")
    cache = settings._DATE_CACHE  # the package's, so a test may swap it
    cached = cache.get((value, not_future))
    if cached is not None:
        return cached
    try:
        parsed = parse_date(value, field, not_after=_today() if not_future else None)
    except InvalidInput as exc:
        raise RecordError(str(exc)) from None
    if len(cache) >= settings.DATE_CACHE_ENTRIES:
        cache.clear()
    cache[(value, not_future)] = parsed
    return parsed


def date_columns(prefix: str, value: PartialDate | None) -> dict[str, Any]:
    if value is None:
        return {f"{prefix}_on": None, f"{prefix}_precision": None, f"{prefix}_approx": False}
    return {f"{prefix}_on": value.start, f"{prefix}_precision": value.precision.value,
            f"{prefix}_approx": value.approximate}


def timestamp_field(record: dict[str, Any], field: str) -> datetime | None:
    value = record.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be an ISO timestamp, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError:
        raise RecordError(f"{field}: {short(value)} is not a timestamp; write e.g. 2026-11-24T10:00:00Z") from None
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the year 1 in UTC
        raise RecordError(f"{field}: {value!r} lies outside the years 1 to 9999 once converted to UTC") from None


def normalized_url(url: str, field: str = "url") -> str:
    """The identity form of a URL; whatever the normalizer refuses is this record's error."""
    try:
        return normalize_url(url)
    except InvalidInput as exc:  # normalize.InvalidURL: its message names the URL and the fault
        raise RecordError(f"{field}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any refusal of the URL library is a bad URL
        raise RecordError(f"{field}: {short(url)} is not a usable URL ({exc})") from None


def not_merged_into_self(r: dict[str, Any], kind: str, key: str) -> None:
    """A claim or document record whose merged_into names its own key is a mistake."""
    if r.get("merged_into") == key:
        raise RecordError(f"merged_into {key!r} names this {kind} itself; a {kind} is merged into "
                          f"another {kind} (its survivor)")


def status_of(r: dict[str, Any]) -> tuple[str, str | None]:
    """A record's status and its reason (a retired record must say why)."""
    status = choice(StatementStatus, r.get("status"), "status", StatementStatus.NORMAL.value)
    reason = text_field(r, "status_reason")
    if status != StatementStatus.NORMAL.value and reason is None:
        raise RecordError(f"status {status!r} needs a status_reason")
    return status, reason  # type: ignore[return-value]


def record_digest(record: dict[str, Any]) -> str:
    """A short stable digest of a record's content, for keys of keyless records."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]


def fingerprint(record: dict[str, Any]) -> int:
    """Content identity of a record: field order and absent-vs-empty fields do not count."""
    return hash(freeze({k: v for k, v in record.items()
                         if not (v is None or v is False or v == "" or v == [] or v == {})}))


def freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def reject_line(line: int | None, reason: str, raw: Any) -> str:
    """One line of the --skip-bad file: standard JSON whatever the record held."""
    entry = {"line": line, "reason": reason, "record": raw}
    try:
        text_ = json.dumps(entry, ensure_ascii=False, default=str, allow_nan=False)
        text_.encode("utf-8")
        return text_
    except UnicodeEncodeError:  # a lone surrogate: written as its JSON escape
        pass
    except (ValueError, RecursionError):  # Infinity (not JSON), or nested too deep: keep its repr
        return json.dumps({"line": line, "reason": reason, "record": short(raw)})
    try:
        return json.dumps(entry, default=str, allow_nan=False)
    except (ValueError, RecursionError):
        return json.dumps({"line": line, "reason": reason, "record": short(raw)})


def describe(record: Any) -> str:
    """"statement 'x': " — which record failed, so the message names it."""
    if not isinstance(record, dict) or not isinstance(record.get("type"), str) or record["type"] not in FIELDS:
        return ""
    key = record.get("key")
    return f"{record['type']} {key!r}: " if isinstance(key, str) else f"{record['type']}: "
