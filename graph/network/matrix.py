"""The exposure search on a scipy CSR matrix of the projection: same answers, big-graph speed.

:func:`graph.network.paths` calls :func:`search` when scipy is installed (the ``fast``
extra) and the graph is big, or when asked with ``method="matrix"``. It returns exactly what
the pure-Python breadth-first search returns (tests compare the two on random graphs): the same
distances (for the nearest listed entity, ``scipy.sparse.csgraph.dijkstra``, unweighted,
limited to ``hops``; for every pair, a breadth-first search per listed entity over the CSR
rows) and the same tie-breaking: the predecessor one hop closer with the strongest tie
(highest confidence), then the smallest IRI (node ids follow IRI order).

Each search builds the graph's matrix index (node ids, edge arrays) unless it is given one:
build it once with :func:`matrix_index` and pass it to many searches (``index=``), and it also
keeps the adjacency and filter masks those searches derive. An index describes the graph as it
was when built: after changing the graph, build a new one.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="r1", kind="supply", start=None, end=None, confidence=0.9)
'r1'
>>> G.add_edge("b", "c", key="r2", kind="partner", start=None, end=None, confidence=0.5)
'r2'
>>> search(G, ["a"], hops=2, match=lambda node: True)
[('a', 'b', ['a', 'b']), ('a', 'c', ['a', 'b', 'c'])]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from typing import TYPE_CHECKING

import numpy as np

from graph.dates import day_or_none, relationship_start
from graph.io.memory import paused_gc

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["search", "matrix_index", "day_ordinal", "MatrixIndex", "NO_START", "NO_END"]

#: the ordinals of "no start" and "no end": every day falls between them
NO_START = np.iinfo(np.int64).min
NO_END = np.iinfo(np.int64).max


@dataclass(frozen=True)
class MatrixIndex:
    """A projection's edges as arrays: one entry per networkx edge, nodes numbered by IRI order."""

    nodes: list[str]
    ids: dict[str, int]
    u: np.ndarray
    v: np.ndarray
    kind: np.ndarray
    kinds: tuple[str, ...]
    start: np.ndarray
    end: np.ndarray
    confidence: np.ndarray
    #: derived arrays reused across searches: adjacency per (relations, as_of), masks per filter
    cache: dict = field(default_factory=dict, compare=False)
    #: match_key -> the mask of the nodes it keeps (or None), for an index that knows its nodes'
    #: attributes as arrays (:class:`graph.network.topology.view.Topology`): no node's data is read
    masks: Callable[[object], np.ndarray | None] | None = field(default=None, compare=False)


def matrix_index(G: nx.MultiDiGraph) -> MatrixIndex:
    """The arrays :func:`search` runs on; build once, pass to many searches as ``index=``."""
    with paused_gc():
        return _matrix_index(G)


def _matrix_index(G: nx.MultiDiGraph) -> MatrixIndex:
    nodes = sorted(G)
    ids = {node: i for i, node in enumerate(nodes)}
    kinds: dict[str, int] = {}
    # plain lists filled in one pass, turned into arrays at the end: item assignment into a
    # numpy array costs more than a list append, once per edge
    us, vs, ks, starts, ends, confs = [], [], [], [], [], []
    for a, b, data in _edges(G):
        us.append(ids[a])
        vs.append(ids[b])
        ks.append(kinds.setdefault(data.get("kind"), len(kinds)))
        # graph.dates' rule: an undated relationship holds from its earliest source's date
        starts.append(day_ordinal(relationship_start(data)[0], NO_START))
        ends.append(day_ordinal(data.get("end"), NO_END))
        confs.append(data.get("confidence") or 0.0)
    u = np.array(us, np.int64)
    v = np.array(vs, np.int64)
    kind = np.array(ks, np.int16)
    start = np.array(starts, np.int64)
    end = np.array(ends, np.int64)
    confidence = np.array(confs, np.float64)
    return MatrixIndex(nodes, ids, u, v, kind, tuple(kinds), start, end, confidence)


def _edges(G):
    """``G.edges(data=True)``, in its order, without the edge view's per-edge overhead."""
    if not G.is_multigraph():
        yield from G.edges(data=True)
        return
    for a, neighbours in G.adjacency():
        for b, keyed in neighbours.items():
            for data in keyed.values():
                yield a, b, data


