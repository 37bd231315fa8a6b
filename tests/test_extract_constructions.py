"""Constructions found missing on real documents (issue 13, second round), on texts written here.

Each text below was written for its test, about entities the project knows or real public
facts; it checks the class an analyst would see for a name, or the fact they would read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Mention
from graph.extract.cli_support import curated_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer():
    return curated_sources(ROOT / "data").gazetteer  # read once per process, shared by the modules


def read(text, gazetteer, lang="en"):
    return extract_text(text, gazetteer=gazetteer, lang=lang, issued=date(2019, 10, 10), use_spacy=False)


def classes(extraction) -> dict[str, str]:
    return {m.text: m.cls for m in extraction.mentions}


def owners(extraction) -> set[tuple[str, str]]:
    return {(f.values["owner"][0].text, f.values["ownedEntity"][0].text)
            for f in extraction.facts if f.cls == "Ownership" and isinstance(f.values["owner"][0], Mention)}


def test_a_bulleted_list_of_shareholders_with_their_stakes_in_french(gazetteer):
    text = ("Hikvision fabrique des caméras.\n\nFin 2019, les principaux actionnaires de Hikvision étaient :\n"
            "  • CET HIK Group Corporation, 38,9 %\n  • Gong Hongjia, 13,4 %\n"
            "  • Hong Kong Securities Clearing Co., Ltd., 8,2 %\n\nLe groupe emploie des milliers de personnes.\n")
    extraction = read(text, gazetteer, lang="fr")
    found = classes(extraction)
    assert found["CET HIK Group Corporation"] == "Company"
    assert found["Gong Hongjia"] == "Person"
    # the city that opens a company's legal name is part of that name, not a place
    assert found["Hong Kong Securities Clearing Co., Ltd."] == "Company" and "Hong Kong" not in found
    assert owners(extraction) == {("CET HIK Group Corporation", "Hikvision"), ("Gong Hongjia", "Hikvision"),
                                  ("Hong Kong Securities Clearing Co., Ltd.", "Hikvision")}


def test_a_list_of_shareholders_in_english_with_stakes_in_brackets(gazetteer):
    text = ("Megvii sells face recognition.\nThe largest shareholders of Megvii are:\n"
            "- Alibaba Group (14.7%)\n- Yin Qi (10.2%)\n")
    extraction = read(text, gazetteer)
    assert ("Yin Qi", "Megvii") in owners(extraction) and classes(extraction)["Yin Qi"] == "Person"
    assert any(owner.startswith("Alibaba") for owner, _ in owners(extraction))


def test_lines_with_a_percentage_but_no_shareholders_line_state_no_ownership(gazetteer):
    text = "Tariffs rose in May:\n- Huawei Technologies Co., Ltd., 25%\n"
    assert owners(read(text, gazetteer)) == set()


@pytest.mark.parametrize("text, lang, name", [
    ("The rule targets Muslim minority groups in the region.", "en", "Muslim minority groups"),
    ("Washington cited abuses against religious minorities in China.", "en", "religious minorities"),
    ("Le Congrès s’inquiète du sort de la minorité ouïgoure au Xinjiang.", "fr", "minorité ouïgoure"),
])
def test_a_population_named_by_what_it_is_a_minority_of(gazetteer, text, lang, name):
    assert classes(read(text, gazetteer, lang=lang)).get(name) == "Population"


def test_a_minority_in_another_sense_is_no_population(gazetteer):
    found = classes(read("Intel holds a minority stake in the Beijing start-up.", gazetteer))
    assert "Population" not in found.values()


def test_founded_by_in_french_makes_an_unknown_name_a_person(gazetteer):
    text = "La société a été fondée en 2001 à Hangzhou, dans la province du Zhejiang par Chen Zongnian."
    assert classes(read(text, gazetteer, lang="fr"))["Chen Zongnian"] == "Person"


def test_a_nationality_opening_an_organisations_name_belongs_to_it(gazetteer):
    text = "Ross spoke of the Chinese Communist Party's campaign in Xinjiang."
    found = classes(read(text, gazetteer))
    assert found.get("Chinese Communist Party") == "Organization"
    assert "Chinese" not in found  # the adjective is not a second mention of China


@pytest.mark.parametrize("text, lang, phrase", [
    ("Le gouvernement des États-Unis a durci ses contrôles.", "fr", "gouvernement des États-Unis"),
    ("The Government of the People's Republic of China protested.", "en", "Government of the People's Republic of China"),
])
def test_the_government_of_a_country_is_its_government_and_the_country_is_still_named(gazetteer, text, lang, phrase):
    extraction = read(text, gazetteer, lang=lang)
    government = next(m for m in extraction.mentions if m.text == phrase)
    assert government.cls == "GovernmentBody" and government.entry is not None
    assert any(m.cls == "Country" and m.start > government.start for m in extraction.mentions)


def test_an_addition_with_a_parenthetical_between_dashes_and_a_long_subject_before_the_verb(gazetteer):
    text = ("On Oct. 7, the Bureau of Industry and Security of the Department of Commerce announced that it "
            "will add 28 organizations — including Hikvision and Dahua, two camera makers — to the Entity List.")
    facts = [f for f in read(text, gazetteer).facts if f.cls == "ExportControlListing"]
    assert facts, "the addition was not read"
    targets = {m.text for f in facts for m in f.values.get("targets", [])}
    assert targets == {"Hikvision", "Dahua"}
    assert {d for f in facts for d in f.values.get("announcedOn", [])} == {date(2019, 10, 7)}


def test_a_bodys_name_goes_on_to_the_proper_name_of_its_region(gazetteer):
    text = ("Washington a visé le Bureau de la sécurité publique du gouvernement populaire de la région autonome "
            "ouïgoure du Xinjiang.")
    extraction = extract_text(text, gazetteer=gazetteer, lang="fr", issued=date(2019, 10, 10), use_spacy=True)
    bodies = [m.text for m in extraction.mentions if m.cls == "GovernmentBody" and m.how != "metonymy"]
    assert any(b.endswith("région autonome ouïgoure du Xinjiang") for b in bodies), bodies


@pytest.mark.parametrize("text", [
    "La secrétaire américaine au commerce, Gina Raimondo, a déclaré que la mesure protégerait la sécurité nationale.",
    "La secrétaire américaine au Commerce, Gina Raimondo, a déclaré que la mesure protégerait la sécurité nationale.",
])
def test_a_portfolio_in_lower_case_names_its_department_not_the_government(gazetteer, text):
    # the office is in the US Department of Commerce, whether the text capitalises the portfolio or not
    extraction = read(text, gazetteer, lang="fr")
    offices = {(f.values["holder"][0].text, f.values["organization"][0].name) for f in extraction.facts
               if f.cls == "Position"}
    assert offices == {("Gina Raimondo", "United States Department of Commerce")}


@pytest.mark.parametrize("text, lang, expected", [
    # the nationality inside the anaphor is read as a country by the names; it still points back
    ("Intel met Dahua in May. The Chinese company sells cameras to Huawei.", "en", {("Dahua", "Huawei")}),
    ("Huawei and Intel met in May. The US chipmaker sells processors to Dahua.", "en", {("Intel", "Dahua")}),
])
def test_who_is_meant_by_a_company_of_a_nationality_across_the_paragraph(gazetteer, text, lang, expected):
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang, issued=date(2019, 10, 10))
    supplies = {(f.values["supplier"][0].name, f.values["customer"][0].name)
                for f in extraction.facts if f.cls == "SupplyRelationship"}
    assert supplies == expected


def test_its_subsidiary_at_the_start_of_a_french_sentence_is_owned_by_the_company_before(gazetteer):
    # "Sa" opening the sentence is a possessive, not a name, nor the seller
    text = "Kestrel Holdings a publié ses résultats. Sa filiale Norvale Optics vend des lentilles à Dahua."
    extraction = extract_text(text, gazetteer=gazetteer, lang="fr", issued=date(2019, 10, 10))
    assert "Sa" not in {m.text for m in extraction.mentions if m.how != "coreference"}
    assert {(f.values["owner"][0].name, f.values["ownedEntity"][0].name) for f in extraction.facts
            if f.cls == "Ownership"} == {("Kestrel Holdings", "Norvale Optics")}
    assert {(f.values["supplier"][0].name, f.values["customer"][0].name) for f in extraction.facts
            if f.cls == "SupplyRelationship"} == {("Norvale Optics", "Dahua")}
