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

from typing import TYPE_CHECKING

from graph.errors import ArgumentError
from graph.network.evidence import KG_NS
from graph.network.paths import in_force, listed_entities

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ownership", "effective_shares", "ownership_rules", "rule_status", "restricted_by_ownership",
           "mark_restricted"]


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
        Only listings and holdings in force on that day (see :func:`graph.network.paths`).
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
    stop = set(listed)
    for owner in sorted(listed):
        if owner not in holdings:  # most listed parties own nothing the graph knows of
            continue
        for target, chains in effective_shares(holdings, owner, stop=stop).items():
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


def ownership_rules(graph) -> list[dict]:
    """The ownership rules (``kg:OwnershipRule``) of a built graph, with their periods and sources.

    Parameters
    ----------
    graph : rdflib.Graph, Dataset or pyoxigraph.Store
        The built graph (:func:`graph.store.backends.open_graph`), or the Oxigraph store it lives in
        (queried directly, every named graph included).

    Returns
    -------
    list of dict
        Per rule: ``iri``, ``label``, ``lists`` (IRIs of the lists whose parties count as
        owners), ``threshold`` (percent, 50 when the rule states none), ``start``,
        ``suspended_from``, ``suspended_until`` (ISO dates or None), ``legal_basis``,
        ``licence`` and ``sources`` (``url``, ``file``, ``row``, ``note`` of every row that
        states a fact of the rule). Sorted by IRI.
    """
    query = """
    PREFIX kg: <https://w3id.org/exposure-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?rule ?p ?o WHERE {
      ?rule a kg:OwnershipRule ; ?p ?o .
      FILTER (?p IN (rdfs:label, kg:extendsList, kg:ownershipThreshold, kg:startDate, kg:suspendedFrom,
                     kg:suspendedUntil, kg:legalBasis, kg:licenseRequirement, kg:evidence))
    }"""
    names = {_RDFS + "label": "label"} | {_KG + name: key for name, key in (
        ("extendsList", "lists"), ("ownershipThreshold", "threshold"), ("startDate", "start"),
        ("suspendedFrom", "suspended_from"), ("suspendedUntil", "suspended_until"), ("legalBasis", "legal_basis"),
        ("licenseRequirement", "licence"), ("evidence", "evidence"))}
    rules: dict[str, dict] = {}
    for rule, p, o in _select(graph, query):
        record = rules.setdefault(rule, {"iri": rule, "label": None, "lists": [], "threshold": 50.0,
                                         "start": None, "suspended_from": None, "suspended_until": None,
                                         "legal_basis": None, "licence": None, "evidence": []})
        key = names[p]
        if key in ("lists", "evidence"):
            record[key].append(o)
        elif key == "threshold":
            record[key] = float(o)
        else:
            record[key] = o
    evidence = _evidence_rows(graph, [e for r in rules.values() for e in r["evidence"]])
    out = []
    for iri in sorted(rules):
        record = rules[iri]
        record["lists"] = sorted(set(record["lists"]))
        record["sources"] = sorted((evidence[e] for e in set(record.pop("evidence")) if e in evidence),
                                   key=lambda x: (x["file"] or "", x["row"] or 0, x["url"] or ""))
        out.append(record)
    return out


def rule_status(rule: dict, day: date | None) -> str:
    """Whether ``rule`` applies on ``day``: ``"in force"``, ``"suspended"``, ``"not yet in force"``.

    Without a day, ``"in force"`` when the rule states no period, else its periods in words.
    A rule that states no start date is in force on any day (its sources give no date).

    >>> rule = {"start": "2025-09-29", "suspended_from": "2025-11-10", "suspended_until": "2026-11-10"}
    >>> [rule_status(rule, date.fromisoformat(d)) for d in ("2025-09-28", "2025-10-01", "2026-11-09", "2026-11-10")]
    ['not yet in force', 'in force', 'suspended', 'in force']
    """
    start, stop, resume = rule.get("start"), rule.get("suspended_from"), rule.get("suspended_until")
    if day is None:
        if not start and not stop:
            return "in force"
        text = f"in force from {start}" if start else "in force"
        if stop:
            text += f", suspended from {stop}" + (f" until {resume}" if resume else "")
        return text
    if start and day < date.fromisoformat(start[:10]):
        return "not yet in force"
    if stop and day >= date.fromisoformat(stop[:10]) and (not resume or day < date.fromisoformat(resume[:10])):
        return "suspended"
    return "in force"


