"""`export --format prov`: the seed's chains as PROV-O JSON-LD, parsed back and checked as a graph."""

from __future__ import annotations

import io
import json
from typing import Any

from tests.test_chains import build_cycle, seeded

PROV = "http://www.w3.org/ns/prov#"


def export(database: Any, **options: Any) -> dict[str, Any]:
    from claimtrack.formats.prov import export_prov

    stream = io.StringIO()
    with database.read() as session:
        export_prov(session, stream, **options)
    return json.loads(stream.getvalue())


def base(database: Any) -> str:
    """The IRI prefix of the database's objects: urn:claimtrack:<its uuid>:."""
    from sqlalchemy import text

    with database.read() as session:
        return f"urn:claimtrack:{session.execute(text('SELECT uuid FROM database_identity')).scalar()}:"


def expand(term: str, context: dict[str, Any]) -> str:
    """A compact IRI ("prov:wasQuotedFrom") as the full IRI, the way a JSON-LD processor reads it."""
    prefix, _, local = term.partition(":")
    return context[prefix] + local if local and prefix in context else term


def edges(node: dict[str, Any], prop: str) -> list[str]:
    value = node.get(prop)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [v["@id"] for v in values]


def test_prov_graph_of_the_seed(database: Any) -> None:
    b = base(database)
    seed = seeded(database)
    doc = export(database)
    context, graph = doc["@context"], doc["@graph"]
    assert expand("prov:wasQuotedFrom", context) == PROV + "wasQuotedFrom"
    nodes = {node["@id"]: node for node in graph}
    assert len(nodes) == len(graph), "every node appears once"
    # every reference points at a node of the graph (no blank nodes: anonymous agents are nodes too)
    for node in graph:
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and "@id" in item:
                    assert item["@id"] in nodes, f"{node['@id']} {prop} -> {item['@id']} is dangling"
    # every term used is a prefixed name the context defines
    for node in graph:
        for prop in node:
            if not prop.startswith("@"):
                assert expand(prop, context) != prop, prop

    def hop(name: str) -> dict[str, Any]:
        return nodes[f"{b}hop:{seed[name]}"]

    tnie, afp, post = hop("tnie_hop"), hop("afp_hop"), hop("post_hop")
    assert "prov:Entity" in tnie["@type"] and "ct:Hop" in tnie["@type"]
    assert edges(tnie, "prov:wasDerivedFrom") == [afp["@id"]]
    assert edges(tnie, "prov:wasQuotedFrom") == [afp["@id"]]
    assert edges(tnie, "prov:hadPrimarySource") == [post["@id"]]
    assert edges(afp, "prov:hadPrimarySource") == [post["@id"]]
    assert "prov:hadPrimarySource" not in post and post["ct:primary"] is True
    assert edges(tnie, "prov:wasAttributedTo") == [f"{b}actor:{seed['volkov_actor']}"]
    assert edges(tnie, "prov:wasInfluencedBy") == [f"{b}actor:{seed['afp']}"]
    assert edges(tnie, "prov:specializationOf") == [f"{b}statement:{seed['volkov']}"]
    assert edges(tnie, "dcterms:isPartOf") == [f"{b}document:{seed['tnie']}"]
    assert tnie["prov:value"] == "several dozen"
    # documents: derived from what they relied on, with the primary document as primary source
    tnie_doc = nodes[f"{b}document:{seed['tnie']}"]
    assert edges(tnie_doc, "prov:wasDerivedFrom") == [f"{b}document:{seed['dispatch']}"]
    assert edges(tnie_doc, "prov:hadPrimarySource") == [f"{b}document:{seed['post']}"]
    assert tnie_doc["dcterms:issued"] == "2021-07-28"
    # agents
    volkov = nodes[f"{b}actor:{seed['volkov_actor']}"]
    assert volkov["@type"] == ["prov:Agent", "prov:Person"] and volkov["rdfs:label"] == "Leonid Volkov"
    assert "prov:Organization" in nodes[f"{b}actor:{seed['afp']}"]["@type"]
    # an anonymous speaker is a labelled agent of its own; nested attribution is a quotation
    ally = nodes[f"{b}statement:{seed['ally']}"]
    anonymous = ally["prov:wasAttributedTo"]["@id"]
    assert anonymous == f"{b}anonymous-speaker:{seed['ally']}"  # a stable IRI, never a blank node
    assert nodes[anonymous]["rdfs:label"] == "a former ally"
    zakharova = nodes[f"{b}statement:{seed['zakharova']}"]
    assert edges(zakharova, "prov:wasQuotedFrom") == [f"{b}statement:{seed['ryabkov']}"]
    # the reporter's own voice is attributed to nobody
    assert "prov:wasAttributedTo" not in nodes[f"{b}statement:{seed['arrested_st']}"]


