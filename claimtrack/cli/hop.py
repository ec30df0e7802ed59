"""`claimtrack hop add`: a document reports a statement, relying on an intermediary."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import write_session

hop_app = typer.Typer(help="Links of attribution chains: which document reports which statement, via whom.",
                      no_args_is_help=True)


@hop_app.command("add")
def add(
    ctx: typer.Context,
    document: Annotated[str, typer.Option("--document", help="The reporting document's id or key.",
                                          show_default=False)],
    statement: Annotated[str, typer.Option("--statement", help="The statement's id or key.", show_default=False)],
    via: Annotated[str | None, typer.Option("--via", help="The intermediary actor: 'AFP', 'local media'.")] = None,
    via_hop: Annotated[str | None, typer.Option("--via-hop", help="The earlier hop (another document's report "
                                                                  "of the same statement) relied on.")] = None,
    cue: Annotated[str | None, typer.Option("--cue", help="How the document attributes it: 'told AFP'.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The quote as this document prints it.")] = None,
    primary: Annotated[bool, typer.Option("--primary", help="The speaker's own words (their post, a transcript).")] = False,
    new: Annotated[bool, typer.Option("--new", help="Create the intermediary actor if missing (a name close to "
                                                    "an existing one is refused: did you mean …?).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --new: create a name even when a similar one "
                                                        "exists.")] = False,
) -> None:
    """Record that a document reports a statement, relying on an actor and/or an earlier hop;
    refuses links that would make a citation cycle."""
    from claimtrack.cli.objects import confirm_names, say
    from claimtrack.models import Hop
    from claimtrack.queries.lookup import get_by_ref, get_document, get_statement
    from claimtrack.services.hops import add_hop
    from claimtrack.services.logging import guess_via_kind
    from claimtrack.services.resolve import resolve_optional

    names = {"--via": via}
    similar_ok = confirm_names(ctx, names, new=new, force=force)
    with write_session(ctx) as session:
        hop = add_hop(
            session, document=get_document(session, document), statement=get_statement(session, statement),
            via_hop=get_by_ref(session, Hop, via_hop) if via_hop else None,
            via_actor=resolve_optional(session, names["--via"], create=new, kind=guess_via_kind(via) if via else None,
                                       allow_similar=similar_ok, option="--via"),
            cue=cue, quote=quote, is_primary=primary,
        )
        text = f"Added hop {hop.id}: document {hop.document_id} reports statement {hop.statement_id}"
    say(text)


@hop_app.command("set-via")
def set_via(
    ctx: typer.Context,
    hop: Annotated[str, typer.Argument(help="The hop to change (id or key).", show_default=False)],
    via_hop: Annotated[str | None, typer.Argument(help="The earlier hop it relies on; omit to clear.",
                                                  show_default=False)] = None,
) -> None:
    """Change which earlier hop a hop relies on; refuses a change that would make a cycle."""
    from claimtrack.cli.objects import say
    from claimtrack.models import Hop
    from claimtrack.queries.lookup import get_by_ref
    from claimtrack.services.hops import set_via_hop

    with write_session(ctx) as session:
        target = get_by_ref(session, Hop, hop)
        set_via_hop(session, target, get_by_ref(session, Hop, via_hop) if via_hop else None)
        text = f"Hop {target.id} now relies on " + (f"hop {target.via_hop_id}" if target.via_hop_id else "no earlier hop")
    say(text)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(hop_app, name="hop")
