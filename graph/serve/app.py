"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the graph (Starlette on uvicorn).

``/sparql`` answers GET and POST (urlencoded or ``application/sparql-query``) with SPARQL JSON,
XML, CSV or TSV results, CONSTRUCT and DESCRIBE graphs as Turtle, N-Triples, JSON-LD or RDF/XML,
and, without a query, a service description. ``POST /screen`` is ``kg screen`` over HTTP,
``/entity/...`` the pages of ``kg site``, ``/`` a small query page that needs no network.

This module holds the server: its :class:`Settings`, the application (:func:`create_app`, whose
lifespan starts and stops the worker processes) and the uvicorn run (:func:`serve`). The routes
and the reading of requests are :mod:`graph.serve.http`; what a connection may hold is
:mod:`graph.serve.connections`; the queries and screens run in :mod:`graph.serve.workers`.

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
  ``max_params`` of them, bodies at most ``max_body`` bytes and ``body_timeout`` seconds, the
  headers of every request of a connection must arrive within ``body_timeout`` too, and JSON
  nesting is checked before parsing;
- answers are bounded: ``max_rows`` rows, ``max_answer`` bytes (413), ``timeout`` seconds and
  ``memory`` MiB per worker (503); a query that computes drops to the lowest CPU priority, and
  past ``short`` seconds runs on in a long lane (a third as many as the workers, whose places
  among the short queries' workers a reserve takes) or gives way (503) when a request waits or
  no other worker is free, so short queries always find a worker;
- clients are bounded: ``max_connections`` open at once (within the file descriptors),
  ``max_client_connections`` and ``max_client_requests`` per client address (an address:
  clients behind one proxy share its caps), and an answer left unread for ``send_timeout``
  seconds closes its connection;
- the ``Host`` header must name an address served (DNS rebinding), a request another site's
  page made a browser send is refused when it costs work, every answer carries ``nosniff``,
  pages carry a strict CSP;
- it binds to 127.0.0.1 unless told otherwise.

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

from graph.serve.connections import connection_protocol, quiet_logs
from graph.errors import ServeError, StoreError
from graph.serve.guard import Refusal, check, refusal
from graph.serve.http import Guard, read_params, routes
from graph.store.backends import engine, open_graph
from graph.store.specs import StoreSpec, parse_spec
from graph.serve.workers import Pool, can_leave_network

__all__ = ["Settings", "create_app", "routes", "serve", "bind", "refusal", "Refusal", "read_params"]

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
        Seconds after which a query that computes counts as long (one that has computed for a
        tenth of them already runs at the lowest CPU priority): it runs on in a long lane (a
        third as many as the workers, each leaving its worker to short queries) or, beyond them,
        gives way (503) when a request waits.
    body_timeout : float
        Seconds a client may take to send its headers or its body (408 past them).
    max_params : int
        Most parameters in a query string or form (400 past it).
    hosts : tuple of str or None
        Names the ``Host`` header may carry (None: any, for an endpoint bound to every address).
    max_connections : int
        Most connections open at once (:func:`serve` lowers it to fit the process's file
        descriptors). A new one past it takes the place of the connection that has waited
        longest for its request's headers, or gets 503 when every one is busy.
    max_client_connections : int
        The same, for the connections of one client address.
    max_client_requests : int
        Most requests of one client address being answered at once (503 past it).
    send_timeout : float
        Seconds a client may leave a full send buffer of its answer unread before its connection
        is closed (:mod:`graph.serve.connections`).
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
    short: float = 0.5
    body_timeout: float = 10.0
    max_params: int = 64
    hosts: tuple[str, ...] | None = LOOPBACK
    max_connections: int = 1000
    max_client_connections: int = 128
    max_client_requests: int = 32
    send_timeout: float = 30.0
    allow_network_in_queries: bool = False


def create_app(spec: str | Path | StoreSpec | None = None, settings: Settings | None = None, *,
               data: str | Path | None = "data"):
    """The ASGI application serving the graph named by ``spec``, with every route of :mod:`graph.serve.http`.

    ``spec`` is a graph file or ``oxigraph:DIR`` (each worker loads or opens it). Workers
    start with the application (its lifespan) and stop with it. ``data`` is the folder whose
    texts the entity pages quote (None, or a folder that does not exist: quotes alone).

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
    state: dict = {"settings": settings, "spec": parsed, "data": data}

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
    return Guard(app, settings)


_NO_WALL = ("the query workers cannot be cut off from the network here (unshare is denied, as under Docker's "
            "default seccomp profile or a user-namespace restriction); run kg serve where they can, or pass "
            "--allow-network-in-queries to rely on the query check alone")


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
    protocol = connection_protocol(settings)
    config = uvicorn.Config(app, log_level="warning", http=protocol, timeout_keep_alive=5,
                            h11_max_incomplete_event_size=4 * settings.max_body + 8192)
    quiet_logs()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
