"""Where an entity is, and which country it belongs to, from the words that modify it.

"Techpoint, a San Jose-based chip company", "the Hangzhou-based Dahua", "Intel and Nvidia,
two US chipmakers", "le fabricant américain Ambarella": the place or the nationality is said
of the entity the phrase modifies (the name before an apposition's comma, or the name right
after the phrase), never of the nearest name in the sentence. Each finding is an attribute
fact: ``locatedIn`` the place, and ``country`` its country, which is what the default
exposure table filters on.

Examples
--------
>>> from graph.extract.rules import load_rules
>>> from graph.extract.gazetteer import Mention
>>> text = "Techpoint, a San Jose-based firm, ships chips."
>>> ms = [Mention(0, 9, "Techpoint", "Company", name="Techpoint"),
...       Mention(13, 21, "San Jose", "Place", name="San Jose", country="US")]
>>> facts = located_facts(text, [(0, len(text))], ms, load_rules("en"), lambda code, m: None)
>>> [(f.values["subject"][0].text, f.values["locatedIn"][0].text) for f in facts]
[('Techpoint', 'San Jose')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from graph.extract.gazetteer import Mention
from graph.extract.relations import Fact, coordinated
from graph.extract.rules import Rules
from graph.extract.text import fold

__all__ = ["located_facts", "add_countries"]

_BASED = re.compile(r"-(?:based|headquartered)\b|\s(?:basée?s?|installée?s?|implantée?s?) (?:à|en|au|aux)\b")
_ORGS = ("Company", "Organization")
#: an apposition opens with a comma and an article or a number: "Intel, a", "X and Y, two"
_APPOSITION = re.compile(r",\s+(?:an?|the|one|two|three|four|five|both|another|un|une|le|la|l’|l'|les|deux|trois)"
                         r"\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
#: between a modifier and the name it modifies: a few nouns ("surveillance camera maker"), no verb
#: or preposition ("keep doing business with")
_LEAD_IN = re.compile(r"^(?:\s+(?!(?:with|to|of|for|in|on|by|and|or|that|which|who|is|are|was|were|has|have|had|will|"
                      r"would|keep|de|du|des|à|au|et|ou|qui|que|est|sont|a|ont)\b)[a-zà-ÿ][\w-]*){0,3}\s+$")
#: "SenseTime est une entreprise chinoise", "Intel is an American company"
_COPULA = re.compile(r"\s+(?:is|was|remains|est|était|reste)\s+(?:an?|the|one of the|une?|la|le|l’|l')\s*"
                     r"(?:[\w-]+\s+){0,3}$", re.IGNORECASE)

#: ``country_of(key, mention)``: ``mention``, or a zero-width Country mention for ``key`` (an ISO
#: code or a known country's id), or None
CountryOf = Callable[[str, Mention | None], Mention | None]


def located_facts(text: str, body: list[tuple[int, int]], mentions: list[Mention], rules: Rules,
                  country_of: CountryOf) -> list[Fact]:
    """Attribute facts for "X-based", "basé à X" and "a US chipmaker" phrases in ``body``."""
    facts: list[Fact] = []
    ends = sorted((m.end, k) for k, m in enumerate(mentions))
    end_keys = [e for e, _ in ends]
    for start, end in body:
        in_sentence = [m for m in mentions if start <= m.start and m.end <= end]
        for match in _BASED.finditer(text, start, end):
            if match.group().startswith("-"):
                place = _ending_at(mentions, ends, end_keys, match.start(), ("Place", "Country"))
                if place is None:
                    continue
                anchor_start, anchor_end = place.start, match.end()
            else:  # "basée à Hangzhou": the place follows
                place = next((m for m in in_sentence if m.start >= match.end() and m.cls in ("Place", "Country")
                              and not text[match.end():m.start].strip(" ")), None)
                if place is None:
                    continue
                anchor_start, anchor_end = match.start(), place.end
            subjects = _modified(text, start, end, anchor_start, anchor_end, in_sentence)
            if subjects:
                facts.append(_fact("located", subjects, place, (start, end), 0.75, country_of))
        for pattern in rules.nationalities:
            for match in pattern.finditer(text, start, end):
                code = rules.demonyms.get(fold(match.group("adj"))[0])
                if code is None:
                    continue
                subjects = _modified(text, start, end, match.start(), match.end(), in_sentence, lead_in=False)
                if not subjects:
                    continue
                named = next((m for m in in_sentence if m.start >= match.start("adj") and m.end <= match.end("adj")
                              and m.cls == "Country"), None)
                country = country_of(code, named)
                if country is None:
                    continue
                fact = Fact("attribute", "nationality", spans=[(start, end)], confidence=0.7, kind="attribute")
                for subject in subjects:
                    fact.add("subject", subject)
                fact.add("country", country)
                facts.append(fact)
    return facts


def add_countries(facts: list[Fact], country_of: CountryOf) -> None:
    """Give every ``locatedIn`` place's country to the entity as ``country`` too."""
    for fact in facts:
        if fact.kind != "attribute" or "country" in fact.values:
            continue
        for place in list(fact.values.get("locatedIn", [])):
            if not isinstance(place, Mention):
                continue
            code = place.country or (place.entry.code if place.entry is not None and place.cls == "Country" else None)
            country = place if place.cls == "Country" else (country_of(code, None) if code else None)
            if country is None and place.entry is not None and place.entry.country:
                country = country_of(place.entry.country, None)
            if country is not None:
                fact.add("country", country)


# ------------------------------------------------------------------------------ helpers


def _fact(rule: str, subjects: list[Mention], place: Mention, sentence, confidence: float,
          country_of: CountryOf) -> Fact:
    fact = Fact("attribute", rule, spans=[sentence], confidence=confidence, kind="attribute")
    for subject in subjects:
        fact.add("subject", subject)
    if place.cls == "Country":
        fact.add("country", place)
    else:
        fact.add("locatedIn", place)
        add_countries([fact], country_of)
    return fact


def _ending_at(mentions, ends, end_keys, position: int, classes) -> Mention | None:
    k = bisect.bisect_left(end_keys, position)
    while k < len(ends) and ends[k][0] == position:
        mention = mentions[ends[k][1]]
        if mention.cls in classes:
            return mention
        k += 1
    return None


def _modified(text: str, start: int, end: int, phrase_start: int, phrase_end: int,
              mentions: list[Mention], lead_in: bool = True) -> list[Mention]:
    """The organisations a modifier phrase (``phrase_start``..``phrase_end``) is said of."""
    before = text[start:phrase_start]
    apposition = _APPOSITION.search(before)
    if apposition is not None:
        comma = start + apposition.start()
        pool = [m for m in mentions if m.end <= comma and m.cls in _ORGS]
        if pool and not text[pool[-1].end:comma].strip(" )"):
            return coordinated(text, pool[-1], pool)
        return []
    copula = _COPULA.search(before)
    if copula is not None:
        pool = [m for m in mentions if m.end <= start + copula.start() and m.cls in _ORGS]
        if pool and not text[pool[-1].end:start + copula.start()].strip():
            return [pool[-1]]
        return []
    following = next((m for m in mentions if m.start >= phrase_end), None)
    gap = text[phrase_end:following.start] if following is not None else ""
    if following is not None and following.cls in _ORGS and \
            (not gap.strip() or (lead_in and _LEAD_IN.match(gap))):
        return [following]
    return []
