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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from .errors import BuildError
from .files import serialize, write_atomic
from .ontology import load_ontology
from .rdf import to_dataset
from .resolve import Resolution, find_decisions, resolve
from .sources import Batch, Reader, read_sources
from .validate import Violation, validate

__all__ = ["BuildResult", "build", "build_dataset"]

Progress = Callable[[Reader, Batch], None]


@dataclass
class BuildResult:
    dataset: Dataset
    batches: list[Batch]
    resolution: Resolution
    outputs: list[Path] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    #: (source id, "extracted" or "cached") for every article the extractor read
    extraction: list[tuple[str, str]] = field(default_factory=list)


def build_dataset(paths: Iterable[Path], *, progress: Progress | None = None, extract: bool = True,
                  cache=None) -> BuildResult:
    """Read and resolve every source under ``paths`` into a Dataset, in memory.

    With ``extract``, each article's extracted statements join its named graph
    (``graph.extract``); ``cache`` is an ``ExtractCache`` that skips unchanged articles.
    """
    model = load_ontology()
    paths = list(paths)
    batches = read_sources(paths, progress=progress)
    report: list[tuple[str, str]] = []
    if extract:
        from .extract.build import extract_sources

        run = extract_sources(paths, batches, model, cache=cache, progress=progress)
        batches, report = batches + run.batches, run.report
    resolution = resolve(batches, model, find_decisions(paths))
    if extract:
        from .extract.build import drop_unmerged_incomplete

        drop_unmerged_incomplete(batches, resolution)
    dataset = to_dataset(batches, resolution, model)
    return BuildResult(dataset=dataset, batches=batches, resolution=resolution, extraction=report)


def build(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    check: bool = True,
    progress: Progress | None = None,
    extract: bool = True,
) -> BuildResult:
    """Build the graph from ``paths`` and write ``graph.trig`` and ``graph.ttl`` to ``out_dir``.

    Nothing is written unless the whole build succeeds. Extraction results are cached in
    ``out_dir/cache/extract`` (see ``graph.extract.cache``).

    Raises
    ------
    InputError
        A source file cannot be read (named with its line or row); nothing is written.
    BuildError
        The graph breaks the SHACL shapes; nothing is written.
    """
    from .extract.cache import ExtractCache

    cache = ExtractCache(out_dir / "cache" / "extract") if extract else None
    result = build_dataset(paths, progress=progress, extract=extract, cache=cache)
    if check:
        result.violations = validate(result.dataset)
        if result.violations:
            raise BuildError(result.violations)
    outputs = {
        "graph.trig": serialize(result.dataset, "trig"),
        "graph.ttl": serialize(result.dataset, "turtle"),
    }
    result.outputs = [write_atomic(out_dir / name, data) for name, data in outputs.items()]
    if cache is not None:
        cache.commit()
    return result
