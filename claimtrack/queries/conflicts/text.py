"""The wording of conflict summaries: who is on a side, how many, a claim's text shortened; and
what a listing leaves out (plain text: `conflicts --json` says it without the renderers)."""

from __future__ import annotations

from collections.abc import Iterable

from claimtrack.queries.conflicts.values import ConflictList, StatementItem


def speaker_names(items: Iterable[StatementItem]) -> str:
    seen: list[str] = []
    for item in items:
        name = item.speaker or "the reporter's own voice"
        if item.anonymous:
            name = f"\u201c{name}\u201d"
        if item.status != "normal":
            name += f" [{item.status}]"
        if name not in seen:
            seen.append(name)
    if len(seen) > 3:
        return ", ".join(seen[:3]) + f" and {len(seen) - 3} more"
    return ", ".join(seen)


def count_note(total: int) -> str:
    return f" ({total} statements)" if total > 1 else ""


def short_text(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def conflict_notes(result: ConflictList) -> list[str]:
    """What the listing leaves out, said out loud (never silently)."""
    notes = []
    if not result.conflicts:
        notes.append("No conflicts found.")
    if result.total is None:
        notes.append(f"Showing the {len(result.conflicts)} most severe conflicts; there are more "
                     "(use --limit to see more). Conflicts resting only on retracted or deprecated "
                     "records come after them (--include-retracted lists them).")
    elif result.total > len(result.conflicts):
        notes.append(f"Showing {len(result.conflicts)} of {result.total} conflicts (most severe first); "
                     "use --limit to see more.")
    if result.hidden_retracted:
        plural = "s" if result.hidden_retracted != 1 else ""
        notes.append(f"{result.hidden_retracted} conflict{plural} resting only on retracted or deprecated "
                     f"records not shown; --include-retracted lists {'them' if plural else 'it'}.")
    return notes
