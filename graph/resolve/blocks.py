"""Blocking: the names the fuzzy stage has seen, as columns, and the candidates a new name meets.

A name is blocked by its key's first letters, its first consonants, each distinctive word,
that word's letters sorted and (six letters or more) its first four, and, when it has three or four words, its words but one, each
in turn (:class:`IndexedName`): a slip near a word's start changes every block of that word, and the
words left, each common alone, are often rare together. The index keeps every name it has seen as one
row of parallel lists (key, words, distinctive words, entity); a block maps a blocking key to
its rows, a bare row number while it holds one name (most blocks do: a firm's own words).
A new name meets the rows of its rarest blocks until :data:`BUDGET` is spent, so that it is
compared with at most that many earlier names however large the index grows; a block as
common as a trade word ("t:optics") costs one list and is never read. When every block of a
name is over the budget (at a million names, a first syllable and a second word are each
shared by hundreds of firms), the rows of its two smallest blocks in common are taken: a firm
that shares both is the likely original. The blocks of words but one are read after the name's
own blocks, with the budget those leave, and only when :data:`FEW` names or fewer share them.
Rows are plain integers
and strings: a million names make a few large lists, not millions of small objects for the
garbage collector to walk. The resolver (:mod:`graph.resolve.entities`) and ``kg lookup``'s
name index (:mod:`graph.screening.lookup`) block, gather and score candidates with this one index
(:meth:`NameBlocks.scored`, which asks :func:`graph.resolve.matching.compare_names`).

Examples
--------
>>> index = NameBlocks()
>>> index.add(IndexedName.of("anbeioptics", ["Anbei Optics"]), "kgr:org/anbei")
>>> index.add(IndexedName.of("corkangshipping", ["Corkang Shipping"]), "kgr:org/corkang")
>>> [index.keys[row] for row in index.candidates(IndexedName.of("abneioptics", ["Abnei Optics"]).blocks)]
['anbeioptics']
>>> [b for b in IndexedName.of("valtalumgortorshipping", ["Valtalum Gortor Shipping"]).blocks if b.startswith("w:")]
['w:gortor shipping', 'w:valtalum shipping', 'w:valtalum gortor']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from graph.model.names import COMMON_TOKENS, core_words, spaced_name
from graph.resolve.matching import THRESHOLDS, Comparison, Thresholds, compare_names, plausible, prepare

__all__ = ["NameBlocks", "IndexedName", "BUDGET", "digits_of", "pick"]

#: at most this many earlier names are compared with a new one, taken from its rarest blocks
BUDGET = 150
#: blocks up to this size are intersected when every block of a name is over the budget
SHARED_FROM = 10 * BUDGET
#: names of three words up to this many are also blocked by their words but one, each in turn
MOST_WORDS = 4
#: a block of words but one is read when at most this many names share those words: more firms
#: that differ in one word only would bring one a slip away from the name, another firm as often
FEW = BUDGET // 5
_CONSONANTS = re.compile(r"[aeiouy0-9]")
_DIGITS = re.compile(r"\d+")


@dataclass(eq=False, slots=True)
class IndexedName:
    """A name as the fuzzy stage compares it, computed once (and never changed: not frozen only
    because a frozen dataclass is made field by field through ``object.__setattr__``, slowly)."""

    key: str
    spaced: str
    core: frozenset[str]
    core_text: str
    digits: tuple[str, ...]
    blocks: tuple[str, ...]

    @classmethod
    def of(cls, key: str, names: list[str]) -> IndexedName:
        """The name among ``names`` whose key is ``key``, as the fuzzy stage compares it."""
        return cls.spelled(key, spaced_name(names, key))

    @classmethod
    def spelled(cls, key: str, spaced: str) -> IndexedName:
        """A name from its key and its words (``spaced``, as :func:`graph.model.names.spaced_name` gives)."""
        # the key's first letters, its distinctive words, and its first consonants: a typo or a
        # look-alike letter among the first five ("Hyawei" for "Huawei") still finds the name;
        # a distinctive word's letters in order ("abein" for "anbei" and "abnei") find a swap
        # anywhere in it, even behind a leading place that makes the first letters common
        words = [t for t in spaced.split() if len(t) >= 4]
        blocks = ["p:" + key[:5], "c:" + _CONSONANTS.sub("", key)[:5]]
        for t in words:
            if t not in COMMON_TOKENS:  # distinctive
                blocks += ("t:" + t, "a:" + "".join(sorted(t)))
                if len(t) >= 6:  # a slip late in a word behind a place: "Hikvisian", "Hangzhou Hikvision"
                    blocks.append("q:" + t[:4])
        if 2 < len(words) <= MOST_WORDS:
            # a slip changes one word; the others still name the firm together, where each alone
            # (a second word, a trade) is shared by hundreds of firms in a long list
            blocks += ("w:" + " ".join(words[:i] + words[i + 1:]) for i in range(len(words)))
        core = core_words(spaced)
        return cls(key, spaced, core, " ".join(sorted(core)) if len(core) > 1 else "".join(core), digits_of(key),
                   tuple(dict.fromkeys(blocks)))

    @property
    def brand(self) -> str | None:
        """The name's only distinctive word, when it has one of four letters or more ("hikvision")."""
        return next(iter(self.core)) if len(self.core) == 1 and len(self.core_text) >= 4 else None


def digits_of(key: str) -> tuple[str, ...]:
    """The numbers in a key, in order ("14th institute": ``('14',)``)."""
    return tuple(_DIGITS.findall(key)) if not key.isalpha() else ()


