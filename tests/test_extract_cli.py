"""kg extract, kg evaluate and kg build --no-extract, through the CLI."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "data" / "articles" / "lesechos-2019-10-08.article.yaml")
DATA = str(ROOT / "data")


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_extract_json_has_entities_facts_and_evidence():
    result = run("extract", SEED, "--data", DATA, "--ner", "rules")
    assert result.exit_code == 0, result.output + result.stderr
    doc = json.loads(result.stdout)[0]
    assert doc["source"] == "lesechos-2019-10-08" and doc["language"] == "fr"
    classes = {fact["class"] for fact in doc["facts"]}
    assert {"ExportControlListing", "Partnership", "StockListing", "Position", "Negotiation"} <= classes
    text = (ROOT / "data" / "articles" / "lesechos-2019-10-08.txt").read_text(encoding="utf-8")
    for fact in doc["facts"]:
        for ev in fact["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["quote"]


@pytest.mark.slow  # the gazetteer of all of data/
def test_extract_trig_puts_statements_in_the_article_graph(tmp_path):
    out = tmp_path / "seed.trig"
    result = run("extract", SEED, "--data", DATA, "--format", "trig", "--out", str(out), "--ner", "rules")
    assert result.exit_code == 0, result.stderr
    data = out.read_text(encoding="utf-8")
    assert "<https://w3id.org/exposure-kg/id/source/lesechos-2019-10-08> {" in data
    assert 'kg:method "extracted"' in data and "<https://w3id.org/exposure-kg/id/org/sensetime>" in data


def test_extract_ttl_of_a_plain_english_text(tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("Secretary of Commerce Wilbur Ross said last Monday that Huawei was added to the Entity List.",
                    encoding="utf-8")
    result = run("extract", str(text), "--data", DATA, "--format", "ttl", "--issued", "2019-05-21")
    assert result.exit_code == 0, result.stderr
    assert "kg:holdsPositionIn" in result.stdout and "<https://w3id.org/exposure-kg/id/person/wilbur-ross>" in result.stdout


def test_extract_binary_garbage_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(os.urandom(2048) + b"\xff\xfe")
    result = run("extract", str(junk), "--data", DATA)
    assert result.exit_code == 1
    assert "junk.txt" in result.stderr and "not valid UTF-8" in result.stderr


def test_an_unreadable_article_is_said_before_the_curated_sources_are_read(tmp_path):
    """The articles are read first: a wrong article is said at once, not after seconds of reading data/."""
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff\xfe\x00garbage")
    result = run("extract", str(junk), "--data", str(tmp_path / "no-such-data"))
    assert result.exit_code == 1
    assert "junk.txt" in result.stderr and "no-such-data" not in result.stderr


def test_extract_empty_file_warns_and_gives_an_empty_result(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("extract", str(empty), "--data", DATA)
    assert result.exit_code == 0
    assert "no prose to read" in result.stderr
    assert json.loads(result.stdout)[0]["facts"] == []


def test_extract_bad_arguments_exit_2(tmp_path):
    assert run("extract", SEED, "--issued", "yesterday").exit_code == 2
    assert run("extract", SEED, "--format", "xml").exit_code == 2
    missing = run("extract", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_evaluate_prints_a_table_per_text_and_overall():
    result = run("evaluate", str(ROOT / "tests" / "gold" / "lesechos-2019-10-08.gold.yaml"),
                 str(ROOT / "tests" / "gold" / "en-wire-megvii-ipo-2019-08.gold.yaml"), "--data", DATA,
                 "--ner", "rules", "--errors")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split()[:7] == ["text", "ent", "P", "ent", "R", "ent", "F1"]
    assert any(line.startswith("lesechos-2019-10-08") for line in lines)
    assert any(line.startswith("overall") for line in lines)
    assert "missed relation: liu-he holdsPositionIn chinese-government" in result.stdout


def test_build_says_which_sources_it_extracted(tmp_path, seed_data):
    out = tmp_path / "out"
    first = run("build", str(seed_data), "--out", str(out))
    assert first.exit_code == 0, first.stderr
    assert "extracted lesechos-2019-10-08" in first.stderr
    again = run("build", str(seed_data), "--out", str(out))
    assert "cached lesechos-2019-10-08 (unchanged, from the cache)" in again.stderr
    plain = run("build", str(seed_data), "--out", str(tmp_path / "plain"), "--no-extract")
    assert plain.exit_code == 0 and "extracted" not in plain.stderr
    assert b'"extracted"' not in (tmp_path / "plain" / "graph.trig").read_bytes()
