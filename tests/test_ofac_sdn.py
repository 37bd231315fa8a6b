"""The OFAC SDN XML reader: names, aliases, identifiers, addresses, programmes, the file's date.

The files are written by the tests in the publisher's schema (``sdnList`` of ``sdnEntry``, as
OFAC's SDN.XML); their names are made up for the tests and sit on no list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.sources import reader_for
from graph.sources.ofac_sdn import OFACSDNReader

XML = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>11/30/2026</Publish_Date><Record_Count>3</Record_Count></publshInformation>
  <sdnEntry>
    <uid>101</uid><lastName>NORTHWIND TEST INDUSTRIES</lastName><sdnType>Entity</sdnType>
    <programList><program>TESTPROG1</program><program>TESTPROG2</program></programList>
    <idList><id><uid>1</uid><idType>Registration Number</idType><idNumber>T-0001</idNumber><idCountry>China</idCountry></id></idList>
    <akaList>
      <aka><uid>2</uid><type>a.k.a.</type><category>strong</category><lastName>NORTHWIND TEST</lastName></aka>
      <aka><uid>3</uid><type>f.k.a.</type><category>weak</category><lastName>NWT</lastName></aka>
    </akaList>
    <addressList><address><uid>4</uid><address1>1 Test Street</address1><city>Shenzhen</city><country>China</country></address></addressList>
    <remarks>Written for a test.</remarks>
  </sdnEntry>
  <sdnEntry>
    <uid>102</uid><firstName>Jane</firstName><lastName>TESTPERSON</lastName><sdnType>Individual</sdnType>
    <programList><program>TESTPROG1</program></programList>
    <dateOfBirthList><dateOfBirthItem><uid>5</uid><dateOfBirth>01 Jan 1970</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>
  </sdnEntry>
  <sdnEntry>
    <uid>103</uid><lastName>TEST VESSEL</lastName><sdnType>Vessel</sdnType>
    <programList><program>TESTPROG1</program></programList>
  </sdnEntry>
</sdnList>
"""


@pytest.fixture
def sdn(tmp_path) -> Path:
    path = tmp_path / "sdn.xml"
    path.write_text(XML, encoding="utf-8")
    return path


def test_entries_become_entities_with_names_aliases_identifiers_addresses(sdn):
    assert reader_for(sdn).name == "ofac-sdn"
    [batch] = OFACSDNReader().read(sdn, sdn.parent)
    assert batch.counts == {"read": 3, "kept": 2, "skipped": 1}
    assert any("vessel 'TEST VESSEL'" in w for w in batch.warnings)
    entities = {s.key: s for s in batch.statements if s.cls in ("Organization", "Person")}
    firm, person = entities["entity/101"], entities["entity/102"]
    assert firm.labels[0].text == "NORTHWIND TEST INDUSTRIES" and firm.aliases == ["NORTHWIND TEST", "NWT"]
    assert firm.values["identifier"] == ["Registration Number T-0001"]
    assert firm.values["address"] == ["1 Test Street, Shenzhen, China"]
    assert [r.key for r in firm.values["country"]] == ["country/cn"]
    assert person.cls == "Person" and person.labels[0].text == "Jane TESTPERSON"
    assert "TESTPERSON, Jane" in person.aliases


def test_each_programme_is_a_listing_on_the_sdn_list_dated_by_the_file(sdn):
    [batch] = OFACSDNReader().read(sdn, sdn.parent)
    measures = [s for s in batch.statements if s.cls == "Measure"]  # one statement per entry listed
    assert {m.values["program"][0] for m in measures} == {"TESTPROG1; TESTPROG2", "TESTPROG1"}
    assert {r.key: m.values["program"][0] for m in measures for r in m.values["targets"]} == {
        "entity/101": "TESTPROG1; TESTPROG2", "entity/102": "TESTPROG1"}
    assert {m.values["onList"][0].key for m in measures} == {"list/specially-designated-nationals"}
    assert batch.source.issued.isoformat() == "2026-11-30"


def test_a_fetched_version_is_a_source_with_its_record(tmp_path):
    lists = tmp_path / "lists"
    (lists / "versions" / "ofac_sdn").mkdir(parents=True)
    (lists / "sources.yaml").write_text("lists: []\n")
    path = lists / "versions" / "ofac_sdn" / "2026-12-07-0123456789ab.sdn.xml"
    path.write_text(XML, encoding="utf-8")
    record = {"retrieved": "2026-12-07T10:00:00Z", "url": "https://example.invalid/SDN.XML", "published": "2026-11-30",
              "entries": 3, "publisher": "Office of Foreign Assets Control", "title": "OFAC SDN list",
              "licence": "public domain"}
    (path.parent / (path.name + ".record.json")).write_text(json.dumps(record))
    [batch] = OFACSDNReader().read(path, tmp_path)
    source = batch.source
    assert (source.url, source.issued.isoformat(), source.publisher) == (
        "https://example.invalid/SDN.XML", "2026-11-30", "Office of Foreign Assets Control")
    assert "Retrieved 2026-12-07T10:00:00Z" in source.note and source.sha256
    assert source.title.endswith("version retrieved 2026-12-07")


def test_a_cut_short_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "sdn.xml"
    path.write_text(XML[: XML.index("<sdnEntry>", XML.index("<sdnEntry>") + 1) + 40], encoding="utf-8")
    with pytest.raises(InputError, match=r"sdn.xml, line \d+: not an OFAC SDN XML file"):
        OFACSDNReader().read(path, tmp_path)


def test_a_fetched_sdn_version_builds_into_a_valid_graph_with_its_source(tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDFS, XSD

    from graph import build, open_graph

    lists = tmp_path / "data" / "lists"
    (lists / "versions" / "ofac_sdn").mkdir(parents=True)
    (lists / "sources.yaml").write_text("lists: []\n")
    path = lists / "versions" / "ofac_sdn" / "2026-12-07-0123456789ab.sdn.xml"
    path.write_text(XML, encoding="utf-8")
    (path.parent / (path.name + ".record.json")).write_text(json.dumps(
        {"retrieved": "2026-12-07T10:00:00Z", "url": "https://example.invalid/SDN.XML", "published": "2026-11-30",
         "entries": 3, "publisher": "Office of Foreign Assets Control"}))
    result = build([tmp_path / "data"], tmp_path / "out", check=True, extract=False)
    graph = open_graph(tmp_path / "out" / "graph.trig")
    source = URIRef("https://w3id.org/exposure-kg/id/source/lists-versions-ofac-sdn-2026-12-07-0123456789ab-sdn")
    assert (source, DCTERMS.issued, Literal("2026-11-30", datatype=XSD.date)) in graph
    assert {str(o) for o in graph.objects(source, DCTERMS.publisher)} == {"Office of Foreign Assets Control"}
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert {"NORTHWIND TEST INDUSTRIES", "Jane TESTPERSON"} <= labels
    assert result.batches[0].counts == {"read": 3, "kept": 2, "skipped": 1}


@pytest.mark.parametrize("cut, line", [("</sdnList>", 24), ("<uid>103</uid>", 21)])
def test_a_file_cut_anywhere_is_refused_at_its_own_line(tmp_path, cut, line):
    path = tmp_path / "sdn.xml"
    path.write_text(XML[: XML.index(cut)], encoding="utf-8")
    with pytest.raises(InputError, match=rf"sdn.xml, line {line}: not an OFAC SDN XML file"):
        OFACSDNReader().read(path, tmp_path)
