"""What every importer produces and what an import reports: items, rejects and the summary.

Each reader turns its source (a LIAR row, a ClaimReview object, a native line) into an `Item`:
the line it came from plus the native records (see docs/formats.md) it stands for. That is the
pure planning step; `claimtrack.formats.apply` resolves keys and writes. A source item that
cannot be read becomes a `Bad` value carrying its line and the reason, so `--skip-bad` can
keep going and all-or-nothing imports can stop with a precise message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

#: native record types, in the order an export writes them (every reference points backwards)
RECORD_TYPES = ("actor", "affiliation", "document", "claim", "statement", "hop", "relation", "verdict")


@dataclass
class Item:
    """One source item (a line, a row, an object) and the native records it stands for.

    The records of one item are applied together: in `--skip-bad` mode a bad record rejects
    the whole item, so a LIAR row never leaves a statement without its verdict.
    """

    line: int | None
    records: list[dict[str, Any]]
    raw: Any = None
    #: for an item with nothing to record (an empty annotation): the kind to count as skipped
    skipped: str | None = None
    #: what `line` counts: "line" of a text file, or "record"/"entry"/"object" of a JSON document
    unit: str = "line"


@dataclass
class Bad:
    """A source item that could not be read, with where and why."""

    line: int | None
    reason: str
    raw: Any = None
    unit: str = "line"


@dataclass
class KindCounts:
    created: int = 0
    matched: int = 0
    skipped: int = 0


@dataclass
class ImportSummary:
    """What an import did (or, with --dry-run, would do), per kind of record."""

    file: str
    format: str
    sha256: str | None = None
    dry_run: bool = False
    items: int = 0
    rejected: int = 0
    counts: dict[str, KindCounts] = field(default_factory=dict)
    #: per table, [first id, last id] of the rows this import created
    id_ranges: dict[str, list[int]] = field(default_factory=dict)
    rejects_file: str | None = None
    #: bad items grouped by the kind of reason (see `note_reason`)
    reasons: dict[str, ReasonGroup] = field(default_factory=dict)
    #: with --dry-run: the first items' records, so a user sees a mapping before anything is written
    preview: list[dict[str, Any]] = field(default_factory=list)

    def note_reason(self, line: int | None, reason: str) -> None:
        """Count a bad item under its kind of reason: the reason with its record label and
        quoted values left out, so 512 rows with 512 different unreadable dates are one group."""
        shape = _QUOTED.sub("…", _LABEL.sub("", reason, count=1))
        group = self.reasons.get(shape)
        if group is None:
            group = self.reasons[shape] = ReasonGroup(example=_LABEL.sub("", reason, count=1))
        group.count += 1
        if line is not None and len(group.lines) < 5:
            group.lines.append(line)

    @property
    def unit_word(self) -> str:
        """What one source item is called in messages: a row of a table, else a record."""
        return "row" if self.format in ("csv", "liar", "emergent", "polnear") else "record"

    def reason_lines(self, unit: str = "row") -> list[str]:
        """One line per kind of reason, most frequent first: "512 rows: published: '…' is not a date … (lines 2, 3, …)"."""
        out = []
        for group in sorted(self.reasons.values(), key=lambda g: -g.count):
            where = ", ".join(str(n) for n in group.lines)
            more = ", …" if group.count > len(group.lines) else ""
            label = unit if group.count == 1 else unit + "s"
            out.append(f"{group.count:,} {label}: {group.example}" + (f" (line {where}{more})" if where else ""))
        return out

    def count(self, kind: str) -> KindCounts:
        if kind not in self.counts:
            self.counts[kind] = KindCounts()
        return self.counts[kind]

    def created(self, kind: str) -> int:
        return self.counts[kind].created if kind in self.counts else 0

    def matched(self, kind: str) -> int:
        return self.counts[kind].matched if kind in self.counts else 0

    @property
    def total_created(self) -> int:
        return sum(c.created for c in self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        """The documented `--json` form (see docs/formats.md)."""
        return {
            "file": self.file,
            "format": self.format,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "items": self.items,
            "rejected": self.rejected,
            "rejects_file": self.rejects_file,
            "counts": {
                kind: {"created": c.created, "matched": c.matched, "skipped": c.skipped}
                for kind, c in sorted(self.counts.items(), key=lambda kv: _kind_order(kv[0]))
            },
            "id_ranges": dict(sorted(self.id_ranges.items())),
            **({"reasons": [{"count": g.count, "reason": g.example, "lines": g.lines}
                            for g in sorted(self.reasons.values(), key=lambda g: -g.count)]}
               if self.reasons else {}),
            **({"preview": self.preview} if self.preview else {}),
        }


@dataclass
class ReasonGroup:
    """Bad items that failed for one kind of reason: how many, the first one's reason, some lines."""

    example: str
    count: int = 0
    lines: list[int] = field(default_factory=list)


_LABEL = re.compile(r"^[a-z]+ '[^']*': |^[a-z]+: (?=\w+ )")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def _kind_order(kind: str) -> tuple[int, str]:
    return (RECORD_TYPES.index(kind) if kind in RECORD_TYPES else len(RECORD_TYPES), kind)


_SLUG_DROP = re.compile(r"[\W_]+", re.UNICODE)


def slug(text: str, max_length: int = 60) -> str:
    """A readable key part: folded words joined by '-', cut at a word boundary."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [w for w in _SLUG_DROP.split(stripped) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_length:
            if not out:
                out = word[:max_length]
            break
        out = candidate
    return out or "x"
