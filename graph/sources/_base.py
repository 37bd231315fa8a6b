"""What every reader shares: the reader base, tables, quotes and dates.

The batch a reader returns is :class:`graph.model.statements.Batch`; strict UTF-8 reading and YAML
with line numbers are in :mod:`graph.io.files`. Both are importable from here for the readers.
"""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.io.files import LineDict, load_yaml, read_text
from graph.model.statements import Batch
from graph.io.tabular import read_delimited

__all__ = ["Batch", "Reader", "LineDict", "load_yaml", "read_text"]


class Reader:
    """Base of the readers: one subclass per kind of source file."""

    #: short name shown in progress lines and ``kg build --help``
    name = "reader"
    #: what ``kg build`` prefers when two sources state the same thing (lower wins)
    priority = 50
    #: True for a reader that needs what the others read: it reads after them, given their
    #: batches by :meth:`prepare` (see :func:`graph.sources.read_sources`)
    later = False

    def claims(self, path: Path) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def prepare(self, batches: list[Batch]) -> None:
        """Take what the other readers read, before reading (``later`` readers only)."""

    def read(self, path: Path, root: Path) -> list[Batch]:  # pragma: no cover - abstract
        raise NotImplementedError


# ------------------------------------------------------------------------- file helpers


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to the data folder, with forward slashes, for provenance."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # in blocks: a list can be bigger than memory should hold
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(path: Path, *, delimiter: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows of a CSV/TSV file (:func:`graph.io.tabular.read_delimited`), cells stripped.

    Each row comes with the number a spreadsheet shows for it: the header is row 1.
    """
    table = read_delimited(path, delimiter=delimiter)
    header = table.header
    rows = []
    for number, cells in table.rows:
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((number, {column: cells[i].strip() for i, column in enumerate(header)}))
    return header, rows


def sniff_header(path: Path, delimiter: str) -> list[str]:
    """The first line of a table split into column names, or [] if unreadable."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError:
        return []
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as Excel's "Unicode text" writes it
        first = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        first = head.decode("utf-8-sig", errors="replace")
    first = first.split("\n", 1)[0]
    return [column.strip() for column in first.rstrip("\r\n").split(delimiter)]


# ------------------------------------------------------------------------------- quotes


@lru_cache(maxsize=8)
def _normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC-normalise ``text`` and map each normalised offset back to the original.

    Composition never crosses a starter character, so normalising runs that begin with a
    starter keeps the mapping exact. Cached: a fact file quotes the same article many times.
    """
    normalised: list[str] = []
    offsets: list[int] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or unicodedata.combining(text[index]) == 0:
            chunk = unicodedata.normalize("NFC", text[start:index])
            normalised.append(chunk)
            offsets.extend([start] * len(chunk))
            start = index
    offsets.append(len(text))
    return "".join(normalised), offsets


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Character span of ``quote`` in ``text``, comparing both after NFC normalisation.

    Returns offsets into ``text`` as stored, or None when the quote is not in the text.

    >>> locate_quote("Le Se\\u0301nat a vote\\u0301.", "Sénat")
    (3, 9)
    """
    quote = unicodedata.normalize("NFC", quote)
    if not quote.strip():
        return None
    if unicodedata.is_normalized("NFC", text):  # most texts: offsets are the text's own
        position = text.find(quote)
        return None if position < 0 else (position, position + len(quote))
    normalised, offsets = _normalise_with_offsets(text)
    position = normalised.find(quote)
    if position < 0:
        return None
    return offsets[position], offsets[position + len(quote)]


def did_you_mean(value: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    return f"did you mean {', '.join(repr(c) for c in close)}?" if close else None


#: dates outside these years are kept but warned about: a typo ("9999-12-31", "0219-10-08")
#: more often than a fact about the distant past or future
PLAUSIBLE_YEARS = range(1900, 2101)


def is_plausible(day: date) -> bool:
    """Whether ``day`` falls within :data:`PLAUSIBLE_YEARS`.

    >>> is_plausible(date(2019, 10, 8)), is_plausible(date(9999, 12, 31))
    (True, False)
    """
    return day.year in PLAUSIBLE_YEARS


def as_date(value: Any) -> date | None:
    """A ``date`` from a YAML date or an ISO ``YYYY-MM-DD`` string, else None."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
