"""The official lists in the built graph: Entity List rule, 1260H, FCC, Section 889, MIEU, CSL."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from graph import run_query
from graph.model.ontology import KG, KGR
from graph.sources import reader_for
from graph.store.sparql import get_query

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "data" / "lists"
OCTOBER_2019 = KGR["measure/entity-list-2019-10"]


def _labels(graph, node) -> set[str]:
    return {str(o) for o in graph.objects(node, RDFS.label)} | {str(o) for o in graph.objects(node, SKOS.altLabel)}


@pytest.fixture(scope="module")
def listing(seed_graph):
    result = run_query(seed_graph, get_query("listing-targets"), {})
    return result.records()


def test_october_2019_listing_targets_all_eight_companies_and_the_xinjiang_bureau(listing):
    names = {row["targetName"] for row in listing if row["measure"] == str(OCTOBER_2019)}
    for company in ("Dahua", "Hikvision", "iFlytek", "Megvii Technology", "SenseTime", "Yitu Technologies",
                    "Xiamen Meiya Pico Information Co. Ltd.", "Yixin Science and Technology Co. Ltd.",
                    "Xinjiang Uighur Autonomous Region People's Government Public Security Bureau"):
        assert company in names, f"{company!r} missing from {sorted(names)}"
    # one measure: the article's listing and the official rule are merged
    assert {row["measure"] for row in listing} == {str(OCTOBER_2019)}
    assert len(listing) == 29  # 28 official targets + the article's "about twenty public bodies"


def test_october_2019_listing_keeps_the_official_record(listing, seed_graph):
    row = listing[0]
    assert (row["announcedOn"], row["startDate"], row["legalBasis"]) == ("2019-10-07", "2019-10-09", "84 FR 54002")
    assert "Bureau of Industry and Security" in row["imposedBy"]
    assert "United States Department of Commerce" in row["imposedBy"]
    assert any("all items subject to the EAR" in str(o) for o in seed_graph.objects(OCTOBER_2019, KG.licenseRequirement))
    assert any("presumption of denial" in str(o) for o in seed_graph.objects(OCTOBER_2019, KG.licensePolicy))
    rows = {int(r) for ev in seed_graph.objects(OCTOBER_2019, KG.evidence) for r in seed_graph.objects(ev, KG.row)
            if str(seed_graph.value(ev, KG.file)) == "lists/entity_list_2019_10.tsv"}
    assert rows == set(range(2, 30))  # the header is row 1


def test_unnamed_rows_are_real_entities_with_a_descriptive_label_and_a_note(seed_graph, listing):
    unnamed = [row for row in listing if row["targetName"].startswith("Name not captured:")]
    assert len(unnamed) == 19
    assert len({row["target"] for row in unnamed}) == 19  # never merged with each other
    node = URIRef(unnamed[0]["target"])
    note = str(seed_graph.value(node, KG.note))
    assert "did not capture" in note and "not its name" in note
    psb = next(URIRef(r["target"]) for r in listing if r["targetName"].startswith("Xinjiang Uighur"))
    bureaus = [URIRef(r["target"]) for r in unnamed if "public security bureau" in r["targetName"]]
    assert len(bureaus) == 18
    assert all((b, KG.subOrganizationOf, psb) in seed_graph for b in bureaus)


def test_each_list_is_a_restricted_party_list(seed_graph):
    lists = set(seed_graph.subjects(RDF.type, KG.RestrictedPartyList))
    names = {str(label) for node in lists for label in seed_graph.objects(node, RDFS.label)}
    for name in ("Entity List", "Section 1260H list of Chinese military companies", "FCC Covered List",
                 "Section 889 named companies", "Military-Intelligence End User List",
                 "Non-SDN Chinese Military-Industrial Complex Companies List", "Denied Persons List"):
        assert name in names
    assert KGR["list/entity-list"] in lists  # the article's "liste noire" and the official list are one


def test_1260h_parent_becomes_ownership_with_unknown_share(seed_graph):
    hikvision, cetc = KGR["org/hikvision"], KGR["org/china-electronics-technology-group-corporation"]
    ownerships = [o for o in seed_graph.subjects(KG.ownedEntity, hikvision) if (o, KG.owner, cetc) in seed_graph]
    assert ownerships, "no kg:Ownership from CETC to Hikvision"
    assert (cetc, KG.owns, hikvision) in seed_graph
    for own in ownerships:
        assert (own, RDF.type, KG.Ownership) in seed_graph
        assert seed_graph.value(own, KG.share) is None  # the list gives no share: none is invented
        assert "share is unknown" in str(seed_graph.value(own, KG.note))
    evidence = [e for own in ownerships for e in seed_graph.objects(own, KG.evidence)]
    files = {(str(seed_graph.value(e, KG.file)), int(seed_graph.value(e, KG.row))) for e in evidence}
    # the two 1260H rows (2021 and 2025 listings) that name CETC as Hikvision's parent
    assert files == {("lists/opensanctions_us_dod_chinese_milcorps_sanctions.csv", 25),
                     ("lists/opensanctions_us_dod_chinese_milcorps_sanctions.csv", 165)}
    assert all(float(seed_graph.value(e, KG.confidence)) < 1 for e in evidence)


def test_hikvision_is_targeted_by_each_list(seed_graph):
    measures = set(seed_graph.subjects(KG.targets, KGR["org/hikvision"]))
    lists = {str(label) for m in measures for listed_on in seed_graph.objects(m, KG.onList)
             for label in seed_graph.objects(listed_on, RDFS.label)}
    assert {"Entity List", "FCC Covered List", "Section 889 named companies",
            "Section 1260H list of Chinese military companies",
            "Non-SDN Chinese Military-Industrial Complex Companies List"} <= lists
    fcc = [m for m in measures if any(str(label) == "FCC Covered List" for listed_on in seed_graph.objects(m, KG.onList)
                                      for label in seed_graph.objects(listed_on, RDFS.label))]
    assert {str(d) for m in fcc for d in seed_graph.objects(m, KG.startDate)} == {"2021-03-12"}


def test_csl_row_keeps_aliases_addresses_country_and_identifiers(seed_graph):
    hikvision = KGR["org/hikvision"]
    assert {"Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision"} <= _labels(seed_graph, hikvision)
    assert any("Qianmo Road" in str(a) for a in seed_graph.objects(hikvision, KG.address))
    assert KGR["country/cn"] in set(seed_graph.objects(hikvision, KG.country))
    assert (KGR["country/cn"], RDFS.label, Literal("China", lang="en")) in seed_graph
    telecom = next(seed_graph.subjects(RDFS.label, Literal("China Telecom Corporation Limited")))
    assert Literal("USCC 9111000071093019X7") in set(seed_graph.objects(telecom, KG.identifier))


def test_csl_json_form_reads_like_the_csv(tmp_path):
    import csv
    import json

    source = LISTS / "watchman_cslustest_consolidated_sample.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:  # the JSON form gives list fields as lists
        row["alt_names"] = [a.strip() for a in row["alt_names"].split(";") if a.strip()]
        row["addresses"] = [a.strip() for a in row["addresses"].split(";") if a.strip()]
    path = tmp_path / "csl_sample.json"
    path.write_text(json.dumps({"total": len(rows), "results": rows}), encoding="utf-8")
    shutil_copy = tmp_path / source.name
    shutil_copy.write_bytes(source.read_bytes())
    [from_json] = reader_for(path).read(path, tmp_path)
    [from_csv] = reader_for(shutil_copy).read(shutil_copy, tmp_path)

    def shape(batch):
        return [(s.key, s.cls, [label.text for label in s.labels], s.aliases, sorted(s.values)) for s in batch.statements]

    assert shape(from_json) == shape(from_csv)
    assert from_json.counts == from_csv.counts == {"read": 13, "kept": 13, "skipped": 0}


def test_opensanctions_sources_keep_their_attribution(seed_graph):
    from graph.builder.rdf import source_iri

    node = source_iri("lists-opensanctions-us-dod-chinese-milcorps-sanctions")
    assert "CC BY-NC 4.0" in str(seed_graph.value(node, KG.note))
    assert "OpenSanctions" in str(seed_graph.value(node, URIRef("http://purl.org/dc/terms/publisher")))


def test_kg_exposure_walks_the_1260h_parent_edge(seed_out):
    import json

    from click.testing import CliRunner

    from graph.cli import main

    result = CliRunner().invoke(main, ["exposure", "--graph", str(seed_out / "graph.trig"), "--country", "any",
                                       "--relation", "ownership", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["rows"]
    [record] = [r for r in records if r["listed"]["label"] == "Hikvision"
                and r["exposed"]["label"] == "China Electronics Technology Group Corporation"]
    assert record["hops"] == 1
    edges = [edge for step in record["path"] for edge in step["edges"]]
    assert {e["kind"] for e in edges} == {"ownership"} and {e["direction"] for e in edges} == {"reverse"}
    assert all(e["share"] is None for e in edges)
    rows = {(s["file"], s["row"]) for e in edges for s in e["sources"]}
    assert ("lists/opensanctions_us_dod_chinese_milcorps_sanctions.csv", 25) in rows


def test_q3_measures_targeting_hikvision_include_the_official_lists(seed_graph):
    rows = run_query(seed_graph, get_query("measures-targeting"), {"company": "hikvision"}).records()
    classes = {r["measureClass"] for r in rows}
    assert {"ProcurementBan", "ExportControlListing"} <= classes
    assert ("ProcurementBan", "2019-08-13") in {(r["measureClass"], r["date"]) for r in rows}  # the article's ban


def test_a_list_entry_is_named_by_its_list_and_date_never_by_its_row(seed_graph):
    hikvision = URIRef(KGR + "org/hikvision")
    names = {str(label) for measure in seed_graph.subjects(KG.targets, hikvision)
             for label in seed_graph.objects(measure, RDFS.label)}
    assert "Non-SDN Chinese Military-Industrial Complex Companies List: on the list as of 2023-11-30" in names
    every = [str(o) for s in seed_graph.subjects(RDF.type, KG.Measure) for o in seed_graph.objects(s, RDFS.label)]
    assert every and not [n for n in every if ": row " in n]
    dated = next(n for n in every if n.startswith("Denied Persons List: listed 2015-03-26"))
    assert dated == "Denied Persons List: listed 2015-03-26 until 2024-09-10 (80 F.R. 17724 4/2/15)"
