"""The FCC Covered List: equipment and services deemed a risk to US national security.

Columns: ``covered_equipment_or_services, date_of_inclusion_on_covered_list``. Rows describe
equipment "produced by" or services "provided by" a named company; the reader takes the
company's name from that phrase (a row naming none, such as foreign-made drones in general,
is skipped with a warning). Dates are written "March 12, 2021".

Examples
--------
>>> _BY.search("Video surveillance equipment produced by Dahua Technology Company, to the extent").group("name")
'Dahua Technology Company'
"""


from __future__ import annotations

import re

from graph.sources._lists import ListInfo, TableListReader

__all__ = ["FCCCoveredListReader"]

COVERED_LIST = ListInfo(
    key="fcc-covered-list", name="FCC Covered List", measure_cls="Measure",
    imposer="Federal Communications Commission", aliases=("Covered List",),
    url="https://www.fcc.gov/supplychain/coveredlist",
)
_BY = re.compile(
    r"(?:produced|provided|supplied)(?:, directly or indirectly,)?(?: or provided)? by "
    r"(?P<name>[A-Z0-9][^,;()]*?)(?:,| and its | or any | subject | to the | including |\.|$)")


class FCCCoveredListReader(TableListReader):
    """Reads the FCC Covered List table."""

    name = "fcc"
    columns = ["covered_equipment_or_services", "date_of_inclusion_on_covered_list"]
    claim_columns = 2
    kind = "FCC Covered List CSV"
    title = "FCC Covered List (OpenSanctions)"
    publisher = "OpenSanctions (from the Federal Communications Commission)"
    url = "https://www.fcc.gov/supplychain/coveredlist"
    listing = COVERED_LIST
    no_name = "names no company (the entry covers a kind of equipment)"
    start_column, date_formats = "date_of_inclusion_on_covered_list", ("%B %d, %Y",)
    legal_basis = "Secure and Trusted Communications Networks Act of 2019"

    def entity_name(self, row: dict[str, str]) -> str | None:
        match = _BY.search(row["covered_equipment_or_services"])
        return match["name"].strip() if match else None

    def listing_note(self, row: dict[str, str]) -> str | None:
        return f"Covered: {row['covered_equipment_or_services']}"
