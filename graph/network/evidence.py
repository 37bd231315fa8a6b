"""Reading from the graph one subject at a time: an edge's evidence, an entity's label.

What a search needs after it has run: the ``sources`` of the edges in its results
(:func:`fetch_sources`) and the labels of their entities, looked up in the graph the
projection came from, so that the cost follows the results, not the graph. The graph is an
rdflib graph or a pyoxigraph store; terms come back as plain values (IRIs as ``str``, blank
nodes as ``"_:id"``, literals as :class:`Lit`). Neither rdflib nor networkx is imported
unless the graph is an rdflib one: ``kg exposure`` on a store's topology arrays
(:mod:`graph.network.topology`) starts without them.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode(RDFS_LABEL), ox.Literal("A")))
>>> label_of(LookupReader(store), "https://e.org/a")
'A'
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from graph.io.memory import paused_gc
from graph.network.plain_terms import best_label, first_term, first_value, from_oxigraph, from_rdflib

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["fetch_sources", "evidence_records", "graphs_stating", "label_of", "is_store", "LookupReader", "SUBSIDIARY",
           "SOURCE_KEYS", "KG_NS", "RDFS_LABEL", "P_EVIDENCE", "P_SOURCE", "P_CONFIDENCE"]

#: the edge kind of ``kg:subOrganizationOf`` edges (a property, not a relationship class)
SUBSIDIARY = "subsidiary"

#: the keys of every dict in an edge's ``sources`` list, in this order
SOURCE_KEYS = ("source", "title", "quote", "file", "row", "line", "url", "confidence", "method", "note", "publisher")

#: the ontology's namespace (``graph.model.ontology.KG``), as text: importing the ontology loads rdflib
KG_NS = "https://w3id.org/exposure-kg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_DCTERMS = "http://purl.org/dc/terms/"


def fetch_sources(G: nx.MultiDiGraph, pairs) -> None:
    """Fill in ``sources`` on every edge between each ``(u, v)`` of ``pairs``, both ways.

    Needed after ``project(..., sources=False)``; edges that have their sources keep them.
    Each relationship's evidence is looked up in the graph the projection came from, one
    relationship at a time, so the cost follows the edges asked for, not the graph.

    Examples
    --------
    >>> from rdflib import Graph, Literal, RDF
    >>> from graph.model.ontology import KG, KGR
    >>> from graph.network.projection import project
    >>> g = Graph()
    >>> rel, ev = KGR["supply/a-b"], KGR["evidence/1"]
    >>> _ = g.add((rel, RDF.type, KG.SupplyRelationship)).add((rel, KG.evidence, ev))
    >>> _ = g.add((rel, KG.supplier, KGR["org/a"])).add((rel, KG.customer, KGR["org/b"]))
    >>> _ = g.add((ev, KG.confidence, Literal(0.8))).add((ev, KG.quote, Literal("A supplies B")))
    >>> G = project(g, sources=False)
    >>> edge = G.edges[str(KGR["org/a"]), str(KGR["org/b"]), str(rel)]
    >>> "sources" in edge, edge["confidence"]
    (False, 0.8)
    >>> fetch_sources(G, [(str(KGR["org/a"]), str(KGR["org/b"]))])
    >>> [s["quote"] for s in edge["sources"]]
    ['A supplies B']
    """
    reader = G.graph.get("_evidence_reader")
    if reader is None:
        return
    with paused_gc():
        for u, v in pairs:
            for a, b in ((u, v), (v, u)):
                for data in (G.get_edge_data(a, b) or {}).values():
                    if "sources" in data:
                        continue
                    if data["kind"] == SUBSIDIARY:
                        only = graphs_stating(reader.graph, a, b)
                        data["sources"] = evidence_records(reader, a, only=only)
                    else:
                        data["sources"] = evidence_records(reader, data["relationship"])


class LookupReader:
    """Looks each (subject, predicate) up in ``graph`` when first asked, and keeps the answer.

    ``by_subject(predicate).get(subject)`` gives the subject's values (a list, each once
    however many named graphs state it), as a projection's predicate-wide indexes do.
    """

    def __init__(self, graph) -> None:
        self.graph = graph
        self._cache: dict[str, _Lookup] = {}
        #: the indexes every relationship's evidence is read from, made once
        self.evidence_indexes: tuple | None = None

    def by_subject(self, predicate) -> _Lookup:
        key = str(predicate)
        if key not in self._cache:
            self._cache[key] = _Lookup(self.graph, key)
        return self._cache[key]


def label_of(reader: LookupReader, subject: str) -> str | None:
    """``subject``'s label as a projection gives it: English, else untagged, else the first."""
    return best_label(reader.by_subject(RDFS_LABEL).get(subject, ()))


