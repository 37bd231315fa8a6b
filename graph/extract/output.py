"""What ``kg extract`` prints: JSON for people and scripts, TriG or Turtle for the graph.

Examples
--------
>>> from graph.extract import extract_text, Gazetteer, Entry
>>> gaz = Gazetteer([Entry("kgr:org/huawei", "Company", {"": "Huawei"}, ("Huawei",))])
>>> doc = extraction_to_json(extract_text("Huawei est partenaire de Acme Technologies.", gazetteer=gaz, lang="fr"))
>>> [(e["label"], e["class"], e["known"]) for e in doc["entities"]]
[('Huawei', 'Company', 'kgr:org/huawei'), ('Acme Technologies', 'Company', None)]
>>> doc["facts"][0]["class"], doc["facts"][0]["values"]["partner"]
('Partnership', ['Huawei', 'Acme Technologies'])
"""

from __future__ import annotations

import json
from datetime import date

from ..files import serialize
from ..ontology import Ontology, load_ontology
from ..rdf import source_iri
from ..resolve import resolve
from ..sources import Batch
from ..terms import union_graph
from .build import drop_unmerged_incomplete
from .extractor import Extraction, to_batch
from .gazetteer import Mention

__all__ = ["extraction_to_json", "extractions_to_json", "extractions_to_rdf"]


def extraction_to_json(extraction: Extraction) -> dict:
    """One extraction as a JSON-ready dict: entities with their mentions, facts with evidence."""
    entities = []
    for identity, mentions in extraction.entities().items():
        first = mentions[0]
        entities.append({
            "label": first.entry.label(extraction.lang) if first.entry else first.name or first.text,
            "class": first.cls,
            "known": first.entry.id if first.entry else None,
            "found_by": first.how,
            "confidence": first.confidence,
            "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in mentions],
        })
    facts = []
    for fact in extraction.facts:
        facts.append({
            "class": fact.cls if fact.kind != "attribute" else "attribute",
            "rule": fact.rule,
            "confidence": fact.confidence,
            "values": {prop: [_value(v, extraction.lang) for v in values] for prop, values in sorted(fact.values.items())},
            "missing": list(fact.missing),
            "evidence": [{"quote": extraction.text[s:e], "start": s, "end": e} for s, e in fact.spans],
        })
    return {
        "source": extraction.source.id,
        "file": extraction.source.file,
        "language": extraction.lang,
        "issued": extraction.source.issued.isoformat() if extraction.source.issued else None,
        "extractor": extraction.extractor,
        "warnings": extraction.warnings,
        "skipped_headings": [{"text": h.text, "start": h.start, "end": h.end} for h in extraction.headings],
        "entities": entities,
        "facts": facts,
    }


def extractions_to_json(extractions: list[Extraction]) -> str:
    return json.dumps([extraction_to_json(e) for e in extractions], ensure_ascii=False, indent=2) + "\n"


def extractions_to_rdf(extractions: list[Extraction], known: list[Batch], fmt: str, model: Ontology | None = None) -> bytes:
    """The extracted statements as they would enter the graph, resolved against ``known``.

    Only the articles' named graphs are written (``fmt`` ``"trig"``), or their union
    (``"turtle"``); known entities keep the IRIs the curated sources give them.
    """
    from ..rdf import to_dataset

    model = model or load_ontology()
    batches = [to_batch(e, model) for e in extractions]
    resolution = resolve(known + batches, model)
    drop_unmerged_incomplete(known + batches, resolution)
    dataset = to_dataset(batches, resolution, model)
    wanted = {source_iri(e.source.id) for e in extractions}
    for graph in list(dataset.graphs()):
        if graph.identifier not in wanted:
            dataset.remove_graph(graph)
    if fmt == "trig":
        return serialize(dataset, "trig")
    return serialize(union_graph(dataset), "turtle")


def _value(value, lang: str):
    if isinstance(value, Mention):
        return value.entry.label(lang) if value.entry else value.name or value.text
    if isinstance(value, date):
        return value.isoformat()
    return value
