"""Exports: the built graph as FollowTheMoney JSON lines, GraphML, GEXF, JSON-LD, N-Triples, N-Quads.

FollowTheMoney (FtM) is what the sanctions world exchanges (OpenSanctions, Aleph). The
mapping is read from the ontology's alignment (``kg:Company rdfs:subClassOf ftm:Company``,
``kg:Measure owl:equivalentClass ftm:Sanction`` ...), never repeated here: agents become the
FtM schema of their most specific aligned class (``Company``, ``PublicBody``, ``Organization``,
``Person``); each (measure, target) pair a ``Sanction``; relationships the link schema their
class is aligned with (``Ownership``, ``UnknownLink``, ``Membership``), their ends read from
the class's ``kg:edgeSource`` and ``kg:edgeTarget``. GraphML and GEXF (for Gephi) hold the projection: entities and the measures
that target them as nodes, relationships and ``targets`` as edges, with flat attributes to
filter on (see :func:`to_gephi`).

Every format is deterministic: the same graph gives the same bytes.

Examples
--------
>>> from rdflib import Dataset, Literal, RDF, RDFS
>>> from graph.model.ontology import KG, KGR
>>> ds = Dataset(default_union=True)
>>> g = ds.graph(KGR["source/demo"])
>>> _ = g.add((KGR["org/acme"], RDF.type, KG.Company))
>>> _ = g.add((KGR["org/acme"], RDFS.label, Literal("Acme")))
>>> [(e["schema"], e["properties"]["name"]) for e in to_ftm(ds)]
[('Company', ['Acme'])]
>>> print(export(ds, "nt").decode().splitlines()[1])
<https://w3id.org/exposure-kg/id/org/acme> <http://www.w3.org/2000/01/rdf-schema#label> "Acme" .
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable

import networkx as nx
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from graph.errors import ExportError, FormatError
from graph.model.ontology import KG, KGR, Ontology, load_ontology
from graph.model.terms import PREFIXES, union_graph

__all__ = ["FORMATS", "export", "to_ftm", "to_gephi", "jsonld_note", "validate_ftm", "ftm_id"]

FORMATS = ("ftm", "graphml", "gexf", "jsonld", "nt", "nq")

#: the FollowTheMoney namespace the ontology aligns its classes with
FTM = Namespace("https://w3id.org/ftm#")
#: FtM's link schemas: the properties naming a link's two ends (FtM's model, not ours)
_FTM_ENDS = {"Ownership": ("owner", "asset"), "UnknownLink": ("subject", "object"),
             "Membership": ("member", "organization")}
_NODE_CLASSES = (KG.Agent, KG.Place, KG.Population, KG.RestrictedPartyList, KG.Measure)
_IDENTIFIER_PROPS = {"USCC": "uscCode", "ISIN": "isinCode", "LEI": "leiCode"}
#: prefix of an exported Sanction summary that carries the measure's kg:legalBasis
LEGAL_BASIS_PREFIX = "Legal basis: "


def export(dataset: Dataset | Graph, fmt: str) -> bytes:
    """The graph in format ``fmt`` (one of :data:`FORMATS`), as bytes.

    Raises
    ------
    FormatError
        ``fmt`` is not a known format.
    ExportError
        N-Quads asked of a graph without named graphs.
    """
    if fmt not in FORMATS:
        raise FormatError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "ftm":
        return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in to_ftm(dataset)).encode()
    if fmt in ("graphml", "gexf"):
        return _network_bytes(to_gephi(dataset), fmt)
    if fmt == "nt":
        return _sorted_lines(union_graph(dataset).serialize(format="nt", encoding="utf-8"))
    if fmt == "nq":
        if not isinstance(dataset, Dataset):
            raise ExportError("N-Quads needs a dataset with named graphs; this graph has none")
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8"))
    return _jsonld(dataset)


def to_ftm(dataset: Dataset | Graph) -> list[dict]:
    """FollowTheMoney entities (dicts with ``id``, ``schema``, ``properties``), sorted by id."""
    g = union_graph(dataset)
    model = load_ontology()
    alignment = ftm_alignment(model)
    agents = {cls: schema for cls, schema in alignment.items() if model.is_a(cls, KG.Agent)}
    entities: dict[URIRef, dict] = {}
    for node in sorted({s for cls in agents for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)}):
        entities[node] = _entity(g, node, _schema_of(model, agents, set(g.objects(node, RDF.type))))
    out = list(entities.values())
    out.extend(_sanctions(g, entities, [cls for cls, schema in alignment.items() if schema == "Sanction"]))
    out.extend(_links(g, entities, model, alignment))
    return sorted(out, key=lambda e: e["id"])


def ftm_alignment(model: Ontology) -> dict[URIRef, str]:
    """Each ``kg:`` class the ontology aligns with a FollowTheMoney schema -> the schema's name.

    >>> alignment = ftm_alignment(load_ontology())
    >>> alignment[KG.Company], alignment[KG.Measure], alignment[KG.Partnership]
    ('Company', 'Sanction', 'UnknownLink')
    """
    aligned = {}
    for predicate in (RDFS.subClassOf, OWL.equivalentClass):
        for cls, schema in model.graph.subject_objects(predicate):
            if str(cls).startswith(str(KG)) and str(schema).startswith(str(FTM)):
                aligned[cls] = str(schema)[len(str(FTM)):]
    return aligned


def validate_ftm(entities: Iterable[dict]) -> int:
    """Check FtM entities with the ``followthemoney`` library; return how many were checked.

    Each entity must name a known schema, use only that schema's properties, hold values
    valid for their types, carry the schema's required properties, and point only to
    entities of the same stream.

    Raises
    ------
    ExportError
        An entity is invalid (all problems are listed), or followthemoney is not installed.
    """
    try:
        from followthemoney import model
        from followthemoney.exc import InvalidData
    except ImportError as exc:  # pragma: no cover - the ftm extra is part of the test extra
        raise ExportError("validating FtM needs the followthemoney package: pip install 'exposure-kg[ftm]'") from exc
    entities = list(entities)
    ids = {e.get("id") for e in entities}
    problems: list[str] = []
    for number, entity in enumerate(entities, start=1):
        schema = model.get(entity.get("schema", ""))
        where = f"entity {number} ({entity.get('id')!r})"
        if not entity.get("id"):
            problems.append(f"{where}: no id")
        if schema is None:
            problems.append(f"{where}: unknown schema {entity.get('schema')!r}")
            continue
        properties = entity.get("properties", {})
        for name, values in properties.items():
            prop = schema.get(name)
            if prop is None:
                problems.append(f"{where}: {schema.name} has no property {name!r}")
            elif prop.type.name == "entity":
                problems.extend(f"{where}: {name} points to {v!r}, not in the stream" for v in values if v not in ids)
        for name in schema.required:
            if not properties.get(name):
                problems.append(f"{where}: {schema.name} requires {name!r}")
        try:
            schema.validate(entity)
        except InvalidData as exc:
            problems.append(f"{where}: {exc.errors}")
    if problems:
        shown = "\n  ".join(problems[:20])
        raise ExportError(f"{len(problems)} invalid FollowTheMoney entit(ies):\n  {shown}")
    return len(entities)


def to_gephi(dataset: Dataset | Graph) -> nx.MultiDiGraph:
    """The projection as a network Gephi can filter: flat, typed attributes on nodes and edges.

    Nodes are the projection's entities and the measures that target them. Each carries
    ``label``, ``kind`` (its most specific class), ``classes`` (``;``-joined), ``country``
    (ISO code or empty), ``listed`` (bool), ``lists`` (the names of the lists its measures
    belong to, ``;``-joined) and ``measures`` (how many target it). Each relationship is one
    edge (a symmetric one once) with ``kind``, ``relation``, ``relationship`` (its IRI),
    ``direction``, ``start`` / ``end`` (ISO dates or empty), ``confidence`` and ``share``
    (when known) and ``sources`` (how many sources state it); each measure has a ``targets``
    edge to each of its targets. GraphML and GEXF hold no lists, hence the joined strings.

    Examples
    --------
    >>> from rdflib import Graph, Literal, RDF, RDFS
    >>> from graph.model.ontology import KG, KGR
    >>> g = Graph()
    >>> a, b, rel = KGR["org/a"], KGR["org/b"], KGR["supply/a-b"]
    >>> for node in (a, b):
    ...     _ = g.add((node, RDF.type, KG.Company)).add((node, RDF.type, KG.Agent))
    >>> _ = g.add((rel, RDF.type, KG.SupplyRelationship)).add((rel, KG.supplier, a)).add((rel, KG.customer, b))
    >>> N = to_gephi(g)
    >>> [(d["kind"], d["sources"]) for _u, _v, d in N.edges(data=True)]
    [('supply', 0)]
    >>> N.nodes[str(a)]["listed"], N.nodes[str(a)]["classes"]
    (False, 'Agent;Company')
    """
    from graph.network import project

    g = union_graph(dataset)
    G = project(g)
    measures = G.graph.get("measures") or {}
    lists = G.graph.get("lists") or {}
    network = nx.MultiDiGraph()
    for n in sorted(G):
        attrs = G.nodes[n]
        names = sorted({str((lists.get(measures.get(m, {}).get("list")) or {}).get("label") or "")
                        for m in attrs.get("measures") or ()} - {""})
        network.add_node(n, label=str(attrs.get("label") or n.rsplit("/", 1)[-1]),
                         kind=_kind_name(attrs.get("classes") or ()),
                         classes=";".join(attrs.get("classes") or ()), country=attrs.get("country") or "",
                         listed=bool(attrs.get("listed")), lists=";".join(names),
                         measures=len(attrs.get("measures") or ()))
    seen: set = set()
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        if d.get("direction") == "symmetric":
            if (key, frozenset((u, v))) in seen:
                continue
            seen.add((key, frozenset((u, v))))
        edge = {"kind": str(d.get("kind") or "related"), "relation": str(d.get("relation") or ""),
                "relationship": str(d.get("relationship") or key), "direction": str(d.get("direction") or ""),
                "start": str(d.get("start") or ""), "end": str(d.get("end") or ""),
                "sources": len({s.get("source") for s in d.get("sources") or ()})}
        for name in ("confidence", "share"):
            if d.get(name) is not None:
                edge[name] = float(d[name])
        network.add_edge(u, v, key=str(key), **edge)
    for m in sorted(measures):
        targets = (G.graph.get("targets") or {}).get(m) or []
        if not targets:
            continue
        info = measures[m]
        network.add_node(m, label=str(info.get("label") or m.rsplit("/", 1)[-1]),
                         kind=_kind_name(info.get("classes") or ("Measure",)),
                         classes=";".join(info.get("classes") or ()), country="", listed=False,
                         lists=str((lists.get(info.get("list")) or {}).get("label") or ""), measures=0)
        for t in targets:
            network.add_edge(m, t, key=f"{m} targets", kind="targets", relation="", relationship=m,
                             direction="forward", start=str(info.get("start") or info.get("announced") or ""),
                             end=str(info.get("end") or ""), sources=len(_measure_sources(g, m)))
    return network


def jsonld_note(dataset: Dataset | Graph) -> str:
    """What a reader of :func:`export`'s JSON-LD needs to know to see its named graphs.

    Examples
    --------
    >>> from rdflib import Dataset, Literal, RDF
    >>> from graph.model.ontology import KG, KGR
    >>> ds = Dataset()
    >>> _ = ds.graph(KGR["source/demo"]).add((KGR["org/acme"], RDF.type, KG.Company))
    >>> print(jsonld_note(ds))  # doctest: +ELLIPSIS
    The JSON-LD holds 1 named graph (one per source), each an object with "@id" (the source) and "@graph" ...
    """
    count = sum(1 for c in dataset.graphs() if len(c) and c.identifier != getattr(dataset, "default_graph", None)
                and not str(c.identifier).startswith("urn:x-rdflib:")) if isinstance(dataset, Dataset) else 0
    return (f'The JSON-LD holds {count} named graph{"" if count == 1 else "s"} (one per source), each an object '
            'with "@id" (the source) and "@graph" (its statements) inside the top "@graph". Load it as a '
            'dataset to see them: rdflib Dataset().parse(FILE, format="json-ld"), pyld\'s jsonld.to_rdf(..., '
            '{"format": "application/n-quads"}), or a triple store\'s JSON-LD loader into named graphs; '
            "a reader that loads one plain graph sees an empty default graph.")



def _measure_sources(g: Graph, m: str) -> set:
    return {str(src) for ev in g.objects(URIRef(m), KG.evidence) for src in g.objects(ev, KG.source)}


def _kind_name(classes) -> str:
    order = ("Person", "Company", "GovernmentBody", "Organization", "Agent", "Country", "Place", "Population",
             "RestrictedPartyList", "ExportControlListing", "ProcurementBan", "Legislation", "Tariff", "Measure")
    for name in order:
        if name in classes:
            return name
    return sorted(classes)[0] if classes else "Thing"


def ftm_id(node: URIRef) -> str:
    """The FtM id of a graph node: ``ekg-`` and its path under ``kgr:``, ``/`` as ``.``.

    >>> ftm_id(KGR["org/sensetime"])
    'ekg-org.sensetime'
    """
    text = str(node)
    path = text[len(str(KGR)):] if text.startswith(str(KGR)) else hashlib.sha1(text.encode()).hexdigest()[:16]
    return "ekg-" + path.replace("/", ".")


# ------------------------------------------------------------------------------ helpers


def _entity(g: Graph, node: URIRef, schema: str) -> dict:
    # FtM's name holds the preferred (English or untagged) labels; other languages are aliases
    labels = sorted(g.objects(node, RDFS.label), key=lambda l: (l.language not in (None, "en"), str(l)))
    preferred = [str(label) for label in labels if label.language in (None, "en")] or [str(l) for l in labels]
    names = list(dict.fromkeys(preferred))
    props: dict[str, list[str]] = {"name": names or [ftm_id(node)]}
    others = {str(label) for label in labels} | {str(a) for a in g.objects(node, SKOS.altLabel)}
    aliases = sorted(others - set(names))
    if aliases:
        props["alias"] = aliases
    countries = sorted({str(code).lower() for c in g.objects(node, KG.country) for code in g.objects(c, KG.isoCode)})
    if countries:
        props["country"] = countries
    addresses = sorted(str(a) for a in g.objects(node, KG.address))
    if addresses and schema != "Person":
        props["address"] = addresses
    notes = sorted(str(n) for n in g.objects(node, KG.note))
    if notes:
        props["notes"] = notes
    for identifier in sorted(str(i) for i in g.objects(node, KG.identifier)):
        scheme, _, value = identifier.partition(" ")
        name = _IDENTIFIER_PROPS.get(scheme, "registrationNumber")
        props.setdefault(name, []).append(value if scheme in _IDENTIFIER_PROPS else identifier)
    wikidata = sorted(str(o).rsplit("/", 1)[-1] for o in g.objects(node, OWL.sameAs) if "wikidata.org" in str(o))
    if wikidata:
        props["wikidataId"] = wikidata
    return {"id": ftm_id(node), "schema": schema, "properties": props}


def _schema_of(model: Ontology, agents: dict[URIRef, str], types: set) -> str:
    """The FtM schema of a node's most specific aligned class (ties: by schema name)."""
    aligned = [cls for cls in types if cls in agents]
    deepest = max(len(model.superclasses(cls)) for cls in aligned)
    return min(agents[cls] for cls in aligned if len(model.superclasses(cls)) == deepest)


