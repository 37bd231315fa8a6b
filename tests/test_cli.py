"""One command-line vocabulary: every command that reads a graph takes every store spec.

The graph is the session's build of the seed article, as a file, in an ``oxigraph:DIR`` store
and in rdflib's memory store; each command must answer the same whichever it is given.
(``sparql:URL`` is checked against a real server in tests/test_virtuoso.py.)
"""

from __future__ import annotations

import json
import re
import sys

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.outputs.render import build_label

SPECS = ["file", "oxigraph", "memory"]


@pytest.fixture(scope="module")
def specs(article_out, article_store):
    """The same graph under each embedded store spec, as the command line spells them."""
    trig = article_out / "graph.trig"
    return {"file": ["--graph", str(trig)], "oxigraph": ["--graph", article_store],
            "memory": ["--graph", f"memory:{trig}"]}


def kg(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def page_nodes(path) -> list[str]:
    """The labels of the entities a page draws (from its JSON data block)."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S)
    assert match, f"{path} has no graph data block"
    return sorted(n["label"] for n in json.loads(match.group(1))["nodes"])


@pytest.mark.parametrize("spec", SPECS)
def test_exposure_answers_the_same_on_every_store(specs, spec):
    result = kg("exposure", *specs[spec], "--format", "json")
    assert result.exit_code == 0, result.output
    reference = kg("exposure", *specs["file"], "--format", "json")
    doc = json.loads(result.output)
    assert [r["exposed"]["label"] for r in doc["rows"]] == ["Nvidia", "Qualcomm"]
    assert doc == json.loads(reference.output)  # the rows and the list versions named


@pytest.mark.parametrize("spec", SPECS)
def test_render_draws_the_same_entities_on_every_store(specs, spec, tmp_path):
    plain, paths = tmp_path / "graph.html", tmp_path / "exposure.html"
    assert kg("render", *specs[spec], "--out", plain).exit_code == 0
    result = kg("render", *specs[spec], "--exposure", "--out", paths)
    assert result.exit_code == 0, result.output
    assert page_nodes(paths) == ["Nvidia", "Qualcomm", "SenseTime"]
    reference = tmp_path / "reference.html"
    assert kg("render", *specs["file"], "--out", reference).exit_code == 0
    assert page_nodes(plain) == page_nodes(reference)


def test_render_names_the_build_it_drew(specs, article_out, article_store, tmp_path):
    kg("render", *specs["file"], "--out", tmp_path / "file.html")
    kg("render", *specs["oxigraph"], "--out", tmp_path / "store.html")
    assert build_label(article_out / "graph.trig") in (tmp_path / "file.html").read_text(encoding="utf-8")
    assert article_store in (tmp_path / "store.html").read_text(encoding="utf-8")


# rdflib's memory store keeps a decimal as the file writes it ("1.0"), Oxigraph in canonical
# form ("1"): the N-Triples differ in those literals until the term layer normalises both
MEMORY_NT = pytest.mark.xfail(strict=True, reason="decimal lexical forms differ between rdflib and Oxigraph")


@pytest.mark.parametrize("spec", ["file", "oxigraph", pytest.param("memory", marks=MEMORY_NT)])
@pytest.mark.parametrize("fmt", ["nt"])
def test_export_writes_the_same_triples_from_every_store(specs, spec, fmt, tmp_path):
    test_export_writes_the_same_bytes_from_every_store(specs, spec, fmt, tmp_path)


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("fmt", ["ftm"])
def test_export_writes_the_same_bytes_from_every_store(specs, spec, fmt, tmp_path):
    result = kg("export", "--format", fmt, *specs[spec], "--out", tmp_path / f"{spec}.{fmt}")
    assert result.exit_code == 0, result.output
    kg("export", "--format", fmt, *specs["file"], "--out", tmp_path / f"reference.{fmt}")
    written = (tmp_path / f"{spec}.{fmt}").read_bytes()
    assert b"SenseTime" in written
    assert written == (tmp_path / f"reference.{fmt}").read_bytes()


@pytest.mark.parametrize("spec", SPECS)
def test_validate_and_query_read_every_store(specs, spec):
    checked = kg("validate", *specs[spec])
    assert checked.exit_code == 0, checked.output
    assert "conforms" in checked.output
    rows = kg("query", "positions", "--format", "csv", *specs[spec])
    assert rows.exit_code == 0, rows.output
    assert rows.output == kg("query", "positions", "--format", "csv", *specs["file"]).output
    assert "Wilbur Ross" in rows.output


def test_store_option_and_graph_argument_name_the_same_graphs(specs, article_out, article_store):
    trig = str(article_out / "graph.trig")
    expected = kg("exposure", *specs["file"], "--format", "csv").output
    for args in (["--store", article_store], ["--store", "memory", "--graph", trig],
                 ["--store", "oxigraph", "--graph", trig]):
        result = kg("exposure", *args, "--format", "csv")
        assert result.exit_code == 0, (args, result.output)
        assert result.output == expected, args
    assert kg("validate", article_store).exit_code == 0
    both = kg("validate", trig, "--graph", trig)
    assert both.exit_code == 2 and "not both" in both.output


@pytest.mark.parametrize("command", [["exposure"], ["render", "--exposure"], ["export", "--format", "nt"],
                                     ["query", "positions"], ["validate"]], ids=" ".join)
def test_a_missing_store_is_one_line_naming_it(command, tmp_path):
    result = kg(*command, "--graph", f"oxigraph:{tmp_path / 'none'}")
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (f"error: Oxigraph store {str(tmp_path / 'none')!r} does not exist "
                                     f"(make it with 'kg build --store oxigraph:{tmp_path / 'none'}')")


@pytest.mark.parametrize("command", [["exposure"], ["render", "--exposure"], ["export", "--format", "nt"],
                                     ["query", "positions"], ["validate"], ["serve"]], ids=" ".join)
def test_a_malformed_spec_is_a_usage_error(command):
    result = kg(*command, "--graph", "sparql:ftp://example.org/sparql")
    assert result.exit_code == 2, result.output
    assert "is not an http(s) URL" in result.output


@pytest.mark.parametrize("command", [["exposure"], ["render", "--exposure"]], ids=" ".join)
def test_as_of_is_read_the_same_way_by_every_command(specs, command, tmp_path):
    bad = kg(*command, *specs["file"], "--as-of", "2019-10-32", "--out" if "render" in command else "--save",
             tmp_path / ("x.html" if "render" in command else "x.csv"))
    assert bad.exit_code == 2
    assert "Invalid value for '--as-of': '2019-10-32' is not a day written YYYY-MM-DD" in bad.output


def test_serve_without_its_extra_says_which_to_install(monkeypatch, article_out):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # what an environment without the extra sees
    result = kg("serve", "--graph", article_out / "graph.trig", "--port", "1")
    assert result.exit_code == 1
    assert result.output == "error: kg serve needs the 'serve' extra: pip install 'exposure-kg[serve]'\n"
