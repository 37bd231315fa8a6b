"""Who imposes a measure whose own sentence names no body: the body that speaks of it nearby.

News stories name the government body in one sentence and the measure's targets in another:
"The Treasury said on Tuesday it was acting against arms suppliers. The measures target A and
B." A measure read with targets and no imposing body takes the government body the text names
speaking (``speaking`` in ``rules/<lang>.yaml``: "said", "announced" after the name) in the
measure's paragraph or in the story's opening (its headline and first sentence), when exactly
one body speaks there. A country that imposes stands for its government ("The United States
imposed sanctions on A"); when the text names a body of that country speaking of the measure
("The US Treasury Department said in a statement ..."), that body is the one the country's
name stands for, not a government the text never names. A body of another country, or two
bodies speaking, decide nothing.

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
"""

from __future__ import annotations

__all__ = ["name_imposers"]

from graph.extract.relations import Fact
from graph.extract.gazetteer import Gazetteer, Mention
from graph.extract.rules import Rules
from graph.extract.text import fold, paragraph

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
    if rules.speaking is None or not sentences:
        return
    speakers = [m for m in mentions if m.cls == "GovernmentBody" and rules.speaking.match(text, m.end)]
    if not speakers:
        return
    opening = [sentences[0]]
    for fact in facts:
        if fact.kind != "fact" or fact.cls not in _MEASURES or fact.negated or fact.modality or \
                not fact.values.get("targets") or not fact.spans:
            continue
        imposers = [v for v in fact.values.get("imposedBy", []) if isinstance(v, Mention)]
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
        same = _distinct([m for m in near if _country_of_body(m, text, mentions, rules, gazetteer) == code])
        if len(same) == 1:
            fact.values["imposedBy"] = [same[0]]
            _quote(fact, text, same[0], sentences)
            fact.rule += " imposedBy<speaker-of-country"


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
    return rules.demonyms.get(words[-1]) if words else None

