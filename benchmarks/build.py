"""Benchmark: ``kg build`` of an OpenSanctions-shaped FollowTheMoney file at 10k, 100k and 1M lines.

Run from the repository root with the package installed::

    .venv/bin/python benchmarks/build.py --sizes 10k,100k [--seed 7] [--keep DIR]

For each size, a seeded generator writes FollowTheMoney JSON lines shaped like an OpenSanctions
export, every name invented from syllables (no real company or person):

- companies with a name, an alias (30 %), a country, an address, a registration number (60 %)
  and an LEI (30 %);
- a ``Sanction`` for 20 % of them, an ``Ownership`` from an earlier company for half, an
  ``UnknownLink`` with role ``supplier`` for 80 %;
- persons at a fifth of the companies' count, each with a ``Directorship``;
- spelling variants of 5 % of the company names (a typo, another legal form, glued words,
  capitals), each a company of its own in a second file (as another publisher's list would
  name it), whose original is written to ``variants.tsv`` beside the data folder, so that the
  resolver's recall and wrong merges can be computed;
- a handful of malformed lines (not JSON, no id, a link to a missing entity, a repeated id).

Then, each in its own child process (so that peak memory, ``ru_maxrss``, is its own):

- the build, :func:`graph.builder.pipeline.build` as ``kg build DIR --out OUT --quiet --store
  oxigraph:STORE`` runs it (statements freed once written, the build's own store moved to
  STORE), with the wall time of each phase (read, resolve, RDF, serialize, validate, write,
  store: the store moved in and its topology arrays written, or store load when it could not
  be moved: :class:`graph.io.progress.Progress` times them; the shapes are checked in a second
  process while the files are written, so "validate" is the wait after writing), its CPU time
  (its own and its children's), its peak memory (``ru_maxrss``; the children's peaks are
  measured apart, since a child's ``ru_maxrss`` counts the parent's pages at the fork), and
  the precision and recall of the resolver on the planted variants;
- the anchor: the same file through FollowTheMoney's own ``ftm export-rdf`` (``/usr/bin/time
  -v`` for its CPU time and peak memory), which writes fewer triples (no evidence, no
  resolution, no named graphs): the table compares CPU time per triple written, which a
  shared machine's load disturbs less than wall time.

Prints one Markdown table. One run per size (a build of 100k lines takes minutes).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
#: FtM lines per company, on average: the company, 0.2 sanction, 0.5 ownership, 0.8 supply
#: link, 0.05 variant, 0.2 person and 0.2 directorship
LINES_PER_COMPANY = 2.95

_SYLLABLES = ["bel", "cor", "dal", "ev", "fal", "gor", "hel", "iv", "kor", "lum", "mar", "nov", "or", "pol",
              "ral", "sar", "tor", "ul", "val", "zen", "qua", "rix", "tal", "vek", "yor", "zim", "brel", "dra",
              "fen", "grim", "jol", "kesh", "lor", "mip", "nex", "pra", "quil", "sov", "trel", "vur", "wex", "zor"]
_TRADES = ["Technology", "Electronics", "Trading", "Shipping", "Industrial", "Optics", "Logistics", "Energy",
           "Machinery", "Software", "Materials", "Aviation", "Chemical", "Instruments", "Semiconductor"]
_FORMS = ["Co., Ltd.", "Limited", "Corporation", "Inc.", "LLC", "Group", "GmbH", "Company"]
_COUNTRIES = ["cn", "us", "ru", "ir", "hk", "ae", "tr", "de", "in", "sg", "kp", "by", "my", "gb", "fr"]
_PROGRAMS = ["SYNTH-PROGRAM-A", "SYNTH-PROGRAM-B", "SYNTH-PROGRAM-C"]
_AUTHORITY = "Synthetic Sanctions Office"


# ------------------------------------------------------------------------------ generator
def generate(folder: Path, lines: int, seed: int) -> dict:
    """Write about ``lines`` FtM lines under ``folder/data/``, and the labels in ``folder/variants.tsv``.

    ``data/synthetic.ftm.jsonl`` holds everything but the variants, which sit in
    ``data/synthetic-variants.ftm.jsonl``; ``ftm-input.jsonl`` is both without the malformed
    lines (for ``ftm export-rdf``). Returns ``path`` (the main file), ``lines``, ``companies``,
    ``variants`` (variant id -> original id) and ``malformed`` (their line numbers in ``path``).
    """
    rng = random.Random(seed)
    companies = max(10, round(lines / LINES_PER_COMPANY))
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    names: set[str] = set()

    def emit(entity: dict) -> None:
        out.append(json.dumps(entity, ensure_ascii=False, sort_keys=True))

    def word(parts: int) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()

    def company_name() -> str:
        while True:
            name = f"{word(3)} {word(2)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
            if name not in names:
                names.add(name)
                return name

    def company(cid: str, name: str, country: str) -> dict:
        props: dict[str, list[str]] = {"name": [name], "country": [country],
                                       "address": [f"{rng.randint(1, 999)} {word(2)} Road, {word(2)} City"]}
        if rng.random() < 0.3:
            props["alias"] = [" ".join(name.split()[:2])]
        if rng.random() < 0.6:
            props["registrationNumber"] = [f"REG-{rng.randrange(10**9):09d}"]
        if rng.random() < 0.3:
            props["leiCode"] = ["SYN0" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))]
        return {"id": cid, "schema": "Company", "properties": props}

    made: list[tuple[str, str, str]] = []  # id, name, country
    for i in range(companies):
        cid, name, country = f"c{i}", company_name(), rng.choice(_COUNTRIES)
        made.append((cid, name, country))
        emit(company(cid, name, country))
    # the variants come from another list (a second file, as from another publisher): within
    # one file, FtM ids are distinct entities by definition and are never merged
    variants: dict[str, str] = {}
    variant_lines: list[str] = []
    for i in sorted(rng.sample(range(companies), max(1, companies // 20))):
        cid, name, country = made[i]
        vid = f"v{i}"
        variants[vid] = cid
        variant_lines.append(json.dumps(company(vid, _variant(name, rng), country), ensure_ascii=False,
                                        sort_keys=True))
    for i, (cid, _name, _country) in enumerate(made):
        if rng.random() < 0.2:
            day = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            emit({"id": f"s{i}", "schema": "Sanction", "properties": {
                "entity": [cid], "authority": [_AUTHORITY], "program": [rng.choice(_PROGRAMS)],
                "listingDate": [day], "startDate": [day], "reason": ["Synthetic listing for the benchmark"]}})
        if i and rng.random() < 0.5:
            emit({"id": f"o{i}", "schema": "Ownership", "properties": {
                "owner": [made[rng.randrange(i)][0]], "asset": [cid],
                "percentage": [str(rng.choice([10, 25, 50, 51, 75, 100]))]}})
        if rng.random() < 0.8:
            supplier = made[rng.randrange(companies)][0]
            if supplier != cid:
                emit({"id": f"u{i}", "schema": "UnknownLink", "properties": {
                    "subject": [supplier], "object": [cid], "role": ["supplier"]}})
    for i in range(companies // 5):
        pid = f"p{i}"
        emit({"id": pid, "schema": "Person", "properties": {
            "name": [f"{word(2)} {word(3)}"], "country": [rng.choice(_COUNTRIES)]}})
        emit({"id": f"d{i}", "schema": "Directorship", "properties": {
            "director": [pid], "organization": [made[rng.randrange(companies)][0]], "role": ["director"]}})
    # FollowTheMoney's own tools stop at the first malformed line: they read a clean copy
    (folder / "ftm-input.jsonl").write_text("\n".join(out + variant_lines) + "\n", encoding="utf-8")
    # malformed lines, spread through the file (never the first line, which names the format)
    bad = ['{"id": "broken", "schema": "Company", "properties": {"name": ["Unclosed',
           '{"schema": "Company", "properties": {"name": ["No Identifier Ltd."]}}',
           json.dumps({"id": "o-missing", "schema": "Ownership",
                       "properties": {"owner": ["c-missing"], "asset": ["c0"]}}),
           json.dumps({"id": "c0", "schema": "Company", "properties": {"name": ["Repeated Id Ltd."]}}),
           "not json at all"]
    malformed = []
    for k, text in enumerate(bad):
        at = 1 + (k + 1) * (len(out) - 1) // (len(bad) + 1)
        out.insert(at, text)
        malformed.append(at + 1)
    path = data / "synthetic.ftm.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    (data / "synthetic-variants.ftm.jsonl").write_text("\n".join(variant_lines) + "\n", encoding="utf-8")
    (folder / "variants.tsv").write_text("".join(f"{v}\t{o}\n" for v, o in sorted(variants.items())),
                                         encoding="utf-8")
    return {"path": path, "lines": len(out) + len(variant_lines), "companies": companies, "variants": variants,
            "malformed": sorted(malformed)}


def _variant(name: str, rng: random.Random) -> str:
    """A spelling of ``name`` a list could carry for the same company."""
    words = name.split()
    kind = rng.choice(["typo", "form", "glued", "case"])
    if kind == "typo":
        w = words[0]
        at = rng.randrange(1, len(w) - 1)
        words[0] = rng.choice([w[:at] + w[at + 1:], w[:at] + w[at] + w[at:], w[:at - 1] + w[at] + w[at - 1] + w[at + 1:]])
    elif kind == "form":
        form = next(f for f in sorted(_FORMS, key=len, reverse=True) if name.endswith(f))
        words = name[: -len(form)].split() + [rng.choice([f for f in _FORMS if f != form])]
    elif kind == "glued":
        words = [words[0] + words[1]] + words[2:]
    else:
        return name.upper()
    return " ".join(words)


# ------------------------------------------------------------------------------ measuring
_BUILD = r"""
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from graph.builder.pipeline import build
from graph.io.progress import Progress
data, out, store, labels = map(Path, sys.argv[1:5])
phases = Progress(enabled=False)
# as `kg build DIR --out OUT --quiet --store oxigraph:STORE` runs it
result = build([data], out, phases=phases, extract=False, keep=False, store_into=f"oxigraph:{store}")
if not result.store_adopted:
    from graph.builder.pipeline import save_built
    with phases.phase("store load", unit="quads") as phase:
        phase.advance(save_built(None, f"oxigraph:{store}", file=out / "graph.trig"))
