"""The SHACL shapes catch what an analyst would call a broken graph; the seed graph conforms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Graph, Literal

from graph.cli import main
from graph.model.ontology import KG, KGR
from graph.check.validate import validate

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


# Graphs that break the constraints BROKEN leaves out: the compiled shapes must agree there too.
OWN = KGR["ownership/y"]
MORE_BROKEN = [
    ("ill-formed decimal share", _add((OWN, RDF.type, KG.Ownership), (OWN, KG.owner, ORG), (OWN, KG.ownedEntity, ORG),
                                      (OWN, KG.evidence, EV), (OWN, KG.share, Literal("ten", datatype=XSD.decimal)))),
    ("two shares, one a string", _add((OWN, RDF.type, KG.Ownership), (OWN, KG.owner, ORG), (OWN, KG.ownedEntity, ORG),
                                      (OWN, KG.evidence, EV), (OWN, KG.share, Literal("50")),
                                      (OWN, KG.share, Literal(Decimal("20"))))),
    ("method not in the list", _add((EV, KG.method, Literal("guessed")))),
    ("method with a language tag", _add((EV, KG.method, Literal("curated", lang="en")))),
    ("two sources", _add((EV, KG.source, KGR["source/t"]), (KGR["source/t"], RDF.type, KG.Source))),
    ("source of the wrong class", _drop((SRC, RDF.type, KG.Source))),
    ("imposer is a literal", _add((M, KG.imposedBy, Literal("Commerce")))),
    ("list is no list", _add((M, KG.onList, ORG))),
    ("partnership of one", _add((KGR["partnership/x"], RDF.type, KG.Partnership), (KGR["partnership/x"], KG.partner, ORG),
                                (KGR["partnership/x"], KG.evidence, EV))),
    ("subclass target without label", _add((KGR["org/c"], RDF.type, KG.Company),
                                           (KG.Company, RDFS.subClassOf, KG.Organization))),
    ("two start dates, one a dateTime", _add((M, KG.startDate, Literal("2019-10-10T00:00:00", datatype=XSD.dateTime)))),
    ("impossible date", _add((M, KG.announcedOn, Literal("2019-02-30", datatype=XSD.date)))),
    ("event without evidence", _add((KGR["event/x"], RDF.type, KG.Event), (KGR["event/x"], KG.date, Literal("2020")))),
    ("supply without ends", _add((KGR["supply/x"], RDF.type, KG.SupplyRelationship), (KGR["supply/x"], KG.evidence, EV))),
    ("a government body supplies", _add((KGR["supply/x"], RDF.type, KG.SupplyRelationship), (KGR["supply/x"], KG.evidence, EV),
                                        (KGR["supply/x"], KG.supplier, KGR["org/g"]), (KGR["supply/x"], KG.customer, ORG),
                                        (KGR["org/g"], RDF.type, KG.GovernmentBody), (KGR["org/g"], RDF.type, KG.Organization),
                                        (KGR["org/g"], RDFS.label, Literal("G")))),
    ("confidence as an integer", _add((EV, KG.confidence, Literal(1)))),
]


@pytest.mark.parametrize("case, change", [(b[0], b[1]) for b in BROKEN] + MORE_BROKEN,
                         ids=[b[0] for b in BROKEN] + [b[0] for b in MORE_BROKEN])
def test_compiled_shapes_report_what_pyshacl_reports(case, change):
    g = sound_graph()
    change(g)
    expected = validate(g, engine="pyshacl")
    assert expected, "the case should break a shape"
    assert validate(g, engine="oxigraph") == expected


def test_compiled_shapes_follow_subclasses_as_pyshacl_does():
    # a kg:Company imposes the measure: an organisation through rdfs:subClassOf in the data
    g = sound_graph()
    _add((KGR["org/c"], RDF.type, KG.Company), (KGR["org/c"], RDFS.label, Literal("C")),
         (KG.Company, RDFS.subClassOf, KG.Organization), (M, KG.imposedBy, KGR["org/c"]))(g)
    assert validate(g, engine="oxigraph") == validate(g, engine="pyshacl") == []


def _supply_to(customer, *classes):
    """The sound graph with a firm supplying ``customer``, typed ``classes``."""
    g = sound_graph()
    firm, tie = KGR["org/firm"], KGR["supply/x"]
    _add((firm, RDF.type, KG.Company), (firm, RDF.type, KG.Organization), (firm, RDFS.label, Literal("Firm")),
         (tie, RDF.type, KG.SupplyRelationship), (tie, KG.evidence, EV),
         (tie, KG.supplier, firm), (tie, KG.customer, customer), (customer, RDFS.label, Literal("Buyer")),
         *((customer, RDF.type, cls) for cls in classes))(g)
    return g


def test_a_government_body_may_be_a_customer_under_both_engines():
    # "X supplies the Xinjiang Public Security Bureau": the tie an exposure analyst needs
    g = _supply_to(KGR["org/bureau"], KG.GovernmentBody, KG.Organization)
    assert validate(g, engine="oxigraph") == validate(g, engine="pyshacl") == []


def test_a_place_is_no_customer_under_both_engines():
    g = _supply_to(KGR["place/x"], KG.Place)
    violations = validate(g, engine="oxigraph")
    assert violations == validate(g, engine="pyshacl")
    assert [v.path for v in violations] == ["kg:customer"] and "A customer (kg:customer) is an organisation" in violations[0].message


@pytest.mark.slow  # pyshacl over the full build
def test_compiled_shapes_agree_with_pyshacl_on_the_seed_graph(seed_graph):
    assert validate(seed_graph, engine="oxigraph") == validate(seed_graph, engine="pyshacl") == []


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="'shacl'"):
        validate(sound_graph(), engine="shacl")


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


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_cli_validate_runs_either_engine(tmp_path, engine):
    g = sound_graph()
    g.remove((EV, KG.source, SRC))
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    result = CliRunner().invoke(main, ["validate", str(path), "--engine", engine])
    assert result.exit_code == 1
    assert "evidence/e kg:source: Evidence needs exactly one source" in result.output
