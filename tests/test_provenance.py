"""Every answer names the list versions it came from (graph/store/provenance.py, issue 25)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.io.fetch import fetch
from graph.store.provenance import lists_used

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = DATA / "lists" / "watchman_cslustest_consolidated_sample.csv"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _list_files() -> list[Path]:
    # copies.tsv is the table of the versions the copied files are, not a list
    return sorted(p for p in (DATA / "lists").iterdir() if p.suffix in (".csv", ".tsv") and p.name != "copies.tsv")


def test_the_lists_of_the_real_build_are_read_from_the_graph(seed_graph):
    lists = {source["file"]: source for source in lists_used(seed_graph)}
    # every list file of data/ and nothing else: the article that reports a listing is no list
    assert set(lists) == {f"lists/{p.name}" for p in _list_files()}
    for path in _list_files():
        assert lists[f"lists/{path.name}"]["sha256"] == _sha(path)
        assert lists[f"lists/{path.name}"]["retrieved"] is None  # shipped, not fetched
    # a file whose name states its publication day is that day's version
    assert lists["lists/watchman_testdata_csl_2023-11-30.csv"]["date"] == "2023-11-30"
    # a copied file's date is the version it copies (data/lists/copies.tsv)
    assert lists["lists/opensanctions_us_special_leg_section_889.csv"]["date"] == "2026-08-18"


def test_kg_exposure_names_each_list_version_in_text_json_and_csv(seed_out):
    graph = str(seed_out / "graph.trig")
    runner = CliRunner()
    text = runner.invoke(main, ["exposure", "--graph", graph])
    assert text.exit_code == 0, text.output
    footer = text.output.split("# lists used", 1)[1]
    for path in _list_files():
        assert _sha(path)[:12] in footer, path.name
    assert "dated 2023-11-30" in footer
    doc = json.loads(runner.invoke(main, ["exposure", "--graph", graph, "--format", "json"]).stdout)
    assert doc["rows"] and {s["sha256"] for s in doc["lists"]} == {_sha(p) for p in _list_files()}
    table = runner.invoke(main, ["exposure", "--graph", graph, "--format", "csv"]).stdout
    head = [line for line in table.splitlines() if line.startswith('"#') or line.startswith("#")]
    assert len(head) == 1 + len(_list_files())
    rows = list(csv.DictReader(io.StringIO("\n".join(line for line in table.splitlines() if line not in head))))
    assert len(rows) == len(doc["rows"])


def test_kg_ownership_names_the_lists_even_when_it_finds_nothing(seed_out):
    graph = str(seed_out / "graph.trig")
    result = CliRunner().invoke(main, ["ownership", "--graph", graph, "--as-of", "1990-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["rows"] == [] and {s["file"] for s in doc["lists"]} == {f"lists/{p.name}" for p in _list_files()}


@pytest.mark.slow  # the site of all of data/: a page per entity
def test_the_site_index_has_a_lists_used_section(seed_out, tmp_path):
    result = CliRunner().invoke(main, ["site", "--graph", str(seed_out / "graph.trig"), "--out", str(tmp_path / "site"),
                                       "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "site" / "index.html").read_text()
    section = index.split('id="lists"', 1)[1]
    for path in _list_files():
        assert _sha(path)[:12] in section
    page = (tmp_path / "site" / "org" / "hikvision.html")
    assert page.is_file() and "index.html#lists" in page.read_text()


def test_a_fetched_version_is_named_with_its_retrieval_time(tmp_path):
    """A version kept by kg fetch (here from a mirror on disk) is named with when it was retrieved."""
    mirror, data = tmp_path / "mirror", tmp_path / "data"
    (mirror / "csl").mkdir(parents=True)
    shutil.copy(SAMPLE, mirror / "csl" / "consolidated.csv")
    (data / "lists").mkdir(parents=True)
    (data / "lists" / "sources.yaml").write_text(json.dumps({"lists": [{  # JSON is YAML
        "name": "csl", "title": "Consolidated Screening List (CSV)", "publisher": "trade.gov (test)",
        "url": "https://publisher.invalid/consolidated.csv", "format": "csl-csv", "licence": "public domain",
        "entries": [5, 100], "max_drop": 0.5, "changes": "daily"}]}))
    [result] = fetch(data / "lists", mirror=mirror.as_uri(), now=datetime(2026, 12, 7, 10, tzinfo=timezone.utc))
    assert result.status == "new", result.line()
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(data), "--out", str(tmp_path / "out"), "--quiet", "--no-extract"])
    assert built.exit_code == 0, built.output
    shown = runner.invoke(main, ["exposure", "--graph", str(tmp_path / "out" / "graph.trig"), "--country", "any"])
    assert shown.exit_code == 0, shown.output
    line = next(line for line in shown.output.splitlines() if "version retrieved 2026-12-07" in line)
    assert "retrieved 2026-12-07T10:00:00" in line and _sha(SAMPLE)[:12] in line
