"""Names and their classes, on constructions that recur in news and official releases (issue 23).

Each test reads a short text written for it and checks what an analyst would see in
``kg extract --table``: that a name is found, whole, with the class the annotation guide
gives it (benchmarks/extraction_corpus/README.md), and that words which name nothing (a
month, a title, an acronym used as a modifier) are not found as organisations.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.extract import extract_text
from graph.extract.classes import has_legal_form, name_class, refine_known
from graph.extract.gazetteer import Entry, Gazetteer, Mention
from graph.extract.ner import spacy_status
from graph.extract.rules import load_rules
from graph.extract.cli_support import curated_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer():
    return curated_sources(ROOT / "data").gazetteer  # read once per process, shared by the modules


def classes(text, gazetteer, lang="en", use_spacy=False):
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang, issued=date(2024, 4, 11), use_spacy=use_spacy,
                              use_parser=False)
    found: dict[str, set[str]] = {}
    for mention in extraction.mentions:
        found.setdefault(mention.text, set()).add(mention.cls)
    return found, extraction


def needs_recogniser(lang):
    if spacy_status(lang) is None:
        pytest.skip(f"no spaCy pipeline for {lang!r} installed (the 'extract' extra)")


# ------------------------------------------------------------------------ a name's own words


@pytest.mark.parametrize("name, lang, expected", [
    # the head comes before the first preposition in English: a university, not a "Technology" firm
    ("National University of Defence Technology", "en", "Organization"),
    ("Wuxi Riverside Institute of Computing Technology", "en", "Organization"),
    ("Hefei Lakeside Laboratory for Physical Sciences", "en", "Organization"),
    ("Ministry of Industry and Information Technology", "en", "GovernmentBody"),
    ("Bureau of Industry and Security", "en", "GovernmentBody"),
    ("Shenzhen Example Technologies", "en", "Company"),
    # a legal form from rigour's list, in any position
    ("Corvane Optics Limited", "en", "Company"),
    ("Tactical Widgets Corporation JSC", "en", "Company"),
    ("Banque Exemple SA", "fr", "Company"),
    # French puts the head first
    ("direction générale du Trésor", "fr", "GovernmentBody"),
    ("Université de Lyon", "fr", "Organization"),
    ("Union européenne", "fr", "GovernmentBody"),
    ("European Union", "en", "GovernmentBody"),
    # "Co" at the end is a legal form even without its "Ltd."
    ("Shenzhen Example High-Tech Co", "en", "Company"),
    # a state's name is a place, whoever recognises the state
    ("Donetsk People's Republic", "en", "Place"),
    # no word of its own says what it is
    ("Halliburton", "en", None),
])
def test_a_name_is_typed_by_its_head_and_legal_form(name, lang, expected):
    assert name_class(name, load_rules(lang)) == expected


def test_legal_forms_come_from_rigour():
    assert has_legal_form("Rosneft Trading S.A.") and has_legal_form("OOO Vega") and has_legal_form("Acme GmbH")
    assert not has_legal_form("Ministry of Commerce") and not has_legal_form("Coalition for Trade")


def test_a_listed_party_of_the_generic_class_takes_the_class_its_names_and_text_give():
    rules = load_rules("en")
    listed = Entry("org/rosneft", "Organization", {"": "Rosneft"}, ("Rosneft", "OPEN JOINT-STOCK COMPANY ROSNEFT"))
    army = Entry("org/pla", "Organization", {"": "People's Liberation Army"}, ("People's Liberation Army",))
    bare = Entry("org/hisilicon", "Organization", {"": "HiSilicon"}, ("HiSilicon",))
    party = Entry("org/party", "Organization", {"": "Example Party"}, ("Example Party",))
    text = "Rosneft and the People's Liberation Army; its subsidiary HiSilicon; the Example Party."
    mentions = [Mention(text.index(name), text.index(name) + len(name), name, "Organization", entry)
                for name, entry in (("Rosneft", listed), ("People's Liberation Army", army), ("HiSilicon", bare),
                                    ("Example Party", party))]
    from graph.extract.ner import class_from_cues

    refined = refine_known(mentions, rules, lambda m: class_from_cues(text, m.start, m.end, rules))
    assert [m.cls for m in refined] == ["Company", "GovernmentBody", "Company", "Organization"]


# ------------------------------------------------------------------------ constructions in running text


def test_a_news_agency_credited_in_a_dateline_is_a_company(gazetteer):
    found, _ = classes("MOSCOW, Dec 12 (Reuters) - A court froze the stake, officials said.", gazetteer)
    assert found["Reuters"] == {"Company"}
    found, _ = classes("PARIS (AOF) - L'équipementier a publié ses résultats.", gazetteer, lang="fr")
    assert found["AOF"] == {"Company"}


def test_a_seat_of_government_stands_for_it(gazetteer):
    found, _ = classes("The Kremlin rejected the measures on Tuesday.", gazetteer)
    assert found["Kremlin"] == {"GovernmentBody"}
    found, _ = classes("La task force de Bercy recense les avoirs gelés.", gazetteer, lang="fr")
    assert found["Bercy"] == {"GovernmentBody"}


def test_a_government_named_by_its_nationality_or_its_leader(gazetteer):
    found, _ = classes("The Dutch government said the Trump administration had asked for the rules.", gazetteer)
    assert found["Dutch government"] == {"GovernmentBody"}
    assert found["Trump administration"] == {"GovernmentBody"}
    found, _ = classes("Le gouvernement néerlandais a annoncé de nouvelles règles.", gazetteer, lang="fr")
    assert found["gouvernement néerlandais"] == {"GovernmentBody"}
    # "the Chinese military" is a common noun phrase, not a body's name
    found, _ = classes("The firms supported the Chinese military, officials said.", gazetteer)
    assert "Chinese military" not in found


def test_a_french_directorate_written_in_lower_case(gazetteer):
    found, _ = classes("La direction générale du Trésor coordonne le gel des avoirs.", gazetteer, lang="fr")
    assert found["direction générale du Trésor"] == {"GovernmentBody"}


def test_a_title_before_a_name_makes_a_person_and_the_surname_finds_them_again(gazetteer):
    found, extraction = classes("President Putin met Mr Wang Anming in Beijing. Later, Wang said the talks went "
                                "well.", gazetteer)
    assert found["Putin"] == {"Person"} and found["Wang Anming"] == {"Person"}
    assert found["Wang"] == {"Person"}
    people = extraction.entities()
    assert any(len(mentions) == 2 and {m.text for m in mentions} == {"Wang Anming", "Wang"}
               for mentions in people.values())
    found, _ = classes("Le président Poutine a dénoncé les sanctions.", gazetteer, lang="fr")
    assert found["Poutine"] == {"Person"}
    # a form of address is no name
    found, _ = classes("Mr. President, the Senate passed the bill today.", gazetteer)
    assert "President" not in found


def test_a_bodys_distinctive_word_names_the_body(gazetteer):
    text = ("The Commerce Department added the firms to the Entity List on Monday. Commerce said the firms "
            "had supplied the Iranian drone programme.")
    found, extraction = classes(text, gazetteer, use_spacy=spacy_status("en") is not None)
    if "Commerce" in found:
        assert found["Commerce"] == {"GovernmentBody"}
        by_text = {m.text: m.identity for m in extraction.mentions}
        assert by_text["Commerce"] == by_text["Commerce Department"]


def test_an_acronym_declared_after_a_name_beats_a_recognisers_guess(gazetteer):
    needs_recogniser("en")
    text = ("The Office of Export Reviews (OXR) published the rule on Monday. "
            "OXR said the companies must apply for a licence.")
    found, extraction = classes(text, gazetteer, use_spacy=True)
    assert found["OXR"] == {"GovernmentBody"}
    ids = {m.identity for m in extraction.mentions if m.text in ("OXR", "Office of Export Reviews")}
    assert len(ids) == 1


# ------------------------------------------------------------------------ the recogniser's names, checked


def test_english_companies_named_alone_in_a_list_are_found(gazetteer):
    needs_recogniser("en")
    text = ("The licence authorizes transactions between the state oil firm and Chevron, Halliburton, "
            "Schlumberger, Baker Hughes and Weatherford International, the Treasury said.")
    found, extraction = classes(text, gazetteer, use_spacy=True)
    for name in ("Chevron", "Halliburton", "Schlumberger", "Baker Hughes"):
        assert found.get(name) == {"Company"}, (name, found)
    assert "spacy" in extraction.extractor and "en_core_web" in extraction.extractor


def test_what_the_recogniser_proposes_that_names_nothing_is_dropped(gazetteer):
    needs_recogniser("en")
    text = ("The entities supplied UAV components and UAVs to Russia on March 11, 2022. "
            "[Photo Credit: Shutterstock] The Commerce Department published the list.")
    found, _ = classes(text, gazetteer, use_spacy=True)
    organisations = {name for name, kinds in found.items() if kinds & {"Company", "Organization", "Person"}}
    assert not any(name.startswith("UAV") or any(c.isdigit() for c in name) or ":" in name
                   for name in organisations), organisations


def test_names_listed_beside_companies_are_companies(gazetteer):
    needs_recogniser("fr")
    text = ("Washington pourrait sanctionner deux partenaires de Huawei, Shenzhen Exemple High-Tech Co et "
            "Sin Carrier, qui fournissent des équipements.")
    found, _ = classes(text, gazetteer, lang="fr", use_spacy=True)
    assert found.get("Shenzhen Exemple High-Tech Co") == {"Company"}, found
    assert found.get("Sin Carrier") == {"Company"}, found


def test_a_government_named_by_its_country_and_a_sentence_opening_administration(gazetteer):
    found, _ = classes("The Biden administration said the measures target Russia’s government directly.", gazetteer)
    assert found["Biden administration"] == {"GovernmentBody"}
    assert found["Russia’s government"] == {"GovernmentBody"}


def test_a_name_before_the_word_subsidiary_or_holding_is_a_company(gazetteer):
    found, _ = classes("The court froze the stake in Volgaprom’s Kamaneft subsidiary and in the Vostok agricultural "
                       "holding, the agency said.", gazetteer)
    assert found["Kamaneft"] == {"Company"} and found["Vostok"] == {"Company"}


def test_bodies_sharing_one_head_noun_are_each_a_body(gazetteer):
    found, extraction = classes("The committee is made of the Departments of Commerce (Chair), State, Defense, "
                                "Energy and, where appropriate, Treasury.", gazetteer)
    for word in ("State", "Defense", "Energy", "Treasury"):
        assert found[word] == {"GovernmentBody"}, (word, found)
    names = {m.name for m in extraction.mentions if m.text == "Defense"}
    assert names == {"Department of Defense"}
