"""Reading tables: the one CSV/TSV reader of the project, and a bounded XLSX reader.

Every table the project reads (the official lists, the curated relationship and rule tables,
an analyst's counterparty file) goes through :func:`read_delimited` or :func:`read_xlsx`, so
that they agree on three things a user notices:

- **Row numbers are the numbers a spreadsheet shows**: the header is row 1, the first data row
  is row 2, a blank row still counts, and a quoted cell that spans several lines is one row.
- **Encodings** are detected and said: UTF-8 with or without a byte order mark, UTF-16 with one
  (Excel's "Unicode text"), and lines that are not UTF-8 read as Windows-1252 (Excel's "CSV" on
  Windows), with a note naming the lines.
- **The separator** is sniffed from the header (tab, semicolon, comma or bar) unless the
  caller knows it.

The XLSX reader reads the first sheet's XML itself, streaming, after checking the sizes the
zip declares (a 196 KB file can hold a 200 MB string), and turns every malformed cell into an
:class:`~graph.errors.InputError` naming the sheet, row and column.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> p = Path(tempfile.mkdtemp()) / "mine.csv"
>>> _ = p.write_bytes('Name;Note\\r\\n"Acme\\r\\nWidgets";Caf\\xe9\\r\\n'.encode("cp1252"))
>>> table = read_delimited(p)
>>> table.header, table.rows, table.delimiter
(['Name', 'Note'], [(2, ['Acme\\r\\nWidgets', 'Café'])], ';')
>>> table.notes
['line 3 is not UTF-8; read as Windows-1252 (check its names)']
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import ParseError, iterparse

from graph.errors import InputError

__all__ = ["Table", "Limits", "read_delimited", "read_xlsx", "DELIMITERS"]

#: separators :func:`read_delimited` sniffs from the header, with the names it says
DELIMITERS = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "bar"}


@dataclass
class Table:
    """A table as read: its header, its rows with their spreadsheet row numbers, how it was read.

    ``rows`` holds ``(row number, cells)`` for every row with a non-blank cell; cells are the
    text as read (not stripped). ``notes`` say what the reader had to assume (an encoding, a
    line read as Windows-1252) for the caller to pass on.
    """

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = "UTF-8"
    delimiter: str = ","
    notes: list[str] = field(default_factory=list)
    sheet: str | None = None


@dataclass(frozen=True)
class Limits:
    """How much of an uploaded table is read before it is refused.

    Parameters
    ----------
    max_bytes : int
        Uncompressed bytes an XLSX workbook may declare, all its parts together.
    max_rows : int
        Data rows (blank rows not counted).
    max_columns : int
        Columns of the header and of any row.
    max_cell : int
        Characters in one cell.
    """

    max_bytes: int = 50_000_000
    max_rows: int = 100_000
    max_columns: int = 200
    max_cell: int = 10_000


def read_delimited(path: Path, *, delimiter: str | None = None, strict: bool = False, quotes: bool = True,
                   label: str = "table") -> Table:
    """Read a CSV or TSV file with the csv module, its encoding and separator detected.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    delimiter : str, optional
        The separator; by default the one of :data:`DELIMITERS` the header holds most of.
    strict : bool
        Refuse a stray quote inside a cell (``"Acme" Ltd``) instead of reading it as text.
    quotes : bool
        Whether ``"`` quotes cells; False for a tab-separated table whose cells never hold a tab
        or a line break and may start with a quoted word.
    label : str
        What the file is meant to be, for messages ("Entity List TSV", "counterparty file").

    Returns
    -------
    Table
        ``header`` is row 1's cells, stripped; ``rows`` the rows after it that hold any text,
        numbered as a spreadsheet numbers them.

    Raises
    ------
    InputError
        The file cannot be read, holds NUL bytes (binary data), is empty, or is not a table the
        csv module can read (the message names the row).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("a\\tb\\n\\n1\\t2\\n", encoding="utf-16")
    >>> t = read_delimited(p)
    >>> t.rows, t.encoding, t.delimiter
    ([(3, ['1', '2'])], 'UTF-16', '\\t')
    """
    path = Path(path)
    text, encoding, notes = decode(path)
    if not text.strip():
        raise InputError(path, f"the {label} is empty: no header row",
                         hint="the first row names the columns")
    if delimiter is None:
        delimiter = _sniff(text)
    # The csv module refuses fields over 128 KiB with an error that names no row; read them whole
    # (the text is in memory already) and let the caller judge the cell by its own limit.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict,
                        quoting=csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE)
    records = []
    try:
        for cells in reader:
            records.append(cells)
    except csv.Error as exc:
        # line_num counts lines, not records: the row is the record being read
        raise InputError(path, f"not a {label} the csv module can read: {exc}", line=len(records) + 1, unit="row",
                         hint="check the quotes on that row: a cell holding the separator or a quote is quoted, "
                              "with inner quotes doubled") from None
    finally:
        csv.field_size_limit(limit)
    header = [cell.strip() for cell in records[0]] if records else []
    rows = [(number, cells) for number, cells in enumerate(records[1:], start=2)
            if any(cell.strip() for cell in cells)]
    return Table(path=path, header=header, rows=rows, encoding=encoding, delimiter=delimiter, notes=notes)


def decode(path: Path) -> tuple[str, str, list[str]]:
    """The text of a table file, the encoding it was read in, and notes on lines read otherwise.

    UTF-16 needs its byte order mark (or is recognised by its NUL bytes); UTF-8 may have one;
    a line that is not UTF-8 is read as Windows-1252 and named in the notes.

    Raises
    ------
    InputError
        The file cannot be read or holds NUL bytes that are not UTF-16's.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes(b"\\xef\\xbb\\xbfname\\n")
    >>> decode(p)
    ('name\\n', 'UTF-8 (with byte order mark)', [])
    """
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a table file", hint="give the path of a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror}") from None
    for bom, codec, name in ((b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16")):
        if raw.startswith(bom):
            return _utf16(path, raw[len(bom):], codec), name, []
    head = raw[:4096]
    if b"\x00" in head:
        # UTF-16 without its mark: ASCII text has every other byte NUL
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return _utf16(path, raw, "utf-16-le"), "UTF-16 (little-endian, no byte order mark)", []
        if even > len(head) // 4 and odd == 0:
            return _utf16(path, raw, "utf-16-be"), "UTF-16 (big-endian, no byte order mark)", []
        raise InputError(path, "not a text table: the file holds NUL bytes (binary data?)",
                         hint="export the table as CSV (UTF-8) or as tab-separated text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, name = raw[3:], "UTF-8 (with byte order mark)"
    else:
        name = "UTF-8"
    try:
        return raw.decode("utf-8"), name, []
    except UnicodeDecodeError:
        pass
    lines, odd, utf8 = [], [], 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            # five bytes have no character in Windows-1252; they become U+FFFD, visibly
            lines.append(line.decode("cp1252", errors="replace"))
            odd.append(number)
    what = f"line {odd[0]} is" if len(odd) == 1 else f"{len(odd):,} lines ({_numbers(odd)}) are"
    # ASCII lines read the same in both: the file is Windows-1252 unless other lines are UTF-8
    return "\n".join(lines), "UTF-8 and Windows-1252 (mixed)" if utf8 else "Windows-1252", [
        f"{what} not UTF-8; read as Windows-1252 (check {'its' if len(odd) == 1 else 'their'} names)"]


# ------------------------------------------------------------------------------------ XLSX
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"([A-Z]{1,3})(\d+)$")
#: the most rows and columns a sheet holds (Excel's own limits): a file past them is damaged or hand-made
_SHEET_ROWS, _SHEET_COLUMNS = 1_048_576, 16_384
#: notes kept about cells read as empty (errors such as #N/A); the rest are said in one note
_MAX_NOTES = 50


def read_xlsx(path: Path, *, limits: Limits = Limits(), label: str = "workbook") -> Table:
    """Read the first sheet of an XLSX workbook within ``limits``, every cell as text.

    Before anything is decompressed, the sizes the zip declares for its parts are added up and
    checked against ``limits.max_bytes`` (the zip module then refuses a part that holds more than
    it declared). The sheet is read as a stream; rows and columns beyond the limits, a cell
    longer than ``limits.max_cell`` and a malformed cell stop the reading with the sheet, row and
    column named. Numbers are written as a spreadsheet shows them without format (``12``,
    ``3.5``), booleans as ``TRUE``/``FALSE``, a cell holding an error (``#N/A``) as empty, with
    a note.

    Raises
    ------
    InputError
        Not a zip or not a workbook, too big, or a malformed cell: text in a numeric cell, a
        date cell that is not a date, a shared-string index out of range, an unknown cell type.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import Workbook
    >>> book = Workbook(); sheet = book.active; sheet.title = "Parties"
    >>> sheet.append(["Name", "ID"]); sheet.append(["Acme", 12])
    >>> p = Path(tempfile.mkdtemp()) / "parties.xlsx"; book.save(p)
    >>> t = read_xlsx(p)
    >>> t.sheet, t.header, t.rows
    ('Parties', ['Name', 'ID'], [(2, ['Acme', '12'])])
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, f"not a readable .xlsx workbook ({exc})",
                         hint="open it in a spreadsheet and save it again as .xlsx, or as CSV") from None
    with archive:
        declared = sum(info.file_size for info in archive.infolist())
        if declared > limits.max_bytes:
            big = max(archive.infolist(), key=lambda info: info.file_size)
            raise InputError(path, f"the workbook unpacks to {declared:,} bytes ({big.filename} alone "
                                   f"{big.file_size:,}), more than the limit of {limits.max_bytes:,}",
                             hint="raise --max-bytes if the file is yours, or save the sheet as CSV")
        try:
            name, part = _first_sheet(archive)
            strings = _shared_strings(archive, limits)
            return _read_sheet(path, archive, name, part, strings, limits)
        except InputError:
            raise
        except (zipfile.BadZipFile, KeyError, ParseError, EOFError, OSError, ValueError) as exc:
            raise InputError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                             hint="open it in a spreadsheet and save it again as .xlsx, or as CSV") from None