def search(
    G: nx.MultiDiGraph,
    listed: list[str],
    *,
    hops: int,
    match: Callable[[dict], bool],
    relations: frozenset[str] | None = None,
    as_of: date | None = None,
    nearest: bool = False,
    match_key: object = None,
    index: MatrixIndex | None = None,
) -> list[tuple[str, str, list[str]]]:
    """Shortest paths of at most ``hops`` from ``listed`` nodes to nodes whose data ``match``.

    Edges are walked in both directions; only edges of the ``relations`` kinds (None: all) in
    force on ``as_of`` count. Returns ``(listed, exposed, path)`` triples, ``path`` running
    from the listed node to the exposed one, for every pair (or, with ``nearest``, for every
    exposed node and its nearest listed node), sorted by listed node, hops and exposed node.
    ``index`` is a :func:`matrix_index` of ``G`` (built here if None); ``match_key``, when
    given, names the filter ``match`` applies, so that the index keeps its mask over the nodes.
    """
    index = matrix_index(G) if index is None else index
    n = len(index.nodes)
    if n == 0 or not listed:
        return []
    adjacency_key = ("adjacency", relations, as_of)
    if adjacency_key not in index.cache:
        index.cache[adjacency_key] = _adjacency(index, relations, as_of)
    indptr, indices, strength = index.cache[adjacency_key]
    mask_key = ("match", match_key)
    wanted = index.cache.get(mask_key) if match_key is not None else None
    if wanted is None and match_key is not None and index.masks is not None:
        wanted = index.masks(match_key)
        if wanted is not None:
            index.cache[mask_key] = wanted
    if wanted is None:
        wanted = np.fromiter((bool(match(G.nodes[node])) for node in index.nodes), dtype=bool, count=n)
        if match_key is not None:
            index.cache[mask_key] = wanted
    sources = np.array(sorted(index.ids[node] for node in listed), dtype=np.int64)
    limit = hops + 0.5
    found: list[tuple[np.ndarray, np.ndarray]] = []
    if nearest:
        # scipy only here: the pairs search below needs numpy alone
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        matrix_key = ("matrix", adjacency_key)
        if matrix_key not in index.cache:
            index.cache[matrix_key] = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n, n))
        graph = index.cache[matrix_key]
        dist = dijkstra(graph, directed=True, indices=sources, unweighted=True, limit=limit, min_only=True)
        found.append(_paths(dist, indptr, indices, strength, wanted, hops))
    else:
        # one small search per listed entity: a breadth-first search over the CSR rows touches
        # only its neighbourhood, where a dense row of distances would cost the whole graph
        lists_key = ("lists", adjacency_key)
        if lists_key not in index.cache:
            index.cache[lists_key] = _neighbour_lists(indptr, indices, strength)
        neighbours = index.cache[lists_key]
        wanted_list = index.cache.get(("match-list", match_key)) if match_key is not None else None
        if wanted_list is None:
            wanted_list = wanted.tolist()
            if match_key is not None:
                index.cache[("match-list", match_key)] = wanted_list
        nodes = index.nodes
        result = []
        for source in sources.tolist():
            name = nodes[source]
            for path in _pairs_from(source, neighbours, wanted_list, hops):
                result.append((name, nodes[path[-1]], [nodes[i] for i in path]))
        return result
    table = np.concatenate([t for t, _l in found]) if found else np.empty((0, hops + 1), np.int64)
    lengths = np.concatenate([length for _t, length in found]) if found else np.empty(0, np.int64)
    if len(lengths) == 0:
        return []
    # node ids follow IRI order, so sorting ids sorts IRIs: by source, hops, target
    source_ids = table[np.arange(len(lengths)), lengths]
    order = np.lexsort((table[:, 0], lengths, source_ids))
    if "names" not in index.cache:
        index.cache["names"] = np.array(index.nodes, dtype=object)
    names = index.cache["names"][table[order]].tolist()
    result = []
    for row, length in zip(names, lengths[order].tolist()):
        path = row[length::-1]
        result.append((path[0], path[-1], path))
    return result


def day_ordinal(text: str | None, default: int) -> int:
    """The ordinal of the day a stored date starts with (:func:`graph.dates.day_or_none`), else ``default``.

    >>> day_ordinal("2019-10-08", 0) == date(2019, 10, 8).toordinal(), day_ordinal("2019", -1)
    (True, -1)
    """
    day = day_or_none(text)
    return default if day is None else day.toordinal()


