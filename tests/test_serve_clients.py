"""Real SPARQL clients against a running ``kg serve``: SPARQLWrapper, rdflib's SPARQLStore, curl."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

KG = "https://w3id.org/exposure-kg/ontology#"
ROSS = URIRef("https://w3id.org/exposure-kg/id/person/wilbur-ross")
PROLOGUE = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
PERSONS = PROLOGUE + "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
CONSTRUCT = PROLOGUE + "CONSTRUCT { ?p a kg:Person ; rdfs:label ?name } WHERE { ?p a kg:Person ; rdfs:label ?name }"
DESCRIBE = f"DESCRIBE <{ROSS}>"


@pytest.fixture(scope="module")
def live(article_out, start_server):
    """``kg serve`` in its own process on a loopback port, once for this module."""
    kg = Path(sys.executable).parent / "kg"
    base, stop = start_server([str(kg), "serve", "--graph", str(article_out / "graph.trig"), "--port", "{port}",
                               "--workers", "2"])
    yield f"{base}/sparql"
    stop()


def wrapper(live, query, fmt=None):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(live)
    client.setQuery(query)
    if fmt is not None:
        client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # its "unexpected format" notes on */*
        return client.query()


def _names(graph: Graph) -> set[str]:
    return {str(o) for o in graph.objects(None, RDFS.label)}


# ------------------------------------------------------------------------------ SPARQLWrapper


def test_sparqlwrapper_defaults_for_each_query_form(live):
    select = wrapper(live, PERSONS).convert()  # XML DOM by default
    assert "Wilbur Ross" in [n.firstChild.data for n in select.getElementsByTagName("literal")]
    ask = wrapper(live, PROLOGUE + "ASK { ?p a kg:Person }").convert()
    assert ask.getElementsByTagName("boolean")[0].firstChild.data == "true"
    # CONSTRUCT and DESCRIBE ask for RDF/XML by default (Accept) while sending format=xml
    constructed = wrapper(live, CONSTRUCT).convert()
    assert isinstance(constructed, Graph) and "Wilbur Ross" in _names(constructed)
    described = wrapper(live, DESCRIBE).convert()
    assert (ROSS, RDF.type, URIRef(KG + "Person")) in described


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_reads_each_select_format(live, fmt):
    result = wrapper(live, PERSONS, fmt).convert()
    if fmt == "json":
        names = [b["name"]["value"] for b in result["results"]["bindings"]]
    elif fmt == "xml":
        names = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    else:
        names = result.decode("utf-8")
    assert "Wilbur Ross" in names


@pytest.mark.parametrize(("fmt", "media", "parse_as"), [
    ("xml", "application/rdf+xml", "xml"),
    ("rdf+xml", "application/rdf+xml", "xml"),
    ("turtle", "text/turtle", "turtle"),
    ("n3", "text/turtle", "turtle"),
    ("json-ld", "application/ld+json", "json-ld"),
])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_reads_each_graph_format(live, query, fmt, media, parse_as):
    """Each return format comes back as asked in Accept, whatever SPARQLWrapper puts in format=."""
    response = wrapper(live, query, fmt)
    assert response.response.headers["Content-Type"].startswith(media)
    graph = Graph().parse(data=response.response.read(), format=parse_as)
    assert (ROSS, RDF.type, URIRef(KG + "Person")) in graph


def test_accept_wins_over_a_format_parameter_it_can_satisfy(live):
    import urllib.request
    from urllib.parse import urlencode

    url = f"{live}?{urlencode({'query': CONSTRUCT, 'format': 'json-ld'})}"
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("application/n-triples")
        assert Literal("Wilbur Ross") in set(Graph().parse(data=response.read(), format="nt").objects())


# ------------------------------------------------------------------------------ rdflib's SPARQLStore


@pytest.fixture(scope="module")
def store(live):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    return Graph(store=SPARQLStore(live))


def test_sparqlstore_select_and_ask(store):
    rows = list(store.query(PERSONS))
    assert "Wilbur Ross" in [str(row.name) for row in rows]
    assert store.query(PROLOGUE + "ASK { ?p a kg:Person }").askAnswer is True


def test_sparqlstore_construct_and_describe(store):
    constructed = store.query(CONSTRUCT).graph
    assert "Wilbur Ross" in _names(constructed)
    described = store.query(DESCRIBE).graph
    assert (ROSS, RDF.type, URIRef(KG + "Person")) in described


def test_sparqlstore_triples(store):
    labels = {str(o) for _, _, o in store.triples((ROSS, RDFS.label, None))}
    assert "Wilbur Ross" in labels


# ------------------------------------------------------------------------------ curl


@pytest.mark.skipif(shutil.which("curl") is None and os.environ.get("CI") != "true", reason="curl is not installed")
@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+json", '"value": "Wilbur Ross"'),
    ("application/sparql-results+xml", "<literal>Wilbur Ross</literal>"),
    ("text/csv", "person/wilbur-ross,Wilbur Ross"),
    ("text/tab-separated-values", '\t"Wilbur Ross"'),
])
def test_curl_gets_each_format(live, accept, expected):
    out = subprocess.run(["curl", "-sS", "--fail", "-H", f"Accept: {accept}", "--data-urlencode",
                          f"query={PERSONS}", live], capture_output=True, text=True, timeout=30, check=True)
    assert expected in out.stdout
