"""The topology arrays of an Oxigraph store: what the projection gives, read by SPARQL joins.

:func:`store_arrays` reads them from a store (what a build saves,
:mod:`graph.network.topology.file`); :func:`projection_arrays` makes the same arrays from a
projection (the reference the tests hold them equal to).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from graph.network.evidence import (
    KG_NS,
    P_CONFIDENCE,
    P_EVIDENCE,
    P_SOURCE,
    RDFS_LABEL,
    SUBSIDIARY,
    LookupReader,
    graphs_stating,
)
from graph.network.plain_terms import Lit, best_label, first_term, first_value, from_oxigraph, term_value

__all__ = ["store_arrays", "projection_arrays"]


# -- reading the store --------------------------------------------------------------------
# What :func:`graph.network.project` gives with ``sources=False``, read from an Oxigraph store
# straight into the arrays: the projection scans whole predicates (every rdf:type, every
# evidence node and its confidence) and decodes every term of every quad, which is most of the
# cost at scale (Oxigraph looks each IRI up in RocksDB to decode it). Here Oxigraph joins
# (hash joins: each pattern in a sub-query of its own) and aggregates on its encoded terms, and
# only the terms the arrays hold are decoded, most of them once: nodes, relationships and ends.
# What needs a term's exact type (a relationship's share, dates, a measure's fields) comes
# as terms, and the rare shapes an aggregate cannot answer exactly (several confidences on one
# evidence node, an edge end that is no kg:Agent, kg:subOrganizationOf) are looked up one by
# one, as the projection would read them. tests/test_topology.py checks both give the same arrays.

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_P_SHARE, _P_RELATION, _P_START, _P_END, _P_COUNTRY, _P_ISO, _P_TARGETS = (
    KG_NS + name for name in ("share", "relation", "startDate", "endDate", "country", "isoCode", "targets"))
_P_ISSUED = "http://purl.org/dc/terms/issued"
#: between the confidences GROUP_CONCAT joins (a unit separator: no number holds one)
_SEPARATOR = "\u001f"
#: kg: classes told apart by one bit each of an xsd:integer mask
_MASK_BITS = 60


def _select(store, query: str):
    # the union of every graph, the default one included, as the projection's scans read them
    return store.query(query, use_default_graph_as_union=True)


def _iri(value: str) -> str:
    return f"<{value}>"


def _plain(term):
    """A pyoxigraph term as the projection holds it (an IRI as str: the common case first)."""
    return term.value if type(term).__name__ == "NamedNode" else from_oxigraph(term)


def _members_of(cls: str) -> str:
    """A sub-query of the distinct members of ``cls`` (its own hash-join side)."""
    return f"{{ SELECT DISTINCT ?s WHERE {{ ?s a {_iri(cls)} }} }}"


def _values_by_subject(store, subjects: str, predicate: str, *, seek: bool = False) -> dict:
    """``{subject: [distinct values]}`` of ``predicate`` for the subjects of a sub-query binding ?s.

    By a hash join of the subjects and the whole predicate, or (``seek``: a few subjects of a
    big predicate, such as rdf:type) by looking each subject's values up.
    """
    found: dict = {}
    if not _stated(store, predicate):  # a seek: no need to gather the subjects
        return found
    values = f"?s {_iri(predicate)} ?o" if seek else f"{{ SELECT ?s ?o WHERE {{ ?s {_iri(predicate)} ?o }} }}"
    for s, o in _select(store, f"SELECT DISTINCT ?s ?o WHERE {{ {subjects} {values} }}"):
        found.setdefault(_plain(s), []).append(_plain(o))
    return found


def _stated(store, predicate: str) -> bool:
    """Whether any statement has ``predicate``."""
    return bool(_select(store, f"ASK {{ ?s {_iri(predicate)} ?o }}"))


def store_arrays(store, model) -> dict:
    """The members of the topology file, read from ``store`` (what ``projection_arrays(project(store,
    sources=False))`` gives, and the edge kinds)."""
    reader = LookupReader(store)
    classes = sorted(c.value for (c,) in _select(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }")
                     if type(c).__name__ == "NamedNode" and c.value.startswith(KG_NS))
    masks, countries = _agents(store, classes)
    edges = _EdgeColumns()
    kinds = model.edge_kinds()
    confidences = _confidences(store, reader, [str(kind.cls) for kind in kinds])
    for kind in kinds:
        _kind_edges(store, kind, confidences, edges)
    _subsidiary_edges(store, reader, edges)
    nodes = set(masks)
    nodes.update(edges.u)
    nodes.update(edges.v)
    nodes = sorted(nodes)
    node_classes, node_countries = [], []
    for node in nodes:
        mask = masks.get(node)
        if mask is None:  # an edge end that is no kg:Agent: read as the projection reads it
            types = reader.by_subject(_RDF_TYPE).get(node, ())
            node_classes.append(tuple(sorted(t[len(KG_NS):] for t in types if isinstance(t, str) and t.startswith(KG_NS))))
            node_countries.append(_country_of(reader, node))
        else:
            node_classes.append(_mask_classes(mask, classes))
            node_countries.append(countries.get(node))
    measures, targets = _measures(store)
    in_graph = set(nodes)
    by_measure = {m: sorted(t for t in ts if t in in_graph) for m, ts in targets.items()}
    meta_lists = _lists(store)
    codes = sorted({term_value(_plain(c)) for (c,) in _select(store, f"SELECT DISTINCT ?c WHERE {{ ?x {_iri(_P_ISO)} ?c }}")})
    return _assemble(nodes, node_classes, node_countries, edges, {
        "measures": measures, "targets": by_measure, "lists": meta_lists, "countries": codes,
    }, {str(e.cls): e.kind for e in model.edge_kinds()})


def _agents(store, classes: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Every kg:Agent with a mask of its kg: classes (bit i: ``classes[i]``), and their countries
    (the first ISO code, in text order, of their kg:country)."""
    masks: dict[str, int] = {}
    for first in range(0, len(classes), _MASK_BITS):
        chunk = classes[first:first + _MASK_BITS]
        values = " ".join(f"({_iri(c)} {1 << i})" for i, c in enumerate(chunk))
        # a hash join of the agents and the members of each class (read in order, not sought one
        # by one), grouped on Oxigraph's encoded terms: each agent's IRI is decoded once
        query = (f"SELECT ?s (SUM(DISTINCT ?bit) AS ?mask) WHERE {{ {_members_of(KG_NS + 'Agent')} "
                 f"{{ SELECT ?s ?bit WHERE {{ VALUES (?c ?bit) {{ {values} }} ?s a ?c }} }} }} GROUP BY ?s")
        for s, mask in _select(store, query):
            node = _plain(s)
            masks[node] = masks.get(node, 0) | (int(mask.value) << first)
    return masks, _node_countries(store)


