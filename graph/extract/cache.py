"""The per-source extraction cache: ``out/cache/extract/<source>.json``.

An entry is keyed by the SHA-256 of everything its result depends on: the article's text and
metadata file, the extractor's version (spaCy model included), the rule files and the
gazetteer. ``kg build`` re-extracts an article only when that key changes, and the statements
read back are equal to freshly extracted ones, so the graph is byte-identical either way.

Examples
--------
>>> from graph.model.statements import Statement, Evidence, Ref, Label
>>> st = Statement(key="~x", cls="Company", labels=[Label("Acme", "en")],
...                values={"partner": [Ref(key="~y")]},
...                evidence=[Evidence(source="s", method="extracted", confidence=0.8, quote="Acme")])
>>> statements_from_json(statements_to_json([st]))[0] == st
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path

from graph.io.files import write_atomic
from graph.model.statements import Evidence, Label, Origin, Ref, Statement

__all__ = ["ExtractCache", "cache_key", "statements_to_json", "statements_from_json"]

#: 2: evidence records the line where its quote starts (``line``); an entry without it is re-extracted
_FORMAT = 2


def cache_key(*parts: bytes | str) -> str:
    """SHA-256 over ``parts`` (each length-prefixed, so that parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class ExtractCache:
    """Cached extractions in ``folder``; writes wait in :attr:`pending` until :meth:`commit`.

    The build commits only after its outputs are written, so a failed build leaves ``out/``
    (cache included) as it was.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.pending: dict[str, bytes] = {}

    def _entry(self, source_id: str) -> Path | None:
        # The readers check source ids; this keeps a bad one from naming a file outside the cache.
        name = f"{source_id}.json"
        if self.folder is None or source_id.startswith(".") or Path(name).name != name or "\\" in name:
            return None
        return self.folder / name

    def get(self, source_id: str, key: str) -> tuple[list[Statement], list[str]] | None:
        """The cached statements and warnings of ``source_id`` if its entry has ``key``."""
        if self.folder is None:
            return None
        path = self._entry(source_id)
        if path is None:
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT or doc.get("key") != key:
            return None
        try:
            return statements_from_json(doc["statements"]), [str(w) for w in doc.get("warnings", [])]
        except (KeyError, TypeError, ValueError):
            return None  # a damaged entry is re-extracted, never trusted

    def put(self, source_id: str, key: str, statements: list[Statement], warnings: list[str] | None = None) -> None:
        if self.folder is None:
            return
        doc = {"format": _FORMAT, "key": key, "source": source_id, "statements": statements_to_json(statements),
               "warnings": list(warnings or [])}
        self.pending[source_id] = (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

    def pending_files(self, folder: Path) -> dict[str, bytes]:
        """The pending entries as file names relative to ``folder`` (for :func:`graph.io.files.write_together`)."""
        files = {}
        for source_id, data in sorted(self.pending.items()):
            path = self._entry(source_id)
            if path is not None:
                files[path.relative_to(folder).as_posix()] = data
        return files

    def commit(self) -> list[Path]:
        """Write the pending entries atomically; return their paths."""
        written = []
        if self.folder is not None:
            for source_id, data in sorted(self.pending.items()):
                path = self._entry(source_id)
                if path is not None:
                    written.append(write_atomic(path, data))
        self.pending.clear()
        return written


def statements_to_json(statements: list[Statement]) -> list[dict]:
    """Plain JSON-ready dicts for ``statements`` (dates as ``{"date": "YYYY-MM-DD"}``)."""
    out = []
    for statement in statements:
        item = {
            "type": type(statement).__name__,
            "key": statement.key,
            "cls": statement.cls,
            "labels": [[label.text, label.lang] for label in statement.labels],
            "aliases": list(statement.aliases),
            "values": {prop: [_value_to_json(v) for v in values] for prop, values in statement.values.items()},
            "evidence": [{k: v for k, v in asdict(ev).items() if v is not None} for ev in statement.evidence],
            "same_as": list(statement.same_as),
        }
        if statement.origin is not None:
            item["origin"] = asdict(statement.origin)
        if hasattr(statement, "missing"):
            item["missing"] = list(statement.missing)
        out.append(item)
    return out


def statements_from_json(items: list[dict]) -> list[Statement]:
    """The statements :func:`statements_to_json` wrote, equal to the originals."""
    from graph.extract.extractor import ExtractedStatement

    evidence_fields = {f.name for f in fields(Evidence)}
    out: list[Statement] = []
    for item in items:
        kwargs = dict(
            key=item["key"],
            cls=item["cls"],
            labels=[Label(text, lang) for text, lang in item["labels"]],
            aliases=list(item["aliases"]),
            values={prop: [_value_from_json(v) for v in values] for prop, values in item["values"].items()},
            evidence=[Evidence(**{k: v for k, v in ev.items() if k in evidence_fields}) for ev in item["evidence"]],
            origin=Origin(**item["origin"]) if item.get("origin") else None,
            same_as=list(item["same_as"]),
        )
        if item.get("type") == "ExtractedStatement":
            out.append(ExtractedStatement(**kwargs, missing=tuple(item.get("missing", ()))))
        else:
            out.append(Statement(**kwargs))
    return out


def _value_to_json(value: object) -> object:
    if isinstance(value, Ref):
        return {"ref": {k: v for k, v in asdict(value).items() if v is not None}}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _value_from_json(value: object) -> object:
    if isinstance(value, dict) and "ref" in value:
        return Ref(**value["ref"])
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"])
    return value
