"""The FCC Covered List: equipment and services deemed a risk to US national security.

Columns: ``covered_equipment_or_services, date_of_inclusion_on_covered_list``. Rows describe
equipment "produced by" or services "provided by" a named company; the reader takes the
company's name from that phrase (a row naming none, such as foreign-made drones in general,
is skipped with a warning). Dates are written "March 12, 2021".
"""

from __future__ import annotations

import re
from pathlib import Path

from ..statements import Label, Statement
from ._base import Batch, Reader, sniff_header
from ._lists import ListInfo, ListStatements, parse_date, read_list_table, source_info

__all__ = ["FCCCoveredListReader"]

COLUMNS = ["covered_equipment_or_services", "date_of_inclusion_on_covered_list"]
COVERED_LIST = ListInfo(
    key="fcc-covered-list", name="FCC Covered List", measure_cls="Measure",
    imposer="Federal Communications Commission", aliases=("Covered List",),
    url="https://www.fcc.gov/supplychain/coveredlist",
)
_BY = re.compile(
    r"(?:produced|provided|supplied)(?:, directly or indirectly,)?(?: or provided)? by "
    r"(?P<name>[A-Z0-9][^,;()]*?)(?:,| and its | or any | subject | to the | including |\.|$)")


class FCCCoveredListReader(Reader):
    """Reads the FCC Covered List table."""

    name = "fcc"
    priority = 20

    def claims(self, path: Path) -> bool:
        return path.suffix == ".csv" and sniff_header(path, ",")[:2] == COLUMNS

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = read_list_table(path, root, kind="FCC Covered List CSV", delimiter=",", required=COLUMNS,
                                known=COLUMNS)
        source = source_info(path, root, title="FCC Covered List (OpenSanctions)",
                             publisher="OpenSanctions (from the Federal Communications Commission)",
                             url="https://www.fcc.gov/supplychain/coveredlist",
                             note="Data by OpenSanctions, licensed CC BY-NC 4.0; attribution kept.")
        out = ListStatements(source)
        for number, row in table.rows:
            text = row["covered_equipment_or_services"]
            match = _BY.search(text)
            if match is None:
                table.skip(number, "names no company (the entry covers a kind of equipment)")
                continue
            name = match["name"].strip()
            target = out.add(Statement(key=f"entity/row-{number}", cls="Company", labels=[Label(name)],
                                       origin=out.origin(number), evidence=[out.evidence(number)]))
            start, problem = parse_date(row["date_of_inclusion_on_covered_list"], formats=("%B %d, %Y",))
            if problem:
                table.warn(number, f"date {row['date_of_inclusion_on_covered_list']!r}: {problem}")
            out.measure(COVERED_LIST, f"added {start}" if start else f"row {number}", number, target, start=start,
                        legal_basis="Secure and Trusted Communications Networks Act of 2019",
                        note=f"Covered: {text}", extra_evidence=None)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)]
