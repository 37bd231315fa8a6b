"""Extracted facts checked against the classes their ends must have, as the graph's shapes say.

The rules propose; the ontology disposes. For every role of an extracted fact this module
reads, from ``ontology/shapes.ttl``, the ``sh:class`` a value must have and the
``sh:not [ sh:class ... ]`` it must not have (for the fact's class and every class above it),
and from the ontology the property's ``rdfs:range``. A value of the wrong class (a place as a
supplier, a government department as a customer) is removed with the shape's own message as
the reason; a relationship left without one of its two ends is dropped whole. Nothing here
repeats a class constraint in Python: change the shapes and the extractor follows.

Examples
--------
>>> from graph.extract.gazetteer import Mention
>>> from graph.extract.relations import Fact
>>> fact = Fact("SupplyRelationship", "supplier")
>>> fact.add("supplier", Mention(0, 11, "Santa Clara", "Place", name="Santa Clara"))
>>> fact.add("customer", Mention(20, 29, "Hikvision", "Company", name="Hikvision"))
>>> kept, dropped = check_facts([fact])
>>> kept, [(d.prop, d.value, d.whole) for d in dropped]
([], [('supplier', 'Santa Clara', True)])
>>> print(dropped[0].reason)
supplier 'Santa Clara' is a Place: A supplier (kg:supplier) is an organisation that is not a government body.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import SH

from graph.model.ontology import KG, Ontology, load_ontology, ontology_dir
from graph.extract.gazetteer import Mention
from graph.extract.relations import Fact

__all__ = ["RoleConstraint", "Dropped", "role_constraints", "check_facts"]


@dataclass(frozen=True)
class RoleConstraint:
    """What a value of one property of one class must (not) be, and the message if it is not."""

    prop: str
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class Dropped:
    """A value (or a whole fact, ``whole``) the shapes refused, and why."""

    cls: str
    rule: str
    prop: str
    value: str
    reason: str
    span: tuple[int, int]
    whole: bool = False


def role_constraints(fact_class: str, model: Ontology | None = None) -> dict[str, list[RoleConstraint]]:
    """The constraints on each property of ``fact_class`` (a class key such as ``"SupplyRelationship"``).

    >>> [c.must for c in role_constraints("ExportControlListing")["imposedBy"]][:1]
    [('Organization',)]
    """
    model = model or load_ontology()
    return _constraints(id(model), fact_class, model)


def check_facts(facts: list[Fact], model: Ontology | None = None) -> tuple[list[Fact], list[Dropped]]:
    """Remove the values the shapes refuse; drop relationships left without an end.

    Returns the facts kept (changed in place) and what was dropped, with reasons.
    """
    model = model or load_ontology()
    kept: list[Fact] = []
    dropped: list[Dropped] = []
    for fact in facts:
        cls = "Attribute" if fact.kind == "attribute" else fact.cls
        constraints = role_constraints(cls, model) if cls != "Attribute" else _attribute_constraints(id(model), model)
        span = fact.spans[0] if fact.spans else (0, 0)
        whole = False
        before = len(dropped)
        for prop, values in list(fact.values.items()):
            for value in list(values):
                if not isinstance(value, Mention):
                    continue
                for constraint in constraints.get(prop, ()):
                    problem = _violates(value, constraint, model)
                    if problem is None:
                        continue
                    values.remove(value)
                    reason = f"{prop} {value.name or value.text!r} is {problem}: {constraint.message}"
                    dropped.append(Dropped(fact.cls, fact.rule, prop, value.name or value.text, reason, span))
                    break
            if not values:
                del fact.values[prop]
        if fact.kind == "attribute":
            whole = not fact.values.get("subject") or len(fact.values) < 2
        else:
            edge = _edge_roles(id(model), fact.cls, model)
            # a symmetric relationship (a partnership: its edge runs from a partner to a partner)
            # the shapes left with one value of its one role has no edge left
            refused = len(dropped) > before
            needed = 2 if refused and len(edge) == 2 and edge[0] == edge[1] else 1
            whole = bool(edge) and any(len(fact.values.get(role, ())) < needed for role in edge)
        if whole:
            if dropped and dropped[-1].span == span and dropped[-1].cls == fact.cls and not dropped[-1].whole:
                last = dropped.pop()
                dropped.append(Dropped(last.cls, last.rule, last.prop, last.value, last.reason, last.span, True))
            continue
        kept.append(fact)
    return kept, dropped


# ------------------------------------------------------------------------------ helpers


def _violates(value: Mention, constraint: RoleConstraint, model: Ontology) -> str | None:
    try:
        cls = model.cls(value.cls)
    except KeyError:
        return None
    for name in constraint.must:
        if not model.is_a(cls, _class_iri(model, name)):
            return f"a {value.cls}"
    for name in constraint.must_not:
        if model.is_a(cls, _class_iri(model, name)):
            return f"a {value.cls}"
    return None


def _class_iri(model: Ontology, name: str) -> URIRef:
    """A constraint's class: a fact file's key ("Organization"), or the IRI of a class no fact
    file names (kg:Agent, the range of a partner, a supplier or an owner)."""
    try:
        return model.cls(name)
    except KeyError:
        return URIRef(name)


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def _key_of(model: Ontology, iri) -> str | None:
    for key in model.class_keys():
        if model.cls(key) == iri:
            return key
    return None


def _prop_key(model: Ontology, iri) -> str | None:
    for key in model.property_keys():
        if model.prop(key).iri == iri:
            return key
    return None


@lru_cache(maxsize=64)
def _constraints(_model_id: int, fact_class: str, model: Ontology) -> dict[str, list[RoleConstraint]]:
    try:
        cls = model.cls(fact_class)
    except KeyError:
        return {}
    above = set(model.superclasses(cls)) | {cls}
    shapes = _shapes()
    out: dict[str, list[RoleConstraint]] = {}
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        if not above & set(shapes.objects(shape, SH.targetClass)):
            continue
        for node in shapes.objects(shape, SH.property):
            path = shapes.value(node, SH.path)
            prop = _prop_key(model, path) if isinstance(path, URIRef) else None
            if prop is None:
                continue
            must = tuple(k for k in (_key_of(model, c) for c in shapes.objects(node, SH["class"])) if k)
            must_not = tuple(k for n in shapes.objects(node, SH["not"]) if isinstance(n, BNode)
                             for k in (_key_of(model, c) for c in shapes.objects(n, SH["class"])) if k)
            if must or must_not:
                message = str(shapes.value(node, SH.message) or "")
                out.setdefault(prop, []).append(RoleConstraint(prop, must, must_not, message))
    for prop in {p for p in model.property_keys()}:
        for constraint in _range(model, prop):
            out.setdefault(prop, []).append(constraint)
    return out


def _range(model: Ontology, prop: str) -> list[RoleConstraint]:
    definition = model.prop(prop)
    if not definition.is_object:
        return []
    out = []
    for target in model.graph.objects(definition.iri, RDFS.range):
        if not str(target).startswith(str(KG)):
            continue
        # kg:Agent (an organisation or a person) has no fact file key: it is named by its IRI
        key = _key_of(model, target) or str(target)
        name = str(target)[len(str(KG)):]
        out.append(RoleConstraint(prop, (key,), (), f"the ontology gives kg:{prop} the range kg:{name}."))
    return out


@lru_cache(maxsize=4)
def _attribute_constraints(_model_id: int, model: Ontology) -> dict[str, list[RoleConstraint]]:
    """An entity's own properties (locatedIn, country, subOrganizationOf): their ranges."""
    return {prop: _range(model, prop) for prop in model.property_keys() if _range(model, prop)}


@lru_cache(maxsize=64)
def _edge_roles(_model_id: int, fact_class: str, model: Ontology) -> tuple[str, ...]:
    try:
        edge = model.edge_kind(model.cls(fact_class))
    except KeyError:
        return ()
    if edge is None:
        return ()
    return tuple(k for k in (_prop_key(model, edge.source), _prop_key(model, edge.target)) if k)
