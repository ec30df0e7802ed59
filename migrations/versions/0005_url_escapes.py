"""documents.url_normalized: percent-escapes in RFC 3986 form

Revision ID: 0005_url_escapes
Revises: 0004_row_hashes
Create Date: 2026-12-01

claimtrack.normalize.normalize_url now writes the escapes of a URL's path in one form (upper-case
hex, `%7E` decoded to `~`), so `…/caf%c3%a9` and `…/caf%C3%A9` are one document. Stored values
are brought to that form here; a value whose new form another document already holds is left as
it was (the two rows are one page, logged twice; the newer spelling finds the other one).
Keys built from URLs (`url:…`, `claimreview:…`) are identifiers and are not touched: the code
keeps building them in the old form. The functions below are frozen copies, not the app's.
Rewritten rows change their row hashes, so a `rehash` event records them (see 0004).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision = "0005_url_escapes"
down_revision = "0004_row_hashes"
branch_labels = None
depends_on = None

_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|s|smid|_ga)$",
                       re.IGNORECASE)

documents = sa.table("documents", sa.column("id", sa.Integer()), sa.column("url", sa.Text()),
                     sa.column("url_normalized", sa.String(2000)))


def _canonical(value: str) -> str:
    path, mark, query = value.partition("?")

    def escape(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(escape, path) + mark + query


def _legacy(url: str) -> str:
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower().removeprefix("www.")
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit(("https", netloc, path, query, ""))


def _rewrite(compute, reason: str) -> None:  # noqa: ANN001
    connection = op.get_bind()
    changed = False
    rows = connection.execute(sa.select(documents.c.id, documents.c.url, documents.c.url_normalized)
                              .where(documents.c.url_normalized.is_not(None))).all()
    taken = {row.url_normalized for row in rows}
    for row in rows:
        if "%" not in (row.url or "") and "%" not in row.url_normalized:
            continue
        try:
            value = compute(row)
        except ValueError:
            continue  # a URL the old code stored but cannot read again: left as it is
        if value != row.url_normalized and value not in taken:
            taken.discard(row.url_normalized)
            taken.add(value)
            connection.execute(documents.update().where(documents.c.id == row.id).values(url_normalized=value))
            changed = True
    if changed:
        # rewritten rows get new row hashes; record them so `log verify` checks them from here on
        from claimtrack.services.rowtrack import record_rehash

        record_rehash(connection, reason=reason, tables=["documents"])


def upgrade() -> None:
    _rewrite(lambda row: _canonical(row.url_normalized), "0005: documents.url_normalized escapes in RFC 3986 form")


def downgrade() -> None:
    _rewrite(lambda row: _legacy(row.url), "0005 downgrade: documents.url_normalized as before")
