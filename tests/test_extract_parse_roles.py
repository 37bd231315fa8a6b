"""Roles the parse reads where a measure names no target, a title comes before or after a name,
or a plural noun is spelled out by the names after it (graph/extract/parse.py), one a test.

Each construction was found missing on the development half of the extraction corpus
(benchmarks/extraction_corpus); every text below was written for its test. The gazetteer
is built in the test: real agencies and lists, and invented companies and people (Arden
Microsystems, Belmont Robotics, Corvin Sensors, Dunmore Labs, Kestrel Holdings, Mara Ellison,
Tobias Renn), so that no sentence states a measure, a tie or an office of a real firm or person.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.parse import parser_status

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")

_MEASURES = ("ExportControlListing", "Measure", "Sanction", "AssetFreeze")


def _entry(key: str, cls: str, name: str, *aliases: str, country: str | None = None, code: str | None = None) -> Entry:
    return Entry(f"kgr:{key}", cls, {"": name}, (name, *aliases), country=country, code=code)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        _entry("org/arden", "Company", "Arden Microsystems"), _entry("org/belmont", "Company", "Belmont Robotics"),
        _entry("org/corvin", "Company", "Corvin Sensors"), _entry("org/dunmore", "Company", "Dunmore Labs"),
        _entry("org/kestrel", "Company", "Kestrel Holdings"),
        _entry("gov/us-bis", "GovernmentBody", "Bureau of Industry and Security", "BIS"),
        _entry("gov/us-commerce", "GovernmentBody", "Commerce Department", "Département du Commerce",
               country="kgr:country/us"),
        _entry("country/us", "Country", "United States", "U.S.", code="US"),
        _entry("country/nl", "Country", "Netherlands", "Pays-Bas", code="NL"),
        _entry("gov/eu-commission", "GovernmentBody", "European Commission", "Commission européenne"),
        _entry("gov/us-treasury", "GovernmentBody", "Treasury Department", "Treasury"),
        _entry("gov/us-ofac", "GovernmentBody", "Office of Foreign Assets Control", "OFAC"),
        _entry("list/entity-list", "RestrictedPartyList", "Entity List"),
        # a sanctioned person known by a first name alone, as some lists give it
        _entry("person/known-as-mara", "Person", "ORTEGA, Mara", "Mara"),
    ])


def read(text: str, gazetteer, lang: str = "en"):
    return extract_text(text, gazetteer=gazetteer, lang=lang)


def measured(extraction, role: str = "targets", *, plain: bool = True) -> set[str]:
    """The names filling ``role`` of the measures found (``plain``: neither denied nor modal)."""
    return {v.name or v.text for f in extraction.facts if f.cls in _MEASURES and not (plain and (f.negated or f.modality))
            for v in f.values.get(role, [])}


# -- a measure whose targets are counted, not named, still has the body that imposes it


@pytest.mark.parametrize("text", [
    "The Commerce Department added prominent drone manufacturers to an export blacklist on Friday.",
    "The Commerce Department is adding 77 entities to its trade blacklist.",
])
def test_a_body_adding_counted_firms_imposes_the_listing(gazetteer, text):
    assert measured(read(text, gazetteer), "imposedBy") == {"Commerce Department"}


def test_restrictions_imposed_by_a_body_join_the_measure_on_the_named_target(gazetteer):
    text = ("Arden Microsystems was placed on the Entity List on Monday.\n"
            "The restrictions imposed by the Commerce Department take effect at once.")
    extraction = read(text, gazetteer)
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {"Commerce Department"}


def test_a_body_that_imposed_restrictions_imposes_them_in_french(gazetteer):
    text = "Le Département du Commerce a imposé de nouvelles restrictions à l'exportation vendredi."
    assert measured(read(text, gazetteer, "fr"), "imposedBy") == {"Département du Commerce"}


@pytest.mark.parametrize("text", [
    # a company adding firms to a list of its own imposes nothing
    "Kestrel Holdings added 12 suppliers to its list of partners.",
    # a possible measure stays possible
    "The Commerce Department may impose new restrictions.",
])
def test_no_imposing_body_from_a_company_or_a_possible_measure(gazetteer, text):
    assert measured(read(text, gazetteer), "imposedBy") == set()


@pytest.mark.parametrize("text, lang, bodies, targets", [
    ("The Treasury Department announced new sanctions against Arden Microsystems on Monday.", "en",
     {"Treasury Department"}, {"Arden Microsystems"}),
    ("Le Département du Commerce a annoncé la mise en place de nouvelles restrictions à l'exportation.", "fr",
     {"Département du Commerce"}, set()),
])
def test_a_body_announcing_a_measure_imposes_it(gazetteer, text, lang, bodies, targets):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction, "imposedBy") == bodies
    assert measured(extraction) == targets


@pytest.mark.parametrize("text", [
    "Kestrel Holdings announced new sanctions against its own staff.",
    "The Treasury Department announced a new logo for its website.",
])
def test_a_company_announcing_or_a_body_announcing_no_measure_imposes_nothing(gazetteer, text):
    assert measured(read(text, gazetteer), "imposedBy") == set()


# -- offices: a title before the name, a portfolio after "for", a title naming a country


def offices(extraction) -> set[tuple[str, str]]:
    return {(h.name or h.text, o.name or o.text) for f in extraction.facts if f.cls == "Position"
            for h in f.values.get("holder", []) for o in f.values.get("organization", [])}


def test_a_portfolio_after_for_runs_to_the_name_initials_included(gazetteer):
    text = ("“We act today,” said Under Secretary of Commerce for Industry and Security Tobias Renn. "
            "“We will not hesitate,” said Assistant Secretary of Commerce for Export Administration "
            "Mara J. Ellison Vane. “We act,” said Assistant Secretary of Commerce for Export Enforcement "
            "Dana K. Holt.")
    extraction = read(text, gazetteer)
    # the portfolio is the longest that leaves a name: "Export Enforcement", not "Export"
    assert offices(extraction) == {("Tobias Renn", "Commerce Department"),
                                   ("Mara J. Ellison Vane", "Commerce Department"),
                                   ("Dana K. Holt", "Commerce Department")}
    # the portfolio is no part of a person's name
    assert not [m for m in extraction.mentions if m.cls == "Person" and "Commerce" in m.text]


def test_a_person_known_by_a_first_name_is_not_the_first_name_of_another(gazetteer):
    text = "Mara Ellison, the U.S. Secretary of Commerce, said the Commerce Department acted."
    extraction = read(text, gazetteer)
    assert offices(extraction) == {("Mara Ellison", "Commerce Department")}
    assert not [m for m in extraction.mentions if m.entry is not None and m.entry.id == "kgr:person/known-as-mara"]


def test_a_minister_named_by_nationality_holds_office_in_that_countrys_government(gazetteer):
    text = ("Le gouvernement néerlandais a annoncé de nouvelles restrictions. Mara Ellison, la ministre "
            "néerlandaise du Commerce, a justifié cette décision. Le ministère chinois du Commerce a réagi.")
    # not in the other country's ministry of the same portfolio
    assert offices(read(text, gazetteer, "fr")) == {("Mara Ellison", "gouvernement néerlandais")}


@pytest.mark.parametrize("text, lang, expected", [
    ("Treasury Deputy Secretary Tobias Renn said the measures were needed.", "en",
     {("Tobias Renn", "Treasury Department")}),
    ("La ministre néerlandaise du Commerce extérieur Mara Ellison a annoncé que le gouvernement néerlandais "
     "imposait des restrictions.", "fr", {("Mara Ellison", "gouvernement néerlandais")}),
    ("Dimanche, la présidente de la Commission européenne, Mara Ellison, a annoncé des sanctions.", "fr",
     {("Mara Ellison", "European Commission")}),
    ("Le conseiller américain à la sécurité nationale, Tobias Renn, a appelé le gouvernement américain.", "fr",
     {("Tobias Renn", "gouvernement américain")}),
])
def test_a_title_before_the_name_gives_the_office(gazetteer, text, lang, expected):
    assert offices(read(text, gazetteer, lang)) == expected


# -- a plural noun spelled out by the names after it


def partners(extraction) -> set[frozenset[str]]:
    return {frozenset(p.name or p.text for p in f.values.get("partner", [])) for f in extraction.facts
            if f.cls == "Partnership" and not (f.negated or f.modality)}


@pytest.mark.parametrize("text, lang", [
    ("The Treasury Department also sanctioned the two other partners of Kestrel Holdings, Arden Microsystems "
     "and Belmont Robotics, on Tuesday.", "en"),
    ("Le Département du Commerce compte sanctionner les deux autres partenaires de Kestrel Holdings, "
     "Arden Microsystems et Belmont Robotics, selon la presse.", "fr"),
])
def test_names_after_a_plural_noun_are_what_it_stands_for(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    # each is a partner of the company the noun names, not of the other one listed with it
    assert partners(extraction) == {frozenset({"Kestrel Holdings", "Arden Microsystems"}),
                                    frozenset({"Kestrel Holdings", "Belmont Robotics"})}


def test_a_company_named_after_its_city_is_not_a_place(gazetteer):
    text = "Le Département du Commerce a sanctionné Shenzhen Pengrun Optics Co et Dunmore Labs."
    assert measured(read(text, gazetteer, "fr")) == {"Shenzhen Pengrun Optics Co", "Dunmore Labs"}


# -- a party's state: on a list, subject to sanctions, its assets frozen


@pytest.mark.parametrize("text, lang", [
    ("Two firms — Arden Microsystems and Belmont Robotics — are now on the so-called Entity List.", "en"),
    ("Arden Microsystems et Belmont Robotics figurent sur la liste noire depuis 2019.", "fr"),
])
def test_parties_on_a_list_are_its_targets(gazetteer, text, lang):
    assert measured(read(text, gazetteer, lang)) == {"Arden Microsystems", "Belmont Robotics"}


def test_a_party_subject_to_sanctions_is_their_target(gazetteer):
    assert measured(read("Arden Microsystems has been subject to EU and U.S. sanctions since 2014.", gazetteer)) == \
        {"Arden Microsystems"}


def test_a_body_freezing_a_partys_assets_targets_the_party(gazetteer):
    extraction = read("The Treasury's OFAC also froze the assets of Arden Microsystems.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {"OFAC"}


@pytest.mark.parametrize("text", [
    # a court freezing a stake in a lawsuit is no sanction
    "A court froze Kestrel Holdings's stake in Arden Microsystems on Tuesday.",
    # a list the party is on only in a sentence about something else
    "Arden Microsystems is on track to double its sales.",
])
def test_no_measure_from_a_court_order_or_a_figure_of_speech(gazetteer, text):
    assert measured(read(text, gazetteer)) == set()


def test_a_party_no_longer_on_the_list_is_a_denied_listing(gazetteer):
    extraction = read("Arden Microsystems is no longer on the Entity List.", gazetteer)
    assert measured(extraction) == set()
    assert measured(extraction, plain=False) == {"Arden Microsystems"}


def test_one_office_read_by_two_patterns_is_one_fact(gazetteer):
    text = ("Le vice-Premier ministre américain Tobias Renn a rencontré des représentants du gouvernement "
            "américain lundi.")
    positions = [f for f in read(text, gazetteer, "fr").facts if f.cls == "Position"]
    assert len(positions) == 1
