"""Opening a graph: a file written by ``kg build`` (TriG, Turtle, N-Triples, N-Quads, JSON-LD).

Every command that reads a graph goes through :func:`open_graph`, so that a new kind of store
is one branch here.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text("<https://e.org/a> <https://e.org/p> <https://e.org/b> .")
>>> len(open_graph(path))
1
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from .errors import GraphNotFoundError, InputError
from .rdf import bind_prefixes

__all__ = ["open_graph", "FORMATS", "DEFAULT_GRAPH"]

#: file suffix -> rdflib parser name
FORMATS = {
    ".trig": "trig",
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
}

DEFAULT_GRAPH = Path("out/graph.trig")


def open_graph(spec: str | Path | None = None) -> Dataset:
    """Load a graph file into a Dataset whose default graph is the union of its graphs."""
    path = Path(spec) if spec is not None else DEFAULT_GRAPH
    if not path.is_file():
        hint = " (run 'kg build' first)" if spec is None else ""
        raise GraphNotFoundError(f"graph file {str(path)!r} does not exist{hint}")
    try:
        fmt = FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(path, f"unknown graph format {path.suffix!r}",
                         hint=f"use one of {', '.join(sorted(FORMATS))}") from None
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
