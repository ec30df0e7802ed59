"""`claimtrack document add | show | list | text`: articles, dispatches, posts, broadcasts, and their text."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

import typer

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import past_date_option, vocab_option

document_app = typer.Typer(help="Where statements appeared: articles, dispatches, posts.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")]
KINDS = "article, dispatch, post, broadcast, press_release, transcript, translation, other"


@document_app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str | None, typer.Option("--url", help="The page's address; the same URL is the same document.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Who published it (a name or alias).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The headline or title.")] = None,
    published: Annotated[str | None, typer.Option("--published", callback=past_date_option, help="When (YYYY-MM-DD, YYYY-MM, YYYY, ~…).")] = None,
    kind: Annotated[str, typer.Option("--kind", callback=vocab_option("DocumentKind", "document kind"), help=f"One of: {KINDS}.")] = "article",
    language: Annotated[str | None, typer.Option("--language", help="Language code, e.g. en, fr, ru.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="The byline, as printed.")] = None,
    archive_url: Annotated[str | None, typer.Option("--archive-url", help="An archived copy (web.archive.org…).")] = None,
    retrieved: Annotated[str | None, typer.Option("--retrieved", callback=past_date_option, help="When you read it (YYYY-MM-DD); default today.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Create the outlet if no actor has that name (a name close "
                                                    "to an existing one is refused: did you mean …?).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --new: create a name even when a similar one "
                                                        "exists.")] = False,
    file: Annotated[str | None, typer.Option(
        "--file", help="The saved page (.html or .txt, or - for standard input): its text is stored as a "
        "snapshot, and title, byline, date, site and language are taken from it unless given.")] = None,
    attach_to: Annotated[int | None, typer.Option("--attach-to", help="Attach --url to this document, logged "
                                                                     "without a URL (asked on a terminal).")] = None,
) -> None:
    """Add a document, or show the existing one with the same (normalized) URL, or the same
    outlet, title and date (quote marks, dashes and case aside).

    With --file the page's text is kept (see `document text`); adding the same URL again with
    different text stores a new version, never overwriting the old one.
    """
    from datetime import datetime

    from claimtrack.cli.objects import past_date, say
    from claimtrack.services.documents import add_document
    from claimtrack.services.resolve import resolve_optional

    page = None
    if file is not None:
        from claimtrack.cli.extract import read_input
        from claimtrack.extract.page import read_page

        data, name = read_input(file)
        page = read_page(data, name, url=url)  # bad input fails here, before the database is opened
        found = _prefill(page)
        title = title or found.get("title")
        author = author or found.get("byline")
        language = language or found.get("language")
        published = published or found.get("date")
    published_date = past_date(published, "--published")
    retrieved_date = past_date(retrieved, "--retrieved")
    retrieved_at = (datetime.combine(retrieved_date.start, datetime.min.time(), tzinfo=UTC)
                    if retrieved_date else datetime.now(UTC))
    from claimtrack.cli.objects import confirm_names, is_interactive
    from claimtrack.services.documents import SameDocument

    names = {"--outlet": outlet}
    similar_ok = confirm_names(ctx, names, new=new, force=force)

    site_note = None
    attach = attach_to
    for attempt in range(2):
        try:
            with write_session(ctx) as session:
                outlet_actor = resolve_optional(session, names["--outlet"], create=new, kind="outlet",
                                                allow_similar=similar_ok, option="--outlet")
                if outlet_actor is None and page is not None and page.site_name:
                    outlet_actor, site_note = _outlet_from_site(session, page.site_name)
                result = add_document(session, url=url, outlet=outlet_actor, title=title,
                                      published=published_date, kind=kind, language=language, author=author,
                                      archive_url=archive_url, retrieved_at=retrieved_at, attach_to=attach)
                doc_id = result.document.id
                stored = None
                if page is not None:
                    import hashlib

                    from claimtrack.services.snapshots import add_snapshot

                    stored = add_snapshot(session, result.document, text=page.text, media_type=page.media_type,
                                          byte_size=page.byte_size, source_hash=hashlib.sha256(data).hexdigest(),
                                          retrieved_at=retrieved_at)
                    version, created, previous = stored.snapshot.version, stored.created, stored.previous
            break
        except SameDocument as same:
            if attempt or not is_interactive(None) or not typer.confirm(
                    f"{same} — attach the URL to document {same.document_id}?", default=True):
                raise
            attach = same.document_id
    if page is not None:
        _show_found(page, site_note)
    say(f"Attached the URL to document {doc_id}" if result.attached
        else f"{'Added' if result.created else 'Already logged:'} document {doc_id}")
    if stored is not None and page is not None:
        if not created:
            say(f"Text unchanged: same as version {version} (nothing stored)")
        elif previous is None:
            say(f"Stored its text as version {version} ({len(page.text):,} characters, {page.media_type})")
        else:
            say(f"Stored its text as version {version}: it differs from version {previous.version}")


def _prefill(page) -> dict[str, str]:
    """What the page says about itself; for plain text, its first line is taken as the title."""
    found = {"title": page.title, "byline": page.author, "date": page.published, "language": page.language}
    if page.media_type == "text/plain" and not page.title:
        first = next((line.strip() for line in page.text.splitlines() if line.strip()), "")
        if 0 < len(first) <= 200:
            found["title"] = first
    return {k: v for k, v in found.items() if v}


def _outlet_from_site(session, site_name: str):
    from claimtrack.services.resolve import find_exact

    actors = find_exact(session, site_name)
    if len(actors) == 1:
        return actors[0], f"outlet {actors[0].name} (from the site name)"
    return None, f"site {site_name!r} is not a known actor; give --outlet NAME (--new to create it)"


def _show_found(page, site_note: str | None) -> None:
    from claimtrack.cli.objects import say

    found = _prefill(page)
    parts = [f"{label} {found[key]!r}" for key, label in (("title", "title"), ("byline", "byline"),
                                                           ("date", "date"), ("language", "language")) if key in found]
    if page.site_name:
        parts.append(f"site {page.site_name!r}")
    say("Found in the page: " + ("; ".join(parts) if parts else "no title, byline, date, site or language")
        + " (options given on the command line win)")
    if site_note:
        say(f"  {site_note}")


@document_app.command("show")
def show(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="The document's id, key or URL.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Show a document and the statements it reports (its hops)."""
    from claimtrack.cli.objects import kv_table
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.objects import document_view
    from claimtrack.services.snapshots import list_snapshots

    with read_session(ctx) as session:
        doc = _find(session, document)
        view = document_view(session, doc)
        versions = _versions(list_snapshots(session, doc))
    if as_json:
        from dataclasses import asdict

        emit_json({**asdict(view), "snapshots": versions})
        return
    kv_table(f"document {view.id}: {view.title or view.url}" + _marker(view.status, view.merged_into_id, "document"), [
        ("status", f"{view.status}: {view.status_reason}" if view.status != "normal" else None),
        ("version", str(view.version)), ("kind", view.kind), ("outlet", view.outlet), ("url", view.url), ("published", view.published),
        ("language", view.language), ("author", view.author), ("archive", view.archive_url),
        ("reports", [f"statement {h.statement_id} (hop {h.id})" + (f" via {h.via_actor}" if h.via_actor else "")
                     + (f" via hop {h.via_hop_id}" if h.via_hop_id else "") + (" [primary]" if h.is_primary else "")
                     + (f" — {h.cue}" if h.cue else "")
                     + (f" [{h.status.upper()}: {h.status_reason}]" if h.status != "normal" else "")
                     for h in view.hops]),
        ("text", [f"version {v['version']}: read {v['when']}, {v['characters']:,} characters, "
                  f"{v['media_type']}, sha256 {v['content_hash'][:12]}…"
                  + (f" — differs from version {v['version'] - 1} ({v['changed_lines']} lines changed)"
                     if v["changed_lines"] is not None else "") for v in versions]),
    ])


