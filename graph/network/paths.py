"""Exposure paths: entities of interest within k hops of a listed entity, with the evidence.

A listed entity is a target of a measure (filtered by measure class or list, and by date). An
exposure path is a shortest path in the projection (:func:`graph.network.project`) from a
listed entity to an entity matching the filters (country, class), at most ``hops`` long,
over relationships of the chosen kinds in force on the date. Edges are walked in both
directions (a US supplier of a listed firm is exposed to it); each step of a path says whether
it follows the relationship's direction (``"forward"``), goes against it (``"reverse"``) or
the relationship has none (``"symmetric"``).

Ties are broken the same way everywhere: walking back from the exposed entity, each step takes
the neighbour one hop closer whose strongest tie has the highest confidence, then the smallest
IRI. Results are sorted by listed entity (label, IRI), hops, exposed entity (label, IRI).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(measures={"m": {"label": "M", "classes": ["Measure"], "list": None,
...     "announced": "2019-10-07", "start": None, "end": None, "legal_basis": None}},
...     lists={}, countries=["CN", "US"])
>>> G.add_node("cn-firm", label="CN firm", classes=["Company"], country="CN", listed=True, measures=["m"])
>>> G.add_node("us-firm", label="US firm", classes=["Company"], country="US", listed=False, measures=[])
>>> G.add_edge("us-firm", "cn-firm", key="r", kind="supply", relationship="r", direction="forward",
...     start=None, end=None, share=None, confidence=0.9, sources=[])
'r'
>>> [(r["listed"]["label"], r["exposed"]["label"], r["hops"], r["path"][0]["edges"][0]["direction"])
...  for r in exposure(G)]
[('CN firm', 'US firm', 1, 'reverse')]
>>> exposure(G, as_of="2019-01-01")
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from typing import TYPE_CHECKING

from graph.dates import in_force, measure_in_force, measure_start, parse_day, relationship_in_force
from graph.errors import ArgumentError
from graph.network.evidence import SUBSIDIARY, fetch_sources

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["exposure", "exposure_paths", "edge_kinds", "in_force", "listed_entities", "measure_record", "MATRIX_EDGES"]

#: from this many edges on, ``method="auto"`` runs the search on a matrix (when scipy is there)
MATRIX_EDGES = 20_000


def exposure(
    G: nx.MultiDiGraph,
    *,
    hops: int = 1,
    country: str | None = "US",
    classes: list[str] | str | None = None,
    relations: list[str] | str | None = None,
    measure: str | None = None,
    as_of: date | str | None = None,
    nearest: bool = False,
    method: str = "auto",
    index=None,
) -> list[dict]:
    """Find the entities within ``hops`` of a listed entity and the shortest paths to them.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection made by :func:`graph.network.project`.
    hops : int
        The longest path, in relationships (at least 1).
    country : str or None
        ISO code the exposed entity must have (``"US"``); None (or ``"any"``) for every country.
    classes : str or list of str, optional
        ``kg:`` class names the exposed entity must belong to (any of them), e.g. ``"Company"``.
    relations : str or list of str, optional
        Edge kinds a path may use (``"supply"``, ``"partner"`` ...); all kinds by default.
    measure : str, optional
        Only measures of this ``kg:`` class (``"ExportControlListing"``) or on this list
        (its IRI, slug or any of its names: ``"entity-list"``, ``"Entity List"``) make an
        entity listed.
    as_of : datetime.date or str, optional
        Only measures and relationships in force on this day (:mod:`graph.dates`): a measure
        from its ``kg:startDate`` (else ``kg:announcedOn``, else the date of the list version
        that states it) until its ``kg:endDate``; a relationship from its start date (else the
        date of the earliest source that reports it, an assumption) until its end date. A
        measure only proposed makes nothing listed, on any day.
    nearest : bool
        One result per exposed entity, with its nearest listed entity, instead of one per
        (listed, exposed) pair.
    method : {"auto", "networkx", "matrix"}
        Where the search runs: a breadth-first search over ``G`` itself, or
        :func:`graph.network.matrix.search` on a scipy CSR matrix of it (the ``fast`` extra).
        Both return the same results; ``"auto"`` takes the matrix for graphs of more than
        :data:`MATRIX_EDGES` edges when scipy is installed.
    index : graph.network.matrix.MatrixIndex, optional
        A :func:`graph.network.matrix.matrix_index` of ``G`` to reuse across searches (it keeps
        what each search derives); implies ``method="matrix"``.

    Returns
    -------
    list of dict
        One record per (listed, exposed) pair: ``listed`` (``iri``, ``label``, ``country``,
        ``measures``), ``exposed`` (``iri``, ``label``, ``country``, ``classes``), ``hops``,
        ``confidence`` (of the path's weakest step) and ``path``: steps with ``from``, ``to``
        and every ``edges`` record between them (``kind``, ``relationship``, ``direction``,
        ``source``, ``target``, ``start``, ``end``, ``since`` and ``start_assumed`` (an
        undated tie held from its earliest source's date), ``share``, ``confidence``,
        ``sources``). Each measure says the day it is in force from (``date``) and whether
        its sources state that day (``date_stated``).

    Raises
    ------
    ArgumentError
        ``hops`` below 1, a country code the graph does not know, an unknown class, edge kind
        or measure, or a malformed date; ``param`` names the argument.
    """
    query, listed, found = _find(G, hops=hops, country=country, classes=classes, relations=relations,
                                 measure=measure, as_of=as_of, nearest=nearest, method=method, index=index)
    # a projection made without sources gets them now, for the edges of the results alone
    fetch_sources(G, {(u, v) for _source, _target, path in found for u, v in zip(path, path[1:])})
    records = [_record(G, source, target, path, listed[source], query) for source, target, path in found]
    return sorted(records, key=_order)


def exposure_paths(G: nx.MultiDiGraph, **options) -> list[tuple[str, str, list[str]]]:
    """The search alone: ``(listed, exposed, path)`` for what :func:`exposure` reports.

    Takes the keyword arguments of :func:`exposure` (and raises what it raises); ``path`` is
    the list of node IRIs from the listed entity to the exposed one. Sorted by listed IRI,
    hops, exposed IRI.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(countries=["US"])
    >>> G.add_node("l", country=None, classes=[], measures=["m"])
    >>> G.add_node("x", country="US", classes=[], measures=[])
    >>> _ = G.add_edge("x", "l", key="r", kind="supply", direction="forward", confidence=1.0)
    >>> exposure_paths(G)
    [('l', 'x', ['l', 'x'])]
    """
    return _find(G, **options)[2]


def _find(G, *, hops: int = 1, country: str | None = "US", nearest: bool = False, method: str = "auto",
          index=None, classes=None, relations=None, measure=None, as_of=None):
    # the one search behind exposure() and exposure_paths(), with exposure()'s defaults
    query = _Query.check(G, hops=hops, country=country, classes=classes, relations=relations,
                         measure=measure, as_of=as_of)
    listed = listed_entities(G, measure=query.measure_test, as_of=query.as_of)
    return query, listed, _search(G, query, listed, nearest=nearest, method=method, index=index)


def edge_kinds() -> list[str]:
    """Every edge kind a projection can hold: the ontology's ``kg:edgeKind`` values and ``"subsidiary"``.

    >>> edge_kinds()
    ['ownership', 'partner', 'position', 'subsidiary', 'supply']
    """
    from graph.model.ontology import load_ontology

    return sorted({e.kind for e in load_ontology().edge_kinds()} | {SUBSIDIARY})


def listed_entities(G: nx.MultiDiGraph, *, measure=None, as_of: date | None = None) -> dict[str, list[str]]:
    """Map each listed node to the IRIs of its measures that pass ``measure`` and are in force.

    ``measure`` is a predicate on a measure's record in ``G.graph["measures"]`` (None: all).
    In force means :func:`graph.dates.measure_in_force` on ``as_of``: a proposed measure
    never is, and without a day every other one is.
    """
    info = G.graph.get("measures", {})
    targets = G.graph.get("targets")
    # a projection lists each measure's targets: far fewer than the graph's nodes
    nodes = ((node, G.nodes[node].get("measures")) for node in sorted(
        {t for ts in targets.values() for t in ts if t in G})) if targets is not None else G.nodes(data="measures")
    listed = {}
    for node, measures in nodes:
        if not measures:
            continue
        kept = []
        for iri in measures:
            record = info.get(iri, {})
            if measure is not None and not measure(record):
                continue
            if not measure_in_force(record, as_of):
                continue
            kept.append(iri)
        if kept:
            listed[node] = kept
    return listed


# -- private helpers ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Query:
    hops: int
    country: str | None
    classes: frozenset[str] | None
    relations: frozenset[str] | None
    measure_test: object
    as_of: date | None

    @classmethod
    def check(cls, G, *, hops, country, classes, relations, measure, as_of) -> _Query:
        if isinstance(hops, bool) or not isinstance(hops, int) or hops < 1:
            raise ArgumentError("hops", f"hops must be a whole number of at least 1, not {hops!r}")
        if country is not None and str(country).lower() != "any":
            known = G.graph.get("countries") or sorted({d.get("country") for _n, d in G.nodes(data=True)} - {None})
            # a name or a three-letter code ("United States", "USA") is the country it names
            code = str(country).upper() if str(country).upper() in known else _country_code(str(country))
            if code not in known:
                raise ArgumentError("country", f"unknown country {country!r}; the graph knows "
                                    f"{', '.join(known)} (or use 'any')")
            country = code
        else:
            country = None
        class_set = _names(classes)
        if class_set is not None:
            from graph.model.ontology import load_ontology

            known_classes = set(load_ontology().class_keys())
            unknown = sorted(class_set - known_classes)
            if unknown:
                raise ArgumentError("classes", f"unknown class {unknown[0]!r}; use a kg: class such as "
                                    "Company, Organization, GovernmentBody or Person")
        relation_set = _names(relations)
        if relation_set is not None:
            # a projection read back from arrays knows its ontology's kinds (graph.network.topology)
            stated = G.graph.get("_edge_kinds")
            kinds = sorted(set(stated.values()) | {SUBSIDIARY}) if stated else edge_kinds()
            unknown = sorted(relation_set - set(kinds))
            if unknown:
                raise ArgumentError("relations", f"unknown relation kind {unknown[0]!r}; use one of "
                                    f"{', '.join(kinds)}")
        return cls(hops=hops, country=country, classes=class_set, relations=relation_set,
                   measure_test=_measure_test(G, measure), as_of=parse_day(as_of))

    def matches(self, data: dict) -> bool:
        if self.country is not None and data.get("country") != self.country:
            return False
        return self.classes is None or bool(self.classes & set(data.get("classes", ())))

    def keeps(self, edge: dict) -> bool:
        if self.relations is not None and edge.get("kind") not in self.relations:
            return False
        return relationship_in_force(edge, self.as_of)


def _country_code(value: str) -> str | None:
    from graph.model.countries import country_code

    return country_code(value)


def _names(value) -> frozenset[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    return frozenset(values) if values else None


def _measure_test(G, measure: str | None):
    """A predicate on measure records for ``measure``, a class name or a list's IRI/slug/name."""
    if measure is None:
        return None
    from graph.model.ontology import KG, load_ontology

    model = load_ontology()
    wanted = measure.strip()
    measure_classes = {key for key in model.class_keys() if model.is_a(model.cls(key), KG.Measure)}
    if wanted in measure_classes:
        return lambda record: wanted in record.get("classes", ())
    folded = wanted.casefold()
    lists = {iri for iri, data in G.graph.get("lists", {}).items()
             if folded in {iri.casefold(), iri.rsplit("/", 1)[-1].casefold()}
             | {name.casefold() for name in data.get("names", ())}}
    if lists:
        return lambda record: record.get("list") in lists
    names = sorted(measure_classes) + sorted(d["label"] for d in G.graph.get("lists", {}).values() if d["label"])
    raise ArgumentError("measure", f"unknown measure class or list {measure!r}; use one of {', '.join(names)}")


def _search(G, query: _Query, listed: dict, *, nearest: bool, method: str,
            index=None) -> list[tuple[str, str, list[str]]]:
    if method not in ("auto", "networkx", "matrix"):
        raise ArgumentError("method", f"unknown method {method!r}; use auto, networkx or matrix")
    if index is None and method != "networkx":
        # a projection read back from arrays (graph.network.topology) brings its own index;
        # the nearest search needs scipy on it, the pairs search numpy alone
        index = G.graph.get("_matrix_index")
        if index is not None and nearest and method == "auto" and not _has_scipy():
            index = None
    if index is not None:
        method = "matrix"
    if method == "auto":
        method = "matrix" if _has_edges(G, MATRIX_EDGES) and _has_scipy() else "networkx"
    if method == "matrix":
        from graph.network.matrix import search

        return search(G, list(listed), hops=query.hops, match=query.matches, relations=query.relations,
                      as_of=query.as_of, nearest=nearest, match_key=(query.country, query.classes),
                      index=index)
    adjacency = _adjacency(G, query)
    found = []
    if nearest:
        dist, _root = _bfs(sorted(listed), adjacency, query.hops)
        for target in sorted(dist):
            if dist[target] > 0 and query.matches(G.nodes[target]):
                path = _path(target, dist, adjacency)
                found.append((path[0], target, path))
    else:
        for source in sorted(listed):
            dist = _bfs([source], adjacency, query.hops)[0]
            for target in sorted(dist):
                if target != source and query.matches(G.nodes[target]):
                    found.append((source, target, _path(target, dist, adjacency)))
    found.sort(key=lambda item: (item[0], len(item[2]), item[1]))
    return found


def _has_edges(G, count: int) -> bool:
    """Whether ``G`` has at least ``count`` edges, counting only until it knows
    (``number_of_edges`` sums every node's degree: seconds on a million-triple projection)."""
    multi = G.is_multigraph()
    seen = 0
    for _node, neighbours in G.adjacency():
        seen += sum(map(len, neighbours.values())) if multi else len(neighbours)
        if seen >= count:
            return True
    return False


def _has_scipy() -> bool:
    try:
        import scipy.sparse.csgraph  # noqa: F401
    except ImportError:
        return False
    return True


def _adjacency(G, query: _Query) -> dict[str, dict[str, float]]:
    """Undirected neighbours over the edges the query keeps, with the strongest tie's confidence."""
    adjacency: dict[str, dict[str, float]] = defaultdict(dict)
    for u, v, data in G.edges(data=True):
        if not query.keeps(data):
            continue
        conf = data.get("confidence") or 0.0
        for a, b in ((u, v), (v, u)):
            row = adjacency[a]
            if conf > row.get(b, -1.0):
                row[b] = conf
    return adjacency


def _step_edges(G, u: str, v: str, query: _Query) -> list[dict]:
    """Every kept edge between ``u`` and ``v``, seen from a walk going from ``u`` to ``v``."""
    edges = [_step_edge(u, v, data, walked_forward=True)
             for data in (G.get_edge_data(u, v) or {}).values() if query.keeps(data)]
    edges += [_step_edge(v, u, data, walked_forward=False)
              for data in (G.get_edge_data(v, u) or {}).values()
              if query.keeps(data) and data.get("direction") != "symmetric"]
    return sorted(edges, key=lambda e: (-(e["confidence"] or 0.0), e["kind"] or "", e["relationship"] or "",
                                        e["direction"]))


def _step_edge(u: str, v: str, data: dict, *, walked_forward: bool) -> dict:
    if data.get("direction") == "symmetric":
        direction = "symmetric"
    else:
        direction = "forward" if walked_forward else "reverse"
    return {"kind": data.get("kind"), "relation": data.get("relation"), "relationship": data.get("relationship"),
            "direction": direction, "source": u, "target": v, "start": data.get("start"), "end": data.get("end"),
            # graph.dates: an undated tie holds from its earliest source's date, an assumption
            "since": data.get("since"), "start_assumed": not data.get("start") and data.get("since") is not None,
            "share": data.get("share"), "confidence": data.get("confidence"),
            "sources": [dict(s) for s in data.get("sources", [])]}


def _bfs(sources: list[str], adjacency, hops: int) -> tuple[dict[str, int], dict[str, str]]:
    """Distances (<= hops) from the nearest of ``sources``, and each node's nearest source."""
    dist = {s: 0 for s in sources}
    root = {s: s for s in sources}
    frontier = sorted(sources)
    for depth in range(1, hops + 1):
        reached: dict[str, list[str]] = {}
        for u in frontier:
            for v in adjacency.get(u, ()):
                if v not in dist:
                    reached.setdefault(v, []).append(u)
        for v, preds in reached.items():
            dist[v] = depth
            root[v] = root[_best_pred(v, preds, adjacency)]
        frontier = sorted(reached)
        if not frontier:
            break
    return dist, root


def _best_pred(v: str, preds, adjacency) -> str:
    row = adjacency[v]
    return min(preds, key=lambda u: (-row[u], u))


def _path(target: str, dist: dict[str, int], adjacency) -> list[str]:
    path = [target]
    node = target
    while dist[node] > 0:
        preds = [u for u in adjacency[node] if dist.get(u) == dist[node] - 1]
        node = _best_pred(node, preds, adjacency)
        path.append(node)
    return path[::-1]


def _record(G, source: str, target: str, nodes: list[str], measures: list[str], query: _Query) -> dict:
    info = G.graph.get("measures", {})
    lists = G.graph.get("lists", {})
    steps = []
    for u, v in zip(nodes, nodes[1:]):
        edges = _step_edges(G, u, v, query)
        steps.append({"from": u, "from_label": G.nodes[u].get("label"), "to": v,
                      "to_label": G.nodes[v].get("label"),
                      "confidence": max((e["confidence"] or 0.0 for e in edges), default=0.0), "edges": edges})
    listed_data, exposed_data = G.nodes[source], G.nodes[target]
    return {
        "listed": {
            "iri": source, "label": listed_data.get("label"), "country": listed_data.get("country"),
            "measures": [measure_record(iri, info.get(iri, {}), lists) for iri in measures],
        },
        "exposed": {"iri": target, "label": exposed_data.get("label"), "country": exposed_data.get("country"),
                    "classes": list(exposed_data.get("classes", []))},
        "hops": len(steps),
        "confidence": min((s["confidence"] for s in steps), default=0.0),
        "path": steps,
    }


def measure_record(iri: str, record: dict, lists: dict) -> dict:
    """A measure as results show it: ``G.graph["measures"][iri]`` with its list's label and its dates.

    ``date`` is the day it is in force from (:func:`graph.dates.measure_start`) and
    ``date_stated`` whether its sources state that day (False: the list version's date, shown
    with "date not stated"); ``status`` is what the sources say of it ("in force", or a
    proposal's stage).

    >>> measure_record("m", {"label": "M", "stated": "2023-11-30"}, {})["date"]
    '2023-11-30'
    """
    on_list = record.get("list")
    start, stated = measure_start(record)
    return {"iri": iri, "label": record.get("label"),
            "classes": list(record.get("classes", [])),
            "list": on_list, "list_label": lists.get(on_list, {}).get("label") if on_list else None,
            "date": start, "date_stated": stated,
            "announced": record.get("announced"), "start": record.get("start"), "end": record.get("end"),
            "status": record.get("status"), "legal_basis": record.get("legal_basis")}


def _order(record: dict) -> tuple:
    listed, exposed = record["listed"], record["exposed"]
    return ((listed["label"] or "").casefold(), listed["iri"], record["hops"],
            (exposed["label"] or "").casefold(), exposed["iri"])
