"""Ownership and partnership read as constructions of the language (graph/extract/parse.py,
graph/extract/coref.py, rules/lexicon.yaml), one construction a test, in English and French.

These are the constructions behind the ownerships the tuning texts of the extraction corpus
missed or read wrongly: subsidiaries listed after a plural noun and a comma, a person's own
company, a firm bought, a shareholder with its percentage, a stake in the name a relative clause
is on, a group and the members it includes, a partner named after its adjective, a stake only
wanted, a possessive in a clause about a state, "the company" of the paragraph before. Every
text below was written for its test; the gazetteer is built here from invented companies and
people, so that no sentence states a tie of a real firm.

Examples
--------
>>> from graph.extract.gazetteer import Entry, Gazetteer
>>> gazetteer = Gazetteer([Entry("kgr:org/k", "Company", {"": "Kestrel Holdings"}, ("Kestrel Holdings",)),
...                        Entry("kgr:org/n", "Company", {"": "Norvale Optics"}, ("Norvale Optics",))])
>>> owns("Kestrel Holdings bought Norvale Optics in 2019.", gazetteer)
{('Kestrel Holdings', 'Norvale Optics'): []}
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.parse import parser_status

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")


def _entry(key: str, name: str, cls: str = "Company") -> Entry:
    return Entry(f"kgr:org/{key}", cls, {"": name}, (name,))


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([_entry("arden", "Arden Capital"), _entry("dunmore", "Dunmore Labs"),
                      _entry("kestrel", "Kestrel Holdings"), _entry("norvale", "Norvale Optics"),
                      _entry("renn", "Tobias Renn", "Person")])


def owns(text: str, gazetteer, lang: str = "en") -> dict[tuple[str, str], list]:
    """(owner, owned) of each plain ownership found, by name, with its shares."""
    out: dict[tuple[str, str], list] = {}
    for fact in extract_text(text, gazetteer=gazetteer, lang=lang).facts:
        if fact.cls != "Ownership" or fact.negated or fact.modality:
            continue
        for a in fact.values.get("owner", []):
            for b in fact.values.get("ownedEntity", []):
                out.setdefault((a.name or a.text, b.name or b.text), []).extend(fact.values.get("share", []))
    return out


def partners(text: str, gazetteer, lang: str = "en") -> set[frozenset[str]]:
    return {frozenset(p.name or p.text for p in fact.values.get("partner", []))
            for fact in extract_text(text, gazetteer=gazetteer, lang=lang).facts if fact.cls == "Partnership"}


# -- subsidiaries, outlets and members named in a list


@pytest.mark.parametrize("text", [
    # the names after the plural noun and a comma, the last ones hung elsewhere by the parser
    "The State Department designated the Kestrel Holdings media group and five of its subsidiaries, "
    "Norvale Optics, Dunmore Labs and Arden Capital.",
    "The Treasury sanctioned Kestrel Holdings and its outlets Norvale Optics, Dunmore Labs and Arden Capital.",
])
def test_every_subsidiary_a_list_names_is_owned(gazetteer, text):
    assert set(owns(text, gazetteer)) == {("Kestrel Holdings", "Norvale Optics"), ("Kestrel Holdings", "Dunmore Labs"),
                                          ("Kestrel Holdings", "Arden Capital")}


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings, a group that includes Norvale Optics and Dunmore Labs, sells lenses.", "en"),
    ("Kestrel Holdings, un groupe qui comprend Norvale Optics et Dunmore Labs, vend des lentilles.", "fr"),
])
def test_a_group_owns_the_members_it_includes(gazetteer, text, lang):
    assert set(owns(text, gazetteer, lang)) == {("Kestrel Holdings", "Norvale Optics"),
                                                ("Kestrel Holdings", "Dunmore Labs")}


def test_a_group_of_investors_owns_no_member(gazetteer):
    assert owns("A group of investors that includes Norvale Optics bought shares.", gazetteer) == {}


# -- one owner stated


def test_a_person_owns_his_company(gazetteer):
    text = "The network is connected to Tobias Renn and his private defense company Norvale Optics."
    assert set(owns(text, gazetteer)) == {("Tobias Renn", "Norvale Optics")}


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings bought Norvale Optics in 2019.", "en"),
    ("Kestrel Holdings a acheté Norvale Optics en 2019.", "fr"),
    ("Norvale Optics, achetée par Kestrel Holdings en 2019, vend des lentilles.", "fr"),
])
def test_a_firm_bought_is_owned_by_its_buyer(gazetteer, text, lang):
    assert set(owns(text, gazetteer, lang)) == {("Kestrel Holdings", "Norvale Optics")}


def test_what_a_firm_buys_from_another_is_no_ownership(gazetteer):
    assert owns("Arden Capital bought Dunmore Labs' lenses.", gazetteer) == {}


def test_a_shareholder_with_its_percentage_in_french(gazetteer):
    text = ("Certains groupes y sont présents, à l'image du groupe Kestrel Holdings, actionnaire à 67% du "
            "constructeur Norvale Optics, et envers qui le gouvernement a appelé à un boycott.")
    assert owns(text, gazetteer, "fr") == {("Kestrel Holdings", "Norvale Optics"): [67.0]}


@pytest.mark.parametrize("text, lang", [
    ("Norvale Optics, dont Kestrel Holdings détient 49 %, vend des lentilles.", "fr"),
    ("La raffinerie Norvale Optics, où Kestrel Holdings détient 49 % des actions, est visée.", "fr"),
    ("Norvale Optics, in which Kestrel Holdings holds a 49% stake, sells lenses.", "en"),
])
def test_a_stake_in_the_name_a_relative_clause_is_on(gazetteer, text, lang):
    assert owns(text, gazetteer, lang) == {("Kestrel Holdings", "Norvale Optics"): [49.0]}


def test_a_stake_only_wanted_is_not_held(gazetteer):
    assert owns("Kestrel Holdings wants the stake in Norvale Optics.", gazetteer) == {}


# -- who a possessive or "the company" is


def test_the_company_is_the_one_company_of_the_paragraph_before(gazetteer):
    text = ("Shares in Norvale Optics were suspended. The firm said ten members of its board had quit.\n"
            "Tobias Renn owns a 28.6% stake in the company.")
    found = owns(text, gazetteer)
    assert set(found) == {("Tobias Renn", "Norvale Optics")} and set(found["Tobias Renn", "Norvale Optics"]) == {28.6}


def test_a_possessive_in_a_clause_about_a_state_is_no_company(gazetteer):
    text = ("Norvale Optics made parts used by Dunmore Labs. Canada is also imposing sanctions on banks "
            "previously sanctioned by its G7 allies.")
    assert not any("Dunmore Labs" in pair for pair in partners(text, gazetteer))


def test_a_partner_named_after_its_adjective_in_french(gazetteer):
    text = ("Kestrel Holdings devra s'appuyer sur des processeurs développés par son partenaire national "
            "Norvale Optics.")
    assert frozenset({"Kestrel Holdings", "Norvale Optics"}) in partners(text, gazetteer, "fr")


@pytest.mark.parametrize("text, lang", [
    ("Three firms, subsidiaries of Kestrel Holdings, were designated on Monday. "
     "They are Norvale Optics, Dunmore Labs and Arden Capital.", "en"),
    ("Trois sociétés industrielles, filiales du groupe Kestrel Holdings, ont été désignées. "
     "Il s'agit des sociétés Norvale Optics, Dunmore Labs et Arden Capital.", "fr"),
])
def test_subsidiaries_the_next_sentence_spells_out(gazetteer, text, lang):
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang)
    assert set(owns(text, gazetteer, lang)) == {("Kestrel Holdings", "Norvale Optics"),
                                                ("Kestrel Holdings", "Dunmore Labs"),
                                                ("Kestrel Holdings", "Arden Capital")}
    # both sentences are the evidence
    fact = next(f for f in extraction.facts if f.cls == "Ownership")
    assert len(fact.spans) == 2


def test_a_plural_noun_the_next_sentence_does_not_spell_out_names_no_subsidiary(gazetteer):
    text = ("Three firms, subsidiaries of Kestrel Holdings, were designated on Monday. "
            "Norvale Optics said it would appeal.")
    assert owns(text, gazetteer) == {}


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings, the parent company of Norvale Optics, sells lenses.", "en"),
    ("Le groupe Kestrel Holdings, maison mère de Norvale Optics, a réagi.", "fr"),
])
def test_a_parent_named_in_two_words_owns_its_subsidiary(gazetteer, text, lang):
    assert set(owns(text, gazetteer, lang)) == {("Kestrel Holdings", "Norvale Optics")}


@pytest.mark.parametrize("text, lang", [
    ("The assets Arden Capital sold include the joint ventures of Dunmore Labs, Norvale Optics and "
     "Kestrel Holdings.", "en"),
    ("Les actifs cédés par Arden Capital comprennent les coentreprises de Dunmore Labs, Norvale Optics et "
     "Kestrel Holdings.", "fr"),
])
def test_ventures_listed_after_a_plural_noun_are_no_partners_or_owners_of_one_another(gazetteer, text, lang):
    # the plural lists the ventures themselves: none owns another, none is another's partner
    ventures = {"Dunmore Labs", "Norvale Optics", "Kestrel Holdings"}
    assert not {pair for pair in owns(text, gazetteer, lang) if set(pair) <= ventures}
    assert not {pair for pair in partners(text, gazetteer, lang) if len(pair) > 1 and pair <= ventures}


def test_a_joint_venture_of_two_firms_still_names_its_partners(gazetteer):
    text = "Norvale Optics is a joint venture of Arden Capital and Dunmore Labs."
    assert frozenset({"Arden Capital", "Dunmore Labs"}) in partners(text, gazetteer)
    assert {("Arden Capital", "Norvale Optics"), ("Dunmore Labs", "Norvale Optics")} <= set(owns(text, gazetteer))
