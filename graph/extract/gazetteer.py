"""The gazetteer: every name the graph already knows, found again in new text.

Names come from the curated statements (labels in every language and aliases), so the
extractor links "MegviiTechnology", "Sense Time" or "Ouighours" to the entities analysts
already described. Matching runs on the text squeezed to letters and digits (see
:func:`graph.extract.text.squeeze`), so case, accents, spaces and glued words do not matter;
a small edit distance catches typos ("Kazahks") and spelling variants ("Uyghurs").

Examples
--------
>>> from graph.model.statements import Statement, Label
>>> gaz = Gazetteer([Entry(id="org/sensetime", cls="Company", labels={"": "SenseTime"},
...                        names=("SenseTime", "Sense Time"))])
>>> [(m.text, m.entry.label("fr")) for m in gaz.find("Sensetime et Sense Time, SENSETIME.")]
[('Sensetime', 'SenseTime'), ('Sense Time', 'SenseTime'), ('SENSETIME', 'SenseTime')]
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from graph.model.names import name_key
from graph.model.ontology import Ontology
from graph.resolve import resolve
from graph.sources import Batch
from graph.extract.rules import load_common
from graph.extract.text import fold, squeeze

__all__ = ["Entry", "Mention", "Gazetteer", "gazetteer_from_batches", "mention_at"]

_FACT_ROOTS = ("Measure", "Relationship", "Event")


@dataclass(frozen=True)
class Entry:
    """One known entity: its canonical id (IRI), class, labels by language and every name."""

    id: str
    cls: str
    labels: dict[str, str]
    names: tuple[str, ...]
    country: str | None = None
    parent: str | None = None
    #: ISO code of a country entry
    code: str | None = None
    #: priority of the source that described it first (curated facts 0): lower wins a tie
    rank: int = 50

    def label(self, lang: str | None) -> str:
        """The preferred label in ``lang``, else English, else any."""
        for key in (lang, "en", "", *sorted(self.labels)):
            if key in self.labels:
                return self.labels[key]
        return self.names[0]

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class Mention:
    """A span of text naming an entity, known (``entry``) or new (``entry is None``)."""

    start: int
    end: int
    text: str
    cls: str
    entry: Entry | None = None
    how: str = "gazetteer"
    confidence: float = 1.0
    name: str = ""
    #: ISO code of the country a place found by the place gazetteer lies in
    country: str | None = None

    @property
    def identity(self) -> str:
        """What two mentions of one entity share: the entry's id or the name's key."""
        return self.entry.id if self.entry is not None else f"new:{self.cls}:{name_key(self.name or self.text)}"


def mention_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """The mention of the span ``start:end``, else the first one inside it (a name found with
    less around it than the line that holds it).

    >>> a, b = Mention(0, 5, "Arden", "Company"), Mention(10, 17, "Belmont", "Company")
    >>> mention_at([a, b], 10, 17).text, mention_at([a, b], 8, 20).text, mention_at([a, b], 6, 9)
    ('Belmont', 'Belmont', None)
    """
    return next((m for m in mentions if m.start == start and m.end == end), None) or \
        next((m for m in mentions if start <= m.start and m.end <= end), None)


@dataclass
class Gazetteer:
    """Known names indexed for fast, boundary-aware matching; see :meth:`find`."""

    entries: list[Entry]
    legal_suffix: re.Pattern | None = None
    country_words: tuple[str, ...] = ()
    government_words: tuple[str, ...] = ()
    _index: dict[str, list[tuple[str, Entry, str]]] = field(init=False, repr=False)
    _fuzzy: dict[str, list[tuple[str, Entry]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.entries = sorted(self.entries, key=lambda e: e.id)
        self._governments: dict[str, Entry | None] = {}
        self._by_id: dict[str, Entry] = {}
        self._countries: dict[str, Entry] = {}
        for entry in self.entries:
            self._by_id.setdefault(entry.id, entry)
            if entry.cls == "Country" and entry.code:
                self._countries.setdefault(entry.code, entry)
        self._index = defaultdict(list)
        self._fuzzy = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for entry in self.entries:
            labels = set(entry.labels.values())
            for name in _variants(entry, self.country_words):
                key = name_key(name) if entry.cls not in ("Population",) else squeeze(name)[0]
                squeezed = squeeze(name)[0]
                for candidate in sorted({key, squeezed}, key=lambda c: c != squeezed):
                    if len(candidate) < 2 or (candidate, entry.id) in seen:
                        continue
                    seen.add((candidate, entry.id))
                    # a list's alias, or its name without the legal form ("World" of "World Co Ltd."),
                    # may be a common phrase or part of another name: see _weak_match
                    weak = entry.rank > 0 and (name not in labels or candidate != squeezed)
                    self._index[candidate[:4]].append((candidate, entry, name, weak))
                    if " " not in name.strip() and len(candidate) >= 6:
                        self._fuzzy[candidate[0]].append((candidate, entry))
        for bucket in self._index.values():
            bucket.sort(key=lambda item: (-len(item[0]), item[1].rank, item[1].id))

    def fingerprint(self) -> str:
        """A hash of every entry: extraction results depend on it (the build cache keys on it)."""
        digest = hashlib.sha256()
        for entry in self.entries:
            digest.update(repr((entry.id, entry.cls, sorted(entry.labels.items()), entry.names,
                                entry.country, entry.parent, entry.code)).encode("utf-8"))
        return digest.hexdigest()[:16]

    def by_id(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def country(self, code: str | None) -> Entry | None:
        """The country entry whose ISO 3166 code is ``code``, or None."""
        return self._countries.get(code) if code else None

    def code_of(self, entry_id: str | None) -> str | None:
        """The ISO 3166 code of the entry ``entry_id`` (a country's), or None."""
        entry = self._by_id.get(entry_id) if entry_id else None
        return entry.code if entry is not None and entry.code else None

    def government(self, country: str) -> Entry | None:
        """The government as a whole of ``country`` (an entry id): a top-level body named so."""
        if country not in self._governments:
            self._governments[country] = self._government(country)
        return self._governments[country]

    def _government(self, country: str) -> Entry | None:
        from graph.extract.text import fold

        ranked = []
        for entry in self.entries:
            if entry.cls != "GovernmentBody" or entry.country != country:
                continue
            named = any(word in fold(name)[0].split() for name in entry.names for word in self.government_words)
            ranked.append((not named, entry.parent is not None, entry.id, entry))
        ranked.sort(key=lambda item: item[:3])
        return ranked[0][3] if ranked and not ranked[0][0] else None

    def find(self, text: str, *, fuzzy: bool = True) -> list[Mention]:
        """Every known name in ``text``, longest match first, without overlaps, in text order."""
        squeezed, offsets = squeeze(text)
        found: list[Mention] = []
        taken = [False] * (len(squeezed) + 1)
        i = 0
        while i < len(squeezed):
            if not _word_start(text, offsets, i):
                i += 1
                continue
            match = self._longest(text, squeezed, offsets, i)
            if match is None:
                i += 1
                continue
            length, entry, name = match
            start, end = offsets[i], offsets[i + length - 1] + 1
            if entry.cls == "Country" and self._legal_form_of_name_before(text, start, end):
                # "Alstom S.A.", "Nestle SA", "Siemens Energy SE": the firm's legal form, not a
                # country whose code it spells
                i += length
                continue
            if text.count("(", start, end) > text.count(")", start, end):
                # "Federal Security Service (FSB)" listed whole: the name is before its bracket,
                # whose acronym the extractor reads as the same party
                end = start + len(text[start:text.index("(", start, end)].rstrip())
            end = self._extend_suffix(text, end)
            found.append(Mention(start, end, text[start:end], entry.cls, entry, "gazetteer", 1.0, name))
            for k in range(i, i + length):
                taken[k] = True
            i += length
        if fuzzy:
            found.extend(self._fuzzy_matches(text, found))
        return sorted(found, key=lambda m: (m.start, -m.end))

    # -- private ------------------------------------------------------------------------
    def _longest(self, text: str, squeezed: str, offsets: list[int], i: int):
        for width in (4, 3, 2):
            bucket = self._index.get(squeezed[i:i + width])
            if not bucket:
                continue
            for key, entry, name, weak in bucket:
                n = len(key)
                if squeezed.startswith(key, i) and _word_end(text, offsets, i + n):
                    surface = text[offsets[i]:offsets[i + n - 1] + 1]
                    if weak and self._continued(text, offsets[i + n - 1] + 1):
                        # "People's Liberation Army Navy" (an alias of another listed party),
                        # "World War II" ("World Co Ltd."): the text names something longer
                        continue
                    if entry.cls == "Person" and " " not in name.strip() and \
                            _NEXT_NAME.match(text, offsets[i + n - 1] + 1):
                        # a person known by one name ("Mike") is not the first name of another
                        # ("Mike Pompeo")
                        continue
                    if _case_ok(name, surface, n) and (entry.cls == "Population" or not _lowered(name, surface)):
                        return n, entry, name
        return None

    def _legal_form_of_name_before(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is a legal form written after a capitalised name.

        >>> gaz = Gazetteer([], legal_suffix=re.compile(r"(?:,? (?:S\\.A\\.|SA|SE))+"))
        >>> gaz._legal_form_of_name_before("Alstom S.A. sells", 7, 10), gaz._legal_form_of_name_before("in SA today", 3, 5)
        (True, False)
        """
        if self.legal_suffix is None or start < 2 or text[start - 1] != " ":
            return False
        before = text[max(0, start - 41):start - 1].split()  # the word before, without reading the text back
        if not before or not before[-1][:1].isupper():
            return False
        match = self.legal_suffix.match(text, start - 1)
        return match is not None and match.end() >= end

    def _continued(self, text: str, end: int) -> bool:
        """True when the name ending at ``end`` runs on into a longer capitalised name: another
        capitalised word after a space ("Army Navy", "World War II"), which is neither a legal
        form ("Co., Ltd.") nor a title ("Sberbank CEO", "Gazprom Chairman"). A hyphen keeps the
        name ("Lukoil-Kaliningrad" is read by ner.subsidiaries_named_by_place).

        >>> gaz = Gazetteer([], legal_suffix=None)
        >>> [gaz._continued(t, 5) for t in ("World War II", "World Co Ltd.", "Lukoil CEO", "World leaders")]
        [True, False, False, False]
        """
        match = _CONTINUATION.match(text, end)
        if match is None:
            return False
        if self.legal_suffix is not None and self.legal_suffix.match(text, end):
            return False
        word = match.group("word")
        return not word.isupper() and fold(word)[0] not in _title_words() and \
            fold(word.rstrip("."))[0] not in _LEGAL_WORDS

    def _extend_suffix(self, text: str, end: int) -> int:
        if text[end:end + 1] == "." and re.search(r"\b(?:Co|Ltd|Inc|Corp|Bros)$", text[max(0, end - 5):end]):
            end += 1  # the name itself ends with a legal form: keep its full stop
        if self.legal_suffix is None:
            return end
        match = self.legal_suffix.match(text, end)
        return match.end() if match else end

    def _fuzzy_matches(self, text: str, found: list[Mention]) -> list[Mention]:
        from graph.extract.text import SpanIndex

        covered = SpanIndex((m.start, m.end) for m in found)
        out: list[Mention] = []
        cache: dict[str, tuple[str, Entry] | None] = {}
        for token in re.finditer(r"[^\W\d_][\w'’-]{3,}", text):
            if covered.overlaps(token.start(), token.end()):
                continue
            word = token.group().split("'")[-1].split("’")[-1]
            if len(word) < 6 or not word[0].isupper():
                continue
            key = squeeze(word)[0]
            if key not in cache:
                cache[key] = self._closest(key)
            hit = cache[key]
            if hit is not None and hit[1].cls == "Person" and _NEXT_NAME.match(text, token.end()):
                # a word one letter off a listed person's name, followed by another name, is the
                # first name of someone else ("Salman Zakriev"), as an exact one is ("Mike Pompeo")
                continue
            if hit is not None and hit[1].cls != "Person" and _inside_a_longer_name(text, token.start(), token.end()):
                # a typo stands alone: "Alumina" in "the Queensland Alumina refinery" is a word of
                # that name, not "Aluminat" misspelt
                continue
            if hit is not None:
                start = token.end() - len(word)
                out.append(Mention(start, token.end(), text[start:token.end()], hit[1].cls, hit[1],
                                   "fuzzy", 0.8, hit[0]))
        return out

    def _closest(self, key: str) -> tuple[str, Entry] | None:
        best = None
        for candidate, entry in self._fuzzy.get(key[0], ()):
            if abs(len(candidate) - len(key)) > 1 or candidate == key:
                continue
            if _osa_at_most_one(key, candidate):
                if best is None or (candidate, entry.id) < (best[0], best[1].id):
                    best = (candidate, entry)
        return best


def _inside_a_longer_name(text: str, start: int, end: int) -> bool:
    """True when the word at ``start:end`` has a capitalised word of the same name just before
    it (not one opening the sentence) or just after it.

    >>> _inside_a_longer_name("The Queensland Alumina refinery", 15, 22), _inside_a_longer_name("Alumina fell", 0, 7)
    (True, False)
    """
    before = re.search(r"(?:^|[^\w’'])([A-ZÀ-Ý][\w’'-]*) $", text[max(0, start - 40):start])
    opens = before is not None and _SENTENCE_OPENERS.fullmatch(before.group(1)) is not None
    return bool(before and not opens or re.match(r" [A-ZÀ-Ý][\w’'-]", text[end:end + 3]))


#: words that open a sentence in capitals without being part of a name
_SENTENCE_OPENERS = re.compile(r"The|A|An|In|On|At|By|For|From|With|Le|La|Les|L|Un|Une|Des|Du|De|En|Au|Aux|Selon|Pour")


#: ISO 3166-1's exceptionally reserved codes that texts write as a country's name
_RESERVED = {"GB": "UK"}


def gazetteer_from_batches(batches: Iterable[Batch], model: Ontology) -> Gazetteer:
    """Build the gazetteer from the entity statements of ``batches`` (curated sources).

    Statements the resolver merges (the same company in a fact file and a reference table)
    become one entry with every name, and the class of the statement that minted it.
    """
    batches = [b for b in batches if not any(ev.method == "extracted" for s in b.statements for ev in s.evidence)]
    resolution = resolve(batches, model)
    fact_roots = [model.cls(name) for name in _FACT_ROOTS if name in model.class_keys()] or []
    grouped: dict[str, dict] = {}
    for batch in sorted(batches, key=lambda b: (b.priority, b.source.id, b.file)):
        for statement in batch.statements:
            cls = model.cls(statement.cls)
            if any(model.is_a(cls, root) for root in fact_roots) or _is_fact(model, cls):
                continue
            iri = str(resolution.by_key[(batch.source.id, statement.key)])
            slot = grouped.setdefault(iri, {"cls": statement.cls, "labels": {}, "names": [],
                                            "country": None, "parent": None, "code": None,
                                            "rank": batch.priority})
            for code in statement.values.get("isoCode", []):
                slot["code"] = slot["code"] or str(code).upper()
            for label in statement.labels:
                slot["labels"].setdefault(label.lang or "", label.text)
            # a country's ISO code is one of its names ("US", "CN"), in capitals only
            codes = [str(c).upper() for c in statement.values.get("isoCode", [])]
            # and so is a code ISO 3166 reserves for it at the country's request ("UK": the text's
            # "the UK expanded its list" names the United Kingdom, whose code is GB)
            for name in statement.names() + codes + [_RESERVED[c] for c in codes if c in _RESERVED]:
                if name not in slot["names"]:
                    slot["names"].append(name)
            for prop, target in (("country", "country"), ("locatedIn", "country"), ("subOrganizationOf", "parent")):
                for value in statement.values.get(prop, []):
                    if slot[target] is None and hasattr(value, "key"):
                        try:
                            slot[target] = str(resolution.ref(batch.source.id, value, _family(model, value), statement.origin))
                        except Exception:  # noqa: BLE001 - a dangling reference is the reader's error, not ours
                            pass
    entries = [Entry(id=iri, cls=slot["cls"], labels=slot["labels"], names=tuple(slot["names"]),
                     country=slot["country"] if slot["country"] in grouped and grouped[slot["country"]]["cls"] == "Country" else None,
                     parent=slot["parent"], code=slot["code"], rank=slot["rank"]) for iri, slot in grouped.items()]
    common = load_common()
    return Gazetteer(entries, legal_suffix=common.legal_suffix, country_words=common.country_words,
                     government_words=common.government_words)


# ------------------------------------------------------------------------------ helpers


def _is_fact(model: Ontology, cls) -> bool:
    return model.edge_kind(cls) is not None or model.iri_kind(cls) in ("measure", "event", "rel")


def _family(model: Ontology, ref) -> str | None:
    return model.iri_kind(model.cls(ref.cls)) if ref.cls else None


def _variants(entry: Entry, prefixes: tuple[str, ...] = ()) -> list[str]:
    names = list(dict.fromkeys([*entry.labels.values(), *entry.names]))
    for name in list(names):
        for word in prefixes:
            rest = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", name)
            rest = " ".join(rest.split())
            # "US Senate" is also "Senate"; "US government" is not "government"
            if rest != name and len(rest) > 4 and (len(rest.split()) >= 2 or rest[:1].isupper()):
                names.append(rest)
    # "the U.S. Commerce Dept. said": a public body's noun written short
    names += [_ABBREVIATED.sub("Dept.", n) for n in names if _ABBREVIATED.search(n)]
    if entry.cls == "Population":
        # "musulmans ouïghours", "Uyghur Muslims": populations appear as adjectives too
        names += [n[:-1] for n in names if n.endswith("s") and len(n) > 5]
    return names


#: the noun of a public body's name that texts abbreviate ("Commerce Dept.")
_ABBREVIATED = re.compile(r"(?<!\w)Department(?!\w)")
_NEXT_NAME = re.compile(r"[ \u00a0]+[A-Z](?:[a-z]|\.)")
#: a capitalised word that runs on from a name: "Army Navy", "Lukoil-Kaliningrad"
_CONTINUATION = re.compile(r"[ \u00a0]+(?P<word>[A-ZÀ-Ý][\w’'.-]*)")
#: legal forms the legal-suffix pattern reads only after a comma or in full
_LEGAL_WORDS = frozenset({"co", "corp", "inc", "ltd", "llc", "plc", "sa", "ag", "gmbh", "oao", "ooo", "pao", "jsc", "ojsc"})


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """The titles of every language (``rules/names.yaml``): "Sberbank CEO" is no longer name."""
    from graph.extract.rules import load_rules

    return frozenset().union(*(load_rules(lang).names.titles for lang in ("en", "fr")))


def _word_start(text: str, offsets: list[int], i: int) -> bool:
    pos = offsets[i]
    if i > 0 and offsets[i - 1] == pos:
        return False
    if pos == 0:
        return True
    before = text[pos - 1]
    return not before.isalnum() or (before.islower() and text[pos].isupper())


def _word_end(text: str, offsets: list[int], j: int) -> bool:
    end = offsets[j - 1] + 1
    if end >= len(text):
        return True
    after = text[end]
    return not after.isalnum() or (text[end - 1].islower() and after.isupper())


def _case_ok(name: str, surface: str, matched: int | None = None) -> bool:
    """Short names and acronyms must look like names: "US" yes, "us" and "Us" no, "Nasa" yes.

    ``matched`` is how many letters matched: "SES GROUP" found as "ses" is a short name.

    >>> _case_ok("US", "US"), _case_ok("US", "us"), _case_ok("MIRA", "Mir a")
    (True, False, False)
    """
    letters = matched if matched is not None else len([c for c in name if c.isalpha()])
    if name.isupper() and " " not in name.strip() and any(c.isspace() for c in surface):
        return False  # an acronym is written in one piece: "Mir a" is no "MIRA"
    if letters <= 3 and name.isupper():
        return surface.isupper()
    if letters <= 4 or (name.isupper() and letters <= 6):
        return surface[:1].isupper()
    return True


def _lowered(name: str, surface: str) -> bool:
    """A proper name written all in lower case is a common phrase ("high-technology")."""
    return any(c.isupper() for c in name) and not any(c.isupper() for c in surface)


def _osa_at_most_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one edit or one swap of neighbours."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) != 1:
        return False
    k = 0
    while k < len(a) and a[k] == b[k]:
        k += 1
    return a[k:] == b[k + 1:]
