"""Infobox lines: "Founders: A, B", "Siège : Hong Kong (Chine)", "Investisseurs : A, B et C and D".

Encyclopedic pages open with a box of ``Label: value`` lines about the page's subject (the
title line, else the first organisation named). Which labels say what is data (the
``infobox`` section of ``rules/<lang>.yaml``); this module splits the values, whose lists may
join names with commas and the conjunctions of two languages, and states the facts: a
founder holds a position in the subject, an investor owns part of it, the headquarters is
where it is.

Examples
--------
>>> from graph.extract.rules import load_rules
>>> from graph.extract.gazetteer import Mention
>>> text = "Acme\\nFounders: Ann Lee, Bo Chen\\nInvestors: Bolt Capital and Zeta Fund\\n\\nAcme makes chips."
>>> known = [Mention(0, 4, "Acme", "Company", name="Acme")]
>>> people = infobox_mentions(text, load_rules("en"), known)
>>> [(m.text, m.cls) for m in people]
[('Ann Lee', 'Person'), ('Bo Chen', 'Person'), ('Bolt Capital', 'Company'), ('Zeta Fund', 'Company')]
>>> facts = infobox_facts(text, load_rules("en"), sorted(known + people, key=lambda m: m.start))
>>> sorted((f.cls, [m.text for vs in f.values.values() for m in vs if hasattr(m, "text")]) for f in facts)[:2]
[('Ownership', ['Bolt Capital', 'Acme']), ('Ownership', ['Zeta Fund', 'Acme'])]
"""

from __future__ import annotations

import re

from graph.extract.gazetteer import Mention
from graph.extract.relations import Fact
from graph.extract.rules import Rules
from graph.extract.text import SpanIndex

__all__ = ["infobox_lines", "infobox_mentions", "infobox_facts"]

_LINE = re.compile(r"^(?P<label>[^\W\d][^:\n]{1,40}?)\s*:\s*(?P<value>\S[^\n]*)$", re.MULTILINE)
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|\bet\b|\band\b|&|\bund\b|\by\b)\s*")
#: an infobox sits at the top: only the first lines of a text are read as one
_TOP_LINES = 25
_CLASS_OF_FIELD = {"founders": "Person", "investors": "Company"}


def infobox_lines(text: str, rules: Rules) -> list[tuple[str, int, int]]:
    """``(field, value_start, value_end)`` of each infobox line the rules name, at the text's top."""
    out = []
    limit = _top(text)
    for match in _LINE.finditer(text, 0, limit):
        label = match.group("label").strip()
        for name, pattern in rules.infobox.items():
            if pattern.fullmatch(label):
                out.append((name, match.start("value"), match.end("value")))
                break
    return out


def infobox_mentions(text: str, rules: Rules, known: list[Mention]) -> list[Mention]:
    """The names listed on founders and investors lines that ``known`` does not already cover."""
    taken = SpanIndex((m.start, m.end) for m in known)
    out: list[Mention] = []
    for name, start, end in infobox_lines(text, rules):
        cls = _CLASS_OF_FIELD.get(name)
        if cls is None:
            continue
        for s, e in _items(text, start, end):
            if taken.overlaps(s, e) or not text[s:s + 1].isupper():
                continue
            out.append(Mention(s, e, text[s:e], cls, None, "infobox", 0.75, text[s:e]))
            taken.add(s, e)
    return out


def infobox_facts(text: str, rules: Rules, mentions: list[Mention]) -> list[Fact]:
    """Positions (founders), ownerships (investors) and the headquarters the infobox states."""
    lines = infobox_lines(text, rules)
    if not lines:
        return []
    subject = _subject(text, mentions)
    if subject is None:
        return []
    facts: list[Fact] = []
    for name, start, end in lines:
        line = (text.rfind("\n", 0, start) + 1, end)
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        if name == "founders":
            for person in (m for m in inside if m.cls == "Person"):
                fact = Fact("Position", "infobox: founders", spans=[line], confidence=0.75,
                            require=("holder", "organization"))
                fact.add("holder", person)
                fact.add("organization", subject)
                fact.add("role", "founder")
                facts.append(fact)
        elif name == "investors":
            for investor in (m for m in inside if m.cls in ("Company", "Organization") and m.identity != subject.identity):
                fact = Fact("Ownership", "infobox: investors", spans=[line], confidence=0.7)
                fact.add("owner", investor)
                fact.add("ownedEntity", subject)
                facts.append(fact)
        elif name == "headquarters":
            fact = Fact("attribute", "infobox: headquarters", spans=[line], confidence=0.75, kind="attribute")
            fact.add("subject", subject)
            for place in (m for m in inside if m.cls in ("Place", "Country")):
                fact.add("locatedIn" if place.cls == "Place" else "country", place)
            if len(fact.values) > 1:
                facts.append(fact)
    return facts


# ------------------------------------------------------------------------------ helpers


def _top(text: str) -> int:
    end = 0
    for _ in range(_TOP_LINES):
        nxt = text.find("\n", end)
        if nxt < 0:
            return len(text)
        end = nxt + 1
    return end


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a list's items, whatever joins them (",", "et", "and", "&")."""
    out = []
    cursor = start
    for sep in list(_ITEM_SPLIT.finditer(text, start, end)) + [None]:
        s, e = cursor, (sep.start() if sep else end)
        s, e = _strip(text, s, e)
        if s < e:
            out.append((s, e))
        if sep:
            cursor = sep.end()
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    # "(2014)", "[1]": notes after a name are not part of it
    paren = re.search(r"\s*[(\[]", text[s:e])
    if paren:
        e = s + paren.start()
    while s < e and text[s] in " .\t":
        s += 1
    while e > s and text[e - 1] in " .\t":
        e -= 1
    return s, e


def _subject(text: str, mentions: list[Mention]) -> Mention | None:
    first_line_end = text.find("\n")
    first_line_end = len(text) if first_line_end < 0 else first_line_end
    for mention in mentions:
        if mention.end <= first_line_end and mention.cls in ("Company", "Organization"):
            return mention
    return next((m for m in mentions if m.cls in ("Company", "Organization")), None)
