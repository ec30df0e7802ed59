"""Verdict normalization: put every rating on one 0–1 scale so disagreeing verdicts can be found.

0 is the "false" end, 1 the "true" end. A numeric rating (ClaimReview `ratingValue` with
`bestRating`/`worstRating`) is placed linearly between worst and best. A textual label is looked
up, after `claimtrack.normalize.fold`, in the small table below; a label nobody can place
("unproven", "satire", a paragraph of prose) gives None and is compared on its wording only.

The table is deliberately small and documented (docs/reports.md): PolitiFact's six labels spaced
evenly, and the labels that occur most in real ClaimReview feeds (English and Arabic).
"""

from __future__ import annotations

from functools import lru_cache

from claimtrack.normalize import fold

#: PolitiFact's Truth-O-Meter, false end first; evenly spaced on 0–1
POLITIFACT_SCALE: tuple[str, ...] = ("pants-fire", "false", "barely-true", "half-true", "mostly-true", "true")

_P = {label: round(index / (len(POLITIFACT_SCALE) - 1), 2) for index, label in enumerate(POLITIFACT_SCALE)}

#: label -> position on 0–1 (English gloss in the comment where the label is not English)
_TABLE: dict[str, float] = {
    # PolitiFact (LIAR spells them with hyphens; fold() turns those into spaces)
    "pants fire": _P["pants-fire"],
    "pants on fire": _P["pants-fire"],
    "false": _P["false"],
    "barely true": _P["barely-true"],
    "half true": _P["half-true"],
    "mostly true": _P["mostly-true"],
    "true": _P["true"],
    # common ClaimReview labels, placed on the same scale
    "fake": 0.2,
    "faux": 0.2,  # French: false
    "incorrect": 0.2,
    "wrong": 0.2,
    "fabricated": 0.2,
    "mostly false": 0.4,
    "partly false": 0.4,
    "misleading": 0.4,
    "missing context": 0.6,
    "half truth": 0.6,
    "mixture": 0.6,
    "partly true": 0.6,
    "correct": 1.0,
    "accurate": 1.0,
    # Arabic (the Google Fact Check sample); diacritics are folded away
    "خطأ": 0.2,  # error
    "خاطئ": 0.2,  # wrong
    "زائف": 0.2,  # false
    "كاذب": 0.2,  # false
    "خبر كاذب": 0.2,  # false news
    "غير صحيح": 0.2,  # not true
    "مزيف": 0.2,  # fake
    "مفبرك": 0.2,  # fabricated
    "مش حقيقي": 0.2,  # not real (dialect)
    "مضلل": 0.4,  # misleading
    "تضليل": 0.4,  # misleading
    "زائف جزئيا": 0.4,  # partly false
    "زائف جزئي": 0.4,  # partly false
    "غير صحيح جزئيا": 0.4,  # partly untrue
    "صحيح جزئيا": 0.6,  # partly true
    "نصف حقيقي": 0.6,  # half true
    "صحيح": 1.0,  # true
}

#: the table under its matching form: fold() also drops Arabic hamza and diacritics (أ → ا)
LABELS: dict[str, float] = {fold(label): position for label, position in _TABLE.items()}


@lru_cache(maxsize=4096)  # few distinct labels, met thousands of times by the conflicts query
def label_position(label: str | None) -> float | None:
    """Where a textual label sits on 0–1, or None when the table does not know it."""
    if not label:
        return None
    return LABELS.get(fold(label))


def numeric_position(value: float | None, best: float | None, worst: float | None) -> float | None:
    """A numeric rating placed linearly between worst (0) and best (1); None without a full scale."""
    if value is None or best is None or worst is None or best == worst:
        return None
    position = (value - worst) / (best - worst)
    return round(min(1.0, max(0.0, position)), 4)


def normalize_rating(label: str | None, value: float | None = None, best: float | None = None,
                     worst: float | None = None) -> float | None:
    """The verdict's 0–1 position: the numeric rating when it has a scale, else its label."""
    numeric = numeric_position(value, best, worst)
    return numeric if numeric is not None else label_position(label)
