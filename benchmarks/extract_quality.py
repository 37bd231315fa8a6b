"""How well the extractor reads real texts no rule was written for (issue 23).

The texts are real news stories and official releases kept OUTSIDE the repository (their
words are not ours to ship); the repository holds only their hand annotations,
``benchmarks/extraction_corpus/<id>.yaml``: the URL, the text's sha256, the entities with their
class, names and character offsets, and the relations the text states. This script runs the
extractor the way ``kg extract`` and ``kg evaluate`` do (:func:`graph.extract.evaluate.evaluate`,
with the gazetteer of ``data/``), scores it with the same :func:`graph.extract.evaluate.score`,
and prints precision and recall per language, per entity class and per relation kind for one
half of the corpus.

What is scored is what the annotation covers, nothing else: organisations (``Company``,
``Organization``, ``GovernmentBody``) and persons; and the relations ``suppliesTo``, ``owns``,
``partnerOf``, ``holdsPositionIn``, a measure's ``targets`` and ``imposedBy``. A measure's
subclass is not scored (an OFAC designation and an Entity List addition are both ``Measure``
here): the extractor's and the annotation's measure classes are both read as ``Measure``.
Places, countries, populations, lists and dates are neither annotated nor scored. A found
mention lying inside an annotated mention finds its entity (:func:`credit_nested`); entities
are otherwise matched by name, as ``kg evaluate`` matches them, and must have the annotated class.

Run from the project folder::

    python benchmarks/extract_quality.py --texts TEXTS --half dev
    python benchmarks/extract_quality.py --texts TEXTS --half test
    python benchmarks/extract_quality.py --texts TEXTS --half dev --batch 2
    python benchmarks/extract_quality.py --texts TEXTS --half dev --batch 1,2,3 --errors
    python benchmarks/extract_quality.py --texts TEXTS --half all --batch 3 --check

A batch of ``HELD_OUT`` is scored only when named with ``--batch``: it was collected after
every rule and is measured once, both halves, by whoever freezes the rules. ``--check`` reads
and checks the chosen annotations and their texts (held out or not) and prints only how many
there are per batch and half: the way to see that a batch not yet scored is complete.

Examples
--------
>>> corpus = [("a", "en", "news"), ("b", "en", "news"), ("c", "fr", "news")]
>>> sorted(split(corpus).values()).count("dev") >= 1
True
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from graph.errors import ExposureKGError, InputError
from graph.extract.evaluate import Gold, Score, evaluate, format_breakdown, format_table, prf, score
from graph.extract.extractor import Extraction
from graph.io.files import LineDict, load_yaml, read_text
from graph.model.names import name_key
from graph.model.ontology import load_ontology

__all__ = ["SEED", "SCORED_CLASSES", "SCORED_RELATIONS", "HELD_OUT", "split", "member", "batch_of", "load_roster",
           "load_annotation", "credit_nested", "restrict", "main"]

#: the seed of the split; changing it would make a new split, which the corpus forbids
SEED = "exposure-kg/issue-23/split-1"
SCORED_CLASSES = ("Company", "Organization", "GovernmentBody", "Person")
SCORED_RELATIONS = ("suppliesTo", "owns", "partnerOf", "holdsPositionIn", "targets", "imposedBy")
CORPUS = Path(__file__).parent / "extraction_corpus"
#: the closed batches' members, in the annotations' folder (see :func:`load_roster`)
ROSTER = "batches.tsv"
#: batches scored only when named with ``--batch``: collected after every rule, they are measured
#: once, both halves, by whoever freezes the rules; a batch leaves this set once it has been scored
#: (batch 3 was scored once, for 0.8.0; batch 4 once, for 0.9.0; batch 5 once, for 0.10.0; batch 6
#: once, for 0.11.0)
HELD_OUT: frozenset[int] = frozenset()
_REQUIRED = ("id", "url", "language", "genre", "half", "sha256", "entities", "relations")


@dataclass
class Annotated:
    """One annotated text: the gold the scorer reads, and the record's description."""

    gold: Gold
    id: str
    half: str
    genre: str
    url: str
    #: each named entity's annotated mentions, ``{id: [(start, end), ...]}``
    spans: dict[str, list[tuple[int, int]]]
    #: the batch the text was collected in (:func:`batch_of`)
    batch: int = 1


