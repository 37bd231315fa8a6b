"""What the endpoint runs: a query parsed once, checked on its tree, and written anew from it.

Oxigraph follows ``SERVICE`` by itself and has no switch to turn its HTTP client off, so the
endpoint (:mod:`graph.serve.app`) must know every ``SERVICE`` before the engine sees the query. A
check that reads the client's text with rules of its own can read it differently from the engine
(a comment that ends at a form feed for one and not the other, ``<`` read as an IRI's start by
one and as "less than" by the other), and whatever hides from the check then runs. So the engine
never sees the client's text:

1. the text is bounded in size and in raw counts of brackets and operators (strings and
   comments included, so that a crash query costs no parse), then parsed once by a real SPARQL
   1.1 parser (tree-sitter's SPARQL grammar, a C parser whose stack is on the heap: it does not
   recurse, whatever the nesting; it ends comments at ``\\n`` only and input at a NUL, so it
   reads a copy where ``\\r`` is ``\\n``, as the grammar's end of line, and NUL is ``\\x01``);
   text that does not parse is refused;
2. the tree is checked: a query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``), no
   update, no ``SERVICE``, ``FROM`` only a graph the store holds;
3. the text the engine runs is written from that tree's tokens alone, one space between two
   tokens (but ``CONCAT(`` and ``COALESCE(``, which the engine reads only glued): comments are
   dropped, every string is written as ``"..."`` with each character that is not a letter or a
   digit escaped (``\\n``, ``\\r``, ``\\"``, ``\\\\``, else ``\\uXXXX``), every IRI as
   ``<...>`` with its brackets escaped, and every other token as the parser delimited it,
   checked against its terminal;
4. nesting and chains are measured on that text, where every space separates two tokens and every
   bracket is a bracket: at most :data:`MAX_DEPTH` nested ``( [ {`` and :data:`MAX_CHAIN` tokens
   that each add a level to the engine's tree (operators, ``UNION``, ``OPTIONAL`` ...), because the
   engine's parser and planner recurse on both and overflow the worker's stack past a few
   thousand.

Why the engine cannot read a ``SERVICE`` the check did not see: the engine reads the written
text, whose tokens are the checked ones. Spaces separate them, and no token can swallow a space
or a neighbour (strings and IRIs hold none, names are checked against their terminals), so the
engine's tokens are the check's tokens; a ``SERVICE`` pattern needs a token reading ``SERVICE``
(or a prefixed name whose prefix holds it, which the engine may split), and every such token is
refused. Where the parser and the engine disagree on the client's text (comments, ``<``,
escapes), the written text settles it: what runs is what was checked, or the engine refuses it
as malformed. ``\\uXXXX`` escapes are decoded before parsing, as the SPARQL grammar says.

Examples
--------
>>> check("SELECT * { ?s ?p 'SERVICE' } # SERVICE", frozenset()).text
'SELECT * { ?s ?p "SERVICE" }'
>>> check("SELECT * { #\\x0c '''\\n SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", frozenset())
Traceback (most recent call last):
...
graph.serve.guard.Refusal: 403: SERVICE is refused: this endpoint makes no outbound requests
"""

from __future__ import annotations

import re
import threading
from typing import NamedTuple

__all__ = ["Refusal", "Checked", "check", "refusal", "measure", "MAX_DEPTH", "MAX_CHAIN", "MAX_LENGTH"]

#: deepest nesting of ( [ { a query may have; the engine's recursive parser overflows its stack
#: at about 5,000, and no real query needs more than a few dozen
MAX_DEPTH = 128
#: most tokens that each add a level to the engine's tree (``1+1+...``, ``{} UNION {} ...``,
#: ``MINUS {} MINUS {} ...``): 7,000 additions or 3,200 MINUS crash the engine
MAX_CHAIN = 1_000
#: most characters in a query, checked before it is parsed (the endpoint's body cap is smaller)
MAX_LENGTH = 1_000_000

QUERY_FORMS = {"select_query": "SELECT", "ask_query": "ASK", "construct_query": "CONSTRUCT",
               "describe_query": "DESCRIBE"}
_UPDATES = {"load", "clear", "drop", "create", "add", "move", "copy", "insert_data", "delete_data",
            "delete_where", "modify"}
