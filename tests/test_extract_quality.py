"""The real-text extraction benchmark (benchmarks/extract_quality.py): the split is the one
recorded, a text that is missing or differs from the one annotated is named with what to do,
and a small corpus written here is scored per kind and language."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import corpus_annotate  # noqa: E402
import extract_quality  # noqa: E402

# Written for this test: a supply tie, an ownership and a listing, in words of our own.
TEXT = ("Acme Optics, a unit of Borealis Holdings, supplies cameras to Dahua Technology. "
        "The Commerce Department added Dahua Technology to the Entity List on Monday.\n")
DRAFT = {
    "entities": {
        "acme": {"class": "Company", "names": ["Acme Optics"]},
        "borealis": {"class": "Company", "names": ["Borealis Holdings"]},
        "dahua": {"class": "Company", "names": ["Dahua Technology"]},
        "us-commerce": {"class": "GovernmentBody", "names": ["Commerce Department"]},
    },
    "relations": [["acme", "suppliesTo", "dahua"], ["borealis", "owns", "acme"],
                  ["ExportControlListing", "targets", "dahua"], ["ExportControlListing", "imposedBy", "us-commerce"]],
}
RECORD = {"id": "en-test-supply-2019-10", "url": "https://example.org/story", "title": "A story", "publisher": "us",
          "issued": "2019-10-08", "date_basis": "written for this test", "language": "en", "genre": "news"}


@pytest.fixture
def corpus(tmp_path):
    texts, annotations, data = tmp_path / "texts", tmp_path / "annotations", tmp_path / "data"
    for folder in (texts, annotations, data):
        folder.mkdir()
    (texts / f"{RECORD['id']}.txt").write_text(TEXT, encoding="utf-8")
    half = extract_quality.split([(RECORD["id"], "en", "news")])[RECORD["id"]]
    spans = corpus_annotate.assign_spans(TEXT, {k: v["names"] for k, v in DRAFT["entities"].items()})
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    (annotations / f"{RECORD['id']}.yaml").write_text(
        corpus_annotate.render(RECORD, half, digest, len(TEXT), DRAFT, spans), encoding="utf-8")
    return {"texts": texts, "annotations": annotations, "data": data}


def run(corpus, *extra):
    return extract_quality.main(["--texts", str(corpus["texts"]), "--corpus", str(corpus["annotations"]),
                                 "--data", str(corpus["data"]), "--half", "all", "--ner", "rules", *extra])


def committed():
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((BENCHMARKS / "extraction_corpus").glob("*.yaml"))]


def test_every_committed_annotation_records_the_half_the_seeded_split_gives():
    docs = committed()
    assert len(docs) >= 30
    roster = extract_quality.load_roster(BENCHMARKS / "extraction_corpus")
    halves = extract_quality.split([(d["id"], d["language"], d["genre"], d.get("batch", 1)) for d in docs],
                                   roster=roster)
    assert {d["id"]: d["half"] for d in docs} == halves
    for language in ("en", "fr"):
        assert {d["half"] for d in docs if d["language"] == language} == {"dev", "test"}
        assert sum(d["language"] == language for d in docs) >= 12


def test_the_first_batch_keeps_its_split_when_a_second_is_dealt():
    first = [d for d in committed() if d.get("batch", 1) == 1]
    assert len(first) == 39
    alone = extract_quality.split([(d["id"], d["language"], d["genre"]) for d in first])
    later = [(f"later-{i}", language, genre, 2) for i in range(12) for language in ("en", "fr")
             for genre in ("news", "official")]
    both = extract_quality.split([(d["id"], d["language"], d["genre"]) for d in first] + later)
    assert {d["id"]: d["half"] for d in first} == alone == {d["id"]: both[d["id"]] for d in first}


def test_the_second_batch_is_closed_and_its_roster_lists_each_of_its_annotations():
    roster = extract_quality.load_roster(BENCHMARKS / "extraction_corpus")
    members = {digest for batch, _language, _genre, digest in roster if batch == 2}
    second = [d for d in committed() if d.get("batch", 1) == 2]
    assert len(members) >= 12 and second
    assert {extract_quality.member(d["id"]) for d in second} <= members
    assert {language for batch, language, _genre, _digest in roster if batch == 2} == {"en", "fr"}


@pytest.mark.parametrize("later, earlier_texts", [(3, 57), (4, 75), (5, 95), (6, 115)])
def test_the_earlier_batches_keep_their_halves_when_a_later_one_is_dealt(later, earlier_texts):
    docs = committed()
    roster = extract_quality.load_roster(BENCHMARKS / "extraction_corpus")
    earlier = [d for d in docs if d.get("batch", 1) < later]
    assert len(earlier) == earlier_texts
    alone = extract_quality.split([(d["id"], d["language"], d["genre"], d.get("batch", 1)) for d in earlier],
                                  roster=[row for row in roster if row[0] < later])
    whole = extract_quality.split([(d["id"], d["language"], d["genre"], d.get("batch", 1)) for d in docs],
                                  roster=roster)
    assert {d["id"]: d["half"] for d in earlier} == alone == {d["id"]: whole[d["id"]] for d in earlier}


@pytest.mark.parametrize("batch", [3, 4, 5, 6])
def test_a_later_batch_is_closed_whole_and_each_half_has_both_languages(batch):
    roster = extract_quality.load_roster(BENCHMARKS / "extraction_corpus")
    members = {digest for number, _language, _genre, digest in roster if number == batch}
    texts = [d for d in committed() if d.get("batch", 1) == batch]
    # every member of the roster is annotated, and nothing else is in the batch
    assert len(members) == len(texts) >= 12
    assert {extract_quality.member(d["id"]) for d in texts} == members
    for half in ("dev", "test"):
        assert {d["language"] for d in texts if d["half"] == half} == {"en", "fr"}
    # no text of the batch is a text of another one
    others = [d for d in committed() if d.get("batch", 1) != batch]
    assert not {d["url"] for d in texts} & {d["url"] for d in others}
    assert not {d["sha256"] for d in texts} & {d["sha256"] for d in others}


def test_a_held_out_batch_is_closed_annotated_and_left_out_of_a_default_run(tmp_path):
    # a held-out batch waits to be scored once: a run without --batch neither scores it nor
    # looks for its texts (an empty texts folder here), and says how many it left out
    roster = extract_quality.load_roster(BENCHMARKS / "extraction_corpus")
    assert extract_quality.HELD_OUT <= {number for number, *_ in roster}
    chosen, missing, held = extract_quality._load_corpus(BENCHMARKS / "extraction_corpus", tmp_path, "all",
                                                         skip_missing=True)
    assert not chosen
    for number in extract_quality.HELD_OUT:
        ids = {d["id"] for d in committed() if d.get("batch", 1) == number}
        assert held[number] == len(ids) >= 12
        assert not ids & set(missing)


def test_check_reads_the_annotations_and_texts_without_running_the_extractor(corpus, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("--check must not extract")

    monkeypatch.setattr(extract_quality, "evaluate", refuse)
    assert run(corpus, "--check") == 0
    out = capsys.readouterr().out
    assert "checked 1 annotations" in out and "batch 1, " in out and "(en 1, fr 0)" in out
    # counts only: no entity, relation or score of the batch is printed
    assert "Dahua" not in out and "relation" not in out
    path = corpus["texts"] / f"{RECORD['id']}.txt"
    path.write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
    assert run(corpus, "--check") == 2
    assert "sha256" in capsys.readouterr().err


def test_a_later_batch_is_dealt_by_stratum_the_same_way_whatever_its_order():
    batch = [(f"b2-{i}", ("en", "fr")[i % 2], ("news", "trade-press", "official")[i % 3], 2) for i in range(40)]
    halves = extract_quality.split(batch)
    assert halves == extract_quality.split(list(reversed(batch)))
    for language in ("en", "fr"):
        for genre in ("news", "trade-press", "official"):
            dealt = [halves[id_] for id_, lang, gen, _ in batch if (lang, gen) == (language, genre)]
            assert abs(dealt.count("dev") - dealt.count("test")) <= 1, (language, genre, dealt)


def test_a_roster_deals_a_batch_whole_when_only_part_of_it_is_published():
    batch = [(f"b2-{i}", "en", "news", 2) for i in range(9)]
    whole = extract_quality.split(batch)
    published = [text for text in batch if whole[text[0]] == "dev"]
    roster = [(2, "en", "news", extract_quality.member(id_)) for id_, *_ in batch]
    assert extract_quality.split(published, roster=roster) == {id_: "dev" for id_, *_ in published}
    # without the roster the published part alone would be dealt again, half of it to test
    assert "test" in extract_quality.split(published).values()


def test_the_split_depends_on_the_ids_alone_not_their_order():
    corpus = [(f"t{i}", "en" if i % 2 else "fr", "news") for i in range(20)]
    assert extract_quality.split(corpus) == extract_quality.split(list(reversed(corpus)))


def test_spans_index_the_text_and_a_longer_name_wins_its_words():
    spans = corpus_annotate.assign_spans("SMIC and SMIC Holdings Limited", {"smic": ["SMIC"],
                                                                            "holdings": ["SMIC Holdings Limited"]})
    assert spans == {"smic": [[0, 4]], "holdings": [[9, 30]]}


def test_a_small_corpus_is_scored_per_kind_and_language(corpus, capsys):
    assert run(corpus, "--errors") == 0
    out = capsys.readouterr().out
    assert "half: all (1 texts: en 1, fr 0)" in out
    for kind in ("suppliesTo", "owns", "targets", "imposedBy"):
        assert f"relation  {kind}" in out
    assert "en-test-supply-2019-10" in out


def test_a_changed_text_is_named_with_its_sha256_and_what_to_do(corpus, capsys):
    path = corpus["texts"] / f"{RECORD['id']}.txt"
    path.write_text(TEXT.replace("Monday", "Tuesday"), encoding="utf-8")
    assert run(corpus) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "sha256" in err and "restore it as read" in err


def test_a_missing_text_names_the_url_to_read_it_from(corpus, capsys):
    (corpus["texts"] / f"{RECORD['id']}.txt").unlink()
    assert run(corpus) == 2
    err = capsys.readouterr().err
    assert "is missing" in err and RECORD["url"] in err


def test_a_span_that_does_not_read_a_name_is_refused(corpus, capsys):
    path = corpus["annotations"] / f"{RECORD['id']}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("spans: [[0, 11]]", "spans: [[1, 12]]"),
                    encoding="utf-8")
    assert run(corpus) == 2
    assert "none of its names" in capsys.readouterr().err


def test_a_text_moved_to_the_other_half_is_refused(corpus, capsys):
    path = corpus["annotations"] / f"{RECORD['id']}.yaml"
    text = path.read_text(encoding="utf-8")
    moved = text.replace("half: dev", "half: test") if "half: dev" in text else text.replace("half: test", "half: dev")
    path.write_text(moved, encoding="utf-8")
    assert run(corpus) == 2
    assert "the split says" in capsys.readouterr().err


def test_the_records_of_the_corpus_match_its_annotations():
    # the committed annotations carry the record written in sources.tsv (kept outside); here
    # only the fields every annotation must have are checked, since the texts are not shipped
    for path in sorted((BENCHMARKS / "extraction_corpus").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["id"] == path.stem
        assert doc["url"].startswith("http") and len(doc["sha256"]) == 64
        assert doc["language"] in ("en", "fr") and doc["genre"] in ("news", "official", "trade-press")
        assert str(doc["issued"])[:4].isdigit() and 2017 <= int(str(doc["issued"])[:4]) <= 2026


def test_the_development_half_runs_without_the_test_half_texts(corpus, capsys):
    # a second text in the same stratum: the seeded dealing puts the two in different halves
    other = {**RECORD, "id": "en-test-supply-2019-11"}
    halves = extract_quality.split([(RECORD["id"], "en", "news"), (other["id"], "en", "news")])
    assert sorted(halves.values()) == ["dev", "test"]
    spans = corpus_annotate.assign_spans(TEXT, {k: v["names"] for k, v in DRAFT["entities"].items()})
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    for record in (RECORD, other):
        (corpus["texts"] / f"{record['id']}.txt").write_text(TEXT, encoding="utf-8")
        (corpus["annotations"] / f"{record['id']}.yaml").write_text(
            corpus_annotate.render(record, halves[record["id"]], digest, len(TEXT), DRAFT, spans), encoding="utf-8")
    test_id = next(key for key, half in halves.items() if half == "test")
    (corpus["texts"] / f"{test_id}.txt").unlink()
    assert extract_quality.main(["--texts", str(corpus["texts"]), "--corpus", str(corpus["annotations"]),
                                 "--data", str(corpus["data"]), "--half", "dev", "--ner", "rules"]) == 0
    assert "half: dev (1 texts: en 1, fr 0)" in capsys.readouterr().out
    assert extract_quality.main(["--texts", str(corpus["texts"]), "--corpus", str(corpus["annotations"]),
                                 "--data", str(corpus["data"]), "--half", "test", "--ner", "rules"]) == 2


def test_close_batch_writes_a_roster_once_and_the_benchmark_scores_one_batch(corpus, tmp_path, capsys):
    second = {**RECORD, "id": "en-test-supply-2024-01", "batch": "2"}
    sources = tmp_path / "sources.tsv"
    fields = ["id", "url", "title", "publisher", "issued", "date_basis", "language", "genre", "batch"]
    sources.write_text("\t".join(fields) + "\n" + "\t".join(str(second[f]) for f in fields) + "\n",
                       encoding="utf-8")
    (corpus["texts"] / f"{second['id']}.txt").write_text(TEXT, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    draft.write_text(yaml.safe_dump({second["id"]: DRAFT}), encoding="utf-8")
    common = ["--texts", str(corpus["texts"]), "--sources", str(sources), "--out", str(corpus["annotations"])]
    assert corpus_annotate.main([*common, "--close-batch", "2", str(draft)]) == 0
    assert "batch: 2" in (corpus["annotations"] / f"{second['id']}.yaml").read_text(encoding="utf-8")
    assert corpus_annotate.main([*common, "--close-batch", "2"]) == 2
    assert "closed already" in capsys.readouterr().err
    assert run(corpus, "--batch", "2") == 0
    assert "batch 2 (1 texts: en 1, fr 0)" in capsys.readouterr().out
    assert run(corpus, "--batch", "1") == 0
    assert "batch 1 (1 texts: en 1, fr 0)" in capsys.readouterr().out


def test_a_held_out_batch_is_scored_only_when_named(corpus, capsys, monkeypatch):
    held = {**RECORD, "id": "en-test-supply-2025-02", "batch": "3"}
    halves = extract_quality.split([(RECORD["id"], "en", "news"), (held["id"], "en", "news", 3)])
    spans = corpus_annotate.assign_spans(TEXT, {k: v["names"] for k, v in DRAFT["entities"].items()})
    (corpus["texts"] / f"{held['id']}.txt").write_text(TEXT, encoding="utf-8")
    (corpus["annotations"] / f"{held['id']}.yaml").write_text(
        corpus_annotate.render(held, halves[held["id"]], hashlib.sha256(TEXT.encode()).hexdigest(), len(TEXT),
                               DRAFT, spans), encoding="utf-8")
    monkeypatch.setattr(extract_quality, "HELD_OUT", frozenset({3}))  # as batch 3 was until it was scored
    assert run(corpus) == 0
    out = capsys.readouterr().out
    assert "half: all (1 texts: en 1, fr 0)" in out
    assert "not scored (held out until it is measured once; name it with --batch 3): batch 3, 1 texts" in out
    assert run(corpus, "--batch", "3") == 0
    assert "batch 3 (1 texts: en 1, fr 0)" in capsys.readouterr().out


def test_an_annotation_of_a_closed_batch_that_its_roster_does_not_list_is_refused(corpus, capsys):
    (corpus["annotations"] / extract_quality.ROSTER).write_text(
        f"batch\tlanguage\tgenre\tmember\n1\ten\tnews\t{extract_quality.member('another-text')}\n",
        encoding="utf-8")
    assert run(corpus) == 2
    err = capsys.readouterr().err
    assert "batch 1 is closed" in err and RECORD["id"] in err


def test_batch_names_one_batch_or_a_list_of_them(corpus, capsys):
    assert run(corpus, "--check", "--batch", "2,1") == 0
    assert "checked 1 annotations" in capsys.readouterr().out
    assert run(corpus, "--check", "--batch", "2,3") == 0
    assert "checked 0 annotations" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run(corpus, "--check", "--batch", "one")
    assert "not a batch number" in capsys.readouterr().err
