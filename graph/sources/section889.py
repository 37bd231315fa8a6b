"""Section 889 of the NDAA for FY2019: the companies whose equipment federal agencies may not buy.

OpenSanctions' source table, in a FollowTheMoney-like layout: ``schema, name, aliases,
topics, program, authority, reason, report-date, start-date, end-date, country, notes,
source_url``. All rows are one procurement ban imposed by the United States Congress.

Examples
--------
>>> from pathlib import Path
>>> path = Path("data/lists/opensanctions_us_special_leg_section_889.csv")
>>> [batch] = Section889Reader().read(path, Path("data"))
>>> sorted(s.labels[0].text for s in batch.statements if s.cls == "Company")[:2]
['Dahua Technology Company', 'Hangzhou Hikvision Digital Technology Company']
"""
from __future__ import annotations

from datetime import date

from graph.sources._lists import ListInfo, TableListReader

__all__ = ["Section889Reader"]

SECTION_889 = ListInfo(
    key="section-889-list", name="Section 889 named companies", measure_cls="ProcurementBan",
    imposer="United States Congress", aliases=("Section 889",),
    url="https://www.congress.gov/115/plaws/publ232/PLAW-115publ232.pdf",
)


class Section889Reader(TableListReader):
    """Reads the Section 889 named-companies table."""

    name = "section-889"
    columns = ["schema", "name", "aliases", "topics", "program", "authority", "reason", "report-date", "start-date",
               "end-date", "country", "notes", "source_url"]
    claim_columns = 6
    kind = "Section 889 CSV"
    title = "NDAA FY2019 Section 889 named companies (OpenSanctions)"
    publisher = "OpenSanctions (from Public Law 115-232)"
    url = SECTION_889.url
    listing = SECTION_889
    name_column, alias_columns, country_column, url_column = "name", ("aliases",), "country", "source_url"
    class_column, default_class = "schema", "Organization"
    classes = {"Company": "Company", "Organization": "Organization", "PublicBody": "GovernmentBody",
               "LegalEntity": "Organization"}
    start_column, note_column = "start-date", "notes"

    def group(self, row: dict[str, str], number: int, start: date | None, end: date | None) -> str:
        # the law names its companies once: one ban per program cell
        return row["program"] or "Section 889"

    def basis(self, row: dict[str, str]) -> str | None:
        return row["program"] or None
