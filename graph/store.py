"""Opening a graph wherever it lives: a graph file, an Oxigraph store, rdflib's memory, a server.

Every command that reads a graph goes through :func:`open_graph` with one *store spec*:

``PATH``            a graph file written by ``kg build`` (``.trig``, ``.ttl``, ``.nt``, ``.nq``,
                    ``.jsonld``), loaded into an in-memory Oxigraph store (the default engine);
``oxigraph:DIR``    a persistent Oxigraph store on disk, made by ``kg build --store oxigraph:DIR``;
``memory[:PATH]``   the graph file (default ``out/graph.trig``) in rdflib's own pure-Python store;
``sparql:URL``      any SPARQL 1.1 server, read with the SPARQL protocol; ``sparql:QUERY,UPDATE``
                    names a separate update endpoint (Fuseki, GraphDB).

Whatever the spec, users get an rdflib ``Dataset`` whose default graph is the union of the
named graphs; :func:`graph.sparql.run_query` hides how each engine binds and returns terms.
:func:`save_graph` writes a built dataset into an Oxigraph store or a server, replacing each
named graph it carries.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text("<https://e.org/a> <https://e.org/p> <https://e.org/b> .")
>>> len(open_graph(path))
1
>>> parse_spec("oxigraph:/tmp/kg").kind, parse_spec("memory").location
('oxigraph', 'out/graph.trig')
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from .errors import GraphNotFoundError, InputError, StoreError
from .terms import bind_prefixes, from_ox, normalise, sparql_term, to_ox

__all__ = [
    "open_graph",
    "save_graph",
    "parse_spec",
    "StoreSpec",
    "engine",
    "oxigraph_store",
    "snapshot",
    "FORMATS",
    "DEFAULT_GRAPH",
    "KINDS",
]

#: file suffix -> rdflib parser name
FORMATS = {
    ".trig": "trig",
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
}

#: file suffix -> Oxigraph's parser
_OX_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

DEFAULT_GRAPH = Path("out/graph.trig")

#: the kinds of store a spec may name
KINDS = ("file", "oxigraph", "memory", "sparql")

#: triples per SPARQL Update request when writing to a server
# Virtuoso compiles each INSERT DATA to SQL and refuses past 10,000 lines of it (seen at 5,000
# triples with the official lists' long literals); 1,000 triples a request stays well under.
BATCH = 1000
#: rows per request when copying a server's graph
PAGE = 10_000


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec: its kind and where it is (a path or the server's URLs)."""

    kind: str
    location: str
    update: str | None = None

    def __str__(self) -> str:
        if self.kind == "file":
            return self.location
        if self.kind == "sparql" and self.update and self.update != self.location:
            return f"sparql:{self.location},{self.update}"
        return f"{self.kind}:{self.location}"


def parse_spec(spec: str | Path | StoreSpec | None = None) -> StoreSpec:
    """Read a store spec (see the module's docstring); None means ``out/graph.trig``.

    Raises
    ------
    StoreError
        A ``sparql:`` spec whose URL is not http(s), or an ``oxigraph:`` spec without a folder.
    """
    if isinstance(spec, StoreSpec):
        return spec
    if spec is None:
        return StoreSpec("file", str(DEFAULT_GRAPH))
    if isinstance(spec, Path):
        return StoreSpec("file", str(spec))
    kind, sep, rest = spec.partition(":")
    if sep and kind == "memory":
        return StoreSpec("memory", rest or str(DEFAULT_GRAPH))
    if spec == "memory":
        return StoreSpec("memory", str(DEFAULT_GRAPH))
    if sep and kind == "oxigraph":
        if not rest:
            raise StoreError(f"store spec {spec!r} names no folder; use oxigraph:PATH")
        return StoreSpec("oxigraph", rest)
    if sep and kind == "sparql":
        query_url, _, update_url = rest.partition(",")
        for url in (query_url, update_url or query_url):
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"store spec {spec!r}: {url!r} is not an http(s) URL; use sparql:http://host:port/sparql")
        return StoreSpec("sparql", query_url, update_url or query_url)
    return StoreSpec("file", spec)


