"""The extractor on the seed article and on hostile input."""

import random
from datetime import date
from pathlib import Path

import pytest

from graph.extract import extract_article, extract_text, to_batch
from graph.extract.evaluate import load_gold, score
from graph.extract.extractor import MAX_CHARACTERS, ExtractedStatement
from graph.extract.ner import spacy_status
from graph.sources.article import load_article
from graph.extract.cli_support import curated_sources

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "lesechos-2019-10-08.article.yaml"


@pytest.fixture(scope="module")
def gazetteer():
    return curated_sources(ROOT / "data").gazetteer  # read once per process, shared by the modules


@pytest.fixture(scope="module")
def seed_article():
    return load_article(SEED, ROOT / "data")


@pytest.mark.parametrize("use_spacy", [False, True], ids=["rules", "spacy"])
def test_seed_meets_the_targets_against_its_gold(gazetteer, seed_article, use_spacy):
    if use_spacy:
        # the test extra installs spaCy and its French model; without them this path cannot run
        assert spacy_status() is not None, "install the 'extract' extra: pip install '.[extract]'"
    extraction = extract_article(seed_article, gazetteer, use_spacy=use_spacy)
    result = score(load_gold(ROOT / "tests" / "gold" / "lesechos-2019-10-08.gold.yaml"), extraction)
    precision, recall, _ = result.entities
    assert recall >= 0.95 and precision >= 0.9, result.missed_entities + result.wrong_entities
    precision, recall, _ = result.relations
    assert recall >= 0.8 and precision >= 0.9, result.missed_relations + result.wrong_relations


def test_every_evidence_quotes_the_stored_text(gazetteer, seed_article):
    batch = to_batch(extract_article(seed_article, gazetteer, use_spacy=False))
    evidence = [ev for st in batch.statements for ev in st.evidence]
    assert evidence and all(ev.method == "extracted" and ev.extractor.startswith("exposure-kg-extract/") for ev in evidence)
    for ev in evidence:
        assert seed_article.text[ev.char_start:ev.char_end] == ev.quote
        assert 0 < ev.confidence <= 1


def test_the_related_article_headline_is_not_read(gazetteer, seed_article):
    extraction = extract_article(seed_article, gazetteer, use_spacy=False)
    headline = next(h for h in extraction.headings if h.text.startswith("Comment Pékin"))
    assert not [m for m in extraction.mentions if headline.start <= m.start < headline.end]


def test_relative_dates_of_the_seed_resolve_against_its_publication_day(gazetteer, seed_article):
    extraction = extract_article(seed_article, gazetteer, use_spacy=False)
    listing = next(f for f in extraction.facts if f.cls == "ExportControlListing")
    assert listing.values["announcedOn"] == [date(2019, 10, 7)]  # "a annoncé lundi"


def test_a_fact_missing_a_required_role_says_so(gazetteer, seed_article):
    batch = to_batch(extract_article(seed_article, gazetteer, use_spacy=False))
    ban = next(s for s in batch.statements if isinstance(s, ExtractedStatement) and s.cls == "ProcurementBan")
    assert ban.missing == ("imposedBy",)  # "un décret": the text does not say whose


def test_english_official_phrasing(gazetteer):
    text = ("The Bureau of Industry and Security (BIS), an agency within the Department of Commerce, is adding "
            "Acme Vision Technology Co., Ltd. to the Entity List, effective August 19, 2019. "
            "Secretary of Commerce Wilbur Ross said the rule protects national security.")
    extraction = extract_text(text, gazetteer=gazetteer, lang="en", issued=date(2019, 8, 20))
    listing = next(f for f in extraction.facts if f.cls == "ExportControlListing")
    assert [m.text for m in listing.values["targets"]] == ["Acme Vision Technology Co., Ltd."]
    assert [m.text for m in listing.values["imposedBy"]] == ["Bureau of Industry and Security"]
    assert listing.values["startDate"] == [date(2019, 8, 19)]
    assert [m.name for m in listing.values["announcedBy"]] == ["Wilbur Ross"]
    position = next(f for f in extraction.facts if f.cls == "Position")
    assert position.values["organization"][0].entry.id.endswith("/org/us-commerce")


def test_auto_language(gazetteer):
    assert extract_text("The company said on Monday that it would list its shares.", gazetteer=gazetteer).lang == "en"
    assert extract_text("L'entreprise a dit lundi qu'elle serait cotée.", gazetteer=gazetteer).lang == "fr"


GARBAGE = [random.Random(seed).randbytes(4096).decode("latin-1") for seed in range(5)]


@pytest.mark.parametrize("text", ["", "   \n\n  ", *GARBAGE, "%%%% 1234 //// ####" * 50])
def test_no_prose_gives_a_warning_not_a_crash(gazetteer, text):
    extraction = extract_text(text, gazetteer=gazetteer)
    assert extraction.mentions == [] and extraction.facts == []
    assert extraction.warnings == ["no prose to read: the text is empty or mostly not letters"]


def test_a_ten_megabyte_text_gets_a_clear_message(gazetteer, seed_article):
    text = (seed_article.text + "\n") * (10_000_000 // len(seed_article.text) + 1)
    extraction = extract_text(text, gazetteer=gazetteer, lang="fr")
    assert len(text) > 10_000_000 > MAX_CHARACTERS
    assert extraction.facts == [] and "split it into articles" in extraction.warnings[0]


def test_a_long_article_still_gives_a_result(gazetteer, seed_article):
    text = (seed_article.text + "\n") * 40  # about 120,000 characters
    extraction = extract_text(text, gazetteer=gazetteer, lang="fr", use_spacy=False, issued=date(2019, 10, 8))
    assert {f.cls for f in extraction.facts} >= {"ExportControlListing", "Partnership", "StockListing"}
