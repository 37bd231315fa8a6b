"""Every route of ``kg serve``, and the one way a request is read: the endpoint's HTTP layer.

Routes (:func:`routes`): ``/sparql`` (the SPARQL 1.1 Protocol, GET and POST), ``POST /screen``
(``kg screen`` over HTTP), ``/entity/...`` (the pages of ``kg site``), ``/`` and ``/page.js``
(the query page). Every body goes through :func:`read_body` (a size limit, checked against
``Content-Length`` first, and one deadline for the whole body), every JSON body through
:func:`read_json` (nesting depth checked by a linear scan before the parser runs), every query
string and form through :func:`read_params` (at most ``max_params`` pairs, in one pass).

Every answer passes :class:`Guard`, which refuses before any route runs:

- a ``Host`` the endpoint does not serve (DNS rebinding), with 403;
- a request another site's page made a browser send (``Sec-Fetch-Site`` or ``Origin`` naming
  another origin) that costs work or changes state: every POST, and GET ``/sparql`` with
  parameters unless it is a top-level navigation; with 403;
- more than ``max_client_requests`` requests at once from one client address, with 503;

and adds ``X-Content-Type-Options: nosniff`` to every answer, 404s included. A client that goes
away mid-request or mid-answer costs one log line.

The work itself runs elsewhere: queries and screens in the worker processes
(:mod:`graph.serve.workers`), which have time and memory limits and are killed on timeout; pages in
:class:`graph.outputs.site.Site`; the routes only read, check, hand over and answer.

Examples
--------
>>> read_json(b'{"rows": [{"name": "Acme"}]}', max_depth=8)
{'rows': [{'name': 'Acme'}]}
>>> read_json(b"[" * 20_000, max_depth=8)
Traceback (most recent call last):
...
graph.serve.guard.Refusal: 400: the JSON body nests deeper than 8 levels; send {"rows": [{"name": ...}]}
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import parse_qsl

from graph.serve.guard import Refusal, check
from graph.model.terms import PREFIXES

__all__ = ["routes", "read_body", "read_json", "read_params", "Guard", "error", "request_line", "MAX_JSON_DEPTH"]

#: deepest nesting a JSON body may have ({"rows": [{"identifiers": [...]}]} is 4 deep)
MAX_JSON_DEPTH = 16

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

#: HTTP headers of the query page and its script: from this server alone, no inline script
_PAGE_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
}
_log = logging.getLogger("graph.serve.app")


def routes(state: dict) -> list:
    """Every route of the endpoint.

    ``state`` holds ``settings`` and ``spec`` and, once the application has started, the
    worker ``pool``; ``data`` (optional) is the folder whose texts the entity pages quote.
    """
    from starlette.routing import Route

    settings = state["settings"]

    async def sparql(request):
        try:
            return await _sparql(request, state["pool"], settings)
        except Refusal as exc:
            return error(exc.status, exc.message)

    async def screen(request):
        try:
            return await _screen(request, state["pool"], settings)
        except Refusal as exc:
            from starlette.responses import JSONResponse

            return JSONResponse({"error": exc.message}, status_code=exc.status, headers=_closing(exc.status))

    async def page(request):
        from starlette.responses import HTMLResponse

        from graph.outputs.site import query_page

        return HTMLResponse(query_page(), headers=_PAGE_HEADERS)

    async def script(request):
        from starlette.responses import Response

        from graph.outputs.site import query_script

        return Response(query_script(), media_type="text/javascript", headers=_PAGE_HEADERS)

    return [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/screen", screen, methods=["POST"]),
        Route("/", page, methods=["GET"]),
        Route("/page.js", script, methods=["GET"]),
        *_entity_routes(state),
    ]


# ------------------------------------------------------------------------------ reading requests


async def read_body(request, settings) -> bytes:
    """The request's body: at most ``settings.max_body`` bytes, all of it within ``body_timeout``.

    Raises
    ------
    Refusal
        413 for a body (declared or sent) over the limit, 408 for one that does not arrive in
        time; both answers close the connection (the rest of the body is never read). A client
        that goes away meanwhile raises :class:`ClientGone`.
    """
    import anyio
    from starlette.requests import ClientDisconnect

    limit = settings.max_body
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refusal(413, f"the request body is over {limit} bytes")
    chunks, size = [], 0
    with anyio.move_on_after(settings.body_timeout) as scope:
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise Refusal(413, f"the request body is over {limit} bytes")
                chunks.append(chunk)
        except ClientDisconnect:
            raise ClientGone("while sending its request") from None
    if scope.cancelled_caught:
        raise Refusal(408, f"the request body did not arrive within {settings.body_timeout:g} s")
    return b"".join(chunks)


def read_json(body: bytes, *, max_depth: int = MAX_JSON_DEPTH):
    """``body`` parsed as JSON, its nesting checked first by a linear scan (no recursion).

    Raises
    ------
    Refusal
        400 for a body that is not UTF-8 JSON or nests deeper than ``max_depth``.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refusal(400, f"the body is not UTF-8 (byte {exc.start}); send JSON as UTF-8") from None
    if _depth(text, max_depth) > max_depth:
        raise Refusal(400, f"the JSON body nests deeper than {max_depth} levels; "
                           'send {"rows": [{"name": ...}]}')
    try:
        return json.loads(text or "null")
    except (json.JSONDecodeError, RecursionError) as exc:
        raise Refusal(400, f'the body is not JSON ({exc}); send {{"rows": [{{"name": ...}}]}}') from None


