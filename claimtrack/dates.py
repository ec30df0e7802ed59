"""Dates that carry their precision: `2021-01-23`, `2021-01`, `2021`, and approximate `~2021-04`.

Reporting is vague about time ("in April", "last week"); a fact-checker records what is known
and no more. A PartialDate is stored as the first day of its period plus the precision and an
approximate flag, and is shown in its ISO form (`2021-01-23`, `2021-04`, `~2021`).

`parse_date` reads dates as files in the wild write them (see docs/formats.md, "Dates"):
ISO 8601 extended and basic (`2021-01-23`, `20210123`), datetimes with a time and a zone
(`2019-07-22 17:16:52`, `2025-04-28T19:23:46Z`: the day as written, in the given zone),
numeric dates (`23.01.2021`, `2021/01/23`) and written dates in many languages (`11 March
2024`, `March 2024` — a month —, `23 de janeiro de 2021`, `23 يناير 2021`). A numeric date that
reads as two different days (`01/02/2021`) is never guessed: it needs a date order (DMY, MDY).

The ISO and numeric forms are plain regular expressions; only a written date (one with letters)
loads dateparser, lazily, because importing and warming it costs a tenth of a second or more
and most files and every command-line option use ISO dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from claimtrack.errors import InvalidInput
from claimtrack.vocab import Precision

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a day, a month or a year, possibly approximately."""

    start: date
    precision: Precision = Precision.DAY
    approximate: bool = False

    @property
    def end(self) -> date:
        """The last day of the period this date covers."""
        if self.precision is Precision.DAY:
            return self.start
        if self.precision is Precision.MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def __str__(self) -> str:
        text = {
            Precision.DAY: self.start.isoformat(),
            Precision.MONTH: f"{self.start.year:04d}-{self.start.month:02d}",
            Precision.YEAR: f"{self.start.year:04d}",
        }[self.precision]
        return f"~{text}" if self.approximate else text

    def may_precede(self, other: PartialDate) -> bool:
        """False only when this date is certainly after `other` (periods do not overlap)."""
        return self.start <= other.end

    @classmethod
    def of(cls, value: date | None, precision: str | None, approximate: bool | None = False) -> PartialDate | None:
        """Rebuild from the stored columns; None when no date was stored."""
        if value is None:
            return None
        return cls(value, Precision(precision or Precision.DAY), bool(approximate))


#: the orders a numeric date such as 01/02/2021 can be read in (--date-order)
DATE_ORDERS = ("DMY", "MDY", "YMD")

_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{8})[T ]\d")
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})\.?"
    r"(?:(?:[T ,]+|\s+(?:at|um|à|a las|às)\s+)\d{1,2}[:.h]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?"
    r"\s*(?:[ap]\.?m\.?)?\s*(?:z|utc|gmt|[a-z]{2,5}|[+-]\d{2}(?::?\d{2})?)?)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_LETTER = re.compile(r"[^\W\d_]")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_EXPECTED = ("write YYYY-MM-DD, YYYY-MM or YYYY (a leading ~ if approximate), 20210123, a date and time "
             "(2019-07-22 17:16:52), or a written date (11 March 2024, March 2024)")
#: the dateparser instance, made on first use (see the module docstring)
_WRITTEN_PARSER: list[Any] = []


def parse_date(text: str, field: str = "date", *, not_after: date | None = None,
               order: str | None = None) -> PartialDate:
    """Parse a partial date in any form the module docstring lists; InvalidInput says what to write.

    `order` (one of DATE_ORDERS) says how to read numeric dates whose day and month could be
    swapped; without it such a date is an error. With `not_after`, future dates are refused.
    """
    raw = text.strip()
    approximate = raw.startswith("~")
    body = raw[1:].strip() if approximate else raw
    result = _parse(body, text, field, order, approximate)
    if not_after is not None and result.start > not_after:
        raise InvalidInput(
            f"{field}: {raw} is in the future (today is {not_after.isoformat()}); "
            "a statement can only be dated when it was already made"
        )
    return result


