"""Fairness of ``kg serve`` under runaway queries: 20 clients x 20 queries, 5 % of them runaways.

Starts ``kg serve`` on 127.0.0.1 and runs two rounds against it, in the same run:

1. baseline: every client sends only good queries (short lookups, the named queries);
2. mixed: the same, but 5 % of the queries (spread over the clients) are runaways: a cross
   product that would run for hours, and a sort of a cross product that would take gigabytes.

With ``--crash-clients N``, a round between those two runs the good clients alone while N more clients send
nothing but crash queries (each one kills the engine's process if it reaches it: 5,000 brackets
hidden behind a comment, a 7,000-term sum, 3,200 MINUS), as fast as they get answers, until
the good clients are done: a crash query must cost its sender, not the others.

For each round it prints the share of good queries answered (target >= 99 %), their median and
p95 latency (target p95 < 1 s) and the p95 ratio to the baseline, what the runaways got, and the
highest peak memory (VmHWM) any worker process reached against its cap. The endpoint's
fairness policy (``graph/serve/workers.py``): a query that computes drops to the lowest CPU
priority, past ``short`` seconds it counts as long, long queries run in lanes (a third as many
as the workers) whose workers the reserve replaces among the short queries', and a runaway
beyond the lanes is stopped at ``short`` seconds; the time limit, the memory cap and a queue
deadline bound everything else.

Usage::

    python benchmarks/serve.py                      # builds the seed article's graph first
    python benchmarks/serve.py --graph out/graph.trig --workers 2 --memory 1024
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROLOGUE = ("PREFIX kg: <https://w3id.org/exposure-kg/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
GOOD = [
    "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name",
    "ASK { ?s a kg:Company }",
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 20",
    "SELECT ?m ?t WHERE { ?m kg:targets ?t } LIMIT 100",
    "SELECT ?e ?q WHERE { ?e kg:quote ?q } LIMIT 50",
]
CRASH = [
    "SELECT * { # \f '''\n FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }",
    "SELECT (1" + "+1" * 7_000 + " AS ?x) {}",
    "SELECT * { ?s ?p ?o " + "MINUS{?s ?p ?o} " * 3_200 + "}",
]
RUNAWAY = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",  # hours of CPU
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",     # gigabytes to sort
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", type=Path, help="graph to serve (default: build the seed article's)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=20, help="queries per client")
    parser.add_argument("--runaway-share", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--memory", type=int, default=1024, help="each worker's cap in MiB")
    parser.add_argument("--short", type=float, default=0.5, help="seconds after which a query counts as long")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--crash-clients", type=int, default=0, help="clients sending crash queries (third round)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="kg-serve-bench-"))
    try:
        graph = args.graph or _seed_graph(scratch)
        named = _named_queries()
        port = _free_port()
        kg = Path(sys.executable).parent / "kg"
        server = subprocess.Popen([str(kg), "serve", "--graph", str(graph), "--port", str(port), "--workers",
                                   str(args.workers), "--timeout", str(args.timeout), "--memory", str(args.memory), "--short", str(args.short)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _wait(port, server)
            watcher = _MemoryWatcher(server.pid)
            watcher.start()
            print(f"kg serve: {args.workers} workers, time limit {args.timeout:g} s, memory cap {args.memory} MiB, "
                  f"long after {args.short:g} s; "
                  f"{args.clients} clients x {args.queries} queries\n")
            baseline = _round(port, args, named, runaway_share=0.0)
            # before the runaways, whose stopped workers may still be loading their replacements
            crashed = _round(port, args, named, runaway_share=0.0, crash_clients=args.crash_clients) \
                if args.crash_clients else None
            mixed = _round(port, args, named, runaway_share=args.runaway_share)
            watcher.stop()
        finally:
            server.terminate()
            server.wait(10)
        _report(baseline, mixed, watcher, args, crashed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ------------------------------------------------------------------------------ one round


def _round(port: int, args, named: list[str], runaway_share: float, crash_clients: int = 0) -> dict:
    rng = random.Random(args.seed)
    total = args.clients * args.queries
    runaways = set(rng.sample(range(total), round(total * runaway_share)))
    plan = [[(i * args.queries + j) in runaways for j in range(args.queries)] for i in range(args.clients)]
    good_pool = [PROLOGUE + q for q in GOOD] + named
    results: list[tuple[bool, int, float, str]] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        local = random.Random(args.seed * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout * 3)
        for is_runaway in plan[number]:  # bounded: exactly args.queries requests per client
            query = local.choice(RUNAWAY) if is_runaway else local.choice(good_pool)
            body = urllib.parse.urlencode({"query": query})
            started = time.monotonic()
            try:
                connection.request("POST", "/sparql", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                payload = response.read()
                status, note = response.status, payload[:120].decode("utf-8", "replace")
            except OSError as exc:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout * 3)
                status, note = 0, type(exc).__name__
            with lock:
                results.append((is_runaway, status, time.monotonic() - started, note))
        connection.close()

    done = threading.Event()
    crashes: list[tuple[int, str]] = []

    def crasher(number: int) -> None:
        # bounded: stops when the good clients are done, and after 5,000 requests at most
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout * 3)
        for n in range(5_000):
            if done.is_set():
                break
            body = CRASH[(number + n) % len(CRASH)].encode("utf-8")
            try:
                connection.request("POST", "/sparql", body=body, headers={"Content-Type": "application/sparql-query"})
                response = connection.getresponse()
                note = response.read()[:70].decode("utf-8", "replace")
                status = response.status
            except OSError as exc:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout * 3)
                status, note = 0, type(exc).__name__
            with lock:
                crashes.append((status, note))
        connection.close()

    crashers = [threading.Thread(target=crasher, args=(n,)) for n in range(crash_clients)]
    for thread in crashers:
        thread.start()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    done.set()
    for thread in crashers:
        thread.join()
    good = [r for r in results if not r[0]]
    bad = [r for r in results if r[0]]
    latencies = sorted(r[2] for r in good if r[1] == 200)
    return {
        "elapsed": elapsed,
        "good": len(good),
        "answered": sum(r[1] == 200 for r in good),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan"),
        "runaways": len(bad),
        "runaway_outcomes": sorted(Counter((r[1], r[3].partition(": ")[2][:70].strip()) for r in bad).items()),
        "failures": sorted({(r[1], r[3][:80]) for r in good if r[1] != 200}),
        "crashes": sorted(Counter(crashes).items()),
    }


def _report(baseline: dict, mixed: dict, watcher, args, crashed: dict | None = None) -> None:
    print(f"{'round':<34}{'good answered':>16}{'p50 (s)':>10}{'p95 (s)':>10}{'p95 ratio':>11}{'wall (s)':>10}")
    rounds = [("baseline: good queries only", baseline), (f"mixed: {args.runaway_share:.0%} runaways", mixed)]
    if crashed is not None:
        rounds.append((f"crash: {args.crash_clients} crash clients", crashed))
    for name, r in rounds:
        share = r["answered"] / r["good"] if r["good"] else float("nan")
        ratio = r["p95"] / baseline["p95"] if baseline["p95"] else float("nan")
        print(f"{name:<34}{r['answered']:>7}/{r['good']:<4}{share:>5.1%}{r['p50']:>10.3f}{r['p95']:>10.3f}"
              f"{ratio:>10.1f}x{r['elapsed']:>10.1f}")
    print(f"\nrunaways sent: {mixed['runaways']}; their answers:")
    for (status, note), count in mixed["runaway_outcomes"]:
        print(f"  {count:>3} x {status} {note}")
    if crashed is not None:
        print(f"crash queries sent: {sum(n for _, n in crashed['crashes'])}; their answers:")
        for (status, note), count in crashed["crashes"]:
            print(f"  {count:>4} x {status} {note}")
    if mixed["failures"] or baseline["failures"]:
        print("good queries not answered:")
        for status, note in sorted(set(mixed["failures"]) | set(baseline["failures"])):
            print(f"  {status} {note}")
    peak = watcher.peak_mib
    print(f"\nworkers seen: {len(watcher.seen)}; highest peak memory of any worker: {peak:.0f} MiB "
          f"(cap {args.memory} MiB{', within it' if peak <= args.memory else ', OVER IT'})")
    share = mixed["answered"] / mixed["good"]
    verdict = "met" if share >= 0.99 and mixed["p95"] < 1.0 and peak <= args.memory else "NOT met"
    print(f"targets (>= 99 % answered, p95 < 1 s, no worker over its cap): {verdict}")


# ------------------------------------------------------------------------------ helpers


class _MemoryWatcher(threading.Thread):
    """Samples the peak resident memory (VmHWM) of every process under the server, 10 times a second."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, int] = {}
        self.seen: set[int] = set()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            children = _descendants(self.root)
            # the forkserver is the server's child; the workers are the forkserver's children
            for pid, depth in children.items():
                if depth < 2:
                    continue
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))
                        self.seen.add(pid)

    def stop(self) -> None:
        self._done.set()
        self.join()

    @property
    def peak_mib(self) -> float:
        return max(self.peaks.values(), default=0) / 1024


def _descendants(root: int) -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    depth, frontier = {}, {root: 0}
    while frontier:
        pid, d = frontier.popitem()
        for child, parent in parents.items():
            if parent == pid and child not in depth:
                depth[child] = d + 1
                frontier[child] = d + 1
    return depth


def _named_queries() -> list[str]:
    from graph.store.sparql import named_queries

    return [q.text for q in named_queries().values() if not q.params]


def _seed_graph(scratch: Path) -> Path:
    from graph import build

    shutil.copytree(ROOT / "data", scratch / "data", ignore=shutil.ignore_patterns("relationships", "lists"))
    build([scratch / "data"], scratch / "out")
    return scratch / "out" / "graph.trig"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"kg serve exited: {server.stderr.read()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/sparql?query=ASK%7B%7D")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("kg serve did not answer within 60 s")


if __name__ == "__main__":
    main()
