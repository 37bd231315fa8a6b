"""The supplier table: sourced relationships in the default build, and what exposure makes of them."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.errors import InputError
from graph.network import exposure, project
from graph.model.ontology import KGR
from graph.sources import reader_for
from graph.sources.suppliers import CONFIDENCE, SuppliersReader

HIKVISION = str(KGR["org/hikvision"])
HEADER = "supplier\tcustomer\trelation\tyear\tsource\tbasis\tstrength\n"


@pytest.fixture(scope="module")
def network(seed_graph) -> nx.MultiDiGraph:
    return project(seed_graph)


def _by_exposed(records):
    return {r["exposed"]["label"]: r for r in records}


def test_the_build_claims_the_table(data_dir):
    assert reader_for(data_dir / "relationships" / "suppliers.tsv").name == "suppliers"


def test_hikvision_us_suppliers_per_reuters_with_url_file_row(network):
    hikvision = [r for r in exposure(network, relations="supply") if r["listed"]["iri"] == HIKVISION]
    found = _by_exposed(hikvision)
    assert {"Intel", "Nvidia", "Ambarella", "Western Digital", "Seagate Technology"} <= set(found)
    intel = [s for e in found["Intel"]["path"][0]["edges"] for s in e["sources"]]
    reuters = next(s for s in intel if s["row"] == 4)  # the spreadsheet's row: the header is row 1
    assert reuters["url"].startswith("https://o.canada.com/pmn/business-pmn/chinas-hikvision")
    assert reuters["file"] == "relationships/suppliers.tsv"
    assert reuters["confidence"] == CONFIDENCE["reported"]
    weak = next(s for s in intel if s["row"] == 30)  # market commentary
    assert weak["confidence"] == CONFIDENCE["weak"]
    (edge,) = found["Intel"]["path"][0]["edges"]
    assert (edge["kind"], edge["direction"], edge["confidence"]) == ("supply", "reverse", 0.7)
    assert found["Ambarella"]["confidence"] == CONFIDENCE["strong"]  # its own annual report


def test_us_firms_named_by_the_sources(network):
    by_listed = {}
    for record in exposure(network):
        by_listed.setdefault(record["listed"]["label"], set()).add(record["exposed"]["label"])
    assert {"Qualcomm", "Nvidia", "Massachusetts Institute of Technology"} <= by_listed["SenseTime"]
    assert {"Intel", "Qualcomm", "Xilinx", "Broadcom"} <= by_listed["Huawei"]
    assert {"Intel", "Nvidia"} <= by_listed["Megvii Technology"]
    assert "MIT Computer Science and Artificial Intelligence Laboratory" in by_listed["iFlytek"]


def test_names_meet_the_curated_entities(network):
    # "Yitu Technology" (table) is "Yitu Technologies" (article): the investor edge reaches the listed firm
    sequoia = next(n for n, d in network.nodes(data=True) if d["label"] == "Sequoia Capital")
    (investment,) = network.get_edge_data(sequoia, str(KGR["org/yitu"])).values()
    assert investment["kind"] == "ownership" and investment["share"] is None
    assert network.nodes[sequoia]["country"] is None  # no source makes it American
    # "Hikvision Research Institute" is Hikvision, an alias in the curated facts
    nvidia = str(KGR["org/nvidia"])
    rows = {s["row"] for d in network.get_edge_data(nvidia, HIKVISION).values() for s in d["sources"]}
    assert 16 in rows
    # the note in parentheses is not part of the name, and HiSilicon is not American
    hisilicon = [d for _n, d in network.nodes(data=True) if d["label"] == "HiSilicon"]
    assert len(hisilicon) == 1 and hisilicon[0]["country"] != "US"
    mit = next(d for _n, d in network.nodes(data=True) if d["label"] == "Massachusetts Institute of Technology")
    assert mit["classes"] == ["Agent", "Organization"] and mit["country"] == "US"


def test_one_pair_has_one_relationship_per_kind_of_tie(network):
    qualcomm, sensetime = str(KGR["org/qualcomm"]), str(KGR["org/sensetime"])
    # rows of the tables and the article (0); the extractor's sentences are left aside here
    ties = {(d["kind"], d["relationship"].rsplit("/", 1)[-1]):
            sorted(s["row"] or 0 for s in d["sources"] if s["method"] != "extracted")
            for d in network.get_edge_data(qualcomm, sensetime).values()}
    # the article and the table's row 18 state the same partnership: one relationship, both sources
    assert ties == {("partner", "sensetime-qualcomm"): [0, 18], ("ownership", "qualcomm-investor-in-sensetime"): [19, 20]}


def test_two_hop_paths_through_a_shared_supplier(network):
    records = [r for r in exposure(network, hops=2, country="any", relations="supply")
               if r["listed"]["label"] == "Hikvision" and r["exposed"]["label"] == "Huawei"]
    (record,) = records
    assert record["hops"] == 2
    middle = record["path"][0]["to_label"]
    assert middle in {"Intel", "Nvidia", "Qualcomm"}
    assert [e["direction"] for s in record["path"] for e in s["edges"]][:1] == ["reverse"]


def _read(tmp_path: Path, rows: str):
    path = tmp_path / "suppliers.tsv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return SuppliersReader().read(path, tmp_path)


@pytest.mark.parametrize("row, message", [
    ("Acme\tHikvision\tfriend_of\t2019\thttps://e.org/a\tnews\treported\n", "row 2: unknown relation 'friend_of'"),
    ("Acme\tHikvision\tsupplier_of\t2019\thttps://e.org/a\tnews\tsure\n", "row 2: unknown strength 'sure'"),
    ("Acme\tHikvision\tsupplier_of\t2019\tReuters\tnews\treported\n", "row 2: source 'Reuters' is not a URL"),
    ("\tHikvision\tsupplier_of\t2019\thttps://e.org/a\tnews\treported\n", "row 2: empty 'supplier' name"),
    ("Acme Inc\tACME\tpartner_of\t2019\thttps://e.org/a\tnews\treported\n", "are the same entity"),
])
def test_bad_rows_name_file_row_and_value(tmp_path, row, message):
    with pytest.raises(InputError, match=message) as info:
        _read(tmp_path, row)
    assert "suppliers.tsv" in str(info.value)


def test_rows_stating_the_same_tie_share_one_relationship(tmp_path):
    (batch,) = _read(tmp_path, "Acme (ACM)\tHikvision\tsupplier_of\t2019\thttps://e.org/a (Reuters)\tnews\treported\n"
                               "Acme\tHikvision\tsupplier_of\t2018\thttps://e.org/b\tfiling\tstrong\n"
                               "Acme\tHikvision\tinvestor_in\t2018\thttps://e.org/c\tfiling\tstrong\n")
    relationships = {s.cls: s for s in batch.statements if s.cls != "Organization"}
    assert sorted(relationships) == ["Ownership", "SupplyRelationship"]
    supply = relationships["SupplyRelationship"]
    assert [(e.row, e.url, e.confidence) for e in supply.evidence] == [(2, "https://e.org/a", 0.7),
                                                                        (3, "https://e.org/b", 0.9)]
    assert supply.evidence[0].note == "news; reported for 2019; Reuters"
    assert relationships["Ownership"].values["relation"] == ["investor_in"]
    acme = next(s for s in batch.statements if s.key == "acme")
    assert acme.aliases == ["ACM"]


def test_as_of_keeps_only_listings_in_force(network):
    def listed(day):
        return {r["listed"]["label"] for r in exposure(network, as_of=day)}

    # the procurement ban (2019-08-13) names Hikvision and Huawei; the Xinjiang Entity List
    # addition (announced 2019-10-07, in force from 2019-10-09 per the official record) the rest.
    # A list whose file states no date (Section 889's) counts from the version it copies
    # (2026-08-18, data/lists/copies.tsv), not on every day: nothing is listed before the ban
    assert exposure(network, as_of="2019-08-12") == []
    assert {"Hikvision", "Huawei"} <= listed("2019-08-13")
    assert listed("2019-10-06") - listed("2019-08-12") == {"Hikvision", "Huawei"} - listed("2019-08-12")
    assert {"Dahua", "Hikvision", "Huawei", "iFlytek", "Megvii Technology", "SenseTime"} <= listed("2019-10-09")


def test_a_basis_spanning_lines_is_one_row_and_the_next_row_keeps_its_number(tmp_path):
    # a basis typed with a line break in a spreadsheet, saved as tab-separated text: one quoted cell
    (batch,) = _read(tmp_path, 'Acme\tHikvision\tsupplier_of\t2019\thttps://e.org/a\t"filing,\nsecond page"\tstrong\n'
                               "Globex\tHikvision\tsupplier_of\t2019\thttps://e.org/b\tnews\treported\n")
    evidence = sorted((e.row, e.url, e.note) for s in batch.statements if s.cls == "SupplyRelationship"
                      for e in s.evidence)
    assert evidence == [(2, "https://e.org/a", "filing,\nsecond page; reported for 2019"),
                        (3, "https://e.org/b", "news; reported for 2019")]
