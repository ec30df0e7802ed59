"""`claimtrack chain`: trace a document back to its sources, or a statement forward to its carriers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from claimtrack.cli.context import read_session


def _resolve(session: Any, target: str) -> tuple[str, int]:
    """("document" | "statement", id) for what the user typed: a prefixed ref, a URL, or a document."""
    from sqlalchemy import select

    from claimtrack.errors import InvalidInput, NotFound
    from claimtrack.models import Document, Hop
    from claimtrack.normalize import normalize_url
    from claimtrack.queries.lookup import get_by_ref, get_document, get_statement

    text = target.strip()
    if not text:
        raise InvalidInput("give a document (id, key or URL) or statement:ID to trace")
    if "://" in text or text.lower().startswith("www."):
        document_id = session.scalar(select(Document.id).where(Document.url_normalized == normalize_url(text)))
        if document_id is None:
            raise NotFound(f"no document has the URL {text!r} (log it with `claimtrack document add`)")
        return "document", document_id
    kind, _, ref = text.partition(":")
    if ref and kind.lower() in ("document", "doc", "d"):
        return "document", get_document(session, ref).id
    if ref and kind.lower() in ("statement", "s"):
        return "statement", get_statement(session, ref).id
    if ref and kind.lower() == "hop":
        return "document", get_by_ref(session, Hop, ref).document_id
    # a bare id or key means a document; keys themselves may contain ':' ("liar:2635.json")
    return "document", get_document(session, text).id


def chain(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(
        metavar="DOCUMENT_OR_STATEMENT",
        help="document:ID, statement:ID (id or key), hop:ID (its document), a document URL, "
             "or a bare id/key meaning a document.", show_default=False)],
    json_output: Annotated[bool, typer.Option("--json", help="Print the chain as JSON (keys in docs/chains-and-audit.md).")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the chain as Markdown (nested bullets).")] = False,
    output: Annotated[Path | None, typer.Option("--output", help="Also write the chain to FILE.html (a page with "
                                                "the chain as nested lists) or FILE.svg (a terminal picture).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file when it exists.")] = False,
) -> None:
    """Show an attribution chain as a tree: from a document, every statement it carries traced
    back hop by hop to the primary source (or to where the trail goes cold); from a statement,
    forward to every document that carries it. Circular citations are cut and reported."""
    from dataclasses import asdict

    from claimtrack.cli.report import check_output_path, deliver
    from claimtrack.queries.chains import document_chain, statement_chain

    check_output_path(ctx, output, force)
    with read_session(ctx) as session:
        kind, ident = _resolve(session, target)
        data: Any = document_chain(session, ident) if kind == "document" else statement_chain(session, ident)

    def tree() -> Any:  # the renderers (Rich) only when the chain is shown for people
        from claimtrack.reports import chain_tree

        return chain_tree

    def html() -> str:
        from claimtrack.reports.html import chain_html

        return chain_html(kind, data)

    deliver(json_data=lambda: {"kind": kind, **asdict(data)}, renderables=lambda: tree().chain_renderables(data),
            markdown_text=lambda: tree().chain_markdown(kind, data), as_json=json_output, markdown=markdown,
            output=output, ctx=ctx, force=force, title=f"claimtrack · chain of {kind} {ident}", html=html)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("chain")(chain)
