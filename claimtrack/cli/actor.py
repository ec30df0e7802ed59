"""`claimtrack actor add | show | list | alias | affiliate | merge`: people and organizations."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import date_option, vocab_option

actor_app = typer.Typer(help="People and organizations that speak or publish.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")]
ActorArg = Annotated[str, typer.Argument(help="The actor: a name or alias, its id, or '#ID'.", show_default=False)]
KINDS = "person, organization, outlet, agency, government, unspecified"


@actor_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The display name, e.g. 'Leonid Volkov'.", show_default=False)],
    kind: Annotated[str, typer.Option("--kind", callback=vocab_option("ActorKind", "actor kind"), help=f"One of: {KINDS}.")] = "person",
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another spelling (repeatable).")] = None,
    description: Annotated[str | None, typer.Option("--description", help="Who this is, in a few words.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="A stable key for scripts.")] = None,
    wikidata: Annotated[str | None, typer.Option("--wikidata", help="Wikidata QID, e.g. Q123.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Add it even though actors with similar names exist.")] = False,
) -> None:
    """Add an actor; refuses a name another actor already has, and asks for --new when names are close."""
    from claimtrack.cli.objects import say
    from claimtrack.services.actors import add_actor, add_external_id

    with write_session(ctx) as session:
        actor = add_actor(session, name, kind=kind, aliases=tuple(alias or ()), description=description, key=key,
                          allow_similar=new)
        if wikidata:
            add_external_id(session, actor, "wikidata", wikidata)
        actor_id, actor_name = actor.id, actor.name
    say(f"Added actor {actor_id}: {actor_name}")


@actor_app.command("show")
def show(ctx: typer.Context, actor: ActorArg, as_json: JsonOption = False) -> None:
    """Show an actor: names, kind, affiliations, external ids and how often it speaks."""
    from claimtrack.cli.objects import actor_ref, kv_table
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.objects import actor_view

    with read_session(ctx) as session:
        view = actor_view(session, actor_ref(session, actor))
    if as_json:
        emit_json(view)
        return
    kv_table(f"actor {view.id}: {view.name}", [
        ("kind", view.kind), ("key", view.key), ("description", view.description), ("aliases", view.aliases),
        ("affiliations", [f"{a.role} of {a.organization or '—'}" + (f" from {a.start}" if a.start else "")
                          + (f" until {a.end}" if a.end else "") + f" (affiliation {a.id})"
                          + (f" [{a.status.upper()}: {a.status_reason}]" if a.status != "normal" else "")
                          for a in view.affiliations]),
        ("external ids", [f"{e['scheme']}: {e['value']}" for e in view.external_ids]),
        ("merged into", view.merged_into_id), ("statements", view.statements), ("documents", view.documents),
    ])


@actor_app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", callback=vocab_option("ActorKind", "actor kind"), help=f"Only this kind: {KINDS}.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Only actors with a name containing this.")] = None,
    include_merged: Annotated[bool, typer.Option("--include-merged", help="Also list merged actors.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List actors by name."""
    from claimtrack.cli.objects import list_table
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.objects import list_actors
    from claimtrack.vocab import ActorKind, parse_choice

    kind_value = parse_choice(ActorKind, kind, "actor kind").value if kind else None
    with read_session(ctx) as session:
        rows = list_actors(session, kind=kind_value, name=name, include_merged=include_merged, limit=limit)
    if as_json:
        emit_json(rows)
        return
    list_table("actors", ["id", "name", "kind", "aliases", "statements"],
               [[r.id, r.name, r.kind, ", ".join(a for a in r.aliases if a != r.name), r.statements] for r in rows],
               rows.total)


@actor_app.command("alias")
def alias(
    ctx: typer.Context,
    actor: ActorArg,
    spelling: Annotated[str, typer.Argument(help="The other spelling, e.g. 'Alexey Navalny'.", show_default=False)],
) -> None:
    """Give an actor another spelling of its name."""
    from claimtrack.cli.objects import actor_ref, say
    from claimtrack.services.actors import add_alias

    with write_session(ctx) as session:
        target = actor_ref(session, actor)
        add_alias(session, target, spelling)
        label = f"{target.name} (actor {target.id})"
    say(f"{spelling!r} now names {label}")


@actor_app.command("affiliate")
def affiliate(
    ctx: typer.Context,
    actor: ActorArg,
    role: Annotated[str, typer.Option("--role", help="The role, e.g. 'spokeswoman'.", show_default=False)],
    org: Annotated[str | None, typer.Option("--org", help="The organization the role is for.")] = None,
    start: Annotated[str | None, typer.Option("--start", callback=date_option, help="Since when (YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY).")] = None,
    end: Annotated[str | None, typer.Option("--end", callback=date_option, help="Until when (same forms).")] = None,
) -> None:
    """Record an actor's role for an organization (a spokeswoman of a ministry)."""
    from claimtrack.cli.objects import actor_ref, any_date, optional_actor, say
    from claimtrack.services.actors import affiliate as affiliate_service

    start_date, end_date = any_date(start, "--start"), any_date(end, "--end")
    with write_session(ctx) as session:
        person = actor_ref(session, actor)
        organization = optional_actor(session, org)
        obj = affiliate_service(session, person, organization, role, start=start_date, end=end_date)
        text = f"Affiliation {obj.id}: {person.name}, {obj.role}" + (f" of {organization.name}" if organization else "")
    say(text)


@actor_app.command("merge")
def merge(
    ctx: typer.Context,
    survivor: Annotated[str, typer.Argument(help="The actor to keep.", show_default=False)],
    duplicate: Annotated[str, typer.Argument(help="The duplicate to fold into it.", show_default=False)],
) -> None:
    """Merge a duplicate actor into another: statements, hops, documents, verdicts, aliases and
    affiliations move; the duplicate is kept, pointing at the survivor."""
    from claimtrack.cli.objects import actor_ref, say
    from claimtrack.services.actors import merge_actors

    with write_session(ctx) as session:
        keep = actor_ref(session, survivor)
        gone = actor_ref(session, duplicate)
        merge_actors(session, keep, gone)
        text = f"Merged actor {gone.id} ({gone.name}) into actor {keep.id} ({keep.name})"
    say(text)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(actor_app, name="actor")
