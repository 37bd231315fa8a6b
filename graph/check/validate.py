"""Validation: the SHACL shapes of ``ontology/shapes.ttl``, run as SPARQL in Oxigraph or with pyshacl.

The default engine, ``"oxigraph"``, runs the shapes compiled to SPARQL (:mod:`graph.check.shapes`)
inside an Oxigraph store, without materialising the data as rdflib objects; ``"pyshacl"`` is the
reference implementation, kept for comparison and for shapes the compiler does not handle.
Both return the same violations (``tests/test_validate.py`` checks it).

Examples
--------
>>> from rdflib import Graph, URIRef, RDF
>>> from graph.model.ontology import KG
>>> g = Graph()
>>> _ = g.add((URIRef("https://example.org/m"), RDF.type, KG.Measure))
>>> sorted({v.message for v in validate(g)})[:1]
['A measure needs at least one target (kg:targets).']
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from graph.model.ontology import ontology_dir
from graph.check.shapes import Violation
from graph.store.backends import engine as store_engine
from graph.store.backends import oxigraph_store
from graph.model.terms import compact, from_ox, to_ox, union_graph, union_triples

__all__ = ["Violation", "validate", "validate_folder", "ENGINES"]


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


#: the engines :func:`validate` accepts
ENGINES = ("oxigraph", "pyshacl")


def validate_folder(folder: str) -> list[Violation]:
    """:func:`validate` of the Oxigraph store in ``folder``, opened read-only.

    A build runs it in a second process while it writes its files from the same store: the
    queries and the writing then use both cores (in one process they would share one).

    >>> import tempfile, pyoxigraph as ox
    >>> folder = tempfile.mkdtemp()
    >>> ox.Store(folder).flush()
    >>> validate_folder(folder)
    []
    """
    import pyoxigraph as ox

    return validate(ox.Store.read_only(folder))


def validate(graph, *, engine: str = "oxigraph") -> list[Violation]:
    """Run the shapes over the union of ``graph`` and return every violation, sorted.

    Parameters
    ----------
    graph : rdflib.Graph, rdflib.Dataset or pyoxigraph.Store
        The data. A Dataset backed by Oxigraph (:func:`graph.store.backends.open_graph`) or a pyoxigraph
        Store is checked in place; other rdflib graphs are copied into an Oxigraph store first.
    engine : {"oxigraph", "pyshacl"}
        ``"oxigraph"`` (default) runs the shapes as SPARQL queries; ``"pyshacl"`` runs pyshacl
        on an rdflib copy (slow and memory-hungry on big graphs; the reference).

    Raises
    ------
    ValueError
        ``engine`` is not one of :data:`ENGINES`.
    graph.errors.ShapeError
        A shape uses a feature the SPARQL compiler does not handle (use ``engine="pyshacl"``).
    """
    if engine == "oxigraph":
        from graph.check.shapes import check_store

        return check_store(_ox_store(graph))
    if engine != "pyshacl":
        raise ValueError(f"validate runs with one of {ENGINES}, not {engine!r}")
    if not isinstance(graph, Graph):  # a pyoxigraph Store: pyshacl reads rdflib terms
        copy = Graph()
        for quad in graph:
            copy.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        graph = copy
    return _pyshacl(graph)


def _ox_store(graph):
    """The pyoxigraph store holding ``graph``: its own, or a copy of an rdflib graph's triples."""
    import pyoxigraph as ox

    if isinstance(graph, ox.Store):
        return graph
    if store_engine(graph) == "oxigraph":
        return oxigraph_store(graph)
    store = ox.Store()
    # N-Quads through Oxigraph's parser would be faster, but rdflib's serialiser is slower
    # than converting terms one by one
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in union_triples(graph))
    return store


def _pyshacl(graph: Graph | Dataset) -> list[Violation]:
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


def _answer(folder: str) -> None:
    """``python -m graph.check.validate FOLDER``: the violations, pickled on standard output.

    The build's own second process (:class:`graph.builder.pipeline._CheckApart`); an exception is
    sent back whole, to be raised in the build.
    """
    import pickle
    import sys

    try:
        answer = ("violations", validate_folder(folder))
    except Exception as exc:
        answer = ("error", exc)
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    import sys

    _answer(sys.argv[1])