def restricted_by_ownership(G: nx.MultiDiGraph, rules: list[dict], *, as_of: date | str | None = None,
                            threshold: float | None = None) -> dict[str, dict]:
    """Entities restricted because listed parties own enough of them, under each rule that applies.

    For every rule in force on ``as_of`` (see :func:`rule_status`; without a date, every
    rule), the parties on its lists (listed on that day) are the owners, and an entity they
    hold at least the rule's threshold of (``threshold`` overrides it), directly or through a
    chain, alone or together, is restricted (:func:`ownership`). A holding whose share no
    source states is never counted: it is reported under ``unknown`` instead.

    Returns
    -------
    dict
        Entity IRI -> ``entity``, ``restricted`` (bool), ``share`` (the largest share under any
        rule that applies, or None), ``owners`` (listed owners with their ``chains``, each
        edge with its share and sources), ``rules`` (each rule that restricts it: ``iri``,
        ``label``, ``status``, ``share``, ``threshold``, ``legal_basis``, ``licence``,
        ``sources``) and ``unknown`` (holdings of listed owners with no stated share, each
        with its sources). Entities with only unknown holdings have ``restricted`` False.
    """
    day = _day(as_of)
    out: dict[str, dict] = {}
    for rule in rules:
        status = rule_status(rule, day)
        if day is not None and status != "in force":
            continue
        lists = set(rule["lists"])

        def on_lists(record, lists=lists):
            return record.get("list") in lists

        limit = threshold if threshold is not None else rule.get("threshold") or 50.0
        about = {k: rule.get(k) for k in ("iri", "label", "threshold", "legal_basis", "licence", "start",
                                          "suspended_from", "suspended_until", "sources")}
        for record in ownership(G, threshold=limit, as_of=day, measure=on_lists):
            entry = _entry(out, G, record["entity"]["iri"])
            entry["restricted"] = True
            entry["rules"].append({**about, "status": status, "share": record["share"]})
            if entry["share"] is None or record["share"] > entry["share"]:
                entry["share"], entry["owners"] = record["share"], record["owners"]
        listed = listed_entities(G, measure=on_lists, as_of=day)
        kind = _ownership_kind(G)
        for owner in sorted(listed):
            for _, target, data in sorted(G.out_edges(owner, data=True), key=lambda e: (e[1], e[2].get("relationship") or "")):
                if data.get("kind") != kind or data.get("share") is not None or target == owner:
                    continue
                if not in_force(data.get("start"), data.get("end"), day):
                    continue
                entry = _entry(out, G, target)
                known = {(u["owner"], u["relationship"]) for u in entry["unknown"]}
                if (owner, data.get("relationship")) not in known:
                    entry["unknown"].append({"owner": owner, "owner_label": G.nodes[owner].get("label"),
                                             "relationship": data.get("relationship"), "relation": data.get("relation"),
                                             "rule": rule["iri"], "sources": data.get("sources", [])})
    return dict(sorted(out.items()))


def mark_restricted(G: nx.MultiDiGraph, records: dict[str, dict]) -> int:
    """Make the entities :func:`restricted_by_ownership` found listed in ``G``, by their rules.

    Each rule that restricts an entity becomes one of its measures (the rule's IRI, labelled
    "restricted by ownership: <rule>", in force from the rule's start), so that exposure paths
    start from it as from any listed entity. Changes ``G`` in place; returns how many
    entities it marked.
    """
    measures, targets = G.graph.setdefault("measures", {}), G.graph.setdefault("targets", {})
    marked = 0
    for iri, record in records.items():
        if not record["restricted"] or iri not in G:
            continue
        marked += 1
        for rule in record["rules"]:
            measures.setdefault(rule["iri"], {
                "label": f"restricted by ownership: {rule['label'] or rule['iri']}", "classes": ["OwnershipRule"],
                "list": None, "announced": None, "start": rule.get("start"), "end": None,
                "legal_basis": rule.get("legal_basis")})
            node = G.nodes[iri]
            node["measures"] = sorted(set(node.get("measures") or []) | {rule["iri"]})
            node["listed"] = True
            targets[rule["iri"]] = sorted(set(targets.get(rule["iri"], [])) | {iri})
    return marked


# -- private helpers ----------------------------------------------------------------------
def _entry(out: dict, G, iri: str) -> dict:
    if iri not in out:
        data = G.nodes[iri]
        out[iri] = {"entity": {"iri": iri, "label": data.get("label"), "country": data.get("country"),
                               "listed": bool(data.get("listed"))},
                    "restricted": False, "share": None, "owners": [], "rules": [], "unknown": []}
    return out[iri]


def _select(graph, query: str) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT over ``graph`` (rdflib graph or pyoxigraph store), as text (None: unbound)."""
    if hasattr(graph, "quads_for_pattern"):  # a pyoxigraph Store: queried without rdflib
        solutions = graph.query(query, use_default_graph_as_union=True)
        width = len(solutions.variables)
        return [tuple(None if solution[i] is None else solution[i].value for i in range(width))
                for solution in solutions]
    from graph.store.sparql import run_query

    return [tuple(None if term is None else str(term) for term in row) for row in run_query(graph, query).rows]


_KG = KG_NS
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _ownership_kind(G) -> str:
    # a projection read back from arrays says which kind it is (graph.network.topology)
    known = G.graph.get("_edge_kinds") or {}
    if _KG + "Ownership" in known:
        return known[_KG + "Ownership"]
    from graph.model.ontology import KG, load_ontology

    return load_ontology().edge_kind(KG.Ownership).kind


def _evidence_rows(graph, nodes: list[str]) -> dict[str, dict]:
    if not nodes:
        return {}
    values = " ".join(f"<{n}>" for n in sorted(set(nodes)))
    query = f"""
    PREFIX kg: <https://w3id.org/exposure-kg/ontology#>
    SELECT ?e ?url ?file ?row ?note WHERE {{
      VALUES ?e {{ {values} }}
      OPTIONAL {{ ?e kg:url ?url }} OPTIONAL {{ ?e kg:file ?file }}
      OPTIONAL {{ ?e kg:row ?row }} OPTIONAL {{ ?e kg:note ?note }}
    }}"""
    out = {}
    for e, url, file, row, note in _select(graph, query):
        out[e] = {"url": url, "file": file, "row": None if row is None else int(row), "note": note}
    return out


def _holdings(G: nx.MultiDiGraph, day: date | None) -> dict[str, dict[str, dict]]:
    """u -> v -> the one edge record counted for u's stake in v."""
    kind = _ownership_kind(G)
    best: dict[str, dict[str, dict]] = {}
    for u, v, data in G.edges(data=True):
        if data.get("kind") != kind or data.get("share") is None or u == v:
            continue
        if not in_force(data.get("start"), data.get("end"), day):
            continue
        record = {"kind": kind, "relationship": data.get("relationship"), "source": u, "target": v,
                  "source_label": G.nodes[u].get("label"), "target_label": G.nodes[v].get("label"),
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
