"""What every command receives on the Typer context: the database, the user, the debug flag.

The Database is built on first use, so `--help` and usage errors never touch SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimtrack.db import Database


@dataclass
class AppContext:
    db_option: str | None = None
    user: str | None = None
    debug: bool = False
    #: set while `claimtrack shell` runs commands in-process on this context (and its database)
    shell: bool = False
    _database: Database | None = field(default=None, repr=False)

    @property
    def database(self) -> Database:
        if self._database is None:
            from claimtrack.db import Database

            self._database = Database.open(self.db_option, user=self.user)
        return self._database

    def close(self) -> None:
        """Release the database connections when the command ends (a shared server counts them)."""
        if self._database is not None:
            self._database.dispose()
            self._database = None


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext of the root command, wherever in the command tree `ctx` is."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


@contextmanager
def write_session(ctx: typer.Context) -> Iterator[Session]:
    """One write transaction for this command: committed on success, rolled back on error."""
    with app_context(ctx).database.write() as session:
        yield session


@contextmanager
def read_session(ctx: typer.Context) -> Iterator[Session]:
    """A read-only session: report and read commands cannot write."""
    with app_context(ctx).database.read() as session:
        yield session


def database(ctx: typer.Context) -> Any:
    return app_context(ctx).database
