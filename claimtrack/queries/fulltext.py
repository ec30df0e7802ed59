"""Full-text primitives over the indexes the baseline migration built.

SQLite: the FTS5 tables claims_fts, statements_fts, actor_aliases_fts (diacritics folded).
PostgreSQL: GIN indexes on to_tsvector('simple', …); the expressions below are exactly the
indexed ones, so the planner can use them.

User text never reaches the query language: it is split into word tokens, and each token is
passed as a quoted FTS5 string or as a bound plainto_tsquery() argument, so quotes, `%`, `_`,
`*`, `-` and the like are searched for verbatim and never cause a syntax error.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from claimtrack.normalize import fold

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: (FTS5 table, PostgreSQL table, indexed tsvector expression)
SOURCES = {
    "claims": ("claims_fts", "claims", "to_tsvector('simple', text)"),
    "statements": ("statements_fts", "statements",
                   "to_tsvector('simple', coalesce(quote, '') || ' ' || coalesce(original_text, ''))"),
    "aliases": ("actor_aliases_fts", "actor_aliases", "to_tsvector('simple', alias)"),
}


def terms(query: str) -> list[str]:
    """The word tokens of a search text, lower-cased, in order, without repeats."""
    seen: list[str] = []
    for token in _WORD.findall(query.casefold()):
        if token not in seen:
            seen.append(token)
    return seen


def _fts5_query(words: list[str], operator: str) -> str:
    return f" {operator} ".join('"' + w.replace('"', '""') + '"' for w in words)


def match(session: Session, source: str, words: list[str], *, all_terms: bool = False,
          limit: int = 500) -> dict[int, float]:
    """Row id -> relevance (higher is better) of rows of `source` matching any (or all) words."""
    if not words:
        return {}
    fts, table, vector = SOURCES[source]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        sql = text(f"SELECT rowid AS id, bm25({fts}) AS rank FROM {fts} WHERE {fts} MATCH :q "
                   "ORDER BY rank LIMIT :limit")
        rows = session.execute(sql, {"q": _fts5_query(words, "AND" if all_terms else "OR"), "limit": limit})
        return {row.id: -float(row.rank) for row in rows}
    params: dict[str, object] = {"limit": limit}
    parts = []
    for i, word in enumerate(words):
        params[f"t{i}"] = word
        alternatives = [f"plainto_tsquery('simple', :t{i})"]
        folded = fold(word)
        if folded and folded != word:
            # 'simple' keeps accents: look for the unaccented spelling too
            params[f"f{i}"] = folded
            alternatives.append(f"plainto_tsquery('simple', :f{i})")
        parts.append("(" + " || ".join(alternatives) + ")")
    query = (" && " if all_terms else " || ").join(parts)
    sql = text(f"SELECT id, ts_rank({vector}, q) AS rank FROM {table}, ({'SELECT ' + query} AS q) AS tsq "
               f"WHERE {vector} @@ q ORDER BY rank DESC LIMIT :limit")
    found = {row.id: float(row.rank) for row in session.execute(sql, params)}
    if source == "aliases":
        # names are folded in actor_aliases.normalized ("Alexeï" -> "alexei"); 'simple' does not
        # fold, so match whole folded words there too
        for i, word in enumerate(words):
            folded = fold(word)
            if not folded:
                continue
            rows = session.execute(
                text("SELECT id FROM actor_aliases WHERE (' ' || normalized || ' ') LIKE :pattern LIMIT :limit"),
                {"pattern": f"% {folded} %", "limit": limit},
            )
            for row in rows:
                found.setdefault(row.id, 0.05)
    return found
