"""`claimtrack document add | show | list`: articles, dispatches, posts, broadcasts."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

import typer

from claimtrack.cli.context import read_session, write_session

document_app = typer.Typer(help="Where statements appeared: articles, dispatches, posts.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")]
KINDS = "article, dispatch, post, broadcast, press_release, transcript, translation, other"


@document_app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str | None, typer.Option("--url", help="The page's address; the same URL is the same document.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Who published it (a name or alias).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The headline or title.")] = None,
    published: Annotated[str | None, typer.Option("--published", help="When (YYYY-MM-DD, YYYY-MM, YYYY, ~…).")] = None,
    kind: Annotated[str, typer.Option("--kind", help=f"One of: {KINDS}.")] = "article",
    language: Annotated[str | None, typer.Option("--language", help="Language code, e.g. en, fr, ru.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="The byline, as printed.")] = None,
    archive_url: Annotated[str | None, typer.Option("--archive-url", help="An archived copy (web.archive.org…).")] = None,
    retrieved: Annotated[str | None, typer.Option("--retrieved", help="When you read it (YYYY-MM-DD); default today.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Create the outlet if no actor has that name.")] = False,
) -> None:
    """Add a document, or show the existing one with the same (normalized) URL."""
    from datetime import datetime

    from claimtrack.cli.objects import past_date, say
    from claimtrack.services.documents import add_document
    from claimtrack.services.resolve import resolve_optional

    published_date = past_date(published, "--published")
    retrieved_date = past_date(retrieved, "--retrieved")
    retrieved_at = (datetime.combine(retrieved_date.start, datetime.min.time(), tzinfo=UTC)
                    if retrieved_date else datetime.now(UTC))
    with write_session(ctx) as session:
        outlet_actor = resolve_optional(session, outlet, create=new, kind="outlet")
        result = add_document(session, url=url, outlet=outlet_actor, title=title, published=published_date, kind=kind,
                              language=language, author=author, archive_url=archive_url, retrieved_at=retrieved_at)
        doc_id = result.document.id
    say(f"{'Added' if result.created else 'Already logged:'} document {doc_id}")


@document_app.command("show")
def show(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="The document's id, key or URL.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Show a document and the statements it reports (its hops)."""
    from claimtrack.cli.objects import kv_table
    from claimtrack.cli.output import emit_json
    from claimtrack.errors import NotFound
    from claimtrack.queries.lookup import get_document
    from claimtrack.queries.objects import document_view
    from claimtrack.services.documents import find_document

    with read_session(ctx) as session:
        doc = find_document(session, url=document) if "/" in document or "." in document else None
        if doc is None:
            try:
                doc = get_document(session, document)
            except NotFound:
                raise NotFound(f"document {document!r} not found (give its id, key or URL)") from None
        view = document_view(session, doc)
    if as_json:
        emit_json(view)
        return
    kv_table(f"document {view.id}: {view.title or view.url}", [
        ("kind", view.kind), ("outlet", view.outlet), ("url", view.url), ("published", view.published),
        ("language", view.language), ("author", view.author), ("archive", view.archive_url),
        ("reports", [f"statement {h.statement_id} (hop {h.id})" + (f" via {h.via_actor}" if h.via_actor else "")
                     + (f" via hop {h.via_hop_id}" if h.via_hop_id else "") + (" [primary]" if h.is_primary else "")
                     + (f" — {h.cue}" if h.cue else "") for h in view.hops]),
    ])


@document_app.command("list")
def list_(
    ctx: typer.Context,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only documents of this outlet.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List documents, newest first."""
    from claimtrack.cli.objects import list_table, optional_actor
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.objects import list_documents

    with read_session(ctx) as session:
        rows = list_documents(session, outlet=optional_actor(session, outlet), limit=limit)
    if as_json:
        emit_json(rows)
        return
    list_table("documents", ["id", "published", "outlet", "title", "url", "hops"],
               [[r.id, r.published, r.outlet, r.title, r.url, r.hops] for r in rows])


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(document_app, name="document")