class NameBlocks:
    """Every name the fuzzy stage has seen, one row each, and its blocks.

    ``keys``, ``spaced``, ``core_texts`` and ``iris`` are the columns: row ``r`` is the name
    whose key is ``keys[r]``, whose words are ``spaced[r]``, whose distinctive words sorted are
    ``core_texts[r]``, of the entity ``iris[r]``.
    """

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.spaced: list[str] = []
        self.core_texts: list[str] = []
        #: the words glued in alphabetical order, which the matcher's prefilter compares
        #: (:func:`graph.resolve.matching.plausible`): made once per name, not per candidate
        self.sorted_keys: list[str] = []
        #: the names as written, which the matcher compares (their legal forms among them)
        self.texts: list[str] = []
        self.iris: list = []
        #: blocking key -> its row, or its rows in the order they came
        self.blocks: dict[str, int | list[int]] = {}
        #: a brand -> the rows of the names whose only distinctive word it is
        self.brands: dict[str, int | list[int]] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, name: IndexedName, iri, text: str | None = None) -> None:
        """Index ``name`` (written ``text``, by default its words) as a name of the entity ``iri``."""
        row = len(self.keys)
        self.keys.append(name.key)
        self.spaced.append(name.spaced)
        glued = "".join(sorted(name.spaced.split()))
        self.sorted_keys.append(name.key if glued == name.key else glued)
        self.texts.append(name.spaced if text is None or text == name.spaced else text)
        # most names' distinctive words are all their words: one string for both columns
        self.core_texts.append(name.spaced if name.core_text == name.spaced else name.core_text)
        self.iris.append(iri)
        for block in name.blocks:
            _put(self.blocks, block, row)
        if (brand := name.brand) is not None:
            _put(self.brands, brand, row)

    def name(self, row: int) -> IndexedName:
        """Row ``row`` as the fuzzy stage compares it."""
        return IndexedName.spelled(self.keys[row], self.spaced[row])

    def brand(self, word: str) -> list[int]:
        """The rows of the names whose only distinctive word is ``word``."""
        return _rows(self.brands.get(word))

    def scored(self, name: IndexedName, text: str, *, countries=(), countries_of=None,
               thresholds: Thresholds | None = None, floor: float | None = None) -> list[tuple[int, Comparison]]:
        """The rows that ``name`` (written ``text``) may be, each with the matcher's comparison.

        The candidates (:meth:`candidates`, and the names whose only distinctive word is the
        name's brand) pass the matcher's C++ prefilter (:func:`graph.resolve.matching.plausible`),
        then :func:`graph.resolve.matching.compare_names` scores them, with ``countries`` against ``countries_of(iri)``. Only comparisons at
        ``floor`` (0..1; the thresholds' ``review`` by default) or above are returned, in row order.
        """
        rows = self.candidates(name.blocks)
        this = prepare(text)
        close: dict[int, None] = {}
        if (brand := name.brand) is not None:
            close.update((row, None) for row in self.brand(brand) if digits_of(self.keys[row]) == name.digits)
        if rows:
            # the name's words as the blocks spell them too: letters written apart stay apart there
            close.update((rows[i], None) for i in plausible(this, pick(self.keys, rows), None, pick(self.spaced, rows),
                                                            sorted_keys=pick(self.sorted_keys, rows),
                                                            query_words=this.words + tuple(name.spaced.split())))
        if not close:
            return []
        out = []
        floor = floor if floor is not None else (thresholds or THRESHOLDS).review
        for row in sorted(close):
            theirs = countries_of(self.iris[row]) if countries_of is not None and countries else ()
            result = compare_names(this, prepare(self.texts[row]), countries=countries, candidate_countries=theirs or (),
                                   thresholds=thresholds, floor=floor)
            if result.score >= floor:
                out.append((row, result))
        return out

    def candidates(self, blocks: tuple[str, ...]) -> list[int]:
        """The rows sharing a block with ``blocks`` (a name's, each once), rarest block first, within the budget.

        A row that sits in several blocks is kept once, at its first place. Blocks of equal
        size are taken in the order of their keys, so the candidates do not depend on the
        order ``blocks`` are given in.
        """
        table = self.blocks
        found, joined = [], []
        for block in blocks:
            rows = table.get(block)
            if rows is not None:
                (joined if block[0] == "w" else found).append((1 if type(rows) is int else len(rows), block, rows))
        found.sort()  # blocks are unique: ties never reach the rows
        taken, budget = [], BUDGET
        for size, _, rows in found:
            if size > budget:
                break
            budget -= size
            taken.append(rows)
        over = found[len(taken):]
        # The words but one come after the name's own blocks, with the budget those leave: they
        # add the firms that share all the name's words but one, and change nothing else
        joined.sort()
        for size, _, rows in joined:
            if size > min(budget, FEW):
                break
            budget -= size
            taken.append(rows)
        if budget and len(over) > 1 and over[1][0] <= SHARED_FROM:
            # The blocks left are each too big to read (a common first syllable, a common second
            # word): the few names that share the two smallest of them are the likely ones.
            inside = set(over[1][2])
            taken.append([row for row in over[0][2] if row in inside][:budget])
        if len(taken) > 1:
            return list(dict.fromkeys(chain.from_iterable((r,) if type(r) is int else r for r in taken)))
        return _rows(taken[0]) if taken else []


def pick(column: list, rows: list[int]) -> tuple:
    """``column``'s values at ``rows`` (one or more), in one C call (``itemgetter``), not a Python loop."""
    if len(rows) == 1:
        return (column[rows[0]],)
    return itemgetter(*rows)(column)


def _put(table: dict, key: str, row: int) -> None:
    rows = table.get(key)
    if rows is None:
        table[key] = row
    elif type(rows) is int:
        table[key] = [rows, row]
    else:
        rows.append(row)


def _rows(rows: int | list[int] | None) -> list[int]:
    if rows is None:
        return []
    return [rows] if type(rows) is int else list(rows)

