"""Relations read from the parse (graph/extract/parse.py), one construction a test, in English and French.

Every text here was written for its test. The gazetteer is built in the test: a few real
companies the project knows and two invented ones (Norvale Optics, Kestrel Holdings), so
that no sentence states an ownership of a real firm.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError
from graph.extract import extract_text, to_batch
from graph.extract.coref import resolve_anaphors
from graph.extract.gazetteer import Entry, Gazetteer, Mention
from graph.outputs.extraction import extractions_to_table
from graph.extract.parse import load_lexicon, parser_status

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")


def _company(key: str, name: str, country: str | None = None) -> Entry:
    return Entry(f"kgr:org/{key}", "Company", {"": name}, (name,), country=f"kgr:country/{country}" if country else None)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        _company("huawei", "Huawei", "cn"), _company("dahua", "Dahua", "cn"), _company("intel", "Intel", "us"),
        _company("qualcomm", "Qualcomm", "us"), _company("tsmc", "TSMC", "tw"), _company("samsung", "Samsung", "kr"),
        _company("norvale", "Norvale Optics"), _company("kestrel", "Kestrel Holdings"),
    ])


def read(text: str, gazetteer, lang: str):
    return extract_text(text, gazetteer=gazetteer, lang=lang)


def ties(extraction, *, plain: bool = True) -> set[tuple[str, str, str]]:
    """(one end, relation, other end) of each relationship, by name; ``plain``: neither denied nor modal."""
    out = set()
    ends = {"SupplyRelationship": ("supplier", "suppliesTo", "customer"), "Ownership": ("owner", "owns", "ownedEntity"),
            "Position": ("holder", "holdsPositionIn", "organization")}
    for fact in extraction.facts:
        if fact.cls not in ends or (plain and (fact.negated or fact.modality)):
            continue
        a, rel, b = ends[fact.cls]
        for x in fact.values.get(a, []):
            for y in fact.values.get(b, []):
                out.add((x.name or x.text, rel, y.name or y.text))
    return out


def shares(extraction) -> dict[tuple[str, str], list]:
    return {(f.values["owner"][0].name, f.values["ownedEntity"][0].name): f.values.get("share", [])
            for f in extraction.facts if f.cls == "Ownership"}


@pytest.mark.parametrize("text, lang", [
    ("TSMC and Samsung sell chips to Huawei.", "en"),
    ("TSMC et Samsung vendent des puces à Huawei.", "fr"),
])
def test_a_coordination_of_suppliers_gives_one_tie_each(gazetteer, text, lang):
    assert ties(read(text, gazetteer, lang)) == {("TSMC", "suppliesTo", "Huawei"), ("Samsung", "suppliesTo", "Huawei")}


@pytest.mark.parametrize("text, lang", [
    ("Norvale Optics is 60 % owned by Kestrel Holdings.", "en"),
    ("Kestrel Holdings holds a 60 % stake in Norvale Optics.", "en"),
    ("Kestrel Holdings owns 60 % of Norvale Optics.", "en"),
    ("Norvale Optics est détenue à 60 % par Kestrel Holdings.", "fr"),
    ("Kestrel Holdings détient 60 % de Norvale Optics.", "fr"),
])
def test_an_ownership_keeps_its_owner_its_company_and_its_share(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == {("Kestrel Holdings", "owns", "Norvale Optics")}
    assert shares(extraction)[("Kestrel Holdings", "Norvale Optics")] == [60.0]


@pytest.mark.parametrize("text, lang", [
    ("Norvale Optics, a subsidiary of Kestrel Holdings, supplies Dahua.", "en"),
    ("Norvale Optics, une filiale de Kestrel Holdings, fournit Dahua.", "fr"),
])
def test_an_apposition_names_the_owner_and_the_verb_names_the_customer(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == {("Kestrel Holdings", "owns", "Norvale Optics"), ("Norvale Optics", "suppliesTo", "Dahua")}


@pytest.mark.parametrize("text, lang, expected", [
    ("Norvale Optics, which Kestrel Holdings owns, sells lenses to Dahua.", "en",
     {("Kestrel Holdings", "owns", "Norvale Optics"), ("Norvale Optics", "suppliesTo", "Dahua")}),
    ("Dahua buys lenses from Norvale Optics, which also supplies Huawei.", "en",
     {("Norvale Optics", "suppliesTo", "Dahua"), ("Norvale Optics", "suppliesTo", "Huawei")}),
    ("Dahua achète des lentilles à Norvale Optics, qui fournit aussi Huawei.", "fr",
     {("Norvale Optics", "suppliesTo", "Huawei")}),
])
def test_a_relative_clause_hangs_on_the_name_it_follows(gazetteer, text, lang, expected):
    assert expected <= ties(read(text, gazetteer, lang))


@pytest.mark.parametrize("text, lang", [
    ("Intel does not supply Huawei.", "en"),
    ("Intel no longer sells chips to Huawei.", "en"),
    ("Intel ne fournit plus Huawei.", "fr"),
])
def test_a_denied_supply_is_kept_as_denied_and_never_enters_the_graph(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == set()
    assert ties(extraction, plain=False) == {("Intel", "suppliesTo", "Huawei")}
    assert [f.negated for f in extraction.facts if f.cls == "SupplyRelationship"] == [True]
    assert not [s for s in to_batch(extraction).statements if s.cls == "SupplyRelationship"]
    assert "suppliesTo (negated)" in extractions_to_table([extraction])


@pytest.mark.parametrize("text, lang, modality", [
    ("Qualcomm may sell modems to Huawei.", "en", "may"),
    ("Huawei plans to buy chips from Qualcomm.", "en", "plan"),
    ("Qualcomm pourrait vendre des modems à Huawei.", "fr", "pouvoir"),
])
def test_a_possible_or_planned_supply_keeps_its_modality(gazetteer, text, lang, modality):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == set()
    supply = [f for f in extraction.facts if f.cls == "SupplyRelationship"]
    assert [f.modality for f in supply] == [modality]
    assert ties(extraction, plain=False) == {("Qualcomm", "suppliesTo", "Huawei")}
    assert not [s for s in to_batch(extraction).statements if s.cls == "SupplyRelationship"]


@pytest.mark.parametrize("text, lang", [
    ("Huawei buys chips from Qualcomm, Reuters reported.", "en"),
    ("Huawei sells servers to Dahua, according to Bloomberg News.", "en"),
    ("Huawei achète des puces auprès de Qualcomm, selon Reuters.", "fr"),
])
def test_a_news_agency_cited_as_the_source_is_never_a_party(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    found = ties(extraction)
    assert found and all("Reuters" not in a and "Bloomberg" not in b and "Reuters" not in b and "Bloomberg" not in a
                         for a, _, b in found)


def test_the_news_agency_set_aside_is_listed_with_its_reason(gazetteer):
    extraction = read("Huawei buys chips from Qualcomm, Reuters reported.", gazetteer, "en")
    assert ties(extraction) == {("Qualcomm", "suppliesTo", "Huawei")}
    dropped = [line for line in extractions_to_table([extraction], rejected=True).splitlines() if "dropped" in line]
    assert any("Reuters" in line and "news agency" in line for line in dropped)
    assert "dropped" not in extractions_to_table([extraction], rejected=False)


@pytest.mark.parametrize("text, lang", [
    ("Chinese investors own Norvale Optics.", "en"),
    ("Des investisseurs chinois détiennent Norvale Optics.", "fr"),
])
def test_a_demonym_is_never_an_owner_and_the_reason_is_kept(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == set()
    assert any("demonym" in d.reason for d in extraction.dropped)


@pytest.mark.parametrize("text, lang", [
    ("Intel met Dahua in May. The Chinese company sells cameras to Huawei.", "en"),
    ("Intel a rencontré Dahua en mai. Le groupe chinois vend des caméras à Huawei.", "fr"),
])
def test_the_company_resolves_to_the_nearest_mention_of_its_country(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == {("Dahua", "suppliesTo", "Huawei")}
    supply = next(f for f in extraction.facts if f.cls == "SupplyRelationship")
    quotes = [text[s:e] for s, e in supply.spans]
    # the anaphor's sentence is the quote; the antecedent's sentence is evidence too
    assert quotes[0].startswith(("The Chinese company", "Le groupe chinois")) and any("Dahua" in q for q in quotes[1:])


def test_its_unit_is_owned_by_the_company_its_points_at(gazetteer):
    extraction = read("Kestrel Holdings said its unit Norvale Optics sells lenses to Dahua.", gazetteer, "en")
    assert ties(extraction) == {("Kestrel Holdings", "owns", "Norvale Optics"), ("Norvale Optics", "suppliesTo", "Dahua")}


def test_an_anaphor_skips_a_company_of_another_country():
    text = "Dahua met Intel. The Chinese firm said it would buy chips."
    mentions = [Mention(0, 5, "Dahua", "Company", name="Dahua", country="CN"),
                Mention(10, 15, "Intel", "Company", name="Intel", country="US")]
    links = resolve_anaphors(text, [(0, 16), (17, len(text))], mentions, "en", {"chinese": "CN"})
    assert [m.name for m in links.values()] == ["Dahua"]


def test_an_anaphor_stays_within_its_paragraph():
    text = "Dahua met Intel.\nThe company said it would buy chips."
    mentions = [Mention(0, 5, "Dahua", "Company", name="Dahua"), Mention(10, 15, "Intel", "Company", name="Intel")]
    assert resolve_anaphors(text, [(0, 16), (17, len(text))], mentions, "en", {}) == {}


def test_the_table_names_the_parse_path_of_each_relation(gazetteer):
    table = extractions_to_table([read("Intel sells chips to Huawei.", gazetteer, "en")])
    line = next(line for line in table.splitlines() if "suppliesTo" in line)
    assert "parse:en sell" in line and "to>customer" in line and "Intel sells chips to Huawei." in line


def test_kg_extract_rejected_lists_what_was_set_aside(tmp_path):
    article = tmp_path / "wire.txt"
    article.write_text("Huawei buys chips from Qualcomm, Reuters reported.\n", encoding="utf-8")
    plain = CliRunner().invoke(main, ["extract", str(article), "--lang", "en", "--table"])
    assert plain.exit_code == 0, plain.output
    assert plain.output.splitlines()[0].split() == ["id", "kind", "subject", "object", "conf", "via", "quote"]
    assert "dropped" not in plain.output
    rejected = CliRunner().invoke(main, ["extract", str(article), "--lang", "en", "--table", "--rejected"])
    assert rejected.exit_code == 0, rejected.output
    assert any("dropped" in line and "Reuters" in line for line in rejected.output.splitlines())


def test_the_extractor_says_which_parser_ran(gazetteer):
    assert "+parse:en_core_web_" in read("Intel sells chips to Huawei.", gazetteer, "en").extractor
    assert "+parse:fr_core_news_" in read("Intel vend des puces à Huawei.", gazetteer, "fr").extractor


def test_a_broken_lexicon_entry_names_its_file_and_line(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("kinds:\n  supply: {class: SupplyRelationship}\nen:\n  verbs:\n"
                    "    - {kind: supply, lemmas: [sell], subject: supplier}\n"
                    "    - {kind: lease, lemmas: [lease], subject: supplier}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lexicon.yaml.*line 6.*unknown kind 'lease'"):
        load_lexicon("en", path)


@pytest.mark.parametrize("text, lang", [
    ("Huawei partnered with Qualcomm on modems.", "en"),
    ("Huawei coopère avec Qualcomm sur les modems.", "fr"),
])
def test_a_partnership_links_the_subject_and_the_partner(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    partners = [sorted(m.name for m in f.values["partner"]) for f in extraction.facts if f.cls == "Partnership"]
    assert partners == [["Huawei", "Qualcomm"]]


# -- acts named by a noun, suppliers spelled out, makers for a party (issue 23, second round)


def partnerships(extraction) -> list[list[str]]:
    return sorted(sorted(m.name for m in f.values["partner"]) for f in extraction.facts
                  if f.cls == "Partnership" and not (f.negated or f.modality))


@pytest.mark.parametrize("text, lang", [
    ("Huawei formed a joint venture with Qualcomm.", "en"),
    ("Huawei and Qualcomm formed a joint venture.", "en"),
    ("Huawei signed a partnership agreement with Qualcomm in May.", "en"),
    ("Huawei a créé une coentreprise avec Qualcomm.", "fr"),
    ("Huawei et Qualcomm ont créé une coentreprise.", "fr"),
])
def test_a_joint_venture_or_a_partnership_formed_links_the_partners(gazetteer, text, lang):
    assert partnerships(read(text, gazetteer, lang)) == [["Huawei", "Qualcomm"]]


@pytest.mark.parametrize("text, lang", [
    ("Intel resumed sales to Huawei in June.", "en"),
    ("Intel's shipments to Huawei rose in June.", "en"),
    ("Intel a repris ses ventes à Huawei.", "fr"),
])
def test_sales_to_a_customer_are_a_supply_tie_of_their_seller(gazetteer, text, lang):
    assert ties(read(text, gazetteer, lang)) == {("Intel", "suppliesTo", "Huawei")}


@pytest.mark.parametrize("text, lang", [
    ("Intel halted sales to Huawei in June.", "en"),
    ("Intel stopped supplying Huawei in May.", "en"),
    ("Intel a cessé de fournir Huawei.", "fr"),
])
def test_a_supply_stopped_is_kept_as_denied(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert ties(extraction) == set()
    assert ties(extraction, plain=False) == {("Intel", "suppliesTo", "Huawei")}


def test_the_sale_of_a_company_is_no_supply_tie(gazetteer):
    # a firm sold to another changes hands: nothing here says Kestrel supplies Dahua
    extraction = read("Kestrel Holdings agreed the sale of Norvale Optics to Dahua.", gazetteer, "en")
    assert not [f for f in extraction.facts if f.cls == "SupplyRelationship"]


@pytest.mark.parametrize("text", [
    "Qualcomm is one of Huawei's suppliers.",
    "Qualcomm, a Huawei supplier, raised its forecast.",
])
def test_a_supplier_named_by_its_customer(gazetteer, text):
    assert ties(read(text, gazetteer, "en")) == {("Qualcomm", "suppliesTo", "Huawei")}


def test_the_suppliers_a_customer_includes_are_each_a_tie(gazetteer):
    extraction = read("Huawei's suppliers include Qualcomm and Intel.", gazetteer, "en")
    assert ties(extraction) == {("Qualcomm", "suppliesTo", "Huawei"), ("Intel", "suppliesTo", "Huawei")}


def test_what_a_firm_makes_for_a_party_it_supplies_to_it(gazetteer):
    extraction = read("Norvale Optics makes lenses for Dahua and Huawei.", gazetteer, "en")
    assert ties(extraction) == {("Norvale Optics", "suppliesTo", "Dahua"), ("Norvale Optics", "suppliesTo", "Huawei")}
    # what a firm makes for a market names no customer
    assert ties(read("Huawei makes phones for Chinese consumers.", gazetteer, "en")) == set()


def offices(extraction) -> set[tuple[str, str]]:
    return {(h, o) for h, rel, o in ties(extraction) if rel == "holdsPositionIn"}


@pytest.mark.parametrize("text", [
    "Huawei chief executive Ren Zhengfei said the company would survive.",
    "Huawei founder Ren Zhengfei said the company would survive.",
    "Huawei CEO Ren Zhengfei said the company would survive.",
    "Ren Zhengfei, the chief executive of Huawei, said the company would survive.",
])
def test_an_office_named_with_its_company_before_or_after_the_title(gazetteer, text):
    assert offices(read(text, gazetteer, "en")) == {("Ren Zhengfei", "Huawei")}


@pytest.mark.parametrize("text", [
    "L'an dernier, Dahua a interdit à ses filiales de fournir Huawei.",
    "L'an dernier, Dahua a interdit aux entreprises américaines d'utiliser la technologie Huawei ou de fournir "
    "la technologie à l'entreprise chinoise.",
])
def test_who_forbids_a_supply_is_never_its_supplier(gazetteer, text):
    # the one forbidden would supply; the one who forbids supplies nothing, not even as a denied tie
    assert not any(a == "Dahua" for a, rel, _b in ties(read(text, gazetteer, "fr"), plain=False) if rel == "suppliesTo")


@pytest.mark.parametrize("text, expected", [
    ("The government sanctioned Norvale Optics, whose biggest shareholder is Kestrel Holdings, on Thursday.",
     {("Kestrel Holdings", "owns", "Norvale Optics")}),
    ("Norvale Optics, whose parent is Kestrel Holdings, sells lenses to Dahua.",
     {("Kestrel Holdings", "owns", "Norvale Optics"), ("Norvale Optics", "suppliesTo", "Dahua")}),
    ("Dahua's biggest customer is Huawei.", {("Dahua", "suppliesTo", "Huawei")}),
])
def test_a_relation_noun_equated_with_a_name_whose_possessor_is_the_other_end(gazetteer, text, expected):
    assert ties(read(text, gazetteer, "en")) == expected


# -- French ownership and supply, and what is not a tie (issue 23, fifth round)


@pytest.mark.parametrize("text, expected", [
    ("Norvale Optics, dont l'actionnaire majoritaire est Kestrel Holdings, fournit Dahua.",
     {("Kestrel Holdings", "owns", "Norvale Optics"), ("Norvale Optics", "suppliesTo", "Dahua")}),
    ("Dahua, dont le principal actionnaire est Kestrel Holdings, vend des caméras.",
     {("Kestrel Holdings", "owns", "Dahua")}),
])
def test_dont_l_actionnaire_est_names_the_owner_of_the_name_before_it(gazetteer, text, expected):
    # the verb after the relative clause is said of the name before it, not of the shareholder
    assert ties(read(text, gazetteer, "fr")) == expected


@pytest.mark.parametrize("text", [
    "Huawei est client de Norvale Optics.",
    "Huawei est l’un des principaux clients de Norvale Optics.",
    "Norvale Optics livre ses lentilles à Huawei depuis 2018.",
    "Norvale Optics est un fournisseur de Huawei.",
])
def test_a_french_supply_named_by_its_customer_or_its_delivery(gazetteer, text):
    assert ties(read(text, gazetteer, "fr")) == {("Norvale Optics", "suppliesTo", "Huawei")}


@pytest.mark.parametrize("text, lang", [
    ("Norvale Optics, which is 50-percent owned by a family trust, said Kestrel Holdings would buy lenses.", "en"),
    ("Norvale Optics est la filiale française d'un groupe familial, que Kestrel Holdings a placé sous tutelle.",
     "fr"),
])
def test_an_owner_is_named_where_the_clause_names_it_not_after_it_ends(gazetteer, text, lang):
    # the owner the clause names is no name; the company named after the clause owns nothing
    assert not any(rel == "owns" for _a, rel, _b in ties(read(text, gazetteer, lang), plain=False))


def test_such_supply_firms_as_names_no_customer(gazetteer):
    text = "The Commerce Department blacklisted Huawei, as well as such supply firms as Norvale Optics and Kestrel Holdings."
    assert not any(rel == "suppliesTo" for _a, rel, _b in ties(read(text, gazetteer, "en"), plain=False))


def partners(extraction) -> set[frozenset]:
    return {frozenset(v.name or v.text for v in f.values.get("partner", [])) for f in extraction.facts
            if f.cls == "Partnership" and not (f.negated or f.modality)}


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings signed a partnership with Norvale Optics.", "en"),
    ("Kestrel Holdings makes lenses in partnership with Norvale Optics.", "en"),
    ("Kestrel Holdings s’associe à Norvale Optics pour produire des lentilles.", "fr"),
    ("Kestrel Holdings développe des lentilles en partenariat avec Norvale Optics.", "fr"),
])
def test_a_partnership_in_both_languages(gazetteer, text, lang):
    assert partners(read(text, gazetteer, lang)) == {frozenset({"Kestrel Holdings", "Norvale Optics"})}


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings a vendu des lentilles à Huawei en 2021. Le PDG Mara Ellison a minimisé l'impact.", "fr"),
])
def test_a_companys_title_without_its_company_is_in_the_company_the_paragraph_is_about(gazetteer, text, lang):
    # the paragraph is about Kestrel Holdings; Huawei, the customer its sentence names, is not meant
    assert offices(read(text, gazetteer, lang)) == {("Mara Ellison", "Kestrel Holdings")}


def test_a_companys_title_points_at_no_company_of_another_paragraph(gazetteer):
    text = "Kestrel Holdings a vendu des lentilles à Huawei.\n\nLe PDG Mara Ellison a minimisé l'impact."
    assert offices(read(text, gazetteer, "fr")) == set()


@pytest.mark.parametrize("text, lang", [
    ("Kestrel Holdings et ses filiales Norvale Optics et Dahua vendent des lentilles.", "fr"),
    ("Kestrel Holdings and its units Norvale Optics and Dahua sell lenses.", "en"),
])
def test_a_plural_subsidiary_noun_names_each_name_listed_after_it(gazetteer, text, lang):
    owned = {b for a, rel, b in ties(read(text, gazetteer, lang)) if rel == "owns" and a == "Kestrel Holdings"}
    assert owned == {"Norvale Optics", "Dahua"}


def test_a_singular_subsidiary_noun_names_the_one_name_after_it(gazetteer):
    text = "Kestrel Holdings et sa filiale Norvale Optics et Dahua ont signé."
    assert {(a, b) for a, rel, b in ties(read(text, gazetteer, "fr")) if rel == "owns"} == \
        {("Kestrel Holdings", "Norvale Optics")}
