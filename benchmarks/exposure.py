"""Benchmark: load, projection and exposure search at 10k, 100k and 1M triples.

A seeded generator writes synthetic sanctions / supply-chain graphs in the project's own shape
(companies with countries, about 1 % of them targets of listings, power-law supply, partner and
ownership relationship nodes with evidence, people with positions) as N-Triples. Each pipeline
then runs in its own process, so that peak memory (``ru_maxrss``) is its own:

- ``naive``: rdflib's default store (``Graph.parse``), ``Graph.triples`` of the shortcut
  predicates into ``nx.Graph.add_edge``, then ``nx.single_source_shortest_path`` per listed entity
  (every (listed, exposed) pair with a path);
- ``ours``: ``pyoxigraph.Store.load``, :func:`graph.network.project` on the raw store (every edge
  with its evidence), the matrix index, then :func:`graph.network.exposure_paths` (``method=
  "matrix"``): the nearest listed entity of every exposed entity with its path, and every pair;
- ``scipy``: the near-limit baseline on the same edges: ``scipy.sparse.csgraph.dijkstra``
  (unweighted, ``limit=k``, ``min_only``, predecessors), the search alone.

``ours`` also times the projection that ``kg exposure`` runs on a store without topology arrays,
``project(store, sources=False)`` (the topology alone; the evidence of the result edges is
fetched afterwards). With ``--command``, the file is loaded once into an on-disk Oxigraph store,
its topology arrays are written as ``kg build --store oxigraph:DIR`` writes them
(:func:`graph.network.topology.file.write_topology`, timed once), and the whole
``kg exposure --store oxigraph:DIR --format csv`` command (k=1, every pair), which searches those
arrays, is timed from process start to exit, median of at least 3 runs, against the naive load +
projection + search, in wall time and in CPU time (user + system: on a shared machine wall times
swing with the other processes, CPU times much less).

Times are medians of ``--repeats`` runs; peak memory is the median of the runs' peaks. Usage::

    python benchmarks/exposure.py --scales 10k,100k,1M --repeats 3 [--command] [--pipelines naive,ours]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect
from itertools import accumulate
from pathlib import Path

KG = "https://w3id.org/exposure-kg/ontology#"
KGR = "https://w3id.org/exposure-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCALES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
COUNTRIES = ["US", "CN", "DE", "JP", "KR", "TW", "FR", "GB", "IN", "SG", "NL", "IL", "CA", "MY", "VN",
             "IT", "CH", "SE", "BR", "MX"]
#: relationship class, source property, target property, shortcut, symmetric, share of edges
RELATIONS = [("SupplyRelationship", "supplier", "customer", "suppliesTo", False, 0.6),
             ("Partnership", "partner", "partner", "partnerOf", True, 0.25),
             ("Ownership", "owner", "ownedEntity", "owns", False, 0.15)]
SHORTCUTS = [KG + r[3] for r in RELATIONS] + [KG + "holdsPositionIn"]


# ------------------------------------------------------------------------------ generator
def generate(path: Path, triples: int, seed: int) -> dict:
    """Write a graph of about ``triples`` triples to ``path``; return what it holds."""
    rng = random.Random(seed)
    # triples per company: 5 of its own + 2.8 relationships of ~10 + people and listings
    companies = max(50, int(triples / 35))
    lines: list[str] = []
    add = lines.append

    def iri(kind: str, i) -> str:
        return f"<{KGR}{kind}/{i}>"

    def lit(value, datatype=None) -> str:
        return f'"{value}"^^<{XSD}{datatype}>' if datatype else f'"{value}"'

    for code in COUNTRIES:
        add(f"{iri('country', code.lower())} <{RDF_TYPE}> <{KG}Country> .")
        add(f"{iri('country', code.lower())} <{KG}isoCode> {lit(code)} .")
    sources = [iri("source", f"s{i}") for i in range(20)]
    for i, source in enumerate(sources):
        add(f"{source} <{RDF_TYPE}> <{KG}Source> .")
        add(f"{source} <http://purl.org/dc/terms/title> {lit(f'Synthetic source {i}')} .")
    weights = [rng.paretovariate(1.2) for _ in range(companies)]
    cumulative = list(accumulate(weights))
    total = cumulative[-1]
    country_weights = list(accumulate([30, 25, 8, 8, 6, 6, 4, 4, 4, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]))
    for c in range(companies):
        node = iri("org", f"c{c}")
        code = COUNTRIES[bisect(country_weights, rng.random() * country_weights[-1])]
        for cls in ("Company", "Organization", "Agent"):
            add(f"{node} <{RDF_TYPE}> <{KG}{cls}> .")
        add(f"{node} <{LABEL}> {lit(f'Company {c}')} .")
        add(f"{node} <{KG}country> {iri('country', code.lower())} .")
    evidence_count = 0

    def evidence(subject: str) -> None:
        nonlocal evidence_count
        node = iri("evidence", f"e{evidence_count}")
        evidence_count += 1
        add(f"{subject} <{KG}evidence> {node} .")
        add(f"{node} <{RDF_TYPE}> <{KG}Evidence> .")
        add(f"{node} <{KG}source> {rng.choice(sources)} .")
        add(f"{node} <{KG}confidence> {lit(rng.choice(['0.4', '0.7', '0.9']), 'decimal')} .")
        add(f"{node} <{KG}row> {lit(evidence_count, 'integer')} .")

    # listings: 1 % of companies, 20 targets per measure
    listed = rng.sample(range(companies), max(1, companies // 100))
    for m in range(0, len(listed), 20):
        measure = iri("measure", f"m{m}")
        for cls in ("ExportControlListing", "Measure"):
            add(f"{measure} <{RDF_TYPE}> <{KG}{cls}> .")
        add(f"{measure} <{KG}announcedOn> {lit('2019-10-07', 'date')} .")
        for c in listed[m:m + 20]:
            add(f"{measure} <{KG}targets> {iri('org', f'c{c}')} .")
        evidence(measure)
    # people with positions: 5 % of companies
    for p in range(companies // 20):
        person, position = iri("person", f"p{p}"), iri("position", f"p{p}")
        for cls in ("Person", "Agent"):
            add(f"{person} <{RDF_TYPE}> <{KG}{cls}> .")
        add(f"{person} <{LABEL}> {lit(f'Person {p}')} .")
        org = iri("org", f"c{bisect(cumulative, rng.random() * total)}")
        for cls in ("Position", "Relationship"):
            add(f"{position} <{RDF_TYPE}> <{KG}{cls}> .")
        add(f"{position} <{KG}holder> {person} .")
        add(f"{position} <{KG}organization> {org} .")
        add(f"{person} <{KG}holdsPositionIn> {org} .")
        evidence(position)
    # power-law relationships until the budget is spent
    r = 0
    kinds = list(accumulate(share for *_rest, share in RELATIONS))
    while len(lines) < triples:
        cls, src, tgt, shortcut, symmetric, _share = RELATIONS[bisect(kinds, rng.random() * kinds[-1])]
        a = bisect(cumulative, rng.random() * total)
        b = rng.randrange(companies) if rng.random() < 0.5 else bisect(cumulative, rng.random() * total)
        if a == b:
            continue
        node = iri("rel", f"r{r}")
        r += 1
        A, B = iri("org", f"c{a}"), iri("org", f"c{b}")
        for each in (cls, "Relationship"):
            add(f"{node} <{RDF_TYPE}> <{KG}{each}> .")
        add(f"{node} <{KG}{src}> {A} .")
        add(f"{node} <{KG}{tgt}> {B} .")
        add(f"{A} <{KG}{shortcut}> {B} .")
        if symmetric:
            add(f"{B} <{KG}{shortcut}> {A} .")
        if cls == "Ownership":
            add(f"{node} <{KG}share> {lit(rng.choice([10, 25, 51, 60, 100]), 'decimal')} .")
        evidence(node)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"triples": len(lines), "companies": companies, "listed": len(listed), "relationships": r}


# ------------------------------------------------------------------------------ pipelines
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_naive(path: str, hops: list[int]) -> dict:
    import networkx as nx
    from rdflib import Graph, URIRef

    out = {"base_mb": _peak_mb()}
    cpu = time.process_time()
    t = time.perf_counter()
    g = Graph()
    g.parse(path, format="nt")
    out["load"] = time.perf_counter() - t
    out["load_mb"] = _peak_mb()
    t = time.perf_counter()
    H = nx.Graph()
    for predicate in SHORTCUTS:
        for s, _p, o in g.triples((None, URIRef(predicate), None)):
            H.add_edge(str(s), str(o), kind=predicate)
    country = {str(s): str(o) for s, _p, o in g.triples((None, URIRef(KG + "country"), None))}
    listed = sorted({str(o) for _s, _p, o in g.triples((None, URIRef(KG + "targets"), None))})
    out["projection"] = time.perf_counter() - t
    us = KGR + "country/us"
    for k in hops:
        gc.collect()  # every timed search starts without a collection pending, in every pipeline
        t = time.perf_counter()
        pairs = 0
        for source in listed:
            if source not in H:
                continue
            paths = nx.single_source_shortest_path(H, source, cutoff=k)
            pairs += sum(1 for target in paths if target != source and country.get(target) == us)
        out[f"pairs_k{k}"] = time.perf_counter() - t
        out[f"pairs_k{k}_n"] = pairs
        if k == 1:  # CPU time of load + projection + search, to set against the command's
            out["cpu_k1"] = time.process_time() - cpu
    out["peak_mb"] = _peak_mb()
    return out


def run_ours(path: str, hops: list[int]) -> dict:
    import pyoxigraph
    import scipy.sparse.csgraph  # noqa: F401  (imported before timing, as the baseline's is)

    from graph.network import exposure, exposure_paths, project
    from graph.network.matrix import matrix_index

    out = {"base_mb": _peak_mb()}
    t = time.perf_counter()
    store = pyoxigraph.Store()
    store.load(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES)
    out["load"] = time.perf_counter() - t
    out["load_mb"] = _peak_mb()
    t = time.perf_counter()
    project(store, sources=False)
    out["projection_topology"] = time.perf_counter() - t
    gc.collect()
    t = time.perf_counter()
    G = project(store)
    out["projection"] = time.perf_counter() - t
    t = time.perf_counter()
    index = matrix_index(G)
    out["index"] = time.perf_counter() - t
    out["nodes"], out["edges"] = G.number_of_nodes(), G.number_of_edges()
    # the first query derives the undirected adjacency and the country mask, kept in the index
    t = time.perf_counter()
    exposure_paths(G, hops=1, nearest=True, index=index)
    out["prepare"] = time.perf_counter() - t
    for k in hops:
        gc.collect()
        t = time.perf_counter()
        found = exposure_paths(G, hops=k, nearest=True, index=index)
        out[f"nearest_k{k}"] = time.perf_counter() - t
        out[f"nearest_k{k}_n"] = len(found)
        if k <= 2:
            gc.collect()
            t = time.perf_counter()
            found = exposure_paths(G, hops=k, index=index)
            out[f"pairs_k{k}"] = time.perf_counter() - t
            out[f"pairs_k{k}_n"] = len(found)
    gc.collect()
    t = time.perf_counter()
    out["records_k1_n"] = len(exposure(G, hops=1, index=index))
    out["records_k1"] = time.perf_counter() - t
    out["peak_mb"] = _peak_mb()
    return out


def run_networkx(path: str, hops: list[int]) -> dict:
    """Ours with the pure-Python search, to show what the matrix buys."""
    import pyoxigraph

    from graph.network import exposure_paths, project

    store = pyoxigraph.Store()
    store.load(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES)
    G = project(store)
    out = {}
    for k in hops:
        gc.collect()
        t = time.perf_counter()
        out[f"nearest_k{k}_n"] = len(exposure_paths(G, hops=k, nearest=True, method="networkx"))
        out[f"nearest_k{k}"] = time.perf_counter() - t
    return out


def run_scipy(path: str, hops: list[int]) -> dict:
    import numpy as np
    import pyoxigraph
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    from graph.network import project
    from graph.network.matrix import matrix_index

    store = pyoxigraph.Store()
    store.load(path=path, format=pyoxigraph.RdfFormat.N_TRIPLES)
    G = project(store)
    index = matrix_index(G)
    n = len(index.nodes)
    rows = np.concatenate([index.u, index.v])
    cols = np.concatenate([index.v, index.u])
    A = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    A.data[:] = 1.0
    listed = np.array(sorted(index.ids[node] for node, data in G.nodes(data=True) if data["listed"]))
    out = {}
    for k in hops:
        gc.collect()
        t = time.perf_counter()
        dist, pred, _sources = dijkstra(A, directed=True, indices=listed, unweighted=True, limit=k + 0.5,
                                        min_only=True, return_predecessors=True)
        out[f"nearest_k{k}"] = time.perf_counter() - t
        out[f"nearest_k{k}_n"] = int(np.isfinite(dist).sum() - len(listed))
    return out


PIPELINES = {"naive": run_naive, "ours": run_ours, "networkx": run_networkx, "scipy": run_scipy}


def run_command(path: Path, repeats: int) -> tuple[list[float], list[float], dict]:
    """Wall and CPU (user + system) times of the whole ``kg exposure --store oxigraph:DIR``
    command (process start to exit, k=1, every (listed, exposed US) pair, CSV to a pipe), on a
    store loaded beforehand with its topology arrays written as ``kg build --store`` writes them
    (:func:`graph.network.topology.file.write_topology`, timed once: a cost of the build)."""
    import pyoxigraph

    from graph.network.topology.file import topology_file, write_topology

    store_dir = path.with_suffix(".oxigraph")
    written: dict = {}
    if not store_dir.exists() or not topology_file(store_dir).is_file():
        store = pyoxigraph.Store(str(store_dir))
        if not any(True for _ in store.quads_for_pattern(None, None, None, None)):
            store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        cpu, t = time.process_time(), time.perf_counter()
        written["file"] = write_topology(store, store_dir)
        written["wall"], written["cpu"] = time.perf_counter() - t, time.process_time() - cpu
        written["mb"] = written["file"].stat().st_size / 1e6
        del store
        gc.collect()
    kg = Path(sys.executable).with_name("kg")
    times, cpu = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([str(kg), "exposure", "--store", f"oxigraph:{store_dir}", "--format", "csv"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu, written


# ------------------------------------------------------------------------------ driver
def _child(pipeline: str, path: str, hops: list[int]) -> dict:
    command = [sys.executable, __file__, "--child", pipeline, path, "--hops", ",".join(map(str, hops))]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float | None:
    values = [run[key] for run in runs if key in run]
    return statistics.median(values) if values else None


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.1f}x"


def report(scale: str, info: dict, runs: dict[str, list[dict]], hops: list[int],
           command: tuple[list[float], list[float], dict] | None = None) -> str:
    naive, ours, nx_, sp = runs["naive"], runs["ours"], runs["networkx"], runs["scipy"]
    m = _median
    lines = [f"### {scale}: {info['triples']:,} triples, {info['companies']:,} companies, "
             f"{info['listed']:,} listed, {info['relationships']:,} relationships "
             f"({m(ours, 'nodes'):,.0f} nodes, {m(ours, 'edges'):,.0f} edges in the projection)", "",
             "| step | naive (rdflib + networkx) | ours | naive / ours | scipy baseline | ours / scipy |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines.append(f"| load N-Triples | {_fmt_time(m(naive, 'load'))} | {_fmt_time(m(ours, 'load'))} | "
                 f"{_ratio(m(naive, 'load'), m(ours, 'load'))} | | |")
    ours_projection = (m(ours, "projection") or 0) + (m(ours, "index") or 0) + (m(ours, "prepare") or 0)
    lines.append(f"| projection (ours: every edge with its evidence {_fmt_time(m(ours, 'projection'))}, "
                 f"+ matrix index {_fmt_time(m(ours, 'index'))}, + first query's adjacency and masks "
                 f"{_fmt_time(m(ours, 'prepare'))}) | "
                 f"{_fmt_time(m(naive, 'projection'))} | {_fmt_time(ours_projection)} | "
                 f"{_ratio(m(naive, 'projection'), ours_projection)} | | |")
    lines.append(f"| projection, topology only (`sources=False`: what `kg exposure` runs on a store without arrays) | | "
                 f"{_fmt_time(m(ours, 'projection_topology'))} | "
                 f"{_ratio(m(naive, 'projection'), m(ours, 'projection_topology'))} | | |")
    naive_total = (m(naive, "load") or 0) + (m(naive, "projection") or 0)
    ours_total = (m(ours, "load") or 0) + ours_projection
    lines.append(f"| **load + projection** | {_fmt_time(naive_total)} | {_fmt_time(ours_total)} | "
                 f"**{_ratio(naive_total, ours_total)}** | | |")
    if command:
        walls, cpus, written = command
        if written:
            lines.append(f"| writing the topology arrays beside the store (once, in `kg build --store`; "
                         f"{written['mb']:.1f} MB) | | {_fmt_time(written['wall'])} wall, "
                         f"{_fmt_time(written['cpu'])} CPU | | | |")
        naive_whole = naive_total + (m(naive, "pairs_k1") or 0)
        whole = statistics.median(walls)
        lines.append(f"| **whole `kg exposure --store oxigraph:DIR` command** on its arrays (k=1, every pair; "
                     f"naive: parse + `nx.add_edge` + search, process start not counted) | {_fmt_time(naive_whole)} | "
                     f"{_fmt_time(whole)} (median of {len(walls)}) | **{_ratio(naive_whole, whole)}** | | |")
        # on a shared machine wall times swing with the other processes; CPU time much less
        cpu = statistics.median(cpus)
        lines.append(f"| the same, CPU time (user + system) | {_fmt_time(m(naive, 'cpu_k1'))} | "
                     f"{_fmt_time(cpu)} (median of {len(cpus)}) | **{_ratio(m(naive, 'cpu_k1'), cpu)}** | | |")
    for k in hops:
        lines.append(f"| nearest listed entity of every exposed US entity, k={k}, paths rebuilt "
                     f"({m(ours, f'nearest_k{k}_n'):,.0f} results; pure-Python search {_fmt_time(m(nx_, f'nearest_k{k}'))}) | "
                     f"| {_fmt_time(m(ours, f'nearest_k{k}'))} | | {_fmt_time(m(sp, f'nearest_k{k}'))} | "
                     f"**{_ratio(m(ours, f'nearest_k{k}'), m(sp, f'nearest_k{k}'))}** |")
    for k in hops:
        naive_pairs = m(naive, f"pairs_k{k}")
        ours_pairs = m(ours, f"pairs_k{k}")
        count = m(ours, f"pairs_k{k}_n") if ours_pairs is not None else m(naive, f"pairs_k{k}_n")
        lines.append(f"| every (listed, exposed US) pair with a path, k={k} ({count:,.0f} pairs) | "
                     f"{_fmt_time(naive_pairs)} | {_fmt_time(ours_pairs)} | {_ratio(naive_pairs, ours_pairs)} | | |")
    lines.append(f"| full records with evidence, k=1 ({m(ours, 'records_k1_n'):,.0f}) | | "
                 f"{_fmt_time(m(ours, 'records_k1'))} | | | |")
    lines.append(f"| peak memory (process) | {m(naive, 'peak_mb'):,.0f} MB | {m(ours, 'peak_mb'):,.0f} MB | "
                 f"{_ratio(m(naive, 'peak_mb'), m(ours, 'peak_mb'))} | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k,1M")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20191007)
    parser.add_argument("--hops", default="1,2,3")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=2, metavar=("PIPELINE", "PATH"))
    parser.add_argument("--command", action="store_true",
                        help="also time the whole 'kg exposure --store oxigraph:DIR' command")
    parser.add_argument("--pipelines", default=",".join(PIPELINES), help="which pipelines to run")
    args = parser.parse_args(argv)
    hops = [int(h) for h in args.hops.split(",")]
    if args.child:
        pipeline, path = args.child
        print(json.dumps(PIPELINES[pipeline](path, hops)))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="exposure-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for scale in args.scales.split(","):
        path = workdir / f"synthetic-{scale}-{args.seed}.nt"
        t = time.perf_counter()
        info = generate(path, SCALES[scale], args.seed)
        print(f"generated {path} ({info['triples']:,} triples) in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        chosen = [p for p in args.pipelines.split(",") if p in PIPELINES]
        runs: dict[str, list[dict]] = {name: [] for name in PIPELINES}
        for repeat in range(args.repeats):
            for name in chosen:
                runs[name].append(_child(name, str(path), hops))
                print(f"  {scale} run {repeat + 1}/{args.repeats}: {name} done", file=sys.stderr)
        command = run_command(path, max(3, args.repeats)) if args.command else None
        print(report(scale, info, runs, hops, command), flush=True)


if __name__ == "__main__":
    main()
