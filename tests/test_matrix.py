"""The matrix search returns exactly what the networkx search returns, on random graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.network import exposure, exposure_paths
from graph.network.matrix import matrix_index

KINDS = ("partner", "supply", "ownership", "position")


def random_projection(seed: int, n: int = 60, m: int = 140) -> nx.MultiDiGraph:
    """A projection-shaped graph with ties in confidence, dates, symmetric edges and parallel edges."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph(measures={"m": {"label": "M", "classes": ["Measure"], "list": None, "announced": "2019-10-07",
                                        "start": None, "end": None, "legal_basis": None}},
                        lists={}, countries=["CN", "DE", "US"])
    for i in range(n):
        G.add_node(f"https://e.org/n{i:03d}", label=f"n{i}", classes=["Company"], country=rng.choice(["CN", "US", "DE"]),
                   listed=False, measures=[])
    nodes = sorted(G)
    for node in rng.sample(nodes, 6):
        G.nodes[node]["measures"] = ["m"]
        G.nodes[node]["listed"] = True
    for j in range(m):
        u, v = rng.sample(nodes, 2)
        kind = rng.choice(KINDS)
        data = {"kind": kind, "relationship": f"https://e.org/r{j}", "start": rng.choice([None, None, "2018-01-01"]),
                "end": rng.choice([None, None, "2019-06-30"]), "share": None,
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
    {"hops": 2, "as_of": "2017-01-01", "country": "DE"},
])
def test_matrix_and_networkx_searches_agree(seed, options):
    G = random_projection(seed)
    slow = exposure_paths(G, method="networkx", **options)
    fast = exposure_paths(G, method="matrix", **options)
    assert fast == slow
    assert slow or options.get("as_of") or options.get("relations"), "the random graph should expose something"


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
