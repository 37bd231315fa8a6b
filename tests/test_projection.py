"""The projection: RDF relationship nodes become keyed networkx edges with their evidence."""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import pytest

from graph.store.backends import open_graph
from rdflib import RDF, RDFS, XSD, Dataset, Literal

from graph.network import SOURCE_KEYS, project
from graph.model.ontology import KG, KGR, load_ontology

SENSETIME = str(KGR["org/sensetime"])
QUALCOMM = str(KGR["org/qualcomm"])
NVIDIA = str(KGR["org/nvidia"])


@pytest.fixture(scope="module")
def seed_network(article_graph) -> nx.MultiDiGraph:
    return project(article_graph)


def test_seed_partnerships_are_symmetric_edges_with_the_article_quote(seed_network):
    G = seed_network
    assert isinstance(G, nx.MultiDiGraph)
    assert set(G.successors(SENSETIME)) >= {QUALCOMM, NVIDIA}
    for a, b in ((SENSETIME, QUALCOMM), (QUALCOMM, SENSETIME)):
        (key, data), = G.get_edge_data(a, b).items()
        assert key == data["relationship"] == str(KGR["partnership/sensetime-qualcomm"])
        assert data["kind"] == "partner" and data["direction"] == "symmetric"
        assert data["confidence"] == 1.0
        assert all(tuple(source) == SOURCE_KEYS for source in data["sources"])
        (source,) = [s for s in data["sources"] if s["method"] == "curated"]
        assert source["quote"] == "SenseTime est partenaire de Qualcomm"
        assert source["source"] == str(KGR["source/lesechos-2019-10-08"])
        assert source["title"].startswith("Washington place huit entreprises")
        assert source["file"] == "articles/lesechos-2019-10-08.txt"


def test_seed_nodes_carry_label_classes_country_and_listing(seed_network):
    G = seed_network
    assert G.nodes[SENSETIME] == {
        "label": "SenseTime",
        "classes": ["Agent", "Company", "Organization"],
        "country": "CN",
        "listed": True,
        "measures": [str(KGR["measure/entity-list-2019-10"])],
    }
    assert G.nodes[NVIDIA]["country"] == "US" and not G.nodes[NVIDIA]["listed"]
    # English label preferred over the French one
    assert G.nodes[str(KGR["org/us-commerce"])]["label"] == "United States Department of Commerce"
    assert "Person" in G.nodes[str(KGR["person/wilbur-ross"])]["classes"]


def test_seed_positions_and_sub_organisations(seed_network):
    G = seed_network
    trump, government = str(KGR["person/donald-trump"]), str(KGR["org/us-government"])
    (data,) = G.get_edge_data(trump, government).values()
    assert (data["kind"], data["direction"], data["start"], data["end"]) == ("position", "forward", "2017-01-20", None)
    assert data["confidence"] == 0.9
    (sub,) = G.get_edge_data(str(KGR["org/fbi"]), str(KGR["org/us-federal-agencies"])).values()
    assert sub["kind"] == "subsidiary" and sub["sources"][0]["quote"] == "FBI"
    assert not G.has_edge(str(KGR["org/us-federal-agencies"]), str(KGR["org/fbi"]))


def _hand_built() -> Dataset:
    ds = Dataset(default_union=True)
    g = ds.graph(KGR["source/test"])
    g.add((KGR["source/test"], RDF.type, KG.Source))
    g.add((KGR["source/test"], KG.url, Literal("https://example.org/t", datatype=XSD.anyURI)))
    for name in ("a", "b", "c", "d"):
        g.add((KGR[f"org/{name}"], RDF.type, KG.Company))
        g.add((KGR[f"org/{name}"], RDF.type, KG.Agent))
        g.add((KGR[f"org/{name}"], RDFS.label, Literal(name.upper(), lang="fr")))
    own = KGR["ownership/a-b"]
    g.add((own, RDF.type, KG.Ownership))
    g.add((own, KG.owner, KGR["org/a"]))
    g.add((own, KG.ownedEntity, KGR["org/b"]))
    g.add((own, KG.share, Literal(Decimal("60.5"), datatype=XSD.decimal)))
    g.add((own, KG.startDate, Literal("2018-03-01", datatype=XSD.date)))
    for i, conf in enumerate(("0.4", "0.7")):
        ev = KGR[f"evidence/test/{i}"]
        g.add((own, KG.evidence, ev))
        g.add((ev, KG.source, KGR["source/test"]))
        g.add((ev, KG.confidence, Literal(Decimal(conf), datatype=XSD.decimal)))
        g.add((ev, KG.row, Literal(i + 2, datatype=XSD.integer)))
        g.add((ev, KG.file, Literal("t.tsv")))
    three = KGR["partnership/b-c-d"]
    g.add((three, RDF.type, KG.Partnership))
    for name in ("b", "c", "d"):
        g.add((three, KG.partner, KGR[f"org/{name}"]))
    return ds


