"""Measure the extractor against gold annotations: precision, recall and F1.

A gold file (``*.gold.yaml``) names a text and annotates it by hand::

    text: seed.txt                 # relative to the gold file
    source: lesechos-2019-10-08    # optional: the source id whose curated facts it describes
    language: fr
    issued: 2019-10-08
    entities:
      sensetime: {class: Company, names: [SenseTime, Sense Time]}
    unnamed:                       # entities relations need but the text never names
      chinese-government: {class: GovernmentBody, names: [Government of China]}
    relations:
      - [sensetime, partnerOf, qualcomm]            # a relationship: its shortcut edge
      - [ExportControlListing, targets, dahua]      # a measure or event: class, property, value
      - [ExportControlListing, announcedOn, 2019-10-07]

Entities are compared as sets of (gold id, class); relations as sets of triples, each entity
mapped to its gold id by name (any name, after :func:`graph.model.names.name_key`).

Examples
--------
>>> prf(8, 10, 9)
(0.8, 0.889, 0.842)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.errors import InputError
from graph.io.files import LineDict, load_yaml, read_text
from graph.model.names import name_key
from graph.model.ontology import Ontology, load_ontology
from graph.sources import Batch, as_date
from graph.model.statements import SourceInfo
from graph.extract.extractor import Extraction, extract_text
from graph.extract.gazetteer import Gazetteer, Mention, gazetteer_from_batches

__all__ = ["Gold", "Score", "load_gold", "score", "evaluate", "prf", "format_table", "breakdown", "format_breakdown"]

_LITERAL_PROPS = ("announcedOn", "startDate", "endDate", "date")
_SKIPPED_PROPS = ("status", "role")


@dataclass
class Gold:
    """One annotated text."""

    path: Path
    name: str
    text: str
    text_file: str
    lang: str
    issued: date | None
    source: str | None
    entities: dict[str, tuple[str, tuple[str, ...]]]
    relations: set[tuple[str, str, str]]
    unnamed: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass
class Score:
    """Counts and misses for one text (or the sum of several)."""

    name: str
    entity_tp: int = 0
    entity_found: int = 0
    entity_gold: int = 0
    relation_tp: int = 0
    relation_found: int = 0
    relation_gold: int = 0
    missed_entities: list[str] = field(default_factory=list)
    wrong_entities: list[str] = field(default_factory=list)
    missed_relations: list[tuple[str, str, str]] = field(default_factory=list)
    wrong_relations: list[tuple[str, str, str]] = field(default_factory=list)
    #: the text's language, and the compared sets (for :func:`breakdown`)
    lang: str = ""
    entity_sets: tuple[frozenset, frozenset] = (frozenset(), frozenset())
    relation_sets: tuple[frozenset, frozenset] = (frozenset(), frozenset())

    @property
    def entities(self) -> tuple[float, float, float]:
        return prf(self.entity_tp, self.entity_found, self.entity_gold)

    @property
    def relations(self) -> tuple[float, float, float]:
        return prf(self.relation_tp, self.relation_found, self.relation_gold)

    def __add__(self, other: "Score") -> "Score":
        total = Score("overall")
        for name in ("entity_tp", "entity_found", "entity_gold", "relation_tp", "relation_found", "relation_gold"):
            setattr(total, name, getattr(self, name) + getattr(other, name))
        return total


def prf(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 rounded to 3 places (1.0 for an empty side with nothing wrong)."""
    precision = tp / found if found else (1.0 if gold == 0 else 0.0)
    recall = tp / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def load_gold(path: Path) -> Gold:
    """Read a gold file; InputError names the line of anything malformed."""
    doc = load_yaml(path)
    if not isinstance(doc, LineDict) or "text" not in doc:
        raise InputError(path, "a gold file is a mapping with 'text', 'entities' and 'relations'", line=1)
    text_path = (path.parent / str(doc["text"])).resolve()
    if not text_path.is_file():
        raise InputError(path, f"the text {doc['text']!r} does not exist", line=doc.key_lines.get("text"))
    entities = _entities(path, doc, "entities")
    unnamed = _entities(path, doc, "unnamed")
    relations = set()
    for number, item in enumerate(doc.get("relations") or [], start=1):
        if not isinstance(item, list) or len(item) != 3:
            raise InputError(path, f"relation #{number} must be [subject, relation, object], not {item!r}",
                             line=doc.key_lines.get("relations"))
        relations.add(_canonical(tuple(_text(v) for v in item)))
    issued = as_date(doc.get("issued"))
    return Gold(path=path, name=path.name.removesuffix(".gold.yaml"), text=read_text(text_path),
                text_file=str(doc["text"]), lang=str(doc.get("language", "auto")), issued=issued,
                source=str(doc["source"]) if doc.get("source") else None, entities=entities, relations=relations,
                unnamed=unnamed)


