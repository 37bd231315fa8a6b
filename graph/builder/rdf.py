"""The builder: resolved statements -> one RDF dataset, one named graph per source.

Each source's graph holds the source's own description (Dublin Core, PROV-O) and everything
it states, with a ``kg:Evidence`` node per statement and place in the source. Types are
materialised up the ``kg:`` class hierarchy (a company is also a ``kg:Organization``) and
relationship nodes get their shortcut edges (``kg:partnerOf``, ``kg:suppliesTo`` ...), so
that plain SPARQL on any store sees them without inference.

Examples
--------
>>> from graph.model.statements import SourceInfo, Statement, Label
>>> from graph.model.statements import Batch
>>> from graph.model.ontology import load_ontology
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
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.errors import InputError
from graph.model.ontology import KG, Ontology, mint_iri
from graph.resolve import Resolution, family_of, is_extracted
from graph.model.statements import Batch, Evidence, Ref, SourceInfo, Statement
from graph.io.nquads import QuadLoader, nquads_term
from graph.io.spool import select, statement_keys
from graph.model.terms import bind_prefixes, quoted

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

    Quads go to the store's bulk loader as text, ``batch`` at a time, loaded in a
    second thread (:class:`graph.io.nquads.QuadLoader`), so that the build never holds the whole
    graph as Python objects. Returns the IRIs of the named graphs written.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from graph.model.statements import SourceInfo, Statement, Label, Batch
    >>> from graph.model.ontology import load_ontology
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
        # keys alone: a spooled batch (graph.io.spool) decodes only the primary statements, below
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
    out = _output(graph)
    iri = out.iri(source_iri(source.id))
    TYPE = out.constants[0]
    add = out.add
    add(iri, TYPE, out.iri(KG.Source))
    add(iri, TYPE, out.iri(PROV.Entity))
    add(iri, out.iri(DCTERMS.title), out.literal(source.title))
    add(iri, out.iri(DCTERMS.type), out.literal(source.kind))
    add(iri, out.iri(KG.file), out.literal(source.file))
    _add_present(out, iri, (
        (out.iri(DCTERMS.publisher), source.publisher),
        (out.iri(DCTERMS.creator), source.creator),
        (out.iri(DCTERMS.language), source.language),
        (out.iri(KG.sha256), source.sha256),
        (out.iri(KG.note), source.note),
    ))
    if source.issued:
        add(iri, out.iri(DCTERMS.issued), out.typed(source.issued, XSD.date))
    if source.url:
        add(iri, out.iri(KG.url), out.typed(source.url, XSD.anyURI))
    if source.retrieved:
        add(iri, out.iri(KG.retrieved), out.typed(source.retrieved, XSD.dateTime))


def _add_present(out: _Terms | _Text, subject, values: Iterable[tuple]) -> None:
    """Add ``subject predicate value`` for each (predicate, value) set (None and "" are skipped)."""
    for predicate, value in values:
        if value is None or value == "":
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            out.add(subject, predicate, out.integer(value))
        else:
            out.add(subject, predicate, out.literal(value))


def _write_statement(graph: Graph, statement: Statement, source_id: str, resolution: Resolution,
                     model: Ontology, primaries: _Primaries) -> None:
    out = _output(graph)
    add = out.add
    node = resolution.by_key[(source_id, statement.key)]
    iri = out.iri(node)
    cls = model.cls(statement.cls)
    is_primary = primaries.is_primary(source_id, statement, node)
    # Curated wins: an extracted statement about a node someone else described adds its
    # evidence and what is missing, never a second class or a competing value.
    deferent = not is_primary and is_extracted(statement)
    skipped = primaries.stated.get(node, set()) if deferent else set()
    TYPE, LABEL, ALT_LABEL, SAME_AS = out.constants[:4]
    for each in ([] if deferent else model.superclasses(cls)):
        add(iri, TYPE, out.iri(each))
    names = primaries.names(statement, node) if statement.aliases or not is_primary else set()
    for label in statement.labels:
        if is_primary:
            add(iri, LABEL, out.label(label.text, label.lang))
        elif label.text not in names:
            add(iri, ALT_LABEL, out.literal(label.text))
    for alias in statement.aliases:
        if alias not in names:
            add(iri, ALT_LABEL, out.literal(alias))
    for target in statement.same_as:
        add(iri, SAME_AS, out.iri(URIRef(target)))
    objects: dict[URIRef, list[URIRef]] = {}
    for key, values in statement.values.items():
        if key in skipped:
            continue
        prop = model.prop(key)
        predicate = out.iri(prop.iri)
        for value in values:
            if isinstance(value, Ref):
                family = family_of(model, value.cls) if value.cls else None
                term = resolution.ref(source_id, value, family, statement.origin)
                objects.setdefault(prop.iri, []).append(term)
                add(iri, predicate, out.iri(term))
            else:
                add(iri, predicate, out.value(value, prop.datatype))
    edge = model.edge_kind(cls)
    if edge is not None:
        _write_shortcuts(out, edge, objects)
    for evidence in statement.evidence:
        named = resolution.by_key.get((source_id, evidence.names)) if evidence.names else None
        _write_evidence(out, iri, node, evidence, named)


def _write_shortcuts(out: _Terms | _Text, edge, objects: dict[URIRef, list[URIRef]]) -> None:
    shortcut = out.iri(edge.shortcut)
    if edge.symmetric:
        for a, b in combinations(sorted(set(objects.get(edge.source, []))), 2):
            a, b = out.iri(a), out.iri(b)
            out.add(a, shortcut, b)
            out.add(b, shortcut, a)
        return
    for a in objects.get(edge.source, []):
        for b in objects.get(edge.target, []):
            out.add(out.iri(a), shortcut, out.iri(b))


def _literal(value: object, datatype: URIRef | None) -> Literal:
    if isinstance(value, date):
        return Literal(value, datatype=XSD.date)
    if datatype == XSD.decimal and isinstance(value, (int, float)):
        return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)
    if datatype == XSD.integer and isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(value)


def _write_evidence(out: _Terms | _Text, subject, node: URIRef, evidence: Evidence,
                    named: URIRef | None = None) -> None:
    """The evidence node of ``evidence`` about ``node`` (written ``subject`` by ``out``).

    ``named`` is the entity the row or sentence names (``kg:names``), among the fact's several.
    """
    digest = hashlib.sha256(
        "\x1f".join(
            str(part)
            for part in (node, evidence.method, evidence.file, evidence.row, evidence.char_start,
                         evidence.quote, evidence.extractor)
        ).encode("utf-8")
    ).hexdigest()[:16]
    source, prefix = out.source(evidence.source)
    add = out.add
    (TYPE, _, _, _, EVIDENCE, KG_EVIDENCE, PROV_ENTITY, SOURCE, DERIVED, METHOD, CONFIDENCE, QUOTE, FILE,
     EXTRACTOR, NOTE, CHAR_START, CHAR_END, ROW, URL, LINE) = out.constants
    evidence_node = out.evidence(prefix, digest)
    add(subject, EVIDENCE, evidence_node)
    add(evidence_node, TYPE, KG_EVIDENCE)
    add(evidence_node, TYPE, PROV_ENTITY)
    add(evidence_node, SOURCE, source)
    add(evidence_node, DERIVED, source)
    add(evidence_node, METHOD, out.literal(evidence.method))
    add(evidence_node, CONFIDENCE, out.decimal(evidence.confidence))
    _add_present(out, evidence_node, (
        (QUOTE, evidence.quote),
        (FILE, evidence.file),
        (EXTRACTOR, evidence.extractor),
        (NOTE, evidence.note),
        (CHAR_START, evidence.char_start),
        (CHAR_END, evidence.char_end),
        (LINE, evidence.line),
        (ROW, evidence.row),
    ))
    if evidence.url:
        add(evidence_node, URL, out.typed(evidence.url, XSD.anyURI))
    if named is not None:
        add(evidence_node, out.iri(KG.names), out.iri(named))


# The terms _write_statement and _write_evidence use for every statement, in the order of
# ``constants`` (a namespace attribute builds a new URIRef each time).
_CONSTANTS = (
    RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs,
    KG.evidence, KG.Evidence, PROV.Entity, KG.source, PROV.wasDerivedFrom, KG.method, KG.confidence,
    KG.quote, KG.file, KG.extractor, KG.note, KG.charStart, KG.charEnd, KG.row, KG.url, KG.line,
)


class _Terms:
    """The terms of a statement as rdflib terms, added to an rdflib graph (:func:`to_dataset`).

    :class:`_Text` writes the same quads as N-Triples text for a store; each method has its
    twin there, giving the same term as text.
    """

    __slots__ = ("graph",)
    constants = _CONSTANTS

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    @staticmethod
    def iri(iri: URIRef) -> URIRef:
        return iri

    @staticmethod
    def literal(value: object) -> Literal:
        return Literal(value)

    @staticmethod
    def label(text: str, lang: str | None) -> Literal:
        return Literal(text, lang=lang)

    @staticmethod
    def value(value: object, datatype: URIRef | None) -> Literal:
        return _literal(value, datatype)

    @staticmethod
    def typed(value: object, datatype: URIRef) -> Literal:
        return Literal(value, datatype=datatype)

    @staticmethod
    def integer(value: int) -> Literal:
        return _integer(value)

    @staticmethod
    def decimal(value: float) -> Literal:
        return _decimal(value)

    @staticmethod
    def source(source_id: str) -> tuple[URIRef, str]:
        """A source's IRI, and the IRI its evidence nodes start with."""
        return _evidence_source(source_id)

    @staticmethod
    def evidence(prefix: str, digest: str) -> URIRef:
        return URIRef(prefix + digest)


