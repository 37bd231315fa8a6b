"""Named SPARQL queries (``graph/queries/*.rq``), safe parameters and result formats.

A named query is a ``.rq`` file whose leading comments say what it answers and declare its
parameters::

    # Competency question 4: who holds which office?
    # @param person string -- the person's name or alias (optional)

Parameters are bound as RDF terms through the engine's initial bindings, never pasted into
the query text, so a value such as ``x" } DROP ALL #`` is only ever a string.

Examples
--------
>>> sorted(named_queries())[:2]
['ban-binds', 'fact-sources']
>>> q = named_queries()["positions"]
>>> [p.name for p in q.params]
['name']
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryError
from .ontology import KGR
from .rdf import PREFIXES, compact

__all__ = [
    "Param",
    "NamedQuery",
    "QueryResult",
    "named_queries",
    "get_query",
    "run_query",
    "format_result",
    "FORMATS",
]

FORMATS = ("table", "csv", "json")
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(string|iri|date|integer)(?:\s*=\s*(\S+))?(?:\s*--\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: tuple[Param, ...] = ()


@dataclass
class QueryResult:
    """A SELECT result: variable names and rows of RDF terms (None where unbound)."""

    variables: list[str]
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, str | None]]:
        return [{v: _plain(t) for v, t in zip(self.variables, row)} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs the ``notebooks`` extra).

        IRIs are shown compact (``kgr:org/sensetime``); literals become Python values.
        """
        import pandas as pd  # optional: only notebooks need it

        def value(term):
            if term is None:
                return None
            return compact(term) if isinstance(term, URIRef) else term.toPython()

        return pd.DataFrame([[value(t) for t in row] for row in self.rows], columns=self.variables)


def _queries_dir() -> Path:
    return Path(str(resources.files("graph"))) / "queries"


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query, by name (the file's stem)."""
    queries = {}
    for path in sorted(_queries_dir().glob("*.rq")):
        queries[path.stem] = _parse_named(path.stem, path.read_text(encoding="utf-8"))
    return queries


def _parse_named(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line.strip())
        if match:
            params.append(Param(match[1], match[2], match[3], (match[4] or "").strip()))
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(name, text, " ".join(d for d in description if d), tuple(params))


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; QueryError listing the names if there is none."""
    try:
        return named_queries()[name]
    except KeyError:
        names = ", ".join(sorted(named_queries()))
        raise QueryError(f"no named query {name!r}; known queries: {names}") from None


def run_query(graph: Graph, query: str | NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query (or raw SELECT text) over ``graph`` with ``params`` bound safely.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
        The graph; for a Dataset, the union of its named graphs is queried.
    query : NamedQuery or str
        A named query, or SPARQL text (then ``params`` bind any variable as strings).
    params : dict of str to str, optional
        Values for the query's parameters, as a user types them.

    Raises
    ------
    QueryError
        Unknown parameter, a value of the wrong type, or a malformed query.
    """
    params = dict(params or {})
    if isinstance(query, NamedQuery):
        bindings = _bind_named(query, params)
        text = query.text
    else:
        bindings = {name: Literal(value) for name, value in params.items()}
        text = query
    try:
        result = graph.query(text, initNs=PREFIXES, initBindings=bindings)
    except Exception as exc:  # pyparsing and rdflib raise many unrelated types
        raise QueryError(f"the query failed: {exc}") from exc
    if result.type != "SELECT":
        raise QueryError(f"only SELECT queries give tables; this is a {result.type} query")
    variables = [str(v) for v in result.vars]
    return QueryResult(variables, [tuple(row) for row in result])


def _bind_named(query: NamedQuery, params: dict[str, str]) -> dict[str, Identifier]:
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        allowed = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name!r} takes no parameter {unknown[0]!r}; its parameters: {allowed}")
    bindings = {}
    for name, param in declared.items():
        value = params.get(name, param.default)
        if value is not None:
            bindings[name] = _term(param, value)
    return bindings


def _term(param: Param, value: str) -> Identifier:
    if param.type == "iri":
        if value.startswith("kgr:"):
            return KGR[value[4:]]
        if re.match(r"^https?://\S+$", value):
            return URIRef(value)
        raise QueryError(f"parameter {param.name!r} needs an IRI (https://... or kgr:kind/slug), not {value!r}")
    if param.type == "date":
        try:
            return Literal(date.fromisoformat(value), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"parameter {param.name!r} needs a date YYYY-MM-DD, not {value!r}") from None
    if param.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter {param.name!r} needs a whole number, not {value!r}")
        return Literal(int(value))
    return Literal(value)


# ------------------------------------------------------------------------------ formats


def _plain(term: Identifier | None) -> str | None:
    return None if term is None else str(term)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned text table, CSV, or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else str(t) for t in row])
        return buffer.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    cells = [[compact(t) for t in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, min(len(c), 60)) for w, c in zip(widths, row)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_clip(c, w).ljust(w) for c, w in zip(row, widths)).rstrip())
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
