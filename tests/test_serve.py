"""The SPARQL endpoint: protocol, formats, and every refusal of the hardening list."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from starlette.testclient import TestClient

from graph.rdf import source_iri
from graph.serve import Settings, create_app, refusal
from graph.sparql import get_query, named_queries, run_query

SETTINGS = Settings(timeout=1.5, max_rows=300, max_body=4096, workers=2)
PERSONS = "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
# a cross product of the whole seed graph with itself three times: billions of rows
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def client(article_out):
    with TestClient(create_app(article_out / "graph.trig", SETTINGS), base_url="http://127.0.0.1") as test_client:
        yield test_client


def ask(client, query, accept="application/sparql-results+json", **params):
    return client.get("/sparql", params={"query": query, **params}, headers={"Accept": accept})


def test_json_results_match_run_query(client, article_graph):
    response = ask(client, get_query("positions").text)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    expected = run_query(article_graph, get_query("positions")).records()
    got = [{v: b[v]["value"] for v in body["head"]["vars"] if v in b} for b in body["results"]["bindings"]]
    assert got == [{k: v for k, v in row.items() if v is not None} for row in expected]


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"])
def test_each_result_format_carries_the_same_names(client, accept):
    response = ask(client, PERSONS, accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    if accept.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        names = [e.text for e in ET.fromstring(response.content).findall(".//r:binding[@name='name']/r:literal", ns)]
    elif accept == "text/csv":
        names = [row["name"] for row in csv.DictReader(io.StringIO(response.text))]
    else:
        lines = response.text.splitlines()
        assert lines[0] == "?p\t?name"
        names = [json.loads(line.split("\t")[1]) for line in lines[1:]]
    assert "Wilbur Ross" in names and "Liu He" in names


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld")])
def test_construct_answers_as_rdf(client, accept, fmt):
    query = "CONSTRUCT { ?p a kg:Person } WHERE { ?p a kg:Person }"
    response = ask(client, query, accept)
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format=fmt)
    assert URIRef("https://w3id.org/exposure-kg/id/person/wilbur-ross") in set(graph.subjects())


def test_post_form_and_post_query_body(client):
    form = client.post("/sparql", data={"query": PERSONS}, headers={"Accept": "text/csv"})
    body = client.post("/sparql", content=PERSONS.encode(), headers={"Content-Type": "application/sparql-query",
                                                                     "Accept": "text/csv"})
    assert form.status_code == body.status_code == 200
    assert form.text == body.text == ask(client, PERSONS, "text/csv").text


def test_format_parameter_overrides_accept(client):
    response = ask(client, PERSONS, "text/html", format="tsv")
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_from_a_graph_of_the_store_is_allowed(client):
    graph = source_iri("lesechos-2019-10-08")
    response = ask(client, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


@pytest.mark.parametrize("query", [
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "PREFIX kg: <https://w3id.org/exposure-kg/ontology#> INSERT DATA { kg:a kg:b kg:c }",
    "DELETE WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_with_403(client, query):
    response = ask(client, query)
    assert response.status_code == 403
    assert response.text.startswith("Error 403: this endpoint is read only")


def test_update_parameters_and_update_bodies_are_refused(client):
    assert client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
    assert client.get("/sparql", params={"update": "DROP ALL"}).status_code == 403
    sent = client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert sent.status_code == 403
    assert ask(client, "ASK { ?s ?p ?o }").json()["boolean"] is True  # nothing was dropped


@pytest.mark.parametrize(("query", "params"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", {}),
    ("SELECT * FROM <http://127.0.0.1:9/graph.ttl> WHERE { ?s ?p ?o }", {}),
    ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
])
def test_outbound_requests_are_refused(client, query, params):
    response = ask(client, query, **params)
    assert response.status_code == 403
    assert "no outbound requests" in response.text


@pytest.fixture
def canary():
    """A loopback port that listens and is never answered: a connection to it stays pending."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def contacted(canary) -> bool:
    try:
        canary.accept()[0].close()
    except BlockingIOError:
        return False
    return True


@pytest.mark.parametrize("key", ["default-graph-uri", "named-graph-uri"])
def test_a_protocol_graph_the_store_does_not_hold_is_empty_and_never_fetched(client, canary, key):
    port = canary.getsockname()[1]
    query = "SELECT * WHERE { ?s ?p ?o }" if key == "default-graph-uri" else "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = ask(client, query, **{key: f"http://127.0.0.1:{port}/graph.ttl"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []
    assert not contacted(canary)


