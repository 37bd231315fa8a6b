"""A read-only SPARQL 1.1 Protocol endpoint over the graph (Starlette on uvicorn).

``/sparql`` answers GET and POST (urlencoded or ``application/sparql-query``) with SPARQL JSON,
XML, CSV or TSV results, CONSTRUCT and DESCRIBE graphs as Turtle, N-Triples, JSON-LD or RDF/XML,
and, without a query, a service description. ``/`` is a small query page that needs no network
and lists the named queries.

Names in the graph come from untrusted text and the endpoint may face a network, so:

- it is read only: updates (``update=``, ``application/sparql-update``, ``INSERT``, ``LOAD`` ...)
  are refused with 403;
- it makes no outbound request: :func:`graph.serve.guard.check` parses the query, refuses ``SERVICE``
  (unless ``allow_service``) and ``FROM`` a graph the store does not hold, and the engine runs
  the text written from that parse, never the client's; a ``default-graph-uri`` /
  ``named-graph-uri`` it does not hold is an empty graph (never fetched), and the query workers
  have no network at all (:mod:`graph.serve.workers`): where they cannot be cut off from it, the
  endpoint does not start unless ``allow_network_in_queries`` says so;
- requests are bounded before any work: parameters are parsed once, linearly, at most
  ``max_params`` of them, bodies at most ``max_body`` bytes and ``body_timeout`` seconds,
  headers must arrive within ``body_timeout`` too;
- answers are bounded: ``max_rows`` rows, ``max_answer`` bytes (413), ``timeout`` seconds and
  ``memory`` MiB per worker (503); long queries (past ``short`` seconds) run at the lowest CPU
  priority and hold at most a third of the workers; beyond that they give way (503) when a
  request waits or no other worker is free, so short queries always find a worker;
- the ``Host`` header must name an address served (DNS rebinding), pages carry a strict CSP;
- it binds to 127.0.0.1 unless told otherwise.

Routes are a list (:func:`routes`): a new page is an ``async def handler(request)`` and one
``Route`` line; every route gets the Host check and the security headers.

Examples
--------
>>> from starlette.testclient import TestClient
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('<https://e.org/a> <https://e.org/name> "A" .')
>>> with TestClient(create_app(path, Settings(workers=1)), base_url="http://127.0.0.1") as client:
...     client.get("/sparql", params={"query": "SELECT ?n { ?s ?p ?n }"},
...                headers={"Accept": "text/csv"}).text
'n\\r\\nA\\r\\n'
"""

from __future__ import annotations

import dataclasses
import errno
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from graph.errors import ServeError, StoreError
from graph.serve.guard import Refusal, check, refusal
from graph.store.backends import engine, open_graph
from graph.store.specs import StoreSpec, parse_spec
from graph.model.terms import PREFIXES
from graph.serve.workers import Pool, can_leave_network

__all__ = ["Settings", "create_app", "routes", "serve", "bind", "refusal", "Refusal", "read_params"]

#: media type -> result format, for SELECT and ASK
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: media type -> RDF format, for CONSTRUCT and DESCRIBE (N3 clients read Turtle)
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n3": "turtle",
    "application/x-json+ld": "jsonld",
    "text/plain": "ntriples",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
#: broad types that name no SPARQL format: a ``format=`` parameter wins over them
_GENERIC = {"application/json", "application/xml", "text/xml", "text/plain"}
#: the media type answered for each format
_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
          "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ntriples": "application/n-triples",
          "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
#: the ``format=`` parameter's names (the query page offers the first seven)
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
#: what a format name means for a CONSTRUCT or DESCRIBE (SPARQLWrapper sends xml, json, n3 ...)
_GRAPH_NAMES = {"xml": "rdfxml", "rdf+xml": "rdfxml", "rdfxml": "rdfxml", "json": "jsonld", "json-ld": "jsonld",
                "jsonld": "jsonld", "turtle": "turtle", "n3": "turtle", "ntriples": "ntriples", "nt": "ntriples"}
