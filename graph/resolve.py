"""Resolution: one canonical IRI for every real-world entity, whatever the source calls it.

Names are compared by a normalised key (transliterated to ASCII, case, punctuation, spaces,
parenthesised abbreviations and legal or generic suffixes dropped), so that "Sense Time",
"SenseTime" and "Sensetime Group Limited" meet. Entities merge on, in this order: a reviewed
decision that confirms the pair, a shared official identifier, the same key for any of their
names or aliases, and a fuzzy match of keys (rapidfuzz) within blocks of names sharing a
distinctive token or prefix, never all pairs. A fuzzy match needs a high score and no
conflicting countries; lower scores are reported as near misses for an analyst to confirm or
forbid in ``resolution/decisions.yaml``, which later builds obey.

Measures from different sources merge when they are of the same class, on the same list,
announced or in force in the same month, imposed by the same body (or one part of the other)
and their legal bases do not differ: the article's "Entity List addition of October 2019"
and the Federal Register rule of 2019-10-09 are one measure.

Curated sources are resolved first and give the canonical IRIs; later sources merge into them.

Name keys and the word tables live in :mod:`graph.names`.

Examples
--------
>>> name_key("Sense Time") == name_key("SenseTime") == name_key("SENSETIME LIMITED")
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rdflib import URIRef

from .errors import InputError
from .files import LineDict, load_yaml
from .names import COMMON_TOKENS as _COMMON_TOKENS
from .names import core_words as _core
from .names import name_key
from .names import spaced_name as _spaced
from .ontology import KG, Ontology, mint_iri
from .statements import Batch, Ref, Statement

__all__ = ["Resolution", "resolve", "is_extracted", "Merge", "NearMiss", "Decision",
           "load_decisions", "find_decisions", "MERGE_SCORE", "NEAR_MISS_SCORE"]

_FACT_CLASSES = (KG.Measure, KG.Relationship, KG.Event)
#: fuzzy score (0-100, rapidfuzz ``ratio`` of name keys) from which entities merge on their own
MERGE_SCORE = 94.0
#: fuzzy score (``token_set_ratio`` of names) from which a pair that did not merge is reported
NEAR_MISS_SCORE = 90.0
#: at most this many earlier names are compared with a new one, taken from its rarest blocks
_BUDGET = 150
_CONSONANTS = re.compile(r"[aeiouy0-9]")


@dataclass(frozen=True)
class Merge:
    """Why a statement's node was merged into an existing entity."""

    iri: URIRef
    name: str
    matched: str
    reason: str
    origin: str
    score: float | None = None


@dataclass(frozen=True)
class NearMiss:
    """A pair of names alike enough to review that did not merge."""

    name: str
    candidate: str
    iri: URIRef
    score: float
    origin: str
    why_not: str


@dataclass(frozen=True)
class Decision:
    """An analyst's reviewed decision about a pair of names: ``confirm`` or ``forbid``."""

    names: tuple[str, str]
    decision: str
    by: str
    why: str
    line: int
    file: str

    def keys(self) -> frozenset[str]:
        return frozenset(name_key(n) for n in self.names)


