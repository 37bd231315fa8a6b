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


# The reader walks each entry in C and takes the entries from the tree as the parser completes
# them (for speed: benchmarks/lists.py). It must say exactly what the plain reading says: every
# element's end from ``iterparse``, each entry's fields gathered into a dict, then turned into
# statements. The plain reading is kept here as the reference.

EDGES = """<?xml version="1.0" standalone="yes"?>
<sdnList>
  <publshInformation><Publish_Date>12/01/2026</Publish_Date><Record_Count>6</Record_Count></publshInformation>
  <sdnEntry>
    <uid>201</uid><firstName> Ann </firstName><lastName>EXAMPLEPERSON</lastName><sdnType>Individual</sdnType>
    <programList><program>TESTPROG3</program><program></program></programList>
    <akaList>
      <aka><uid>1</uid><type>a.k.a.</type><category>weak</category><firstName>Anne</firstName><lastName>EXAMPLE</lastName></aka>
      <aka><uid>2</uid><type>a.k.a.</type><category>strong</category><lastName>EXAMPLEPERSON, Ann</lastName></aka>
      <aka><uid>3</uid><type>a.k.a.</type><category>strong</category><firstName>Ann</firstName><lastName>EXAMPLEPERSON</lastName></aka>
    </akaList>
    <addressList><address><uid>4</uid><city>Testville</city><country>Atlantis</country></address></addressList>
    <nationalityList><nationality><uid>5</uid><country>Iran</country><mainEntry>true</mainEntry></nationality></nationalityList>
    <dateOfBirthList><dateOfBirthItem><uid>6</uid><dateOfBirth>1970</dateOfBirth></dateOfBirthItem></dateOfBirthList>
  </sdnEntry>
  <sdnEntry>
    <uid>202</uid><lastName>EXAMPLE &amp; SONS TRADING</lastName><sdnType>Entity</sdnType>
    <programList><program>TESTPROG2</program><program>TESTPROG1</program></programList>
    <idList>
      <id><uid>7</uid><idType>Registration Number</idType><idNumber>R-1</idNumber></id>
      <id><uid>8</uid><idType>Registration Number</idType><idNumber>R-1</idNumber></id>
      <id><uid>9</uid><idType>Website</idType></id>
    </idList>
    <addressList>
      <address><uid>10</uid><address1>1 Test Road</address1><address2>Unit 2</address2><stateOrProvince>Test</stateOrProvince><postalCode>0001</postalCode><country>Korea, North</country></address>
      <address><uid>11</uid><address1>1 Test Road</address1><address2>Unit 2</address2><stateOrProvince>Test</stateOrProvince><postalCode>0001</postalCode><country>Korea, North</country></address>
      <address><uid>12</uid><city>Moscow</city><country>Russia</country></address>
    </addressList>
    <remarks>Written for a test; the ampersand is escaped.</remarks>
  </sdnEntry>
  <sdnEntry><uid>203</uid><sdnType>Entity</sdnType><programList><program>TESTPROG1</program></programList></sdnEntry>
  <sdnEntry><uid>204</uid><lastName>TEST AIRCRAFT</lastName><sdnType>Aircraft</sdnType>
    <vesselInfo><callSign>TEST</callSign></vesselInfo></sdnEntry>
  <sdnEntry><lastName>NO UID TEST FIRM</lastName><sdnType>Entity</sdnType></sdnEntry>
  <sdnEntry><uid>206</uid><lastName><![CDATA[CDATA TEST <LTD>]]></lastName><sdnType>Entity</sdnType>
    <programList><program>TESTPROG1</program></programList></sdnEntry>
</sdnList>
"""