def _sanctions(g: Graph, entities: dict[URIRef, dict], classes: list[URIRef]) -> list[dict]:
    out = []
    for measure in sorted({m for cls in classes for m in g.subjects(RDF.type, cls) if isinstance(m, URIRef)}):
        base = _common(g, measure)
        base["authority"] = sorted({_label(g, b) for b in g.objects(measure, KG.imposedBy)})
        programs = sorted({_label(g, lst) for lst in g.objects(measure, KG.onList)})
        programs += sorted(str(p) for p in g.objects(measure, KG.program))
        if programs:
            base["program"] = programs
        for name, prop in (("reason", KG.reason), ("listingDate", KG.announcedOn)):
            values = sorted(str(v) for v in g.objects(measure, prop))
            if values:
                base[name] = values
        provisions = sorted(str(v) for p in (KG.licenseRequirement, KG.licensePolicy) for v in g.objects(measure, p))
        if provisions:
            base["provisions"] = provisions
        bases = sorted(str(v) for v in g.objects(measure, KG.legalBasis))
        if bases:
            base["summary"] = [LEGAL_BASIS_PREFIX + b for b in bases]
        for target in sorted(t for t in g.objects(measure, KG.targets) if t in entities):
            props = {k: list(v) for k, v in base.items() if v}
            props["entity"] = [entities[target]["id"]]
            out.append({"id": f"{ftm_id(measure)}--{_short(entities[target]['id'])}", "schema": "Sanction",
                        "properties": props})
    return out


