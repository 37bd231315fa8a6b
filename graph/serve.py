"""A read-only SPARQL 1.1 Protocol endpoint over the graph (Starlette on uvicorn).

``/sparql`` answers GET and POST (urlencoded or ``application/sparql-query``) with SPARQL JSON,
XML, CSV or TSV results, CONSTRUCT and DESCRIBE graphs as Turtle, N-Triples or JSON-LD, and,
without a query, a service description. ``/`` is a small query page that needs no network
and lists the named queries.

Names in the graph come from untrusted text and the endpoint may face a network, so:

- it is read only: updates (``update=``, ``application/sparql-update``, ``INSERT``, ``LOAD``,
  ``CLEAR``, ``DROP`` ...) are refused with 403;
- it makes no outbound request: ``SERVICE`` is refused unless ``allow_service`` is set, and
  ``FROM`` / ``default-graph-uri`` may name only graphs the store holds;
- each query runs in a worker process that is killed when the time limit passes (503), and a
  result over the row limit is refused (413) rather than streamed without end;
- a malformed query gets 400 with the parser's message; a body over ``max_body`` bytes 413;
- it binds to 127.0.0.1 unless told otherwise.

Examples
--------
>>> from starlette.testclient import TestClient
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('<https://e.org/a> <https://e.org/name> "A" .')
>>> with TestClient(create_app(path, Settings(workers=1))) as client:
...     client.get("/sparql", params={"query": "SELECT ?n { ?s ?p ?n }"},
...                headers={"Accept": "text/csv"}).text
'n\\r\\nA\\r\\n'
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from .errors import StoreError
from .store import StoreSpec, engine, open_graph, parse_spec
from .terms import PREFIXES
from .workers import Pool

__all__ = ["Settings", "create_app", "serve", "refusal", "Refusal"]

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}

#: media type -> result format, for SELECT and ASK
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: media type -> RDF format, for CONSTRUCT and DESCRIBE
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
}
#: the ``format=`` parameter's names (also offered by the query page)
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class Settings:
    """The endpoint's limits.

    Parameters
    ----------
    timeout : float
        Seconds a query may run before its worker is killed and the client gets 503.
    max_rows : int
        Most solutions (or triples) in one answer; past it, 413.
    max_body : int
        Most bytes in a request body or a query string's query.
    workers : int
        Worker processes, each with its own copy of the store; requests beyond them wait
        up to ``timeout`` for one to be free, then get 503.
    allow_service : bool
        Let ``SERVICE`` reach other endpoints (off: no outbound requests).
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 64 * 1024
    workers: int = 2
    allow_service: bool = False


