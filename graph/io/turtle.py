"""Deterministic Turtle and TriG writers, fast enough for the whole build.

rdflib's serialisers order named graphs by hash and spend most of a build checking what the
builder already guarantees; these write subjects, predicates and objects in sorted order, so
the same triples always give the same bytes, several times faster.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef, RDF
>>> from graph.model.ontology import KG, KGR
>>> g = Graph()
>>> _ = g.add((KGR["org/acme"], RDF.type, KG.Company)).add((KGR["org/acme"], KG.note, Literal('say "hi"')))
>>> print(turtle(g, {"kg": KG}), end="")
@prefix kg: <https://w3id.org/exposure-kg/ontology#> .
<BLANKLINE>
<https://w3id.org/exposure-kg/id/org/acme> a kg:Company ;
    kg:note "say \\"hi\\"" .
"""

from __future__ import annotations

import heapq
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from itertools import count
from operator import itemgetter
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
# predicates and objects likewise. Decoding a term out of the store's RocksDB costs about a
# microsecond, whichever API reads it, and was most of the cost: each named graph is read by
# one SPARQL scan that leaves its recurring terms encoded (see _SCAN), and objects are
# rendered from their N-Triples text, which Oxigraph escapes as Turtle does (a slow path takes
# the rare text holding an escape). Blocks are rendered in the store's order (a subject's
# quads together, subjects in hash order), sorted in chunks of bounded size spooled to disk
# as sorted runs, and the runs merged once: memory holds one chunk, never an entry per
# subject of the dataset.

_TYPE = str(RDF.type)
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_DECIMAL = str(XSD.decimal)
_DECIMAL_SUFFIX = f"^^<{_DECIMAL}>"
#: bytes of rendered blocks sorted in memory before they are spooled as one sorted run
CHUNK = 32 << 20
#: distinct IRIs whose rendering is remembered (predicates, classes, countries, sources recur;
#: subjects and most objects do not, so the cache is bounded rather than kept for every IRI)
_IRI_CACHE = 1 << 16
# Characters Turtle forbids inside <...> (an IRI Oxigraph accepted holds none of them)
_IRI_UNSAFE = re.compile(r'[<>"{}|^`\\\x00-\x20]')
# The scan of one named graph. A graph repeats a few terms in most of its quads (predicates,
# classes, sources, countries, confidences): a left join on VALUES turns those into small
# integers inside Oxigraph (keeping the store's order, a subject's quads together), so that
# only the other terms are decoded; ?p and ?o are bound only when ?k and ?m are not.
_SCAN = """SELECT ?s ?k ?p ?m ?o WHERE {{
    GRAPH {graph} {{ ?s ?q ?x }}
    OPTIONAL {{ VALUES (?q ?k) {{ {predicates} }} }}
    OPTIONAL {{ VALUES (?x ?m) {{ {objects} }} }}
    BIND(IF(BOUND(?k), ?unbound, ?q) AS ?p)
    BIND(IF(BOUND(?m), ?unbound, ?x) AS ?o)
}}"""
# The first quads of the graph (its subjects in the store's hash order: a fair sample) say
# which terms recur.
_SAMPLE = "SELECT ?q ?x WHERE {{ GRAPH {graph} {{ ?s ?q ?x }} }} LIMIT {limit}"
SAMPLE = 10_000
#: at most this many recurring objects are joined to integers
_RECURRING = 1024


