"""The deterministic writers: what they write parses back to exactly the same quads."""

from __future__ import annotations


import pyoxigraph
import pytest
from rdflib import XSD, Dataset, Graph, Literal, URIRef

from graph.io.files import serialize
from graph.model.ontology import KG, KGR
from graph.model.terms import PREFIXES
from graph.io.turtle import turtle


def _plain(term):
    # The writers drop the redundant ^^xsd:string, as Turtle allows.
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


@pytest.mark.slow  # rdflib parses and writes the full build
def test_trig_of_the_seed_build_reads_back_to_the_same_quads(seed_out):
    data = (seed_out / "graph.trig").read_bytes()
    again = Dataset()
    again.parse(data=data.decode("utf-8"), format="trig")
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TRIG)
    assert len(store) == sum(1 for _ in again.quads((None, None, None, None)))
    assert serialize(again, "trig") == data


def test_awkward_literals_and_iris_survive():
    g = Graph()
    subject = KGR["org/x"]
    hostile = ['a "quoted" word', "back\\slash", "line\nbreak\ttab", "</script><b>", "ünïcödé 中文", "ctrl\x01char"]
    for text in hostile:
        g.add((subject, KG.note, Literal(text)))
    g.add((subject, KG.url, Literal("https://e.org/a b?c=<d>", datatype=XSD.anyURI)))
    g.add((subject, KG.source, URIRef("https://e.org/with space|and^caret")))
    g.add((subject, KG.quote, Literal("mot", lang="fr")))
    text = turtle(g, PREFIXES)
    back = Graph().parse(data=text, format="turtle")
    assert set(back) == set(g)


def test_the_same_triples_in_any_order_give_the_same_bytes():
    triples = [(KGR[f"org/{i % 7}"], KG.note, Literal(str(i))) for i in range(50)]
    assert turtle(triples, PREFIXES) == turtle(list(reversed(triples)), PREFIXES)


def _awkward_dataset() -> Dataset:
    """Every shape of block write_from_store renders: recurring and single objects, escapes,
    languages, decimals, blank nodes, a subject in several graphs, an empty graph."""
    from decimal import Decimal

    from rdflib import RDF, RDFS, BNode

    ds = Dataset()
    a, b = ds.graph(KGR["source/a"]), ds.graph(KGR["source/b"])
    ds.graph(KGR["source/empty"])
    for i in range(12):
        org = KGR[f"org/{i}"]
        a.add((org, RDF.type, KG.Company))
        a.add((org, RDF.type, KG.Organization))
        a.add((org, RDFS.label, Literal(f"Org {i}", lang="en")))
        a.add((org, KG.confidence, Literal(Decimal(repr(1.0 if i % 2 else 0.25)), datatype=XSD.decimal)))
        a.add((org, KG.row, Literal(i, datatype=XSD.integer)))
        a.add((org, KG.country, KGR["country/de" if i % 3 else "country/fr"]))
        a.add((org, KG.suppliesTo, KGR[f"org/{(i + 1) % 12}"]))
    hostile = ['a "quoted" word', "back\\slash", "line\nbreak\ttab", "ctrl\x01char", "del\x7fchar", "ünïcödé 中文"]
    for org in (KGR["org/0"], KGR["org/2"]):  # org/0 is in two graphs, org/2 in one
        for text in hostile:
            a.add((org, KG.note, Literal(text)))
        a.add((org, KG.note, Literal("mot", lang="fr")))
        a.add((org, KG.note, Literal(Decimal("2.5"), datatype=XSD.decimal)))
        a.add((org, KG.note, KGR["org/1"]))
        a.add((org, KG.url, Literal("https://e.org/a b", datatype=XSD.anyURI)))
    a.add((KGR["org/3"], KG.note, Literal("del\x7fchar")))  # its only object
    a.add((BNode("b1"), RDF.type, KG.Evidence))
    a.add((KGR["org/1"], KG.evidence, BNode("b1")))
    a.add((KGR["org/1"], KG.evidence, BNode("b0")))
    a.add((URIRef("https://example.org/not.prefixed"), RDFS.label, Literal("outside")))
    for org in (KGR["org/0"], KGR["org/5"]):  # in both graphs: one block in the Turtle
        b.add((org, RDF.type, KG.Company))
        b.add((org, RDFS.label, Literal("Other name", lang="en")))
    b.add((KGR["org/99"], KG.partnerOf, KGR["org/0"]))
    return ds


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
@pytest.mark.parametrize("sample, chunk", [(10_000, 32 << 20), (1, 1)], ids=["one-run", "every-block-spilled"])
def test_files_from_a_store_are_the_bytes_of_the_rdflib_writers(tmp_path, monkeypatch, on_disk, sample, chunk):
    import graph.io.turtle
    from graph.model.terms import to_ox
    from graph.io.turtle import write_from_store

    # a sample of one quad: nearly every predicate and object goes the slow way through the query
    monkeypatch.setattr(graph.io.turtle, "SAMPLE", sample)
    ds = _awkward_dataset()
    store = pyoxigraph.Store(str(tmp_path / "store")) if on_disk else pyoxigraph.Store()
    for g in ds.graphs():
        name = pyoxigraph.NamedNode(str(g.identifier))
        store.extend(pyoxigraph.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in g)
    out = tmp_path / "out"
    out.mkdir()
    graphs = [str(g.identifier) for g in ds.graphs()]
    triples = write_from_store(store, graphs, PREFIXES, out / "g.trig", out / "g.ttl", chunk=chunk)
    assert (out / "g.trig").read_bytes() == serialize(ds, "trig")
    assert (out / "g.ttl").read_bytes() == serialize(ds, "turtle")
    assert triples == len({t for g in ds.graphs() for t in g})
    assert sorted(p.name for p in out.iterdir()) == ["g.trig", "g.ttl"]  # the spool is removed
