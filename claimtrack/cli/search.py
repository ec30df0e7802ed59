"""`claimtrack search TEXT`: ranked full text over claims, quotes and names."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import read_session
from claimtrack.cli.usage import date_option, vocab_option


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find in claim texts, quotes and actor names. "
                                             "Every word must occur; punctuation is ignored.", show_default=False)],
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only statements by this actor.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only statements reported by this outlet.")] = None,
    stance: Annotated[str | None, typer.Option("--stance", callback=vocab_option("Stance", "stance"), help="Only statements with this stance.")] = None,
    since: Annotated[str | None, typer.Option("--since", callback=date_option, help="Only statements said on or after (YYYY-MM-DD, "
                                                              "YYYY-MM, YYYY).")] = None,
    until: Annotated[str | None, typer.Option("--until", callback=date_option, help="Only statements said on or before.")] = None,
    verdict: Annotated[str | None, typer.Option("--verdict", help="Only claims with a verdict of this label.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many hits (0: all).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")] = False,
) -> None:
    """Search claims, quotes and actor names, best matches first."""
    from claimtrack.cli.objects import any_date, list_table, optional_actor
    from claimtrack.cli.output import emit_json
    from claimtrack.errors import InvalidInput
    from claimtrack.queries.search import SearchFilters
    from claimtrack.queries.search import search as run_search
    from claimtrack.vocab import Stance, parse_choice

    stance_value = parse_choice(Stance, stance, "stance").value if stance else None
    since_date, until_date = any_date(since, "--since"), any_date(until, "--until")
    if since_date and until_date and since_date.start > until_date.end:
        raise InvalidInput(f"--since {since_date} is after --until {until_date}")
    with read_session(ctx) as session:
        filters = SearchFilters(speaker=optional_actor(session, speaker), outlet=optional_actor(session, outlet),
                                stance=stance_value, since=since_date, until=until_date, verdict=verdict)
        hits = run_search(session, text, filters, limit=limit or None)
    if as_json:
        emit_json(hits)
        return
    from rich.text import Text

    from claimtrack.reports.text import join, user

    rows: list[list[object]] = []
    for h in hits:
        what: Text
        if h.kind == "statement":
            what = join(user(h.speaker) if h.speaker else "(unattributed)", f" {h.stance}: ", user(h.claim),
                        join(" — “", user(h.quote), "”") if h.quote else None)
            ref = f"statement {h.statement_id}"
        elif h.kind == "claim":
            what, ref = user(h.claim), f"claim {h.claim_id}"
        else:
            what, ref = user(h.name), f"actor {h.actor_id}"
        rows.append([ref, what, h.said, Text(", ").join(user(o) for o in h.outlets), f"{h.score:.3g}"])
    list_table(join("search: ", user(text)), ["hit", "what", "said", "reported by", "score"], rows)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("search")(search)
