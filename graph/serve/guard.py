"""What the endpoint refuses to run, read from the query's tokens as SPARQL's grammar defines them.

Oxigraph follows ``SERVICE`` by itself and has no switch to turn its HTTP client off, so the
endpoint (:mod:`graph.serve.app`) must find every ``SERVICE`` before the engine sees the query. A
regular expression over the text is not enough: a ``#`` comment ends at ``\\r`` as well as
``\\n``, strings come in four quote forms with escapes, a prefixed name may hold an escaped ``#``
or ``'``, keywords are case-insensitive and the engine reads them glued to their neighbours
(``trueSERVICE <x> {}`` is the literal ``true`` then ``SERVICE``). So the check tokenizes the query
with the grammar's own terminals (SPARQL 1.1, section 19.8) and looks at the tokens.

Where the grammar and the engine could differ the check leans to refusing: a comment also ends at
the other line breaks (vertical tab, form feed, U+0085, U+2028, U+2029), and the query is checked
twice, as written and with its ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes decoded everywhere (the
standard's reading), so that either reading the engine takes is covered.

Examples
--------
>>> refusal("SELECT * { ?s ?p 'SERVICE' } # SERVICE", frozenset())
'SELECT'
>>> refusal("SELECT * { #\\r SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", frozenset())
Traceback (most recent call last):
...
graph.serve.guard.Refusal: 403: SERVICE is refused: this endpoint makes no outbound requests
"""

from __future__ import annotations

import re

__all__ = ["Refusal", "refusal", "tokenize", "MAX_DEPTH"]

#: deepest nesting of ( [ { a query may have; the engine's recursive parser overflows its stack
#: on tens of thousands, and no real query needs more than a few dozen
MAX_DEPTH = 128

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_OUTBOUND = "no outbound requests"


class Refusal(Exception):
    """A request the endpoint will not run: an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


def refusal(text: str, graphs: frozenset[str], *, allow_service: bool = False,
            prefixes: dict[str, str] | None = None) -> str:
    """Check a query against the endpoint's rules and return its form (``SELECT`` ...).

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

    Raises
    ------
    Refusal
        403 for an update, for ``SERVICE`` (unless allowed), for ``FROM`` a graph the store does
        not hold; 400 for nesting deeper than :data:`MAX_DEPTH`.

    Examples
    --------
    >>> refusal("DROP ALL", frozenset())
    Traceback (most recent call last):
    ...
    graph.serve.guard.Refusal: 403: this endpoint is read only: DROP is an update
    >>> refusal("ASK FROM <https://e.org/g> {}", frozenset({"https://e.org/g"}))
    'ASK'
    """
    form = _check(tokenize(text), graphs, allow_service, prefixes or {})
    decoded = _decode_codepoints(text)
    if decoded != text:
        _check(tokenize(decoded), graphs, allow_service, prefixes or {})
    return form


def tokenize(text: str) -> list[tuple[str, str]]:
    """The query's tokens as ``(kind, text)``, without white space and comments.

    Kinds: ``iri``, ``string``, ``var``, ``bnode``, ``lang``, ``number``, ``pname``, ``word``
    (a keyword or function name, possibly several glued together) and ``punct`` (one character).

    Examples
    --------
    >>> tokenize("SELECT ?x { ?x ex:a\\\\#b 'it''s' } # done")
    [('word', 'SELECT'), ('var', '?x'), ('punct', '{'), ('var', '?x'), ('pname', 'ex:a\\\\#b'), \
('string', "'it'"), ('string', "'s'"), ('punct', '}')]
    """
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            out.append((kind, match.group()))
    return out


# ------------------------------------------------------------------------------ the rules


def _check(tokens, graphs, allow_service, known) -> str:
    depth = deepest = 0
    for kind, value in tokens:
        if kind == "punct":
            if value in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif value in ")]}":
                depth -= 1
    if deepest > MAX_DEPTH:
        raise Refusal(400, f"the query nests brackets {deepest} deep; the limit is {MAX_DEPTH}")

    prefixes = {f"{p}:": ns for p, ns in known.items()}
    for i, (kind, value) in enumerate(tokens[:-2]):
        if kind == "word" and value.upper() == "PREFIX" and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1]] = _iri(tokens[i + 2][1])
    words = [value.upper() for kind, value in tokens if kind == "word" and value.upper() not in ("PREFIX", "BASE")]
    form = next((f for f in QUERY_FORMS + tuple(UPDATE_WORDS) if words and words[0].startswith(f)), "")
    if form in UPDATE_WORDS:
        raise Refusal(403, f"this endpoint is read only: {form} is an update")

    for i, (kind, value) in enumerate(tokens):
        upper = value.upper()
        # the engine reads keywords glued to their neighbours ("trueSERVICE <x> {}" is true, then
        # SERVICE; "SERVICEex:g" is SERVICE ex:g), so a word, a prefix or a language tag holding
        # the keyword anywhere counts
        head = upper.partition(":")[0] if kind == "pname" else upper if kind in ("word", "lang") else ""
        if "SERVICE" in head and not allow_service:
            where = "" if upper == "SERVICE" else f" (read inside {value!r})"
            raise Refusal(403, f"SERVICE is refused{where}: this endpoint makes {_OUTBOUND}")
        if "FROM" not in head or kind == "lang":
            continue
        if kind == "pname":
            raise Refusal(403, f"FROM must be followed by a space and a graph of this store, not {value!r}")
        j = i + 1
        if j < len(tokens) and tokens[j][1].upper() == "NAMED":
            j += 1
        target = tokens[j] if j < len(tokens) else ("", "")
        if target[0] == "iri":
            iri = _iri(target[1])
        elif target[0] == "pname" and target[1].partition(":")[0] + ":" in prefixes and "\\" not in target[1]:
            prefix, _, local = target[1].partition(":")
            iri = prefixes[prefix + ":"] + local
        else:
            raise Refusal(403, f"FROM must name a graph of this store; this endpoint makes {_OUTBOUND}")
        if iri not in graphs:
            raise Refusal(403, f"FROM <{iri}> names no graph of this store; this endpoint makes {_OUTBOUND}")
    return form


def _iri(token: str) -> str:
    return _decode_codepoints(token[1:-1])


def _decode_codepoints(text: str) -> str:
    return _CODEPOINT.sub(_codepoint, text)


def _codepoint(match) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group()


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# ------------------------------------------------------------------------------ the terminals

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_TOKEN = re.compile(rf"""
    (?P<ws>[\x20\t\r\n]+)
  | (?P<comment>\#[^\r\n\x0b\x0c\x85\u2028\u2029]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''
              |\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*\"\"\"
              |'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'
              |"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<word>[{_U}0-9]+)
  | (?P<punct>[\s\S])
""", re.VERBOSE)
