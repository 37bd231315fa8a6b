"""Matching: how alike two names are (0..1), what to do about it, and why.

One scorer serves the build's merges (:mod:`graph.resolve.entities`), ``kg screen`` and
``kg lookup`` (:mod:`graph.screening.lookup`) and, through the keys it precomputes, the site's search
(:mod:`graph.outputs.site`), so that a screen and a build never disagree. It knows nothing of how
candidates are found (:mod:`graph.resolve.blocks`) or how merges are kept.

A name is compared as its words in ASCII lower case (Cyrillic and other scripts
transliterated), legal forms taken out with ``rigour``'s list of organisation types in many
languages (``OAO``, ``PJSC``, ``GmbH``, ``S.p.A.``, ``有限公司`` ...), which are then compared
apart. Spelling is scored by edits in proportion to the name's length (one edit in four
letters at most, each costing its share of the longer name), so one slip in a short name
still scores high while two in it do not. Words in another order, and words one name has and
the other lacks, are weighed by how much they tell firms apart: a country, a trade word or a
leading place ("Hangzhou") weighs little, a brand ("Rostec") a lot. Numbers must agree.

Three answers, from :data:`THRESHOLDS` (``matching.toml`` beside this module, not code):
``"match"``, ``"possible match"`` (an analyst reviews it) and ``"no match"``.

Examples
--------
>>> result = compare("Hikvisian", "Hangzhou Hikvision Digital Technology Co., Ltd.")
>>> result.answer, result.explain()
('match', 'name 0.84, extra words: hangzhou digital technology, legal form dropped')
>>> compare("URALMASHZAVOD", "URALMASHZAVOD OAO").explain()
'name 1.00, legal form dropped'
>>> compare("Сбербанк", "Sberbank").explain()
'name 1.00, transliterated'
>>> compare("Dahua Technology", "Dahua Technology", countries=["us"], candidate_countries=["cn"]).answer
'possible match'
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from graph.errors import InputError
from graph.model.han import has_han, split_han
from graph.model.names import (COMMON_TOKENS, DESCRIPTORS, LEADING_PLACES, LEGAL_SUFFIXES, latin_skeleton,
                         letters_lost_in_ascii)

__all__ = ["Comparison", "Thresholds", "THRESHOLDS", "ANSWERS", "compare", "compare_names", "best_of", "plausible",
           "prepare", "PreparedName", "load_thresholds", "search_keys", "search_query_key", "search_score"]

#: the three answers, surest first
ANSWERS = ("match", "possible match", "no match")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """From which score (0..1) two names ``match``, from which they are a ``review`` (possible match),
    what a country conflict costs, and from which score (``merge``) a build merges two entities on its own.

    A screen may say "match" and let an analyst look; a merge cannot be looked at that way (the
    two entities' facts become one), so the build asks for more (:meth:`merges`), as
    nomenklatura's deduplication and screening use one scorer at two thresholds.
    """

    match: float
    review: float
    country_penalty: float = 0.2
    #: from which score a build merges (``match`` when not given); at least ``match``
    merge: float | None = None

    def answer(self, score: float) -> str:
        """``"match"``, ``"possible match"`` or ``"no match"`` for ``score``."""
        return ANSWERS[0] if score >= self.match else ANSWERS[1] if score >= self.review else ANSWERS[2]

    def merges(self, result: "Comparison") -> bool:
        """Whether a build merges on ``result``: a sure match (``merge`` or above), no word that
        tells a firm apart on one side only ("Sberbank Technologies", "Sberbank") and no word
        respelled otherwise than by two letters swapped or a letter doubled ("Belmar", "Beimar").

        >>> t = load_thresholds()
        >>> t.merges(compare("Hikvision", "HIKVISION CO., LTD.")), t.merges(compare("SBERBANK TECHNOLOGIES CJSC", "PJSC Sberbank"))
        (True, False)
        """
        return (result.score >= (self.match if self.merge is None else self.merge) and not result.one_sided
                and not result.respelled)


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """The thresholds in ``path`` (a TOML file like the packaged ``matching.toml``), or the packaged ones.

    Raises
    ------
    InputError
        The file cannot be read, or a threshold is missing, not a number in 0..1, or
        ``review`` is above ``match``, or ``merge`` below it.

    Examples
    --------
    >>> t = load_thresholds()
    >>> 0 < t.review <= t.match <= t.merge <= 1
    True
    """
    where = str(path) if path is not None else "graph/resolve/matching.toml"
    try:
        text = (Path(path).read_text(encoding="utf-8") if path is not None
                else resources.files("graph.resolve").joinpath("matching.toml").read_text(encoding="utf-8"))
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(where, f"cannot read the matcher's thresholds ({error})",
                         hint="give a TOML file with a [thresholds] table (match, review)") from None
    values = {**data.get("thresholds", {}), "country_penalty": data.get("penalties", {}).get("country", 0.2)}
    values.setdefault("merge", values.get("match"))
    for name in ("match", "review", "country_penalty", "merge"):
        value = values.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            raise InputError(where, f"{name} is {value!r}", hint="write a number from 0 to 1")
    if values["review"] > values["match"]:
        raise InputError(where, f"review ({values['review']}) is above match ({values['match']})",
                         hint="review must be the lower threshold")
    if values["merge"] < values["match"]:
        raise InputError(where, f"merge ({values['merge']}) is below match ({values['match']})",
                         hint="a build merges only what a screen calls a match: merge must be match or above")
    return Thresholds(float(values["match"]), float(values["review"]), float(values["country_penalty"]),
                      float(values["merge"]))


#: the packaged thresholds (``matching.toml``)
THRESHOLDS = load_thresholds()


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name as the matcher compares it, made once (:func:`prepare`)."""

    text: str
    #: its words, ASCII lower case, legal forms taken out
    words: tuple[str, ...]
    #: the legal forms taken out, in ``rigour``'s generic form where it has one (``jsc``, ``llc``)
    forms: tuple[str, ...]
    #: the words glued ("sensetime"), and glued in alphabetical order
    key: str
    sorted_key: str
    digits: tuple[str, ...]
    #: whether it was written in another script than Latin and transliterated
    transliterated: bool
    #: every word (legal forms too), glued and spelled as it sounds (:func:`_sound`)
    sound: str
    #: a name of one word of five capitals or fewer ("COMAC", "NIOC"): an acronym, which one
    #: letter makes another body's ("COMEC", "NICO")
    acronym: bool = False
    #: its words without joining words ("of", "and"; all of them when it has no other), which
    #: the words are aligned on, and their weight (:func:`_weight`) in all: made once, not per comparison
    content: tuple[str, ...] = ()
    mass: float = 0.0
    #: the words of its legal forms as written ("limited", "obshchestvo"), which a misspelling of
    #: them on the other side is read as (:func:`_words_score`)
    form_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """How alike a name and a candidate are: ``score`` (0..1), ``answer`` and the features behind it.

    ``features`` are ``(feature, value)`` pairs in the order :meth:`explain` prints them:
    ``("name", "0.93")``, ``("country", "agrees")``, ``("legal form", "dropped")`` ...
    """

    name: str
    candidate: str
    score: float
    answer: str
    features: tuple[tuple[str, str], ...] = field(default=())
    #: words only one name has that may tell two firms apart ("technologies" when both names
    #: carry a legal form): a build does not merge on them (:meth:`Thresholds.merges`); a legal
    #: form, a country, a leading place or an acronym of the name may differ
    one_sided: tuple[str, ...] = ()
    #: words spelled otherwise than by two neighbouring letters swapped or a letter doubled
    #: ("belmar / beimar"): a screen's typo, but in two lists' names as often two firms, so a
    #: build does not merge on them (:meth:`Thresholds.merges`)
    respelled: tuple[str, ...] = ()

    def explain(self) -> str:
        """The features in words: ``"name 0.93, country agrees, legal form dropped"``."""
        out = []
        for feature, value in self.features:
            out.append(value if feature in ("note",) else f"{feature} {value}" if feature in ("name", "country")
                       else f"{feature}: {value}" if feature in ("extra words",) else f"{feature} {value}")
        return ", ".join(out)


def compare(name: str, candidate: str, *, countries=(), candidate_countries=(),
            thresholds: Thresholds | None = None) -> Comparison:
    """Compare a name with a candidate's name, with their countries when known.

    Parameters
    ----------
    name, candidate : str
        The two names, as written (any script, with or without legal forms).
    countries, candidate_countries : iterable of str
        Their countries (ISO codes, or any one spelling used on both sides); when both are
        given and none agree, the score loses the thresholds' ``country_penalty``.
    thresholds : Thresholds, optional
        :data:`THRESHOLDS` (the packaged ``matching.toml``) when not given.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> compare("Huawel", "Huawei Technologies Co., Ltd.").answer
    'match'
    >>> compare("Megvli Technology", "Beijing Megvii Technology Co., Ltd.").explain()
    'name 0.83, extra words: beijing, legal form dropped'
    >>> compare("Rostec", "STATE CORPORATION ROSTEC").answer
    'match'
    >>> compare("Intel", "Ambarella").answer
    'no match'
    """
    return compare_names(prepare(name), prepare(candidate), countries=countries,
                         candidate_countries=candidate_countries, thresholds=thresholds)


def compare_names(a: PreparedName, b: PreparedName, *, countries=(), candidate_countries=(),
                  thresholds: Thresholds | None = None, floor: float | None = None) -> Comparison:
    """:func:`compare` for names already prepared (:func:`prepare`): the resolver's inner loop.

    With ``floor`` (0..1), a pair whose words cannot score that much, however the rest turns
    out, is not explained: its comparison has a score below ``floor`` (not always the one it would
    have) and the features ``name`` only. Callers that keep only comparisons from ``floor`` up
    (:meth:`graph.resolve.blocks.NameBlocks.scored`) get the same ones, sooner: most candidates of
    a large list share only a place or a trade word with a name.

    >>> a, b = prepare("Dubai Kangulmar Optics Co., Ltd."), prepare("Dubai Nangor Optics Co., Ltd.")
    >>> compare_names(a, b, floor=0.65).explain(), compare_names(a, b).explain()
    ('name 0.63', 'name 0.63, words differ (kangulmar / nangor)')
    """
    thresholds = thresholds or THRESHOLDS
    score, notes, capped, one_sided, respelled = _name_score(a, b, floor)
    if floor is not None and score < floor and notes is _BELOW:
        return Comparison(a.text, b.text, round(score, 3), thresholds.answer(score), (("name", f"{score:.2f}"),))
    if not (a.forms and b.forms):
        # a name without a legal form is a short name, which drops a descriptor ("Hikvision" for
        # "Hangzhou Hikvision Digital Technology Co., Ltd."); two full legal names that differ
        # by one are two entities ("SBERBANK TECHNOLOGIES CJSC", "PJSC SBERBANK")
        one_sided = tuple(w for w in one_sided if w not in DESCRIPTORS)
    if a.transliterated != b.transliterated:
        # a name from another script is spelled as its letters sound, vowels and all: a
        # screen's slip is not another firm there ("Нуаwеi", "Huawei")
        respelled = tuple(pair for pair in respelled if not _is_slip(*pair.split(" / ")))
    if capped:  # a difference that names another firm as often as a typo: an analyst reviews it
        score = _below_match(score, thresholds)
    features: list[tuple[str, str]] = [("name", f"{score:.2f}")]
    features += notes
    mine, theirs = set(countries or ()), set(candidate_countries or ())
    if mine and theirs:
        if mine & theirs:
            features.append(("country", "agrees"))
        else:  # at most a possible match: the build never merges across countries on its own
            score = _below_match(max(0.0, score - thresholds.country_penalty), thresholds)
            features.append(("country", f"differs ({_codes(mine)} / {_codes(theirs)})"))
    if a.forms != b.forms and score > 0:
        if not a.forms:
            features.append(("legal form", "dropped"))
        elif not b.forms:
            features.append(("legal form", "added"))
        elif not set(a.forms) & set(b.forms):
            features.append(("legal form", "differs (" + ", ".join(a.forms) + " / " + ", ".join(b.forms) + ")"))
    if a.transliterated != b.transliterated and score > 0:
        features.append(("note", "transliterated"))
    score = round(score, 3)
    return Comparison(a.text, b.text, score, thresholds.answer(score), tuple(features), one_sided, respelled)


def _below_match(score: float, thresholds: Thresholds) -> float:
    """``score`` made a possible match at most, keeping the order of scores within that band."""
    return min(score, thresholds.match - 0.01 - 0.05 * (1 - score))


def _codes(countries) -> str:
    # a country may be given as its IRI (kgr:country/cn): its code is the last segment
    return ", ".join(sorted(str(c).rsplit("/", 1)[-1] for c in countries))


def best_of(name: PreparedName, candidates: list[PreparedName], *, countries=(), candidate_countries=(),
            thresholds: Thresholds | None = None) -> Comparison | None:
    """The best :func:`compare_names` of ``name`` with any of ``candidates`` (one entity's names), or None.

    Names that cannot score (:func:`plausible`) are left out in one C++ pass before any is
    compared: the screen's inner loop. The result is the one :func:`compare_names` gives.

    >>> names = [prepare(n) for n in ("PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", "Sberbank Rossii")]
    >>> best_of(prepare("Sberbank"), names).candidate
    'PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA'
    """
    found = None
    for at in plausible(name, [c.key for c in candidates], [c.sound for c in candidates],
                        [c.words for c in candidates]):
        result = compare_names(name, candidates[at], countries=countries, candidate_countries=candidate_countries,
                               thresholds=thresholds)
        if found is None or result.score > found.score:
            found = result
    return found


def plausible(name: PreparedName, keys: list[str], sounds: list[str] | None = None,
              words: list | None = None, *, sorted_keys: list[str] | None = None, query_words=None) -> list[int]:
    """The places in ``keys`` (other names' keys) of the names ``name`` may score with, in order.

    A name scores 0 with another unless their keys are near (``ratio`` of 75 or more, or of
    their words sorted: ``sorted_keys``, else made from ``words``, each name's words, a sequence
    of words or the words in one string with spaces), or, when one is much shorter, a part of
    one key is near the other (``partial_ratio``) and, when ``words`` are given, a word of one
    is within the edits :func:`_similarity` allows of a word of the other (``query_words``, the
    name's own words by default, may add other spellings of them); or, for a name
    transliterated from another script, they sound near (``sounds``, their
    :attr:`PreparedName.sound`). rapidfuzz finds the near ones in C++, so that Python compares
    only those: the screen's and the build's inner loop.

    >>> names = [prepare(n) for n in ("State Corporation Rostec", "Rosatom", "Sberbank", "Rostec Trading")]
    >>> plausible(prepare("Rostek"), [n.key for n in names], words=[n.words for n in names])
    [0, 3]
    """
    if not name.key:
        return []
    at = {i for _, _, i in process.extract(name.key, keys, scorer=fuzz.ratio, score_cutoff=_QUICK, limit=None)}
    if sorted_keys is None and words is not None:
        sorted_keys = [_sorted_glued(w if isinstance(w, (str, tuple)) else tuple(w)) for w in words]
    if sorted_keys is not None:
        at.update(i for _, _, i in process.extract(name.sorted_key, sorted_keys, scorer=fuzz.ratio,
                                                   score_cutoff=_QUICK, limit=None))
    # a name much shorter or longer than the other: a part of it near the other ("Hikvisian",
    # "Hangzhou Hikvision Digital Technology")
    size = len(name.key)
    shorter, longer = 2 * size / 3, 1.5 * size
    apart = [i for i, n in enumerate(map(len, keys)) if (n <= shorter or n >= longer) and i not in at]
    if apart:
        near = [apart[i] for _, _, i in process.extract(name.key, [keys[i] for i in apart], scorer=fuzz.partial_ratio,
                                                        score_cutoff=_QUICK, limit=None)]
        if words is not None and near:
            # and then only by a word they share, or nearly (:func:`_words_score`): the part
            # near the other is often a trade word inside another word
            mine = frozenset(name.words if query_words is None else query_words)
            near = [i for i in near if _share_a_word(mine, words[i].split() if isinstance(words[i], str)
                                                     else words[i])]
        at.update(near)
    if name.transliterated:
        heard = sounds if sounds is not None else [_sound(k) for k in keys]
        at.update(i for _, _, i in process.extract(name.sound, heard, scorer=fuzz.partial_ratio, score_cutoff=_QUICK,
                                                   limit=None))
    return sorted(at)


def _share_a_brand(a: PreparedName, b: PreparedName) -> bool:
    """Whether a distinctive word of four letters or more is in both names ("acme")."""
    return any(len(w) >= 4 and w in b.content and not _generic(w) for w in a.content)


def _share_a_word(mine: frozenset[str], theirs) -> bool:
    """Whether a word of ``theirs`` is one of ``mine`` or within the edits :func:`_similarity`
    allows of one, or is a single letter (of letters written apart, which a name's words glue)."""
    if not mine.isdisjoint(theirs):
        return True
    return any(len(y) == 1 or any(_word_similarity(x, y) for x in mine) for y in theirs)


@lru_cache(maxsize=1 << 17)
def _sorted_glued(words: str | tuple[str, ...]) -> str:
    # the same candidates meet many names: their sorted keys are made once
    return "".join(sorted(words.split() if isinstance(words, str) else words))


@lru_cache(maxsize=1 << 17)
def prepare(name: str) -> PreparedName:
    """``name`` as the matcher compares it (cached: a name is prepared once however often compared).

    >>> p = prepare("PUBLIC JOINT STOCK COMPANY ROSTELECOM")
    >>> p.words, p.forms
    (('rostelecom',), ('jsc',))
    """
    text = " ".join(str(name).split())
    lost = letters_lost_in_ascii(text)
    stripped, forms = _legal_forms(text)
    words = _words(stripped)
    if not words:  # a name that is only a legal form ("Company"): compare what there is
        words, forms = _words(text), ()
    key = "".join(words)
    bare = text.strip(" .,()")
    content = tuple(w for w in words if w not in _STOPWORDS) or words
    # without a form, the text is what was stripped; a name in Chinese characters is written
    # without spaces, its form among its words
    written = _words(text) if forms and not has_han(text) else words
    kept = frozenset(words)
    return PreparedName(text, words, forms, key, "".join(sorted(words)), tuple(sorted(_DIGITS.findall(key))), lost,
                        _sound("".join(written)), len(words) == 1 and len(key) <= 5 and bare.isupper()
                        and bare.isalnum(), content, sum(_weight(w) for w in content),
                        tuple(w for w in dict.fromkeys(written) if w not in kept and w not in _STOPWORDS)
                        if forms else ())


def search_keys(name: str) -> list[str]:
    """The keys the site's search compares a query with (:mod:`graph.outputs.site` precomputes them).

    The search page cannot run Python: its index carries, for each name, :func:`prepare`'s
    words glued (legal forms out, any script transliterated) and each distinctive word, and the
    page's script scores a query against them by :func:`search_score`'s rule (``site-search.js``
    is its twin: the tests hold them to the same answers).

    >>> search_keys("Hangzhou Hikvision Digital Technology Co., Ltd.")
    ['hangzhouhikvisiondigitaltechnology', 'hikvision']
    >>> search_keys("Сбербанк")
    ['sberbank']
    """
    prepared = prepare(name)
    keys = [prepared.key] if prepared.key else []
    if len(prepared.words) > 1:
        keys += [w for w in prepared.words if len(w) >= 4 and not _generic(w) and w not in keys]
    return keys


def search_query_key(text: str) -> str:
    """A query as the search page folds it: accents dropped, ASCII letters and digits, lower case.

    >>> search_query_key("Hikvisión Co.")
    'hikvisionco'
    """
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    return "".join(c for c in folded if c.isascii() and c.isalnum())


def search_score(query: str, keys: list[str]) -> float:
    """How well a search query (as typed) fits a name's :func:`search_keys`: 0..1, as the page scores it.

    >>> search_score("Hikvison", search_keys("Hangzhou Hikvision Digital Technology Co., Ltd."))
    0.889
    >>> search_score("Intel", search_keys("Hangzhou Hikvision Digital Technology Co., Ltd."))
    0.0
    """
    q = search_query_key(query)
    return max((_similarity(q, key) for key in keys), default=0.0) if q else 0.0


# -- names ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")
#: below this ``ratio`` (0-100) of two names' keys (or of their words sorted; ``partial_ratio`` when
#: one is much shorter), neither is within the edits allowed (one per four letters) of the other:
#: the pair scores 0
_QUICK = 75
_DIGITS = re.compile(r"\d+")
#: small words that join a name's words ("Bank of Russia")
_STOPWORDS = frozenset({"of", "and", "the", "for", "de", "la", "le", "des", "du", "y", "i", "et", "und", "der"})


def _words(text: str) -> tuple[str, ...]:
    ascii_text = anyascii(latin_skeleton(text)).casefold().replace("&", " and ")
    # letters written apart are one word ("U.S.S.R.", "E.I.R.L."): an acronym, not a few letters
    return tuple(_TOKEN.findall(_LETTERS_APART.sub(lambda m: m.group(0).replace(" ", ""),
                                                    _SPACED.sub(" ", ascii_text))))


#: what separates words: anything but letters and digits
_SPACED = re.compile(r"[^a-z0-9]+")
#: two or more single letters in a row
_LETTERS_APART = re.compile(r"(?<![a-z0-9])[a-z](?: [a-z](?![a-z0-9]))+")


@lru_cache(maxsize=1 << 16)
def _legal_forms(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without its legal forms, and those forms in ``rigour``'s generic spelling."""
    from rigour.names import extract_org_types, remove_org_types

    han_forms: tuple[str, ...] = ()
    if has_han(text):  # written without spaces: split into seat, brand, trade and form first
        text, han_forms = split_han(text, LEADING_PLACES)
    folded = text.casefold()
    found = extract_org_types(folded, generic=True)
    if not found:
        return text, han_forms
    forms = tuple(dict.fromkeys([*han_forms, *(target for _matched, target in found)]))
    return remove_org_types(folded), forms


# -- scores ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 18)
def _similarity(x: str, y: str) -> float:
    """1 - edits / length, when the edits are at most one per four letters of the longer; else 0.

    Edits count a swap of two neighbouring letters as one (optimal string alignment).

    >>> _similarity("dahau", "dahua"), _similarity("nvidla", "nvidia"), _similarity("abc", "abd")
    (0.8, 0.833, 0.0)
    """
    if x == y:
        return 1.0
    longest = max(len(x), len(y))
    # one edit per four letters of the shorter, in four letters or fewer only a letter added:
    # "NIOC" is not "NICO", "Surgutneftegas" not "Surgutneftegasbank"
    shortest = min(len(x), len(y))
    allowed = (shortest - 1) // 4 or (1 if shortest >= 4 and longest == shortest + 1 else 0)  # "Chen", "Cheng"
    if not allowed or longest - shortest > allowed:
        return 0.0
    edits = OSA.distance(x, y, score_cutoff=allowed)
    return 0.0 if edits > allowed else round(1.0 - edits / longest, 3)


@lru_cache(maxsize=1 << 12)
def _generic(word: str) -> bool:
    """Whether ``word`` says little about which firm it is: a trade, a place, a country, a joining word."""
    return (word in _STOPWORDS or word in COMMON_TOKENS or word in LEADING_PLACES or word in _country_words()
            or len(word) < 3)


@lru_cache(maxsize=1 << 12)
def _descriptive(word: str) -> bool:
    """Whether ``word`` only describes a firm (its form, its seat, "Technology"): a name with it and a
    name without it may be one firm. A trade ("Electronics"), a country ("Palestine") or a short
    word ("GC" in "PFLP-GC") may tell two apart."""
    return (word in _STOPWORDS or word in LEGAL_SUFFIXES or word in DESCRIPTORS or word in LEADING_PLACES
            or word in _FORM_WORDS)


def _only_form(these: list[str], those: list[str]) -> bool:
    """Whether ``these`` are a legal form ("Company") and ``those`` only a seat or a descriptor
    ("Shenzhen", "Tech"): "Winthought Company Ltd." and "Shenzhen Winthought Tech" may be one firm."""
    return (all(w in LEGAL_SUFFIXES or w in _STOPWORDS for w in these)
            and all(w in LEGAL_SUFFIXES or w in DESCRIPTORS or w in LEADING_PLACES or w in _STOPWORDS for w in those))


def _names_a_group(words: list[str]) -> bool:
    """Whether ``words`` name a group of firms ("Group", "Holdings"), not one firm's form ("Corp")."""
    return any(w in _GROUP_WORDS for w in words)


#: words that name a group of firms, which a parent is as often called as the group itself
_GROUP_WORDS = frozenset({"group", "holding", "holdings"})
#: words of legal forms that rigour's list leaves in a name when they are not a whole form
_FORM_WORDS = frozenset({"state", "public", "joint", "stock", "open", "closed", "national", "international"})


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    import pycountry

    words = set()
    for country in pycountry.countries:  # names of one word: "Iran, Islamic Republic of" gives "iran" only
        for attr in ("name", "common_name"):
            first = (getattr(country, attr, "") or "").split(",")[0]
            if len(first.split()) == 1:
                words.update(_TOKEN.findall(anyascii(first).casefold()))
    # the short names and adjectives firms use, which ISO's names lack ("Sberbank of Russia")
    words.update({"russia", "rossii", "russian", "chinese", "iranian", "korean", "belarusian", "ukrainian", "syrian",
                  "american"})
    return frozenset(w for w in words if len(w) >= 4)


@lru_cache(maxsize=1 << 16)
def _weight(word: str) -> float:
    # a distinctive word counts by its length, up to a point (a long word is not worth three short
    # ones); a trade word by half of that, a word that only describes (a form, a seat) by a fifth
    return (0.2 if _descriptive(word) else 0.5 if _generic(word) else 1.0) * math.sqrt(min(len(word), 12))


#: the notes of a pair left unexplained because it cannot reach the caller's floor (:func:`compare_names`)
_BELOW: list = []


def _name_score(a: PreparedName, b: PreparedName, floor: float | None = None) -> tuple[float, list[tuple[str, str]], bool, tuple[str, ...],
                                                            tuple[str, ...]]:
    """The names' score, its notes, whether it may make a possible match at most, and what a
    build does not merge on (:attr:`Comparison.one_sided`, :attr:`Comparison.respelled`)."""
    if not a.key or not b.key:
        return 0.0, [], False, (), ()
    if a.digits != b.digits:
        return 0.0, [("note", "numbers differ")], False, (), ()
    if a.key == b.key:
        return 1.0, [], False, (), ()
    if a.sorted_key == b.sorted_key:
        return 0.97, [("note", "words in another order")], False, (), ()
    apart = (fuzz.ratio(a.key, b.key) < _QUICK and fuzz.ratio(a.sorted_key, b.sorted_key) < _QUICK
             and (3 * min(len(a.key), len(b.key)) > 2 * max(len(a.key), len(b.key))
                  or fuzz.partial_ratio(a.key, b.key) < _QUICK)
             and (a.transliterated == b.transliterated or fuzz.partial_ratio(a.sound, b.sound) < _QUICK))
    if apart and not _share_a_brand(a, b):
        return 0.0, [], False, (), ()  # no part of one is near the other: one C++ call spares the word alignment
    # names of as many words compare word by word (each with the edits its own length allows);
    # glued keys serve names whose words are split or glued otherwise ("Hai Lum", "Hailum")
    same_count = len(a.words) == len(b.words) > 1
    exact = a.acronym or b.acronym  # an acronym's letters are all it has: none may change
    one_sided: tuple[str, ...] = ()
    multi = len(a.words) > 1 or len(b.words) > 1  # then the word alignment says what is respelled
    respelled: tuple[str, ...] = () if multi or _sure_slip(a.key, b.key) else (f"{a.key} / {b.key}",)
    best, notes, capped = (0.0 if same_count or exact else _similarity(a.key, b.key)), [], False
    if best and not _is_slip(a.key, b.key):
        notes, capped = [("note", "a letter changed that is not a slip")], True
    if a.transliterated != b.transliterated and (best < 1 or capped):
        # a name written in another script and back: "Газпром" is "gazprom", but "Джоинт Стокк" is
        # "dzhoint stokk": compared as they sound, at a small cost for the doubt
        heard = round(_similarity(a.sound, b.sound) * 0.95, 3)
        if heard > (min(best, THRESHOLDS.match - 0.01) if capped else best):
            best, notes, capped = heard, [("note", "spelled alike")], False
    if multi:
        by_words, word_notes, word_capped, one_sided, respelled = _words_score(a, b, exact,
                                                                               None if best >= (floor or 0) else floor)
        if word_notes is _BELOW:
            return max(best, by_words), _BELOW, False, (), ()
        # a word one side has stays one-sided when the glued keys score better ("... (Sugon)")
        if by_words > best or (by_words == best and capped and not word_capped):
            best, notes, capped = by_words, word_notes, word_capped
    if apart:
        # names that share a distinctive word and little else ("Winthought Company Ltd.",
        # "Shenzhen Winthought Tech"; "Acme Group", "Acme Corp"): a screen's answer, which an
        # analyst reads, but two entries of the lists as often two firms: a build does not merge them
        one_sided = tuple(dict.fromkeys([*one_sided, *(w for w in a.content if w not in b.content),
                                         *(w for w in b.content if w not in a.content)]))
    return best, notes, capped, one_sided, respelled
#: letters that look alike in print or on screen ("Huawel", "Nvidla"), both ways
_LOOKALIKE = frozenset({("l", "i"), ("i", "l"), ("l", "1"), ("1", "l"), ("i", "1"), ("1", "i"), ("o", "0"),
                        ("0", "o"), ("u", "v"), ("v", "u")})
_VOWELS = frozenset("aeiouy")


def _keyboard_neighbours() -> frozenset[tuple[str, str]]:
    # a QWERTY keyboard's rows, each shifted right of the one above as the keys are
    rows = [("1234567890", 0.0), ("qwertyuiop", 0.5), ("asdfghjkl", 0.75), ("zxcvbnm", 1.25)]
    where = {c: (y, i + shift) for y, (row, shift) in enumerate(rows) for i, c in enumerate(row)}
    return frozenset((a, b) for a, (ya, xa) in where.items() for b, (yb, xb) in where.items()
                     if a != b and abs(ya - yb) <= 1 and abs(xa - xb) <= 1)


#: keys next to each other ("Standatd" for "Standard"): a typing slip
_NEIGHBOURS = _keyboard_neighbours()


_SOUNDS = [("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("ks", "x"), ("c", "k"), ("q", "k"),
           ("w", "v"), ("y", "i"), ("z", "s")]
_DOUBLED = re.compile(r"(.)\1+")


def _sound(key: str) -> str:
    """``key`` spelled as it sounds, the same from Latin and from a Cyrillic transliteration.

    >>> _sound("publikdzhointstokkkompanygazprom") == _sound("publicjointstockcompanygazprom")
    True
    """
    for written, heard in _SOUNDS:
        key = key.replace(written, heard)
    return _DOUBLED.sub(r"\1", key)


@lru_cache(maxsize=1 << 16)
def _is_slip(x: str, y: str) -> bool:
    """Whether the edits from ``x`` to ``y`` are typing or reading slips, not another name.

    A slip: two neighbouring letters swapped, a letter added or dropped (not the first), a
    vowel for another, a look-alike letter (``l`` for ``i``), a key next to the right one
    (``t`` for ``r``). Another consonant, or a changed first letter, make another firm's name
    as often as a typo ("Corfang", "Corkang"; "Kestrava", "Estrava").

    >>> _is_slip("huawei", "huawel"), _is_slip("dahua", "dahau"), _is_slip("corfang", "corkang")
    (True, True, False)
    >>> _is_slip("bacodi", "abcodi"), _is_slip("kestrava", "estrava")
    (True, False)
    """
    if not x or not y:
        return False
    if len(x) == len(y) and OSA.distance(x, y) == 1 and x != y and sorted(x) == sorted(y):
        return True  # two neighbouring letters swapped, wherever they are
    for op, i, j in _opcodes(x, y):
        if i == 0 or j == 0:  # the first letter: seldom mistyped ("Orpol" for "Torpol" is another firm)
            return False
        if op == "replace":
            p, q = x[i], y[j]
            if not ((p in _VOWELS and q in _VOWELS) or (p, q) in _LOOKALIKE or (p, q) in _NEIGHBOURS):
                return False
    return True


def _opcodes(x: str, y: str):
    from rapidfuzz.distance import Levenshtein

    # a swap is two replacements in Levenshtein's terms: when the two are a swap, it is a slip
    ops = [(op.tag, op.src_pos, op.dest_pos) for op in Levenshtein.editops(x, y)]
    replaces = [o for o in ops if o[0] == "replace"]
    if len(replaces) == 2 and replaces[1][1] == replaces[0][1] + 1 and x[replaces[0][1]] == y[replaces[1][2]] \
            and x[replaces[1][1]] == y[replaces[0][2]]:
        return [o for o in ops if o[0] != "replace"]
    return ops


def _words_score(a: PreparedName, b: PreparedName, exact: bool = False,
                 floor: float | None = None) -> tuple[float, list[tuple[str, str]], bool, tuple[str, ...], tuple[str, ...]]:
    """Words aligned one to one, each with its best free partner: a weighted Dice score. When the
    words left over say little (a place, a trade, a country) and are on one side only, the
    distinctive words' agreement stands; a word changed for another makes at most a possible match."""
    words, others = a.content, b.content
    free = list(others)
    matched, left, rest = [], [], []
    for word in words:  # the same word on both sides first: most words of most pairs
        if word in free:
            free.remove(word)
            matched.append((word, word, 1.0))
        else:
            rest.append(word)
    if exact:
        left = rest
    elif rest:
        for word in sorted(rest, key=_heaviest_first) if len(rest) > 1 else rest:
            best, at = 0.0, -1
            for i, other in enumerate(free):
                s = _word_similarity(word, other)
                if s > best:
                    best, at = s, i
            if at < 0:
                left.append(word)
                continue
            matched.append((word, free.pop(at), best))
    if not matched:
        return 0.0, [], False, (), ()
    mass = a.mass + b.mass
    # a word one name has that is the other's legal form, misspelt ("Limiited", "Compay", "Ldt")
    # or left in by rigour ("Co." of "Co. Ltd."): read as that form, not as a word of the name
    misspelt = ([w for w in left if _misspells(w, b.form_words)] if left and b.form_words else []) + \
               ([w for w in free if _misspells(w, a.form_words)] if free and a.form_words else [])
    if misspelt:
        left = [w for w in left if w not in misspelt]
        free = [w for w in free if w not in misspelt]
        mass -= sum(_weight(w) for w in misspelt)
    score = sum(s * (_weight(x) + _weight(y)) for x, y, s in matched) / mass
    if misspelt:
        score = min(score, 0.97)
    distinctive = [(x, y, s) for x, y, s in matched if not _generic(x) or not _generic(y)]
    leftover = left + free
    if floor is not None and score < floor - 0.0005 and not (distinctive and all(_generic(w) for w in leftover)):
        # below the floor once rounded, and the agreement of distinctive words cannot lift it (what follows
        # only lowers a score): the caller drops it unexplained
        return score, _BELOW, False, (), ()
    notes: list[tuple[str, str]] = []
    capped = False
    if distinctive and all(_generic(w) for w in leftover) and max(len(x) for x, _, _ in distinctive) >= 4:
        # every word that tells the firm apart agrees; the rest is a form, a place, a country
        # ("Rostec", "STATE CORPORATION ROSTEC"), or a trade, which may tell two firms apart
        # ("Dahua", "DAHUA ELECTRONICS CORPORATION"): then the pair is for review
        agree = sum(s * _weight(x) for x, _, s in matched) / sum(_weight(x) for x, _, _ in matched)
        score = max(score, agree * (0.97 - 0.01 * len(leftover)))
        trades = [w for w in leftover if not _descriptive(w)]
        if trades:
            capped = True
            notes.append(("note", f"a trade word differs ({' '.join(trades)})"))
        elif leftover and not (left and free):
            notes.append(("extra words", " ".join([w for w in others if w in free] + [w for w in words if w in left])))
    if not distinctive and leftover:
        # "China Electronics Technology Group" and "China Electronics": only trade and place words
        # agree, which many firms share
        capped = True
        notes.append(("note", "no distinctive word in common"))
    if left and free and not (_only_form(left, free) or _only_form(free, left)):
        # one word for another ("Beijing" for "Shenzhen"); a legal form on one side is no other firm
        capped = True
        notes.append(("note", f"words differ ({' '.join(left)} / {' '.join(free)})"))
    elif left and free and _names_a_group(left) != _names_a_group(free):
        # "Listed Group" and "Listed Corp": a group of firms and a firm of one name are as often a
        # parent and its subsidiary, two legal entities, as one firm: an analyst reviews it
        capped = True
        notes.append(("note", f"words differ ({' '.join(left)} / {' '.join(free)})"))
    elif left and free and all(w in LEGAL_SUFFIXES for w in leftover):
        # "Listed Corp" and "Listed Company": forms of one firm that rigour does not take out, said
        notes.append(("note", f"legal form differs ({' '.join(left)} / {' '.join(free)})"))
    elif any(not _generic(w) for w in leftover):
        # a distinctive word only one name has: often another firm ("BPS-Sberbank", "Sberbank")
        capped = True
        notes.append(("note", f"a word only one name has ({' '.join(w for w in leftover if not _generic(w))})"))
    changed = [(x, y) for x, y, s in matched if s < 1 and not _is_slip(x, y)]
    if changed:
        capped = True
        notes.append(("note", "a letter changed that is not a slip (" + ", ".join(f"{x} / {y}" for x, y in changed) + ")"))
    # what a build may not merge on: a word one side has that is more than a legal form, a
    # country or a leading place ("Sberbank Technologies" is Sberbank's subsidiary, not Sberbank)
    # (an acronym of the name beside it is no other firm: "Shahid Hemmat Industrial Group (SHIG)")
    one_sided = tuple([w for w in left if not _formal(w) and not _abbreviates(w, words)]
                      + [w for w in free if not _formal(w) and not _abbreviates(w, others)])
    # and a distinctive word spelled otherwise than by a swap or a doubled letter
    respelled = tuple(f"{x} / {y}" for x, y, s in matched if s < 1 and not (_generic(x) and _generic(y))
                      and (not _sure_slip(x, y) or max(len(x), len(y)) <= 4))
    if misspelt:
        notes.append(("note", f"legal form spelt otherwise ({' '.join(misspelt)})"))
    return score, notes, capped, one_sided, respelled


@lru_cache(maxsize=1 << 16)
def _misspells(word: str, forms: tuple[str, ...]) -> bool:
    """Whether ``word`` is one of the words ``forms`` (another name's legal form as written), or
    one of them with a typing slip (two letters swapped in any, one letter in five or more)."""
    size = len(word)
    for form in forms:
        # a slip changes the length by a letter in four at most: most words are far from every form
        if abs(len(form) - size) > max(1, (min(len(form), size) - 1) // 4):
            continue
        if word == form or (_similarity(word, form) > 0 and _is_slip(word, form)) or _swapped(word, form):
            return True
    return False


def _swapped(x: str, y: str) -> bool:
    return len(x) == len(y) and x != y and sorted(x) == sorted(y) and OSA.distance(x, y) == 1


@lru_cache(maxsize=1 << 18)
def _word_similarity(x: str, y: str) -> float:
    """:func:`_similarity` of two words of a name, where a word of four letters also takes one typing
    slip (:func:`_is_slip`: "Syar" for "Star", "Aia" for "Avia"), scored as one edit in four.

    A whole name is not scored so (an acronym's letters are all it has: "NIOC" is not "NICO"),
    and a build does not merge on it (:attr:`Comparison.respelled`).

    >>> _word_similarity("syar", "star"), _word_similarity("aia", "avia"), _word_similarity("star", "scar")
    (0.75, 0.75, 0.0)
    """
    s = _similarity(x, y)
    if s or max(len(x), len(y)) != 4 or min(len(x), len(y)) < 3:
        return s
    return 0.75 if OSA.distance(x, y) == 1 and _is_slip(x, y) else 0.0


def _heaviest_first(word: str) -> tuple[float, str]:
    return -_weight(word), word


def _abbreviates(word: str, words: tuple[str, ...]) -> bool:
    """Whether ``word`` is made of the initials of the other ``words``, in order, from the first.

    >>> _abbreviates("hiast", ("higher", "institute", "applied", "science", "technology", "hiast"))
    True
    """
    initials = iter(w[0] for w in words if w != word and w not in _STOPWORDS)
    return len(word) >= 2 and next(initials, "") == word[0] and all(c in initials for c in word[1:])


@lru_cache(maxsize=1 << 16)
def _sure_slip(x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` are one word: the same, two neighbouring letters swapped, a letter
    doubled ("hemmat", "hemat"), an ``h`` of a transliteration ("artur", "arthur") or a plural
    ``s``. A letter changed, added or dropped otherwise ("jintor", "jinor") makes another firm's
    name in a list as often as a typo.

    >>> _sure_slip("dahua", "dahau"), _sure_slip("hemmat", "hemat"), _sure_slip("belmar", "beimar")
    (True, True, False)
    """
    if x == y or _DOUBLED.sub(r"\1", x) == _DOUBLED.sub(r"\1", y) or x.replace("h", "") == y.replace("h", ""):
        return True
    if x.removesuffix("s") == y.removesuffix("s") and min(len(x), len(y)) >= 4:
        return True
    return len(x) == len(y) and sorted(x) == sorted(y) and OSA.distance(x, y) == 1


@lru_cache(maxsize=1 << 12)
def _formal(word: str) -> bool:
    """Whether ``word``, on one side only, leaves two names one legal entity: a legal form, a
    joining word, a country or a leading place ("Hangzhou"), not a trade or a descriptor."""
    return (word in _STOPWORDS or word in LEGAL_SUFFIXES or word in _FORM_WORDS or word in LEADING_PLACES
            or word in _country_words())