wall = time.perf_counter() - start
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
# the resolver on the planted variants: a pair is found when both ids got the same IRI
iri = {key[4:]: value for (source, key), value in result.resolution.by_key.items() if key.startswith("ftm/")}
planted = [tuple(line.split("\t")) for line in labels.read_text().splitlines()]
found = sum(1 for v, o in planted if iri.get(v) is not None and iri.get(v) == iri.get(o))
groups = {}
for eid, value in iri.items():
    if eid[0] in "cv":
        groups.setdefault(value, []).append(eid)
variant_of = dict(planted)
merged = wrong = 0
for members in groups.values():
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            merged += 1
            wrong += not (variant_of.get(a) == b or variant_of.get(b) == a)
warnings = [w for b in result.batches for w in b.warnings]
print(json.dumps({"phases": phases.elapsed, "wall": wall, "quads": result.quads,
                  "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
                  # a child's ru_maxrss counts the build's own pages at the fork: not its peak
                  "maxrss_kb": own.ru_maxrss,
                  "store_adopted": result.store_adopted,
                  "planted": len(planted), "found": found, "merged_pairs": merged, "wrong_pairs": wrong,
                  "warnings": len(warnings), "trig_lines": sum(1 for _ in open(out / "graph.trig", "rb"))}))
"""


def measure_build(folder: Path) -> dict:
    out, store = folder / "out", folder / "store"
    shutil.rmtree(store, ignore_errors=True)
    run = subprocess.run([sys.executable, "-c", _BUILD, str(folder / "data"), str(out), str(store),
                          str(folder / "variants.tsv")], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"the build failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure_ftm(folder: Path) -> dict:
    """``ftm export-rdf`` of the same file, under ``/usr/bin/time -v``."""
    ftm = shutil.which("ftm") or str(Path(sys.executable).with_name("ftm"))
    target = folder / "ftm.nt"
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", ftm, "export-rdf", "-i", str(folder / "ftm-input.jsonl"),
                          "-o", str(target)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if run.returncode:
        return {"error": run.stderr[-500:]}
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr))
    return {"wall": wall, "cpu": cpu, "maxrss_kb": int(peak.group(1)) if peak else 0,
            "triples": sum(1 for _ in open(target, "rb"))}


PHASES = ("read", "resolve", "RDF", "serialize", "validate", "write", "store", "store load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temporary folder)")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; use {', '.join(SIZES)}")
    root = args.keep or Path(tempfile.mkdtemp(prefix="kg-build-bench-"))
    rows = []
    for size in sizes:
        folder = root / size
        shutil.rmtree(folder, ignore_errors=True)
        made = generate(folder, SIZES[size], args.seed)
        ours = measure_build(folder)
        anchor = measure_ftm(folder)
        rows.append((size, made, ours, anchor))
        print(f"{size}: {json.dumps(ours)} ftm: {json.dumps(anchor)}", file=sys.stderr, flush=True)
    print(_table(rows))
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def _table(rows) -> str:
    head = ["lines", "companies", "quads"] + [f"{p} s" for p in PHASES] + [
        "build wall", "build CPU", "build peak", "µs CPU/quad", "µs wall/quad", "ftm export-rdf wall",
        "its CPU", "its peak", "its triples", "µs CPU/triple", "per-triple ratio (CPU)", "per-triple ratio (wall)",
        "recall", "wrong merges"]
    lines = ["| " + " | ".join(head) + " |", "|" + " ---: |" * len(head)]
    for _size, made, ours, anchor in rows:
        per_quad = ours["cpu"] / ours["quads"] * 1e6
        wrong = ours["wrong_pairs"] / ours["merged_pairs"] if ours["merged_pairs"] else 0.0
        cells = [f"{made['lines']:,}", f"{made['companies']:,}", f"{ours['quads']:,}"]
        cells += [f"{ours['phases'].get(p, 0.0):.1f}" for p in PHASES]
        cells += [f"{ours['wall']:.1f} s", f"{ours['cpu']:.1f} s", f"{ours['maxrss_kb'] / 1024:,.0f} MB",
                  f"{per_quad:.1f}", f"{ours['wall'] / ours['quads'] * 1e6:.1f}"]
        if "wall" in anchor:
            per_triple = anchor["cpu"] / anchor["triples"] * 1e6
            cells += [f"{anchor['wall']:.1f} s", f"{anchor['cpu']:.1f} s", f"{anchor['maxrss_kb'] / 1024:,.0f} MB",
                      f"{anchor['triples']:,}", f"{per_triple:.1f}", f"{per_quad / per_triple:.2f}x",
                      f"{(ours['wall'] / ours['quads']) / (anchor['wall'] / anchor['triples']):.2f}x"]
        else:
            cells += ["failed"] * 7
        cells += [f"{ours['found'] / max(ours['planted'], 1):.3f} ({ours['found']}/{ours['planted']})",
                  f"{wrong:.1%} ({ours['wrong_pairs']}/{ours['merged_pairs']})"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
