"""What a conflict listing is made of: the kinds, severities and result values every kind's
module shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

KINDS: tuple[str, ...] = ("stance", "reversal", "relation", "quantity", "verdict")

HIGH, MEDIUM, LOW = 3, 2, 1
SEVERITY_LABELS = {HIGH: "high", MEDIUM: "medium", LOW: "low"}

#: how many items of one side are loaded in detail; the side's full size is in side_totals
SIDE_CAP = 25


# --------------------------------------------------------------------------- result values


@dataclass
class Reported:
    """One place a statement was reported: a hop, its document and outlet."""

    hop_id: int
    document_id: int
    document: str
    outlet: str | None
    date: str | None
    url: str | None
    cue: str | None
    via: str | None
    primary: bool
    chain: str | None


@dataclass
class StatementItem:
    statement_id: int
    claim_id: int
    speaker: str | None  # actor name, anonymous descriptor, or None for the reporter's own voice
    speaker_id: int | None
    anonymous: bool
    role: str | None
    on_behalf_of: str | None
    stance: str
    quote: str | None
    quote_kind: str | None
    cue: str | None
    channel: str | None
    said: str | None
    status: str
    status_reason: str | None
    reported_in: list[Reported] = field(default_factory=list)
    figure: str | None = None  # quantity conflicts: the claim's figure, e.g. "more than 3,000"
    type: str = "statement"


@dataclass
class VerdictItem:
    verdict_id: int
    claim_id: int
    reviewer: str | None
    label: str
    value: float | None
    best: float | None
    worst: float | None
    normalized: float | None
    date: str | None
    url: str | None
    status: str
    status_reason: str | None
    type: str = "verdict"
    # the keys every item has (see docs/reports.md), so a script can read any side uniformly:
    # the reviewer speaks, on the date of the review, in the published fact-check
    speaker: str | None = None
    stance: str | None = None
    quote: str | None = None
    said: str | None = None
    reported_in: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.speaker = self.reviewer
        self.said = self.date
        if self.url and not self.reported_in:
            self.reported_in = [{"outlet": self.reviewer, "document": self.url, "date": self.date}]


@dataclass
class ClaimItem:
    """Stands for a claim on a side that has no statement to show (logged without a speaker)."""

    claim_id: int
    text: str
    figure: str | None
    type: str = "claim"
    status: str = "normal"
    speaker: None = None
    stance: None = None
    quote: None = None
    said: None = None
    reported_in: list[dict[str, Any]] = field(default_factory=list)


Item = StatementItem | VerdictItem | ClaimItem


@dataclass
class Conflict:
    kind: str
    claim_ids: list[int]
    summary: str
    severity: int  # 3 high, 2 medium, 1 low
    explanation: str
    sides: list[list[Item]]
    side_labels: list[str]
    side_totals: list[int]
    suggested: bool = False  # relation conflicts from a relation nobody has confirmed yet
    rests_on_retracted: bool = False

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (docs/reports.md)."""
        data = asdict(self)
        data["severity_label"] = self.severity_label
        return data


@dataclass
class ConflictList:
    conflicts: list[Conflict]
    total: int | None  # conflicts found, before --limit (None: more than the page, not counted)
    hidden_retracted: int | None  # left out: rest only on retracted/deprecated records (None: not counted)


@dataclass
class Candidate:
    """A conflict found by an aggregate query, built in detail only if its page is shown."""

    kind: str
    claim_ids: tuple[int, ...]
    severity: int
    weight: int
    rests_on_retracted: bool
    build: Callable[[], Conflict]
    speaker_id: int | None = None  # a reversal's speaker: orders those of one claim; loaded with the page


def on_retired_claim(candidate: Candidate) -> Candidate:
    """A conflict involving a retracted, deprecated or merged claim rests on a retired record."""
    original = candidate.build

    def build() -> Conflict:
        conflict = original()
        if conflict.rests_on_retracted:
            return conflict
        return replace(conflict, severity=LOW, rests_on_retracted=True,
                       summary=conflict.summary + " (A claim in it is retracted, deprecated or merged.)")

    return replace(candidate, severity=LOW, rests_on_retracted=True, build=build)