def split(corpus: list[tuple], roster: list[tuple[int, str, str, str]] | None = None) -> dict[str, str]:
    """The half (``"dev"`` or ``"test"``) of each text, from ``(id, language, genre)`` or
    ``(id, language, genre, batch)`` tuples (a text without a batch is of batch 1).

    Each batch is dealt on its own, so that a later batch never moves a text of an earlier
    one. Within each stratum (batch, language, genre) the texts are ordered by a seeded sha256
    of their ids and dealt alternately to the two halves; the stratum's own seeded hash names
    the half dealt first (batch 1's strata keep the key they had before batches existed, so
    its split is the one recorded). The same corpus always gives the same split.

    ``roster`` lists a closed batch's members as ``(batch, language, genre, member)``, the
    member being the seeded sha256 of the id (:func:`member`): the batch is then dealt whole
    even when only some of its annotations are at hand (the development half is published
    before the test half), and the roster names no text of the test half.

    Examples
    --------
    >>> first = split([("a", "en", "news"), ("b", "en", "news")])
    >>> split([("a", "en", "news"), ("b", "en", "news"), ("c", "en", "news", 2)])["a"] == first["a"]
    True
    >>> whole = split([("c", "en", "news", 2), ("d", "en", "news", 2)])
    >>> split([("c", "en", "news", 2)], roster=[(2, "en", "news", member("d"))])["c"] == whole["c"]
    True
    """
    strata: dict[tuple[int, str, str], set[str]] = {}
    by_member = {}
    for id_, language, genre, *batch in corpus:
        by_member[member(id_)] = id_
        strata.setdefault((int(batch[0]) if batch else 1, language, genre), set()).add(member(id_))
    for batch, language, genre, digest in roster or ():
        strata.setdefault((int(batch), language, genre), set()).add(digest)
    halves = {}
    for (batch, language, genre), members in sorted(strata.items()):
        key = f"{language}/{genre}" if batch == 1 else f"batch-{batch}/{language}/{genre}"
        first = "dev" if int(_hash(key), 16) % 2 == 0 else "test"
        second = "test" if first == "dev" else "dev"
        for rank, digest in enumerate(sorted(members)):
            if digest in by_member:
                halves[by_member[digest]] = first if rank % 2 == 0 else second
    return halves


def member(id_: str) -> str:
    """The name a text goes by in a batch's roster: the seeded sha256 of its id, which names
    its place in the split and nothing else."""
    return _hash(id_)


def batch_of(record) -> int:
    """The batch a record belongs to: its ``batch`` field, 1 when it has none (the first batch
    was written before batches existed)."""
    return int(record.get("batch") or 1)


def load_roster(corpus: Path) -> list[tuple[int, str, str, str]]:
    """The closed batches' members, from ``ROSTER`` in the annotations' folder (none if absent):
    one ``batch, language, genre, member`` row per text, tab-separated, under a header."""
    path = corpus / ROSTER
    if not path.is_file():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        cells = line.split("\t")
        if len(cells) != 4 or not cells[0].isdigit() or len(cells[3]) != 64:
            raise InputError(path, f"row {number} is not 'batch, language, genre, member': {line!r}", line=number,
                             hint="the roster is written by benchmarks/corpus_annotate.py --close-batch")
        rows.append((int(cells[0]), cells[1], cells[2], cells[3]))
    return rows


def load_annotation(path: Path, texts: Path) -> Annotated:
    """Read one annotation and its text; InputError when the text is missing or differs.

    Every span must cover one of its entity's names in the text exactly, and the text's
    sha256 must be the one recorded: an annotation of another version of a text scores
    nothing honestly.
    """
    doc = load_yaml(path)
    if not isinstance(doc, LineDict):
        raise InputError(path, "an annotation is a mapping with " + ", ".join(repr(k) for k in _REQUIRED), line=1)
    for key in _REQUIRED:
        if key not in doc:
            raise InputError(path, f"the annotation has no {key!r}", line=1,
                             hint="see benchmarks/extraction_corpus/README.md for the fields")
    text_path = texts / f"{doc['id']}.txt"
    if not text_path.is_file():
        raise InputError(path, f"its text {text_path} is missing",
                         line=doc.key_lines.get("url"),
                         hint=f"read it again from {doc['url']} through the search tool into {text_path}, "
                              "or give --texts the folder that holds the corpus texts")
    raw = text_path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != doc["sha256"]:
        raise InputError(text_path, f"its sha256 is {digest}, not {doc['sha256']!r} as {path.name} records",
                         hint="the text is not the one annotated: restore it as read, or annotate it again")
    text = read_text(text_path)
    entities = _entities(path, doc, "entities", text)
    spans = {str(k): [tuple(s) for s in v.get("spans") or []] for k, v in (doc.get("entities") or {}).items()}
    unnamed = _entities(path, doc, "unnamed", None)
    known = set(entities) | set(unnamed)
    relations = set()
    for number, item in enumerate(doc.get("relations") or [], start=1):
        if not isinstance(item, list) or len(item) != 3:
            raise InputError(path, f"relation #{number} must be [subject, relation, object], not {item!r}",
                             line=doc.key_lines.get("relations"))
        subject, relation, value = (str(v) for v in item)
        for end in (subject, value):
            if end not in known and not end[:1].isupper():
                raise InputError(path, f"relation #{number} names {end!r}, which is no entity of this file",
                                 line=doc.key_lines.get("relations"))
        if relation in _symmetric_relations() and value < subject:
            # "partnerOf" has no direction: the extractor's triples put the two ends in order, so does the gold
            subject, value = value, subject
        relations.add((subject, relation, value))
    issued = doc.get("issued")
    gold = Gold(path=path, name=str(doc["id"]), text=text, text_file=str(text_path), lang=str(doc["language"]),
                issued=issued if isinstance(issued, date) else None, source=None,
                entities={k: (c, n) for k, (c, n) in entities.items()},
                relations=relations, unnamed=unnamed)
    return Annotated(gold=gold, id=str(doc["id"]), half=str(doc["half"]), genre=str(doc["genre"]), url=str(doc["url"]),
                     spans=spans, batch=batch_of(doc))


