"""Benchmark: how often the matcher finds the spellings analysts type, against nomenklatura's.

Run from the repository root with the package installed, after ``kg build data --out out``::

    .venv/bin/python benchmarks/screen_quality.py [--graph out/graph.trig] [--names 150]
        [--bench-venv .venv-bench]

The labelled set is made from the lists' own names: ``--names`` listed organisations of the
graph (seeded), each written as analysts write it: a typing slip (two letters swapped, one
dropped, doubled, a vowel for another or a neighbour key), its legal form dropped or added,
its words in another order, transliterated into Cyrillic, in other case and punctuation, and
as one of its aliases. Names that must NOT match are the unlisted firms of ``data/`` (the US
firms of ``reference/organizations.tsv`` and ``relationships/suppliers.tsv``, checked against
the lists), as written and with the same slips. The listed organisations are split once into
two halves, by a seeded shuffle: the thresholds were tuned on the ``tune`` half; the ``report``
half is the one to quote.

Every case meets the same candidates: the ten listed entities closest to it by rapidfuzz's
``WRatio`` over every listed name (a neutral retriever, not either matcher). Each matcher
scores the case against each candidate (best over the candidate's names):

- this project's :func:`graph.resolve.matching.compare` (answers ``match``, ``possible match``,
  ``no match``);
- nomenklatura 4.17.4's ``logic-v2`` and ``logic-v1`` (OpenSanctions' yente), at yente's
  default threshold 0.7, run in a benchmark-only environment (``--bench-venv``: a venv with
  ``pip install nomenklatura==4.17.4``), in a subprocess; never a project dependency.

A variant is *found* when its own entity scores best and at or above the threshold (``match``),
*possible* when it scores best at ``possible match`` (this matcher only), else *missed*. An
unlisted name is *matched* when any candidate reaches ``match`` (0.7 for nomenklatura). Rows per
second count the scoring of every case against its candidates, the listed names prepared as an
index does (once, before timing) and the matcher's caches emptied before each timed run; both
sides count their process's CPU time, not the wall clock, which on a shared machine counts the
other processes' work too (at a load average of 12, ``logic-v2`` scored 5 rows a second by the
wall clock).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("typo", "legal form", "word order", "transliteration", "case and punctuation", "alias")
#: legal forms added to names that have none (one after the other, the same every run)
_FORMS = ["LLC", "Co., Ltd.", "JSC", "GmbH", "S.A.", "OOO", "Limited", "Inc."]
#: a Latin-to-Cyrillic spelling, as a Russian-language file might write a Latin name
_CYRILLIC = {"shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "ya": "я", "yu": "ю",
             "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
             "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
             "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "й", "z": "з"}
_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_VOWELS = "aeiou"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "out" / "graph.trig")
    parser.add_argument("--names", type=int, default=150)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--bench-venv", type=Path, default=ROOT / ".venv-bench")
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of this project's matcher (median)")
    args = parser.parse_args(argv)
    if not args.graph.is_file():
        print(f"no graph at {args.graph}: run 'kg build data --out out' first", file=sys.stderr)
        return 1
    started = time.perf_counter()
    listed, unlisted = _entities(args.graph)
    cases = _cases(listed, unlisted, args.names, args.seed)
    names = [(iri, n) for iri, e in sorted(listed.items()) for n in e["names"]]
    _candidates(cases, names, args.candidates)
    ours, our_rate = _ours(cases, listed, args.repeats)
    theirs, rates = _nomenklatura(cases, listed, args.bench_venv)
    print(f"{len(listed):,} listed organisations, {len(names):,} listed names; {len(cases):,} cases; "
          f"retriever recall {_recall(cases):.3f}; {time.perf_counter() - started:.0f} s in all\n")
    for half in ("report", "tune"):
        _table(half, cases, ours, theirs)
    print("rows per second (each case against its candidates): "
          + ", ".join([f"this matcher {our_rate:,.0f}"] + [f"{k} {v:,.0f}" for k, v in rates.items()])
          + (f"; ratio to logic-v2 {our_rate / rates['logic-v2']:.0f}x" if rates.get("logic-v2") else ""))
    return 0


# -- the labelled set ------------------------------------------------------------------------------

def _entities(path: Path) -> tuple[dict, dict]:
    """Listed organisations of the graph (names, countries) and the unlisted firms of data/."""
    from rdflib import RDFS, URIRef
    from rdflib.namespace import SKOS

    from graph.resolve.matching import prepare
    from graph.screening.screen import Screener
    from graph.store.sparql import run_query
    from graph.store.backends import open_graph

    graph = open_graph(path)
    screener = Screener(graph)
    result = run_query(graph, "SELECT ?s ?p ?o WHERE { VALUES ?p { <%s> <%s> } ?s ?p ?o }" % (RDFS.label, SKOS.altLabel))
    names: dict[str, list[str]] = defaultdict(list)
    for s, p, o in sorted((str(s), str(p), str(o)) for s, p, o in result.rows if isinstance(s, URIRef)):
        if o not in names[s]:
            (names[s].insert(0, o) if p == str(RDFS.label) else names[s].append(o))
    listed = {}
    for iri in sorted(screener.listed):
        if "/id/org/" not in iri or iri not in names:
            continue
        entry = screener.entries.get(iri)
        listed[iri] = {"label": names[iri][0], "names": names[iri], "country": entry.country if entry else None}
    keys = {prepare(n).key for e in listed.values() for n in e["names"]}
    unlisted = {}
    for line in (ROOT / "data" / "reference" / "organizations.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) > 2 and cells[2] == "US" and prepare(cells[0]).key not in keys:
            unlisted[cells[0]] = "US"
    for line in (ROOT / "data" / "relationships" / "suppliers.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        supplier = line.split("\t")[0].split(" (")[0]
        if supplier and prepare(supplier).key not in keys and supplier not in unlisted:
            iri = screener.names.match(supplier)
            if not any(m["iri"] in screener.listed for m in iri):
                unlisted[supplier] = "US"
    return listed, unlisted


def _cases(listed: dict, unlisted: dict, count: int, seed: int) -> list[dict]:
    from rigour.names import extract_org_types, remove_org_types

    rng = random.Random(seed)
    pool = [iri for iri, e in listed.items() if sum(c.isalpha() for c in e["label"]) >= 3]
    chosen = rng.sample(pool, min(count, len(pool)))
    cases = []
    for at, iri in enumerate(chosen):
        half = "tune" if at % 2 == 0 else "report"
        label = listed[iri]["label"]
        variants = {"typo": _typo(label, rng)}
        if extract_org_types(label.casefold()):
            variants["legal form"] = " ".join(remove_org_types(label).split()).strip(" ,.")
        else:
            variants["legal form"] = f"{label} {_FORMS[at % len(_FORMS)]}"
        words = label.split()
        if len(words) >= 2:
            variants["word order"] = " ".join(words[-1:] + words[:-1]).strip(" ,")
        if label.isascii():
            variants["transliteration"] = _to_cyrillic(label)
        variants["case and punctuation"] = _recase(label)
        aliases = [n for n in listed[iri]["names"][1:] if _plain(n) != _plain(label)]
        if aliases:
            variants["alias"] = rng.choice(aliases)
        for kind, text in variants.items():
            if text and text != label:
                cases.append({"half": half, "kind": kind, "name": text, "truth": iri})
    for at, (name, country) in enumerate(sorted(unlisted.items())):
        half = "tune" if at % 2 == 0 else "report"
        for text in dict.fromkeys([name, _typo(name, rng), f"{name} {_FORMS[at % len(_FORMS)]}", _recase(name)]):
            cases.append({"half": half, "kind": "unlisted", "name": text, "truth": None})
    return cases


def _plain(text: str) -> str:
    return "".join(c for c in anyascii(text).casefold() if c.isalnum())


def _typo(name: str, rng: random.Random) -> str:
    """One typing slip in a letter after the first: swap, drop, double, a vowel or a neighbour key."""
    letters = [i for i, c in enumerate(name) if c.isalpha() and c.isascii() and i > 0 and name[i - 1].isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    kind = rng.choice(["swap", "drop", "double", "vowel", "key"])
    c = name[i]
    if kind == "swap" and i + 1 < len(name) and name[i + 1].isalpha() and name[i + 1].lower() != c.lower():
        return name[:i] + name[i + 1] + c + name[i + 2:]
    if kind == "drop":
        return name[:i] + name[i + 1:]
    if kind == "double":
        return name[:i] + c + name[i:]
    lower = c.lower()
    if kind == "vowel" and lower in _VOWELS:
        other = rng.choice([v for v in _VOWELS if v != lower])
    else:
        row = next((r for r in _KEYBOARD if lower in r), None)
        if row is None:
            return name[:i] + name[i + 1:]
        j = row.index(lower)
        other = row[j + 1] if j + 1 < len(row) and (j == 0 or rng.random() < 0.5) else row[j - 1]
    return name[:i] + (other.upper() if c.isupper() else other) + name[i + 1:]


def _to_cyrillic(name: str) -> str:
    out, text, i = [], name.lower(), 0
    while i < len(text):
        for size in (4, 2, 1):
            part = text[i:i + size]
            if part in _CYRILLIC:
                out.append(_CYRILLIC[part])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out).upper() if name.isupper() else "".join(out)


def _recase(name: str) -> str:
    text = name.title() if name.isupper() else name.upper()
    for mark in ",.()'\"":
        text = text.replace(mark, "")
    return " ".join(text.replace("-", " ").replace("&", " and ").split())


def _candidates(cases: list[dict], names: list[tuple[str, str]], limit: int) -> None:
    """The neutral retriever: the ``limit`` listed entities with the closest names by ``WRatio``."""
    keys = [anyascii(n).casefold() for _, n in names]
    for case in cases:
        found: list[str] = []
        query = anyascii(case["name"]).casefold()
        for _, _score, at in process.extract(query, keys, scorer=fuzz.WRatio, limit=limit * 8):
            iri = names[at][0]
            if iri not in found:
                found.append(iri)
            if len(found) == limit:
                break
        case["candidates"] = found


def _recall(cases: list[dict]) -> float:
    variants = [c for c in cases if c["truth"]]
    return sum(c["truth"] in c["candidates"] for c in variants) / max(len(variants), 1)


# -- the matchers ----------------------------------------------------------------------------------

def _ours(cases: list[dict], listed: dict, repeats: int) -> tuple[list[tuple[str | None, float, str]], float]:
    import graph.resolve.matching as matching
    from graph.resolve.matching import THRESHOLDS, compare_names, plausible, prepare

    runs = []
    for _ in range(max(repeats, 1)):
        # every run from cold caches: each case is new to the matcher, as a new file's rows are
        for name in dir(matching):
            if hasattr(getattr(matching, name), "cache_clear") and name != "_country_words":
                getattr(matching, name).cache_clear()
        # as an index does: every listed name prepared once, its columns made once
        columns = {}
        for iri, e in listed.items():
            prepared = [prepare(n) for n in e["names"]]
            columns[iri] = (prepared, [p.key for p in prepared], [p.sound for p in prepared],
                            [p.content for p in prepared], [p.sorted_key for p in prepared])
        began = time.process_time()
        out = []
        for case in cases:
            this = prepare(case["name"])
            # as the screen's index does: one C++ pass over every candidate name, then the matcher
            owners, names, keys, sounds, words, sorted_keys = [], [], [], [], [], []
            for iri in case["candidates"]:
                prepared, *rest = columns[iri]
                owners += [iri] * len(prepared)
                names += prepared
                for column, values in zip((keys, sounds, words, sorted_keys), rest):
                    column += values
            scores: dict[str, float] = {}
            for at in plausible(this, keys, sounds, words, sorted_keys=sorted_keys):
                # as the screen's index does: a pair that cannot reach review is not explained
                score = compare_names(this, names[at], floor=THRESHOLDS.review).score
                if score > scores.get(owners[at], 0.0):
                    scores[owners[at]] = score
            best: tuple[float, str | None] = max(((s, iri) for iri, s in scores.items()), default=(0.0, None),
                                                 key=lambda item: (item[0], item[1] == case["truth"]))
            truth = case["truth"]
            if truth and scores.get(truth, 0.0) == best[0] and best[0] > 0:
                best = (best[0], truth)  # a tie with an entity of the same name: the case's own counts
            out.append((best[1], best[0], THRESHOLDS.answer(best[0])))
        runs.append(time.process_time() - began)
    runs.sort()
    return out, len(cases) / runs[len(runs) // 2]


def _nomenklatura(cases: list[dict], listed: dict, venv: Path) -> tuple[dict, dict]:
    python = venv / "bin" / "python"
    if not python.is_file():
        print(f"no benchmark venv at {venv}: python3 -m venv {venv} && {venv}/bin/pip install nomenklatura==4.17.4; "
              "nomenklatura's columns are left out", file=sys.stderr)
        return {}, {}
    with tempfile.TemporaryDirectory(prefix="screen-quality-") as folder:
        request, answer = Path(folder) / "cases.json", Path(folder) / "scores.json"
        used = sorted({iri for c in cases for iri in c["candidates"]})
        request.write_text(json.dumps({
            "entities": {iri: {"names": listed[iri]["names"], "country": listed[iri]["country"]} for iri in used},
            "cases": [{"name": c["name"], "truth": c["truth"], "candidates": c["candidates"]} for c in cases]}),
            encoding="utf-8")
        subprocess.run([str(python), str(Path(__file__).with_name("_nomenklatura_scores.py")), str(request),
                        str(answer)], check=True)
        data = json.loads(answer.read_text(encoding="utf-8"))
    theirs = {name: [(best, score, "match" if score >= data["threshold"] else "no match") for best, score in rows]
              for name, rows in data["results"].items()}
    return theirs, data["rows_per_second"]


# -- the table -------------------------------------------------------------------------------------

def _table(half: str, cases: list[dict], ours: list, theirs: dict) -> None:
    picked = [i for i, c in enumerate(cases) if c["half"] == half]
    matchers = {"this matcher": ours, **theirs}
    print(f"{half} half ({'quote these' if half == 'report' else 'the thresholds were tuned on these'}): "
          "found / possible / missed per kind")
    head = f"{'kind':<22}{'cases':>6}  " + "".join(f"{m:>22}" for m in matchers)
    print(head)
    totals = {m: Counter() for m in matchers}
    for kind in KINDS:
        rows = [i for i in picked if cases[i]["kind"] == kind]
        cells = []
        for m, results in matchers.items():
            tally = Counter(_outcome(cases[i], results[i]) for i in rows)
            totals[m].update(tally)
            cells.append(f"{tally['found']:>4} / {tally['possible']:>3} / {tally['missed']:>3}")
        print(f"{kind:<22}{len(rows):>6}  " + "".join(f"{c:>22}" for c in cells))
    variants = sum(1 for i in picked if cases[i]["truth"])
    cells = [f"{t['found']:>4} / {t['possible']:>3} / {t['missed']:>3}" for t in totals.values()]
    print(f"{'all variants':<22}{variants:>6}  " + "".join(f"{c:>22}" for c in cells))
    print(f"{'  share found':<22}{'':>6}  " + "".join(f"{t['found'] / max(variants, 1):>22.3f}" for t in totals.values()))
    rows = [i for i in picked if cases[i]["kind"] == "unlisted"]
    cells = []
    for m, results in matchers.items():
        hit = sum(results[i][2] == "match" for i in rows)
        review = sum(results[i][2] == "possible match" for i in rows)
        cells.append(f"{hit} matched, {review} possible")
    print(f"{'unlisted':<22}{len(rows):>6}  " + "".join(f"{c:>22}" for c in cells))
    print()


def _outcome(case: dict, result: tuple) -> str:
    best, _score, answer = result
    if best != case["truth"] or answer == "no match":
        return "missed"
    return "found" if answer == "match" else "possible"


if __name__ == "__main__":
    sys.exit(main())
