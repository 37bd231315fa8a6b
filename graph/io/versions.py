"""The versions of the official lists kept in ``data/lists/``: what is declared, kept and read.

``data/lists/sources.yaml`` declares each list (:class:`ListSource`). Each release fetched
from its publisher is kept as ``data/lists/versions/<list>/<date>-<sha256 prefix>.<ext>``
beside a record ``<file>.record.json`` (URL, retrieval time, ``Last-Modified``/``ETag``,
sha256, the publisher's publication date where the file states it, entry count). A release
refused by :mod:`graph.io.fetch` waits in ``data/lists/rejected/<list>/`` with its reason and is
never read.

A build reads, of each list, the newest version (:func:`selected`): the one retrieved last,
or with ``as_of`` the last one retrieved on or before that day. Only versions with a record
count: a data file whose record is missing was never finished.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> sources = load_sources(Path("data/lists/sources.yaml"))
>>> sources["ofac_sdn"].format, sources["ofac_sdn"].ext
('ofac-sdn-xml', 'sdn.xml')
>>> versions(folder, "ofac_sdn")
[]
"""

from __future__ import annotations

import contextvars
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from graph.errors import InputError

__all__ = ["ListSource", "Version", "FORMATS", "load_sources", "find_sources", "versions", "newest", "selected",
           "is_kept_aside", "lists_as_of", "current_as_of", "record_path", "VERSIONS", "REJECTED", "SOURCES"]

#: the file that declares the lists, and the folders beside it
SOURCES = "sources.yaml"
VERSIONS = "versions"
REJECTED = "rejected"
_RECORD = ".record.json"

#: each format: the extension its versions are kept with (readers claim files by it) and, for
#: XML, the element counted as one entry and where the file states its publication date
#: (an element's local name, or ``@attribute`` of the root)
FORMATS: dict[str, dict] = {
    "csl-csv": {"ext": "csv"},
    "csl-json": {"ext": "csl.json"},
    "ofac-sdn-xml": {"ext": "sdn.xml", "entries": ("sdnEntry",), "published": "Publish_Date"},
    "eu-fsf-xml": {"ext": "eu.xml", "entries": ("sanctionEntity",), "published": "@generationDate"},
    "uk-sanctions-xml": {"ext": "uk.xml", "entries": ("Designation",), "published": "DateGenerated"},
    "un-sc-xml": {"ext": "un.xml", "entries": ("INDIVIDUAL", "ENTITY"), "published": "@dateGenerated"},
    "ftm-json": {"ext": "ftm.json"},
    "federal-register-json": {"ext": "fr.json"},
}
_FIELDS = ("name", "title", "publisher", "url", "docs", "format", "licence", "entries", "max_drop", "changes")


@dataclass(frozen=True)
class ListSource:
    """One list as ``sources.yaml`` declares it."""

    name: str
    title: str
    publisher: str
    url: str
    format: str
    licence: str
    entries: tuple[int, int]
    max_drop: float
    changes: str
    docs: str | None = None
    hosts: tuple[str, ...] = ()

    @property
    def ext(self) -> str:
        return FORMATS[self.format]["ext"]


@dataclass(frozen=True)
class Version:
    """One kept release of a list: its file and its record."""

    path: Path
    record: dict = field(hash=False, compare=False)

    @property
    def retrieved(self) -> str:
        return self.record.get("retrieved", "")

    @property
    def day(self) -> date:
        return date.fromisoformat(self.retrieved[:10])

    @property
    def entries(self) -> int | None:
        return self.record.get("entries")


