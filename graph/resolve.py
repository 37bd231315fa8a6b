"""Resolution: one canonical IRI for every real-world entity, whatever the source calls it.

Names are compared by a normalised key (accents, case, punctuation, spaces and legal suffixes
dropped), so that "Sense Time", "SenseTime" and "Sensetime Group Limited" meet. Curated
sources are resolved first and give the canonical IRIs; later sources merge into them.

Examples
--------
>>> name_key("Sense Time") == name_key("SenseTime") == name_key("SENSETIME LIMITED")
True
>>> name_key("Zhejiang Dahua Technology Co., Ltd.")
'zhejiangdahuatechnology'
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef

from .errors import InputError
from .ontology import KG, Ontology, mint_iri
from .sources import Batch
from .statements import Ref, Statement

__all__ = ["Resolution", "resolve", "name_key", "is_extracted"]

# Dropped from the end of names: they tell the legal form, not which company.
_LEGAL_SUFFIXES = {
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc",
    "plc", "gmbh", "ag", "sa", "holdings", "group",
}
_FACT_CLASSES = (KG.Measure, KG.Relationship, KG.Event)


def name_key(name: str) -> str:
    """The key two names share when they name the same entity for this resolver."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    tokens = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    return "".join(tokens)


@dataclass
class Resolution:
    """Where every statement and reference of a build points to."""

    #: (source id, statement key) -> IRI
    by_key: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    #: (family, name key) -> IRI
    by_name: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    #: IRI -> why it merged statements (for reports)
    merges: dict[URIRef, list[str]] = field(default_factory=lambda: defaultdict(list))

    def iri(self, source: str, statement: Statement) -> URIRef:
        return self.by_key[(source, statement.key)]

    def lookup(self, name: str, family: str) -> URIRef | None:
        return self.by_name.get((family, name_key(name)))

    def ref(self, source: str, ref: Ref, family: str | None, origin) -> URIRef:
        if ref.key is not None:
            try:
                return self.by_key[(source, ref.key)]
            except KeyError:
                raise _error(origin, f"reference to undefined key {ref.key!r}") from None
        found = self.lookup(ref.name or "", family or "") if family else None
        if found is None:
            raise _error(origin, f"unknown {ref.cls or 'entity'} {ref.name!r}",
                         hint="declare it in a curated fact file or fix the spelling")
        return found


def resolve(batches: list[Batch], model: Ontology) -> Resolution:
    """Assign an IRI to every statement of ``batches``, merging entities by name.

    Batches are taken in reader priority order (curated first), then by source and file, so
    the result does not depend on the order files were found in.
    """
    result = Resolution()
    minted: set[URIRef] = set()
    for batch in _ordered(batches):
        for statement in batch.statements:
            cls = model.cls(statement.cls)
            kind = model.iri_kind(cls)
            if any(model.is_a(cls, parent) for parent in _FACT_CLASSES):
                iri = mint_iri(kind, statement.key)
            else:
                iri = _resolve_entity(result, minted, statement, kind)
            result.by_key[(batch.source.id, statement.key)] = iri
            minted.add(iri)
    _merge_extracted_facts(batches, result, model)
    return result


def family_of(model: Ontology, cls_key: str) -> str:
    """Entities of one family may merge: organisations with organisations, and so on."""
    return model.iri_kind(model.cls(cls_key))


def _resolve_entity(result: Resolution, minted: set[URIRef], statement: Statement, kind: str) -> URIRef:
    names = statement.names()
    codes = [str(v) for v in statement.values.get("isoCode", [])]
    keys = [name_key(n) for n in names + codes if name_key(n)]
    for key in keys:
        found = result.by_name.get((kind, key))
        if found is not None:
            iri = found
            result.merges[iri].append(f"{statement.origin}: name {key!r}")
            break
    else:
        slug = codes[0] if codes else statement.key
        iri = mint_iri(kind, slug)
        suffix = 2
        while iri in minted:
            iri = mint_iri(kind, f"{slug}-{suffix}")
            suffix += 1
    for key in keys:
        result.by_name.setdefault((kind, key), iri)
    return iri


