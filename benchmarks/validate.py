"""Benchmark: the SHACL shapes on the graph of ``data/``, compiled to SPARQL in Oxigraph against pyshacl.

Run from the repository root with the package installed::

    .venv/bin/python benchmarks/validate.py [--repeats 3]

Builds ``data/`` once (no validation, extraction from the cache), then times, ``--repeats``
times each:

- ``pyshacl``: what the build ran before, :func:`graph.validate.validate` with
  ``engine="pyshacl"`` on the built rdflib Dataset (its union copied into one Graph, then pyshacl);
- ``oxigraph``: what the build runs now, the TriG it writes anyway bulk-loaded into an in-memory
  Oxigraph store, then the compiled shapes (``engine="oxigraph"``), load included.

Prints a Markdown table of medians and the ratio; both engines must return the same violations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from graph.pipeline import build_dataset, serialize
from graph.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    from graph.extract.cache import ExtractCache

    cache = ExtractCache(Path(tempfile.mkdtemp()) / "extract")
    dataset = build_dataset([ROOT / "data"], cache=cache).dataset
    trig = serialize(dataset, "trig")
    results = {}

    def ours():
        store = ox.Store()
        store.bulk_load(input=trig, format=ox.RdfFormat.TRIG)
        return validate(store)

    for name, run in (("pyshacl", lambda: validate(dataset, engine="pyshacl")), ("oxigraph", ours)):
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            results[name] = run()
            times.append(time.perf_counter() - start)
        results[name + " time"] = statistics.median(times)
    if results["pyshacl"] != results["oxigraph"]:
        print("the two engines disagree:", results["pyshacl"][:5], results["oxigraph"][:5], file=sys.stderr)
        return 1
    slow, fast = results["pyshacl time"], results["oxigraph time"]
    print(f"graph of data/: {len(dataset)} triples, {len(results['pyshacl'])} violation(s) from both engines, "
          f"median of {args.repeats}\n")
    print("| validation | median | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| pyshacl on the rdflib Dataset | {slow:.2f} s | 1.0x |")
    print(f"| shapes as SPARQL in Oxigraph (TriG load included) | {fast:.3f} s | {slow / fast:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
