"""Benchmark: the SHACL shapes compiled to SPARQL in Oxigraph, against the v0.2.0 queries and pyshacl.

Run from the repository root with the package installed::

    .venv/bin/python benchmarks/validate.py [--repeats 3]
    .venv/bin/python benchmarks/validate.py --store oxigraph:DIR [--repeats 3] [--pyshacl] [--no-baseline]
    .venv/bin/python benchmarks/validate.py --graph FILE.trig [--repeats 3] [--pyshacl]

Without ``--store`` or ``--graph`` it builds ``data/`` once (no validation, extraction from a
fresh cache) and bulk-loads its TriG into an Oxigraph store on disk, in a temporary folder, as
the build validates its own store; ``--graph FILE`` does the same with a TriG, N-Quads, Turtle
or N-Triples file; ``--store oxigraph:DIR`` opens a built store read-only (``kg build --store
oxigraph:DIR``; nothing is written into it). Then it times, ``--repeats`` times each, in this
one process:

- ``nested loops``, the baseline: the queries ``graph.check.shapes`` compiled up to v0.2.0
  (``FILTER NOT EXISTS`` per focus node, targets first, ``rdf:type/rdfs:subClassOf*`` checked
  per value), kept here as ``NestedLoops`` and compiled from the same ``ontology/shapes.ttl``;
- ``hash joins``: what :func:`graph.check.validate.validate` runs now (``graph.check.shapes``);
- ``pyshacl`` (on ``data/``, or with ``--pyshacl``): the store copied into one rdflib Graph,
  then pyshacl, as ``validate(engine="pyshacl")`` does.

Every constraint is run alone, so the table gives each one's CPU time (``time.process_time``,
median of the repeats) and the totals are the sums of those medians, with the wall times
beside them. All engines must report the same violations, or the script exits with 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.check import shapes
from graph.model.ontology import ontology_dir
from graph.check.shapes import check_store

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
           ".nt": ox.RdfFormat.N_TRIPLES}


class NestedLoops(shapes._Forms):
    """The queries of ``graph.check.shapes`` up to v0.2.0: targets first, a lookup per focus node."""

    def target(self, parts):
        union = " UNION ".join(f"{{ {part} }}" for part in parts)
        return f"{{ SELECT DISTINCT ?focus WHERE {{ {union} }} }}"

    @staticmethod
    def _each_value(target, p, test):
        return f"SELECT DISTINCT ?focus WHERE {{ {target} ?focus {p} ?value . {test} }}"

    @staticmethod
    def _counted(target, p, test, *, optional):
        values = f"OPTIONAL {{ ?focus {p} ?value }}" if optional else f"?focus {p} ?value ."
        return (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) "
                f"WHERE {{ {target} {values} }} GROUP BY ?focus }} FILTER({test}) }}")

    def fewer(self, target, p, n):
        if n == 1:
            return f"SELECT DISTINCT ?focus WHERE {{ {target} FILTER NOT EXISTS {{ ?focus {p} ?value }} }}"
        return self._counted(target, p, f"?n < {n}", optional=True)

    def more(self, target, p, n):
        return self._counted(target, p, f"?n > {n}", optional=False)

    def failing(self, target, p, test):
        return self._each_value(target, p, f"FILTER({test})")

    def not_of_datatype(self, target, p, datatype):
        test = f"!isLiteral(?value) || datatype(?value) != <{datatype}>"
        if datatype in shapes._CASTABLE:
            test += f" || !COALESCE(<{datatype}>(STR(?value)) = <{datatype}>(STR(?value)), false)"
        return self.failing(target, p, test)

    def not_instances(self, target, p, cls):
        return self._each_value(target, p, f"FILTER NOT EXISTS {{ {self._instances(cls)} }}")

    def instances(self, target, p, cls):
        return self._each_value(target, p, f"FILTER EXISTS {{ {self._instances(cls)} }}")

    def none_of(self, target, paths):
        tests = " || ".join(f"EXISTS {{ ?focus {p} ?any }}" for p in paths)
        return f"SELECT DISTINCT ?focus WHERE {{ {target} FILTER(!({tests})) }}"


def timed(run, repeats: int):
    """``run()``'s result and the medians of its CPU and wall times over ``repeats`` runs."""
    cpu, wall = [], []
    for _ in range(repeats):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        result = run()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return result, statistics.median(cpu), statistics.median(wall)


