"""Tables that neither a spreadsheet nor a terminal runs: every writer of the project goes through here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``), and entity names, quotes
and URLs come from untrusted sources. Following OWASP's advice on CSV injection, such a cell
is written with a leading apostrophe, which spreadsheets show as text and do not evaluate.
The test is the cell's text, whatever its type: a negative number is written ``'-1.5``, so
that no datatype (a SPARQL literal typed as a number, a list's cell read as one) carries a
formula past it. :func:`write_xlsx` writes workbooks whose every text cell is typed as text.

A terminal runs escape sequences (``ESC[2J`` clears the screen, ``ESC]8;;URL`` makes a
link that shows other text), and bidirectional controls (U+202E) make a name read backwards:
:func:`shown` writes every control and bidirectional formatting character as a visible escape
(``\\x1b``, ``\\u202e``), for terminal tables and pages alike.

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell("Hikvision"), safe_cell(1.5), safe_cell(-1), safe_cell(None)
('Hikvision', '1.5', "'-1", '')
>>> print(write_csv([{"name": "@SUM(A1)", "hops": 1}], ["name", "hops"]), end="")
name,hops
'@SUM(A1),1
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["safe_cell", "write_csv", "write_xlsx", "markdown_cell", "shown", "FORMULA_PREFIXES", "UNSEEN"]

#: the first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: characters a reader cannot see but a terminal or a text layout obeys: C0 controls but tab and
#: line feed, DEL, C1 controls, and Unicode's bidirectional formatting characters
UNSEEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` with every character of :data:`UNSEEN` written as a visible escape.

    Examples
    --------
    >>> shown("Acme\\x1b[2J"), shown("evil\\u202etxt.exe"), shown("Xi\\x92an")
    ('Acme\\\\x1b[2J', 'evil\\\\u202etxt.exe', 'Xi\\\\x92an')
    """
    return UNSEEN.sub(_escape, text) if UNSEEN.search(text) else text


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_cell(value: object) -> str:
    """``value`` as CSV cell text that no spreadsheet evaluates.

    Parameters
    ----------
    value : object
        Text, a number, a bool or None (written as an empty cell); judged by its text.

    Returns
    -------
    str
        The text, with ``'`` in front when it starts with one of :data:`FORMULA_PREFIXES`,
        and carriage returns as line feeds (so that the cell is quoted).

    Examples
    --------
    >>> safe_cell("-cmd"), safe_cell("\\t=1"), safe_cell("\\r=1"), safe_cell(True)
    ("'-cmd", "'\\t=1", "'\\n=1", 'True')
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    # Python's csv module leaves a lone carriage return unquoted, which splits the row in a
    # spreadsheet: inside a cell it can only mean a line break
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def write_csv(rows: Iterable[Mapping | Sequence], columns: Sequence[str], *, lineterminator: str = "\n") -> str:
    """A CSV document: a header of ``columns``, then one line per row, every cell made safe.

    Parameters
    ----------
    rows : iterable of mapping or sequence
        Mappings are read by column name (a missing key is an empty cell); sequences by position.
    columns : sequence of str
        The header.
    lineterminator : str
        ``"\\n"`` for files; ``"\\r\\n"`` where a protocol asks for it.

    Returns
    -------
    str
        The document, ending with a line terminator.

    Examples
    --------
    >>> print(write_csv([("+1 555", "x")], ["phone", "y"]), end="")
    phone,y
    '+1 555,x
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        cells = [row.get(c) for c in columns] if isinstance(row, Mapping) else list(row)
        writer.writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()


def write_xlsx(sheets: Mapping[str, tuple[Sequence[str], Iterable[Mapping | Sequence]]]) -> bytes:
    """An XLSX workbook: one sheet per entry, a header row of columns, then the rows.

    Every text cell is typed as text, so that a name such as ``=HYPERLINK(...)`` is shown, not
    run; numbers stay numbers. Rows are read as in :func:`write_csv`.

    Parameters
    ----------
    sheets : mapping
        Sheet name -> ``(columns, rows)``.

    Returns
    -------
    bytes
        The workbook.

    Examples
    --------
    >>> import io
    >>> from openpyxl import load_workbook
    >>> data = write_xlsx({"results": (["name", "hops"], [{"name": "=1+1", "hops": 2}])})
    >>> sheet = load_workbook(io.BytesIO(data))["results"]
    >>> [(c.value, c.data_type) for c in sheet[2]]
    [('=1+1', 's'), (2, 'n')]
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([_xlsx_cell(sheet, c, WriteOnlyCell) for c in columns])
        for row in rows:
            cells = [row.get(c) for c in columns] if isinstance(row, Mapping) else list(row)
            sheet.append([_xlsx_cell(sheet, c, WriteOnlyCell) for c in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, cell_class):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    cell = cell_class(sheet, value=_ILLEGAL.sub("\ufffd", str(value)))
    cell.data_type = "s"  # openpyxl reads a leading "=" as a formula; this cell is text
    return cell


# characters XML 1.0 cannot hold (openpyxl refuses them): shown as U+FFFD
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def markdown_cell(text: object) -> str:
    r"""``text`` for one cell of a Markdown table: no HTML, no table break, read as it is written.

    Names and quotes come from untrusted text. A ``<`` that could open a tag and a ``&`` that
    could start an entity are backslash-escaped (CommonMark shows the character itself), as
    are Markdown's own marks; an arrow such as ``<-supply-`` stays as it is, with no ``&lt;``
    for a reader of the raw file to decode.

    Examples
    --------
    >>> markdown_cell("Hikvision <-supply- Intel")
    'Hikvision <-supply- Intel'
    >>> markdown_cell("<script>x</script> | A & B &amp;")
    '\\<script>x\\</script> \\| A & B \\&amp;'
    """
    text = str(text).replace("\\", "\\\\")
    for char in "`*_[]|#":
        text = text.replace(char, "\\" + char)
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    return " ".join(text.split())