@dataclass
class Resolution:
    """Where every statement and reference of a build points to, and why."""

    #: (source id, statement key) -> IRI
    by_key: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    #: (family, name key) -> IRI
    by_name: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    #: IRI -> why it merged statements (for reports)
    merges: dict[URIRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: every merge, in resolution order
    log: list[Merge] = field(default_factory=list)
    #: pairs that did not merge but scored above :data:`NEAR_MISS_SCORE`
    near_misses: list[NearMiss] = field(default_factory=list)
    #: IRI -> its preferred name (the first one seen)
    names: dict[URIRef, str] = field(default_factory=dict)

    def iri(self, source: str, statement: Statement) -> URIRef:
        return self.by_key[(source, statement.key)]

    def lookup(self, name: str, family: str) -> URIRef | None:
        return self.by_name.get((family, name_key(name)))

    def ref(self, source: str, ref: Ref, family: str | None, origin) -> URIRef:
        if ref.key is not None:
            try:
                return self.by_key[(source, ref.key)]
            except KeyError:
                raise _error(origin, f"reference to undefined key {ref.key!r}") from None
        found = self.lookup(ref.name or "", family or "") if family else None
        if found is None:
            raise _error(origin, f"unknown {ref.cls or 'entity'} {ref.name!r}",
                         hint="declare it in a curated fact file or fix the spelling")
        return found

    def report(self) -> str:
        """Every merge with its reason, then every near miss, as plain text lines."""
        lines = [f"merges ({len(self.log)}):"]
        for merge in self.log:
            score = f" score {merge.score:.0f}" if merge.score is not None else ""
            lines.append(f"  {merge.name!r} -> {self.names.get(merge.iri, '')!r} <{merge.iri}>: "
                         f"{merge.reason}{score} [{merge.origin}]")
        lines.append(f"near misses ({len(self.near_misses)}, not merged):")
        for miss in self.near_misses:
            lines.append(f"  {miss.name!r} ~ {miss.candidate!r} <{miss.iri}>: score {miss.score:.0f}; "
                         f"{miss.why_not} [{miss.origin}]")
        return "\n".join(lines) + "\n"


def resolve(batches: list[Batch], model: Ontology, decisions: list[Decision] | None = None, *,
            near_miss_score: float = NEAR_MISS_SCORE) -> Resolution:
    """Assign an IRI to every statement of ``batches``, merging entities and measures.

    Batches are taken in reader priority order (curated first), then by source and file, so
    the result does not depend on the order files were found in. Entities are resolved
    before facts, so that measures can be compared by the entities they point to.

    Parameters
    ----------
    batches : list of Batch
        What the readers read.
    model : Ontology
        The ontology (classes, IRI kinds).
    decisions : list of Decision, optional
        Reviewed decisions (see :func:`load_decisions`): ``confirm`` pairs merge, ``forbid``
        pairs never do.
    near_miss_score : float
        Pairs that did not merge are reported from this score (0-100) up.

    Examples
    --------
    >>> from graph.ontology import load_ontology
    >>> from graph.statements import SourceInfo, Statement, Label
    >>> a = Batch(source=SourceInfo(id="a", title="A", file="a"), priority=0,
    ...           statements=[Statement(key="st", cls="Company", labels=[Label("SenseTime")])])
    >>> b = Batch(source=SourceInfo(id="b", title="B", file="b"),
    ...           statements=[Statement(key="r1", cls="Company", labels=[Label("Sensetime Group Limited")])])
    >>> r = resolve([a, b], load_ontology())
    >>> r.by_key[("b", "r1")] == r.by_key[("a", "st")]
    True
    """
    state = _State(model, decisions or [])
    state.near_miss_score = near_miss_score
    ordered = _ordered(batches)
    state.distinguish_owners(ordered)
    for batch in ordered:
        for statement in batch.statements:
            if not state.is_fact(statement):
                state.entity(batch, statement)
    state.link_parents(ordered)
    for batch in ordered:
        for statement in batch.statements:
            if state.is_fact(statement):
                state.fact(batch, statement)
    _merge_extracted_facts(batches, state.result, model)
    _merge_same_ties(batches, state.result, model)
    return state.result


def family_of(model: Ontology, cls_key: str) -> str:
    """Entities of one family may merge: organisations with organisations, and so on."""
    return model.iri_kind(model.cls(cls_key))


def find_decisions(paths) -> list[Decision]:
    """The decisions in ``resolution/decisions.yaml`` under each data folder of ``paths``."""
    out: list[Decision] = []
    for path in paths:
        candidate = Path(path) / "resolution" / "decisions.yaml"
        if Path(path).is_dir() and candidate.is_file():
            out.extend(load_decisions(candidate))
    return out


def load_decisions(path: Path) -> list[Decision]:
    """Read a reviewed decisions file; every entry needs two names, a decision, who and why.

    The file is YAML::

        decisions:
          - names: ["DAHUA ELECTRONICS CORPORATION", "Zhejiang Dahua Technology Co., Ltd."]
            decision: forbid
            by: A. Analyst, 2026-11-28
            why: a New York distributor on the Denied Persons List, not the Hangzhou maker
    """
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("decisions"), list):
        raise InputError(path, "a decisions file is a mapping with a 'decisions' list", line=1,
                         hint="start the file with 'decisions:'")
    out = []
    for item in doc["decisions"]:
        line = item.line if isinstance(item, LineDict) else None
        if not isinstance(item, dict):
            raise InputError(path, f"each decision is a mapping, not {item!r}", line=line)
        names = item.get("names")
        if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) and n.strip() for n in names):
            raise InputError(path, f"'names' must list two names, not {names!r}", line=line)
        if item.get("decision") not in ("confirm", "forbid"):
            raise InputError(path, f"'decision' must be 'confirm' or 'forbid', not {item.get('decision')!r}",
                             line=line)
        for needed in ("by", "why"):
            if not str(item.get(needed) or "").strip():
                raise InputError(path, f"decision on {names!r} lacks {needed!r}", line=line,
                                 hint="say who reviewed the pair and why: later readers must trust it")
        out.append(Decision(names=(names[0], names[1]), decision=item["decision"], by=str(item["by"]),
                            why=str(item["why"]), line=line or 0, file=str(path)))
    return out


