"""How much the extraction cache saves: kg build of data/ with and without it.

Prints a table of medians over repeats, as ratios to the baseline measured in the same run
(a build without extraction). Run from the project folder: ``python benchmarks/extract_build.py``.

``python benchmarks/extract_build.py --articles N [REPEATS]`` measures extraction per article
instead: N articles made from the texts written for the tests (``tests/gold/*.txt``, each
language as its name says, in turn), beside ``data/``. It prints the median time per article
of extracting them all (the default path: spaCy and the parser when installed), then builds
them twice into a folder, changes one article and builds again, and says how many articles
each build read (the cache must re-read only the changed one).
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

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
ARTICLES = int(sys.argv[sys.argv.index("--articles") + 1]) if "--articles" in sys.argv else 0
if ARTICLES:
    ARGS = ARGS[1:]
REPEATS = int(ARGS[0]) if ARGS else (3 if ARTICLES else 5)
DATA = Path("data")
GOLD = Path("tests/gold")


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


def write_articles(folder: Path, count: int) -> list[Path]:
    """``count`` article files in ``folder``, made from the test texts in turn."""
    texts = sorted(GOLD.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        text = texts[n % len(texts)]
        lang = "fr" if "-fr-" in f"-{text.stem}" else "en"
        name = f"bench-{n:03d}"
        (folder / f"{name}.txt").write_text(text.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / f"{name}.article.yaml").write_text(
            f"id: {name}\ntext: {name}.txt\ntitle: {text.stem}\npublisher: tests\nissued: 2019-10-10\n"
            f"language: {lang}\n", encoding="utf-8")
        paths.append(folder / f"{name}.article.yaml")
    return paths


def per_article() -> None:
    """Extraction time per article over ARTICLES articles, and what the cache re-reads."""
    status = spacy_status()
    work = Path(tempfile.mkdtemp())
    data = work / "data"
    shutil.copytree(DATA, data)
    paths = write_articles(data / "bench", ARTICLES)
    model = load_ontology()
    gazetteer = gazetteer_from_batches(read_sources([DATA]), model)
    articles = [load_article(p, data) for p in paths]
    for article in articles[:2]:
        extract_article(article, gazetteer, model=model)  # warm: the models load outside the timing

    def all_articles():
        for article in articles:
            extract_article(article, gazetteer, model=model)

    seconds = median_of(all_articles)
    # CPU time as well: on a shared machine the wall clock swings with the neighbours' load
    cpu = []
    for _ in range(REPEATS):
        start = time.process_time()
        all_articles()
        cpu.append(time.process_time() - start)
    cpu_seconds = statistics.median(cpu)
    try:
        from graph.extract.parse import parser_status

        parsers = [parser_status(lang) for lang in ("en", "fr")]
    except ImportError:  # an extractor without the parser
        parsers = []
    print(f"extractor: {status or 'rules only'}; parser: {', '.join(p for p in parsers if p) or 'none'}")
    print(f"{ARTICLES} articles, median of {REPEATS} runs: {seconds:.2f} s, {1000 * seconds / ARTICLES:.1f} ms per article; "
          f"CPU {cpu_seconds:.2f} s, {1000 * cpu_seconds / ARTICLES:.1f} ms per article")
    out = work / "out"
    # the copies of one text state its facts again with other days: the shapes would refuse the
    # merged graph, and only what the cache re-reads is measured here
    first = build([data], out, check=False).extraction
    second = build([data], out, check=False).extraction
    text = paths[7].with_suffix("").with_suffix(".txt")
    text.write_text(text.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    third = build([data], out, check=False).extraction
    for name, report in (("first build", first), ("second build", second), ("after one article changed", third)):
        read = [s for s, how in report if how == "extracted"]
        print(f"{name}: {len(read)} article(s) extracted, {len(report) - len(read)} from the cache")
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    if ARTICLES:
        per_article()
        return
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
