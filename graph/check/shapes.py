"""The SHACL shapes of ``ontology/shapes.ttl`` compiled to SPARQL queries, run inside Oxigraph.

pyshacl needs the whole dataset as rdflib objects (about 1 GB and minutes at a million
triples). Each constraint of the shapes here becomes one SPARQL ``SELECT`` of the focus nodes
that break it, evaluated by Oxigraph over the union of the named graphs: the same violations
(focus node, path, message, severity) as pyshacl's report, which tests check on the seed graph
and on every broken graph of ``tests/test_validate.py``. The queries are written for hash joins
(``MINUS``, joins of sub-selects) rather than a lookup per focus node (``FILTER NOT EXISTS``),
so that each costs a few scans of the store: see ``_Forms``.

The compiler reads the shapes as data and handles the SHACL Core subset the project uses:
targets ``sh:targetClass`` (instances of subclasses included, through ``rdfs:subClassOf*`` in
the data, as SHACL says), ``sh:targetSubjectsOf`` and ``sh:targetNode``; property shapes with a
predicate path and ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:not [ sh:class C ]``,
``sh:datatype``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
``sh:maxExclusive``, ``sh:in``; and a node shape's ``sh:or`` of property shapes that each ask for ``sh:minCount 1``. Anything
else raises :class:`~graph.errors.ShapeError` naming the shape and the term, instead of being
silently skipped.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> m = ox.NamedNode("https://w3id.org/exposure-kg/id/measure/m")
>>> store.add(ox.Quad(m, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
...                   ox.NamedNode("https://w3id.org/exposure-kg/ontology#Measure")))
>>> [str(v) for v in check_store(store)][:1]
['kgr:measure/m kg:evidence: A measure needs evidence (kg:evidence): where a source states it.']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from graph.errors import ShapeError
from graph.model.ontology import ontology_dir
from graph.model.terms import compact

__all__ = ["Violation", "CompiledConstraint", "compile_shapes", "check_store"]

_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
#: datatypes whose lexical form Oxigraph can check by casting (an ill-formed literal fails it)
_CASTABLE = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "decimal", "integer", "date", "dateTime", "boolean", "double", "float")}
_NODE_KEYS = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.property, SH.message,
              SH["or"], SH.severity, SH.name, SH.description}
_PROPERTY_KEYS = {RDF.type, SH.path, SH.minCount, SH.maxCount, SH["class"], SH["not"], SH.datatype, SH.minInclusive,
                  SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["in"], SH.message, SH.severity,
                  SH.name, SH.description}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


@dataclass(frozen=True, order=True)
class Violation:
    """One failed constraint: the node at fault, the property path and what is wrong."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.focus}{path}: {self.message}"


@dataclass(frozen=True)
class CompiledConstraint:
    """One constraint as a query: ``query`` selects ``?focus``, every node that breaks it."""

    shape: str
    path: str | None
    message: str
    severity: str
    query: str
    #: the SHACL constraint component the query checks, e.g. ``sh:minCount``
    component: str = ""


def check_store(store: ox.Store, constraints: tuple[CompiledConstraint, ...] | None = None) -> list:
    """Every violation of the shapes in ``store`` (all named graphs as one), sorted.

    Parameters
    ----------
    store : pyoxigraph.Store
        The data; its named graphs are read as their union, the default graph included.
    constraints : tuple of CompiledConstraint, optional
        What to check; :func:`compile_shapes` of ``ontology/shapes.ttl`` by default.

    Returns
    -------
    list of graph.check.validate.Violation
        The same violations pyshacl reports for the same data and shapes.
    """
    found = set()
    for constraint in compile_shapes() if constraints is None else constraints:
        path = compact(URIRef(constraint.path)) if constraint.path else ""
        for row in store.query(constraint.query, use_default_graph_as_union=True):
            focus = row["focus"]
            term = URIRef(focus.value) if isinstance(focus, ox.NamedNode) else (
                BNode(focus.value) if isinstance(focus, ox.BlankNode) else Literal(focus.value))
            found.add(Violation(focus=compact(term), path=path, message=constraint.message,
                                severity=constraint.severity))
    return sorted(found)