class Refusal(Exception):
    """A request the endpoint will not run: an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


def create_app(spec: str | Path | StoreSpec | None = None, settings: Settings | None = None):
    """The Starlette application serving the graph named by ``spec``.

    ``spec`` is a graph file or ``oxigraph:DIR`` (each worker loads or opens it). Workers
    start with the application (its lifespan) and stop with it.

    Raises
    ------
    StoreError
        ``spec`` names ``memory`` or a ``sparql:`` server (serve a file or an Oxigraph store).
    GraphNotFoundError, InputError
        The graph cannot be opened (checked once before any worker starts).
    """
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.routing import Route

    settings = settings or Settings()
    parsed = parse_spec(spec)
    if parsed.kind not in ("file", "oxigraph"):
        raise StoreError(f"kg serve serves a graph file or an oxigraph:DIR store, not {str(parsed)!r}")
    if engine(open_graph(parsed)) != "oxigraph":  # fail here, with the file's own error
        raise StoreError(f"cannot serve {str(parsed)!r}")
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app):
        state["pool"] = Pool(str(parsed), settings.workers)
        try:
            yield
        finally:
            state["pool"].close()

    async def sparql(request):
        try:
            return await _answer(request, state["pool"], settings)
        except Refusal as exc:
            return _error(exc.status, exc.message)

    async def page(request):
        from starlette.responses import HTMLResponse

        return HTMLResponse(_page(), headers=_PAGE_HEADERS)

    async def script(request):
        from starlette.responses import Response

        return Response(_SCRIPT, media_type="text/javascript", headers=_PAGE_HEADERS)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/", page, methods=["GET"]),
        Route("/page.js", script, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def serve(spec=None, *, host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    """Run the endpoint with uvicorn until interrupted (loopback unless ``host`` says otherwise)."""
    import uvicorn

    uvicorn.run(create_app(spec, settings), host=host, port=port, log_level="warning")


def refusal(text: str, settings: Settings, graphs: frozenset[str]) -> tuple[str, list[str], list[str]]:
    """Check a query against the endpoint's rules; return its form and the graphs it names.

    Raises
    ------
    Refusal
        403 for an update, for ``SERVICE`` (unless allowed) and for ``FROM`` a graph the store
        does not hold.

    Examples
    --------
    >>> refusal("DROP ALL", Settings(), frozenset())
    Traceback (most recent call last):
    ...
    graph.serve.Refusal: 403: this endpoint is read only: DROP is an update
    >>> refusal("SELECT * { ?s ?p 'SERVICE' }", Settings(), frozenset())[0]
    'SELECT'
    """
    tokens = list(_tokens(text))
    prefixes = {f"{p}:": str(ns) for p, ns in PREFIXES.items()}
    form = None
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper()
        if kind == "word" and upper == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1][1]] = tokens[i + 2][1][1:-1]
            i += 3
            continue
        if kind == "word" and upper == "BASE":
            i += 2
            continue
        form = upper if kind == "word" else None
        break
    if form in UPDATE_WORDS:
        raise Refusal(403, f"this endpoint is read only: {form} is an update")
    words = [value.upper() for kind, value in tokens if kind == "word"]
    if not settings.allow_service and "SERVICE" in words:
        raise Refusal(403, "SERVICE is refused: this endpoint makes no outbound requests")
    default, named = [], []
    for i, (kind, value) in enumerate(tokens):
        if kind != "word" or value.upper() != "FROM" or i + 1 >= len(tokens):
            continue
        j = i + 1
        target = named if tokens[j][1].upper() == "NAMED" else default
        j += 1 if target is named else 0
        if j >= len(tokens):
            continue
        tkind, tvalue = tokens[j]
        iri = tvalue[1:-1] if tkind == "iri" else _expand(tvalue, prefixes) if tkind == "pname" else None
        if iri is not None:
            target.append(iri)
    for iri in default + named:
        if iri not in graphs:
            raise Refusal(403, f"FROM <{iri}> names no graph of this store; this endpoint makes no outbound requests")
    return form or "", default, named


# ------------------------------------------------------------------------------ requests


async def _answer(request, pool: Pool, settings: Settings):
    import anyio
    from starlette.responses import Response

    if request.method == "GET":
        params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
        if "update" in params:
            raise Refusal(403, "this endpoint is read only: updates are refused")
        if "query" not in params:
            return _service_description(request, pool.graphs)
    else:
        body = await _read_body(request, settings.max_body)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
        if content_type == "application/sparql-update":
            raise Refusal(403, "this endpoint is read only: updates are refused")
        if content_type == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise Refusal(400, "the form is not UTF-8") from None
            if "update" in form:
                raise Refusal(403, "this endpoint is read only: updates are refused")
            params.update(form)
        elif content_type == "application/sparql-query":
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
    form, _, _ = refusal(text, settings, pool.graphs)
    for key in ("default-graph-uri", "named-graph-uri"):
        for iri in params.get(key, []):
            if iri not in pool.graphs:
                raise Refusal(403, f"{key} <{iri}> names no graph of this store; this endpoint makes no outbound requests")
    media_type, fmt = _negotiate(form, request.headers.get("accept", ""), (params.get("format") or [None])[0])
    # graphs named by FROM in the query are the engine's business; the protocol's own go along
    job = {"query": text, "format": fmt, "max_rows": settings.max_rows,
           "default": params.get("default-graph-uri", []), "named": params.get("named-graph-uri", [])}
    status, payload = await anyio.to_thread.run_sync(pool.run, job, settings.timeout)
    if status != 200:
        raise Refusal(status, payload)
    return Response(payload, media_type=media_type, headers={"Cache-Control": "no-store"})


async def _read_body(request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refusal(413, f"the request body is over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refusal(413, f"the request body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _negotiate(form: str, accept: str, format_name: str | None) -> tuple[str, str]:
    table = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    if format_name:
        media = FORMAT_NAMES.get(format_name.lower(), format_name.lower())
        if media in table:
            return media, table[media]
        raise Refusal(406, f"format {format_name!r} does not fit a {form or 'SELECT'} query; "
                           f"use one of {', '.join(sorted(table))}")
    ranked = []
    for position, item in enumerate(accept.split(",")):
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
    if not ranked:
        ranked = [(0, 0, "*/*")]
    default = next(iter(table))
    for _, _, media in sorted(ranked):
        if media in table:
            return media, table[media]
        if media in ("*/*", "application/*", "text/*") or media.startswith("text/html"):
            return default, table[default]
    raise Refusal(406, f"cannot answer a {form or 'SELECT'} query as {accept!r}; "
                       f"ask for one of {', '.join(sorted(table))}")


def _error(status: int, message: str):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(f"Error {status}: {message}\n", status_code=status,
                             headers={"Cache-Control": "no-store"})


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
                 "Turtle", "N-Triples", "JSON-LD"):
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


# ------------------------------------------------------------------------------ tokens


_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>\S)
""", re.VERBOSE)