_OUTBOUND = "this endpoint makes no outbound requests"
#: the engine reads these only with their "(" right after them ("CONCAT (" is a syntax error to it)
_GLUED = {"CONCAT", "COALESCE"}
#: deepest parse tree a query within both caps makes (a few levels per bracket, one per operator)
_TREE_DEPTH = 8 * MAX_DEPTH + 2 * MAX_CHAIN
#: tokens after which the engine's tree grows one level deeper without a bracket
_CHAIN = {"+", "-", "*", "/", "&&", "||", "=", "!=", "<", ">", "<=", ">=", "|", "^", "!", "UNION", "OPTIONAL",
          "MINUS", "BIND", "FILTER", "VALUES", "GRAPH", "SERVICE", "EXISTS", "IN"}


class Refusal(Exception):
    """A request the endpoint will not run: an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


class Checked(NamedTuple):
    """A query that passed :func:`check`: its form, the text the engine runs, and whether it
    calls ``SERVICE`` (only when allowed)."""

    form: str
    text: str
    service: bool


def check(text: str, graphs: frozenset[str], *, allow_service: bool = False,
          prefixes: dict[str, str] | None = None) -> Checked:
    """Parse, check and rewrite a query; see the module's docstring for the construction.

    Parameters
    ----------
    text : str
        The query as the client sent it.
    graphs : frozenset of str
        The named graphs the store holds: the only ones ``FROM`` may name.
    allow_service : bool
        Let ``SERVICE`` through (the operator's choice; off by default).
    prefixes : dict, optional
        Prefixes the engine knows without a ``PREFIX`` line (``kg`` -> its namespace).

    Returns
    -------
    Checked
        The form (``SELECT`` ...) and the text to hand the engine.

    Raises
    ------
    Refusal
        400 for text that does not parse, a token outside its terminal, nesting past
        :data:`MAX_DEPTH` or chains past :data:`MAX_CHAIN`; 403 for an update, for ``SERVICE``
        (unless allowed), for ``FROM`` a graph the store does not hold; 413 past
        :data:`MAX_LENGTH` characters.

    Examples
    --------
    >>> check("DROP ALL", frozenset())
    Traceback (most recent call last):
    ...
    graph.serve.guard.Refusal: 403: this endpoint is read only: DROP is an update
    >>> check("ask from <https://e.org/g> {}", frozenset({"https://e.org/g"}))
    Checked(form='ASK', text='ask from <https://e.org/g> { }', service=False)
    >>> check("SELECT * { ?s ?p ?o FILTER(?o<'x>') }", frozenset()).text
    'SELECT * { ?s ?p ?o FILTER ( ?o < "x\\\\u003E" ) }'
    """
    if len(text) > MAX_LENGTH:
        raise Refusal(413, f"the query is longer than {MAX_LENGTH:,} characters")
    _count_raw(text)
    decoded = _CODEPOINT.sub(_codepoint, text)
    source = decoded.encode("utf-8", "surrogatepass")
    # the grammar ends a comment at \r as at \n, tree-sitter's only at \n, and tree-sitter stops at
    # a NUL, which a string may hold: it parses a copy with each \r made \n and each NUL \x01 (same
    # length, so every token's text is still read from the source itself)
    root = _parser().parse(source.replace(b"\r", b"\n").replace(b"\x00", b"\x01")).root_node
    if root.has_error:
        raise Refusal(400, f"malformed query: it is not SPARQL 1.1 {_where_wrong(root)} (this endpoint runs "
                           f"only what its parser reads)")
    writer = _Writer(source)
    form = ""
    for child in root.children:
        if child.type in QUERY_FORMS and not form:
            form = QUERY_FORMS[child.type]
        elif child.type in _UPDATES:
            raise Refusal(403, f"this endpoint is read only: {_first_word(child)} is an update")
        elif child.type not in ("prologue", "comment"):
            raise Refusal(400, "give exactly one query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if not form:
        raise Refusal(400, "give exactly one query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    writer.write(root)
    if writer.service and not allow_service:
        raise Refusal(403, f"SERVICE is refused{writer.service_where}: {_OUTBOUND}")
    known = {p: [ns] for p, ns in (prefixes or {}).items()}
    for prefix, iris in writer.prefixes.items():
        known[prefix] = iris  # the query's own PREFIX lines win over the endpoint's
    for named, kind, value in writer.datasets:
        _check_from(named, kind, value, known, graphs)
    written = " ".join(writer.out)
    measure(written)
    return Checked(form, written, writer.service)


def refusal(text: str, graphs: frozenset[str], *, allow_service: bool = False,
            prefixes: dict[str, str] | None = None) -> str:
    """The query's form if :func:`check` lets it through (see there for what it raises).

    Examples
    --------
    >>> refusal("SELECT * { ?s ?p ?o }", frozenset())
    'SELECT'
    """
    return check(text, graphs, allow_service=allow_service, prefixes=prefixes).form


def measure(written: str) -> tuple[int, int]:
    """Nesting depth and chain length of a text :func:`check` wrote, or :class:`Refusal` past the caps.

    Exact on such a text (its spaces separate its tokens, and every bracket in it is one: strings
    and IRIs hold theirs escaped, comments are gone), and
    cheap enough to run again in each worker before the engine parses.

    Examples
    --------
    >>> measure('SELECT * { FILTER ( ( 1 + 2 ) ) }')
    (3, 4)
    """
    if len(written) > 8 * MAX_LENGTH:
        raise Refusal(413, "the query is too long")
    depth = deepest = 0
    for c in written:
        if c in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")]}":
            depth -= 1
    chain = sum(token == "{" or token.upper().rstrip("(") in _CHAIN for token in written.split(" "))
    if deepest > MAX_DEPTH:
        raise Refusal(400, f"the query nests brackets {deepest} deep; the limit is {MAX_DEPTH}")
    if chain > MAX_CHAIN:
        raise Refusal(400, f"the query chains {chain} operators and patterns; the limit is {MAX_CHAIN}: "
                           f"split it into several queries")
    return deepest, chain


def _count_raw(text: str) -> None:
    # Before any parsing: counts on the raw text, strings and comments included, so each is at
    # least what the parse would find; past twice the caps the query is refused at once. A query
    # within the caps is refused here only if its strings and comments hold more than a thousand
    # brackets or operators; a crash query costs microseconds, not a parse.
    brackets = text.count("(") + text.count("[") + text.count("{")
    upper = text.upper()
    chained = (text.count("+") + text.count("&&") + text.count("||") + upper.count("UNION") + upper.count("MINUS")
               + upper.count("OPTIONAL"))
    if brackets > 2 * MAX_CHAIN:
        raise Refusal(400, f"the query holds {brackets:,} opening brackets; the limit is {2 * MAX_CHAIN:,} (and "
                           f"{MAX_DEPTH} nested): split it into several queries")
    if chained > 2 * MAX_CHAIN:
        raise Refusal(400, f"the query chains {chained:,} operators and patterns; the limit is {MAX_CHAIN}: "
                           f"split it into several queries")


# ------------------------------------------------------------------------------ the parser

_LOCAL = threading.local()


def _parser():
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        import warnings

        import tree_sitter
        import tree_sitter_sparql

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the grammar hands its language as an int
            language = tree_sitter.Language(tree_sitter_sparql.language())
        parser = _LOCAL.parser = tree_sitter.Parser(language)
    return parser


def _where_wrong(root) -> str:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            line, column = node.start_point
            return f"at {line + 1}:{column + 1}"  # line:column, as the engine and the query page write it
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return ""


def _first_word(node) -> str:
    while node.children:
        node = node.children[0]
    return node.text.decode("utf-8", "replace").upper()


# ------------------------------------------------------------------------------ the writer

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'*+,;=/?#@%]"  # no escaped brackets: they would count as nesting
# each terminal of the grammar (SPARQL 1.1, section 19.8) a token written as it came must match
_TERMINALS = {
    "var": re.compile(rf"[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"),
    "blank_node_label": re.compile(rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    "lang_tag": re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)"),
    "prefix": re.compile(rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?"),
    "local": re.compile(rf"(?:(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?"),
}
_KEYWORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PUNCTUATION = {"(", ")", "{", "}", "[", "]", ",", ";", ".", "*", "/", "+", "-", "!", "=", "!=", "<", ">",
                "<=", ">=", "&&", "||", "^", "^^", "|", "?"}
_NOT_IN_IRI = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_SAFE = re.compile(r"[A-Za-z0-9]|[^\x00-\x9f]")


class _Writer:
    """Walks the tree without recursion and writes each token of the query, one per entry of ``out``."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.out: list[str] = []
        self.service = False
        self.service_where = ""
        self.prefixes: dict[str, list[str]] = {}
        self.datasets: list[tuple[bool, str, str]] = []  # (NAMED?, "iri" or "pname", value)

    def write(self, root) -> None:
        # a cursor walks the tree in order without recursion and without listing a node's children
        # at once; the caps are kept while walking, so that a hostile text costs a few thousand
        # steps, not one per token (measure() checks the written text exactly afterwards)
        cursor = root.walk()
        depth = chain = level = 0  # brackets open, chained tokens, the cursor's depth in the tree
        while True:
            node = cursor.node
            kind = node.type
            if kind in ("(", "[", "{"):
                depth += 1
                chain += kind == "{"
                if depth > MAX_DEPTH:
                    raise Refusal(400, f"the query nests brackets more than {MAX_DEPTH} deep; the limit is {MAX_DEPTH}")
            elif kind in (")", "]", "}"):
                depth -= 1
            elif kind.upper() in _CHAIN:
                chain += 1
            # each bracket adds a few levels to the tree and each chained operator one: a deeper
            # tree holds too much of either (a 7,000-term sum is a 7,000-deep tree, operators last)
            if chain > MAX_CHAIN or level > _TREE_DEPTH:
                raise Refusal(400, f"the query chains more than {MAX_CHAIN} operators and patterns; the limit is "
                                   f"{MAX_CHAIN}: split it into several queries")
            if kind == "service_graph_pattern":
                self.service = True
            elif kind == "prefix_declaration":
                self._declare(node)
            elif kind == "dataset_clause":
                self._dataset(node)
            handler = _UNITS.get(kind)
            if handler is not None:
                self.out.append(handler(self, node))
            elif kind != "comment" and node.child_count == 0:
                token = self._leaf(node)
                if token == "(" and self.out and self.out[-1].upper() in _GLUED:
                    self.out[-1] += token
                else:
                    self.out.append(token)
            elif kind != "comment" and cursor.goto_first_child():
                level += 1
                continue
            while not cursor.goto_next_sibling():
                if not cursor.goto_parent():
                    return
                level -= 1

    # each of these returns one token of the written text

    def _leaf(self, node) -> str:
        text = self._text(node)
        if node.is_named and node.type not in ("path_mod", "path_inverse"):
            raise Refusal(400, f"the query holds a {node.type} this endpoint does not read: {text[:40]!r}")
        if text.upper() == "SERVICE":
            self.service = True
        elif "SERVICE" in text.upper():
            self._service_inside(text)
        if text in _PUNCTUATION or _KEYWORD.fullmatch(text):
            return text
        raise Refusal(400, f"the query holds a token this endpoint does not read: {text[:40]!r}")

    def _iri(self, node) -> str:
        return "<" + "".join(f"\\u{ord(c):04X}" if c in "()[]{}" else c for c in self._iri_value(node)) + ">"

    def _iri_value(self, node) -> str:
        text = self._text(node)
        if not (text.startswith("<") and text.endswith(">")) or any(c in _NOT_IN_IRI for c in text[1:-1]):
            raise Refusal(400, f"the query holds an IRI this endpoint does not read: {text[:60]!r}")
        return text[1:-1]

    def _string(self, node) -> str:
        text = self._text(node)
        quote = next((q for q in ('"""', "'''", '"', "'") if text.startswith(q) and text.endswith(q)
                      and len(text) >= 2 * len(q)), None)
        inner = text[len(quote):-len(quote)] if quote else None
        if inner is None or (len(quote) == 1 and (quote in inner.replace("\\\\", "").replace("\\" + quote, "")
                                                  or "\n" in inner or "\r" in inner)):
            raise Refusal(400, f"the query holds a string this endpoint does not read: {text[:40]!r}")
        value, escaped = [], False
        for c in inner:
            if escaped:
                if c not in _ECHAR:
                    raise Refusal(400, f"the query holds an unknown escape \\{c} in a string")
                value.append(_ECHAR[c])
                escaped = False
            elif c == "\\":
                escaped = True
            else:
                value.append(c)
        if escaped:
            raise Refusal(400, "the query holds a string ending in a lone backslash")
        return '"' + "".join(c if _SAFE.fullmatch(c) else _escape(c) for c in value) + '"'

    def _rdf_literal(self, node) -> str:
        parts = [c for c in node.children if c.type != "comment"]
        written = self._string(parts[0])
        if len(parts) == 2 and parts[1].type == "lang_tag":
            return written + self._terminal(parts[1], "lang_tag")
        if len(parts) == 3 and parts[1].type == "^^":
            datatype = parts[2]
            return written + "^^" + (self._iri(datatype) if datatype.type == "iri_reference" else self._pname(datatype))
        if len(parts) != 1:
            raise Refusal(400, f"the query holds a literal this endpoint does not read: {self._text(node)[:40]!r}")
        return written

    def _pname(self, node) -> str:
        prefix, local = self._pname_parts(node)
        if "SERVICE" in prefix.upper():
            self._service_inside(f"{prefix}:{local}")
        return f"{prefix}:{local}"

    def _pname_parts(self, node) -> tuple[str, str]:
        parts = [c for c in node.children if c.type != "comment"]
        namespace = parts[0] if parts and parts[0].type == "namespace" else node
        prefix = self._namespace(namespace)
        local = self._text(parts[1]) if len(parts) == 2 else ""
        if len(parts) > 2 or not _TERMINALS["local"].fullmatch(local):
            raise Refusal(400, f"the query holds a prefixed name this endpoint does not read: "
                               f"{self._text(node)[:60]!r} (write the IRI in full)")
        return prefix, local

    def _namespace(self, node) -> str:
        if node.type == "namespace":
            parts = [c for c in node.children if c.type != "comment"]
            prefix = self._text(parts[0]) if len(parts) == 2 else ""
            if parts[-1].type != ":" or not _TERMINALS["prefix"].fullmatch(prefix):
                raise Refusal(400, f"the query holds a prefix this endpoint does not read: {self._text(node)[:40]!r}")
            return prefix
        raise Refusal(400, f"the query holds a prefixed name this endpoint does not read: {self._text(node)[:40]!r}")

    def _namespace_token(self, node) -> str:
        prefix = self._namespace(node)
        if "SERVICE" in prefix.upper():
            self._service_inside(prefix + ":")
        return prefix + ":"

    def _terminal(self, node, kind: str | None = None) -> str:
        text = self._text(node)
        if not _TERMINALS[kind or node.type].fullmatch(text):
            raise Refusal(400, f"the query holds a {node.type} this endpoint does not read: {text[:40]!r}")
        if kind == "lang_tag" and "SERVICE" in text.upper():
            self._service_inside(text)
        return text

    def _service_inside(self, text: str) -> None:
        # the engine may read a keyword glued to what follows ("SERVICEex:g" is SERVICE ex:g)
        self.service = True
        self.service_where = self.service_where or f" (read inside {text[:60]!r})"

    def _declare(self, node) -> None:
        parts = [c for c in node.children if c.type not in ("comment", "PREFIX")]
        if len(parts) == 2 and parts[0].type == "namespace" and parts[1].type == "iri_reference":
            self.prefixes.setdefault(self._namespace(parts[0]), []).append(self._iri_value(parts[1]))

    def _dataset(self, node) -> None:
        named = False
        stack = list(reversed(node.children))
        while stack:
            child = stack.pop()
            if child.type == "named_graph_clause":
                named = True
            if child.type == "iri_reference":
                self.datasets.append((named, "iri", self._iri_value(child)))
                return
            if child.type == "prefixed_name":
                self.datasets.append((named, "pname", ":".join(self._pname_parts(child))))
                return
            stack.extend(reversed(child.children))
        raise Refusal(403, f"FROM must name a graph of this store; {_OUTBOUND}")

    def _text(self, node) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")


_UNITS = {
    "iri_reference": _Writer._iri,
    "string": _Writer._string,
    "rdf_literal": _Writer._rdf_literal,
    "prefixed_name": _Writer._pname,
    "namespace": _Writer._namespace_token,
    "var": _Writer._terminal,
    "blank_node_label": _Writer._terminal,
    "integer": _Writer._terminal,
    "decimal": _Writer._terminal,
    "double": _Writer._terminal,
    "nil": lambda self, node: "( )",
    "anon": lambda self, node: "[ ]",
}


def _escape(c: str) -> str:
    # line breaks, quotes and backslashes as the string's own escapes: a \\u escape of them would,
    # decoded before parsing as the standard says, end or break the string for a reader
    if c in _ECHAR_OF:
        return _ECHAR_OF[c]
    return f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}"


_ECHAR_OF = {"\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _check_from(named: bool, kind: str, value: str, known: dict[str, list[str]], graphs: frozenset[str]) -> None:
    clause = "FROM NAMED" if named else "FROM"
    if kind == "iri":
        candidates = [value]
    else:
        prefix, _, local = value.partition(":")
        if prefix not in known or "\\" in local:
            raise Refusal(403, f"{clause} must name a graph of this store, not {value!r}; {_OUTBOUND}")
        candidates = [ns + local for ns in known[prefix]]
    for iri in candidates:
        if iri not in graphs:
            raise Refusal(403, f"{clause} <{iri}> names no graph of this store; {_OUTBOUND}")


def _codepoint(match) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group()


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
