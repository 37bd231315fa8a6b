"""The competency questions 1 and 3-8, answered by the named queries on the built seed graph."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph import QueryError, named_queries, run_query
from graph.cli import main
from graph.store.sparql import format_result, get_query


def ask(graph, query_name, /, **params):
    return run_query(graph, get_query(query_name), params).records()


def test_q1_listing_targets_exactly_the_named_targets(article_graph):
    # the article alone; with the official lists, see tests/test_official_lists.py
    rows = ask(article_graph, "listing-targets")
    assert sorted(r["targetName"] for r in rows) == sorted([
        "Dahua", "Megvii Technology", "SenseTime", "iFlytek", "Yitu Technologies",
        "about twenty Chinese public bodies",
    ])
    for row in rows:
        assert row["imposedBy"] == "United States Department of Commerce"
        assert set(row["announcedBy"].split(" | ")) == {"United States Department of Commerce", "Wilbur Ross"}
        assert row["announcedOn"] == "2019-10-07"
        assert "Uyghurs" in row["reason"]


def test_q1_other_months_have_no_listing(seed_graph):
    assert ask(seed_graph, "listing-targets", month="2019-08") == []


def test_q3_measures_targeting_hikvision(article_graph):
    rows = ask(article_graph, "measures-targeting", company="hikvision")
    assert [(r["measureClass"], r["date"]) for r in rows] == [("ProcurementBan", "2019-08-13")]


def test_q3_matches_aliases_and_spelling_variants(seed_graph):
    by_label = ask(seed_graph, "measures-targeting", company="Megvii Technology")
    by_alias = ask(seed_graph, "measures-targeting", company="MEGVIITECHNOLOGY")
    # undated list measures (NS-CMIC) may come first: look for the listing among all rows
    assert by_label == by_alias and "ExportControlListing" in {r["measureClass"] for r in by_label}


def test_q4_positions(seed_graph):
    rows = {r["personName"]: r for r in ask(seed_graph, "positions")}
    assert rows["Wilbur Ross"]["role"] == "Secretary of Commerce"
    assert rows["Wilbur Ross"]["organizationName"] == "United States Department of Commerce"
    assert rows["Liu He"]["role"] == "Vice-Premier"
    assert rows["Donald Trump"]["role"] == "President of the United States"
    only_ross = ask(seed_graph, "positions", name="wilbur ross")
    # one row per sentence that states the office (curated, and found by the extractor)
    assert {r["personName"] for r in only_ross} == {"Wilbur Ross"}
    assert any(r["quote"] == "le secrétaire américain au Commerce, Wilbur Ross" for r in only_ross)


def test_q5_concerns_of_the_listing(seed_graph):
    rows = ask(seed_graph, "measure-concerns", measure="kgr:measure/entity-list-2019-10")
    assert {(r["concernName"], r["concernClass"]) for r in rows} == {
        ("Uyghurs", "Population"), ("Kazakhs", "Population"), ("Muslim minorities", "Population"),
        ("Xinjiang", "Place"),
    }


def test_q6_sources_of_a_fact_with_verbatim_quotes(seed_graph, data_dir):
    text = (data_dir / "articles/lesechos-2019-10-08.txt").read_text(encoding="utf-8")
    rows = ask(seed_graph, "fact-sources", fact="kgr:partnership/sensetime-qualcomm")
    # one tie, one relationship: the article's words, the extractor's sentence and the table's row
    assert {(r["method"], r["row"]) for r in rows} == {("curated", None), ("extracted", None), ("curated", "18")}
    [row] = [r for r in rows if r["method"] == "curated" and r["row"] is None]
    assert row["publisher"] == "Les Echos" and row["issued"] == "2019-10-08"
    assert row["quote"] == "SenseTime est partenaire de Qualcomm"
    assert text[int(row["charStart"]):int(row["charEnd"])] == row["quote"]


def test_q7_stock_listings(seed_graph):
    rows = ask(seed_graph, "stock-listings")
    # one row per quote: the curated one and the extractor's sentence may both state it
    assert {(r["companyName"], r["placeName"], r["status"]) for r in rows} == {
        ("Megvii Technology", "Hong Kong", "planned")
    }
    assert all("se coter prochainement à Hong Kong" in r["quote"] for r in rows)


def test_q8_agencies_a_ban_binds(seed_graph):
    rows = ask(seed_graph, "ban-binds")
    assert {r["boundName"] for r in rows} == {"FBI", "NASA", "United States federal agencies"}
    assert all(set(r["targets"].split(" | ")) == {"Hikvision", "Huawei"} for r in rows)


@pytest.mark.parametrize("hostile", ['x" } ; DROP ALL ; #', "') || true || ('", "Hikvision\" || \"1\"=\"1"])
def test_parameters_are_bound_not_pasted(seed_graph, hostile):
    assert ask(seed_graph, "measures-targeting", company=hostile) == []
    assert ask(seed_graph, "positions", name=hostile) == []


@pytest.mark.parametrize("name, params, pattern", [
    ("positions", {"nme": "x"}, "takes no parameter 'nme'; its parameters: name"),
    ("measure-concerns", {"measure": "not an iri"}, "needs an IRI"),
    ("listings", {}, "no named query 'listings'; known queries: ban-binds"),
])
def test_query_mistakes_raise_a_clear_error(seed_graph, name, params, pattern):
    with pytest.raises(QueryError, match=pattern):
        run_query(seed_graph, get_query(name), params)


def test_every_named_query_says_what_it_answers_and_runs(seed_graph):
    for query in named_queries().values():
        assert query.description.startswith("Competency question"), query.name
        run_query(seed_graph, query)


def test_formats(seed_graph):
    result = run_query(seed_graph, get_query("stock-listings"))
    assert json.loads(format_result(result, "json"))[0]["placeName"] == "Hong Kong"
    assert format_result(result, "csv").splitlines()[0].startswith("company,companyName,place")
    table = format_result(result, "table")
    rows = len(result.rows)
    assert "kgr:org/megvii" in table and table.rstrip().endswith(f"({rows} row{'s' if rows != 1 else ''})")


def test_cli_query_list_and_run(article_out):
    runner = CliRunner()
    listing = runner.invoke(main, ["query", "--list"])
    assert listing.exit_code == 0, listing.output
    assert "--param company=<entity>" in listing.output
    result = runner.invoke(main, ["query", "positions", "--graph", str(article_out / "graph.trig"),
                                  "--param", "name=Liu He", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["role"] == "Vice-Premier"
    raw = runner.invoke(main, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/exposure-kg/ontology#Person> }",
                               "--graph", str(article_out / "graph.trig"), "--format", "csv"])
    assert raw.output.splitlines() == ["n", "3"]  # the article's three people (the lists add many)


def test_cli_query_errors_exit_nonzero(seed_out, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["query", "positions", "--graph", str(tmp_path / "none.trig")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    bad_param = runner.invoke(main, ["query", "positions", "--graph", str(seed_out / "graph.trig"), "-p", "oops"])
    assert bad_param.exit_code == 2 and "is not name=value" in bad_param.output
    broken = runner.invoke(main, ["query", "SELECT ?x WHERE { ?x", "--graph", str(seed_out / "graph.trig")])
    assert broken.exit_code == 1 and "the query failed" in broken.output