def _links(g: Graph, entities: dict[URIRef, dict], model: Ontology, alignment: dict[URIRef, str]) -> list[dict]:
    out = []

    def ids(node, prop):
        return sorted(entities[o]["id"] for o in g.objects(node, prop) if o in entities)

    for cls, schema in sorted(alignment.items()):
        edge = model.edge_kind(cls)
        if schema not in _FTM_ENDS or edge is None:
            continue
        first, second = _FTM_ENDS[schema]
        for rel in sorted(r for r in g.subjects(RDF.type, cls) if isinstance(r, URIRef)):
            if schema == "UnknownLink":
                # FtM links two entities: one link per pair, the kg: role as FtM's role
                a_ids, b_ids = ids(rel, edge.source), ids(rel, edge.target)
                pairs = ([(a, b) for i, a in enumerate(a_ids) for b in a_ids[i + 1:]] if edge.symmetric
                         else [(a, b) for a in a_ids for b in b_ids])
                for a, b in pairs:
                    props = _common(g, rel)
                    props.update({first: [a], second: [b], "role": [_local(edge.source)]})
                    out.append({"id": f"{ftm_id(rel)}--{_short(a + b)}", "schema": schema, "properties": props})
                continue
            props = _common(g, rel)
            props.update({first: ids(rel, edge.source), second: ids(rel, edge.target)})
            shares = [str(s) for s in g.objects(rel, KG.share)]
            if shares:
                props["percentage"] = shares
            roles = sorted(str(r) for p in (KG.relation, KG.role) for r in g.objects(rel, p))
            if roles:
                props["role"] = roles
            if props[first] and props[second]:
                out.append({"id": ftm_id(rel), "schema": schema, "properties": props})
    return out


