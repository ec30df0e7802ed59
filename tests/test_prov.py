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
    seed = seeded(database)
    doc = export(database)
    context, graph = doc["@context"], doc["@graph"]
    assert expand("prov:wasQuotedFrom", context) == PROV + "wasQuotedFrom"
    nodes = {node["@id"]: node for node in graph}
    assert len(nodes) == len(graph), "every node appears once"
    # every reference points at a node of the graph (or at an inline blank-node agent)
    for node in graph:
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and not item["@id"].startswith("_:"):
                    assert item["@id"] in nodes, f"{node['@id']} {prop} -> {item['@id']} is dangling"
    # every term used is a prefixed name the context defines
    for node in graph:
        for prop in node:
            if not prop.startswith("@"):
                assert expand(prop, context) != prop, prop

    def hop(name: str) -> dict[str, Any]:
        return nodes[f"urn:claimtrack:hop:{seed[name]}"]

    tnie, afp, post = hop("tnie_hop"), hop("afp_hop"), hop("post_hop")
    assert "prov:Entity" in tnie["@type"] and "ct:Hop" in tnie["@type"]
    assert edges(tnie, "prov:wasDerivedFrom") == [afp["@id"]]
    assert edges(tnie, "prov:wasQuotedFrom") == [afp["@id"]]
    assert edges(tnie, "prov:hadPrimarySource") == [post["@id"]]
    assert edges(afp, "prov:hadPrimarySource") == [post["@id"]]
    assert "prov:hadPrimarySource" not in post and post["ct:primary"] is True
    assert edges(tnie, "prov:wasAttributedTo") == [f"urn:claimtrack:actor:{seed['volkov_actor']}"]
    assert edges(tnie, "prov:wasInfluencedBy") == [f"urn:claimtrack:actor:{seed['afp']}"]
    assert edges(tnie, "prov:specializationOf") == [f"urn:claimtrack:statement:{seed['volkov']}"]
    assert edges(tnie, "dcterms:isPartOf") == [f"urn:claimtrack:document:{seed['tnie']}"]
    assert tnie["prov:value"] == "several dozen"
    # documents: derived from what they relied on, with the primary document as primary source
    tnie_doc = nodes[f"urn:claimtrack:document:{seed['tnie']}"]
    assert edges(tnie_doc, "prov:wasDerivedFrom") == [f"urn:claimtrack:document:{seed['dispatch']}"]
    assert edges(tnie_doc, "prov:hadPrimarySource") == [f"urn:claimtrack:document:{seed['post']}"]
    assert tnie_doc["dcterms:issued"] == "2021-07-28"
    # agents
    volkov = nodes[f"urn:claimtrack:actor:{seed['volkov_actor']}"]
    assert volkov["@type"] == ["prov:Agent", "prov:Person"] and volkov["rdfs:label"] == "Leonid Volkov"
    assert "prov:Organization" in nodes[f"urn:claimtrack:actor:{seed['afp']}"]["@type"]
    # an anonymous speaker is a labelled blank node; nested attribution is a quotation
    ally = nodes[f"urn:claimtrack:statement:{seed['ally']}"]
    assert ally["prov:wasAttributedTo"]["rdfs:label"] == "a former ally"
    assert ally["prov:wasAttributedTo"]["@id"].startswith("_:")
    zakharova = nodes[f"urn:claimtrack:statement:{seed['zakharova']}"]
    assert edges(zakharova, "prov:wasQuotedFrom") == [f"urn:claimtrack:statement:{seed['ryabkov']}"]
    # the reporter's own voice is attributed to nobody
    assert "prov:wasAttributedTo" not in nodes[f"urn:claimtrack:statement:{seed['arrested_st']}"]


def test_prov_export_of_one_claim_keeps_whole_chains(database: Any) -> None:
    seed = seeded(database)
    graph = export(database, claims=["police-visits"], warn=print)["@graph"]
    ids = {node["@id"] for node in graph}
    assert {f"urn:claimtrack:hop:{seed[h]}" for h in ("tnie_hop", "afp_hop", "post_hop", "tnie_ovd")} <= ids
    assert f"urn:claimtrack:hop:{seed['mt_arrested']}" not in ids
    assert f"urn:claimtrack:statement:{seed['arrested_st']}" not in ids


def test_prov_export_survives_a_circular_citation(database: Any) -> None:
    ids = build_cycle(database)
    nodes = {n["@id"]: n for n in export(database)["@graph"]}
    a = nodes[f"urn:claimtrack:hop:{ids['a']}"]
    assert edges(a, "prov:wasDerivedFrom") == [f"urn:claimtrack:hop:{ids['c']}"]
    assert "prov:hadPrimarySource" not in a


def test_export_command_writes_prov(cli: Any, database: Any, tmp_path: Any) -> None:
    seed = seeded(database)
    out = tmp_path / "chains.jsonld"
    cli.ok("export", "--format", "prov", "--output", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(n["@id"] == f"urn:claimtrack:hop:{seed['tnie_hop']}" for n in data["@graph"])
    stdout = cli.ok("export", "--format", "prov", "--claim", "arrested-3000").stdout
    assert {n["@id"] for n in json.loads(stdout)["@graph"]} >= {f"urn:claimtrack:statement:{seed['arrested_st']}"}