def compile_shapes(shapes: Graph | None = None) -> tuple[CompiledConstraint, ...]:
    """Compile every node shape of ``shapes`` (default ``ontology/shapes.ttl``) to queries.

    Raises
    ------
    ShapeError
        A shape uses a SHACL feature this compiler does not handle, or lacks a message.

    Examples
    --------
    >>> [c.message for c in compile_shapes() if c.shape == "PartnershipShape"]
    ['A partnership needs two or more partners (kg:partner).']
    """
    if shapes is None:
        return _default_constraints()
    return _compile(shapes, _Forms())


def _compile(shapes: Graph, forms: "_Forms") -> tuple[CompiledConstraint, ...]:
    constraints: list[CompiledConstraint] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        constraints.extend(_node_shape(shapes, shape, forms))
    return tuple(constraints)


@lru_cache(maxsize=1)
def _default_constraints() -> tuple[CompiledConstraint, ...]:
    return compile_shapes(Graph().parse(ontology_dir() / "shapes.ttl", format="turtle"))


# -- private helpers ----------------------------------------------------------------------
def _node_shape(shapes: Graph, shape, forms: "_Forms") -> list[CompiledConstraint]:
    name = _name(shape)
    _check_keys(shapes, shape, _NODE_KEYS, name)
    target = forms.target(_target_parts(shapes, shape, name))
    severity = _severity(shapes, shape)
    result = []
    for prop in sorted(shapes.objects(shape, SH.property), key=_order_key(shapes)):
        result.extend(_property_shape(shapes, prop, target, name, severity, forms))
    alternatives = shapes.value(shape, SH["or"])
    if alternatives is not None:
        message = _message(shapes, shape, name)
        paths = [_exists_path(shapes, alt, name) for alt in Collection(shapes, alternatives)]
        result.append(CompiledConstraint(name, None, message, severity, forms.none_of(target, paths), "sh:or"))
    return result


def _property_shape(shapes: Graph, prop, target: str, shape: str, severity: str,
                    forms: "_Forms") -> list[CompiledConstraint]:
    _check_keys(shapes, prop, _PROPERTY_KEYS, shape)
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        kinds = sorted(str(key).rsplit("#", 1)[-1] for key in shapes.predicates(path)) if path is not None else []
        what = f"a path with {', '.join(f'sh:{kind}' for kind in kinds)}" if kinds else "no sh:path"
        raise ShapeError(f"shape {shape}: only predicate paths are compiled, not {what}; "
                         "validate with pyshacl (engine='pyshacl') or extend graph/check/shapes.py")
    message = _message(shapes, prop, shape)
    severity = _severity(shapes, prop, default=severity)
    p = f"<{path}>"
    queries = []
    min_count = shapes.value(prop, SH.minCount)
    if min_count is not None and int(min_count) > 0:
        queries.append(("sh:minCount", forms.fewer(target, p, int(min_count))))
    max_count = shapes.value(prop, SH.maxCount)
    if max_count is not None:
        queries.append(("sh:maxCount", forms.more(target, p, int(max_count))))
    cls = shapes.value(prop, SH["class"])
    if cls is not None:
        queries.append(("sh:class", forms.not_instances(target, p, f"<{cls}>")))
    negated = shapes.value(prop, SH["not"])
    if negated is not None:
        inner = shapes.value(negated, SH["class"])
        if set(shapes.predicates(negated)) - {RDF.type} != {SH["class"]} or inner is None:
            raise ShapeError(f"shape {shape}: sh:not is compiled only for [ sh:class C ]")
        queries.append(("sh:not", forms.instances(target, p, f"<{inner}>")))
    datatype = shapes.value(prop, SH.datatype)
    if datatype is not None:
        queries.append(("sh:datatype", forms.not_of_datatype(target, p, str(datatype))))
    for key, operator in _COMPARISONS.items():
        bound = shapes.value(prop, key)
        if bound is not None:
            test = f"!COALESCE(?value {operator} {_sparql(bound)}, false)"
            queries.append((f"sh:{str(key).rsplit('#', 1)[-1]}", forms.failing(target, p, test)))
    members = shapes.value(prop, SH["in"])
    if members is not None:
        same = " || ".join(f"sameTerm(?value, {_sparql(m)})" for m in Collection(shapes, members)) or "false"
        queries.append(("sh:in", forms.failing(target, p, f"!({same})")))
    return [CompiledConstraint(shape, str(path), message, severity, q, component) for component, q in queries]