def _parse(body: str, text: str, field: str, order: str | None, approximate: bool) -> PartialDate:
    match = _PATTERN.match(body)
    if match:
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return PartialDate(_real(year, month or 1, day or 1, text, field), precision, approximate)
    if body.isdigit() and len(body) == 8:  # ISO 8601 basic: 20210123
        return PartialDate(_real(int(body[:4]), int(body[4:6]), int(body[6:]), text, field), Precision.DAY,
                           approximate)
    if _ISO_DATETIME.match(body):
        try:
            moment = datetime.fromisoformat(body.replace("z", "Z"))
        except ValueError:
            raise InvalidInput(f"{field}: {text!r} is not a real date and time; {_EXPECTED}") from None
        # the day as written, in the zone it was written in (not converted to UTC)
        return PartialDate(moment.date(), Precision.DAY, approximate)
    match = _NUMERIC.match(body)
    if match:
        return PartialDate(_numeric(match, text, field, order), Precision.DAY, approximate)
    if _LETTER.search(body) and _YEAR.search(body):
        found = _written(body)
        if found is not None:
            return PartialDate(found[0], found[1], approximate)
    raise InvalidInput(f"{field}: {text!r} is not a date; {_EXPECTED}")


def _real(year: int, month: int, day: int, text: str, field: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {text!r} is not a real date ({exc}); {_EXPECTED}") from None


def _numeric(match: re.Match[str], text: str, field: str, order: str | None) -> date:
    a, b, c = match["a"], match["b"], match["c"]
    if len(a) == 4:  # 2021/01/23: nobody writes year-day-month
        return _real(int(a), int(b), int(c), text, field)
    if len(c) != 4:
        raise InvalidInput(f"{field}: {text!r} has no four-digit year; write it as YYYY-MM-DD "
                           "(two-digit years are never guessed)")
    year, first, second = int(c), int(a), int(b)
    if order in ("DMY", "MDY"):
        day, month = (first, second) if order == "DMY" else (second, first)
        try:
            return date(year, month, day)
        except ValueError:
            raise InvalidInput(f"{field}: {text!r} is not a date in {order} order (--date-order {order})") from None
    readings = {}
    for name, (day, month) in (("DMY", (first, second)), ("MDY", (second, first))):
        try:
            readings[name] = date(year, month, day)
        except ValueError:
            pass
    values = set(readings.values())
    if len(values) == 1:  # 23/01/2021, 01/23/2021 or 05/05/2021: only one day it can be
        return values.pop()
    if not values:
        raise InvalidInput(f"{field}: {text!r} is not a real date; {_EXPECTED}")
    dmy, mdy = readings["DMY"], readings["MDY"]
    raise InvalidInput(
        f"{field}: {text!r} is ambiguous ({dmy.day} {_MONTHS[dmy.month - 1]} {year} or {mdy.day} "
        f"{_MONTHS[mdy.month - 1]} {year}?); give --date-order DMY or MDY, or write {dmy.isoformat()}"
    )


def _written(body: str) -> tuple[date, Precision] | None:
    """A written date through dateparser, or None; the year must be written out in full."""
    if not _WRITTEN_PARSER:
        from dateparser.date import DateDataParser

        # absolute dates only ("yesterday" is no date for a record), the missing day is the
        # first of the month (the PartialDate start), and a date without a year is refused
        _WRITTEN_PARSER.append(DateDataParser(settings={
            "PARSERS": ["absolute-time"], "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"],
            "RETURN_TIME_AS_PERIOD": False,
        }))
    data = _WRITTEN_PARSER[0].get_date_data(body)
    moment = data.date_obj if data is not None else None
    if moment is None:
        return None
    years = {int(y) for y in _YEAR.findall(body)}
    if moment.year not in years:  # "11 March" read as March 2011: the year was not written
        return None
    period = data.period or "day"
    if period == "year":
        return date(moment.year, 1, 1), Precision.YEAR
    if period == "month":
        return date(moment.year, moment.month, 1), Precision.MONTH
    return moment.date(), Precision.DAY


def parse_optional_date(text: str | None, field: str = "date", *, not_after: date | None = None,
                        order: str | None = None) -> PartialDate | None:
    """`parse_date` for optional values: None and blank text give None."""
    if text is None or not text.strip():
        return None
    return parse_date(text, field, not_after=not_after, order=order)