# ------------------------------------------------------------------------------ helpers


class _State:
    """The resolver's working tables while it walks the statements."""

    def __init__(self, model: Ontology, decisions: list[Decision]) -> None:
        self.model = model
        self.result = Resolution()
        self.minted: set[URIRef] = set()
        self.keys_of: dict[URIRef, set[str]] = defaultdict(set)
        self.countries: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.by_identifier: dict[tuple[str, str], URIRef] = {}
        self.by_exact: dict[tuple[str, str], URIRef] = {}
        self.blocks: dict[tuple[str, str], list[tuple[_Name, URIRef]]] = defaultdict(list)
        #: names whose only distinctive word is a brand, by that word
        self.brands: dict[tuple[str, str], list[tuple[_Name, URIRef]]] = defaultdict(list)
        self.forbidden: dict[frozenset[str], str] = {
            d.keys(): f"forbidden by {d.file}, line {d.line}" for d in decisions if d.decision == "forbid"}
        self.confirmed: dict[str, list[tuple[str, Decision]]] = defaultdict(list)
        for d in decisions:
            if d.decision == "confirm":
                a, b = (name_key(n) for n in d.names)
                self.confirmed[a].append((b, d))
                self.confirmed[b].append((a, d))
        #: pairs of exact names a source says are two entities (one owns the other)
        self.distinct: dict[frozenset[str], str] = {}
        self.names_of: dict[URIRef, set[str]] = defaultdict(set)
        #: IRI -> the sources that gave it a node, for files whose keys are identities
        self.sources_of: dict[URIRef, set[str]] = defaultdict(set)
        self._batch: Batch | None = None
        self.parents: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.measures: list[tuple[tuple, URIRef, str]] = []
        self._fact_cache: dict[str, bool] = {}
        self.near_miss_score = NEAR_MISS_SCORE

    def is_fact(self, statement: Statement) -> bool:
        if statement.cls not in self._fact_cache:
            cls = self.model.cls(statement.cls)
            self._fact_cache[statement.cls] = any(self.model.is_a(cls, p) for p in _FACT_CLASSES)
        return self._fact_cache[statement.cls]

    def distinguish_owners(self, batches: list[Batch]) -> None:
        """A source that says A owns B says A and B are two entities: never merge their names."""
        for batch in batches:
            statements = {s.key: s for s in batch.statements}
            for statement in batch.statements:
                owners = [statements.get(r.key) for r in statement.values.get("owner", []) if isinstance(r, Ref)]
                owned = [statements.get(r.key) for r in statement.values.get("ownedEntity", []) if isinstance(r, Ref)]
                for a in filter(None, owners):
                    for b in filter(None, owned):
                        for x in a.names():
                            for y in b.names():
                                pair = frozenset((x.casefold(), y.casefold()))
                                if len(pair) == 2:
                                    self.distinct.setdefault(pair, f"{statement.origin} names one the owner of the other")

    # -- entities --------------------------------------------------------------------------
    def entity(self, batch: Batch, statement: Statement) -> None:
        kind = self.model.iri_kind(self.model.cls(statement.cls))
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
        self._current = {n.casefold() for n in names}
        self._batch = batch
        iri, merge = (None, None) if not statement.resolvable else self._match(
            kind, matchable, keys, identifiers, countries, origin)
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
        self.sources_of[iri].add(source)
        self.countries[iri] |= countries
        if not statement.resolvable:
            return
        for name in matchable:
            self.by_exact.setdefault((kind, name.casefold()), iri)
            self.names_of[iri].add(name.casefold())
        for key in keys:
            self.result.by_name.setdefault((kind, key), iri)
            if key not in self.keys_of[iri]:
                self.keys_of[iri].add(key)
                entry = _Name.of(key, names)
                for block in entry.blocks:
                    self.blocks[(kind, block)].append((entry, iri))
                if len(entry.core) == 1 and len(entry.core_text) >= 4:
                    self.brands[(kind, next(iter(entry.core)))].append((entry, iri))
        for identifier in identifiers:
            self.by_identifier.setdefault((kind, identifier), iri)

    def _match(self, kind, names, keys, identifiers, countries, origin) -> tuple[URIRef | None, Merge | None]:
        name = names[0] if names else ""
        for key in keys:
            for other, decision in self.confirmed.get(key, []):
                found = self.result.by_name.get((kind, other))
                if found is not None:
                    return found, Merge(found, name, self.result.names.get(found, other),
                                        f"confirmed by {decision.file}, line {decision.line} ({decision.by}: "
                                        f"{decision.why})", origin)
        for identifier in identifiers:
            found = self.by_identifier.get((kind, identifier))
            if found is not None and not self._forbidden(keys, found):
                return found, Merge(found, name, self.result.names.get(found, ""), f"shared identifier {identifier!r}",
                                    origin)
        for each in names:
            found = self.by_exact.get((kind, each.casefold()))
            if found is not None and not self._forbidden(keys, found):
                return found, Merge(found, each, self.result.names.get(found, ""), "same name", origin)
        for key in keys:
            found = self.result.by_name.get((kind, key))
            if found is not None and not self._forbidden(keys, found):
                matched = next((n for n in names if name_key(n) == key), name)
                return found, Merge(found, matched, self.result.names.get(found, ""),
                                    f"same normalised name (key {key!r})", origin)
        if not keys or kind in ("country", "list", "person"):
            return None, None
        return self._fuzzy(kind, name, keys, names, countries, origin)

    def _fuzzy(self, kind, name, keys, names, countries, origin) -> tuple[URIRef | None, Merge | None]:
        best: tuple[float, str, URIRef, str] | None = None
        near: dict[URIRef, tuple[float, str]] = {}
        for key in keys:
            this = _Name.of(key, names)
            candidates = self._candidates(kind, this)
            if len(this.core) == 1 and len(this.core_text) >= 4:  # a lone brand meets the names whose only distinctive word it is
                for other, iri in self.brands.get((kind, next(iter(this.core))), ()):
                    if other.digits == this.digits and (best is None or (100.0, other.key) > best[:2]):
                        best = (100.0, other.key, iri, "same brand as")
            if not candidates:
                continue
            # one C++ pass over the candidates each; Python looks only at the few that pass
            cutoff = min(MERGE_SCORE, self.near_miss_score)
            for _, score, index in process.extract(this.key, [c[0].key for c in candidates], scorer=fuzz.ratio,
                                                   score_cutoff=cutoff, limit=None):
                other, iri = candidates[index]
                if score >= MERGE_SCORE:
                    score, how = _score(this, other)
                    if score >= MERGE_SCORE and (best is None or (score, other.key) > best[:2]):
                        best = (score, other.key, iri, how)
                if score >= self.near_miss_score and score > near.get(iri, (0.0, ""))[0]:
                    near[iri] = (score, other.spaced)
            if this.core_text:
                for _, score, index in process.extract(this.core_text, [c[0].core_text for c in candidates],
                                                       scorer=fuzz.token_set_ratio,
                                                       score_cutoff=self.near_miss_score, limit=None):
                    other, iri = candidates[index]
                    if any(len(t) >= 4 and t not in _COMMON_TOKENS for t in this.core & other.core) \
                            and score > near.get(iri, (0.0, ""))[0]:
                        near[iri] = (score, other.spaced)
        if best is not None:
            score, other_key, iri, how = best
            conflict = countries and self.countries[iri] and not (countries & self.countries[iri])
            if not conflict and not self._forbidden(keys, iri):
                return iri, Merge(iri, name, self.result.names.get(iri, other_key), f"{how} {other_key!r}",
                                  origin, score)
        for iri, (score, other) in sorted(near.items(), key=lambda item: (-item[1][0], str(item[0]))):
            why = (self._forbidden(keys, iri)
                   or ("countries differ" if countries and self.countries[iri] and not countries & self.countries[iri]
                       else "below the merge score"))
            self.result.near_misses.append(NearMiss(name, self.result.names.get(iri, other), iri, score, origin, why))
        return None, None

    def _candidates(self, kind: str, this: _Name) -> list[tuple[_Name, URIRef]]:
        """Earlier names sharing a block with ``this``, rarest blocks first, within the budget."""
        out: list[tuple[_Name, URIRef]] = []
        seen: set[int] = set()
        budget = _BUDGET
        for size, block in sorted((len(self.blocks.get((kind, b), ())), b) for b in this.blocks):
            if size == 0:
                continue
            if size > budget:
                break
            budget -= size
            for other, iri in self.blocks[(kind, block)]:
                if id(other) not in seen:
                    seen.add(id(other))
                    out.append((other, iri))
        return out

    def _forbidden(self, keys: list[str], iri: URIRef) -> str | None:
        """Why ``keys`` may not merge into ``iri`` (a reviewed decision, an ownership), or None."""
        batch = self._batch
        if batch is not None and batch.distinct_keys and batch.source.id in self.sources_of[iri]:
            return f"{batch.file} gives them different ids"
        if self.distinct:
            for a in self._current:
                for b in self.names_of[iri]:
                    why = self.distinct.get(frozenset((a, b)))
                    if why:
                        return why
        if not self.forbidden:
            return None
        for a in keys:
            for b in self.keys_of[iri]:
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

    def link_parents(self, batches: list[Batch]) -> None:
        for batch in batches:
            for statement in batch.statements:
                for ref in statement.values.get("subOrganizationOf", []):
                    if isinstance(ref, Ref) and ref.key is not None:
                        child = self.result.by_key.get((batch.source.id, statement.key))
                        parent = self.result.by_key.get((batch.source.id, ref.key))
                        if child is not None and parent is not None:
                            self.parents[child].add(parent)

    def _lineage(self, iri: URIRef) -> set[URIRef]:
        seen, todo = set(), [iri]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return seen

    # -- facts -----------------------------------------------------------------------------
    def fact(self, batch: Batch, statement: Statement) -> None:
        source = batch.source.id
        if (source, statement.key) in self.result.by_key:
            return
        kind = self.model.iri_kind(self.model.cls(statement.cls))
        iri = None
        signature = self._signature(source, statement) if kind == "measure" else None
        if signature is not None:
            for earlier, earlier_iri, earlier_source in self.measures:
                if earlier_source != source and _same_measure(signature, earlier):
                    iri = earlier_iri
                    reason = (f"same {statement.cls}, list, month {signature[2]} and imposing body; "
                              f"legal basis {signature[4] or earlier[4] or 'unstated'}")
                    self.result.log.append(Merge(iri, statement.labels[0].text if statement.labels else statement.key,
                                                 self.result.names.get(iri, ""), reason,
                                                 str(statement.origin or batch.file)))
                    self.result.merges[iri].append(f"{statement.origin}: {reason}")
                    break
        if iri is None:
            iri = mint_iri(kind, statement.key)
            self.result.names.setdefault(iri, statement.labels[0].text if statement.labels else statement.key)
            if signature is not None:
                self.measures.append((signature, iri, source))
        self.result.by_key[(source, statement.key)] = iri

    def _signature(self, source: str, statement: Statement) -> tuple | None:
        values = statement.values
        dates = [v for name in ("announcedOn", "startDate") for v in values.get(name, [])]
        lists = {self._ref(source, r) for r in values.get("onList", []) if isinstance(r, Ref)} - {None}
        imposers = {self._ref(source, r) for r in values.get("imposedBy", []) if isinstance(r, Ref)} - {None}
        if not dates or not lists or not imposers:
            return None
        month = str(dates[0])[:7]
        lineage = set().union(*(self._lineage(i) for i in imposers))
        basis = str(values["legalBasis"][0]) if values.get("legalBasis") else None
        return (statement.cls, frozenset(lists), month, frozenset(lineage), basis)

    def _ref(self, source: str, ref: Ref) -> URIRef | None:
        if ref.key is not None:
            return self.result.by_key.get((source, ref.key))
        family = family_of(self.model, ref.cls) if ref.cls else None
        return self.result.lookup(ref.name or "", family) if family else None