def _mask_classes(mask: int, classes: list[str], _cache: dict = {}) -> tuple:  # noqa: B006 (a cache)
    key = (mask, len(classes))
    found = _cache.get(key)
    if found is None:
        found = tuple(sorted(c[len(KG_NS):] for i, c in enumerate(classes) if mask >> i & 1))
        _cache[key] = found
    return found


def _node_countries(store) -> dict[str, str]:
    """Each subject's country: the first ISO code (in text order) of its kg:country."""
    firsts: dict = {}
    for x, code in _select(store, f"SELECT DISTINCT ?x ?code WHERE {{ ?x {_iri(_P_ISO)} ?code }}"):
        x, code = _plain(x), term_value(_plain(code))
        firsts[x] = min(firsts.get(x, code), code)
    if any(x.startswith("_:") for x in firsts):  # a blank node cannot be asked for by name
        query = (f"SELECT ?s (MIN(STR(?code)) AS ?first) WHERE {{ "
                 f"{{ SELECT DISTINCT ?s ?x WHERE {{ ?s {_iri(_P_COUNTRY)} ?x }} }} "
                 f"{{ SELECT DISTINCT ?x ?code WHERE {{ ?x {_iri(_P_ISO)} ?code }} }} }} GROUP BY ?s")
        return {_plain(s): code.value for s, code in _select(store, query)}
    # a few countries with many subjects each: one scan of each country's subjects (no join)
    found: dict[str, str] = {}
    for country, code in sorted(firsts.items(), key=lambda item: item[1]):
        for (s,) in _select(store, f"SELECT ?s WHERE {{ ?s {_iri(_P_COUNTRY)} {_iri(country)} }}"):
            found.setdefault(_plain(s), code)  # countries in code order: the first is the least
    return found


