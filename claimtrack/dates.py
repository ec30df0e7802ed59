"""Dates that carry their precision: `2021-01-23`, `2021-01`, `2021`, and approximate `~2021-04`.

Reporting is vague about time ("in April", "last week"); a fact-checker records what is known
and no more. A PartialDate is stored as the first day of its period plus the precision and an
approximate flag, and is shown exactly as it was written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from claimtrack.errors import InvalidInput
from claimtrack.vocab import Precision

_PATTERN = re.compile(r"^(?P<approx>~)?(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
_EXPECTED = "write YYYY-MM-DD, YYYY-MM or YYYY, with a leading ~ if approximate (e.g. 2021-01-23, 2021-04, ~2021)"


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


def parse_date(text: str, field: str = "date", *, not_after: date | None = None) -> PartialDate:
    """Parse a partial date, rejecting impossible ones and, with `not_after`, future ones."""
    raw = text.strip()
    match = _PATTERN.match(raw)
    if not match:
        raise InvalidInput(f"{field}: {text!r} is not a date; {_EXPECTED}")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    try:
        start = date(year, month or 1, day or 1)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {text!r} is not a real date ({exc}); {_EXPECTED}") from None
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    result = PartialDate(start, precision, bool(match["approx"]))
    if not_after is not None and result.start > not_after:
        raise InvalidInput(
            f"{field}: {raw} is in the future (today is {not_after.isoformat()}); "
            "a statement can only be dated when it was already made"
        )
    return result


def parse_optional_date(text: str | None, field: str = "date", *, not_after: date | None = None) -> PartialDate | None:
    """`parse_date` for optional values: None and blank text give None."""
    if text is None or not text.strip():
        return None
    return parse_date(text, field, not_after=not_after)
