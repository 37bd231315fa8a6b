"""The one small record every reader produces: a statement about a node, with provenance.

A reader turns its kind of source (a curated fact file, an article, an official list) into a
:class:`SourceInfo` and a list of :class:`Statement`. The resolver maps the statements' keys and
names to canonical IRIs; the builder writes them as RDF. Nothing downstream knows which reader
made a statement.

Examples
--------
>>> ev = Evidence(source="lesechos-2019-10-08", method="curated", confidence=1.0,
...               quote="SenseTime est partenaire de Qualcomm")
>>> st = Statement(key="sensetime-qualcomm", cls="Partnership",
...                values={"partner": [Ref(key="sensetime"), Ref(name="Qualcomm")]},
...                evidence=[ev])
>>> [r.describe() for r in st.values["partner"]]
["key 'sensetime'", "name 'Qualcomm'"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["SourceInfo", "Evidence", "Ref", "Label", "Statement", "Origin", "Batch", "METHODS"]

METHODS = ("curated", "extracted", "imported")


@dataclass(frozen=True)
class SourceInfo:
    """A source: its slug (the named graph is ``kgr:source/<id>``) and its metadata."""

    id: str
    title: str
    file: str
    publisher: str | None = None
    creator: str | None = None
    issued: date | None = None
    language: str | None = None
    url: str | None = None
    sha256: str | None = None
    kind: str = "document"
    note: str | None = None
    #: when ``kg fetch`` downloaded this version of a list (UTC, ``YYYY-MM-DDTHH:MM:SSZ``)
    retrieved: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where in the input a statement was declared, for error messages."""

    file: str
    line: int | None = None
    unit: str = "line"

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}, {self.unit} {self.line}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the graph holds a statement: where a source says it, how sure, how it was found."""

    source: str
    method: str
    confidence: float
    quote: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    file: str | None = None
    row: int | None = None
    url: str | None = None
    extractor: str | None = None
    note: str | None = None
    #: the key (within the same source) of the entity this row or sentence names, when the fact
    #: has several (a measure's targets): each target's page shows the evidence that names it
    names: str | None = None
    #: the line of the text where the quote starts (from 1, as a text editor numbers it)
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a node: by ``key`` within the same source, or by ``name`` (resolved)."""

    key: str | None = None
    name: str | None = None
    cls: str | None = None

    def describe(self) -> str:
        return f"key {self.key!r}" if self.key is not None else f"name {self.name!r}"


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    lang: str | None = None


@dataclass(slots=True)
class Statement:
    """What one source says about one node.

    ``key`` names the node within its source (the curated file's key, a list's row id);
    ``cls`` is the ontology class's fact key (``"Company"``); ``values`` maps property fact
    keys to values: :class:`Ref` for object properties, ``str``/``int``/``float``/``date`` for
    data properties.
    """

    key: str
    cls: str
    labels: list[Label] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    values: dict[str, list[object]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    origin: Origin | None = None
    same_as: list[str] = field(default_factory=list)
    #: False when the labels describe the node rather than name it (a list row whose name
    #: was not captured): the resolver then never merges it with anything by name
    resolvable: bool = True

    def names(self) -> list[str]:
        """Every name the node goes by in this statement, preferred label first."""
        seen: list[str] = []
        for name in [label.text for label in self.labels] + self.aliases:
            if name and name not in seen:
                seen.append(name)
        return seen


@dataclass
class Batch:
    """What a reader read from one file: the source it speaks for and its statements.

    Several files may speak for one source (an article and its curated fact file): the
    builder writes all their statements into the same named graph.
    """

    source: SourceInfo
    statements: list[Statement] = field(default_factory=list)
    file: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: the reader's priority; lower is resolved first and wins ties
    priority: int = 50
    #: True when the file's keys are identities (FollowTheMoney ids): two statements of the
    #: file with different keys are never merged with each other
    distinct_keys: bool = False
