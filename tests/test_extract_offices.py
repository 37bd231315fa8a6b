"""Offices of titled people and the names around a title (graph/extract/ner.py,
graph/extract/parse.py, graph/extract/extractor.py), one construction a test.

Each construction was found missing on the tuning texts of the extraction corpus (issue 23:
editors named with their outlet, a minister named as "the Honourable", an office in a body the
text names under another of its names, a title or a descriptor kept in a name); every text
below was written for its test. The gazetteer is built in the test: real agencies and
countries, and invented firms and people (Arden Microsystems, Kestrel Holdings, Nova Signal,
Irina Volkova, Pavel Orlov, Clara Vance, Oleg Sorokin, Martin Yu), so that no sentence states an
office or a measure of a real person, but one true office (Janet Yellen, US Treasury Secretary
2021-2025).
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.classes import has_legal_form
from graph.extract.gazetteer import Entry, Gazetteer, Mention
from graph.extract.ner import title_off
from graph.extract.parse import parser_status
from graph.extract.rules import load_rules

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")


def _entry(key: str, cls: str, name: str, *aliases: str, country: str | None = None, code: str | None = None) -> Entry:
    return Entry(f"kgr:{key}", cls, {"": name}, (name, *aliases), country=country, code=code)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        _entry("org/arden", "Company", "Arden Microsystems"), _entry("org/kestrel", "Company", "Kestrel Holdings"),
        # a body of the portfolio the graph knows under a name the texts below never use
        _entry("gov/treasury-department", "GovernmentBody", "Treasury Department", country="kgr:country/us"),
        _entry("country/us", "Country", "United States", "U.S.", "US", code="US"),
        _entry("country/ca", "Country", "Canada", code="CA"),
        _entry("country/ru", "Country", "Russia", "Russie", code="RU"),
    ])


def read(text, gazetteer, lang="en"):
    return extract_text(text, gazetteer=gazetteer, lang=lang)


def names(extraction) -> dict[str, str]:
    return {m.text: m.cls for m in extraction.mentions}


def offices(extraction) -> set[tuple[str, str]]:
    return {(holder.text, org.name or org.text) for f in extraction.facts if f.cls == "Position"
            for holder in f.values.get("holder", []) for org in f.values.get("organization", [])
            if isinstance(holder, Mention) and isinstance(org, Mention)}


def test_an_editor_named_with_the_outlet_after_the_title_holds_an_office_in_it(gazetteer):
    text = ("The State Department designated the Nova Signal media group on Monday. The designees include "
            "Irina Volkova, the Editor-in-Chief of Nova Signal; and Pavel Orlov, the Deputy Editor-in-Chief of "
            "Nova Signal.")
    extraction = read(text, gazetteer)
    assert {("Irina Volkova", "Nova Signal"), ("Pavel Orlov", "Nova Signal")} <= offices(extraction)
    found = names(extraction)
    # the title is no part of any name, and "the X media group" is a company
    assert not any("Editor" in name for name in found)
    assert found["Nova Signal"] == "Company"
    assert {found["Irina Volkova"], found["Pavel Orlov"]} == {"Person"}


def test_a_title_the_outlet_opens_after_a_comma_is_the_office_of_the_name_before_it(gazetteer):
    text = ("The State Department designated the Nova Signal media group on Monday. The designees include "
            "Irina Volkova, the Editor-in-Chief of Nova Signal; Anton Petrovich Sokolov, Nova Signal Deputy "
            "Editor-in-Chief who runs its studios; and Oleg Sorokin.")
    assert ("Anton Petrovich Sokolov", "Nova Signal") in offices(read(text, gazetteer))


def test_a_title_after_a_body_in_one_run_of_capitals_leaves_the_body_alone(gazetteer):
    extraction = read("The EU listed Oleg Sorokin, a Belarusian Armed Forces Colonel, on Monday.", gazetteer)
    found = names(extraction)
    assert found.get("Belarusian Armed Forces") == "GovernmentBody"
    assert found.get("Oleg Sorokin") == "Person"
    assert not any(name.endswith("Colonel") for name in found)


@pytest.mark.parametrize("text, lang", [
    ("The Honourable Clara Vance, Minister of Trade, announced today that Canada is imposing sanctions on "
     "Kestrel Holdings.", "en"),
    ("La ministre du Commerce, l’honorable Clara Vance, a annoncé aujourd’hui que le Canada impose des "
     "sanctions à Kestrel Holdings.", "fr"),
])
def test_an_honorific_is_no_part_of_a_ministers_name(gazetteer, text, lang):
    found = names(read(text, gazetteer, lang))
    assert found.get("Clara Vance") == "Person"
    assert not any("onourable" in name or "onorable" in name for name in found)
    # "Trade", the portfolio after "Minister of", is no body
    assert "Trade" not in found


def test_an_office_is_in_the_body_the_text_names_rather_than_one_the_graph_knows(gazetteer):
    text = ("The US Treasury sanctioned Kestrel Holdings on Tuesday. Treasury Secretary Janet Yellen said the "
            "sanctions would continue.")
    assert offices(read(text, gazetteer)) == {("Janet Yellen", "US Treasury")}
    # with no body of that portfolio named, the graph's stands
    text = "Treasury Secretary Janet Yellen said the sanctions on Kestrel Holdings would continue."
    assert offices(read(text, gazetteer)) == {("Janet Yellen", "Treasury Department")}


def test_a_common_noun_before_a_name_describes_it(gazetteer):
    text = "La banque Norvale, rachetée par Kestrel Holdings l’an dernier, est visée par ces sanctions."
    found = names(read(text, gazetteer, "fr"))
    assert not any(name[:1].islower() for name in found)
    assert "Norvale" in found


def test_a_two_letter_legal_form_in_title_case_is_a_persons_name(gazetteer):
    assert not has_legal_form("Martin Yu") and has_legal_form("Arden YU")
    text = "“We follow the rules of both governments,” Arden Microsystems spokesman Martin Yu told reporters."
    assert names(read(text, gazetteer)).get("Martin Yu") == "Person"


def test_a_documents_quoted_title_names_no_organisation(gazetteer):
    text = ("The Treasury also published an advisory, “Evasion Schemes Using Shell Companies and Overseas "
            "Branches,” for banks that deal with Arden Microsystems.")
    found = names(read(text, gazetteer))
    assert not any(word in name for name in found for word in ("Schemes", "Shell Companies", "Branches"))
    assert "Arden Microsystems" in found


@pytest.mark.parametrize("run, body", [
    ("Editor-in-Chief of Nova Signal", "Nova Signal"),
    ("Nova Signal Deputy Editor-in-Chief", "Nova Signal"),
    ("Arden Microsystems Chief Executive", "Arden Microsystems"),
    ("Belarusian Armed Forces Colonel", "Belarusian Armed Forces"),
    # a portfolio, and names that end with a title's word, stay whole
    ("Minister of Foreign Affairs", "Minister of Foreign Affairs"),
    ("Burger King", "Burger King"),
])
def test_title_off_keeps_the_body_a_run_of_capitals_names(run, body):
    start, end = title_off(run, 0, len(run), load_rules("en"))
    assert run[start:end] == body


@pytest.mark.parametrize("text, expected", [
    ("The US Treasury sanctioned Kestrel Holdings. “This network is closed,” Treasury's Under Secretary for "
     "Terrorism and Financial Intelligence, Clara Vance, said in the statement.", ("Clara Vance", "US Treasury")),
    ("Kestrel Holdings's Deputy Director Mara Ellison declined to comment.", ("Mara Ellison", "Kestrel Holdings")),
])
def test_a_possessive_before_a_deputy_or_under_secretarys_title_names_the_body(gazetteer, text, expected):
    assert expected in offices(read(text, gazetteer))


@pytest.mark.parametrize("text, name", [
    ("The UK also sanctioned three traders linked to the Redan mercenary group.", "Redan"),
    ("Kestrel Holdings sold drones to the Redan Private Military Company in 2022.", "Redan Private Military Company"),
])
def test_an_armed_group_is_an_organisation_not_a_firm(gazetteer, text, name):
    assert names(read(text, gazetteer)).get(name) == "Organization"


def test_a_french_text_written_without_accents_reads_as_one_written_with_them(gazetteer):
    accented = "Le ministère néerlandais du Commerce a annoncé de nouvelles restrictions contre Kestrel Holdings."
    plain = "Le ministere neerlandais du Commerce a annonce de nouvelles restrictions contre Kestrel Holdings."
    bodies = [[m.text for m in read(text, gazetteer, "fr").mentions if m.cls == "GovernmentBody"]
              for text in (accented, plain)]
    assert bodies[0] == ["ministère néerlandais du Commerce"]
    assert bodies[1] == ["ministere neerlandais du Commerce"]