def load_sources(path: Path) -> dict[str, ListSource]:
    """The lists ``path`` (a ``sources.yaml``) declares, by name.

    Raises
    ------
    InputError
        The file is not YAML, a list lacks a field, names an unknown format, or gives a
        range or share that is not one.
    """
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read the list declarations: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from exc
    items = doc.get("lists") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise InputError(path, "no 'lists:' sequence", hint="see docs/data.md, 'Keeping the lists current'")
    out: dict[str, ListSource] = {}
    for number, item in enumerate(items, start=1):
        where = f"list {number} ({item.get('name')!r})" if isinstance(item, dict) else f"list {number}"
        if not isinstance(item, dict):
            raise InputError(path, f"{where} is not a mapping of fields")
        missing = [name for name in _FIELDS if name not in item and name != "docs"]
        if missing:
            raise InputError(path, f"{where} lacks {missing!r}", hint=f"each list declares {list(_FIELDS)!r}")
        if item["format"] not in FORMATS:
            raise InputError(path, f"{where}: unknown format {item['format']!r}", hint=f"formats: {', '.join(FORMATS)}")
        low_high = item["entries"]
        if (not isinstance(low_high, list) or len(low_high) != 2 or not all(isinstance(n, int) for n in low_high)
                or low_high[0] > low_high[1]):
            raise InputError(path, f"{where}: entries {low_high!r} is not [min, max]", hint="e.g. entries: [10000, 40000]")
        share = item["max_drop"]
        if not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise InputError(path, f"{where}: max_drop {share!r} is not a share between 0 and 1", hint="e.g. max_drop: 0.1")
        name = str(item["name"])
        if name in out or not name.replace("_", "").isalnum():
            raise InputError(path, f"{where}: the name {name!r} is repeated or not letters, digits and '_'")
        out[name] = ListSource(name=name, title=str(item["title"]), publisher=str(item["publisher"]),
                               url=str(item["url"]), format=item["format"], licence=str(item["licence"]),
                               entries=(low_high[0], low_high[1]), max_drop=float(share), changes=str(item["changes"]),
                               docs=item.get("docs"), hosts=tuple(item.get("hosts") or ()))
    return out


def find_sources(lists_dir: Path) -> dict[str, ListSource]:
    """The lists declared in ``lists_dir/sources.yaml``, or none when there is no such file."""
    path = lists_dir / SOURCES
    return load_sources(path) if path.is_file() else {}


def record_path(data_file: Path) -> Path:
    """Where the record of a kept file sits: beside it, named after it."""
    return data_file.with_name(data_file.name + _RECORD)


def versions(lists_dir: Path, name: str) -> list[Version]:
    """The kept versions of list ``name``, oldest first (by retrieval time, then file name)."""
    folder = lists_dir / VERSIONS / name
    out = []
    for record_file in sorted(folder.glob(f"*{_RECORD}")) if folder.is_dir() else []:
        data_file = record_file.with_name(record_file.name[: -len(_RECORD)])
        if not data_file.is_file():
            continue
        try:
            record = json.loads(record_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a record that cannot be read makes no version; kg fetch --offline shows what is there
        if isinstance(record, dict) and record.get("retrieved"):
            out.append(Version(data_file, record))
    return sorted(out, key=lambda v: (v.retrieved, v.path.name))


def newest(lists_dir: Path, name: str, as_of: date | None = None) -> Version | None:
    """The version of ``name`` a build reads: the newest, or the newest retrieved by ``as_of``."""
    kept = [v for v in versions(lists_dir, name) if as_of is None or v.day <= as_of]
    return kept[-1] if kept else None


def selected(lists_dir: Path, as_of: date | None = None) -> set[Path]:
    """The one file per list a build reads from ``lists_dir/versions/``."""
    folder = lists_dir / VERSIONS
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return {v.path for name in names if (v := newest(lists_dir, name, as_of)) is not None}


def is_kept_aside(path: Path) -> tuple[bool, Path | None]:
    """Whether ``path`` sits in a versions or rejected folder beside a ``sources.yaml``.

    Returns ``(True, lists_dir)`` for such a file (a build reads it only if :func:`selected`
    picks it), ``(False, None)`` for any other.
    """
    for parent in path.parents:
        if parent.name in (VERSIONS, REJECTED) and (parent.parent / SOURCES).is_file():
            return True, parent.parent
    return False, None


# The day ``kg build --lists-as-of`` asks for, seen by graph.sources.discover: set around a
# build rather than passed through every stage of the pipeline.
_AS_OF: contextvars.ContextVar[date | None] = contextvars.ContextVar("lists_as_of", default=None)


@contextmanager
def lists_as_of(day: date | None):
    """Within this block, builds read each list's version retrieved last on or before ``day``."""
    token = _AS_OF.set(day)
    try:
        yield
    finally:
        _AS_OF.reset(token)


def current_as_of() -> date | None:
    """The day set by :func:`lists_as_of`, or None (the newest versions)."""
    return _AS_OF.get()


def parse_retrieved(value: str) -> datetime:
    """A record's retrieval time (ISO 8601, UTC)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
