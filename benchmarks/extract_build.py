"""How much the extraction cache saves: kg build of data/ with and without it.

Prints a table of medians over repeats, as ratios to the baseline measured in the same run
(a build without extraction). Run from the project folder: ``python benchmarks/extract_build.py``.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from graph import build
from graph.extract import extract_article, gazetteer_from_batches
from graph.extract.ner import spacy_status
from graph.model.ontology import load_ontology
from graph.sources import read_sources
from graph.sources.article import load_article

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
DATA = Path("data")


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def median_of(func, setup=None) -> float:
    times = []
    for _ in range(REPEATS):
        if setup is not None:
            setup()
        times.append(timed(func))
    return statistics.median(times)


def main() -> None:
    spacy_status()  # load spaCy once, outside the timings, as a long-running process would
    work = Path(tempfile.mkdtemp())
    warm = work / "warm"
    build([DATA], warm)
    cold = work / "cold"
    rows = [
        ("build, no extraction (baseline)", median_of(lambda: build([DATA], work / "plain", extract=False))),
        ("build, extraction from the cache", median_of(lambda: build([DATA], warm))),
        ("build, extraction of every article", median_of(lambda: build([DATA], cold),
                                                         setup=lambda: shutil.rmtree(cold, ignore_errors=True))),
    ]
    model = load_ontology()
    gazetteer = gazetteer_from_batches(read_sources([DATA]), model)
    article = load_article(DATA / "articles" / "lesechos-2019-10-08.article.yaml", DATA)
    rows.append(("extract the seed, rules only", median_of(lambda: extract_article(article, gazetteer, use_spacy=False))))
    if spacy_status() is not None:
        rows.append(("extract the seed, rules + spaCy", median_of(lambda: extract_article(article, gazetteer, use_spacy=True))))
    base = rows[0][1]
    print(f"median of {REPEATS} runs; ratio = time / baseline")
    print(f"| {'step':<36} | {'median (s)':>10} | {'ratio':>6} |")
    print(f"| {'-' * 36} | {'-' * 10} | {'-' * 6} |")
    for name, seconds in rows:
        print(f"| {name:<36} | {seconds:>10.3f} | {seconds / base:>6.2f} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
