"""Restricted by ownership, as OFAC's 50 % rule and BIS's Affiliates Rule word it.

Restricted status propagates; shares are never multiplied. Listed parties are restricted; an
entity whose direct stakes held by restricted parties add up (across owners and lists) to the
threshold (50 %) or more is restricted too, and its own stakes then count in full toward the
entities it holds; this repeats until nothing changes, so cycles end. An entity held under the
threshold by restricted parties passes nothing on, however much it owns. OFAC's FAQ 401 reads
so: Blocked Person X owns 50 % of Entity A, which owns 50 % of Entity B: both A and B are
blocked; X owning 25 % of Entity A and of Entity B, each owning 50 % of Entity C, blocks none.

Each restricted entity's explanation lists every restricted owner's direct stake and why that
owner is restricted (listed, or restricted through whom), as chains of stakes running from a
listed party down to the entity. Two edges stating the same holding (two sources for one
stake) count once: the most confident, then the largest. A stake whose share no source states
is never counted (:func:`restricted_by_ownership` reports it apart).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(measures={}, lists={}, countries=[])
>>> for n, listed in (("X", True), ("A", False), ("B", False)):
...     G.add_node(n, label=n, classes=["Company"], country=None, listed=listed, measures=["m"] if listed else [])
>>> for u, v, share in (("X", "A", 50.0), ("A", "B", 50.0)):
...     _ = G.add_edge(u, v, key=u + v, kind="ownership", relationship=u + v, direction="forward",
...                    start=None, end=None, share=share, confidence=1.0, sources=[])
>>> [(r["entity"]["label"], r["share"], [o["label"] for o in r["owners"]]) for r in ownership(G)]
[('A', 50.0, ['X']), ('B', 50.0, ['A'])]
"""

from __future__ import annotations

from datetime import date

from typing import TYPE_CHECKING

from graph.dates import parse_day, relationship_in_force, rule_status
from graph.errors import ArgumentError
from graph.network.evidence import KG_NS
from graph.network.paths import listed_entities

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ownership", "restricted_rounds", "ownership_rules", "rule_status", "restricted_by_ownership",
           "mark_restricted"]

#: at most this many chains explain one owner's restriction (the first, in a stable order)
MAX_CHAINS = 12


