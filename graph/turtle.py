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

import mmap
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef

__all__ = ["turtle", "trig", "write_from_store"]

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


# ------------------------------------------------------------------ from an Oxigraph store
# The streaming build writes its quads into Oxigraph and the files from there, with the same
# bytes as turtle()/trig() on the equivalent rdflib Dataset: subjects sorted by the same key,
# predicates and objects likewise. A store is scanned one named graph at a time (its index
# keeps each subject's quads together); each subject's block is rendered once and spooled to
# a file beside the output, so that memory holds one sort key per subject, not the text.

_TYPE = str(RDF.type)
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_DECIMAL = str(XSD.decimal)


def write_from_store(store: ox.Store, graphs: Iterable[str], prefixes: Mapping[str, object],
                     trig_path: Path, turtle_path: Path) -> int:
    """Write the TriG of ``graphs`` and the Turtle of their union from ``store`` to two files.

    The bytes equal :func:`trig` and :func:`turtle` (of the union) on the same quads held in
    rdflib. Temporary spool files are made beside ``trig_path`` and removed. Returns the
    number of triples in the Turtle (the union's distinct triples).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = ox.Store()
    >>> g = ox.NamedNode("https://e.org/g")
    >>> store.add(ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p"), ox.Literal("A"), g))
    >>> write_from_store(store, ["https://e.org/g"], {"e": "https://e.org/"}, folder / "g.trig", folder / "g.ttl")
    1
    >>> print((folder / "g.ttl").read_text(), end="")
    @prefix e: <https://e.org/> .
    <BLANKLINE>
    e:a e:p "A" .
    """
    namer = _Namer(prefixes)
    spool_trig, spool_ttl = trig_path.with_suffix(".trig-spool"), turtle_path.with_suffix(".ttl-spool")
    union: dict[tuple, tuple[int, int, int] | None] = {}  # subject key -> its Turtle block; None: in several graphs
    triples = 0
    try:
        with open(spool_trig, "w+b") as trig_spool, open(spool_ttl, "w+b") as ttl_spool, \
                open(trig_path, "wb") as trig_out:
            trig_out.write((_prefix_block(prefixes) + "\n").encode("utf-8"))
            first = True
            for name in sorted(graphs):
                node = ox.NamedNode(name)
                trig_spool.seek(0)
                trig_spool.truncate()
                # subject key -> its block; None when its quads came in several runs (an
                # in-memory store does not keep them together): rendered again from the store
                blocks: dict[tuple, tuple[int, int] | None] = {}
                for subject, quads in _runs(store.quads_for_pattern(None, None, None, node)):
                    key = _ox_sort_key(subject)
                    text = _ox_block(subject, quads, namer, "    ")
                    if key in blocks:
                        blocks[key] = None
                    else:
                        blocks[key] = (trig_spool.tell(), trig_spool.write(text.encode("utf-8")))
                    if key in union:
                        union[key] = None
                    else:
                        # the Turtle block is the TriG block less its indent (literals' newlines
                        # are escaped, so every raw newline is the layout's)
                        flat = text[4:].replace("\n    ", "\n").encode("utf-8")
                        union[key] = (ttl_spool.tell(), len(flat), len(set(quads)))
                        ttl_spool.write(flat)
                if not blocks:
                    continue
                trig_spool.flush()
                trig_out.write((("" if first else "\n") + f"{namer.iri(name)} {{\n").encode("utf-8"))
                first = False
                view = mmap.mmap(trig_spool.fileno(), 0, access=mmap.ACCESS_READ) if trig_spool.tell() else None
                try:
                    ordered = sorted(blocks)
                    last = len(ordered) - 1
                    for i, key in enumerate(ordered):
                        where = blocks[key]
                        if where is None:
                            subject = _ox_subject(key)
                            text = _ox_block(subject, list(store.quads_for_pattern(subject, None, None, node)),
                                             namer, "    ").encode("utf-8")
                        else:
                            text = view[where[0]:where[0] + where[1]]
                        # blocks are separated by a blank line; the last loses its newline
                        # to the closing brace, as trig() writes it
                        trig_out.write(text if i == last else text + b"\n")
                finally:
                    if view is not None:
                        view.close()
                trig_out.write(b"}\n")
            ttl_spool.flush()
            with open(turtle_path, "wb") as ttl_out:
                ttl_out.write((_prefix_block(prefixes) + "\n").encode("utf-8"))
                size = ttl_spool.tell()
                view = mmap.mmap(ttl_spool.fileno(), 0, access=mmap.ACCESS_READ) if size else None
                try:
                    for i, key in enumerate(sorted(union)):
                        if i:
                            ttl_out.write(b"\n")
                        where = union[key]
                        if where is None:  # the union of the subject's triples in every graph
                            subject = _ox_subject(key)
                            quads = list(store.quads_for_pattern(subject, None, None))
                            triples += len({(q.predicate, q.object) for q in quads})
                            ttl_out.write(_ox_block(subject, quads, namer, "").encode("utf-8"))
                        else:
                            triples += where[2]
                            ttl_out.write(view[where[0]:where[0] + where[1]])
                finally:
                    if view is not None:
                        view.close()
    finally:
        spool_trig.unlink(missing_ok=True)
        spool_ttl.unlink(missing_ok=True)
    return triples