_RESULT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Settings:
    """The endpoint's limits.

    Parameters
    ----------
    timeout : float
        Seconds a request may wait for a worker and run; past them its worker is killed (503).
    max_rows : int
        Most solutions (or triples) in one answer; past it, 413.
    max_body : int
        Most bytes in a request body or a query.
    workers : int
        Worker processes, each with its own copy of the store (one more waits in reserve).
    allow_service : bool
        Let ``SERVICE`` reach other endpoints (off: no outbound requests, workers off the network).
    memory : int or None
        Each worker's memory cap in MiB (503 and a new worker past it); None: no cap.
    max_answer : int
        Most bytes in one answer; past it, 413.
    short : float
        Seconds after which a query counts as long: it runs at the lowest CPU priority, and
        beyond a third of the workers (at least one) it gives way (503) when a request waits.
    body_timeout : float
        Seconds a client may take to send its headers or its body (408 past them).
    max_params : int
        Most parameters in a query string or form (400 past it).
    hosts : tuple of str or None
        Names the ``Host`` header may carry (None: any, for an endpoint bound to every address).
    allow_network_in_queries : bool
        Start even where the workers cannot leave the network (``unshare`` denied): the query
        check is then the only wall between a query and the network.
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 64 * 1024
    workers: int = 4
    allow_service: bool = False
    memory: int | None = 1024
    max_answer: int = 16 * 1024 * 1024
    short: float = 0.25
    body_timeout: float = 10.0
    max_params: int = 64
    hosts: tuple[str, ...] | None = LOOPBACK
    allow_network_in_queries: bool = False


def create_app(spec: str | Path | StoreSpec | None = None, settings: Settings | None = None):
    """The ASGI application serving the graph named by ``spec``.

    ``spec`` is a graph file or ``oxigraph:DIR`` (each worker loads or opens it). Workers
    start with the application (its lifespan) and stop with it.

    Raises
    ------
    ServeError
        The workers cannot be cut off from the network here, and neither ``allow_service`` nor
        ``allow_network_in_queries`` allows that.
    StoreError
        ``spec`` names ``memory`` or a ``sparql:`` server (serve a file or an Oxigraph store).
    GraphNotFoundError, InputError
        The graph cannot be opened (checked once before any worker starts).
    """
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette

    settings = settings or Settings()
    parsed = parse_spec(spec)
    if parsed.kind not in ("file", "oxigraph"):
        raise StoreError(f"kg serve serves a graph file or an oxigraph:DIR store, not {str(parsed)!r}")
    if engine(open_graph(parsed)) != "oxigraph":  # fail here, with the file's own error
        raise StoreError(f"cannot serve {str(parsed)!r}")
    walled = not settings.allow_service
    if walled and not settings.allow_network_in_queries and not can_leave_network():
        raise ServeError(_NO_WALL)
    state: dict = {"settings": settings, "spec": parsed}

    @asynccontextmanager
    async def lifespan(app):
        state["pool"] = Pool(str(parsed), settings.workers, memory=settings.memory, short=settings.short,
                             walled=not settings.allow_service)
        app.state.pool = state["pool"]
        if walled and not state["pool"].walled:
            if not settings.allow_network_in_queries:
                state["pool"].close()
                raise ServeError(_NO_WALL)
            # the operator said so: the query check alone refuses SERVICE
            print("warning: the query workers could not leave the network (no network namespace here); "
                  "SERVICE is still refused by the query check", file=sys.stderr)
        try:
            yield
        finally:
            state["pool"].close()

    app = Starlette(routes=routes(state), lifespan=lifespan)
    app.state.settings = settings
    return _Guard(app, settings)


_NO_WALL = ("the query workers cannot be cut off from the network here (unshare is denied, as under Docker's "
            "default seccomp profile or a user-namespace restriction); run kg serve where they can, or pass "
            "--allow-network-in-queries to rely on the query check alone")


def routes(state: dict) -> list:
    """The endpoint's routes; ``state`` holds ``settings`` and, once started, the worker ``pool``."""
    from starlette.routing import Route

    async def sparql(request):
        try:
            return await _answer(request, state["pool"], state["settings"])
        except Refusal as exc:
            return _error(exc.status, exc.message)

    async def page(request):
        from starlette.responses import HTMLResponse

        return HTMLResponse(_page(), headers=_PAGE_HEADERS)

    async def script(request):
        from starlette.responses import Response

        return Response(_script(), media_type="text/javascript", headers=_PAGE_HEADERS)

    from graph.screening.screen import screen_route  # POST /screen: kg screen over HTTP, within the same limits
    from graph.outputs.site import routes as site_routes  # the entity pages of `kg site`, under /entity/

    return [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/", page, methods=["GET"]),
        Route("/page.js", script, methods=["GET"]),
        screen_route(state["spec"], state["settings"]),
        *site_routes(state["spec"]),
    ]


