"""Statements kept on disk in chunks, read back as often as the build needs them.

A million-line list makes about a million statements; as Python objects they take more than a
gigabyte from reading until their quads are written. Inside :func:`spooling`, the readers'
statement lists (:func:`statement_list`) are :class:`StatementSpool` s instead: every
``chunk`` statements become three columns appended to a file in the spool's folder with
:mod:`marshal` (their keys, their classes, and each statement's other fields as bytes of its
own), and each pass over them reads one chunk at a time and decodes only the statements it
selects. A small batch never fills a chunk and stays in memory.

The resolver and the RDF writer read a spool the way they read a list, and also through
:func:`select`, which decodes only the statements a pass needs (the entities, the facts, a
few keys), and :func:`statement_keys`, which decodes none.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from graph.model.statements import Label, Statement
>>> with spooling(Path(tempfile.mkdtemp()), chunk=2):
...     statements = statement_list()
...     statements.extend(Statement(key=f"c{n}", cls="Company", labels=[Label(f"Firm {n}")]) for n in range(5))
>>> len(statements), statements.on_disk
(5, 4)
>>> [s.labels[0].text for s in select(statements, lambda key, cls: key in {"c1", "c4"})]
['Firm 1', 'Firm 4']
>>> list(statement_keys(statements))
['c0', 'c1', 'c2', 'c3', 'c4']
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from itertools import count
from pathlib import Path

from graph.model.statements import Evidence, Label, Origin, Ref, Statement

__all__ = ["StatementSpool", "spooling", "statement_list", "select", "statement_keys", "evidence_methods",
           "CHUNK"]

#: statements per chunk: big enough that a chunk's file read and decoding cost little per
#: statement, small enough that a pass holds only a few megabytes of them
CHUNK = 20_000

_FOLDER: ContextVar[tuple[Path, int, count] | None] = ContextVar("spool_folder", default=None)


@contextmanager
def spooling(folder: Path, *, chunk: int | None = None):
    """Within this block, :func:`statement_list` gives spools whose chunks go to ``folder``.

    ``chunk`` is the statements per chunk (:data:`CHUNK` by default).

    The caller owns ``folder`` and removes it (with the spools' files) when the statements
    are no longer needed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    token = _FOLDER.set((folder, chunk or CHUNK, count()))
    try:
        yield
    finally:
        _FOLDER.reset(token)


def statement_list() -> list[Statement] | StatementSpool:
    """A new list for a reader's statements: a :class:`StatementSpool` inside :func:`spooling`."""
    where = _FOLDER.get()
    if where is None:
        return []
    folder, chunk, numbers = where
    return StatementSpool(folder / f"statements-{next(numbers)}.marshal", chunk=chunk)


class StatementSpool:
    """A list of statements that keeps all but its last, partly filled chunk in a file.

    It is appended to and iterated (as often as needed, in order), not indexed. A statement
    must not change once appended (it may already be on disk). Only
    :class:`graph.model.statements.Statement` itself is kept (the extractor's statements, which
    carry more, stay in lists). ``on_disk`` counts the statements written to the file.
    """

    def __init__(self, path: Path, *, chunk: int = CHUNK) -> None:
        self.path = path
        self.chunk = chunk
        self.on_disk = 0
        self._spans: list[tuple[int, int]] = []  # (offset, size) of each chunk in the file
        self._pending: list[Statement] = []  # the chunk being filled
        #: the methods of the evidence of every statement appended ("imported", ...)
        self.methods: set[str] = set()

    def append(self, statement: Statement) -> None:
        if type(statement) is not Statement:
            raise TypeError(f"a spool keeps plain Statements, not {type(statement).__name__}")
        self._pending.append(statement)
        self.methods.update(e.method for e in statement.evidence)
        if len(self._pending) >= self.chunk:
            self._flush()

    def extend(self, statements: Iterable[Statement]) -> None:
        for statement in statements:
            self.append(statement)

    def __len__(self) -> int:
        return self.on_disk + len(self._pending)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[Statement]:
        yield from (_decoded(key, cls, row) for key, cls, row in self._written())
        yield from self._pending

    def __repr__(self) -> str:
        return f"StatementSpool({self.path.name!r}, {len(self)} statements, {self.on_disk} on disk)"

    def select(self, wanted: Callable[[str, str], bool]) -> Iterator[Statement]:
        """The statements whose ``(key, cls)`` are ``wanted``; the others are never decoded."""
        yield from (_decoded(key, cls, row) for key, cls, row in self._written() if wanted(key, cls))
        yield from (s for s in self._pending if wanted(s.key, s.cls))

    def keys(self) -> Iterator[str]:
        """Every statement's key, in order, without decoding the statements."""
        for offset, size in self._spans:
            yield from self._chunk(offset, size)[0]
        yield from (s.key for s in self._pending)

    def _flush(self) -> None:
        # A chunk is three columns: the keys, the classes and each statement's other fields
        # as bytes of their own. Reading one back makes strings and bytes, which the garbage
        # collector does not track (tens of thousands of tuples would be walked by every
        # collection while a pass reads them); a statement is decoded only when selected.
        pending = self._pending
        data = marshal.dumps((tuple(s.key for s in pending), tuple(s.cls for s in pending),
                              tuple(marshal.dumps(_encoded(s)) for s in pending)))
        with open(self.path, "ab") as handle:
            offset = handle.tell()
            handle.write(data)
        self._spans.append((offset, len(data)))
        self.on_disk += len(pending)
        self._pending = []

    def _chunk(self, offset: int, size: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bytes, ...]]:
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            return marshal.loads(handle.read(size))

    def _written(self) -> Iterator[tuple[str, str, bytes]]:
        """(key, class, encoded fields) of each statement in the file, a chunk at a time."""
        for offset, size in self._spans:
            yield from zip(*self._chunk(offset, size))


