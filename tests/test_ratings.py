"""Verdict normalization: numeric ratings by best/worst, textual labels by a small table."""

from __future__ import annotations

import pytest

from claimtrack.queries.ratings import (
    LABELS,
    POLITIFACT_SCALE,
    label_position,
    normalize_rating,
    numeric_position,
)


def test_politifact_scale_is_ordered_and_spans_0_to_1():
    positions = [label_position(label) for label in POLITIFACT_SCALE]
    assert positions == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert label_position("Pants on Fire!") == 0.0


@pytest.mark.parametrize("label,expected", [
    ("False", 0.2), ("FAKE", 0.2), ("Misleading", 0.4), ("Mostly false", 0.4), ("Partly false", 0.4),
    ("Half True", 0.6), ("Mostly True", 0.8), ("True", 1.0), ("Faux", 0.2),
    ("خطأ", 0.2), ("زائف", 0.2), ("مضلل", 0.4), ("مضلّل", 0.4), ("صحيح جزئياً", 0.6), ("صحيح", 1.0),
    ("Unproven", None), ("", None), (None, None), ("Is this a question?", None),
])
def test_labels(label, expected):
    assert label_position(label) == expected


@pytest.mark.parametrize("value,best,worst,expected", [
    (5, 5, 1, 1.0), (1, 5, 1, 0.0), (3, 5, 1, 0.5), (2, 1, 5, 0.75),  # a reversed scale (1 best)
    (3, None, 1, None), (None, 5, 1, None), (1, 1, 1, None),
])
def test_numeric(value, best, worst, expected):
    assert numeric_position(value, best, worst) == expected


def test_numeric_wins_over_label():
    assert normalize_rating("True", 1, 5, 1) == 0.0
    assert normalize_rating("True", None, None, None) == 1.0


def test_table_keys_are_folded():
    from claimtrack.normalize import fold

    assert all(fold(key) == key for key in LABELS)
    assert all(0.0 <= value <= 1.0 for value in LABELS.values())