class _Forms:
    """The SPARQL of each kind of constraint, written so that Oxigraph joins by hashing.

    Oxigraph evaluates ``FILTER [NOT] EXISTS`` and a join on a bound variable once per
    solution: one index lookup per focus node, several microseconds each, most of the time
    at a million triples. ``MINUS`` and a join of two sub-selects are hash joins instead,
    one scan of each side. So a minimum count is the targets ``MINUS`` the subjects that
    have enough values; a test on values scans the path's triples first (few fail) and joins
    what fails with the targets; a class test is ``MINUS`` (or a join with) the instances
    of the class. Each method returns a ``SELECT`` of ``?focus``, every node that breaks it.
    """

    def target(self, parts: list[str]) -> str:
        """The focus nodes: the union of the target patterns, as a group binding ``?focus`` only."""
        # not DISTINCT: every query ends in SELECT DISTINCT ?focus and no count runs over the
        # targets, so a node reached twice costs a row, where DISTINCT here costs a hash set
        # of all the targets
        union = " UNION ".join(f"{{ {part} }}" for part in parts)
        return f"{{ SELECT ?focus WHERE {{ {union} }} }}"

    @staticmethod
    def _instances(cls: str) -> str:
        return f"?value <{RDF.type}>/<{_RDFS_SUBCLASS}>* {cls}"

    def fewer(self, target: str, p: str, n: int) -> str:
        """Focus nodes with fewer than ``n`` distinct values of ``p`` (``sh:minCount``)."""
        if n == 1:
            return f"SELECT DISTINCT ?focus WHERE {{ {target} MINUS {{ ?focus {p} ?value }} }}"
        # DISTINCT values: the same triple may sit in several named graphs of the union
        return (f"SELECT DISTINCT ?focus WHERE {{ {target} MINUS {{ SELECT ?focus WHERE {{ ?focus {p} ?value }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) >= {n}) }} }}")

    def more(self, target: str, p: str, n: int) -> str:
        """Focus nodes with more than ``n`` distinct values of ``p`` (``sh:maxCount``)."""
        # counting rows first is cheaper than counting distinct values, and never fewer: only
        # the few nodes with more than n rows have their distinct values counted
        rows = f"SELECT ?focus WHERE {{ ?focus {p} ?value }} GROUP BY ?focus HAVING (COUNT(?value) > {n})"
        return self._joined(target, f"SELECT ?focus WHERE {{ {{ {rows} }} ?focus {p} ?value }} "
                                    f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {n})")

    def failing(self, target: str, p: str, test: str) -> str:
        """Focus nodes with a value of ``p`` for which the expression ``test`` is true."""
        return self._joined(target, f"SELECT DISTINCT ?focus WHERE {{ ?focus {p} ?value FILTER({test}) }}")

    def not_of_datatype(self, target: str, p: str, datatype: str) -> str:
        """Focus nodes with a value of ``p`` that is no well-formed literal of ``datatype``."""
        if datatype in _CASTABLE:
            # A cast to the datatype gives back the same term only from a well-formed literal
            # of that datatype (Oxigraph stores an ill-formed one, "ten"^^xsd:decimal, as an
            # opaque literal the cast refuses): one test, where datatype() costs a lookup of
            # the datatype's IRI per value.
            test = f"!COALESCE(sameTerm(<{datatype}>(?value), ?value), false)"
        else:
            test = f"!isLiteral(?value) || datatype(?value) != <{datatype}>"
        return self.failing(target, p, test)

    def not_instances(self, target: str, p: str, cls: str) -> str:
        """Focus nodes with a value of ``p`` that is no instance of ``cls`` (``sh:class``)."""
        return self._joined(target, f"SELECT DISTINCT ?focus WHERE {{ ?focus {p} ?value "
                                    f"MINUS {{ {self._instances(cls)} }} }}")

    def instances(self, target: str, p: str, cls: str) -> str:
        """Focus nodes with a value of ``p`` that is an instance of ``cls`` (``sh:not [ sh:class ]``)."""
        return self._joined(target, f"SELECT DISTINCT ?focus WHERE {{ ?focus {p} ?value . "
                                    f"{{ SELECT DISTINCT ?value WHERE {{ {self._instances(cls)} }} }} }}")

    def none_of(self, target: str, paths: list[str]) -> str:
        """Focus nodes with no value for any of ``paths`` (``sh:or`` of ``sh:minCount 1``)."""
        minus = " ".join(f"MINUS {{ ?focus {p} ?value }}" for p in paths)
        return f"SELECT DISTINCT ?focus WHERE {{ {target} {minus} }}"

    @staticmethod
    def _joined(target: str, broken: str) -> str:
        return f"SELECT DISTINCT ?focus WHERE {{ {{ {broken} }} {target} }}"


