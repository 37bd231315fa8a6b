"""kg diff: what changed between two builds of data/ that differ by one list row and one supplier row."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from graph import build, open_graph
from graph.cli import main
from graph.screening.diff import diff, format_diff, summary
from graph.model.ontology import KGR


@pytest.fixture(scope="module")
def edited_out(tmp_path_factory, data_dir):
    """data/ without the Entity List row of Xiamen Meiya Pico and the supplier row of Techpoint."""
    import shutil

    root = tmp_path_factory.mktemp("edited")
    shutil.copytree(data_dir, root / "data")
    for name, start in (("lists/entity_list_2019_10.tsv", "Xiamen Meiya Pico"),
                        ("relationships/suppliers.tsv", "Techpoint Inc\t")):
        path = root / "data" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(start)]
        assert len(kept) == len(lines) - 1
        path.write_text("".join(kept), encoding="utf-8")
    build([root / "data"], root / "out")
    return root / "out"


@pytest.fixture(scope="module")
def change(seed_graph, edited_out):
    return diff(seed_graph, open_graph(edited_out / "graph.trig"))


@pytest.mark.slow
def test_the_removed_list_row_is_a_listing_removed(change):
    removed = [(x["target_label"], x["measure_label"]) for x in change["listings"]["removed"]]
    assert ("Xiamen Meiya Pico Information Co. Ltd.", "Entity List addition of October 2019") in removed
    assert not any(x["target"] == str(KGR["org/xiamen-meiya-pico-information-co-ltd"])
                   for x in change["listings"]["added"])


@pytest.mark.slow
def test_the_removed_supplier_row_is_an_exposure_row_gone_with_its_source(change):
    rows = change["exposure"]["rows"]
    assert rows[1] == rows[0] - 1
    [gone] = change["exposure"]["removed"]
    assert (gone["listed_label"], gone["exposed_label"], gone["path"]) == (
        "Hikvision", "Techpoint Inc", "Hikvision <-supply- Techpoint Inc")
    assert any("relationships/suppliers.tsv, row 13" in s for s in gone["sources"])
    assert change["exposure"]["added"] == [] and change["exposure"]["changed"] == []
    # rows below the deleted ones were renumbered: that is not new evidence
    assert change["evidence"]["renumbered"] > 0
    removed = {(x["file"], x["fact"]) for x in change["evidence"]["removed"]}
    assert ("relationships/suppliers.tsv", str(KGR["supply/relationships/suppliers/techpoint-inc-supplier-of-hikvision"])) \
        in removed
    assert not any(x["file"] == "relationships/suppliers.tsv" for x in change["evidence"]["added"])


@pytest.mark.slow
def test_the_other_way_round_adds_what_was_removed(seed_graph, edited_out):
    back = diff(open_graph(edited_out / "graph.trig"), seed_graph)
    assert [x["exposed_label"] for x in back["exposure"]["added"]] == ["Techpoint Inc"]
    assert summary(back).startswith(f"exposure: {back['exposure']['rows'][0]} -> {back['exposure']['rows'][1]} rows, "
                                    "1 new: Hikvision -> Techpoint Inc")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "md", "json", "html"])
def test_cli_diff_in_each_format(seed_out, edited_out, fmt):
    result = CliRunner().invoke(main, ["diff", str(seed_out / "graph.trig"), str(edited_out / "graph.trig"),
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    text = result.stdout
    if fmt == "json":
        data = json.loads(text)
        assert data["exposure"]["removed"][0]["exposed_label"] == "Techpoint Inc"
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and "default-src 'none'" in text and "<script" not in text
        assert "Techpoint Inc" in text and "Xiamen Meiya Pico" in text
    else:
        assert "Hikvision <-supply- Techpoint Inc" in text and "&lt;" not in text
        assert "Xiamen Meiya Pico" in text
        assert ("## listings removed" if fmt == "md" else "listings removed (") in text


def test_summary_of_the_same_build_says_nothing_changed(seed_graph):
    change = diff(seed_graph, seed_graph)
    rows = change["exposure"]["rows"][0]
    assert summary(change) == (f"exposure: {rows} -> {rows} rows; listings: +0 -0; entities: +0 -0; "
                               "merges changed: 0; evidence: +0 -0")
    assert "(none)" in format_diff(change, "text")


def test_markdown_and_html_escape_hostile_names():
    change = {"listings": {"added": [{"target": "x", "target_label": "<img src=x onerror=alert(1)>|#",
                                      "measure": "m", "measure_label": "M", "list": None}], "removed": []},
              "exposure": {"rows": [0, 0], "added": [], "removed": [], "changed": []},
              "entities": {"added": [], "removed": []}, "merges": {"changed": []},
              "evidence": {"added": [], "removed": [], "renumbered": 0}}
    md = format_diff(change, "md")
    assert not re.search(r"(?<!\\)<img", md) and "\\<img" in md and "\\|" in md
    assert "<img" not in format_diff(change, "html")
