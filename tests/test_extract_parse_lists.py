"""Constructions the parse reads in measures, stakes and offices (graph/extract/parse.py), one a test.

Each construction was found missing on the development half of the extraction corpus
(benchmarks/extraction_corpus); every text below was written for its test. The gazetteer
is built in the test: real agencies and lists, and invented companies (Arden Microsystems,
Belmont Robotics, Corvin Sensors, Dunmore Labs, Norvale Optics, Kestrel Holdings), so that
no sentence states a measure or a tie of a real firm.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.parse import parser_status

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")

_MEASURES = ("ExportControlListing", "Measure", "Sanction", "AssetFreeze")


def _entry(key: str, cls: str, name: str, *aliases: str) -> Entry:
    return Entry(f"kgr:{key}", cls, {"": name}, (name, *aliases))


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        _entry("org/arden", "Company", "Arden Microsystems"), _entry("org/belmont", "Company", "Belmont Robotics"),
        _entry("org/corvin", "Company", "Corvin Sensors"), _entry("org/dunmore", "Company", "Dunmore Labs"),
        _entry("org/norvale", "Company", "Norvale Optics"), _entry("org/kestrel", "Company", "Kestrel Holdings"),
        _entry("org/dahua", "Company", "Dahua"),
        _entry("gov/us-bis", "GovernmentBody", "Bureau of Industry and Security", "BIS"),
        _entry("gov/us-commerce", "GovernmentBody", "Commerce Department", "Département du Commerce"),
        _entry("list/entity-list", "RestrictedPartyList", "Entity List"),
    ])


def read(text: str, gazetteer, lang: str = "en"):
    return extract_text(text, gazetteer=gazetteer, lang=lang)


def measured(extraction, role: str = "targets", *, plain: bool = True) -> set[str]:
    """The names filling ``role`` of the measures found (``plain``: neither denied nor modal)."""
    return {v.name or v.text for f in extraction.facts if f.cls in _MEASURES and not (plain and (f.negated or f.modality))
            for v in f.values.get(role, [])}


def ties(extraction) -> set[tuple[str, str, str]]:
    ends = {"SupplyRelationship": ("supplier", "suppliesTo", "customer"), "Ownership": ("owner", "owns", "ownedEntity"),
            "Position": ("holder", "holdsPositionIn", "organization")}
    return {(x.name or x.text, ends[f.cls][1], y.name or y.text) for f in extraction.facts if f.cls in ends
            and not (f.negated or f.modality)
            for x in f.values.get(ends[f.cls][0], []) for y in f.values.get(ends[f.cls][2], [])}


def test_a_long_list_of_company_names_is_read_to_its_end(gazetteer):
    text = ("The Bureau of Industry and Security added Arden Microsystems Co., Ltd., Belmont Robotics Co., Ltd., "
            "Corvin Sensors Co., Ltd., and Dunmore Labs to the Entity List.")
    # the known names are followed by a legal suffix the gazetteer does not hold: the suffix is no party
    assert measured(read(text, gazetteer)) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors", "Dunmore Labs"}


def test_it_added_names_the_list_the_text_named_before(gazetteer):
    text = ("The Bureau of Industry and Security added Arden Microsystems to the Entity List on Monday.\n"
            "It also added Belmont Robotics and Corvin Sensors.")
    assert measured(read(text, gazetteer)) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors"}


def test_a_company_adding_something_is_no_listing(gazetteer):
    text = ("The Bureau of Industry and Security added Arden Microsystems to the Entity List on Monday.\n"
            "Kestrel Holdings also added Corvin Sensors.")
    assert measured(read(text, gazetteer)) == {"Arden Microsystems"}


def test_the_body_that_said_it_placed_names_is_the_one_that_listed_them(gazetteer):
    text = "The Commerce Department said it had placed Arden Microsystems and Belmont Robotics on the Entity List."
    extraction = read(text, gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(extraction, "imposedBy") == {"Commerce Department"}


def test_a_company_a_target_is_affiliated_with_is_not_a_target(gazetteer):
    text = ("The Commerce Department is adding research institutes affiliated with Kestrel Holdings to the Entity "
            "List, as well as Arden Microsystems.")
    assert "Kestrel Holdings" not in measured(read(text, gazetteer))


def test_designations_target_a_list_of_companies_in_apposition(gazetteer):
    text = ("The designations target Arden Microsystems, a maker of lenses, and Belmont Robotics, a company "
            "operating in Serbia, the Commerce Department said.")
    assert measured(read(text, gazetteer)) == {"Arden Microsystems", "Belmont Robotics"}


def test_a_company_cooperating_with_its_regulator_is_no_partnership(gazetteer):
    text = ("The Office of Foreign Assets Control renewed a licence, OFAC said.\n"
            "Arden Microsystems said it has been cooperating with OFAC regarding certain transactions.")
    assert not [f for f in read(text, gazetteer).facts if f.cls == "Partnership"]


@pytest.mark.parametrize("text", [
    "Commerce Adds 11 Entities to the Entity List",
    "The Commerce Department imposed sanctions on Russia.",
])
def test_neither_a_headline_word_nor_a_country_is_a_target(gazetteer, text):
    assert measured(read(text, gazetteer)) == set()


def test_a_government_body_lists_a_company_and_a_stock_exchange_does_not(gazetteer):
    assert measured(read("The Commerce Department has also listed Arden Microsystems.", gazetteer)) == \
        {"Arden Microsystems"}
    assert measured(read("Kestrel Holdings listed Norvale Optics on the stock exchange in Oslo.", gazetteer)) == set()


def test_a_possible_listing_keeps_its_modality(gazetteer):
    extraction = read("The Commerce Department may add Arden Microsystems to the Entity List.", gazetteer)
    assert measured(extraction) == set()
    assert [f.modality for f in extraction.facts if f.cls in _MEASURES and f.values.get("targets")] == ["may"]


def test_a_french_listing_with_the_name_right_after_the_verb(gazetteer):
    text = "En mai, le Département du Commerce a inscrit Norvale Optics sur une liste noire."
    assert measured(read(text, gazetteer, "fr")) == {"Norvale Optics"}


def test_a_dash_list_of_suppliers_said_to_provide_a_customer(gazetteer):
    text = ("The three firms — Arden Microsystems, Belmont Robotics and Corvin Sensors — are alleged to provide "
            "Dahua with cameras.")
    assert ties(read(text, gazetteer)) == {("Arden Microsystems", "suppliesTo", "Dahua"),
                                           ("Belmont Robotics", "suppliesTo", "Dahua"),
                                           ("Corvin Sensors", "suppliesTo", "Dahua")}


@pytest.mark.parametrize("text, lang, expected", [
    ("A court froze Kestrel Holdings’s 52 percent stake in Norvale Optics on Tuesday.", "en",
     {("Kestrel Holdings", "owns", "Norvale Optics")}),
    ("The lawsuit concerns Kestrel Holdings’s Norvale Optics subsidiary.", "en",
     {("Kestrel Holdings", "owns", "Norvale Optics")}),
    ("The court also froze Kestrel Holdings’s stakes in other companies, including the Arden agricultural "
     "holding, Belmont Robotics and Corvin Sensors.", "en",
     {("Kestrel Holdings", "owns", "Arden"), ("Kestrel Holdings", "owns", "Belmont Robotics"),
      ("Kestrel Holdings", "owns", "Corvin Sensors")}),
    ("Les ventes de Kestrel Holdings et sa filiale Norvale Optics ont baissé.", "fr",
     {("Kestrel Holdings", "owns", "Norvale Optics")}),
    ("La règle nuit aux producteurs qui vendent à Kestrel Holdings et ses filiales, y compris Norvale Optics, "
     "qui fabrique des puces.", "fr", {("Kestrel Holdings", "owns", "Norvale Optics")}),
    ("The rule hurts suppliers of Kestrel Holdings and its units, including Norvale Optics, which makes chips.", "en",
     {("Kestrel Holdings", "owns", "Norvale Optics")}),
])
def test_an_ownership_read_from_a_stake_or_a_subsidiary_noun(gazetteer, text, lang, expected):
    assert ties(read(text, gazetteer, lang)) == expected


def test_a_stake_keeps_its_percentage(gazetteer):
    extraction = read("A court froze Kestrel Holdings’s 52 percent stake in Norvale Optics on Tuesday.", gazetteer)
    assert [f.values.get("share") for f in extraction.facts if f.cls == "Ownership"] == [[52.0]]


@pytest.mark.parametrize("text, lang, expected", [
    ("Ilya Varnov, who is the chief executive of Kestrel Holdings, met the minister.", "en",
     ("Ilya Varnov", "holdsPositionIn", "Kestrel Holdings")),
    ("Regulators also named Ilya Varnov, the General Director of KHL, in the filing.", "en",
     ("Ilya Varnov", "holdsPositionIn", "KHL")),
    ("Marc Delorme, PDG de Norvale, a confirmé la vente.", "fr", ("Marc Delorme", "holdsPositionIn", "Norvale")),
])
def test_an_office_of_a_person_the_names_missed(gazetteer, text, lang, expected):
    assert expected in ties(read(text, gazetteer, lang))


def test_one_capitalised_word_after_a_minister_s_title_is_no_body(gazetteer):
    found = ties(read("Ilya Varnov, the minister of Finance, met Kestrel Holdings.", gazetteer))
    assert not [t for t in found if t[2] == "Finance"]


def test_the_listed_firms_are_targets_only_where_the_text_named_a_list(gazetteer):
    listed = "The two listed firms — Belmont Robotics and Corvin Sensors — make cameras."
    text = "The Bureau of Industry and Security added Arden Microsystems to the Entity List.\n" + listed
    assert measured(read(text, gazetteer)) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors"}
    assert measured(read(listed, gazetteer)) == set()


def test_the_additions_include_names_more_targets_and_other_nouns_do_not(gazetteer):
    text = ("The Bureau of Industry and Security added Arden Microsystems to the Entity List.\n"
            "The additions also include several firms, including Belmont Robotics, for helping the army.")
    assert measured(read(text, gazetteer)) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(read("The gains include Belmont Robotics and Corvin Sensors.", gazetteer)) == set()


def test_a_company_named_before_a_word_for_its_part_is_not_what_was_bought(gazetteer):
    # "the Norvale Optics unit" is a part of Norvale Optics: buying it is no ownership of Norvale Optics
    assert ties(read("Kestrel Holdings bought the Norvale Optics unit in May.", gazetteer)) == set()
