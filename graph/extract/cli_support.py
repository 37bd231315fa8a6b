"""What ``kg extract`` and ``kg evaluate`` share: the known sources and reading articles.

Examples
--------
>>> from pathlib import Path
>>> known = known_batches(Path("data"))
>>> "lesechos-2019-10-08" in {b.source.id for b in known}
True
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graph.errors import InputError
from graph.io.files import read_text
from graph.model.ontology import load_ontology, slugify
from graph.sources import Batch, read_sources, relative_name
from graph.sources.article import load_article
from graph.model.statements import SourceInfo
from graph.extract.extractor import Extraction, extract_article, extract_text
from graph.extract.gazetteer import gazetteer_from_batches

__all__ = ["known_batches", "read_articles"]


def known_batches(data_dir: Path | None) -> list[Batch]:
    """The curated sources of ``data_dir`` (default ``data/`` when it exists; else none)."""
    if data_dir is None:
        data_dir = Path("data")
        if not data_dir.is_dir():
            return []
    if not data_dir.exists():
        raise InputError(data_dir, "no such folder", hint="give --data the folder of curated sources")
    return read_sources([data_dir])


def read_articles(paths: list[Path], known: list[Batch], *, lang: str | None = None, issued: date | None = None,
                  use_spacy: bool | None = None, use_parser: bool | None = None) -> list[Extraction]:
    """Extract each article (``.article.yaml``) or plain text file, in the order given."""
    model = load_ontology()
    gazetteer = gazetteer_from_batches(known, model)
    out = []
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such file", hint="name an .article.yaml or a UTF-8 .txt file")
        if path.name.endswith(".article.yaml"):
            article = load_article(path, path.parent)
            out.append(extract_article(article, gazetteer, lang=lang, use_spacy=use_spacy, model=model,
                                       use_parser=use_parser))
            continue
        text = read_text(path)
        source = SourceInfo(id=slugify(path.stem) or "text", title=path.name, file=relative_name(path, path.parent),
                            issued=issued, language=lang if lang in ("fr", "en") else None)
        out.append(extract_text(text, gazetteer=gazetteer, lang=lang or "auto", issued=issued, source=source,
                                use_spacy=use_spacy, model=model, use_parser=use_parser))
    return out