def credit_nested(annotated: Annotated, extraction: Extraction) -> Gold:
    """The gold with, as further names of an entity, the words of every found mention lying
    inside one of its annotated mentions ("Commerce Department" in "U.S. Commerce
    Department"): a mention with the right words but shorter bounds finds the entity. A
    mention reaching beyond an annotated one ("Commerce for Industry and Security Alan
    Estevez") is not credited.
    """
    gold = annotated.gold
    entities = dict(gold.entities)
    for key, spans in annotated.spans.items():
        cls, names = entities[key]
        known = {name_key(n) for n in names}
        for mention in extraction.mentions:
            if any(a <= mention.start and mention.end <= b for a, b in spans):
                for alias in (mention.text, mention.name):
                    if alias and name_key(alias) not in known:
                        names, known = names + (alias,), known | {name_key(alias)}
        entities[key] = (cls, names)
    return replace(gold, entities=entities)


def restrict(each: Score) -> Score:
    """The part of a score this corpus annotates (see the module's docstring)."""
    measures = _measure_classes()

    def relation(triple):
        subject, kind, value = triple
        return ("Measure" if subject in measures else subject), kind, value

    found_e, gold_e = (frozenset(e for e in side if e[1] in SCORED_CLASSES) for side in each.entity_sets)
    found_r, gold_r = (frozenset(relation(r) for r in side if r[1] in SCORED_RELATIONS) for side in each.relation_sets)
    kept = Score(each.name, lang=each.lang, entity_sets=(found_e, gold_e), relation_sets=(found_r, gold_r))
    kept.entity_tp, kept.entity_found, kept.entity_gold = len(found_e & gold_e), len(found_e), len(gold_e)
    kept.relation_tp, kept.relation_found, kept.relation_gold = len(found_r & gold_r), len(found_r), len(gold_r)
    kept.missed_entities = sorted(f"{k} ({c})" for k, c in gold_e - found_e)
    kept.wrong_entities = sorted(f"{k} ({c})" for k, c in found_e - gold_e)
    kept.missed_relations = sorted(gold_r - found_r)
    kept.wrong_relations = sorted(found_r - gold_r)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="the folder of the corpus texts (<id>.txt)")
    parser.add_argument("--half", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--batch", type=_batches, default=None,
                        help="score these batches of the corpus, e.g. 2 or 1,2,3 (1: the first 39 texts, 2: the next "
                             "18, 3: the next 18, 4: the next 20, 5: the next 20, 6: the next 20); "
                             "by default every batch but the held-out ones ("
                             + (", ".join(map(str, sorted(HELD_OUT))) or "none now") + "), which are scored only when named")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the folder of the annotations")
    parser.add_argument("--data", type=Path, default=Path("data"), help="curated sources for the gazetteer")
    parser.add_argument("--ner", choices=("auto", "rules", "spacy"), default="auto")
    parser.add_argument("--skip-missing", action="store_true",
                        help="score the texts at hand and name the missing ones, instead of stopping at the "
                             "first (a text that differs from the annotated one still stops the run)")
    parser.add_argument("--errors", action="store_true",
                        help="list every missed and wrong entity and relation (never on the test half "
                             "when you write rules)")
    parser.add_argument("--check", action="store_true",
                        help="check the chosen annotations and their texts (record, roster, split, sha256, "
                             "spans) without running the extractor: safe on a batch that is not to be scored yet")
    args = parser.parse_args(argv)
    try:
        # --check reads every batch it is given, held out or not: it scores nothing
        chosen, missing, held = _load_corpus(args.corpus, args.texts, args.half, skip_missing=args.skip_missing,
                                             batch=args.batch, held_out=frozenset() if args.check else HELD_OUT)
        if args.check:
            print(_format_check(chosen, missing), end="")
            return 0
        from graph.extract.cli_support import known_batches

        use_spacy = {"auto": None, "rules": False, "spacy": True}[args.ner]
        model = load_ontology()
        _first, extractions = evaluate([a.gold for a in chosen], known_batches(args.data), use_spacy=use_spacy,
                                       model=model)
        raw = [score(credit_nested(a, e), e, model) for a, e in zip(chosen, extractions)]
    except ExposureKGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scores = [restrict(each) for each in raw]
    print(f"extractor: {', '.join(sorted({e.extractor for e in extractions}))}")
    print(f"half: {args.half}{'' if args.batch is None else ', batch ' + ','.join(map(str, sorted(args.batch)))} ({len(chosen)} texts: "
          + ", ".join(f"{lang} {sum(a.gold.lang == lang for a in chosen)}" for lang in ("en", "fr")) + ")")
    for id_ in missing:
        print(f"not scored (text missing): {id_}")
    for number, count in sorted(held.items()):
        print(f"not scored (held out until it is measured once; name it with --batch {number}): "
              f"batch {number}, {count} texts")
    print(format_table(scores), end="")
    print("\nper kind and language:")
    print(format_breakdown(scores), end="")
    print("\nentities found under any class (recall of the name, whatever class was given):")
    for lang in ("en", "fr", "all"):
        picked = [s for s in scores if lang in ("all", s.lang)]
        found = {(s.name, key) for s in picked for key, _cls in s.entity_sets[0]}
        gold = {(s.name, key) for s in picked for key, _cls in s.entity_sets[1]}
        print(f"  {lang}: {len(found & gold)}/{len(gold)} = {prf(len(found & gold), len(found), len(gold))[1]:.3f}")
    strays = [(each.name, triple) for each in scores for triple in each.wrong_relations
              if any(str(end).startswith("new:") for end in (triple[0], triple[2]))]
    print(f"\nfound relations with an end no annotated entity matches (a place, a demonym, a broken name): "
          f"{len(strays)} of {sum(s.relation_found for s in scores)}")
    if args.errors:
        for each in scores:
            print(f"\n{each.name}")
            for label, items in (("missed entity", each.missed_entities), ("wrong entity", each.wrong_entities),
                                 ("missed relation", each.missed_relations),
                                 ("wrong relation", each.wrong_relations)):
                for item in items:
                    print(f"  {label}: {item if isinstance(item, str) else ' '.join(item)}")
    return 0


