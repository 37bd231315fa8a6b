"""Lists of a measure's targets: a line that introduces them, then one target a line.

Press releases and news stories on listings and sanctions name the targets in a list after
the sentence that states the measure::

    The Commerce Department added three companies to the Entity List. The entities added are:
    - Arden Microsystems, Shenzhen, China;
    - Belmont Robotics (Russia)

The opening line ends with a colon and its last sentence matches the rules' ``target_list``
pattern (``rules/<lang>.yaml``: "The entities added are", "Les entités visées sont",
"designated the following"); each following line is an optional bullet or number, the
target's name, then what the list says of it (an address, a country, an alias) after a comma,
a semicolon, a bracket or a dash. A name is a company unless it is two or three capitalised
words and nothing else (a person) or a place the place gazetteer knows (never a target). The
list ends at the first line that is not a name: prose, an empty line before a line with no
bullet, or the end of the text.

The targets join the measure the article stated last before the list (the rules' or the one
the opening line states); where there is none, the opening line's government bodies impose a
measure of their own (an Entity List listing when the line names a list).

Examples
--------
>>> from graph.extract.rules import load_rules
>>> from graph.extract.gazetteer import Mention, mention_at
>>> text = "Treasury designated the following firms:\\n- Arden Microsystems, Moscow;\\n- Ann Lee\\n"
>>> rules = load_rules("en")
>>> known = [Mention(0, 8, "Treasury", "GovernmentBody", name="Treasury")]
>>> found = target_mentions(text, rules, known)
>>> [(m.text, m.cls) for m in found]
[('Arden Microsystems', 'Company'), ('Ann Lee', 'Person')]
>>> facts = target_facts(text, rules, sorted(known + found, key=lambda m: m.start), [])
>>> [(f.cls, [m.text for m in f.values["targets"]], [m.text for m in f.values["imposedBy"]]) for f in facts]
[('Measure', ['Arden Microsystems', 'Ann Lee'], ['Treasury'])]
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.extract.gazetteer import Mention, mention_at
from graph.extract.places import place_index
from graph.extract.relations import Fact
from graph.extract.rules import Rules
from graph.extract.text import PERSON_NAME, SpanIndex

__all__ = ["target_lines", "target_mentions", "target_facts"]

# a target's line: a bullet or a number, the name (a legal form may hold commas: "Acme Co., Ltd."),
# then what the list says of it after a comma, a semicolon, a colon, a bracket or a dash
_ITEM = re.compile(r"[ \t]*(?P<bullet>(?:[•·▪◦*–—-]|\(?\d{1,3}[.)])[ \t]*)?"
                   r"(?P<name>[^\s,;:(–—][^\n,;:(–—]*?(?:,? (?:Co\.|Ltd\.?|Inc\.?|Corp\.?|LLC|Limited|S\.A\.|AG|GmbH))*)"
                   r"[ \t]*(?:(?:[,;:(–—]| - )[^\n]*)?$", re.MULTILINE)
# the small words a name may hold in lower case ("Bureau of Industry", "Banque de France")
_CONNECTORS = {"of", "and", "for", "the", "in", "at", "de", "du", "des", "la", "le", "et", "d", "l", "&", "pour", "en"}
_COMPANY_WORDS = re.compile(r"\b(?:Co|Corp|Corporation|Company|Ltd|Limited|Inc|LLC|Group|Holdings?|Technolog\w*|"
                            r"Industr\w*|Electronics|Systems|Bank|Banque|Institute|Institut|University|Université|"
                            r"Laborator\w*|Labs?|Robotics|Sensors|Microsystems|Photonics|Semiconductor\w*|Trading|"
                            r"Logistics|Société|Groupe|Compagnie|Academy|Académie|Enterprises?|Solutions)\b")
_MAX_WORDS = 12
_LIST_NAMES = re.compile(r"(?i)\b(?:entity list|liste noire|liste des entités|blacklist|sdn list)\b")


def target_lines(text: str, rules: Rules) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Each list: the span of its opening sentence, and the (start, end) of each target's name."""
    if rules.target_list is None:
        return []
    out = []
    for opening in re.finditer(r"[^\n]*:[ \t]*$", text, re.MULTILINE):
        # the opening is the line's last sentence ("... on Tuesday. The entities added are:")
        line_start = opening.start()
        last = max((m.end() for m in re.finditer(r"[.!?][\"”»]?\s+(?=[A-ZÀ-Ý«\"“])", opening.group())), default=0)
        start = line_start + last
        if not rules.target_list.search(text, start, opening.end()):
            continue
        names, cursor = [], opening.end() + 1
        while cursor < len(text):
            blank = re.match(r"[ \t]*\n", text[cursor:])
            if blank is not None:
                # an empty line goes on to a list only when a bullet follows it
                after = cursor + blank.end()
                item = _ITEM.match(text, after)
                if item is None or item.group("bullet") is None:
                    break
                cursor = after
                continue
            item = _ITEM.match(text, cursor)
            if item is None or not _is_name(item.group("name")):
                break
            names.append(item.span("name"))
            cursor = item.end() + 1
        if names:
            out.append(((start, opening.end()), names))
    return out