def test_service_may_be_allowed_by_the_operator():
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert refusal(query, frozenset(), allow_service=True) == "SELECT"


def test_a_malformed_query_gets_the_parser_message(client):
    response = ask(client, "SELECT ?s WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.text.startswith("Error 400: malformed query: error at 1:")


def test_a_query_past_the_time_limit_is_stopped(client):
    started = time.monotonic()
    response = ask(client, ENDLESS)
    assert response.status_code == 503
    assert "time limit of 1.5 s" in response.text
    assert time.monotonic() - started < 5
    # the worker was killed and replaced: the endpoint keeps answering
    for _ in range(3):
        assert ask(client, "ASK { ?s a kg:Person }").json()["boolean"] is True


def test_too_many_rows_is_refused(client):
    response = ask(client, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 413
    assert "more than 300 rows" in response.text
    assert ask(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 300").status_code == 200


def test_an_oversized_body_is_refused(client):
    query = PERSONS + " #" + "x" * 5000
    response = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "over 4096 bytes" in response.text


def test_unknown_body_and_unknown_accept(client):
    assert client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"}).status_code == 415
    assert ask(client, PERSONS, "image/png").status_code == 406
    assert ask(client, PERSONS, "text/turtle").status_code == 406  # a SELECT has no Turtle form


def test_service_description_lists_the_graphs(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    sd = Graph().parse(data=response.text, format="turtle")
    names = {str(o) for o in sd.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert str(source_iri("lesechos-2019-10-08")) in names
    endpoint = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")
    assert str(next(sd.objects(None, endpoint))).endswith("/sparql")


def test_query_page_lists_named_queries_and_needs_no_network(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    for name in named_queries():
        assert f"<code>{name}</code>" in page
    assert "src=\"http" not in page and "href=\"http" not in page and "@import" not in page
    assert "&lt;https://w3id.org/exposure-kg/ontology#&gt;" in page  # query text is escaped
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/page.js").status_code == 200


# ------------------------------------------------------------------------------ a real server


@pytest.fixture(scope="module")
def live(article_out, tmp_path_factory):
    """``kg serve`` in its own process on a loopback port (the default host)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    kg = Path(sys.executable).parent / "kg"
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as stream:
        process = subprocess.Popen([str(kg), "serve", "--graph", str(article_out / "graph.trig"), "--port", str(port),
                                    "--workers", "1"], stdout=stream, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"kg serve exited: {log.read_text()}")
                time.sleep(0.1)
        else:
            pytest.fail(f"kg serve did not listen within 30 s: {log.read_text()}")
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_reads_each_format(live, fmt):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(live)
    client.setQuery("PREFIX kg: <https://w3id.org/exposure-kg/ontology#>\n"
                    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + PERSONS)
    client.setReturnFormat(fmt)
    client.setMethod("POST")
    result = client.query().convert()
    if fmt == "json":
        names = [b["name"]["value"] for b in result["results"]["bindings"]]
    elif fmt == "xml":
        names = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    else:
        names = result.decode("utf-8")
    assert "Wilbur Ross" in names


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


def test_an_oxigraph_store_can_be_served(tmp_path, article_graph):
    from graph.store import save_graph

    save_graph(article_graph, f"oxigraph:{tmp_path / 'ox'}")
    with TestClient(create_app(f"oxigraph:{tmp_path / 'ox'}", Settings(workers=1)),
                    base_url="http://127.0.0.1") as served:
        assert ask(served, "ASK { ?p a kg:Person }").json()["boolean"] is True


@pytest.mark.parametrize("spec", ["memory", "sparql:http://127.0.0.1:9/sparql"])
def test_only_files_and_oxigraph_stores_are_served(spec):
    from graph.errors import StoreError

    with pytest.raises(StoreError, match="kg serve serves a graph file or an oxigraph:DIR store"):
        create_app(spec)


def test_cli_serve_refuses_a_missing_graph(tmp_path):
    from click.testing import CliRunner

    from graph.cli import main

    result = CliRunner().invoke(main, ["serve", "--graph", str(tmp_path / "none.trig")])
    assert result.exit_code == 1
    assert "does not exist" in result.output
