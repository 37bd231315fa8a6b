"""What every reader shares: the batch it returns, safe file reading, quotes and YAML lines."""

from __future__ import annotations

import csv
import difflib
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..statements import SourceInfo, Statement

__all__ = ["Batch", "Reader"]


@dataclass
class Batch:
    """What a reader read from one file: the source it speaks for and its statements.

    Several files may speak for one source (an article and its curated fact file): the
    builder writes all their statements into the same named graph.
    """

    source: SourceInfo
    statements: list[Statement] = field(default_factory=list)
    file: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: the reader's priority; lower is resolved first and wins ties
    priority: int = 50
    #: True when the file's keys are identities (FollowTheMoney ids): two statements of the
    #: file with different keys are never merged with each other
    distinct_keys: bool = False


class Reader:
    """Base of the readers: one subclass per kind of source file."""

    #: short name shown in progress lines and ``kg build --help``
    name = "reader"
    #: what ``kg build`` prefers when two sources state the same thing (lower wins)
    priority = 50

    def claims(self, path: Path) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self, path: Path, root: Path) -> list[Batch]:  # pragma: no cover - abstract
        raise NotImplementedError


# ------------------------------------------------------------------------- file helpers


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to the data folder, with forward slashes, for provenance."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def read_text(path: Path) -> str:
    """The file as text, strictly UTF-8 (a BOM is tolerated), or an InputError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})",
            line=line,
            hint="re-save the file as UTF-8",
        ) from exc


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_table(path: Path, *, delimiter: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows of a CSV/TSV file; each row with its 1-based data-row number."""
    text = read_text(path)
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise InputError(path, "the table is empty: no header row") from None
    rows = []
    for number, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((number, {column: cells[i].strip() for i, column in enumerate(header)}))
    return header, rows


def sniff_header(path: Path, delimiter: str) -> list[str]:
    """The first line of a table split into column names, or [] if unreadable."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return []
    return [column.strip() for column in first.rstrip("\r\n").split(delimiter)]


# ------------------------------------------------------------------------------- quotes


def _normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC-normalise ``text`` and map each normalised offset back to the original.

    Composition never crosses a starter character, so normalising runs that begin with a
    starter keeps the mapping exact.
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
    normalised, offsets = _normalise_with_offsets(text)
    position = normalised.find(quote)
    if position < 0:
        return None
    return offsets[position], offsets[position + len(quote)]


def did_you_mean(value: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    return f"did you mean {', '.join(repr(c) for c in close)}?" if close else None


# --------------------------------------------------------------------- YAML with lines


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # "2019-13-07" looks like a date to YAML and would raise a bare ValueError; keep the text
    # so that the reader can say which field holds a bad date, on which line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file keeping line numbers; syntax errors become InputError with the line."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        raise InputError(path, f"YAML syntax error: {problem}", line=line,
                         hint="check indentation, colons and quotes on that line") from exc
    except yaml.YAMLError as exc:
        raise InputError(path, f"YAML error: {exc}") from exc


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
