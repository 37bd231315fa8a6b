"""Validation: the SHACL shapes of ``ontology/shapes.ttl`` run with pyshacl.

Examples
--------
>>> from rdflib import Graph, URIRef, RDF
>>> from graph.ontology import KG
>>> g = Graph()
>>> _ = g.add((URIRef("https://example.org/m"), RDF.type, KG.Measure))
>>> sorted({v.message for v in validate(g)})[:1]
['A measure needs at least one target (kg:targets).']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from .ontology import ontology_dir
from .terms import compact, union_graph

__all__ = ["Violation", "validate"]


@dataclass(frozen=True, order=True)
class Violation:
    """One failed constraint: the node at fault, the property path and what is wrong."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.focus}{path}: {self.message}"


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def validate(graph: Graph | Dataset) -> list[Violation]:
    """Run the shapes over the union of ``graph`` and return every violation, sorted."""
    import pyshacl  # imported here: it takes a second to load and only validation needs it

    data = union_graph(graph)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=_shapes(), inference="none",
                                            abort_on_first=False, allow_warnings=True)
    if conforms:
        return []
    violations = set()
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.add(
            Violation(
                focus=compact(focus),
                path=compact(path) if isinstance(path, URIRef) else "",
                message=str(message) if message is not None else "constraint failed",
                severity=str(severity).rsplit("#", 1)[-1],
            )
        )
    return sorted(violations)
