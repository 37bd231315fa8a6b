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

import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from graph.io.apart import start
from graph.errors import BuildError
from graph.io.files import write_together
from graph.io.memory import paused_gc
from graph.model.ontology import Ontology, load_ontology
from graph.io.progress import Progress as Phases
from graph.builder.rdf import to_dataset, to_store
from graph.io.spool import spooling
from graph.model.terms import PREFIXES
from graph.io.turtle import write_from_store
from graph.resolve import Resolution, find_decisions, resolve
from graph.sources import Batch, Reader, discover, read_files
from graph.check.validate import Violation, validate

__all__ = ["BuildResult", "build", "build_dataset", "save_built"]

Progress = Callable[[Reader, Batch], None]


@dataclass
class BuildResult:
    """What a build read, resolved and wrote.

    ``dataset`` is an rdflib Dataset of the graph, made on first use from the statements (a
    build itself streams its quads into Oxigraph and never makes it: at the size of real data
    it would not fit in memory). ``quads`` counts the quads the build wrote, ``triples`` the
    distinct triples of their union (``len(dataset)``).
    """

    batches: list[Batch]
    resolution: Resolution
    outputs: list[Path] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    #: (source id, "extracted" or "cached") for every article the extractor read
    extraction: list[tuple[str, str]] = field(default_factory=list)
    model: Ontology | None = field(default=None, repr=False)
    quads: int = 0
    triples: int = 0
    #: True when ``build(..., store_into=...)`` moved the build's store there
    store_adopted: bool = False
    #: True when ``build(..., keep=False)`` freed the statements once written
    released: bool = False
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            if self.released:  # the statements are gone: the graph is in the files written
                from graph.store.backends import open_graph

                self._dataset = open_graph(self.outputs[0])
            else:
                self._dataset = to_dataset(self.batches, self.resolution, self.model or load_ontology())
        return self._dataset


def build_dataset(paths: Iterable[Path], *, progress: Progress | None = None, extract: bool = True,
                  cache=None, phases: Phases | None = None) -> BuildResult:
    """Read and resolve every source under ``paths``; the Dataset is made on first use.

    With ``extract``, the extractor reads the articles as one more reader, after the others
    (:class:`graph.extract.build.ExtractReader`), and their extracted statements join their
    named graphs; ``cache`` is an ``ExtractCache`` that skips unchanged articles.
    ``phases`` (a :class:`graph.io.progress.Progress`) shows and times each phase.
    """
    phases = phases or Phases(enabled=False)
    try:
        result = _resolved(paths, progress=progress, extract=extract, cache=cache, phases=phases)
        statements = sum(len(b.statements) for b in result.batches)
        with phases.phase("RDF", total=statements, unit="statements") as phase:
            result.triples = len(result.dataset)
            result.quads = sum(1 for _ in result.dataset.quads((None, None, None, None)))
            phase.advance(statements)
    finally:
        gc.unfreeze()
    return result


def _resolved(paths: Iterable[Path], *, progress: Progress | None, extract: bool, cache,
              phases: Phases) -> BuildResult:
    """Read, extract and resolve: everything before RDF is written."""
    model = load_ontology()
    paths = list(paths)
    later: list[Reader] = []
    if extract:
        from graph.extract.build import ExtractReader  # its rules and models load only when it runs
        from graph.extract.reject import find_rejections

        later.append(ExtractReader(model, cache=cache, rejections=find_rejections(paths)))
    # Reading and resolving make millions of objects and no cycles: the collector, which
    # walks every live object each time enough new ones survive, is held off until both are
    # done (at a million lines it took 34 of the 53 s of reading, 20 of the 88 s of resolving).
    with paused_gc():
        batches, resolution = _read_and_resolve(paths, model, later, progress, phases)
    # The statements and the resolution live until written: the collector need not walk them
    # again and again; the callers unfreeze.
    gc.freeze()
    report = later[0].report if later else []
    return BuildResult(batches=batches, resolution=resolution, extraction=report, model=model)