def _same_measure(a: tuple, b: tuple) -> bool:
    cls_a, lists_a, month_a, lineage_a, basis_a = a
    cls_b, lists_b, month_b, lineage_b, basis_b = b
    return (cls_a == cls_b and bool(lists_a & lists_b) and month_a == month_b and bool(lineage_a & lineage_b)
            and (basis_a is None or basis_b is None or basis_a == basis_b))


@dataclass(frozen=True, eq=False)
class _Name:
    """A name as the fuzzy stage compares it, computed once."""

    key: str
    spaced: str
    core: frozenset[str]
    core_text: str
    digits: tuple[str, ...]
    blocks: frozenset[str]

    @classmethod
    def of(cls, key: str, names: list[str]) -> _Name:
        spaced = _spaced(names, key)
        tokens = spaced.split()
        # the key's first letters, its distinctive words, and its first consonants: a typo or a
        # look-alike letter among the first five ("Hyawei" for "Huawei") still finds the name
        blocks = {f"p:{key[:5]}", f"c:{_CONSONANTS.sub('', key)[:5]}"}
        blocks |= {f"t:{t}" for t in tokens if len(t) >= 4 and t not in _COMMON_TOKENS}
        core = _core(spaced)
        return cls(key, spaced, core, " ".join(sorted(core)), tuple(re.findall(r"\d+", key)), frozenset(blocks))


