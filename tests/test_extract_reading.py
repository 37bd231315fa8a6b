"""What issue 13 found wrong on text the extractor was not written for, on texts written here.

Each test reads a short text written for it (about real entities the project knows) with
the gazetteer of data/, and checks what an analyst would see: the class of a name, the
facts, their ends, their dates, what was dropped and why.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import build, open_graph
from graph.cli import main
from graph.errors import InputError
from graph.extract import extract_text
from graph.extract.constraints import check_facts
from graph.extract.gazetteer import Mention
from graph.outputs.extraction import extractions_to_table
from graph.extract.reject import load_rejections
from graph.extract.relations import Fact
from graph.network import exposure, project
from graph.extract.cli_support import curated_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer():
    return curated_sources(ROOT / "data").gazetteer  # read once per process, shared by the modules


def read(text, gazetteer, lang="en", issued=date(2019, 10, 10)):
    return extract_text(text, gazetteer=gazetteer, lang=lang, issued=issued, use_spacy=False)


def classes(extraction) -> dict[str, str]:
    return {m.text: m.cls for m in extraction.mentions}


def relations(extraction) -> set[tuple[str, str, str]]:
    """(subject, relation, object) by the names found, as an analyst reads the table."""
    out = set()
    for fact in extraction.facts:
        # a name the text does not spell out (a country said by "Shanghai-based") by its label
        values = {p: [(v.text if v.end > v.start else v.name) if isinstance(v, Mention) else str(v) for v in vs]
                  for p, vs in fact.values.items()}
        if fact.kind == "attribute":
            out |= {(s, p, o) for s in values.get("subject", []) for p, os in values.items() if p != "subject"
                    for o in os}
        elif fact.cls == "SupplyRelationship":
            out |= {(s, "suppliesTo", c) for s in values.get("supplier", []) for c in values.get("customer", [])}
        elif fact.cls == "Ownership":
            out |= {(o, "owns", e) for o in values.get("owner", []) for e in values.get("ownedEntity", [])}
        elif fact.cls == "Position":
            out |= {(h, "holdsPositionIn", o) for h in values.get("holder", []) for o in values.get("organization", [])}
        else:
            out |= {(fact.cls, p, o) for p, os in values.items() for o in os}
    return out


DATELINE = ("SANTA CLARA, Calif., Oct. 10 (Exposure Wire) - Intel and Nvidia, two US chipmakers, supply "
            "Hikvision, analysts said. The Shanghai-based Yitu Technologies is also on the Entity List.")


def test_a_dateline_is_a_place_and_a_date_and_months_are_never_entities(gazetteer):
    extraction = read(DATELINE, gazetteer)
    found = classes(extraction)
    assert found["SANTA CLARA"] == "Place" and found["Calif."] == "Place"
    assert not any(text.startswith("Oct") for text in found)
    assert "Company" not in {found["SANTA CLARA"], found["Calif."]}
    # the dateline's day dates the text when its publication day is unknown
    undated = extract_text("WASHINGTON, Oct. 9, 2019 - The Commerce Department added Hikvision to the Entity "
                           "List on Monday.", gazetteer=gazetteer, lang="en", use_spacy=False)
    assert ("ExportControlListing", "announcedOn", "2019-10-07") in relations(undated)


def test_places_never_supply_and_the_country_comes_from_the_modifier(gazetteer):
    extraction = read(DATELINE, gazetteer)
    facts = relations(extraction)
    assert {("Intel", "suppliesTo", "Hikvision"), ("Nvidia", "suppliesTo", "Hikvision")} <= facts
    assert not any(rel == "suppliesTo" and subject in ("SANTA CLARA", "Calif.") for subject, rel, _o in facts)
    # "two US chipmakers" says Intel and Nvidia are American
    assert {("Intel", "country", "US"), ("Nvidia", "country", "US")} <= facts
    # "Shanghai-based" says where Yitu is, and so its country, never the dateline's
    yitu = {(rel, obj) for subject, rel, obj in facts if subject == "Yitu Technologies"}
    assert ("locatedIn", "Shanghai") in yitu and ("country", "China") in yitu
    assert not any(obj in ("US", "United States") for rel, obj in yitu)


def test_a_government_department_is_a_customer_but_never_a_supplier_and_the_reason_is_shown(gazetteer):
    # a firm selling to a public body is a supply tie an analyst needs (issue 23's decision)
    extraction = read("Intel supplies the Department of Defense and Huawei.", gazetteer)
    assert relations(extraction) == {("Intel", "suppliesTo", "Huawei"), ("Intel", "suppliesTo", "Department of Defense")}
    assert extraction.dropped == []
    # what a government body sells is no supply tie of this graph: dropped, with the shape's words
    extraction = read("The Department of Defense supplies Huawei.", gazetteer)
    assert not any(rel == "suppliesTo" for _s, rel, _o in relations(extraction))
    reasons = [d.reason for d in extraction.dropped]
    assert len(reasons) == 1 and "Department of Defense" in reasons[0] and "GovernmentBody" in reasons[0]
    table = extractions_to_table([extraction])
    assert "dropped" in table and "not a government body" in table


def test_no_place_or_date_supplies_or_buys_and_no_government_body_supplies_in_any_written_text(gazetteer):
    from graph.extract.evaluate import load_gold

    for path in sorted((ROOT / "tests" / "gold").glob("*.gold.yaml")):
        gold = load_gold(path)
        extraction = extract_text(gold.text, gazetteer=gazetteer, lang=gold.lang, issued=gold.issued, use_spacy=False)
        for fact in extraction.facts:
            if fact.cls == "SupplyRelationship":
                suppliers, customers = fact.values.get("supplier", []), fact.values.get("customer", [])
                assert suppliers and all(isinstance(v, Mention) and v.cls in ("Company", "Organization")
                                         for v in suppliers), (path.name, [getattr(v, "text", v) for v in suppliers])
                assert customers and all(isinstance(v, Mention) and v.cls in ("Company", "Organization", "GovernmentBody")
                                         for v in customers), (path.name, [getattr(v, "text", v) for v in customers])


def test_the_shapes_refuse_a_place_as_supplier():
    fact = Fact("SupplyRelationship", "supplier")
    fact.add("supplier", Mention(0, 11, "Santa Clara", "Place", name="Santa Clara"))
    fact.add("customer", Mention(20, 29, "Hikvision", "Company", name="Hikvision"))
    kept, dropped = check_facts([fact])
    assert kept == [] and dropped[0].whole and dropped[0].prop == "supplier"


@pytest.mark.parametrize("text, lang, expected", [
    ("The rule went into effect on October 9th.", "en", date(2019, 10, 9)),
    ("The listing took effect on Oct. 9th, 2019.", "en", date(2019, 10, 9)),
    ("La mesure entre en vigueur le 1er août 2019.", "fr", date(2019, 8, 1)),
    ("La décision est entrée en vigueur le 9 octobre.", "fr", date(2019, 10, 9)),
], ids=["ordinal-no-year", "abbreviated-ordinal", "french-premier", "french-no-year"])
def test_start_dates_in_common_forms(gazetteer, text, lang, expected):
    opening = ("The Commerce Department added Hikvision to the Entity List. " if lang == "en" else
               "Le département américain du Commerce a placé Hikvision sur la liste noire. ")
    extraction = read(opening + text, gazetteer, lang=lang)
    assert ("ExportControlListing", "startDate", expected.isoformat()) in relations(extraction)


def test_the_bureau_acts_in_both_word_orders_with_its_acronym(gazetteer):
    for text in ("The Department of Commerce's Bureau of Industry and Security (BIS) today added Hikvision "
                 "to the Entity List.",
                 "The Bureau of Industry and Security (BIS) of the Department of Commerce today added Hikvision "
                 "to the Entity List."):
        facts = relations(read(text, gazetteer))
        assert ("ExportControlListing", "imposedBy", "Bureau of Industry and Security") in facts, text
        assert {("Bureau of Industry and Security", "subOrganizationOf", "Department of Commerce"),
                ("BIS", "subOrganizationOf", "Department of Commerce")} & facts, text
        assert ("ExportControlListing", "imposedBy", "Department of Commerce") not in facts, text


def test_a_list_joined_by_or_with_a_parenthetical_about_subsidiaries(gazetteer):
    text = ("Congress barred federal agencies from buying video surveillance equipment made by Huawei, ZTE, "
            "Hytera, Hikvision or Dahua (or by any of their subsidiaries or affiliates).")
    facts = relations(read(text, gazetteer))
    assert {("ProcurementBan", "targets", name) for name in ("Huawei", "ZTE", "Hytera", "Hikvision", "Dahua")} <= facts
    assert ("ProcurementBan", "appliesTo", "federal agencies") in facts
    assert ("ProcurementBan", "appliesTo", "Congress") not in facts


def test_whom_a_measure_is_about_a_population_targeted_in_a_region(gazetteer):
    text = ("The Commerce Department added Hikvision to the Entity List. The firm took part in a campaign that "
            "has targeted Uighurs and other Muslim minorities in the Xinjiang Uighur Autonomous Region.")
    extraction = read(text, gazetteer)
    assert classes(extraction)["Xinjiang Uighur Autonomous Region"] == "Place"
    assert {("ExportControlListing", "concerns", "Uighurs"),
            ("ExportControlListing", "concerns", "Xinjiang Uighur Autonomous Region")} <= relations(extraction)


def test_parliamentary_names_are_people(gazetteer):
    extraction = read("Mr. RUBIO. Mr. President, the Senate passed S. 178 today.\n\nMr. MENENDEZ. I thank the "
                      "Senator from Florida.", gazetteer)
    found = classes(extraction)
    assert found["RUBIO"] == "Person" and found["MENENDEZ"] == "Person"
    assert "President" not in found and found["Florida"] == "Place"
    assert ("Legislation", "imposedBy", "Senate") in relations(extraction)


def test_infobox_founders_and_investors_in_two_languages_conjunctions(gazetteer):
    text = ("SenseTime\nFondateur : Tang Xiao'ou\nSiège : Hong Kong\n"
            "Investisseurs : Qualcomm, Alibaba Group et Silver Lake and Fidelity International\n\n"
            "SenseTime est une entreprise chinoise.")
    extraction = read(text, gazetteer, lang="fr")
    found = classes(extraction)
    assert found["Tang Xiao'ou"] == "Person" and found["Silver Lake"] == "Company"
    facts = relations(extraction)
    assert ("Tang Xiao'ou", "holdsPositionIn", "SenseTime") in facts
    assert {(name, "owns", "SenseTime") for name in ("Qualcomm", "Alibaba Group", "Silver Lake",
                                                     "Fidelity International")} <= facts
    assert ("SenseTime", "locatedIn", "Hong Kong") in facts and ("SenseTime", "country", "Chine") in facts
    assert ("SenseTime", "country", "chinoise") in facts  # "une entreprise chinoise"


def test_a_region_a_city_and_a_country_by_its_long_name(gazetteer):
    text = ("Yitu Technologies, a company of the People's Republic of China, has an office in Urumqi, in the "
            "Xinjiang Uyghur Autonomous Region.")
    found = classes(read(text, gazetteer))
    assert found["People's Republic of China"] == "Country"
    assert found["Urumqi"] == "Place" and found["Xinjiang Uyghur Autonomous Region"] == "Place"


def test_kg_extract_table_prints_one_line_per_fact(tmp_path):
    article = tmp_path / "news.txt"
    article.write_text("Intel, a US chipmaker, supplies Hikvision.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--lang", "en", "--table", "--ner", "rules"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "kind", "subject", "object", "conf", "via", "quote"]
    supply = next(line for line in lines if " suppliesTo " in line)
    assert "Intel" in supply and "Hikvision" in supply and "~news/supplyrelationship-intel" in supply
    assert any(" country " in line and "United States" in line for line in lines)


AMBARELLA = "Ambarella, a US chipmaker, is a supplier to Hikvision, analysts said on Tuesday.\n"


def _build_with_article(seed_data: Path, out: Path, rejections: str = "", text: str = AMBARELLA) -> list[tuple[str, str]]:
    # without the reference table nothing in data/ says Ambarella is American: only the text does
    shutil.rmtree(seed_data / "reference")
    articles = seed_data / "articles"
    (articles / "wire.txt").write_text(text, encoding="utf-8")
    (articles / "wire.article.yaml").write_text("id: wire-2019-10-08\ntext: wire.txt\ntitle: Wire\npublisher: Tests\n"
                                                "issued: 2019-10-08\nlanguage: en\n", encoding="utf-8")
    if rejections:
        (seed_data / "resolution").mkdir(exist_ok=True)
        (seed_data / "resolution" / "decisions.yaml").write_text(rejections, encoding="utf-8")
    build([seed_data], out)
    records = exposure(project(open_graph(out / "graph.trig")))
    return [(r["listed"]["label"], r["exposed"]["label"]) for r in records]


def test_a_us_chipmaker_in_the_text_reaches_the_default_exposure_table(seed_data, tmp_path):
    assert ("Hikvision", "Ambarella") in _build_with_article(seed_data, tmp_path / "out")


def test_a_supplier_to_a_listed_public_body_is_exposed_to_it(seed_data, tmp_path):
    # the bureau is on the Entity List (data/lists/entity_list_2019_10.tsv) as a government body
    bureau = "Xinjiang Uighur Autonomous Region People's Government Public Security Bureau"
    text = f"Norvale Optics, a US lens maker, sells cameras to the {bureau}, analysts said on Tuesday.\n"
    (seed_data / "lists").mkdir()
    shutil.copy(ROOT / "data" / "lists" / "entity_list_2019_10.tsv", seed_data / "lists")
    assert (bureau, "Norvale Optics") in _build_with_article(seed_data, tmp_path / "out", text=text)


@pytest.mark.parametrize("how", ["quote: \"is a supplier to Hikvision\"\n    kind: suppliesTo",
                                 "statement: \"~wire-2019-10-08/supplyrelationship-ambarella\""],
                         ids=["by-quote", "by-statement-id"])
def test_the_decisions_file_rejects_an_extracted_fact(seed_data, tmp_path, how):
    rejections = f"decisions: []\nrejections:\n  - {how}\n    by: tests\n    why: written to be rejected\n"
    assert ("Hikvision", "Ambarella") not in _build_with_article(seed_data, tmp_path / "out", rejections)


def test_a_rejection_without_reason_names_its_line(tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text("decisions: []\nrejections:\n  - quote: supplies\n    by: me\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"decisions\.yaml, line 3: rejection lacks 'why'"):
        load_rejections(path)


def test_kg_evaluate_reports_precision_and_recall_per_kind_and_language():
    gold = ROOT / "tests" / "gold"
    result = CliRunner().invoke(main, ["evaluate", str(gold / "en-news-dateline-chipmakers-2019-10.gold.yaml"),
                                       str(gold / "fr-loi-article-889-2019-08.gold.yaml"), "--ner", "rules"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.split("per kind and language:", 1)[1].splitlines()]
    kinds = {(row[0], row[1], row[2]) for row in rows if len(row) >= 6}
    assert {("relation", "suppliesTo", "en"), ("relation", "targets", "fr"), ("relation", "targets", "all"),
            ("entity", "Place", "en"), ("entity", "Company", "fr")} <= kinds
    supply = next(row for row in rows if row[:3] == ["relation", "suppliesTo", "en"])
    assert supply[3] == "1.000" and supply[5] == "5/5/5"
