"""Articles: a text file and its metadata (``NAME.article.yaml`` beside ``NAME.txt``).

The metadata file names the text and describes the source::

    id: lesechos-2019-10-08
    text: lesechos-2019-10-08.txt
    title: Washington place huit entreprises chinoises de la tech sur liste noire
    publisher: Les Echos
    creator: Véronique Le Billon
    issued: 2019-10-08
    language: fr

The article's named graph is ``kgr:source/<id>``; curated fact files and the extractor add
statements to it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.errors import InputError
from graph.model.statements import SourceInfo
from graph.sources._base import (PLAUSIBLE_YEARS, Batch, LineDict, Reader, as_date, is_plausible, load_yaml, read_text,
                    relative_name, sha256_of)

__all__ = ["Article", "ArticleReader", "load_article", "line_at"]

_REQUIRED = ("id", "text", "title", "publisher", "issued", "language")
_OPTIONAL = ("creator", "url", "note", "original_file")
#: a source id names a graph IRI and a cache file: no path separators, no leading dot
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


@dataclass(frozen=True)
class Article:
    source: SourceInfo
    text: str
    text_path: Path
    warnings: tuple[str, ...] = ()


class ArticleReader(Reader):
    """Reads ``*.article.yaml``: one source per article."""

    name = "article"
    priority = 10

    def claims(self, path: Path) -> bool:
        return path.name.endswith(".article.yaml")

    def read(self, path: Path, root: Path) -> list[Batch]:
        article = load_article(path, root)
        return [Batch(source=article.source, file=relative_name(path, root), counts={"characters": len(article.text)},
                      warnings=list(article.warnings))]


def line_at(text: str, offset: int) -> int:
    """The line of ``text`` where character ``offset`` stands, numbered as a text editor shows it.

    The first line is line 1 and a line ends at a line feed (``\\r\\n`` counts once): what
    ``kg:line`` records for a quote, beside its ``kg:charStart``.

    >>> line_at("one\\ntwo\\r\\nthree", 0), line_at("one\\ntwo\\r\\nthree", 4), line_at("one\\ntwo\\r\\nthree", 9)
    (1, 2, 3)
    """
    return bisect.bisect_right(_line_starts(text), offset)


@lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    # the starts of a text's lines, once per text: a text has many quotes
    return (0, *(m.end() for m in re.finditer("\n", text)))


def load_article(path: Path, root: Path) -> Article:
    """Read an article's metadata and text; InputError names the field or file at fault."""
    return _load_article(path.resolve(), root.resolve())


@lru_cache(maxsize=64)
def _load_article(path: Path, root: Path) -> Article:
    meta = load_yaml(path)
    if not isinstance(meta, LineDict):
        raise InputError(path, "an article metadata file must be a YAML mapping of fields",
                         hint=f"give at least: {', '.join(_REQUIRED)}")
    missing = [key for key in _REQUIRED if not meta.get(key)]
    if missing:
        raise InputError(path, f"missing field(s) {', '.join(missing)}", line=meta.line,
                         hint=f"an article needs {', '.join(_REQUIRED)}")
    unknown = sorted(set(meta) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise InputError(path, f"unknown field {unknown[0]!r}", line=meta.key_lines[unknown[0]],
                         hint=f"known fields: {', '.join(_REQUIRED + _OPTIONAL)}")
    source_id = str(meta["id"])
    if not _SOURCE_ID.fullmatch(source_id):
        raise InputError(path, f"'id' {source_id!r} is not a source identifier", line=meta.key_lines["id"],
                         hint="use letters, digits, '.', '_' and '-' only, e.g. lesechos-2019-10-08")
    issued = as_date(meta["issued"])
    if issued is None:
        raise InputError(path, f"'issued' is not a date: {meta['issued']!r}", line=meta.key_lines["issued"],
                         hint="write the date as YYYY-MM-DD")
    text_path = (path.parent / str(meta["text"])).resolve()
    if not text_path.is_relative_to(root):
        # Symbolic links are resolved first, so a link inside data/ cannot lead outside it either.
        raise InputError(path, f"the text file {meta['text']!r} lies outside the data folder {str(root)!r}",
                         line=meta.key_lines["text"], hint="keep the article's text inside the data folder")
    if not text_path.is_file():
        raise InputError(path, f"the text file {meta['text']!r} does not exist", line=meta.key_lines["text"],
                         hint="name the text file relative to this metadata file")
    text = read_text(text_path)
    source = SourceInfo(
        id=source_id,
        title=str(meta["title"]),
        file=relative_name(text_path, root),
        publisher=str(meta["publisher"]),
        creator=str(meta["creator"]) if meta.get("creator") else None,
        issued=issued,
        language=str(meta["language"]),
        url=str(meta["url"]) if meta.get("url") else None,
        sha256=sha256_of(text_path),
        kind="article",
        note=str(meta["note"]) if meta.get("note") else None,
    )
    warnings = [] if is_plausible(issued) else [
        f"{relative_name(path, root)}, line {meta.key_lines['issued']}: 'issued' {issued.isoformat()} is implausible "
        f"(outside {PLAUSIBLE_YEARS.start}-{PLAUSIBLE_YEARS.stop - 1}); check the year"]
    return Article(source=source, text=text, text_path=text_path, warnings=tuple(warnings))
