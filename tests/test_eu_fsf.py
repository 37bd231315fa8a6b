"""The EU financial sanctions XML reader: every name alias, identifications, countries, and a
listing per programme and designation date with its regulation. The file is written by the test
in the publisher's schema (``export`` of ``sanctionEntity``); its names are made up."""

from __future__ import annotations

import pytest

from graph.errors import InputError
from graph.sources import reader_for
from graph.sources.eu_fsf import EUFSFReader

XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-28T16:47:04.449+01:00" globalFileId="1">
  <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.9000.1" logicalId="7001" designationDate="2022-03-15">
    <regulation regulationType="regulation" programme="TESTPROG" publicationDate="2022-03-15" numberTitle="2022/0001 (OJ L 1)" logicalId="1"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias firstName="Ivan" lastName="Testov" wholeName="Ivan Testov" strong="true" logicalId="1"/>
    <nameAlias wholeName="Иван Тестов" nameLanguage="RU" strong="true" logicalId="2"/>
    <identification number="T-77" identificationTypeCode="passport" countryIso2Code="RU" logicalId="3"/>
    <address countryIso2Code="RU" city="Testgrad" logicalId="4"/>
  </sanctionEntity>
  <sanctionEntity euReferenceNumber="EU.9000.2" logicalId="7002">
    <regulation programme="TESTPROG" numberTitle="2022/0001 (OJ L 1)" logicalId="5"/>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias wholeName="Testov Trading LLC" strong="true" logicalId="6"/>
  </sanctionEntity>
</export>
"""


def test_entities_with_names_in_every_script_identifiers_and_countries(tmp_path):
    path = tmp_path / "fsf.xml"
    path.write_text(XML, encoding="utf-8")
    assert reader_for(path).name == "eu-fsf"
    [batch] = EUFSFReader().read(path, tmp_path)
    assert batch.counts == {"read": 2, "kept": 2, "skipped": 0}
    assert batch.source.issued.isoformat() == "2026-11-28"
    found = {s.key: s for s in batch.statements if s.cls in ("Person", "Organization")}
    person, firm = found["entity/7001"], found["entity/7002"]
    assert (person.cls, person.labels[0].text, person.aliases) == ("Person", "Ivan Testov", ["Иван Тестов"])
    assert person.values["identifier"] == ["passport T-77"]
    assert [r.key for r in person.values["country"]] == ["country/ru"]
    assert firm.cls == "Organization" and firm.labels[0].text == "Testov Trading LLC"


def test_listings_carry_programme_designation_date_and_regulation(tmp_path):
    path = tmp_path / "fsf.xml"
    path.write_text(XML, encoding="utf-8")
    [batch] = EUFSFReader().read(path, tmp_path)
    measures = {}
    for m in batch.statements:
        if m.cls == "Measure":
            measures.setdefault(m.key, []).append(m)
    assert len(measures) == 2, "a designation date makes its own listing"
    dated = next(ms for ms in measures.values() if "startDate" in ms[0].values)
    assert str(dated[0].values["startDate"][0]) == "2022-03-15"
    assert dated[0].values["legalBasis"] == ["2022/0001 (OJ L 1)"] and dated[0].values["program"] == ["TESTPROG"]


def test_a_cut_short_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "fsf.xml"
    path.write_text(XML[:XML.index("</sanctionEntity>")], encoding="utf-8")
    with pytest.raises(InputError, match=r"fsf.xml, line \d+: not an EU financial sanctions XML file"):
        EUFSFReader().read(path, tmp_path)
