"""The ontology as data: classes, properties and edge kinds read from ``ontology/*.ttl``.

Code never repeats the ontology's names as constants beyond the two namespaces: a new class
or relationship kind is declared in Turtle and picked up here.

Examples
--------
>>> from graph.model.ontology import load_ontology, KG
>>> model = load_ontology()
>>> model.cls("Company") == KG.Company
True
>>> [str(c).split("#")[1] for c in model.superclasses(KG.Company)]
['Agent', 'Company', 'Organization']
>>> model.edge_kind(KG.SupplyRelationship).shortcut == KG.suppliesTo
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from anyascii import anyascii

from graph.errors import OntologyError
from graph.model.names import latin_skeleton, letters_lost_in_ascii

__all__ = [
    "KG",
    "KGR",
    "Ontology",
    "PropertyDef",
    "EdgeKind",
    "load_ontology",
    "ontology_dir",
    "mint_iri",
    "slugify",
]

KG = Namespace("https://w3id.org/exposure-kg/ontology#")
KGR = Namespace("https://w3id.org/exposure-kg/id/")


@dataclass(frozen=True)
class PropertyDef:
    """A property as the fact files and readers use it."""

    iri: URIRef
    key: str
    is_object: bool
    datatype: URIRef | None


@dataclass(frozen=True)
class EdgeKind:
    """How a relationship class projects to an entity-to-entity edge."""

    cls: URIRef
    kind: str
    source: URIRef
    target: URIRef
    shortcut: URIRef
    symmetric: bool


def ontology_dir() -> Path:
    """Return the folder holding the ontology, the SHACL shapes and nothing else.

    Installed wheels carry it inside the package (``graph/ontology``); a source checkout keeps
    it at the top level, beside ``graph/``.
    """
    packaged = Path(str(resources.files("graph"))) / "ontology"
    if (packaged / "exposure-kg.ttl").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "ontology"
    if (checkout / "exposure-kg.ttl").is_file():
        return checkout
    raise OntologyError(
        f"ontology not found in {packaged} nor in {checkout}; reinstall the package "
        "(pip install .) so that its ontology files are included"
    )


class Ontology:
    """The parsed ontology with the lookups the rest of the package needs."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._classes: dict[str, URIRef] = {}
        self._properties: dict[str, PropertyDef] = {}
        self._edges: dict[URIRef, EdgeKind] = {}
        self._superclasses: dict[URIRef, tuple[URIRef, ...]] = {}
        self._iri_kinds: dict[URIRef, str] = {}
        self._edge_of: dict[URIRef, EdgeKind | None] = {}
        self._read(graph)

    # -- public lookups ------------------------------------------------------------------
    def cls(self, key: str) -> URIRef:
        """Return the class a fact file names ``key`` (``"Company"``); KeyError if none."""
        return self._classes[key]

    def class_keys(self) -> list[str]:
        return sorted(self._classes)

    def prop(self, key: str) -> PropertyDef:
        """Return the property a fact file names ``key`` (``"targets"``); KeyError if none."""
        return self._properties[key]

    def property_keys(self) -> list[str]:
        return sorted(self._properties)

    def superclasses(self, cls: URIRef) -> list[URIRef]:
        """All ``kg:`` classes ``cls`` belongs to, itself included, sorted by IRI."""
        # Builds ask this for every statement; the ontology never changes once read.
        if cls not in self._superclasses:
            self._superclasses[cls] = self._walk_up(cls)
        return list(self._superclasses[cls])

    def _walk_up(self, cls: URIRef) -> tuple[URIRef, ...]:
        seen: set[URIRef] = set()
        todo = [cls]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for parent in self.graph.objects(current, RDFS.subClassOf):
                if isinstance(parent, URIRef) and str(parent).startswith(str(KG)):
                    todo.append(parent)
        return tuple(sorted(seen))

    def is_a(self, cls: URIRef, parent: URIRef) -> bool:
        return parent in self.superclasses(cls)

    def iri_kind(self, cls: URIRef) -> str:
        """The path segment of IRIs minted for instances of ``cls`` (``"org"``)."""
        if cls not in self._iri_kinds:
            for candidate in [cls, *self.superclasses(cls)]:
                kind = self.graph.value(candidate, KG.iriKind)
                if kind is not None:
                    self._iri_kinds[cls] = str(kind)
                    break
            else:
                raise OntologyError(f"class {cls} has no kg:iriKind in the ontology")
        return self._iri_kinds[cls]

    def edge_kind(self, cls: URIRef) -> EdgeKind | None:
        """The edge a relationship class projects to, or None for other classes."""
        if cls not in self._edge_of:
            self._edge_of[cls] = next(
                (self._edges[c] for c in [cls, *self.superclasses(cls)] if c in self._edges), None
            )
        return self._edge_of[cls]

    def edge_kinds(self) -> list[EdgeKind]:
        return sorted(self._edges.values(), key=lambda e: e.kind)

    def identifying(self) -> dict[str, str]:
        """Property keys that identify a fact (``kg:identifiesFact``), with "all" or "any"."""
        out = {}
        for key, prop in self._properties.items():
            mode = self.graph.value(prop.iri, KG.identifiesFact)
            if mode is not None:
                if str(mode) not in ("all", "any"):
                    raise OntologyError(f"{prop.iri} kg:identifiesFact must be \"all\" or \"any\", not {str(mode)!r}")
                out[key] = str(mode)
        return out

    def label(self, term: URIRef, lang: str = "en") -> str:
        for value in self.graph.objects(term, RDFS.label):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
        return str(term).rsplit("#", 1)[-1]

    # -- reading -------------------------------------------------------------------------
    def _read(self, graph: Graph) -> None:
        for subject, key in graph.subject_objects(KG.factKey):
            if not isinstance(subject, URIRef):
                continue
            types = set(graph.objects(subject, RDF.type))
            if OWL.Class in types:
                self._classes[str(key)] = subject
            elif OWL.ObjectProperty in types or OWL.DatatypeProperty in types:
                datatype = graph.value(subject, RDFS.range)
                is_object = OWL.ObjectProperty in types
                self._properties[str(key)] = PropertyDef(
                    iri=subject,
                    key=str(key),
                    is_object=is_object,
                    datatype=None if is_object or not _is_xsd(datatype) else datatype,
                )
            else:
                raise OntologyError(f"{subject} has kg:factKey {key!r} but is neither a class nor a property")
        for cls in graph.subjects(KG.edgeKind, None):
            parts = {
                name: graph.value(cls, getattr(KG, name))
                for name in ("edgeSource", "edgeTarget", "shortcut", "edgeKind")
            }
            missing = [name for name, value in parts.items() if value is None]
            if missing:
                raise OntologyError(f"relationship class {cls} lacks {', '.join('kg:' + m for m in missing)}")
            self._edges[cls] = EdgeKind(
                cls=cls,
                kind=str(parts["edgeKind"]),
                source=parts["edgeSource"],
                target=parts["edgeTarget"],
                shortcut=parts["shortcut"],
                symmetric=str(graph.value(cls, KG.symmetric) or "false") == "true",
            )


