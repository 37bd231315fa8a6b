"""Entities: one IRI per real-world entity, found by decisions, identifiers, names and fuzzy keys.

Entities merge on, in this order: a reviewed decision that confirms the pair, a shared
official identifier, the same name, the same name key (:func:`graph.model.names.name_key`), and
the matcher's sure match (:mod:`graph.resolve.matching`: its ``merge`` threshold, stricter
than a screen's ``match``, and no word that tells a firm apart on one side only) for the
candidates that share a block with the name (:mod:`graph.resolve.blocks`), never all pairs.
Countries that conflict cost a pair the matcher's country penalty; any other ``match`` and a
``possible match`` are reported as near misses for an analyst to confirm or forbid in
``resolution/decisions.yaml`` (:mod:`graph.resolve.decisions`).

:func:`match_name` asks the same matcher about one name, for screening against a build: its
merges are the build's, and a screen's other matches come after them.

Examples
--------
>>> from graph.model.ontology import load_ontology
>>> from graph.resolve import resolve
>>> from graph.model.statements import Batch, Label, SourceInfo, Statement
>>> batch = Batch(source=SourceInfo(id="a", title="A", file="a"),
...               statements=[Statement(key="hikvision", cls="Company",
...                                     labels=[Label("Hangzhou Hikvision Digital Technology Co., Ltd.")])])
>>> resolution = resolve([batch], load_ontology())
>>> [(m.matched, m.score, m.merges) for m in match_name(resolution, "Hikvision")]
[('Hangzhou Hikvision Digital Technology Co., Ltd.', 94.0, True)]
>>> [(m.matched, m.score, m.merges) for m in match_name(resolution, "Hikvisian")]
[('Hangzhou Hikvision Digital Technology Co., Ltd.', 83.6, False)]
>>> match_name(resolution, "Hikvisian")[0].reason
'match, not merged: a word spelled otherwise (hikvisian / hikvision) (name 0.84, extra words: hangzhou digital technology, legal form dropped)'

A screen (``kg screen``) says "match" to "Hikvisian"; a build leaves it for an analyst.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import URIRef

from graph.errors import ResolutionError
from graph.model.names import name_key
from graph.model.ontology import Ontology, mint_iri
from graph.io.spool import select
from graph.model.statements import Batch, Ref, Statement
from graph.resolve.blocks import IndexedName, NameBlocks
from graph.resolve.decisions import Decision
from graph.resolve.matching import THRESHOLDS, Comparison
from graph.resolve.result import Merge, NearMiss, Resolution

__all__ = ["Entities", "Match", "match_name", "MERGE_SCORE", "NEAR_MISS_SCORE"]

#: the matcher's score (0-100: :func:`graph.resolve.matching.compare` times 100) from which
#: entities merge on their own: its ``merge`` threshold (``matching.toml``), stricter than the
#: ``match`` a screen answers with (:meth:`graph.resolve.matching.Thresholds.merges`)
MERGE_SCORE = round(100 * (THRESHOLDS.merge or THRESHOLDS.match), 1)
#: the score from which a pair that did not merge is reported: its ``review`` threshold
NEAR_MISS_SCORE = round(100 * THRESHOLDS.review, 1)
#: families that merge on exact names, keys and identifiers only: their names are not blocked
_EXACT_ONLY = frozenset({"country", "list", "person"})
_NO_COUNTRIES: frozenset = frozenset()


@dataclass(frozen=True)
class Match:
    """A name matched with a resolved entity: which, how alike (0-100) and why.

    ``merges`` is True when a build would merge the name into the entity; otherwise the
    match is a near miss and ``reason`` says why it does not merge.
    """

    iri: URIRef
    name: str
    matched: str
    score: float
    reason: str
    merges: bool


def match_name(resolution: Resolution, name: str, *, kind: str = "org", countries: Iterable[URIRef] = (),
               identifiers: Iterable[str] = ()) -> list[Match]:
    """Match one name against the entities of a resolution, as the build would merge it.

    Parameters
    ----------
    resolution : Resolution
        What :func:`graph.resolve.resolve` returned (``graph.build_dataset(...).resolution``).
    name : str
        The name to screen.
    kind : str
        The entity family (``kg:iriKind``): ``"org"`` (default), ``"person"`` (exact names
        only), ``"country"`` ...; :func:`graph.resolve.family_of` gives a class's family.
    countries : iterable of URIRef
        The name's countries (``kgr:country/cn``): a fuzzy match in another country does not merge.
    identifiers : iterable of str
        Official identifiers (an LEI, a USCC ...): a shared one merges.

    Returns
    -------
    list of Match
        The entity the name merges into (``merges`` True) first, if any, then the near misses,
        best first; empty when nothing is alike.

    Raises
    ------
    ResolutionError
        ``resolution`` was not made by :func:`graph.resolve.resolve` (it has no index).
    """
    index = resolution.index
    if not isinstance(index, Entities):
        raise ResolutionError("this resolution has no entity index; make it with graph.resolve.resolve")
    return index.screen(name, kind=kind, countries=set(countries), identifiers=list(identifiers))


class Entities:
    """The entity half of resolution: the index of every resolved name, and the matcher.

    :meth:`entity` gives a statement its IRI (an earlier entity's, or a new one) and indexes
    its names; :meth:`match` tells which entity a name would merge into, and why; the
    build and :func:`match_name` both ask it, so that a screen matches as the build merges.
    """

    def __init__(self, model: Ontology, result: Resolution, decisions: list[Decision] = (), *,
                 near_miss_score: float = NEAR_MISS_SCORE) -> None:
        self.model = model
        self.result = result
        self.minted: set[URIRef] = set()
        #: IRI -> the name keys indexed for it (tuples: most entities have one or two)
        self.keys_of: dict[URIRef, tuple[str, ...]] = {}
        #: IRI -> its countries, for the entities that have some (one frozenset per set of countries)
        self.countries: dict[URIRef, frozenset[URIRef]] = {}
        self._country_sets: dict[frozenset[URIRef], frozenset[URIRef]] = {}
        self.by_identifier: dict[tuple[str, str], URIRef] = {}
        #: family -> casefolded name -> IRI
        self.by_exact: dict[str, dict[str, URIRef]] = defaultdict(dict)
        #: family -> the names the fuzzy stage compares, with their blocks
        self.indexes: dict[str, NameBlocks] = defaultdict(NameBlocks)
        self.forbidden: dict[frozenset[str], str] = {
            d.keys(): f"forbidden by {d.file}, line {d.line}" for d in decisions if d.decision == "forbid"}
        self.confirmed: dict[str, list[tuple[str, Decision]]] = defaultdict(list)
        for d in decisions:
            if d.decision == "confirm":
                a, b = (name_key(n) for n in d.names)
                self.confirmed[a].append((b, d))
                self.confirmed[b].append((a, d))
        #: pairs of exact names (casefolded, in order) a source says are two entities (one owns
        #: the other) -> where it says so (the ownership's origin)
        self.distinct: dict[tuple[str, str], object] = {}
        #: IRI -> its casefolded names, kept only when some pair is distinct (the one use)
        self.names_of: dict[URIRef, tuple[str, ...]] = {}
        #: IRI -> the sources that gave it a node, for files whose keys are identities
        self.sources_of: dict[URIRef, tuple[str, ...]] = {}
        self._batch: Batch | None = None
        self._current: set[str] = set()
        #: the current statement's names as the fuzzy stage compares them, by key (made once)
        self._made: dict[str, IndexedName] = {}
        self._kinds: dict[str, str] = {}
        #: one tuple per set of sources, shared by the entities that have it
        self._sources: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.near_miss_score = near_miss_score

    def distinguish_owners(self, batches: list[Batch], is_fact: Callable[[str], bool]) -> None:
        """A source that says A owns B says A and B are two entities: never merge their names.

        Two passes over each batch: its ownerships (facts), then the names of the entities they
        name; a spooled batch (:mod:`graph.io.spool`) decodes only those.
        """
        for batch in batches:
            ties: list[tuple[list[str], list[str], object]] = []  # (owners, owned, origin)
            named: set[str] = set()
            for statement in select(batch.statements, lambda key, cls: is_fact(cls)):
                owners = [r.key for r in statement.values.get("owner", []) if isinstance(r, Ref) and r.key is not None]
                owned = [r.key for r in statement.values.get("ownedEntity", []) if isinstance(r, Ref) and r.key is not None]
                if owners and owned:
                    ties.append((owners, owned, statement.origin))
                    named.update(owners + owned)
            if not ties:
                continue
            names = {s.key: s.names() for s in select(batch.statements, lambda key, cls: key in named)}
            for owners, owned, origin in ties:
                for a in filter(None, map(names.get, owners)):
                    for b in filter(None, map(names.get, owned)):
                        for x in a:
                            for y in b:
                                one, other = x.casefold(), y.casefold()
                                if one != other:
                                    pair = (one, other) if one < other else (other, one)
                                    self.distinct.setdefault(pair, origin)

    def entity(self, batch: Batch, statement: Statement) -> None:
        """Give an entity statement its IRI, merging it into an earlier entity when they match."""
        kind = self._kinds.get(statement.cls)
        if kind is None:
            kind = self._kinds[statement.cls] = self.model.iri_kind(self.model.cls(statement.cls))
        source = batch.source.id
        if (source, statement.key) in self.result.by_key:
            return
        names = statement.names()
        codes = [str(v) for v in statement.values.get("isoCode", [])]
        # People share aliases ("ABU ABDALLAH") too often: they merge on their full names only
        matchable = [label.text for label in statement.labels] if kind == "person" else names
        keys = [] if not statement.resolvable else list(dict.fromkeys(k for n in matchable + codes if (k := name_key(n))))
        identifiers = [str(v) for v in statement.values.get("identifier", [])]
        countries = self._countries(source, statement)
        origin = str(statement.origin or batch.file)
        self._current = {n.casefold() for n in names} if self.distinct else set()
        self._batch = batch
        self._made.clear()
        iri, merge, near = (None, None, []) if not statement.resolvable else self.match(
            kind, matchable, keys, identifiers, countries, origin)
        self.result.near_misses.extend(near)
        if iri is None:
            # curated keys are slugs already (kgr:org/sensetime); list rows are named by name
            if codes:
                slug = codes[0]
            elif "/" not in statement.key:
                slug = statement.key
            elif statement.resolvable and names:
                slug = names[0]
            else:
                slug = f"{source}/{statement.key}"
            iri = self._mint(kind, slug)
            self.result.names[iri] = names[0] if names else statement.key
        elif merge is not None:
            self.result.log.append(merge)
            self.result.merges[iri].append(f"{origin}: {merge.reason}")
        self.result.by_key[(source, statement.key)] = iri
        self.minted.add(iri)
        sources = self.sources_of.get(iri, ())
        if source not in sources:
            sources += (source,)
            self.sources_of[iri] = self._sources.setdefault(sources, sources)
        if countries:
            theirs = self.countries.get(iri, _NO_COUNTRIES) | countries
            self.countries[iri] = self._country_sets.setdefault(theirs, theirs)
        if not statement.resolvable:
            return
        exact = self.by_exact[kind]
        folded = [name.casefold() for name in matchable]
        for each in folded:
            exact.setdefault(each, iri)
        if self.distinct:
            known = self.names_of.get(iri, ())
            self.names_of[iri] = known + tuple(n for n in dict.fromkeys(folded) if n not in known)
        known = self.keys_of.get(iri, ())
        new = [key for key in keys if key not in known]
        for key in keys:
            self.result.by_name.setdefault((kind, key), iri)
        if new:
            self.keys_of[iri] = known + tuple(new)
            if kind not in _EXACT_ONLY:  # the fuzzy stage never asks for these families' names
                index = self.indexes[kind]
                for key in new:
                    index.add(self._made.get(key) or IndexedName.of(key, names), iri, _written(names, key, key))
        for identifier in identifiers:
            self.by_identifier.setdefault((kind, identifier), iri)

    def match(self, kind: str, names: list[str], keys: list[str], identifiers: list[str], countries: set[URIRef],
              origin: str) -> tuple[URIRef | None, Merge | None, list[NearMiss]]:
        """The entity ``names`` merge into (or None), why, and the near misses that did not.

        In this order: a reviewed decision that confirms the pair, a shared identifier, the
        same name, the same name key, then a fuzzy match of keys (never for countries, lists
        and people). Nothing is recorded: the caller decides what to keep.
        """
        name = names[0] if names else ""
        for key in keys:
            for other, decision in self.confirmed.get(key, []):
                found = self.result.by_name.get((kind, other))
                if found is not None:
                    return found, Merge(found, name, self.result.names.get(found, other),
                                        f"confirmed by {decision.file}, line {decision.line} ({decision.by}: "
                                        f"{decision.why})", origin), []
        for identifier in identifiers:
            found = self.by_identifier.get((kind, identifier))
            if found is not None and not self._forbidden(keys, found):
                return found, Merge(found, name, self.result.names.get(found, ""), f"shared identifier {identifier!r}",
                                    origin), []
        exact = self.by_exact.get(kind, {})
        for each in names:
            found = exact.get(each.casefold())
            if found is not None and not self._forbidden(keys, found):
                return found, Merge(found, each, self.result.names.get(found, ""), "same name", origin), []
        for key in keys:
            found = self.result.by_name.get((kind, key))
            if found is not None and not self._forbidden(keys, found):
                matched = next((n for n in names if name_key(n) == key), name)
                return found, Merge(found, matched, self.result.names.get(found, ""),
                                    f"same normalised name (key {key!r})", origin), []
        if not keys or kind in _EXACT_ONLY:
            return None, None, []
        return self._fuzzy(kind, name, keys, names, countries, origin)

    def _fuzzy(self, kind, name, keys, names, countries, origin) -> tuple[URIRef | None, Merge | None, list[NearMiss]]:
        # a merge asks more than a screen's "match" (Thresholds.merges); a match short of it is a near miss
        best: tuple[float, str, URIRef, Comparison] | None = None
        near: dict[URIRef, tuple[float, str, Comparison]] = {}
        index = self.indexes.get(kind)
        floor = min(self.near_miss_score / 100, THRESHOLDS.review)
        for key in keys:
            this = self._made[key] = IndexedName.of(key, names)
            if index is None:
                continue
            text = _written(names, key, name)
            for row, result in index.scored(this, text, countries=countries, countries_of=self.countries.get,
                                            floor=floor):
                iri, other_key = index.iris[row], index.keys[row]
                score = round(100 * result.score, 1)
                if THRESHOLDS.merges(result):
                    if best is None or (score, other_key) > best[:2]:
                        best = (score, other_key, iri, result)
                elif score >= self.near_miss_score and score > near.get(iri, (0.0,))[0]:
                    near[iri] = (score, index.texts[row], result)
        if best is not None:
            score, other_key, iri, result = best
            if not self._forbidden(keys, iri):
                return iri, Merge(iri, name, self.result.names.get(iri, other_key),
                                  f"matched {result.candidate!r} ({result.explain()})", origin, score), []
            near[iri] = (score, result.candidate, result)
        misses = []
        for iri, (score, other, result) in sorted(near.items(), key=lambda item: (-item[1][0], str(item[0]))):
            why = self._forbidden(keys, iri) or _why_not(result)
            misses.append(NearMiss(name, self.result.names.get(iri, other), iri, score, origin, why))
        return None, None, misses

    def _forbidden(self, keys: list[str], iri: URIRef) -> str | None:
        """Why ``keys`` may not merge into ``iri`` (a reviewed decision, an ownership), or None."""
        batch = self._batch
        if batch is not None and batch.distinct_keys and batch.source.id in self.sources_of.get(iri, ()):
            return f"{batch.file} gives them different ids"
        if self.distinct:
            for a in self._current:
                for b in self.names_of.get(iri, ()):
                    if a != b and (pair := (a, b) if a < b else (b, a)) in self.distinct:
                        return f"{self.distinct[pair]} names one the owner of the other"
        if not self.forbidden:
            return None
        for a in keys:
            for b in self.keys_of.get(iri, ()):
                why = self.forbidden.get(frozenset((a, b)))
                if why:
                    return why
        return None

    def _countries(self, source: str, statement: Statement) -> set[URIRef]:
        out = set()
        for ref in statement.values.get("country", []):
            if isinstance(ref, Ref):
                found = (self.result.by_key.get((source, ref.key)) if ref.key is not None
                         else self.result.lookup(ref.name or "", "country"))
                if found is not None:
                    out.add(found)
        return out

    def _mint(self, kind: str, slug: str) -> URIRef:
        iri = mint_iri(kind, slug)
        suffix = 2
        while iri in self.minted:
            iri = mint_iri(kind, f"{slug}-{suffix}")
            suffix += 1
        return iri

    def screen(self, name: str, *, kind: str, countries: set[URIRef], identifiers: list[str]) -> list[Match]:
        """:func:`match_name` for one name: the merge first, then the near misses (nothing recorded)."""
        keys = [key] if (key := name_key(name)) else []
        self._batch, self._current = None, {name.casefold()}
        iri, merge, near = self.match(kind, [name], keys, identifiers, countries, "screen")
        found = []
        if iri is not None and merge is not None:
            score = 100.0 if merge.score is None else float(merge.score)
            found.append(Match(iri, name, self.result.names.get(iri, merge.matched), score, merge.reason, True))
        found += [Match(m.iri, name, m.candidate, float(m.score), m.why_not, False) for m in near if m.iri != iri]
        return found


def _why_not(result: Comparison) -> str:
    """Why a comparison above the review threshold does not merge, in an analyst's words."""
    if result.answer != "match":
        return f"possible match ({result.explain()})"
    if result.one_sided:
        return f"match, not merged: a word only one name has ({' '.join(result.one_sided)}) ({result.explain()})"
    if result.respelled:
        return f"match, not merged: a word spelled otherwise ({', '.join(result.respelled)}) ({result.explain()})"
    return f"match, not merged: below the build's merge score {100 * THRESHOLDS.merge:g} ({result.explain()})"


def _written(names: list[str], key: str, default: str) -> str:
    """The first of ``names`` whose key is ``key``: the name as written, for the matcher."""
    return next((n for n in names if name_key(n) == key), default)
