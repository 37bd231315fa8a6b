"""The BIS Military-Intelligence End User (MIEU) list (OpenSanctions' CSV of it).

Columns: ``Type, Name, Alias, Country, Topics, Program, Date, End date, Source URL``. One
export-control measure per date, imposed by the Bureau of Industry and Security.
"""

from __future__ import annotations

from pathlib import Path

from ..statements import Label, Statement
from ._base import Batch, Reader, sniff_header
from ._lists import ListInfo, ListStatements, country_code, parse_date, read_list_table, source_info, split_list

__all__ = ["BISMIEUReader"]

COLUMNS = ["Type", "Name", "Alias", "Country", "Topics", "Program", "Date", "End date", "Source URL"]
MIEU = ListInfo(
    key="mieu-list", name="Military-Intelligence End User List", measure_cls="ExportControlListing",
    imposer="Bureau of Industry and Security", imposer_parent="United States Department of Commerce",
    aliases=("MIEU list",), url="https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern",
)
_CLASSES = {"Organization": "Organization", "Company": "Company", "Person": "Person", "PublicBody": "GovernmentBody"}


class BISMIEUReader(Reader):
    """Reads the BIS MIEU list CSV."""

    name = "bis-mieu"
    priority = 20

    def claims(self, path: Path) -> bool:
        return path.suffix == ".csv" and sniff_header(path, ",")[:4] == COLUMNS[:4]

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = read_list_table(path, root, kind="BIS MIEU CSV", delimiter=",", required=COLUMNS[:4], known=COLUMNS)
        source = source_info(path, root, title="BIS Military-Intelligence End User list (OpenSanctions)",
                             publisher="OpenSanctions (from the Bureau of Industry and Security)",
                             url="https://www.opensanctions.org/datasets/us_bis_mieu/",
                             note="Data by OpenSanctions, licensed CC BY-NC 4.0; attribution kept.")
        out = ListStatements(source)
        for number, row in table.rows:
            if not row["Name"]:
                table.skip(number, "empty 'Name'")
                continue
            statement = Statement(key=f"entity/row-{number}", cls=_CLASSES.get(row["Type"], "Organization"),
                                  labels=[Label(row["Name"])], aliases=split_list(row.get("Alias", "")),
                                  origin=out.origin(number),
                                  evidence=[out.evidence(number, url=row.get("Source URL") or None)])
            code = country_code(row.get("Country", ""))
            if row.get("Country") and code is None:
                table.warn(number, f"unknown country {row['Country']!r} left out")
            if code:
                statement.values["country"] = [out.country(code)]
            target = out.add(statement)
            start, problem = parse_date(row["Date"]) if row.get("Date") else (None, None)
            if problem:
                table.warn(number, f"Date {row['Date']!r}: {problem}")
            out.measure(MIEU, f"added {start}" if start else f"row {number}", number, target, start=start,
                        program=row.get("Program") or None, url=row.get("Source URL") or None)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)]