def _country_of(reader: LookupReader, node: str) -> str | None:
    codes = reader.by_subject(_P_ISO)
    found = sorted(term_value(code) for country in reader.by_subject(_P_COUNTRY).get(node, ())
                   for code in codes.get(country, ()))
    return found[0] if found else None


class _EdgeColumns:
    """The edges as columns, in the order the projection makes them (its ties: the last wins)."""

    def __init__(self) -> None:
        self.u: list[str] = []
        self.v: list[str] = []
        self.rows: list[int] = []  # each edge's row in ``data``
        self.data: list[tuple] = []  # (kind, relation, relationship, symmetric, start, end, share, confidence, since)

    def add(self, u: str, v: str, row: int) -> None:
        self.u.append(u)
        self.v.append(v)
        self.rows.append(row)


def _kind_edges(store, kind, confidences: dict[str, float], edges: _EdgeColumns) -> None:
    """The edges of one relationship class: its relationships' ends, dates, share and confidence."""
    rels = _members_of(str(kind.cls))
    ends: dict[str, set] = {}
    # no DISTINCT: a triple in several graphs comes back once per graph, and the sets keep it once
    if kind.symmetric:
        query = (f"SELECT ?s ?x WHERE {{ {rels} {{ SELECT ?s ?x WHERE {{ "
                 f"{{ ?s {_iri(str(kind.source))} ?x }} UNION {{ ?s {_iri(str(kind.target))} ?x }} "
                 f"FILTER(!isLiteral(?x)) }} }} }}")
        for s, x in _select(store, query):
            ends.setdefault(_plain(s), set()).add(_plain(x))
    else:
        query = (f"SELECT ?s ?u ?v WHERE {{ {rels} "
                 f"{{ SELECT ?s ?u WHERE {{ ?s {_iri(str(kind.source))} ?u FILTER(!isLiteral(?u)) }} }} "
                 f"{{ SELECT ?s ?v WHERE {{ ?s {_iri(str(kind.target))} ?v FILTER(!isLiteral(?v)) }} }} }}")
        for s, u, v in _select(store, query):
            ends.setdefault(_plain(s), set()).add((_plain(u), _plain(v)))
    if not ends:
        return
    share_of, relation_of, start_of, end_of = (_values_by_subject(store, rels, p)
                                               for p in (_P_SHARE, _P_RELATION, _P_START, _P_END))
    since_of = _first_reported(store, rels)
    symmetric = kind.symmetric
    for rel in sorted(ends):
        share = first_value(share_of, rel) if share_of else None
        row = len(edges.data)
        edges.data.append((kind.kind, first_value(relation_of, rel) if relation_of else None, rel, symmetric,
                           _iso(first_term(start_of, rel)) if start_of else None,
                           _iso(first_term(end_of, rel)) if end_of else None,
                           float(share) if share is not None else None, confidences.get(rel), since_of.get(rel)))
        if symmetric:
            for u, v in permutations(sorted(ends[rel]), 2):
                edges.add(u, v, row)
        else:
            for u, v in sorted(ends[rel]):
                if u != v:
                    edges.add(u, v, row)


