"""Reviewed decisions: an analyst confirms or forbids that two names are one entity.

Later builds obey the file ``resolution/decisions.yaml`` of each data folder: a ``confirm``
pair merges, a ``forbid`` pair never does, whatever the names' scores.

Examples
--------
>>> d = Decision(names=("Sense Time", "SenseTime Ltd"), decision="confirm", by="A. Analyst",
...              why="same firm", line=3, file="decisions.yaml")
>>> sorted(d.keys())
['sensetime']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError
from graph.io.files import LineDict, load_yaml
from graph.model.names import name_key

__all__ = ["Decision", "load_decisions", "find_decisions"]


@dataclass(frozen=True)
class Decision:
    """An analyst's reviewed decision about a pair of names: ``confirm`` or ``forbid``."""

    names: tuple[str, str]
    decision: str
    by: str
    why: str
    line: int
    file: str

    def keys(self) -> frozenset[str]:
        return frozenset(name_key(n) for n in self.names)


def find_decisions(paths) -> list[Decision]:
    """The decisions in ``resolution/decisions.yaml`` under each data folder of ``paths``."""
    out: list[Decision] = []
    for path in paths:
        candidate = Path(path) / "resolution" / "decisions.yaml"
        if Path(path).is_dir() and candidate.is_file():
            out.extend(load_decisions(candidate))
    return out


def load_decisions(path: Path) -> list[Decision]:
    """Read a reviewed decisions file; every entry needs two names, a decision, who and why.

    The file is YAML::

        decisions:
          - names: ["DAHUA ELECTRONICS CORPORATION", "Zhejiang Dahua Technology Co., Ltd."]
            decision: forbid
            by: A. Analyst, 2026-11-28
            why: a New York distributor on the Denied Persons List, not the Hangzhou maker
    """
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("decisions"), list):
        raise InputError(path, "a decisions file is a mapping with a 'decisions' list", line=1,
                         hint="start the file with 'decisions:'")
    out = []
    for item in doc["decisions"]:
        line = item.line if isinstance(item, LineDict) else None
        if not isinstance(item, dict):
            raise InputError(path, f"each decision is a mapping, not {item!r}", line=line)
        names = item.get("names")
        if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) and n.strip() for n in names):
            raise InputError(path, f"'names' must list two names, not {names!r}", line=line)
        if item.get("decision") not in ("confirm", "forbid"):
            raise InputError(path, f"'decision' must be 'confirm' or 'forbid', not {item.get('decision')!r}",
                             line=line)
        for needed in ("by", "why"):
            if not str(item.get(needed) or "").strip():
                raise InputError(path, f"decision on {names!r} lacks {needed!r}", line=line,
                                 hint="say who reviewed the pair and why: later readers must trust it")
        out.append(Decision(names=(names[0], names[1]), decision=item["decision"], by=str(item["by"]),
                            why=str(item["why"]), line=line or 0, file=str(path)))
    return out
