"""The SHACL compiler of graph/check/shapes.py on shapes written here: the same report as pyshacl's.

tests/test_validate.py checks the project's own shapes; these shapes reach the corners the
compiler's queries must get right on their own: literals in every lexical form, the same
triple in several named graphs, targets of each kind, subclasses two levels deep.
"""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace
from rdflib.namespace import SH

from graph.errors import ShapeError
from graph.check.shapes import Violation, check_store, compile_shapes
from graph.model.terms import compact, to_ox

EX = Namespace("https://example.org/")

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .

ex:ReadingShape a sh:NodeShape ;
    sh:targetClass ex:Reading ;
    sh:property [ sh:path ex:value ; sh:datatype xsd:double ; sh:maxCount 1 ;
                  sh:message "one xsd:double" ] ,
                [ sh:path ex:on ; sh:datatype xsd:date ; sh:message "an xsd:date" ] ,
                [ sh:path ex:unit ; sh:datatype xsd:string ; sh:in ( "kg" "t" ) ; sh:message "kg or t" ] ,
                [ sh:path ex:by ; sh:class ex:Instrument ; sh:minCount 1 ; sh:message "made by an instrument" ] .

ex:PairShape a sh:NodeShape ;
    sh:targetSubjectsOf ex:member ;
    sh:property [ sh:path ex:member ; sh:minCount 2 ; sh:maxCount 2 ; sh:message "two members" ] .

ex:RootShape a sh:NodeShape ;
    sh:targetNode ex:root ;
    sh:property [ sh:path ex:value ; sh:minCount 1 ; sh:minExclusive 0 ; sh:message "a positive value" ] .
"""


def _quads():
    """Sound and broken nodes, spread over two named graphs (the second repeats some triples)."""
    one, two = EX["graph/1"], EX["graph/2"]
    triples = [
        (EX.Thermometer, RDFS.subClassOf, EX.Gauge), (EX.Gauge, RDFS.subClassOf, EX.Instrument),
        (EX.t1, RDF.type, EX.Thermometer), (EX.scale, RDF.type, EX.Gauge), (EX.Special, RDFS.subClassOf, EX.Reading),
    ]
    v, on, unit = EX.value, EX.on, EX.unit
    readings = {  # reading -> its values; the name says what is wrong, "ok" what is right
        "ok-nan": [(v, Literal("NaN", datatype=XSD.double)), (on, Literal("2020-01-31Z", datatype=XSD.date)),
                   (unit, Literal("kg"))],
        "ok-exponent": [(v, Literal("-1.5E3", datatype=XSD.double)), (on, Literal("2020-01-31+02:00", datatype=XSD.date))],
        "ok-inf": [(v, Literal("INF", datatype=XSD.double)), (unit, Literal("t"))],
        "double-as-decimal": [(v, Literal("1.5", datatype=XSD.decimal))],
        "double-as-string": [(v, Literal("1.5"))],
        "double-ill-formed": [(v, Literal("one", datatype=XSD.double))],
        "date-impossible": [(on, Literal("2020-02-30", datatype=XSD.date))],
        "date-as-datetime": [(on, Literal("2020-01-31T00:00:00", datatype=XSD.dateTime))],
        "date-as-iri": [(on, EX.someday)],
        "unit-with-language": [(unit, Literal("kg", lang="en"))],
        "unit-not-listed": [(unit, Literal("lb"))],
        "two-values": [(v, Literal("1", datatype=XSD.double)), (v, Literal("2", datatype=XSD.double))],
    }
    quads = [(*triple, one) for triple in triples]
    for name, values in readings.items():
        node = EX[f"reading/{name}"]
        # ok-inf is a reading through a subclass
        quads += [(node, RDF.type, EX.Special if name == "ok-inf" else EX.Reading, one), (node, EX.by, EX.t1, one)]
        quads += [(node, predicate, value, one) for predicate, value in values]
    quads += [
        # the same value in both graphs is one value: no maxCount violation
        (EX["reading/ok-nan"], EX.value, Literal("NaN", datatype=XSD.double), two),
        # made by a gauge (an instrument through two subclass steps), by a plain node, by nothing
        (EX["reading/by-gauge"], RDF.type, EX.Reading, one), (EX["reading/by-gauge"], EX.by, EX.scale, one),
        (EX["reading/by-no-instrument"], RDF.type, EX.Reading, one), (EX["reading/by-no-instrument"], EX.by, EX.root, one),
        (EX["reading/by-nothing"], RDF.type, EX.Reading, one),
        # a pair of two, a pair whose second member is the first again in another graph, a trio
        (EX["pair/two"], EX.member, EX.a, one), (EX["pair/two"], EX.member, EX.b, two),
        (EX["pair/one-twice"], EX.member, EX.a, one), (EX["pair/one-twice"], EX.member, EX.a, two),
        (EX["pair/three"], EX.member, EX.a, one), (EX["pair/three"], EX.member, EX.b, one),
        (EX["pair/three"], EX.member, EX.c, two),
        # the target node: its value is zero
        (EX.root, EX.value, Literal(0), one),
    ]
    return quads


def _pyshacl_report(quads, shapes: Graph) -> list[Violation]:
    data = Graph()
    for s, p, o, _ in quads:
        data.add((s, p, o))
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return sorted({
        Violation(focus=compact(results.value(r, SH.focusNode)),
                  path=compact(results.value(r, SH.resultPath)) if results.value(r, SH.resultPath) else "",
                  message=str(results.value(r, SH.resultMessage)),
                  severity=str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])
        for r in results.subjects(RDF.type, SH.ValidationResult)})


def _store(quads) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads)
    return store


def test_compiled_shapes_report_what_pyshacl_reports_on_every_corner():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    quads = _quads()
    expected = _pyshacl_report(quads, shapes)
    assert check_store(_store(quads), compile_shapes(shapes)) == expected
    broken = {v.focus.rsplit("/", 1)[-1] for v in expected}
    # what each case was written to show, so that a change in pyshacl cannot empty the test
    assert broken == {"double-as-decimal", "double-as-string", "double-ill-formed", "date-impossible",
                      "date-as-datetime", "date-as-iri", "unit-with-language", "unit-not-listed", "two-values",
                      "by-no-instrument", "by-nothing", "one-twice", "three", "root"}


@pytest.mark.parametrize("feature, turtle", [
    ("pattern", 'sh:property [ sh:path ex:name ; sh:pattern "^A" ; sh:message "m" ]'),
    ("inversePath", 'sh:property [ sh:path [ sh:inversePath ex:name ] ; sh:minCount 1 ; sh:message "m" ]'),
    ("message", "sh:property [ sh:path ex:name ; sh:minCount 1 ]"),
])
def test_a_feature_the_compiler_lacks_is_refused_naming_the_shape(feature, turtle):
    shapes = Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:NameShape a sh:NodeShape ; sh:targetClass ex:Thing ; {turtle} .""", format="turtle")
    with pytest.raises(ShapeError, match=f"NameShape.*{feature}|NameShape.*pyshacl"):
        compile_shapes(shapes)
