"""Alembic environment (house style, after Prefect's migrations).

- batch mode on SQLite only (it cannot ALTER most things in place);
- the whole upgrade is one transaction (`transactional_ddl`), so a failed migration leaves
  the schema exactly as it was, on SQLite and PostgreSQL alike;
- foreign keys OFF on SQLite while migrating, because a batch table rebuild with them ON
  cascades deletes into child rows; `PRAGMA foreign_key_check` afterwards instead.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from claimtrack.models import PARTIAL_INDEXES, Base

config = context.config
target_metadata = Base.metadata

# Full-text search lives in backend-specific objects the models do not describe (SQLite FTS5
# virtual tables, PostgreSQL GIN expression indexes); autogenerate must leave them alone.
FTS_MARK = "_fts"


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    if name and FTS_MARK in name:
        return False
    if type_ == "index" and reflected and compare_to is None and name in PARTIAL_INDEXES:
        return False  # created by a migration only (claimtrack.models.PARTIAL_INDEXES says why)
    if type_ == "index" and not reflected:
        # an index the models build on one backend only (`Index(...).ddl_if(dialect=...)`)
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        if only_on is not None and only_on != context.get_context().dialect.name:
            return False
    return True


def _url() -> str:
    url = config.attributes.get("claimtrack_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from claimtrack.db import resolve_url

        url = resolve_url(os.environ.get("CLAIMTRACK_DATABASE_URL"))
    return url


#: tables whose rows the schema itself writes (not anybody's data)
BOOKKEEPING_TABLES = {"alembic_version", "database_identity"}


def _is_downgrade() -> bool:
    """Whether this run moves the schema down: `claimtrack db downgrade` says so; plain
    `alembic downgrade` is recognised by the command it runs."""
    if config.attributes.get("claimtrack_downgrade"):
        return True
    cmd = getattr(config.cmd_opts, "cmd", None) if config.cmd_opts is not None else None
    return bool(cmd) and getattr(cmd[0], "__name__", "") == "downgrade"


def _drop_data_allowed() -> bool:
    if config.attributes.get("yes_drop_data"):
        return True
    arguments = context.get_x_argument(as_dictionary=True)
    return "yes-drop-data" in arguments or "yes_drop_data" in arguments


def _refuse_downgrade_with_data(connection) -> None:
    """A downgrade drops tables and columns: with rows in the database it needs the user's word
    (`claimtrack db downgrade … --yes-drop-data`, or `alembic -x yes-drop-data downgrade …`)."""
    from alembic.util import CommandError
    from sqlalchemy import inspect

    existing = set(inspect(connection).get_table_names())
    for name in sorted(existing & set(target_metadata.tables) - BOOKKEEPING_TABLES):
        if connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None:
            raise CommandError(
                f"the database has data (table {name} has rows) and a downgrade drops tables and "
                "columns: nothing was changed; back it up first, then run `claimtrack db downgrade "
                "REVISION --yes-drop-data` (or `alembic -x yes-drop-data downgrade REVISION`)"
            )


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        if is_sqlite:
            # Before any BEGIN: PRAGMA foreign_keys is a no-op inside a transaction.
            raw = connection.connection.driver_connection
            raw.isolation_level = None
            raw.execute("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=is_sqlite,
            transactional_ddl=True,
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            if _is_downgrade() and not _drop_data_allowed():
                _refuse_downgrade_with_data(connection)
            context.run_migrations()
            if is_sqlite:
                problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                if problems:
                    raise RuntimeError(f"migration left dangling foreign keys: {problems[:5]}")
        if is_sqlite and connection.in_transaction():
            connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