def _score(a: _Name, b: _Name) -> tuple[float, str]:
    """How alike two names are (0-100) for an automatic merge, and by which rule.

    Spelling variants score by ``ratio`` of keys, but never across different numbers ("14th"
    and "15th" institutes), and words that only one name has must be spelling variants of
    the other's ("Tvernefteprodukt" is not "Pskovnefteprodukt"). (A name whose only
    distinctive word is another name's brand, "Hangzhou Hikvision Digital Technology" and
    "Hikvision", matches through the brand index instead.)
    """
    if a.digits != b.digits:
        return 0.0, ""
    if min(len(a.key), len(b.key)) < 6:
        return 0.0, ""
    score = fuzz.ratio(a.key, b.key)
    if score < MERGE_SCORE:
        return score, "fuzzy match of"
    score = min(score, fuzz.token_sort_ratio(a.spaced, b.spaced))
    tokens, other_tokens = set(a.spaced.split()), set(b.spaced.split())
    only, other_only = " ".join(sorted(tokens - other_tokens)), " ".join(sorted(other_tokens - tokens))
    if only and other_only and OSA.normalized_similarity(only, other_only) < 0.8:
        return min(score, MERGE_SCORE - 1), "fuzzy match of"
    return score, "fuzzy match of"


def is_extracted(statement: Statement) -> bool:
    """True when every evidence of ``statement`` was found by the extractor."""
    return bool(statement.evidence) and all(ev.method == "extracted" for ev in statement.evidence)


