"""The projection's topology as arrays beside an Oxigraph store: exposure without re-reading the graph.

Reading the topology out of an on-disk Oxigraph store costs seconds per million triples (every
``rdf:type`` and relationship end decoded from RocksDB), at every command. :func:`write_topology`
does it once, when a build writes the store, and saves what :func:`graph.network.project`
gives with ``sources=False`` as compact arrays in ``DIR/kg-topology.npz``: node IRIs, classes
and countries; edge ends, kinds, relations, relationship IRIs, dates, shares and confidences;
the measures, their targets and the lists. :func:`load_topology` reads them back as a
:class:`Topology`, which answers :func:`graph.network.paths` (and the ownership rules)
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
from itertools import permutations
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from graph.errors import StoreError
from graph.io.memory import paused_gc
from graph.network.evidence import (
    _P_CONFIDENCE,
    _P_EVIDENCE,
    _P_SOURCE,
    KG_NS,
    RDFS_LABEL,
    SUBSIDIARY,
    LookupReader,
    _graphs_stating,
    _label,
    _Lit,
    _one,
    _one_value,
    _ox_term,
    _value,
    label_of,
)

__all__ = ["write_topology", "open_topology", "load_topology", "topology_file", "store_fingerprint", "Topology", "FILE_NAME"]

#: the topology's file inside the store's folder
FILE_NAME = "kg-topology.npz"
#: bumped whenever what the file holds, or how it is read, changes
FORMAT = 2

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
    :func:`graph.store.backends.save_graph`), after the last write: the file records the store's
    :func:`store_fingerprint` at that moment. The store is flushed first.

    Parameters
    ----------
    store : pyoxigraph.Store
        The on-disk store living in ``folder``.
    folder : str or Path
        The store's folder; the file is :func:`topology_file` of it, replaced atomically.
    model : Ontology, optional
        The ontology to project with (:func:`graph.model.ontology.load_ontology` by default).
    """
    from graph.model.ontology import load_ontology

    try:
        store.flush()
    except (OSError, RuntimeError):  # a read-only store has nothing to flush
        pass
    model = model or load_ontology()
    with paused_gc():
        members = _store_arrays(store, model)
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

    from graph.errors import GraphNotFoundError

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
    :func:`graph.network.paths`, :func:`graph.network.exposure_paths`, the ownership rules
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


# -- reading the store --------------------------------------------------------------------
# What :func:`graph.network.project` gives with ``sources=False``, read from an Oxigraph store
# straight into the arrays: the projection scans whole predicates (every rdf:type, every
# evidence node and its confidence) and decodes every term of every quad, which is most of the
# cost at scale (Oxigraph looks each IRI up in RocksDB to decode it). Here Oxigraph joins
# (hash joins: each pattern in a sub-query of its own) and aggregates on its encoded terms, and
# only the terms the arrays hold are decoded, most of them once: nodes, relationships and ends.
# What needs a term's exact type (a relationship's share, dates, a measure's fields) comes
# as terms, and the rare shapes an aggregate cannot answer exactly (several confidences on one
# evidence node, an edge end that is no kg:Agent, kg:subOrganizationOf) are looked up one by
# one, as the projection would read them. tests/test_topology.py checks both give the same arrays.

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_P_SHARE, _P_RELATION, _P_START, _P_END, _P_COUNTRY, _P_ISO, _P_TARGETS = (
    KG_NS + name for name in ("share", "relation", "startDate", "endDate", "country", "isoCode", "targets"))
_P_ISSUED = "http://purl.org/dc/terms/issued"
#: between the confidences GROUP_CONCAT joins (a unit separator: no number holds one)
_SEPARATOR = "\u001f"
#: kg: classes told apart by one bit each of an xsd:integer mask
_MASK_BITS = 60


def _select(store, query: str):
    # the union of every graph, the default one included, as the projection's scans read them
    return store.query(query, use_default_graph_as_union=True)


