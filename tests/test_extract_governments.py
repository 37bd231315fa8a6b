"""Offices in a country's government (graph/extract/governments.py and the offices of the rules
and the parse), one construction a test, in English and French.

Each construction was found missing on the extraction corpus (ministers and heads of government
named with their title); every text below was written for its test. The gazetteer is built in
the test: countries, the US government, and invented companies and people (Kestrel Holdings,
Arden Microsystems, Mara Ellison, Tobias Renn, Ilse Varga), so that no sentence states an office
of a real person.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.governments import government_of
from graph.extract.parse import parser_status
from graph.extract.rules import load_rules

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")


def _entry(key: str, cls: str, name: str, *aliases: str, country: str | None = None, code: str | None = None) -> Entry:
    return Entry(f"kgr:{key}", cls, {"": name}, (name, *aliases), country=country, code=code)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        _entry("org/kestrel", "Company", "Kestrel Holdings"), _entry("org/arden", "Company", "Arden Microsystems"),
        _entry("country/us", "Country", "United States", "U.S.", code="US"),
        _entry("country/jp", "Country", "Japan", "Japon", code="JP"),
        _entry("country/nl", "Country", "Netherlands", "Pays-Bas", code="NL"),
        _entry("country/ua", "Country", "Ukraine", code="UA"),
        _entry("gov/us", "GovernmentBody", "US government", "gouvernement américain", country="kgr:country/us"),
    ], government_words=("government", "gouvernement"))


def offices(text: str, gazetteer, lang: str = "en") -> set[tuple[str, str]]:
    """(holder, organization) of every office found, by name."""
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang)
    return {(h.name or h.text, o.name or o.text) for f in extraction.facts if f.cls == "Position"
            for h in f.values.get("holder", []) for o in f.values.get("organization", [])}


def names(text: str, gazetteer, lang: str = "en") -> dict[str, str]:
    return {m.name or m.text: m.cls for m in extract_text(text, gazetteer=gazetteer, lang=lang).mentions}


# -- one helper for "the government of country C"


def test_the_government_the_text_names_comes_before_the_graphs_and_the_implied_one(gazetteer):
    rules = load_rules("en")
    named = extract_text("The Dutch government met Kestrel Holdings.", gazetteer=gazetteer, lang="en").mentions
    assert government_of("NL", mentions=named, gazetteer=gazetteer, rules=rules).text == "Dutch government"
    assert government_of("US", mentions=[], gazetteer=gazetteer, rules=rules).entry.id == "kgr:gov/us"
    implied = government_of("JP", mentions=[], gazetteer=gazetteer, rules=rules, span=(0, 5, "Japan"))
    assert (implied.name, implied.cls, implied.entry, implied.start) == ("Japanese government", "GovernmentBody", None, 0)
    assert government_of(None, mentions=[], gazetteer=gazetteer, rules=rules) is None


# -- a title with a nationality: an office in that country's government


@pytest.mark.parametrize("text, lang, expected", [
    ("Japanese trade minister Tobias Renn said on Friday that the rules would apply.", "en",
     ("Tobias Renn", "Japanese government")),
    ("Russian Defence Minister Tobias Renn met Kestrel Holdings.", "en", ("Tobias Renn", "Russian government")),
    ("The order was signed by Ukrainian president Ilse Varga on Monday.", "en", ("Ilse Varga", "Ukrainian government")),
    ("Tobias Renn, Russia’s foreign minister, met Kestrel Holdings.", "en", ("Tobias Renn", "Russian government")),
    ("The deal was reached by US President Mara Ellison and his Chinese counterpart, Mr Tobias Renn.", "en",
     ("Tobias Renn", "Chinese government")),
    ("Le Premier ministre néerlandais Tobias Renn a rencontré Kestrel Holdings.", "fr",
     ("Tobias Renn", "gouvernement néerlandais")),
    ("Le président russe Tobias Renn a rencontré Kestrel Holdings.", "fr", ("Tobias Renn", "gouvernement russe")),
])
def test_a_title_a_nationality_qualifies_is_an_office_in_that_countrys_government(gazetteer, text, lang, expected):
    assert expected in offices(text, gazetteer, lang)


def test_the_graphs_government_is_kept_where_it_knows_one(gazetteer):
    assert offices("US President Mara Ellison met Kestrel Holdings.", gazetteer) == {("Mara Ellison", "US government")}


# -- the title leaves the person's name


@pytest.mark.parametrize("text", [
    "Defence Minister Tobias Renn met Arden Microsystems.",
    "The sanctions name Prime Minister Ilse Varga, Defence Minister Tobias Renn and President Mara Ellison.",
])
def test_a_title_without_a_country_leaves_the_persons_name_and_names_no_body(gazetteer, text):
    found = names(text, gazetteer)
    assert found.get("Tobias Renn") == "Person"
    assert "Defence" not in found and not any("Minister" in name for name in found)
    # no country is named: no office is guessed, and a list of officials is no partnership
    extraction = extract_text(text, gazetteer=gazetteer, lang="en")
    assert not [f for f in extraction.facts if f.cls in ("Position", "Partnership")]


def test_a_region_in_a_title_is_no_government():
    """A region a person holds a post in ("Party Secretary of Northvale") is a place: the office is
    not in its country's government, whereas a capital that acts stands for it."""
    regional = Gazetteer([
        _entry("country/cn", "Country", "China", code="CN"),
        _entry("gov/cn", "GovernmentBody", "Chinese government", country="kgr:country/cn"),
        _entry("place/northvale", "Place", "Northvale", country="kgr:country/cn"),
    ], government_words=("government", "gouvernement"))
    found = offices("The campaign was led by Tobias Renn, the Party Secretary of Northvale.", regional)
    assert ("Tobias Renn", "Chinese government") not in found


