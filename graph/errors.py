"""Every error exposure-kg raises on purpose, in one shallow hierarchy.

The CLI turns these into a message and an exit status; library users catch them by class.
Messages name the file, the line or row, the offending value and what to do about it. One
kind of mistake raises one type wherever it is made: an unknown format is a
:class:`FormatError` whether a query result, an export, a report or a graph file asks for it.

Examples
--------
>>> from graph.store.sparql import QueryResult, format_result
>>> format_result(QueryResult(["x"]), "xlsx")
Traceback (most recent call last):
    ...
graph.errors.FormatError: unknown format 'xlsx'; use one of table, csv, json
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ExposureKGError",
    "InputError",
    "OntologyError",
    "QueryError",
    "GraphNotFoundError",
    "ResolutionError",
    "GraphTooLargeError",
    "ArgumentError",
    "ExportError",
    "StoreError",
    "FormatError",
    "BuildError",
    "OutputError",
    "FetchError",
    "ShapeError",
    "ServeError",
]


class ExposureKGError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(ExposureKGError):
    """A source file cannot be read as the facts it claims to hold.

    Parameters
    ----------
    path : path-like
        The file at fault.
    message : str
        What is wrong, naming the offending value.
    line : int, optional
        The 1-based line (text files) or row (tables) at fault.
    hint : str, optional
        What the user can do about it.
    unit : str
        ``"line"`` for text and fact files, ``"row"`` for tables.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        hint: str | None = None,
        unit: str = "line",
    ) -> None:
        self.path = str(path)
        self.line = line
        self.hint = hint
        self.detail = message
        where = self.path if line is None else f"{self.path}, {unit} {line}"
        text = f"{where}: {message}"
        if hint:
            text += f"\n  hint: {hint}"
        super().__init__(text)


class OntologyError(ExposureKGError):
    """The ontology files are missing or contradict what the code reads from them."""


class QueryError(ExposureKGError):
    """A SPARQL query is unknown, malformed, or given parameters it does not take."""


class GraphNotFoundError(ExposureKGError):
    """A graph file or store named by the user does not exist."""


class ResolutionError(ExposureKGError):
    """A name or key cannot be resolved to one entity."""


class GraphTooLargeError(ExposureKGError):
    """A view has more entities than a page can show usefully; the message says how to focus."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"the view has {size:,} entities, more than the limit of {limit:,}; show part of it "
            "instead: --focus NAME --hops 1 (one entity and its neighbours), --class Company "
            "(some classes), --exposure (the exposure paths), or raise --max-nodes"
        )


class ArgumentError(ExposureKGError, ValueError):
    """An analysis was given an argument it cannot use (unknown country, kind, class, date).

    ``param`` names the argument (``"country"``), so that the CLI can point at its option.
    """

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(message)


class ExportError(ExposureKGError):
    """The graph cannot be written in the requested format, or the output is invalid."""


class StoreError(ExposureKGError):
    """A store spec is malformed, or a store or server refused to be written."""


class FormatError(ExposureKGError, ValueError):
    """A format is asked for that is not written or read here: the message lists those that are.

    Raised for query results, exports, exposure reports, serialisation and graph files whose
    suffix names no known format.
    """


class BuildError(ExposureKGError):
    """The graph was built but is broken (SHACL violations); nothing was written.

    Parameters
    ----------
    violations : list of graph.check.validate.Violation
        Every failed constraint, each shown on its own line of the message.
    """

    def __init__(self, violations: list) -> None:
        self.violations = violations
        lines = "\n".join(f"  {v}" for v in violations)
        super().__init__(f"the graph has {len(violations)} violation(s); out/ was left as it was:\n{lines}")


class FetchError(ExposureKGError):
    """A list could not be fetched: no answer, an HTTP error, a redirect to an undeclared host.

    Nothing in ``data/lists/`` changed; the message names the list, the URL and what to do.
    """


class OutputError(ExposureKGError):
    """An output cannot be written where it was asked for (a device, a link, a file for a folder)."""


class ShapeError(ExposureKGError):
    """A SHACL shape uses a feature the SPARQL compiler of :mod:`graph.check.shapes` does not handle."""


class ServeError(ExposureKGError):
    """The endpoint cannot start: its port is taken or its address cannot be bound."""