def _ox_subject(key: tuple):
    return ox.NamedNode(key[1]) if key[0] == 0 else ox.BlankNode(key[1])


def _runs(quads):
    """(subject, its quads) for each run of quads with the same subject."""
    current, run = None, []
    for quad in quads:
        subject = quad.subject
        if subject != current:
            if run:
                yield current, run
            current, run = subject, []
        run.append(quad)
    if run:
        yield current, run


def _ox_sort_key(term) -> tuple:
    if isinstance(term, ox.Literal):
        text, datatype = _ox_lexical(term)
        return (2, text, datatype, term.language or "")
    return (0 if isinstance(term, ox.NamedNode) else 1, term.value, "", "")


def _ox_lexical(term: ox.Literal) -> tuple[str, str]:
    """The lexical form and datatype ("" when plain) rdflib would give the literal."""
    datatype = term.datatype.value
    if datatype in _PLAIN:
        return term.value, ""
    if datatype == _DECIMAL:
        # Oxigraph keeps decimals by value ("1"), the builder writes rdflib's Literal of the
        # float's repr ("1.0")
        return _decimal(term.value), datatype
    return term.value, datatype


@lru_cache(maxsize=4096)
def _decimal(text: str) -> str:
    try:
        return str(Literal(Decimal(repr(float(text))), datatype=XSD.decimal))
    except (ValueError, ArithmeticError):
        return text


def _ox_block(subject, quads: list, namer: _Namer, indent: str) -> str:
    predicates: dict[str, set] = defaultdict(set)
    for quad in quads:
        predicates[quad.predicate.value].add(quad.object)
    parts = []
    for predicate in sorted(predicates, key=lambda p: (p != _TYPE, p)):
        verb = "a" if predicate == _TYPE else namer.iri(predicate)
        objects = sorted(((_ox_sort_key(o), o) for o in predicates[predicate]), key=lambda k: k[0])
        rendered = [_ox_term(key, o, namer) for key, o in objects]
        joiner = f",\n{indent}        "
        parts.append(f"{verb} {joiner.join(rendered)}")
    name = namer.iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
    return f"{indent}{name} " + f" ;\n{indent}    ".join(parts) + " .\n"


def _ox_term(key: tuple, term, namer: _Namer) -> str:
    if key[0] == 0:
        return namer.iri(key[1])
    if key[0] == 1:
        return f"_:{key[1]}"
    text = '"' + _escape_string(key[1]) + '"'
    if key[3]:
        return f"{text}@{key[3]}"
    if key[2]:
        return f"{text}^^{namer.iri(key[2])}"
    return text
