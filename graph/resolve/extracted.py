"""Extracted facts: an extracted fact that says what a curated fact says is the curated fact.

The extractor reads articles; a relationship or measure it finds often restates one a curated
source already gives. Such a fact points at the curated fact's IRI (the curated fact wins:
its IRI, its values, see :mod:`graph.builder.rdf`), and relationships two articles state alike are one
node too.

Examples
--------
>>> from graph.model.statements import Evidence, Statement
>>> ev = Evidence(source="a", method="extracted", confidence=0.6)
>>> is_extracted(Statement(key="x", cls="Partnership", evidence=[ev]))
True
"""

from __future__ import annotations

from datetime import date

from rdflib import URIRef

from graph.errors import InputError
from graph.model.ontology import Ontology
from graph.io.spool import StatementSpool, evidence_methods, select, statement_keys
from graph.model.statements import Batch, Ref, Statement
from graph.resolve.result import Resolution, fact_test, family_of, ordered

__all__ = ["is_extracted", "merge_extracted_facts", "drop_unmerged_incomplete", "dates_of", "dates_differ",
           "identifying_values"]


def is_extracted(statement: Statement) -> bool:
    """True when every evidence of ``statement`` was found by the extractor."""
    return bool(statement.evidence) and all(ev.method == "extracted" for ev in statement.evidence)


def merge_extracted_facts(batches: list[Batch], result: Resolution, model: Ontology) -> None:
    """Point each extracted fact that says what a curated fact says at the curated fact's IRI.

    Same class, and for every identifying property (``kg:identifiesFact``) the extracted
    fact fills: with "all", each of its values is among the curated fact's; with "any", the
    two share a value. The curated fact wins: its IRI, its values (see ``graph.builder.rdf``).
    """
    identifying = model.identifying()
    is_fact = fact_test(model)
    in_order = ordered(batches)
    # only batches with extracted evidence can hold extracted facts: a list's spooled
    # statements (graph.io.spool) are not decoded to find out
    classes = {statement.cls for batch in in_order if "extracted" in evidence_methods(batch.statements)
               for statement in select(batch.statements, lambda key, cls: is_fact(cls)) if is_extracted(statement)}
    if not classes:  # nothing extracted (a build of lists alone): no fact's values are needed
        return
    # an extracted fact is compared with the curated facts of its class only, in IRI order;
    # a curated fact is kept as its IRI, its identifying values and its dates
    curated_of: dict[str, list[tuple[URIRef, dict[str, set[date]], dict[str, set[URIRef]]]]] = {}
    extracted: list[tuple[str, Statement, dict[str, set[URIRef]]]] = []
    for batch in in_order:
        source = batch.source.id
        for statement in select(batch.statements, lambda key, cls: cls in classes):
            if is_extracted(statement):
                extracted.append((source, statement, identifying_values(result, source, statement, identifying, model)))
            else:
                curated_of.setdefault(statement.cls, []).append(
                    (result.by_key[(source, statement.key)], dates_of(statement),
                     identifying_values(result, source, statement, identifying, model)))
    for curated in curated_of.values():
        curated.sort(key=lambda item: str(item[0]))
    # relationships two articles state alike (same class, same parties) are one node too
    seen: dict[tuple, URIRef] = {}
    for source, statement, values in extracted:
        if not values:
            continue
        for iri, known_dates, known in curated_of.get(statement.cls, ()):
            if not dates_differ(dates_of(statement), known_dates) and all(
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


def dates_of(statement: Statement) -> dict[str, set[date]]:
    """The days ``statement`` gives, by property (what :func:`dates_differ` compares)."""
    found: dict[str, set[date]] = {}
    for prop, values in statement.values.items():
        days = {v for v in values if isinstance(v, date)}
        if days:
            found[prop] = days
    return found


def dates_differ(a: dict[str, set[date]], b: dict[str, set[date]]) -> bool:
    """Both facts give a day for the same property (:func:`dates_of`), and not the same day: two facts."""
    return any(not (a[prop] & b[prop]) for prop in a.keys() & b.keys())


def identifying_values(result: Resolution, source: str, statement: Statement, identifying: dict[str, str],
                       model: Ontology) -> dict[str, set[URIRef]]:
    """The IRIs ``statement`` gives for its identifying properties (``identifying``), by property."""
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
    # the extractor's statements (which alone say what they miss) are never spooled
    # (graph.io.spool only keeps plain statements): a list's spooled statements are not read
    texts = [batch for batch in batches if not isinstance(batch.statements, StatementSpool)]
    incomplete = {result.by_key[(batch.source.id, statement.key)]
                  for batch in texts for statement in batch.statements if getattr(statement, "missing", None)}
    if not incomplete:
        return 0
    curated: set[URIRef] = set()
    for batch in batches:
        if "extracted" in evidence_methods(batch.statements):
            keys = (statement.key for statement in batch.statements if not is_extracted(statement))
        else:  # every statement is curated: its keys are enough (a spool decodes none)
            keys = statement_keys(batch.statements)
        curated.update(iri for key in keys if (iri := result.by_key[(batch.source.id, key)]) in incomplete)
    dropped = 0
    for batch in texts:
        kept = []
        for statement in batch.statements:
            if getattr(statement, "missing", None) and result.by_key[(batch.source.id, statement.key)] not in curated:
                dropped += 1
                continue
            kept.append(statement)
        if len(kept) < len(batch.statements):
            batch.statements = kept
    return dropped
