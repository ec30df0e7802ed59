"""`claimtrack verdict add | list`: fact-checkers' ratings of claims."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import past_date_option

verdict_app = typer.Typer(help="Ratings of claims by fact-checkers (several may disagree).", no_args_is_help=True)


@verdict_app.command("add")
def add(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id or key.", show_default=False)],
    label: Annotated[str, typer.Option("--label", help="The rating as published: 'half-true', 'false'.",
                                       show_default=False)],
    value: Annotated[float | None, typer.Option("--value", help="The rating on a numeric scale.")] = None,
    best: Annotated[float | None, typer.Option("--best", help="The best value of the scale.")] = None,
    worst: Annotated[float | None, typer.Option("--worst", help="The worst value of the scale.")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who rated it (a name or alias).")] = None,
    reviewed: Annotated[str | None, typer.Option("--reviewed", callback=past_date_option, help="When (YYYY-MM-DD…); not in the future.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The published fact-check.")] = None,
    explanation: Annotated[str | None, typer.Option("--explanation", help="Why, in a sentence or two.")] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="An evidence URL (repeatable).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language code of the fact-check.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Create the reviewer if no actor has that name (a name close "
                                                    "to an existing one is refused: did you mean …?).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --new: create a name even when a similar one "
                                                        "exists.")] = False,
) -> None:
    """Rate a claim; earlier verdicts are kept, disagreeing ones included."""
    from claimtrack.cli.objects import confirm_names, past_date, say
    from claimtrack.queries.lookup import get_claim
    from claimtrack.services.resolve import resolve_optional
    from claimtrack.services.verdicts import add_verdict

    reviewed_date = past_date(reviewed, "--reviewed")
    names = {"--reviewer": reviewer}
    similar_ok = confirm_names(ctx, names, new=new, force=force)
    with write_session(ctx) as session:
        verdict = add_verdict(
            session, claim=get_claim(session, claim), label=label, value=value, best=best, worst=worst,
            reviewer=resolve_optional(session, names["--reviewer"], create=new, kind="organization",
                                      allow_similar=similar_ok, option="--reviewer"), reviewed=reviewed_date,
            url=url, explanation=explanation, evidence_urls=evidence or (), language=language,
        )
        text = f"Added verdict {verdict.id} on claim {verdict.claim_id}: {verdict.label}"
    say(text)


@verdict_app.command("list")
def list_(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Option("--claim", help="Only verdicts on this claim (id or key).")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Only this reviewer's verdicts.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Only this label.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")] = False,
) -> None:
    """List verdicts, oldest first."""
    from claimtrack.cli.objects import list_table, optional_actor
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.lookup import get_claim
    from claimtrack.queries.objects import list_verdicts

    with read_session(ctx) as session:
        rows = list_verdicts(session, claim=get_claim(session, claim) if claim else None,
                             reviewer=optional_actor(session, reviewer), label=label, limit=limit)
    if as_json:
        emit_json(rows)
        return
    list_table("verdicts", ["id", "claim", "label", "value", "reviewer", "reviewed"],
               [[v.id, f"{v.claim_id}: {v.claim}", v.label,
                 f"{v.value:g}" + (f" ({v.worst:g}..{v.best:g})" if v.best is not None and v.worst is not None else "")
                 if v.value is not None else None, v.reviewer, v.reviewed] for v in rows], rows.total)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(verdict_app, name="verdict")