def ownership(
    G: nx.MultiDiGraph,
    *,
    threshold: float = 50.0,
    as_of: date | str | None = None,
    measure=None,
) -> list[dict]:
    """Entities restricted because restricted parties own ``threshold`` percent or more of them.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection made by :func:`graph.network.project`.
    threshold : float
        Percent (0 < threshold <= 100) of an entity that restricted parties must hold, in
        direct stakes added together, for the entity to be restricted.
    as_of : datetime.date or str, optional
        Only listings and holdings in force on that day (see :func:`graph.network.paths`).
    measure : callable, optional
        A predicate on measure records choosing which listings count (None: all).

    Returns
    -------
    list of dict
        One record per entity its restricted owners hold ``threshold`` percent or more of
        (listed entities too, when they are): ``entity`` (``iri``, ``label``, ``country``,
        ``listed``), ``share`` (the direct stakes of its restricted owners, added), ``round``
        (1 for an entity restricted by listed owners' stakes alone, 2 when restricted owners
        of round 1 were needed, ...; 0 for a listed entity) and ``owners``: per restricted
        owner its direct ``share``, ``listed`` (bool), ``measures`` (the listings that count:
        ``iri``, ``label``, ``list`` and ``list_label``), ``through`` (for an owner restricted by ownership: the IRIs
        of the owners that made it restricted), ``stake`` (the edge record of its stake) and
        ``chains`` (each with ``share``, the owner's direct stake, and ``path``: the stakes,
        edge records, from a listed party down to the entity; at most :data:`MAX_CHAINS`).
        Sorted by share (largest first), then label and IRI.

    Raises
    ------
    ArgumentError
        For a threshold outside (0, 100] or a malformed date.

    Examples
    --------
    FAQ 401's counter-example: X's 25 % stakes in A and B do not make A or B blocked, so
    their stakes in C count for nothing.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(measures={}, lists={}, countries=[])
    >>> G.add_node("X", label="X", listed=True, measures=["m"])
    >>> for u, v, share in (("X", "A", 25.0), ("X", "B", 25.0), ("A", "C", 50.0), ("B", "C", 50.0)):
    ...     _ = G.add_edge(u, v, key=u + v, kind="ownership", share=share, confidence=1.0)
    >>> ownership(G)
    []
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 100:
        raise ArgumentError("threshold", f"threshold must be a percent above 0 and at most 100, not {threshold!r}")
    day = parse_day(as_of)
    listed = listed_entities(G, measure=measure, as_of=day)
    holdings = _holdings(G, day)
    rounds = restricted_rounds(holdings, listed, threshold=threshold)
    owners_of: dict[str, list[str]] = {}
    for owner in rounds:
        for target in holdings.get(owner, ()):
            if target != owner:
                owners_of.setdefault(target, []).append(owner)
    explain = _Explanation(G, holdings, rounds, listed)
    records = []
    for target, owners in owners_of.items():
        total = sum(holdings[o][target]["share"] for o in owners)
        if total + 1e-9 < threshold:
            continue
        data = G.nodes[target]
        records.append({
            "entity": {"iri": target, "label": data.get("label"), "country": data.get("country"),
                       "listed": bool(data.get("listed"))},
            "share": _round(total),
            "round": rounds.get(target, 0),
            "owners": [explain.owner(o, target) for o in sorted(
                owners, key=lambda o: (-holdings[o][target]["share"], rounds[o], o))],
        })
    return sorted(records, key=lambda r: (-r["share"], (r["entity"]["label"] or "").casefold(), r["entity"]["iri"]))


def restricted_rounds(holdings: dict[str, dict[str, dict]], listed, *, threshold: float = 50.0) -> dict[str, int]:
    """Every restricted party and the round it became restricted in (0: listed).

    ``holdings[u][v]`` is the record of u's direct stake in v (its ``share`` in percent). Round
    k holds the entities whose direct stakes held by parties of rounds before k add up to
    ``threshold`` or more; the rounds go on until one adds nothing (cycles end).

    FAQ 401's third example: X owns 50 % of A and 10 % of B, A owns 40 % of B.

    >>> h = {"X": {"A": {"share": 50.0}, "B": {"share": 10.0}}, "A": {"B": {"share": 40.0}}}
    >>> restricted_rounds(h, ["X"])
    {'X': 0, 'A': 1, 'B': 2}
    """
    rounds = {party: 0 for party in sorted(listed)}
    held: dict[str, float] = {}
    joined = list(rounds)
    depth = 0
    while joined:
        depth += 1
        reached = set()
        for owner in joined:
            for target, stake in holdings.get(owner, {}).items():
                if target not in rounds:
                    held[target] = held.get(target, 0.0) + stake["share"]
                    reached.add(target)
        joined = sorted(t for t in reached if held[t] + 1e-9 >= threshold)
        for target in joined:
            rounds[target] = depth
    return rounds


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


def restricted_by_ownership(G: nx.MultiDiGraph, rules: list[dict], *, as_of: date | str | None = None,
                            threshold: float | None = None) -> dict[str, dict]:
    """Entities restricted by ownership under each rule that applies, with the explanation.

    For every rule in force on ``as_of`` (see :func:`rule_status`; without a date, every
    rule), the parties on its lists (listed on that day, on any of them: stakes held under
    different lists add up) are restricted, and so is every entity its restricted owners hold
    the rule's threshold of (``threshold`` overrides it) in direct stakes, alone or together,
    repeated until nothing changes (:func:`ownership`). A holding whose share no source
    states is never counted: it is reported under ``unknown`` instead.

    Returns
    -------
    dict
        Entity IRI -> ``entity``, ``restricted`` (bool), ``share`` (the largest share under any
        rule that applies, or None), ``owners`` (the restricted owners under that rule, each
        with its direct ``share``, why it is restricted (``listed`` and ``measures``, or
        ``through``) and its ``chains`` from a listed party, each edge with its share and
        sources: see :func:`ownership`), ``rules`` (each rule that restricts it: ``iri``,
        ``label``, ``status``, ``share``, ``threshold``, ``legal_basis``, ``licence``,
        ``sources``) and ``unknown`` (holdings of restricted owners with no stated share, each
        with its sources and whether the owner is ``owner_listed``). Entities with only
        unknown holdings have ``restricted`` False.
    """
    day = parse_day(as_of)
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
        listed = listed_entities(G, measure=on_lists, as_of=day)
        restricted = set(listed)
        for record in ownership(G, threshold=limit, as_of=day, measure=on_lists):
            restricted.add(record["entity"]["iri"])
            entry = _entry(out, G, record["entity"]["iri"])
            entry["restricted"] = True
            entry["rules"].append({**about, "status": status, "share": record["share"]})
            if entry["share"] is None or record["share"] > entry["share"]:
                entry["share"], entry["owners"] = record["share"], record["owners"]
        kind = _ownership_kind(G)
        for owner in sorted(restricted):
            for _, target, data in sorted(G.out_edges(owner, data=True), key=lambda e: (e[1], e[2].get("relationship") or "")):
                if data.get("kind") != kind or data.get("share") is not None or target == owner:
                    continue
                if not relationship_in_force(data, day):
                    continue
                entry = _entry(out, G, target)
                known = {(u["owner"], u["relationship"]) for u in entry["unknown"]}
                if (owner, data.get("relationship")) not in known:
                    entry["unknown"].append({"owner": owner, "owner_label": G.nodes[owner].get("label"),
                                             "owner_listed": owner in listed,
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


class _Explanation:
    """Why each restricted owner is restricted: its listings, or the owners before it, as chains."""

    def __init__(self, G, holdings: dict, rounds: dict[str, int], listed: dict[str, list[str]]):
        self.G, self.holdings, self.rounds, self.listed = G, holdings, rounds, listed
        self.measures = G.graph.get("measures", {})
        self._basis: dict[str, list[str]] | None = None
        self._chains: dict[str, list[list[dict]]] = {}

    def owner(self, owner: str, target: str) -> dict:
        stake = self.holdings[owner][target]
        listed = owner in self.listed
        return {"iri": owner, "label": self.G.nodes[owner].get("label"), "share": _round(stake["share"]),
                "listed": listed, "round": self.rounds[owner],
                "measures": [self._measure(m) for m in self.listed.get(owner, [])],
                "through": [] if listed else self.basis(owner), "stake": stake,
                "chains": [{"share": _round(stake["share"]), "path": chain + [stake]} for chain in self.chains(owner)]}

    def _measure(self, iri: str) -> dict:
        record = self.measures.get(iri, {})
        on_list = record.get("list")
        return {"iri": iri, "label": record.get("label"), "list": on_list,
                "list_label": (self.G.graph.get("lists", {}).get(on_list) or {}).get("label") if on_list else None}

    def basis(self, entity: str) -> list[str]:
        """The owners restricted in rounds before ``entity``'s: what made it restricted."""
        if self._basis is None:
            self._basis = {}
            for owner, held in self.holdings.items():
                if owner not in self.rounds:
                    continue
                for target in held:
                    if self.rounds.get(target, -1) > self.rounds[owner]:
                        self._basis.setdefault(target, []).append(owner)
        return sorted(self._basis.get(entity, []),
                      key=lambda o: (-self.holdings[o][entity]["share"], self.rounds[o], o))

    def chains(self, entity: str) -> list[list[dict]]:
        """Chains of stakes from a listed party down to ``entity`` (a listed entity: one empty chain)."""
        if entity in self._chains:
            return self._chains[entity]
        if self.rounds[entity] == 0:
            found: list[list[dict]] = [[]]
        else:  # rounds fall strictly along the basis, so this recursion ends
            found = []
            for owner in self.basis(entity):
                for chain in self.chains(owner):
                    if len(found) >= MAX_CHAINS:
                        break
                    found.append(chain + [self.holdings[owner][entity]])
        self._chains[entity] = found
        return found


def _holdings(G: nx.MultiDiGraph, day: date | None) -> dict[str, dict[str, dict]]:
    """u -> v -> the one edge record counted for u's stake in v."""
    kind = _ownership_kind(G)
    best: dict[str, dict[str, dict]] = {}
    for u, v, data in G.edges(data=True):
        if data.get("kind") != kind or data.get("share") is None or u == v:
            continue
        if not relationship_in_force(data, day):
            continue
        record = {"kind": kind, "relationship": data.get("relationship"), "source": u, "target": v,
                  "source_label": G.nodes[u].get("label"), "target_label": G.nodes[v].get("label"),
                  "share": float(data["share"]), "start": data.get("start"), "end": data.get("end"),
                  "since": data.get("since"),
                  "confidence": data.get("confidence"), "sources": data.get("sources", [])}
        current = best.setdefault(u, {}).get(v)
        if current is None or _rank(record) < _rank(current):
            best[u][v] = record
    return best


def _rank(record: dict) -> tuple:
    return (-(record["confidence"] or 0.0), -record["share"], record["relationship"] or "")


def _round(value: float) -> float:
    # products of decimal percents drift (0.6 * 100 = 60.00000000000001); reports show 6 digits
    return round(value, 6)
