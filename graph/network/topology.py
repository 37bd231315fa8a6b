"""The projection's topology as arrays beside an Oxigraph store: exposure without re-reading the graph.

Reading the topology out of an on-disk Oxigraph store costs seconds per million triples (every
``rdf:type`` and relationship end decoded from RocksDB), at every command. :func:`write_topology`
does it once, when a build writes the store, and saves what :func:`graph.network.project`
gives with ``sources=False`` as compact arrays in ``DIR/kg-topology.npz``: node IRIs, classes
and countries; edge ends, kinds, relations, relationship IRIs, dates, shares and confidences;
the measures, their targets and the lists. :func:`load_topology` reads them back as a
:class:`Topology`, which answers :func:`graph.network.exposure` (and the ownership rules)
like the projection it was made from, with its own matrix index for the search; labels and
evidence are read from the store for the nodes and edges a result shows, and no others.

The file carries a fingerprint of the store's data files (the name and size of each RocksDB
table and non-empty write-ahead log: RocksDB never rewrites one in place, so any write to the
store adds or grows one). A store changed after the file was written, by anything, no longer
matches, and :func:`load_topology` raises :class:`graph.errors.StoreError` rather than answer
from stale arrays. Opening a store for writing without writing may also change its files: the
arrays then count as stale too (a false alarm costs the slower path, never a wrong answer).
The same store always gives the same bytes; two stores with the same content give files that
differ in the fingerprint alone (RocksDB's files differ).

Examples
--------
>>> import tempfile, pyoxigraph as ox
>>> folder = tempfile.mkdtemp()
>>> store = ox.Store(folder)
>>> kg = "https://w3id.org/exposure-kg/ontology#"
>>> store.bulk_load(input=f'''
... <https://e.org/a> a <{kg}Company> ; <http://www.w3.org/2000/01/rdf-schema#label> "A" .
... <https://e.org/b> a <{kg}Company> ; <http://www.w3.org/2000/01/rdf-schema#label> "B" .
... <https://e.org/r> a <{kg}SupplyRelationship> ; <{kg}supplier> <https://e.org/a> ;
...     <{kg}customer> <https://e.org/b> .''', format=ox.RdfFormat.TURTLE)
>>> path = write_topology(store, folder)
>>> G = load_topology(store, folder)
>>> [(G.nodes[u]["label"], G.nodes[v]["label"], d["kind"]) for u, v, d in G.edges(data=True)]
[('A', 'B', 'supply')]
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..errors import StoreError
from .evidence import LookupReader, label_of

__all__ = ["write_topology", "open_topology", "load_topology", "topology_file", "store_fingerprint", "Topology", "FILE_NAME"]

#: the topology's file inside the store's folder
FILE_NAME = "kg-topology.npz"
#: bumped whenever what the file holds, or how it is read, changes
FORMAT = 1

# one fixed time for every member, so that the same store always gives the same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def topology_file(folder: str | Path) -> Path:
    """Where :func:`write_topology` puts the arrays of the store in ``folder``.

    >>> topology_file("/tmp/store").name
    'kg-topology.npz'
    """
    return Path(folder) / FILE_NAME


def store_fingerprint(folder: str | Path) -> str:
    """A digest of the Oxigraph (RocksDB) data files in ``folder``: their names and sizes.

    Tables (``.sst``, ``.blob``) are immutable and write-ahead logs (``.log``) only grow, so a
    write to the store changes the digest; the files RocksDB rewrites when it merely opens a
    store (``MANIFEST``, ``OPTIONS``, ``LOG``, ``CURRENT``, empty logs) are left out, and so
    are the files' times (a copy of the store keeps its digest).

    >>> import tempfile
    >>> len(store_fingerprint(tempfile.mkdtemp()))
    64
    """
    entries = []
    with os.scandir(folder) as found:
        for entry in found:
            stem, dot, suffix = entry.name.partition(".")
            if not (dot and stem.isdigit() and suffix in ("sst", "log", "blob")):
                continue
            size = entry.stat().st_size
            if suffix == "log" and size == 0:
                continue
            entries.append(f"{entry.name} {size}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def write_topology(store, folder: str | Path, *, model=None) -> Path:
    """Project ``store`` and write its topology as arrays in ``folder``; return the file.

    Call it whenever a store's content is written (``kg build --store oxigraph:DIR`` does, via
    :func:`graph.store.save_graph`), after the last write: the file records the store's
    :func:`store_fingerprint` at that moment. The store is flushed first.

    Parameters
    ----------
    store : pyoxigraph.Store
        The on-disk store living in ``folder``.
    folder : str or Path
        The store's folder; the file is :func:`topology_file` of it, replaced atomically.
    model : Ontology, optional
        The ontology to project with (:func:`graph.ontology.load_ontology` by default).
    """
    from ..ontology import load_ontology
    from .projection import project

    try:
        store.flush()
    except (OSError, RuntimeError):  # a read-only store has nothing to flush
        pass
    model = model or load_ontology()
    G = project(store, model=model, sources=False)
    members = _arrays(G)
    # relationship class -> edge kind: the ownership rules find their edges without the ontology
    members["meta"]["edge_kinds"] = {str(e.cls): e.kind for e in model.edge_kinds()}
    # a member of its own: two stores with the same content give the same file but for it
    members["store"] = np.frombuffer(store_fingerprint(folder).encode("ascii"), dtype=np.uint8)
    target = topology_file(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, value in members.items():
            if isinstance(value, (dict, list)):
                value = np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(value), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.getvalue())
    # written beside the target, then renamed over it: a reader sees the old file or the new one
    temporary = target.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:  # the umask's mode, as the store's own files
            out.write(buffer.getvalue())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def open_topology(folder: str | Path) -> Topology:
    """The Oxigraph store in ``folder``, opened read-only, as the :class:`Topology` beside it.

    What ``kg exposure --store oxigraph:DIR`` runs; in a notebook, ``exposure(open_topology(DIR))``
    answers as ``exposure(project(open_graph("oxigraph:DIR")))`` does, without reading the
    graph. The store is ``G.store``.

    Raises
    ------
    GraphNotFoundError
        ``folder`` holds no Oxigraph store.
    StoreError
        It holds no topology file, or one that does not match the store (see
        :func:`load_topology`): project the store instead.
    """
    import pyoxigraph as ox

    from ..errors import GraphNotFoundError

    path = Path(folder)
    if not path.is_dir():
        raise GraphNotFoundError(f"Oxigraph store {str(path)!r} does not exist "
                                 f"(make it with 'kg build --store oxigraph:{path}')")
    if not topology_file(path).is_file():
        raise StoreError(f"{path} holds no {FILE_NAME} (written by 'kg build --store oxigraph:{path}')")
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise GraphNotFoundError(f"cannot open Oxigraph store {str(path)!r}: {exc}") from exc
    topology = load_topology(store, path)
    if topology is None:  # removed in between
        raise StoreError(f"{path} holds no {FILE_NAME}")
    return topology


def load_topology(store, folder: str | Path) -> Topology | None:
    """The :class:`Topology` written beside the store in ``folder``, or None if there is none.

    Raises
    ------
    StoreError
        The file does not match the store any more (the store changed after it was
        written), was written by another version of exposure-kg, or cannot be read.
    """
    path = topology_file(folder)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as found:
            arrays = {name: found[name] for name in found.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
        fingerprint = arrays.pop("store").tobytes().decode("ascii")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise StoreError(f"{path}: cannot read the topology arrays ({exc})") from exc
    if meta.get("format") != FORMAT or meta.get("version") != _version():
        raise StoreError(f"{path} was written by another version of exposure-kg "
                         f"({meta.get('version')}, format {meta.get('format')})")
    if fingerprint != store_fingerprint(folder):
        raise StoreError(f"{path} does not match the store any more (it changed after the file was written)")
    try:
        return Topology(arrays, meta, store)
    except (KeyError, IndexError, TypeError, ValueError) as exc:  # a member or a table missing
        raise StoreError(f"{path}: cannot read the topology arrays ({exc!r})") from exc


class Topology:
    """A projection read back from :func:`write_topology`'s arrays: what exposure needs of it.

    It answers the part of ``networkx.MultiDiGraph``'s interface that
    :func:`graph.network.exposure`, :func:`graph.network.exposure_paths`, the ownership rules
    and :func:`graph.network.projection.fetch_sources` use, with the same values as the
    projection it was made from: ``graph`` (``measures``, ``targets``, ``lists``,
    ``countries``), ``nodes[iri]`` (``label``, ``classes``, ``country``, ``listed``,
    ``measures``), ``get_edge_data``, ``edges``, ``out_edges``, ``adjacency``, ``in`` and
    ``len``. Edges are keyed by their relationship's IRI and carry no ``sources`` until
    :func:`~graph.network.projection.fetch_sources` reads them. A node's attributes are made
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
            data = {
                "kind": meta["kinds"][int(arrays["kind"][i])],
                "relation": meta["relations"][relation] if relation >= 0 else None,
                "relationship": self._relationships[int(arrays["relationship"][i])],
                "direction": "symmetric" if arrays["symmetric"][i] else "forward",
                "start": meta["dates"][start] if start >= 0 else None,
                "end": meta["dates"][end] if end >= 0 else None,
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
        from .matrix import _NO_END, _NO_START, MatrixIndex, _ordinal

        def ordinals(default: int) -> np.ndarray:
            values = []
            for text in self._meta["dates"]:
                try:
                    values.append(_ordinal(text, default))
                except ValueError:  # not a day (a bare year): no bound, as undated
                    values.append(default)
            # the last entry stands for "no date": index -1 picks it
            return np.array(values + [default], dtype=np.int64)

        meta, arrays = self._meta, self._arrays
        starts, ends = ordinals(_NO_START), ordinals(_NO_END)
        confidence = np.where(arrays["has_confidence"], arrays["confidence"], 0.0)
        return MatrixIndex(self._node_list, self._ids, self._u.astype(np.int64), self._v.astype(np.int64),
                           arrays["kind"].astype(np.int16), tuple(meta["kinds"]), starts[arrays["start"]],
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


# -- writing ------------------------------------------------------------------------------
def _arrays(G) -> dict:
    """The arrays and the metadata of a projection made with ``sources=False``."""
    nodes = list(G)
    if nodes != sorted(nodes):
        raise ValueError("a projection's nodes come in IRI order")
    ids = {node: i for i, node in enumerate(nodes)}
    countries = sorted({c for _n, c in G.nodes(data="country") if c is not None})
    country_id = {c: i for i, c in enumerate(countries)}
    class_sets: dict[tuple, int] = {}
    node_country, node_classes = [], []
    for _node, data in G.nodes(data=True):
        node_country.append(country_id[data["country"]] if data.get("country") is not None else -1)
        node_classes.append(class_sets.setdefault(tuple(data.get("classes") or ()), len(class_sets)))
    kinds: dict[str, int] = {}
    relations: dict[str, int] = {}
    dates: dict[str, int] = {}
    relationships: dict[str, int] = {}
    columns: dict[str, list] = {name: [] for name in (
        "u", "v", "kind", "relation", "relationship", "symmetric", "start", "end", "share", "has_share",
        "confidence", "has_confidence")}
    for a, neighbours in G.adjacency():
        for b, keyed in neighbours.items():
            for key, data in keyed.items():
                if key != data["relationship"]:
                    raise ValueError(f"edge {a} -> {b} is keyed {key!r}, not by its relationship")
                columns["u"].append(ids[a])
                columns["v"].append(ids[b])
                columns["kind"].append(kinds.setdefault(data["kind"], len(kinds)))
                relation = data.get("relation")
                columns["relation"].append(-1 if relation is None else relations.setdefault(relation, len(relations)))
                columns["relationship"].append(relationships.setdefault(key, len(relationships)))
                columns["symmetric"].append(data.get("direction") == "symmetric")
                for end in ("start", "end"):
                    value = data.get(end)
                    columns[end].append(-1 if value is None else dates.setdefault(value, len(dates)))
                share, confidence = data.get("share"), data.get("confidence")
                columns["share"].append(0.0 if share is None else share)
                columns["has_share"].append(share is not None)
                columns["confidence"].append(0.0 if confidence is None else confidence)
                columns["has_confidence"].append(confidence is not None)
    types = {"u": np.int32, "v": np.int32, "kind": np.int16, "relation": np.int32, "relationship": np.int32,
             "symmetric": np.bool_, "start": np.int32, "end": np.int32, "share": np.float64,
             "has_share": np.bool_, "confidence": np.float64, "has_confidence": np.bool_}
    members: dict = {"meta": {
        "format": FORMAT, "version": _version(), "nodes": nodes, "country_codes": countries,
        "class_sets": [list(each) for each in class_sets], "kinds": list(kinds), "relations": list(relations),
        "dates": list(dates), "measures": G.graph.get("measures", {}), "targets": G.graph.get("targets", {}),
        "lists": G.graph.get("lists", {}), "countries": G.graph.get("countries", []),
    }}
    members["country"] = np.array(node_country, dtype=np.int32)
    members["classes"] = np.array(node_classes, dtype=np.int32)
    for name, values in columns.items():
        members[name] = np.array(values, dtype=types[name])
    members["relationships"] = list(relationships)
    return members


def _version() -> str:
    from .. import __version__

    return __version__