# ------------------------------------------------------------------------------ helpers


def _format_check(chosen: list[Annotated], missing: list[str]) -> str:
    # counts only: names, relations and errors of a batch not yet scored stay unread
    lines = [f"checked {len(chosen)} annotations and their texts (nothing extracted, nothing scored):"]
    groups: dict[tuple[int, str], list[Annotated]] = {}
    for each in chosen:
        groups.setdefault((each.batch, each.half), []).append(each)
    for (batch, half), group in sorted(groups.items()):
        languages = ", ".join(f"{lang} {sum(a.gold.lang == lang for a in group)}" for lang in ("en", "fr"))
        lines.append(f"  batch {batch}, {half}: {len(group)} texts ({languages})")
    lines += [f"not checked (text missing): {id_}" for id_ in missing]
    return "\n".join(lines) + "\n"


def _hash(value: str) -> str:
    return hashlib.sha256(f"{SEED}:{value}".encode()).hexdigest()


def _symmetric_relations() -> set[str]:
    """The relations whose edge has no direction ("partnerOf"), read from the ontology."""
    return {str(e.shortcut).rsplit("#", 1)[-1] for e in load_ontology().edge_kinds() if e.symmetric}


def _measure_classes() -> set[str]:
    model = load_ontology()
    measure = model.cls("Measure")
    return {key for key in model.class_keys() if model.is_a(model.cls(key), measure)}