def bind(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A listening socket on ``host``:``port``, bound before anything is announced.

    Raises
    ------
    ServeError
        The port is taken, or the address cannot be bound here.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use; stop what listens there "
                             f"or choose another with --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def serve(spec=None, *, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None,
          announce=None) -> None:
    """Run the endpoint with uvicorn until interrupted (loopback unless ``host`` says otherwise).

    The port is bound first; ``announce(url)`` is called only then, so a busy port is one
    :class:`ServeError` and no URL.
    """
    import uvicorn

    settings = settings or Settings()
    if settings.hosts is not None and host not in settings.hosts:
        # a wildcard address answers any name; a named one adds itself to loopback's
        hosts = None if host in ("0.0.0.0", "::", "") else (*settings.hosts, host)
        settings = dataclasses.replace(settings, hosts=hosts)
    app = create_app(spec, settings)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    if announce is not None:
        shown = f"[{host}]" if ":" in host else host
        announce(f"http://{shown}:{bound}/sparql")
    config = uvicorn.Config(app, log_level="warning", http=_protocol(settings),
                            h11_max_incomplete_event_size=4 * settings.max_body + 8192)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def read_params(query_string: str | bytes, settings: Settings) -> dict[str, list[str]]:
    """A query string's or a form's parameters, in one linear pass and at most ``max_params``.

    Raises
    ------
    Refusal
        400 past ``max_params`` parameters or for bytes that are not UTF-8.

    Examples
    --------
    >>> read_params("query=ASK%20%7B%7D&format=json&format=xml", Settings())
    {'query': ['ASK {}'], 'format': ['json', 'xml']}
    """
    if isinstance(query_string, bytes):
        try:
            query_string = query_string.decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal(400, "the parameters are not UTF-8") from None
    try:
        pairs = parse_qsl(query_string, keep_blank_values=True, max_num_fields=settings.max_params,
                          errors="strict")
    except ValueError:
        raise Refusal(400, f"more than {settings.max_params} parameters, or parameters that are not UTF-8") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


# ------------------------------------------------------------------------------ requests


async def _answer(request, pool: Pool, settings: Settings):
    import anyio
    from starlette.responses import Response

    params = read_params(request.scope.get("query_string", b""), settings)
    if request.method == "GET":
        if "update" in params:
            raise Refusal(403, "this endpoint is read only: updates are refused")
        if "query" not in params:
            return _service_description(request, pool.graphs)
    else:
        content_type, _, options = request.headers.get("content-type", "").partition(";")
        content_type = content_type.strip().lower()
        charset = options.strip().lower().removeprefix("charset=").strip('"') if "charset" in options.lower() else ""
        if content_type == "application/sparql-update":
            raise Refusal(403, "this endpoint is read only: updates are refused")
        if charset not in ("", "utf-8", "utf8"):
            raise Refusal(415, f"send the query as UTF-8, not {charset!r}")
        body = await _read_body(request, settings)
        if content_type == "application/x-www-form-urlencoded":
            form = read_params(body, settings)
            if "update" in form:
                raise Refusal(403, "this endpoint is read only: updates are refused")
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif content_type == "application/sparql-query":
            if "query" in params:
                raise Refusal(400, "give exactly one query: in the body or in the URL, not both")
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise Refusal(400, "the query is not UTF-8") from None
        else:
            raise Refusal(415, f"POST a query as application/sparql-query or a form, not {content_type or 'nothing'!r}")
    queries = params.get("query") or [""]
    if len(queries) != 1 or not queries[0].strip():
        raise Refusal(400, "give exactly one query")
    text = queries[0]
    if len(text.encode("utf-8")) > settings.max_body:
        raise Refusal(413, f"the query is longer than {settings.max_body} bytes")
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    # the engine runs the text written from the checked parse, never the client's (graph.serve.guard)
    checked = check(text, pool.graphs, allow_service=settings.allow_service, prefixes=prefixes)
    form = checked.form
    media_type, fmt = _negotiate(form, request.headers.get("accept", ""), params.get("format", []))
    # a protocol graph the store does not hold is an empty graph: the engine reads only the store
    # relative IRIs resolve against the endpoint's own URL (the protocol's service-defined base)
    job = {"query": checked.text, "format": fmt, "max_rows": settings.max_rows, "max_answer": settings.max_answer,
           "default": params.get("default-graph-uri", []), "named": params.get("named-graph-uri", []),
           "base": str(request.url.replace(query=""))}
    status, payload = await anyio.to_thread.run_sync(pool.run, job, settings.timeout)
    if status != 200:
        raise Refusal(status, payload)
    return Response(payload, media_type=media_type, headers={"Cache-Control": "no-store"})