class _TooLong:
    """A shared string longer than the cell limit: kept as its length, refused where it is used."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    with archive.open("xl/workbook.xml") as handle:
        sheet = next((e for _, e in iterparse(handle) if e.tag == f"{_MAIN}sheet"), None)
        if sheet is None:
            raise KeyError("the workbook lists no sheet")
        name, rid = sheet.get("name") or "Sheet1", sheet.get(f"{_REL}id")
    target = "worksheets/sheet1.xml"
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        with archive.open("xl/_rels/workbook.xml.rels") as handle:
            for _, element in iterparse(handle):
                if element.tag == f"{_PACKAGE_REL}Relationship" and element.get("Id") == rid:
                    target = element.get("Target") or target
    part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return name, part


def _shared_strings(archive: zipfile.ZipFile, limits: Limits) -> list:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list = []
    with archive.open("xl/sharedStrings.xml") as handle:
        for _, element in iterparse(handle):
            if element.tag == f"{_MAIN}si":
                text = _string_item(element)
                strings.append(_TooLong(len(text)) if len(text) > limits.max_cell else text)
                element.clear()
    return strings


def _string_item(element) -> str:
    # a plain <t>, or rich text: runs <r> of <t>; phonetic guides (<rPh>) are not the cell's text
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{_MAIN}t"))
    return "".join(parts)


def _read_sheet(path: Path, archive: zipfile.ZipFile, sheet: str, part: str, strings: list,
                limits: Limits) -> Table:
    table = Table(path=path, header=[], encoding="XLSX", delimiter="", sheet=sheet)
    where = f"sheet {sheet!r}"
    row_number, header_seen = 0, False
    row, cells, column, count = None, {}, 0, 0
    with archive.open(part) as handle:
        rows_parent = None
        for event, element in iterparse(handle, events=("start", "end")):
            if event == "start":
                if element.tag == f"{_MAIN}sheetData":
                    rows_parent = element
                elif element.tag == f"{_MAIN}row":
                    row_number = int(element.get("r") or row_number + 1)
                    if row_number > _SHEET_ROWS:
                        raise InputError(path, f"{where}: a row past the {_SHEET_ROWS:,} rows a sheet holds; the "
                                               f"file is damaged or hand-made", line=row_number, unit="row",
                                         hint="open it in a spreadsheet and save it again, or save the sheet as CSV")
                    row, cells, column, count = element, {}, 0, 0
                continue
            if element.tag == f"{_MAIN}c" and row is not None:
                # each cell is read as it ends and dropped from its row, so that a row of a million
                # empty cells (4 bytes each) holds none of them
                count += 1
                if count > _SHEET_COLUMNS:
                    raise InputError(path, f"{where}: more than the {_SHEET_COLUMNS:,} cells a row of a sheet "
                                           f"holds; the file is damaged or hand-made", line=row_number, unit="row",
                                     hint="open it in a spreadsheet and save it again, or save the sheet as CSV")
                ref = _CELL.match(element.get("r") or "")
                column = _column_index(ref.group(1)) if ref else column + 1
                value = _cell_value(path, where, row_number, column, element, strings, table, limits)
                try:
                    row.remove(element)
                except ValueError:
                    pass  # not a child of the row: a malformed sheet, read as the cell it is
                if value == "":
                    continue
                if column > limits.max_columns:
                    raise InputError(path, f"{where}, column {_column_name(column)}: more than "
                                           f"{limits.max_columns:,} columns", line=row_number, unit="row",
                                     hint="raise --max-columns, or delete the columns the screen does not need")
                cells[column] = value
                continue
            if element.tag != f"{_MAIN}row":
                continue
            # the rows read are dropped from the tree, so that memory does not grow with the sheet
            if rows_parent is not None:
                rows_parent.clear()
            row = None
            if not cells:
                continue
            values = [cells.get(i, "") for i in range(1, max(cells) + 1)]
            if not header_seen:
                if row_number != 1:
                    table.notes.append(f"{where}: the first row with text is row {row_number}; read as the header")
                table.header, header_seen = [v.strip() for v in values], True
                continue
            if not any(v.strip() for v in values):
                continue
            if len(table.rows) >= limits.max_rows:
                raise InputError(path, f"{where}: more than {limits.max_rows:,} data rows", line=row_number,
                                 unit="row", hint="raise --max-rows, or split the file")
            table.rows.append((row_number, values))
    if not header_seen:
        raise InputError(path, f"{where} is empty", hint="the first row names the columns")
    return table


def _cell_value(path: Path, where: str, row: int, column: int, c, strings: list, table: Table,
                limits: Limits) -> str:
    kind = c.get("t") or "n"
    v = c.find(f"{_MAIN}v")
    raw = v.text if v is not None and v.text is not None else None
    at = f"{where}, column {_column_name(column)}"

    def refuse(message: str, hint: str) -> InputError:
        return InputError(path, f"{at}: {message}", line=row, unit="row", hint=hint)

    if kind == "inlineStr":
        text = "".join(_string_item(x) for x in c.iter(f"{_MAIN}is"))
    elif raw is None:
        return ""
    elif kind == "s":
        try:
            index = int(raw)
            text = strings[index] if index >= 0 else strings[len(strings)]
        except (ValueError, IndexError):
            raise refuse(f"shared string {raw!r} does not exist (the workbook has {len(strings):,})",
                         "the file is damaged: open it in a spreadsheet and save it again") from None
    elif kind == "str":  # a formula's text result
        text = raw
    elif kind == "n":
        try:
            number = float(raw)
        except ValueError:
            formula = " (a formula's result)" if c.find(f"{_MAIN}f") is not None else ""
            raise refuse(f"text {raw[:40]!r} in a numeric cell{formula}",
                         "the file is damaged or hand-made: retype the cell in a spreadsheet and save again") from None
        text = str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)
    elif kind == "b":
        if raw not in ("0", "1"):
            raise refuse(f"{raw[:40]!r} in a true/false cell", "retype the cell in a spreadsheet and save again")
        text = "TRUE" if raw == "1" else "FALSE"
    elif kind == "d":
        try:
            parsed = datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        except ValueError:
            raise refuse(f"{raw[:40]!r} in a date cell is not a date",
                         "retype the date in a spreadsheet and save again") from None
        text = parsed.isoformat()
    elif kind == "e":
        # one note per cell, up to a few dozen: a sheet of a million #N/A says so in one more line
        if len(table.notes) < _MAX_NOTES:
            table.notes.append(f"{at}, row {row}: the cell holds the error {raw[:20]!r}; read as empty")
        elif len(table.notes) == _MAX_NOTES:
            table.notes.append(f"{where}: more cells hold errors (from row {row}); each is read as empty")
        return ""
    else:
        raise refuse(f"unknown cell type {kind[:20]!r}", "open the file in a spreadsheet and save it again")
    if isinstance(text, _TooLong) or len(text) > limits.max_cell:
        length = text.length if isinstance(text, _TooLong) else len(text)
        raise refuse(f"{length:,} characters, more than the limit of {limits.max_cell:,}",
                     "raise --max-cell if the file is yours, or shorten the cell")
    return text


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _column_name(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


# ------------------------------------------------------------------------------- helpers
def _utf16(path: Path, raw: bytes, codec: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-16 text after all (byte {exc.start})",
                         hint="save the file again as CSV UTF-8, or as Unicode text") from None


def _sniff(text: str) -> str:
    # the header names the columns and rarely quotes them: the separator it holds most of wins
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _numbers(numbers: list[int], limit: int = 5) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit:,} more" if len(numbers) > limit else "")
