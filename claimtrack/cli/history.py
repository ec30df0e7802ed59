"""`claimtrack history …`, `claimtrack log verify`, `claimtrack log show`: read the change log.

All three are read commands: they run on the read-only session, so a role with only SELECT
rights can use them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimtrack.cli.context import read_session
from claimtrack.cli.kinds import command

if TYPE_CHECKING:
    from claimtrack.queries.history import EventRow

history_app = typer.Typer(
    help="Show every change made to one claim, statement, actor or verdict.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys documented in docs/history.md).")]
RefArgument = Annotated[str, typer.Argument(help="The object's id or key.", show_default=False)]

_LABEL_FIELDS = ("name", "text", "label", "quote", "title", "type", "status")


def _shown(key: str, value: Any, names: dict[tuple[str, int], str]) -> str:
    """A before/after value; a reference to an actor or claim shows its name with the id."""
    from claimtrack.queries.history import REFERENCES

    kind = REFERENCES.get(key)
    if kind is None or not isinstance(value, int):
        return repr(value)
    name = names.get((kind, value))
    if name is None:
        return f"{kind} {value}"
    return f"{name[:40] + '…' if len(name) > 40 else name!r} ({kind} {value})"


def _describe(row: EventRow, names: dict[tuple[str, int], str] | None = None) -> str:
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
        from claimtrack.queries.history import REFERENCES

        changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
        changed = [key for key in changed if key != "version"]
        names = names or {}
        parts = [f"{key.removesuffix('_id')}: {_shown(key, before.get(key), names)} → "
                 f"{_shown(key, after.get(key), names)}" if key in REFERENCES else
                 f"{key}: {before.get(key)!r} → {after.get(key)!r}" for key in changed[:4]]
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


def _render(rows: list[EventRow], title: str, names: dict[tuple[str, int], str] | None = None) -> None:
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
            Text(obj), user(_describe(row, names)),
        )
    console.print(table)


def _history(ctx: typer.Context, kind: str, ref: str, as_json: bool) -> None:
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.history import object_history, reference_names

    with read_session(ctx) as session:
        obj, rows = object_history(session, kind, ref)
        names = {} if as_json else reference_names(session, rows)
        object_id = obj.id  # type: ignore[attr-defined]
        version = getattr(obj, "version", None)
    if as_json:
        emit_json(
            {"object_type": kind, "object_id": object_id, "version": version, "events": [r.as_json() for r in rows]}
        )
        return
    _render(rows, f"history of {kind} {object_id}" + (f" (version {version})" if version is not None else ""),
            names)


#: kind -> the help of `history KIND`
HISTORY = {
    "claim": "Every change to a claim (and the links made to or from it), oldest first.",
    "statement": "Every change to a statement, oldest first.",
    "actor": "Every change to an actor (including merges), oldest first.",
    "verdict": "Every change to a verdict, oldest first.",
    "document": "Every change to a document (edits, retraction, merges), oldest first.",
    "hop": "Every change to a hop, oldest first.",
    "affiliation": "Every change to an affiliation (an actor's role), oldest first.",
    "relation": "Every change to a claim relation (confirmed, rejected, withdrawn, edited), oldest first.",
}


def _history_command(kind: str) -> Any:
    def run(ctx: typer.Context, ref: str, as_json: bool) -> None:
        _history(ctx, kind, ref, as_json)

    return command(f"history-{kind}", HISTORY[kind], run, {"ref": RefArgument, "as_json": (JsonOption, False)})


for _kind in HISTORY:
    history_app.command(_kind)(_history_command(_kind))


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
    chain_only: Annotated[
        bool, typer.Option("--chain-only", help="Check only the change log's hash chain, not the data.")
    ] = False,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="A checkpoint from `log checkpoint`: prove the log only grew since "
                     "(catches truncation and a wholesale rewrite).", show_default=False),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option("--key", help="The public key (.pub) the checkpoint must be signed with (default: the "
                     "signing key's .pub, see `log keygen`).", show_default=False),
    ] = None,
    events: Annotated[
        Path | None,
        typer.Option("--events", help="Verify a file written by `log export` instead of the database "
                     "(the chain and the checkpoint; the data needs the database).", show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check the change log's hash chain and that every row still matches the log; exit 1
    naming each edited, inserted or deleted row and the first altered, deleted or reordered
    event. Prints the head hash: keep it, or a signed `log checkpoint`, to detect later
    truncation or rewriting."""
    import re

    from claimtrack.cli.output import emit_json, error
    from claimtrack.services.events import verify_chain, verify_events
    from claimtrack.services.verify_data import DataReport, verify_data

    if expect_head is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", expect_head.strip()):
        raise typer.BadParameter(
            f"{expect_head!r} is not a head hash; expected the 64 hexadecimal digits that `log verify` prints",
            param_hint="--expect-head",
        )
    held = _read_checkpoint(checkpoint, key) if checkpoint is not None else None
    hashes: list[str] = []

    def keep(rows: Any) -> Any:
        for row in rows:
            hashes.append(row.hash)
            yield row

    if events is not None:
        from claimtrack.services.log_export import read_events

        try:
            stream = events.open(encoding="utf-8")
        except OSError as exc:
            raise typer.BadParameter(f"cannot read {events}: {exc.strerror}", param_hint="--events") from None
        with stream:
            report = verify_events(keep(read_events(stream, str(events))), expect_head=expect_head)
        data = DataReport()
        chain_only = True
    else:
        from sqlalchemy import select

        from claimtrack.models import Event

        with read_session(ctx) as session:
            report = verify_chain(session, expect_head=expect_head)
            data = DataReport() if chain_only else verify_data(session)
            if held is not None:
                hashes = list(session.execute(select(Event.hash).order_by(Event.id)).scalars())
    consistency = None
    if held is not None:
        from claimtrack.services.checkpoints import check_against

        consistency = check_against(held, hashes)
    ok = report.problem is None and not data.findings and (consistency is None or consistency.ok)
    if as_json:
        emit_json(
            {
                "ok": ok,
                "events": report.events,
                "head_id": report.head_id,
                "head_hash": report.head_hash,
                "problem": None
                if report.problem is None
                else {"event_id": report.problem.event_id, "kind": report.problem.kind, "message": report.problem.message},
                "rows": data.rows,
                "counts": data.counts,
                "findings": [finding.as_json() for finding in data.findings],
                "checkpoint": None if consistency is None else {
                    "ok": consistency.ok, "checkpoint_size": consistency.checkpoint_size,
                    "log_size": consistency.log_size, "message": consistency.message,
                },
            }
        )
        if not ok:
            raise typer.Exit(1)
        return
    if report.problem is not None:
        error(f"change log verification failed: {report.problem.message}")
        print(f"{report.events} events verified before the first problem", flush=True)
    elif report.head_id is None:
        print("change log OK: no events yet")
    else:
        print(f"change log OK: {report.events} events, head event {report.head_id} hash {report.head_hash}")
    if data.findings:
        counts = ", ".join(f"{n} {kind}" for kind, n in data.counts.items() if n)
        error(f"data verification failed: {len(data.findings)} finding(s) ({counts})")
        for finding in data.findings:
            print(f"  {finding.kind:<8} {finding.message}", flush=True)
    elif not chain_only:
        print(f"data OK: {data.rows} rows match the change log")
    if consistency is not None:
        if consistency.ok:
            print(f"checkpoint OK: {consistency.message}")
        else:
            error(f"checkpoint verification failed: {consistency.message}")
    if not ok:
        raise typer.Exit(1)


