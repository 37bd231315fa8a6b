"""Restricted by ownership as OFAC words it: status propagates through 50 % stakes, shares never multiply.

The first tests are the worked examples of OFAC's FAQ 401 (and the counter-example of its 2014
guidance's FAQs), in their own names: Blocked Person X, Entity A, B and C.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import ArgumentError
from graph.network import ownership
from graph.network.ownership_rule import restricted_by_ownership, restricted_rounds

SDN, ENTITY_LIST = "list/sdn", "list/entity-list"


def _graph(listed, stakes: list[tuple[str, str, float]], **edge) -> nx.MultiDiGraph:
    """Parties ``listed`` (a set, or a dict party -> list IRI) and their stakes."""
    on = listed if isinstance(listed, dict) else {n: SDN for n in listed}
    measures = {f"m-{n}": {"label": f"listing of {n}", "classes": ["Measure"], "list": lst,
                           "announced": "2014-08-13", "start": None, "end": None, "legal_basis": None}
                for n, lst in on.items()}
    G = nx.MultiDiGraph(measures=measures, lists={}, countries=[])
    for n in sorted({n for u, v, _s in stakes for n in (u, v)} | set(on)):
        G.add_node(n, label=n, classes=["Company"], country=None, listed=n in on,
                   measures=[f"m-{n}"] if n in on else [])
    for i, (u, v, share) in enumerate(stakes):
        G.add_edge(u, v, key=f"o{i}", kind="ownership", relationship=f"o{i}", direction="forward",
                   start=edge.get("start"), end=edge.get("end"), share=share, confidence=edge.get("confidence", 1.0),
                   sources=[{"quote": f"{u} owns {share} % of {v}"}])
    return G


def _blocked(records) -> dict[str, float]:
    return {r["entity"]["label"]: r["share"] for r in records}


def _owners(records, entity) -> list[tuple]:
    (record,) = [r for r in records if r["entity"]["label"] == entity]
    return [(o["label"], o["share"], o["listed"], o["through"]) for o in record["owners"]]


def test_faq_401_example_1_x_owns_half_of_a_which_owns_half_of_b():
    """Blocked Person X owns 50 % of Entity A, and Entity A owns 50 % of Entity B: B is blocked."""
    records = ownership(_graph({"Blocked Person X"}, [("Blocked Person X", "Entity A", 50.0),
                                                      ("Entity A", "Entity B", 50.0)]))
    assert _blocked(records) == {"Entity A": 50.0, "Entity B": 50.0}
    # X's 50 % of A makes A blocked; A's 50 % of B in turn makes B blocked
    assert _owners(records, "Entity B") == [("Entity A", 50.0, False, ["Blocked Person X"])]
    (b,) = [r for r in records if r["entity"]["label"] == "Entity B"]
    (chain,) = b["owners"][0]["chains"]
    assert [(e["source"], e["target"], e["share"]) for e in chain["path"]] == [
        ("Blocked Person X", "Entity A", 50.0), ("Entity A", "Entity B", 50.0)]
    assert chain["path"][1]["sources"] == [{"quote": "Entity A owns 50.0 % of Entity B"}]


def test_faq_401_example_2_two_blocked_entities_with_a_quarter_each():
    """X owns 50 % of Entity A and of Entity B; A and B each own 25 % of Entity C: C is blocked."""
    records = ownership(_graph({"Blocked Person X"}, [
        ("Blocked Person X", "Entity A", 50.0), ("Blocked Person X", "Entity B", 50.0),
        ("Entity A", "Entity C", 25.0), ("Entity B", "Entity C", 25.0)]))
    assert _blocked(records)["Entity C"] == 50.0
    assert _owners(records, "Entity C") == [("Entity A", 25.0, False, ["Blocked Person X"]),
                                            ("Entity B", 25.0, False, ["Blocked Person X"])]


def test_faq_401_example_3_direct_ten_and_forty_through_a_blocked_entity():
    """X owns 50 % of Entity A and 10 % of Entity B; A owns 40 % of B: B is blocked (10 % + 40 %)."""
    records = ownership(_graph({"Blocked Person X"}, [
        ("Blocked Person X", "Entity A", 50.0), ("Blocked Person X", "Entity B", 10.0),
        ("Entity A", "Entity B", 40.0)]))
    assert _blocked(records) == {"Entity A": 50.0, "Entity B": 50.0}
    assert _owners(records, "Entity B") == [("Entity A", 40.0, False, ["Blocked Person X"]),
                                            ("Blocked Person X", 10.0, True, [])]


def test_faq_counter_example_quarters_through_unblocked_entities_block_nothing():
    """X owns 25 % of Entity A and of Entity B, which each own 50 % of Entity C: nothing is blocked.

    Multiplying shares would give X 12.5 % + 12.5 % of C; OFAC counts nothing through A or B,
    which are not blocked.
    """
    G = _graph({"Blocked Person X"}, [("Blocked Person X", "Entity A", 25.0), ("Blocked Person X", "Entity B", 25.0),
                                      ("Entity A", "Entity C", 50.0), ("Entity B", "Entity C", 50.0)])
    assert ownership(G) == []
    assert ownership(G, threshold=25) and _blocked(ownership(G, threshold=25))["Entity C"] == 100.0


def test_stakes_of_blocked_persons_on_different_lists_add_up():
    """Blocked Person X (SDN) and Blocked Person Y (Entity List) own 25 % of Entity A each: A is blocked."""
    G = _graph({"Blocked Person X": SDN, "Blocked Person Y": ENTITY_LIST},
               [("Blocked Person X", "Entity A", 25.0), ("Blocked Person Y", "Entity A", 25.0)])
    records = ownership(G)
    assert _blocked(records) == {"Entity A": 50.0}
    (a,) = records
    assert [(o["label"], [m["label"] for m in o["measures"]]) for o in a["owners"]] == [
        ("Blocked Person X", ["listing of Blocked Person X"]), ("Blocked Person Y", ["listing of Blocked Person Y"])]
    # one list alone holds 25 %: not blocked under it
    assert ownership(G, measure=lambda m: m["list"] == SDN) == []


def test_four_links_of_fifty_percent_block_every_entity_down_the_chain():
    chain = ["L", "A", "B", "C", "D"]
    records = ownership(_graph({"L"}, [(u, v, 50.0) for u, v in zip(chain, chain[1:])]))
    # multiplied, D would be 6.25 % owned; OFAC's rule blocks each link in turn
    assert _blocked(records) == {"A": 50.0, "B": 50.0, "C": 50.0, "D": 50.0}
    (d,) = [r for r in records if r["entity"]["label"] == "D"]
    assert d["round"] == 4
    (path,) = [c["path"] for c in d["owners"][0]["chains"]]
    assert [e["source"] for e in path] == ["L", "A", "B", "C"]
    assert restricted_rounds({u: {v: {"share": 50.0}} for u, v in zip(chain, chain[1:])}, ["L"]) == {
        "L": 0, "A": 1, "B": 2, "C": 3, "D": 4}


def test_under_the_threshold_passes_nothing_on():
    G = _graph({"L"}, [("L", "A", 49.9), ("A", "B", 100.0)])
    assert ownership(G) == []
    assert _blocked(ownership(G, threshold=40)) == {"A": 49.9, "B": 100.0}


def test_a_cycle_ends_and_a_blocked_entity_s_stake_back_counts():
    # L -> A 60 %, A -> B 50 %, B -> A 40 % (a cycle): A blocked by L, B by A, and B's 40 % of A counts too
    records = ownership(_graph({"L"}, [("L", "A", 60.0), ("A", "B", 50.0), ("B", "A", 40.0)]))
    assert _blocked(records) == {"A": 100.0, "B": 50.0}
    assert _owners(records, "A") == [("L", 60.0, True, []), ("B", 40.0, False, ["A"])]
    # a cycle among entities nobody restricted holds stays unrestricted
    assert ownership(_graph({"L"}, [("A", "B", 60.0), ("B", "A", 60.0), ("L", "A", 10.0)])) == []
    # a listed party held by its own subsidiary ends too
    assert _blocked(ownership(_graph({"L"}, [("L", "A", 100.0), ("A", "L", 100.0)]))) == {"A": 100.0, "L": 100.0}


def test_listed_owners_add_up_and_unlisted_ones_do_not():
    records = ownership(_graph({"L1", "L2"}, [("L1", "X", 30.0), ("L2", "X", 25.0)]))
    (x,) = records
    assert x["share"] == 55.0
    assert [(o["label"], o["share"]) for o in x["owners"]] == [("L1", 30.0), ("L2", 25.0)]
    assert ownership(_graph({"L1"}, [("L1", "X", 30.0), ("L2", "X", 25.0)])) == []  # L2 not listed


def test_duplicate_statements_of_one_stake_count_once():
    G = _graph({"L"}, [("L", "B", 30.0), ("L", "B", 30.0)])
    assert ownership(G) == []


def test_as_of_drops_stakes_not_yet_held():
    G = _graph({"L"}, [("L", "B", 60.0)], start="2020-01-01")
    assert ownership(G, as_of="2019-12-31") == []
    assert _blocked(ownership(G, as_of="2020-01-01")) == {"B": 60.0}


def test_several_rules_with_their_own_lists_and_periods_on_one_chain():
    """E (Entity List) owns 50 % of A; S (SDN) owns 30 % of B and A 20 % of B.

    Under a rule extending both lists (in force from 2025-09-29, suspended from 2025-11-10
    until 2026-11-10), A is restricted and then B (30 % + 20 %); under a rule extending the
    SDN list alone (no date), S's 30 % is all that counts: nothing.
    """
    G = _graph({"E": ENTITY_LIST, "S": SDN}, [("E", "A", 50.0), ("S", "B", 30.0), ("A", "B", 20.0)])
    both = {"iri": "rule/both", "label": "both lists", "lists": [ENTITY_LIST, SDN], "threshold": 50.0,
            "start": "2025-09-29", "suspended_from": "2025-11-10", "suspended_until": "2026-11-10"}
    sdn = {"iri": "rule/sdn", "label": "SDN only", "lists": [SDN], "threshold": 50.0, "start": None}

    def restricted(day):
        found = restricted_by_ownership(G, [both, sdn], as_of=day)
        return {G.nodes[i]["label"]: [r["label"] for r in x["rules"]] for i, x in found.items() if x["restricted"]}

    assert restricted("2025-09-28") == {}
    assert restricted("2025-10-01") == {"A": ["both lists"], "B": ["both lists"]}
    assert restricted("2026-01-01") == {}
    assert restricted("2026-11-10") == {"A": ["both lists"], "B": ["both lists"]}
    b = restricted_by_ownership(G, [both, sdn], as_of="2025-10-01")["B"]
    assert [(o["label"], o["share"], o["listed"]) for o in b["owners"]] == [("S", 30.0, True), ("A", 20.0, False)]


def test_a_stake_of_unknown_size_held_by_a_restricted_entity_is_reported_apart():
    G = _graph({"L"}, [("L", "A", 60.0)])
    G.add_node("U", label="U", classes=["Company"], country=None, listed=False, measures=[])
    G.add_edge("A", "U", key="u", kind="ownership", relationship="u", direction="forward", start=None, end=None,
               share=None, confidence=1.0, sources=[{"quote": "A holds a stake in U"}])
    rule = {"iri": "rule/sdn", "label": "SDN", "lists": [SDN], "threshold": 50.0, "start": None}
    found = restricted_by_ownership(G, [rule])
    assert not found["U"]["restricted"] and found["U"]["share"] is None
    assert [(u["owner"], u["owner_listed"]) for u in found["U"]["unknown"]] == [("A", False)]


@pytest.mark.parametrize("kwargs, match", [({"threshold": 0}, "not 0"), ({"threshold": 150}, "not 150"),
                                           ({"as_of": "soon"}, "'soon'")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        ownership(_graph({"L"}, [("L", "B", 60.0)]), **kwargs)
