"""RDF terms at the bottom of the house: prefixes, rdflib <-> Oxigraph, normal forms, unions.

Everything that reads or writes a graph (the builder, the store, SPARQL, validation, the
server, the projection) takes its prefix table, its term conversions and its idea of "the
union of a dataset" from here, so that one rule holds everywhere: a literal typed
``xsd:string`` is the plain literal rdflib's own store would hold, decimals are written in one
canonical form, and an IRI is shown as ``kgr:org/sensetime`` when its namespace is known.

Examples
--------
>>> import pyoxigraph as ox
>>> compact(KGR["org/sensetime"])
'kgr:org/sensetime'
>>> from_ox(to_ox(Literal("Pékin", lang="fr"))) == Literal("Pékin", lang="fr")
True
>>> from_ox(ox.Literal("A")) == Literal("A")  # Oxigraph types plain literals xsd:string
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Identifier

from graph.errors import QueryError, StoreError
from graph.model.ontology import KG, KGR

__all__ = [
    "PREFIXES",
    "XSD_STRING",
    "compact",
    "bind_prefixes",
    "to_ox",
    "from_ox",
    "plain_datatype",
    "normalise",
    "sparql_term",
    "quoted",
    "is_iri",
    "union_triples",
    "union_graph",
]

#: prefix -> namespace, for every file, query and table the project writes
PREFIXES = {
    "kg": KG,
    "kgr": KGR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
}

#: the datatype RDF 1.1 gives plain literals (Oxigraph says it; rdflib leaves it out)
XSD_STRING = str(XSD.string)

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def compact(term: object) -> str:
    """A term as users read it: ``kgr:org/sensetime`` for IRIs of known namespaces, else text.

    >>> compact(KGR["org/sensetime"]), compact(KG.targets), compact(Literal("x"))
    ('kgr:org/sensetime', 'kg:targets', 'x')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(str(namespace)):]}"
    return str(term)


def bind_prefixes(graph: Graph | Dataset) -> None:
    """Bind :data:`PREFIXES` on ``graph``, replacing rdflib's defaults for the same prefixes.

    >>> g = Graph()
    >>> bind_prefixes(g)
    >>> dict(g.namespaces())["kgr"] == URIRef(str(KGR))
    True
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(str(namespace)), override=True, replace=True)


def plain_datatype(datatype: str | None, language: str | None) -> str | None:
    """The datatype rdflib's own store gives a literal: none when tagged or ``xsd:string``.

    >>> plain_datatype(XSD_STRING, None) is None, plain_datatype(str(XSD.date), None)
    (True, 'http://www.w3.org/2001/XMLSchema#date')
    """
    if language or datatype == XSD_STRING:
        return None
    return datatype


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib IRI, blank node or literal.

    Raises
    ------
    StoreError
        ``term`` is none of these (a variable, a graph).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store the term {term!r} in Oxigraph")


def from_ox(term) -> Identifier | None:
    """A pyoxigraph term as an rdflib term, ``xsd:string`` made plain (None stays None).

    Raises
    ------
    QueryError
        ``term`` is not an IRI, blank node or literal.

    Examples
    --------
    >>> from_ox(ox.NamedNode("https://e.org/a"))
    rdflib.term.URIRef('https://e.org/a')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = plain_datatype(term.datatype.value, None)
        return Literal(term.value) if datatype is None else Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unexpected term in a result: {term!r}")


def normalise(term: Identifier | None, *, decimals: bool = True) -> Identifier | None:
    """A term as rdflib's own store would give it: ``xsd:string`` literals become plain.

    With ``decimals``, an ``xsd:decimal`` is also written in its canonical form, since engines
    write them differently ("1" in Oxigraph, "1.0" in rdflib).

    Examples
    --------
    >>> normalise(Literal("A", datatype=XSD.string)) == Literal("A")
    True
    >>> str(normalise(Literal("1", datatype=XSD.decimal)))
    '1.0'
    """
    if not isinstance(term, Literal) or term.language:
        return term
    if term.datatype is not None and plain_datatype(str(term.datatype), None) is None:
        return Literal(str(term))
    if decimals and term.datatype == XSD.decimal and re.fullmatch(r"[+-]?\d*\.?\d*", str(term)):
        # the canonical form, with one digit after the point at least
        value = Decimal(str(term)).normalize()
        text = format(value, "f")
        return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)
    return term


def is_iri(text: str) -> bool:
    """False when ``text`` holds a character no IRI may hold (space, quote, angle bracket ...).

    >>> is_iri("https://e.org/a"), is_iri("https://e.org/a> } DROP ALL #")
    (True, False)
    """
    return not _BAD_IRI.search(text)


def sparql_term(term: Identifier) -> str:
    """Write an RDF term in SPARQL (and N-Triples) syntax, escaping whatever needs it.

    Raises
    ------
    QueryError
        An IRI holding characters no IRI may hold, or a term that is not an IRI or literal.

    Examples
    --------
    >>> print(sparql_term(Literal('x" } DROP ALL #')))
    "x\\" } DROP ALL #"
    >>> sparql_term(Literal("Pékin", lang="fr"))
    '"Pékin"@fr'
    """
    if isinstance(term, URIRef):
        if not is_iri(str(term)):
            raise QueryError(f"{str(term)!r} is not an IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = quoted(str(term))
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise QueryError(f"{term.language!r} is not a language tag")
            return f'{text}@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'{text}^^{sparql_term(URIRef(term.datatype))}'
        return text
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be parameters")


def quoted(text: str) -> str:
    """``text`` as a string of SPARQL and N-Triples, quoted and escaped: a plain literal's term.

    >>> print(quoted('say "hi"'))
    "say \\"hi\\""
    """
    return '"' + text.translate(_ESCAPES) + '"'


def union_triples(graph: Graph | Dataset) -> Iterator[tuple]:
    """Every triple of ``graph``; of a Dataset, those of all its graphs (once per graph).

    >>> ds = Dataset()
    >>> _ = ds.graph(KGR["source/a"]).add((KGR["a"], RDFS.label, Literal("A")))
    >>> _ = ds.graph(KGR["source/b"]).add((KGR["a"], RDFS.label, Literal("A")))
    >>> len(list(union_triples(ds))), len(union_graph(ds))
    (2, 1)
    """
    if isinstance(graph, Dataset):
        return (quad[:3] for quad in graph.quads((None, None, None, None)))
    return iter(graph)


def union_graph(graph: Graph | Dataset) -> Graph:
    """The triples of ``graph``, named graphs merged, as one plain Graph (a Graph is itself)."""
    if not isinstance(graph, Dataset):
        return graph
    union = Graph()
    for prefix, namespace in graph.namespaces():
        union.bind(prefix, namespace, override=True)
    for triple in union_triples(graph):
        union.add(triple)
    return union
