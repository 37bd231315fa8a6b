"""Exposure paths: the seed answer, k-hop paths, dates, filters and the CLI's arguments."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ArgumentError
from graph.network import exposure, project
from graph.model.ontology import KGR


@pytest.fixture(scope="module")
def seed_network(article_graph) -> nx.MultiDiGraph:
    """The seed article alone: its answer is exact."""
    return project(article_graph)


def _pairs(records):
    return [(r["listed"]["label"], r["exposed"]["label"], r["hops"]) for r in records]


def test_seed_default_answers_qualcomm_and_nvidia_via_sensetime(seed_network):
    records = exposure(seed_network)
    assert _pairs(records) == [("SenseTime", "Nvidia", 1), ("SenseTime", "Qualcomm", 1)]
    qualcomm = records[1]
    (measure,) = qualcomm["listed"]["measures"]
    assert measure["list_label"] == "Entity List" and measure["date"] == "2019-10-07"
    (step,) = qualcomm["path"]
    (edge,) = step["edges"]
    assert (edge["kind"], edge["direction"]) == ("partner", "symmetric")
    # the curated quote, beside the sentence the extractor found for the same partnership
    curated = [s for s in edge["sources"] if s["method"] == "curated"]
    assert [(s["quote"], s["file"]) for s in curated] == [
        ("SenseTime est partenaire de Qualcomm", "articles/lesechos-2019-10-08.txt")]
    assert all(s["file"] == "articles/lesechos-2019-10-08.txt" for s in edge["sources"])


def test_as_of_before_and_after_the_xinjiang_listing(seed_network):
    assert exposure(seed_network, as_of="2019-10-06") == []
    # listed from 2019-10-07; the ties hold from the article that first reports them (2019-10-08), assumed
    assert exposure(seed_network, as_of="2019-10-07") == []
    assert _pairs(exposure(seed_network, as_of="2019-10-08")) == _pairs(exposure(seed_network))


def test_measure_filter_by_list_and_by_class(seed_network):
    assert len(exposure(seed_network, measure="Entity List")) == 2
    assert len(exposure(seed_network, measure="entity-list")) == 2
    assert exposure(seed_network, measure="ProcurementBan") == []  # Hikvision, Huawei: no US tie in the seed


def _chain() -> nx.MultiDiGraph:
    """listed L -supply-> A (CN) <-partner-> U1 (US); L <-supply- U2 (US, ended 2018); U1 -owns-> U3."""
    G = nx.MultiDiGraph(measures={"m": {"label": "M", "classes": ["Measure"], "list": None,
                                        "announced": "2019-10-07", "start": None, "end": None,
                                        "legal_basis": None}}, lists={}, countries=["CN", "US"])
    for node, cc, listed in (("L", "CN", True), ("A", "CN", False), ("B", "CN", False), ("U1", "US", False),
                             ("U2", "US", False), ("U3", "US", False)):
        G.add_node(node, label=node, classes=["Agent", "Company", "Organization"], country=cc, listed=listed,
                   measures=["m"] if listed else [])

    def edge(u, v, key, kind, direction="forward", confidence=0.9, end=None):
        G.add_edge(u, v, key=key, kind=kind, relationship=key, direction=direction, start=None, end=end,
                   share=None, confidence=confidence, sources=[{"quote": key}])
        if direction == "symmetric":
            G.add_edge(v, u, key=key, kind=kind, relationship=key, direction=direction, start=None, end=end,
                       share=None, confidence=confidence, sources=[{"quote": key}])

    edge("L", "A", "s1", "supply")
    edge("L", "B", "s2", "supply", confidence=0.5)
    edge("A", "U1", "p1", "partner", "symmetric", confidence=0.6)
    edge("B", "U1", "p2", "partner", "symmetric", confidence=0.9)
    edge("U2", "L", "s3", "supply", end="2018-12-31")
    edge("U1", "U3", "o1", "ownership")
    return G


def test_k_hop_paths_are_shortest_with_directions_and_strongest_tie():
    G = _chain()
    assert _pairs(exposure(G)) == [("L", "U2", 1)]
    records = exposure(G, hops=2)
    assert _pairs(records) == [("L", "U2", 1), ("L", "U1", 2)]
    u1 = records[1]
    # two shortest paths (via A: 0.9 then 0.6; via B: 0.5 then 0.9); the last step's tie decides
    assert [s["to"] for s in u1["path"]] == ["B", "U1"]
    assert [e["direction"] for s in u1["path"] for e in s["edges"]] == ["forward", "symmetric"]
    assert u1["confidence"] == 0.5
    assert exposure(G, hops=1, country="US")[0]["path"][0]["edges"][0]["direction"] == "reverse"
    assert _pairs(exposure(G, hops=3))[-1] == ("L", "U3", 3)


def test_relation_filter_dates_and_nearest():
    G = _chain()
    assert _pairs(exposure(G, hops=3, relations=["supply"])) == [("L", "U2", 1)]
    assert _pairs(exposure(G, hops=2, as_of="2019-10-08")) == [("L", "U1", 2)]
    assert exposure(G, hops=2, as_of="2019-06-01") == []  # before the listing
    assert exposure(G, hops=2, country="any", nearest=True)[0]["exposed"]["label"] == "A"
    assert len(exposure(G, hops=2, country="any")) == 4


@pytest.mark.parametrize("kwargs, param, match", [
    ({"hops": 0}, "hops", "at least 1, not 0"),
    ({"country": "ZZ"}, "country", "unknown country 'ZZ'"),
    ({"relations": ["friendship"]}, "relations", "unknown relation kind 'friendship'"),
    ({"classes": ["Spaceship"]}, "classes", "unknown class 'Spaceship'"),
    ({"measure": "Nonexistent List"}, "measure", "unknown measure class or list 'Nonexistent List'"),
    ({"as_of": "2019-02-30"}, "as_of", "not '2019-02-30'"),
])
def test_bad_arguments_raise_argument_error(seed_network, kwargs, param, match):
    with pytest.raises(ArgumentError, match=match) as info:
        exposure(seed_network, **kwargs)
    assert info.value.param == param


@pytest.mark.parametrize("args, message", [
    (["--country", "ZZ"], "unknown country 'ZZ'"),
    (["--relation", "friendship"], "unknown relation kind 'friendship'"),
    (["--hops", "0"], "must be at least 1"),
    (["--as-of", "2019-10-32"], "'2019-10-32' is not a day written YYYY-MM-DD"),
    (["--format", "pdf"], "pdf"),
])
def test_cli_bad_arguments_exit_2(article_out, args, message):
    result = CliRunner().invoke(main, ["exposure", "--graph", str(article_out / "graph.trig"), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_cli_default_table_cites_the_article(article_out):
    result = CliRunner().invoke(main, ["exposure", "--graph", str(article_out / "graph.trig")])
    assert result.exit_code == 0, result.output
    assert "SenseTime -partner- Qualcomm" in result.output
    assert "“SenseTime est partenaire de Qualcomm et de Nvidia”" in result.output
    assert "(2 results)" in result.output


def test_cli_empty_result_says_so(article_out):
    result = CliRunner().invoke(main, ["exposure", "--graph", str(article_out / "graph.trig"), "--as-of", "2019-10-06"])
    assert result.exit_code == 0, result.output
    answer, *footer = result.output.strip().splitlines()
    assert answer == "no exposure found: no entity in US within 1 hop of a listed entity as of 2019-10-06"
    # the article alone is no list: the answer says it came from none
    assert footer == ["# lists used (versions read from the graph):", "#   none: the graph holds no official list"]


def test_cli_json_and_csv(article_out):
    graph = str(article_out / "graph.trig")
    records = json.loads(CliRunner().invoke(main, ["exposure", "--graph", graph, "--format", "json"]).output)["rows"]
    assert [r["exposed"]["iri"] for r in records] == [str(KGR["org/nvidia"]), str(KGR["org/qualcomm"])]
    lines = _table_lines(CliRunner().invoke(main, ["exposure", "--graph", graph, "--format", "csv"]).output)
    assert lines[0].startswith("listed,listed_label,measures") and len(lines) == 3


def _table_lines(text: str) -> list[str]:
    """A CSV's lines without the "#" lines that name the list versions above the table."""
    return [line for line in text.splitlines() if not line.lstrip('"').startswith("#")]


