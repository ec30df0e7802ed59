"""Export attribution chains as W3C PROV-O in JSON-LD (`claimtrack export --format prov`).

The mapping (see docs/chains-and-audit.md, "PROV mapping"):

- an actor is a `prov:Agent` (also `prov:Person` or `prov:Organization`);
- a document is a `prov:Entity`, `prov:wasAttributedTo` its outlet, `prov:wasDerivedFrom` the
  documents it relied on and `prov:hadPrimarySource` the primary documents its chains reach;
- a statement is a `prov:Entity` (`ct:Statement`) `prov:wasAttributedTo` its speaker (an
  anonymous speaker is an agent of its own, `…:anonymous-speaker:<statement id>`, labelled with
  the descriptor: one per statement, since two "officials" need not be one); a statement reporting a
  nested one `prov:wasQuotedFrom` it (direct quotes) or `prov:wasDerivedFrom` it;
- a hop is a `prov:Entity` (`ct:Hop`): the statement as it appears in one document
  (`prov:specializationOf` the statement, `dcterms:isPartOf` the document, `prov:value` the quote
  there), `prov:wasDerivedFrom` and, when it quotes, `prov:wasQuotedFrom` the hop it relied on,
  `prov:hadPrimarySource` the primary hop its chain ends at, `prov:wasInfluencedBy` the
  intermediary actor, and `prov:wasAttributedTo` the speaker.

Retired records stay in the graph, marked (a provenance graph keeps what was withdrawn, and
removing a retracted hop would cut the chains that relied on it): a retracted or deprecated
document, hop or statement carries `ct:status` and `ct:statusReason`, a merged document
`ct:mergedInto` its survivor, and a statement about a retired or merged claim `ct:claimStatus`.

Identifiers are URNs holding the database's own UUID (made once, when its schema was created:
table database_identity) and the row id: `urn:claimtrack:<uuid>:document:12`,
`urn:claimtrack:<uuid>:hop:7`, …; so an export is stable for one database, and exports of two
databases merge without collisions. There are no blank nodes, so RDF tools and the `prov`
package load the export. Output is streamed node by node, in batches of documents, so memory
stays flat on a large database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.queries.chains import (
    ActorRef,
    DocumentRef,
    StatementRef,
    _HopRow,
    ancestor_hop_ids,
    load_hops,
    load_statements,
    nested_statement_ids,
    walk_back,
)

PROV = "http://www.w3.org/ns/prov#"
CT = "https://claimtrack.org/ns#"

CONTEXT: dict[str, Any] = {
    "prov": PROV,
    "ct": CT,
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_PERSON_KINDS = {"person"}


def database_base(session: Session) -> str:
    """The IRI prefix of this database's objects: `urn:claimtrack:<its uuid>:`."""
    from claimtrack.errors import DatabaseError
    from claimtrack.models import DatabaseIdentity

    value = session.scalar(select(DatabaseIdentity.uuid).where(DatabaseIdentity.id == 1))
    if value is None:
        raise DatabaseError("this database has no identity row (database_identity); run `claimtrack db upgrade`")
    return f"urn:claimtrack:{value}:"


