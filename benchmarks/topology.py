"""Benchmark: writing a store's topology arrays, read from the store against projected first.

Run from the repository root with the package installed, on a store that ``kg build --store
oxigraph:DIR`` made (``benchmarks/build.py --keep DIR`` keeps one per size)::

    .venv/bin/python benchmarks/topology.py STORE [--repeats 3]

The store is opened read-only and never written: each way writes its file in a temporary
folder, in a process of its own (so that each peak memory is its own):

- ``projection``: what :func:`graph.network.topology.file.write_topology` did before, the arrays
  of :func:`graph.network.project` (``sources=False``) of the store;
- ``store``: what it does now, :func:`graph.network.topology.arrays.store_arrays` (SPARQL joins and
  aggregates in Oxigraph, only the terms the arrays hold decoded).

Prints a Markdown table of the medians of CPU time (``time.process_time``), wall time and peak
resident memory (``ru_maxrss``), the ratio, and whether the two files are byte-identical (they
must be: same arrays, same fingerprint).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import pyoxigraph as ox
import graph.network.topology.file as topology
from graph.network.topology.arrays import projection_arrays
from graph.model.ontology import load_ontology
import graph.network.projection  # imported by both ways: not timed

way, folder, out = sys.argv[1:4]
model = load_ontology()
store = ox.Store.read_only(folder)
topology.topology_file = lambda _folder: Path(out)  # the store's folder stays untouched
if way == "projection":
    def read(store, model):
        members = projection_arrays(graph.network.projection.project(store, model=model, sources=False))
        members["meta"]["edge_kinds"] = {str(e.cls): e.kind for e in model.edge_kinds()}
        return members
    topology.store_arrays = read  # what write_topology calls
wall, cpu = time.perf_counter(), time.process_time()
topology.write_topology(store, folder, model=model)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"cpu": cpu, "wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(way: str, store: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, way, str(store), str(out)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="an Oxigraph store written by kg build --store")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"projection": [], "store": []}
    with tempfile.TemporaryDirectory() as tmp:
        files = {way: Path(tmp) / f"{way}.npz" for way in results}
        for _ in range(args.repeats):
            for way in results:  # interleaved: a busy moment weighs on both
                results[way].append(run(way, args.store, files[way]))
        identical = files["projection"].read_bytes() == files["store"].read_bytes()
    median = {way: {k: statistics.median(r[k] for r in runs) for k in ("cpu", "wall", "rss_mb")}
              for way, runs in results.items()}
    print(f"{args.store}: {args.repeats} run(s) each, medians; files byte-identical: {identical}\n")
    print("| way | CPU s | wall s | peak MB |")
    print("| --- | ---: | ---: | ---: |")
    for way, m in median.items():
        print(f"| {way} | {m['cpu']:.2f} | {m['wall']:.2f} | {m['rss_mb']:.0f} |")
    ratio = median["projection"]["cpu"] / median["store"]["cpu"]
    print(f"\nCPU ratio projection / store: {ratio:.1f}x")
    if not identical:
        sys.exit("the two ways wrote different files")


if __name__ == "__main__":
    main()
