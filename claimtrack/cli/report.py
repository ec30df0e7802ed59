"""`claimtrack report claim|speaker|outlet|timeline`: the reports a fact-checker sends an editor.

Every report prints for the terminal (Rich), or `--json` (keys in docs/reports.md), or
`--markdown`; `--output FILE.html|FILE.svg` also writes it as a standalone file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from claimtrack.cli.context import read_session
from claimtrack.cli.usage import date_option

report_app = typer.Typer(help="Reports on a claim, a speaker, an outlet, or a timeline.", no_args_is_help=True)

_SUFFIXES = (".html", ".htm", ".svg")

JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON (see docs/reports.md).")]
MarkdownOption = Annotated[bool, typer.Option("--markdown", help="Print the report as Markdown.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="Also write the report to FILE.html or FILE.svg (to send to an editor); "
                              "refused when the file exists, unless --force.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the --output file when it exists.")]


def _views() -> Any:
    """claimtrack.reports.views (Rich), imported when a report is rendered for people."""
    from claimtrack.reports import views

    return views


def html_module() -> Any:
    """claimtrack.reports.html (the templates), imported when a report is exported."""
    from claimtrack.reports import html

    return html


def _protected(ctx: typer.Context) -> list[tuple[str, Path]]:
    from claimtrack.cli.context import app_context

    return [("the database", f) for f in app_context(ctx).database.files()]


def check_output_path(ctx: typer.Context, output: Path | None, force: bool = False) -> None:
    """Refuse an export file we cannot or must not write before doing any work."""
    if output is None:
        return
    if output.suffix.lower() not in _SUFFIXES:
        raise typer.BadParameter(f"{output}: write FILE.html or FILE.svg", param_hint="'--output'")
    if not output.parent.resolve().is_dir():
        raise typer.BadParameter(f"{output}: folder {output.parent} does not exist", param_hint="'--output'")
    from claimtrack.outfiles import check_output

    check_output(output, force=force, protect=_protected(ctx))


def deliver(*, json_data: Callable[[], Any], renderables: Callable[[], list[Any]], markdown_text: Callable[[], str],
            as_json: bool, markdown: bool, output: Path | None, title: str, notes: list[str] | None = None,
            ctx: typer.Context | None = None, force: bool = False,
            html: Callable[[], str] | None = None, notes_for: Callable[[], list[str]] | None = None) -> None:
    """Print a report in the chosen form, and export it when asked. The renderers (Rich, the
    HTML templates) are only imported by the callables that need them: `--json` stays without Rich."""
    # out.console / out.err_console, looked up when printing: Rich only then
    from claimtrack.cli import output as out

    if as_json and markdown:
        raise typer.BadParameter("choose one of --json and --markdown", param_hint="'--json' / '--markdown'")
    if as_json:
        out.emit_json(json_data())
        from claimtrack.display import shown

        for note in [*(notes or []), *(notes_for() if notes_for is not None else [])]:
            # what err_console would print (a str is user text: shown literally), without Rich
            sys.stderr.write(shown(note) + "\n")
    elif markdown:
        sys.stdout.write(markdown_text())
    else:
        for renderable in renderables():
            out.console.print(renderable)
    if output is not None:
        from claimtrack.outfiles import output_path
        from claimtrack.reports.common import export

        # written beside the target and renamed: a failed export never leaves a truncated file
        with output_path(output, force=force, protect=_protected(ctx) if ctx is not None else ()) as partial:
            export(renderables, html, partial, title)
        out.err_console.print(f"Wrote {output}")


@report_app.command("claim")
def report_claim(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id or key.")],
    as_json: JsonOption = False,
    markdown: MarkdownOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """One claim: its statements grouped by stance in side-by-side columns (speaker and role,
    quote, cue, date, outlet and attribution chain), its relations, its verdicts and their
    history, and the conflicts it is part of."""
    check_output_path(ctx, output, force)
    from claimtrack.queries.lookup import get_claim
    from claimtrack.queries.reports import claim_report

    with read_session(ctx) as session:
        report = claim_report(session, get_claim(session, claim))
    deliver(json_data=report.to_dict, renderables=lambda: _views().claim_renderables(report),
            markdown_text=lambda: _views().claim_markdown(report), as_json=as_json, markdown=markdown, output=output,
            ctx=ctx, force=force,
            title=f"claimtrack · claim {report.claim.id}", html=lambda: html_module().claim_html(report))


@report_app.command("speaker")
def report_speaker(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The speaker's name or alias, id or key.")],
    as_json: JsonOption = False,
    markdown: MarkdownOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """A speaker's track record: statements by stance and status, the verdicts on claims they
    made, where they contradicted themselves, and the outlets that carried them."""
    check_output_path(ctx, output, force)
    from claimtrack.cli.objects import actor_ref
    from claimtrack.queries.reports import speaker_report

    with read_session(ctx) as session:
        report = speaker_report(session, actor_ref(session, name, offer_new=False))
    deliver(json_data=report.to_dict, renderables=lambda: _views().speaker_renderables(report),
            markdown_text=lambda: _views().speaker_markdown(report), as_json=as_json, markdown=markdown, output=output,
            ctx=ctx, force=force,
            title=f"claimtrack · {report.actor.name}", html=lambda: html_module().speaker_html(report))


@report_app.command("outlet")
def report_outlet(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The outlet's name or alias, id or key.")],
    as_json: JsonOption = False,
    markdown: MarkdownOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """What an outlet reported and how it attributed it (direct / indirect / vague /
    unattributed shares), and which intermediaries and outlets it relies on."""
    check_output_path(ctx, output, force)
    from claimtrack.cli.objects import actor_ref
    from claimtrack.queries.outlet import outlet_report

    with read_session(ctx) as session:
        report = outlet_report(session, actor_ref(session, name, offer_new=False))
    deliver(json_data=report.to_dict, renderables=lambda: _views().outlet_renderables(report),
            markdown_text=lambda: _views().outlet_markdown(report), as_json=as_json, markdown=markdown, output=output,
            ctx=ctx, force=force,
            title=f"claimtrack · {report.actor.name}", html=lambda: html_module().outlet_html(report))


@report_app.command("timeline")
def report_timeline(
    ctx: typer.Context,
    claim: Annotated[str | None, typer.Option("--claim", help="Only this claim (id or key).")] = None,
    since: Annotated[str | None, typer.Option("--since", callback=date_option, help="Only events on or after this date (YYYY[-MM[-DD]]).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many events.")] = 200,
    as_json: JsonOption = False,
    markdown: MarkdownOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Said, reported and reviewed events in date order, each date shown at its precision
    ("2021-04", "~2021")."""
    check_output_path(ctx, output, force)
    from claimtrack.dates import parse_optional_date
    from claimtrack.queries.lookup import get_claim
    from claimtrack.queries.reports import timeline

    since_date = parse_optional_date(since, "--since")
    with read_session(ctx) as session:
        claim_id = get_claim(session, claim).id if claim is not None else None
        report = timeline(session, claim_id, since_date.start if since_date else None, limit)
    deliver(json_data=report.to_dict, renderables=lambda: _views().timeline_renderables(report),
            markdown_text=lambda: _views().timeline_markdown(report), as_json=as_json, markdown=markdown, output=output,
            ctx=ctx, force=force,
            title="claimtrack · timeline", notes_for=lambda: _views().timeline_notes(report),
            html=lambda: html_module().timeline_html(report))


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
