"""The class of a name from its own words: its head noun and its legal form.

A name says what it names more reliably than the words around it: "National University of
Defence Technology" is a university (its head, before "of", is *University*), not a company
because it ends in *Technology*; "Corad Technology Limited" and "Tactical Missiles Corporation
JSC" are companies because they carry a legal form (``rigour``'s list of organisation types,
in many languages and scripts). A sanctions list calls every party it lists an organisation;
the name, or the text around it ("sa filiale HiSilicon", "the CEO of Sberbank"), often says
which kind.

Examples
--------
>>> from graph.extract.rules import load_rules
>>> en = load_rules("en")
>>> [name_class(n, en) for n in ("National University of Defence Technology", "Corad Technology Limited",
...                               "Bureau of Industry and Security", "Hefei National Laboratory for Physical Sciences")]
['Organization', 'Company', 'GovernmentBody', 'Organization']
>>> [name_class(n, load_rules("fr")) for n in ("direction générale du Trésor", "Foreign Office")]
['GovernmentBody', 'GovernmentBody']
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract.rules import Rules

__all__ = ["name_class", "has_legal_form", "opens_with_a_chinese_place", "head_part", "refine_known"]

#: where an English name's head ends: "University | of Defence Technology"
_EN_HEAD_END = re.compile(r" (?:of|for|at|on|in)\b")
#: the short legal forms rigour reads only with what follows them ("Co., Ltd."): "Pengjin High-Tech Co"
_ABBREVIATED_FORM = re.compile(r"\s(?:Co|Corp|Inc|Ltd|Cie)\.?$")
#: a state's name: a place, never an organisation
_STATE = re.compile(r"\b(?:Republic|Kingdom|Emirates|Principality)$|^(?:République|Royaume|Principauté)\b")
#: a Roman numeral, which some legal forms spell alike ("II")
_ROMAN = re.compile(r"[ivxl]+")
#: classes tried on a name's head, most specific first
_ORDER = ("Organization", "GovernmentBody", "Company")


def name_class(name: str, rules: Rules) -> str | None:
    """``Company``, ``GovernmentBody``, ``Organization`` (or ``Place``, for a state's name:
    "Donetsk People's Republic") when the name's words say so, else None.

    The head noun decides first (the rule file's ``class_cues: <class>: head`` patterns, read on
    the words before the first preposition in English, on the whole name in French, where the
    head comes first); a legal form makes a company.
    """
    core = head_part(name, rules.lang)
    if core != name:
        for cls in _ORDER:
            head = rules.class_cues.get(cls, {}).get("head")
            if head is not None and head.search(core):
                return cls
    for cls in ("GovernmentBody", "Company", "Organization"):
        head = rules.class_cues.get(cls, {}).get("head")
        if head is not None and head.search(name):
            return cls
    if rules.lang != "en" and " " in name:
        # an English name in another language's text: "le Foreign Office", "le Commerce Department"
        from graph.extract.rules import load_rules

        english = load_rules("en").class_cues
        core = head_part(name, "en")
        for cls in _ORDER:
            head = english.get(cls, {}).get("head")
            if head is not None and head.search(core):
                return cls
    if has_legal_form(name) or _ABBREVIATED_FORM.search(name) or opens_with_a_chinese_place(name):
        return "Company"
    if _STATE.search(name):
        return "Place"  # "Donetsk People's Republic" is a territory, whoever recognises it
    return None


def opens_with_a_chinese_place(name: str) -> bool:
    """True when ``name`` is a Chinese region's or city's name followed by other capitalised
    words that name no place: the shape of a Chinese firm's registered name, which opens with
    the division it is registered in ("Fujian Jinhua", "Wuhan Hongxin", "Shenzhen Pensun"),
    whatever a recogniser reads in two capitalised words (a person, most often).

    >>> opens_with_a_chinese_place("Fujian Jinhua"), opens_with_a_chinese_place("Fujian Province")
    (True, False)
    >>> opens_with_a_chinese_place("Xi Jinping"), opens_with_a_chinese_place("Paris Match")
    (False, False)
    """
    from graph.extract.places import FEATURE_WORDS, place_index

    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    index = place_index()
    if index.lookup(name):
        return False  # the whole name is a place's: "Xinjiang Uyghur Autonomous Region"
    for size in (2, 1):  # "Hong Kong", "Inner Mongolia", then one word
        if len(words) <= size:
            continue
        places = index.lookup(" ".join(words[:size]))
        rest = words[size]
        if places and all(p.country == "CN" and p.kind != "country" for p in places[:1]) and \
                not any(p.kind != "city" for p in index.lookup(rest)) and rest.lower() not in FEATURE_WORDS:
            return True
    return False


def head_part(name: str, lang: str) -> str:
    """The words of an English name before its first preposition; a French name whole.

    >>> head_part("Wuxi Jiangnan Institute of Computing Technology", "en")
    'Wuxi Jiangnan Institute'
    """
    if lang != "en":
        return name
    match = _EN_HEAD_END.search(name)
    return name[:match.start()] if match else name


def has_legal_form(name: str) -> bool:
    """True when ``name`` carries a company's legal form ("Ltd.", "JSC", "S.A.", "GmbH", "OOO").

    >>> has_legal_form("Tactical Missiles Corporation JSC"), has_legal_form("Ministry of Commerce")
    (True, False)
    >>> has_legal_form("World War II"), has_legal_form("Martin Yu"), has_legal_form("Arden YU")
    (False, False, True)
    """
    return any(len(match.strip(" .")) > 2 or _in_capitals(match, name) for match in _legal_forms(name.casefold()))


def _in_capitals(form: str, name: str) -> bool:
    """Is a legal form of one or two letters written in capitals or with dots in ``name``? A
    short form in title case is a word of a person's name ("Martin Yu", "Li Ag")."""
    found = re.search(r"(?<!\w)" + re.escape(form.strip()) + r"(?!\w)", name, re.IGNORECASE)
    return found is None or found.group().isupper() or "." in found.group()


