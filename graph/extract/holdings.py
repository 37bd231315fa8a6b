"""Shareholder lists: a line naming a company's shareholders, then one line per holder and stake.

Annual reports and encyclopedic pages list who owns a company as a short table::

    Les principaux actionnaires d'Acme sont :
      • Bolt Capital Co., Ltd., 39,08 %
      • Ann Lee, 13,4 %

The opening line is the rules' ``shareholders`` pattern (``rules/<lang>.yaml``) and names the
owned company; each following line is a name, then a percentage. A holder is a company when
its name says so (a legal form, a company head word), a person when it is two or three
capitalised words and nothing else, a company otherwise. Each line states an ownership.

Examples
--------
>>> from graph.extract.rules import load_rules
>>> from graph.extract.gazetteer import Mention, mention_at
>>> text = "Acme makes chips. The largest shareholders of Acme are:\\n- Bolt Capital Ltd., 40%\\n- Ann Lee (12.5%)\\n"
>>> rules = load_rules("en")
>>> known = [Mention(0, 4, "Acme", "Company", name="Acme"), Mention(46, 50, "Acme", "Company", name="Acme")]
>>> holders = shareholder_mentions(text, rules, known)
>>> [(m.text, m.cls) for m in holders]
[('Bolt Capital Ltd.', 'Company'), ('Ann Lee', 'Person')]
>>> facts = shareholder_facts(text, rules, sorted(known + holders, key=lambda m: m.start))
>>> [(f.values["owner"][0].text, f.values["ownedEntity"][0].text) for f in facts]
[('Bolt Capital Ltd.', 'Acme'), ('Ann Lee', 'Acme')]
"""

from __future__ import annotations

import re

from graph.extract.gazetteer import Mention, mention_at
from graph.extract.relations import Fact
from graph.extract.rules import Rules
from graph.extract.text import PERSON_NAME, SpanIndex

__all__ = ["shareholder_lines", "shareholder_mentions", "shareholder_facts"]

# a holder's line: an optional bullet, the name, then its stake ("X, 39,08%", "X (12.5 %)", "X – 9%")
_HOLDER = re.compile(r"[ \t]*(?:[•·▪◦*–—-][ \t]*)?(?P<name>[^\n,(]+?(?:,? (?:Co\.|Ltd\.?|Inc\.?|Corp\.?))*)"
                     r"[ \t]*(?:,|:|\(|–|—|-)[ \t]*(?P<share>\d{1,3}(?:[.,]\d+)?)[ \t]*%[ \t]*\)?[ \t]*$",
                     re.MULTILINE)


def shareholder_lines(text: str, rules: Rules) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Each list: the span of its opening line, and the (start, end) of each holder's name."""
    if rules.shareholders is None:
        return []
    out = []
    for opening in re.finditer(r"[^\n]*:[ \t]*$", text, re.MULTILINE):
        if not rules.shareholders.search(opening.group()):
            continue
        names, cursor = [], opening.end() + 1
        while cursor < len(text):
            line = _HOLDER.match(text, cursor)
            if line is None or "\n" in text[cursor:line.start("name")]:
                break
            names.append(line.span("name"))
            cursor = line.end() + 1
        if names:
            out.append((opening.span(), names))
    return out


def shareholder_mentions(text: str, rules: Rules, known: list[Mention]) -> list[Mention]:
    """The holders whose names ``known`` does not already cover, typed by the shape of the name."""
    taken = SpanIndex((m.start, m.end) for m in known)
    out: list[Mention] = []
    for _opening, names in shareholder_lines(text, rules):
        for s, e in names:
            if taken.overlaps(s, e) or not text[s:s + 1].isupper():
                continue
            out.append(Mention(s, e, text[s:e], _holder_class(text[s:e], rules), None, "holders", 0.7, text[s:e]))
            taken.add(s, e)
    return out


def shareholder_facts(text: str, rules: Rules, mentions: list[Mention]) -> list[Fact]:
    """One ownership per holder, of the company the opening line names (its last one)."""
    facts: list[Fact] = []
    for (start, end), names in shareholder_lines(text, rules):
        owned = [m for m in mentions if start <= m.start and m.end <= end and m.cls in ("Company", "Organization")]
        if not owned:
            continue
        for s, e in names:
            holder = mention_at(mentions, s, e)
            if holder is None or holder.cls not in ("Company", "Organization", "Person") or \
                    holder.identity == owned[-1].identity:
                continue
            fact = Fact("Ownership", "shareholder list", spans=[(start, e)], confidence=0.7)
            fact.add("owner", holder)
            fact.add("ownedEntity", owned[-1])
            facts.append(fact)
    return facts


def _holder_class(name: str, rules: Rules) -> str:
    head = rules.class_cues.get("Company", {}).get("head")
    if (rules.legal_suffix is not None and re.search(r"\b(?:Co|Ltd|Inc|Corp|LLC|Limited|S\.?A|AG|GmbH)\b", name)) or \
            (head is not None and head.search(name)):
        return "Company"
    return "Person" if PERSON_NAME.fullmatch(name) else "Company"
