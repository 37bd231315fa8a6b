"""Measures and other facts: one IRI each, measures from different sources merged when alike.

Measures from different sources merge when they are of the same class, on the same list,
announced or in force in the same month, imposed by the same body (or one part of the other)
and their legal bases do not differ: the article's "Entity List addition of October 2019"
and the Federal Register rule of 2019-10-09 are one measure. Entities are resolved first, so
that measures are compared by the entities (lists, bodies) they point to.

A new measure is compared only with the earlier ones that share its class, month, a list and
a body of its lineage, from another source: one look-up per list and body, not a scan of every
earlier measure (sixty thousand sanctions would be two billion comparisons).
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef

from graph.model.ontology import Ontology, mint_iri
from graph.model.statements import Batch, Ref, Statement
from graph.resolve.result import Merge, Resolution, family_of

__all__ = ["Facts"]


class Facts:
    """The fact half of resolution: measures compared by signature, other facts minted."""

    def __init__(self, model: Ontology, result: Resolution) -> None:
        self.model = model
        self.result = result
        self.parents: dict[URIRef, set[URIRef]] = defaultdict(set)
        #: (class, month, list, body) -> source -> legal basis (None: unstated) -> the first
        #: measure minted with them, as (its order, its IRI, its signature)
        self.measures: dict[tuple, dict[str, dict[str | None, tuple[int, URIRef, tuple]]]] = {}
        self._minted = 0
        self._parent_keys: list[tuple[str, str, str]] = []  # (source, child key, parent key)

    def note_parents(self, batch: Batch, statement: Statement) -> None:
        """Keep the bodies ``statement`` says it is part of (``kg:subOrganizationOf``)."""
        for ref in statement.values.get("subOrganizationOf", ()):
            if isinstance(ref, Ref) and ref.key is not None:
                self._parent_keys.append((batch.source.id, statement.key, ref.key))

    def link_parents(self) -> None:
        """Record which body is part of which, once every entity has its IRI (for imposing bodies)."""
        for source, child_key, parent_key in self._parent_keys:
            child = self.result.by_key.get((source, child_key))
            parent = self.result.by_key.get((source, parent_key))
            if child is not None and parent is not None:
                self.parents[child].add(parent)
        self._parent_keys.clear()

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
        if signature is not None and (earlier := self._earliest(signature, source)) is not None:
            _, iri, earlier_signature = earlier
            reason = (f"same {statement.cls}, list, month {signature[2]} and imposing body; "
                      f"legal basis {signature[4] or earlier_signature[4] or 'unstated'}")
            self.result.log.append(Merge(iri, statement.labels[0].text if statement.labels else statement.key,
                                         self.result.names.get(iri, ""), reason,
                                         str(statement.origin or batch.file)))
            self.result.merges[iri].append(f"{statement.origin}: {reason}")
        if iri is None:
            iri = mint_iri(kind, statement.key)
            self.result.names.setdefault(iri, statement.labels[0].text if statement.labels else statement.key)
            if signature is not None:
                self._remember(signature, iri, source)
        self.result.by_key[(source, statement.key)] = iri

    def _earliest(self, signature: tuple, source: str) -> tuple[int, URIRef, tuple] | None:
        """The first measure minted by another source that is the same measure, or None.

        The same measure: the same class and month, a list in common, a body in common in the
        imposers' lineage, and legal bases that do not differ (one of them unstated, or equal).
        """
        cls, lists, month, lineage, basis = signature
        found = None
        for place in lists:
            for body in lineage:
                for other, by_basis in self.measures.get((cls, month, place, body), {}).items():
                    if other == source:
                        continue
                    # an unstated basis matches any; a stated one, the same or an unstated one
                    for candidate in (by_basis.values() if basis is None else (by_basis.get(basis), by_basis.get(None))):
                        if candidate is not None and (found is None or candidate[0] < found[0]):
                            found = candidate
        return found

    def _remember(self, signature: tuple, iri: URIRef, source: str) -> None:
        cls, lists, month, lineage, basis = signature
        entry = (self._minted, iri, signature)
        self._minted += 1
        for place in lists:
            for body in lineage:
                self.measures.setdefault((cls, month, place, body), {}).setdefault(source, {}).setdefault(basis, entry)

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

