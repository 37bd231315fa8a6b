"""The projection: the RDF graph -> a networkx ``MultiDiGraph`` of entities and their ties.

Nodes are entities (every ``kg:Agent``: organisations and people, plus any other resource a
relationship names) keyed by their IRI string. Edges come from relationship nodes, one edge per
relationship node and direction, keyed by the relationship's IRI, so that each edge can be
explained with the evidence of the node it came from. Which classes are relationships, which
properties name their ends and whether they are symmetric is read from the ontology
(``kg:edgeKind``), never repeated here; ``kg:subOrganizationOf`` adds ``"subsidiary"`` edges
from the sub-organisation to its parent.

Node attributes
    ``label`` (English or plain ``rdfs:label``), ``classes`` (sorted ``kg:`` class local names),
    ``country`` (ISO code through ``kg:country`` / ``kg:isoCode``, or None), ``listed`` (target
    of any ``kg:Measure``) and ``measures`` (sorted measure IRIs).
Graph attributes
    ``measures`` (measure IRI -> ``label``, ``classes``, ``list``, ``announced``, ``start``,
    ``end``, ``legal_basis``), ``lists`` (list IRI -> ``label`` and every ``names`` it goes
    by) and ``countries`` (the ISO codes of the graph's countries), for filters and reports.
Edge attributes
    ``kind``, ``relationship`` (IRI), ``direction`` (``"forward"`` or ``"symmetric"``; a symmetric
    relationship gives an edge in each direction), ``start`` / ``end`` (ISO dates or None),
    ``share`` (float or None), ``confidence`` (the highest of its evidence, or None) and
    ``sources`` (sorted list of dicts: ``source``, ``title``, ``quote``, ``file``, ``row``,
    ``url``, ``confidence``, ``method``).

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from graph.ontology import KG, KGR
>>> g = Graph()
>>> a, b, rel = KGR["org/a"], KGR["org/b"], KGR["supply/a-b"]
>>> for node, name in ((a, "A"), (b, "B")):
...     _ = g.add((node, RDF.type, KG.Company)).add((node, RDFS.label, Literal(name)))
>>> _ = g.add((rel, RDF.type, KG.SupplyRelationship))
>>> _ = g.add((rel, KG.supplier, a)).add((rel, KG.customer, b))
>>> G = project(g)
>>> [(G.nodes[u]["label"], G.nodes[v]["label"], d["kind"]) for u, v, d in G.edges(data=True)]
[('A', 'B', 'supply')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import permutations

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ..ontology import KG, Ontology, load_ontology

__all__ = ["project", "SUBSIDIARY", "SOURCE_KEYS"]

#: the edge kind of ``kg:subOrganizationOf`` edges (a property, not a relationship class)
SUBSIDIARY = "subsidiary"

#: the keys of every dict in an edge's ``sources`` list, in this order
SOURCE_KEYS = ("source", "title", "quote", "file", "row", "url", "confidence", "method")


def project(graph: Graph, *, model: Ontology | None = None) -> nx.MultiDiGraph:
    """Project an RDF graph onto a ``networkx.MultiDiGraph`` of entities.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset
        The graph as :func:`graph.store.open_graph` returns it (a Dataset whose default graph
        is the union of its named graphs) or any rdflib graph using the ``kg:`` ontology.
    model : Ontology, optional
        The ontology to read edge kinds from; :func:`graph.ontology.load_ontology` by default.

    Returns
    -------
    networkx.MultiDiGraph
        Entities as nodes and relationships as keyed edges, with the attributes listed in the
        module docstring. Node and edge insertion order is sorted, so the same graph always
        projects to the same networkx graph.

    Examples
    --------
    >>> from rdflib import Graph, RDF
    >>> from graph.ontology import KG, KGR
    >>> g = Graph()
    >>> rel = KGR["partnership/a-b"]
    >>> _ = g.add((rel, RDF.type, KG.Partnership))
    >>> _ = g.add((rel, KG.partner, KGR["org/a"])).add((rel, KG.partner, KGR["org/b"]))
    >>> G = project(g)
    >>> sorted((u[-1], v[-1], d["direction"]) for u, v, d in G.edges(data=True))
    [('a', 'b', 'symmetric'), ('b', 'a', 'symmetric')]
    """
    model = model or load_ontology()
    reader = _Reader(graph)
    edges = list(_relationship_edges(reader, model)) + list(_subsidiary_edges(reader))
    types = reader.by_subject(RDF.type)
    entities = {s for s, classes in types.items() if KG.Agent in classes}
    for u, v, _key, _data in edges:
        entities.add(u)
        entities.add(v)
    targets = _measure_targets(reader)
    countries = _countries(reader)
    labels = reader.by_subject(RDFS.label)
    G = nx.MultiDiGraph()
    G.graph["measures"] = _measures(reader, labels)
    G.graph["lists"] = _lists(reader, labels)
    G.graph["countries"] = sorted({str(code) for codes in reader.by_subject(KG.isoCode).values() for code in codes})
    for node in sorted(entities):
        measures = sorted(str(m) for m in targets.get(node, ()))
        G.add_node(
            str(node),
            label=_label(labels.get(node, ())),
            classes=sorted(_local(c) for c in types.get(node, ()) if _in_kg(c)),
            country=countries.get(node),
            listed=bool(measures),
            measures=measures,
        )
    for u, v, key, data in sorted(edges, key=lambda e: (str(e[0]), str(e[1]), e[2])):
        G.add_edge(str(u), str(v), key=key, **data)
    return G


# -- private helpers ----------------------------------------------------------------------
class _Reader:
    """Predicate-wide scans of the graph, cached: one pass per predicate, not per node."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._cache: dict[URIRef, dict] = {}

    def by_subject(self, predicate: URIRef) -> dict:
        if predicate not in self._cache:
            index: dict = defaultdict(set)
            for s, o in _pairs(self.graph, predicate):
                index[s].add(o)
            self._cache[predicate] = index
        return self._cache[predicate]

    def first(self, predicate: URIRef, subject) -> object | None:
        values = self.by_subject(predicate).get(subject)
        return min(values, key=_sort_key) if values else None


