"""The UN Security Council Consolidated List reader: names in every script, aliases, documents,
countries, and a listing per regime and day. The file is written by the test in the publisher's
schema (``CONSOLIDATED_LIST``); its names are made up and sit on no list."""

from __future__ import annotations

import pytest

from graph.errors import InputError
from graph.sources import reader_for
from graph.sources.un_sc import UNSCReader

XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" dateGenerated="2026-11-30T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>900001</DATAID><VERSIONNUM>1</VERSIONNUM>
      <FIRST_NAME>SAMPLE</FIRST_NAME><SECOND_NAME>TESTNAME</SECOND_NAME>
      <UN_LIST_TYPE>TESTREGIME</UN_LIST_TYPE><REFERENCE_NUMBER>TEi.001</REFERENCE_NUMBER>
      <LISTED_ON>2019-05-16</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>مثال اختبار</NAME_ORIGINAL_SCRIPT>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>S. TESTNAME</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>The Sample</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Testville</CITY><COUNTRY>Iraq</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>T0000001</NUMBER></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>900002</DATAID><FIRST_NAME>SAMPLE TEST FRONT</FIRST_NAME>
      <UN_LIST_TYPE>TESTREGIME</UN_LIST_TYPE><REFERENCE_NUMBER>TEe.001</REFERENCE_NUMBER>
      <LISTED_ON>2019-05-16</LISTED_ON>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>STF</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><COUNTRY>Atlantis</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_entries_become_people_and_organisations_with_every_name(tmp_path):
    path = tmp_path / "consolidated.xml"
    path.write_text(XML, encoding="utf-8")
    assert reader_for(path).name == "un-sc"
    [batch] = UNSCReader().read(path, tmp_path)
    assert batch.counts == {"read": 2, "kept": 2, "skipped": 0}
    assert batch.source.issued.isoformat() == "2026-11-30"
    people = {s.key: s for s in batch.statements if s.cls in ("Person", "Organization")}
    person, front = people["entity/900001"], people["entity/900002"]
    assert person.cls == "Person" and person.labels[0].text == "SAMPLE TESTNAME"
    assert person.aliases == ["مثال اختبار", "S. TESTNAME", "The Sample"]
    assert person.values["identifier"] == ["Passport T0000001"]
    assert [r.key for r in person.values["country"]] == ["country/iq"]
    assert front.aliases == ["STF"] and "country" not in front.values
    assert any("unknown country 'Atlantis'" in w for w in batch.warnings)


def test_a_listing_per_regime_and_day_dated_from_listed_on(tmp_path):
    path = tmp_path / "consolidated.xml"
    path.write_text(XML, encoding="utf-8")
    [batch] = UNSCReader().read(path, tmp_path)
    measures = [s for s in batch.statements if s.cls == "Measure"]
    assert len({m.key for m in measures}) == 1
    assert {str(m.values["startDate"][0]) for m in measures} == {"2019-05-16"}
    assert sorted(r.key for m in measures for r in m.values["targets"]) == ["entity/900001", "entity/900002"]


def test_a_cut_short_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "consolidated.xml"
    path.write_text(XML[: XML.index("</INDIVIDUAL>")], encoding="utf-8")
    with pytest.raises(InputError, match=r"consolidated.xml, line \d+: not a UN Security Council"):
        UNSCReader().read(path, tmp_path)


def test_a_real_extract_of_the_publishers_file_is_read(tmp_path):
    """Two individuals and an entity cut from the UN's own file (tests/data/un_sc/README.md)."""
    import shutil
    from pathlib import Path

    extract = Path(__file__).parent / "data" / "un_sc" / "watchman_UN_consolidated_extract.xml"
    path = tmp_path / extract.name
    shutil.copy(extract, path)
    assert reader_for(path).name == "un-sc"
    [batch] = UNSCReader().read(path, tmp_path)
    assert batch.counts == {"read": 3, "kept": 3, "skipped": 0}
    assert batch.source.issued.isoformat() == "2026-02-27"
    names = {s.labels[0].text: s for s in batch.statements if s.cls in ("Person", "Organization")}
    assert {"ERIC BADEGE", "ADF"} <= set(names)
    assert names["ERIC BADEGE"].cls == "Person" and names["ADF"].cls == "Organization"
    aliases = names.get("FRANK KAKOLELE BWAMBALE")
    assert aliases is not None and "AIGLE BLANC" in aliases.aliases
    starts = {str(m.values["startDate"][0]) for m in batch.statements if m.cls == "Measure"}
    assert {"2012-12-31", "2005-11-01", "2014-06-30"} <= starts
