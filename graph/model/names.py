"""Names: the key two spellings of one entity share, their distinctive words, and name cells.

Names are compared by a normalised key: transliterated to ASCII, case, punctuation, spaces
and legal suffixes dropped, so that "Sense Time", "SenseTime" and "Sensetime Group Limited"
meet. The resolver (:mod:`graph.resolve`), the readers, the extractor's gazetteer and its
evaluation all use these functions, so that one name has one key everywhere.

Examples
--------
>>> name_key("Sense Time") == name_key("SenseTime") == name_key("SENSETIME LIMITED")
True
>>> name_key("Zhejiang Dahua Technology Co., Ltd.")
'zhejiangdahuatechnology'
>>> name_key("DAHUA ELECTRONICS CORPORATION")
'dahuaelectronics'
>>> sorted(core_words("hangzhou hikvision digital technology"))
['hikvision']
>>> split_name("Massachusetts Institute of Technology (MIT)")
('Massachusetts Institute of Technology', 'MIT', None)
>>> split_name("HiSilicon (Huawei subsidiary; not US)")
('HiSilicon', None, 'Huawei subsidiary; not US')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from confusable_homoglyphs import categories, confusables

from graph.model.han import has_han, split_han

__all__ = ["name_key", "name_tokens", "latin_skeleton", "spaced_name", "core_words", "split_name",
           "LEGAL_SUFFIXES", "DESCRIPTORS", "LEADING_PLACES", "COMMON_TOKENS"]

#: dropped from the end of names: they tell the legal form or trade, not which company
LEGAL_SUFFIXES = frozenset({
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc",
    "plc", "gmbh", "ag", "sa", "holdings", "group",
})
#: words that describe a firm's trade or seat, not which firm it is: a name whose only other
#: word is a distinctive brand ("Hangzhou Hikvision Digital Technology") may match the brand
DESCRIPTORS = frozenset({"technology", "technologies", "tech", "digital", "network", "information", "science",
                         "sciences"})
#: a Chinese firm's name starts with its place of registration ("Hangzhou Hikvision"); a place
#: elsewhere in a name tells a subsidiary apart ("SMIC (Shenzhen)"), so only a leading one goes
LEADING_PLACES = frozenset({"hangzhou", "zhejiang", "beijing", "shanghai", "shenzhen", "xiamen", "guangzhou",
                            "hefei", "anhui", "chengdu", "wuhan", "tianjin", "nanjing", "jiangsu", "guangdong"})
#: too common to tell firms apart: never used to find candidates for a match
COMMON_TOKENS = LEGAL_SUFFIXES | DESCRIPTORS | LEADING_PLACES | {
    "china", "chinese", "beijing", "shanghai", "shenzhen", "international", "trading", "industrial",
    "industry", "industries", "science", "and", "the", "of", "for", "information", "electronic",
    "electronics", "research", "institute", "university", "engineering", "development", "import", "export",
    "government", "public", "security", "bureau", "people", "peoples", "region", "state", "national", "general",
    "main", "directorate", "military", "ministry", "department", "office", "center", "centre", "academy",
}

_PAREN = re.compile(r"^(?P<text>.*?)\s*\((?P<inner>[^()]*)\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\- ]{0,15}$")


def name_key(name: str) -> str:
    """The key two names share when they name the same entity for the resolver."""
    return "".join(_tokens(name))


def name_tokens(name: str) -> list[str]:
    """The words of ``name`` in ASCII lower case, trailing legal suffixes dropped.

    >>> name_tokens("Société Générale SA")
    ['societe', 'generale']
    """
    return list(_tokens(name))


@lru_cache(maxsize=1 << 17)
def _tokens(name: str) -> tuple[str, ...]:
    # the resolver asks for one name's words several times (its key, its spaced form): once is enough
    if has_han(name):  # written without spaces: its seat, brand, trade words and form apart
        name = split_han(name, LEADING_PLACES)[0]
    text = anyascii(latin_skeleton(name)).casefold()
    tokens = _TOKEN.findall(text.replace("&", " and "))
    while len(tokens) > 1 and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return tuple(tokens)


_TOKEN = re.compile(r"[a-z0-9]+")


def latin_skeleton(text: str) -> str:
    """``text`` with look-alike letters of other scripts made Latin, in words that mix scripts.

    A word written in one script is left alone (a Russian name is transliterated later, not
    read as Latin); a word that mixes Latin letters with Cyrillic or Greek ones that look like
    them ("Hikvisiоn" with a Cyrillic о) is a spoof or a typing accident, and is read as what it
    looks like, using Unicode's confusables data.

    >>> latin_skeleton("Hikvisiоn") == "Hikvision"
    True
    >>> latin_skeleton("Нуаwеi")
    'Hyawei'
    >>> latin_skeleton("Газпром")
    'Газпром'
    """
    if text.isascii():
        return text
    return _WORD.sub(_skeleton_of_word, text)


_WORD = re.compile(r"\w+")


def _skeleton_of_word(match: re.Match[str]) -> str:
    word = match.group(0)
    scripts = {_script(char) for char in word if char.isalpha()}
    if "LATIN" not in scripts or len(scripts) == 1:
        return word
    return "".join(_latin_lookalike(char) or char if _script(char) != "LATIN" else char for char in word)


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    return categories.alias(char)


@lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str | None:
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin", "common"])
    for glyph in (found[0]["homoglyphs"] if found else []):
        if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum():
            return glyph["c"]
    return None


def letters_lost_in_ascii(text: str) -> bool:
    """Whether dropping accents loses whole letters of ``text`` (another script, "ß", "Ø").

    >>> letters_lost_in_ascii("Sécurité"), letters_lost_in_ascii("海康威视")
    (False, True)
    """
    return any(char.isalpha() and not unicodedata.normalize("NFKD", char).encode("ascii", "ignore")
               for char in text if not char.isascii())


def spaced_name(names: list[str], key: str) -> str:
    """The words of the first of ``names`` whose key is ``key``, space-separated (else ``key``).

    >>> spaced_name(["Sense Time Ltd"], "sensetime")
    'sense time'
    """
    for name in names:
        tokens = _tokens(name)
        if "".join(tokens) == key:
            return " ".join(tokens)
    return key


def core_words(spaced: str) -> frozenset[str]:
    """The words that tell which firm it is: no legal form, trade word or leading place."""
    tokens = spaced.split()
    while len(tokens) > 1 and tokens[0] in LEADING_PLACES:
        tokens.pop(0)
    return frozenset(t for t in tokens if t not in LEGAL_SUFFIXES and t not in DESCRIPTORS)


def split_name(cell: str) -> tuple[str, str | None, str | None]:
    """A name cell -> (name, alias in parentheses or None, note in parentheses or None).

    A parenthesis after a name is an alias when it is an acronym, otherwise a note.
    """
    cell = " ".join(cell.split())
    match = _PAREN.match(cell)
    if not match:
        return cell, None, None
    inner = match["inner"].strip()
    if _ACRONYM.match(inner):
        return match["text"], inner, None
    return match["text"], None, inner