async def _read_body(request, settings: Settings) -> bytes:
    import anyio

    limit = settings.max_body
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refusal(413, f"the request body is over {limit} bytes")
    chunks, size = [], 0
    with anyio.move_on_after(settings.body_timeout) as scope:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refusal(413, f"the request body is over {limit} bytes")
            chunks.append(chunk)
    if scope.cancelled_caught:
        raise Refusal(408, f"the request body did not arrive within {settings.body_timeout:g} s")
    return b"".join(chunks)


def _negotiate(form: str, accept: str, format_names: list[str]) -> tuple[str, str]:
    """(media type, format) for the answer: a SPARQL media type the client accepts, else the
    ``format=`` parameter, else a broad type or wildcard it accepts, else 406."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table, names = (GRAPH_TYPES, _GRAPH_NAMES) if graph else (RESULT_TYPES, _RESULT_NAMES)
    ranked = []
    for position, item in enumerate(accept.split(",")[:64]):
        media, *options = [part.strip() for part in item.split(";")]
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, position, media.lower()))
    accepted = [media for _, _, media in sorted(ranked)] or ["*/*"]
    for media in accepted:
        if media in table and media not in _GENERIC:
            return _MEDIA[table[media]], table[media]
    for name in format_names:
        name = name.strip().lower()
        fmt = names.get(name) or table.get(name)
        if fmt:
            return _MEDIA[fmt], fmt
    default = "turtle" if graph else "json"
    for media in accepted:
        if media in table:
            return _MEDIA[table[media]], table[media]
        if media in ("*/*", "application/*", "text/*") or media.startswith("text/html"):
            return _MEDIA[default], default
    offered = ", ".join(sorted({_MEDIA[f] for f in table.values()}))
    if format_names:
        raise Refusal(406, f"format {format_names[0]!r} does not fit a {form or 'SELECT'} query; use one of {offered}")
    raise Refusal(406, f"cannot answer a {form or 'SELECT'} query as {accept[:200]!r}; ask for one of {offered}")


def _error(status: int, message: str):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(f"Error {status}: {message}\n", status_code=status,
                             headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def _service_description(request, graphs: frozenset[str]):
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF
    from starlette.responses import Response

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    service = URIRef(str(request.url.replace(query="")))
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, sd.resultFormat, formats[name]))
    dataset = BNode("dataset")
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    for name in sorted(graphs):
        named = BNode(f"g{sorted(graphs).index(name)}")
        g.add((dataset, sd.namedGraph, named))
        g.add((named, sd.name, URIRef(name)))
    g.add((service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
           Literal("exposure-kg read-only SPARQL 1.1 endpoint; the default graph is the union of the named graphs")))
    return Response(g.serialize(format="turtle"), media_type="text/turtle")


# ------------------------------------------------------------------------------ every route


class _Guard:
    """ASGI wrapper: the Host check (against DNS rebinding) and ``nosniff`` on every answer."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.hosts = None if settings.hosts is None else {h.lower() for h in settings.hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and self.hosts is not None:
            host = next((v for k, v in scope["headers"] if k == b"host"), None)
            if host is not None and _hostname(host.decode("latin-1")) not in self.hosts:
                response = _error(403, "the Host header names no address this endpoint serves")
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _hostname(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _protocol(settings: Settings):
    """uvicorn's h11 protocol, closing connections whose request headers do not arrive in time."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._header_timer = self.loop.call_later(settings.body_timeout, self._headers_too_slow)

        def _headers_too_slow(self) -> None:
            if self.cycle is None and not self.transport.is_closing():
                self.transport.close()

        def connection_lost(self, exc) -> None:
            self._header_timer.cancel()
            super().connection_lost(exc)

    return Protocol


# ------------------------------------------------------------------------------ the query page


_PAGE_HEADERS = {
    # the page and its script come from this server alone: no CDN, no inline script
    "Content-Security-Policy": ("default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
}


def _page() -> str:
    from graph.outputs.site import query_page  # the page lives with the other pages, in a template

    return query_page()


def _script() -> str:
    from graph.outputs.site import query_script

    return query_script()
