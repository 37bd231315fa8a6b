"""Benchmark: ``kg screen`` of a 10,000-row counterparty file against the graph of ``data/``.

Run from the repository root with the package installed, after ``kg build`` (or give a graph)::

    .venv/bin/python benchmarks/screen.py [--graph out/graph.trig] [--rows 10000] [--repeats 3]

The file is written by the benchmark (seeded): a third of its rows are names of the graph's
entities as they stand, a third the same names with one letter changed or dropped, a third
names no source uses. Prints medians (seconds) of:

- opening the graph, projecting it and indexing its names (``Screener`` set-up);
- screening every row (matching, listing, ownership, exposure paths);
- the whole command, ``kg screen FILE --format csv`` in-process (the target: <= 30 s);
- a naive matcher as baseline, measured in the same run: each row's key compared with every
  name key of the graph (rapidfuzz ``process.extractOne``, a C++ loop), on a sample of rows and
  extrapolated to all of them (the table says so);

and the ratio of the naive matcher to the screen's matching.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner
from rapidfuzz import fuzz, process

from graph.cli import main as kg
from graph.model.names import name_key
from graph.screening.screen import Screener, read_counterparties
from graph.store.backends import open_graph

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "out" / "graph.trig")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=500)
    args = parser.parse_args(argv)
    if not args.graph.is_file():
        print(f"no graph at {args.graph}: run 'kg build data --out out' first", file=sys.stderr)
        return 1
    graph = open_graph(args.graph)
    folder = Path(tempfile.mkdtemp(prefix="screen-bench-"))
    path = folder / "counterparties.csv"
    setup = Screener(graph)
    labels = sorted({e.label for e in setup.entries.values() if e.label})
    path.write_text(_file(labels, args.rows), encoding="utf-8")
    rows = read_counterparties(path)

    timings: dict[str, list[float]] = {"set-up": [], "screen rows": [], "whole command": []}
    for _ in range(args.repeats):
        start = time.perf_counter()
        screener = Screener(open_graph(args.graph))
        timings["set-up"].append(time.perf_counter() - start)
        start = time.perf_counter()
        results = screener.screen(rows)
        timings["screen rows"].append(time.perf_counter() - start)
        start = time.perf_counter()
        result = CliRunner().invoke(kg, ["screen", str(path), "--graph", str(args.graph), "--format", "csv"])
        timings["whole command"].append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output

    match_times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for row in rows:
            screener.match(row.name)
        match_times.append(time.perf_counter() - start)
    keys = sorted({k for e in screener.entries.values() for n in e.names | e.aliases if (k := name_key(n))})
    sample = rows[: args.naive_sample]
    naive = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for row in sample:
            process.extractOne(name_key(row.name), keys, scorer=fuzz.ratio)
        naive.append((time.perf_counter() - start) * len(rows) / len(sample))

    matched = sum(1 for r in results if r["matches"])
    print(f"{len(rows):,} rows against {args.graph} ({len(screener.entries):,} entities, {len(keys):,} name keys); "
          f"{matched:,} rows matched")
    print(f"{'step':<44} {'median s':>9}")
    for name, values in timings.items():
        print(f"{name:<44} {statistics.median(values):>9.2f}")
    ours, theirs = statistics.median(match_times), statistics.median(naive)
    print(f"{'matching alone (the resolver rules, blocked)':<44} {ours:>9.2f}")
    print(f"{'naive: every row vs every key (extrapolated)':<44} {theirs:>9.2f}  "
          f"(sample of {len(sample)} rows x {len(rows) / len(sample):.0f})")
    print(f"ratio naive / screen matching: {theirs / ours:.1f}x")
    target = statistics.median(timings["whole command"])
    print(f"whole command: {target:.2f} s ({'within' if target <= 30 else 'OVER'} the 30 s target)")
    return 0


def _file(labels: list[str], rows: int) -> str:
    rng = random.Random(20191007)
    lines = ["name,country,id"]
    for i in range(rows):
        kind = i % 3
        if kind == 0:
            name = rng.choice(labels)
        elif kind == 1:
            name = _misspell(rng.choice(labels), rng)
        else:
            name = " ".join(rng.choice(["Acme", "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Hooli",
                                        "Vandelay", "Stark", "Wayne"]) for _ in range(2)) + f" {i} Ltd"
        lines.append(",".join(['"' + name.replace('"', '""') + '"', "", f"R-{i:05d}"]))
    return "\n".join(lines) + "\n"


def _misspell(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    return name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + ("x" if name[i] != "x" else "y") + name[i + 1:]


if __name__ == "__main__":
    sys.exit(main())