def open_graph(spec: str | Path | StoreSpec | None = None) -> Dataset:
    """Open the graph named by ``spec`` as an rdflib Dataset whose default graph is the union.

    Parameters
    ----------
    spec : str, Path or StoreSpec, optional
        A graph file, ``oxigraph:DIR``, ``memory[:FILE]`` or ``sparql:URL``; default
        ``out/graph.trig``, loaded into Oxigraph.

    Returns
    -------
    rdflib.Dataset
        Backed by oxrdflib's Oxigraph store (files, ``oxigraph:``), rdflib's memory store
        (``memory``) or rdflib's SPARQLStore (``sparql:``, read only).

    Raises
    ------
    GraphNotFoundError
        The file or store does not exist, or the server does not answer.
    InputError
        The file cannot be parsed, or its suffix is not a known format.
    StoreError
        The spec is malformed.
    """
    parsed = parse_spec(spec)
    if parsed.kind == "oxigraph":
        path = Path(parsed.location)
        if not path.is_dir():
            raise GraphNotFoundError(f"Oxigraph store {str(path)!r} does not exist "
                                     f"(make it with 'kg build --store oxigraph:{path}')")
        try:
            inner = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise GraphNotFoundError(f"cannot open Oxigraph store {str(path)!r}: {exc}") from exc
        return _oxigraph_dataset(inner)
    if parsed.kind == "sparql":
        return _remote_dataset(parsed)
    path = Path(parsed.location)
    if not path.is_file():
        hint = " (run 'kg build' first)" if spec is None or parsed.location == str(DEFAULT_GRAPH) else ""
        raise GraphNotFoundError(f"graph file {str(path)!r} does not exist{hint}")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(path, f"unknown graph format {path.suffix!r}",
                         hint=f"use one of {', '.join(sorted(FORMATS))}")
    if parsed.kind == "memory":
        return _memory_dataset(path, FORMATS[suffix])
    inner = ox.Store()
    try:
        inner.load(path=str(path), format=_OX_FORMATS[suffix])
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(path, f"cannot parse as {FORMATS[suffix]}: {exc}") from exc
    return _oxigraph_dataset(inner)


def save_graph(dataset: Dataset, spec: str | StoreSpec, *, file: Path | None = None, batch: int = BATCH) -> int:
    """Write every named graph of ``dataset`` into the store ``spec``, replacing those graphs.

    Graphs the dataset does not carry are left alone, so a store can hold other data too.
    Returns the number of quads written.

    Parameters
    ----------
    dataset : rdflib.Dataset
        A built dataset (one named graph per source, the ontology in its own graph).
    spec : str or StoreSpec
        ``oxigraph:DIR`` (created if missing) or ``sparql:URL`` (SPARQL Update, ``batch``
        triples per request).
    file : Path, optional
        The same dataset already written as TriG or N-Quads (``kg build`` writes
        ``graph.trig``): Oxigraph then bulk-loads the file with its own parser, several
        times faster than converting rdflib terms one by one.

    Raises
    ------
    StoreError
        ``spec`` is a file or ``memory`` (use ``kg build --out``), or the server refused a write.
    """
    parsed = parse_spec(spec)
    graphs = _named_graphs(dataset)
    if parsed.kind == "oxigraph":
        try:
            inner = ox.Store(parsed.location)
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreError(f"cannot open {parsed.location!r} as an Oxigraph store: {exc}") from exc
        for name, _ in graphs:
            node = ox.NamedNode(str(name))
            if inner.contains_named_graph(node):
                inner.remove_graph(node)
        if file is not None:
            inner.bulk_load(path=str(file), format=_OX_FORMATS[Path(file).suffix.lower()])
        else:
            for name, graph in graphs:
                inner.bulk_extend(_ox_quads(graph, name))
        inner.flush()
        return sum(len(g) for _, g in graphs)
    if parsed.kind == "sparql":
        return _save_remote(graphs, parsed, batch)
    raise StoreError(f"cannot write into {str(parsed)!r}: a build writes files with --out; "
                     "--store takes oxigraph:PATH or sparql:URL")


def snapshot(graph: Graph) -> Graph:
    """``graph`` itself if rdflib holds it, else a local rdflib copy of its union.

    Oxigraph is read through its own quads (faster than oxrdflib's triples) and a server
    with one CONSTRUCT; literals are normalised (``xsd:string`` becomes plain), so that
    rdflib-based tools such as pyshacl see the terms the builder wrote.

    Examples
    --------
    >>> g = Dataset()
    >>> snapshot(g) is g
    True
    """
    kind = engine(graph)
    if kind == "rdflib":
        return graph
    copy = Graph()
    bind_prefixes(copy)
    if kind == "oxigraph":
        for quad in oxigraph_store(graph).quads_for_pattern(None, None, None, None):
            copy.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return copy
    # in pages, since servers cap one answer (Virtuoso: 10,000 rows by default)
    offset = 0
    while True:
        page = graph.store.query(f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {PAGE} OFFSET {offset}",
                                 initNs={}, initBindings={}, queryGraph="__UNION__")
        rows = list(page)
        for s, p, o in rows:
            copy.add((s, p, normalise(o)))
        if len(rows) < PAGE:
            return copy
        offset += PAGE


def engine(graph: Graph) -> str:
    """Which engine answers SPARQL for ``graph``: ``"oxigraph"``, ``"sparql"`` or ``"rdflib"``.

    Examples
    --------
    >>> engine(Dataset())
    'rdflib'
    """
    store = graph.store
    if isinstance(store, OxigraphStore):
        return "oxigraph"
    if isinstance(store, SPARQLStore):
        return "sparql"
    return "rdflib"


