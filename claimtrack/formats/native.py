"""The native format: `jsonl` (one record per line, streamed) and `json` (one document).

Records and their fields are described in docs/formats.md and claimtrack/schemas/native.schema.json.
Export is deterministic: records by type (actors, affiliations, documents, claims, statements,
hops, relations, verdicts), each type in id order (a row that points at a later row of its own
table — a parent statement, a via-hop, a merged actor, claim or document — is written after it), keys for keyless
rows generated as readable slugs. Import stores every key, so export → import into an empty
database → export gives the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, TextIO

from claimtrack.errors import ImportFailed, InvalidInput
from claimtrack.formats.plan import Bad, Item, slug
from claimtrack.formats.safejson import JsonProblem, parse_json
from claimtrack.formats.source import Source, decode_lines, load_json

HEADER = {"type": "claimtrack", "format_version": 1}
FORMAT_VERSION = 1


# --------------------------------------------------------------------------- reading


def read_jsonl(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    """One Item per non-blank line; malformed lines become Bad values with line and column."""
    with source.open() as stream:
        yield from _read_jsonl(source, stream)


def _read_jsonl(source: Source, stream: IO[bytes]) -> Iterator[Item | Bad]:
    loads = parse_json
    first = True
    for entry in decode_lines(stream):
        if isinstance(entry, Bad):
            yield entry
            continue
        number, text = entry
        if not text.strip():
            continue
        try:
            record = loads(text)
        except JsonProblem as exc:
            yield Bad(number, f"column {exc.column}: {exc.reason}", text.rstrip("\n"))
            continue
        if first:
            first = False
            if isinstance(record, dict) and record.get("type") == "claimtrack":
                version = record.get("format_version")
                if version != FORMAT_VERSION:
                    raise ImportFailed(f"{source.name}, line {number}: format_version {version!r} is not "
                                       f"supported; this claimtrack reads version {FORMAT_VERSION}")
                continue
        if not isinstance(record, dict):
            yield Bad(number, f"expected a JSON object (a record), got {type(record).__name__}", record)
            continue
        yield Item(number, [record])


def read_json(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    """The `{"claimtrack_format": 1, "records": [...]}` document (loaded whole)."""
    data = load_json(source)
    if not isinstance(data, dict) or "records" not in data:
        raise ImportFailed(f"{source.name} is not a claimtrack JSON document: expected an object "
                           '{"claimtrack_format": 1, "records": [...]}')
    version = data.get("claimtrack_format")
    if version != FORMAT_VERSION:
        raise ImportFailed(f"{source.name}: claimtrack_format {version!r} is not supported; "
                           f"this claimtrack reads version {FORMAT_VERSION}")
    records = data["records"]
    if not isinstance(records, list):
        raise ImportFailed(f"{source.name}: records must be a list")
    for index, record in enumerate(records, 1):
        # a JSON document has no useful line numbers once parsed: number records instead
        yield Item(index, [record], unit="record")


# --------------------------------------------------------------------------- writing


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _date(on: Any, precision: str | None, approx: bool | None) -> str | None:
    from claimtrack.dates import PartialDate

    value = PartialDate.of(on, precision, approx)
    return str(value) if value is not None else None


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


class _Keys:
    """Keys of one table: stored ones, and readable generated ones for keyless rows."""

    def __init__(self, used: set[str]) -> None:
        self.used = used
        self.by_id: dict[int, str] = {}

    def assign(self, id_: int, key: str | None, base: str) -> str:
        if key is None:
            key = base
            n = 2
            while key in self.used:
                key = f"{base}-{n}"
                n += 1
            self.used.add(key)
        self.by_id[id_] = key
        return key

    def get(self, id_: int | None) -> str | None:
        return self.by_id[id_] if id_ is not None else None


def _ordered_ids(session: Any, table: Any, ref_column: Any) -> list[int] | None:
    """Ids in an order where a row's own-table reference comes first; None when plain id order works."""
    from sqlalchemy import select

    forward = session.execute(select(table.c.id).where(ref_column > table.c.id).limit(1)).first()
    if forward is None:
        return None
    refs = dict(session.execute(select(table.c.id, ref_column).order_by(table.c.id)).all())
    order: list[int] = []
    done: set[int] = set()
    for start in refs:
        stack = []
        node: int | None = start
        while node is not None and node not in done and node not in stack:
            stack.append(node)
            node = refs.get(node)
        for item in reversed(stack):
            done.add(item)
            order.append(item)
    return order


