"""Quads as N-Quads text, loaded into an Oxigraph store by its bulk loader in a second thread.

A big build makes millions of quads. Turning each into pyoxigraph objects costs more than
writing its N-Quads line, and Oxigraph's loader parses that text in Rust without holding
Python's lock: the builder writes the next lines while the store ingests the last ones, so
the two run on two cores.

Examples
--------
>>> import pyoxigraph as ox
>>> from rdflib import Literal, URIRef
>>> store = ox.Store()
>>> with QuadLoader(store) as loader:
...     graph = loader.graph(URIRef("https://e.org/g"))
...     _ = graph.add((URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal('say "hi"', lang="en")))
>>> [str(q.object) for q in store]
['"say \\\\"hi\\\\""@en']
"""

from __future__ import annotations

import queue
import threading

import pyoxigraph as ox
from rdflib import BNode, URIRef

from .terms import sparql_term

__all__ = ["QuadLoader", "nquads_term"]

def nquads_term(term) -> str:
    """The N-Quads text of an rdflib IRI, blank node or literal.

    IRIs and literals are written as :func:`graph.terms.sparql_term` writes them for a
    server: N-Quads shares that syntax.

    >>> from rdflib import Literal
    >>> nquads_term(Literal("1.0", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
    '"1.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'

    Raises
    ------
    graph.errors.QueryError
        An IRI holds a character no IRI may hold (a space, ``<``, ``"``...).
    """
    if isinstance(term, BNode):
        return f"_:{term}"
    return sparql_term(term)


class QuadLoader:
    """Collects quads as N-Quads lines and hands them to ``store.bulk_load`` in a thread.

    Use it as a context manager: leaving the block loads what is left and waits for the
    loader; an error of the loader (a line Oxigraph refuses) is raised there.

    Parameters
    ----------
    store : pyoxigraph.Store
        Where the quads go.
    batch : int
        Quads per call of the bulk loader. Two batches wait at most, so memory holds about
        four batches of text.
    """

    def __init__(self, store: ox.Store, batch: int = 100_000) -> None:
        self.store, self.batch = store, batch
        self.lines: list[str] = []
        self.graphs: dict[str, str] = {}
        # IRIs that recur (classes, predicates, countries, sources); bounded, since most
        # subjects (evidence nodes) occur in a handful of quads only
        self._iris: dict[str, str] = {}
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="kg-quad-loader", daemon=True)

    def __enter__(self) -> QuadLoader:
        self._thread.start()
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is None:
            self.flush()
        self._queue.put(None)
        self._thread.join()
        if error is None and self._error is not None:
            raise self._error

    def graph(self, iri: URIRef) -> _Graph:
        """One named graph: ``add((s, p, o))`` as on an rdflib graph."""
        name = self.graphs.setdefault(str(iri), nquads_term(URIRef(iri)))
        return _Graph(self, f" {name} .\n")

    def term(self, term) -> str:
        if type(term) is URIRef:
            text = self._iris.get(term)
            if text is None:
                text = nquads_term(term)
                if len(self._iris) < 200_000:
                    self._iris[term] = text
            return text
        return nquads_term(term)

    def flush(self) -> None:
        if self.lines:
            data = "".join(self.lines).encode("utf-8")
            self.lines = []
            while True:  # never wait forever on a loader that has stopped
                if self._error is not None or not self._thread.is_alive():
                    return
                try:
                    self._queue.put(data, timeout=1)
                    return
                except queue.Full:
                    continue

    def _load(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
                except BaseException as exc:  # re-raised in the builder's thread
                    self._error = exc


class _Graph:
    """One named graph of a :class:`QuadLoader`."""

    __slots__ = ("loader", "tail")

    def __init__(self, loader: QuadLoader, tail: str) -> None:
        self.loader, self.tail = loader, tail

    def add(self, triple: tuple) -> _Graph:
        loader = self.loader
        term = loader.term
        s, p, o = triple
        loader.lines.append(f"{term(s)} {term(p)} {term(o)}{self.tail}")
        if len(loader.lines) >= loader.batch:
            loader.flush()
        return self