def _confidences(store, reader: LookupReader, classes: list[str]) -> dict[str, float]:
    """The highest confidence of the evidence of each member of ``classes`` that has one."""
    evidence, confidence = _iri(KG_NS + "evidence"), _iri(KG_NS + "confidence")
    rels = f"{{ SELECT DISTINCT ?s WHERE {{ VALUES ?class {{ {' '.join(map(_iri, classes))} }} ?s a ?class }} }}"
    query = (f"SELECT ?s (GROUP_CONCAT(DISTINCT STR(?c); separator=\"{_SEPARATOR}\") AS ?all) WHERE {{ {rels} "
             f"{{ SELECT ?s ?e WHERE {{ ?s {evidence} ?e }} }} "
             f"{{ SELECT ?e ?c WHERE {{ ?e {confidence} ?c }} }} }} GROUP BY ?s")
    best: dict[str, float] = {}
    numbers: dict[str, float] = {}
    for s, found in _select(store, query):
        values = []
        for text in found.value.split(_SEPARATOR):
            number = numbers.get(text)
            if number is None:
                number = numbers[text] = float(text)
            values.append(number)
        best[_plain(s)] = max(values)
    # an evidence node with several confidences counts its first (in term order) alone, not its
    # highest: the relationships that have one are read one by one, as the projection reads them
    counts = (f"SELECT (COUNT(DISTINCT ?e) AS ?nodes) (COUNT(*) AS ?pairs) WHERE {{ "
              f"SELECT DISTINCT ?e ?c WHERE {{ ?e {confidence} ?c }} }}")
    nodes, pairs = next(iter(_select(store, counts)))
    if nodes.value == pairs.value:
        return best
    query = (f"SELECT DISTINCT ?s WHERE {{ {rels} {{ SELECT DISTINCT ?s ?e WHERE {{ ?s {evidence} ?e }} }} "
             f"{{ SELECT ?e WHERE {{ ?e {confidence} ?c }} GROUP BY ?e HAVING (COUNT(DISTINCT ?c) > 1) }} }}")
    for (s,) in _select(store, query):
        rel = _plain(s)
        value = _max_confidence(reader, rel)
        if value is None:
            best.pop(rel, None)
        else:
            best[rel] = value
    return best


def _max_confidence(reader: LookupReader, subject: str, only: set[str] | None = None) -> float | None:
    """The highest confidence of ``subject``'s evidence (of the evidence from ``only``'s graphs)."""
    evidence_of, confidence_of = reader.by_subject(P_EVIDENCE), reader.by_subject(P_CONFIDENCE)
    source_of = reader.by_subject(P_SOURCE)
    best = None
    for node in evidence_of.get(subject, ()):
        if only is not None and first_term(source_of, node) not in only:
            continue
        confidence = first_value(confidence_of, node)
        if confidence is not None:
            confidence = float(confidence)
            if best is None or confidence > best:
                best = confidence
    return best


def _subsidiary_edges(store, reader: LookupReader, edges: _EdgeColumns) -> None:
    # kg:subOrganizationOf: one edge per (child, parent), keyed by the property, explained by the
    # child's evidence from the graphs that state it (graph.network.projection's rule)
    key = KG_NS + "subOrganizationOf"
    pairs = sorted({(_plain(c), _plain(p)) for c, p in _select(
        store, f"SELECT DISTINCT ?c ?p WHERE {{ ?c {_iri(key)} ?p FILTER(!isLiteral(?p)) }}")})
    children = " ".join(sorted({_iri(c) for c, _p in pairs if not c.startswith("_:")}))
    since_of = _first_reported(store, f"{{ VALUES ?s {{ {children} }} }}") if children else {}
    for child, parent in pairs:
        if child == parent:
            continue
        confidence = _max_confidence(reader, child, only=graphs_stating(store, child, parent) or set())
        row = len(edges.data)
        edges.data.append((SUBSIDIARY, None, key, False, None, None, None, confidence, since_of.get(child)))
        edges.add(child, parent, row)