@lru_cache(maxsize=4096)
def _legal_forms(folded: str) -> tuple[str, ...]:
    try:
        from rigour.names import extract_org_types
    except ImportError:  # rigour comes with the package; a stripped install still extracts
        return ()
    # "Co" or "SA" inside a longer word is no legal form; rigour checks word boundaries itself.
    # A Roman numeral ("World War II") is an ordinal, whatever form some country abbreviates so
    return tuple(match for match, _target in extract_org_types(folded, generic=True)
                 if not _ROMAN.fullmatch(match.strip(" .")))


def refine_known(mentions: list, rules: Rules, cue) -> list:
    """Known entities of the generic class ``Organization`` given the class their names or the
    text around them say: a listed party with a legal form among its names is a company, "the
    People's Liberation Army" a government body, "sa filiale HiSilicon" a company.

    ``cue(mention)`` is the class the words around one mention give, or None. Every mention
    of one entity gets the same class, the one its names give first, else its first cue.
    The entity's own statement keeps the class its source gave (a subclass is no contradiction).
    """
    from dataclasses import replace

    chosen: dict[str, str | None] = {}
    for mention in mentions:
        entry = mention.entry
        if entry is None or entry.cls != "Organization" or mention.cls != "Organization":
            continue
        if entry.id not in chosen:
            named = name_class(mention.text, rules) if mention.text[:1].isupper() else None
            if named is None and any(has_legal_form(n) for n in entry.names):
                named = "Company"
            chosen[entry.id] = named if named in ("Company", "GovernmentBody") else None
        if chosen[entry.id] is None:
            found = cue(mention)
            if found in ("Company", "GovernmentBody"):
                chosen[entry.id] = found
    if not any(chosen.values()):
        return mentions
    return [replace(m, cls=chosen[m.entry.id]) if m.entry is not None and chosen.get(m.entry.id) else m
            for m in mentions]
