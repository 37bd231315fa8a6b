"""Finding the entity a user means: any of its names, aliases, identifiers or printed IRIs.

One index of a built graph's names serves every place a user names an entity: ``kg screen``
rows, ``--focus`` and named query parameters. It matches with the resolver's own rules (see
:mod:`graph.resolve`): a shared identifier, the same name, an alias, the same normalised name
key, then the build's matcher (:mod:`graph.resolve.matching`) on the candidates the build's
blocks give (:mod:`graph.resolve.blocks`): its ``match`` is a fuzzy match, its ``possible
match`` one for an analyst to review, each with its score and explanation; never for a pair a
reviewed decision forbids. So a lookup and a build never disagree. When nothing matches,
:meth:`NameIndex.suggest` offers close names.

IRIs are accepted as the tables print them: ``kgr:org/yitu`` (which SPARQL's prefixed names
cannot spell: :func:`expand_iris` rewrites them in query text), ``<https://...>`` or bare.

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from rdflib.namespace import SKOS
>>> from graph.model.ontology import KG, KGR
>>> g = Graph()
>>> for cls in (KG.Agent, KG.Company):  # a build writes every class of an entity
...     _ = g.add((KGR["org/sensetime"], RDF.type, cls))
>>> _ = g.add((KGR["org/sensetime"], RDFS.label, Literal("SenseTime")))
>>> _ = g.add((KGR["org/sensetime"], SKOS.altLabel, Literal("Sensetime Group Limited")))
>>> names = NameIndex(g)
>>> [(m["label"], m["reason"]) for m in names.match("Sensetime Group Limited")]
[('SenseTime', 'alias')]
>>> [(m["label"], m["answer"], m["explanation"]) for m in names.match("Sensetiem")]
[('SenseTime', 'match', 'name 0.89')]
>>> names.find("kgr:org/sensetime") == str(KGR["org/sensetime"])
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from graph.errors import ResolutionError

__all__ = ["NameIndex", "expand_iris", "REASONS"]

#: why a name matched, strongest first (the order the resolver tries them in); a "possible
#: match" is the matcher's answer below its match threshold: an analyst reviews it
REASONS = ("IRI", "identifier", "exact name", "alias", "normalised name", "fuzzy", "possible match")


@dataclass
class _Entry:
    iri: str
    label: str
    names: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    country: str | None = None


class NameIndex:
    """The names, aliases and identifiers of a built graph's entities, ready to match.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
        The built graph (:func:`graph.store.backends.open_graph`).
    G : networkx.MultiDiGraph, optional
        Its projection (:func:`graph.network.project`), made here when not given: its nodes
        are the entities that can be matched, with their labels and countries.
    decisions : list of graph.resolve.Decision, optional
        Reviewed decisions: forbidden pairs never match.
    limit : int
        At most this many matches per name.
    """

    def __init__(self, graph, *, G=None, decisions=None, limit: int = 3) -> None:
        if G is None:
            from graph.network import project

            G = project(graph)
        self.limit = limit
        self._forbidden = {d.keys() for d in decisions or () if d.decision == "forbid"}
        self._index(graph, G)

    def match(self, name: str, *, country: str | None = None, identifiers=()) -> list[dict]:
        """The entities ``name`` (with ``country`` and ``identifiers``) matches, best first.

        Each match: ``iri``, ``label``, ``country``, ``score`` (0-100), ``reason`` (one of
        :data:`REASONS`), ``matched`` (the name or identifier of the entity it matched),
        ``answer`` (``"match"`` or ``"possible match"``) and ``explanation`` (the matcher's
        features: ``"name 0.86, legal form dropped"``, or the reason).
        """
        from graph.model.names import name_key
        from graph.resolve.matching import compare_names, prepare

        found: dict[str, dict] = {}

        def add(iri: str, score: float, reason: str, matched: str, answer: str = "match",
                explanation: str | None = None) -> None:
            if iri not in found or (score, -REASONS.index(reason)) > (found[iri]["score"],
                                                                      -REASONS.index(found[iri]["reason"])):
                entry = self.entries[iri]
                found[iri] = {"iri": iri, "label": entry.label, "country": entry.country,
                              "score": round(float(score), 1), "reason": reason, "matched": matched,
                              "answer": answer, "explanation": explanation or reason}

        text = " ".join(str(name or "").split())
        iri = self._iri(text)
        if iri is not None:
            add(iri, 100.0, "IRI", iri)
        for identifier in identifiers:
            for value in _identifier_keys(identifier):
                for iri, matched in self.by_identifier.get(value, ()):
                    add(iri, 100.0, "identifier", matched)
        key = name_key(text) if text else ""
        for iri in self.by_exact.get(text.casefold(), ()):
            entry = self.entries[iri]
            reason = "exact name" if text.casefold() in entry.names else "alias"
            add(iri, 100.0, reason, next((n for n in sorted(entry.names | entry.aliases)
                                          if n.casefold() == text.casefold()), text))
        if key:
            # the project's key, and the matcher's (legal forms in any language out: "PJSC SBERBANK")
            for each in dict.fromkeys((key, prepare(text).key)):
                for iri in self.by_key.get(each, ()):
                    if not self._forbids(key, iri):
                        matched = self._name_with_key(iri, each)
                        add(iri, 99.0, "normalised name", matched,
                            explanation=compare_names(prepare(text), prepare(matched)).explain())
        if key and not found:
            for iri, result in self._fuzzy(text, key, country):
                if not self._forbids(key, iri):
                    add(iri, 100 * result.score, "fuzzy" if result.answer == "match" else "possible match",
                        result.candidate, result.answer, result.explain())
        # equal scores: the entity in the name's country first ("Sberbank" in Russia is SBERBANK OF
        # RUSSIA before Ukraine's JOINT STOCK COMPANY SBERBANK), then the one whose own label is
        # nearer the name ("Sberbank" is SBERBANK OF RUSSIA before BPS-SBERBANK, though an alias of
        # each reads "Sberbank")
        this = prepare(text)

        def elsewhere(m: dict) -> bool:
            return bool(country and m["country"] and m["country"].casefold() != country.casefold())

        return sorted(found.values(), key=lambda m: (-m["score"], REASONS.index(m["reason"]), elsewhere(m),
                                                     -compare_names(this, prepare(m["label"])).score,
                                                     m["iri"]))[:self.limit]

    def suggest(self, name: str, *, limit: int = 3) -> list[str]:
        """Names of the graph close to ``name`` (for "did you mean"), even below the merge score."""
        return self.suggest_many([name], limit=limit)[0]

    def suggest_many(self, names: list[str], *, limit: int = 3) -> list[list[str]]:
        """:meth:`suggest` for many names at once: one C++ pass per thousand names, not one per name."""
        from rapidfuzz import fuzz, process

        from graph.model.names import name_key

        keys = [name_key(n) for n in names]
        choices = list(self.label_of_key)
        out: list[list[str]] = [[] for _ in names]
        todo = [i for i, k in enumerate(keys) if k]
        try:
            import numpy as np
        except ImportError:  # pragma: no cover - numpy comes with the fast extra and pandas
            np = None
        if np is None or len(todo) < 50:
            for i in todo:
                hits = process.extract(keys[i], choices, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=60)
                out[i] = list(dict.fromkeys(self.label_of_key[c] for c, _s, _ in hits))[:limit]
            return out
        for start in range(0, len(todo), 1000):
            chunk = todo[start:start + 1000]
            scores = process.cdist([keys[i] for i in chunk], choices, scorer=fuzz.ratio, dtype=np.uint8,
                                   score_cutoff=60, workers=-1)
            hits: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for row, j in zip(*np.nonzero(scores)):  # below the cutoff a score is 0: few names are close
                hits[int(row)].append((-int(scores[row, j]), int(j)))
            for row, i in enumerate(chunk):
                ranked = [choices[j] for _score, j in sorted(hits.get(row, ()))]  # as process.extract ranks
                out[i] = list(dict.fromkeys(self.label_of_key[c] for c in ranked))[:limit]
        return out

    def find(self, text: str, *, what: str = "entity") -> str:
        """The one entity ``text`` names (an IRI, a name, an alias or an identifier).

        Raises
        ------
        ResolutionError
            Nothing matches (the message suggests close names), or several entities match
            equally well (the message lists their IRIs).
        """
        found = self.match(text, identifiers=[text])
        matches = [m for m in found if m["answer"] == "match"]  # a possible match is only a suggestion
        if not matches and len(self.person_aliases.get(text.strip().casefold(), ())) == 1:
            return self.person_aliases[text.strip().casefold()][0]
        if not matches:
            close = list(dict.fromkeys([m["label"] for m in found] + self.suggest(text)))[:3]
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ResolutionError(f"no {what} named {text!r} in the graph{hint}")
        best = [m for m in matches if (m["score"], m["reason"]) == (matches[0]["score"], matches[0]["reason"])]
        if len(best) > 1:
            raise ResolutionError(f"{text!r} names {len(best)} entities: "
                                  f"{', '.join(m['label'] + ' <' + m['iri'] + '>' for m in best)}; give the IRI")
        return best[0]["iri"]

    def _index(self, graph, G) -> None:
        from rdflib import RDFS, URIRef
        from rdflib.namespace import SKOS

        from graph.model.names import name_key
        from graph.model.ontology import KG
        from graph.resolve.blocks import IndexedName, NameBlocks
        from graph.resolve.matching import prepare
        from graph.store.sparql import run_query

        nodes = G.nodes
        self.entries: dict[str, _Entry] = {}
        self.by_exact: dict[str, list[str]] = defaultdict(list)
        self.by_key: dict[str, list[str]] = defaultdict(list)
        self.by_identifier: dict[str, list[tuple[str, str]]] = defaultdict(list)
        #: the names fuzzy matching compares, blocked as the resolver blocks them
        self.names = NameBlocks()
        self.keys_of: dict[str, set[str]] = defaultdict(set)
        self.label_of_key: dict[str, str] = {}
        #: people's aliases, which a lookup by name may use but a screen never matches on
        self.person_aliases: dict[str, list[str]] = defaultdict(list)
        result = run_query(graph, "SELECT ?s ?p ?o WHERE { VALUES ?p { <%s> <%s> <%s> } ?s ?p ?o }"
                           % (RDFS.label, SKOS.altLabel, KG.identifier))
        label, alt = str(RDFS.label), str(SKOS.altLabel)
        triples = sorted((str(s), str(p), str(o)) for s, p, o in result.rows if isinstance(s, URIRef))
        for s, p, o in triples:
            if s not in nodes:
                continue
            entry = self.entries.get(s)
            if entry is None:
                entry = self.entries[s] = _Entry(s, nodes[s].get("label") or s, country=nodes[s].get("country"))
            person = _kind(s) == "person"
            if p == label:
                entry.names.add(o.casefold())
            elif p == alt:
                if person:  # people share aliases too often: the resolver merges them on full names only
                    if s not in self.person_aliases[o.casefold()]:
                        self.person_aliases[o.casefold()].append(s)
                    continue
                entry.aliases.add(o.casefold())
            else:
                for value in _identifier_keys(o):
                    if (s, o) not in self.by_identifier[value]:
                        self.by_identifier[value].append((s, o))
                continue
            if s not in self.by_exact[o.casefold()]:
                self.by_exact[o.casefold()].append(s)
            key = name_key(o)
            if not key:
                continue
            self.label_of_key.setdefault(key, entry.label)
            for each in dict.fromkeys((key, prepare(o).key)):
                if each and s not in self.by_key[each]:
                    self.by_key[each].append(s)
            if key not in self.keys_of[s]:
                self.keys_of[s].add(key)
                if person:  # and never by fuzzy matching
                    continue
                self.names.add(IndexedName.of(key, [o]), s, o)

    def _fuzzy(self, text: str, key: str, country: str | None):
        """The build's matcher on the build's candidates: ``(iri, comparison)``, the best per entity."""
        from graph.resolve.blocks import IndexedName

        best: dict[str, object] = {}
        countries = {country} if country else ()
        for row, result in self.names.scored(IndexedName.of(key, [text]), text, countries=countries,
                                             countries_of=self._countries_of):
            iri = self.names.iris[row]
            if iri not in best or result.score > best[iri].score:
                best[iri] = result
        return sorted(best.items(), key=lambda item: (-item[1].score, item[0]))

    def _countries_of(self, iri: str) -> tuple[str, ...]:
        code = self.entries[iri].country
        return (code,) if code else ()

    def _forbids(self, key: str, iri: str) -> bool:
        return any(frozenset((key, other)) in self._forbidden for other in self.keys_of.get(iri, ()))

    def _name_with_key(self, iri: str, key: str) -> str:
        from graph.model.names import name_key
        from graph.resolve.matching import prepare

        entry = self.entries[iri]
        return next((n for n in sorted(entry.names | entry.aliases) if key in (name_key(n), prepare(n).key)),
                    entry.label)

    def _iri(self, text: str) -> str | None:
        from graph.model.ontology import KGR

        if text in self.entries:
            return text
        for prefix in ("kgr:", "<kgr:"):
            if text.startswith(prefix):
                candidate = str(KGR) + text[len(prefix):].rstrip(">")
                return candidate if candidate in self.entries else None
        if text.startswith("<") and text.endswith(">") and text[1:-1] in self.entries:
            return text[1:-1]
        return None



def expand_iris(text: str) -> str:
    """SPARQL text with the IRIs tables print (``kgr:org/yitu``) written as full IRIs.

    A ``/`` cannot stand in a SPARQL prefixed name, so ``kgr:org/yitu`` pasted from a table
    would not parse; it becomes ``<https://w3id.org/exposure-kg/id/org/yitu>``. Strings,
    comments and IRIs in angle brackets are left alone.

    >>> expand_iris('SELECT * WHERE { kgr:org/yitu ?p "kgr:org/x" . } # kgr:a/b')
    'SELECT * WHERE { <https://w3id.org/exposure-kg/id/org/yitu> ?p "kgr:org/x" . } # kgr:a/b'
    """
    from graph.model.ontology import KGR

    def replace(match: re.Match) -> str:
        if match.group("iri") is None:
            return match.group(0)
        local = match.group("iri")
        trail = ""
        while local.endswith((".", ";", ",")):  # the end of a triple, not of the name
            local, trail = local[:-1], local[-1] + trail
        return f"<{KGR}{local}>{trail}"

    return _TOKENS.sub(replace, text)


_TOKENS = re.compile(
    r'(?P<skip>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*|<[^<>"\s]*>)'
    r"|(?<![\w:])kgr:(?P<iri>[A-Za-z0-9_\-]+/[A-Za-z0-9_\-./%]*)")


def _kind(iri: str) -> str:
    return iri.rsplit("/id/", 1)[-1].split("/", 1)[0]


def _identifier_keys(identifier: str) -> list[str]:
    """``"USCC 9111..."`` -> the keys it is found by: the whole, and the value alone."""
    text = " ".join(str(identifier).split()).upper()
    if not text:
        return []
    keys = [text]
    tail = text.rsplit(" ", 1)[-1].rsplit("#", 1)[-1]
    if tail != text and sum(c.isdigit() for c in tail) >= 4:
        keys.append(tail)
    return keys