def read_params(query_string: str | bytes, max_params: int = 64) -> dict[str, list[str]]:
    """A query string's or a form's parameters, in one linear pass and at most ``max_params``.

    Raises
    ------
    Refusal
        400 past ``max_params`` parameters or for bytes that are not UTF-8.

    Examples
    --------
    >>> read_params("query=ASK%20%7B%7D&format=json&format=xml")
    {'query': ['ASK {}'], 'format': ['json', 'xml']}
    """
    if isinstance(query_string, bytes):
        try:
            query_string = query_string.decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal(400, "the parameters are not UTF-8") from None
    try:
        pairs = parse_qsl(query_string, keep_blank_values=True, max_num_fields=max_params, errors="strict")
    except ValueError:
        raise Refusal(400, f"more than {max_params} parameters, or parameters that are not UTF-8") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


class ClientGone(Exception):
    """The client closed its connection before the answer was sent (logged in one line)."""


def error(status: int, message: str):
    """A plain-text error answer (``Error 404: ...``); 408 and 413 close the connection."""
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(f"Error {status}: {message}\n", status_code=status,
                             headers={"Cache-Control": "no-store", **_closing(status)})


def _closing(status: int) -> dict[str, str]:
    # after a 408 or 413 the rest of the body is unread: the connection cannot carry another request
    return {"Connection": "close"} if status in (408, 413) else {}


#: an escape inside a string (removed first, so that no quote is escaped), then a whole string
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text: str, limit: int) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, counted up to ``limit + 1``.

    Linear: escapes go first, then strings (no pattern here can backtrack), then the brackets
    left are counted.
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", _ESCAPE.sub("", text))):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


# ------------------------------------------------------------------------------ /sparql


async def _sparql(request, pool, settings):
    import anyio
    from starlette.responses import Response

    params = read_params(request.scope.get("query_string", b""), settings.max_params)
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
        body = await read_body(request, settings)
        if content_type == "application/x-www-form-urlencoded":
            form = read_params(body, settings.max_params)
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


# ------------------------------------------------------------------------------ /screen


async def _screen(request, pool, settings):
    """``POST /screen``: the body checked here, the screen run by a worker (its limits, killed on timeout)."""
    import hashlib

    import anyio
    from starlette.responses import Response

    from graph.errors import ArgumentError, InputError
    from graph.screening.screen import read_request_rows

    body = await read_body(request, settings)
    doc = read_json(body)
    doc = {"rows": doc} if isinstance(doc, list) else doc
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise Refusal(400, "send a JSON object with a 'rows' list, such as {\"rows\": [{\"name\": \"Acme\"}]}")
    if len(doc["rows"]) > settings.max_rows:
        raise Refusal(413, f"{len(doc['rows'])} rows is more than this endpoint screens at once "
                           f"({settings.max_rows}); split the file")
    hops = doc.get("hops", 1)
    if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= 3:
        raise Refusal(400, f"hops must be 1, 2 or 3, not {hops!r}")
    as_of = doc.get("as_of")
    if as_of is not None and not isinstance(as_of, str):
        raise Refusal(400, f"as_of must be a date written YYYY-MM-DD, not {as_of!r}")
    try:
        rows = read_request_rows(doc["rows"])
    except (InputError, ArgumentError) as exc:
        raise Refusal(400, str(exc)) from None
    # the body's part of the answer's record, as a file's is (its digest shows what was screened)
    received = {"file": "request body", "sha256": hashlib.sha256(body).hexdigest(), "kind": "JSON",
                "rows": len(rows), "screened": len(rows), "skipped": 0}
    job = {"kind": "screen", "rows": rows, "as_of": as_of, "hops": hops, "input": received}
    status, payload = await anyio.to_thread.run_sync(pool.run, job, settings.timeout)
    if status == 503 and "time limit" in str(payload):
        payload = f"screening took longer than {settings.timeout:g} s and was stopped; send fewer rows or try again"
    if status != 200:
        raise Refusal(status, payload)
    return Response(payload, media_type="application/json", headers={"Cache-Control": "no-store"})


# ------------------------------------------------------------------------------ /entity/


