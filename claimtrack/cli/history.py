"""`claimtrack history …`, `claimtrack log verify`, `claimtrack log show`: read the change log.

All three are read commands: they run on the read-only session, so a role with only SELECT
rights can use them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimtrack.cli.context import read_session

if TYPE_CHECKING:
    from claimtrack.queries.history import EventRow

history_app = typer.Typer(
    help="Show every change made to one claim, statement, actor or verdict.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys documented in docs/history.md).")]
RefArgument = Annotated[str, typer.Argument(help="The object's id or key.", show_default=False)]

_LABEL_FIELDS = ("name", "text", "label", "quote", "title", "type", "status")


def _describe(row: EventRow) -> str:
    """One line for people: the changed fields of an update, else what the object is."""
    before, after = row.before, row.after
    if row.action == "import" and isinstance(after, dict):
        counts: dict[str, Any] = after["counts"] if isinstance(after.get("counts"), dict) else {}
        created = [
            f"{value.get('created')} {kind}" for kind, value in counts.items()
            if isinstance(value, dict) and value.get("created")
        ]
        source = f"{after.get('file', '?')} ({after.get('format', '?')})"
        return f"{source}: created " + (", ".join(created) if created else "nothing")
    if isinstance(before, dict) and isinstance(after, dict):
        changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
        changed = [key for key in changed if key != "version"]
        parts = [f"{key}: {before.get(key)!r} → {after.get(key)!r}" for key in changed[:4]]
        if len(changed) > 4:
            parts.append(f"(+{len(changed) - 4} more)")
        return "; ".join(parts) or "no visible change"
    if isinstance(after, dict):
        for key in _LABEL_FIELDS:
            if after.get(key):
                value = str(after[key])
                return f"{key}: {value[:70]}{'…' if len(value) > 70 else ''}"
        return ", ".join(f"{key}={value}" for key, value in list(after.items())[:4])
    return "" if after is None else str(after)[:80]


def _render(rows: list[EventRow], title: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from claimtrack.cli.output import console
    from claimtrack.reports.text import user

    if not rows:
        console.print(f"{title}: no events")
        return
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("when (UTC)")
    table.add_column("user")
    table.add_column("action")
    table.add_column("object")
    table.add_column("change", overflow="fold")
    for row in rows:
        obj = row.object_type if row.object_id is None else f"{row.object_type} {row.object_id}"
        # Text(): names and quotes are shown verbatim, never read as Rich markup ("[bold]")
        table.add_row(
            str(row.id), row.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), user(row.user), Text(row.action),
            Text(obj), user(_describe(row)),
        )
    console.print(table)


def _history(ctx: typer.Context, kind: str, ref: str, as_json: bool) -> None:
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.history import object_history

    with read_session(ctx) as session:
        obj, rows = object_history(session, kind, ref)
        object_id = obj.id  # type: ignore[attr-defined]
        version = getattr(obj, "version", None)
    if as_json:
        emit_json(
            {"object_type": kind, "object_id": object_id, "version": version, "events": [r.as_json() for r in rows]}
        )
        return
    _render(rows, f"history of {kind} {object_id}" + (f" (version {version})" if version is not None else ""))


@history_app.command("claim")
def history_claim(ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False) -> None:
    """Every change to a claim (and the links made to or from it), oldest first."""
    _history(ctx, "claim", ref, as_json)


@history_app.command("statement")
def history_statement(ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False) -> None:
    """Every change to a statement, oldest first."""
    _history(ctx, "statement", ref, as_json)


@history_app.command("actor")
def history_actor(ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False) -> None:
    """Every change to an actor (including merges), oldest first."""
    _history(ctx, "actor", ref, as_json)


@history_app.command("verdict")
def history_verdict(ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False) -> None:
    """Every change to a verdict, oldest first."""
    _history(ctx, "verdict", ref, as_json)


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None

    try:
        parsed = datetime.fromisoformat(value.strip())  # 3.11 reads a trailing Z too
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)", param_hint="--since"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def log_verify(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            help="A head hash printed by an earlier `log verify`: fail if it is no longer in the log "
            "(detects deletion of the newest events).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute the change log's hash chain; exit 1 naming the first altered, deleted or
    reordered event. Prints the head hash: keep it to detect later truncation."""
    import re

    from claimtrack.cli.output import emit_json, error
    from claimtrack.services.events import verify_chain

    if expect_head is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", expect_head.strip()):
        raise typer.BadParameter(
            f"{expect_head!r} is not a head hash; expected the 64 hexadecimal digits that `log verify` prints",
            param_hint="--expect-head",
        )
    with read_session(ctx) as session:
        report = verify_chain(session, expect_head=expect_head)
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "events": report.events,
                "head_id": report.head_id,
                "head_hash": report.head_hash,
                "problem": None
                if report.problem is None
                else {"event_id": report.problem.event_id, "kind": report.problem.kind, "message": report.problem.message},
            }
        )
    if report.problem is not None:
        if not as_json:
            error(f"change log verification failed: {report.problem.message}")
            print(f"{report.events} events verified before the first problem", flush=True)
        raise typer.Exit(1)
    if not as_json:
        if report.head_id is None:
            print("change log OK: no events yet")
        else:
            print(f"change log OK: {report.events} events, head event {report.head_id} hash {report.head_hash}")


def log_show(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events at or after this UTC date or time (YYYY-MM-DD[THH:MM]).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only events by this user.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Only this action (create, update, merge, …).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many (the newest).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """The change log feed: who changed what and when, oldest first."""
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.history import list_events

    since_at = _parse_since(since)
    with read_session(ctx) as session:
        rows = list_events(session, since=since_at, user=user, action=action, limit=limit)
    if as_json:
        emit_json([row.as_json() for row in rows])
        return
    _render(rows, "change log")


def _attach_log_commands() -> bool:
    """Add `verify` and `show` to the `log` group that claimtrack.cli.log defines."""
    try:
        from claimtrack.cli.log import log_app
    except ImportError:  # the log module is being rewritten by another issue; history still works
        return False
    existing = {command.name for command in log_app.registered_commands}
    if "verify" not in existing:
        log_app.command("verify")(log_verify)
    if "show" not in existing:
        log_app.command("show")(log_show)
    return True


def register(app: typer.Typer) -> None:
    """Attach `history …` to the root app and `verify`/`show` to the `log` group."""
    app.add_typer(history_app, name="history")
    _attach_log_commands()
