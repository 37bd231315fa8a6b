"""Named SPARQL queries (``graph/store/queries/*.rq``), safe parameters and result formats.

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

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Identifier

from graph.errors import FormatError, QueryError
from graph.model.ontology import KGR
from graph.store.backends import engine, oxigraph_store
from graph.io.tables import shown
from graph.model.terms import PREFIXES, compact, from_ox, is_iri, normalise, sparql_term, to_ox

__all__ = [
    "Param",
    "NamedQuery",
    "QueryResult",
    "named_queries",
    "get_query",
    "run_query",
    "format_result",
    "FORMATS",
    "bind",
    "with_values",
]

FORMATS = ("table", "csv", "json")
_SET = re.compile(r"^#\s*@set\s+((?:\w+\s*)+)$")
#: the separator of GROUP_CONCAT columns declared with ``# @set``
SET_SEPARATOR = " | "
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s+(string|entity|iri|date|integer)(?:\s*=\s*(\S+))?(?:\s*--\s*(.*))?$")


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
    sets: tuple[str, ...] = ()


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
    return Path(str(resources.files("graph.store"))) / "queries"


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
    sets: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line.strip())
        set_match = _SET.match(line.strip())
        if set_match:
            sets.extend(set_match[1].split())
        elif match:
            params.append(Param(match[1], match[2], match[3], (match[4] or "").strip()))
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(name, text, " ".join(d for d in description if d), tuple(params), tuple(sets))


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; QueryError listing the names if there is none."""
    try:
        return named_queries()[name]
    except KeyError:
        names = ", ".join(sorted(named_queries()))
        raise QueryError(f"no named query {name!r}; known queries: {names}") from None


