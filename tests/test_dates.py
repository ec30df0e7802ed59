from datetime import date

import pytest

from claimtrack.dates import PartialDate, parse_date
from claimtrack.errors import InvalidInput
from claimtrack.vocab import Precision


@pytest.mark.parametrize(
    ("text", "start", "precision", "approx"),
    [
        ("2021-01-23", date(2021, 1, 23), Precision.DAY, False),
        ("2021-01", date(2021, 1, 1), Precision.MONTH, False),
        ("2021", date(2021, 1, 1), Precision.YEAR, False),
        ("~2021-04", date(2021, 4, 1), Precision.MONTH, True),
    ],
)
def test_dates_keep_their_precision_and_print_as_written(text, start, precision, approx):
    parsed = parse_date(text)
    assert (parsed.start, parsed.precision, parsed.approximate) == (start, precision, approx)
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021-02-30", "not a real date"), ("Wednesday", "not a date"), ("23/01/2021", "YYYY-MM-DD"), ("", "not a date")],
)
def test_impossible_dates_say_what_to_write(text, expected):
    with pytest.raises(InvalidInput, match=expected):
        parse_date(text, "--said")


def test_future_dates_are_refused_for_past_events():
    with pytest.raises(InvalidInput, match="in the future"):
        parse_date("2031-01-01", "--said", not_after=date(2026, 11, 24))


def test_period_end_and_ordering_respect_precision():
    assert parse_date("2021-02").end == date(2021, 2, 28)
    assert parse_date("2020").end == date(2020, 12, 31)
    # a month cannot be said to come after a day inside it
    assert parse_date("2021-01").may_precede(parse_date("2021-01-01"))
    assert not parse_date("2021-02-01").may_precede(parse_date("2021-01"))
    assert PartialDate.of(None, None) is None
