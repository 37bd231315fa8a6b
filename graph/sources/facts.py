"""Curated fact files (``*.facts.yaml``): what an analyst read in a source, with quotes.

A fact file speaks for one article and is written by hand, reviewed in diffs::

    source: ../articles/lesechos-2019-10-08.article.yaml
    entities:
      sensetime:
        class: Company
        label: SenseTime
        quote: SenseTime
    facts:
      sensetime-qualcomm:
        class: Partnership
        partner: [sensetime, qualcomm]
        quote: SenseTime est partenaire de Qualcomm

Keys under ``entities`` and ``facts`` name nodes; property values name other keys of the same
file. Every fact (measure, relationship, event) needs evidence: ``quote`` (one) or
``evidence`` (a list of ``{quote, confidence, note}``). Each quote must stand verbatim in the
article's text; the build records its character offsets.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.model.ontology import KG, load_ontology
from graph.model.statements import Evidence, Label, Origin, Ref, Statement
from graph.sources._base import Batch, LineDict, Reader, as_date, did_you_mean, load_yaml, locate_quote, relative_name
from graph.sources.article import line_at, load_article

__all__ = ["FactsReader"]

_NODE_KEYS = ("class", "label", "aliases", "quote", "evidence", "sameAs")
_EVIDENCE_KEYS = ("quote", "confidence", "note")
_TOP_KEYS = ("source", "entities", "facts")
_FACT_CLASSES = (KG.Measure, KG.Relationship, KG.Event)


class FactsReader(Reader):
    """Reads ``*.facts.yaml`` into curated statements of the article it names."""

    name = "facts"
    priority = 0

    def claims(self, path: Path) -> bool:
        return path.name.endswith(".facts.yaml")

    def read(self, path: Path, root: Path) -> list[Batch]:
        return [_FactFile(path, root).read()]


class _FactFile:
    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.root = root
        self.file = relative_name(path, root)
        self.model = load_ontology()

    def fail(self, message: str, line: int | None, hint: str | None = None) -> InputError:
        return InputError(self.path, message, line=line, hint=hint)

    def read(self) -> Batch:
        doc = load_yaml(self.path)
        if not isinstance(doc, LineDict):
            raise self.fail("a fact file must be a YAML mapping with 'source', 'entities' and 'facts'", 1)
        for key in doc:
            if key not in _TOP_KEYS:
                raise self.fail(f"unknown top-level key {key!r}", doc.key_lines[str(key)],
                                hint=f"a fact file has {', '.join(_TOP_KEYS)}")
        if "source" not in doc:
            raise self.fail("missing 'source': the article metadata file these facts come from", doc.line,
                            hint="add 'source: ../articles/NAME.article.yaml'")
        article_path = (self.path.parent / str(doc["source"])).resolve()
        if not article_path.is_file():
            raise self.fail(f"the source {doc['source']!r} does not exist", doc.key_lines["source"],
                            hint="name the article metadata file relative to this fact file")
        self.article = load_article(article_path, self.root)
        nodes: dict[str, tuple[LineDict, bool]] = {}
        for section, is_fact in (("entities", False), ("facts", True)):
            block = doc.get(section) or LineDict()
            if not isinstance(block, dict):
                raise self.fail(f"'{section}' must be a mapping of keys to nodes", doc.key_lines.get(section))
            for key, node in block.items():
                line = block.key_lines.get(str(key)) if isinstance(block, LineDict) else None
                if str(key) in nodes:
                    raise self.fail(f"key {key!r} is declared twice", line, hint="keys name nodes and must be unique in a file")
                if not isinstance(node, LineDict):
                    raise self.fail(f"{key!r} must be a mapping with at least 'class'", line)
                nodes[str(key)] = (node, is_fact)
        self.keys = sorted(nodes)
        statements = [self.statement(key, node, is_fact) for key, (node, is_fact) in nodes.items()]
        facts = sum(1 for _, is_fact in nodes.values() if is_fact)
        return Batch(
            source=self.article.source,
            statements=statements,
            file=self.file,
            counts={"entities": len(nodes) - facts, "facts": facts},
        )

    def statement(self, key: str, node: LineDict, is_fact: bool) -> Statement:
        if "class" not in node:
            raise self.fail(f"{key!r} has no 'class'", node.line,
                            hint=f"known classes: {', '.join(self.model.class_keys())}")
        cls_key = str(node["class"])
        try:
            cls = self.model.cls(cls_key)
        except KeyError:
            raise self.fail(f"unknown class {cls_key!r} for {key!r}", node.key_lines["class"],
                            hint=did_you_mean(cls_key, self.model.class_keys())
                            or f"known classes: {', '.join(self.model.class_keys())}") from None
        is_fact_class = any(self.model.is_a(cls, parent) for parent in _FACT_CLASSES)
        if is_fact != is_fact_class:
            where = "facts" if is_fact_class else "entities"
            raise self.fail(f"{key!r} is a {cls_key}, which belongs under '{where}'", node.line)
        statement = Statement(key=key, cls=cls_key, origin=Origin(self.file, node.line))
        for name, value in node.items():
            name = str(name)
            line = node.key_lines[name]
            if name in ("class",):
                continue
            if name == "label":
                statement.labels = self.labels(value, line)
            elif name == "aliases":
                statement.aliases = [str(v) for v in _as_list(value)]
            elif name == "sameAs":
                statement.same_as = [str(v) for v in _as_list(value)]
            elif name == "quote":
                statement.evidence.append(self.evidence({"quote": value}, line, node))
            elif name == "evidence":
                items = _as_list(value)
                for item in items:
                    if not isinstance(item, dict):
                        raise self.fail("each evidence item must be a mapping with 'quote'", line)
                    statement.evidence.append(self.evidence(item, getattr(item, "line", line), item))
            else:
                statement.values[name] = self.values(key, name, value, line)
        if not statement.labels and not is_fact:
            raise self.fail(f"entity {key!r} has no 'label'", node.line,
                            hint="give the name it is best known by, e.g. 'label: SenseTime'")
        if is_fact and not statement.evidence:
            raise self.fail(f"fact {key!r} has no evidence", node.line,
                            hint="add 'quote:' with the words of the source that state it")
        return statement

    def labels(self, value: Any, line: int) -> list[Label]:
        if isinstance(value, dict):
            return [Label(str(text), str(lang)) for lang, text in value.items()]
        if isinstance(value, str) and value.strip():
            return [Label(value.strip())]
        raise self.fail(f"a label must be text or a mapping of language to text, not {value!r}", line)

    def values(self, key: str, name: str, value: Any, line: int) -> list[object]:
        try:
            prop = self.model.prop(name)
        except KeyError:
            raise self.fail(f"unknown property {name!r} on {key!r}", line,
                            hint=did_you_mean(name, self.model.property_keys() + list(_NODE_KEYS))
                            or f"known properties: {', '.join(self.model.property_keys())}") from None
        out: list[object] = []
        for item in _as_list(value):
            if prop.is_object:
                target = str(item)
                if target not in self.keys:
                    raise self.fail(f"{name!r} of {key!r} refers to undefined entity {target!r}", line,
                                    hint=did_you_mean(target, self.keys) or "declare it under 'entities' first")
                out.append(Ref(key=target))
            elif prop.datatype is not None and str(prop.datatype).endswith("#date"):
                parsed = as_date(item)
                if parsed is None:
                    raise self.fail(f"{name!r} of {key!r} is not a valid date: {item!r}", line,
                                    hint="write dates as YYYY-MM-DD, e.g. 2019-10-07")
                out.append(parsed)
            elif prop.datatype is not None and str(prop.datatype).endswith(("#integer", "#decimal")):
                if isinstance(item, bool) or not isinstance(item, (int, float)):
                    raise self.fail(f"{name!r} of {key!r} must be a number, not {item!r}", line)
                out.append(item)
            else:
                if isinstance(item, (dict, list)) or item is None:
                    raise self.fail(f"{name!r} of {key!r} must be text, not {item!r}", line)
                out.append(item if isinstance(item, (date, int, float)) else str(item))
        return out

    def evidence(self, item: dict, line: int, holder: dict) -> Evidence:
        for name in item:
            if name not in _EVIDENCE_KEYS:
                raise self.fail(f"unknown evidence field {name!r}", line, hint=f"evidence has {', '.join(_EVIDENCE_KEYS)}")
        quote = item.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise self.fail("evidence needs a non-empty 'quote'", line,
                            hint="copy the words of the source that state the fact")
        span = locate_quote(self.article.text, quote)
        if span is None:
            raise self.fail(f"quote not found in {self.article.source.file}: {_short(quote)!r}", line,
                            hint="copy the words exactly as they stand in the text (compared after Unicode NFC normalisation)")
        confidence = item.get("confidence", 1.0)
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            raise self.fail(f"confidence must be a number from 0 to 1, not {confidence!r}", line)
        return Evidence(
            source=self.article.source.id,
            method="curated",
            confidence=float(confidence),
            quote=self.article.text[span[0]:span[1]],
            char_start=span[0],
            char_end=span[1],
            line=line_at(self.article.text, span[0]),
            file=self.article.source.file,
            note=str(item["note"]) if item.get("note") else None,
        )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
