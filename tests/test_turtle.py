"""The deterministic writers: what they write parses back to exactly the same quads."""

from __future__ import annotations


import pyoxigraph
import pytest
from rdflib import XSD, Dataset, Graph, Literal, URIRef

from graph.files import serialize
from graph.ontology import KG, KGR
from graph.terms import PREFIXES
from graph.turtle import turtle


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