def _pairs(graph: Graph, predicate: URIRef) -> Iterator[tuple]:
    for s, _p, o in graph.triples((None, predicate, None)):
        yield s, o


def _relationship_edges(reader: _Reader, model: Ontology):
    types = reader.by_subject(RDF.type)
    by_class: dict[URIRef, set] = defaultdict(set)
    for subject, classes in types.items():
        for cls in classes:
            by_class[cls].add(subject)
    for edge_kind in model.edge_kinds():
        for rel in sorted(by_class.get(edge_kind.cls, ())):
            data = _relationship_data(reader, rel, edge_kind.kind)
            sources = sorted(reader.by_subject(edge_kind.source).get(rel, ()))
            if edge_kind.symmetric:
                ends = sorted(set(sources) | set(reader.by_subject(edge_kind.target).get(rel, ())))
                for u, v in permutations(ends, 2):
                    yield u, v, str(rel), {**data, "direction": "symmetric"}
                continue
            for u in sources:
                for v in sorted(reader.by_subject(edge_kind.target).get(rel, ())):
                    if u != v:
                        yield u, v, str(rel), {**data, "direction": "forward"}


def _relationship_data(reader: _Reader, rel, kind: str) -> dict:
    sources = _evidence(reader, rel)
    confidences = [s["confidence"] for s in sources if s["confidence"] is not None]
    share = reader.first(KG.share, rel)
    return {
        "kind": kind,
        "relationship": str(rel),
        "start": _iso(reader.first(KG.startDate, rel)),
        "end": _iso(reader.first(KG.endDate, rel)),
        "share": float(share) if share is not None else None,
        "confidence": max(confidences) if confidences else None,
        "sources": sources,
    }


def _subsidiary_edges(reader: _Reader):
    # kg:subOrganizationOf is a plain property: the edge is keyed by the property's IRI (one
    # edge per pair) and explained by the evidence of the sub-organisation's own statement.
    for child, parents in sorted(reader.by_subject(KG.subOrganizationOf).items()):
        for parent in sorted(parents):
            if child == parent:
                continue
            sources = _evidence(reader, child, only=_graphs_stating(reader.graph, child, parent))
            confidences = [s["confidence"] for s in sources if s["confidence"] is not None]
            yield child, parent, str(KG.subOrganizationOf), {
                "kind": SUBSIDIARY,
                "relationship": str(KG.subOrganizationOf),
                "direction": "forward",
                "start": None,
                "end": None,
                "share": None,
                "confidence": max(confidences) if confidences else None,
                "sources": sources,
            }


