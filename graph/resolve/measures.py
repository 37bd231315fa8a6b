"""Measures and other facts: one IRI each, measures from different sources merged when alike.

Measures from different sources merge when they are of the same class, on the same list,
announced or in force in the same month, imposed by the same body (or one part of the other)
and their legal bases do not differ: the article's "Entity List addition of October 2019"
and the Federal Register rule of 2019-10-09 are one measure. Entities are resolved first, so
that measures are compared by the entities (lists, bodies) they point to.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef

from ..ontology import Ontology, mint_iri
from ..statements import Batch, Ref, Statement
from .result import Merge, Resolution, family_of

__all__ = ["Facts"]


class Facts:
    """The fact half of resolution: measures compared by signature, other facts minted."""

    def __init__(self, model: Ontology, result: Resolution) -> None:
        self.model = model
        self.result = result
        self.parents: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.measures: list[tuple[tuple, URIRef, str]] = []

    def link_parents(self, batches: list[Batch]) -> None:
        """Record which body is part of which (``kg:subOrganizationOf``), for imposing bodies."""
        for batch in batches:
            for statement in batch.statements:
                for ref in statement.values.get("subOrganizationOf", []):
                    if isinstance(ref, Ref) and ref.key is not None:
                        child = self.result.by_key.get((batch.source.id, statement.key))
                        parent = self.result.by_key.get((batch.source.id, ref.key))
                        if child is not None and parent is not None:
                            self.parents[child].add(parent)

    def _lineage(self, iri: URIRef) -> set[URIRef]:
        seen, todo = set(), [iri]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return seen

    def fact(self, batch: Batch, statement: Statement) -> None:
        """Give a fact its IRI: an earlier source's measure when it is the same measure."""
        source = batch.source.id
        if (source, statement.key) in self.result.by_key:
            return
        kind = self.model.iri_kind(self.model.cls(statement.cls))
        iri = None
        signature = self._signature(source, statement) if kind == "measure" else None
        if signature is not None:
            for earlier, earlier_iri, earlier_source in self.measures:
                if earlier_source != source and _same_measure(signature, earlier):
                    iri = earlier_iri
                    reason = (f"same {statement.cls}, list, month {signature[2]} and imposing body; "
                              f"legal basis {signature[4] or earlier[4] or 'unstated'}")
                    self.result.log.append(Merge(iri, statement.labels[0].text if statement.labels else statement.key,
                                                 self.result.names.get(iri, ""), reason,
                                                 str(statement.origin or batch.file)))
                    self.result.merges[iri].append(f"{statement.origin}: {reason}")
                    break
        if iri is None:
            iri = mint_iri(kind, statement.key)
            self.result.names.setdefault(iri, statement.labels[0].text if statement.labels else statement.key)
            if signature is not None:
                self.measures.append((signature, iri, source))
        self.result.by_key[(source, statement.key)] = iri

    def _signature(self, source: str, statement: Statement) -> tuple | None:
        values = statement.values
        dates = [v for name in ("announcedOn", "startDate") for v in values.get(name, [])]
        lists = {self._ref(source, r) for r in values.get("onList", []) if isinstance(r, Ref)} - {None}
        imposers = {self._ref(source, r) for r in values.get("imposedBy", []) if isinstance(r, Ref)} - {None}
        if not dates or not lists or not imposers:
            return None
        month = str(dates[0])[:7]
        lineage = set().union(*(self._lineage(i) for i in imposers))
        basis = str(values["legalBasis"][0]) if values.get("legalBasis") else None
        return (statement.cls, frozenset(lists), month, frozenset(lineage), basis)

    def _ref(self, source: str, ref: Ref) -> URIRef | None:
        if ref.key is not None:
            return self.result.by_key.get((source, ref.key))
        family = family_of(self.model, ref.cls) if ref.cls else None
        return self.result.lookup(ref.name or "", family) if family else None


def _same_measure(a: tuple, b: tuple) -> bool:
    cls_a, lists_a, month_a, lineage_a, basis_a = a
    cls_b, lists_b, month_b, lineage_b, basis_b = b
    return (cls_a == cls_b and bool(lists_a & lists_b) and month_a == month_b and bool(lineage_a & lineage_b)
            and (basis_a is None or basis_b is None or basis_a == basis_b))