def select(statements: Iterable[Statement], wanted: Callable[[str, str], bool]) -> Iterator[Statement]:
    """The statements of a list or a spool whose ``(key, cls)`` are ``wanted``, in order."""
    if isinstance(statements, StatementSpool):
        return statements.select(wanted)
    return (s for s in statements if wanted(s.key, s.cls))


def statement_keys(statements: Iterable[Statement]) -> Iterator[str]:
    """The keys of a list's or a spool's statements, in order."""
    if isinstance(statements, StatementSpool):
        return statements.keys()
    return (s.key for s in statements)


def evidence_methods(statements: Iterable[Statement]) -> set[str]:
    """The methods of the evidence of a list's or a spool's statements (a spool knows them)."""
    if isinstance(statements, StatementSpool):
        return statements.methods
    return {e.method for s in statements for e in s.evidence}


# A statement's other fields as a tuple of str, int, float, bool and None (what marshal
# writes), in field order. Values are the one open-ended field: a Ref and a date become tagged
# tuples, anything else (a Decimal, a datetime, a tuple) is pickled behind its own tag.
_REF, _DATE, _PICKLED = 0, 1, 2


def _encoded(s: Statement) -> tuple:
    return (tuple((label.text, label.lang) for label in s.labels), tuple(s.aliases),
            tuple((prop, tuple(map(_encoded_value, values))) for prop, values in s.values.items()),
            tuple((e.source, e.method, e.confidence, e.quote, e.char_start, e.char_end, e.file, e.row, e.url,
                   e.extractor, e.note, e.names, e.line) for e in s.evidence),
            None if s.origin is None else (s.origin.file, s.origin.line, s.origin.unit),
            tuple(s.same_as), s.resolvable)


def _encoded_value(value: object) -> object:
    kind = type(value)
    if kind is str or kind is float or kind is int or kind is bool:
        return value
    if kind is Ref:
        return (_REF, value.key, value.name, value.cls)
    if kind is date:
        return (_DATE, value.toordinal())
    return (_PICKLED, pickle.dumps(value))


def _decoded(key: str, cls: str, fields: bytes) -> Statement:
    labels, aliases, values, evidence, origin, same_as, resolvable = marshal.loads(fields)
    return Statement(key, cls, [Label(*label) for label in labels], list(aliases),
                     {prop: [_decoded_value(v) if type(v) is tuple else v for v in items] for prop, items in values},
                     [Evidence(*e) for e in evidence], None if origin is None else Origin(*origin),
                     list(same_as), resolvable)


def _decoded_value(value: tuple) -> object:
    if value[0] == _REF:
        return Ref(value[1], value[2], value[3])
    if value[0] == _DATE:
        return date.fromordinal(value[1])
    return pickle.loads(value[1])
