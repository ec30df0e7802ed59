"""The wording of conflict summaries: who is on a side, how many, a claim's text shortened."""

from __future__ import annotations

from collections.abc import Iterable

from claimtrack.queries.conflicts.values import StatementItem


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
