"""SPARQL speed: stores, loading, and the endpoint under concurrent clients.

Prints three tables, each against a baseline measured in the same run (medians of repeats):

1. loading the synthetic graph: ``pyoxigraph.Store.load`` (baseline) vs the project's
   ``open_graph`` (default store) and ``kg build --store oxigraph:``'s load step, and rdflib;
2. competency queries on the synthetic graph through rdflib's default store, the project's
   default (``open_graph`` + ``run_query``, Oxigraph under oxrdflib) and raw pyoxigraph:
   targets are project/raw <= 1.5 and rdflib/project >= 50;
3. ``kg serve`` on loopback driven by concurrent clients mixing the named queries on the seed
   graph: throughput, p50/p95 latency and errors (which must be 0).

rdflib runs in a child process killed past ``--rdflib-timeout`` (a query that does not finish
is shown as "> T s"). Usage::

    python benchmarks/sparql.py --triples 1000000
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sparql_graph import generate  # noqa: E402

US_SUPPLIERS = """PREFIX kg: <https://w3id.org/exposure-kg/ontology#>
SELECT ?supplier ?listed WHERE {
  ?measure a kg:ExportControlListing ; kg:targets ?listed .
  ?supplier kg:suppliesTo ?listed ; kg:country <https://w3id.org/exposure-kg/id/country/us> .
}"""


def queries(listed_label: str) -> list[tuple[str, object, dict]]:
    """(name, query, params): two named competency queries and the 1-hop exposure lookup."""
    from graph.store.sparql import get_query

    return [
        ("measures-targeting (one company)", get_query("measures-targeting"), {"company": listed_label}),
        ("listing-targets (2019-10)", get_query("listing-targets"), {}),
        ("1-hop US suppliers of listed firms", US_SUPPLIERS, {}),
    ]


def paired(baseline, candidate, repeats: int) -> tuple[float, float, object]:
    """Medians of ``baseline`` and ``candidate`` run in turn, so that drift on a shared machine
    hits both alike; returns both medians and the candidate's last result."""
    base, cand, result = [], [], None
    for _ in range(repeats):
        started = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = candidate()
        cand.append(time.perf_counter() - started)
    return statistics.median(base), statistics.median(cand), result


def median_time(func, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# ------------------------------------------------------------------------------ rdflib child


def _rdflib_child(path: str, listed_label: str, conn) -> None:
    from graph.store.sparql import run_query
    from graph.store.backends import open_graph

    started = time.perf_counter()
    graph = open_graph(f"memory:{path}")
    conn.send(("load", time.perf_counter() - started, None))
    for name, query, params in queries(listed_label):
        started = time.perf_counter()
        try:
            rows = len(run_query(graph, query, params).rows)
        except Exception as exc:  # reported in the table, not hidden
            conn.send((name, f"failed: {exc}", None))
            continue
        conn.send((name, time.perf_counter() - started, rows))


def rdflib_times(path: Path, listed_label: str, timeout: float) -> dict[str, float | str]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_rdflib_child, args=(str(path), listed_label, child), daemon=True)
    process.start()
    child.close()
    expected = ["load"] + [name for name, _, _ in queries(listed_label)]
    out: dict[str, float | str] = {}
    for name in expected:
        limit = timeout * 3 if name == "load" else timeout
        if not parent.poll(limit):
            out[name] = f"> {limit:g} s"
            break
        got, seconds, _ = parent.recv()
        out[got] = seconds
    process.kill()
    process.join()
    return out


# ------------------------------------------------------------------------------ tables


def load_table(path: Path, repeats: int, rdflib: dict) -> list[str]:
    import pyoxigraph as ox

    from graph.store.backends import open_graph, save_graph

    base, project, dataset = paired(lambda: ox.Store().load(path=str(path), format=ox.RdfFormat.N_QUADS),
                                    lambda: open_graph(path), repeats)
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))

    def bulk_baseline():
        target = folder / f"raw-{time.perf_counter_ns()}"
        ox.Store(str(target)).bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def build_step():
        save_graph(dataset, f"oxigraph:{folder / f'kg-{time.perf_counter_ns()}'}", file=path)

    disk_base, disk_project, _ = paired(bulk_baseline, build_step, repeats)
    shutil.rmtree(folder, ignore_errors=True)
    rows = [
        "| load | time | ratio to baseline |",
        "| --- | ---: | ---: |",
        f"| `pyoxigraph.Store().load` (baseline, memory) | {base:.2f} s | 1.00x |",
        f"| project default: `open_graph(file)` | {project:.2f} s | {project / base:.2f}x |",
        f"| `pyoxigraph.Store(DIR).bulk_load` (baseline, disk) | {disk_base:.2f} s | 1.00x |",
        f"| `kg build --store oxigraph:DIR` load step (`save_graph`) | {disk_project:.2f} s | {disk_project / disk_base:.2f}x |",
    ]
    load = rdflib.get("load")
    if isinstance(load, float):
        rows.append(f"| rdflib's default store: `open_graph('memory:...')` (1 run) | {load:.2f} s | {load / base:.1f}x |")
    elif load:
        rows.append(f"| rdflib's default store (1 run) | {load} | |")
    return rows, dataset