class Ids:
    """IRIs of one database's objects: `<base><kind>:<id>`."""

    def __init__(self, base: str) -> None:
        self.base = base

    def uri(self, kind: str, ident: int) -> str:
        return f"{self.base}{kind}:{ident}"

    def ref(self, kind: str, ident: int) -> dict[str, str]:
        return {"@id": self.uri(kind, ident)}

    def refs(self, kind: str, idents: Iterable[int]) -> list[dict[str, str]]:
        return [self.ref(kind, i) for i in sorted(set(idents))]


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: JSON-LD treats an absent property and a null one alike."""
    return {k: v for k, v in node.items() if v is not None and v != [] and v != ""}


def actor_node(ids: Ids, actor: ActorRef) -> dict[str, Any]:
    kind = "prov:Person" if actor.kind in _PERSON_KINDS else "prov:Organization"
    return _clean({
        "@id": ids.uri("actor", actor.id), "@type": ["prov:Agent", kind],
        "rdfs:label": actor.name, "ct:key": actor.key, "ct:kind": actor.kind,
    })


def document_node(ids: Ids, doc: DocumentRef, derived_from: set[int], primary: set[int]) -> dict[str, Any]:
    return _clean({
        "@id": ids.uri("document", doc.id), "@type": ["prov:Entity", "ct:Document"],
        "ct:key": doc.key, "ct:kind": doc.kind, "dcterms:title": doc.title, "schema:url": doc.url,
        "dcterms:language": doc.language,
        # a partial date ("2021-07", "~2021") is kept as written: xsd:date cannot say "some day in July"
        "dcterms:issued": doc.published,
        "prov:wasAttributedTo": ids.ref("actor", doc.outlet.id) if doc.outlet else None,
        "prov:wasDerivedFrom": ids.refs("document", derived_from - {doc.id}),
        "prov:hadPrimarySource": ids.refs("document", primary - {doc.id}),
    })


def _speaker(ids: Ids, statement: StatementRef) -> dict[str, Any] | None:
    if statement.speaker is not None:
        return ids.ref("actor", statement.speaker.id)
    if statement.speaker_descriptor:
        # an anonymous speaker has no identity beyond this statement: an agent of its own (not a
        # blank node, which PROV tools cannot name), labelled as printed
        return ids.ref("anonymous-speaker", statement.id)
    return None


def anonymous_node(ids: Ids, statement: StatementRef) -> dict[str, Any]:
    """The agent an anonymous statement is attributed to, labelled with its descriptor."""
    return {"@id": ids.uri("anonymous-speaker", statement.id), "@type": "prov:Agent",
            "rdfs:label": statement.speaker_descriptor}


def statement_node(ids: Ids, statement: StatementRef, nested: list[StatementRef]) -> dict[str, Any]:
    # a parent that quotes (directly or partly) the nested statement quotes it; else it paraphrases
    quoted = [n.id for n in nested if statement.quote_kind in ("direct", "mixed")]
    derived = [n.id for n in nested if n.id not in quoted]
    return _clean({
        "@id": ids.uri("statement", statement.id), "@type": ["prov:Entity", "ct:Statement"],
        "ct:key": statement.key, "ct:claim": statement.claim_text, "ct:stance": statement.stance,
        "prov:value": statement.quote, "ct:cue": statement.cue, "ct:channel": statement.channel,
        "dcterms:date": statement.said, "ct:status": statement.status,
        "prov:wasAttributedTo": _speaker(ids, statement),
        "prov:wasQuotedFrom": ids.refs("statement", quoted),
        "prov:wasDerivedFrom": ids.refs("statement", derived),
    })


def hop_node(ids: Ids, row: _HopRow, primary_hop: int | None) -> dict[str, Any]:
    via = row.via_hop_id
    return _clean({
        "@id": ids.uri("hop", row.id), "@type": ["prov:Entity", "ct:Hop"],
        "ct:key": row.key, "ct:cue": row.cue, "prov:value": row.quote, "ct:primary": row.is_primary,
        "prov:specializationOf": ids.ref("statement", row.statement.id),
        "dcterms:isPartOf": ids.ref("document", row.document.id),
        "prov:wasAttributedTo": _speaker(ids, row.statement),
        "prov:wasDerivedFrom": ids.ref("hop", via) if via is not None else None,
        # quoting is a kind of derivation: only claimed when this document prints a quote
        "prov:wasQuotedFrom": ids.ref("hop", via) if via is not None and row.quote else None,
        "prov:hadPrimarySource": ids.ref("hop", primary_hop) if primary_hop not in (None, row.id) else None,
        "prov:wasInfluencedBy": ids.ref("actor", row.via_actor.id) if row.via_actor else None,
    })


def _marks(session: Session, ids: Ids, kind: str, idents: list[int]) -> dict[int, dict[str, Any]]:
    """ct:status / ct:statusReason (and ct:mergedInto, ct:claimStatus) of the retired records
    among `idents`: few, so one query per batch finds them."""
    from sqlalchemy import or_

    from claimtrack.models import Claim, Document, Hop, Statement

    marks: dict[int, dict[str, Any]] = {}
    if not idents:
        return marks
    model: Any = {"document": Document, "hop": Hop, "statement": Statement}[kind]
    columns = [model.id, model.status, model.status_reason]
    retired = model.status != "normal"
    if kind == "document":
        columns.append(Document.merged_into_id)
        retired = or_(retired, Document.merged_into_id.is_not(None))
    query = select(*columns).where(model.id.in_(idents))
    if kind == "statement":
        query = (select(*columns, Claim.status.label("claim_status"), Claim.merged_into_id)
                 .join(Claim, Claim.id == Statement.claim_id).where(Statement.id.in_(idents)))
        retired = or_(retired, Claim.status != "normal", Claim.merged_into_id.is_not(None))
    for row in session.execute(query.where(retired)):
        mark: dict[str, Any] = {}
        if row.status != "normal":
            mark.update({"ct:status": row.status, "ct:statusReason": row.status_reason})
        if kind == "document" and row.merged_into_id is not None:
            mark["ct:mergedInto"] = ids.ref("document", row.merged_into_id)
        if kind == "statement" and (row.claim_status != "normal" or row.merged_into_id is not None):
            mark["ct:claimStatus"] = "merged" if row.merged_into_id is not None else row.claim_status
        marks[row.id] = _clean(mark)
    return marks


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)


def _scope_hops(session: Session, claims: list[str | int] | None, document: str | int | None) -> list[int] | None:
    """The hops of the chosen claims and/or document; None when nothing was chosen (everything)."""
    from claimtrack.models import Hop, Statement
    from claimtrack.queries.lookup import get_claim, get_document

    if not claims and document is None:
        return None
    query = select(Hop.id)
    if claims:
        claim_ids = [get_claim(session, ref).id for ref in claims]
        query = query.join(Statement, Statement.id == Hop.statement_id).where(Statement.claim_id.in_(claim_ids))
    if document is not None:
        query = query.where(Hop.document_id == get_document(session, document).id)
    return list(session.scalars(query))


#: hops handled per batch: memory stays flat however large the database is
BATCH = 2000


def _batches_by_document(pairs: list[tuple[int, int]]) -> Iterator[list[int]]:
    """Hop ids in batches of about BATCH that never split one document's hops."""
    batch: list[int] = []
    last_document: int | None = None
    for document_id, hop_id in sorted(pairs):
        if len(batch) >= BATCH and document_id != last_document:
            yield batch
            batch = []
        batch.append(hop_id)
        last_document = document_id
    if batch:
        yield batch


