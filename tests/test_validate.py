"""The SHACL shapes catch what an analyst would call a broken graph; the seed graph conforms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Graph, Literal

from graph.cli import main
from graph.ontology import KG, KGR
from graph.validate import validate

M, ORG, PERSON, EV, SRC = KGR["measure/m"], KGR["org/o"], KGR["person/p"], KGR["evidence/e"], KGR["source/s"]


def sound_graph() -> Graph:
    """A tiny graph that conforms: one measure, its target, imposer and evidence."""
    g = Graph()
    for node, classes, label in ((ORG, (KG.Organization, KG.Agent), "Org"), (PERSON, (KG.Person, KG.Agent), "Pat")):
        for cls in classes:
            g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
    g.add((M, RDF.type, KG.Measure))
    g.add((M, KG.targets, ORG))
    g.add((M, KG.imposedBy, ORG))
    g.add((M, KG.evidence, EV))
    g.add((M, KG.startDate, Literal("2019-10-09", datatype=XSD.date)))
    g.add((SRC, RDF.type, KG.Source))
    g.add((EV, RDF.type, KG.Evidence))
    g.add((EV, KG.source, SRC))
    g.add((EV, KG.confidence, Literal(Decimal("1.0"))))
    g.add((EV, KG.method, Literal("curated")))
    g.add((EV, KG.quote, Literal("words")))
    return g


def test_a_sound_graph_conforms():
    assert validate(sound_graph()) == []


@pytest.mark.slow  # SHACL over the full build
def test_the_seed_graph_conforms(seed_graph):
    assert validate(seed_graph) == []


def _drop(*triples):
    def change(g):
        for triple in triples:
            g.remove(triple)
    return change


def _add(*triples):
    def change(g):
        for triple in triples:
            g.add(triple)
    return change


BROKEN = [
    ("measure without target", _drop((M, KG.targets, ORG)), "at least one target"),
    ("measure without imposing body", _drop((M, KG.imposedBy, ORG)), "the body that imposes it"),
    ("measure without evidence", _drop((M, KG.evidence, EV)), "A measure needs evidence"),
    ("evidence without source", _drop((EV, KG.source, SRC)), "exactly one source"),
    ("evidence without quote or row", _drop((EV, KG.quote, Literal("words"))), "verbatim quote"),
    ("date not xsd:date", _add((M, KG.endDate, Literal("9 October 2019"))), "kg:endDate must be one xsd:date"),
    ("share over 100", _add((KGR["ownership/x"], RDF.type, KG.Ownership), (KGR["ownership/x"], KG.owner, ORG),
                            (KGR["ownership/x"], KG.ownedEntity, ORG), (KGR["ownership/x"], KG.evidence, EV),
                            (KGR["ownership/x"], KG.share, Literal(Decimal("120")))),
     "percentage from 0 to 100"),
    ("position without organisation", _add((KGR["position/x"], RDF.type, KG.Position), (KGR["position/x"], KG.holder, PERSON),
                                           (KGR["position/x"], KG.evidence, EV)),
     "the organisation it is held in"),
    ("entity without label", _drop((PERSON, RDFS.label, Literal("Pat"))), "An entity needs a label"),
    ("confidence above 1", _add((EV, KG.confidence, Literal(Decimal("1.5")))), "one confidence"),
]


@pytest.mark.parametrize("case, change, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_broken_graph_is_caught(case, change, message):
    g = sound_graph()
    change(g)
    violations = validate(g)
    assert any(message in v.message for v in violations), [str(v) for v in violations]


@pytest.mark.slow  # SHACL over the full build
def test_cli_validate_prints_focus_path_message_and_exits_1(tmp_path, seed_out):
    g = sound_graph()
    g.remove((M, KG.targets, ORG))
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "measure/m kg:targets: A measure needs at least one target" in result.output
    ok = CliRunner().invoke(main, ["validate", str(seed_out / "graph.trig")])
    assert ok.exit_code == 0, ok.output