def write_from_store(store: ox.Store, graphs: Iterable[str], prefixes: Mapping[str, object],
                     trig_path: Path, turtle_path: Path, *, chunk: int = CHUNK) -> int:
    """Write the TriG of ``graphs`` and the Turtle of their union from ``store`` to two files.

    The bytes equal :func:`trig` and :func:`turtle` (of the union) on the same quads held in
    rdflib. Each named graph is read once; its subjects' blocks are sorted in chunks of about
    ``chunk`` bytes, spooled to a temporary folder beside ``trig_path`` (removed at the end)
    and merged once into both files, so memory stays bounded by ``chunk`` whatever the size
    of the store. Subjects in several graphs (and, in a store that does not keep a subject's
    quads together, subjects met twice) are read again for their union.

    Parameters
    ----------
    store
        The store holding the quads (on disk or in memory).
    graphs
        IRIs of the named graphs to write; empty ones are left out.
    prefixes
        prefix -> namespace, as for :func:`trig`.
    trig_path, turtle_path
        The files to write.
    chunk
        Bytes of rendered text sorted in memory at once.

    Returns
    -------
    int
        The number of triples in the Turtle (the union's distinct triples).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> store = ox.Store()
    >>> g, h = ox.NamedNode("https://e.org/g"), ox.NamedNode("https://e.org/h")
    >>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
    >>> store.add(ox.Quad(a, p, ox.Literal("A"), g))
    >>> store.add(ox.Quad(a, p, ox.Literal("B"), h))
    >>> write_from_store(store, ["https://e.org/g", "https://e.org/h"], {"e": "https://e.org/"},
    ...                  folder / "g.trig", folder / "g.ttl")
    2
    >>> print((folder / "g.ttl").read_text(), end="")
    @prefix e: <https://e.org/> .
    <BLANKLINE>
    e:a e:p "A",
            "B" .
    """
    names = _Names(prefixes)
    head = (_prefix_block(prefixes) + "\n").encode("utf-8")
    spool = Path(tempfile.mkdtemp(prefix=f".{trig_path.name}.spool-", dir=trig_path.parent))
    try:
        runs: list[_Run] = []
        written: list[str] = []  # the graphs with quads, in IRI order
        numbers = count()
        for name in sorted(graphs):
            made = _spool_graph(store, name, len(written), names, spool / "run-", numbers, chunk)
            if made:
                runs.extend(made)
                written.append(name)
        # One merge of every run writes the Turtle and each graph's part of the TriG: the
        # first graph's straight into the file, the others' into parts appended after it.
        with open(trig_path, "wb") as trig_out, open(turtle_path, "wb") as ttl_out:
            trig_out.write(head)
            ttl_out.write(head)
            parts = [trig_out] + [open(spool / f"part-{i}", "w+b") for i in range(1, len(written))]
            try:
                if written:
                    trig_out.write(f"{names.iri(written[0])} {{\n".encode("utf-8"))
                triples = _write_merged(runs, written, parts, ttl_out, store, names)
                for i, part in enumerate(parts):
                    if i:
                        trig_out.write(f"\n{names.iri(written[i])} {{\n".encode("utf-8"))
                        part.seek(0)
                        shutil.copyfileobj(part, trig_out, 1 << 20)
                    trig_out.write(b"}\n")
            finally:
                for part in parts[1:]:
                    part.close()
        return triples
    finally:
        shutil.rmtree(spool, ignore_errors=True)


