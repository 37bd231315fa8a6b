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
    ``end``, ``stated`` (the date of the earliest source stating it, what an undated measure
    is in force from: :mod:`graph.dates`), ``status`` (``kg:status``: a proposed measure is in
    force on no day), ``legal_basis``), ``targets`` (measure IRI -> the sorted nodes it targets), ``lists`` (list IRI -> ``label`` and every ``names`` it goes
    by) and ``countries`` (the ISO codes of the graph's countries), for filters and reports.
Edge attributes
    ``kind``, ``relation`` (the finer ``kg:relation`` a source names, e.g. ``"investor_in"``,
    or None), ``relationship`` (IRI), ``direction`` (``"forward"`` or ``"symmetric"``; a symmetric
    relationship gives an edge in each direction), ``start`` / ``end`` (ISO dates or None),
    ``since`` (the date of the earliest source reporting it: an undated relationship is
    assumed to hold from it, :mod:`graph.dates`), ``share`` (float or None), ``confidence`` (the highest of its evidence, or None) and
    ``sources`` (sorted list of dicts: ``source``, ``title``, ``quote``, ``file``, ``row``,
    ``url``, ``confidence``, ``method``, ``note``: who reported it, ``publisher``).

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from graph.model.ontology import KG, KGR
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
from collections.abc import Iterator
from itertools import permutations
from sys import intern

import networkx as nx
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from graph.model.ontology import KG, Ontology, load_ontology
from graph.io.memory import paused_gc
from graph.network.evidence import (
    P_CONFIDENCE,
    P_EVIDENCE,
    P_SOURCE,
    SUBSIDIARY,
    LookupReader,
    evidence_records,
    graphs_stating,
)
from graph.network.plain_terms import (
    Lit,
    best_label,
    first_term,
    first_value,
    from_oxigraph,
    from_rdflib,
    term_order,
    term_value,
)

__all__ = ["project"]




def project(graph, *, model: Ontology | None = None, sources: bool = True) -> nx.MultiDiGraph:
    """Project an RDF graph onto a ``networkx.MultiDiGraph`` of entities.

    Parameters
    ----------
    graph : rdflib.Graph, rdflib.Dataset or pyoxigraph.Store
        The graph as :func:`graph.store.backends.open_graph` returns it (a Dataset whose default graph
        is the union of its named graphs), any rdflib graph using the ``kg:`` ontology, or a
        pyoxigraph store (read raw, every named graph included: the fast path for big graphs).
    model : Ontology, optional
        The ontology to read edge kinds from; :func:`graph.model.ontology.load_ontology` by default.
    sources : bool
        True (default): every edge carries its ``sources``. False: the topology alone (ends,
        kinds, dates, shares and confidences; the evidence's own quotes, files, rows and
        titles are not read, which is most of a big graph), and
        :func:`graph.network.evidence.fetch_sources` fills in ``sources`` later for the edges
        that need them (:func:`graph.network.paths` does so for the edges of its results).

    Returns
    -------
    networkx.MultiDiGraph
        Entities as nodes and relationships as keyed edges, with the attributes listed in the
        module docstring. Node and edge insertion order is sorted, so the same graph always
        projects to the same networkx graph.

    Examples
    --------
    >>> from rdflib import Graph, RDF
    >>> from graph.model.ontology import KG, KGR
    >>> g = Graph()
    >>> rel = KGR["partnership/a-b"]
    >>> _ = g.add((rel, RDF.type, KG.Partnership))
    >>> _ = g.add((rel, KG.partner, KGR["org/a"])).add((rel, KG.partner, KGR["org/b"]))
    >>> G = project(g)
    >>> sorted((u[-1], v[-1], d["direction"]) for u, v, d in G.edges(data=True))
    [('a', 'b', 'symmetric'), ('b', 'a', 'symmetric')]
    """
    with paused_gc():
        return _project(_fastest(graph), model or load_ontology(), sources)


def _fastest(graph):
    """The graph to read: a whole Dataset that Oxigraph holds is read through its own quads.

    The one place that chooses the loading path, so that every command on ``oxigraph:DIR`` or a
    graph file (which Oxigraph parses) projects several times faster than through oxrdflib's
    triples. A single graph of a Dataset is read as given: the raw store would read them all.
    """
    from rdflib import Dataset

    if isinstance(graph, Dataset):
        from graph.store.backends import engine, oxigraph_store

        if engine(graph) == "oxigraph":
            return oxigraph_store(graph)
    return graph


def _project(graph, model: Ontology, sources: bool) -> nx.MultiDiGraph:
    reader = _Reader(graph)
    evidence = evidence_records if sources else _confidence_only
    edges = list(_relationship_edges(reader, model, evidence)) + list(_subsidiary_edges(reader, evidence))
    types = reader.by_subject(RDF.type)
    entities = set(reader.of_class(KG.Agent))
    for u, v, _key, _data in edges:
        entities.add(u)
        entities.add(v)
    targets = _measure_targets(reader)
    countries = _countries(reader)
    labels = reader.by_subject(RDFS.label)
    G = nx.MultiDiGraph()
    if not sources:
        # point lookups, for fetch_sources: kept out of the public attributes listed above
        G.graph["_evidence_reader"] = LookupReader(graph)
    G.graph["measures"] = _measures(reader, labels)
    by_measure: dict[str, list[str]] = {m: [] for m in G.graph["measures"]}
    for target, measures in targets.items():
        if target in entities:
            for m in measures:
                by_measure.setdefault(m, []).append(target)
    G.graph["targets"] = {m: sorted(ts) for m, ts in sorted(by_measure.items())}
    G.graph["lists"] = _lists(reader, labels)
    G.graph["countries"] = sorted({c.value for codes in reader.by_subject(KG.isoCode).values() for c in codes})
    G.add_nodes_from(
        (node, {
            "label": best_label(labels.get(node, ())),
            "classes": sorted(_local(c) for c in types.get(node, ()) if _in_kg(c)),
            "country": countries.get(node),
            "listed": node in targets,
            "measures": sorted(targets.get(node, ())),
        })
        for node in sorted(entities)
    )
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    G.add_edges_from(edges)
    return G


# -- private helpers ----------------------------------------------------------------------
class _Reader:
    """Predicate-wide scans of the graph, cached: one pass per predicate, not per node.

    Terms are plain values: IRIs as ``str``, blank nodes as ``"_:id"``, literals as :class:`Lit`.
    """

    def __init__(self, graph) -> None:
        self.graph = graph
        self._cache: dict[str, dict] = {}
        #: the indexes every relationship's evidence is read from, fetched once
        self.evidence_indexes: tuple[dict, ...] | None = None
        self._by_class: dict[str, set] | None = None
        self._data_indexes: tuple | None = None
        self._confidence_indexes: tuple | None = None

    def by_subject(self, predicate) -> dict:
        try:
            return self._cache[predicate]
        except KeyError:
            pass
        key = str(predicate)
        if key not in self._cache:
            # lists, not sets: most subjects have one value, and a list of one is a third the size
            index: dict = {}
            for s, o in _pairs(self.graph, key):
                values = index.get(s)
                if values is None:
                    index[s] = [o]
                elif o not in values:  # the same triple may sit in several named graphs
                    values.append(o)
            self._cache[key] = index
        self._cache[predicate] = self._cache[key]
        return self._cache[key]

    def of_class(self, cls) -> set:
        """The subjects typed ``cls`` (every class's members, indexed in one pass over the types)."""
        if self._by_class is None:
            by_class: dict[str, set] = defaultdict(set)
            for subject, classes in self.by_subject(RDF.type).items():
                for each in classes:
                    by_class[each].add(subject)
            self._by_class = by_class
        return self._by_class.get(str(cls), set())

    def data_indexes(self) -> tuple:
        """The share, relation, start and end indexes every relationship's data reads."""
        if self._data_indexes is None:
            self._data_indexes = tuple(self.by_subject(p) for p in (_P_SHARE, _P_RELATION, _P_START, _P_END))
        return self._data_indexes

    def confidence_indexes(self) -> tuple:
        """The evidence and confidence indexes an edge's confidence reads."""
        if self._confidence_indexes is None:
            self._confidence_indexes = (self.by_subject(P_EVIDENCE), self.by_subject(P_CONFIDENCE))
        return self._confidence_indexes

    def first(self, predicate, subject) -> object | None:
        values = self.by_subject(predicate).get(subject)
        if not values:
            return None
        return min(values, key=term_order) if len(values) > 1 else next(iter(values))

    def first_value(self, predicate, subject) -> str | None:
        term = self.first(predicate, subject)
        return None if term is None else term.value if isinstance(term, Lit) else term


def _pairs(graph, predicate: str) -> Iterator[tuple]:
    if isinstance(graph, Graph):
        for s, _p, o in graph.triples((None, URIRef(predicate), None)):
            yield from_rdflib(s), from_rdflib(o)
        return
    # a pyoxigraph Store (duck-typed so that pyoxigraph stays optional)
    from pyoxigraph import NamedNode

    # the common case (an IRI) inline: this loop runs once per quad of the graph
    named = NamedNode
    for quad in graph.quads_for_pattern(None, NamedNode(predicate), None, None):
        s, o = quad.subject, quad.object
        yield ((intern(s.value) if type(s) is named else from_oxigraph(s)),
               (intern(o.value) if type(o) is named else from_oxigraph(o)))


def _relationship_edges(reader: _Reader, model: Ontology, evidence):
    for edge_kind in model.edge_kinds():
        source_index, target_index = reader.by_subject(edge_kind.source), reader.by_subject(edge_kind.target)
        for rel in sorted(reader.of_class(edge_kind.cls)):
            data = _relationship_data(reader, rel, edge_kind.kind, evidence)
            sources = _entities(source_index.get(rel, ()))
            if edge_kind.symmetric:
                ends = sorted(set(sources) | set(_entities(target_index.get(rel, ()))))
                for u, v in permutations(ends, 2):
                    yield u, v, rel, {**data, "direction": "symmetric"}
                continue
            for u in sources:
                for v in _entities(target_index.get(rel, ())):
                    if u != v:
                        yield u, v, rel, {**data, "direction": "forward"}


def _entities(values) -> list[str]:
    """The resource ends of a relationship, sorted (a literal is no entity)."""
    if len(values) == 1:
        (value,) = values
        return [] if isinstance(value, Lit) else [value]
    return sorted(v for v in values if not isinstance(v, Lit))


def _relationship_data(reader: _Reader, rel: str, kind: str, evidence) -> dict:
    if evidence is _confidence_only:
        # the topology alone: the highest confidence, without a record per evidence node
        sources = None
        confidence = _max_confidence(reader, rel)
    else:
        sources = evidence(reader, rel)
        confidences = [s["confidence"] for s in sources if s["confidence"] is not None]
        confidence = max(confidences) if confidences else None
    share_of, relation_of, start_of, end_of = reader.data_indexes()
    # an empty index (no relationship in the graph states it) needs no look-up per relationship
    share = first_value(share_of, rel) if share_of else None
    data = {
        "kind": kind,
        "relation": first_value(relation_of, rel) if relation_of else None,
        "relationship": rel,
        "start": _iso(first_term(start_of, rel)) if start_of else None,
        "end": _iso(first_term(end_of, rel)) if end_of else None,
        "since": _first_reported(reader, rel),
        "share": float(share) if share is not None else None,
        "confidence": confidence,
    }
    if sources is not None:
        data["sources"] = sources
    return data


def _first_reported(reader: _Reader, subject: str) -> str | None:
    """The date of the earliest source that states ``subject`` (its evidence's ``dcterms:issued``).

    What :mod:`graph.dates` counts an undated measure in force from, and an undated
    relationship as holding from (an assumption, flagged where shown).
    """
    evidence_of = reader.by_subject(P_EVIDENCE)
    if not evidence_of:
        return None
    source_of, issued_of = reader.by_subject(P_SOURCE), reader.by_subject(_P_ISSUED)
    days = [_iso(day) for node in evidence_of.get(subject, ()) for source in source_of.get(node, ())
            for day in issued_of.get(source, ())]
    days = [d for d in days if d]
    return min(days) if days else None


def _max_confidence(reader: _Reader, subject: str) -> float | None:
    """The highest confidence of ``subject``'s evidence (what :func:`_confidence_only` gives, at once)."""
    evidence_of, confidence_of = reader.confidence_indexes()
    best = None
    for node in evidence_of.get(subject, ()):
        values = confidence_of.get(node)
        if not values:
            continue
        # one value (the usual case) needs no choosing; several: the first in term order, as first_term
        confidence = first_value(confidence_of, node) if len(values) > 1 else term_value(values[0])
        if confidence is not None:
            confidence = float(confidence)
            if best is None or confidence > best:
                best = confidence
    return best


def _subsidiary_edges(reader: _Reader, evidence):
    # kg:subOrganizationOf is a plain property: the edge is keyed by the property's IRI (one
    # edge per pair) and explained by the evidence of the sub-organisation's own statement.
    key = str(KG.subOrganizationOf)
    for child, parents in sorted(reader.by_subject(KG.subOrganizationOf).items()):
        for parent in sorted(parents):
            if child == parent or isinstance(parent, Lit):
                continue
            sources = evidence(reader, child, only=graphs_stating(reader.graph, child, parent))
            confidences = [s["confidence"] for s in sources if s["confidence"] is not None]
            data = {
                "kind": SUBSIDIARY,
                "relation": None,
                "relationship": key,
                "direction": "forward",
                "start": None,
                "end": None,
                "since": _first_reported(reader, child),
                "share": None,
                "confidence": max(confidences) if confidences else None,
            }
            if evidence is evidence_records:
                data["sources"] = sources
            yield child, parent, key, data


def _confidence_only(reader: _Reader, subject: str, only: set[str] | None = None) -> list[dict]:
    """What an edge's confidence needs of its evidence: each record's ``confidence`` alone."""
    evidence_of = reader.by_subject(P_EVIDENCE)
    confidence_of = reader.by_subject(P_CONFIDENCE)
    source_of = reader.by_subject(P_SOURCE) if only is not None else None
    records = []
    for node in evidence_of.get(subject, ()):
        if source_of is not None and first_term(source_of, node) not in only:
            continue
        confidence = first_value(confidence_of, node)
        records.append({"confidence": float(confidence) if confidence is not None else None})
    return records


# predicates as plain strings, made once: the lookups run per relationship
_P_SHARE, _P_RELATION, _P_START, _P_END = (str(KG[name]) for name in ("share", "relation", "startDate", "endDate"))
_P_ISSUED = "http://purl.org/dc/terms/issued"


def _measure_targets(reader: _Reader) -> dict:
    measures = reader.of_class(KG.Measure)
    targets: dict = defaultdict(set)
    for subject, objects in reader.by_subject(KG.targets).items():
        if subject in measures:
            for target in objects:
                if not isinstance(target, Lit):
                    targets[target].add(subject)
    return targets


def _measures(reader: _Reader, labels: dict) -> dict:
    types = reader.by_subject(RDF.type)
    measures = {}
    for subject in sorted(reader.of_class(KG.Measure)):
        classes = types[subject]
        measures[subject] = {
            "label": best_label(labels.get(subject, ())),
            "classes": sorted(_local(c) for c in classes if _in_kg(c)),
            "list": reader.first_value(KG.onList, subject),
            "announced": _iso(reader.first(KG.announcedOn, subject)),
            "start": _iso(reader.first(KG.startDate, subject)),
            "end": _iso(reader.first(KG.endDate, subject)),
            "stated": _first_reported(reader, subject),
            "status": reader.first_value(KG.status, subject),
            "legal_basis": reader.first_value(KG.legalBasis, subject),
        }
    return measures


def _lists(reader: _Reader, labels: dict) -> dict:
    alt = reader.by_subject(SKOS.altLabel)
    lists = {}
    for subject in sorted(reader.of_class(KG.RestrictedPartyList)):
        names = {term_value(v) for v in labels.get(subject, ())} | {term_value(v) for v in alt.get(subject, ())}
        lists[subject] = {"label": best_label(labels.get(subject, ())), "names": sorted(names)}
    return lists


def _countries(reader: _Reader) -> dict:
    codes = reader.by_subject(KG.isoCode)
    result = {}
    for entity, countries in reader.by_subject(KG.country).items():
        found = sorted(code.value for country in countries for code in codes.get(country, ()))
        if found:
            result[entity] = found[0]
    return result


def _iso(term) -> str | None:
    if term is None:
        return None
    text = term.value if isinstance(term, Lit) else str(term)
    # xsd:date and xsd:dateTime both start with the day; timezones and times are dropped
    return text[:10] if len(text) >= 10 and text[4] == "-" else text


def _in_kg(term) -> bool:
    return isinstance(term, str) and term.startswith(_KG)


def _local(term: str) -> str:
    return term[len(_KG):]


_KG = str(KG)