def target_mentions(text: str, rules: Rules, known: list[Mention]) -> list[Mention]:
    """The listed targets whose names ``known`` does not cover, typed by the shape of the name."""
    taken = SpanIndex((m.start, m.end) for m in known)
    out: list[Mention] = []
    places = place_index()
    for _opening, names in target_lines(text, rules):
        for s, e in names:
            name = text[s:e]
            if taken.overlaps(s, e) or places.lookup(name):
                continue
            out.append(Mention(s, e, name, _class_of(name), None, "target list", 0.7, name))
            taken.add(s, e)
    return out


def target_facts(text: str, rules: Rules, mentions: list[Mention], facts: list[Fact],
                 is_a: Callable[[str, str], bool] | None = None) -> list[Fact]:
    """The listed targets added to the measure stated last before each list (in ``facts``, in
    place); returns the measures the lists state where no measure came before them."""
    is_a = is_a or (lambda cls, parent: cls == parent)
    new: list[Fact] = []
    for (start, end), names in target_lines(text, rules):
        targets = []
        for s, e in names:
            mention = mention_at(mentions, s, e)
            if mention is not None and mention.cls in ("Company", "Organization", "Person") and \
                    all(t.identity != mention.identity for t in targets):
                targets.append(mention)
        if not targets:
            continue
        span = (start, names[-1][1])
        measure = next((f for f in reversed(facts + new) if f.kind == "fact" and is_a(f.cls, "Measure") and f.spans and
                        min(s for s, _ in f.spans) <= end and start - max(e for _, e in f.spans) < 400), None)
        if measure is None:
            opening = [m for m in mentions if start <= m.start and m.end <= end]
            listed = [m for m in opening if m.cls == "RestrictedPartyList"]
            cls = "ExportControlListing" if listed or _LIST_NAMES.search(text, start, end) else "Measure"
            measure = Fact(cls, "list of targets", spans=[], confidence=0.7, require=("targets", "imposedBy"))
            for body in (m for m in opening if m.cls == "GovernmentBody"):
                measure.add("imposedBy", body)
            for lst in listed[:1]:
                measure.add("onList", lst)
            new.append(measure)
        for target in targets:
            measure.add("targets", target)
        if span not in measure.spans:
            measure.spans.append(span)
    return new


def _is_name(name: str) -> bool:
    """Does a line hold a name (every word capitalised but the small words), not prose?"""
    words = name.split()
    if not words or len(words) > _MAX_WORDS or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    if name.endswith(".") and not re.search(r"\b(?:Co|Ltd|Inc|Corp|S\.A|[A-Z])\.$", name):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() or w.lower().strip("’'") in _CONNECTORS
               or re.match(r"(?:d|l)[’']", w) for w in words)


def _class_of(name: str) -> str:
    if _COMPANY_WORDS.search(name):
        return "Company"
    return "Person" if PERSON_NAME.fullmatch(name) else "Company"
