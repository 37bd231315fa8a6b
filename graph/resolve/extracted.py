"""Extracted facts: an extracted fact that says what a curated fact says is the curated fact.

The extractor reads articles; a relationship or measure it finds often restates one a curated
source already gives. Such a fact points at the curated fact's IRI (the curated fact wins:
its IRI, its values, see :mod:`graph.rdf`), and relationships two articles state alike are one
node too.

Examples
--------
>>> from graph.statements import Evidence, Statement
>>> ev = Evidence(source="a", method="extracted", confidence=0.6)
>>> is_extracted(Statement(key="x", cls="Partnership", evidence=[ev]))
True
"""

from __future__ import annotations

from datetime import date

from rdflib import URIRef

from ..errors import InputError
from ..ontology import Ontology
from ..statements import Batch, Ref, Statement
from .result import Resolution, fact_test, family_of, ordered

__all__ = ["is_extracted", "merge_extracted_facts", "drop_unmerged_incomplete"]


def is_extracted(statement: Statement) -> bool:
    """True when every evidence of ``statement`` was found by the extractor."""
    return bool(statement.evidence) and all(ev.method == "extracted" for ev in statement.evidence)


def merge_extracted_facts(batches: list[Batch], result: Resolution, model: Ontology) -> None:
    """Point each extracted fact that says what a curated fact says at the curated fact's IRI.

    Same class, and for every identifying property (``kg:identifiesFact``) the extracted
    fact fills: with "all", each of its values is among the curated fact's; with "any", the
    two share a value. The curated fact wins: its IRI, its values (see ``graph.rdf``).
    """
    identifying = model.identifying()
    is_fact = fact_test(model)
    facts = [(batch.source.id, statement, is_extracted(statement))
             for batch in ordered(batches) for statement in batch.statements if is_fact(statement.cls)]
    classes = {statement.cls for _, statement, extracted in facts if extracted}
    if not classes:  # nothing extracted (a build of lists alone): no fact's values are needed
        return
    # an extracted fact is compared with the curated facts of its class only, in IRI order
    curated_of: dict[str, list[tuple[URIRef, Statement, dict[str, set[URIRef]]]]] = {}
    extracted: list[tuple[str, Statement, dict[str, set[URIRef]]]] = []
    for source, statement, is_from_text in facts:
        if is_from_text:
            extracted.append((source, statement, _identifying_values(result, source, statement, identifying, model)))
        elif statement.cls in classes:
            curated_of.setdefault(statement.cls, []).append(
                (result.by_key[(source, statement.key)], statement,
                 _identifying_values(result, source, statement, identifying, model)))
    for curated in curated_of.values():
        curated.sort(key=lambda item: str(item[0]))
    # relationships two articles state alike (same class, same parties) are one node too
    seen: dict[tuple, URIRef] = {}
    for source, statement, values in extracted:
        if not values:
            continue
        for iri, known_statement, known in curated_of.get(statement.cls, ()):
            if not _dates_differ(statement, known_statement) and all(
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


def drop_unmerged_incomplete(batches: list[Batch], result: Resolution) -> int:
    """Remove extracted facts that lack a required role and did not merge into a curated fact.

    Returns how many were dropped. Such a fact (a ban whose imposer the text does not name)
    is kept only where a curated fact supplies what it lacks. The extractor names the roles it
    could not fill in the statement's ``missing`` (``graph.extract.extractor.ExtractedStatement``).
    """
    curated = {result.by_key[(b.source.id, s.key)] for b in batches for s in b.statements if not is_extracted(s)}
    dropped = 0
    for batch in batches:
        kept = []
        for statement in batch.statements:
            if getattr(statement, "missing", None) and result.by_key[(batch.source.id, statement.key)] not in curated:
                dropped += 1
                continue
            kept.append(statement)
        batch.statements = kept
    return dropped
