"""The builder: resolved statements -> one RDF dataset, one named graph per source.

Each source's graph holds the source's own description (Dublin Core, PROV-O) and everything
it states, with a ``kg:Evidence`` node per statement and place in the source. Types are
materialised up the ``kg:`` class hierarchy (a company is also a ``kg:Organization``) and
relationship nodes get their shortcut edges (``kg:partnerOf``, ``kg:suppliesTo`` ...), so
that plain SPARQL on any store sees them without inference.

Examples
--------
>>> from graph.statements import SourceInfo, Statement, Label
>>> from graph.statements import Batch
>>> from graph.ontology import load_ontology
>>> from graph.resolve import resolve
>>> batch = Batch(source=SourceInfo(id="demo", title="Demo", file="demo.txt"),
...               statements=[Statement(key="acme", cls="Company", labels=[Label("Acme")])])
>>> ds = to_dataset([batch], resolve([batch], load_ontology()), load_ontology())
>>> len(list(ds.graphs()))  # the default graph, the ontology and the source's graph
3
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .errors import InputError
from .ontology import KG, Ontology, mint_iri
from .resolve import Resolution, family_of, is_extracted
from .statements import Batch, Evidence, Ref, SourceInfo, Statement
from .nquads import QuadLoader
from .spool import select, statement_keys
from .terms import bind_prefixes

__all__ = ["to_dataset", "to_store", "write_graphs", "source_iri", "ONTOLOGY_GRAPH"]

ONTOLOGY_GRAPH = URIRef("https://w3id.org/exposure-kg/ontology")

def source_iri(source_id: str) -> URIRef:
    """The IRI of a source, which also names its graph: ``kgr:source/<id>``."""
    return mint_iri("source", source_id)


def to_dataset(batches: list[Batch], resolution: Resolution, model: Ontology) -> Dataset:
    """Write every batch's statements into its source's named graph of a new Dataset."""
    dataset = Dataset()
    bind_prefixes(dataset)
    write_graphs(batches, resolution, model, dataset.graph)
    return dataset


def to_store(batches: list[Batch], resolution: Resolution, model: Ontology, store: ox.Store, *,
             batch: int = 100_000) -> list[str]:
    """Write the same quads as :func:`to_dataset` into a pyoxigraph ``store``, as they are made.

    Quads go to the store's bulk loader as N-Quads text, ``batch`` at a time, loaded in a
    second thread (:class:`graph.nquads.QuadLoader`), so that the build never holds the whole
    graph as Python objects. Returns the IRIs of the named graphs written.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from graph.statements import SourceInfo, Statement, Label, Batch
    >>> from graph.ontology import load_ontology
    >>> from graph.resolve import resolve
    >>> b = Batch(source=SourceInfo(id="demo", title="Demo", file="demo.txt"),
    ...           statements=[Statement(key="acme", cls="Company", labels=[Label("Acme")])])
    >>> store = ox.Store()
    >>> to_store([b], resolve([b], load_ontology()), load_ontology(), store)[-1]
    'https://w3id.org/exposure-kg/id/source/demo'
    """
    with QuadLoader(store, batch) as loader:
        write_graphs(batches, resolution, model, loader.graph)
    return list(loader.graphs)


def write_graphs(batches: list[Batch], resolution: Resolution, model: Ontology, graph_for) -> None:
    """Write every statement with ``graph_for(iri).add(triple)``, one named graph per source."""
    by_source: dict[str, list[Batch]] = defaultdict(list)
    for batch in batches:
        by_source[batch.source.id].append(batch)
    primaries = _Primaries(batches, resolution)
    # The ontology rides along in its own graph so that SPARQL users get class labels and
    # the class hierarchy (rdfs:subClassOf*) on any store, without inference.
    ontology_graph = graph_for(ONTOLOGY_GRAPH)
    for triple in model.graph:
        ontology_graph.add(triple)
    for source_id in sorted(by_source):
        group = by_source[source_id]
        _check_same_source(group)
        graph = graph_for(source_iri(source_id))
        _describe_source(graph, group[0].source)
        for batch in group:
            for statement in batch.statements:
                _write_statement(graph, statement, source_id, resolution, model, primaries)


class _Primaries:
    """Which statement of each node speaks first: its labels stay labels, others' become aliases.

    Only nodes that several statements resolved to need comparing (a merged entity, a fact two
    sources state); the others, most nodes of a big list, are their one statement's alone, so
    nothing is held for them.
    """

    def __init__(self, batches: list[Batch], resolution: Resolution) -> None:
        by_key = resolution.by_key
        # keys alone: a spooled batch (graph.spool) decodes only the primary statements, below
        seen: set[URIRef] = set()
        self.shared: set[URIRef] = set()
        for batch in batches:
            source = batch.source.id
            for key in statement_keys(batch.statements):
                iri = by_key[(source, key)]
                if iri in seen:
                    self.shared.add(iri)
                else:
                    seen.add(iri)
        del seen
        # the statement that first minted each shared IRI, in resolution order
        minted: set[URIRef] = set()
        self.primary: set[tuple[str, str]] = set()
        for batch in sorted(batches, key=lambda b: (b.priority, b.source.id, b.file)):
            for key in statement_keys(batch.statements):
                iri = by_key[(batch.source.id, key)]
                if iri in self.shared and iri not in minted:
                    minted.add(iri)
                    self.primary.add((batch.source.id, key))
        self.labels: dict[URIRef, set[str]] = defaultdict(set)  # each shared node's preferred names
        self.stated: dict[URIRef, set[str]] = defaultdict(set)  # the properties its primary statement gives
        primary_keys = {key for _, key in self.primary}
        for batch in batches:
            source = batch.source.id
            for statement in select(batch.statements, lambda key, cls: key in primary_keys):
                if (source, statement.key) in self.primary:
                    iri = by_key[(source, statement.key)]
                    self.labels[iri].update(label.text for label in statement.labels)
                    self.stated[iri].update(statement.values)

    def is_primary(self, source_id: str, statement: Statement, iri: URIRef) -> bool:
        return iri not in self.shared or (source_id, statement.key) in self.primary

    def names(self, statement: Statement, iri: URIRef) -> set[str]:
        """The node's preferred names, so that other sources' identical names are not repeated."""
        if iri in self.shared:
            return self.labels[iri]
        return {label.text for label in statement.labels}


def _check_same_source(group: list[Batch]) -> None:
    first = group[0].source
    for batch in group[1:]:
        if batch.source != first:
            raise InputError(batch.file, f"describes source {first.id!r} differently from {group[0].file}",
                             hint="give each source one metadata file")


def _describe_source(graph: Graph, source: SourceInfo) -> None:
    iri = source_iri(source.id)
    graph.add((iri, RDF.type, KG.Source))
    graph.add((iri, RDF.type, PROV.Entity))
    graph.add((iri, DCTERMS.title, Literal(source.title)))
    graph.add((iri, DCTERMS.type, Literal(source.kind)))
    graph.add((iri, KG.file, Literal(source.file)))
    _add_present(graph, iri, {
        DCTERMS.publisher: source.publisher,
        DCTERMS.creator: source.creator,
        DCTERMS.language: source.language,
        KG.sha256: source.sha256,
        KG.note: source.note,
    })
    if source.issued:
        graph.add((iri, DCTERMS.issued, Literal(source.issued, datatype=XSD.date)))
    if source.url:
        graph.add((iri, KG.url, Literal(source.url, datatype=XSD.anyURI)))


def _add_present(graph: Graph, subject: URIRef, values: dict[URIRef, object]) -> None:
    """Add ``subject predicate value`` for each value that is set (None and "" are skipped)."""
    for predicate, value in values.items():
        if value is None or value == "":
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            graph.add((subject, predicate, _integer(value)))
        else:
            graph.add((subject, predicate, Literal(value)))


def _write_statement(graph: Graph, statement: Statement, source_id: str, resolution: Resolution,
                     model: Ontology, primaries: _Primaries) -> None:
    iri = resolution.by_key[(source_id, statement.key)]
    cls = model.cls(statement.cls)
    is_primary = primaries.is_primary(source_id, statement, iri)
    # Curated wins: an extracted statement about a node someone else described adds its
    # evidence and what is missing, never a second class or a competing value.
    deferent = not is_primary and is_extracted(statement)
    skipped = primaries.stated.get(iri, set()) if deferent else set()
    for each in ([] if deferent else model.superclasses(cls)):
        graph.add((iri, RDF.type, each))
    names = primaries.names(statement, iri) if statement.aliases or not is_primary else set()
    for label in statement.labels:
        if is_primary:
            graph.add((iri, RDFS.label, Literal(label.text, lang=label.lang)))
        elif label.text not in names:
            graph.add((iri, SKOS.altLabel, Literal(label.text)))
    for alias in statement.aliases:
        if alias not in names:
            graph.add((iri, SKOS.altLabel, Literal(alias)))
    for target in statement.same_as:
        graph.add((iri, OWL.sameAs, URIRef(target)))
    objects: dict[URIRef, list[URIRef]] = {}
    for key, values in statement.values.items():
        if key in skipped:
            continue
        prop = model.prop(key)
        for value in values:
            if isinstance(value, Ref):
                family = family_of(model, value.cls) if value.cls else None
                term = resolution.ref(source_id, value, family, statement.origin)
                objects.setdefault(prop.iri, []).append(term)
            else:
                term = _literal(value, prop.datatype)
            graph.add((iri, prop.iri, term))
    edge = model.edge_kind(cls)
    if edge is not None:
        _write_shortcuts(graph, edge, objects)
    for evidence in statement.evidence:
        _write_evidence(graph, iri, evidence)


def _write_shortcuts(graph: Graph, edge, objects: dict[URIRef, list[URIRef]]) -> None:
    if edge.symmetric:
        for a, b in combinations(sorted(set(objects.get(edge.source, []))), 2):
            graph.add((a, edge.shortcut, b))
            graph.add((b, edge.shortcut, a))
        return
    for a in objects.get(edge.source, []):
        for b in objects.get(edge.target, []):
            graph.add((a, edge.shortcut, b))


def _literal(value: object, datatype: URIRef | None) -> Literal:
    if isinstance(value, date):
        return Literal(value, datatype=XSD.date)
    if datatype == XSD.decimal and isinstance(value, (int, float)):
        return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)
    if datatype == XSD.integer and isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(value)


def _write_evidence(graph: Graph, subject: URIRef, evidence: Evidence) -> None:
    digest = hashlib.sha256(
        "\x1f".join(
            str(part)
            for part in (subject, evidence.method, evidence.file, evidence.row, evidence.char_start,
                         evidence.quote, evidence.extractor)
        ).encode("utf-8")
    ).hexdigest()[:16]
    node = mint_iri("evidence", f"{evidence.source}/{digest}")
    source = source_iri(evidence.source)
    graph.add((subject, _EVIDENCE, node))
    graph.add((node, _TYPE, _KG_EVIDENCE))
    graph.add((node, _TYPE, _PROV_ENTITY))
    graph.add((node, _SOURCE, source))
    graph.add((node, _DERIVED, source))
    graph.add((node, _METHOD, _plain(evidence.method)))
    graph.add((node, _CONFIDENCE, _decimal(evidence.confidence)))
    _add_present(graph, node, {
        _QUOTE: evidence.quote,
        _FILE: evidence.file,
        _EXTRACTOR: evidence.extractor,
        _NOTE: evidence.note,
        _CHAR_START: evidence.char_start,
        _CHAR_END: evidence.char_end,
        _ROW: evidence.row,
    })
    if evidence.url:
        graph.add((node, _URL, Literal(evidence.url, datatype=XSD.anyURI)))


# Terms of the evidence nodes, made once: a namespace attribute builds a new URIRef each time,
# and evidence is the bulk of a big build.
_TYPE, _EVIDENCE, _KG_EVIDENCE, _PROV_ENTITY = RDF.type, KG.evidence, KG.Evidence, PROV.Entity
_SOURCE, _DERIVED, _METHOD, _CONFIDENCE = KG.source, PROV.wasDerivedFrom, KG.method, KG.confidence
_QUOTE, _FILE, _EXTRACTOR, _NOTE, _URL = KG.quote, KG.file, KG.extractor, KG.note, KG.url
_CHAR_START, _CHAR_END, _ROW = KG.charStart, KG.charEnd, KG.row


@lru_cache(maxsize=4096)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=4096)
def _plain(value: str) -> Literal:
    return Literal(value)
