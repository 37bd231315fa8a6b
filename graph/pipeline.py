"""The build: read sources, resolve, write RDF, validate, and write outputs atomically.

Examples
--------
>>> from pathlib import Path
>>> import tempfile
>>> result = build([Path("data")], Path(tempfile.mkdtemp()) / "out")  # doctest: +SKIP
>>> sorted(p.name for p in result.outputs)                              # doctest: +SKIP
['graph.trig', 'graph.ttl']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import ExposureKGError
from .ontology import load_ontology
from .rdf import bind_prefixes, to_dataset
from .resolve import Resolution, find_decisions, resolve
from .sources import Batch, Reader, read_sources
from .validate import Violation, union_graph, validate

__all__ = ["BuildResult", "BuildError", "build", "build_dataset", "write_atomic", "serialize"]

Progress = Callable[[Reader, Batch], None]


class BuildError(ExposureKGError):
    """The graph was built but is broken (SHACL violations); nothing was written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = "\n".join(f"  {v}" for v in violations)
        super().__init__(f"the graph has {len(violations)} violation(s); out/ was left as it was:\n{lines}")


@dataclass
class BuildResult:
    dataset: Dataset
    batches: list[Batch]
    resolution: Resolution
    outputs: list[Path] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def build_dataset(paths: Iterable[Path], *, progress: Progress | None = None) -> BuildResult:
    """Read and resolve every source under ``paths`` into a Dataset, in memory."""
    model = load_ontology()
    paths = list(paths)
    batches = read_sources(paths, progress=progress)
    resolution = resolve(batches, model, find_decisions(paths))
    dataset = to_dataset(batches, resolution, model)
    return BuildResult(dataset=dataset, batches=batches, resolution=resolution)


def build(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    check: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the graph from ``paths`` and write ``graph.trig`` and ``graph.ttl`` to ``out_dir``.

    Nothing is written unless the whole build succeeds: bad input raises InputError and a
    graph that breaks the SHACL shapes raises BuildError, both before any output is touched.
    """
    result = build_dataset(paths, progress=progress)
    if check:
        result.violations = validate(result.dataset)
        if result.violations:
            raise BuildError(result.violations)
    outputs = {
        "graph.trig": serialize(result.dataset, "trig"),
        "graph.ttl": serialize(union_graph(result.dataset), "turtle"),
    }
    result.outputs = [write_atomic(out_dir / name, data) for name, data in outputs.items()]
    return result


def serialize(graph: Graph | Dataset, fmt: str) -> bytes:
    """Serialise deterministically: the same triples always give the same bytes.

    ``fmt`` is ``"turtle"`` for a Graph or ``"trig"`` for a Dataset. rdflib's TriG writer
    orders named graphs by hash, so TriG is written here graph by graph in IRI order, each
    body from the (sorted) Turtle writer.
    """
    if fmt == "turtle":
        return _turtle(graph)
    if fmt != "trig" or not isinstance(graph, Dataset):
        raise ValueError(f"serialize writes 'turtle' for a Graph or 'trig' for a Dataset, not {fmt!r}")
    header: list[str] = []
    blocks: list[str] = []
    for context in sorted(graph.graphs(), key=lambda g: str(g.identifier)):
        if len(context) == 0:
            continue
        body = Graph()
        bind_prefixes(body)
        for triple in context:
            body.add(triple)
        lines = _turtle(body).decode("utf-8").splitlines()
        prefixes = [line for line in lines if line.startswith("@prefix")]
        header.extend(p for p in prefixes if p not in header)
        content = [line for line in lines if not line.startswith("@prefix")]
        while content and not content[0].strip():
            content.pop(0)
        indented = "\n".join(("    " + line) if line.strip() else "" for line in content).rstrip()
        blocks.append(f"<{context.identifier}> {{\n{indented}\n}}\n")
    return ("\n".join(sorted(header)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _turtle(graph: Graph) -> bytes:
    bind_prefixes(graph)
    data = graph.serialize(format="turtle", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


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
