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

from claimtrack.models import Base

config = context.config
target_metadata = Base.metadata

# Full-text search lives in backend-specific objects the models do not describe (SQLite FTS5
# virtual tables, PostgreSQL GIN expression indexes); autogenerate must leave them alone.
FTS_MARK = "_fts"


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    if name and FTS_MARK in name:
        return False
    return True


def _url() -> str:
    url = config.attributes.get("claimtrack_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from claimtrack.db import resolve_url

        url = resolve_url(os.environ.get("CLAIMTRACK_DATABASE_URL"))
    return url


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