def _rows(session: Any, table: Any, ref_column: Any = None, where: Any = None) -> Iterator[Any]:
    from sqlalchemy import select

    order = _ordered_ids(session, table, ref_column) if ref_column is not None else None
    query = select(table)
    if where is not None:
        query = query.where(where)
    if order is None:
        yield from session.execute(query.order_by(table.c.id).execution_options(yield_per=5000))
        return
    position = {id_: i for i, id_ in enumerate(order)}
    rows = list(session.execute(query))
    rows.sort(key=lambda row: position[row.id])
    yield from rows


def _used_keys(session: Any, table: Any) -> set[str]:
    from sqlalchemy import select

    return set(session.scalars(select(table.c.key).where(table.c.key.is_not(None))))


def iter_records(session: Any, *, claims: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every native record of the database, in export order (see the module docstring).

    `claims` (ids or keys) limits the export to those claims and what their statements, hops
    and verdicts need.
    """
    from sqlalchemy import select

    from claimtrack.models import Base

    t = Base.metadata.tables
    scope = _Scope(session, claims) if claims else None

    actor_keys = _Keys(_used_keys(session, t["actors"]))
    aliases: dict[int, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    for actor_id, alias in session.execute(select(t["actor_aliases"].c.actor_id, t["actor_aliases"].c.alias)
                                           .order_by(t["actor_aliases"].c.id)):
        aliases[actor_id].append(alias)
    externals: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for actor_id, scheme, value in session.execute(select(t["external_ids"].c.actor_id, t["external_ids"].c.scheme,
                                                          t["external_ids"].c.value).order_by(t["external_ids"].c.id)):
        externals[actor_id].setdefault(scheme, []).append(value)
    for row in _rows(session, t["actors"], t["actors"].c.merged_into_id, scope and scope.where("actors")):
        key = actor_keys.assign(row.id, row.key, slug(row.name))
        names[row.id] = row.name
        ext = {scheme: values[0] if len(values) == 1 else values for scheme, values in externals.get(row.id, {}).items()}
        yield {"type": "actor", "key": key, "name": row.name, "kind": row.kind,
               "aliases": [a for a in aliases.get(row.id, []) if a != row.name], "external_ids": ext,
               "description": row.description, "merged_into": actor_keys.get(row.merged_into_id)}

    for row in _rows(session, t["affiliations"], where=scope and scope.where("affiliations")):
        yield {"type": "affiliation", "actor": actor_keys.get(row.actor_id),
               "organization": actor_keys.get(row.organization_id), "role": row.role,
               "start": _date(row.start_on, row.start_precision, row.start_approx),
               "end": _date(row.end_on, row.end_precision, row.end_approx), **_retired(row)}

    doc_keys = _Keys(_used_keys(session, t["documents"]))
    for row in _rows(session, t["documents"], t["documents"].c.merged_into_id, scope and scope.where("documents")):
        base = "doc-" + slug(row.title or row.url or "untitled", 50)
        key = doc_keys.assign(row.id, row.key, base)
        yield {"type": "document", "key": key, "outlet": actor_keys.get(row.outlet_id), "kind": row.kind,
               "url": row.url, "title": row.title, "author": row.author, "language": row.language,
               "published": _date(row.published_on, row.published_precision, row.published_approx),
               "retrieved_at": _timestamp(row.retrieved_at), "archive_url": row.archive_url,
               "content_hash": row.content_hash, **_retired(row), **_merged(row, doc_keys)}

    claim_keys = _Keys(_used_keys(session, t["claims"]))
    for row in _rows(session, t["claims"], t["claims"].c.merged_into_id, scope and scope.where("claims")):
        key = claim_keys.assign(row.id, row.key, slug(row.text, 50))
        record: dict[str, Any] = {"type": "claim", "key": key, "text": row.text, "language": row.language}
        if row.quantity_subject is not None or row.quantity_unit is not None or row.quantity_bound is not None:
            record["quantity"] = {"subject": row.quantity_subject, "value": _num(row.quantity_value),
                                  "bound": row.quantity_bound, "unit": row.quantity_unit}
        else:
            record["quantity"] = None
        record.update(_retired(row))
        record.update(_merged(row, claim_keys))
        yield record

    statement_keys = _Keys(_used_keys(session, t["statements"]))
    for row in _rows(session, t["statements"], t["statements"].c.parent_id, scope and scope.where("statements")):
        who = actor_keys.get(row.speaker_id) or row.speaker_descriptor or "unattributed"
        base = slug(f"{who} {row.stance} {claim_keys.get(row.claim_id)}", 60)
        key = statement_keys.assign(row.id, row.key, base)
        yield {"type": "statement", "key": key, "claim": claim_keys.get(row.claim_id),
               "speaker": actor_keys.get(row.speaker_id), "speaker_descriptor": row.speaker_descriptor,
               "on_behalf_of": actor_keys.get(row.on_behalf_of_id), "stance": row.stance, "quote": row.quote,
               "quote_kind": row.quote_kind, "cue": row.cue, "channel": row.channel, "context": row.context,
               "said": _date(row.said_on, row.said_precision, row.said_approx), "language": row.language,
               "original_text": row.original_text, "parent": statement_keys.get(row.parent_id),
               "status": row.status, "status_reason": row.status_reason}

    hop_keys = _Keys(_used_keys(session, t["hops"]))
    for row in _rows(session, t["hops"], t["hops"].c.via_hop_id, scope and scope.where("hops")):
        base = slug(f"hop {doc_keys.get(row.document_id)}", 60)
        key = hop_keys.assign(row.id, row.key, base)
        yield {"type": "hop", "key": key, "document": doc_keys.get(row.document_id),
               "statement": statement_keys.get(row.statement_id), "via_hop": hop_keys.get(row.via_hop_id),
               "via_actor": actor_keys.get(row.via_actor_id), "cue": row.cue, "quote": row.quote,
               "primary": bool(row.is_primary), **_retired(row)}

    for row in _rows(session, t["claim_relations"], where=scope and scope.where("claim_relations")):
        yield {"type": "relation", "source": claim_keys.get(row.source_claim_id),
               "target": claim_keys.get(row.target_claim_id), "relation": row.type, "status": row.status,
               "score": row.score, "note": row.note, "created_by": row.created_by, "decided_by": row.decided_by,
               **({"status_reason": row.status_reason} if row.status_reason else {})}

    verdict_keys = _Keys(_used_keys(session, t["verdicts"]))
    for row in _rows(session, t["verdicts"], where=scope and scope.where("verdicts")):
        base = slug(f"verdict {names.get(row.reviewer_id, '')} {row.label}", 60)
        key = verdict_keys.assign(row.id, row.key, base)
        yield {"type": "verdict", "key": key, "claim": claim_keys.get(row.claim_id), "label": row.label,
               "rating_value": _num(row.rating_value), "best": _num(row.best), "worst": _num(row.worst),
               "reviewer": actor_keys.get(row.reviewer_id),
               "reviewed": _date(row.reviewed_on, row.reviewed_precision, row.reviewed_approx), "url": row.url,
               "explanation": row.explanation, "license": row.license, "evidence_urls": list(row.evidence_urls or []),
               "language": row.language, "status": row.status, "status_reason": row.status_reason}


def _retired(row: Any) -> dict[str, Any]:
    """status and status_reason, written only for a retracted or deprecated record (so exports of
    databases without corrections keep their shape)."""
    if row.status == "normal":
        return {}
    return {"status": row.status, "status_reason": row.status_reason}


def _merged(row: Any, keys: _Keys) -> dict[str, Any]:
    """merged_into (the survivor's key), written only for a merged claim or document."""
    if row.merged_into_id is None:
        return {}
    return {"merged_into": keys.get(row.merged_into_id)}


class _Scope:
    """The ids a claim-filtered export includes: the claims, everything they need, closed over
    parents, via-hops and the actors all of those name."""

    def __init__(self, session: Any, refs: list[str]) -> None:
        from sqlalchemy import or_, select

        from claimtrack.models import Base
        from claimtrack.queries.lookup import get_claim

        t = Base.metadata.tables
        self.ids: dict[str, set[int]] = defaultdict(set)
        claims = {get_claim(session, ref).id for ref in refs}
        statements: set[int] = set()
        hops: set[int] = set()
        while True:
            before = (len(claims), len(statements), len(hops))
            st = t["statements"]
            statements |= set(session.scalars(select(st.c.id).where(st.c.claim_id.in_(claims))))
            for sid, parent, claim in session.execute(select(st.c.id, st.c.parent_id, st.c.claim_id).where(st.c.id.in_(statements))):
                if parent is not None:
                    statements.add(parent)
                claims.add(claim)
            h = t["hops"]
            hops |= set(session.scalars(select(h.c.id).where(h.c.statement_id.in_(statements))))
            for hid, via, sid in session.execute(select(h.c.id, h.c.via_hop_id, h.c.statement_id).where(h.c.id.in_(hops))):
                if via is not None:
                    hops.add(via)
                statements.add(sid)
            if (len(claims), len(statements), len(hops)) == before:
                break
        documents = set(session.scalars(select(t["hops"].c.document_id).where(t["hops"].c.id.in_(hops))))
        # a merged claim or document needs its survivor (and the survivor's survivor)
        claims = _with_survivors(session, t["claims"], claims)
        documents = _with_survivors(session, t["documents"], documents)
        actors: set[int] = set()
        for row in session.execute(select(t["statements"].c.speaker_id, t["statements"].c.on_behalf_of_id)
                                   .where(t["statements"].c.id.in_(statements))):
            actors.update(i for i in row if i is not None)
        actors.update(i for i in session.scalars(select(t["hops"].c.via_actor_id).where(t["hops"].c.id.in_(hops))) if i)
        actors.update(i for i in session.scalars(select(t["documents"].c.outlet_id)
                                                  .where(t["documents"].c.id.in_(documents))) if i)
        v = t["verdicts"]
        verdicts = set(session.scalars(select(v.c.id).where(v.c.claim_id.in_(claims))))
        actors.update(i for i in session.scalars(select(v.c.reviewer_id).where(v.c.id.in_(verdicts))) if i)
        a = t["affiliations"]
        affiliations = set(session.scalars(select(a.c.id).where(a.c.actor_id.in_(actors))))
        actors.update(i for i in session.scalars(select(a.c.organization_id).where(a.c.id.in_(affiliations))) if i)
        actors = _with_survivors(session, t["actors"], actors)
        r = t["claim_relations"]
        relations = set(session.scalars(select(r.c.id).where(r.c.source_claim_id.in_(claims),
                                                             r.c.target_claim_id.in_(claims))))
        self.ids.update({"actors": actors, "affiliations": affiliations, "documents": documents, "claims": claims,
                         "statements": statements, "hops": hops, "claim_relations": relations, "verdicts": verdicts})
        _ = or_

    def where(self, table: str) -> Any:
        from claimtrack.models import Base

        return Base.metadata.tables[table].c.id.in_(sorted(self.ids[table]))


def _with_survivors(session: Any, table: Any, ids: set[int]) -> set[int]:
    """`ids` and, transitively, the rows they were merged into."""
    from sqlalchemy import select

    ids = set(ids)
    while True:
        more = {i for i in session.scalars(select(table.c.merged_into_id).where(table.c.id.in_(ids))) if i} - ids
        if not more:
            return ids
        ids |= more


def _dumps(record: dict[str, Any]) -> str:
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or Infinity stored before imports refused them: never write bad JSON
        raise InvalidInput(f"{record.get('type')} {record.get('key')!r} holds NaN or Infinity, which JSON cannot "
                           "carry; correct the figure (claimtrack edit …) and export again") from None


def export_jsonl(session: Any, stream: TextIO, **options: Any) -> None:
    """The native jsonl format: a header line, then one record per line."""
    stream.write(_dumps(HEADER) + "\n")
    stream.writelines(_dumps(record) + "\n" for record in iter_records(session, claims=options.get("claims")))


def export_json(session: Any, stream: TextIO, **options: Any) -> None:
    """The native json document, one record per line inside `records` (still diff-friendly)."""
    stream.write('{"claimtrack_format": 1, "records": [\n')
    first = True
    for record in iter_records(session, claims=options.get("claims")):
        stream.write(("" if first else ",\n") + _dumps(record))
        first = False
    stream.write("\n]}\n")
