"""Deterministic Turtle and TriG writers, fast enough for the whole build.

rdflib's serialisers order named graphs by hash and spend most of a build checking what the
builder already guarantees; these write subjects, predicates and objects in sorted order, so
the same triples always give the same bytes, several times faster.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef, RDF
>>> from graph.ontology import KG, KGR
>>> g = Graph()
>>> _ = g.add((KGR["org/acme"], RDF.type, KG.Company)).add((KGR["org/acme"], KG.note, Literal('say "hi"')))
>>> print(turtle(g, {"kg": KG}), end="")
@prefix kg: <https://w3id.org/exposure-kg/ontology#> .
<BLANKLINE>
<https://w3id.org/exposure-kg/id/org/acme> a kg:Company ;
    kg:note "say \\"hi\\"" .
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef

__all__ = ["turtle", "trig"]

# A local name that needs no escaping in a prefixed name (a safe subset of PN_LOCAL).
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def turtle(triples: Graph | Iterable[tuple], prefixes: Mapping[str, object]) -> str:
    """Turtle for ``triples`` with the given prefixes, subjects and objects in sorted order."""
    return _prefix_block(prefixes) + "\n" + _body(triples, _Namer(prefixes), indent="")


def trig(dataset: Dataset, prefixes: Mapping[str, object]) -> str:
    """TriG for every non-empty named graph of ``dataset``, graphs in IRI order."""
    namer = _Namer(prefixes)
    blocks = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        body = _body(graph, namer, indent="    ")
        blocks.append(f"{_term(graph.identifier, namer)} {{\n{body.rstrip()}\n}}\n")
    return _prefix_block(prefixes) + "\n" + "\n".join(blocks)


def _prefix_block(prefixes: Mapping[str, object]) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items(), key=lambda i: i[0]))


class _Namer:
    """Shortens IRIs to prefixed names where the local part needs no escaping."""

    def __init__(self, prefixes: Mapping[str, object]) -> None:
        # longest namespace first, so that nested namespaces pick the most specific prefix
        self.prefixes = sorted(((str(ns), p) for p, ns in prefixes.items()), key=lambda i: -len(i[0]))
        self.cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = f"<{_escape_iri(iri)}>"
            for namespace, prefix in self.prefixes:
                if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                    found = f"{prefix}:{iri[len(namespace):]}"
                    break
            self.cache[iri] = found
        return found


def _body(triples: Iterable[tuple], namer: _Namer, *, indent: str) -> str:
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in (t[:3] for t in triples):
        by_subject[s][p].append(o)
    lines: list[str] = []
    for subject in sorted(by_subject, key=_sort_key):
        predicates = by_subject[subject]
        ordered = sorted(predicates, key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for predicate in ordered:
            verb = "a" if predicate == RDF.type else _term(predicate, namer)
            objects = sorted(set(predicates[predicate]), key=_sort_key)
            rendered = [_term(o, namer) for o in objects]
            joiner = f",\n{indent}        "
            parts.append(f"{verb} {joiner.join(rendered)}")
        lines.append(f"{indent}{_term(subject, namer)} " + f" ;\n{indent}    ".join(parts) + " .\n")
    return "\n".join(lines)


def _sort_key(term) -> tuple:
    if isinstance(term, Literal):
        return (2, str(term), str(term.datatype or ""), term.language or "")
    return (0 if isinstance(term, URIRef) else 1, str(term), "", "")


def _term(term, namer: _Namer) -> str:
    if isinstance(term, URIRef):
        return namer.iri(str(term))
    if isinstance(term, Literal):
        text = '"' + _escape_string(str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^{namer.iri(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot write {term!r} as Turtle")


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_string(text: str) -> str:
    if not any(c in text for c in _STRING_ESCAPES) and not any(ord(c) < 0x20 for c in text):
        return text
    out = []
    for char in text:
        if char in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[char])
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _escape_iri(iri: str) -> str:
    # Characters Turtle forbids inside <...>; IRIs from sources (URLs) may carry them.
    return "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c for c in iri)
