"""`claimtrack suggest DOCUMENT | list | accept N | reject N`: attributions found in a stored text, reviewed."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import vocab_option


class SuggestGroup(TyperGroup):
    """`claimtrack suggest DOCUMENT` is short for `claimtrack suggest run DOCUMENT`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


suggest_app = typer.Typer(
    cls=SuggestGroup, no_args_is_help=True,
    help="Attributions found in a document's stored text, for you to accept or reject: "
         "`claimtrack suggest DOCUMENT` finds and queues them (same as `suggest run DOCUMENT`).",
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/formats.md).")]


@suggest_app.command("run")
def run(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(help="The document's id, key or URL (its text must be stored: "
                                                 "`document add --file`).", show_default=False)],
    version: Annotated[int | None, typer.Option("--version", min=1, help="Which stored version of the text "
                                                                        "(default: the newest).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Find the attributions in a document's stored text and queue them as suggestions.

    Sources are matched to known actors (aliases included); "he", "she", "it" and titles such as
    "the monitor" are linked to the nearest named speaker before them when only one fits.
    Running it again queues only what is new.
    """
    from claimtrack.cli.document import _find
    from claimtrack.services.suggestions import suggest_document

    with write_session(ctx) as session:
        doc = _find(session, document)
        queued = suggest_document(session, doc, version=version)
        rows = [_row(s) for s in queued.added]
        doc_id, snap_version, already = doc.id, queued.version, queued.already
    if as_json:
        from claimtrack.cli.output import emit_json

        emit_json(rows)
        return
    from claimtrack.cli.objects import say

    say(f"Queued {len(rows)} suggestion(s) from document {doc_id} (text version {snap_version})"
        + (f"; {already} found before" if already else ""))
    _table(rows)
    if rows:
        say("Next: claimtrack suggest accept N [--claim TEXT] [--stance STANCE], or claimtrack suggest reject N")


@suggest_app.command("list")
def list_(
    ctx: typer.Context,
    document: Annotated[str | None, typer.Option("--document", help="Only this document (id, key or URL).")] = None,
    status: Annotated[str, typer.Option("--status", callback=vocab_option("SuggestionStatus", "status", "all"), help="pending, accepted, rejected, or all.")] = "pending",
    as_json: JsonOption = False,
) -> None:
    """List suggestions (pending ones by default), in reading order."""
    from claimtrack.cli.document import _find
    from claimtrack.services.suggestions import list_suggestions

    with read_session(ctx) as session:
        doc = _find(session, document) if document else None
        rows = [_row(s) for s in list_suggestions(session, document=doc, status=None if status == "all" else status)]
    if as_json:
        from claimtrack.cli.output import emit_json

        emit_json(rows)
        return
    _table(rows)


@suggest_app.command("accept")
def accept(
    ctx: typer.Context,
    suggestion: Annotated[int, typer.Argument(help="The suggestion's number (see `suggest list`).", show_default=False)],
    claim: Annotated[str | None, typer.Option("--claim", help="The claim, worded by you (default: the content).")] = None,
    stance: Annotated[str | None, typer.Option("--stance", callback=vocab_option("Stance", "stance"), help="asserts, denies, … (default: the suggested one).")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Who said it, if not the suggested speaker.")] = None,
    anonymous: Annotated[str | None, typer.Option("--anonymous", help="An unnamed speaker: 'a former ally'.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The words to record, if fewer than the "
                                                               "suggested content (checked against the text).")] = None,
    via: Annotated[str | None, typer.Option("--via", help="Who the document relied on: 'AFP', 'local media'.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Create the speaker (or --via) if no actor has that name (a "
                                                    "name close to an existing one is refused: did you mean …?).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --new: create a name even when a similar one "
                                                        "exists.")] = False,
) -> None:
    """Accept a suggestion: it becomes an ordinary statement reported by its document (one hop).

    The suggestion keeps how it was found (method, extractor version, rule, confidence) and
    points at the new statement.
    """
    if speaker and anonymous:
        from claimtrack.cli.objects import fail_usage

        fail_usage("give either --speaker or --anonymous, not both", "--speaker / --anonymous")
    from claimtrack.cli.objects import confirm_names
    from claimtrack.services.suggestions import accept_suggestion

    names = {"--speaker": speaker, "--via": via}
    similar_ok = confirm_names(ctx, names, new=new, force=force)
    with write_session(ctx) as session:
        s = accept_suggestion(session, suggestion, claim=claim, stance=stance, speaker=names["--speaker"],
                              anonymous=anonymous, quote=quote, via=names["--via"], create=new,
                              allow_similar=similar_ok, force=force)
        statement_id, claim_id = s.statement_id, (s.statement_id and _claim_of(session, s.statement_id))
    from claimtrack.cli.objects import say

    say(f"Accepted suggestion {suggestion}: statement {statement_id} on claim {claim_id}")
    _quote_warning(ctx, statement_id)


def _claim_of(session: Any, statement_id: int) -> int:
    from claimtrack.models import Statement

    st = session.get(Statement, statement_id)
    return st.claim_id


def _quote_warning(ctx: typer.Context, statement_id: int | None) -> None:
    if statement_id is None:
        return
    from sqlalchemy import select

    from claimtrack.cli.log import _quote_warnings, _warn
    from claimtrack.models import Hop

    with read_session(ctx) as session:
        hop_id = session.scalar(select(Hop.id).where(Hop.statement_id == statement_id))
        warnings = _quote_warnings(session, hop_id)
    _warn(warnings)


@suggest_app.command("reject")
def reject(
    ctx: typer.Context,
    suggestion: Annotated[int, typer.Argument(help="The suggestion's number.", show_default=False)],
) -> None:
    """Reject a suggestion; it stays recorded, so it is not suggested again."""
    from claimtrack.services.suggestions import reject_suggestion

    with write_session(ctx) as session:
        reject_suggestion(session, suggestion)
    from claimtrack.cli.objects import say

    say(f"Rejected suggestion {suggestion}")


def _row(s: Any) -> dict[str, Any]:
    def span(a: int | None, b: int | None) -> list[int] | None:
        return None if a is None or b is None else [a, b]

    return {
        "id": s.id, "document_id": s.document_id, "snapshot_id": s.snapshot_id, "status": s.status,
        "source": s.source, "source_span": span(s.source_start, s.source_end),
        "speaker_id": s.speaker_id, "speaker": s.speaker.name if s.speaker is not None else None,
        "speaker_note": s.speaker_note, "cue": s.cue, "cue_span": [s.cue_start, s.cue_end],
        "content": s.content, "content_span": span(s.content_start, s.content_end),
        "quote_kind": s.quote_kind, "stance": s.stance, "confidence": s.confidence,
        "parent_id": s.parent_id, "method": s.method, "statement_id": s.statement_id,
    }


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    from claimtrack.cli.output import console
    from claimtrack.reports.text import user

    if not rows:
        console.print(Text("No suggestions."))
        return
    table = Table(show_lines=False)
    for col in ("#", "speaker", "cue", "content", "stance", "conf."):
        table.add_column(col, overflow="fold")
    for r in rows:
        who = r["speaker"] or r["source"] or "—"
        if r["speaker"] and r["source"] and r["speaker"] != r["source"]:
            who = f"{r['speaker']} ({r['source']})"
        content = " ".join((r["content"] or "—").split())
        content = content if len(content) <= 140 else content[:139] + "…"
        stance = r["stance"] + (f" → st. {r['statement_id']}" if r["statement_id"] else "")
        table.add_row(Text(str(r["id"])), user(who), user(r["cue"]), user(content), user(stance),
                      Text(f"{r['confidence']:.2f}"))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(suggest_app, name="suggest")
