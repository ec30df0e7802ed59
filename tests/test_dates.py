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
    [("2021-02-30", "not a real date"), ("Wednesday", "not a date"), ("01/02/2021", "ambiguous"), ("01/02/21", "four-digit year"), ("", "not a date")],
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


# --------------------------------------------------------------------------- dates in the wild


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20210123", "2021-01-23"),  # ISO 8601 basic
        ("2019-07-22 17:16:52", "2019-07-22"),  # a datetime with a space (ClaimReview sheets)
        ("2025-04-28T19:23:46Z", "2025-04-28"),  # the Google Fact Check API's reviewDate
        ("2025-04-28T23:30:00-05:00", "2025-04-28"),  # the day in the zone written, not in UTC
        ("20210123T101500Z", "2021-01-23"),
        ("2021/01/23", "2021-01-23"),
        ("23.01.2021", "2021-01-23"),  # only one reading: 23 cannot be a month
        ("01/23/2021", "2021-01-23"),
        ("05/05/2021", "2021-05-05"),  # both readings are the same day
        ("11 March 2024", "2024-03-11"),
        ("March 2024", "2024-03"),  # a month, not the first of March
        ("~March 2024", "~2024-03"),
        ("Jan 23, 2021", "2021-01-23"),
        ("23 de janeiro de 2021", "2021-01-23"),
        ("23. Januar 2021", "2021-01-23"),
        ("1 février 2021", "2021-02-01"),
        ("23 يناير 2021", "2021-01-23"),
        ("٢٣ يناير ٢٠٢١", "2021-01-23"),  # Arabic-Indic digits
        ("23 января 2021", "2021-01-23"),
        ("Saturday, January 23, 2021 3:00 PM EST", "2021-01-23"),
    ],
)
def test_dates_as_files_write_them(text, expected):
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11 March", "not a date"),  # no year: dateparser would read March 2011
        ("yesterday", "not a date"),  # relative dates are no record
        ("foo 2021", "not a date"),
        ("2019-07-22 25:00", "not a real date and time"),
        ("32/01/2021", "not a real date"),
        ("20211301", "not a real date"),
    ],
)
def test_unreadable_dates_are_errors(text, expected):
    with pytest.raises(InvalidInput, match=expected):
        parse_date(text, "published")


def test_ambiguous_numeric_dates_are_never_guessed():
    with pytest.raises(InvalidInput) as caught:
        parse_date("01/02/2021", "published")
    message = str(caught.value)
    assert "1 February 2021 or 2 January 2021" in message and "--date-order" in message
    assert str(parse_date("01/02/2021", order="DMY")) == "2021-02-01"
    assert str(parse_date("01/02/2021", order="MDY")) == "2021-01-02"
    with pytest.raises(InvalidInput, match="not a date in MDY order"):
        parse_date("13/02/2021", order="MDY")
