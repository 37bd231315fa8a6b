"""An analyst's rejections of extracted facts, read from ``resolution/decisions.yaml``.

The extractor proposes; the analyst disposes. Beside its ``decisions`` (which names are one
entity), the decisions file may hold ``rejections``: extracted statements that ``kg build``
leaves out. A rejection names the statement by its id (the ``id`` column of
``kg extract ARTICLE --table``) or by words of its quote, optionally with the kind of fact,
and says who reviewed it and why::

    rejections:
      - statement: "~news-2019-10-10/supplyrelationship-santa-clara"
        by: analyst name
        why: Santa Clara is the dateline's city, not a supplier.
      - quote: "Ambarella, an American chip designer, is also a supplier to Hikvision"
        kind: suppliesTo            # optional: a class (SupplyRelationship) or its edge
        by: analyst name
        why: the supply ended in 2018.

A rejected entity takes every fact that needs it along. Curated statements are never
rejected here: edit their fact file instead.

Examples
--------
>>> from graph.model.statements import Evidence, Ref, Statement
>>> from graph.extract.extractor import ExtractedStatement
>>> st = ExtractedStatement(key="~a/supplyrelationship-x", cls="SupplyRelationship",
...                         values={"supplier": [Ref(key="~x")]},
...                         evidence=[Evidence(source="a", method="extracted", confidence=0.7,
...                                            quote="X supplies Y.")])
>>> kept, hits = apply_rejections([st], [Rejection(quote="X supplies Y", kind="suppliesTo", by="me", why="no")])
>>> kept, [key for _rejection, key in hits]
([], ['~a/supplyrelationship-x'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError
from graph.model.ontology import Ontology, load_ontology
from graph.io.files import LineDict, load_yaml
from graph.model.statements import Ref, Statement

__all__ = ["Rejection", "load_rejections", "find_rejections", "apply_rejections"]


@dataclass(frozen=True)
class Rejection:
    """One reviewed rejection: a statement id, or quote words (and optionally a kind)."""

    statement: str | None = None
    quote: str | None = None
    kind: str | None = None
    by: str = ""
    why: str = ""
    file: str = ""
    line: int | None = None

    def matches(self, statement: Statement, model: Ontology | None = None) -> bool:
        """Whether ``statement`` (an extracted one) is the one this rejection names."""
        if self.statement is not None:
            return statement.key == self.statement
        if self.kind is not None and not _is_kind(statement.cls, self.kind, model):
            return False
        words = " ".join((self.quote or "").split())
        return bool(words) and any(words in " ".join((ev.quote or "").split()) for ev in statement.evidence
                                   if ev.method == "extracted")


def find_rejections(paths) -> list[Rejection]:
    """The rejections in ``resolution/decisions.yaml`` under each data folder of ``paths``."""
    out: list[Rejection] = []
    for path in paths:
        candidate = Path(path) / "resolution" / "decisions.yaml"
        if candidate.is_file():
            out.extend(load_rejections(candidate))
    return out


def load_rejections(path: Path) -> list[Rejection]:
    """Read the ``rejections`` list of a decisions file (none when it has no such list).

    Raises
    ------
    InputError
        When an entry names neither a statement nor a quote, or lacks ``by`` or ``why``
        (the message names the file and the line).
    """
    doc = load_yaml(path)
    if not isinstance(doc, dict) or doc.get("rejections") is None:
        return []
    items = doc["rejections"]
    if not isinstance(items, list):
        raise InputError(path, "'rejections' must be a list of entries", line=_line(doc, "rejections"),
                         hint="write each rejection as '- statement: ...' or '- quote: ...' with 'by' and 'why'")
    out = []
    for item in items:
        line = item.line if isinstance(item, LineDict) else _line(doc, "rejections")
        if not isinstance(item, dict):
            raise InputError(path, f"each rejection is a mapping, not {item!r}", line=line)
        if not item.get("statement") and not item.get("quote"):
            raise InputError(path, "a rejection names a 'statement' id or words of its 'quote'", line=line,
                             hint="copy the id or the quote from `kg extract ARTICLE --table`")
        for needed in ("by", "why"):
            if not item.get(needed):
                raise InputError(path, f"rejection lacks {needed!r}", line=line,
                                 hint="say who reviewed the fact and why it is wrong")
        out.append(Rejection(statement=str(item["statement"]) if item.get("statement") else None,
                             quote=str(item["quote"]) if item.get("quote") else None,
                             kind=str(item["kind"]) if item.get("kind") else None,
                             by=str(item["by"]), why=str(item["why"]), file=str(path), line=line))
    return out


def apply_rejections(statements: list[Statement], rejections: list[Rejection],
                     model: Ontology | None = None) -> tuple[list[Statement], list[tuple[Rejection, str]]]:
    """``statements`` without the extracted ones a rejection names, nor the facts that need them.

    Returns the statements kept and, for each statement rejected, ``(rejection, key)``.
    """
    if not rejections:
        return statements, []
    model = model or load_ontology()
    hits: list[tuple[Rejection, str]] = []
    removed: set[str] = set()
    for statement in statements:
        if not any(ev.method == "extracted" for ev in statement.evidence):
            continue
        for rejection in rejections:
            if rejection.matches(statement, model):
                hits.append((rejection, statement.key))
                removed.add(statement.key)
                break
    kept = [s for s in statements if s.key not in removed]
    # a fact without one of its entities is dropped; an attribute pointing at it is removed
    for statement in list(kept):
        refs = {v.key for vs in statement.values.values() for v in vs if isinstance(v, Ref)}
        if refs & removed and _is_fact(statement, model):
            kept.remove(statement)
        elif refs & removed:
            statement.values = {p: [v for v in vs if not (isinstance(v, Ref) and v.key in removed)]
                                for p, vs in statement.values.items()}
            statement.values = {p: vs for p, vs in statement.values.items() if vs}
    return kept, hits


# ------------------------------------------------------------------------------ helpers


def _line(doc, key: str) -> int | None:
    return doc.key_lines.get(key) if isinstance(doc, LineDict) else None


def _is_kind(cls: str, kind: str, model: Ontology | None) -> bool:
    if cls == kind:
        return True
    model = model or load_ontology()
    try:
        edge = model.edge_kind(model.cls(cls))
    except KeyError:
        return False
    return edge is not None and str(edge.shortcut).rsplit("#", 1)[-1] == kind


def _is_fact(statement: Statement, model: Ontology) -> bool:
    from graph.extract.extractor import ExtractedStatement

    return isinstance(statement, ExtractedStatement)
