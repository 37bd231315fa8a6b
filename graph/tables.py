"""CSV tables a spreadsheet opens safely: every writer of the project goes through here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``), and entity names, quotes
and URLs come from untrusted sources. Following OWASP's advice on CSV injection, such a cell
is written with a leading apostrophe, which spreadsheets show as text and do not evaluate.
Numbers are written as they are (a negative number is not a formula).

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell("Hikvision"), safe_cell(-1.5), safe_cell(None)
('Hikvision', '-1.5', '')
>>> print(write_csv([{"name": "@SUM(A1)", "hops": 1}], ["name", "hops"]), end="")
name,hops
'@SUM(A1),1
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["safe_cell", "write_csv", "markdown_cell", "FORMULA_PREFIXES"]

#: the first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as CSV cell text that no spreadsheet evaluates.

    Parameters
    ----------
    value : object
        Text, a number, a bool or None (written as an empty cell).

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
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
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