def evaluate(golds: list[Gold], known: list[Batch], *, use_spacy: bool | None = None, holdout: bool = False,
             model: Ontology | None = None, use_parser: bool | None = None,
             gazetteer: Gazetteer | None = None) -> tuple[list[Score], list[Extraction]]:
    """Extract each gold text with the gazetteer of ``known`` and score it.

    With ``holdout``, the curated statements of the text's own source are left out of the
    gazetteer: the extractor then meets the text as it would meet a new article. ``gazetteer``
    is the one of ``known`` when the caller has it already (it is built otherwise).
    """
    model = model or load_ontology()
    scores, extractions = [], []
    full = gazetteer if gazetteer is not None else gazetteer_from_batches(known, model)
    for gold in golds:
        gazetteer = full
        if holdout and gold.source:
            gazetteer = gazetteer_from_batches([b for b in known if b.source.id != gold.source], model)
        source = SourceInfo(id=gold.source or gold.name, title=gold.name, file=gold.text_file, issued=gold.issued,
                            language=gold.lang)
        extraction = extract_text(gold.text, gazetteer=gazetteer, lang=gold.lang, issued=gold.issued, source=source,
                                  use_spacy=use_spacy, model=model, use_parser=use_parser)
        scores.append(score(gold, extraction, model))
        extractions.append(extraction)
    return scores, extractions


def score(gold: Gold, extraction: Extraction, model: Ontology | None = None) -> Score:
    """Compare one extraction with its gold annotation."""
    model = model or load_ontology()
    by_key: dict[str, set[str]] = {}
    for gold_id, (_cls, names) in {**gold.unnamed, **gold.entities}.items():
        for name in names + (gold_id,):
            by_key.setdefault(name_key(name), set()).add(gold_id)

    by_identity: dict[str, str] = {}

    def gold_id(mention: Mention) -> str:
        if mention.identity in by_identity:
            return by_identity[mention.identity]
        names = [mention.text, mention.name]
        if mention.entry is not None:
            # the known entity's own names first: "Washington" standing for a government
            names = [*mention.entry.labels.values(), *mention.entry.names] + names
        for name in names:
            for candidate in sorted(by_key.get(name_key(name or ""), ())):
                return candidate
        return f"new:{mention.name or mention.text}"

    result = Score(gold.name)
    found_entities = set()
    for identity, mentions in extraction.entities().items():
        # an entity is what any of its mentions names ("Department of Commerce", "BIS")
        ids = [gold_id(m) for m in mentions]
        by_identity[identity] = next((i for i in ids if not i.startswith("new:")), ids[0])
        found_entities.add((by_identity[identity], mentions[0].cls))
    expected = {(key, cls) for key, (cls, _names) in gold.entities.items()}
    result.entity_tp = len(found_entities & expected)
    result.entity_found = len(found_entities)
    result.entity_gold = len(expected)
    result.missed_entities = sorted(f"{k} ({c})" for k, c in expected - found_entities)
    result.wrong_entities = sorted(f"{k} ({c})" for k, c in found_entities - expected)
    found_relations = set()
    for fact in extraction.facts:
        found_relations |= _triples(fact, gold_id, model)
    result.relation_tp = len(found_relations & gold.relations)
    result.relation_found = len(found_relations)
    result.relation_gold = len(gold.relations)
    result.missed_relations = sorted(gold.relations - found_relations)
    result.wrong_relations = sorted(found_relations - gold.relations)
    result.lang = extraction.lang
    result.entity_sets = (frozenset(found_entities), frozenset(expected))
    result.relation_sets = (frozenset(found_relations), frozenset(gold.relations))
    return result


def breakdown(scores: list[Score]) -> list[tuple[str, str, str, int, int, int]]:
    """Counts per (what, kind, language): ``("entity", "Company", "en", tp, found, gold)``.

    An entity's kind is its class; a relation's kind is its relation (``suppliesTo``,
    ``targets``, ``locatedIn`` ...). Language ``all`` sums both languages.

    >>> s = Score("t", lang="en", entity_sets=(frozenset({("a", "Company"), ("x", "Place")}),
    ...                                       frozenset({("a", "Company")})))
    >>> [row for row in breakdown([s]) if row[2] == "en"]
    [('entity', 'Company', 'en', 1, 1, 1), ('entity', 'Place', 'en', 0, 1, 0)]
    """
    counts: dict[tuple[str, str, str], list[int]] = {}
    for each in scores:
        for what, (found, gold), kind_of in (("entity", each.entity_sets, lambda item: item[1]),
                                             ("relation", each.relation_sets, lambda item: item[1])):
            for item in found | gold:
                for lang in (each.lang or "?", "all"):
                    row = counts.setdefault((what, kind_of(item), lang), [0, 0, 0])
                    row[0] += item in found and item in gold
                    row[1] += item in found
                    row[2] += item in gold
    return [(what, kind, lang, *row) for (what, kind, lang), row in sorted(counts.items())]


