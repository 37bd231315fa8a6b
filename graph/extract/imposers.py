"""Who imposes a measure whose own sentence names no body: the body named acting before it.

A release or a story names the imposing body once, then states measures without an agent:
"The Treasury sanctioned Arden Microsystems on Monday. ... Belmont Robotics was also
designated." A measure read with targets and no imposing body takes, in this order:

1. the imposing body of the nearest measure stated before it in the text (path
   ``imposedBy<earlier-measure``): a story goes on speaking of the measure it opened with;
2. the government body the text names speaking (``speaking`` in ``rules/<lang>.yaml``: "said",
   "announced" after the name) in the measure's paragraph or in the story's opening (its
   headline and first sentence), when exactly one body speaks there (``imposedBy<speaker``).

Only a measure with named targets takes a body this way, never a mention of one ("sanctions
have hurt the economy"), and only a body of class ``GovernmentBody`` (a country's government
standing for the country included) is carried. The sentence that names the body becomes a
second evidence span, as a pronoun's antecedent does. A country that imposes stands for its
government ("The United States imposed sanctions on A"); when the text names a body of that
country speaking of the measure ("The US Treasury Department said in a statement ..."), that
body is the one the country's name stands for, not a government the text never names. A body
of another country, or two bodies speaking, decide nothing.

Examples
--------
>>> from graph.extract.relations import Fact
>>> from graph.extract.gazetteer import Mention
>>> from graph.extract.rules import load_rules
>>> text = "The Treasury said on Tuesday it acted. The measures target Arden Microsystems."
>>> treasury = Mention(4, 12, "Treasury", "GovernmentBody", name="Treasury")
>>> arden = Mention(59, 77, "Arden Microsystems", "Company", name="Arden Microsystems")
>>> measure = Fact("Measure", "parse:en", spans=[(39, 78)])
>>> measure.add("targets", arden)
>>> name_imposers([measure], text, [treasury, arden], load_rules("en"), [(0, 38), (39, 78)])
>>> [m.text for m in measure.values["imposedBy"]]
['Treasury']

A later measure with no body of its own takes the earlier measure's:

>>> text = "OFAC designated Arden Microsystems. Belmont Robotics was also named."
>>> ofac = Mention(0, 4, "OFAC", "GovernmentBody", name="OFAC")
>>> belmont = Mention(36, 52, "Belmont Robotics", "Company", name="Belmont Robotics")
>>> first = Fact("Measure", "parse:en", spans=[(0, 35)])
>>> first.add("imposedBy", ofac)
>>> first.add("targets", Mention(16, 34, "Arden Microsystems", "Company", name="Arden Microsystems"))
>>> second = Fact("Measure", "parse:en", spans=[(36, 68)])
>>> second.add("targets", belmont)
>>> name_imposers([first, second], text, [ofac, belmont], load_rules("en"), [(0, 35), (36, 68)])
>>> [m.text for m in second.values["imposedBy"]], second.rule, second.spans
(['OFAC'], 'parse:en imposedBy<earlier-measure', [(36, 68), (0, 35)])
"""

from __future__ import annotations

import re

__all__ = ["name_imposers"]

from graph.extract.relations import Fact
from graph.extract.gazetteer import Gazetteer, Mention
from graph.extract.rules import Rules, load_common
from graph.extract.text import fold, paragraph

#: words by which a sentence tells of a measure older than the one the text reports
_EARLIER_ONE = re.compile(r"(?i)\b(?:already|previously|earlier this year|last year|in the past|déjà|auparavant|"
                          r"précédemment|l[’']an dernier|l[’']année dernière)\b")
#: the classes of a measure whose imposing body is looked for
_MEASURES = ("Measure", "ExportControlListing", "Sanction", "AssetFreeze", "ProcurementBan")