def _iri(value: str) -> str:
    return f"<{value}>"


def _plain(term):
    """A pyoxigraph term as the projection holds it (an IRI as str: the common case first)."""
    return term.value if type(term).__name__ == "NamedNode" else _ox_term(term)


def _members_of(cls: str) -> str:
    """A sub-query of the distinct members of ``cls`` (its own hash-join side)."""
    return f"{{ SELECT DISTINCT ?s WHERE {{ ?s a {_iri(cls)} }} }}"


def _values_by_subject(store, subjects: str, predicate: str, *, seek: bool = False) -> dict:
    """``{subject: [distinct values]}`` of ``predicate`` for the subjects of a sub-query binding ?s.

    By a hash join of the subjects and the whole predicate, or (``seek``: a few subjects of a
    big predicate, such as rdf:type) by looking each subject's values up.
    """
    found: dict = {}
    if not _stated(store, predicate):  # a seek: no need to gather the subjects
        return found
    values = f"?s {_iri(predicate)} ?o" if seek else f"{{ SELECT ?s ?o WHERE {{ ?s {_iri(predicate)} ?o }} }}"
    for s, o in _select(store, f"SELECT DISTINCT ?s ?o WHERE {{ {subjects} {values} }}"):
        found.setdefault(_plain(s), []).append(_plain(o))
    return found


def _stated(store, predicate: str) -> bool:
    """Whether any statement has ``predicate``."""
    return bool(_select(store, f"ASK {{ ?s {_iri(predicate)} ?o }}"))


def _store_arrays(store, model) -> dict:
    """The members of the topology file, read from ``store`` (what ``_arrays(project(store,
    sources=False))`` gives, and the edge kinds)."""
    reader = LookupReader(store)
    classes = sorted(c.value for (c,) in _select(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }")
                     if type(c).__name__ == "NamedNode" and c.value.startswith(KG_NS))
    masks, countries = _agents(store, classes)
    edges = _EdgeColumns()
    kinds = model.edge_kinds()
    confidences = _confidences(store, reader, [str(kind.cls) for kind in kinds])
    for kind in kinds:
        _kind_edges(store, kind, confidences, edges)
    _subsidiary_edges(store, reader, edges)
    nodes = set(masks)
    nodes.update(edges.u)
    nodes.update(edges.v)
    nodes = sorted(nodes)
    node_classes, node_countries = [], []
    for node in nodes:
        mask = masks.get(node)
        if mask is None:  # an edge end that is no kg:Agent: read as the projection reads it
            types = reader.by_subject(_RDF_TYPE).get(node, ())
            node_classes.append(tuple(sorted(t[len(KG_NS):] for t in types if isinstance(t, str) and t.startswith(KG_NS))))
            node_countries.append(_country_of(reader, node))
        else:
            node_classes.append(_mask_classes(mask, classes))
            node_countries.append(countries.get(node))
    measures, targets = _measures(store)
    in_graph = set(nodes)
    by_measure = {m: sorted(t for t in ts if t in in_graph) for m, ts in targets.items()}
    meta_lists = _lists(store)
    codes = sorted({_value(_plain(c)) for (c,) in _select(store, f"SELECT DISTINCT ?c WHERE {{ ?x {_iri(_P_ISO)} ?c }}")})
    return _assemble(nodes, node_classes, node_countries, edges, {
        "measures": measures, "targets": by_measure, "lists": meta_lists, "countries": codes,
    }, {str(e.cls): e.kind for e in model.edge_kinds()})


