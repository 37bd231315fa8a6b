"""Ownership chains: the effective share listed owners hold in every entity, and the 50 % rule.

Shares multiply along a chain (A owns 60 % of B, B owns 100 % of C: A holds 60 % of C) and add
up across chains and across listed owners (one listed owner with 30 % and another with 25 %
hold 55 %), as OFAC's 50 % rule and BIS's affiliates rule count them. Chains are simple paths
over ``"ownership"`` edges with a share, so cycles end; a chain stops at another listed owner,
whose own holding already counts (otherwise a listed parent of a listed owner would count the
same shares twice). Two edges stating the same holding (two sources for one stake) count once:
the most confident, then the largest.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(measures={}, lists={}, countries=[])
>>> for n, listed in (("A", True), ("B", False), ("C", False)):
...     G.add_node(n, label=n, classes=["Company"], country=None, listed=listed, measures=["m"] if listed else [])
>>> for u, v, share in (("A", "B", 60.0), ("B", "C", 100.0)):
...     _ = G.add_edge(u, v, key=u + v, kind="ownership", relationship=u + v, direction="forward",
...                    start=None, end=None, share=share, confidence=1.0, sources=[])
>>> [(r["entity"]["label"], r["share"]) for r in ownership(G)]
[('B', 60.0), ('C', 60.0)]
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from ..errors import ArgumentError
from ..ontology import KG, load_ontology
from .exposure import in_force, listed_entities

__all__ = ["ownership", "effective_shares"]


def ownership(
    G: nx.MultiDiGraph,
    *,
    threshold: float = 50.0,
    as_of: date | str | None = None,
    measure=None,
) -> list[dict]:
    """Entities whose listed owners hold at least ``threshold`` percent, with the chains.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection made by :func:`graph.network.project`.
    threshold : float
        Percent of effective ownership (0 < threshold <= 100) at which an entity is restricted.
    as_of : datetime.date or str, optional
        Only listings and holdings in force on that day (see :func:`graph.network.exposure`).
    measure : callable, optional
        A predicate on measure records choosing which listings count (None: all).

    Returns
    -------
    list of dict
        One record per restricted entity: ``entity`` (``iri``, ``label``, ``country``,
        ``listed``), ``share`` (percent, summed), and ``owners``: per listed owner its
        ``share`` and ``chains`` (each with its ``share`` and the ``path`` of edge records).
        Sorted by share (largest first), then label and IRI.

    Raises
    ------
    ArgumentError
        For a threshold outside (0, 100] or a malformed date.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 100:
        raise ArgumentError("threshold", f"threshold must be a percent above 0 and at most 100, not {threshold!r}")
    day = _day(as_of)
    listed = listed_entities(G, measure=measure, as_of=day)
    holdings = _holdings(G, day)
    totals: dict[str, dict[str, list[dict]]] = {}
    for owner in sorted(listed):
        for target, chains in effective_shares(holdings, owner, stop=set(listed)).items():
            totals.setdefault(target, {})[owner] = chains
    records = []
    for target, owners in totals.items():
        per_owner = {owner: sum(c["share"] for c in chains) for owner, chains in owners.items()}
        total = sum(per_owner.values())
        if total + 1e-9 < threshold:
            continue
        data = G.nodes[target]
        records.append({
            "entity": {"iri": target, "label": data.get("label"), "country": data.get("country"),
                       "listed": bool(data.get("listed"))},
            "share": _round(total),
            "owners": [{"iri": owner, "label": G.nodes[owner].get("label"), "share": _round(per_owner[owner]),
                        "chains": owners[owner]} for owner in sorted(owners, key=lambda o: (-per_owner[o], o))],
        })
    return sorted(records, key=lambda r: (-r["share"], (r["entity"]["label"] or "").casefold(), r["entity"]["iri"]))


def effective_shares(holdings: dict[str, dict[str, dict]], owner: str, *, stop: set[str] = frozenset()) -> dict:
    """Every entity ``owner`` holds through chains of ``holdings``, with each chain and its share.

    ``holdings[u][v]`` is the edge record of u's stake in v (its ``share`` in percent). Chains
    are simple paths (no entity twice), so cycles end; they do not pass through ``stop``
    entities other than ``owner`` (they may end at one).

    >>> h = {"A": {"B": {"share": 30.0}}, "B": {"A": {"share": 50.0}, "C": {"share": 50.0}}}
    >>> {t: [c["share"] for c in cs] for t, cs in effective_shares(h, "A").items()}
    {'B': [30.0], 'C': [15.0]}
    """
    found: dict[str, list[dict]] = {}
    path_nodes = [owner]
    path_edges: list[dict] = []

    def walk(node: str, factor: float) -> None:
        for target in sorted(holdings.get(node, ())):
            if target in path_nodes:
                continue
            edge = holdings[node][target]
            share = factor * edge["share"] / 100.0
            path_edges.append(edge)
            found.setdefault(target, []).append({"share": _round(share * 100.0), "path": list(path_edges)})
            if target not in stop and share > 0:
                path_nodes.append(target)
                walk(target, share)
                path_nodes.pop()
            path_edges.pop()

    walk(owner, 1.0)
    return found


# -- private helpers ----------------------------------------------------------------------
def _holdings(G: nx.MultiDiGraph, day: date | None) -> dict[str, dict[str, dict]]:
    """u -> v -> the one edge record counted for u's stake in v."""
    kind = load_ontology().edge_kind(KG.Ownership).kind
    best: dict[str, dict[str, dict]] = {}
    for u, v, data in G.edges(data=True):
        if data.get("kind") != kind or data.get("share") is None or u == v:
            continue
        if not in_force(data.get("start"), data.get("end"), day):
            continue
        record = {"kind": kind, "relationship": data.get("relationship"), "source": u, "target": v,
                  "share": float(data["share"]), "start": data.get("start"), "end": data.get("end"),
                  "confidence": data.get("confidence"), "sources": data.get("sources", [])}
        current = best.setdefault(u, {}).get(v)
        if current is None or _rank(record) < _rank(current):
            best[u][v] = record
    return best


def _rank(record: dict) -> tuple:
    return (-(record["confidence"] or 0.0), -record["share"], record["relationship"] or "")


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ArgumentError("as_of", f"as_of must be a date as YYYY-MM-DD, not {value!r}") from None


def _round(value: float) -> float:
    # products of decimal percents drift (0.6 * 100 = 60.00000000000001); reports show 6 digits
    return round(value, 6)
