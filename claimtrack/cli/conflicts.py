"""`claimtrack conflicts`: conflicting and denied claims, side by side, most severe first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from claimtrack.cli.context import read_session
from claimtrack.cli.usage import date_option

KIND_NAMES = ("stance", "reversal", "relation", "quantity", "verdict")  # claimtrack.queries.conflicts.KINDS


def _kinds(values: list[str] | None) -> list[str] | None:
    """Accept `--kind stance --kind quantity` and `--kind stance,quantity`."""
    if not values:
        return None
    kinds: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if name not in KIND_NAMES:
                raise typer.BadParameter(
                    f"unknown conflict kind {part.strip()!r}; expected one of: {', '.join(KIND_NAMES)}",
                    param_hint="'--kind'",
                )
            if name not in kinds:
                kinds.append(name)
    return kinds


def conflicts(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Option("--claim", help="Only conflicts involving this claim (id or key).")] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help=f"Only these kinds (repeat or comma-separate): {', '.join(KIND_NAMES)}."),
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only conflicts involving statements by this actor (name, alias, id or key).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", callback=date_option, help="Only conflicts with a statement said (or verdict given) on or after this date (YYYY[-MM[-DD]]).")
    ] = None,
    include_retracted: Annotated[
        bool, typer.Option("--include-retracted", help="Also list conflicts that rest only on retracted or deprecated records.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many conflicts (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the conflicts as JSON (see docs/reports.md).")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the conflicts as Markdown.")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", help="Also write the conflicts to FILE.html or FILE.svg "
                                  "(refused when the file exists, unless --force).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file when it exists.")] = False,
) -> None:
    """List conflicts, most severe first: opposing stances on a claim, contradicting claims,
    different figures for one count, speakers who reversed themselves, disagreeing verdicts.
    Each shows its sides in columns: who said it, the quote, when, and where it was reported.
    Retracted and deprecated statements are shown marked as such."""
    from claimtrack.cli.report import check_output_path, deliver, html_module

    kinds = _kinds(kind)
    check_output_path(ctx, output, force)
    from claimtrack.cli.objects import actor_ref
    from claimtrack.dates import parse_optional_date
    from claimtrack.queries.conflicts import actor_ids_with_merged, find_conflicts
    from claimtrack.queries.conflicts.text import conflict_notes
    from claimtrack.queries.lookup import get_claim

    since_date = parse_optional_date(since, "--since")
    with read_session(ctx) as session:
        claim_id = get_claim(session, claim).id if claim is not None else None
        speaker_ids = actor_ids_with_merged(session, actor_ref(session, speaker, offer_new=False).id) if speaker is not None else None
        result = find_conflicts(session, claim_id=claim_id, kinds=kinds, speaker_ids=speaker_ids,
                                since=since_date.start if since_date else None,
                                include_retracted=include_retracted, limit=limit or None)
    deliver(
        json_data=lambda: [c.to_dict() for c in result.conflicts],
        renderables=lambda: _renderers().conflicts_renderables(result),
        markdown_text=lambda: _renderers().conflicts_markdown(result),
        as_json=as_json, markdown=markdown, output=output, ctx=ctx, force=force, title="claimtrack conflicts",
        notes=conflict_notes(result),
        html=lambda: html_module().conflicts_html(result, kind=", ".join(kinds) if kinds else None),
    )


def _renderers() -> Any:
    """Rich renderers, imported only to print them (`--json` needs none)."""
    from claimtrack.reports import conflicts as renderers

    return renderers


def register(app: typer.Typer) -> None:
    app.command("conflicts")(conflicts)
