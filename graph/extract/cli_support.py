"""What ``kg extract`` and ``kg evaluate`` share: the curated sources and reading articles.

The curated sources of a data folder and the gazetteer of their names cost a few seconds to
read and resolve. :func:`curated_sources` reads them once per process while the folder's files
stay as they are, so a notebook, a test session or ``kg serve`` asking again pays nothing.

Examples
--------
>>> from pathlib import Path
>>> curated = curated_sources(Path("data"))
>>> "lesechos-2019-10-08" in {b.source.id for b in curated.batches}
True
>>> curated_sources(Path("data")) is curated  # the same files: read once
True
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph.errors import InputError
from graph.io.files import read_text
from graph.model.ontology import load_ontology, slugify
from graph.sources import Batch, read_sources, relative_name
from graph.sources.article import Article, load_article
from graph.model.statements import SourceInfo
from graph.extract.extractor import Extraction, extract_article, extract_text
from graph.extract.gazetteer import Gazetteer, gazetteer_from_batches

__all__ = ["Curated", "curated_sources", "known_batches", "read_inputs", "extract_inputs"]


@dataclass(frozen=True)
class Curated:
    """The curated sources of a data folder (empty without one) and the gazetteer of their names."""

    batches: list[Batch]
    gazetteer: Gazetteer


# the last few folders read, keyed by each file's path, size and modification time
_READ: OrderedDict[tuple, Curated] = OrderedDict()
_KEEP = 4


def curated_sources(data_dir: Path | None) -> Curated:
    """The curated sources of ``data_dir`` (default ``data/`` when it exists; else none).

    Read again only when a file under the folder was added, removed or changed (its size or
    modification time differs); the result is shared, so treat it as read only.
    """
    if data_dir is None:
        data_dir = Path("data")
        if not data_dir.is_dir():
            return Curated([], gazetteer_from_batches([], load_ontology()))
    if not data_dir.exists():
        raise InputError(data_dir, "no such folder", hint="give --data the folder of curated sources")
    key = (str(data_dir.resolve()), _files_state(data_dir))
    if key in _READ:
        _READ.move_to_end(key)
        return _READ[key]
    batches = read_sources([data_dir])
    curated = Curated(batches, gazetteer_from_batches(batches, load_ontology()))
    _READ[key] = curated
    while len(_READ) > _KEEP:
        _READ.popitem(last=False)
    return curated


def known_batches(data_dir: Path | None) -> list[Batch]:
    """The curated sources of ``data_dir``: :func:`curated_sources` without the gazetteer's name."""
    return curated_sources(data_dir).batches


def read_inputs(paths: list[Path], *, lang: str | None = None,
                issued: date | None = None) -> list[Article | tuple[str, SourceInfo]]:
    """Each article (``.article.yaml``) or plain text file, read and checked, in the order given.

    Read before the curated sources, so that a missing or unreadable file is said at once.
    """
    inputs: list[Article | tuple[str, SourceInfo]] = []
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such file", hint="name an .article.yaml or a UTF-8 .txt file")
        if path.name.endswith(".article.yaml"):
            inputs.append(load_article(path, path.parent))
            continue
        source = SourceInfo(id=slugify(path.stem) or "text", title=path.name, file=relative_name(path, path.parent),
                            issued=issued, language=lang if lang in ("fr", "en") else None)
        inputs.append((read_text(path), source))
    return inputs


def extract_inputs(inputs: list[Article | tuple[str, SourceInfo]], gazetteer: Gazetteer, *, lang: str | None = None,
                   issued: date | None = None, use_spacy: bool | None = None,
                   use_parser: bool | None = None) -> list[Extraction]:
    """Extract each input of :func:`read_inputs` with ``gazetteer``."""
    model = load_ontology()
    out = []
    for item in inputs:
        if isinstance(item, Article):
            out.append(extract_article(item, gazetteer, lang=lang, use_spacy=use_spacy, model=model,
                                       use_parser=use_parser))
        else:
            text, source = item
            out.append(extract_text(text, gazetteer=gazetteer, lang=lang or "auto", issued=issued, source=source,
                                    use_spacy=use_spacy, model=model, use_parser=use_parser))
    return out


def _files_state(folder: Path) -> tuple:
    files = (path for path in folder.rglob("*") if path.is_file())
    return tuple(sorted((str(path.relative_to(folder)), (stat := path.stat()).st_size, stat.st_mtime_ns)
                        for path in files))
