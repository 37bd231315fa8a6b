"""Section 889 of the NDAA for FY2019: the companies whose equipment federal agencies may not buy.

OpenSanctions' source table, in a FollowTheMoney-like layout: ``schema, name, aliases,
topics, program, authority, reason, report-date, start-date, end-date, country, notes,
source_url``. All rows are one procurement ban imposed by the United States Congress.
"""

from __future__ import annotations

from pathlib import Path

from ..statements import Label, Statement
from ._base import Batch, Reader, sniff_header
from ._lists import ListInfo, ListStatements, country_code, parse_date, read_list_table, source_info, split_list

__all__ = ["Section889Reader"]

COLUMNS = ["schema", "name", "aliases", "topics", "program", "authority", "reason", "report-date", "start-date",
           "end-date", "country", "notes", "source_url"]
SECTION_889 = ListInfo(
    key="section-889-list", name="Section 889 named companies", measure_cls="ProcurementBan",
    imposer="United States Congress", aliases=("Section 889",),
    url="https://www.congress.gov/115/plaws/publ232/PLAW-115publ232.pdf",
)
_CLASSES = {"Company": "Company", "Organization": "Organization", "PublicBody": "GovernmentBody",
            "LegalEntity": "Organization"}


class Section889Reader(Reader):
    """Reads the Section 889 named-companies table."""

    name = "section-889"
    priority = 20

    def claims(self, path: Path) -> bool:
        return path.suffix == ".csv" and sniff_header(path, ",")[:6] == COLUMNS[:6]

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = read_list_table(path, root, kind="Section 889 CSV", delimiter=",", required=COLUMNS[:6],
                                known=COLUMNS)
        source = source_info(path, root, title="NDAA FY2019 Section 889 named companies (OpenSanctions)",
                             publisher="OpenSanctions (from Public Law 115-232)", url=SECTION_889.url,
                             note="Data by OpenSanctions, licensed CC BY-NC 4.0; attribution kept.")
        out = ListStatements(source)
        for number, row in table.rows:
            if not row["name"]:
                table.skip(number, "empty 'name'")
                continue
            cls = _CLASSES.get(row["schema"])
            if cls is None:
                table.warn(number, f"unknown schema {row['schema']!r}; read as Organization")
                cls = "Organization"
            statement = Statement(key=f"entity/row-{number}", cls=cls, labels=[Label(row["name"])],
                                  aliases=split_list(row.get("aliases", "")), origin=out.origin(number),
                                  evidence=[out.evidence(number, url=row.get("source_url") or None)])
            code = country_code(row.get("country", ""))
            if code:
                statement.values["country"] = [out.country(code)]
            target = out.add(statement)
            start, problem = parse_date(row["start-date"]) if row.get("start-date") else (None, None)
            if problem:
                table.warn(number, f"start-date {row['start-date']!r}: {problem}")
            out.measure(SECTION_889, row["program"] or "Section 889", number, target, start=start,
                        legal_basis=row["program"] or None, url=row.get("source_url") or None,
                        note=row.get("notes") or None)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)]