def test_ownership_share_dates_and_highest_confidence():
    G = project(_hand_built())
    (data,) = G.get_edge_data(str(KGR["org/a"]), str(KGR["org/b"])).values()
    assert data["kind"] == "ownership" and data["direction"] == "forward"
    assert data["share"] == 60.5 and data["start"] == "2018-03-01"
    assert data["confidence"] == 0.7
    assert [s["row"] for s in data["sources"]] == [2, 3]
    assert {s["url"] for s in data["sources"]} == {"https://example.org/t"}  # from the source
    assert not G.has_edge(str(KGR["org/b"]), str(KGR["org/a"]))
    assert G.nodes[str(KGR["org/a"])]["label"] == "A"  # no English label: the other one


def test_partnership_of_three_links_every_ordered_pair():
    G = project(_hand_built())
    pairs = {(u[-1], v[-1]) for u, v, d in G.edges(data=True) if d["kind"] == "partner"}
    assert pairs == {(x, y) for x in "bcd" for y in "bcd" if x != y}


def test_every_edge_kind_comes_from_the_ontology(seed_network):
    kinds = {e.kind for e in load_ontology().edge_kinds()} | {"subsidiary"}
    assert {d["kind"] for _u, _v, d in seed_network.edges(data=True)} <= kinds
    assert {"partner", "supply", "ownership", "position"} <= kinds


def test_projection_is_deterministic(article_graph):
    first, again = project(article_graph), project(article_graph)
    assert list(again.nodes(data=True)) == list(first.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(first.edges(keys=True, data=True))
    assert again.graph == first.graph


def test_a_pyoxigraph_store_projects_to_the_same_graph(article_out, article_graph):
    import pyoxigraph  # the test extra installs it

    store = pyoxigraph.Store()
    store.load(path=str(article_out / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    # rdflib's own store, read triple by triple: the slow path the others must agree with
    slow = project(open_graph(f"memory:{article_out / 'graph.trig'}"))
    fast = project(store)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert list(fast.edges(keys=True, data=True)) == list(slow.edges(keys=True, data=True))
    assert fast.graph == slow.graph
    # a Dataset held by Oxigraph (what open_graph gives for a file) takes the fast path itself
    fast = project(article_graph)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert list(fast.edges(keys=True, data=True)) == list(slow.edges(keys=True, data=True))
    assert fast.graph == slow.graph


# -- topology only (sources=False): the same edges, the evidence fetched for results alone --
TOPOLOGY_CASES = [dict(hops=1), dict(hops=2, country=None), dict(hops=3, country=None, nearest=True),
                  dict(hops=2, country=None, relations=["ownership", "subsidiary", "supply"]),
                  dict(hops=2, country=None, method="networkx")]


@pytest.fixture(scope="module")
def full_projection(seed_graph):
    return project(seed_graph)


def test_a_topology_only_projection_has_every_edge_but_no_sources_yet(seed_graph, full_projection):
    lazy = project(seed_graph.store._inner, sources=False)
    full = [(u, v, k, {a: b for a, b in d.items() if a != "sources"}) for u, v, k, d in
            full_projection.edges(keys=True, data=True)]
    assert list(lazy.edges(keys=True, data=True)) == full
    assert dict(lazy.nodes(data=True)) == dict(full_projection.nodes(data=True))


@pytest.fixture(scope="module")
def rdflib_copy(seed_graph):
    """The full build copied into rdflib's own store, once (the copy takes seconds; projecting reads it only)."""
    from graph.store.backends import snapshot

    return snapshot(seed_graph)


@pytest.mark.parametrize("kwargs", TOPOLOGY_CASES, ids=[str(sorted(c.items())) for c in TOPOLOGY_CASES])
# rdflib's engine takes seconds per case on the full build
@pytest.mark.parametrize("where", ["oxigraph", pytest.param("rdflib", marks=pytest.mark.slow)])
def test_exposure_on_a_topology_only_projection_is_the_same(seed_graph, full_projection, kwargs, where, request):
    from graph.network import exposure

    graph = seed_graph.store._inner if where == "oxigraph" else request.getfixturevalue("rdflib_copy")
    expected = exposure(full_projection, **kwargs)
    assert expected
    assert exposure(project(graph, sources=False), **kwargs) == expected


def test_sources_are_fetched_for_the_result_edges_alone(seed_graph):
    from graph.network import exposure

    G = project(seed_graph.store._inner, sources=False)
    records = exposure(G, hops=1)
    walked = {e["relationship"] for r in records for step in r["path"] for e in step["edges"]}
    with_sources = {d["relationship"] for _u, _v, d in G.edges(data=True) if "sources" in d}
    assert walked and with_sources == walked
    assert with_sources < {d["relationship"] for _u, _v, d in G.edges(data=True)}
