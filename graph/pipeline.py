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
from .files import serialize, write_together
from .ontology import load_ontology
from .progress import Progress as Phases
from .rdf import to_dataset
from .resolve import Resolution, find_decisions, resolve
from .sources import Batch, Reader, discover, read_files
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
                  cache=None, phases: Phases | None = None) -> BuildResult:
    """Read and resolve every source under ``paths`` into a Dataset, in memory.

    With ``extract``, the extractor reads the articles as one more reader, after the others
    (:class:`graph.extract.build.ExtractReader`), and their extracted statements join their
    named graphs; ``cache`` is an ``ExtractCache`` that skips unchanged articles.
    ``phases`` (a :class:`graph.progress.Progress`) shows and times each phase.
    """
    model = load_ontology()
    paths = list(paths)
    phases = phases or Phases(enabled=False)
    later: list[Reader] = []
    if extract:
        from .extract.build import ExtractReader  # its rules and models load only when it runs
        from .extract.reject import find_rejections

        later.append(ExtractReader(model, cache=cache, rejections=find_rejections(paths)))
    files = list(discover(paths))  # data/ is walked once, for every reader
    total = len(files) + sum(1 for file, _, _ in files for reader in later if reader.claims(file))
    with phases.phase("read", total=total, unit="files") as phase:
        seen: set[tuple[str, str]] = set()

        def read(reader: Reader, batch: Batch) -> None:
            if (reader.name, batch.file) not in seen:
                seen.add((reader.name, batch.file))
                phase.advance()
            if progress is not None:
                progress(reader, batch)

        batches = read_files(files, progress=read, later=later)
    statements = sum(len(b.statements) for b in batches)
    with phases.phase("resolve", total=statements, unit="statements") as phase:
        resolution = resolve(batches, model, find_decisions(paths))
        phase.advance(statements)
    with phases.phase("RDF", total=statements, unit="statements") as phase:
        dataset = to_dataset(batches, resolution, model)
        phase.advance(statements)
    report = later[0].report if later else []
    return BuildResult(dataset=dataset, batches=batches, resolution=resolution, extraction=report)


def build(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    check: bool = True,
    progress: Progress | None = None,
    extract: bool = True,
    phases: Phases | None = None,
) -> BuildResult:
    """Build the graph from ``paths`` and write ``graph.trig`` and ``graph.ttl`` to ``out_dir``.

    Nothing is written unless the whole build succeeds. Extraction results are cached in
    ``out_dir/cache/extract`` (see ``graph.extract.cache``). ``phases`` (a
    :class:`graph.progress.Progress`) shows each phase on a terminal and times it.

    Raises
    ------
    InputError
        A source file cannot be read (named with its line or row); nothing is written.
    BuildError
        The graph breaks the SHACL shapes; nothing is written.
    """
    from .extract.cache import ExtractCache

    cache = ExtractCache(out_dir / "cache" / "extract") if extract else None
    phases = phases or Phases(enabled=False)
    result = build_dataset(paths, progress=progress, extract=extract, cache=cache, phases=phases)
    with phases.phase("serialize", total=2, unit="files") as phase:
        outputs = {}
        for name, fmt in (("graph.trig", "trig"), ("graph.ttl", "turtle")):
            outputs[name] = serialize(result.dataset, fmt)
            phase.advance()
    if check:
        # the shapes run as SPARQL in Oxigraph, on the TriG just made (its parser is faster
        # than converting rdflib terms); pyshacl stays available as validate(engine="pyshacl")
        with phases.phase("validate", unit="quads") as phase:
            store = _oxigraph_store(outputs["graph.trig"])
            phase.total(len(store))
            result.violations = validate(store)
            phase.advance(len(store))
        if result.violations:
            raise BuildError(result.violations)
    files = dict(outputs)
    if cache is not None:
        files.update(cache.pending_files(out_dir))
    # The graph files and the cache entries of one build appear together or not at all.
    with phases.phase("write", total=sum(map(len, files.values())), unit="bytes") as phase:
        written = write_together(out_dir, files)
        phase.advance(sum(map(len, files.values())))
    result.outputs = written[: len(outputs)]
    if cache is not None:
        cache.pending.clear()
    return result


def _oxigraph_store(trig_data: bytes):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(input=trig_data, format=ox.RdfFormat.TRIG)
    return store
