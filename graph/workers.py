"""Query workers for the endpoint: each query runs in a process that can be killed.

Oxigraph cannot cancel a running query, so the endpoint (:mod:`graph.serve`) hands each query
to one of a few worker processes, each holding its own copy of the store (or the on-disk
store opened read-only). A query past its time limit costs its worker: the process is killed
and a new one loads the store while the client already has its 503. Workers write SPARQL
results (JSON, XML, CSV, TSV) themselves so that the row limit holds before anything is sent.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text('<https://e.org/a> <https://e.org/name> "A" .')
>>> pool = Pool(str(path), 1)
>>> pool.run({"query": "SELECT ?n { ?s ?p ?n }", "format": "csv", "max_rows": 10,
...           "default": [], "named": []}, 5.0)
(200, b'n\\r\\nA\\r\\n')
>>> pool.close()
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import queue
import threading
import time
from xml.sax.saxutils import escape, quoteattr

from .errors import StoreError
from .store import open_graph, oxigraph_store
from .terms import PREFIXES

__all__ = ["Pool"]


class _TooManyRows(Exception):
    pass


class Pool:
    """Worker processes, each holding the store; a query past its time limit kills its worker."""

    def __init__(self, spec: str, size: int) -> None:
        self._spec = spec
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._processes: set = set()
        self.graphs: frozenset[str] = frozenset()
        started = [self._launch() for _ in range(max(1, size))]
        for worker in started:
            self._idle.put(self._ready(worker))

    def run(self, job: dict, timeout: float) -> tuple[int, bytes | str]:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return 503, f"the endpoint is busy: no worker was free within {timeout:g} s"
        process, conn = worker
        try:
            conn.send(job)
            if conn.poll(max(0.0, deadline - time.monotonic())):
                status, payload = conn.recv()
                self._idle.put(worker)
                return status, payload
        except (EOFError, OSError):
            self._replace(worker)
            return 500, "the query's worker died; it has been restarted"
        self._replace(worker)
        return 503, f"the query ran past the time limit of {timeout:g} s and was stopped"

    def close(self) -> None:
        with self._lock:
            self._closed = True
            processes = list(self._processes)
        for process in processes:
            process.kill()
            process.join(5)

    def _launch(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(self._spec, child), daemon=True)
        with self._lock:
            process.start()
            self._processes.add(process)
        child.close()
        return process, parent

    def _ready(self, worker):
        process, conn = worker
        try:
            message = conn.recv()
        except EOFError:
            message = ("failed", f"the worker exited with status {process.exitcode} while loading the graph")
        if message[0] != "ready":
            process.join(5)
            raise StoreError(f"cannot serve {self._spec!r}: {message[1]}")
        self.graphs = frozenset(message[1])
        return worker

    def _replace(self, worker) -> None:
        process, conn = worker
        process.kill()
        process.join(5)
        conn.close()
        with self._lock:
            self._processes.discard(process)

        def restart():
            if self._closed:
                return
            try:
                self._idle.put(self._ready(self._launch()))
            except (EOFError, OSError, StoreError):
                pass  # closed meanwhile; a live pool's next request waits for another worker

        # the client gets its answer now; the new worker loads the store meanwhile
        threading.Thread(target=restart, daemon=True).start()


def _worker_main(spec: str, conn) -> None:
    try:
        inner = oxigraph_store(open_graph(spec))
        graphs = sorted(g.value for g in inner.named_graphs())
    except Exception as exc:  # reported to the parent, which names the spec
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", graphs))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        conn.send(_execute(inner, job))


def _execute(inner, job: dict) -> tuple[int, bytes | str]:
    import pyoxigraph as ox

    options = {"prefixes": {p: str(ns) for p, ns in PREFIXES.items()}}
    if job["default"]:
        options["default_graph"] = [ox.NamedNode(g) for g in job["default"]]
    else:
        options["use_default_graph_as_union"] = True
    if job["named"]:
        options["named_graphs"] = [ox.NamedNode(g) for g in job["named"]]
    try:
        result = inner.query(job["query"], **options)
        if isinstance(result, ox.QueryBoolean):
            names = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                     "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
            return 200, result.serialize(format=names[job["format"]])
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = _take(result, job["max_rows"])
            return 200, _WRITERS[job["format"]](variables, rows)
        triples = _take(result, job["max_rows"])
        formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
        prefixes = options["prefixes"] if job["format"] == "turtle" else None
        return 200, ox.serialize(triples, format=formats[job["format"]], prefixes=prefixes)
    except _TooManyRows as exc:
        return 413, str(exc)
    except SyntaxError as exc:
        return 400, f"malformed query: {exc}"
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return 400, f"the query failed: {exc}"


def _take(results, limit: int) -> list:
    rows = []
    for row in results:
        if len(rows) == limit:
            raise _TooManyRows(f"the answer has more than {limit} rows; add a LIMIT or narrow the query")
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------ result writers


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _write_json(variables, rows) -> bytes:
    bindings = [{v: _json_term(row[i]) for i, v in enumerate(variables) if row[i] is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def _write_xml(variables, rows) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for i, v in enumerate(variables):
            if row[i] is None:
                continue
            term = _json_term(row[i])
            if term["type"] == "uri":
                inner = f"<uri>{escape(term['value'])}</uri>"
            elif term["type"] == "bnode":
                inner = f"<bnode>{escape(term['value'])}</bnode>"
            else:
                attrs = "".join(f" {k}={quoteattr(term[k])}" for k in ("xml:lang", "datatype") if k in term)
                inner = f"<literal{attrs}>{escape(term['value'])}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _write_csv(variables, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if type(t).__name__ == "BlankNode" else t.value)
                         for t in row])
    return buffer.getvalue().encode("utf-8")


def _write_tsv(variables, rows) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term) -> str:
    text = str(term)  # N-Triples syntax, tabs and newlines escaped
    if text.endswith("^^<http://www.w3.org/2001/XMLSchema#string>"):
        text = text[: -len("^^<http://www.w3.org/2001/XMLSchema#string>")]
    return text


_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