def _is_xsd(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(XSD))


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Parse ``ontology/exposure-kg.ttl`` once per process and return the model."""
    path = ontology_dir() / "exposure-kg.ttl"
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise OntologyError(f"{path}: cannot parse the ontology: {exc}") from exc
    return Ontology(graph)


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII slug of ``text``: accents dropped, runs of other characters to ``-``.

    Names in other scripts are transliterated (look-alike letters mixed into a Latin word are
    read as Latin first); a name with nothing to transliterate gets a stable hash.

    >>> slugify("Sécurité publique de Ürümqi")
    'securite-publique-de-urumqi'
    >>> slugify("海康威视")
    'haikangweishi'
    >>> slugify("Нуаwеi")
    'hyawei'
    >>> slugify("☂☂")
    'x-beade389f8e7'
    """
    if text.isascii():
        ascii_text = text  # its own NFKD form: the common case, and most of a big build's IRIs
    elif letters_lost_in_ascii(text):
        ascii_text = anyascii(latin_skeleton(text))
    else:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if not slug and text.strip(" /"):
        slug = "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return slug


def mint_iri(kind: str, slug: str) -> URIRef:
    """The resource IRI for ``kind`` and ``slug``; the same input always gives the same IRI.

    >>> mint_iri("org", "SenseTime")
    rdflib.term.URIRef('https://w3id.org/exposure-kg/id/org/sensetime')
    """
    clean = "/".join(slugify(part) for part in slug.split("/"))
    if not clean.strip("/"):
        raise ValueError(f"cannot mint an IRI from an empty slug {slug!r}")
    return KGR[f"{kind}/{clean}"]
