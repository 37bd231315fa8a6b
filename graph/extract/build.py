"""Extraction inside ``kg build``: the extractor as a reader, each article's batch cached.

:class:`ExtractReader` claims the articles (``*.article.yaml``) and reads after every other
reader (``Reader.later``): its gazetteer holds the names the curated sources and lists give,
so :func:`graph.sources.read_sources` hands it their batches first (``prepare``) and then the
article files of the same walk of ``data/``. An article whose text, rules, extractor and
gazetteer are unchanged is read back from the cache (``graph.extract.cache``) instead.

Examples
--------
>>> from pathlib import Path
>>> from graph.sources import read_sources
>>> reader = ExtractReader()
>>> batches = read_sources([Path("data")], later=[reader])
>>> reader.report
[('lesechos-2019-10-08', 'extracted')]
"""

from __future__ import annotations

from pathlib import Path

from graph.model.ontology import Ontology, load_ontology
from graph.sources import Batch, Reader
from graph.sources.article import load_article
from graph.extract.cache import ExtractCache, cache_key
from graph.extract.extractor import ExtractedStatement, extract_article, extractor_id, to_batch
from graph.extract.gazetteer import Gazetteer, gazetteer_from_batches
from graph.extract.ner import spacy_status
from graph.extract.parse import parse_version
from graph.extract.reject import Rejection, apply_rejections
from graph.extract.rules import LANGUAGES, load_common, load_rules

__all__ = ["ExtractReader"]


class ExtractReader(Reader):
    """Extracts entities, measures and relationships from every article, after the other readers.

    Parameters
    ----------
    model : Ontology, optional
        The ontology; :func:`graph.model.ontology.load_ontology` by default.
    cache : ExtractCache, optional
        Where unchanged articles are read back from (and new extractions wait to be written).
    use_spacy : bool, optional
        None: spaCy when it is installed; False: rules and gazetteer only.
    rejections : list of Rejection, optional
        Analysts' rejections of extracted statements (``graph.extract.reject.find_rejections``
        of the data folders): the statements they name are left out.
    """

    name = "extract"
    priority = 20
    later = True

    def __init__(self, model: Ontology | None = None, *, cache: ExtractCache | None = None,
                 use_spacy: bool | None = None, rejections: list[Rejection] | None = None) -> None:
        self.model = model or load_ontology()
        self.cache = cache if cache is not None else ExtractCache(None)
        self.use_spacy = use_spacy
        #: (source id, ``"extracted"`` or ``"cached"``) for every article read
        self.report: list[tuple[str, str]] = []
        self.rejections = list(rejections or [])
        #: (rejection, statement key) for each extracted statement an analyst rejected
        self.rejected: list[tuple[Rejection, str]] = []
        self._gazetteer: Gazetteer | None = None
        self._spacy: str | None = None
        self._parse = ""

    def claims(self, path: Path) -> bool:
        return path.name.endswith(".article.yaml")

    def prepare(self, batches: list[Batch]) -> None:
        """Build the gazetteer from the names the other readers read."""
        self._gazetteer = gazetteer_from_batches(batches, self.model)
        self._spacy = "|".join(str(spacy_status(lang)) for lang in LANGUAGES) if self.use_spacy is not False else None
        # the parser's pipelines and the lexicon (graph/extract/parse.py): a new model re-reads every article
        self._parse = parse_version()

    def read(self, path: Path, root: Path) -> list[Batch]:
        if self._gazetteer is None:
            self.prepare([])
        gazetteer = self._gazetteer
        article = load_article(path, root)
        lang = article.source.language if article.source.language in LANGUAGES else "auto"
        rules_version = "|".join(load_rules(code).version for code in LANGUAGES) + load_common().version
        key = cache_key(article.text, path.read_bytes(), extractor_id(False), self._spacy or "no-spacy",
                        rules_version, gazetteer.fingerprint(), lang, article.source.id, article.source.file,
                        self._parse)
        cached = self.cache.get(article.source.id, key)
        if cached is None:
            extraction = extract_article(article, gazetteer, use_spacy=self.use_spacy, model=self.model)
            batch = to_batch(extraction, self.model)
            self.cache.put(article.source.id, key, batch.statements, batch.warnings)
            self.report.append((article.source.id, "extracted"))
        else:
            statements, warnings = cached
            facts = sum(1 for s in statements if isinstance(s, ExtractedStatement))
            batch = Batch(source=article.source, statements=statements, file=article.source.file,
                          counts={"entities": len(statements) - facts, "facts": facts, "cached": 1},
                          warnings=warnings, priority=self.priority)
            self.report.append((article.source.id, "cached"))
        batch.statements, hits = apply_rejections(batch.statements, self.rejections, self.model)
        self.rejected.extend(hits)
        return [batch]
