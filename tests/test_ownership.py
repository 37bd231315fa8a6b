"""Ownership chains: shares multiplied along chains, summed across listed owners, cycles end."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import ArgumentError
from graph.network import ownership


def _graph(listed: set[str], stakes: list[tuple[str, str, float]], **edge) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(measures={"m": {"label": "M", "classes": ["Measure"], "list": None,
                                        "announced": "2019-10-07", "start": None, "end": None,
                                        "legal_basis": None}}, lists={}, countries=[])
    nodes = sorted({n for u, v, _s in stakes for n in (u, v)} | listed)
    for n in nodes:
        G.add_node(n, label=n, classes=["Company"], country=None, listed=n in listed,
                   measures=["m"] if n in listed else [])
    for i, (u, v, share) in enumerate(stakes):
        G.add_edge(u, v, key=f"o{i}", kind="ownership", relationship=f"o{i}", direction="forward",
                   start=edge.get("start"), end=edge.get("end"), share=share, confidence=edge.get("confidence", 1.0),
                   sources=[{"quote": f"{u} owns {share} % of {v}"}])
    return G


def _shares(records):
    return {r["entity"]["label"]: r["share"] for r in records}


def test_sixty_times_hundred_is_sixty_and_restricted():
    records = ownership(_graph({"L"}, [("L", "B", 60.0), ("B", "C", 100.0)]))
    assert _shares(records) == {"B": 60.0, "C": 60.0}
    c = next(r for r in records if r["entity"]["label"] == "C")
    (owner,) = c["owners"]
    (chain,) = owner["chains"]
    assert [e["relationship"] for e in chain["path"]] == ["o0", "o1"]
    assert chain["path"][1]["sources"] == [{"quote": "B owns 100.0 % of C"}]


def test_chain_below_the_threshold_is_not_restricted():
    G = _graph({"L"}, [("L", "B", 60.0), ("B", "C", 80.0)])  # 48 %
    assert _shares(ownership(G)) == {"B": 60.0}
    assert _shares(ownership(G, threshold=40)) == {"B": 60.0, "C": 48.0}


def test_two_listed_owners_thirty_plus_twenty_five():
    records = ownership(_graph({"L1", "L2"}, [("L1", "X", 30.0), ("L2", "X", 25.0)]))
    (x,) = records
    assert x["share"] == 55.0
    assert [(o["label"], o["share"]) for o in x["owners"]] == [("L1", 30.0), ("L2", 25.0)]
    assert ownership(_graph({"L1"}, [("L1", "X", 30.0), ("L2", "X", 25.0)])) == []  # L2 not listed


def test_cycles_terminate_and_count_each_simple_chain_once():
    # L -> A 60 %, A -> B 100 %, B -> A 40 % (cycle): A and B each reached by one simple chain
    records = ownership(_graph({"L"}, [("L", "A", 60.0), ("A", "B", 100.0), ("B", "A", 40.0)]))
    assert _shares(records) == {"A": 60.0, "B": 60.0}
    # a cycle back to the listed owner itself is ignored too
    assert _shares(ownership(_graph({"L"}, [("L", "A", 100.0), ("A", "L", 100.0)]))) == {"A": 100.0}


def test_paths_add_up_across_chains_and_stop_at_other_listed_owners():
    # L holds C directly (20 %) and through B (50 % x 60 % = 30 %): 50 % in all
    assert _shares(ownership(_graph({"L"}, [("L", "C", 20.0), ("L", "B", 50.0), ("B", "C", 60.0)]))) == {
        "B": 50.0, "C": 50.0}
    # L1 owns all of listed L2, which owns 60 % of C: C counts L2's 60 % once, not twice
    (c,) = [r for r in ownership(_graph({"L1", "L2"}, [("L1", "L2", 100.0), ("L2", "C", 60.0)]))
            if r["entity"]["label"] == "C"]
    assert c["share"] == 60.0 and [o["label"] for o in c["owners"]] == ["L2"]


def test_duplicate_statements_of_one_stake_count_once():
    G = _graph({"L"}, [("L", "B", 30.0), ("L", "B", 30.0)])
    assert ownership(G) == []


def test_as_of_drops_stakes_not_yet_held():
    G = _graph({"L"}, [("L", "B", 60.0)], start="2020-01-01")
    assert ownership(G, as_of="2019-12-31") == []
    assert _shares(ownership(G, as_of="2020-01-01")) == {"B": 60.0}


@pytest.mark.parametrize("kwargs, match", [({"threshold": 0}, "not 0"), ({"threshold": 150}, "not 150"),
                                           ({"as_of": "soon"}, "not 'soon'")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        ownership(_graph({"L"}, [("L", "B", 60.0)]), **kwargs)