def _common(g: Graph, node: URIRef) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for name, prop in (("startDate", KG.startDate), ("endDate", KG.endDate)):
        values = sorted(str(v) for v in g.objects(node, prop))
        if values:
            props[name] = values
    urls = sorted({str(u) for e in g.objects(node, KG.evidence) for u in g.objects(e, KG.url)})
    if urls:
        props["sourceUrl"] = urls
    notes = sorted(str(n) for n in g.objects(node, KG.note))
    if notes:
        props["description"] = notes
    return props


def _label(g: Graph, node) -> str:
    labels = sorted(g.objects(node, RDFS.label), key=lambda l: (l.language not in (None, "en"), str(l)))
    return str(labels[0]) if labels else str(node).rsplit("/", 1)[-1]


def _kind(g: Graph, node) -> str:
    kinds = sorted(_local(t) for t in g.objects(node, RDF.type) if str(t).startswith(str(KG)))
    for preferred in ("Person", "Company", "GovernmentBody", "Country", "Population", "RestrictedPartyList",
                      "ExportControlListing", "ProcurementBan", "Legislation", "Tariff", "Organization", "Place",
                      "Measure"):
        if preferred in kinds:
            return preferred
    return kinds[0] if kinds else "Thing"


def _local(term) -> str:
    return re.split(r"[#/]", str(term))[-1]


def _short(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _sorted_lines(data: bytes | str) -> bytes:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def _network_bytes(network: nx.MultiDiGraph, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(network, buffer)
        return buffer.getvalue()
    nx.write_gexf(network, buffer)
    # networkx stamps today's date into the GEXF header; drop it so the bytes depend on the graph only
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue())


def _jsonld(dataset: Dataset | Graph) -> bytes:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = dataset.serialize(format="json-ld", context=context, sort_keys=True, indent=1)
    doc = json.loads(data)
    _sort_lists(doc)  # rdflib's node and value order follows its store, not the data
    return (json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _sort_lists(value) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _sort_lists(item)
    elif isinstance(value, list):
        for item in value:
            _sort_lists(item)
        value.sort(key=lambda item: json.dumps(item, sort_keys=True))
