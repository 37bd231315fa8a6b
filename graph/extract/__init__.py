"""Extraction: read articles and propose entities, measures and relationships with provenance.

The extractor is a reader-level concern: for each article the build reads, it adds the
statements it finds to the article's own named graph, each with ``Evidence(method=
"extracted")``. Known entities are found by the gazetteer (the graph's own names), new ones
by rules (and spaCy with the ``extract`` extra); facts by the rules in ``rules/<lang>.yaml``.

Examples
--------
>>> from graph.extract import extract_text, Gazetteer, Entry
>>> gaz = Gazetteer([Entry("kgr:org/megvii", "Company", {"": "Megvii"}, ("Megvii", "Megvii Technology"))])
>>> facts = extract_text("MegviiTechnology a prévu de se coter à Hong Kong.", gazetteer=gaz, lang="fr").facts
>>> [(f.cls, [m.text for m in f.values["participant"]], f.values["status"]) for f in facts]
[('StockListing', ['MegviiTechnology'], ['planned'])]
"""

from graph.extract.extractor import (EXTRACTOR, Extraction, ExtractedStatement, detect_language, extract_article, extract_text,
                        extractor_id, to_batch)
from graph.extract.gazetteer import Entry, Gazetteer, Mention, gazetteer_from_batches
from graph.extract.rules import load_rules

__all__ = [
    "EXTRACTOR",
    "Extraction",
    "ExtractedStatement",
    "Entry",
    "Gazetteer",
    "Mention",
    "detect_language",
    "extract_article",
    "extract_text",
    "extractor_id",
    "gazetteer_from_batches",
    "load_rules",
    "to_batch",
]