def _first_reported(store, subjects: str) -> dict[str, str]:
    """Subject -> the date of the earliest source stating it, for the subjects of a sub-query binding ?s.

    graph.network.projection's rule: what an undated measure is in force from and an undated
    relationship holds from (:mod:`graph.dates`).
    """
    query = (f"SELECT ?s (MIN(STR(?d)) AS ?first) WHERE {{ {subjects} ?s {_iri(KG_NS + 'evidence')} ?e . "
             f"?e {_iri(KG_NS + 'source')} ?src . ?src {_iri(_P_ISSUED)} ?d }} GROUP BY ?s")
    return {_plain(s): _iso(_plain(d)) for s, d in _select(store, query) if d is not None}


def _measures(store) -> tuple[dict, dict]:
    """The measures as the projection's graph attribute gives them, and each one's targets."""
    members = _members_of(KG_NS + "Measure")
    found = [m.value if type(m).__name__ == "NamedNode" else from_oxigraph(m)
             for (m,) in _select(store, f"SELECT ?s WHERE {members}")]
    if not found:
        return {}, {}
    field = {name: _values_by_subject(store, members, predicate, seek=predicate in (_RDF_TYPE, RDFS_LABEL))
             for name, predicate in (
                 ("types", _RDF_TYPE), ("labels", RDFS_LABEL), ("list", KG_NS + "onList"),
                 ("announced", KG_NS + "announcedOn"), ("start", _P_START), ("end", _P_END),
                 ("legal_basis", KG_NS + "legalBasis"), ("status", KG_NS + "status"), ("targets", _P_TARGETS))}
    first = _first_reported(store, members)
    measures, targets = {}, {}
    for m in sorted(found):
        measures[m] = {
            "label": best_label(field["labels"].get(m, ())),
            "classes": sorted(c[len(KG_NS):] for c in field["types"].get(m, ()) if isinstance(c, str) and c.startswith(KG_NS)),
            "list": first_value(field["list"], m),
            "announced": _iso(first_term(field["announced"], m)),
            "start": _iso(first_term(field["start"], m)),
            "end": _iso(first_term(field["end"], m)),
            "stated": first.get(m),
            "status": first_value(field["status"], m),
            "legal_basis": first_value(field["legal_basis"], m),
        }
        targets[m] = [t for t in field["targets"].get(m, ()) if not isinstance(t, Lit)]
    return measures, targets


def _lists(store) -> dict:
    members = _members_of(KG_NS + "RestrictedPartyList")
    labels = _values_by_subject(store, members, RDFS_LABEL)
    alt = _values_by_subject(store, members, _SKOS_ALT)
    found = [_plain(s) for (s,) in _select(store, f"SELECT ?s WHERE {members}")]
    return {s: {"label": best_label(labels.get(s, ())),
                "names": sorted({term_value(v) for v in labels.get(s, ())} | {term_value(v) for v in alt.get(s, ())})}
            for s in sorted(found)}


def _iso(term) -> str | None:
    # graph.network.projection's: xsd:date and xsd:dateTime both start with the day
    if term is None:
        return None
    text = term.value if isinstance(term, Lit) else str(term)
    return text[:10] if len(text) >= 10 and text[4] == "-" else text


