"""The DoD Section 1260H list of "Chinese military companies" (OpenSanctions' CSV of it).

Columns: ``Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, End date,
Source Url``. Each row is an identification by the Department of Defense on the row's start
date (one measure per date); a ``Parent Name`` becomes a ``kg:Ownership`` from the parent to
the company. The list says "parent" without a share or whether it is ownership or control,
so no ``kg:share`` is written and the note and confidence say so.

Examples
--------
>>> from pathlib import Path
>>> path = Path("data/lists/opensanctions_us_dod_chinese_milcorps_sanctions.csv")
>>> [batch] = DoD1260HReader().read(path, Path("data"))
>>> [s.values.get("share") for s in batch.statements if s.cls == "Ownership"][:2]
[None, None]
"""

from __future__ import annotations

from datetime import date

from graph.model.statements import Ref
from graph.sources._lists import ListInfo, ListStatements, TableListReader, split_list

__all__ = ["DoD1260HReader"]

LIST_1260H = ListInfo(
    key="1260h-list", name="Section 1260H list of Chinese military companies", measure_cls="Measure",
    imposer="United States Department of Defense", imposer_parent="United States government",
    aliases=("1260H list", "Chinese military companies list"),
    url="https://www.defense.gov/News/Releases/",
)
_PARENT_NOTE = ("The 1260H list names this parent; it gives no share and does not say whether the link is "
                "ownership or control, so the share is unknown.")


class DoD1260HReader(TableListReader):
    """Reads the Section 1260H list CSV."""

    name = "dod-1260h"
    columns = ["Name", "Clean Name", "Alias", "Previous Name", "Parent Name", "Note", "Start date", "End date",
               "Source Url"]
    claim_columns = 5
    kind = "Section 1260H CSV"
    title = "DoD Section 1260H Chinese military companies (OpenSanctions)"
    publisher = "OpenSanctions (from US Department of Defense publications)"
    url = "https://www.opensanctions.org/datasets/us_dod_chinese_milcorps/"
    listing = LIST_1260H
    no_name = "empty 'Name' and 'Clean Name'"
    url_column, start_column, end_column, note_column = "Source Url", "Start date", "End date", "Note"
    legal_basis = "Section 1260H of the NDAA for Fiscal Year 2021"

    def entity_name(self, row: dict[str, str]) -> str | None:
        return row.get("Clean Name") or row.get("Name", "")

    def aliases(self, row: dict[str, str], name: str) -> list[str]:
        raw = row.get("Name", "").rstrip("*").strip()
        # "Clean Name (Alias)" repeats the two other cells; keep the raw name only if it says more
        if raw.startswith(name) and raw[len(name):].strip().startswith("("):
            raw = ""
        aliases = [a for a in [raw, *split_list(row.get("Alias", "")),
                               *split_list(row.get("Previous Name", ""))] if a and a != name]
        aliases = [a.rstrip("*").strip() for a in aliases]
        return sorted(set(aliases) - {name}, key=aliases.index)

    def group(self, row: dict[str, str], number: int, start: date | None, end: date | None) -> str:
        # one identification per date (and end date)
        return f"identified {start}" + (f" until {end}" if end else "") if start else f"row {number}"

    def more(self, out: ListStatements, number: int, row: dict[str, str], target: Ref, url: str | None) -> None:
        parent = row.get("Parent Name", "")
        if parent:
            out.ownership(number, parent, target, relation="parent named by the 1260H list", note=_PARENT_NOTE,
                          url=url)
