"""Benchmark: writing graph.trig and graph.ttl from a build's Oxigraph store, against the previous writer.

Run from the repository root with the package installed::

    .venv/bin/python benchmarks/serialize.py --store STORE [--repeats 3]

``STORE`` is an Oxigraph store on disk holding a build's named graphs, for example the one
``kg build DIR --out OUT --store oxigraph:STORE`` fills (``benchmarks/build.py --keep DIR``
keeps such builds). It is opened read-only. Each run is a child process of its own (so that
``ru_maxrss`` is that writer's peak), timed in CPU and wall seconds:

- ``baseline``: ``graph.io.turtle.write_from_store`` as it was at commit dc65d3b, kept below as
  :func:`baseline_write_from_store`: ``quads_for_pattern`` per named graph (every term of
  every quad decoded and made a Python object), each block rendered from pyoxigraph terms,
  one dict entry per subject of the dataset for the Turtle and one per subject of each graph;
- ``current``: :func:`graph.io.turtle.write_from_store`: one SPARQL scan per graph in which
  recurring predicates and objects are joined to integers (not decoded), objects rendered
  from their N-Triples text, blocks sorted in bounded chunks spooled to disk and merged.

Both must write the same bytes (their sha256 are compared). Prints a Markdown table of the
medians, the ratio, and the peak memory (``ru_maxrss`` of the child, and how much of it came
during the writing, above the imports and the opened store).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mmap
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, Literal

from graph.model.terms import PREFIXES
from graph.io.turtle import _escape_string, _Namer, _prefix_block, write_from_store

WRITERS = ("baseline", "current")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an Oxigraph store on disk (read only)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", choices=WRITERS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_run(args.child, args.store, args.out)))
        return 0
    results: dict[str, list[dict]] = {name: [] for name in WRITERS}
    with tempfile.TemporaryDirectory(prefix="serialize-bench-") as folder:
        for _ in range(args.repeats):
            for name in WRITERS:  # interleaved, so that a change of load hits both
                out = Path(folder) / name
                out.mkdir(exist_ok=True)
                child = subprocess.run([sys.executable, __file__, "--child", name, "--store", str(args.store),
                                        "--out", str(out)], capture_output=True, text=True, check=True)
                results[name].append(json.loads(child.stdout))
    digests = {name: {(r["trig"], r["ttl"]) for r in runs} for name, runs in results.items()}
    if len(digests["baseline"] | digests["current"]) != 1:
        print(f"the writers disagree: {digests}", file=sys.stderr)
        return 1
    first = results["current"][0]
    print(f"{first['quads']:,} quads in {first['graphs']} named graphs, {first['triples']:,} triples in the "
          f"Turtle; sha256 graph.trig {first['trig'][:16]}…, graph.ttl {first['ttl'][:16]}…; median of "
          f"{args.repeats}\n")
    print("| writer | CPU | wall | peak memory | of which while writing | CPU ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    base = statistics.median(r["cpu"] for r in results["baseline"])
    for name in WRITERS:
        runs = results[name]
        cpu = statistics.median(r["cpu"] for r in runs)
        wall = statistics.median(r["wall"] for r in runs)
        peak = statistics.median(r["peak"] for r in runs)
        above = statistics.median(r["peak"] - r["opened"] for r in runs)
        print(f"| {name} | {cpu:.2f} s | {wall:.2f} s | {peak:,.0f} MB | {above:,.0f} MB | {base / cpu:.2f}x |")
    return 0


def _run(name: str, store_dir: Path, out: Path) -> dict:
    store = ox.Store.read_only(str(store_dir))
    graphs = [g.value for g in store.named_graphs()]
    opened = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    writer = baseline_write_from_store if name == "baseline" else write_from_store
    cpu, wall = time.process_time(), time.perf_counter()
    triples = writer(store, graphs, PREFIXES, out / "graph.trig", out / "graph.ttl")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    digest = {f: hashlib.sha256((out / f"graph.{f}").read_bytes()).hexdigest() for f in ("trig", "ttl")}
    return {"cpu": cpu, "wall": wall, "opened": opened, "peak": peak, "triples": triples, "quads": len(store),
            "graphs": len(graphs), **digest}


# ------------------------------------------------------------------ the baseline (dc65d3b)

_TYPE = str(RDF.type)
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_DECIMAL = str(XSD.decimal)


def baseline_write_from_store(store: ox.Store, graphs: Iterable[str], prefixes: Mapping[str, object],
                     trig_path: Path, turtle_path: Path) -> int:
    """``graph.io.turtle.write_from_store`` as it was at dc65d3b: one scan of ``quads_for_pattern``
    per graph, a dict of every subject of the dataset for the Turtle, a dict per graph."""
    namer = _Namer(prefixes)
    spool_trig, spool_ttl = trig_path.with_suffix(".trig-spool"), turtle_path.with_suffix(".ttl-spool")
    union: dict[tuple, tuple[int, int, int] | None] = {}  # subject key -> its Turtle block; None: in several graphs
    triples = 0
    try:
        with open(spool_trig, "w+b") as trig_spool, open(spool_ttl, "w+b") as ttl_spool, \
                open(trig_path, "wb") as trig_out:
            trig_out.write((_prefix_block(prefixes) + "\n").encode("utf-8"))
            first = True
            for name in sorted(graphs):
                node = ox.NamedNode(name)
                trig_spool.seek(0)
                trig_spool.truncate()
                # subject key -> its block; None when its quads came in several runs (an
                # in-memory store does not keep them together): rendered again from the store
                blocks: dict[tuple, tuple[int, int] | None] = {}
                for subject, quads in _runs(store.quads_for_pattern(None, None, None, node)):
                    key = _ox_sort_key(subject)
                    text = _ox_block(subject, quads, namer, "    ")
                    if key in blocks:
                        blocks[key] = None
                    else:
                        blocks[key] = (trig_spool.tell(), trig_spool.write(text.encode("utf-8")))
                    if key in union:
                        union[key] = None
                    else:
                        # the Turtle block is the TriG block less its indent (literals' newlines
                        # are escaped, so every raw newline is the layout's)
                        flat = text[4:].replace("\n    ", "\n").encode("utf-8")
                        union[key] = (ttl_spool.tell(), len(flat), len(set(quads)))
                        ttl_spool.write(flat)
                if not blocks:
                    continue
                trig_spool.flush()
                trig_out.write((("" if first else "\n") + f"{namer.iri(name)} {{\n").encode("utf-8"))
                first = False
                view = mmap.mmap(trig_spool.fileno(), 0, access=mmap.ACCESS_READ) if trig_spool.tell() else None
                try:
                    ordered = sorted(blocks)
                    last = len(ordered) - 1
                    for i, key in enumerate(ordered):
                        where = blocks[key]
                        if where is None:
                            subject = _ox_subject(key)
                            text = _ox_block(subject, list(store.quads_for_pattern(subject, None, None, node)),
                                             namer, "    ").encode("utf-8")
                        else:
                            text = view[where[0]:where[0] + where[1]]
                        # blocks are separated by a blank line; the last loses its newline
                        # to the closing brace, as trig() writes it
                        trig_out.write(text if i == last else text + b"\n")
                finally:
                    if view is not None:
                        view.close()
                trig_out.write(b"}\n")
            ttl_spool.flush()
            with open(turtle_path, "wb") as ttl_out:
                ttl_out.write((_prefix_block(prefixes) + "\n").encode("utf-8"))
                size = ttl_spool.tell()
                view = mmap.mmap(ttl_spool.fileno(), 0, access=mmap.ACCESS_READ) if size else None
                try:
                    for i, key in enumerate(sorted(union)):
                        if i:
                            ttl_out.write(b"\n")
                        where = union[key]
                        if where is None:  # the union of the subject's triples in every graph
                            subject = _ox_subject(key)
                            quads = list(store.quads_for_pattern(subject, None, None))
                            triples += len({(q.predicate, q.object) for q in quads})
                            ttl_out.write(_ox_block(subject, quads, namer, "").encode("utf-8"))
                        else:
                            triples += where[2]
                            ttl_out.write(view[where[0]:where[0] + where[1]])
                finally:
                    if view is not None:
                        view.close()
    finally:
        spool_trig.unlink(missing_ok=True)
        spool_ttl.unlink(missing_ok=True)
    return triples


def _ox_subject(key: tuple):
    return ox.NamedNode(key[1]) if key[0] == 0 else ox.BlankNode(key[1])


def _runs(quads):
    """(subject, its quads) for each run of quads with the same subject."""
    current, run = None, []
    for quad in quads:
        subject = quad.subject
        if subject != current:
            if run:
                yield current, run
            current, run = subject, []
        run.append(quad)
    if run:
        yield current, run


def _ox_sort_key(term) -> tuple:
    if isinstance(term, ox.Literal):
        text, datatype = _ox_lexical(term)
        return (2, text, datatype, term.language or "")
    return (0 if isinstance(term, ox.NamedNode) else 1, term.value, "", "")


def _ox_lexical(term: ox.Literal) -> tuple[str, str]:
    """The lexical form and datatype ("" when plain) rdflib would give the literal."""
    datatype = term.datatype.value
    if datatype in _PLAIN:
        return term.value, ""
    if datatype == _DECIMAL:
        # Oxigraph keeps decimals by value ("1"), the builder writes rdflib's Literal of the
        # float's repr ("1.0")
        return _decimal(term.value), datatype
    return term.value, datatype


@lru_cache(maxsize=4096)
def _decimal(text: str) -> str:
    try:
        return str(Literal(Decimal(repr(float(text))), datatype=XSD.decimal))
    except (ValueError, ArithmeticError):
        return text


def _ox_block(subject, quads: list, namer: _Namer, indent: str) -> str:
    predicates: dict[str, set] = defaultdict(set)
    for quad in quads:
        predicates[quad.predicate.value].add(quad.object)
    parts = []
    for predicate in sorted(predicates, key=lambda p: (p != _TYPE, p)):
        verb = "a" if predicate == _TYPE else namer.iri(predicate)
        objects = sorted(((_ox_sort_key(o), o) for o in predicates[predicate]), key=lambda k: k[0])
        rendered = [_ox_term(key, o, namer) for key, o in objects]
        joiner = f",\n{indent}        "
        parts.append(f"{verb} {joiner.join(rendered)}")
    name = namer.iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
    return f"{indent}{name} " + f" ;\n{indent}    ".join(parts) + " .\n"


def _ox_term(key: tuple, term, namer: _Namer) -> str:
    if key[0] == 0:
        return namer.iri(key[1])
    if key[0] == 1:
        return f"_:{key[1]}"
    text = '"' + _escape_string(key[1]) + '"'
    if key[3]:
        return f"{text}@{key[3]}"
    if key[2]:
        return f"{text}^^{namer.iri(key[2])}"
    return text


if __name__ == "__main__":
    sys.exit(main())