def _first_seen(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber ``codes`` (>= 0; -1 for none) in the order each first appears: (new codes, old
    code of each new one), as ``dict.setdefault(value, len(dict))`` numbers them."""
    present = codes >= 0
    unique, first = np.unique(codes[present], return_index=True)
    order = np.argsort(first, kind="stable")
    renumber = np.empty(len(unique), dtype=np.int64)
    renumber[order] = np.arange(len(unique))
    out = np.full(len(codes), -1, dtype=np.int64)
    out[present] = renumber[np.searchsorted(unique, codes[present])]
    return out, unique[order]


def _assemble(nodes: list[str], node_classes: list[tuple], node_countries: list, edges: _EdgeColumns,
              graph: dict, edge_kinds: dict) -> dict:
    """The file's members, numbered as :func:`projection_arrays` numbers a projection's."""
    ids = {node: i for i, node in enumerate(nodes)}
    countries = sorted({c for c in node_countries if c is not None})
    country_id = {c: i for i, c in enumerate(countries)}
    class_sets: dict[tuple, int] = {}
    members: dict = {"meta": None}
    members["country"] = np.array([-1 if c is None else country_id[c] for c in node_countries], dtype=np.int32)
    members["classes"] = np.array([class_sets.setdefault(c, len(class_sets)) for c in node_classes], dtype=np.int32)
    u = np.array([ids[n] for n in edges.u], dtype=np.int64)
    v = np.array([ids[n] for n in edges.v], dtype=np.int64)
    rows = np.array(edges.rows, dtype=np.int64)
    data = edges.data
    # relationships in IRI order: edges sort by (u, v, relationship); ties (one relationship in
    # two classes) keep the last made, as networkx keeps the last data of a key added twice
    relationship_names = sorted({d[2] for d in data})
    rank = {name: i for i, name in enumerate(relationship_names)}
    rel_rank = np.array([rank[d[2]] for d in data], dtype=np.int64)[rows] if data else np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(len(rows)), rel_rank, v, u))
    u, v, rows, rel_rank = u[order], v[order], rows[order], rel_rank[order]
    last = np.ones(len(rows), dtype=bool)
    if len(rows) > 1:
        last[:-1] = (u[1:] != u[:-1]) | (v[1:] != v[:-1]) | (rel_rank[1:] != rel_rank[:-1])
    u, v, rows, rel_rank = u[last], v[last], rows[last], rel_rank[last]

    def coded(position: int) -> tuple[np.ndarray, list]:
        # one column of the rows' data as codes into its distinct values, each row's once
        names: dict = {}
        per_row = np.array([-1 if d[position] is None else names.setdefault(d[position], len(names)) for d in data],
                           dtype=np.int64)
        return per_row, list(names)

    kind_codes, kind_names = coded(0)
    relation_codes, relation_names = coded(1)
    kind, kind_order = _first_seen(kind_codes[rows])
    relation, relation_order = _first_seen(relation_codes[rows])
    relationship, relationship_order = _first_seen(rel_rank)
    # start, end and since share one table of dates, numbered in that order edge by edge
    date_names: dict = {}
    starts = np.array([-1 if d[4] is None else date_names.setdefault(d[4], len(date_names)) for d in data], dtype=np.int64)
    ends = np.array([-1 if d[5] is None else date_names.setdefault(d[5], len(date_names)) for d in data], dtype=np.int64)
    sinces = np.array([-1 if d[8] is None else date_names.setdefault(d[8], len(date_names)) for d in data], dtype=np.int64)
    both, date_order = _first_seen(np.stack([starts[rows], ends[rows], sinces[rows]], axis=1).reshape(-1))
    both = both.reshape(-1, 3)
    date_list = list(date_names)
    symmetric = np.array([d[3] for d in data], dtype=np.bool_)
    share = np.array([np.nan if d[6] is None else d[6] for d in data], dtype=np.float64)
    confidence = np.array([np.nan if d[7] is None else d[7] for d in data], dtype=np.float64)
    has_share = np.array([d[6] is not None for d in data], dtype=np.bool_)
    has_confidence = np.array([d[7] is not None for d in data], dtype=np.bool_)
    members["meta"] = {
        "nodes": nodes, "country_codes": countries,
        "class_sets": [list(each) for each in class_sets], "kinds": [kind_names[i] for i in kind_order],
        "relations": [relation_names[i] for i in relation_order], "dates": [date_list[i] for i in date_order],
        "measures": graph["measures"], "targets": graph["targets"], "lists": graph["lists"],
        "countries": graph["countries"], "edge_kinds": edge_kinds,
    }
    members["u"] = u.astype(np.int32)
    members["v"] = v.astype(np.int32)
    members["kind"] = kind.astype(np.int16)
    members["relation"] = relation.astype(np.int32)
    members["relationship"] = relationship.astype(np.int32)
    members["symmetric"] = symmetric[rows] if len(data) else np.zeros(0, dtype=np.bool_)
    members["start"] = both[:, 0].astype(np.int32)
    members["end"] = both[:, 1].astype(np.int32)
    members["since"] = both[:, 2].astype(np.int32)
    members["share"] = np.where(has_share, share, 0.0)[rows] if len(data) else np.zeros(0)
    members["has_share"] = has_share[rows] if len(data) else np.zeros(0, dtype=np.bool_)
    members["confidence"] = np.where(has_confidence, confidence, 0.0)[rows] if len(data) else np.zeros(0)
    members["has_confidence"] = has_confidence[rows] if len(data) else np.zeros(0, dtype=np.bool_)
    members["relationships"] = [relationship_names[i] for i in relationship_order]
    return members


# -- from a projection --------------------------------------------------------------------
def projection_arrays(G) -> dict:
    """The arrays and the metadata of a projection made with ``sources=False``.

    What :func:`store_arrays` reads from a store without projecting it (the tests hold the two
    equal); it also makes the arrays of a projection of any other graph.
    """
    nodes = list(G)
    if nodes != sorted(nodes):
        raise ValueError("a projection's nodes come in IRI order")
    ids = {node: i for i, node in enumerate(nodes)}
    countries = sorted({c for _n, c in G.nodes(data="country") if c is not None})
    country_id = {c: i for i, c in enumerate(countries)}
    class_sets: dict[tuple, int] = {}
    node_country, node_classes = [], []
    for _node, data in G.nodes(data=True):
        node_country.append(country_id[data["country"]] if data.get("country") is not None else -1)
        node_classes.append(class_sets.setdefault(tuple(data.get("classes") or ()), len(class_sets)))
    kinds: dict[str, int] = {}
    relations: dict[str, int] = {}
    dates: dict[str, int] = {}
    relationships: dict[str, int] = {}
    columns: dict[str, list] = {name: [] for name in (
        "u", "v", "kind", "relation", "relationship", "symmetric", "start", "end", "since", "share", "has_share",
        "confidence", "has_confidence")}
    for a, neighbours in G.adjacency():
        for b, keyed in neighbours.items():
            for key, data in keyed.items():
                if key != data["relationship"]:
                    raise ValueError(f"edge {a} -> {b} is keyed {key!r}, not by its relationship")
                columns["u"].append(ids[a])
                columns["v"].append(ids[b])
                columns["kind"].append(kinds.setdefault(data["kind"], len(kinds)))
                relation = data.get("relation")
                columns["relation"].append(-1 if relation is None else relations.setdefault(relation, len(relations)))
                columns["relationship"].append(relationships.setdefault(key, len(relationships)))
                columns["symmetric"].append(data.get("direction") == "symmetric")
                for end in ("start", "end", "since"):
                    value = data.get(end)
                    columns[end].append(-1 if value is None else dates.setdefault(value, len(dates)))
                share, confidence = data.get("share"), data.get("confidence")
                columns["share"].append(0.0 if share is None else share)
                columns["has_share"].append(share is not None)
                columns["confidence"].append(0.0 if confidence is None else confidence)
                columns["has_confidence"].append(confidence is not None)
    types = {"u": np.int32, "v": np.int32, "kind": np.int16, "relation": np.int32, "relationship": np.int32,
             "symmetric": np.bool_, "start": np.int32, "end": np.int32, "since": np.int32, "share": np.float64,
             "has_share": np.bool_, "confidence": np.float64, "has_confidence": np.bool_}
    members: dict = {"meta": {
        "nodes": nodes, "country_codes": countries,
        "class_sets": [list(each) for each in class_sets], "kinds": list(kinds), "relations": list(relations),
        "dates": list(dates), "measures": G.graph.get("measures", {}), "targets": G.graph.get("targets", {}),
        "lists": G.graph.get("lists", {}), "countries": G.graph.get("countries", []),
    }}
    members["country"] = np.array(node_country, dtype=np.int32)
    members["classes"] = np.array(node_classes, dtype=np.int32)
    for name, values in columns.items():
        members[name] = np.array(values, dtype=types[name])
    members["relationships"] = list(relationships)
    return members