def format_breakdown(scores: list[Score]) -> str:
    """Precision and recall per kind of entity and relation, per language and for all texts."""
    rows = [("what", "kind", "lang", "P", "R", "tp/found/gold")]
    for what, kind, lang, tp, found, gold in breakdown(scores):
        precision, recall, _f1 = prf(tp, found, gold)
        rows.append((what, kind, lang, f"{precision:.3f}", f"{recall:.3f}", f"{tp}/{found}/{gold}"))
    for what in ("entity", "relation"):
        for lang in sorted({s.lang or "?" for s in scores}) + ["all"]:
            tp = found = gold = 0
            for w, _kind, l, a, b, c in breakdown(scores):
                if w == what and l == lang:
                    tp, found, gold = tp + a, found + b, gold + c
            precision, recall, _f1 = prf(tp, found, gold)
            rows.append((what, "(every kind)", lang, f"{precision:.3f}", f"{recall:.3f}", f"{tp}/{found}/{gold}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 3 else cell.rjust(widths[i]) for i, cell in enumerate(row))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def format_table(scores: list[Score]) -> str:
    """A plain-text table: one row per text and one for all texts together (micro-averaged)."""
    total = scores[0] if len(scores) == 1 else sum(scores[1:], scores[0])
    if len(scores) > 1:
        total.name = "overall"
    rows = [("text", "ent P", "ent R", "ent F1", "rel P", "rel R", "rel F1", "ent tp/found/gold", "rel tp/found/gold")]
    for each in scores + ([total] if len(scores) > 1 else []):
        rows.append((each.name, *(f"{v:.3f}" for v in each.entities), *(f"{v:.3f}" for v in each.relations),
                     f"{each.entity_tp}/{each.entity_found}/{each.entity_gold}",
                     f"{each.relation_tp}/{each.relation_found}/{each.relation_gold}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ helpers


def _entities(path: Path, doc: LineDict, section: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    entities: dict[str, tuple[str, tuple[str, ...]]] = {}
    block = doc.get(section) or {}
    if not isinstance(block, dict):
        raise InputError(path, f"'{section}' must map ids to {{class, names}}", line=doc.key_lines.get(section))
    for key, item in block.items():
        line = block.key_lines.get(str(key)) if isinstance(block, LineDict) else None
        if not isinstance(item, dict) or "class" not in item or not item.get("names"):
            raise InputError(path, f"entity {key!r} needs 'class' and 'names'", line=line)
        entities[str(key)] = (str(item["class"]), tuple(str(n) for n in item["names"]))
    return entities


def _triples(fact, gold_id, model: Ontology) -> set[tuple[str, str, str]]:
    def term(value) -> str:
        return gold_id(value) if isinstance(value, Mention) else _text(value)

    out: set[tuple[str, str, str]] = set()
    if fact.kind == "attribute":
        for subject in fact.values.get("subject", []):
            for prop, values in fact.values.items():
                if prop != "subject":
                    out |= {(term(subject), prop, term(v)) for v in values}
        return out
    try:
        edge = model.edge_kind(model.cls(fact.cls))
    except KeyError:
        edge = None
    if edge is not None:
        keys = {str(p.iri): p.key for p in map(model.prop, model.property_keys())}
        source, target = keys.get(str(edge.source)), keys.get(str(edge.target))
        shortcut = str(edge.shortcut).rsplit("#", 1)[-1]
        for a in fact.values.get(source, []):
            for b in fact.values.get(target, []):
                if term(a) != term(b):
                    out.add(_canonical((term(a), shortcut, term(b)), symmetric=edge.symmetric))
        return out
    for prop, values in fact.values.items():
        if prop in _SKIPPED_PROPS:
            continue
        out |= {(fact.cls, prop, term(v)) for v in values}
    return out


def _canonical(triple: tuple[str, str, str], symmetric: bool | None = None) -> tuple[str, str, str]:
    a, relation, b = triple
    if symmetric is None:
        symmetric = relation in {str(e.shortcut).rsplit("#", 1)[-1] for e in load_ontology().edge_kinds() if e.symmetric}
    if symmetric and b < a:
        return b, relation, a
    return triple


def _text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
