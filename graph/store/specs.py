"""Store specs: what ``--graph`` and ``--store`` name (see :mod:`graph.store.backends`), parsed.

Kept apart from :mod:`graph.store.backends` so that parsing a spec loads neither rdflib nor Oxigraph:
every command parses one before it knows what it will open. :mod:`graph.store.backends` re-exports
these names.

Examples
--------
>>> parse_spec("oxigraph:/tmp/kg")
StoreSpec(kind='oxigraph', location='/tmp/kg', update=None)
>>> str(parse_spec("sparql:http://localhost:7878/query,http://localhost:7878/update"))
'sparql:http://localhost:7878/query,http://localhost:7878/update'
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError

__all__ = ["StoreSpec", "parse_spec", "DEFAULT_GRAPH", "KINDS"]

DEFAULT_GRAPH = Path("out/graph.trig")

#: the kinds of store a spec may name
KINDS = ("file", "oxigraph", "memory", "sparql")

#: what a spec may be, said in every error about one
ACCEPTED = ("give a graph file (.trig, .ttl, .nq, .nt, .jsonld), oxigraph:FOLDER, memory:FILE "
            "or sparql:URL")

#: "kind:" at the start of a spec (two letters or more, so that a drive letter is a path)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+")


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
        A ``sparql:`` spec whose URL is not http(s), an ``oxigraph:`` spec without a folder,
        or a ``kind:`` that names no kind of store (and no file).

    Examples
    --------
    >>> parse_spec("mongodb://db/kg")
    Traceback (most recent call last):
    ...
    graph.errors.StoreError: 'mongodb://db/kg' names an unknown kind of store 'mongodb': give a graph file (.trig, .ttl, .nq, .nt, .jsonld), oxigraph:FOLDER, memory:FILE or sparql:URL
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
    if sep and _SCHEME.fullmatch(kind) and not Path(spec).exists():
        raise StoreError(f"{spec!r} names an unknown kind of store {kind!r}: {ACCEPTED}"
                         + ("; a SPARQL server is sparql:URL" if kind.lower() in ("http", "https") else ""))
    return StoreSpec("file", spec)
