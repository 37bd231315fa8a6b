"""The topology arrays read back as the projection the network code reads (:class:`Topology`).

Made by :func:`graph.network.topology.file.load_topology` from the arrays of
:mod:`graph.network.topology.arrays`; labels and evidence are read from the store for the nodes
and edges a result shows, and no others.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

import numpy as np

from graph.network.evidence import LookupReader, label_of

__all__ = ["Topology"]


class Topology:
    """A projection read back from :func:`graph.network.topology.file.write_topology`'s arrays: what exposure needs of it.

    It answers the part of ``networkx.MultiDiGraph``'s interface that
    :func:`graph.network.paths`, :func:`graph.network.exposure_paths`, the ownership rules
    and :func:`graph.network.evidence.fetch_sources` use, with the same values as the
    projection it was made from: ``graph`` (``measures``, ``targets``, ``lists``,
    ``countries``), ``nodes[iri]`` (``label``, ``classes``, ``country``, ``listed``,
    ``measures``), ``get_edge_data``, ``edges``, ``out_edges``, ``adjacency``, ``in`` and
    ``len``. Edges are keyed by their relationship's IRI and carry no ``sources`` until
    :func:`~graph.network.evidence.fetch_sources` reads them. A node's attributes are made
    (its label read from the store) the first time they are asked for; the search runs on
    ``graph["_matrix_index"]``, a :class:`graph.network.matrix.MatrixIndex` built from the
    arrays, whose filter masks come from the arrays too.
    """

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, store) -> None:
        #: the pyoxigraph store the arrays describe: labels and evidence are read from it
        self.store = store
        self._meta = meta
        self._node_list: list[str] = meta["nodes"]
        self._ids = {node: i for i, node in enumerate(self._node_list)}
        self._arrays = arrays
        self._u, self._v = arrays["u"], arrays["v"]
        # edges are sorted by (u, v, relationship): each node's out-edges are one slice
        self._out = np.searchsorted(self._u, np.arange(len(self._node_list) + 1)).tolist()
        self._v_list: list[int] | None = None
        self._edge_data: dict[int, dict] = {}
        self._node_data: dict[str, dict] = {}
        self._relationships: list[str] | None = None
        measures_of: dict[str, list[str]] = {}
        for measure, targets in meta["targets"].items():
            for target in targets:
                measures_of.setdefault(target, []).append(measure)
        self._measures_of = {node: sorted(ms) for node, ms in measures_of.items()}
        self._reader = LookupReader(store)
        self.graph = {"measures": meta["measures"], "targets": meta["targets"], "lists": meta["lists"],
                      "countries": meta["countries"], "_evidence_reader": self._reader,
                      "_edge_kinds": meta.get("edge_kinds", {})}
        self.graph["_matrix_index"] = self._index()
        self.nodes = _Nodes(self)

    # -- networkx's interface -------------------------------------------------------------
    def __contains__(self, node) -> bool:
        return node in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._node_list)

    def __len__(self) -> int:
        return len(self._node_list)

    def is_multigraph(self) -> bool:
        return True

    def is_directed(self) -> bool:
        return True

    def number_of_nodes(self) -> int:
        return len(self._node_list)

    def number_of_edges(self) -> int:
        return len(self._u)

    def get_edge_data(self, u, v, default=None):
        """``{relationship: data}`` of the edges from ``u`` to ``v`` (``default`` if none)."""
        a, b = self._ids.get(u), self._ids.get(v)
        if a is None or b is None:
            return default
        if self._v_list is None:
            self._v_list = self._v.tolist()
        start, stop = self._out[a], self._out[a + 1]
        lo = bisect_left(self._v_list, b, start, stop)
        hi = bisect_right(self._v_list, b, lo, stop)
        if lo == hi:
            return default
        return {data["relationship"]: data for data in map(self._edge, range(lo, hi))}

    def edges(self, data: bool = False) -> Iterator[tuple]:
        """Every edge as ``(u, v)`` or ``(u, v, data)``, sorted by u, v and relationship."""
        nodes = self._node_list
        for i, (a, b) in enumerate(zip(self._u.tolist(), self._v.tolist())):
            yield (nodes[a], nodes[b], self._edge(i)) if data else (nodes[a], nodes[b])

    def out_edges(self, node, data: bool = False) -> list[tuple]:
        """The edges leaving ``node``, as :meth:`edges` gives them."""
        a = self._ids[node]
        nodes = self._node_list
        return [(node, nodes[b], self._edge(i)) if data else (node, nodes[b])
                for i, b in zip(range(self._out[a], self._out[a + 1]), self._v[self._out[a]:self._out[a + 1]].tolist())]

    def adjacency(self) -> Iterator[tuple[str, dict]]:
        """``(u, {v: {relationship: data}})`` for every node, as networkx gives it."""
        nodes = self._node_list
        for a, node in enumerate(nodes):
            row: dict[str, dict] = {}
            for i in range(self._out[a], self._out[a + 1]):
                data = self._edge(i)
                row.setdefault(nodes[int(self._v[i])], {})[data["relationship"]] = data
            yield node, row

    # -- private --------------------------------------------------------------------------
    def _edge(self, i: int) -> dict:
        data = self._edge_data.get(i)
        if data is None:
            if self._relationships is None:
                self._relationships = json.loads(self._arrays["relationships"].tobytes().decode("utf-8"))
            arrays, meta = self._arrays, self._meta
            relation, start, end = int(arrays["relation"][i]), int(arrays["start"][i]), int(arrays["end"][i])
            since = int(arrays["since"][i])
            data = {
                "kind": meta["kinds"][int(arrays["kind"][i])],
                "relation": meta["relations"][relation] if relation >= 0 else None,
                "relationship": self._relationships[int(arrays["relationship"][i])],
                "direction": "symmetric" if arrays["symmetric"][i] else "forward",
                "start": meta["dates"][start] if start >= 0 else None,
                "end": meta["dates"][end] if end >= 0 else None,
                "since": meta["dates"][since] if since >= 0 else None,
                "share": float(arrays["share"][i]) if arrays["has_share"][i] else None,
                "confidence": float(arrays["confidence"][i]) if arrays["has_confidence"][i] else None,
            }
            self._edge_data[i] = data
        return data

    def _node(self, node: str) -> dict:
        data = self._node_data.get(node)
        if data is None:
            i = self._ids[node]
            country, measures = int(self._arrays["country"][i]), self._measures_of.get(node, [])
            data = {
                "label": label_of(self._reader, node),
                "classes": list(self._meta["class_sets"][int(self._arrays["classes"][i])]),
                "country": self._meta["country_codes"][country] if country >= 0 else None,
                "listed": bool(measures),
                "measures": list(measures),
            }
            self._node_data[node] = data
        return data

    def _index(self):
        from graph.network.matrix import NO_END, NO_START, MatrixIndex, day_ordinal

        def ordinals(default: int) -> np.ndarray:
            # a text that is not a day (a bare year) bounds nothing, as in graph.dates
            values = [day_ordinal(text, default) for text in self._meta["dates"]]
            # the last entry stands for "no date": index -1 picks it
            return np.array(values + [default], dtype=np.int64)

        meta, arrays = self._meta, self._arrays
        starts, ends = ordinals(NO_START), ordinals(NO_END)
        # graph.dates: an edge with no start holds from its earliest source's date (since)
        start = np.where(arrays["start"] >= 0, starts[arrays["start"]], starts[arrays["since"]])
        confidence = np.where(arrays["has_confidence"], arrays["confidence"], 0.0)
        return MatrixIndex(self._node_list, self._ids, self._u.astype(np.int64), self._v.astype(np.int64),
                           arrays["kind"].astype(np.int16), tuple(meta["kinds"]), start,
                           ends[arrays["end"]], confidence, masks=self._mask)

    def _mask(self, key) -> np.ndarray | None:
        """The nodes an exposure filter ``(country, classes)`` keeps, from the arrays alone."""
        try:
            country, classes = key
        except (TypeError, ValueError):
            return None
        keep = np.ones(len(self._node_list), dtype=bool)
        if country is not None:
            codes = self._meta["country_codes"]
            wanted = codes.index(country) if country in codes else -2
            keep &= self._arrays["country"] == wanted
        if classes is not None:
            sets = np.array([bool(set(each) & classes) for each in self._meta["class_sets"]] + [False], dtype=bool)
            keep &= sets[self._arrays["classes"]]
        return keep


class _Nodes:
    """``Topology.nodes``: ``nodes[iri]`` gives a node's attribute dict, made once."""

    def __init__(self, topology: Topology) -> None:
        self._topology = topology

    def __getitem__(self, node: str) -> dict:
        return self._topology._node(node)

    def __contains__(self, node) -> bool:
        return node in self._topology

    def __iter__(self) -> Iterator[str]:
        return iter(self._topology)

    def __len__(self) -> int:
        return len(self._topology)

    def __call__(self, data=False):
        if data is False:
            return iter(self._topology)
        if data is True:
            return ((node, self[node]) for node in self._topology)
        return ((node, self[node].get(data)) for node in self._topology)