# -- private helpers ----------------------------------------------------------------------

def _adjacency(index: MatrixIndex, relations, as_of) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected CSR arrays over the kept edges, one entry per neighbour pair, with the
    strongest tie's confidence as the entry's value."""
    n = len(index.nodes)
    keep = np.ones(len(index.u), dtype=bool)
    if relations is not None:
        codes = [i for i, kind in enumerate(index.kinds) if kind in relations]
        keep &= np.isin(index.kind, codes)
    if as_of is not None:
        day = as_of.toordinal()
        keep &= (index.start <= day) & (index.end >= day)
    u, v, conf = index.u[keep], index.v[keep], index.confidence[keep]
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    confs = np.concatenate([conf, conf])
    key = rows * n + cols
    order = np.lexsort((-confs, key))
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    chosen = order[first]
    rows, cols, confs = rows[chosen], cols[chosen], confs[chosen]
    indptr = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
    return indptr, cols.astype(np.int32), confs


def _neighbour_lists(indptr, indices, strength) -> list[list[tuple[float, int]]]:
    bounds = indptr.tolist()
    ids, confs = indices.tolist(), strength.tolist()
    return [list(zip(confs[a:b], ids[a:b])) for a, b in zip(bounds, bounds[1:])]


def _pairs_from(source: int, neighbours, wanted: list[bool], hops: int) -> list[list[int]]:
    """Paths (lists of ids, source first) from ``source`` to every wanted node within ``hops``,
    sorted by length then target id.

    The predecessor of a node is chosen among the previous layer's nodes by the same rule as
    everywhere: strongest tie, then lowest id (a pair's strength is the same from both ends).
    """
    dist = {source: 0}
    best: dict[int, tuple[float, int]] = {}
    frontier = [source]
    for depth in range(1, hops + 1):
        layer: dict[int, tuple[float, int]] = {}
        for u in frontier:
            for conf, v in neighbours[u]:
                if v in dist:
                    continue
                key = (-conf, u)
                current = layer.get(v)
                if current is None or key < current:
                    layer[v] = key
        for v, key in layer.items():
            dist[v] = depth
            best[v] = key
        frontier = list(layer)
        if not frontier:
            break
    paths = []
    for target in sorted(t for t, length in dist.items() if length and wanted[t]):
        path = [target]
        node = target
        while node != source:
            node = best[node][1]
            path.append(node)
        path.reverse()
        paths.append(path)
    paths.sort(key=len)  # stable: targets stay in id order within a length
    return paths


def _paths(dist: np.ndarray, indptr, indices, strength, wanted, hops: int) -> tuple[np.ndarray, np.ndarray]:
    """For every wanted node reached in ``dist`` (one search's distances): its path back to the
    source as a row of ids (target first, padded with the source), and the path's length."""
    reached = np.flatnonzero(np.isfinite(dist) & (dist > 0))
    targets = reached[wanted[reached]]
    if len(targets) == 0:
        return np.empty((0, hops + 1), np.int64), np.empty(0, np.int64)
    # walk every target back to its source at once, one hop per round, choosing predecessors
    # only for the nodes the walk reaches (not for every reached node)
    pred = np.full(len(dist), -1, dtype=np.int64)
    steps = [targets]
    current = targets
    for _ in range(hops):
        moving = dist[current] > 0
        need = np.unique(current[moving & (pred[current] < 0)])
        if len(need):
            pred[need] = _best_predecessors(dist, need, indptr, indices, strength)
        current = np.where(moving, pred[current], current)
        steps.append(current)
    return np.stack(steps, axis=1), dist[targets].astype(np.int64)


def _best_predecessors(dist, nodes, indptr, indices, strength) -> np.ndarray:
    """For each of ``nodes`` (sorted, unique, dist > 0), its neighbour one hop closer with the
    strongest tie, then the lowest id."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(starts, counts)
    node = np.repeat(np.arange(len(nodes)), counts)
    neighbour = indices[offsets].astype(np.int64)
    conf = strength[offsets]
    closer = dist[neighbour] == dist[nodes[node]] - 1
    node, neighbour, conf = node[closer], neighbour[closer], conf[closer]
    order = np.lexsort((neighbour, -conf, node))
    node_sorted = node[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = node_sorted[1:] != node_sorted[:-1]
    result = np.full(len(nodes), -1, dtype=np.int64)
    result[node_sorted[first]] = neighbour[order][first]
    return result