def _merge_extracted_facts(batches: list[Batch], result: Resolution, model: Ontology) -> None:
    """Point each extracted fact that says what a curated fact says at the curated fact's IRI.

    Same class, and for every identifying property (``kg:identifiesFact``) the extracted
    fact fills: with "all", each of its values is among the curated fact's; with "any", the
    two share a value. The curated fact wins: its IRI, its values (see ``graph.rdf``).
    """
    identifying = model.identifying()
    curated: list[tuple[URIRef, Statement, dict[str, set[URIRef]]]] = []
    extracted: list[tuple[str, Statement, dict[str, set[URIRef]]]] = []
    for batch in _ordered(batches):
        for statement in batch.statements:
            cls = model.cls(statement.cls)
            if not any(model.is_a(cls, parent) for parent in _FACT_CLASSES):
                continue
            values = _identifying_values(result, batch.source.id, statement, identifying, model)
            if is_extracted(statement):
                extracted.append((batch.source.id, statement, values))
            else:
                curated.append((result.by_key[(batch.source.id, statement.key)], statement, values))
    curated.sort(key=lambda item: str(item[0]))
    # relationships two articles state alike (same class, same parties) are one node too
    seen: dict[tuple, URIRef] = {}
    for source, statement, values in extracted:
        if not values:
            continue
        for iri, known_statement, known in curated:
            if known_statement.cls == statement.cls and not _dates_differ(statement, known_statement) and all(
                (values[p] <= known.get(p, set())) if identifying[p] == "all" else bool(values[p] & known.get(p, set()))
                for p in values
            ):
                result.by_key[(source, statement.key)] = iri
                result.merges[iri].append(f"extracted {statement.key!r} of {source!r}")
                break
        else:
            if all(identifying[p] == "all" for p in values):
                signature = (statement.cls, tuple(sorted((p, tuple(sorted(v))) for p, v in values.items())))
                iri = seen.setdefault(signature, result.by_key[(source, statement.key)])
                if iri != result.by_key[(source, statement.key)]:
                    result.by_key[(source, statement.key)] = iri
                    result.merges[iri].append(f"extracted {statement.key!r} of {source!r}")