def build_graph(session: Session, *, claims: list[str | int] | None = None,
                document: str | int | None = None) -> Iterator[dict[str, Any]]:
    """The PROV nodes, one at a time: documents with their hops, then statements, then agents.

    Work goes in batches of documents: each batch loads its hops plus the hops they rely on
    (for the primary source), so memory does not grow with the database.
    """
    from claimtrack.models import Hop, Statement

    ids = Ids(database_base(session))
    chosen = _scope_hops(session, claims, document)
    if chosen is None:
        pairs = [(d, h) for h, d in session.execute(select(Hop.id, Hop.document_id))]
    else:
        # a chosen chain is exported whole: the hops it relies on come along, whatever their claim
        wanted = ancestor_hop_ids(session, chosen)
        pairs = [(row.document.id, row.id) for row in load_hops(session, wanted).values()]
    statement_ids: set[int] = set()
    actor_ids: set[int] = set()
    for batch in _batches_by_document(pairs):
        rows = load_hops(session, ancestor_hop_ids(session, batch))
        documents: dict[int, DocumentRef] = {}
        doc_derived: dict[int, set[int]] = {}
        doc_primary: dict[int, set[int]] = {}
        primary_of: dict[int, int | None] = {}
        for hop_id in batch:
            row = rows[hop_id]
            documents[row.document.id] = row.document
            path, cycle_to = walk_back(hop_id, rows)
            end = rows[path[-1]]
            primary_of[hop_id] = end.id if cycle_to is None and end.is_primary else None
            if row.via_hop_id is not None and row.via_hop_id in rows:
                doc_derived.setdefault(row.document.id, set()).add(rows[row.via_hop_id].document.id)
            if primary_of[hop_id] is not None:
                doc_primary.setdefault(row.document.id, set()).add(end.document.id)
            statement_ids.add(row.statement.id)
            actor_ids.update(a.id for a in (row.via_actor, row.document.outlet) if a is not None)
        doc_marks = _marks(session, ids, "document", list(documents))
        hop_marks = _marks(session, ids, "hop", batch)
        for doc in sorted(documents.values(), key=lambda d: d.id):
            yield {**document_node(ids, doc, doc_derived.get(doc.id, set()), doc_primary.get(doc.id, set())),
                   **doc_marks.get(doc.id, {})}
        for hop_id in sorted(batch):
            yield {**hop_node(ids, rows[hop_id], primary_of[hop_id]), **hop_marks.get(hop_id, {})}

    if chosen is None:
        statement_ids = set(session.scalars(select(Statement.id)))  # statements not yet reported anywhere too
    else:
        statement_ids = nested_statement_ids(session, statement_ids)
    children: dict[int, list[int]] = {}
    for sid, parent in session.execute(select(Statement.id, Statement.parent_id).where(Statement.parent_id.is_not(None))):
        if sid in statement_ids and parent in statement_ids:
            children.setdefault(parent, []).append(sid)
    ordered = sorted(statement_ids)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start:start + BATCH]
        refs = load_statements(session, chunk + [c for sid in chunk for c in children.get(sid, [])])
        statement_marks = _marks(session, ids, "statement", chunk)
        for sid in chunk:
            ref = refs[sid]
            if ref.speaker is not None:
                actor_ids.add(ref.speaker.id)
            yield {**statement_node(ids, ref, [refs[c] for c in sorted(children.get(sid, []))]),
                   **statement_marks.get(sid, {})}
            if ref.speaker is None and ref.speaker_descriptor:
                yield anonymous_node(ids, ref)

    from claimtrack.models import Actor

    ordered = sorted(actor_ids)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start:start + BATCH]
        for ident, key, name, kind in session.execute(
            select(Actor.id, Actor.key, Actor.name, Actor.kind).where(Actor.id.in_(chunk)).order_by(Actor.id)
        ):
            yield actor_node(ids, ActorRef(ident, key, name, kind))


def export_prov(session: Session, stream: TextIO, **options: Any) -> None:
    """Write the chains as one PROV-O JSON-LD document: {"@context": …, "@graph": [ … ]}.

    Options: `claims` (ids or keys; `claim` for one) and `document` (id or key) restrict the
    export to those chains; anything else the export command passes (`warn`) is ignored.
    """
    claims = list(options.get("claims") or [])
    if options.get("claim") is not None:
        claims.append(options["claim"])
    graph = build_graph(session, claims=claims or None, document=options.get("document"))
    stream.write('{\n  "@context": ')
    stream.write(json.dumps(CONTEXT, ensure_ascii=False, allow_nan=False))
    stream.write(',\n  "@graph": [')
    first = True
    for node in graph:
        stream.write("\n    " if first else ",\n    ")
        stream.write(_dumps(node))
        first = False
    stream.write("\n  ]\n}\n")
