"""Benchmark: loading a graph into a throw-away Virtuoso, Graph Store Protocol against INSERT DATA.

Run from the repository root with the package installed and Debian's ``virtuoso-opensource``::

    .venv/bin/python benchmarks/store_load.py [--triples 1000000] [--repeats 1]

The seeded generator of ``benchmarks/exposure.py`` writes a sanctions graph of about
``--triples`` triples, spread over 20 named graphs (as a build writes one per source) in an
N-Quads file. A Virtuoso server is started on 127.0.0.1 with its database in a temporary
folder, then :func:`graph.store.backends.save_graph` loads the file into it, replacing the graphs:

- ``INSERT DATA``: ``bulk=False``, SPARQL Update requests of 1,000 triples (what ``kg build
  --store sparql:URL`` sent before);
- Graph Store Protocol: ``bulk=True``, one ``PUT`` and then ``POST`` s of 100,000 triples per
  graph to ``/sparql-graph-crud-auth`` (digest authentication).

Each load is checked (the server's triple count) and timed; the server is stopped at the end.
Prints a Markdown table with the median and the ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from graph.store.sparql import run_query
from graph.store.backends import open_graph, save_graph

HERE = Path(__file__).resolve().parent
INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20191007)
    args = parser.parse_args(argv)
    if not (shutil.which("virtuoso-t") and shutil.which("isql-vt") and INI.is_file()):
        print("Virtuoso is not installed (apt-get install virtuoso-opensource)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="kg-virtuoso-bench-"))
    quads = _generate(folder, args.triples, args.seed)
    server, url = _start(folder)
    try:
        authenticated = url.replace("http://", "http://dba:dba@")
        times = {}
        for name, bulk in (("INSERT DATA, 1,000 triples a request", False), ("Graph Store Protocol PUT/POST", True)):
            runs = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                written = save_graph(None, f"sparql:{authenticated}", file=quads, bulk=bulk)
                runs.append(time.perf_counter() - start)
                count = run_query(open_graph(f"sparql:{url}"),
                                  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                  "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/exposure-kg/id/source/')) }").rows
                if int(count[0][0]) != written:
                    print(f"{name}: the server holds {count[0][0]} triples, {written} were sent", file=sys.stderr)
                    return 1
            times[name] = statistics.median(runs)
            print(f"{name}: {times[name]:.1f} s for {written:,} triples", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    slow = times["INSERT DATA, 1,000 triples a request"]
    print(f"{written:,} triples in 20 named graphs into Virtuoso (127.0.0.1), median of {args.repeats}\n")
    print("| load | time | triples/s | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.1f} s | {written / seconds:,.0f} | {slow / seconds:.1f}x |")
    return 0


def _generate(folder: Path, triples: int, seed: int) -> Path:
    spec = importlib.util.spec_from_file_location("bench_exposure", HERE / "exposure.py")
    exposure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exposure)
    nt = folder / "graph.nt"
    exposure.generate(nt, triples, seed)
    quads = folder / "graph.nq"
    with open(nt, encoding="utf-8") as lines, open(quads, "w", encoding="utf-8") as out:
        for i, line in enumerate(lines):
            graph = f"<https://w3id.org/exposure-kg/id/source/synthetic-{i % 20:02d}>"
            out.write(f"{line.rstrip()[:-1].rstrip()} {graph} .\n")
    return quads


def _start(folder: Path):
    def port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    sql_port, http_port = port(), port()
    section, lines = "", []
    for line in INI.read_text().splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        key = line.split("=", 1)[0].strip()
        if section in ("Database", "TempDatabase") and key.endswith("File") and "=" in line:
            line = f"{key} = {folder / Path(line.split('=', 1)[1].strip()).name}"
        elif key == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}"
        lines.append(line)
    config = folder / "virtuoso.ini"
    config.write_text("\n".join(lines) + "\n")
    server = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(config)], cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}/sparql"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        raise SystemExit("Virtuoso did not start")
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                   check=True, capture_output=True, timeout=60)
    return server, url


if __name__ == "__main__":
    sys.exit(main())