def is_extracted(statement: Statement) -> bool:
    """True when every evidence of ``statement`` was found by the extractor."""
    return bool(statement.evidence) and all(ev.method == "extracted" for ev in statement.evidence)


def _merge_extracted_facts(batches: list[Batch], result: Resolution, model: Ontology) -> None:
    """Point each extracted fact that says what a curated fact says at the curated fact's IRI.

    Same class, and for every identifying property (``kg:identifiesFact``) the extracted
    fact fills: with "all", each of its values is among the curated fact's; with "any", the
    two share a value. The curated fact wins: its IRI, its values (see ``graph.rdf``).
    """
    identifying = model.identifying()
    curated: list[tuple[URIRef, Statement, dict[str, set[URIRef]]]] = []
    extracted: list[tuple[str, Statement, dict[str, set[URIRef]]]] = []
    for batch in _ordered(batches):
        for statement in batch.statements:
            cls = model.cls(statement.cls)
            if not any(model.is_a(cls, parent) for parent in _FACT_CLASSES):
                continue
            values = _identifying_values(result, batch.source.id, statement, identifying, model)
            if is_extracted(statement):
                extracted.append((batch.source.id, statement, values))
            else:
                curated.append((result.by_key[(batch.source.id, statement.key)], statement, values))
    curated.sort(key=lambda item: str(item[0]))
    # relationships two articles state alike (same class, same parties) are one node too
    seen: dict[tuple, URIRef] = {}
    for source, statement, values in extracted:
        if not values:
            continue
        for iri, known_statement, known in curated:
            if known_statement.cls == statement.cls and not _dates_differ(statement, known_statement) and all(
                (values[p] <= known.get(p, set())) if identifying[p] == "all" else bool(values[p] & known.get(p, set()))
                for p in values
            ):
                result.by_key[(source, statement.key)] = iri
                result.merges[iri].append(f"extracted {statement.key!r} of {source!r}")
                break
        else:
            if all(identifying[p] == "all" for p in values):
                signature = (statement.cls, tuple(sorted((p, tuple(sorted(v))) for p, v in values.items())))
                iri = seen.setdefault(signature, result.by_key[(source, statement.key)])
                if iri != result.by_key[(source, statement.key)]:
                    result.by_key[(source, statement.key)] = iri
                    result.merges[iri].append(f"extracted {statement.key!r} of {source!r}")


def _dates_differ(a: Statement, b: Statement) -> bool:
    """Both facts give a day for the same property, and not the same day: two facts."""
    for prop in set(a.values) & set(b.values):
        x = {v for v in a.values[prop] if isinstance(v, date)}
        y = {v for v in b.values[prop] if isinstance(v, date)}
        if x and y and not (x & y):
            return True
    return False


def _identifying_values(result: Resolution, source: str, statement: Statement, identifying: dict[str, str],
                        model: Ontology) -> dict[str, set[URIRef]]:
    values: dict[str, set[URIRef]] = {}
    for prop, items in statement.values.items():
        if prop not in identifying:
            continue
        refs = set()
        for item in items:
            if isinstance(item, Ref):
                try:
                    refs.add(result.ref(source, item, family_of(model, item.cls) if item.cls else None, statement.origin))
                except InputError:
                    continue
        if refs:
            values[prop] = refs
    return values


def _ordered(batches: list[Batch]) -> list[Batch]:
    return sorted(batches, key=lambda batch: (batch.priority, batch.source.id, batch.file))


def _error(origin, message: str, hint: str | None = None) -> InputError:
    if origin is None:
        return InputError("<input>", message, hint=hint)
    return InputError(origin.file, message, line=origin.line, unit=origin.unit, hint=hint)
