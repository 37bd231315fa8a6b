"""Quads as N-Triples text, loaded into an Oxigraph store by its bulk loader in other threads.

A big build makes millions of quads. Turning each into pyoxigraph objects costs more than
writing its line of text, and Oxigraph's loader parses that text in Rust without holding
Python's lock: the builder writes the next lines while the store ingests the last ones, so
the two run on two cores. Each named graph's lines are loaded as N-Triples into that graph
(``to_graph``), which spares writing, and parsing, the graph's IRI on every line. One call of
the loader parses its text, then sorts it into the store's files, one after the other, so two
threads call it, each on its own batch: while one parses, the other sorts.

Examples
--------
>>> import pyoxigraph as ox
>>> from rdflib import Literal, URIRef
>>> from graph.model.terms import quoted
>>> store = ox.Store()
>>> with QuadLoader(store) as loader:
...     graph = loader.graph(URIRef("https://e.org/g"))
...     _ = graph.add((URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal('say "hi"', lang="en")))
...     graph.ready()
...     graph.line(loader.iri("https://e.org/a"), "<https://e.org/q>", quoted("x"))
>>> sorted(str(q.object) for q in store)
['"say \\\\"hi\\\\""@en', '"x"']
"""

from __future__ import annotations

import queue
import threading

import pyoxigraph as ox
from rdflib import BNode, URIRef

from graph.errors import QueryError
from graph.model.terms import is_iri, sparql_term

__all__ = ["QuadLoader", "nquads_term"]

#: IRIs whose text is remembered (classes, predicates, countries, sources, entities that are
#: referred to); bounded, since most subjects (evidence nodes) occur in a handful of quads
_IRI_CACHE = 200_000


def nquads_term(term) -> str:
    """The N-Quads text of an rdflib IRI, blank node or literal.

    IRIs and literals are written as :func:`graph.model.terms.sparql_term` writes them for a
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
    """Collects quads as lines of text and hands them to ``store.bulk_load`` in a thread.

    Use it as a context manager: leaving the block loads what is left and waits for the
    loader; an error of the loader (a line Oxigraph refuses) is raised there.

    Parameters
    ----------
    store : pyoxigraph.Store
        Where the quads go.
    batch : int
        Quads per call of the bulk loader (the named graphs' lines together). Two batches
        wait at most, so memory holds about five batches of text.
    threads : int
        Threads calling the bulk loader at once.
    """

    def __init__(self, store: ox.Store, batch: int = 100_000, threads: int = 2) -> None:
        self.store, self.batch = store, batch
        self.graphs: dict[str, _Graph] = {}
        self.pending = 0  # lines held by the graphs, not yet handed over
        self._iris: dict[str, str] = {}
        self._queue: queue.Queue[tuple[ox.NamedNode, bytes] | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._threads = [threading.Thread(target=self._load, name=f"kg-quad-loader-{i}", daemon=True)
                         for i in range(threads)]

    def __enter__(self) -> QuadLoader:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is None:
            self.flush()
        for thread in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        if error is None and self._error is not None:
            raise self._error

    def graph(self, iri: URIRef) -> _Graph:
        """One named graph: ``add((s, p, o))`` as on an rdflib graph, or ``line`` of texts."""
        graph = self.graphs.get(str(iri))
        if graph is None:
            self.iri(str(iri))  # checked as any IRI
            graph = self.graphs[str(iri)] = _Graph(self, ox.NamedNode(str(iri)))
        return graph

    def iri(self, iri: str) -> str:
        """The text of an IRI, ``<iri>``.

        Raises
        ------
        graph.errors.QueryError
            ``iri`` holds a character no IRI may hold.
        """
        text = self._iris.get(iri)
        if text is None:
            if not is_iri(iri):
                raise QueryError(f"{iri!r} is not an IRI")
            text = f"<{iri}>"
            if len(self._iris) < _IRI_CACHE:
                self._iris[iri] = text
        return text

    def term(self, term) -> str:
        """The text of an rdflib term."""
        if type(term) is URIRef:
            return self.iri(term)
        return nquads_term(term)

    def flush(self) -> None:
        """Hand every graph's lines to the loader."""
        self.pending = 0
        for graph in self.graphs.values():
            graph.counted = 0
            if graph.lines:
                data = "".join(graph.lines).encode("utf-8")
                graph.lines = []
                self._hand_over((graph.node, data))

    def _hand_over(self, item: tuple[ox.NamedNode, bytes]) -> None:
        while True:  # never wait forever on a loader that has stopped
            if self._error is not None or not any(thread.is_alive() for thread in self._threads):
                return
            try:
                self._queue.put(item, timeout=1)
                return
            except queue.Full:
                continue

    def _load(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                node, data = item
                try:
                    self.store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
                except BaseException as exc:  # re-raised in the builder's thread
                    self._error = exc


class _Graph:
    """One named graph of a :class:`QuadLoader`."""

    __slots__ = ("loader", "node", "lines", "counted")

    def __init__(self, loader: QuadLoader, node: ox.NamedNode) -> None:
        self.loader, self.node = loader, node
        self.lines: list[str] = []
        self.counted = 0  # of the lines, those the loader's count of pending lines holds

    def add(self, triple: tuple) -> _Graph:
        """Add a triple of rdflib terms."""
        self.ready()
        term = self.loader.term
        s, p, o = triple
        self.line(term(s), term(p), term(o))
        return self

    def line(self, s: str, p: str, o: str) -> None:
        """Add a triple of texts (from :meth:`QuadLoader.iri`, :func:`graph.model.terms.quoted`, :func:`nquads_term`).

        Call :meth:`ready` before each group of lines (a statement's): the lines are not
        counted one by one.
        """
        self.lines.append(f"{s} {p} {o} .\n")

    def ready(self) -> None:
        """Hand the lines of every graph over to the loader once they make a batch."""
        loader = self.loader
        size = len(self.lines)
        loader.pending += size - self.counted
        self.counted = size
        if loader.pending >= loader.batch:
            loader.flush()
