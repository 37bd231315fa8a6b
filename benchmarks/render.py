"""Time ``kg render``'s page writer against pyvis's own path, on synthetic projections.

Baselines: ``Network.from_nx(G)`` then ``Network.write_html`` (the way pyvis is usually fed),
with pyvis's default ``Network()`` (undirected: each new edge is compared with every edge
already added, which is quadratic) and with ``Network(directed=True)`` (which skips that check;
adding a node still scans a list of every node id).
Ours: :func:`graph.outputs.render.render` (layout, escaping, inlined vis-network, atomic write).
Both write a file; medians of ``--repeats`` runs each, in the same process and run.

    .venv/bin/python benchmarks/render.py                 # 100, 1,000 and 10,000 nodes
    .venv/bin/python benchmarks/render.py --sizes 100 1000 --repeats 5
    .venv/bin/python benchmarks/render.py --sizes --exposed 200 2000   # the exposure map alone

The exposure map (``kg render --exposure``, HTML and ``--format svg``) is timed on listed firms
tied to 200 and 2,000 exposed ones (``--exposed``): the layout, both files' sizes, the crossings
left, and the number of label boxes that overlap (the map's promise is none).

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

from graph.outputs.exposure_map import exposure_map, label_boxes, map_svg
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


def exposed_firms(exposed: int, listed: int = 40, seed: int = 26) -> tuple[nx.MultiDiGraph, list[list[str]]]:
    """Listed firms and ``exposed`` US firms, each tied to one or two listed ones (invented names)."""
    rng = random.Random(seed)
    words = ["Advanced", "Micro", "Systems", "Holdings", "Technology", "Semiconductor", "International",
             "Devices", "Vision", "Network", "Global", "Pacific", "Data", "Storage", "Labs"]
    G = nx.MultiDiGraph()
    firms = [f"{KGR}org/listed-{i:04d}" for i in range(listed)]
    for i, n in enumerate(firms):
        G.add_node(n, label=f"Listed {' '.join(rng.sample(words, rng.randint(1, 4)))} {i}",
                   classes=["Agent", "Company", "Organization"], country="CN", listed=True,
                   measures=[f"{KGR}measure/m{i % 3}"])
    paths = []
    for j in range(exposed):
        e = f"{KGR}org/exposed-{j:05d}"
        G.add_node(e, label=f"{' '.join(rng.sample(words, rng.randint(1, 5)))} {j}",
                   classes=["Agent", "Company", "Organization"], country="US", listed=False, measures=[])
        for owner in rng.sample(firms, rng.randint(1, 2)):
            kind = rng.choice(KINDS)
            G.add_edge(e, owner, key=f"{KGR}{kind}/{j}-{owner[-4:]}", kind=kind, relationship=f"{KGR}{kind}/{j}",
                       direction="forward", sources=[])
            paths.append([owner, e])
    return G, paths


def overlaps(boxes) -> int:
    ordered = sorted(boxes)
    count = 0
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[0] >= a[2]:
                break
            count += a[1] < b[3] and b[1] < a[3]
    return count


def exposure_maps(sizes: list[int], repeats: int, folder: Path) -> None:
    print(f"\nexposure map: 40 listed firms; medians of {repeats} runs\n")
    print("| exposed | paths | map + SVG | HTML page | SVG | page | drawn as | crossings | labels overlapping |")
    print("| ---:| ---:| ---:| ---:| ---:| ---:| --- | ---:| ---:|")
    for n in sizes:
        G, paths = exposed_firms(n)
        times, pages = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            m = exposure_map(G, paths)
            svg = map_svg(m, title=f"{n} exposed")
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            render(G, folder / "map.html", highlight_paths=paths, paths_only=True, max_nodes=None)
            pages.append(time.perf_counter() - start)
        (folder / "map.svg").write_text(svg, encoding="utf-8")
        drawn = f"{len(m.columns[-1]):,} groups" if m.grouped else "one node each"
        print(f"| {n:,} | {len(paths):,} | {statistics.median(times):.3f} s | {statistics.median(pages):.3f} s "
              f"| {(folder / 'map.svg').stat().st_size / 1e3:.0f} KB | {(folder / 'map.html').stat().st_size / 1e6:.1f} MB "
              f"| {drawn} | {m.crossings:,} | {overlaps([box for _t, box in label_boxes(m)])} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--exposed", type=int, nargs="*", default=[200, 2000])
    args = parser.parse_args()
    if not args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            exposure_maps(args.exposed, args.repeats, Path(tmp))
        return
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
        if args.exposed:
            exposure_maps(args.exposed, args.repeats, folder)


if __name__ == "__main__":
    main()
