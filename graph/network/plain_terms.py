"""RDF terms as plain values, whichever store they come from, and the one value kept of several.

The network layer reads rdflib graphs and pyoxigraph stores alike and holds their terms as
plain values: IRIs as ``str`` (interned), blank nodes as ``"_:id"``, literals as :class:`Lit`.
Where a subject has several values and one is wanted (a share, a date, a label), the first in
term order is kept (:func:`first_term`), so that every reader picks the same one. Neither
rdflib nor pyoxigraph is imported here: a term is converted by the reader that has it.

Examples
--------
>>> import pyoxigraph as ox
>>> from_oxigraph(ox.Literal("Huawei", language="en"))
Lit(value='Huawei', lang='en', datatype=None)
>>> index = {"https://e.org/a": [Lit("30", None, None), Lit("20.5", None, None)]}
>>> first_value(index, "https://e.org/a")
'20.5'
>>> best_label([Lit("Huawei", "fr", None), Lit("Huawei Technologies", "en", None)])
'Huawei Technologies'
"""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern
from typing import NamedTuple

__all__ = ["Lit", "from_oxigraph", "from_rdflib", "term_value", "term_order", "first_term", "first_value",
           "best_label"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Lit(NamedTuple):
    """A literal as the projection reads it, whichever store it comes from."""

    value: str
    lang: str | None
    datatype: str | None


def from_rdflib(term):
    """An rdflib term as a plain value: ``str`` for an IRI, ``"_:id"`` for a blank node, or a :class:`Lit`."""
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        return Lit(str(term), term.language,
                   _plain_datatype(str(term.datatype), term.language) if term.datatype is not None else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    # interned: the same IRI comes back once per triple, and the indexes keep them all
    return intern(str(term))


def from_oxigraph(term):
    """A pyoxigraph term as :func:`from_rdflib` gives the same term read through rdflib."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return intern(term.value)
    if kind == "Literal":
        # RDF 1.1 types plain literals xsd:string; rdflib reads them without a datatype
        return Lit(term.value, term.language, _plain_datatype(term.datatype.value, term.language))
    if kind == "BlankNode":
        return f"_:{term.value}"
    return intern(term.value)


def term_value(term) -> str:
    """A literal's text, or the IRI or blank node itself."""
    return term.value if isinstance(term, Lit) else term


def term_order(term) -> tuple:
    """The sort key of term order: IRIs and blank nodes first, then literals by text, language and type."""
    return (1, term.value, term.lang or "", term.datatype or "") if isinstance(term, Lit) else (0, term, "", "")


def first_term(index: dict, subject):
    """The first in term order of ``subject``'s values in ``index`` (``{subject: [values]}``), or None."""
    values = index.get(subject)
    if not values:
        return None
    return next(iter(values)) if len(values) == 1 else min(values, key=term_order)


def first_value(index: dict, subject) -> str | None:
    """:func:`first_term` as text (:func:`term_value`), or None."""
    term = first_term(index, subject)
    return None if term is None else term.value if isinstance(term, Lit) else term


def best_label(values: Iterable) -> str | None:
    """The label a projection gives of ``values``: the first English one, else untagged, else the first."""
    literals = [v for v in values if isinstance(v, Lit)]
    for wanted in ("en", None):
        matching = sorted(v.value for v in literals if v.lang == wanted)
        if matching:
            return matching[0]
    return min((v.value for v in literals), default=None)


def _plain_datatype(datatype: str | None, language: str | None) -> str | None:
    # graph.model.terms.plain_datatype, without the rdflib that module loads
    if language or datatype == _XSD_STRING:
        return None
    return datatype
