"""`claimtrack log`: one line for the common case.

`log` is a group: run bare with options it logs a statement; `log verify` and `log show`
(claimtrack.cli.history) read the change log.

On a terminal (or with --interactive) missing required parts are asked for, and a name that
matches nobody exactly gets "Did you mean …?"; in scripts it fails listing the candidates
unless --new says to create what is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import past_date_option, vocab_option

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log_app = typer.Typer(help="Log a statement in one line; `log verify` / `log show` read the change log.")

STANCES = "asserts, confirms, denies, disputes, retracts, declines_to_comment, did_not_respond, reports"
DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, or ~ for approximate; not in the future"


def _ask_name(session: Session, field: str, option: str, name: str, create_fields: set[str],
              new: bool = False) -> str:
    """Interactive resolution of one name (claimtrack.cli.objects.ask_name); a name the person
    chose to create joins `create_fields`."""
    from claimtrack.cli.objects import ask_name

    chosen, create = ask_name(session, option, name, new=new)
    if create:
        create_fields.add(field)
    return chosen


def _prompt_stance() -> str:
    from claimtrack.errors import InvalidInput
    from claimtrack.vocab import Stance, parse_choice

    while True:
        answer = typer.prompt(f"Stance ({STANCES})", default="asserts")
        try:
            return parse_choice(Stance, answer, "stance").value
        except InvalidInput as exc:
            typer.echo(str(exc), err=True)


@log_app.callback(invoke_without_command=True)
def log(
    ctx: typer.Context,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Who said it (a name or alias, or '#ID').")] = None,
    anonymous: Annotated[str | None, typer.Option("--anonymous", help="An unnamed speaker: 'a former ally'.")] = None,
    stance: Annotated[str | None, typer.Option("--stance", callback=vocab_option("Stance", "stance"), help=f"One of: {STANCES}.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The words, verbatim.")] = None,
    quote_kind: Annotated[str | None, typer.Option("--quote-kind", callback=vocab_option("QuoteKind", "quote kind"), help="direct (default with --quote), "
                                                                        "indirect or mixed.")] = None,
    claim: Annotated[str | None, typer.Option("--claim", help="The claim's text (reused if already logged).")] = None,
    quantity_subject: Annotated[str | None, typer.Option("--quantity-subject",
                                                         help="The claim's figure: what is counted.")] = None,
    quantity_value: Annotated[float | None, typer.Option("--quantity-value", help="The figure, e.g. 3000.")] = None,
    quantity_bound: Annotated[str | None, typer.Option("--quantity-bound", callback=vocab_option("Bound", "quantity bound"), help="exact, about, at_least, "
                                                                                "more_than, at_most, less_than.")] = None,
    quantity_unit: Annotated[str | None, typer.Option("--quantity-unit", help="The figure's unit, e.g. people.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Who published the document.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The document's URL (same URL = same document).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The document's title (identifies it with "
                                                              "--outlet and --published when there is no URL).")] = None,
    published: Annotated[str | None, typer.Option("--published", callback=past_date_option, help=f"When the document appeared ({DATE_FORMS}).")] = None,
    via: Annotated[str | None, typer.Option("--via", help="The intermediary the document relied on: 'AFP', "
                                                          "'local media'.")] = None,
    via_cue: Annotated[str | None, typer.Option("--via-cue", help="How the document attributes it: 'told AFP'.")] = None,
    via_hop: Annotated[str | None, typer.Option("--via-hop", help="With --statement: the hop of an earlier report "
                                                                  "of it that this document relied on.")] = None,
    statement: Annotated[str | None, typer.Option("--statement", help="An already logged statement (id or key) "
                                                                      "that this document reports too: "
                                                                      "give only the document parts.")] = None,
    primary: Annotated[bool, typer.Option("--primary", help="The document is the speaker's own words.")] = False,
    cue: Annotated[str | None, typer.Option("--cue", help="How it was said: 'said', 'wrote on Telegram'.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="telegram, facebook, press conference…")] = None,
    context: Annotated[str | None, typer.Option("--context", help="The venue: 'a floor speech'.")] = None,
    said: Annotated[str | None, typer.Option("--said", callback=past_date_option, help=f"When it was said ({DATE_FORMS}).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language of the original words.")] = None,
    original: Annotated[str | None, typer.Option("--original", help="The wording before translation.")] = None,
    on_behalf_of: Annotated[str | None, typer.Option("--on-behalf-of", help="The organization spoken for.")] = None,
    nested_in: Annotated[str | None, typer.Option("--nested-in", "--about",
                                                  help="The statement this one is reported in "
                                                       "('X said that Y said'): its id or key.")] = None,
    document_kind: Annotated[str | None, typer.Option("--document-kind", callback=vocab_option("DocumentKind", "document kind"), help="article (default), dispatch, post, "
                                                                               "broadcast, press_release, "
                                                                               "transcript, translation, other.")] = None,
    document_language: Annotated[str | None, typer.Option("--document-language", help="The document's language.")] = None,
    document: Annotated[str | None, typer.Option("--document", help="An already logged document (id or key) "
                                                                    "that reports it: no need to retype outlet, "
                                                                    "title and date.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Create speakers, outlets and intermediaries that do not "
                                                    "exist yet (a name close to an existing one is refused: "
                                                    "did you mean …?).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --new: create a name even when a similar one "
                                                        "exists; log a statement even when the same one is "
                                                        "already logged in that document.")] = False,
    interactive: Annotated[bool | None, typer.Option("--interactive/--no-interactive",
                                                     help="Ask for missing parts and near-miss names. "
                                                          "Default: when stdin is a terminal.",
                                                     show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was resolved and created as JSON.")] = False,
    batch: Annotated[str | None, typer.Option("--batch", metavar="FILE|-",
                                              help="Log many statements from JSON lines (one object per line "
                                                   "with the fields of these options: speaker, stance, claim, "
                                                   "url, said…; '-' reads stdin) in one transaction: all or "
                                                   "nothing, every bad line named.")] = None,
) -> None:
    """Log a statement in one line: speaker, stance, quote, claim, document and intermediary.

    Example: claimtrack log --speaker "Leonid Volkov" --stance asserts --quote "several dozen"
    --claim "Police visited Navalny supporters at home" --outlet "The New Indian Express"
    --url URL --published 2021-07-28 --via AFP --cue "wrote on Telegram" --said 2021-07-28
    """
    if ctx.invoked_subcommand is not None:
        return  # `log verify` / `log show`: nothing to do here, and no prompts
    from claimtrack.cli.objects import fail_usage, is_interactive

    if batch is not None:
        given = [f"--{name.replace('_', '-')}" for name, value in ctx.params.items()
                 if name not in ("batch", "new", "as_json", "interactive") and value not in (None, False)]
        if given:
            fail_usage(f"it takes every statement from the file: drop {', '.join(given)}", "--batch")
        _log_batch(ctx, batch, new=new, as_json=as_json)
        return
    if speaker and anonymous:
        fail_usage("give either --speaker or --anonymous, not both", "--speaker / --anonymous")
    if statement is not None:
        given = [name for name, value in (("--speaker", speaker), ("--anonymous", anonymous), ("--stance", stance),
                                          ("--quote", quote), ("--claim", claim), ("--said", said), ("--cue", cue))
                 if value is not None]
        if given:
            fail_usage(f"--statement reuses a logged statement: drop {', '.join(given)}", "--statement")
        _log_report(ctx, statement, url=url, outlet=outlet, title=title, published=published, via=via,
                    via_hop=via_hop, via_cue=via_cue, primary=primary, document_kind=document_kind, new=new,
                    force=force, interactive=interactive, as_json=as_json)
        return
    if via_hop is not None:
        fail_usage("--via-hop needs --statement: a new statement has no earlier report to rely on", "--via-hop")
    ask = is_interactive(interactive)
    if ask:
        if claim is None:
            claim = typer.prompt("Claim (the checkable proposition)")
        if stance is None:
            stance = _prompt_stance()
        if speaker is None and anonymous is None:
            speaker = typer.prompt("Speaker (name or alias; blank for the reporter's own voice)", default="",
                                   show_default=False) or None
    missing = [name for name, value in (("--claim", claim), ("--stance", stance)) if value is None]
    if missing:
        fail_usage(f"missing {' and '.join(missing)} (or run on a terminal to be asked)", " ".join(missing))
    assert claim is not None and stance is not None

    create_fields: set[str] = set()
    names = {"speaker": speaker, "outlet": outlet, "via": via, "on_behalf_of": on_behalf_of}
    if ask and not force:
        with read_session(ctx) as session:
            for field, value in list(names.items()):
                if value and value.strip():
                    names[field] = _ask_name(session, field, "--" + field.replace("_", "-"), value, create_fields,
                                             new)

    from claimtrack.services.statements import log_statement

    extra: dict[str, Any] = {
        "quote_kind": quote_kind, "channel": channel, "context": context, "language": language,
        "original_text": original, "on_behalf_of": names["on_behalf_of"], "nested_in": nested_in,
        "via_cue": via_cue, "primary": primary, "document_kind": document_kind,
        "document_language": document_language, "create_fields": create_fields,
        "quantity_subject": quantity_subject, "quantity_value": quantity_value, "quantity_bound": quantity_bound,
        "quantity_unit": quantity_unit, "document_ref": document, "force": force,
    }
    with write_session(ctx) as session:
        result = log_statement(
            session, speaker=names["speaker"], claim=claim, stance=stance, quote=quote, outlet=names["outlet"],
            url=url, title=title, published=published, via=names["via"], cue=cue, said=said, anonymous=anonymous,
            create_missing=new, **extra,
        )
        warnings = _quote_warnings(session, result.hop_id)
    _report(result, as_json)
    _warn(warnings)


def _log_batch(ctx: typer.Context, batch: str, *, new: bool, as_json: bool) -> None:
    """`log --batch FILE|-`: every line logged in one transaction, or none."""
    import sys
    from pathlib import Path

    from claimtrack.cli.context import app_context
    from claimtrack.errors import ImportFailed
    from claimtrack.services.batch import log_batch, read_log_lines

    source = "stdin" if batch == "-" else batch
    try:
        text = sys.stdin.read() if batch == "-" else Path(batch).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFailed(f"{batch}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{source}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ImportFailed(f"{batch}: cannot read it ({exc.strerror})") from None
    lines = read_log_lines(text, source)  # read and checked before the write lock is taken
    results = app_context(ctx).database.run_write(
        lambda session: log_batch(session, lines, source=source, create_missing=new))
    if as_json:
        from dataclasses import asdict

        from claimtrack.cli.output import emit_json

        emit_json([{"line": number, **asdict(result)} for number, result in results])
        return
    from claimtrack.cli.objects import say

    say(f"Logged {len(results)} statement{'s' if len(results) != 1 else ''} from {source} in one transaction")
    for number, result in results:
        say(f"  line {number}: statement {result.statement_id} on claim {result.claim_id}"
            + (f", document {result.document_id} (hop {result.hop_id})" if result.document_id else "")
            + (f"; created {', '.join(result.created)}" if result.created else ""))


def _log_report(ctx: typer.Context, statement: str, *, new: bool, force: bool, interactive: bool | None,
                as_json: bool, **parts: Any) -> None:
    """`log --statement ID …`: one more document reporting a logged statement."""
    from claimtrack.cli.objects import confirm_names
    from claimtrack.services.logging import log_report

    names = {"--outlet": parts.pop("outlet"), "--via": parts.pop("via")}
    similar_ok = confirm_names(ctx, names, new=new, force=force, interactive=interactive)
    with write_session(ctx) as session:
        result = log_report(session, statement=statement, create_missing=new, force=similar_ok,
                            outlet=names["--outlet"], via=names["--via"], **parts)
        warnings = _quote_warnings(session, result.hop_id)
    _report(result, as_json)
    _warn(warnings)


def _quote_warnings(session: Any, hop_id: int | None) -> list[str]:
    """The quote-not-in-document finding for the new hop, if its document's text is stored."""
    if hop_id is None:
        return []
    from claimtrack.checks import Scope
    from claimtrack.checks.quote_text import quote_not_in_document

    return [p.message for p in quote_not_in_document(session, Scope(hop_id=hop_id))]


def _warn(warnings: list[str]) -> None:
    if warnings:
        from claimtrack.cli.output import err_console
        from claimtrack.reports.text import join, user

        for message in warnings:
            err_console.print(join(("Warning:", "bold yellow"), " ", user(message)), soft_wrap=True)


def _report(result: Any, as_json: bool) -> None:
    from dataclasses import asdict

    from claimtrack.cli.objects import say

    if as_json:
        from claimtrack.cli.output import emit_json

        emit_json(asdict(result))
        return
    say(f"Logged statement {result.statement_id} on claim {result.claim_id}"
        + (f", reported in document {result.document_id} (hop {result.hop_id})" if result.document_id else ""))
    say("  created: " + ", ".join(result.created))
    for s in result.suggested_same_as:
        say(f"  suggested same as claim {s['claim_id']} (score {s['score']:.2f}): {s['text']}"
            f" — confirm with: claimtrack claim link {result.claim_id} {s['claim_id']} --type same_as")


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
