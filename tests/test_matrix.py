"""The matrix search returns exactly what the networkx search returns, on random graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.network.paths import exposure, exposure_paths
from graph.network.matrix import matrix_index

KINDS = ("partner", "supply", "ownership", "position")


def random_projection(seed: int, n: int = 60, m: int = 140) -> nx.MultiDiGraph:
    """A projection-shaped graph with ties in confidence, dates, symmetric edges and parallel edges.

    Its measures: one announced 2016-01-01, one with no date of its own stated by a list of
    2018-03-01 (graph.dates: in force from then), one ended 2019-06-30 and one proposed (never
    in force); its ties are dated, undated with the date of their earliest source, or neither.
    """
    rng = random.Random(seed)
    measure = {"label": "M", "classes": ["Measure"], "list": None, "announced": None, "start": None, "end": None,
               "stated": None, "status": None, "legal_basis": None}
    G = nx.MultiDiGraph(measures={
        "m": {**measure, "announced": "2016-01-01"}, "undated": {**measure, "stated": "2018-03-01"},
        "ended": {**measure, "start": "2015-01-01", "end": "2019-06-30"},
        "bill": {**measure, "announced": "2015-01-01", "status": "proposed"}},
        lists={}, countries=["CN", "DE", "US"])
    for i in range(n):
        G.add_node(f"https://e.org/n{i:03d}", label=f"n{i}", classes=["Company"], country=rng.choice(["CN", "US", "DE"]),
                   listed=False, measures=[])
    nodes = sorted(G)
    for node, measures in zip(rng.sample(nodes, 8), (["m"], ["m"], ["undated"], ["undated"], ["ended"], ["bill"],
                                                     ["bill", "undated"], ["ended", "m"])):
        G.nodes[node]["measures"] = measures
        G.nodes[node]["listed"] = True
    for j in range(m):
        u, v = rng.sample(nodes, 2)
        kind = rng.choice(KINDS)
        data = {"kind": kind, "relationship": f"https://e.org/r{j}", "start": rng.choice([None, None, "2018-01-01"]),
                "end": rng.choice([None, None, "2019-06-30"]), "since": rng.choice([None, "2016-05-01", "2019-01-01"]),
                "share": None,
                "confidence": rng.choice([None, 0.4, 0.7, 0.7, 0.9]), "sources": []}
        if kind == "partner":
            G.add_edge(u, v, key=data["relationship"], direction="symmetric", **data)
            G.add_edge(v, u, key=data["relationship"], direction="symmetric", **data)
        else:
            G.add_edge(u, v, key=data["relationship"], direction="forward", **data)
    return G


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("options", [
    {"hops": 1}, {"hops": 2}, {"hops": 3}, {"hops": 3, "country": "any"},
    {"hops": 2, "nearest": True}, {"hops": 3, "nearest": True, "country": "any"},
    {"hops": 2, "relations": ["supply", "partner"]}, {"hops": 3, "as_of": "2019-08-01"},
    {"hops": 2, "as_of": "2017-01-01", "country": "any"}, {"hops": 3, "as_of": "2018-06-01", "nearest": True},
])
def test_matrix_and_networkx_searches_agree(seed, options):
    G = random_projection(seed)
    slow = exposure_paths(G, method="networkx", **options)
    fast = exposure_paths(G, method="matrix", **options)
    assert fast == slow
    assert slow or options.get("relations"), "the random graph should expose something"


@pytest.mark.parametrize("seed", range(12))
def test_as_of_keeps_what_is_in_force_on_the_day_alone(seed):
    """A dated search differs from an undated one, and both searches leave out the same ties and listings."""
    G = random_projection(seed)
    undated = {(s, t) for s, t, _p in exposure_paths(G, hops=2, country="any", method="networkx")}
    for day in ("2016-06-01", "2019-08-01"):
        slow = exposure_paths(G, hops=2, country="any", as_of=day, method="networkx")
        assert exposure_paths(G, hops=2, country="any", as_of=day, method="matrix") == slow
        assert {(s, t) for s, t, _p in slow} < undated
    # the proposed bill alone lists nobody, on any day or none
    bill_only = [n for n, d in G.nodes(data=True) if d["measures"] == ["bill"]]
    assert bill_only and not {s for s, _t in undated} & set(bill_only)


def test_full_records_agree_and_a_shared_index_is_reused():
    G = random_projection(99)
    assert exposure(G, hops=2, method="matrix") == exposure(G, hops=2, method="networkx")
    index = matrix_index(G)
    for options in ({"hops": 1}, {"hops": 3, "country": "any"}, {"hops": 2, "nearest": True}, {"hops": 2}):
        assert exposure_paths(G, index=index, **options) == exposure_paths(G, method="networkx", **options)
    assert index.cache  # the adjacency and masks it derived


def test_unknown_method_is_an_argument_error():
    from graph.errors import ArgumentError

    with pytest.raises(ArgumentError, match="unknown method 'gpu'"):
        exposure_paths(random_projection(1), method="gpu")