def _read_checkpoint(path: Path, key: Path | None) -> Any:
    from claimtrack.services.checkpoints import default_key_path, parse_checkpoint, read_verifier

    if key is None:
        signing = default_key_path()
        key = signing.with_name(signing.name + ".pub")
        if not key.exists() and signing.exists():
            key = signing
        if not key.exists():
            raise typer.BadParameter(
                f"no public key to check the checkpoint with: give --key FILE.pub (looked for {key})",
                param_hint="--key",
            )
    verifier = read_verifier(key)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}", param_hint="--checkpoint") from None
    return parse_checkpoint(text, verifier, str(path))


def log_show(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events at or after this UTC date or time (YYYY-MM-DD[THH:MM]).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only events by this user.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Only this action (create, update, merge, …).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many (the newest; 0: all).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """The change log feed: who changed what and when, oldest first."""
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.history import list_events, reference_names

    since_at = _parse_since(since)
    with read_session(ctx) as session:
        rows = list_events(session, since=since_at, user=user, action=action, limit=limit or None)
        names = {} if as_json else reference_names(session, rows)
    if as_json:
        emit_json([row.as_json() for row in rows])
        return
    _render(rows, "change log", names)


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
    from claimtrack.cli.checkpoint import register_log_commands

    register_log_commands(log_app)
    return True


def register(app: typer.Typer) -> None:
    """Attach `history …` to the root app and `verify`/`show` to the `log` group."""
    app.add_typer(history_app, name="history")
    _attach_log_commands()
