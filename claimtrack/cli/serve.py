"""`claimtrack serve`: the read-only web view (claimtrack.web) on a local address."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import app_context


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Only loopback addresses "
                                                     "(127.0.0.1, ::1, localhost) unless --token is given.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free port).")] = 8421,
    token: Annotated[str | None, typer.Option("--token", envvar="CLAIMTRACK_SERVE_TOKEN", show_default=False,
                                              help="Require this secret on every request (Authorization: Bearer, "
                                                   "or ?token= once in the browser). Needed for a non-loopback "
                                                   "--host. Default: $CLAIMTRACK_SERVE_TOKEN.")] = None,
) -> None:
    """Serve a read-only web view of the database: search, claim pages with the statements
    side by side, conflicts, speaker and outlet pages, attribution chains and the audit, each
    also as JSON (`?format=json`). It opens the database read-only and offers no write."""
    from claimtrack.web.app import LOOPBACK_NAMES, create_app, is_loopback

    if not is_loopback(host) and not token:
        raise typer.BadParameter(f"{host} is reachable from other machines: give --token (every request "
                                 "must then carry it) or listen on 127.0.0.1", param_hint="'--host'")
    if token is not None and len(token) < 16:
        raise typer.BadParameter("use a token of at least 16 characters (e.g. `python -c \"import secrets; "
                                 "print(secrets.token_urlsafe())\"`)", param_hint="'--token'")
    import uvicorn

    database = app_context(ctx).database
    with database.read():
        pass  # fail now, with the usual one-line error, if the database cannot be read
    # on loopback, refuse other Host headers too: a web page elsewhere cannot rebind a name to us
    allowed = [*LOOPBACK_NAMES] if is_loopback(host) else None
    app = create_app(database, token=token, allowed_hosts=allowed)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"claimtrack serve: {database.display_url} read-only on http://{shown_host}:{port}/ (Ctrl-C stops)",
          flush=True)
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("serve")(serve)