def _reference_read(path: Path) -> tuple[list, dict, list]:
    """The statements, counts and warnings of the plain reading of an SDN.XML (see above)."""
    from xml.etree import ElementTree as ET

    from graph.model.statements import Label, Statement
    from graph.sources._lists import ListStatements, Table, country_of, source_info
    from graph.sources.ofac_sdn import SDN

    def local(tag):
        return tag.rpartition("}")[2]

    def fields(element):
        out = {}
        for child in element:
            tag = local(child.tag)
            if tag.endswith("List"):
                out[tag] = [{local(g.tag): (g.text or "").strip() for g in item} if len(item)
                            else (item.text or "").strip() for item in child]
            else:
                out[tag] = (child.text or "").strip()
        return out

    def name_of(item):
        return " ".join(p for p in (item.get("firstName"), item.get("lastName")) if p).strip()

    table = Table(path=path, file=path.name, header=["sdnEntry"])
    out = ListStatements(source_info(path, path.parent, title="reference", publisher="reference", url=None))
    number = 0
    for _, element in ET.iterparse(path, events=("end",)):
        if not element.tag.endswith("sdnEntry"):
            continue
        number += 1
        table.read += 1
        entry = fields(element)
        element.clear()
        uid, kind, name = entry.get("uid") or str(number), (entry.get("sdnType") or "").lower(), name_of(entry)
        if not name:
            table.skip(number, f"sdnEntry {uid}: no name")
            continue
        if kind in ("vessel", "aircraft"):
            table.skip(number, f"{kind} {name!r}: vessels and aircraft are not modelled")
            continue
        cls = "Person" if kind == "individual" else "Organization"
        aliases = []
        for aka in entry.get("akaList", []):
            alias = name_of(aka)
            if alias and alias != name and alias not in aliases:
                aliases.append(alias)
        if cls == "Person" and entry.get("firstName") and entry.get("lastName"):
            inverted = f"{entry['lastName']}, {entry['firstName']}"
            if inverted not in aliases:
                aliases.append(inverted)
        statement = Statement(key=f"entity/{uid}", cls=cls, labels=[Label(name)], aliases=aliases,
                              origin=out.origin(number))
        identifiers = []
        for item in entry.get("idList", []):
            if item.get("idType") and item.get("idNumber"):
                text = f"{item['idType']} {item['idNumber']}"
                if text not in identifiers:
                    identifiers.append(text)
        if identifiers:
            statement.values["identifier"] = identifiers
        addresses, codes = [], set()
        for item in entry.get("addressList", []):
            parts = [item.get(k) for k in ("address1", "address2", "address3", "city", "stateOrProvince",
                                           "postalCode", "country")]
            text = ", ".join(p for p in parts if p)
            if text and text not in addresses:
                addresses.append(text)
            code = country_of(item.get("country") or "")
            if item.get("country") and code is None:
                table.warn(number, f"unknown country {item['country']!r} left out")
            if code:
                codes.add(code)
        if addresses and cls != "Person":
            statement.values["address"] = addresses
        if codes:
            statement.values["country"] = [out.country(code) for code in sorted(codes)]
        target = out.add(statement)
        programs = "; ".join(p for p in entry.get("programList", []) if p)
        out.measure(SDN, f"programmes {programs}" if programs else "no programme named", number, target,
                    program=programs or None, note=entry.get("remarks") or None)
    return out.statements, table.counts(), table.warnings


def _generated_sdn(entries: int) -> str:
    """An SDN.XML in the publisher's schema, made by the benchmark (seeded, made-up names)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_lists", Path(__file__).resolve().parent.parent / "benchmarks" / "lists.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sdn_xml(entries)


@pytest.mark.parametrize("text", [XML, EDGES, "generated"], ids=["test-file", "edge-cases", "generated-1500"])
def test_the_reader_says_exactly_what_the_plain_reading_says(tmp_path, text):
    path = tmp_path / "sdn.xml"
    path.write_text(_generated_sdn(1500) if text == "generated" else text, encoding="utf-8")
    [batch] = OFACSDNReader().read(path, tmp_path)
    statements, counts, warnings = _reference_read(path)
    assert batch.counts == counts and batch.counts["kept"] > 0
    assert batch.warnings == warnings
    assert [repr(s) for s in batch.statements] == [repr(s) for s in statements]


def test_the_edge_cases_read_as_a_user_expects(tmp_path):
    path = tmp_path / "sdn.xml"
    path.write_text(EDGES, encoding="utf-8")
    [batch] = OFACSDNReader().read(path, tmp_path)
    assert batch.counts == {"read": 6, "kept": 4, "skipped": 2}
    entities = {s.key: s for s in batch.statements if s.cls in ("Organization", "Person")}
    assert set(entities) == {"entity/201", "entity/202", "entity/5", "entity/206"}
    person, firm = entities["entity/201"], entities["entity/202"]
    assert person.labels[0].text == "Ann EXAMPLEPERSON" and person.aliases == ["Anne EXAMPLE", "EXAMPLEPERSON, Ann"]
    assert firm.labels[0].text == "EXAMPLE & SONS TRADING"
    assert firm.values["identifier"] == ["Registration Number R-1"]
    assert firm.values["address"] == ["1 Test Road, Unit 2, Test, 0001, Korea, North", "Moscow, Russia"]
    assert [r.key for r in firm.values["country"]] == ["country/kp", "country/ru"]
    assert entities["entity/206"].labels[0].text == "CDATA TEST <LTD>"
    assert any("unknown country 'Atlantis'" in w for w in batch.warnings)