class _Text:
    """The terms of a statement as N-Triples text, added to a :class:`graph.io.nquads.QuadLoader` graph.

    Terms are written from the values they hold, without an rdflib term for each (making one
    cost more than the rest of writing its quad): an IRI's text is the loader's, remembered;
    a plain literal is its escaped text; other literals are rdflib's text, made once per
    distinct value.
    """

    __slots__ = ("add", "iri", "constants")

    def __init__(self, graph) -> None:
        graph.ready()
        self.add = graph.line
        self.iri = graph.loader.iri
        self.constants = _constant_texts()

    @staticmethod
    def literal(value: object) -> str:
        return quoted(value) if type(value) is str else nquads_term(Literal(value))

    @staticmethod
    def label(text: str, lang: str | None) -> str:
        return quoted(text) + _language_suffix(lang) if lang else quoted(text)

    @staticmethod
    def value(value: object, datatype: URIRef | None) -> str:
        if type(value) is str:
            return quoted(value)
        try:
            return _literal_text(value, datatype)
        except TypeError:  # a value that cannot be a key of the cache
            return nquads_term(_literal(value, datatype))

    @staticmethod
    def typed(value: object, datatype: URIRef) -> str:
        return nquads_term(Literal(value, datatype=datatype))

    @staticmethod
    def integer(value: int) -> str:
        # rdflib writes an int as its decimal digits: row numbers, mostly distinct, are not
        # worth a Literal each
        return _INTEGER % value if type(value) is int else _integer_text(value)

    @staticmethod
    def decimal(value: float) -> str:
        return _decimal_text(value)

    def source(self, source_id: str) -> tuple[str, str]:
        iri, prefix = _evidence_source(source_id)
        self.iri(prefix)  # checked once: what follows it is hexadecimal
        return self.iri(iri), "<" + prefix

    @staticmethod
    def evidence(prefix: str, digest: str) -> str:
        return prefix + digest + ">"