def oxigraph_store(graph: Graph) -> ox.Store:
    """The pyoxigraph store behind ``graph``, for code that talks to Oxigraph directly.

    Raises
    ------
    StoreError
        ``graph`` is not held by Oxigraph (see :func:`engine`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.nt"
    >>> _ = path.write_text("<https://e.org/a> <https://e.org/p> <https://e.org/b> .")
    >>> len(oxigraph_store(open_graph(path)))
    1
    """
    if engine(graph) != "oxigraph":
        raise StoreError(f"the graph is held by {engine(graph)}, not Oxigraph")
    # oxrdflib keeps its pyoxigraph store in a private attribute: this is the one place that
    # reaches it, so that an oxrdflib upgrade breaks one line
    return graph.store._inner


# ------------------------------------------------------------------------------ helpers


class _PlainStringStore(OxigraphStore):
    """oxrdflib's store, giving plain literals where Oxigraph says ``xsd:string``.

    rdflib holds ``Literal("A")`` and ``Literal("A", datatype=XSD.string)`` for different
    terms; code written against rdflib's own store (``o == Literal("curated")``) keeps working.
    """

    def triples(self, triple_pattern, context=None):
        for (s, p, o), contexts in super().triples(triple_pattern, context):
            yield (s, p, normalise(o, decimals=False)), contexts

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
        result = super().query(query, initNs, initBindings, queryGraph, **kwargs)
        if result.type == "SELECT":
            rows = result.bindings
            result.bindings = [{v: normalise(t, decimals=False) for v, t in row.items()} for row in rows]
        elif result.type == "CONSTRUCT":
            graph = Graph()
            for s, p, o in result.graph:
                graph.add((s, p, normalise(o, decimals=False)))
            result.graph = graph
        return result


def _oxigraph_dataset(inner: ox.Store) -> Dataset:
    # default_union makes rdflib hand "__UNION__" to oxrdflib, which then asks Oxigraph for
    # the union of the named graphs (plain Dataset(store="Oxigraph") sees the default graph only)
    dataset = Dataset(store=_PlainStringStore(store=inner), default_union=True)
    bind_prefixes(dataset)
    return dataset


def _memory_dataset(path: Path, fmt: str) -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    try:
        if fmt in ("trig", "nquads", "json-ld"):
            dataset.parse(path, format=fmt)
        else:
            dataset.default_graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise InputError(path, f"cannot parse as {fmt}: {exc}") from exc
    return dataset


def _remote_dataset(spec: StoreSpec) -> Dataset:
    url, auth = _split_auth(spec.location)
    store = SPARQLStore(query_endpoint=url, returnFormat="json", method="POST_FORM", auth=auth)
    try:
        store.query("ASK { }", initNs={}, initBindings={}, queryGraph="__UNION__")
    except Exception as exc:  # urllib and the result parsers raise many unrelated types
        raise GraphNotFoundError(f"the SPARQL server {url!r} does not answer: {exc}") from exc
    dataset = Dataset(store=store, default_union=True)
    return dataset


def _split_auth(url: str) -> tuple[str, tuple[str, str] | None]:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return clean, (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))


def _named_graphs(dataset: Dataset) -> list[tuple[URIRef, Graph]]:
    graphs = [(g.identifier, g) for g in dataset.graphs()
              if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
    return sorted(graphs, key=lambda item: str(item[0]))


def _ox_quads(graph: Graph, name: URIRef) -> Iterable[ox.Quad]:
    graph_name = ox.NamedNode(str(name))
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph_name)


def _save_remote(graphs: list[tuple[URIRef, Graph]], spec: StoreSpec, batch: int) -> int:
    written = 0
    for name, graph in graphs:
        _post_update(spec, f"DROP SILENT GRAPH {name.n3()}")
        # Blank nodes are scoped to one request, so every triple that mentions one goes in a
        # single request; the others are sent in batches in a stable order.
        plain, with_blank = [], []
        for triple in graph:
            (with_blank if any(isinstance(t, BNode) for t in triple) else plain).append(triple)
        lines = sorted(" ".join(_nt(t) for t in triple) + " ." for triple in plain)
        chunks = [lines[i:i + batch] for i in range(0, len(lines), batch)]
        if with_blank:
            chunks.append(sorted(" ".join(_nt(t) for t in triple) + " ." for triple in with_blank))
        for chunk in chunks:
            body = "\n".join(chunk)
            _post_update(spec, f"INSERT DATA {{ GRAPH {name.n3()} {{\n{body}\n}} }}")
            written += len(chunk)
    return written


def _nt(term) -> str:
    if isinstance(term, Literal):
        return sparql_term(term)  # one escaping rule for every term sent to a server
    return term.n3()


def _post_update(spec: StoreSpec, update: str) -> None:
    url, auth = _split_auth(spec.update or spec.location)
    data = urllib.parse.urlencode({"update": update}).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500]
        raise StoreError(f"the SPARQL server {url!r} refused an update ({exc.code}): {detail}") from exc
    except OSError as exc:
        raise StoreError(f"the SPARQL server {url!r} does not answer: {exc}") from exc