def _tokens(text: str):
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("comment", "other", "string", "var"):
            continue
        yield kind, match.group(kind)


def _expand(pname: str, prefixes: dict[str, str]) -> str | None:
    prefix, _, local = pname.partition(":")
    namespace = prefixes.get(prefix + ":")
    return None if namespace is None else namespace + local


# ------------------------------------------------------------------------------ the query page


_PAGE_HEADERS = {
    # the page and its script come from this server alone: no CDN, no inline script
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def _page() -> str:
    from .sparql import named_queries

    items = []
    for named in named_queries().values():
        params = "".join(f"<li><code>?{html.escape(p.name)}</code> ({html.escape(p.type)}) {html.escape(p.help)}</li>"
                         for p in named.params)
        items.append(
            f'<details><summary><code>{html.escape(named.name)}</code>: {html.escape(named.description)}</summary>'
            f'{"<ul>" + params + "</ul>" if params else ""}'
            f'<pre class="named">{html.escape(named.text)}</pre>'
            f'<button type="button" class="use">Use this query</button></details>'
        )
    formats = "".join(f'<option value="{name}">{name}</option>' for name in FORMAT_NAMES)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>exposure-kg SPARQL</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:1em auto}}textarea{{width:100%;height:16em;font-family:monospace}}pre{{background:#f4f4f4;padding:.5em;overflow:auto}}</style>
</head><body>
<h1>exposure-kg SPARQL endpoint</h1>
<p>Read only. The default graph is the union of every source's graph. Endpoint: <code>/sparql</code>.</p>
<form method="get" action="sparql">
<textarea name="query" id="query">SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 10</textarea>
<p><label>Format <select name="format">{formats}</select></label> <button type="submit">Run</button></p>
</form>
<h2>Named queries</h2>
{"".join(items)}
<script src="page.js"></script>
</body></html>
"""


_SCRIPT = """document.querySelectorAll("button.use").forEach(function (button) {
  button.addEventListener("click", function () {
    document.getElementById("query").value = button.parentElement.querySelector("pre.named").textContent;
  });
});
"""


# ------------------------------------------------------------------------------ POST /screen
# Screening over HTTP (graph/screen.py does the work, within the same limits): the route is
# added to every application create_app makes.
_create_sparql_app = create_app


@functools.wraps(_create_sparql_app)
def create_app(spec: str | Path | StoreSpec | None = None, settings: Settings | None = None):
    from .screen import screen_route

    app = _create_sparql_app(spec, settings)
    app.router.routes.append(screen_route(parse_spec(spec), settings or Settings()))
    return app