def _merge_same_ties(batches: list[Batch], result: Resolution, model: Ontology) -> None:
    """Point each relationship that states a tie already stated by another source at that tie.

    The same tie is the same class, the same finer relation (``kg:relation``) and role
    (``kg:role``), the same ends in each role (``kg:identifiesFact "all"`` properties, resolved),
    the same share, and no date both give that differs. The first statement in reader order
    (curated sources first) gives the IRI; every source's evidence stays on it, so a path names
    each kind of tie once ("SenseTime -partner-,<-supply- Nvidia", not "-partner-,-partner-,...").
    """
    identifying = {p: how for p, how in model.identifying().items() if how == "all"}
    seen: dict[tuple, tuple[URIRef, Statement]] = {}
    for batch in _ordered(batches):
        source = batch.source.id
        for statement in batch.statements:
            if not model.is_a(model.cls(statement.cls), KG.Relationship):
                continue
            ends = _identifying_values(result, source, statement, identifying, model)
            if not ends:
                continue
            signature = (statement.cls, tuple(sorted(str(v) for v in statement.values.get("relation", []))),
                         tuple(sorted(str(v) for v in statement.values.get("role", []))),
                         tuple(sorted(float(v) for v in statement.values.get("share", []))),
                         tuple(sorted((p, frozenset(v)) for p, v in ends.items())))
            iri = result.by_key[(source, statement.key)]
            earlier = seen.setdefault(signature, (iri, statement))
            if earlier[0] == iri or _dates_differ(statement, earlier[1]):
                continue
            result.by_key[(source, statement.key)] = earlier[0]
            result.merges[earlier[0]].append(f"{statement.origin or source}: the same tie ({statement.key!r} of {source!r})")


def _dates_differ(a: Statement, b: Statement) -> bool:
    """Both facts give a day for the same property, and not the same day: two facts."""
    for prop in set(a.values) & set(b.values):
        x = {v for v in a.values[prop] if isinstance(v, date)}
        y = {v for v in b.values[prop] if isinstance(v, date)}
        if x and y and not (x & y):
            return True
    return False


def _identifying_values(result: Resolution, source: str, statement: Statement, identifying: dict[str, str],
                        model: Ontology) -> dict[str, set[URIRef]]:
    values: dict[str, set[URIRef]] = {}
    for prop, items in statement.values.items():
        if prop not in identifying:
            continue
        refs = set()
        for item in items:
            if isinstance(item, Ref):
                try:
                    refs.add(result.ref(source, item, family_of(model, item.cls) if item.cls else None, statement.origin))
                except InputError:
                    continue
        if refs:
            values[prop] = refs
    return values


def _ordered(batches: list[Batch]) -> list[Batch]:
    return sorted(batches, key=lambda batch: (batch.priority, batch.source.id, batch.file))


def _error(origin, message: str, hint: str | None = None) -> InputError:
    if origin is None:
        return InputError("<input>", message, hint=hint)
    return InputError(origin.file, message, line=origin.line, unit=origin.unit, hint=hint)
