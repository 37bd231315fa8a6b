"""Write the extraction corpus's annotation files from hand-written drafts (issue 23).

A draft names, for each text, its entities (class and the names the text uses) and the
relations the text states; this script adds what a person should not type by hand: the
record from ``sources.tsv`` (URL, publisher, date, language, genre; the title stays there), the half the
seeded split gives (:func:`extract_quality.split`), the text's sha256 and the offsets of every
whole-word occurrence of each name (a longer name of another entity wins its words). An
entity whose names never occur is refused: it belongs under ``unnamed``.

Run from the project folder::

    python benchmarks/corpus_annotate.py --texts TEXTS \\
        --sources SOURCES.tsv DRAFTS/*.yaml

Examples
--------
>>> spans = assign_spans("Huawei and its unit HiSilicon", {"huawei": ["Huawei"], "hisilicon": ["HiSilicon"]})
>>> spans["hisilicon"]
[[20, 29]]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

from extract_quality import CORPUS, split

from graph.errors import ExposureKGError, InputError
from graph.io.files import load_yaml, read_text, write_atomic

__all__ = ["assign_spans", "render", "main"]

_HEADER = ("# Hand annotation (issue 23) of a real text kept OUTSIDE the repository: only its URL,\n"
           "# sha256, entity names and character offsets are here. Written by benchmarks/corpus_annotate.py\n"
           "# from a hand-written draft; see README.md in this folder.\n")


def assign_spans(text: str, names: dict[str, list[str]]) -> dict[str, list[list[int]]]:
    """Offsets of each entity's names in ``text``; the longest name takes its words first.

    Any run of white space in the text matches a space of the name.
    """
    pairs = sorted(((name, key) for key, each in names.items() for name in set(each)),
                   key=lambda pair: (-len(pair[0]), pair[0], pair[1]))
    taken: list[tuple[int, int]] = []
    spans: dict[str, list[list[int]]] = {key: [] for key in names}
    for name, key in pairs:
        # a name broken across lines ("Bureau of Industry and\nSecurity") is still the name
        words = r"\s+".join(re.escape(word) for word in name.split())
        for match in re.finditer(rf"(?<!\w){words}(?!\w)", text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            spans[key].append([start, end])
    return {key: sorted(each) for key, each in spans.items()}


def render(record: dict, half: str, digest: str, length: int, draft: dict, spans: dict) -> str:
    """The annotation file's text (deterministic: the same draft gives the same bytes)."""
    issued = record["issued"]
    lines = [_HEADER.rstrip("\n")]
    # no title: a headline is the source's sentence, and sentences stay outside the repository
    for key, value in (("id", record["id"]), ("url", record["url"]), ("publisher", record["publisher"])):
        lines.append(f"{key}: {_q(value)}")
    full_date = re.fullmatch(r"\d{4}-\d\d-\d\d", issued) is not None
    lines.append(f"issued: {issued if full_date else _q(issued)}")
    lines.append(f"date_basis: {_q(record['date_basis'])}")
    for key in ("language", "genre"):
        lines.append(f"{key}: {record[key]}")
    lines += [f"half: {half}", f"sha256: {digest}", f"characters: {length}", "", "entities:"]
    for key, item in (draft.get("entities") or {}).items():
        names = ", ".join(_q(n) for n in item["names"])
        lines.append(f"  {key}: {{class: {item['class']}, names: [{names}], spans: {json.dumps(spans[key])}}}")
    if draft.get("unnamed"):
        lines.append("unnamed:")
        for key, item in draft["unnamed"].items():
            names = ", ".join(_q(n) for n in item["names"])
            lines.append(f"  {key}: {{class: {item['class']}, names: [{names}]}}")
    lines.append("relations:")
    for subject, relation, value in draft.get("relations") or []:
        lines.append(f"  - [{subject}, {relation}, {value}]")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drafts", nargs="+", type=Path)
    parser.add_argument("--texts", type=Path, required=True)
    parser.add_argument("--sources", type=Path, required=True, help="sources.tsv: id, url, title, publisher, ...")
    parser.add_argument("--out", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    try:
        with args.sources.open(encoding="utf-8") as handle:
            records = {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}
        halves = split([(r["id"], r["language"], r["genre"]) for r in records.values()])
        for path in args.drafts:
            for id_, draft in (load_yaml(path) or {}).items():
                if id_ not in records:
                    raise InputError(path, f"{id_!r} is not in {args.sources}", hint="add its record first")
                text_path = args.texts / f"{id_}.txt"
                text = read_text(text_path)
                spans = assign_spans(text, {k: v["names"] for k, v in (draft.get("entities") or {}).items()})
                for key, each in spans.items():
                    if not each:
                        raise InputError(path, f"{id_}: entity {key!r} is never named in the text as "
                                               f"{draft['entities'][key]['names']!r}",
                                         hint="correct the name, or move the entity to 'unnamed'")
                digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
                out = render(records[id_], halves[id_], digest, len(text), draft, spans)
                write_atomic(args.out / f"{id_}.yaml", out)
                print(f"wrote {args.out / f'{id_}.yaml'} ({halves[id_]})")
    except ExposureKGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _q(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars, whatever quotes and colons they hold
    return json.dumps(str(value), ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())
