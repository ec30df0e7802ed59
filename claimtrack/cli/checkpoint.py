"""`claimtrack log keygen | checkpoint | export`: checkpoints of the change log others can hold.

See docs/history.md ("Checkpoints"). The signing key lives outside the database (--key or
$CLAIMTRACK_LOG_KEY, default in claimtrack's config folder) and is never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from claimtrack.cli.context import read_session

KeyOption = Annotated[
    Path | None,
    typer.Option("--key", help="The signing key file (default: $CLAIMTRACK_LOG_KEY, else claimtrack's config "
                 "folder/log.key).", show_default=False),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]


def _protect(ctx: typer.Context, *also: Path) -> list[tuple[str, Path | str | None]]:
    """What an output file must never be: the database's files, the signing key."""
    from claimtrack.cli.context import app_context

    protect: list[tuple[str, Path | str | None]] = [("the database", f) for f in app_context(ctx).database.files()]
    protect += [("the signing key", path) for path in also]
    return protect


def log_keygen(
    name: Annotated[str, typer.Option("--name", help="The key's name, also the checkpoints' origin line: a "
                                      "schema-less URL such as newsroom.example/claimtrack.")],
    key: KeyOption = None,
    force: ForceOption = False,
) -> None:
    """Create an Ed25519 key to sign checkpoints: FILE (private, mode 0600) and FILE.pub (share it)."""
    from claimtrack.services.checkpoints import default_key_path, write_key_files

    path = key or default_key_path()
    verifier = write_key_files(path, name, force=force)
    print(f"Wrote the signing key {path} (keep it private, outside the database) and {path}.pub")
    print(f"public key: {verifier.text()}")


def log_checkpoint(
    ctx: typer.Context,
    key: KeyOption = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the checkpoint to FILE "
                                                "(default: print it).")] = None,
    force: ForceOption = False,
) -> None:
    """Sign a checkpoint of the change log (its size and RFC 6962 root over the event hashes)
    in the C2SP checkpoint format. Hand it to someone outside: `log verify --checkpoint` then
    proves the log only grew since."""
    from sqlalchemy import select

    from claimtrack.models import Event
    from claimtrack.outfiles import check_output, open_output
    from claimtrack.services.checkpoints import default_key_path, read_signer, sign_checkpoint

    key_path = key or default_key_path()
    protect = _protect(ctx, key_path, key_path.with_name(key_path.name + ".pub"))
    if output is not None:
        check_output(output, force=force, protect=protect, option="--output")
    signer = read_signer(key_path)
    with read_session(ctx) as session:
        hashes = list(session.execute(select(Event.hash).order_by(Event.id)).scalars())
    note = sign_checkpoint(signer, hashes)
    if output is None:
        sys.stdout.write(note)
        return
    with open_output(output, force=force, protect=protect, option="--output") as stream:
        stream.write(note)
    print(f"Wrote a checkpoint of {len(hashes)} events to {output}", file=sys.stderr)


def log_export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE (default: stdout).")] = None,
    force: ForceOption = False,
) -> None:
    """Write the change log as JSON Lines, every event as stored and hashed (for
    `log verify --events FILE --checkpoint CP`, without the database)."""
    from claimtrack.outfiles import check_output, open_output
    from claimtrack.services.log_export import export_events

    protect = _protect(ctx)
    if output is not None:
        check_output(output, force=force, protect=protect, option="--output")
    with read_session(ctx) as session:
        if output is None:
            export_events(session, sys.stdout)
            return
        with open_output(output, force=force, protect=protect, option="--output") as stream:
            count = export_events(session, stream)
    print(f"Wrote {count} events to {output}", file=sys.stderr)


def register_log_commands(log_app: typer.Typer) -> None:
    existing = {command.name for command in log_app.registered_commands}
    for name, function in (("keygen", log_keygen), ("checkpoint", log_checkpoint), ("export", log_export)):
        if name not in existing:
            log_app.command(name)(function)