def run_query(graph: Graph, query: str | NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query (or raw SELECT text) over ``graph`` with ``params`` bound safely.

    The same query gives the same rows on every store (:func:`graph.store.backends.open_graph`):
    Oxigraph gets the values as ``substitutions``, rdflib as ``initBindings``, and a remote
    server as a ``VALUES`` block written from RDF terms at the start of the query's ``WHERE``.
    Literals come back normalised: Oxigraph's ``xsd:string`` literals become plain ones.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
        The graph; for a Dataset, the union of its named graphs is queried.
    query : NamedQuery or str
        A named query, or SPARQL text (then ``params`` bind any variable as strings).
    params : dict of str to str, optional
        Values for the query's parameters, as a user types them.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        Unknown parameter, a value of the wrong type, a malformed query, or a query that is
        not a SELECT.

    Examples
    --------
    >>> from rdflib import Dataset, URIRef, Literal
    >>> g = Dataset(default_union=True)
    >>> _ = g.add((URIRef("https://e.org/a"), URIRef("https://e.org/name"), Literal("A")))
    >>> run_query(g, "SELECT ?s WHERE { ?s <https://e.org/name> ?n }", {"n": "A"}).records()
    [{'s': 'https://e.org/a'}]
    """
    params = dict(params or {})
    if isinstance(query, NamedQuery):
        bindings = _bind_named(query, params)
        text = query.text
    else:
        bindings = {name: Literal(value) for name, value in params.items()}
        text = query
    kind = engine(graph)
    try:
        if kind == "oxigraph":
            return _sorted_sets(_run_oxigraph(oxigraph_store(graph), text, bindings), query)
        if kind == "sparql":
            result = graph.store.query(with_values(text, bindings), initNs={}, initBindings={},
                                       queryGraph="__UNION__")
        else:
            result = graph.query(text, initNs=PREFIXES, initBindings=bindings)
    except QueryError:
        raise
    except Exception as exc:  # pyparsing, rdflib, Oxigraph and urllib raise many unrelated types
        raise QueryError(f"the query failed: {exc}") from exc
    if isinstance(result, tuple):  # rdflib's SPARQLStore hands back (status, body) on some errors
        raise QueryError(f"the SPARQL server refused the query: {result}")
    if result.type != "SELECT":
        raise QueryError(f"only SELECT queries give tables; this is a {result.type} query")
    variables = [str(v) for v in result.vars]
    return _sorted_sets(QueryResult(variables, [tuple(normalise(t) for t in row) for row in result]), query)


def with_values(text: str, bindings: dict[str, Identifier]) -> str:
    """``text`` with ``bindings`` as a ``VALUES`` block opening its ``WHERE`` group.

    The block goes first inside the group, not after the query, so that filters such as
    ``FILTER (!BOUND(?name) || ...)`` see the value, as with initial bindings.

    Examples
    --------
    >>> with_values("SELECT * WHERE { ?s ?p ?o }", {"o": Literal("a")})
    'SELECT * WHERE { VALUES (?o) { ("a") } ?s ?p ?o }'
    """
    if not bindings:
        return text
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"{name!r} is not a variable name")
    block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(sparql_term(bindings[n]) for n in names) + ") }")
    position = _where_brace(text)
    return text[: position + 1] + block + text[position + 1:]


def bind(query: NamedQuery, params: dict[str, str] | None = None) -> dict[str, Identifier]:
    """The RDF terms a named query's parameters take: ``params`` typed, defaults filled in.

    Raises
    ------
    QueryError
        A parameter the query does not take, or a value of the wrong type.

    Examples
    --------
    >>> sorted(bind(get_query("listing-targets")))
    ['list', 'month']
    """
    return _bind_named(query, dict(params or {}))


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
        if re.match(r"^https?://\S+$", value) and is_iri(value):
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


def _sorted_sets(result: QueryResult, query: str | NamedQuery) -> QueryResult:
    # GROUP_CONCAT's order is left to the engine: a named query declares its joined columns
    # with "# @set", and their members are sorted so that every store gives the same text
    if not isinstance(query, NamedQuery) or not query.sets:
        return result
    columns = [i for i, v in enumerate(result.variables) if v in query.sets]
    rows = []
    for row in result.rows:
        cells = list(row)
        for i in columns:
            # an empty set: rdflib and Virtuoso give "", Oxigraph leaves the column unbound
            if cells[i] is None:
                cells[i] = Literal("")
            elif isinstance(cells[i], Literal) and cells[i].datatype is None:
                members = sorted(m for m in str(cells[i]).split(SET_SEPARATOR) if m) if str(cells[i]) else []
                cells[i] = Literal(SET_SEPARATOR.join(members))
        rows.append(tuple(cells))
    return QueryResult(result.variables, rows)


class _Unprojected(Exception):
    pass


#: (query text, parameter names) that Oxigraph cannot substitute: bound with VALUES at once
_VALUES_ONLY: set[tuple[str, frozenset]] = set()


def _run_oxigraph(store, text: str, bindings: dict[str, Identifier]) -> QueryResult:
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    key = (text, frozenset(bindings))
    try:
        try:
            if key in _VALUES_ONLY:
                raise _Unprojected
            result = store.query(
                text,
                use_default_graph_as_union=True,
                prefixes=prefixes,
                substitutions={ox.Variable(name): _to_ox(term) for name, term in bindings.items()},
            )
        except (RuntimeError, _Unprojected) as exc:
            # Oxigraph substitutes only variables the SELECT projects (SEP-0007); a parameter
            # used in filters alone is bound with a VALUES block instead, as on a server
            # (remembered, so that a repeated query is parsed once)
            if not isinstance(exc, _Unprojected) and "projection" not in str(exc):
                raise
            _VALUES_ONLY.add(key)
            result = store.query(with_values(text, bindings), use_default_graph_as_union=True,
                                 prefixes=prefixes)
    except (SyntaxError, RuntimeError, OSError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    if not isinstance(result, ox.QuerySolutions):
        kind = "ASK" if isinstance(result, ox.QueryBoolean) else "CONSTRUCT"
        raise QueryError(f"only SELECT queries give tables; this is a {kind} query")
    variables = [v.value for v in result.variables]
    rows = [tuple(normalise(from_ox(solution[i])) for i in range(len(variables))) for solution in result]
    return QueryResult(variables, rows)


def _to_ox(term: Identifier):
    # Parameters are IRIs or literals; the conversion itself is graph.model.terms'.
    if not isinstance(term, (URIRef, Literal)):
        raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be parameters")
    return to_ox(term)


def _where_brace(text: str) -> int:
    """Index of the ``{`` opening the query's top-level WHERE group.

    Strings, comments and IRIs are skipped; with a ``WHERE`` keyword at depth 0 the first
    brace after it, else the first brace at depth 0 (``SELECT * { ... }``, ``ASK { ... }``).
    """
    i, depth, first, after_where = 0, 0, None, False
    while i < len(text):
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
            continue
        if char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            j = i + len(quote)
            while j < len(text) and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if char == "<":
            match = _IRI_TOKEN.match(text, i)
            if match:
                i = match.end()
                continue
        if char == "{":
            if depth == 0 and (after_where or first is None):
                if after_where:
                    return i
                first = i
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and text[i:i + 5].upper() == "WHERE" and not (text[i - 1:i].isalnum() or text[i - 1:i] in "?$_"):
            after_where = True
        i += 1
    if first is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return first


_IRI_TOKEN = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


# ------------------------------------------------------------------------------ formats


def _plain(term: Identifier | None) -> str | None:
    return None if term is None else str(term)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned text table, CSV, or JSON (a list of objects).

    Raises
    ------
    FormatError
        ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from graph.io.tables import write_csv

        return write_csv((["" if t is None else str(t) for t in row] for row in result.rows), result.variables)
    if fmt != "table":
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    cells = [[compact(t) for t in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, min(len(c), 60)) for w, c in zip(widths, row)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_clip(c, w).ljust(w) for c, w in zip(row, widths)).rstrip())
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return shown("\n".join(lines)) + "\n"  # names come from untrusted text: no escape sequence reaches the terminal


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