def open_store(args, folder: str) -> tuple[ox.Store, str, Graph | None]:
    """The store to check (in ``folder`` unless given), what it holds, and the Dataset of data/'s build."""
    if args.store:
        if not args.store.startswith("oxigraph:"):
            raise SystemExit(f"--store takes oxigraph:DIR, not {args.store!r}")
        return ox.Store.read_only(args.store.removeprefix("oxigraph:")), f"the store {args.store}", None
    # on disk, not in memory: the build validates the store it writes, and an index lookup
    # there costs several times what it costs in memory
    store = ox.Store(str(Path(folder) / "store"))
    if args.graph:
        path = Path(args.graph)
        if path.suffix not in FORMATS:
            raise SystemExit(f"--graph takes a {', '.join(FORMATS)} file, not {path}")
        start = time.perf_counter()
        store.bulk_load(path=str(path), format=FORMATS[path.suffix])
        return store, f"{path} (loaded in {time.perf_counter() - start:.1f} s)", None
    from graph.extract.cache import ExtractCache
    from graph.builder.pipeline import build_dataset
    from graph.io.files import serialize

    cache = ExtractCache(Path(folder) / "extract")
    dataset = build_dataset([ROOT / "data"], cache=cache).dataset
    store.bulk_load(input=serialize(dataset, "trig"), format=ox.RdfFormat.TRIG)
    return store, "the graph of data/", dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--store", help="oxigraph:DIR, a store made by kg build --store (opened read-only)")
    where.add_argument("--graph", help="a .trig, .nq, .ttl or .nt file, loaded into a store on disk")
    parser.add_argument("--pyshacl", action="store_true", help="time pyshacl too (default on data/ only)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the v0.2.0 queries (minutes at a million lines)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="validate-") as folder:
        return run(args, *open_store(args, folder))


def run(args, store: ox.Store, what: str, dataset: Graph | None) -> int:
    """Time every engine on ``store``, print the tables; 1 if the engines disagree."""
    quads = len(store)
    now = shapes.compile_shapes()
    before = shapes._compile(Graph().parse(ontology_dir() / "shapes.ttl", format="turtle"), NestedLoops())
    assert [(c.shape, c.path, c.component) for c in before] == [(c.shape, c.path, c.component) for c in now]

    engines = {"nested loops": before, "hash joins": now}
    if args.no_baseline:
        del engines["nested loops"]
    times = {name: [] for name in engines}
    reports, totals = {name: set() for name in engines}, {}
    for i, constraint in enumerate(now):
        for name, constraints in engines.items():
            found, cpu, wall = timed(lambda one=constraints[i]: check_store(store, (one,)), args.repeats)
            reports[name].update(found)
            times[name].append(cpu)
            cpu_total, wall_total = totals.get(name, (0.0, 0.0))
            totals[name] = (cpu_total + cpu, wall_total + wall)
        print(f"  {constraint.shape} {constraint.path} {constraint.component}: "
              + " -> ".join(f"{times[name][-1]:.3f} s" for name in engines), file=sys.stderr)
    results = {name: sorted(found) for name, found in reports.items()}
    if args.pyshacl or dataset is not None:
        from graph.check.validate import validate

        graph = dataset if dataset is not None else store
        results["pyshacl"], cpu, wall = timed(lambda: validate(graph, engine="pyshacl"), args.repeats)
        totals["pyshacl"] = (cpu, wall)
    first = results["hash joins"]
    for name, found in results.items():
        if found != first:
            print(f"{name} disagrees with hash joins:", found[:5], first[:5], file=sys.stderr)
            return 1

    print(f"{what}: {quads:,} quads, {len(first)} violation(s) from every engine, "
          f"medians of {args.repeats}\n")
    slow = times.get("nested loops", [None] * len(now))
    print("| shape | path | constraint | nested loops (CPU) | hash joins (CPU) | ratio |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for constraint, before_cpu, cpu in sorted(zip(now, slow, times["hash joins"]), key=lambda row: -(row[1] or row[2])):
        path = (constraint.path or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        old = "not run" if before_cpu is None else f"{before_cpu:.3f} s"
        ratio = "" if before_cpu is None else f"{before_cpu / max(cpu, 1e-4):.1f}x"
        print(f"| {constraint.shape} | {path} | {constraint.component} | {old} | {cpu:.3f} s | {ratio} |")
    print("\n| validation | CPU | wall | ratio (CPU) |")
    print("| --- | ---: | ---: | ---: |")
    base = totals.get("nested loops", (None,))[0]
    for name, (cpu, wall) in totals.items():
        print(f"| {name} | {cpu:.2f} s | {wall:.2f} s | {'' if base is None else f'{base / cpu:.2f}x'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