class _Names:
    """Turtle text for IRIs and objects read from a store (the store-side :class:`_Namer`).

    Examples
    --------
    >>> names = _Names({"xsd": XSD, "e": "https://e.org/"})
    >>> names.iri("https://e.org/a"), names.iri("https://e.org/a/b")
    ('e:a', '<https://e.org/a/b>')
    >>> names.object(ox.Literal("1", datatype=ox.NamedNode(_DECIMAL)))
    '"1.0"^^xsd:decimal'
    >>> names.object(ox.Literal('say "hi"', language="en"))
    '"say \\\\"hi\\\\""@en'
    """

    def __init__(self, prefixes: Mapping[str, object]) -> None:
        namespaces = sorted((str(ns) for ns in prefixes.values()), key=lambda ns: -len(ns))
        self.prefix: dict[str, str] = {}
        for p, ns in prefixes.items():  # the first prefix of a namespace, as _Namer takes it
            self.prefix.setdefault(str(ns), p)
        # One pattern tries the namespaces longest first and backtracks to a shorter one when
        # the local part needs escaping, as _Namer's loop does, at C speed.
        self.local = re.compile("(?:" + "|".join(re.escape(ns) for ns in namespaces) +
                                r")([A-Za-z_][A-Za-z0-9_-]*)\Z") if namespaces else None
        self.cache: dict[str, str] = {}
        self.suffixes: dict[str, str] = {}  # '^^<datatype>' -> its Turtle form
        self.verbs: dict[str, str] = {}  # predicate sort key -> "verb "

    def iri(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = self.fresh(iri)
            if len(self.cache) >= _IRI_CACHE:
                self.cache.clear()
            self.cache[iri] = found
        return found

    def verb(self, key: str) -> str:
        """The verb of a predicate, from its sort key (:func:`_predicate_sort`), and a space."""
        if len(self.verbs) >= _IRI_CACHE:
            self.verbs.clear()
        verb = self.verbs[key] = ("a" if key == "" else self.iri(key)) + " "
        return verb

    def fresh(self, iri: str) -> str:
        """The Turtle form of ``iri``, not cached (for subjects, which occur once)."""
        match = self.local.match(iri) if self.local else None
        if match:
            local = match.group(1)
            return f"{self.prefix[iri[:-len(local)]]}:{local}"
        return f"<{_escape_iri(iri) if _IRI_UNSAFE.search(iri) else iri}>"

    def object(self, term) -> str:
        text = str(term)  # N-Triples, escaped by Oxigraph
        first = text[0]
        if first == "<":
            return self.iri(text[1:-1])
        if first == "_":
            return text
        if "\\" in text:
            # an escape: Oxigraph's and Turtle's differ (\u007F), so the value is escaped here
            return _ox_term(_ox_sort_key(term), term, self)
        end = text.rfind('"')
        if end == len(text) - 1 or text[end + 1] == "@":
            return text
        suffix = text[end + 1:]
        if suffix == _DECIMAL_SUFFIX:
            return f'"{_decimal(text[1:end])}"^^{self.iri(_DECIMAL)}'
        rendered = self.suffixes.get(suffix)
        if rendered is None:
            rendered = self.suffixes[suffix] = "^^" + self.iri(suffix[3:-1])
        return text[:end + 1] + rendered


_Run = tuple[Path, int]  # a sorted run of one named graph's blocks, and that graph's index


def _spool_graph(store: ox.Store, name: str, index: int, names: _Names, stem: Path, numbers: Iterator[int],
                 chunk: int) -> list[_Run]:
    """Render the blocks of named graph ``name`` and spool them as sorted runs ``stem<number>``.

    ``index`` is the graph's place among the graphs written, kept with each run.
    """
    runs: list[_Run] = []
    pending: list[tuple[bytes, int, bytes]] = []
    size = 0

    def spill() -> None:
        nonlocal size
        pending.sort(key=itemgetter(0))
        path = stem.with_name(f"{stem.name}{next(numbers)}")
        with open(path, "wb") as run:
            write = run.write
            for key, triples, text in pending:
                write(b"%d %d %s\n%s" % (len(text), triples, key, text))
        runs.append((path, index))
        pending.clear()
        size = 0

    graph = str(ox.NamedNode(name))  # <IRI>, checked by Oxigraph: safe inside a query
    predicates, objects = _recurring(store, graph)
    # integer (as the query returns it) -> predicate sort key; -> (object sort key, Turtle)
    known_predicates = {str(i): _predicate_sort(p.value) for i, p in enumerate(predicates)}
    known_objects = {str(i): (_ox_sort_key(o), names.object(o)) for i, o in enumerate(objects)}
    query = _SCAN.format(graph=graph, predicates=" ".join(f"({p} {i})" for i, p in enumerate(predicates)),
                         objects=" ".join(f"({o} {i})" for i, o in enumerate(objects)))
    shapes = _Shapes(names, known_predicates, known_objects)
    current, signature, holes = None, [], []
    for subject, k, predicate, m, obj in store.query(query):
        if subject != current:
            if signature:
                size += _add_block(pending, current, signature, holes, shapes)
                if size >= chunk:
                    spill()
            current, signature, holes = subject, [], []
        # a quad is "k m" when both are known; its object is a hole ("k") otherwise; an
        # unknown predicate is written "<IRI"
        verb = k.value if k is not None else "<" + predicate.value
        if m is None:
            signature.append(verb)
            holes.append(obj)
        else:
            signature.append(verb + " " + m.value)
    if signature:
        _add_block(pending, current, signature, holes, shapes)
    if pending:
        spill()
    return runs


class _Shapes:
    """Blocks rendered from templates, one per shape of block met (its quads' known terms).

    Most subjects of a graph share a few shapes (evidence nodes: the same types, method,
    source and confidence, and a row number of their own): a shape's text, with a hole for
    the subject and for each object that is not a known term, is made once and filled with
    ``str.format``.

    Examples
    --------
    >>> names = _Names({"e": "https://e.org/"})
    >>> known = {"0": ((0, "https://e.org/C", "", ""), "e:C")}  # object 0 -> (sort key, Turtle)
    >>> shapes = _Shapes(names, {"0": "https://e.org/p", "1": "https://e.org/q"}, known)
    >>> print(shapes.render("e:a", ["0 0", "1"], [ox.Literal("x")]), end="")  # e:p e:C, e:q a hole
        e:a e:p e:C ;
            e:q "x" .
    >>> list(shapes.templates.values())
    ['    {0} e:p e:C ;\\n        e:q {1} .\\n']
    """

    def __init__(self, names: _Names, predicates: dict[str, str], objects: dict[str, tuple]) -> None:
        self.names, self.predicates, self.objects = names, predicates, objects
        self.templates: dict[tuple, str | None] = {}

    def render(self, name: str, signature: list[str], holes: list) -> str:
        """The TriG block of the subject written ``name``, from its quads (see _spool_graph)."""
        shape = tuple(signature)
        template = self.templates.get(shape, False)
        if template is False:
            if len(self.templates) >= _IRI_CACHE:
                self.templates.clear()
            template = self.templates[shape] = self.template(signature)
        if template is None:
            return _fast_block(name, self.by_predicate(signature, holes), self.names)
        return template.format(name, *[self.names.object(h) for h in holes])

    def template(self, signature: list[str]) -> str | None:
        # None when a hole shares its predicate with other objects: their order depends on it
        holes = [(_HOLE, f"{{{i}}}") for i in range(1, len(signature) + 1)]
        by_predicate = self.by_predicate(signature, holes)
        if any(len(objects) > 1 and any(o[0] is _HOLE for o in objects) for objects in by_predicate.values()):
            return None
        for objects in by_predicate.values():
            for i, (key, text) in enumerate(objects):
                if key is not _HOLE:  # braces in known text are doubled for str.format
                    objects[i] = (key, text.replace("{", "{{").replace("}", "}}"))
        return _fast_block("{0}", by_predicate, self.names)

    def by_predicate(self, signature: list[str], holes: list) -> dict[str, list]:
        """Objects (known pairs, or ``holes`` in order) by predicate sort key."""
        by_predicate: dict[str, list] = {}
        objects = iter(holes)
        for quad in signature:
            verb, _, known = quad.partition(" ")
            key = _predicate_sort(verb[1:]) if verb[:1] == "<" else self.predicates[verb]
            by_predicate.setdefault(key, []).append(self.objects[known] if known else next(objects))
        return by_predicate


_HOLE = object()  # the sort key of a hole in a template


def _recurring(store: ox.Store, graph: str) -> tuple[list, list]:
    """The predicates, and the objects met more than once, in a sample of ``graph``'s quads."""
    predicates: dict = {}
    objects: Counter = Counter()
    for predicate, obj in store.query(_SAMPLE.format(graph=graph, limit=SAMPLE)):
        predicates[predicate] = None
        # a blank node cannot be written in VALUES; text with escapes is left out too, since
        # SPARQL and N-Triples read \u escapes at different stages
        if type(obj) is not ox.BlankNode and "\\" not in str(obj):
            objects[obj] += 1
    return list(predicates), [o for o, n in objects.most_common(_RECURRING) if n > 1]


def _predicate_sort(predicate: str) -> str:
    # rdf:type comes first ("a"), then the predicates by IRI, as turtle() orders them
    return "" if predicate == _TYPE else predicate


def _add_block(pending: list, subject, signature: list[str], holes: list, shapes: _Shapes) -> int:
    """Render one subject's block (TriG indent) into ``pending``; returns its size in bytes."""
    value = subject.value
    if type(subject) is ox.NamedNode:
        key, name = b"0" + value.encode("utf-8"), shapes.names.fresh(value)
    else:
        key, name = b"1" + value.encode("utf-8"), f"_:{value}"
    text = shapes.render(name, signature, holes).encode("utf-8")
    pending.append((key, len(signature), text))
    return len(text)


def _fast_block(name: str, by_predicate: dict[str, list], names: _Names) -> str:
    """A subject's TriG block from its distinct objects by predicate sort key."""
    parts = []
    verbs = names.verbs
    for key in sorted(by_predicate):
        verb = verbs.get(key)
        if verb is None:
            verb = names.verb(key)
        objects = by_predicate[key]
        if len(objects) == 1:
            value = objects[0]
            parts.append(verb + (value[1] if type(value) is tuple else names.object(value)))
        else:
            pairs = [value if type(value) is tuple else (_ox_sort_key(value), names.object(value))
                     for value in objects]
            pairs.sort(key=itemgetter(0))
            parts.append(verb + ",\n            ".join([text for _, text in pairs]))
    return f"    {name} " + " ;\n        ".join(parts) + " .\n"


def _write_merged(runs: list[_Run], graphs: list[str], parts: list, ttl_out, store: ox.Store,
                  names: _Names) -> int:
    """Merge the sorted ``runs``: each block to its graph's part of the TriG and to the Turtle.

    Returns the number of triples written to the Turtle.
    """
    files = [open(path, "rb") for path, _ in runs]
    try:
        readlines, reads = [f.readline for f in files], [f.read for f in files]

        def read(run: int) -> tuple[bytes, int, int, int, bytes] | None:
            header = readlines[run]()
            if not header:
                return None
            size, triples, key = header.split(b" ", 2)
            return key[:-1], runs[run][1], run, int(triples), reads[run](int(size))

        # a record: (subject key, graph index, run index, triples, TriG block); the heap orders
        # them by subject key (ties, a subject in several graphs or runs, are rare)
        heap = [record for record in map(read, range(len(runs))) if record is not None]
        heapq.heapify(heap)

        def advance(run: int) -> None:
            """Replace the heap's top, a record of ``run``, with the run's next record."""
            record = read(run)
            if record is None:
                heapq.heappop(heap)
            else:
                heapq.heapreplace(heap, record)

        started = [False] * len(parts)
        ttl_write = ttl_out.write
        triples = 0
        first = True
        while heap:
            record = heap[0]
            advance(record[2])
            # blocks are separated by a blank line; the last of a graph loses its newline to
            # the closing brace, as trig() writes it
            if first:
                first = False
            else:
                ttl_write(b"\n")
            if not heap or heap[0][0] != record[0]:
                _, graph, _, made, text = record
                parts[graph].write(b"\n" + text if started[graph] else text)
                started[graph] = True
                triples += made
                # the Turtle block is the TriG block less its indent (literals' newlines are
                # escaped, so every raw newline is the layout's)
                ttl_write(text[4:].replace(b"\n    ", b"\n"))
                continue
            # The subject is in several graphs (its TriG blocks stand, its Turtle block is
            # the union of theirs), or its quads came in several runs of one graph (an
            # in-memory store mixes them: that graph's block is rendered again).
            group = [record]
            while heap and heap[0][0] == record[0]:
                group.append(heap[0])
                advance(heap[0][2])
            subject = _ox_subject(record[0])
            in_graphs = sorted({r[1] for r in group})
            for graph in in_graphs:
                blocks = [r[4] for r in group if r[1] == graph]
                if len(blocks) > 1:
                    node = ox.NamedNode(graphs[graph])
                    blocks = [_ox_block(subject, store.quads_for_pattern(subject, None, None, node), names,
                                        "    ").encode("utf-8")]
                parts[graph].write(b"\n" + blocks[0] if started[graph] else blocks[0])
                started[graph] = True
            union = [q for graph in in_graphs
                     for q in store.quads_for_pattern(subject, None, None, ox.NamedNode(graphs[graph]))]
            triples += len({(q.predicate, q.object) for q in union})
            ttl_write(_ox_block(subject, union, names, "").encode("utf-8"))
        return triples
    finally:
        for file in files:
            file.close()


def _ox_subject(key: bytes):
    value = key[1:].decode("utf-8")
    return ox.NamedNode(value) if key[:1] == b"0" else ox.BlankNode(value)


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


def _ox_block(subject, quads: Iterable, names: _Names, indent: str) -> str:
    """A subject's block from any quads (repeats and several graphs allowed): the slow path."""
    predicates: dict[str, set] = defaultdict(set)
    for quad in quads:
        predicates[_predicate_sort(quad.predicate.value)].add(quad.object)
    joiner = f",\n{indent}        "
    parts = [(names.verbs.get(key) or names.verb(key)) +
             joiner.join([names.object(o) for o in sorted(predicates[key], key=_ox_sort_key)])
             for key in sorted(predicates)]
    name = names.fresh(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
    return f"{indent}{name} " + f" ;\n{indent}    ".join(parts) + " .\n"


def _ox_term(key: tuple, term, names: _Names) -> str:
    if key[0] == 0:
        return names.iri(key[1])
    if key[0] == 1:
        return f"_:{key[1]}"
    text = '"' + _escape_string(key[1]) + '"'
    if key[3]:
        return f"{text}@{key[3]}"
    if key[2]:
        return f"{text}^^{names.iri(key[2])}"
    return text
