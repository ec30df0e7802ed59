"""A spreadsheet for editors: `claimtrack export --format csv` (see docs/formats.md, "CSV export").

One row per statement and document that reports it (a statement nobody reported yet: one row
without document), then one row per verdict, claim by claim. Columns are named after the CSV
importer's fields, so the file comes back in with `--mapping` of the identity map
(`CLAIMTRACK_CSV_MAPPING` below, printed in docs/formats.md): export → import into an empty
database → export gives the same file. Dates are partial dates (`2021-01`, `~2021`); numbers
are written without a trailing `.0`. What a flat sheet cannot hold stays out: chains deeper than
the intermediary (`via`), nested statements, relations, quantities, evidence links.

Retired records: statements and verdicts have `status` and `status_reason` columns, so a
retracted one stays in the sheet, marked. Claims, documents and hops have no such column, so
what the sheet cannot mark stays out: a retracted, deprecated or merged claim (with its rows),
and a retracted hop or a retired or merged document (the statement keeps its other rows, or a
row without document). The native export keeps them all.

`bom=True` starts the file with a UTF-8 byte order mark, so Excel opens it as UTF-8.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

COLUMNS = ("claim", "speaker", "anonymous", "role", "on_behalf_of", "stance", "quote", "quote_kind", "cue",
           "channel", "said", "outlet", "title", "url", "published", "via", "primary", "verdict", "rating_value",
           "best", "worst", "reviewer", "reviewed", "review_url", "explanation", "status", "status_reason",
           "language")

#: the mapping file that imports an export back (every column is the field of its name)
CLAIMTRACK_CSV_MAPPING = "[map]\n" + "".join(f'{c} = "{c}"\n' for c in COLUMNS)


def _date(on: Any, precision: Any, approx: Any) -> str:
    from claimtrack.dates import PartialDate

    value = PartialDate.of(on, precision, approx)
    return "" if value is None else str(value)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def rows(session: Any, claims: list[str] | None = None) -> Iterator[dict[str, str]]:
    """The export's rows as column -> text, claim by claim (see the module docstring)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from claimtrack.models import Actor, Claim, Hop, Statement, Verdict
    from claimtrack.queries.live import live_claim

    query = select(Claim).where(live_claim()).order_by(Claim.id).options(
        selectinload(Claim.statements).selectinload(Statement.hops).selectinload(Hop.document),
        selectinload(Claim.statements).selectinload(Statement.speaker).selectinload(Actor.affiliations),
        selectinload(Claim.verdicts).selectinload(Verdict.reviewer),
    )
    if claims:
        from claimtrack.queries.lookup import get_claim

        query = query.where(Claim.id.in_([get_claim(session, ref).id for ref in claims]))
    for claim in session.scalars(query):
        base = {"claim": claim.text, "language": claim.language or ""}
        if not claim.statements and not claim.verdicts:
            yield base
        for statement in sorted(claim.statements, key=lambda s: s.id):
            row = {**base, **_statement(statement)}
            hops = sorted((h for h in statement.hops if _shown(h)), key=lambda h: (h.document_id, h.id))
            if not hops:
                yield row
            for hop in hops:
                yield {**row, **_hop(hop)}
        for verdict in sorted(claim.verdicts, key=lambda v: v.id):
            yield {**base, **_verdict(verdict)}


def _statement(statement: Any) -> dict[str, str]:
    speaker = statement.speaker
    role = ""
    if speaker is not None:
        role = next((a.role for a in sorted(speaker.affiliations, key=lambda a: a.id)
                     if a.organization_id == statement.on_behalf_of_id), "")
    return {
        "speaker": speaker.name if speaker is not None else "",
        "anonymous": statement.speaker_descriptor or "", "role": role,
        "on_behalf_of": statement.on_behalf_of.name if statement.on_behalf_of is not None else "",
        "stance": statement.stance, "quote": statement.quote or "", "quote_kind": statement.quote_kind or "",
        "cue": statement.cue or "", "channel": statement.channel or "",
        "said": _date(statement.said_on, statement.said_precision, statement.said_approx),
        "status": statement.status, "status_reason": statement.status_reason or "",
    }


def _shown(hop: Any) -> bool:
    """A hop the sheet can show: neither it nor its document retired or merged (no column says so)."""
    document = hop.document
    return hop.status == "normal" and document.status == "normal" and document.merged_into_id is None


def _hop(hop: Any) -> dict[str, str]:
    document = hop.document
    return {
        "outlet": document.outlet.name if document.outlet is not None else "",
        "title": document.title or "", "url": document.url or "",
        "published": _date(document.published_on, document.published_precision, document.published_approx),
        "via": hop.via_actor.name if hop.via_actor is not None else "",
        "primary": "yes" if hop.is_primary else "",
    }


def _verdict(verdict: Any) -> dict[str, str]:
    return {
        "verdict": verdict.label, "rating_value": _number(verdict.rating_value), "best": _number(verdict.best),
        "worst": _number(verdict.worst), "reviewer": verdict.reviewer.name if verdict.reviewer is not None else "",
        "reviewed": _date(verdict.reviewed_on, verdict.reviewed_precision, verdict.reviewed_approx),
        "review_url": verdict.url or "", "explanation": verdict.explanation or "", "status": verdict.status,
        "status_reason": verdict.status_reason or "",
    }


def export_csv(session: Any, stream: TextIO, **options: Any) -> None:
    """Write the sheet (options: `claims` to limit it, `bom` for Excel)."""
    if options.get("bom"):
        stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    for row in rows(session, options.get("claims")):
        writer.writerow(row)