def _exists_path(shapes: Graph, alternative, shape: str) -> str:
    keys = set(shapes.predicates(alternative)) - {RDF.type}
    path = shapes.value(alternative, SH.path)
    count = shapes.value(alternative, SH.minCount)
    if keys != {SH.path, SH.minCount} or not isinstance(path, URIRef) or int(count) != 1:
        raise ShapeError(f"shape {shape}: sh:or is compiled only for alternatives "
                         "[ sh:path P ; sh:minCount 1 ]")
    return f"<{path}>"


def _target_parts(shapes: Graph, shape, name: str) -> list[str]:
    parts = []
    classes = sorted(shapes.objects(shape, SH.targetClass), key=str)
    if classes:
        values = " ".join(f"<{c}>" for c in classes)
        parts.append(f"VALUES ?targetClass {{ {values} }} ?focus <{RDF.type}>/<{_RDFS_SUBCLASS}>* ?targetClass .")
    predicates = sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str)
    if predicates:
        values = " ".join(f"<{p}>" for p in predicates)
        parts.append(f"VALUES ?targetPredicate {{ {values} }} ?focus ?targetPredicate ?targetObject .")
    nodes = sorted(shapes.objects(shape, SH.targetNode), key=str)
    if nodes:
        parts.append(f"VALUES ?focus {{ {' '.join(_sparql(n) for n in nodes)} }}")
    if not parts:
        raise ShapeError(f"shape {name} has no target (sh:targetClass, sh:targetSubjectsOf, sh:targetNode)")
    return parts


def _check_keys(shapes: Graph, node, allowed: set, shape: str) -> None:
    unknown = sorted(str(p) for p in set(shapes.predicates(node)) - allowed)
    if unknown:
        raise ShapeError(f"shape {shape}: {unknown[0]} is not compiled to SPARQL; "
                         "validate with pyshacl (engine='pyshacl') or extend graph/check/shapes.py")


def _message(shapes: Graph, node, shape: str) -> str:
    message = shapes.value(node, SH.message)
    if message is None:
        raise ShapeError(f"shape {shape}: every constraint needs sh:message (pyshacl's default "
                         "messages are not reproduced)")
    return str(message)


def _severity(shapes: Graph, node, default: str = "Violation") -> str:
    severity = shapes.value(node, SH.severity)
    return default if severity is None else str(severity).rsplit("#", 1)[-1]


def _name(shape) -> str:
    return str(shape).rsplit("#", 1)[-1] if isinstance(shape, URIRef) else "a blank node shape"


def _order_key(shapes: Graph):
    # blank property shapes have no stable name: order them by their path and message
    return lambda prop: (str(shapes.value(prop, SH.path)), str(shapes.value(prop, SH.message)))


def _sparql(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        value = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{value}"@{term.language}'
        if term.datatype is not None:
            return f'"{value}"^^<{term.datatype}>'
        return f'"{value}"'
    raise ShapeError(f"cannot compile the term {term!r} into a query")
