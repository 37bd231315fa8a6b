"""The resolver: every statement of a build gets its IRI, entities first, then facts.

Examples
--------
>>> from graph.model.ontology import load_ontology
>>> from graph.model.statements import Batch, Label, SourceInfo, Statement
>>> a = Batch(source=SourceInfo(id="a", title="A", file="a"), priority=0,
...           statements=[Statement(key="st", cls="Company", labels=[Label("SenseTime")])])
>>> b = Batch(source=SourceInfo(id="b", title="B", file="b"),
...           statements=[Statement(key="r1", cls="Company", labels=[Label("Sensetime Group Limited")])])
>>> r = resolve([a, b], load_ontology())
>>> r.by_key[("b", "r1")] == r.by_key[("a", "st")]
True
"""

from __future__ import annotations

from graph.model.ontology import Ontology
from graph.io.spool import select
from graph.model.statements import Batch
from graph.resolve.decisions import Decision
from graph.resolve.entities import NEAR_MISS_SCORE, Entities
from graph.resolve.extracted import drop_unmerged_incomplete, merge_extracted_facts
from graph.resolve.measures import Facts
from graph.resolve.result import Resolution, fact_test, ordered
from graph.resolve.ties import merge_same_ties

__all__ = ["resolve"]


def resolve(batches: list[Batch], model: Ontology, decisions: list[Decision] | None = None, *,
            near_miss_score: float = NEAR_MISS_SCORE) -> Resolution:
    """Assign an IRI to every statement of ``batches``, merging entities and measures.

    Batches are taken in reader priority order (curated first), then by source and file, so
    the result does not depend on the order files were found in. Entities are resolved
    before facts, so that measures can be compared by the entities they point to; extracted
    facts that restate curated ones are merged last, and extracted facts that lack a required
    role and merged into no curated fact are removed from their batches.

    Parameters
    ----------
    batches : list of Batch
        What the readers read.
    model : Ontology
        The ontology (classes, IRI kinds).
    decisions : list of Decision, optional
        Reviewed decisions (see :func:`graph.resolve.load_decisions`): ``confirm`` pairs
        merge, ``forbid`` pairs never do.
    near_miss_score : float
        Pairs that did not merge are reported from this score (0-100) up.

    Returns
    -------
    Resolution
        With the entity index (``index``) that :func:`graph.resolve.match_name` asks.

    Raises
    ------
    InputError
        A statement refers to a key or name nothing declares (named with its file and line).
    """
    result = Resolution()
    entities = Entities(model, result, decisions or [], near_miss_score=near_miss_score)
    facts = Facts(model, result)
    result.index = entities
    batches_in_order = ordered(batches)
    is_fact = fact_test(model)
    entities.distinguish_owners(batches_in_order, is_fact)
    # a spooled batch (graph.io.spool) decodes only the statements each pass selects
    for batch in batches_in_order:
        for statement in select(batch.statements, lambda key, cls: not is_fact(cls)):
            entities.entity(batch, statement)
            facts.note_parents(batch, statement)
    facts.link_parents()
    for batch in batches_in_order:
        for statement in select(batch.statements, lambda key, cls: is_fact(cls)):
            facts.fact(batch, statement)
    merge_extracted_facts(batches, result, model)
    merge_same_ties(batches, result, model)
    drop_unmerged_incomplete(batches, result)
    return result