class _Lookup:
    """The values of one predicate for any subject, fetched on demand and kept."""

    def __init__(self, graph, predicate: str) -> None:
        self.graph = graph
        self.predicate = predicate
        self.found: dict = {}

    def get(self, subject, default=None):
        if subject is None:
            return default
        if subject not in self.found:
            values = []
            for o in _objects(self.graph, subject, self.predicate):
                if o not in values:
                    values.append(o)
            self.found[subject] = values
        return self.found[subject] or default


def _objects(graph, subject: str, predicate: str) -> list:
    # a list, not a generator: this runs once per (subject, predicate) a result shows
    if is_store(graph):
        blank, named = _pyoxigraph_nodes()
        node = blank(subject[2:]) if subject.startswith("_:") else named(subject)
        return [from_oxigraph(quad.object) for quad in graph.quads_for_pattern(node, named(predicate), None, None)]
    from rdflib import BNode, URIRef

    node = BNode(subject[2:]) if subject.startswith("_:") else URIRef(subject)
    return [from_rdflib(o) for o in graph.objects(node, URIRef(predicate))]


@cache
def _pyoxigraph_nodes() -> tuple:
    from pyoxigraph import BlankNode, NamedNode

    return BlankNode, NamedNode


def is_store(graph) -> bool:
    """Whether ``graph`` is a pyoxigraph store (duck-typed, so that pyoxigraph stays optional)."""
    return hasattr(graph, "quads_for_pattern")


def graphs_stating(graph, child: str, parent: str) -> set[str] | None:
    """IRIs of the named graphs holding the triple, or None when the graph has no contexts."""
    if child.startswith("_:") or parent.startswith("_:"):
        return None
    predicate = KG_NS + "subOrganizationOf"
    if is_store(graph):
        from pyoxigraph import NamedNode

        names = {getattr(q.graph_name, "value", None)
                 for q in graph.quads_for_pattern(NamedNode(child), NamedNode(predicate),
                                                  NamedNode(parent), None)} - {None}
        return names or None
    from rdflib import Graph, URIRef

    if not hasattr(graph, "quads"):
        return None
    names = {str(ctx.identifier if isinstance(ctx, Graph) else ctx)
             for _s, _p, _o, ctx in graph.quads((URIRef(child), URIRef(predicate), URIRef(parent)))
             if ctx is not None}
    return names or None


def evidence_records(reader, subject: str, only: set[str] | None = None) -> list[dict]:
    """The ``sources`` of ``subject`` (a relationship, or a subsidiary): one record per evidence node.

    Each record has the keys of :data:`SOURCE_KEYS`; records are sorted, None last. ``only``:
    the evidence whose source is one of these graphs (what states a ``kg:subOrganizationOf``).
    """
    if reader.evidence_indexes is None:
        reader.evidence_indexes = tuple(reader.by_subject(p) for p in (
            P_EVIDENCE, P_SOURCE, P_CONFIDENCE, _P_ROW, _P_URL, _P_FILE, _P_QUOTE, _P_METHOD, _P_TITLE,
            _P_NOTE, _P_PUBLISHER, _P_LINE))
    (evidence_of, source_of, confidence_of, row_of, url_of, file_of, quote_of, method_of, title_of,
     note_of, publisher_of, line_of) = reader.evidence_indexes
    nodes = evidence_of.get(subject)
    if not nodes:
        return []
    records = []
    for node in nodes:
        source = first_term(source_of, node)
        if only is not None and source not in only:
            continue
        confidence = first_value(confidence_of, node)
        row, line = first_value(row_of, node), first_value(line_of, node)
        url = first_value(url_of, node) or (first_value(url_of, source) if source else None)
        file = first_value(file_of, node) or (first_value(file_of, source) if source else None)
        records.append({
            "source": source,
            "title": first_value(title_of, source) if source else None,
            "quote": first_value(quote_of, node),
            "file": file,
            "row": int(row) if row is not None else None,
            # a quote's line in its text (a table row is its own line): where to look in the file
            "line": int(line) if line is not None else None,
            "url": url,
            "confidence": float(confidence) if confidence is not None else None,
            "method": first_value(method_of, node),
            # who reported it (a table row's basis) and who published the source: what it is
            "note": first_value(note_of, node),
            "publisher": first_value(publisher_of, source) if source else None,
        })
    if len(records) > 1:
        records.sort(key=lambda r: tuple(_none_last(r[k]) for k in SOURCE_KEYS))
    return records


# predicates as plain strings, made once: the evidence lookups run per relationship
P_EVIDENCE, P_SOURCE, P_CONFIDENCE, _P_ROW, _P_URL, _P_FILE, _P_QUOTE, _P_METHOD = (
    KG_NS + name for name in ("evidence", "source", "confidence", "row", "url", "file", "quote", "method"))
_P_TITLE = _DCTERMS + "title"
_P_NOTE, _P_PUBLISHER, _P_LINE = KG_NS + "note", _DCTERMS + "publisher", KG_NS + "line"


def _none_last(value) -> tuple:
    return (value is None, "" if value is None else str(value) if not isinstance(value, (int, float)) else value)