def _output(graph) -> _Terms | _Text:
    """The writer for ``graph``: text for a QuadLoader's graph (it takes lines), rdflib terms for any other."""
    return _Text(graph) if hasattr(graph, "line") else _Terms(graph)


@lru_cache(maxsize=1)
def _constant_texts() -> tuple[str, ...]:
    return tuple(nquads_term(term) for term in _CONSTANTS)


@lru_cache(maxsize=1024)
def _evidence_source(source_id: str) -> tuple[URIRef, str]:
    # mint_iri slugifies each part of "<source>/<digest>"; a digest (hexadecimal) is its own
    # slug, so the evidence nodes of a source share their IRI up to it
    return source_iri(source_id), str(mint_iri("evidence", f"{source_id}/0"))[:-1]


@lru_cache(maxsize=256)
def _language_suffix(lang: str) -> str:
    # rdflib checks the tag, sparql_term checks it again: the text is theirs
    return nquads_term(Literal("", lang=lang))[2:]


@lru_cache(maxsize=65536, typed=True)  # typed: 1, 1.0 and True make different literals
def _literal_text(value: object, datatype: URIRef | None) -> str:
    return nquads_term(_literal(value, datatype))


@lru_cache(maxsize=4096)
def _decimal_text(value: float) -> str:
    return nquads_term(_decimal(value))


@lru_cache(maxsize=4096)
def _integer_text(value: int) -> str:
    return nquads_term(_integer(value))


_INTEGER = '"%d"^^<' + str(XSD.integer) + ">"


@lru_cache(maxsize=4096)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)

