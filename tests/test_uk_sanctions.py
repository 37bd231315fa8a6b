"""The UK Sanctions List reader: the primary name, aliases and non-Latin names, countries, a
listing per regime and day; ships skipped. The file is written by the test (names made up)."""

from __future__ import annotations

import pytest

from graph.errors import InputError
from graph.sources import reader_for
from graph.sources.uk_sanctions import UKSanctionsReader

XML = """<?xml version="1.0" encoding="utf-8"?>
<Designations>
  <DateGenerated>2026-11-30T09:00:00</DateGenerated>
  <Designation>
    <UniqueID>TST0001</UniqueID><RegimeName>Test Regime</RegimeName>
    <IndividualEntityShip>Individual</IndividualEntityShip><DateDesignated>2022-02-24T00:00:00</DateDesignated>
    <Names>
      <Name><Name1>Olga</Name1><Name6>TESTOVA</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name1>Olha</Name1><Name6>TESTOVA</Name6><NameType>Primary Name Variation</NameType></Name>
    </Names>
    <NonLatinNames><NonLatinName><NameNonLatinScript>Ольга Тестова</NameNonLatinScript></NonLatinName></NonLatinNames>
    <Addresses><Address><AddressLine1>1 Test Lane</AddressLine1><AddressCountry>Russia</AddressCountry></Address></Addresses>
  </Designation>
  <Designation>
    <UniqueID>TST0002</UniqueID><RegimeName>Test Regime</RegimeName>
    <IndividualEntityShip>Ship</IndividualEntityShip>
    <Names><Name><Name6>TEST VESSEL</Name6><NameType>Primary Name</NameType></Name></Names>
  </Designation>
</Designations>
"""


def test_designations_become_people_with_every_name_and_a_dated_listing(tmp_path):
    path = tmp_path / "uk.xml"
    path.write_text(XML, encoding="utf-8")
    assert reader_for(path).name == "uk-sanctions"
    [batch] = UKSanctionsReader().read(path, tmp_path)
    assert batch.counts == {"read": 2, "kept": 1, "skipped": 1}
    assert batch.source.issued.isoformat() == "2026-11-30"
    [person] = [s for s in batch.statements if s.cls == "Person"]
    assert (person.labels[0].text, person.aliases) == ("Olga TESTOVA", ["Olha TESTOVA", "Ольга Тестова"])
    assert [r.key for r in person.values["country"]] == ["country/ru"]
    [measure] = [s for s in batch.statements if s.cls == "Measure"]
    assert str(measure.values["startDate"][0]) == "2022-02-24" and measure.values["program"] == ["Test Regime"]


def test_a_cut_short_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "uk.xml"
    path.write_text(XML[: XML.index("</Designation>")], encoding="utf-8")
    with pytest.raises(InputError, match=r"uk.xml, line \d+: not a UK Sanctions List XML file"):
        UKSanctionsReader().read(path, tmp_path)


def test_day_first_dates_as_the_fcdo_writes_them(tmp_path):
    """The live file writes 02/09/2026 for 2 September (its DateGenerated and DateDesignated):
    read month first, the day would be 9 February, and 29/06/2012 no date at all."""
    path = tmp_path / "uk.xml"
    text = (XML.replace("2026-11-30T09:00:00", "02/09/2026").replace("2022-02-24T00:00:00", "29/06/2012"))
    path.write_text(text, encoding="utf-8")
    [batch] = UKSanctionsReader().read(path, tmp_path)
    assert batch.source.issued.isoformat() == "2026-09-02"
    [measure] = [s for s in batch.statements if s.cls == "Measure"]
    assert str(measure.values["startDate"][0]) == "2012-06-29"
    assert not [w for w in batch.warnings if "DateDesignated" in w]
