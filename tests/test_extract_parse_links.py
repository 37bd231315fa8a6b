"""Supply, ownership and offices in companies read from constructions the development halves of
the extraction corpus showed missing (graph/extract/parse.py, rules/lexicon.yaml and the French
rules), one construction a test, in English and French.

Every text below was written for its test. The gazetteer is built in the test from invented
companies and people (Arden Microsystems, Belmont Robotics, Corvin Sensors, Dunmore Labs,
Kestrel Holdings, Mara Ellison, Tobias Renn), so that no sentence states a tie of a real firm.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.parse import parser_status

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")


def _entry(key: str, name: str) -> Entry:
    return Entry(f"kgr:org/{key}", "Company", {"": name}, (name,))


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([_entry("arden", "Arden Microsystems"), _entry("belmont", "Belmont Robotics"),
                      _entry("corvin", "Corvin Sensors"), _entry("dunmore", "Dunmore Labs"),
                      _entry("kestrel", "Kestrel Holdings")])


def ties(text: str, gazetteer, lang: str, cls: str, first: str, second: str, *, plain: bool = True) -> set:
    """(first, second) of each fact of class ``cls`` (``plain``: neither denied nor modal)."""
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang)
    return {(a.name or a.text, b.name or b.text) for f in extraction.facts
            if f.cls == cls and not (plain and (f.negated or f.modality))
            for a in f.values.get(first, []) for b in f.values.get(second, [])}


def supplies(text, gazetteer, lang="en"):
    return ties(text, gazetteer, lang, "SupplyRelationship", "supplier", "customer")


def owns(text, gazetteer, lang="en", plain=True):
    return ties(text, gazetteer, lang, "Ownership", "owner", "ownedEntity", plain=plain)


def offices(text, gazetteer, lang="en"):
    return ties(text, gazetteer, lang, "Position", "holder", "organization")


# -- supply


@pytest.mark.parametrize("text, lang", [
    # what a firm makes, used in what another makes
    ("Arden Microsystems' chips are used in Dunmore Labs' cameras.", "en"),
    ("Dunmore Labs uses Arden Microsystems' sensors in its cameras.", "en"),
    ("Les puces d'Arden Microsystems sont utilisées dans les caméras de Dunmore Labs.", "fr"),
    # a member of a possessor's customers: the possessive is the subject's, not the nearest name's
    ("Arden Microsystems counts Dunmore Labs among its customers.", "en"),
    # the French verb of equipping, the product's owner standing for the party
    ("Arden Microsystems équipe Dunmore Labs depuis 2015.", "fr"),
    ("Les puces d'Arden Microsystems équipent les caméras de Dunmore Labs.", "fr"),
    # the supplier's noun qualified, and what it supplies between the noun and the customer
    ("Arden Microsystems est le principal fournisseur de capteurs de Dunmore Labs.", "fr"),
    # buying from a supplier whose name elides the preposition
    ("Dunmore Labs s'approvisionne en capteurs auprès d'Arden Microsystems.", "fr"),
])
def test_a_supply_read_from_its_construction(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang) == {("Arden Microsystems", "Dunmore Labs")}


def test_suppliers_a_relative_clause_names_without_its_verb_each_supply_the_customer(gazetteer):
    text = "Corvin Sensors et Belmont Robotics, qui fournisseurs des équipements à Dunmore Labs, ont été sanctionnées."
    assert supplies(text, gazetteer, "fr") == {("Corvin Sensors", "Dunmore Labs"), ("Belmont Robotics", "Dunmore Labs")}


@pytest.mark.parametrize("text", [
    "L'équipe d'Arden Microsystems a rencontré Dunmore Labs.",
    "Une équipe d'Arden Microsystems travaille chez Dunmore Labs.",
])
def test_a_team_is_no_supply(gazetteer, text):
    assert supplies(text, gazetteer, "fr") == set()


# -- ownership


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings took a 20% stake in Arden Microsystems.", "en"),
    ("Kestrel Holdings a pris une participation de 20 % au capital d'Arden Microsystems.", "fr"),
])
def test_a_stake_taken_is_owned_with_its_share(gazetteer, text, lang):
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang)
    [fact] = [f for f in extraction.facts if f.cls == "Ownership"]
    assert (fact.values["owner"][0].name, fact.values["ownedEntity"][0].name) == ("Kestrel Holdings", "Arden Microsystems")
    assert fact.values["share"] == [20.0] and not fact.negated


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings sold its stake in Arden Microsystems.", "en"),
    ("Kestrel Holdings a cédé sa participation dans Arden Microsystems.", "fr"),
])
def test_a_stake_sold_is_no_longer_held(gazetteer, text, lang):
    assert owns(text, gazetteer, lang) == set()
    assert owns(text, gazetteer, lang, plain=False) == {("Kestrel Holdings", "Arden Microsystems")}


def test_an_investor_is_not_read_as_an_owner(gazetteer):
    assert owns("Arden Microsystems counts Kestrel Holdings among its investors.", gazetteer) == set()
    assert owns("Arden Microsystems counts Kestrel Holdings among its shareholders.", gazetteer) == \
        {("Kestrel Holdings", "Arden Microsystems")}


# -- offices in a company


@pytest.mark.parametrize("text", [
    "Dunmore Labs and its CEO Tobias Renn were designated.",
    "The designated parties are Dunmore Labs and its CEO Tobias Renn, and Arden Microsystems.",
])
def test_its_ceo_is_an_office_in_the_company_the_possessive_points_at(gazetteer, text):
    assert offices(text, gazetteer) == {("Tobias Renn", "Dunmore Labs")}


@pytest.mark.parametrize("text, company", [
    ("La liste vise le chef de la société publique Arden Microsystems, Tobias Renn, et d'autres.", "Arden Microsystems"),
    ("La liste vise le patron de Dunmore Labs, Tobias Renn.", "Dunmore Labs"),
    ("Le PDG de Dunmore Labs Tobias Renn a confirmé la décision.", "Dunmore Labs"),
])
def test_a_company_title_before_the_name_in_french_is_in_the_company_it_names(gazetteer, text, company):
    assert offices(text, gazetteer, "fr") == {("Tobias Renn", company)}


def test_a_title_before_a_common_noun_names_no_company(gazetteer):
    assert offices("Le chef de la diplomatie européenne, Tobias Renn, a parlé.", gazetteer, "fr") == set()
