"""`claimtrack audit`: name every gap in the attribution record; `audit ack` accepts one."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimtrack.cli.context import read_session, write_session


class FailOn(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"


# kept in step with checks.RULE_NAMES by tests/test_audit_echo.py (importing checks here would slow --help)
RULES_HELP = ("unattributed, vague-source, anonymous-speaker, no-primary-source, time-order, "
              "circular-citation, echo, linked-by-name-only, quote-drift, quote-not-in-document, missing-dates, "
              "no-source, translated-quote, unfindable-document, undated-statement")

audit_app = typer.Typer(invoke_without_command=True)


@audit_app.callback(invoke_without_command=True)
def audit(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Option("--claim", metavar="ID", help="Only the statements of this claim (id or key).")] = None,
    document: Annotated[str | None, typer.Option("--document", metavar="ID", help="Only what this document (id or key) carries.")] = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", metavar="RULE", help=f"Run only this rule (repeatable): {RULES_HELP}.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when an unacknowledged problem this severe or "
                                                              "worse exists ('never': always exit 0).")] = FailOn.ERROR,
    show_all: Annotated[bool, typer.Option("--all", help="Also list acknowledged problems.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the problems as a JSON list (keys in docs/chains-and-audit.md).")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the problems as Markdown.")] = False,
    output: Annotated[Path | None, typer.Option("--output", help="Also write the audit to FILE.html (findings "
                                                "with the objects they involve) or FILE.svg.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file when it exists.")] = False,
    since_last: Annotated[bool, typer.Option("--since-last", help="Re-check only the claims changed since your last "
                                             "--since-last audit (the first one checks everything), then remember "
                                             "how far it got.")] = False,
) -> None:
    """Audit attribution chains: unattributed, vague and anonymous sources, chains without a
    primary source, impossible dates, circular citation, echoes, quote drift, quotes missing
    from the stored text of the document reporting them.

    Lists every problem with a sentence, its severity, the objects involved and its key.
    Exits 1 when an unacknowledged problem at or above --fail-on exists, so a newsroom can run
    it in its own checks; `claimtrack audit ack KEY --reason …` accepts one."""
    if ctx.invoked_subcommand is not None:
        return
    from claimtrack.checks import RULE_NAMES, Scope, failing, run_audit
    from claimtrack.cli.report import check_output_path

    if json_output and markdown:
        raise typer.BadParameter("choose one of --json and --markdown", param_hint="'--json' / '--markdown'")
    check_output_path(ctx, output, force)
    from claimtrack.queries.lookup import get_claim, get_document

    for name in rule or []:
        if name not in RULE_NAMES:
            raise typer.BadParameter(f"unknown rule {name!r}; expected one of: {', '.join(RULE_NAMES)}",
                                     param_hint="--rule")
    if since_last and (claim or document or rule):
        raise typer.BadParameter("--since-last re-checks every rule on what changed; it cannot be combined "
                                 "with --claim, --document or --rule", param_hint="--since-last")

    head = None
    with read_session(ctx) as session:
        if since_last:
            head, scope, note = _since_last(ctx, session)
        else:
            scope = Scope(
                claim_id=get_claim(session, claim).id if claim else None,
                document_id=get_document(session, document).id if document else None,
            )
        problems = [] if scope is None else run_audit(session, scope, rule or None)
        coverage = None
        if scope is not None and (not rule or "quote-not-in-document" in rule):
            from claimtrack.checks.quote_text import quote_coverage

            coverage = quote_coverage(session, scope).sentence()
    if head is not None:
        from claimtrack.cli.context import app_context
        from claimtrack.services.audit_marks import set_audit_mark

        with write_session(ctx) as session:
            set_audit_mark(session, app_context(ctx).database.user, head)
        from claimtrack.cli.output import console, err_console

        (err_console if json_output or markdown else console).print(note)
    if json_output:
        _stream_json(p.as_dict() for p in problems if show_all or not p.acknowledged)
    elif markdown:
        import sys

        from claimtrack.reports.audit_view import audit_markdown

        sys.stdout.write(audit_markdown(problems, show_all=show_all))
    else:
        from claimtrack.cli.output import console
        from claimtrack.reports.audit_view import render_audit

        render_audit(problems, console, show_all=show_all)
    if coverage:  # on stderr with --json, so stdout stays one JSON list
        from claimtrack.cli.objects import say

        if json_output or markdown:
            import sys

            print(coverage, file=sys.stderr)
        else:
            say(coverage)
    if output is not None:
        from claimtrack.cli.output import err_console
        from claimtrack.cli.report import _protected
        from claimtrack.outfiles import output_path
        from claimtrack.reports.audit_view import audit_renderables
        from claimtrack.reports.common import export
        from claimtrack.reports.html import audit_html

        with output_path(output, force=force, protect=_protected(ctx)) as partial:
            export(lambda: audit_renderables(problems, show_all=show_all),
                   lambda: audit_html(problems, show_all=show_all), partial, "claimtrack · audit")
        err_console.print(f"Wrote {output}")
    if fail_on is not FailOn.NEVER and failing(problems, fail_on.value):
        raise typer.Exit(1)


def _since_last(ctx: typer.Context, session: Any) -> tuple[int, Any, str]:
    """(the newest event, the scope to audit or None for nothing, a one-line note) for --since-last."""
    from claimtrack.checks import Scope
    from claimtrack.checks.incremental import changed, head_event_id
    from claimtrack.cli.context import app_context
    from claimtrack.services.audit_marks import audit_mark

    head = head_event_id(session)
    mark = audit_mark(session, app_context(ctx).database.user)
    if mark is None:
        return head, Scope(), f"First --since-last audit: checked everything (up to event {head})."
    if mark >= head:
        return head, None, f"Nothing changed since your last audit (event {mark})."
    found = changed(session, mark, head)
    events = f"event {head}" if head == mark + 1 else f"events {mark + 1}-{head}"
    if found is None:
        return head, Scope(), f"Checked everything: {events} changed too much to narrow the audit."
    claims, documents = found
    if not claims and not documents:
        return head, None, f"Nothing to re-check: {events} changed nothing the audit reads."
    what = [f"{len(claims)} claim{'s' if len(claims) != 1 else ''}"] if claims else []
    if documents:
        what.append(f"{len(documents)} document{'s' if len(documents) != 1 else ''}")
    return head, Scope(claim_ids=frozenset(claims), document_ids=frozenset(documents)), (
        f"Re-checked {' and '.join(what)} changed by {events}.")


@audit_app.command("ack")
def ack(
    ctx: typer.Context,
    problem_key: Annotated[str, typer.Argument(help="The problem's key, as listed by `claimtrack audit` "
                                                    "(e.g. vague-source:statement:12).", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why this problem is acceptable; recorded with your name.",
                                        show_default=False)],
) -> None:
    """Acknowledge an audit problem: it stops failing the audit and is listed only with --all."""
    from claimtrack.services.acknowledgements import acknowledge_problem

    with write_session(ctx) as session:
        acknowledgement = acknowledge_problem(session, problem_key, reason)
        key = acknowledgement.problem_key
    from claimtrack.cli.objects import say

    say(f"Acknowledged {key}")


def _stream_json(items: Iterable[dict[str, Any]]) -> None:
    """Write a JSON list item by item, byte for byte what `emit_json(list)` writes.

    A whole-archive audit has a million problems: one `json.dumps` of the list would hold every
    dict and the whole (gigabyte) string at once. JSON strings never hold a raw newline, so
    indenting an item's own lines by two spaces nests it exactly as the list dump does.
    """
    import sys

    from claimtrack.cli.output import to_json

    write = sys.stdout.write
    separator = "[\n  "
    for item in items:
        write(separator)
        write(to_json(item).replace("\n", "\n  "))
        separator = ",\n  "
    write("[]\n" if separator == "[\n  " else "\n]\n")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(audit_app, name="audit")