def _graphs_stating(graph: Graph, child, parent) -> set[str] | None:
    """IRIs of the named graphs holding the triple, or None when the graph has no contexts."""
    if not hasattr(graph, "quads"):
        return None
    names = {str(ctx.identifier if isinstance(ctx, Graph) else ctx)
             for _s, _p, _o, ctx in graph.quads((child, KG.subOrganizationOf, parent))
             if ctx is not None}
    return names or None


def _evidence(reader: _Reader, subject, only: set[str] | None = None) -> list[dict]:
    records = []
    for node in reader.by_subject(KG.evidence).get(subject, ()):
        source = reader.first(KG.source, node)
        if only is not None and str(source) not in only:
            continue
        confidence = reader.first(KG.confidence, node)
        row = reader.first(KG.row, node)
        url = reader.first(KG.url, node) or (reader.first(KG.url, source) if source is not None else None)
        file = reader.first(KG.file, node) or (reader.first(KG.file, source) if source is not None else None)
        title = reader.first(DCTERMS.title, source) if source is not None else None
        quote = reader.first(KG.quote, node)
        method = reader.first(KG.method, node)
        records.append({
            "source": str(source) if source is not None else None,
            "title": str(title) if title is not None else None,
            "quote": str(quote) if quote is not None else None,
            "file": str(file) if file is not None else None,
            "row": int(row) if row is not None else None,
            "url": str(url) if url is not None else None,
            "confidence": float(confidence) if confidence is not None else None,
            "method": str(method) if method is not None else None,
        })
    return sorted(records, key=lambda r: tuple(_none_last(r[k]) for k in SOURCE_KEYS))


def _measure_targets(reader: _Reader) -> dict:
    measures = {s for s, classes in reader.by_subject(RDF.type).items() if KG.Measure in classes}
    targets: dict = defaultdict(set)
    for measure, objects in reader.by_subject(KG.targets).items():
        if measure in measures:
            for target in objects:
                targets[target].add(measure)
    return targets


def _measures(reader: _Reader, labels: dict) -> dict:
    measures = {}
    for subject, classes in sorted(reader.by_subject(RDF.type).items()):
        if KG.Measure not in classes:
            continue
        on_list = reader.first(KG.onList, subject)
        basis = reader.first(KG.legalBasis, subject)
        measures[str(subject)] = {
            "label": _label(labels.get(subject, ())),
            "classes": sorted(_local(c) for c in classes if _in_kg(c)),
            "list": str(on_list) if on_list is not None else None,
            "announced": _iso(reader.first(KG.announcedOn, subject)),
            "start": _iso(reader.first(KG.startDate, subject)),
            "end": _iso(reader.first(KG.endDate, subject)),
            "legal_basis": str(basis) if basis is not None else None,
        }
    return measures


def _lists(reader: _Reader, labels: dict) -> dict:
    alt = reader.by_subject(SKOS.altLabel)
    lists = {}
    for subject, classes in sorted(reader.by_subject(RDF.type).items()):
        if KG.RestrictedPartyList in classes:
            names = {str(v) for v in labels.get(subject, ())} | {str(v) for v in alt.get(subject, ())}
            lists[str(subject)] = {"label": _label(labels.get(subject, ())), "names": sorted(names)}
    return lists


def _countries(reader: _Reader) -> dict:
    codes = reader.by_subject(KG.isoCode)
    result = {}
    for entity, countries in reader.by_subject(KG.country).items():
        found = sorted(str(code) for country in countries for code in codes.get(country, ()))
        if found:
            result[entity] = found[0]
    return result


def _label(values: Iterable) -> str | None:
    literals = [v for v in values if isinstance(v, Literal)]
    for wanted in ("en", None):
        matching = sorted(str(v) for v in literals if v.language == wanted)
        if matching:
            return matching[0]
    return min((str(v) for v in literals), default=None)


def _iso(value) -> str | None:
    if value is None:
        return None
    python = value.toPython() if isinstance(value, Literal) else value
    if isinstance(python, datetime):
        return python.date().isoformat()
    if isinstance(python, date):
        return python.isoformat()
    return str(value)


def _in_kg(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(KG))


def _local(term) -> str:
    return str(term)[len(str(KG)):]


def _sort_key(term) -> tuple:
    return (type(term).__name__, str(term))


def _none_last(value) -> tuple:
    return (value is None, "" if value is None else str(value) if not isinstance(value, (int, float)) else value)
