"""Closed vocabularies shared by the models, the services and the CLI.

Plain `StrEnum`s with no SQLAlchemy import, so the CLI can list valid values in `--help`
without paying for the database layer. Values are stored as these strings and guarded by
named CHECK constraints in the database.
"""

from __future__ import annotations

from enum import StrEnum


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    OUTLET = "outlet"
    AGENCY = "agency"  # news agency / wire service: AFP, Reuters, AP
    GOVERNMENT = "government"
    UNSPECIFIED = "unspecified"  # "local media", "sources said": a source nobody can check


class Stance(StrEnum):
    ASSERTS = "asserts"
    CONFIRMS = "confirms"
    DENIES = "denies"
    DISPUTES = "disputes"
    RETRACTS = "retracts"
    DECLINES_TO_COMMENT = "declines_to_comment"
    DID_NOT_RESPOND = "did_not_respond"
    REPORTS = "reports"  # neutral reporting: says it was said, takes no side


#: stances that support a claim, and those that oppose it; the rest take no side
SUPPORTING_STANCES = frozenset({Stance.ASSERTS, Stance.CONFIRMS})
OPPOSING_STANCES = frozenset({Stance.DENIES, Stance.DISPUTES, Stance.RETRACTS})


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class StatementStatus(StrEnum):
    NORMAL = "normal"
    RETRACTED = "retracted"  # the fact-checker withdrew this record (wrongly logged)
    DEPRECATED = "deprecated"  # superseded; kept so nobody re-adds it


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"  # became an ordinary statement (statement_id)
    REJECTED = "rejected"


class RelationType(StrEnum):
    CONTRADICTS = "contradicts"
    SUPPORTS = "supports"
    SAME_AS = "same_as"
    REFINES = "refines"


class RelationStatus(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"  # a suggestion a person turned down: never suggested again
    RETRACTED = "retracted"  # a confirmed link withdrawn as wrong (with a reason)
    DEPRECATED = "deprecated"  # a confirmed link superseded (with a reason)


class Bound(StrEnum):
    """How a figure is bounded: "more than 3,000" is (3000, MORE_THAN)."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DocumentKind(StrEnum):
    ARTICLE = "article"
    DISPATCH = "dispatch"  # a wire story
    POST = "post"  # social media: Telegram, Facebook, X/Twitter
    BROADCAST = "broadcast"
    PRESS_RELEASE = "press_release"
    TRANSCRIPT = "transcript"
    TRANSLATION = "translation"
    OTHER = "other"


def parse_choice(enum: type[StrEnum], value: str, field: str) -> StrEnum:
    """Accept a vocabulary value case-insensitively, with '-' or ' ' for '_'.

    Raises InvalidInput listing the valid values, e.g. "unknown stance 'deny'; expected one of …".
    """
    from claimtrack.errors import InvalidInput

    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(cleaned)
    except ValueError:
        valid = ", ".join(m.value for m in enum)
        guess = did_you_mean(enum, cleaned)
        hint = f"; did you mean {guess!r}?" if guess else ""
        raise InvalidInput(f"unknown {field} {value!r}; expected one of: {valid}{hint}") from None


#: words people write for a vocabulary value (the noun, the bare verb, a shorthand)
SYNONYMS: dict[str, str] = {
    "denial": "denies", "deny": "denies", "denied": "denies", "assert": "asserts", "asserted": "asserts",
    "claim": "asserts", "claims": "asserts", "says": "asserts", "said": "asserts", "confirm": "confirms",
    "confirmed": "confirms", "confirmation": "confirms", "dispute": "disputes", "disputed": "disputes",
    "retract": "retracts", "retracted": "retracts", "retraction": "retracts", "report": "reports",
    "reported": "reports", "no_comment": "declines_to_comment", "declined": "declines_to_comment",
    "declined_to_comment": "declines_to_comment", "decline": "declines_to_comment",
    "no_response": "did_not_respond", "no_reply": "did_not_respond", "no_answer": "did_not_respond",
    "not_responded": "did_not_respond", "did_not_reply": "did_not_respond", "unresponsive": "did_not_respond",
    "contradiction": "contradicts", "contradict": "contradicts", "support": "supports", "same": "same_as",
    "duplicate": "same_as", "refine": "refines", "quote": "direct", "paraphrase": "indirect",
}


def did_you_mean(enum: type[StrEnum], cleaned: str) -> str | None:
    """The vocabulary value a mistyped word most likely meant, or None."""
    import difflib

    values = [m.value for m in enum]
    if SYNONYMS.get(cleaned) in values:
        return SYNONYMS[cleaned]
    close = difflib.get_close_matches(cleaned, values, n=1, cutoff=0.6)
    return close[0] if close else None
