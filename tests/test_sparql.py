"""Parameters are bound as RDF terms on every engine; results come back normalised."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef

from graph.errors import QueryError
from graph.store.sparql import get_query, run_query, with_values
from graph.store.backends import open_graph
from graph.model.terms import normalise, sparql_term

NAME = URIRef("https://e.org/name")
XSD = "http://www.w3.org/2001/XMLSchema#"
HOSTILE = ['x" } DROP ALL #', "a\\\" ) } ; INSERT DATA { <a> <b> <c> }", "line\nbreak\ttab\r", "'''\"\"\"", "Pékin 北京"]


@pytest.fixture(params=["oxigraph", "memory"])
def tiny(request, tmp_path):
    """A graph whose names are the hostile strings themselves, on each embedded engine."""
    lines = [f"<https://e.org/n{i}> <{NAME}> {sparql_term(Literal(text))} <https://e.org/g> ."
             for i, text in enumerate(HOSTILE)]
    path = tmp_path / "tiny.nq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return open_graph(path if request.param == "oxigraph" else f"memory:{path}")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_are_matched_as_strings(tiny, text):
    query = "SELECT ?s WHERE { ?s <https://e.org/name> ?n }"
    rows = run_query(tiny, query, {"n": text}).rows
    assert rows == [(URIRef(f"https://e.org/n{HOSTILE.index(text)}"),)]
    assert len(tiny) == len(HOSTILE)


@pytest.mark.parametrize("text", HOSTILE)
def test_values_block_round_trips_every_character(text):
    # what goes to a server is parsed back into exactly the value the user typed
    query = with_values("SELECT ?n WHERE { }", {"n": Literal(text)})
    assert [row[0] for row in Dataset().query(query)] == [Literal(text)]


def test_values_go_inside_the_where_group_past_strings_comments_and_iris():
    text = ('PREFIX kg: <https://e.org/ns#>\n# WHERE { not here\n'
            'CONSTRUCT { ?s kg:says "WHERE {" } WHERE { ?s kg:name ?name }')
    bound = with_values(text, {"name": Literal("A")})
    assert bound.endswith('WHERE { VALUES (?name) { ("A") } ?s kg:name ?name }')


def test_filter_only_parameter_is_seen_by_filters_on_each_engine(tiny):
    # ?n is not projected: Oxigraph falls back to a VALUES block, rdflib uses initBindings
    query = "SELECT ?s WHERE { ?s <https://e.org/name> ?x FILTER (!BOUND(?n) || ?x = ?n) }"
    assert len(run_query(tiny, query, {"n": "Pékin 北京"}).rows) == 1
    assert len(run_query(tiny, query).rows) == len(HOSTILE)


@pytest.mark.parametrize("value", ["https://e.org/a>b", "https://e.org/a b", 'https://e.org/"', "javascript:alert(1)"])
def test_iri_parameters_refuse_what_no_iri_holds(seed_graph, value):
    with pytest.raises(QueryError, match="needs an IRI"):
        run_query(seed_graph, get_query("fact-sources"), {"fact": value})


def test_sparql_term_escapes_and_types():
    assert sparql_term(Literal("a\"b\\c\nd")) == '"a\\"b\\\\c\\nd"'
    assert sparql_term(Literal("2019-10-07", datatype=URIRef(XSD + 'date'))) == '"2019-10-07"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert sparql_term(Literal("Pékin", lang="fr")) == '"Pékin"@fr'


def test_malformed_query_reports_the_parser(seed_graph):
    with pytest.raises(QueryError, match="the query failed"):
        run_query(seed_graph, "SELECT ?x WHERE { ?x ?y }")


def test_only_select_gives_a_table(seed_graph):
    with pytest.raises(QueryError, match="only SELECT"):
        run_query(seed_graph, "ASK { ?s ?p ?o }")


def test_normalise_makes_engines_agree():
    assert normalise(Literal("A", datatype=URIRef(XSD + 'string'))) == Literal("A")
    assert normalise(Literal("0.50", datatype=URIRef(XSD + 'decimal'))) == normalise(Literal("0.5", datatype=URIRef(XSD + 'decimal')))
    assert normalise(Literal("A", lang="fr")) == Literal("A", lang="fr")
