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

from graph.io.files import serialize
from graph.model.ontology import Ontology, load_ontology
from graph.builder.rdf import source_iri
from graph.resolve import resolve
from graph.sources import Batch
from graph.model.terms import union_graph
from graph.extract.extractor import Extraction, fact_keys, to_batch
from graph.extract.gazetteer import Mention

__all__ = ["extraction_to_json", "extractions_to_json", "extractions_to_rdf", "fact_rows", "extractions_to_table"]


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
            "negated": fact.negated,
            "modality": fact.modality,
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
        "dropped": [{"class": d.cls, "rule": d.rule, "role": d.prop, "value": d.value, "whole_fact": d.whole,
                     "reason": d.reason, "quote": extraction.text[d.span[0]:d.span[1]]} for d in extraction.dropped],
    }


def extractions_to_json(extractions: list[Extraction]) -> str:
    return json.dumps([extraction_to_json(e) for e in extractions], ensure_ascii=False, indent=2) + "\n"


def extractions_to_rdf(extractions: list[Extraction], known: list[Batch], fmt: str, model: Ontology | None = None) -> bytes:
    """The extracted statements as they would enter the graph, resolved against ``known``.

    Only the articles' named graphs are written (``fmt`` ``"trig"``), or their union
    (``"turtle"``); known entities keep the IRIs the curated sources give them.
    """
    from graph.builder.rdf import to_dataset

    model = model or load_ontology()
    batches = [to_batch(e, model) for e in extractions]
    # resolution also drops the incomplete facts that no curated fact completes
    resolution = resolve(known + batches, model)
    dataset = to_dataset(batches, resolution, model)
    wanted = {source_iri(e.source.id) for e in extractions}
    for graph in list(dataset.graphs()):
        if graph.identifier not in wanted:
            dataset.remove_graph(graph)
    if fmt == "trig":
        return serialize(dataset, "trig")
    return serialize(union_graph(dataset), "turtle")


def fact_rows(extraction: Extraction, model: Ontology | None = None, rejected: bool = True) -> list[dict]:
    """One row per fact the extraction states: id, kind, subject, object, confidence, via, quote.

    ``via`` is the rule's name or the parse's path ("parse:en sell subject>supplier
    to>customer": the word, then each grammatical slot and the role it filled). A fact the
    text denies or only allows is shown with its kind marked ("suppliesTo (negated)",
    "suppliesTo (may)"): it is not in the graph. With ``rejected``, every candidate set aside
    is a row of kind ``dropped`` with the reason as its object.

    A relationship is one row (``suppliesTo``: supplier, customer); a measure or event one row
    per value (``ExportControlListing targets``: the imposer, the target); an entity's place
    or country one row (``country``). What the shapes refused is a row of kind ``dropped``,
    with the reason as its object. ``id`` is the statement key a decision can reject.
    """
    model = model or load_ontology()
    lang = extraction.lang
    rows: list[dict] = []
    seen: set[tuple] = set()
    for fact, key in zip(extraction.facts, fact_keys(extraction)):
        if not any(fact.values.values()):
            continue  # a trigger whose sentence named nothing: no fact to show
        quote = " ".join(extraction.text[s:e] for s, e in fact.spans[:1])
        base = {"id": key or "-", "confidence": fact.confidence, "quote": quote, "via": fact.rule}
        mark = " (negated)" if fact.negated else (f" ({fact.modality})" if fact.modality else "")
        if fact.kind == "attribute":
            for subject in fact.values.get("subject", []):
                for prop, values in sorted(fact.values.items()):
                    for value in values if prop != "subject" else ():
                        row = {**base, "kind": prop, "subject": _value(subject, lang), "object": _value(value, lang)}
                        # two phrasings may say one place or country ("a US chipmaker ... in Santa Clara")
                        if (prop, row["subject"], row["object"]) not in seen:
                            seen.add((prop, row["subject"], row["object"]))
                            rows.append(row)
            continue
        try:
            edge = model.edge_kind(model.cls(fact.cls))
        except KeyError:
            edge = None
        if edge is not None:
            keys = {str(model.prop(k).iri): k for k in model.property_keys()}
            source, target = keys.get(str(edge.source)), keys.get(str(edge.target))
            shortcut = str(edge.shortcut).rsplit("#", 1)[-1]
            for a in fact.values.get(source, []) or ["?"]:
                for b in [v for v in fact.values.get(target, []) if v is not a] or ["?"]:
                    rows.append({**base, "kind": shortcut + mark, "subject": _value(a, lang), "object": _value(b, lang)})
            continue
        # a measure's subject is who imposed it; an event's, the event itself
        by = ", ".join(str(_value(v, lang)) for v in fact.values.get("imposedBy", [])) or \
            ("?" if _is_measure(model, fact.cls) else fact.cls)
        for prop, values in sorted(fact.values.items()):
            if prop in ("imposedBy",):
                continue
            rows += [{**base, "kind": f"{fact.cls} {prop}{mark}", "subject": by, "object": _value(v, lang)}
                     for v in values]
        if not any(p != "imposedBy" for p in fact.values):
            rows.append({**base, "kind": f"{fact.cls} imposedBy", "subject": by, "object": "?"})
    for dropped in extraction.dropped if rejected else ():
        rows.append({"id": "-", "kind": "dropped", "subject": f"{dropped.cls} {dropped.prop}: {dropped.value}",
                     "object": dropped.reason, "confidence": 0.0, "via": dropped.rule,
                     "quote": extraction.text[dropped.span[0]:dropped.span[1]]})
    return rows


def extractions_to_table(extractions: list[Extraction], model: Ontology | None = None, width: int = 100,
                         rejected: bool = True) -> str:
    """The facts of ``extractions`` as a plain-text table, one line per fact (see :func:`fact_rows`).

    With ``rejected`` (the default; ``kg extract --table --rejected``), the candidates set
    aside follow, each with its reason.

    >>> from graph.extract import extract_text, Gazetteer, Entry
    >>> gaz = Gazetteer([Entry("kgr:org/intel", "Company", {"": "Intel"}, ("Intel",)),
    ...                  Entry("kgr:org/huawei", "Company", {"": "Huawei"}, ("Huawei",))])
    >>> table = extractions_to_table([extract_text("Intel supplies Huawei.", gazetteer=gaz, lang="en", use_parser=False)])
    >>> print(table.splitlines()[2])
    ~text/supplyrelationship-intel  suppliesTo  Intel  Huawei  0.70  supplier  Intel supplies Huawei.
    """
    # the id names the source ("~source/fact"); an entity's place or country has none ("-")
    header = ("id", "kind", "subject", "object", "conf", "via", "quote")
    rows = []
    for extraction in extractions:
        for row in fact_rows(extraction, model, rejected):
            quote = " ".join(row["quote"].split())
            if len(quote) > width:
                quote = quote[:width - 1] + "…"
            rows.append((row["id"], row["kind"], str(row["subject"]), str(row["object"]),
                         f"{row['confidence']:.2f}", row.get("via") or "-", quote))
    if not rows:
        return "no facts found\n"
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])) + "  " + r[-1] for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _is_measure(model: Ontology, cls: str) -> bool:
    try:
        return model.is_a(model.cls(cls), model.cls("Measure"))
    except KeyError:
        return False


def _value(value, lang: str):
    if isinstance(value, Mention):
        return value.entry.label(lang) if value.entry else value.name or value.text
    if isinstance(value, date):
        return value.isoformat()
    return value