def _agents(store, classes: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Every kg:Agent with a mask of its kg: classes (bit i: ``classes[i]``), and their countries
    (the first ISO code, in text order, of their kg:country)."""
    masks: dict[str, int] = {}
    for first in range(0, len(classes), _MASK_BITS):
        chunk = classes[first:first + _MASK_BITS]
        values = " ".join(f"({_iri(c)} {1 << i})" for i, c in enumerate(chunk))
        # a hash join of the agents and the members of each class (read in order, not sought one
        # by one), grouped on Oxigraph's encoded terms: each agent's IRI is decoded once
        query = (f"SELECT ?s (SUM(DISTINCT ?bit) AS ?mask) WHERE {{ {_members_of(KG_NS + 'Agent')} "
                 f"{{ SELECT ?s ?bit WHERE {{ VALUES (?c ?bit) {{ {values} }} ?s a ?c }} }} }} GROUP BY ?s")
        for s, mask in _select(store, query):
            node = _plain(s)
            masks[node] = masks.get(node, 0) | (int(mask.value) << first)
    return masks, _node_countries(store)


def _mask_classes(mask: int, classes: list[str], _cache: dict = {}) -> tuple:  # noqa: B006 (a cache)
    key = (mask, len(classes))
    found = _cache.get(key)
    if found is None:
        found = tuple(sorted(c[len(KG_NS):] for i, c in enumerate(classes) if mask >> i & 1))
        _cache[key] = found
    return found


def _node_countries(store) -> dict[str, str]:
    """Each subject's country: the first ISO code (in text order) of its kg:country."""
    firsts: dict = {}
    for x, code in _select(store, f"SELECT DISTINCT ?x ?code WHERE {{ ?x {_iri(_P_ISO)} ?code }}"):
        x, code = _plain(x), _value(_plain(code))
        firsts[x] = min(firsts.get(x, code), code)
    if any(x.startswith("_:") for x in firsts):  # a blank node cannot be asked for by name
        query = (f"SELECT ?s (MIN(STR(?code)) AS ?first) WHERE {{ "
                 f"{{ SELECT DISTINCT ?s ?x WHERE {{ ?s {_iri(_P_COUNTRY)} ?x }} }} "
                 f"{{ SELECT DISTINCT ?x ?code WHERE {{ ?x {_iri(_P_ISO)} ?code }} }} }} GROUP BY ?s")
        return {_plain(s): code.value for s, code in _select(store, query)}
    # a few countries with many subjects each: one scan of each country's subjects (no join)
    found: dict[str, str] = {}
    for country, code in sorted(firsts.items(), key=lambda item: item[1]):
        for (s,) in _select(store, f"SELECT ?s WHERE {{ ?s {_iri(_P_COUNTRY)} {_iri(country)} }}"):
            found.setdefault(_plain(s), code)  # countries in code order: the first is the least
    return found


def _country_of(reader: LookupReader, node: str) -> str | None:
    codes = reader.by_subject(_P_ISO)
    found = sorted(_value(code) for country in reader.by_subject(_P_COUNTRY).get(node, ())
                   for code in codes.get(country, ()))
    return found[0] if found else None


class _EdgeColumns:
    """The edges as columns, in the order the projection makes them (its ties: the last wins)."""

    def __init__(self) -> None:
        self.u: list[str] = []
        self.v: list[str] = []
        self.rows: list[int] = []  # each edge's row in ``data``
        self.data: list[tuple] = []  # (kind, relation, relationship, symmetric, start, end, share, confidence, since)

    def add(self, u: str, v: str, row: int) -> None:
        self.u.append(u)
        self.v.append(v)
        self.rows.append(row)


def _kind_edges(store, kind, confidences: dict[str, float], edges: _EdgeColumns) -> None:
    """The edges of one relationship class: its relationships' ends, dates, share and confidence."""
    rels = _members_of(str(kind.cls))
    ends: dict[str, set] = {}
    # no DISTINCT: a triple in several graphs comes back once per graph, and the sets keep it once
    if kind.symmetric:
        query = (f"SELECT ?s ?x WHERE {{ {rels} {{ SELECT ?s ?x WHERE {{ "
                 f"{{ ?s {_iri(str(kind.source))} ?x }} UNION {{ ?s {_iri(str(kind.target))} ?x }} "
                 f"FILTER(!isLiteral(?x)) }} }} }}")
        for s, x in _select(store, query):
            ends.setdefault(_plain(s), set()).add(_plain(x))
    else:
        query = (f"SELECT ?s ?u ?v WHERE {{ {rels} "
                 f"{{ SELECT ?s ?u WHERE {{ ?s {_iri(str(kind.source))} ?u FILTER(!isLiteral(?u)) }} }} "
                 f"{{ SELECT ?s ?v WHERE {{ ?s {_iri(str(kind.target))} ?v FILTER(!isLiteral(?v)) }} }} }}")
        for s, u, v in _select(store, query):
            ends.setdefault(_plain(s), set()).add((_plain(u), _plain(v)))
    if not ends:
        return
    share_of, relation_of, start_of, end_of = (_values_by_subject(store, rels, p)
                                               for p in (_P_SHARE, _P_RELATION, _P_START, _P_END))
    since_of = _first_reported(store, rels)
    symmetric = kind.symmetric
    for rel in sorted(ends):
        share = _one_value(share_of, rel) if share_of else None
        row = len(edges.data)
        edges.data.append((kind.kind, _one_value(relation_of, rel) if relation_of else None, rel, symmetric,
                           _iso(_one(start_of, rel)) if start_of else None,
                           _iso(_one(end_of, rel)) if end_of else None,
                           float(share) if share is not None else None, confidences.get(rel), since_of.get(rel)))
        if symmetric:
            for u, v in permutations(sorted(ends[rel]), 2):
                edges.add(u, v, row)
        else:
            for u, v in sorted(ends[rel]):
                if u != v:
                    edges.add(u, v, row)


def _confidences(store, reader: LookupReader, classes: list[str]) -> dict[str, float]:
    """The highest confidence of the evidence of each member of ``classes`` that has one."""
    evidence, confidence = _iri(KG_NS + "evidence"), _iri(KG_NS + "confidence")
    rels = f"{{ SELECT DISTINCT ?s WHERE {{ VALUES ?class {{ {' '.join(map(_iri, classes))} }} ?s a ?class }} }}"
    query = (f"SELECT ?s (GROUP_CONCAT(DISTINCT STR(?c); separator=\"{_SEPARATOR}\") AS ?all) WHERE {{ {rels} "
             f"{{ SELECT ?s ?e WHERE {{ ?s {evidence} ?e }} }} "
             f"{{ SELECT ?e ?c WHERE {{ ?e {confidence} ?c }} }} }} GROUP BY ?s")
    best: dict[str, float] = {}
    numbers: dict[str, float] = {}
    for s, found in _select(store, query):
        values = []
        for text in found.value.split(_SEPARATOR):
            number = numbers.get(text)
            if number is None:
                number = numbers[text] = float(text)
            values.append(number)
        best[_plain(s)] = max(values)
    # an evidence node with several confidences counts its first (in term order) alone, not its
    # highest: the relationships that have one are read one by one, as the projection reads them
    counts = (f"SELECT (COUNT(DISTINCT ?e) AS ?nodes) (COUNT(*) AS ?pairs) WHERE {{ "
              f"SELECT DISTINCT ?e ?c WHERE {{ ?e {confidence} ?c }} }}")
    nodes, pairs = next(iter(_select(store, counts)))
    if nodes.value == pairs.value:
        return best
    query = (f"SELECT DISTINCT ?s WHERE {{ {rels} {{ SELECT DISTINCT ?s ?e WHERE {{ ?s {evidence} ?e }} }} "
             f"{{ SELECT ?e WHERE {{ ?e {confidence} ?c }} GROUP BY ?e HAVING (COUNT(DISTINCT ?c) > 1) }} }}")
    for (s,) in _select(store, query):
        rel = _plain(s)
        value = _max_confidence(reader, rel)
        if value is None:
            best.pop(rel, None)
        else:
            best[rel] = value
    return best


def _max_confidence(reader: LookupReader, subject: str, only: set[str] | None = None) -> float | None:
    """The highest confidence of ``subject``'s evidence (of the evidence from ``only``'s graphs)."""
    evidence_of, confidence_of = reader.by_subject(_P_EVIDENCE), reader.by_subject(_P_CONFIDENCE)
    source_of = reader.by_subject(_P_SOURCE)
    best = None
    for node in evidence_of.get(subject, ()):
        if only is not None and _one(source_of, node) not in only:
            continue
        confidence = _one_value(confidence_of, node)
        if confidence is not None:
            confidence = float(confidence)
            if best is None or confidence > best:
                best = confidence
    return best


def _subsidiary_edges(store, reader: LookupReader, edges: _EdgeColumns) -> None:
    # kg:subOrganizationOf: one edge per (child, parent), keyed by the property, explained by the
    # child's evidence from the graphs that state it (graph.network.projection's rule)
    key = KG_NS + "subOrganizationOf"
    pairs = sorted({(_plain(c), _plain(p)) for c, p in _select(
        store, f"SELECT DISTINCT ?c ?p WHERE {{ ?c {_iri(key)} ?p FILTER(!isLiteral(?p)) }}")})
    children = " ".join(sorted({_iri(c) for c, _p in pairs if not c.startswith("_:")}))
    since_of = _first_reported(store, f"{{ VALUES ?s {{ {children} }} }}") if children else {}
    for child, parent in pairs:
        if child == parent:
            continue
        confidence = _max_confidence(reader, child, only=_graphs_stating(store, child, parent) or set())
        row = len(edges.data)
        edges.data.append((SUBSIDIARY, None, key, False, None, None, None, confidence, since_of.get(child)))
        edges.add(child, parent, row)


def _first_reported(store, subjects: str) -> dict[str, str]:
    """Subject -> the date of the earliest source stating it, for the subjects of a sub-query binding ?s.

    graph.network.projection's rule: what an undated measure is in force from and an undated
    relationship holds from (:mod:`graph.dates`).
    """
    query = (f"SELECT ?s (MIN(STR(?d)) AS ?first) WHERE {{ {subjects} ?s {_iri(KG_NS + 'evidence')} ?e . "
             f"?e {_iri(KG_NS + 'source')} ?src . ?src {_iri(_P_ISSUED)} ?d }} GROUP BY ?s")
    return {_plain(s): _iso(_plain(d)) for s, d in _select(store, query) if d is not None}


def _measures(store) -> tuple[dict, dict]:
    """The measures as the projection's graph attribute gives them, and each one's targets."""
    members = _members_of(KG_NS + "Measure")
    found = [m.value if type(m).__name__ == "NamedNode" else _ox_term(m)
             for (m,) in _select(store, f"SELECT ?s WHERE {members}")]
    if not found:
        return {}, {}
    field = {name: _values_by_subject(store, members, predicate, seek=predicate in (_RDF_TYPE, RDFS_LABEL))
             for name, predicate in (
                 ("types", _RDF_TYPE), ("labels", RDFS_LABEL), ("list", KG_NS + "onList"),
                 ("announced", KG_NS + "announcedOn"), ("start", _P_START), ("end", _P_END),
                 ("legal_basis", KG_NS + "legalBasis"), ("status", KG_NS + "status"), ("targets", _P_TARGETS))}
    first = _first_reported(store, members)
    measures, targets = {}, {}
    for m in sorted(found):
        measures[m] = {
            "label": _label(field["labels"].get(m, ())),
            "classes": sorted(c[len(KG_NS):] for c in field["types"].get(m, ()) if isinstance(c, str) and c.startswith(KG_NS)),
            "list": _one_value(field["list"], m),
            "announced": _iso(_one(field["announced"], m)),
            "start": _iso(_one(field["start"], m)),
            "end": _iso(_one(field["end"], m)),
            "stated": first.get(m),
            "status": _one_value(field["status"], m),
            "legal_basis": _one_value(field["legal_basis"], m),
        }
        targets[m] = [t for t in field["targets"].get(m, ()) if not isinstance(t, _Lit)]
    return measures, targets


def _lists(store) -> dict:
    members = _members_of(KG_NS + "RestrictedPartyList")
    labels = _values_by_subject(store, members, RDFS_LABEL)
    alt = _values_by_subject(store, members, _SKOS_ALT)
    found = [_plain(s) for (s,) in _select(store, f"SELECT ?s WHERE {members}")]
    return {s: {"label": _label(labels.get(s, ())),
                "names": sorted({_value(v) for v in labels.get(s, ())} | {_value(v) for v in alt.get(s, ())})}
            for s in sorted(found)}


def _iso(term) -> str | None:
    # graph.network.projection's: xsd:date and xsd:dateTime both start with the day
    if term is None:
        return None
    text = term.value if isinstance(term, _Lit) else str(term)
    return text[:10] if len(text) >= 10 and text[4] == "-" else text


def _first_seen(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber ``codes`` (>= 0; -1 for none) in the order each first appears: (new codes, old
    code of each new one), as ``dict.setdefault(value, len(dict))`` numbers them."""
    present = codes >= 0
    unique, first = np.unique(codes[present], return_index=True)
    order = np.argsort(first, kind="stable")
    renumber = np.empty(len(unique), dtype=np.int64)
    renumber[order] = np.arange(len(unique))
    out = np.full(len(codes), -1, dtype=np.int64)
    out[present] = renumber[np.searchsorted(unique, codes[present])]
    return out, unique[order]


def _assemble(nodes: list[str], node_classes: list[tuple], node_countries: list, edges: _EdgeColumns,
              graph: dict, edge_kinds: dict) -> dict:
    """The file's members, numbered as :func:`_arrays` numbers a projection's."""
    ids = {node: i for i, node in enumerate(nodes)}
    countries = sorted({c for c in node_countries if c is not None})
    country_id = {c: i for i, c in enumerate(countries)}
    class_sets: dict[tuple, int] = {}
    members: dict = {"meta": None}
    members["country"] = np.array([-1 if c is None else country_id[c] for c in node_countries], dtype=np.int32)
    members["classes"] = np.array([class_sets.setdefault(c, len(class_sets)) for c in node_classes], dtype=np.int32)
    u = np.array([ids[n] for n in edges.u], dtype=np.int64)
    v = np.array([ids[n] for n in edges.v], dtype=np.int64)
    rows = np.array(edges.rows, dtype=np.int64)
    data = edges.data
    # relationships in IRI order: edges sort by (u, v, relationship); ties (one relationship in
    # two classes) keep the last made, as networkx keeps the last data of a key added twice
    relationship_names = sorted({d[2] for d in data})
    rank = {name: i for i, name in enumerate(relationship_names)}
    rel_rank = np.array([rank[d[2]] for d in data], dtype=np.int64)[rows] if data else np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(len(rows)), rel_rank, v, u))
    u, v, rows, rel_rank = u[order], v[order], rows[order], rel_rank[order]
    last = np.ones(len(rows), dtype=bool)
    if len(rows) > 1:
        last[:-1] = (u[1:] != u[:-1]) | (v[1:] != v[:-1]) | (rel_rank[1:] != rel_rank[:-1])
    u, v, rows, rel_rank = u[last], v[last], rows[last], rel_rank[last]

    def coded(position: int) -> tuple[np.ndarray, list]:
        # one column of the rows' data as codes into its distinct values, each row's once
        names: dict = {}
        per_row = np.array([-1 if d[position] is None else names.setdefault(d[position], len(names)) for d in data],
                           dtype=np.int64)
        return per_row, list(names)

    kind_codes, kind_names = coded(0)
    relation_codes, relation_names = coded(1)
    kind, kind_order = _first_seen(kind_codes[rows])
    relation, relation_order = _first_seen(relation_codes[rows])
    relationship, relationship_order = _first_seen(rel_rank)
    # start, end and since share one table of dates, numbered in that order edge by edge
    date_names: dict = {}
    starts = np.array([-1 if d[4] is None else date_names.setdefault(d[4], len(date_names)) for d in data], dtype=np.int64)
    ends = np.array([-1 if d[5] is None else date_names.setdefault(d[5], len(date_names)) for d in data], dtype=np.int64)
    sinces = np.array([-1 if d[8] is None else date_names.setdefault(d[8], len(date_names)) for d in data], dtype=np.int64)
    both, date_order = _first_seen(np.stack([starts[rows], ends[rows], sinces[rows]], axis=1).reshape(-1))
    both = both.reshape(-1, 3)
    date_list = list(date_names)
    symmetric = np.array([d[3] for d in data], dtype=np.bool_)
    share = np.array([np.nan if d[6] is None else d[6] for d in data], dtype=np.float64)
    confidence = np.array([np.nan if d[7] is None else d[7] for d in data], dtype=np.float64)
    has_share = np.array([d[6] is not None for d in data], dtype=np.bool_)
    has_confidence = np.array([d[7] is not None for d in data], dtype=np.bool_)
    members["meta"] = {
        "format": FORMAT, "version": _version(), "nodes": nodes, "country_codes": countries,
        "class_sets": [list(each) for each in class_sets], "kinds": [kind_names[i] for i in kind_order],
        "relations": [relation_names[i] for i in relation_order], "dates": [date_list[i] for i in date_order],
        "measures": graph["measures"], "targets": graph["targets"], "lists": graph["lists"],
        "countries": graph["countries"], "edge_kinds": edge_kinds,
    }
    members["u"] = u.astype(np.int32)
    members["v"] = v.astype(np.int32)
    members["kind"] = kind.astype(np.int16)
    members["relation"] = relation.astype(np.int32)
    members["relationship"] = relationship.astype(np.int32)
    members["symmetric"] = symmetric[rows] if len(data) else np.zeros(0, dtype=np.bool_)
    members["start"] = both[:, 0].astype(np.int32)
    members["end"] = both[:, 1].astype(np.int32)
    members["since"] = both[:, 2].astype(np.int32)
    members["share"] = np.where(has_share, share, 0.0)[rows] if len(data) else np.zeros(0)
    members["has_share"] = has_share[rows] if len(data) else np.zeros(0, dtype=np.bool_)
    members["confidence"] = np.where(has_confidence, confidence, 0.0)[rows] if len(data) else np.zeros(0)
    members["has_confidence"] = has_confidence[rows] if len(data) else np.zeros(0, dtype=np.bool_)
    members["relationships"] = [relationship_names[i] for i in relationship_order]
    return members


# -- writing ------------------------------------------------------------------------------
def _arrays(G) -> dict:
    """The arrays and the metadata of a projection made with ``sources=False``.

    What :func:`_store_arrays` reads from a store without projecting it (the tests hold the two
    equal); it also writes the arrays of a projection of any other graph.
    """
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
        "u", "v", "kind", "relation", "relationship", "symmetric", "start", "end", "since", "share", "has_share",
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
                for end in ("start", "end", "since"):
                    value = data.get(end)
                    columns[end].append(-1 if value is None else dates.setdefault(value, len(dates)))
                share, confidence = data.get("share"), data.get("confidence")
                columns["share"].append(0.0 if share is None else share)
                columns["has_share"].append(share is not None)
                columns["confidence"].append(0.0 if confidence is None else confidence)
                columns["has_confidence"].append(confidence is not None)
    types = {"u": np.int32, "v": np.int32, "kind": np.int16, "relation": np.int32, "relationship": np.int32,
             "symmetric": np.bool_, "start": np.int32, "end": np.int32, "since": np.int32, "share": np.float64,
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
    from graph.version import __version__

    return __version__

