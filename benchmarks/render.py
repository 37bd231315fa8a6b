"""Time ``kg render``'s page writer against pyvis's own path, on synthetic projections.

Baselines: ``Network.from_nx(G)`` then ``Network.write_html`` (the way pyvis is usually fed),
with pyvis's default ``Network()`` (undirected: each new edge is compared with every edge
already added, which is quadratic) and with ``Network(directed=True)`` (which skips that check;
adding a node still scans a list of every node id).
Ours: :func:`graph.outputs.render.render` (layout, escaping, inlined vis-network, atomic write).
Both write a file; medians of ``--repeats`` runs each, in the same process and run.

    .venv/bin/python benchmarks/render.py                 # 100, 1,000 and 10,000 nodes
    .venv/bin/python benchmarks/render.py --sizes 100 1000 --repeats 5

The graphs are seeded and look like the projection: companies with countries, a listed
minority with measures, supply / partner / ownership edges with one source each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from graph.outputs.render import render

KGR = "https://w3id.org/exposure-kg/id/"
KINDS = ["supply", "partner", "ownership"]


def synthetic(n: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    nodes = [f"{KGR}org/firm-{i:06d}" for i in range(n)]
    for i, node in enumerate(nodes):
        listed = rng.random() < 0.01
        G.add_node(node, label=f"Firm {i}", classes=["Agent", "Company", "Organization"],
                   country=rng.choice(["CN", "US", "DE", "JP", "KR"]), listed=listed,
                   measures=[f"{KGR}measure/m{i % 7}"] if listed else [])
    for j in range(int(n * 1.5)):
        u, v = rng.sample(nodes, 2) if j >= n - 1 else (nodes[rng.randrange(j + 1)], nodes[j + 1])
        kind = rng.choice(KINDS)
        rel = f"{KGR}{kind}/r{j}"
        G.add_edge(u, v, key=rel, kind=kind, relationship=rel, direction="forward", start=None, end=None,
                   share=None, confidence=0.8,
                   sources=[{"source": f"{KGR}source/s{j % 50}", "title": f"Source {j % 50}",
                             "quote": f"Firm {u[-6:]} deals with firm {v[-6:]}.", "file": None, "row": j,
                             "url": None, "confidence": 0.8, "method": "imported"}])
    return G


def baseline(G: nx.MultiDiGraph, folder: Path, *, directed: bool = False) -> None:
    from pyvis.network import Network

    net = Network(directed=directed)
    net.from_nx(G)
    cwd = os.getcwd()
    os.chdir(folder)  # write_html copies a lib/ folder into the working directory
    try:
        net.write_html(str(folder / "baseline.html"))
    finally:
        os.chdir(cwd)


def baseline_directed(G: nx.MultiDiGraph, folder: Path) -> None:
    baseline(G, folder, directed=True)


def ours(G: nx.MultiDiGraph, folder: Path) -> None:
    render(G, folder / "ours.html", max_nodes=None)


def median_time(func, G, folder: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(G, folder)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"render: medians of {args.repeats} runs; ratio = baseline / kg render (higher: kg render is faster)\n")
    print("| nodes | edges | Network() from_nx + write_html | Network(directed=True) same | kg render "
          "| ratio (default) | ratio (directed) | page |")
    print("| ---:| ---:| ---:| ---:| ---:| ---:| ---:| ---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = synthetic(10)  # imports, templates and the inlined vis-network read once, outside the timings
        for func in (baseline, baseline_directed, ours):
            func(warm, folder)
        for n in args.sizes:
            G = synthetic(n)
            base = median_time(baseline, G, folder, args.repeats)
            directed = median_time(baseline_directed, G, folder, args.repeats)
            mine = median_time(ours, G, folder, args.repeats)
            size = (folder / "ours.html").stat().st_size / 1e6
            print(f"| {n:,} | {G.number_of_edges():,} | {base:.3f} s | {directed:.3f} s | {mine:.3f} s "
                  f"| {base / mine:.1f}x | {directed / mine:.1f}x | {size:.1f} MB |", flush=True)


if __name__ == "__main__":
    main()
