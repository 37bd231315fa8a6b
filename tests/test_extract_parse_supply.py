"""Supply and partnership read from general constructions of English and French (graph/extract/parse.py
and rules/lexicon.yaml): customers listed after a preposition, licences to sell, modality, shares of a
firm's revenue, relative clauses on a predicate noun, consortiums, joint ventures and acts done jointly.

Every text below was written for its test. The gazetteer is built in the test from invented
companies (Arden Microsystems, Belmont Robotics, Corvin Sensors, Dunmore Labs, Ferrand Titane,
Kestrel Holdings), so that no sentence states a tie of a real firm.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.parse import parser_status

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")

ARDEN, BELMONT, CORVIN, DUNMORE = "Arden Microsystems", "Belmont Robotics", "Corvin Sensors", "Dunmore Labs"


@pytest.fixture(scope="module")
def gazetteer():
    names = [ARDEN, BELMONT, CORVIN, DUNMORE, "Ferrand Titane", "Kestrel Holdings"]
    return Gazetteer([Entry(f"kgr:org/{n.split()[0].lower()}", "Company", {"": n}, (n,)) for n in names])


def facts(text: str, gazetteer, lang: str, cls: str) -> list:
    return [f for f in extract_text(text, gazetteer=gazetteer, lang=lang).facts if f.cls == cls]


def supplies(text, gazetteer, lang="en", *, plain=True) -> set:
    """(supplier, customer) of each supply (``plain``: neither denied nor modal)."""
    return {(a.name, b.name) for f in facts(text, gazetteer, lang, "SupplyRelationship")
            if not (plain and (f.negated or f.modality))
            for a in f.values.get("supplier", []) for b in f.values.get("customer", [])}


def partners(text, gazetteer, lang="en") -> set:
    """Each pair of partners, in alphabetical order."""
    return {tuple(sorted(m.name for m in f.values["partner"])) for f in facts(text, gazetteer, lang, "Partnership")
            if not (f.negated or f.modality)}


# -- customers and suppliers


@pytest.mark.parametrize("text, lang", [
    # a list of customers after the preposition, the French parse reading part of it
    ("Ferrand Titane, premier producteur mondial de titane, fournit des pièces à Arden Microsystems, "
     "Belmont Robotics et Corvin Sensors.", "fr"),
    ("Ferrand Titane supplies titanium parts to Arden Microsystems, Belmont Robotics and Corvin Sensors.", "en"),
])
def test_every_customer_of_a_list_after_the_preposition(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang) == {("Ferrand Titane", ARDEN), ("Ferrand Titane", BELMONT),
                                               ("Ferrand Titane", CORVIN)}


@pytest.mark.parametrize("text, lang", [
    ("Ferrand Titane sells titanium to Arden Microsystems, Belmont Robotics said.", "en"),
    ("Ferrand Titane vend du titane à Arden Microsystems, a indiqué Belmont Robotics.", "fr"),
])
def test_a_name_after_a_bare_comma_is_no_item_of_the_list(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang) == {("Ferrand Titane", ARDEN)}


@pytest.mark.parametrize("text, lang", [
    # the customer's phrase hung deep inside a long object, or on another phrase of the verb
    ("Ferrand Titane tried to provide engines with drone and missile applications to Dunmore Labs.", "en"),
    ("Ferrand Titane, qui fournit des pièces en titane pour moteurs à Dunmore Labs, a été sanctionnée.", "fr"),
])
def test_a_customer_phrase_the_parser_hung_inside_another_phrase_is_the_verbs(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang, plain=False) == {("Ferrand Titane", DUNMORE)}


def test_an_attempted_supply_is_kept_with_its_modality(gazetteer):
    found = facts("Ferrand Titane attempted to sell engines to Dunmore Labs.", gazetteer, "en", "SupplyRelationship")
    assert [(f.values["supplier"][0].name, f.modality) for f in found] == [("Ferrand Titane", "attempt")]


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings is a defence conglomerate which manufactures missiles for Dunmore Labs.", "en"),
    ("Kestrel Holdings, a defence conglomerate that sells missiles to Dunmore Labs, was listed.", "en"),
])
def test_a_relative_clause_on_a_predicate_or_appositive_noun_is_said_of_the_name(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang) == {("Kestrel Holdings", DUNMORE)}


@pytest.mark.parametrize("text, lang", [
    ("Dunmore Labs accounted for 12 percent of Arden Microsystems' revenue last year.", "en"),
    ("Arden Microsystems gets about 12 percent of its revenue from Dunmore Labs.", "en"),
    ("Dunmore Labs représente 12 % du chiffre d'affaires d'Arden Microsystems.", "fr"),
    ("Arden Microsystems réalise 12 % de son chiffre d'affaires avec Dunmore Labs.", "fr"),
])
def test_a_share_of_a_firms_revenue_names_its_customer(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang) == {(ARDEN, DUNMORE)}


def test_a_share_of_something_else_is_no_supply(gazetteer):
    text = "Dunmore Labs accounted for 12 percent of the market, ahead of Arden Microsystems."
    assert supplies(text, gazetteer, plain=False) == set()


@pytest.mark.parametrize("text", [
    "Arden Microsystems counts Dunmore Labs as a customer.",
    "Arden Microsystems, which counts Dunmore Labs among its biggest customers, fell 5 percent.",
    # what a party made stands for it
    "Dunmore Labs relies on chips made by Arden Microsystems.",
])
def test_a_customer_counted_or_a_product_made_by_its_supplier(gazetteer, text):
    assert supplies(text, gazetteer) == {(ARDEN, DUNMORE)}


# -- licences to sell


@pytest.mark.parametrize("text, lang", [
    ("The Commerce Department revoked the licences of Arden Microsystems and Belmont Robotics to sell chips "
     "to Dunmore Labs.", "en"),
    ("The Commerce Department revoked licences that allowed Arden Microsystems and Belmont Robotics to sell "
     "chips to Dunmore Labs.", "en"),
    ("Le département du Commerce a révoqué les licences d'Arden Microsystems et de Belmont Robotics pour vendre "
     "des puces à Dunmore Labs.", "fr"),
    # the holders named by the participle of granting
    ("The Commerce Department revoked the licences granted to Arden Microsystems and Belmont Robotics to sell "
     "chips to Dunmore Labs.", "en"),
])
def test_the_holders_of_a_revoked_licence_to_sell_supplied_and_are_stopped(gazetteer, text, lang):
    found = facts(text, gazetteer, lang, "SupplyRelationship")
    assert {(f.values["supplier"][0].name, f.values["customer"][0].name, f.negated) for f in found} == \
        {(ARDEN, DUNMORE, True), (BELMONT, DUNMORE, True)}
    # the table's path says the supplier came from the licence
    assert all("licence>supplier" in f.rule or "subject>supplier" in f.rule for f in found)


@pytest.mark.parametrize("text, lang", [
    ("Arden Microsystems holds a licence to sell chips to Dunmore Labs.", "en"),
    ("Arden Microsystems détient une licence pour vendre des puces à Dunmore Labs.", "fr"),
])
def test_a_licence_held_to_sell_is_a_supply(gazetteer, text, lang):
    assert supplies(text, gazetteer, lang) == {(ARDEN, DUNMORE)}


def test_a_licence_still_needed_makes_the_supply_only_possible(gazetteer):
    found = facts("Arden Microsystems will need a licence to sell chips to Dunmore Labs.", gazetteer, "en",
                  "SupplyRelationship")
    assert [(f.values["supplier"][0].name, f.modality) for f in found] == [(ARDEN, "licence")]


# -- modality in French


@pytest.mark.parametrize("text, modality", [
    ("Ferrand Titane pourrait fournir des pièces à Dunmore Labs.", "pouvoir"),
    # the conditional reports, whether the model tags it so or as an imperfect
    ("Ferrand Titane fournirait des pièces à Dunmore Labs.", "conditionnel"),
    ("Ferrand Titane aurait fourni des pièces à Dunmore Labs.", "conditionnel"),
    ("Ferrand Titane serait en mesure de fournir Dunmore Labs.", "conditionnel"),
])
def test_a_possible_or_reported_french_supply_keeps_its_modality(gazetteer, text, modality):
    found = facts(text, gazetteer, "fr", "SupplyRelationship")
    assert [(f.values["supplier"][0].name, f.values["customer"][0].name, f.modality) for f in found] == \
        [("Ferrand Titane", DUNMORE, modality)]


def test_the_french_imperfect_is_a_plain_supply(gazetteer):
    assert supplies("Ferrand Titane fournissait des pièces à Dunmore Labs.", gazetteer, "fr") == \
        {("Ferrand Titane", DUNMORE)}


# -- partnerships of a consortium, a joint venture, a joint act

EVERY_PAIR = {(ARDEN, BELMONT), (ARDEN, CORVIN), (BELMONT, CORVIN)}


@pytest.mark.parametrize("text, lang", [
    ("Arden Microsystems, Belmont Robotics and Corvin Sensors formed a consortium to develop the gas field.", "en"),
    ("The field is developed by a consortium of Arden Microsystems, Belmont Robotics and Corvin Sensors.", "en"),
    ("The plant is a joint venture between Arden Microsystems, Belmont Robotics and Corvin Sensors.", "en"),
    ("Un consortium formé par Arden Microsystems, Belmont Robotics et Corvin Sensors exploitera le gisement.", "fr"),
    ("Le consortium regroupe Arden Microsystems, Belmont Robotics et Corvin Sensors.", "fr"),
    ("Le consortium, composé d'Arden Microsystems, de Belmont Robotics et de Corvin Sensors, exploite le gisement.",
     "fr"),
])
def test_every_pair_of_a_consortiums_members_are_partners(gazetteer, text, lang):
    assert partners(text, gazetteer, lang) == EVERY_PAIR


@pytest.mark.parametrize("text, lang", [
    # a field, a project, a mine developed by several firms: its co-developers
    ("Arden Microsystems, Belmont Robotics et Corvin Sensors développeront conjointement le champ.", "fr"),
    ("Le champ gazier sera développé conjointement par Arden Microsystems, Belmont Robotics et Corvin Sensors.",
     "fr"),
    ("Arden Microsystems, Belmont Robotics and Corvin Sensors will jointly develop the field.", "en"),
    ("The gas field is developed by Arden Microsystems, Belmont Robotics and Corvin Sensors.", "en"),
])
def test_firms_that_develop_one_venture_together_are_partners(gazetteer, text, lang):
    assert partners(text, gazetteer, lang) == EVERY_PAIR


@pytest.mark.parametrize("text, lang", [
    ("Arden Microsystems and Belmont Robotics conduct joint research on batteries.", "en"),
    ("Arden Microsystems mène des recherches conjointes avec Belmont Robotics.", "fr"),
    ("Arden Microsystems et Belmont Robotics ont lancé un projet commun de batteries.", "fr"),
    ("Kestrel Holdings, a joint venture of Arden Microsystems and Belmont Robotics, makes lenses.", "en"),
    ("Kestrel Holdings, une coentreprise d'Arden Microsystems et de Belmont Robotics, fabrique des lentilles.", "fr"),
    ("Arden Microsystems and Belmont Robotics set up Kestrel Holdings as a joint venture in 2019.", "en"),
    # the model reads "partnered" as a participle on the name before it
    ("Arden Microsystems partnered with Belmont Robotics to build the plant.", "en"),
    # an agreement of cooperation, and work done in cooperation
    ("Arden Microsystems signed a cooperation agreement with Belmont Robotics.", "en"),
    ("Arden Microsystems et Belmont Robotics ont signé un accord de coopération.", "fr"),
    ("Arden Microsystems travaille en collaboration avec Belmont Robotics.", "fr"),
])
def test_a_joint_act_or_a_joint_venture_makes_partners(gazetteer, text, lang):
    assert (ARDEN, BELMONT) in partners(text, gazetteer, lang)


def test_a_partnership_phrase_on_the_subject_names_it(gazetteer):
    text = "Arden Microsystems, en partenariat avec Belmont Robotics et Corvin Sensors, développe le gisement."
    assert {(ARDEN, BELMONT), (ARDEN, CORVIN)} <= partners(text, gazetteer, "fr")


@pytest.mark.parametrize("text, lang", [
    # firms that each make something are no partners, nor are firms that develop a product
    ("Arden Microsystems et Belmont Robotics développent des puces.", "fr"),
    ("Arden Microsystems and Belmont Robotics develop chips for phones.", "en"),
    ("Arden Microsystems develops the field's sensors; Belmont Robotics builds cameras.", "en"),
    # research alone is no shared act
    ("Arden Microsystems and Belmont Robotics conduct research on batteries.", "en"),
    # a firm working with its regulator is no partner of it
    ("Arden Microsystems works in cooperation with the Commerce Department.", "en"),
])
def test_acts_not_done_together_make_no_partners(gazetteer, text, lang):
    assert partners(text, gazetteer, lang) == set()
