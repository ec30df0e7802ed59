"""`claimtrack statement add | show | retract`: one act of saying."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import past_date_option, vocab_option

statement_app = typer.Typer(help="Who said what about a claim, when, and with what stance.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")]
StatementArg = Annotated[str, typer.Argument(help="The statement's id or key.", show_default=False)]
STANCES = "asserts, confirms, denies, disputes, retracts, declines_to_comment, did_not_respond, reports"


@statement_app.command("add")
def add(
    ctx: typer.Context,
    stance: Annotated[str, typer.Option("--stance", callback=vocab_option("Stance", "stance"), help=f"One of: {STANCES}.", show_default=False)],
    claim: Annotated[str | None, typer.Option("--claim", help="The claim's text (reused if already logged).")] = None,
    claim_id: Annotated[str | None, typer.Option("--claim-id", help="An existing claim's id or key.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Who said it (a name or alias).")] = None,
    anonymous: Annotated[str | None, typer.Option("--anonymous", help="An unnamed speaker: 'a former ally'.")] = None,
    on_behalf_of: Annotated[str | None, typer.Option("--on-behalf-of", help="The organization spoken for.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The words, verbatim.")] = None,
    quote_kind: Annotated[str | None, typer.Option("--quote-kind", callback=vocab_option("QuoteKind", "quote kind"), help="direct, indirect or mixed.")] = None,
    cue: Annotated[str | None, typer.Option("--cue", help="How it was said: 'wrote on Telegram', 'told AFP'.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="telegram, facebook, press conference…")] = None,
    context: Annotated[str | None, typer.Option("--context", help="The venue: 'a floor speech'.")] = None,
    said: Annotated[str | None, typer.Option("--said", callback=past_date_option, help="When (YYYY-MM-DD, YYYY-MM, YYYY, ~…); not in the future.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language of the original words.")] = None,
    original: Annotated[str | None, typer.Option("--original", help="The wording before translation.")] = None,
    nested_in: Annotated[str | None, typer.Option("--nested-in", "--about",
                                                  help="The statement this one is reported in "
                                                       "('X said that Y said').")] = None,
    new: Annotated[bool, typer.Option("--new", help="Create actors that do not exist yet (a name close to an "
                                                    "existing one is refused: did you mean …?).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --new: create a name even when a similar one "
                                                        "exists.")] = False,
) -> None:
    """Add a statement about a claim, by a speaker or an anonymous descriptor (or neither: the
    reporter's own voice)."""
    from claimtrack.cli.objects import confirm_names, fail_usage, past_date, say
    from claimtrack.queries.lookup import get_claim, get_statement
    from claimtrack.services.claims import add_claim
    from claimtrack.services.resolve import resolve_optional
    from claimtrack.services.statements import add_statement
    from claimtrack.vocab import Stance, parse_choice

    if speaker and anonymous:
        fail_usage("give either --speaker or --anonymous, not both", "--speaker / --anonymous")
    if (claim is None) == (claim_id is None):
        fail_usage("give the claim's text with --claim, or an existing claim with --claim-id (one of them)",
                   "--claim / --claim-id")
    parse_choice(Stance, stance, "stance")
    said_date = past_date(said, "--said")
    names = {"--speaker": speaker, "--on-behalf-of": on_behalf_of}
    similar_ok = confirm_names(ctx, names, new=new, force=force)
    with write_session(ctx) as session:
        claim_obj = get_claim(session, claim_id) if claim_id else add_claim(session, claim or "").claim
        st = add_statement(
            session, claim=claim_obj, stance=stance,
            speaker=resolve_optional(session, names["--speaker"], create=new, kind="person",
                                     allow_similar=similar_ok, option="--speaker"), descriptor=anonymous,
            on_behalf_of=resolve_optional(session, names["--on-behalf-of"], create=new, kind="organization",
                                          allow_similar=similar_ok, option="--on-behalf-of"),
            quote=quote, quote_kind=quote_kind, cue=cue, channel=channel, context=context, said=said_date,
            language=language, original_text=original,
            parent=get_statement(session, nested_in) if nested_in else None,
        )
        text = f"Added statement {st.id} on claim {claim_obj.id}"
    say(text)


@statement_app.command("show")
def show(ctx: typer.Context, statement: StatementArg, as_json: JsonOption = False) -> None:
    """Show a statement with its claim, speaker, quote and where it was reported."""
    from claimtrack.cli.objects import kv_table
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.lookup import get_statement
    from claimtrack.queries.objects import statement_view

    with read_session(ctx) as session:
        view = statement_view(session, get_statement(session, statement))
    if as_json:
        emit_json(view)
        return
    kv_table(f"statement {view.id}" + (f" [{view.status.upper()}]" if view.status != "normal" else ""), [
        ("claim", f"{view.claim} (claim {view.claim_id})"),
        ("speaker", view.speaker or (f"{view.speaker_descriptor} (anonymous)" if view.speaker_descriptor
                                     else "(unattributed: the reporter's own voice)")),
        ("on behalf of", view.on_behalf_of), ("stance", view.stance),
        ("quote", f"“{view.quote}” ({view.quote_kind})" if view.quote else None),
        ("cue", view.cue), ("channel", view.channel), ("context", view.context), ("said", view.said),
        ("original", view.original_text), ("nested in", view.parent_id),
        ("reports it nests", view.nested_ids),
        ("status", f"{view.status}: {view.status_reason}" if view.status != "normal" else None),
        ("reported in", [f"{r.outlet or '?'}" + (f", {r.published}" if r.published else "")
                         + (f": {r.title}" if r.title else "") + (f" via {r.via_actor}" if r.via_actor else "")
                         + (f" via hop {r.via_hop_id}" if r.via_hop_id else "") + f" (document {r.document_id})"
                         for r in view.reported_in]),
    ])


@statement_app.command("retract")
def retract(
    ctx: typer.Context,
    statement: StatementArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it was wrong (required).")] = None,
    deprecate: Annotated[bool, typer.Option("--deprecate", help="Mark it superseded rather than wrong.")] = False,
) -> None:
    """Withdraw a wrongly logged statement; it stays visible with its status and reason."""
    from claimtrack.cli.objects import say
    from claimtrack.errors import InvalidInput
    from claimtrack.queries.lookup import get_statement
    from claimtrack.services.statements import retract_statement

    if reason is None or not reason.strip():
        raise InvalidInput("retracting needs --reason (why the statement was wrong)")
    with write_session(ctx) as session:
        st = retract_statement(session, get_statement(session, statement), reason,
                               status="deprecated" if deprecate else "retracted")
        text = f"Statement {st.id} is now {st.status}: {st.status_reason}"
    say(text)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(statement_app, name="statement")