def name_imposers(facts: list[Fact], text: str, mentions: list[Mention], rules: Rules,
                  sentences: list[tuple[int, int]], gazetteer: Gazetteer | None = None) -> None:
    """Give each plain measure with no imposing body, or with only a country's government standing
    in for one, the government body that speaks of it in its paragraph or in the story's opening.

    Parameters
    ----------
    facts : list of Fact
        The article's facts; measures are changed in place.
    text : str
        The article's text.
    mentions : list of Mention
        The text's mentions.
    rules : Rules
        The language's rules (``speaking``, ``demonyms``, ``government_names``).
    sentences : list of (int, int)
        The spans of the body's sentences, in text order (the first one opens the story).
    gazetteer : Gazetteer, optional
        The graph's names, for the country of a known body or government.
    """
    if not sentences:
        return
    bodies = [m for m in mentions if m.cls == "GovernmentBody"]
    # "the Treasury said", "le Foreign Office précise": the body speaks; "according to a Treasury
    # statement", « selon le Trésor »: the text cites it, which counts only near the measure
    said = [m for m in bodies if rules.speaking is not None and rules.speaking.match(text, m.end)]
    cited = [m for m in bodies if rules.spoken_by is not None and
             rules.spoken_by.search(text[max(0, m.start - 80):m.start]) is not None]
    speakers = said + cited
    # the bodies that impose a measure themselves ("The Foreign Office targets 25 people"): one of
    # them stands for its country's name where another measure names only the country
    acting = [b for f in facts if f.kind == "fact" and f.cls in _MEASURES for b in _bodies(f)
              if b.how not in ("metonymy", "office")]
    opening = [sentences[0]]
    # in text order, so that a measure carried to takes its body before a later one looks back
    for fact in sorted(facts, key=lambda f: min(f.spans, default=(0, 0))):
        if fact.kind != "fact" or fact.cls not in _MEASURES or fact.negated or fact.modality or \
                not fact.values.get("targets") or not fact.spans:
            continue
        imposers = [v for v in fact.values.get("imposedBy", []) if isinstance(v, Mention)]
        if not imposers and _carry_earlier(fact, facts, text, sentences):
            continue
        where = opening + [paragraph(text, start) for start, _end in fact.spans]
        near = _distinct([m for m in speakers if any(a <= m.start < b for a, b in where)])
        if not imposers:
            if len(near) == 1:
                fact.add("imposedBy", near[0])
                _quote(fact, text, near[0], sentences)
                fact.rule += " imposedBy<speaker"
            continue
        countries = {_country_of_government(m, rules, gazetteer) for m in imposers}
        if None in countries or len(countries) != 1:
            continue  # a body the text names imposes it already, or several countries do
        code = countries.pop()
        # a body of the country itself, checked by its country, may speak or act anywhere in the text
        same = _distinct([m for m in near + said + acting
                          if _country_of_body(m, text, mentions, rules, gazetteer) == code])
        if len(same) == 1:
            # a capital names its government in the text's own words ("Washington a décidé"): the
            # body joins it; a country's name only stands in for the body, which replaces it
            first = fact.spans[0]
            kept = imposers if _capital_in(fold(text[first[0]:first[1]])[0], code) else []
            fact.values["imposedBy"] = kept + [same[0]]
            _quote(fact, text, same[0], sentences)
            fact.rule += " imposedBy<speaker-of-country"


def _carry_earlier(fact: Fact, facts: list[Fact], text: str, sentences: list[tuple[int, int]]) -> bool:
    """Give ``fact`` the government bodies that impose the nearest measure stated before it;
    False when no earlier measure has one."""
    start, end = min(fact.spans)
    if _EARLIER_ONE.search(text, start, end):
        return False  # "a decree already barred X": another, older measure, not the one told before
    earlier = [f for f in facts if f is not fact and f.kind == "fact" and f.cls in _MEASURES and f.spans and
               not f.negated and not f.modality and min(s for s, _ in f.spans) < start and _bodies(f) and
               # a listing goes on as a listing or a measure, not as a procurement ban
               (f.cls == fact.cls or "Measure" in (f.cls, fact.cls))]
    if not earlier:
        return False
    nearest = max(earlier, key=lambda f: min(s for s, _ in f.spans))
    for body in _bodies(nearest):
        fact.add("imposedBy", body)
        _quote(fact, text, body, sentences)
    fact.rule += " imposedBy<earlier-measure"
    return True


def _capital_in(folded: str, code: str) -> bool:
    """Does the (folded) sentence name the capital of the country ``code``?"""
    return any(c == code and re.search(rf"\b{re.escape(city)}\b", folded) for city, c in load_common().capitals.items())


def _bodies(fact: Fact) -> list[Mention]:
    """The government bodies (a country's government included) that impose ``fact``."""
    return [v for v in fact.values.get("imposedBy", []) if isinstance(v, Mention) and v.cls == "GovernmentBody"]


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for mention in mentions:
        seen.setdefault(mention.identity, mention)
    return list(seen.values())


def _quote(fact: Fact, text: str, mention: Mention, sentences: list[tuple[int, int]]) -> None:
    """The sentence naming the body becomes a second evidence span of the measure."""
    span = next(((a, b) for a, b in sentences if a <= mention.start < b), None)
    if span is not None and span not in fact.spans:
        fact.spans.append(span)


def _country_of_government(mention: Mention, rules: Rules, gazetteer: Gazetteer | None) -> str | None:
    """The ISO code of the country whose government ``mention`` stands for in place of a body the
    text names (the graph's government of a country, or one extracted for it), else None."""
    if mention.how not in ("metonymy", "office"):
        return None
    if mention.entry is not None:
        return gazetteer.code_of(mention.entry.country) if gazetteer is not None else None
    by_name = {name: code for code, name in rules.government_names.items()}
    return by_name.get(mention.name or mention.text)


def _country_of_body(mention: Mention, text: str, mentions: list[Mention], rules: Rules,
                     gazetteer: Gazetteer | None) -> str | None:
    """The country of a government body: the graph's, else the country or nationality written
    right before its name ("the US Treasury Department", "the U.S. Commerce Department")."""
    if mention.entry is not None and mention.entry.country:
        return gazetteer.code_of(mention.entry.country) if gazetteer is not None else None
    before = [m for m in mentions if m.end <= mention.start and not text[m.end:mention.start].strip()]
    for country in before:
        if country.cls == "Country":
            return country.entry.code if country.entry is not None else country.country
    words = fold(text[max(0, mention.start - 20):mention.start])[0].split()
    if words and words[-1] in rules.demonyms:
        return rules.demonyms[words[-1]]
    # the nationality the name holds ("Trésor américain", "ministère britannique des Affaires étrangères")
    inside = [rules.demonyms[w] for w in fold(mention.text)[0].split() if w in rules.demonyms]
    return inside[0] if inside else None

