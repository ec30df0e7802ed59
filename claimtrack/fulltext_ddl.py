"""The full-text DDL, as plain SQL strings: one definition for the migration and the importer.

The baseline migration creates these objects; the bulk importer (formats/apply/bulk.py) drops the
SQLite insert triggers for the length of a large import and recreates them from here, so the
two can never disagree. Pure strings, no imports: a migration may import this module.

SQLite: FTS5 external-content tables kept in step by triggers, with accents folded so "Alexeï"
finds "Alexei". PostgreSQL: GIN indexes over to_tsvector with the language-neutral 'simple'
configuration (the data is Russian, Arabic and English at once).
"""

from __future__ import annotations

FTS_SOURCES = {
    # fts table: (content table, indexed columns)
    "claims_fts": ("claims", ("text",)),
    "statements_fts": ("statements", ("quote", "cue", "original_text")),
    "actor_aliases_fts": ("actor_aliases", ("alias",)),
}
PG_FTS_INDEXES = {
    "ix_claims_text_fts": ("claims", "text"),
    "ix_statements_quote_fts": ("statements", "coalesce(quote, '') || ' ' || coalesce(original_text, '')"),
    "ix_actor_aliases_alias_fts": ("actor_aliases", "alias"),
}
#: trigger name suffixes: after insert, after delete, after update
TRIGGER_SUFFIXES = ("ai", "ad", "au")


def sqlite_table_ddl(fts: str) -> str:
    """CREATE VIRTUAL TABLE for one FTS5 external-content table."""
    table, columns = FTS_SOURCES[fts]
    cols = ", ".join(columns)
    return (
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )


def sqlite_trigger_ddl(fts: str, suffix: str) -> str:
    """CREATE TRIGGER {fts}_{suffix} keeping the FTS table in step with its content table."""
    table, columns = FTS_SOURCES[fts]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    if suffix == "ai":
        return (f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
    if suffix == "ad":
        return (f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
    if suffix == "au":
        return (f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
    raise ValueError(f"unknown trigger suffix {suffix!r}; expected one of {TRIGGER_SUFFIXES}")


def sqlite_fill_sql(fts: str) -> str:
    """Index the content rows with id >= :first_id, as the insert trigger would have, row by row."""
    table, columns = FTS_SOURCES[fts]
    cols = ", ".join(columns)
    return f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {cols} FROM {table} WHERE id >= :first_id ORDER BY id"
