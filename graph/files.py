"""Files the project writes: deterministic serialisation and atomic writes.

Every output (the graph, exports, pages, reports, the extraction cache) is written with
:func:`write_atomic`, so that a reader never sees half a file and a failed run leaves the
previous file in place; graphs are serialised with :func:`serialize`, so that the same
triples always give the same bytes.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from rdflib import Graph, Literal, RDF
>>> from graph.ontology import KG, KGR
>>> g = Graph()
>>> _ = g.add((KGR["org/acme"], RDF.type, KG.Company))
>>> path = write_atomic(Path(tempfile.mkdtemp()) / "g.ttl", serialize(g, "turtle"))
>>> path.read_text().splitlines()[-1]
'<https://w3id.org/exposure-kg/id/org/acme> a kg:Company .'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph

from .errors import FormatError, InputError
from .terms import PREFIXES, union_triples
from .turtle import trig, turtle

__all__ = ["serialize", "write_atomic", "read_text", "load_yaml", "LineDict"]


def serialize(graph: Graph | Dataset, fmt: str) -> bytes:
    """Serialise deterministically: the same triples always give the same bytes.

    ``fmt`` is ``"turtle"`` (a Graph, or the union of a Dataset's graphs) or ``"trig"`` (a
    Dataset, one block per named graph in IRI order). See :mod:`graph.turtle`.

    Raises
    ------
    FormatError
        Another ``fmt``, or ``"trig"`` asked of a Graph.
    """
    if fmt == "turtle":
        return turtle(union_triples(graph), PREFIXES).encode("utf-8")
    if fmt == "trig" and isinstance(graph, Dataset):
        return trig(graph, PREFIXES).encode("utf-8")
    raise FormatError(f"serialize writes 'turtle' for a Graph or 'trig' for a Dataset, not {fmt!r}")


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


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
