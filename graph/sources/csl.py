"""The trade.gov Consolidated Screening List (CSL), as its CSV export or its JSON form.

The CSL merges eleven US government lists (Commerce, State, Treasury). Each row names its
list in ``source`` ("Entity List (EL) - Bureau of Industry and Security"); the reader makes
one ``kg:RestrictedPartyList`` per list, imposed by the agency the row names, and one measure
per Federal Register notice and start date (or per row when the row has neither).

The entity of a row carries no evidence node of its own (thousands of rows): the row's
measure has it, with file and row, and the entity's names sit in the source's named graph.

The JSON form has the same fields, with ``results`` holding the rows; list-valued fields
(``alt_names``, ``addresses``, ``ids``) may be lists of strings or of objects.

Examples
--------
>>> from pathlib import Path
>>> [batch] = CSLReader().read(Path("data/lists/watchman_cslustest_consolidated_sample.csv"), Path("data"))
>>> batch.counts
{'read': 13, 'kept': 13, 'skipped': 0}
>>> _identifiers("Unified Social Credit Code (USCC), 9111000071093019X7, CN; Target Type, Public Company")
['USCC 9111000071093019X7']
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graph.errors import InputError
from graph.model.statements import Label, Statement
from graph.sources._base import Batch, Reader, relative_name, sniff_header
from graph.sources._lists import (
    ListInfo,
    ListStatements,
    Table,
    country_code,
    listing_name,
    parse_date,
    read_list_table,
    source_info,
    split_list,
)

__all__ = ["CSLReader"]

COLUMNS = ["_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
           "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
           "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
           "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
           "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids"]
_REQUIRED = ["source", "name", "type", "addresses", "alt_names"]
_EXPORT_CONTROLS = {"EL", "MEU", "UVL", "DPL"}
#: the parent of each agency the CSL names, for "the same imposing body" across sources
_PARENTS = {
    "Bureau of Industry and Security": "United States Department of Commerce",
    "Treasury Department": "United States government",
    "State Department": "United States government",
}
_IDENTIFIER_SCHEMES = re.compile(r"USCC|ISIN|LEI|Registration|Tax ID|D-U-N-S|SWIFT|IMO", re.IGNORECASE)
_SOURCE = re.compile(r"^(?P<name>.+?) \((?P<abbr>[^)]+)\)(?P<rest>[^-]*?) - (?P<agency>.+)$")


class CSLReader(Reader):
    """Reads Consolidated Screening List CSV exports and their JSON form."""

    name = "csl"
    priority = 30

    def claims(self, path: Path) -> bool:
        if path.suffix == ".csv":
            header = sniff_header(path, ",")
            return [h.strip('"') for h in header[:3]] == COLUMNS[:3]
        return path.suffix == ".json" and "csl" in path.name.lower()

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = _json_table(path, root) if path.suffix == ".json" else read_list_table(
            path, root, kind="Consolidated Screening List CSV", delimiter=",", required=_REQUIRED, known=COLUMNS)
        source = source_info(path, root, title=f"Consolidated Screening List ({path.name})",
                             publisher="International Trade Administration (trade.gov)",
                             url="https://www.trade.gov/consolidated-screening-list",
                             note="US government lists (public domain).")
        out = ListStatements(source)
        for number, row in table.rows:
            _read_row(table, out, number, row)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)]


def _read_row(table: Table, out: ListStatements, number: int, row: dict[str, str]) -> None:
    name = row.get("name", "")
    if not name:
        table.skip(number, "empty 'name'")
        return
    match = _SOURCE.match(row.get("source", ""))
    if match is None:
        table.skip(number, f"unknown list {row.get('source', '')!r} in 'source'")
        return
    kind = row.get("type", "").lower()
    if kind == "vessel":
        table.skip(number, f"vessel {name!r}: vessels are not modelled")
        return
    abbr = match["abbr"]
    list_name = f"{match['name']}{match['rest']}".strip()
    info = ListInfo(key=_slug(list_name), name=list_name, aliases=(abbr,),
                    measure_cls="ExportControlListing" if abbr in _EXPORT_CONTROLS else "Measure",
                    imposer=match["agency"], imposer_parent=_PARENTS.get(match["agency"]),
                    url=row.get("source_list_url") or None)
    cls = "Person" if kind == "individual" else ("Company" if abbr == "CMIC" else "Organization")
    addresses = split_list(row.get("addresses", ""))
    statement = Statement(key=f"entity/{row.get('_id') or number}", cls=cls, labels=[Label(name)],
                          aliases=[a for a in split_list(row.get("alt_names", "")) if a != name],
                          origin=out.origin(number))
    if addresses and cls != "Person":
        statement.values["address"] = addresses
    codes = sorted({code for address in addresses if (code := _address_country(address))})
    if codes:
        statement.values["country"] = [out.country(code) for code in codes]
    identifiers = _identifiers(row.get("ids", ""))
    if identifiers:
        statement.values["identifier"] = identifiers
    target = out.add(statement)
    start, problem = parse_date(row["start_date"]) if row.get("start_date") else (None, None)
    if problem:
        table.warn(number, f"start_date {row['start_date']!r}: {problem}")
    end, problem = parse_date(row["end_date"]) if row.get("end_date") else (None, None)
    if problem:
        table.warn(number, f"end_date {row['end_date']!r}: {problem}")
    notice = row.get("federal_register_notice", "")
    group = f"{notice} {start or ''} {end or ''}".strip() if notice or start else f"row {row.get('_id') or number}"
    out.measure(info, group, number, target, start=start, end=end, legal_basis=notice or None,
                title=listing_name(start, end, notice.strip() or None, out.snapshot),
                requirement=row.get("license_requirement") or None, policy=row.get("license_policy") or None,
                program=row.get("programs") or None, url=row.get("source_information_url") or None,
                note=row.get("remarks") or None)


def _address_country(address: str) -> str | None:
    tail = address.rsplit(",", 1)[-1].strip()
    return country_code(tail) if len(tail) == 2 and tail.isalpha() and tail.isupper() else None


def _identifiers(cell: str) -> list[str]:
    out = []
    for item in split_list(cell):
        parts = [p.strip() for p in item.split(",")]
        if len(parts) >= 2 and any(c.isdigit() for c in parts[1]) and _IDENTIFIER_SCHEMES.search(parts[0]):
            scheme = re.search(r"\(([A-Z]+)\)", parts[0])
            label = f"{scheme.group(1) if scheme else parts[0]} {parts[1]}"
            if label not in out:
                out.append(label)
    return out


def _slug(name: str) -> str:
    from graph.model.ontology import slugify

    return slugify(name)


def _json_table(path: Path, root: Path) -> Table:
    """Rows of the CSL JSON form, shaped like the CSV's so that one row reader serves both."""
    file = relative_name(path, root)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, "not a Consolidated Screening List JSON file: not UTF-8 text",
                         hint="export the list as UTF-8 JSON") from exc
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not a Consolidated Screening List JSON file: {exc.msg}", line=exc.lineno,
                         hint="a CSL JSON file is an object with 'results' or an array of rows") from exc
    rows = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows) or (
            rows and not {"name", "source"} <= set().union(*rows)):
        raise InputError(path, "not a Consolidated Screening List JSON file: no list of rows with 'name' and 'source'",
                         hint="a CSL JSON file is an object with 'results' or an array of rows")
    table = Table(path=path, file=file, header=COLUMNS)
    unknown = sorted({k for r in rows for k in r} - set(COLUMNS))
    if unknown:
        table.warn(None, f"unknown field(s) {unknown!r} ignored")
    for number, item in enumerate(rows, start=1):
        table.read += 1
        table.rows.append((number, {column: _flat(item.get(column)) for column in COLUMNS}))
    return table


def _flat(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value if _flat(v))
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value).strip()
