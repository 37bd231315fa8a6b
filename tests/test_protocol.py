"""The W3C SPARQL 1.1 Protocol tests, one test per case, against a running ``kg serve``.

The cases are those of ``sparql/sparql11/protocol/manifest.ttl`` in w3c/rdf-tests (34 of them),
each rewritten here as the request it sends and the answer it expects; the data is
``tests/protocol/dataset.trig`` (three named graphs, one typed document each). The manifest's
``/sparql/`` becomes this endpoint's ``/sparql``. The endpoint is read only by design, so the
seven ``update_*`` cases, which expect an update to succeed, are checked the other way: 403 and
the data unchanged. The ``bad_update_*`` cases expect a 4xx and get one.
"""

from __future__ import annotations

import http.client
import json
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from rdflib import Graph

DATASET = Path(__file__).parent / "protocol" / "dataset.trig"
DATA = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (quote(f"{DATA}data{n}.rdf", safe="") for n in range(4))
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


@pytest.fixture(scope="module")
def endpoint(start_server):
    kg = Path(sys.executable).parent / "kg"
    base, stop = start_server([str(kg), "serve", "--graph", str(DATASET), "--port", "{port}", "--workers", "1"])
    yield urlsplit(base).netloc
    stop()


def send(endpoint, method: str, path: str, body: str | None = None, content_type: str | None = None,
         encoding: str = "utf-8"):
    """One request as the manifest writes it (its ``/sparql/`` is this endpoint's ``/sparql``)."""
    connection = http.client.HTTPConnection(endpoint, timeout=30)
    headers = {"Content-Type": content_type} if content_type else {}
    data = body.encode(encoding) if body is not None else None
    connection.request(method, path.replace("/sparql/", "/sparql", 1), body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type", ""), payload


def boolean(answer, expected: bool = True) -> None:
    status, media, payload = answer
    assert 200 <= status < 400, payload
    assert media.startswith("application/sparql-results+json")
    assert json.loads(payload)["boolean"] is expected


def tabular(answer) -> None:
    status, media, payload = answer
    assert 200 <= status < 400, payload
    assert media.split(";")[0] in ("application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values")
    assert json.loads(payload)["results"]["bindings"] == [{"value": {
        "type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def rdf(answer) -> Graph:
    status, media, payload = answer
    assert 200 <= status < 400, payload
    kind = media.split(";")[0]
    assert kind in ("application/rdf+xml", "text/turtle", "application/n-triples")
    return Graph().parse(data=payload, format={"application/rdf+xml": "xml", "text/turtle": "turtle",
                                               "application/n-triples": "nt"}[kind])


def client_error(answer) -> None:
    assert 400 <= answer[0] < 500, answer


def refused_update(endpoint, answer) -> None:
    """Read only by design: the update is refused and every graph is still there."""
    status, _, payload = answer
    assert status == 403 and payload.startswith(b"Error 403: this endpoint is read only"), payload
    ask = f"ASK {{ GRAPH <{DATA}data1.rdf> {{ ?d a ?t }} GRAPH <{DATA}data3.rdf> {{ ?e a ?t }} }}"
    boolean(send(endpoint, "POST", "/sparql/", ask, DIRECT))


def q(text: str) -> str:
    return quote(text, safe="")


# ------------------------------------------------------------------------------ queries


def test_query_post_form(endpoint):
    boolean(send(endpoint, "POST", f"/sparql/?default-graph-uri={D0}", "query=ASK%20%7B%7D", FORM))


def test_query_dataset_default_graphs_get(endpoint):
    query = q(f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}")
    boolean(send(endpoint, "GET", f"/sparql/?query={query}&default-graph-uri={D1}&default-graph-uri={D2}"))


def test_query_dataset_default_graphs_post(endpoint):
    query = f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}"
    boolean(send(endpoint, "POST", f"/sparql/?default-graph-uri={D1}&default-graph-uri={D2}", query, DIRECT))


def test_query_dataset_named_graphs_post(endpoint):
    query = f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
    boolean(send(endpoint, "POST", f"/sparql/?named-graph-uri={D1}&named-graph-uri={D2}", query, DIRECT))


def test_query_dataset_named_graphs_get(endpoint):
    query = q(f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}")
    boolean(send(endpoint, "GET", f"/sparql/?query={query}&named-graph-uri={D1}&named-graph-uri={D2}"))


def test_query_dataset_full(endpoint):
    query = (f"ASK {{\n  <{DATA}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }}\n"
             f"  GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }}\n}}")
    path = f"/sparql/?default-graph-uri={D3}&named-graph-uri={D1}&named-graph-uri={D2}"
    boolean(send(endpoint, "POST", path, query, DIRECT))


def test_query_multiple_dataset(endpoint):
    query = (f"ASK FROM <{DATA}data3.rdf> {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
             f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}")
    boolean(send(endpoint, "POST", f"/sparql/?named-graph-uri={D1}&named-graph-uri={D2}", query, DIRECT))


def test_query_get(endpoint):
    boolean(send(endpoint, "GET", f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={D0}"))


def test_query_content_type_select(endpoint):
    tabular(send(endpoint, "POST", f"/sparql/?default-graph-uri={D0}", "SELECT (1 AS ?value) {}", DIRECT))


def test_query_content_type_ask(endpoint):
    boolean(send(endpoint, "POST", f"/sparql/?default-graph-uri={D0}", "ASK {}", DIRECT))


def test_query_content_type_describe(endpoint):
    graph = rdf(send(endpoint, "POST", f"/sparql/?default-graph-uri={D0}", "DESCRIBE <http://example.org/>", DIRECT))
    assert len(graph) == 0  # data0.rdf is not a graph of the store: an empty default graph, never fetched


def test_query_content_type_construct(endpoint):
    graph = rdf(send(endpoint, "POST", f"/sparql/?default-graph-uri={D0}", "CONSTRUCT { <s> <p> 1 } WHERE {}", DIRECT))
    assert len(graph) == 1


def test_query_post_direct(endpoint):
    boolean(send(endpoint, "POST", "/sparql/", "ASK {}", DIRECT))


# ------------------------------------------------------------------------------ updates: refused by design

_CLEAR_AND_INSERT = (f"PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
                     f"INSERT DATA {{ GRAPH <{DATA}data1.rdf> {{ <{DATA}data1.rdf> a foaf:Document }} }} ;\n"
                     "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s a dc:BibliographicResource } }\n"
                     "WHERE { ?s a foaf:Document }")


def test_update_dataset_default_graph(endpoint):
    refused_update(endpoint, send(endpoint, "POST", f"/sparql/?using-graph-uri={D1}", _CLEAR_AND_INSERT.replace(
        "DROP ALL", "CLEAR ALL"), UPDATE))


def test_update_dataset_default_graphs(endpoint):
    path = f"/sparql/?using-graph-uri={D1}&using-graph-uri={D2}"
    refused_update(endpoint, send(endpoint, "POST", path, _CLEAR_AND_INSERT, UPDATE))


def test_update_dataset_named_graphs(endpoint):
    path = f"/sparql/?using-named-graph-uri={D1}&using-named-graph-uri={D2}"
    refused_update(endpoint, send(endpoint, "POST", path, _CLEAR_AND_INSERT, UPDATE))


def test_update_dataset_full(endpoint):
    path = f"/sparql/?using-graph-uri={D1}&using-named-graph-uri={D2}"
    refused_update(endpoint, send(endpoint, "POST", path, _CLEAR_AND_INSERT, UPDATE))


def test_update_post_form(endpoint):
    refused_update(endpoint, send(endpoint, "POST", "/sparql/", "update=CLEAR+ALL", FORM))


def test_update_post_direct(endpoint):
    refused_update(endpoint, send(endpoint, "POST", "/sparql/", "CLEAR ALL", UPDATE))


def test_update_base_uri(endpoint):
    update = ("CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
              "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }")
    refused_update(endpoint, send(endpoint, "POST", "/sparql/", update, UPDATE))
    # a query with the same relative IRI still runs (no base needed to answer it)
    ask = ("ASK { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> ?o "
           'FILTER (isIRI(?o) && STR(?o) != "test") } }')
    boolean(send(endpoint, "POST", "/sparql/", ask, DIRECT), expected=False)


# ------------------------------------------------------------------------------ bad requests


def test_bad_query_method(endpoint):
    client_error(send(endpoint, "PUT", f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={D0}", "", FORM))


def test_bad_multiple_queries(endpoint):
    client_error(send(endpoint, "GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"))


def test_bad_query_wrong_media_type(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "ASK {}", "text/plain"))


def test_bad_query_missing_form_type(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "query=ASK%20%7B%7D"))


def test_bad_query_missing_direct_type(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "ASK {}"))


def test_bad_query_non_utf8(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "ASK {}", f"{DIRECT}; charset=UTF-16", encoding="utf-16"))


def test_bad_query_syntax(endpoint):
    client_error(send(endpoint, "GET", "/sparql/?query=ASK%20%7B"))


def test_bad_update_get(endpoint):
    client_error(send(endpoint, "GET", "/sparql/?update=CLEAR%20ALL"))


def test_bad_multiple_updates(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM))


def test_bad_update_wrong_media_type(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "CLEAR NAMED", "text/plain"))


def test_bad_update_missing_form_type(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "update=CLEAR%20NAMED"))


def test_bad_update_non_utf8(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "CLEAR NAMED", f"{UPDATE}; charset=UTF-16", encoding="utf-16"))


def test_bad_update_syntax(endpoint):
    client_error(send(endpoint, "POST", "/sparql/", "update=CLEAR%20XYZ", FORM))


def test_bad_update_dataset_conflict(endpoint):
    update = ("PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
              "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
              "WHERE {\n    ?person foaf:givenName 'Bill'\n}")
    client_error(send(endpoint, "POST", "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", update, UPDATE))