def _find(session, document: str):
    from claimtrack.errors import NotFound
    from claimtrack.queries.lookup import get_document
    from claimtrack.services.documents import find_document

    doc = find_document(session, url=document) if "/" in document or "." in document else None
    if doc is None:
        try:
            doc = get_document(session, document)
        except NotFound:
            raise NotFound(f"document {document!r} not found (give its id, key or URL)") from None
    return doc


def _versions(snapshots: list) -> list[dict]:
    """Each stored version, and how many lines changed from the one before."""
    import difflib

    out = []
    previous = None
    for snap in snapshots:
        changed = None
        if previous is not None:
            diff = difflib.unified_diff(previous.text.splitlines(), snap.text.splitlines(), lineterm="", n=0)
            changed = sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))
        out.append({"version": snap.version, "content_hash": snap.content_hash, "byte_size": snap.byte_size,
                    "characters": len(snap.text), "media_type": snap.media_type,
                    "retrieved_at": snap.retrieved_at.isoformat() if snap.retrieved_at else None,
                    "when": (snap.retrieved_at or snap.created_at).strftime("%Y-%m-%d %H:%M UTC"),
                    "created_at": snap.created_at.isoformat(), "differs_from_previous": previous is not None,
                    "changed_lines": changed})
        previous = snap
    return out


@document_app.command("text")
def text(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="The document's id, key or URL.", show_default=False)],
    version: Annotated[int | None, typer.Option("--version", min=1, help="Which stored version (default: the newest).")] = None,
) -> None:
    """Print the stored text of a document, exactly as kept (the text offsets refer to)."""
    from claimtrack.cli.extract import write_text
    from claimtrack.services.snapshots import get_snapshot

    with read_session(ctx) as session:
        snap = get_snapshot(session, _find(session, document), version)
        body = snap.text
    write_text(body)


@document_app.command("list")
def list_(
    ctx: typer.Context,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only documents of this outlet.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 100,
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
    list_table("documents", ["id", "published", "outlet", "title", "url", "hops", "status"],
               [[r.id, r.published, r.outlet, r.title, r.url, r.hops, r.status] for r in rows], rows.total)


def _marker(status: str, merged_into_id: int | None, kind: str) -> str:
    """" [RETRACTED]" / " [MERGED into document 3]" after a retired record's title."""
    if merged_into_id is not None:
        return f" [MERGED into {kind} {merged_into_id}]"
    return f" [{status.upper()}]" if status != "normal" else ""


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(document_app, name="document")
