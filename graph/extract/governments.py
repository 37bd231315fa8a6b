"""The government of a country: the one the text names, else the graph's, else the one it implies.

A title ("Russian President X", "Japanese trade minister X", "le Premier ministre néerlandais
X") and a country that acts ("the UK sanctioned X") both point at a country's government. The
text may name that government ("the Dutch government"); the graph may hold it (the US
government); or neither, and then it is an extracted body named as the language names it
("Russian government", "gouvernement russe": `government_name` in `rules/<lang>.yaml`, with
the first demonym listed for the country), the way the corpus annotates an unnamed body.
Every reader that needs a country's government asks :func:`government_of`; a title that names
no country ("Foreign Minister X", "le ministre de l'Economie X") asks :func:`country_meant` which
country the text means first.
"""

from __future__ import annotations

__all__ = ["government_of", "country_meant", "named_government", "known_government", "implied_government"]

import re

from graph.extract.gazetteer import Gazetteer, Mention
from graph.extract.rules import Rules, load_common
from graph.extract.text import fold, paragraph


def government_of(code: str | None, *, mentions: list[Mention], gazetteer: Gazetteer, rules: Rules,
                  span: tuple[int, int, str] | None = None) -> Mention | None:
    """The government of the country whose ISO code is ``code``, or None.

    The text's own mention of it first ("the Dutch government"), else the graph's ("US
    government"), else an extracted body named by ``rules`` ("Russian government") at
    ``span`` (start, end, words: where the text points at it).

    Parameters
    ----------
    code : str or None
        ISO 3166 alpha-2 code ("RU"); None gives None.
    mentions : list of Mention
        The text's mentions, searched for a government of that country it names.
    gazetteer : Gazetteer
        The graph's names, searched for that country's government.
    rules : Rules
        The language's rules: its demonyms and how it names a government.
    span : (int, int, str), optional
        Where the text points at the government, for a body neither names (0, 0, "" if omitted).

    Returns
    -------
    Mention or None
        None when ``code`` is None or the language has no name for that country's government.

    Examples
    --------
    >>> from graph.extract.rules import load_rules
    >>> government_of("RU", mentions=[], gazetteer=Gazetteer([]), rules=load_rules("en")).name
    'Russian government'
    >>> government_of("RU", mentions=[], gazetteer=Gazetteer([]), rules=load_rules("fr")).name
    'gouvernement russe'
    """
    if code is None:
        return None
    named = named_government(code, mentions, rules)
    if named is not None:
        return named
    country = gazetteer.country(code)
    known = known_government(country.id, gazetteer) if country is not None else None
    return known if known is not None else implied_government(code, rules, span)


def country_meant(text: str, position: int, mentions: list[Mention], gazetteer: Gazetteer, rules: Rules, *,
                  imposers: list[Mention] = ()) -> str | None:
    """The ISO code of the country whose government a title naming none, at ``position``, is in; or None.

    The paragraph settles it when the countries it names as actors (a country, a government
    body) are one; two settle nothing. A nationality word ("sanctions on Russian banks") or a
    city ("Moscow-based A") says where a party is, not whose official speaks, and counts for
    nothing. A paragraph that names none leaves it to the text: the one country whose bodies
    impose its measures (``imposers``: a minister speaking of a measure speaks for the side
    that imposes it), else the country of the capital in its dateline ("WASHINGTON -").

    Parameters
    ----------
    text : str
        The article.
    position : int
        Where the title is.
    mentions : list of Mention
        The text's mentions.
    gazetteer : Gazetteer
        The graph's names: the country of a known body.
    rules : Rules
        The language's rules: its nationality words, in a body's name ("the Dutch government").
    imposers : list of Mention, optional
        The bodies that impose the text's measures.

    Returns
    -------
    str or None
        An ISO 3166 alpha-2 code ("GB"), or None when the text does not settle it.

    Examples
    --------
    >>> from graph.extract.rules import load_rules
    >>> rules = load_rules("en")
    >>> dutch = Mention(33, 49, "Dutch government", "GovernmentBody")
    >>> country_meant("Foreign Minister Mara Ellison met Dutch government officials.", 0, [dutch], Gazetteer([]), rules)
    'NL'
    >>> text = "Britain froze the assets of Arden.\\nForeign Minister Mara Ellison said it was right."
    >>> britain = Mention(0, 7, "Britain", "Country", country="GB")
    >>> country_meant(text, text.index("Foreign"), [britain], Gazetteer([]), rules, imposers=[britain])
    'GB'
    >>> country_meant(text, text.index("Foreign"), [britain], Gazetteer([]), rules) is None
    True
    """
    start, end = paragraph(text, position)
    named = {code for m in mentions if start <= m.start and m.end <= end and m.cls in ("Country", "GovernmentBody")
             for code in [_country_of(m, gazetteer, rules)] if code}
    if named:
        return named.pop() if len(named) == 1 else None
    imposing = {code for m in imposers for code in [_country_of(m, gazetteer, rules)] if code}
    if imposing:
        return imposing.pop() if len(imposing) == 1 else None
    dateline = re.match(r"\s*([A-Z][A-Z .'-]+?)\s*(?:\(|,|[-–—])", text)
    return load_common().capitals.get(fold(dateline.group(1))[0]) if dateline else None