def _read_and_resolve(paths: list[Path], model: Ontology, later: list[Reader], progress: Progress | None,
                      phases: Phases) -> tuple[list[Batch], Resolution]:
    """The readers' batches and their resolution, each a phase of ``phases``."""
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
    return batches, resolution


#: from this many quads on, the shapes are checked in a second process while the files are
#: written from the same store (starting it costs about a second; see graph.io.apart)
VALIDATE_APART_FROM = 300_000


def build(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    check: bool = True,
    progress: Progress | None = None,
    extract: bool = True,
    phases: Phases | None = None,
    keep: bool = True,
    store_into: str | None = None,
) -> BuildResult:
    """Build the graph from ``paths`` and write ``graph.trig`` and ``graph.ttl`` to ``out_dir``.

    Nothing is written unless the whole build succeeds. Extraction results are cached in
    ``out_dir/cache/extract`` (see ``graph.extract.cache``). ``phases`` (a
    :class:`graph.io.progress.Progress`) shows each phase on a terminal and times it.

    With ``keep=False`` the lists' statements wait on disk between the passes that read them
    (:mod:`graph.io.spool`), and they and the resolver's name index are freed as soon as the
    quads are written (``kg build`` does so: a big list's statements take gigabytes); the
    result keeps each batch's counts and warnings, and ``resolution.by_key``. With
    ``store_into`` (``oxigraph:DIR``), the build's own Oxigraph store becomes that store when
    :func:`graph.store.backends.adopt_store` allows it (``result.store_adopted`` says whether it did).

    Raises
    ------
    InputError
        A source file cannot be read (named with its line or row); nothing is written.
    BuildError
        The graph breaks the SHACL shapes; nothing is written.
    """
    from graph.extract.cache import ExtractCache
    import pyoxigraph as ox

    cache = ExtractCache(out_dir / "cache" / "extract") if extract else None
    phases = phases or Phases(enabled=False)
    # The spooled statements and the quads go to a folder beside out_dir, named like
    # write_together's staging folders so that a killed build's leftovers are removed by the next one.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-{os.getpid()}-build", dir=out_dir.parent))
    store = checking = None
    try:
        # Statements the result need not keep wait on disk, in chunks, between the passes
        # that read them (graph.io.spool): a big list's would take gigabytes as objects.
        with spooling(work / "statements") if not keep else nullcontext():
            result = _resolved(paths, progress=progress, extract=extract, cache=cache, phases=phases)
        if not keep:
            result.resolution.index = None  # matching names is done; writing RDF needs the IRIs only
        store = ox.Store(str(work / "store"))
        statements = sum(len(b.statements) for b in result.batches)
        with phases.phase("RDF", total=statements, unit="statements") as phase:
            with paused_gc():  # the statements decoded and the text made hold no cycles
                graphs = to_store(result.batches, result.resolution, result.model, store)
            store.flush()
            # The bulk loader leaves many overlapping files; compacted once, the store reads
            # faster for the files written next (at 100k lines, 2 s spent save 3), and the
            # second process that checks the shapes, which sees the files as they were when
            # it opened them, does not search hundreds of them for every look-up.
            store.optimize()
            phase.advance(statements)
        if not keep:
            _release(result)
        result.quads = len(store)
        if check and result.quads >= VALIDATE_APART_FROM:
            checking = _CheckApart(work / "store")
        outputs = {"graph.trig": work / "graph.trig", "graph.ttl": work / "graph.ttl"}
        with phases.phase("serialize", total=2, unit="files") as phase:
            result.triples = write_from_store(store, graphs, PREFIXES, outputs["graph.trig"],
                                              outputs["graph.ttl"])
            phase.advance(2)
        if check:
            # the shapes run as SPARQL in Oxigraph, on the store the quads went to (in a
            # second process, beside the writing, for a big graph); pyshacl stays available
            # as validate(engine="pyshacl")
            with phases.phase("validate", total=result.quads, unit="quads") as phase:
                result.violations = _checked(checking, store)
                phase.advance(result.quads)
            if result.violations:
                raise BuildError(result.violations)
        files: dict[str, bytes | str | Path] = dict(outputs)
        if cache is not None:
            files.update(cache.pending_files(out_dir))
        size = sum(v.stat().st_size if isinstance(v, Path) else len(v) for v in files.values())
        # The graph files and the cache entries of one build appear together or not at all.
        with phases.phase("write", total=size, unit="bytes") as phase:
            written = write_together(out_dir, files)
            phase.advance(size)
        if store_into is not None:
            from graph.store.backends import adopt_store

            store = None  # closed, so that its folder can move
            with phases.phase("store", total=result.quads, unit="quads") as phase:
                result.store_adopted = adopt_store(work / "store", store_into, graphs)
                if result.store_adopted:
                    # in this process: it reuses the memory the build's statements left free,
                    # where a second process would add its own gigabytes (measured at 1M lines)
                    _write_topology(store_into)
                phase.advance(result.quads)
    finally:
        gc.unfreeze()
        if checking is not None:
            checking.stop()
        del store
        shutil.rmtree(work, ignore_errors=True)
    result.outputs = written[: len(outputs)]
    if cache is not None:
        cache.pending.clear()
    return result


