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
    parts = [_pg_tsquery(i, word, params) for i, word in enumerate(words)]
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


# --------------------------------------------------------------------------- bounded search primitives
#
# Ranking every row that contains a common word costs time proportional to the number of matches
# (FTS5 bm25 per row; on PostgreSQL ts_rank re-parses each matched row's text, since the GIN
# indexes are on expressions). `search` therefore finds a bounded candidate set first and
# ranks only the candidates, per word, by id.


def _pg_tsquery(i: int, word: str, params: dict[str, object]) -> str:
    """plainto_tsquery of a word, OR its unaccented spelling ('simple' keeps accents)."""
    params[f"t{i}"] = word
    alternatives = [f"plainto_tsquery('simple', :t{i})"]
    folded = fold(word)
    if folded and folded != word:
        params[f"f{i}"] = folded
        alternatives.append(f"plainto_tsquery('simple', :f{i})")
    return "(" + " || ".join(alternatives) + ")"


def any_ids(session: Session, source: str, words: list[str], *, limit: int, all_terms: bool = False) -> list[int]:
    """Up to `limit` ids of rows of `source` containing any (or all) of the words, unranked (cheap)."""
    if not words:
        return []
    fts, table, vector = SOURCES[source]
    if session.get_bind().dialect.name == "sqlite":
        sql = text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :q LIMIT :limit")
        return list(session.scalars(sql, {"q": _fts5_query(words, "AND" if all_terms else "OR"), "limit": limit}))
    params: dict[str, object] = {"limit": limit}
    query = (" && " if all_terms else " || ").join(_pg_tsquery(i, w, params) for i, w in enumerate(words))
    # the lowest ids, as FTS5 gives them: for common words PostgreSQL reads the table sequentially,
    # and a sequential scan starts where the last one over the table stopped (synchronize_seqscans),
    # so "the first found" differed from one search to the next
    found = list(session.scalars(text(f"SELECT id FROM {table} WHERE {vector} @@ ({query}) ORDER BY id LIMIT :limit"),
                                 params))
    if source == "aliases" and not all_terms:
        # folded names ("Alexeï" -> "alexei") are matched on actor_aliases.normalized too
        patterns = {f"p{i}": f"% {fold(w)} %" for i, w in enumerate(words) if fold(w)}
        if patterns:
            where = " OR ".join(f"(' ' || normalized || ' ') LIKE :{name}" for name in patterns)
            seen = set(found)
            found += [i for i in session.scalars(text(f"SELECT id FROM actor_aliases WHERE {where} ORDER BY id LIMIT :limit"),
                                                 {**patterns, "limit": limit}) if i not in seen]
    return found


def top_ids(session: Session, source: str, words: list[str], *, limit: int, scan: int) -> list[int]:
    """Ids of rows of `source` containing every word, best ranked first, at most `limit`.

    On PostgreSQL ranking re-parses each row, so only the first `scan` matches are ranked
    (all of them unless the words are very common together)."""
    if not words:
        return []
    fts, table, vector = SOURCES[source]
    if session.get_bind().dialect.name == "sqlite":
        sql = text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :q ORDER BY bm25({fts}) LIMIT :limit")
        return list(session.scalars(sql, {"q": _fts5_query(words, "AND"), "limit": limit}))
    params: dict[str, object] = {"limit": limit, "scan": scan}
    query = " && ".join(_pg_tsquery(i, w, params) for i, w in enumerate(words))
    sql = text(f"SELECT id FROM (SELECT id, {vector} AS v FROM {table}, (SELECT {query} AS q) AS tsq "
               f"WHERE {vector} @@ q LIMIT :scan) AS m, (SELECT {query} AS q) AS tsq "
               "ORDER BY ts_rank(v, q) DESC, id LIMIT :limit")
    return list(session.scalars(sql, params))


def word_ranks(session: Session, source: str, words: list[str], ids: list[int]) -> dict[int, list[float | None]]:
    """For the rows `ids` of `source`: the relevance of each word (higher is better), None when absent.

    Rows containing none of the words are left out."""
    ids = sorted(set(ids))
    if not ids or not words:
        return {}
    fts, table, vector = SOURCES[source]
    result: dict[int, list[float | None]] = {}
    if session.get_bind().dialect.name == "sqlite":
        import json

        # `+rowid`: the ids are a filter on one pass over the word's doclist; handed to FTS5 as
        # rowid = ? lookups instead, each would re-read the doclist (seconds for a common word).
        # The ids travel as one JSON parameter: binding thousands of parameters costs more than the query.
        sql = text(f"SELECT rowid AS id, bm25({fts}) AS rank FROM {fts} WHERE {fts} MATCH :q "
                   "AND +rowid IN (SELECT value FROM json_each(:ids))")
        encoded = json.dumps(ids)
        for i, word in enumerate(words):
            for row_id, rank in session.execute(sql, {"q": _fts5_query([word], "OR"), "ids": encoded}).all():
                result.setdefault(row_id, [None] * len(words))[i] = -float(rank)
        return result
    params: dict[str, object] = {"ids": ids}
    queries = [_pg_tsquery(i, w, params) for i, w in enumerate(words)]
    extra = ", normalized" if source == "aliases" else ""
    columns = ", ".join(f"CASE WHEN v @@ q{i} THEN ts_rank(v, q{i}) END" for i in range(len(words)))
    qs = ", ".join(f"{q} AS q{i}" for i, q in enumerate(queries))
    # the text is parsed once per row (in the inner select), not once per word
    sql = text(f"SELECT id{extra}, {columns} FROM (SELECT id{extra}, {vector} AS v FROM {table} "
               f"WHERE id = ANY(:ids) OFFSET 0) AS m, (SELECT {qs}) AS tsq")
    folded = [fold(w) for w in words]
    for row in session.execute(sql, params).all():
        ranks = [None if r is None else float(r) for r in row[-len(words):]]
        if source == "aliases":
            padded = f" {row.normalized} "
            ranks = [0.05 if r is None and f and f" {f} " in padded else r for r, f in zip(ranks, folded)]
        if any(r is not None for r in ranks):
            result[row.id] = ranks
    return result
