"""What resolution produces: where every statement points, every merge and near miss, and why.

Examples
--------
>>> from graph.model.ontology import KGR
>>> r = Resolution()
>>> r.by_name[("org", "sensetime")] = KGR["org/sensetime"]
>>> r.lookup("SenseTime Group Limited", "org") == KGR["org/sensetime"]
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from graph.errors import InputError
from graph.model.names import name_key
from graph.model.ontology import KG, Ontology
from graph.model.statements import Batch, Ref, Statement

__all__ = ["Resolution", "Merge", "NearMiss", "family_of", "fact_test", "FACT_CLASSES"]

#: statements of these classes (and their subclasses) are facts, resolved after the entities
FACT_CLASSES = (KG.Measure, KG.Relationship, KG.Event)


@dataclass(frozen=True)
class Merge:
    """Why a statement's node was merged into an existing entity."""

    iri: URIRef
    name: str
    matched: str
    reason: str
    origin: str
    score: float | None = None


@dataclass(frozen=True)
class NearMiss:
    """A pair of names alike enough to review that did not merge."""

    name: str
    candidate: str
    iri: URIRef
    score: float
    origin: str
    why_not: str


@dataclass
class Resolution:
    """Where every statement and reference of a build points to, and why."""

    #: (source id, statement key) -> IRI
    by_key: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    #: (family, name key) -> IRI
    by_name: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    #: IRI -> why it merged statements (for reports)
    merges: dict[URIRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: every merge, in resolution order
    log: list[Merge] = field(default_factory=list)
    #: pairs that did not merge but scored above :data:`graph.resolve.NEAR_MISS_SCORE`
    near_misses: list[NearMiss] = field(default_factory=list)
    #: IRI -> its preferred name (the first one seen)
    names: dict[URIRef, str] = field(default_factory=dict)
    #: the entity index the build matched names with (see :func:`graph.resolve.match_name`)
    index: object | None = field(default=None, repr=False, compare=False)

    def iri(self, source: str, statement: Statement) -> URIRef:
        return self.by_key[(source, statement.key)]

    def lookup(self, name: str, family: str) -> URIRef | None:
        return self.by_name.get((family, name_key(name)))

    def ref(self, source: str, ref: Ref, family: str | None, origin) -> URIRef:
        if ref.key is not None:
            try:
                return self.by_key[(source, ref.key)]
            except KeyError:
                raise origin_error(origin, f"reference to undefined key {ref.key!r}") from None
        found = self.lookup(ref.name or "", family or "") if family else None
        if found is None:
            raise origin_error(origin, f"unknown {ref.cls or 'entity'} {ref.name!r}",
                               hint="declare it in a curated fact file or fix the spelling")
        return found

    def report(self) -> str:
        """Every merge with its reason, then every near miss, as plain text lines."""
        lines = [f"merges ({len(self.log)}):"]
        for merge in self.log:
            score = f" score {merge.score:.0f}" if merge.score is not None else ""
            lines.append(f"  {merge.name!r} -> {self.names.get(merge.iri, '')!r} <{merge.iri}>: "
                         f"{merge.reason}{score} [{merge.origin}]")
        lines.append(f"near misses ({len(self.near_misses)}, not merged):")
        for miss in self.near_misses:
            lines.append(f"  {miss.name!r} ~ {miss.candidate!r} <{miss.iri}>: score {miss.score:.0f}; "
                         f"{miss.why_not} [{miss.origin}]")
        return "\n".join(lines) + "\n"


def fact_test(model: Ontology):
    """A test ``is_fact(class key)`` (a measure, relationship or event), remembering each class's answer."""
    cache: dict[str, bool] = {}

    def is_fact(cls_key: str) -> bool:
        found = cache.get(cls_key)
        if found is None:
            cls = model.cls(cls_key)
            found = cache[cls_key] = any(model.is_a(cls, parent) for parent in FACT_CLASSES)
        return found

    return is_fact


def family_of(model: Ontology, cls_key: str) -> str:
    """Entities of one family may merge: organisations with organisations, and so on."""
    return model.iri_kind(model.cls(cls_key))


def ordered(batches: list[Batch]) -> list[Batch]:
    """Batches in resolution order: reader priority (curated first), then source and file."""
    return sorted(batches, key=lambda batch: (batch.priority, batch.source.id, batch.file))


def origin_error(origin, message: str, hint: str | None = None) -> InputError:
    """An InputError at a statement's origin (file and line or row), or at ``<input>``."""
    if origin is None:
        return InputError("<input>", message, hint=hint)
    return InputError(origin.file, message, line=origin.line, unit=origin.unit, hint=hint)
