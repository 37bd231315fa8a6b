"""Write the extraction corpus's annotation files from hand-written drafts (issue 23).

A draft names, for each text, its entities (class and the names the text uses) and the
relations the text states; this script adds what a person should not type by hand: the
record from ``sources.tsv`` (URL, publisher, date, language, genre, batch; the title stays there), the half the
seeded split gives (:func:`extract_quality.split`, dealt over the whole batch: the texts of ``sources.tsv`` and
those annotated already), the text's sha256 and the offsets of every
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

from extract_quality import CORPUS, ROSTER, batch_of, load_roster, member, split

from graph.errors import ExposureKGError, InputError
from graph.io.files import load_yaml, read_text, write_atomic

__all__ = ["assign_spans", "render", "roster", "main"]

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
    if batch_of(record) != 1:
        # the first batch's files were written before batches existed and stay as they are
        lines.append(f"batch: {batch_of(record)}")
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


def roster(records: list[dict], batch: int) -> str:
    """The roster of one batch (see :func:`extract_quality.load_roster`): each text's batch,
    language, genre and member, sorted, so that the batch is dealt whole however few of its
    annotations are published.

    >>> print(roster([{"id": "a", "language": "en", "genre": "news", "batch": "2"}], 2).splitlines()[0])
    batch	language	genre	member
    """
    rows = sorted(f"{batch}\t{r['language']}\t{r['genre']}\t{member(str(r['id']))}"
                  for r in records if batch_of(r) == batch)
    return "\n".join(["batch\tlanguage\tgenre\tmember", *rows]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drafts", nargs="*", type=Path)
    parser.add_argument("--texts", type=Path, required=True)
    parser.add_argument("--sources", type=Path, required=True, help="sources.tsv: id, url, title, publisher, ...")
    parser.add_argument("--out", type=Path, default=CORPUS)
    parser.add_argument("--close-batch", type=int, metavar="N",
                        help=f"write batch N's members from sources.tsv into {ROSTER} (once, before annotating "
                             "or scoring it): its split is then fixed, whatever is published of it")
    args = parser.parse_args(argv)
    try:
        with args.sources.open(encoding="utf-8") as handle:
            records = {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}
        # the split deals each batch whole: texts annotated already count even when
        # sources.tsv lists only the new ones
        known = {str(doc["id"]): doc for doc in (load_yaml(path) for path in sorted(args.out.glob("*.yaml")))}
        known.update(records)
        closed = load_roster(args.out)
        if args.close_batch is not None:
            if any(row[0] == args.close_batch for row in closed):
                raise InputError(args.out / ROSTER, f"batch {args.close_batch} is closed already",
                                 hint="a batch is dealt once; put new texts into a new batch")
            text = roster(list(records.values()), args.close_batch)
            if text.count("\n") < 2:
                raise InputError(args.sources, f"no text of batch {args.close_batch} here",
                                 hint="give each new text's row a 'batch' column")
            old = (args.out / ROSTER).read_text(encoding="utf-8") if closed else ""
            write_atomic(args.out / ROSTER, old + (text.split("\n", 1)[1] if old else text))
            closed = load_roster(args.out)
            print(f"closed batch {args.close_batch}: {text.count(chr(10)) - 1} texts in {args.out / ROSTER}")
        halves = split([(str(r["id"]), str(r["language"]), str(r["genre"]), batch_of(r)) for r in known.values()],
                       roster=closed)
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
