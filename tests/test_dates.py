"""One day parser and one "in force on D" rule (graph.dates), and every analysis agreeing on it.

On the session's build of data/, for ten dates, the listed parties exposure counts, the matrix
search, the topology arrays beside an Oxigraph store, the ownership rules and the screen are
the ones :func:`graph.dates.measure_in_force` gives for every measure. Undated listings are in
force from their list's date, proposed measures never are.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.dates import in_force, is_proposed, measure_in_force, parse_day, rule_status
from graph.errors import ArgumentError, InputError
from graph.network import exposure_paths, listed_entities, project
from graph.network.ownership_rule import ownership_rules, restricted_by_ownership
from graph.network.topology.file import load_topology
from graph.screening.screen import Counterparty, Screener

#: before any listing, the 2019 Entity List additions (announced, effective), the CSL snapshot's
#: eve and day, the Affiliates Rule in force and suspended, and a day after the build
DAYS = ["2010-01-01", "2019-10-06", "2019-10-08", "2019-10-09", "2021-03-12", "2023-11-29", "2023-11-30",
        "2025-10-01", "2026-01-15", "2026-12-07"]


@pytest.fixture(scope="module")
def G(seed_graph):
    return project(seed_graph)


@pytest.fixture(scope="module")
def arrays(seed_store):
    """The topology arrays the build wrote beside its Oxigraph store (the matrix search's input)."""
    import pyoxigraph as ox

    folder = Path(seed_store.removeprefix("oxigraph:"))
    topology = load_topology(ox.Store.read_only(str(folder)), folder)
    assert topology is not None
    return topology


@pytest.fixture(scope="module")
def rules(seed_graph):
    return ownership_rules(seed_graph)


@pytest.fixture(scope="module")
def names(seed_graph, G):
    """The screen's name index: the same on every day, so built once for the days below."""
    return Screener(seed_graph, G=G).names


def _expected(G, day) -> set[tuple[str, str]]:
    measures = G.graph["measures"]
    return {(target, m) for m, targets in G.graph["targets"].items() if measure_in_force(measures[m], day)
            for target in targets}


def _pairs(listed: dict) -> set[tuple[str, str]]:
    return {(node, m) for node, ms in listed.items() for m in ms}


@pytest.mark.parametrize("day", DAYS)
def test_every_measure_is_in_force_on_the_same_days_everywhere(G, arrays, rules, seed_graph, names, day):
    day = date.fromisoformat(day)
    expected = _expected(G, day)
    assert _pairs(listed_entities(G, as_of=day)) == expected
    assert _pairs(listed_entities(arrays, as_of=day)) == expected
    # the search from the listed parties: networkx, the matrix of the projection, the stored arrays
    options = {"hops": 2, "country": "any", "as_of": day}
    paths = exposure_paths(G, method="networkx", **options)
    assert exposure_paths(G, method="matrix", **options) == paths
    assert exposure_paths(arrays, **options) == paths
    assert {source for source, _t, _p in paths} <= {node for node, _m in expected}
    # ownership: the listed owners it counts are listed on that day, under the rule's lists
    for record in restricted_by_ownership(G, rules, as_of=day).values():
        assert all(rule_status(r, day) == "in force" for r in record["rules"])
        for owner in record["owners"]:
            if owner["listed"]:
                assert {(owner["iri"], m["iri"]) for m in owner["measures"]} <= expected
    # the screen lists what exposure lists
    screener = Screener(seed_graph, G=G, as_of=day, names=names)
    assert _pairs(screener.listed) == expected


def test_undated_listings_count_from_their_list_s_date(G):
    """The CSL snapshot of 2023-11-30 states most of its listings without a date."""
    measures = G.graph["measures"]
    undated = [m for m, r in measures.items() if not (r.get("start") or r.get("announced")) and not is_proposed(r)]
    assert len(undated) > 1000
    from_snapshot = [m for m in undated if measures[m].get("stated") == "2023-11-30"]
    assert len(from_snapshot) > 1000
    day_before, day_of = date(2023, 11, 29), date(2023, 11, 30)
    assert not any(measure_in_force(measures[m], day_before) for m in from_snapshot)
    assert all(measure_in_force(measures[m], day_of) for m in from_snapshot)


def test_a_copied_list_s_undated_listings_count_from_the_version_it_copies(G):
    """Section 889's file states no date: it is the OpenSanctions version of 2026-08-18 (copies.tsv)."""
    measures = G.graph["measures"]
    section_889 = [m for m, r in measures.items() if (r.get("label") or "").startswith("Section 889")]
    assert section_889
    assert {measures[m].get("stated") for m in section_889} == {"2026-08-18"}
    assert not any(measure_in_force(measures[m], date(2026, 8, 17)) for m in section_889)
    assert all(measure_in_force(measures[m], date(2026, 8, 18)) for m in section_889)


def test_a_broken_table_of_copies_names_its_row(tmp_path):
    from graph.sources import read_sources

    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy("data/lists/opensanctions_us_special_leg_section_889.csv", lists)
    (lists / "copies.tsv").write_text("file\tversion_date\tcopied_from\thow_known\n"
                                      "opensanctions_us_special_leg_section_889.csv\t18/08/2026\thttps://x.example/a\tsaid\n",
                                      encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_sources([tmp_path])
    assert "copies.tsv" in str(caught.value) and "2" in str(caught.value) and "YYYY-MM-DD" in str(caught.value)


def test_the_senate_bill_is_proposed_and_exposes_nobody(G, seed_out):
    measures = G.graph["measures"]
    [bill] = [m for m, r in measures.items() if r.get("label") and "Senate bill" in r["label"]]
    assert is_proposed(measures[bill])
    assert not any(bill in ms for ms in listed_entities(G).values())
    result = CliRunner().invoke(main, ["exposure", "--graph", str(seed_out / "graph.trig"), "--country", "any",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Senate bill" not in result.stdout and "Liu He" not in result.stdout


def test_kg_screen_as_of_today_reports_an_undated_listing_listed(seed_out, tmp_path):
    """Rosoboronexport's listings state no date: they are in force from the list's date, 2023-11-30.

    The name is the one the CSL lists it under (the matcher's tolerance of spellings is tested
    elsewhere).
    """
    rows = tmp_path / "mine.csv"
    rows.write_text("name\nROSOBORONEKSPORT OAO\n", encoding="utf-8")
    today = date.today().isoformat()
    result = CliRunner().invoke(main, ["screen", str(rows), "--graph", str(seed_out / "graph.trig"), "--as-of", today,
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    [row] = json.loads(result.stdout)["rows"]
    assert row["status"] == "listed", row
    measures = row["matches"][0]["measures"]
    assert measures and {m["date_stated"] for m in measures} == {False}
    assert {m["date"] for m in measures} == {"2023-11-30"}


@pytest.mark.parametrize("value, error", [("2019/10/08", ArgumentError), ("yesterday", ArgumentError),
                                          ("2019-13-01", ArgumentError)])
def test_a_day_is_parsed_in_one_place_and_refused_with_its_form(value, error):
    with pytest.raises(error, match=rf"{value!r}.*|YYYY-MM-DD"):
        parse_day(value)
    with pytest.raises(InputError, match="rows.csv, line 3: as_of must be a day written YYYY-MM-DD"):
        parse_day(value, path="rows.csv", line=3)


def test_the_cli_and_the_api_refuse_the_same_days():
    result = CliRunner().invoke(main, ["exposure", "--as-of", "2019-10-32"])
    assert result.exit_code == 2 and "'2019-10-32' is not a day written YYYY-MM-DD" in result.output


def test_a_bare_year_bounds_nothing_alike_everywhere():
    assert in_force("2019", None, date(2010, 1, 1)) and in_force(None, "2019", date(2030, 1, 1))


def test_an_undated_tie_holds_from_its_earliest_source_and_says_so(G):
    """The seed article (2019-10-08) reports ties without dates: they hold from its date, assumed."""
    from graph.network.paths import exposure

    assumed = [(u, v) for u, v, d in G.edges(data=True) if not d.get("start") and d.get("since") == "2019-10-08"]
    assert assumed
    # the listings the article reports take effect on 2019-10-09
    after = exposure(G, hops=1, country="any", as_of="2019-10-10")
    edges = [e for r in after for step in r["path"] for e in step["edges"]]
    assert any(e["start_assumed"] and e["since"] == "2019-10-08" for e in edges)
    the_day_before = exposure(G, hops=1, country="any", as_of="2019-10-07")
    assert not any(e["since"] and e["since"] > "2019-10-07" and not e["start"]
                   for r in the_day_before for step in r["path"] for e in step["edges"])
