"""Restricted by ownership, as of a date: BIS's Affiliates Rule (with its suspension) and OFAC's 50 % rule.

The chains are built in the test, as FollowTheMoney lines written here: L1 and L2 are on the
Entity List, S on the SDN list; L1 holds 60 % of B, which holds 100 % of C; L1 30 % and L2
25 % of X; L1 an undisclosed stake in U; L1 60 % of P, which holds 50 % of Q, which holds
40 % of P (a cycle); S 50 % of T. The rules themselves are data/rules/affiliates_rule.tsv.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from graph import build, open_graph
from graph.cli import main
from graph.network import project
from graph.network.ownership_rule import ownership_rules, restricted_by_ownership
from graph.screening.screen import Counterparty, Screener

COMPANIES = ["L1", "L2", "S", "B", "C", "X", "U", "P", "Q", "T"]
STAKES = [("L1", "B", 60), ("B", "C", 100), ("L1", "X", 30), ("L2", "X", 25), ("L1", "U", None),
          ("L1", "P", 60), ("P", "Q", 50), ("Q", "P", 40), ("S", "T", 50)]
LISTINGS = [("L1", "Entity List"), ("L2", "Entity List"), ("S", "Specially Designated Nationals")]

BEFORE, FIRST_PERIOD, SUSPENDED, REIMPOSED = "2025-09-01", "2025-10-15", "2026-01-15", "2026-12-01"


def _lines() -> str:
    out = [{"id": n.lower(), "schema": "Company", "properties": {"name": [f"Holding {n}"], "country": ["cn"]}}
           for n in COMPANIES]
    for i, (name, program) in enumerate(LISTINGS):
        out.append({"id": f"sanction-{i}", "schema": "Sanction", "properties": {
            "entity": [name.lower()], "authority": ["Test authority"], "program": [program],
            "startDate": ["2020-01-01"], "sourceUrl": ["https://example.org/listing"]}})
    for i, (owner, asset, share) in enumerate(STAKES):
        props = {"owner": [owner.lower()], "asset": [asset.lower()], "sourceUrl": [f"https://example.org/stake/{i}"]}
        if share is not None:
            props["percentage"] = [str(share)]
        out.append({"id": f"stake-{i}", "schema": "Ownership", "properties": props})
    return "\n".join(json.dumps(x) for x in out) + "\n"


@pytest.fixture(scope="module")
def rules_out(tmp_path_factory, data_dir):
    root = tmp_path_factory.mktemp("rules")
    (root / "data").mkdir()
    shutil.copytree(data_dir / "rules", root / "data" / "rules")
    (root / "data" / "holdings.ftm.jsonl").write_text(_lines(), encoding="utf-8")
    build([root / "data"], root / "out", extract=False)
    return root / "out"


@pytest.fixture(scope="module")
def graph(rules_out):
    return open_graph(rules_out / "graph.trig")


@pytest.fixture(scope="module")
def G(graph):
    return project(graph)


def _restricted(G, graph, day):
    found = restricted_by_ownership(G, ownership_rules(graph), as_of=day)
    return {r["entity"]["label"].removeprefix("Holding "): r for r in found.values() if r["restricted"]}


def test_the_rules_are_read_with_their_periods_and_every_source(graph):
    rules = {r["label"]: r for r in ownership_rules(graph)}
    bis = rules['Expansion of End-User Controls To Cover Affiliates of Certain Listed Entities (the "Affiliates Rule")']
    assert (bis["start"], bis["suspended_from"], bis["suspended_until"]) == ("2025-09-29", "2025-11-10", "2026-11-10")
    assert bis["threshold"] == 50.0
    assert {x.rsplit("/", 1)[-1] for x in bis["lists"]} == {"entity-list", "military-end-user-list",
                                                           "specially-designated-nationals"}
    assert len(bis["sources"]) == 9 and all(s["url"].startswith("https://") for s in bis["sources"])
    assert any("most restrictive owner" in s["note"] for s in bis["sources"])
    assert {x.rsplit("/", 1)[-1] for x in rules["OFAC 50 percent rule"]["lists"]} == {"specially-designated-nationals"}


def test_before_the_rule_only_ofac_applies(G, graph):
    assert set(_restricted(G, graph, BEFORE)) == {"T"}


@pytest.mark.parametrize("day", [FIRST_PERIOD, REIMPOSED])
def test_while_the_rule_is_in_force(G, graph, day):
    found = _restricted(G, graph, day)
    # B is restricted (60 % held by L1), so its 100 % of C counts in full: shares are never multiplied
    assert {k: v["share"] for k, v in found.items()} == {"B": 60.0, "C": 100.0, "X": 55.0, "P": 100.0, "Q": 50.0,
                                                         "T": 50.0}
    c = found["C"]
    [owner] = c["owners"]
    [chain] = owner["chains"]
    assert (owner["label"], owner["share"], owner["listed"]) == ("Holding B", 100.0, False)
    assert [(e["source_label"], e["target_label"], e["share"]) for e in chain["path"]] == [
        ("Holding L1", "Holding B", 60.0), ("Holding B", "Holding C", 100.0)]
    assert all(s["url"].startswith("https://example.org/stake/") for e in chain["path"] for s in e["sources"])
    assert [r["status"] for r in c["rules"]] == ["in force"]
    assert sorted((o["label"], o["share"]) for o in found["X"]["owners"]) == [("Holding L1", 30.0), ("Holding L2", 25.0)]
    # the cycle ends: P (restricted through L1) makes Q restricted, whose 40 % of P then counts too
    assert [(o["label"], o["share"], o["listed"]) for o in found["P"]["owners"]] == [
        ("Holding L1", 60.0, True), ("Holding Q", 40.0, False)]


def test_inside_the_suspension_only_ofac_applies(G, graph):
    assert set(_restricted(G, graph, SUSPENDED)) == {"T"}


def test_an_unknown_share_is_never_counted_as_fifty(G, graph):
    found = restricted_by_ownership(G, ownership_rules(graph), as_of=FIRST_PERIOD)
    [u] = [r for r in found.values() if r["entity"]["label"] == "Holding U"]
    assert not u["restricted"] and u["share"] is None
    assert [x["owner_label"] for x in u["unknown"]] == ["Holding L1"]


@pytest.mark.parametrize("day, status", [(BEFORE, "matched"), (FIRST_PERIOD, "restricted by ownership"),
                                         (SUSPENDED, "matched"), (REIMPOSED, "restricted by ownership")])
def test_screening_answers_differently_on_each_date(graph, G, day, status):
    [row] = Screener(graph, G=G, as_of=day).screen([Counterparty(row=2, name="Holding C")])
    assert row["status"] == status
    if status == "restricted by ownership":
        owned = row["matches"][0]["owned"]
        # B (60 % held by listed L1) is restricted and holds 100 % of C: shares are not multiplied
        assert owned["share"] == 100.0 and "Affiliates Rule" in owned["rules"][0]["label"]


def test_cli_screen_and_ownership_report_the_rule_chain_share_and_sources(rules_out, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("name\nHolding C\nHolding U\n", encoding="utf-8")
    graph = str(rules_out / "graph.trig")
    result = CliRunner().invoke(main, ["screen", str(path), "--graph", graph, "--as-of", FIRST_PERIOD])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "restricted by ownership: listed owners hold 100 %" in text and "Affiliates Rule" in text
    assert "Holding L1 -owns 60 %-> Holding B; Holding B -owns 100 %-> Holding C" in text
    assert "https://example.org/stake/1" in text and "thefederalregister.org" in text
    assert "share unknown, not counted" in text
    suspended = CliRunner().invoke(main, ["screen", str(path), "--graph", graph, "--as-of", SUSPENDED]).stdout
    assert "restricted by ownership" not in suspended
    listing = CliRunner().invoke(main, ["ownership", "--graph", graph, "--as-of", FIRST_PERIOD])
    assert listing.exit_code == 0, listing.output
    assert "Holding X" in listing.stdout and "55" in listing.stdout and "share unknown" in listing.stdout
    # each restricted owner's direct stake and why it is restricted, down to the listed party
    assert "Holding C: restricted by ownership under" in listing.stdout
    assert "100 % held by Holding B, restricted by ownership through Holding L1" in listing.stdout
    assert "Holding L1 (listed) -owns 60 %-> Holding B -owns 100 %-> Holding C" in listing.stdout
    assert "30 % held by Holding L1, listed" in listing.stdout
    assert "Holding C" not in CliRunner().invoke(main, ["ownership", "--graph", graph, "--as-of", SUSPENDED]).stdout


def test_exposure_starts_from_entities_restricted_by_ownership(rules_out, tmp_path):
    """A US customer of C (restricted through L1 and B) is exposed while the rule is in force."""
    import json as _json

    lines = _lines() + _json.dumps({"id": "us", "schema": "Company", "properties": {
        "name": ["Buyer US"], "country": ["us"]}}) + "\n" + _json.dumps({"id": "link", "schema": "UnknownLink", "properties": {
            "subject": ["c"], "object": ["us"], "role": ["supplier"], "sourceUrl": ["https://example.org/supply"]}}) + "\n"
    root = tmp_path
    (root / "data").mkdir()
    shutil.copytree(rules_out.parent / "data" / "rules", root / "data" / "rules")
    (root / "data" / "holdings.ftm.jsonl").write_text(lines, encoding="utf-8")
    build([root / "data"], root / "out", extract=False)
    graph = str(root / "out" / "graph.trig")

    def exposed(day, *extra):
        result = CliRunner().invoke(main, ["exposure", "--graph", graph, "--as-of", day, "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        return {(r["listed"]["label"], r["exposed"]["label"]): r for r in _json.loads(result.stdout)["rows"]}

    inside = exposed(FIRST_PERIOD)
    assert ("Holding C", "Buyer US") in inside
    assert inside[("Holding C", "Buyer US")]["listed"]["measures"][0]["label"].startswith("restricted by ownership:")
    assert ("Holding C", "Buyer US") not in exposed(SUSPENDED)
    assert ("Holding C", "Buyer US") not in exposed(FIRST_PERIOD, "--no-ownership")
