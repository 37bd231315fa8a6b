"""One tie, one relationship: relationships several sources state alike share one IRI.

Two relationship statements state the same tie when they are of the same class, name the same
finer relation (``kg:relation``) and role (``kg:role``), the same share, the same ends in each
role (the ``kg:identifiesFact "all"`` properties, resolved) and no date that both give and that
differs. The first statement in reader order (curated sources first) gives the IRI; every
source's evidence stays on it, so a path names each kind of tie once ("SenseTime
-partner-,<-supply- Nvidia", not "-partner-,-partner-,<-supply-").

Examples
--------
>>> from graph.model.ontology import load_ontology
>>> from graph.resolve import resolve
>>> from graph.model.statements import Batch, Label, Ref, SourceInfo, Statement
>>> def source(sid, priority):
...     a = Statement(key="a", cls="Company", labels=[Label("SenseTime")])
...     b = Statement(key="b", cls="Company", labels=[Label("Nvidia")])
...     tie = Statement(key="tie", cls="Partnership", values={"partner": [Ref(key="a"), Ref(key="b")]})
...     return Batch(source=SourceInfo(id=sid, title=sid, file=sid), statements=[a, b, tie], priority=priority)
>>> r = resolve([source("article", 0), source("table", 20)], load_ontology())
>>> r.by_key[("table", "tie")] == r.by_key[("article", "tie")]
True
"""

from __future__ import annotations

from rdflib import URIRef

from graph.model.ontology import KG, Ontology
from graph.model.statements import Batch
from graph.io.spool import select
from graph.resolve.extracted import dates_differ, dates_of, identifying_values
from graph.resolve.result import Resolution, ordered

__all__ = ["merge_same_ties"]


def merge_same_ties(batches: list[Batch], result: Resolution, model: Ontology) -> None:
    """Point each relationship that states a tie another source already stated at that tie's IRI."""
    identifying = {p: how for p, how in model.identifying().items() if how == "all"}
    seen: dict[tuple, tuple[URIRef, dict]] = {}  # signature -> the first tie's IRI and dates
    is_tie: dict[str, bool] = {}  # by class key: the ontology is asked once per class

    def is_a_tie(key: str, cls: str) -> bool:
        tie = is_tie.get(cls)
        if tie is None:
            tie = is_tie[cls] = model.is_a(model.cls(cls), KG.Relationship)
        return tie

    for batch in ordered(batches):
        source = batch.source.id
        for statement in select(batch.statements, is_a_tie):
            ends = identifying_values(result, source, statement, identifying, model)
            if not ends:
                continue
            signature = (statement.cls, tuple(sorted(str(v) for v in statement.values.get("relation", []))),
                         tuple(sorted(str(v) for v in statement.values.get("role", []))),
                         tuple(sorted(float(v) for v in statement.values.get("share", []))),
                         tuple(sorted((p, frozenset(v)) for p, v in ends.items())))
            iri = result.by_key[(source, statement.key)]
            dates = dates_of(statement)
            earlier = seen.setdefault(signature, (iri, dates))
            if earlier[0] == iri or dates_differ(dates, earlier[1]):
                continue
            result.by_key[(source, statement.key)] = earlier[0]
            result.merges[earlier[0]].append(f"{statement.origin or source}: the same tie ({statement.key!r} of {source!r})")