def test_markdown_escapes_untrusted_names():
    G = _chain()
    nx.set_node_attributes(G, {"U2": "<script>x</script> | y"}, "label")
    from graph.network import format_exposure
    text = format_exposure(exposure(G), "md")
    assert not re.search(r"(?<!\\)<script", text) and "\\<script>" in text and "\\| y" in text
    assert "&lt;" not in text and "&gt;" not in text  # Markdown escapes, read as written


def test_the_terminal_table_shows_a_list_s_escape_sequences_escaped():
    """A name from a list holding ESC[2J, an OSC 8 link or a right-to-left override is shown, not run."""
    G = _chain()
    nx.set_node_attributes(G, {"U2": "Acme\x1b[2J\u202eevil \x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\"}, "label")
    from graph.network import format_exposure
    text = format_exposure(exposure(G), "table")
    assert "\x1b" not in text and "\u202e" not in text
    assert "Acme\\x1b[2J\\u202eevil \\x1b]8;;https://evil.example" in text


def test_cli_save_writes_csv_and_json_beside_the_table(article_out, tmp_path):
    graph = str(article_out / "graph.trig")
    result = CliRunner().invoke(main, ["exposure", "--graph", graph, "--save", str(tmp_path / "e.csv"),
                                       "--save", str(tmp_path / "e.json")])
    assert result.exit_code == 0, result.output
    assert "SenseTime -partner- Qualcomm" in result.output
    assert len(json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["rows"]) == 2
    assert len(_table_lines((tmp_path / "e.csv").read_text(encoding="utf-8"))) == 3
    bad = CliRunner().invoke(main, ["exposure", "--graph", graph, "--save", str(tmp_path / "e.xlsx")])
    assert bad.exit_code == 2 and "does not end in .csv" in bad.output
    assert not (tmp_path / "e.xlsx").exists()


def test_measures_read_by_list_most_recent_first_never_cut(seed_out):
    import csv
    import io

    result = CliRunner().invoke(main, ["exposure", "--graph", str(seed_out / "graph.trig"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    dahua = next(r for r in csv.DictReader(_table_lines(result.stdout)) if r["listed_label"] == "Dahua")
    items = dahua["measures"].split(" | ")
    # Section 889's file states no date: its listing counts from the version it copies, 2026-08-18
    assert items[0].startswith("Section 889 named companies (2026-08-18 date not stated")
    assert items[1].startswith("Section 1260H list of Chinese military companies (2026-06-08, ")
    assert any(i.startswith("Entity List (") for i in items)
    dates = dahua["measure_dates"].split(" | ")
    assert dates == sorted(dates, reverse=True) and all(dates) and not dahua["measure_dates"].endswith(" | ")
    table = CliRunner().invoke(main, ["exposure", "--graph", str(seed_out / "graph.trig")]).stdout
    # the terminal shows every list, whole, on continuation lines under the measures column
    lines = table.splitlines()
    first = next(i for i, x in enumerate(lines) if x.startswith("Dahua "))
    cell = " ".join(x.strip() for x in lines[first + 1:first + 4] if x.startswith(" " * 19) and x[19] != " ")
    assert "Section 889 named companies (2026-08-18 date not stated);" in lines[first]
    assert "Entity List (2019-10-09)" in cell and "FCC Covered List (2021-03-12)" in cell
    assert "more" not in lines[first] and "…" not in table