def query_table(path: Path, dataset, listed_label: str, repeats: int, rdflib: dict) -> list[str]:
    import pyoxigraph as ox

    from graph.store.sparql import NamedQuery, bind, run_query, with_values

    raw = ox.Store()
    raw.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    rows = [
        "| query | rows | rdflib default store | project default | raw pyoxigraph | project / raw | rdflib / project |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, query, params in queries(listed_label):
        if isinstance(query, NamedQuery):
            text = with_values(query.text, bind(query, params))
        else:
            text = query
        base, project, result = paired(lambda: list(raw.query(text, use_default_graph_as_union=True)),
                                       lambda: run_query(dataset, query, params), repeats)
        slow = rdflib.get(name)
        if isinstance(slow, float):
            rdflib_cell, ratio = f"{slow:.3f} s", f"{slow / project:.0f}x"
        elif slow and slow.startswith(">"):
            limit = float(slow.split()[1])
            rdflib_cell, ratio = slow, f"> {limit / project:.0f}x"
        elif slow:
            rdflib_cell, ratio = slow, ""
        else:
            rdflib_cell, ratio = "not run", ""
        rows.append(f"| {name} | {len(result.rows)} | {rdflib_cell} | {project * 1000:.1f} ms | {base * 1000:.1f} ms "
                    f"| {project / base:.2f}x | {ratio} |")
    return rows


def load_test(clients: int, requests: int, workers: int) -> list[str]:
    """``kg serve`` over the seed graph, driven by ``clients`` threads of ``requests`` each."""
    from graph import build
    from graph.store.sparql import bind, named_queries, with_values

    root = Path(__file__).resolve().parent.parent
    out = Path(tempfile.mkdtemp(prefix="kg-bench-serve-"))
    build([root / "data"], out)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    kg = Path(sys.executable).parent / "kg"
    process = subprocess.Popen([str(kg), "serve", "--graph", str(out / "graph.trig"), "--port", str(port),
                                "--workers", str(workers)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("kg serve did not start")
                time.sleep(0.1)
        bodies = [urllib.parse.urlencode({"query": with_values(q.text, bind(q))}) for q in named_queries().values()]
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()

        def client(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine = []
            for n in range(requests):
                body = bodies[(index + n) % len(bodies)]
                started = time.perf_counter()
                try:
                    connection.request("POST", "/sparql", body=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/sparql-results+json"})
                    response = connection.getresponse()
                    response.read()
                    ok = response.status == 200
                except OSError:
                    ok = False
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                mine.append(time.perf_counter() - started)
                if not ok:
                    with lock:
                        errors[0] += 1
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(out, ignore_errors=True)
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    total = clients * requests
    return [
        "| clients x queries | workers | throughput | p50 | p95 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| {clients} x {requests} ({total}, the {len(bodies)} named queries in turn) | {workers} "
        f"| {total / elapsed:.0f} queries/s | {p50 * 1000:.1f} ms | {p95 * 1000:.1f} ms | {errors[0]} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        path = folder / "synthetic.nq"
        facts = generate(args.triples, path)
        print(f"synthetic graph: {facts['triples']:,} triples, {facts['companies']:,} companies, "
              f"{facts['listed']:,} listed, {facts['edges']:,} supply edges; {args.repeats} repeats, medians\n")
        rdflib = {} if args.skip_rdflib else rdflib_times(path, facts["listed_label"], args.rdflib_timeout)
        rows, dataset = load_table(path, args.repeats, rdflib)
        print("\n".join(rows) + "\n")
        print("\n".join(query_table(path, dataset, facts["listed_label"], args.repeats, rdflib)) + "\n")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(load_test(args.clients, args.requests, args.workers)))


if __name__ == "__main__":
    main()
