"""The DoD Section 1260H list of "Chinese military companies" (OpenSanctions' CSV of it).

Columns: ``Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, End date,
Source Url``. Each row is an identification by the Department of Defense on the row's start
date (one measure per date); a ``Parent Name`` becomes a ``kg:Ownership`` from the parent to
the company. The list says "parent" without a share or whether it is ownership or control,
so no ``kg:share`` is written and the note and confidence say so.
"""

from __future__ import annotations

from pathlib import Path

from ..statements import Label, Statement
from ._base import Batch, Reader, sniff_header
from ._lists import ListInfo, ListStatements, parse_date, read_list_table, source_info, split_list

__all__ = ["DoD1260HReader"]

COLUMNS = ["Name", "Clean Name", "Alias", "Previous Name", "Parent Name", "Note", "Start date", "End date",
           "Source Url"]

LIST_1260H = ListInfo(
    key="1260h-list", name="Section 1260H list of Chinese military companies", measure_cls="Measure",
    imposer="United States Department of Defense", imposer_parent="United States government",
    aliases=("1260H list", "Chinese military companies list"),
    url="https://www.defense.gov/News/Releases/",
)
_PARENT_NOTE = ("The 1260H list names this parent; it gives no share and does not say whether the link is "
                "ownership or control, so the share is unknown.")


class DoD1260HReader(Reader):
    """Reads the Section 1260H list CSV."""

    name = "dod-1260h"
    priority = 20

    def claims(self, path: Path) -> bool:
        return path.suffix == ".csv" and sniff_header(path, ",")[:5] == COLUMNS[:5]

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = read_list_table(path, root, kind="Section 1260H CSV", delimiter=",", required=COLUMNS[:5],
                                known=COLUMNS)
        source = source_info(path, root, title="DoD Section 1260H Chinese military companies (OpenSanctions)",
                             publisher="OpenSanctions (from US Department of Defense publications)",
                             url="https://www.opensanctions.org/datasets/us_dod_chinese_milcorps/",
                             note="Data by OpenSanctions, licensed CC BY-NC 4.0; attribution kept.")
        out = ListStatements(source)
        for number, row in table.rows:
            name = row.get("Clean Name") or row.get("Name", "")
            if not name:
                table.skip(number, "empty 'Name' and 'Clean Name'")
                continue
            raw = row.get("Name", "").rstrip("*").strip()
            # "Clean Name (Alias)" repeats the two other cells; keep the raw name only if it says more
            if raw.startswith(name) and raw[len(name):].strip().startswith("("):
                raw = ""
            aliases = [a for a in [raw, *split_list(row.get("Alias", "")),
                                   *split_list(row.get("Previous Name", ""))] if a and a != name]
            aliases = [a.rstrip("*").strip() for a in aliases]
            url = row.get("Source Url") or None
            statement = Statement(key=f"entity/row-{number}", cls="Company", labels=[Label(name)],
                                  aliases=sorted(set(aliases) - {name}, key=aliases.index),
                                  origin=out.origin(number), evidence=[out.evidence(number, url=url)])
            target = out.add(statement)
            start, problem = parse_date(row["Start date"]) if row.get("Start date") else (None, None)
            if problem:
                table.warn(number, f"Start date {row['Start date']!r}: {problem}")
            end, problem = parse_date(row["End date"]) if row.get("End date") else (None, None)
            if problem:
                table.warn(number, f"End date {row['End date']!r}: {problem}")
            group = f"identified {start}" + (f" until {end}" if end else "") if start else f"row {number}"
            out.measure(LIST_1260H, group, number, target, start=start, end=end,
                        legal_basis="Section 1260H of the NDAA for Fiscal Year 2021", url=url,
                        note=row.get("Note") or None)
            parent = row.get("Parent Name", "")
            if parent:
                out.ownership(number, parent, target, relation="parent named by the 1260H list",
                              note=_PARENT_NOTE, url=url)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)]