def _country_of(mention: Mention, gazetteer: Gazetteer, rules: Rules) -> str | None:
    """The country a mention names or belongs to: a country, a capital standing for its government,
    a known body, a body whose name holds a nationality word ("the British government"); None for
    any other."""
    if mention.cls == "Country":
        return mention.entry.code if mention.entry is not None and mention.entry.code else mention.country
    if mention.cls == "Place":
        return load_common().capitals.get(fold(mention.text)[0])
    if mention.cls != "GovernmentBody":
        return None
    if mention.entry is not None and mention.entry.country:
        return gazetteer.code_of(mention.entry.country)
    words = fold(mention.name or mention.text)[0].replace("-", " ").split()
    return next((rules.demonyms[w] for w in words if w in rules.demonyms), None)


def named_government(code: str | None, mentions: list[Mention], rules: Rules) -> Mention | None:
    """The text's mention of the government of the country ``code`` ("gouvernement néerlandais",
    "the Dutch government"), or None.

    >>> from graph.extract.rules import load_rules
    >>> dutch = Mention(4, 20, "Dutch government", "GovernmentBody", how="caps")
    >>> named_government("NL", [dutch], load_rules("en")).text, named_government("RU", [dutch], load_rules("en"))
    ('Dutch government', None)
    """
    if code is None:
        return None
    for mention in mentions:
        words = fold(mention.text)[0].replace("-", " ").split()
        if mention.cls == "GovernmentBody" and _GOVERNMENT_WORDS & set(words) and \
                any(rules.demonyms.get(w) == code for w in words):
            return mention
    return None


def known_government(country: str, gazetteer: Gazetteer) -> Mention | None:
    """The graph's government of ``country`` (an entry id), as a mention at no place in the text.

    >>> known_government("kgr:country/ru", Gazetteer([])) is None
    True
    """
    entry = gazetteer.government(country)
    if entry is None:
        return None
    return Mention(0, 0, entry.label(None), entry.cls, entry, "office", 0.7, entry.label(None))


def implied_government(code: str, rules: Rules, span: tuple[int, int, str] | None = None) -> Mention | None:
    """The government of ``code`` that neither the text nor the graph names, as an extracted body
    named as ``rules``' language names it, at ``span``; None if the language has no demonym for it.

    >>> from graph.extract.rules import load_rules
    >>> implied_government("GB", load_rules("en"), (0, 6, "the UK")).name
    'British government'
    """
    name = rules.government_names.get(code)
    if name is None:
        return None
    start, end, words = span or (0, 0, "")
    return Mention(start, end, words or name, "GovernmentBody", None, "metonymy", 0.6, name)


_GOVERNMENT_WORDS = {"government", "gouvernement", "administration", "executif", "cabinet"}