def save_built(dataset: Dataset | None, spec: str, *, file: Path | None = None, **options) -> int:
    """Write a built dataset into the store ``spec`` as :func:`graph.store.backends.save_graph`
    does, and an Oxigraph store's topology arrays beside it; return the number of quads.

    ``kg exposure`` on ``oxigraph:DIR`` reads the arrays instead of the whole graph
    (:func:`graph.network.topology.file.write_topology`, which checks they still match the store).

    Examples
    --------
    >>> import tempfile
    >>> from graph.store.backends import open_graph
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> save_built(open_graph("tests/protocol/dataset.trig"), f"oxigraph:{folder}") > 0
    True
    >>> (folder / "kg-topology.npz").is_file()
    True
    """
    from graph.store.backends import save_graph
    from graph.store.specs import parse_spec

    quads = save_graph(dataset, spec, file=file, **options)
    if parse_spec(spec).kind == "oxigraph":
        _write_topology(spec)
    return quads


def _write_topology(spec: str) -> None:
    import pyoxigraph as ox

    from graph.network.topology.file import write_topology
    from graph.store.specs import parse_spec

    folder = parse_spec(spec).location
    write_topology(ox.Store.read_only(str(folder)), folder)


def _release(result: BuildResult) -> None:
    """Free what only writing the quads needed: the statements and the resolver's reports."""
    for batch in result.batches:
        batch.statements = []
    resolution = result.resolution  # its name index went before the quads were written
    resolution.log.clear()
    resolution.near_misses.clear()
    resolution.merges.clear()
    resolution.names.clear()
    result.released = True


class _CheckApart:
    """The shapes checked on the store in ``folder`` by a second Python process, started at once.

    The child (``python -m graph.check.validate FOLDER``) opens the store read-only (nothing writes
    to it any more) and sends back its violations, or the exception that stopped it, pickled
    on its standard output (:mod:`graph.io.apart`).
    """

    def __init__(self, folder: Path) -> None:
        self.process = start("graph.check.validate", str(folder))

    def result(self) -> list[Violation] | None:
        """The violations, or None when the process died without an answer (out of memory)."""
        import pickle

        answer, _ = self.process.communicate()
        try:
            kind, value = pickle.loads(answer)
        except Exception:  # no answer, or a cut one
            return None
        if kind == "error":
            raise value
        return value

    def stop(self) -> None:
        if self.process.returncode is None:  # not answered yet: the build stopped early
            self.process.kill()
            self.process.communicate()


def _checked(checking: _CheckApart | None, store) -> list[Violation]:
    """The violations: from the second process when one runs, else checked here."""
    found = checking.result() if checking is not None else None
    return validate(store) if found is None else found
