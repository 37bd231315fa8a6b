"""Benchmark: reading and resolving the official lists, and the resolver against all-pairs matching.

Run from the repository root with the package installed::

    .venv/bin/python benchmarks/resolve.py [--repeats 3] [--names 100000] [--synthetic-only]
    nice -n 10 .venv/bin/python benchmarks/resolve.py --names 1000000 --synthetic-only --repeats 1

Prints two tables of medians (seconds) and ratios against baselines measured in the same run:

1. the 4,228-row CSL snapshot: reading it, and resolving it against the rest of ``data/``
   (the article, its facts, the other lists), against comparing every CSL name with every
   name already known (naive all-pairs, in Python with rapidfuzz's ``ratio``, and vectorised
   with rapidfuzz's ``process.extractOne`` over every name, a C++ loop);
2. a synthetic list of company names (seeded, 10 % of them spelling or legal-form variants of
   another): the resolver against naive all-pairs comparison. All pairs of 100,000 names are
   5e9 comparisons, so the naive baselines run on a sample and are extrapolated
   (cost per pair x pairs); the table says so. The ``extractOne`` sample compares the last
   names with all the names before them: 200 of them at 100,000 names, fewer at larger sizes
   (as many pairs: 20 at 1,000,000), so that it costs the same seconds at every size.

The resolver's CPU time and the process's peak memory (``ru_maxrss``) before and after it are
printed below the table; the quality line counts the planted variants merged with their
original (recall) and the merged pairs that are not variants of one another (wrong merges),
from the last timed run.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from graph.model.names import name_key
from graph.model.ontology import load_ontology
from graph.resolve import find_decisions, resolve
from graph.sources import Batch, read_sources, reader_for
from graph.model.statements import Label, SourceInfo, Statement

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CSL = DATA / "lists" / "watchman_testdata_csl_2023-11-30.csv"

_SYLLABLES = ["an", "bei", "chen", "da", "fang", "guo", "hai", "hua", "jin", "kang", "li", "ming", "nan", "ping",
              "qing", "rong", "sheng", "tai", "wei", "xin", "yang", "zhong", "ar", "bel", "cor", "del", "ev", "fal",
              "gor", "hel", "iv", "kor", "lum", "mar", "nov", "or", "pol", "ral", "sar", "tor", "ul", "val", "zen"]
_TRADES = ["Technology", "Electronics", "Trading", "Shipping", "Industrial", "Optics", "Logistics", "Energy",
           "Machinery", "Software", "Materials", "Aviation", "Chemical", "Instruments", "Semiconductor"]
_FORMS = ["Co., Ltd.", "Limited", "Corporation", "Inc.", "LLC", "Group", "GmbH", "Company"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--synthetic-only", action="store_true", help="skip the CSL table")
    args = parser.parse_args(argv)
    model = load_ontology()
    if not args.synthetic_only:
        csl_table(model, args.repeats)
    synthetic_table(model, args.names, args.repeats)
    return 0


def csl_table(model, repeats: int) -> None:
    reader = reader_for(CSL)
    read_times = _repeat(lambda: reader.read(CSL, DATA), repeats)
    [csl] = reader.read(CSL, DATA)
    others = [b for b in read_sources([DATA]) if b.file != csl.file]
    decisions = find_decisions([DATA])
    resolve_times = _repeat(lambda: resolve(others + [csl], model, decisions), repeats)
    base_times = _repeat(lambda: resolve(others, model, decisions), repeats)
    resolve_csl = statistics.median(resolve_times) - statistics.median(base_times)
    known = sorted({name_key(n) for b in others for s in b.statements for n in s.names()} - {""})
    incoming = [name_key(n) for s in csl.statements for n in s.names() if name_key(n)]
    # all pairs: every CSL name against every name known so far (the graph, then earlier CSL rows)
    pairs = sum(len(known) + i for i in range(len(incoming)))
    sample = incoming[:300]
    loop = _repeat(lambda: _python_pairs(sample, known + incoming), repeats)
    per_pair_loop = statistics.median(loop) / (len(sample) * len(known + incoming))
    # the last 300 CSL names against every name before them: a name among its own choices would
    # find itself at 100, where extractOne stops, and the baseline would cost next to nothing
    last, before = incoming[-300:], known + incoming[:-300]
    cdist = _repeat(lambda: _extract_pairs(last, before), repeats)
    per_pair_cdist = statistics.median(cdist) / (len(last) * len(before))
    naive_loop, naive_cdist = per_pair_loop * pairs, per_pair_cdist * pairs
    print(f"\n## CSL snapshot: {csl.counts['read']} rows read, {csl.counts['kept']} kept; "
          f"{len(incoming)} CSL names against {len(known)} known names ({pairs:,} pairs)\n")
    print("| step | median (s) | ratio |")
    print("| --- | --- | --- |")
    print(f"| read the CSL CSV ({csl.counts['read']} rows) | {statistics.median(read_times):.2f} | |")
    print(f"| resolve the CSL against the rest of data/ (resolver: blocking + rapidfuzz) | {resolve_csl:.2f} | 1.0x |")
    print(f"| naive all pairs, Python loop of `fuzz.ratio` (300-name sample, extrapolated) | {naive_loop:.2f} | "
          f"{naive_loop / resolve_csl:.1f}x slower |")
    print(f"| naive all pairs, `rapidfuzz.process.extractOne` over every earlier name (C++ loop; last 300 names, extrapolated) | {naive_cdist:.2f} | "
          f"{naive_cdist / resolve_csl:.1f}x slower |")
    print(f"\n(whole resolve of data/ with the CSL: {statistics.median(resolve_times):.2f} s; without it: "
          f"{statistics.median(base_times):.2f} s; medians of {repeats})")


def synthetic_table(model, count: int, repeats: int) -> None:
    names, truth = synthetic_names(count, seed=20191007)
    batch = Batch(source=SourceInfo(id="synthetic", title="synthetic", file="synthetic"),
                  statements=[Statement(key=f"n{i}", cls="Company", labels=[Label(n)]) for i, n in enumerate(names)])
    runs = max(1, min(repeats, 2))
    memory_before = _peak_memory()
    results, cpu = [], []

    def timed():  # the resolver's CPU time too: the machine is shared, wall time is not all its own
        results[:] = []
        start = time.process_time()
        results.append(resolve([batch], model))
        cpu.append(time.process_time() - start)
    times = _repeat(timed, runs)
    memory_after = _peak_memory()
    [result] = results
    iri = [result.by_key[("synthetic", f"n{i}")] for i in range(count)]
    del results[:], result
    merged_right = sum(1 for v, o in truth.items() if iri[v] == iri[o])
    merged = _merged_pairs(iri)
    false_merges = sum(1 for i, j in merged if truth.get(i, i) != truth.get(j, j))
    # pairs count a firm merged into another once per name of it; count the firms too
    firms_of: dict = {}
    for i, node in enumerate(iri):
        firms_of.setdefault(node, set()).add(truth.get(i, i))
    firms_merged = sum(len(firms) - 1 for firms in firms_of.values())
    # the variants whose key differs from their original's: only the fuzzy stage can find them
    fuzzy = [(v, o) for v, o in truth.items() if name_key(names[v]) != name_key(names[o])]
    fuzzy_right = sum(1 for v, o in fuzzy if iri[v] == iri[o])
    keys = [name_key(n) for n in names]
    sample = keys[:200]
    loop = _repeat(lambda: _python_pairs(sample, keys[:20_000]), repeats)
    per_pair_loop = statistics.median(loop) / (len(sample) * 20_000)
    # the last names against the names before them (not themselves: see csl_table); as many
    # pairs at every size (200 x 99,800 at 100,000 names, 20 x 999,980 at 1,000,000)
    size = max(20, min(200, 200 * 100_000 // max(count, 1)))
    chunk, before = keys[-size:], keys[:-size]
    cdist = _repeat(lambda: _extract_pairs(chunk, before), repeats)
    per_pair_cdist = statistics.median(cdist) / (len(chunk) * len(before))
    pairs = count * (count - 1) // 2
    resolver = statistics.median(times)
    naive_loop, naive_cdist = per_pair_loop * pairs, per_pair_cdist * pairs
    print(f"\n## Synthetic list: {count:,} company names, {len(truth):,} of them variants of another "
          f"({pairs:,} pairs)\n")
    print("| method | median (s) | ratio |")
    print("| --- | --- | --- |")
    print(f"| resolver (normalised keys, blocking, rapidfuzz within blocks) | {resolver:.1f} | 1.0x |")
    print(f"| naive all pairs, Python loop of `fuzz.ratio` (200 x 20,000 sample, extrapolated) | {naive_loop:,.1f} | "
          f"{_ratio(naive_loop, resolver)} |")
    print(f"| naive all pairs, `rapidfuzz.process.extractOne` over every earlier name ({size} x {len(before):,} chunk, extrapolated) | {naive_cdist:,.1f} | "
          f"{_ratio(naive_cdist, resolver)} |")
    print(f"\nresolver quality on the synthetic truth: recall {merged_right:,} of {len(truth):,} variants merged with "
          f"their original ({merged_right / len(truth):.2%}; the {len(fuzzy):,} whose key differs, letters swapped: "
          f"{fuzzy_right:,}, {fuzzy_right / max(1, len(fuzzy)):.2%}); {false_merges:,} of {len(merged):,} merged pairs are not variants "
          f"({false_merges / max(1, len(merged)):.2%} wrong, precision {1 - false_merges / max(1, len(merged)):.2%}; "
          f"{firms_merged:,} distinct firms merged into another) "
          f"(medians of {runs} resolver runs, {repeats} baseline runs)")
    print(f"\nresolver CPU {statistics.median(cpu):.1f} s (median of {runs}); peak memory of this process "
          f"{memory_before / 2**30:.2f} GiB before the resolver (names and statements made), "
          f"{memory_after / 2**30:.2f} GiB after it")


def synthetic_names(count: int, seed: int) -> tuple[list[str], dict[int, int]]:
    """Seeded company names; ``truth`` maps each variant's index to its original's."""
    rng = random.Random(seed)
    names: list[str] = []
    truth: dict[int, int] = {}
    seen: set[str] = set()
    keys: set[str] = set()
    while len(names) < count:
        if names and rng.random() < 0.10:
            original = rng.randrange(len(names))
            while original in truth:
                original = truth[original]
            variant = _variant(names[original], rng)
            if variant in seen:
                continue
            truth[len(names)] = original
            names.append(variant)
        else:
            brand = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            place = rng.choice(["", "", "Shenzhen ", "Hangzhou ", "Dubai ", "Minsk ", "Tehran "])
            trade = rng.choice(_TRADES)
            name = f"{place}{brand} {trade} {rng.choice(_FORMS)}"
            # distinct originals must differ once normalised (legal form, case and a leading
            # place do not tell firms apart for the resolver, so not for the generator either)
            if name_key(f"{brand} {trade}") in keys:
                continue
            keys.add(name_key(f"{brand} {trade}"))
            names.append(name)
        seen.add(names[-1])
    return names, truth


def _variant(name: str, rng: random.Random) -> str:
    words = name.split()
    kind = rng.randrange(3)
    if kind == 0:  # another legal form
        return " ".join(w for w in words if w not in {"Co.,", "Ltd.", "Limited", "Corporation", "Inc.", "LLC",
                                                       "Group", "GmbH", "Company"}) + " " + rng.choice(_FORMS)
    if kind == 1:  # upper case, punctuation dropped
        return name.upper().replace(",", "").replace(".", "")
    brand_at = 1 if words[0] in {"Shenzhen", "Hangzhou", "Dubai", "Minsk", "Tehran"} else 0
    brand = words[brand_at]
    i = rng.randrange(1, len(brand) - 1)
    words[brand_at] = brand[:i] + brand[i + 1] + brand[i] + brand[i + 2:]  # swap two letters
    return " ".join(words)


def _merged_pairs(iri: list) -> list[tuple[int, int]]:
    groups: dict = {}
    for i, node in enumerate(iri):
        groups.setdefault(node, []).append(i)
    return [(g[0], j) for g in groups.values() if len(g) > 1 for j in g[1:]]


def _python_pairs(left: list[str], right: list[str]) -> int:
    hits = 0
    for a in left:
        for b in right:
            if fuzz.ratio(a, b) >= 94:
                hits += 1
    return hits


def _extract_pairs(left: list[str], right: list[str]) -> int:
    return sum(1 for a in left if process.extractOne(a, right, scorer=fuzz.ratio, score_cutoff=94) is not None)


def _ratio(baseline: float, measured: float) -> str:
    """``"12.1x slower"`` when the baseline takes longer than what is measured, else ``"3.2x faster"``."""
    if baseline >= measured:
        return f"{baseline / measured:,.1f}x slower"
    return f"{measured / baseline:,.1f}x **faster**"


def _peak_memory() -> int:
    """The process's peak resident memory so far, in bytes (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _repeat(func, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    sys.exit(main())
