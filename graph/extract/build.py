"""Extraction inside ``kg build``: every article's extracted batch, from the cache when unchanged.

Examples
--------
>>> from pathlib import Path
>>> from graph.sources import read_sources
>>> from graph.ontology import load_ontology
>>> batches = read_sources([Path("data")])
>>> run = extract_sources([Path("data")], batches, load_ontology())
>>> [(source, how) for source, how in run.report]
[('lesechos-2019-10-08', 'extracted')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..ontology import Ontology
from ..resolve import Resolution, is_extracted
from ..sources import Batch, Reader, discover
from ..sources.article import ArticleReader, load_article
from .cache import ExtractCache, cache_key
from .extractor import ExtractedStatement, extract_article, extractor_id, to_batch
from .gazetteer import gazetteer_from_batches
from .ner import spacy_status
from .reject import apply_rejections, find_rejections
from .rules import LANGUAGES, load_common, load_rules

__all__ = ["ExtractRun", "ExtractReader", "extract_sources", "drop_unmerged_incomplete"]


class ExtractReader(Reader):
    """Stands for the extractor in progress lines (it reads no file of its own)."""

    name = "extract"
    priority = 20

    def claims(self, path: Path) -> bool:
        return False


@dataclass
class ExtractRun:
    """The extracted batches of one build and, per source, ``"extracted"`` or ``"cached"``."""

    batches: list[Batch] = field(default_factory=list)
    report: list[tuple[str, str]] = field(default_factory=list)
    cache: ExtractCache = field(default_factory=lambda: ExtractCache(None))
    #: (rejection, statement key) for each extracted statement an analyst rejected
    rejected: list = field(default_factory=list)


def extract_sources(paths: list[Path], batches: list[Batch], model: Ontology, *, cache: ExtractCache | None = None,
                    use_spacy: bool | None = None,
                    progress: Callable[[Reader, Batch], None] | None = None) -> ExtractRun:
    """Extract every article under ``paths``, with the gazetteer of the curated ``batches``."""
    cache = cache or ExtractCache(None)
    run = ExtractRun(cache=cache)
    gazetteer = gazetteer_from_batches(batches, model)
    reader = ExtractReader()
    spacy = spacy_status() if use_spacy is not False else None
    rejections = find_rejections(paths)
    for file, root, found in discover(paths):
        if not isinstance(found, ArticleReader):
            continue
        article = load_article(file, root)
        lang = article.source.language if article.source.language in LANGUAGES else "auto"
        rules_version = "|".join(load_rules(code).version for code in LANGUAGES) + load_common().version
        key = cache_key(article.text, file.read_bytes(), extractor_id(False), spacy or "no-spacy",
                        rules_version, gazetteer.fingerprint(), lang, article.source.id, article.source.file)
        cached = cache.get(article.source.id, key)
        if cached is None:
            extraction = extract_article(article, gazetteer, use_spacy=use_spacy, model=model)
            batch = to_batch(extraction, model)
            cache.put(article.source.id, key, batch.statements, batch.warnings)
            run.report.append((article.source.id, "extracted"))
        else:
            statements, warnings = cached
            facts = sum(1 for s in statements if isinstance(s, ExtractedStatement))
            batch = Batch(source=article.source, statements=statements, file=article.source.file,
                          counts={"entities": len(statements) - facts, "facts": facts, "cached": 1},
                          warnings=warnings, priority=20)
            run.report.append((article.source.id, "cached"))
        batch.statements, hits = apply_rejections(batch.statements, rejections, model)
        run.rejected.extend(hits)
        run.batches.append(batch)
        if progress is not None:
            progress(reader, batch)
    return run


def drop_unmerged_incomplete(batches: list[Batch], resolution: Resolution) -> int:
    """Remove extracted facts that lack a required role and did not merge into a curated fact.

    Returns how many were dropped. Such a fact (a ban whose imposer the text does not name)
    is kept only where a curated fact supplies what it lacks.
    """
    curated = {resolution.by_key[(b.source.id, s.key)] for b in batches for s in b.statements if not is_extracted(s)}
    dropped = 0
    for batch in batches:
        kept = []
        for statement in batch.statements:
            if isinstance(statement, ExtractedStatement) and statement.missing and \
                    resolution.by_key[(batch.source.id, statement.key)] not in curated:
                dropped += 1
                continue
            kept.append(statement)
        batch.statements = kept
    return dropped