def test_prov_export_of_one_claim_keeps_whole_chains(database: Any) -> None:
    b = base(database)
    seed = seeded(database)
    graph = export(database, claims=["police-visits"], warn=print)["@graph"]
    ids = {node["@id"] for node in graph}
    assert {f"{b}hop:{seed[h]}" for h in ("tnie_hop", "afp_hop", "post_hop", "tnie_ovd")} <= ids
    assert f"{b}hop:{seed['mt_arrested']}" not in ids
    assert f"{b}statement:{seed['arrested_st']}" not in ids


def test_prov_export_survives_a_circular_citation(database: Any) -> None:
    b = base(database)
    ids = build_cycle(database)
    nodes = {n["@id"]: n for n in export(database)["@graph"]}
    a = nodes[f"{b}hop:{ids['a']}"]
    assert edges(a, "prov:wasDerivedFrom") == [f"{b}hop:{ids['c']}"]
    assert "prov:hadPrimarySource" not in a


def test_export_command_writes_prov(cli: Any, database: Any, tmp_path: Any) -> None:
    b = base(database)
    seed = seeded(database)
    out = tmp_path / "chains.jsonld"
    cli.ok("export", "--format", "prov", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(n["@id"] == f"{b}hop:{seed['tnie_hop']}" for n in data["@graph"])
    stdout = cli.ok("export", "--format", "prov", "--claim", "arrested-3000").stdout
    assert {n["@id"] for n in json.loads(stdout)["@graph"]} >= {f"{b}statement:{seed['arrested_st']}"}


def test_the_prov_package_loads_the_export(database: Any, tmp_path: Any) -> None:
    """No blank nodes: the `prov` package (through rdflib's JSON-LD parser) reads the whole export."""
    prov = __import__("pytest").importorskip("prov")
    __import__("pytest").importorskip("rdflib")
    seeded(database)
    path = tmp_path / "chains.jsonld"
    path.write_text(json.dumps(export(database)), encoding="utf-8")
    document = prov.read(str(path), format="rdf", rdf_format="json-ld")
    labels = {str(label) for record in document.get_records() for label in record.get_attribute("prov:label")}
    assert "a former ally" in labels
    assert len(document.get_records()) > 20


def test_exports_of_two_databases_merge_without_collisions(database: Any, tmp_path: Any) -> None:
    """Each database has its own UUID (made when its schema is created), carried by every IRI."""
    import uuid

    from claimtrack.db import Database
    from claimtrack.migrate import upgrade

    seeded(database)
    urls = [f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db")]
    for url in urls:
        upgrade(url)
    bases = []
    for url in urls:
        other = Database(url, user="tester")
        bases.append(base(other))
        other.dispose()
    assert bases[0] != bases[1] and all(uuid.UUID(b.split(":")[2]) for b in bases)
    mine = {n["@id"] for n in export(database)["@graph"]}
    assert all(i.startswith(base(database)) for i in mine)
    assert base(database) not in bases