def _entity_routes(state: dict, prefix: str = "/entity") -> list:
    """The pages of ``kg site``, made on request; the graph is read on the first one, once."""
    import anyio
    from starlette.responses import HTMLResponse, RedirectResponse
    from starlette.routing import Route

    lock = anyio.Lock()

    async def site():
        async with lock:
            if "site" not in state:
                from pathlib import Path

                from graph.outputs.site import Site
                from graph.store.backends import open_graph

                data = state.get("data", "data")
                folder = None if data is None or not Path(data).is_dir() else data
                state["site"] = await anyio.to_thread.run_sync(lambda: Site(open_graph(state["spec"]), data=folder))
        return state["site"]

    async def page(request):
        from graph.outputs.site import PAGE_HEADERS, served_page

        current = await site()
        body = await anyio.to_thread.run_sync(served_page, current, request.path_params.get("path", ""))
        if body is None:
            return error(404, f"no page {request.url.path}")
        return HTMLResponse(body, headers=PAGE_HEADERS)

    async def bare(request):
        return RedirectResponse(f"{prefix}/", status_code=308)

    return [Route(prefix, bare, methods=["GET"]), Route(f"{prefix}/", page, methods=["GET"]),
            Route(prefix + "/{path:path}", page, methods=["GET"])]


# ------------------------------------------------------------------------------ every request


class Guard:
    """ASGI wrapper around every route: see the module's docstring for what it refuses and adds.

    Parameters
    ----------
    app : ASGI application
    settings : graph.serve.app.Settings
        ``hosts`` (None: any Host) and ``max_client_requests``.
    """

    def __init__(self, app, settings) -> None:
        self.app = app
        self.hosts = None if settings.hosts is None else {h.lower() for h in settings.hosts}
        self.per_client = settings.max_client_requests
        self.running: dict[str, int] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])

        async def secured(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                if b"x-content-type-options" not in names:
                    message = {**message, "headers": [*message.get("headers", []),
                                                      (b"x-content-type-options", b"nosniff")]}
            await send(message)

        refused = self._refusal(scope, headers)
        if refused is not None:
            if scope["path"] == "/screen":  # its clients read JSON errors
                from starlette.responses import JSONResponse

                response = JSONResponse({"error": refused[1]}, status_code=refused[0])
            else:
                response = error(*refused)
            return await response(scope, receive, secured)
        client = (scope.get("client") or ("",))[0]
        if self.running.get(client, 0) >= self.per_client:
            response = error(503, f"more than {self.per_client} requests at once from {client}; "
                                  "wait for an answer before sending more")
            response.headers["Connection"] = "close"
            return await response(scope, receive, secured)
        self.running[client] = self.running.get(client, 0) + 1
        try:
            await self.app(scope, receive, secured)
        except ClientGone as exc:
            _log.warning("%s: the client went away %s", request_line(scope), exc)
        except ConnectionError as exc:  # the socket broke while the answer was written
            _log.warning("%s: the client went away mid-answer (%s)", request_line(scope),
                         exc.strerror or type(exc).__name__)
        finally:
            self.running[client] -= 1
            if not self.running[client]:
                del self.running[client]

    def _refusal(self, scope, headers: dict) -> tuple[int, str] | None:
        host = headers.get(b"host")
        if self.hosts is not None and host is not None and _hostname(host.decode("latin-1")) not in self.hosts:
            return 403, "the Host header names no address this endpoint serves"
        if _costly(scope) and _cross_site(scope, headers):
            return 403, ("a page of another site asked for this: the endpoint answers costly requests only "
                         "to its own pages and to programs (curl, SPARQL clients)")
        return None


def request_line(scope) -> str:
    """``GET /path`` of a request, for a log line: its path cut to 200 characters, control and
    direction characters shown escaped (the path is percent-decoded: ``/%1b[2J`` would clear the
    operator's terminal)."""
    from graph.io.tables import shown

    return f"{scope.get('method', '')} {shown(scope.get('path', '')[:200])}"


def _costly(scope) -> bool:
    """A request that changes state or costs a worker: every POST, and a GET of ``/sparql`` with parameters.

    Any parameter counts, not only a key spelled ``query``: keys are percent-decoded before they
    are read (``%71uery=`` is ``query=``), and ``/sparql`` without parameters is its description.
    """
    if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
        return True
    return scope["path"] == "/sparql" and bool(scope.get("query_string", b"").strip(b"&"))


def _cross_site(scope, headers: dict) -> bool:
    """Did a browser send this for a page of another origin? (``Sec-Fetch-Site``, else ``Origin``.)"""
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1").strip().lower()
    if site:
        if site in ("same-origin", "none"):
            return False
        # a link followed to a query (a top-level GET navigation) reads, it does not act for the page
        return not (scope["method"] == "GET" and headers.get(b"sec-fetch-mode", b"").strip().lower() == b"navigate")
    origin = headers.get(b"origin")
    if origin is None:
        return False  # not a browser's cross-origin request: curl, SPARQL clients, a same-origin GET
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    own = {f"{scope.get('scheme', 'http')}://{host}"}
    return origin.decode("latin-1").strip().lower() not in own


def _hostname(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value