def _entities(path: Path, doc: LineDict, section: str, text: str | None) -> dict[str, tuple[str, tuple[str, ...]]]:
    block = doc.get(section) or {}
    if not isinstance(block, dict):
        raise InputError(path, f"{section!r} must map ids to {{class, names, spans}}", line=doc.key_lines.get(section))
    out = {}
    for key, item in block.items():
        line = block.key_lines.get(str(key)) if isinstance(block, LineDict) else None
        if not isinstance(item, dict) or not item.get("class") or not item.get("names"):
            raise InputError(path, f"entity {key!r} needs 'class' and 'names'", line=line)
        names = tuple(str(n) for n in item["names"])
        if item["class"] not in SCORED_CLASSES:
            raise InputError(path, f"entity {key!r} has class {item['class']!r}; this corpus annotates "
                                   + ", ".join(SCORED_CLASSES), line=line)
        if text is not None:
            spans = item.get("spans") or []
            if not spans:
                raise InputError(path, f"entity {key!r} has no spans; a named entity is named somewhere", line=line,
                                 hint="move it to 'unnamed' if the text never names it")
            for start, end in spans:
                if " ".join(text[start:end].split()) not in names:
                    raise InputError(path, f"entity {key!r}: span [{start}, {end}] reads {text[start:end]!r}, "
                                           f"none of its names", line=line)
        out[str(key)] = (str(item["class"]), names)
    return out


def _batches(value: str) -> frozenset[int]:
    # "--batch 1,2,3": the batches to score, so that a check batch can be left out of a run
    try:
        numbers = frozenset(int(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a batch number or a comma-separated list of them")
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: batches are numbered from 1")
    return numbers


def _load_corpus(corpus: Path, texts: Path, half: str, skip_missing: bool = False,
                 batch: int | frozenset[int] | None = None,
                 held_out: frozenset[int] | None = None) -> tuple[list[Annotated], list[str], dict[int, int]]:
    # every annotation's record is read to check the split; only the chosen half's texts are
    # read, so that a copy of the development texts alone runs the development half
    held_out = HELD_OUT if held_out is None else held_out
    batches = frozenset([batch]) if isinstance(batch, int) else batch
    files = sorted(corpus.glob("*.yaml"))
    if not files:
        raise InputError(corpus, "no annotation files (*.yaml) here", hint="give --corpus the annotations' folder")
    if not texts.is_dir():
        raise InputError(texts, "no such folder", hint="give --texts the folder of the corpus texts (<id>.txt)")
    records = {}
    for path in files:
        doc = load_yaml(path)
        if not isinstance(doc, LineDict) or any(key not in doc for key in ("id", "language", "genre", "half")):
            raise InputError(path, "an annotation names its 'id', 'language', 'genre' and 'half'", line=1)
        if not str(doc.get("batch") or 1).isdigit() or int(doc.get("batch") or 1) < 1:
            raise InputError(path, f"'batch' must be a whole number from 1, not {doc['batch']!r}",
                             line=doc.key_lines.get("batch"), hint="write the batch the text was collected in")
        records[path] = doc
    roster = load_roster(corpus)
    closed: dict[int, set[str]] = {}
    for number, _language, _genre, digest in roster:
        closed.setdefault(number, set()).add(digest)
    for path, doc in records.items():
        if batch_of(doc) in closed and member(str(doc["id"])) not in closed[batch_of(doc)]:
            raise InputError(path, f"batch {batch_of(doc)} is closed and its roster ({ROSTER}) has no such text",
                             line=doc.key_lines.get("batch"),
                             hint="a text collected later goes into a new batch")
    halves = split([(str(d["id"]), str(d["language"]), str(d["genre"]), batch_of(d)) for d in records.values()],
                   roster=roster)
    for path, doc in records.items():
        if str(doc["half"]) != halves[str(doc["id"])]:
            raise InputError(path, f"records half {doc['half']!r}, but the split says {halves[str(doc['id'])]!r}",
                             line=doc.key_lines.get("half"),
                             hint="the split is made once (see README.md there); never move a text between halves")
    chosen, missing, held = [], [], {}
    for path, doc in records.items():
        if half not in ("all", str(doc["half"])) or (batches is not None and batch_of(doc) not in batches):
            continue
        if batch is None and batch_of(doc) in held_out:
            held[batch_of(doc)] = held.get(batch_of(doc), 0) + 1
            continue
        if skip_missing and not (texts / f"{doc['id']}.txt").is_file():
            missing.append(str(doc["id"]))
            continue
        chosen.append(load_annotation(path, texts))
    return chosen, missing, held


if __name__ == "__main__":
    sys.exit(main())
