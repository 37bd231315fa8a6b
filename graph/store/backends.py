"""Opening a graph wherever it lives: a graph file, an Oxigraph store, rdflib's memory, a server.

Every command that reads a graph goes through :func:`open_graph` with one *store spec*:

``PATH``            a graph file written by ``kg build`` (``.trig``, ``.ttl``, ``.nt``, ``.nq``,
                    ``.jsonld``), loaded into an in-memory Oxigraph store (the default engine);
``oxigraph:DIR``    a persistent Oxigraph store on disk, made by ``kg build --store oxigraph:DIR``;
``memory[:PATH]``   the graph file (default ``out/graph.trig``) in rdflib's own pure-Python store;
``sparql:URL``      any SPARQL 1.1 server, read with the SPARQL protocol; ``sparql:QUERY,UPDATE``
                    names a separate update endpoint (Fuseki, GraphDB).

Whatever the spec, users get an rdflib ``Dataset`` whose default graph is the union of the
named graphs; :func:`graph.store.sparql.run_query` hides how each engine binds and returns terms.
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
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from graph.errors import FormatError, GraphNotFoundError, InputError, StoreError
# specs are parsed without rdflib (every command parses one): this module re-exports them
from graph.store.specs import ACCEPTED, DEFAULT_GRAPH, KINDS, StoreSpec, parse_spec
from graph.model.terms import bind_prefixes, from_ox, normalise, sparql_term, to_ox

__all__ = [
    "open_graph",
    "save_graph",
    "adopt_store",
    "engine",
    "oxigraph_store",
    "snapshot",
    "FORMATS",
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

#: triples per SPARQL Update request when writing to a server
# Virtuoso compiles each INSERT DATA to SQL and refuses past 10,000 lines of it (seen at 5,000
# triples with the official lists' long literals); 1,000 triples a request stays well under.
BATCH = 1000
#: rows per request when copying a server's graph
PAGE = 10_000
#: triples per Graph Store Protocol request (one PUT, then POSTs): a few MB of Turtle each
BULK_BATCH = 100_000


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
        The file cannot be parsed.
    FormatError
        The file's suffix names no known format.
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
    if path.is_dir():
        raise GraphNotFoundError(f"{str(path)!r} is a folder, not a graph file: {ACCEPTED} "
                                 "(a folder is read as an Oxigraph store with oxigraph:FOLDER)")
    if not path.is_file():
        hint = " (run 'kg build' first)" if spec is None or parsed.location == str(DEFAULT_GRAPH) else ""
        raise GraphNotFoundError(f"graph file {str(path)!r} does not exist{hint}")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise FormatError(f"{path}: unknown graph format {path.suffix!r}; use one of {', '.join(sorted(FORMATS))}")
    if parsed.kind == "memory":
        return _memory_dataset(path, FORMATS[suffix])
    inner = ox.Store()
    try:
        inner.load(path=str(path), format=_OX_FORMATS[suffix])
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(path, f"cannot parse as {FORMATS[suffix]}: {exc}") from exc
    return _oxigraph_dataset(inner)


def save_graph(dataset: Dataset | None, spec: str | StoreSpec, *, file: Path | None = None, batch: int = BATCH,
               bulk: bool | None = None) -> int:
    """Write every named graph of ``dataset`` into the store ``spec``, replacing those graphs.

    Graphs the dataset does not carry are left alone, so a store can hold other data too.
    Returns the number of quads written. The build's :func:`graph.builder.pipeline.save_built`
    also writes an Oxigraph store's topology arrays, for ``kg exposure``.

    Parameters
    ----------
    dataset : rdflib.Dataset or None
        A built dataset (one named graph per source, the ontology in its own graph); None
        when ``file`` holds it.
    spec : str or StoreSpec
        ``oxigraph:DIR`` (created if missing) or ``sparql:URL``.
    file : Path, optional
        The same dataset already written as TriG or N-Quads (``kg build`` writes
        ``graph.trig``): it is read with Oxigraph's own parser, several times faster than
        converting rdflib terms one by one.
    batch : int
        Triples per SPARQL Update request (``INSERT DATA``), when a server is written that way.
    bulk : bool, optional
        For ``sparql:`` servers: None (default) sends each named graph with the SPARQL 1.1
        Graph Store HTTP Protocol (one ``PUT``, then ``POST`` s of :data:`BULK_BATCH` triples)
        where the server has it, and falls back to ``INSERT DATA`` batches; True requires the
        protocol; False always uses ``INSERT DATA``. The protocol's endpoint is found next to
        the query URL: Virtuoso's ``/sparql-graph-crud-auth`` (digest authentication, with
        the user and password of the URL) or ``/sparql-graph-crud``, Fuseki's ``/data``,
        RDF4J and GraphDB's ``/rdf-graphs/service``.

    Raises
    ------
    StoreError
        ``spec`` is a file or ``memory`` (use ``kg build --out``), the server refused a write,
        or ``bulk`` is True and the server has no Graph Store Protocol endpoint.
    """
    parsed = parse_spec(spec)
    if dataset is None and file is None:
        raise StoreError("save_graph needs a dataset or the file it was written to")
    if parsed.kind == "sparql" and file is not None:
        return _save_remote(_file_graphs(Path(file)), parsed, batch, bulk)
    graphs = _named_graphs(dataset) if dataset is not None else [
        (URIRef(name), None) for name, _plain, _blank in _file_graphs(Path(file))]
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
        if dataset is None:
            return sum(1 for name, _ in graphs for _q in inner.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
        return sum(len(g) for _, g in graphs)
    if parsed.kind == "sparql":
        return _save_remote(_dataset_graphs(graphs), parsed, batch, bulk)
    raise StoreError(f"cannot write into {str(parsed)!r}: a build writes files with --out; "
                     "--store takes oxigraph:PATH or sparql:URL")


def adopt_store(built: Path, spec: str | StoreSpec, graphs: Iterable[str]) -> bool:
    """Put a build's own Oxigraph store folder ``built`` at the place of ``oxigraph:DIR``.

    A build already holds its graph in an Oxigraph store; loading ``graph.trig`` again into
    another would repeat the slowest step of a big build. The folder moves in whole when DIR
    is missing or empty, or holds an Oxigraph store whose named graphs are all among
    ``graphs`` (one a build wrote before). A store with other data keeps it: nothing is
    moved and False is returned, so that the caller loads the graphs with :func:`save_graph`.
    The build then writes the store's topology arrays (:func:`graph.builder.pipeline.save_built`).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> store = ox.Store(str(root / "built"))
    >>> store.add(ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p"),
    ...                   ox.Literal("A"), ox.NamedNode("https://e.org/g")))
    >>> store.flush(); del store
    >>> adopt_store(root / "built", f"oxigraph:{root / 'kept'}", ["https://e.org/g"])
    True
    >>> len(ox.Store.read_only(str(root / "kept")))
    1
    """
    parsed = parse_spec(spec)
    if parsed.kind != "oxigraph":
        return False
    target = Path(parsed.location)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return False
    if target.exists() and any(target.iterdir()):
        try:
            existing = ox.Store.read_only(str(target))
            names = {g.value for g in existing.named_graphs()}
            default = next(iter(existing.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
        except (OSError, RuntimeError):  # not an Oxigraph store: save_graph says so
            return False
        finally:
            existing = None
        if default is not None or not names <= set(graphs):
            return False
    from graph.io.files import replace_folder  # here: kg exposure imports this module and must stay light

    replace_folder(target, built)
    return True


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


def _dataset_graphs(graphs: list[tuple[URIRef, Graph]]):
    """Each graph as (IRI, sorted N-Triples lines without blank nodes, lines with them)."""
    for name, graph in graphs:
        plain, with_blank = [], []
        for triple in graph:
            (with_blank if any(isinstance(t, BNode) for t in triple) else plain).append(triple)
        yield (str(name), sorted(" ".join(_nt(t) for t in triple) + " ." for triple in plain),
               sorted(" ".join(_nt(t) for t in triple) + " ." for triple in with_blank))


def _file_graphs(file: Path):
    """The named graphs of a TriG or N-Quads file, as :func:`_dataset_graphs` gives them."""
    store = ox.Store()
    try:
        store.bulk_load(path=str(file), format=_OX_FORMATS[file.suffix.lower()])
    except (KeyError, SyntaxError, ValueError, OSError) as exc:
        raise InputError(file, f"cannot load the graph into a store: {exc}") from exc
    graphs = []
    for name in sorted(store.named_graphs(), key=lambda n: n.value):
        plain, with_blank = [], []
        for q in store.quads_for_pattern(None, None, None, name):
            line = f"{q.subject} {q.predicate} {q.object} ."  # pyoxigraph terms print as N-Triples
            (with_blank if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
             else plain).append(line)
        graphs.append((name.value, sorted(plain), sorted(with_blank)))
    return graphs


def _save_remote(graphs, spec: StoreSpec, batch: int, bulk: bool | None) -> int:
    """Send each (IRI, plain lines, blank-node lines) graph, replacing it on the server."""
    written = 0
    endpoint = None if bulk is False else _GraphStore(spec)
    for name, plain, with_blank in graphs:
        if endpoint is not None and endpoint.usable:
            # Blank nodes are scoped to one request: every triple naming one goes in one chunk
            chunks = [plain[i:i + BULK_BATCH] for i in range(0, len(plain), BULK_BATCH)]
            if with_blank:
                chunks.append(with_blank)
            if endpoint.send(name, chunks):
                written += len(plain) + len(with_blank)
                continue
            if bulk:
                raise StoreError(f"the SPARQL server {spec.location!r} has no Graph Store Protocol "
                                 f"endpoint that takes a graph: {endpoint.refusals}")
        _post_update(spec, f"DROP SILENT GRAPH <{name}>")
        chunks = [plain[i:i + batch] for i in range(0, len(plain), batch)]
        if with_blank:
            chunks.append(with_blank)
        for chunk in chunks:
            body = "\n".join(chunk)
            _post_update(spec, f"INSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")
            written += len(chunk)
    return written


class _GraphStore:
    """A server's SPARQL 1.1 Graph Store HTTP Protocol endpoint, found by trying the usual places.

    The first graph is sent to each candidate URL in turn; the first that takes it is kept.
    A refused request writes nothing, so trying is safe.
    """

    def __init__(self, spec: StoreSpec) -> None:
        url, auth = _split_auth(spec.update or spec.location)
        self.candidates = _graph_store_urls(url, auth is not None)
        self.url: str | None = None
        self.usable = bool(self.candidates)
        self.refusals: list[str] = []
        self.auth = auth
        self.digest = None
        if auth:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for candidate in self.candidates:
                passwords.add_password(None, candidate, *auth)
            self.digest = urllib.request.HTTPDigestAuthHandler(passwords)

    def send(self, graph: str, chunks: list[list[str]]) -> bool:
        """PUT the first chunk (replacing the graph) and POST the others; False if no endpoint takes it."""
        chunks = chunks or [[]]
        if self.url is None:
            for candidate in self.candidates:
                try:
                    self._request("PUT", candidate, graph, chunks[0])
                except (urllib.error.URLError, OSError) as exc:
                    self.refusals.append(f"{candidate}: {getattr(exc, 'code', None) or exc}")
                    continue
                self.url = candidate
                break
            else:
                self.usable = False
                return False
        else:
            self._checked("PUT", graph, chunks[0])
        for chunk in chunks[1:]:
            self._checked("POST", graph, chunk)
        return True

    def _checked(self, method: str, graph: str, lines: list[str]) -> None:
        try:
            self._request(method, self.url, graph, lines)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"the SPARQL server {self.url!r} refused graph {graph!r} ({exc.code}): {detail}") from exc
        except OSError as exc:
            raise StoreError(f"the SPARQL server {self.url!r} does not answer: {exc}") from exc

    def _request(self, method: str, url: str, graph: str, lines: list[str]) -> None:
        # N-Triples lines are Turtle, the one syntax every Graph Store endpoint reads
        body = ("\n".join(lines) + "\n").encode("utf-8")
        target = f"{url}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(target, data=body, method=method,
                                         headers={"Content-Type": "text/turtle"})
        if self.auth:
            self._authorize(request)
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()

    def _authorize(self, request: urllib.request.Request) -> None:
        """Answer the server's challenge before sending the body.

        A server that refuses a big body unauthenticated closes the connection while it is
        being sent (a broken pipe); a bodiless request fetches the challenge first.
        """
        probe = urllib.request.Request(request.full_url, method="HEAD")
        try:
            with urllib.request.urlopen(probe, timeout=60) as response:
                response.read()
            return  # no authentication asked
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(rest)))
            answer = self.digest.get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
                return
        token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
        request.add_unredirected_header("Authorization", f"Basic {token}")


def _graph_store_urls(url: str, authenticated: bool) -> list[str]:
    """Where a server's Graph Store Protocol endpoint usually is, given its SPARQL URL."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    paths = []
    head, _, last = path.rpartition("/")
    if last == "sparql":  # Virtuoso
        paths += [path + "-graph-crud-auth"] if authenticated else []
        paths.append(path + "-graph-crud")
    if last in ("sparql", "query", "update"):  # Fuseki: /DATASET/sparql -> /DATASET/data
        paths.append(head + "/data")
    if "/repositories/" in path:  # RDF4J, GraphDB
        base = path.split("/statements")[0]
        paths.append(base + "/rdf-graphs/service")
    return [urllib.parse.urlunsplit(parts._replace(path=p, query="")) for p in dict.fromkeys(paths)]


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