# -- a title naming no country: the country the text means, when it settles one


@pytest.mark.parametrize("text, lang, expected", [
    # the paragraph names one country
    ("Japan restricted exports to Arden Microsystems. Trade Minister Tobias Renn said the rule was overdue.", "en",
     ("Tobias Renn", "Japanese government")),
    # the paragraph names none: the side imposing the text's measure
    ("The US government sanctioned Kestrel Holdings on Monday.\nDefence Minister Tobias Renn said it was right.", "en",
     ("Tobias Renn", "US government")),
    # a nationality word says where a party is, not whose minister speaks
    ("The US government sanctioned Kestrel Holdings.\nDefence Minister Tobias Renn said sanctions on Russian banks work.",
     "en", ("Tobias Renn", "US government")),
])
def test_a_title_without_a_country_is_in_the_government_of_the_country_the_text_means(gazetteer, text, lang, expected):
    assert offices(text, gazetteer, lang) == {expected}


# -- a French minister's title names a ministry: the office is in it


def ministries(text: str, gazetteer) -> set[tuple[str, str, str | None]]:
    """(holder, organization, the organisation's country code) of every office found, by name."""
    extraction = extract_text(text, gazetteer=gazetteer, lang="fr")
    return {(h.name or h.text, o.name or o.text, (o.country or "").upper() or None)
            for f in extraction.facts if f.cls == "Position"
            for h in f.values.get("holder", []) for o in f.values.get("organization", [])}


@pytest.mark.parametrize("text, expected", [
    # the country the paragraph names, or the side that imposes the text's measure
    ("Le ministre de l'Economie Tobias Renn a salué les sanctions des Pays-Bas contre Kestrel Holdings.",
     ("Tobias Renn", "ministère de l'Economie", "NL")),
    ("Le gouvernement américain a sanctionné Kestrel Holdings.\nLe ministre de l'Economie Tobias Renn a salué la décision.",
     ("Tobias Renn", "ministère de l'Economie", "US")),
    # the country the title's complement names; a courtesy title between the comma and the name
    ("Selon la ministre des Affaires étrangères du Japon, Ilse Varga, Kestrel Holdings a vendu des drones.",
     ("Ilse Varga", "ministère des Affaires étrangères", "JP")),
    ("La ministre des Affaires étrangères, l'honorable Ilse Varga, a annoncé que le Japon sanctionne Kestrel Holdings.",
     ("Ilse Varga", "ministère des Affaires étrangères", "JP")),
    # two portfolios, a deputy minister; no country settled: the ministry the title names still
    ("Le vice-ministre de l’Industrie et du Commerce Tobias Renn a visité Kestrel Holdings.",
     ("Tobias Renn", "ministère de l’Industrie et du Commerce", None)),
    ("Le ministre du Pétrole Tobias Renn a reçu Kestrel Holdings.", ("Tobias Renn", "ministère du Pétrole", None)),
])
def test_a_french_ministers_title_names_the_ministry_of_the_office(gazetteer, text, expected):
    assert ministries(text, gazetteer) == {expected}


@pytest.mark.parametrize("text, lang, expected", [
    ("Le porte-parole du ministère chinois des Affaires étrangères, Tobias Renn, a critiqué les sanctions.", "fr",
     ("Tobias Renn", "ministère chinois des Affaires étrangères")),
    ("The spokesman of the Chinese Ministry of Commerce, Tobias Renn, criticised the sanctions.", "en",
     ("Tobias Renn", "Chinese Ministry of Commerce")),
])
def test_a_name_after_a_titles_body_holds_the_title(gazetteer, text, lang, expected):
    """The parser hangs the name after the comma on the body the title is of, not on the title."""
    assert offices(text, gazetteer, lang) == {expected}


def test_a_ministry_a_title_names_is_of_its_country_in_the_graph(gazetteer):
    """Two texts' « ministère des Affaires étrangères » of two countries must not read as one body."""
    text = "Selon la ministre des Affaires étrangères du Japon, Ilse Varga, Kestrel Holdings a vendu des drones."
    extraction = extract_text(text, gazetteer=gazetteer, lang="fr")
    countries = {(s.name, c.name) for f in extraction.facts if f.kind == "attribute"
                 for s in f.values.get("subject", []) for c in f.values.get("country", [])}
    assert ("ministère des Affaires étrangères", "Japan") in countries


def test_a_ministers_title_with_a_nationality_stays_in_that_countrys_government(gazetteer):
    """« la ministre néerlandaise du Commerce » names no ministry the text knows: the Dutch government."""
    text = "Tobias Renn, la ministre néerlandaise du Commerce, a salué les sanctions contre Kestrel Holdings."
    assert offices(text, gazetteer, "fr") == {("Tobias Renn", "gouvernement néerlandais")}


@pytest.mark.parametrize("text", [
    # the paragraph names two countries
    "Foreign Minister Tobias Renn met officials of Japan and Ukraine.",
    # a head of state or government is as often the side a measure is against, or a counterpart
    "The US government sanctioned Kestrel Holdings on Monday.\nPresident Mara Ellison called it theft.",
    "The US government met Prime Minister Tobias Renn on Monday.",
    # a region before the title makes the office regional, not the government's
    "The US government urges sanctions on officials, naming Xinjiang Party Secretary Tobias Renn.",
])
def test_a_title_the_text_does_not_settle_gives_no_office(gazetteer, text):
    assert offices(text, gazetteer) == set()
    assert names(text, gazetteer).get("Tobias Renn", "Person") == "Person"
