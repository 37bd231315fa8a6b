"""Counterparty files as analysts have them: CSV, TSV, XLSX or JSON lines, read with what they say.

A counterparty file comes out of another system (an ERP export, a spreadsheet saved on
Windows) with its own column names, encodings and stray rows. :func:`read_counterparty_file`
reads it through :mod:`graph.io.tabular` and says what it did, so that an analyst can check it:

- the columns it read and those it ignored, found by their usual names in any case
  (``Counterparty Name``, ``Legal Name``, ``Company`` for the name; ``Our Ref``, ``Reference``,
  ``ID`` for the analyst's own reference; ``Country``, ``Jurisdiction`` ...; identifiers such
  as ``LEI``);
- the encoding (UTF-8, UTF-16, Windows-1252) and the separator;
- rows skipped (no name) and rows worth a second look: a row repeating an earlier one, a name
  mixing scripts (a Cyrillic ``о`` in a Latin name looks the same and is another letter), a
  name with invisible or direction characters, a country it does not know.

Rows keep the numbers a spreadsheet shows (the header is row 1); JSON lines their line numbers.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> p = Path(tempfile.mkdtemp()) / "parties.csv"
>>> _ = p.write_text("Counterparty Name;Our Ref;Country;Notes\\nAcme;A-1;United States;x\\n;A-2;FR;\\n",
...                  encoding="utf-8")
>>> f = read_counterparty_file(p)
>>> [(r.row, r.name, r.id, r.country) for r in f.rows]
[(2, 'Acme', 'A-1', 'United States')]
>>> print("\\n".join(f.report()))
read parties.csv: CSV (UTF-8, semicolon-separated), 2 rows: 1 screened, 1 skipped
columns read: 'Counterparty Name' as the name, 'Our Ref' as your reference, 'Country' as the country; ignored: 'Notes'
row 3: no name (the row holds 'Our Ref', 'Country'); skipped
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from graph.model.countries import country_code
from graph.errors import InputError
from graph.io.tabular import DELIMITERS, Limits, decode, read_delimited, read_xlsx

__all__ = ["Counterparty", "CounterpartyFile", "read_counterparty_file", "counterparties_from_records",
           "FIELDS", "IDENTIFIER_COLUMNS"]

#: what a column may be called (lower case, words joined by ``_``), per field, most telling first
FIELDS = {
    "name": ("name", "legal_name", "counterparty_name", "counterparty", "company_name", "company", "entity_name",
             "entity", "organisation_name", "organization_name", "organisation", "organization", "party_name",
             "party", "supplier_name", "supplier", "customer_name", "customer", "vendor_name", "vendor",
             "business_name", "registered_name", "full_name"),
    "id": ("id", "our_ref", "our_reference", "reference", "ref", "own_id", "your_id", "your_ref", "customer_id",
           "supplier_id", "vendor_id", "client_id", "account_id", "internal_id", "record_id", "ref_no",
           "reference_number"),
    "country": ("country", "country_code", "country_name", "jurisdiction", "country_of_incorporation",
                "incorporation_country", "country_of_registration", "registered_country", "domicile",
                "nationality"),
}
#: identifier columns -> the scheme written in front of their values (None: the value says it)
IDENTIFIER_COLUMNS = {"identifier": None, "identifiers": None, "lei": "LEI", "lei_code": "LEI",
                      "registration_number": None, "registration_no": None, "registration": None,
                      "company_number": None, "uscc": "USCC", "isin": "ISIN", "duns": "DUNS", "duns_number": "DUNS",
                      "tax_id": None}
_FIELD_NAMES = {"name": "the name", "id": "your reference", "country": "the country", "identifiers": "an identifier"}
_JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class Counterparty:
    """One row of an analyst's file: a name and what else identifies it.

    ``notes`` say what is worth a second look on the row (a repeated row, look-alike letters).
    """

    row: int
    name: str
    country: str | None = None
    identifiers: tuple[str, ...] = ()
    id: str | None = None
    file: str | None = None
    notes: tuple[str, ...] = ()


@dataclass
class CounterpartyFile:
    """A counterparty file as read: its rows, and what reading it found and assumed."""

    path: Path
    rows: list[Counterparty]
    kind: str
    read: int
    columns: dict[str, list[str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sha256: str | None = None

    def report(self) -> list[str]:
        """What reading the file did, one line each: its kind, the columns, skipped rows, notes."""
        lines = [f"read {self.path.name}: {self.kind}, {self.read:,} row{'s' if self.read != 1 else ''}: "
                 f"{len(self.rows):,} screened" + (f", {len(self.skipped):,} skipped" if self.skipped else "")]
        used = [f"{c!r} as {_FIELD_NAMES[f]}" for f in ("name", "id", "country", "identifiers")
                for c in self.columns.get(f, [])]
        lines.append("columns read: " + ", ".join(used)
                     + (f"; ignored: {', '.join(repr(c) for c in self.ignored)}" if self.ignored else ""))
        lines += self.skipped + self.notes
        lines += [f"row {r.row}: {note}" for r in self.rows for note in r.notes]
        return lines

    def record(self) -> dict:
        """The file's part of a screening's record: name, digest, kind, counts, columns, what reading said."""
        return {"file": self.path.name, "sha256": self.sha256, "kind": self.kind, "rows": self.read,
                "screened": len(self.rows), "skipped": len(self.skipped), "columns": self.columns,
                "ignored": self.ignored, "report": self.report()}


def read_counterparty_file(path: Path, *, limits: Limits = Limits()) -> CounterpartyFile:
    """Read a counterparty file: CSV, TSV, text, XLSX (first sheet) or JSON lines.

    Parameters
    ----------
    path : pathlib.Path
        The file; its suffix says its kind (``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.jsonl``).
    limits : graph.io.tabular.Limits
        The most bytes, rows, columns and characters per cell read (XLSX and delimited text).

    Returns
    -------
    CounterpartyFile
        The rows with a name, numbered as a spreadsheet shows them, and what was skipped.

    Raises
    ------
    InputError
        The file does not exist, is a folder, has an unknown suffix, cannot be decoded or
        parsed, is over a limit, has no name column or no row with a name; the message names
        the file, row and what to do.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder, not a counterparty file", hint="give the path of a CSV, TSV, XLSX or "
                         "JSON lines file inside it")
    if not path.is_file():
        raise InputError(path, "the counterparty file does not exist",
                         hint="give the path of a CSV, TSV, XLSX or JSON lines file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        header, records, kind, notes = _delimited(path, "\t" if suffix == ".tsv" else None, limits)
    elif suffix == ".xlsx":
        table = read_xlsx(path, limits=limits, label="counterparty workbook")
        header, records = table.header, table.rows
        kind, notes = f"XLSX (sheet {table.sheet!r})", table.notes
    elif suffix in _JSON_SUFFIXES:
        header, records, kind, notes = None, _jsonl(path, limits), "JSON lines", []
    else:
        raise InputError(path, f"unknown counterparty file type {path.suffix!r}",
                         hint="use .csv, .tsv, .txt, .xlsx or .jsonl (one JSON object per line); save an .xls "
                              "workbook as .xlsx or CSV")
    if header is not None:
        _check_header(path, header, limits)
        records = [(number, dict(zip(header, cells))) for number, cells in records]
    out = counterparties_from_records(path, records, header=header,
                                      unit="line" if suffix in _JSON_SUFFIXES else "row")
    out.kind, out.notes, out.sha256 = kind, notes + out.notes, _sha256(path)
    if not out.rows:
        raise InputError(path, "no row names a counterparty" + (f" ({len(out.skipped)} rows without a name)"
                                                                 if out.skipped else ""),
                         hint="the name column (name, company, counterparty name, legal name ...) needs text")
    return out


def counterparties_from_records(path: Path | str, records: list[tuple[int, dict]], *, header: list[str] | None = None,
                                unit: str = "row", skip_nameless: bool = True) -> CounterpartyFile:
    """Counterparties from ``(number, {column: value})`` records, columns found by :data:`FIELDS`.

    ``header`` is the file's header, when it has one: without a name column among it the file is
    refused. A record without a name is skipped and reported (or, with ``skip_nameless=False``,
    an :class:`~graph.errors.InputError`); rows repeating an earlier name and country, names
    mixing scripts or holding invisible characters, and unknown countries get a note.

    Examples
    --------
    >>> f = counterparties_from_records("request", [(1, {"Legal Name": "Acme", "ID": 7}), (2, {"name": "ACME "})])
    >>> [(r.name, r.id, r.notes) for r in f.rows]
    [('Acme', '7', ()), ('ACME', None, ('same name and country as row 1',))]
    """
    path = Path(path)
    keys: dict[str, str] = {}
    for column in header if header is not None else (c for _, record in records for c in record):
        if column not in keys:
            keys[column] = _key(column)
    columns: dict[str, list[str]] = {}
    for name, synonyms in FIELDS.items():
        found = sorted((c for c, k in keys.items() if k in synonyms), key=lambda c: synonyms.index(keys[c]))
        if found:
            columns[name] = found
    found = [c for c, k in keys.items() if k in IDENTIFIER_COLUMNS]
    if found:
        columns["identifiers"] = found
    ignored = [c for c, k in keys.items() if str(c).strip() and k not in IDENTIFIER_COLUMNS
               and not any(k in synonyms for synonyms in FIELDS.values())]
    if header is not None and "name" not in columns:
        raise InputError(path, f"no name column in the header {list(header)!r}", line=1, unit="row",
                         hint="call the column of counterparty names 'name' (or company, counterparty name, "
                              "legal name); other columns: country, id or our ref, lei, identifier")
    out = CounterpartyFile(path=path, rows=[], kind="", read=len(records), columns=columns, ignored=ignored)
    seen: dict[tuple, int] = {}
    for number, record in records:
        name = _first(record, "name", keys)
        if not name:
            if not skip_nameless:
                raise InputError(path, "no name on this row", line=number, unit=unit,
                                 hint="give each counterparty a name, or delete the row")
            held = [c for c, v in record.items() if _text(v)]
            out.skipped.append(f"{unit} {number}: no name" + (f" (the {unit} holds {', '.join(map(repr, held))})"
                                                              if held else "") + "; skipped")
            continue
        notes = []
        country = _first(record, "country", keys) or None
        code = country_code(country) if country else None
        if country and code is None:
            notes.append(f"country {country!r} is not a country this tool knows; matched without a country")
        identifiers = []
        for column, value in record.items():
            scheme = IDENTIFIER_COLUMNS.get(keys.get(column, ""), False)
            if scheme is False:
                continue
            values = value if isinstance(value, list) else re.split(r"[;|]", _text(value))
            for item in values:
                item = _text(item)
                if item:
                    identifiers.append(f"{scheme} {item}" if scheme and not item.upper().startswith(scheme) else item)
        notes += _look_alikes(name)
        same = (" ".join(unicodedata.normalize("NFKC", name).casefold().split()), code or (country or "").casefold())
        if same in seen:
            notes.append(f"same name and country as {unit} {seen[same]}")
        else:
            seen[same] = number
        out.rows.append(Counterparty(row=number, name=name, country=country, identifiers=tuple(identifiers),
                                     id=_first(record, "id", keys) or None, file=str(path), notes=tuple(notes)))
    return out


def annotate(results: list[dict], rows: list[Counterparty]) -> list[dict]:
    """Put each row's ``notes`` on its screening result (one result per row, in order)."""
    for result, row in zip(results, rows):
        result["notes"] = list(row.notes)
    return results


# -- private helpers ----------------------------------------------------------------------
def _delimited(path: Path, delimiter: str | None, limits: Limits):
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError(path, f"the file has {size:,} bytes, more than the limit of {limits.max_bytes:,}",
                         hint="raise --max-bytes if the file is yours, or split it")
    table = read_delimited(path, delimiter=delimiter, strict=True, label="counterparty file")
    if len(table.rows) > limits.max_rows:
        raise InputError(path, f"{len(table.rows):,} data rows, more than the limit of {limits.max_rows:,}",
                         line=table.rows[limits.max_rows][0], unit="row", hint="raise --max-rows, or split the file")
    header, records, notes = table.header, [], list(table.notes)
    for number, cells in table.rows:
        for index, cell in enumerate(cells):
            if len(cell) > limits.max_cell:
                column = header[index] if index < len(header) else f"cell {index + 1}"
                raise InputError(path, f"{column!r} holds {len(cell):,} characters, more than the limit of "
                                       f"{limits.max_cell:,}", line=number, unit="row",
                                 hint="raise --max-cell if the file is yours, or shorten the cell")
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            notes.append(f"row {number}: {len(cells)} cells but the header names {len(header)} columns "
                         "(a separator inside an unquoted cell?); skipped")
            continue
        records.append((number, cells))
    separator = DELIMITERS.get(table.delimiter, repr(table.delimiter))
    kind = f"{'TSV' if table.delimiter == chr(9) else 'CSV'} ({table.encoding}, {separator}-separated)"
    return header, records, kind, notes


def _check_header(path: Path, header: list[str], limits: Limits) -> None:
    if len(header) > limits.max_columns:
        raise InputError(path, f"the header names {len(header):,} columns, more than the limit of "
                               f"{limits.max_columns:,}", line=1, unit="row",
                         hint="raise --max-columns, or delete the columns the screen does not need")


def _jsonl(path: Path, limits: Limits) -> list[tuple[int, dict]]:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError(path, f"the file has {size:,} bytes, more than the limit of {limits.max_bytes:,}",
                         hint="raise --max-bytes if the file is yours, or split it")
    text, _, _ = decode(path)
    out = []
    for number, line in enumerate(text.splitlines(), start=1):  # JSON lines: a line is a record
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            message = f"not JSON: {exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) \
                else "not JSON: nested too deeply"
            raise InputError(path, message, line=number,
                             hint="write one JSON object per line, such as {\"name\": \"Acme\", \"country\": \"US\"}") from None
        if not isinstance(record, dict):
            raise InputError(path, f"each line must be a JSON object, not {type(record).__name__}", line=number,
                             hint="write one JSON object per line, such as {\"name\": \"Acme\"}")
        out.append((number, record))
        if len(out) > limits.max_rows:
            raise InputError(path, f"more than {limits.max_rows:,} lines", line=number,
                             hint="raise --max-rows, or split the file")
    if not out:
        raise InputError(path, "the file holds no JSON object", hint="write one JSON object per line")
    return out


def _first(record: dict, field_name: str, keys: dict[str, str]) -> str:
    synonyms = FIELDS[field_name]
    found = [(synonyms.index(keys[c]), c) for c in record if keys.get(c) in synonyms]
    for _, column in sorted(found):
        text = _text(record[column])
        if text:
            return text
    return ""


def _key(column) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(column).casefold()).strip("_")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _look_alikes(name: str) -> list[str]:
    from confusable_homoglyphs import categories

    notes = []
    scripts = sorted(categories.unique_aliases(name) - {"COMMON", "INHERITED"})
    # a name written in one script, or Latin beside CJK (a brand in a Chinese name), is common;
    # Latin with Cyrillic or Greek letters is how look-alikes hide a listed name
    if len(scripts) > 1 and set(scripts) & {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}:
        notes.append(f"the name mixes {' and '.join(s.title() for s in scripts)} letters (look-alike characters?)")
    hidden = sorted({f"U+{ord(c):04X}" for c in name if unicodedata.category(c) in ("Cf", "Cc", "Co")})
    if hidden:
        notes.append(f"the name holds invisible or direction characters ({', '.join(hidden)})")
    return notes


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
