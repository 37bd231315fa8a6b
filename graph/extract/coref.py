"""Who is meant: "the company", "le groupe", "its", "the Chinese chipmaker" resolved within the paragraph.

An anaphor is a definite noun phrase whose noun names a kind of company ("the company",
"the firm", "the bank", "the Chinese chipmaker", "le groupe", "l'entreprise", "le fabricant
chinois") or a possessive ("its", "their", "sa", "son", "ses", "leur"). It points at the
nearest mention before it in the same paragraph (line) that can be what it says: a company or organisation (never a government body, a person or a place), and
of the country its adjective names when both are known ("the Chinese chipmaker" skips Intel, a
US company). A noun phrase is never the subject of its own clause: "Arden Capital owns
30 % of the firm" points past Arden Capital, to the firm named before; a word that opens another
clause in between ("Arden said the firm ...", "Arden, which ...") lets it point back again. A
possessive may ("Kestrel Holdings and its subsidiaries"), and a possessive after a noun phrase
points where the phrase does ("The Chinese firm said its unit ..."). "His" points at the person
named last ("X and his company Y"); a possessive in a clause whose only parties are a state, a
body or a person is theirs, never a company's; "the company" in a paragraph that names no company
before it is the one company the paragraph before names (none when it names two); a phrase
followed by a name is no anaphor ("the bank Rosbank"). The anaphor becomes a
mention of that entity (:func:`anaphor_mention`, ``how="coreference"``); :mod:`graph.extract.parse`
reads it as an argument and adds the antecedent's sentence to the fact's evidence.

Examples
--------
>>> from graph.extract.gazetteer import Mention
>>> text = "Intel met Dahua. The Chinese company said it would buy chips."
>>> ms = [Mention(0, 5, "Intel", "Company", name="Intel", country="US"),
...       Mention(10, 15, "Dahua", "Company", name="Dahua", country="CN")]
>>> links = resolve_anaphors(text, [(0, 16), (17, len(text))], ms, "en", {"chinese": "CN"})
>>> [(text[s:e], m.text) for (s, e), m in sorted(links.items())]
[('The Chinese company', 'Dahua')]
>>> text = "Dahua makes cameras. Intel owns 5 % of the company."
>>> ms = [Mention(0, 5, "Dahua", "Company", name="Dahua"), Mention(21, 26, "Intel", "Company", name="Intel")]
>>> [(text[s:e], m.text) for (s, e), m in resolve_anaphors(text, [(0, 20), (21, len(text))], ms, "en", {}).items()]
[('the company', 'Dahua')]
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from graph.extract.gazetteer import Mention
from graph.extract.text import fold

__all__ = ["resolve_anaphors", "anaphor_mention", "company_meant", "resolve_people"]

_NOUNS = {
    "en": r"company|companies|firm|group|chipmaker|chip ?maker|maker|manufacturer|supplier|vendor|giant|start-?up|"
          r"carrier|conglomerate|operator|developer|designer|business|corporation|enterprise|parent|bank|lender|"
          r"producer|miner|insurer",
    "fr": r"groupe|entreprise|société|firme|fabricant|constructeur|équipementier|géant|start-?up|opérateur|"
          r"fournisseur|compagnie|maison-mère|banque|producteur",
}
#: what opens another clause between a name and a noun phrase that points back at it ("Arden said
#: the firm", "Arden, which owns the firm"): without one, the name is the phrase's own subject
_CLAUSE = re.compile(r"[,;:()–—]|\b(?:said|says|told|added|that|which|who|while|whereas|because|after|before|"
                     r"and|but|dit|déclaré|affirmé|indiqué|annoncé|que|qui|dont|et|mais|alors|après|avant)\b",
                     re.IGNORECASE)
_PARTIES = ("Company", "Organization")
#: parties a possessive may stand for that no company anaphor can
_ACTORS = ("GovernmentBody", "Person")


def resolve_anaphors(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], lang: str,
                     demonyms: dict[str, str]) -> dict[tuple[int, int], Mention]:
    """Each anaphor's span in ``sentences``: the mention it points back to.

    Parameters
    ----------
    mentions : list of Mention
        The names the text gives, sorted by start.
    demonyms : dict
        Folded nationality words and their ISO codes (``{"chinese": "CN"}``).
    """
    pattern = _anaphor(lang, tuple(sorted(demonyms)))
    ends = [m.end for m in mentions]
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].end)
    ends = [mentions[i].end for i in order]
    # a name inside the phrase makes it no anaphor ("the Huawei group"); a nationality does not
    # ("the Chinese company", where "Chinese" may be read as the country)
    taken = [(m.start, m.end) for m in mentions if m.cls != "Country"]
    links: dict[tuple[int, int], Mention] = {}
    for start, end in sentences:
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if any(a < e and s < b for a, b in taken):
                continue
            if match.group("pos") is None and any(a >= e and not text[e:a].strip() for a, _b in taken):
                continue  # "du constructeur Norvale Optics", "the bank Rosbank": the name follows
            possessive = match.group("pos") is not None
            adjective = match.group("adj") or match.group("adj2")
            country = demonyms.get(fold(adjective)[0]) if adjective else None
            paragraph = text.rfind("\n", 0, s) + 1
            person = possessive and match.group("pos").lower() == "his"
            wanted = ("Person",) if person else _PARTIES
            before = [m for m in mentions if start <= m.start < s and (m.cls in _PARTIES + _ACTORS or
                                                                    m.cls == "Country" and not text[start:m.start].strip())]
            if possessive and not person and before and all(m.cls not in _PARTIES for m in before):
                # "Canada is imposing sanctions on entities sanctioned by its G7 allies":
                # a possessive in a clause whose only parties are bodies or people is theirs, never
                # a company's named in an earlier sentence
                continue
            hi = bisect.bisect_right(ends, s)
            extended = False
            for k in range(hi - 1, -1, -1):
                candidate = mentions[order[k]]
                if candidate.end <= paragraph:
                    if extended or paragraph == 0 or possessive or any(
                            paragraph <= m.start < s and m.cls in _PARTIES for m in mentions):
                        break
                    # "the company" in a paragraph that names no company before it is the one
                    # company the paragraph before names ("Shares in Evraz ... The firm said ... \n
                    # Abramovich owns a stake in the company"); where that paragraph names two, none
                    previous = text.rfind("\n", 0, paragraph - 1) + 1
                    named = {m.name or m.text for m in mentions if previous <= m.start and m.end < paragraph and
                             m.cls in _PARTIES and m.how != "coreference"}
                    if len(named) != 1 or candidate.end <= previous:
                        break
                    paragraph, extended = previous, True
                if candidate.cls not in wanted or candidate.how == "coreference":
                    continue
                if country is not None and _country(candidate) not in (None, country):
                    continue
                if not possessive and candidate.start >= start and not _CLAUSE.search(text, candidate.end, s):
                    continue  # the subject of the phrase's own clause: "Arden owns 30 % of the firm"
                links[(s, e)] = candidate
                break
            # "The Chinese firm said its unit ...": an anaphor after the candidate points where it does
            before = [(a, b) for (a, b) in links if paragraph <= a and b <= s and (a, b) != (s, e)]
            if before and (s, e) in links and max(before)[1] > links[(s, e)].end:
                links[(s, e)] = links[max(before)]
    return links


def company_meant(text: str, position: int, mentions: list[Mention]) -> Mention | None:
    """The company a title without its company points at ("le PDG Peter X", "the chief executive
    X"): the first company or organisation its paragraph names before ``position`` (the one the
    paragraph is about, not the customer its last sentence named), or None.

    >>> text = "Kestrel Holdings sold lenses to Dahua. The chief executive Mara Ellison said so."
    >>> ms = [Mention(0, 16, "Kestrel Holdings", "Company"), Mention(32, 37, "Dahua", "Company")]
    >>> company_meant(text, 43, ms).text
    'Kestrel Holdings'
    >>> company_meant("Kestrel Holdings sold lenses.\\nThe chief executive Mara Ellison said so.", 34,
    ...               [Mention(0, 16, "Kestrel Holdings", "Company")]) is None
    True
    """
    paragraph = text.rfind("\n", 0, position) + 1
    before = [m for m in mentions if paragraph <= m.start and m.end <= position and m.cls in _PARTIES
              and m.how != "coreference"]
    return min(before, key=lambda m: m.start) if before else None


def anaphor_mention(text: str, span: tuple[int, int], antecedent: Mention) -> Mention:
    """The anaphor at ``span`` as a mention of the entity ``antecedent`` names (``how="coreference"``)."""
    s, e = span
    return Mention(s, e, text[s:e], antecedent.cls, antecedent.entry, "coreference", 0.6,
                   antecedent.name or antecedent.text, antecedent.country)


#: a personal pronoun that opens a sentence, as its subject
_PERSONAL = {"en": re.compile(r"(?:He|She)(?![\w’'])"), "fr": re.compile(r"(?:Il|Elle)(?![\w’'])")}


def resolve_people(text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
                   lang: str) -> dict[tuple[int, int], Mention]:
    """Each personal pronoun that opens a sentence ("He", "She", « Il », « Elle »): the person
    the sentence before it in the same paragraph names first, its subject as a rule ("Dans le cas
    de X, PDG de Y, ... Il est également visé par des sanctions"). Where that sentence names a
    company or an organisation first, or no party, the pronoun points at no one.

    >>> text = "Ivan Petrov runs Arden. He was sanctioned."
    >>> ms = [Mention(0, 11, "Ivan Petrov", "Person"), Mention(17, 22, "Arden", "Company")]
    >>> links = resolve_people(text, [(0, 23), (24, len(text))], ms, "en")
    >>> [(text[s:e], m.text) for (s, e), m in links.items()]
    [('He', 'Ivan Petrov')]
    >>> resolve_people("Arden hired Ivan Petrov. He was sanctioned.", [(0, 24), (25, 43)],
    ...                [Mention(0, 5, "Arden", "Company"), Mention(12, 23, "Ivan Petrov", "Person")], "en")
    {}
    """
    pattern = _PERSONAL.get(lang)
    links: dict[tuple[int, int], Mention] = {}
    if pattern is None:
        return links
    for (before_start, before_end), (start, end) in zip(sentences, sentences[1:]):
        opening = pattern.match(text, start, end)
        if opening is None or "\n" in text[before_start:start].strip(" \t") or "\n" in text[before_end:start]:
            continue
        first = next((m for m in mentions if before_start <= m.start and m.end <= before_end and
                      m.cls in ("Person", "Company", "Organization") and m.how != "coreference"), None)
        if first is not None and first.cls == "Person":
            links[opening.span()] = first
    return links


# ------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=8)
def _anaphor(lang: str, demonyms: tuple[str, ...]) -> re.Pattern:
    nouns = _NOUNS.get(lang, _NOUNS["en"])
    adjectives = "|".join(re.escape(d) for d in sorted(demonyms, key=len, reverse=True)) or "(?!)"
    if lang == "fr":
        body = (rf"(?:[Ll]e |[Ll]a |[Ll][’']|[Dd]u |[Aa]u )(?:(?P<adj>{adjectives}) )?(?:{nouns})"
                rf"(?: (?P<adj2>{adjectives}))?(?![\w-])")
        possessive = r"|(?P<pos>(?<![\w’'])(?:[Ss]a|[Ss]on|[Ss]es|[Ll]eurs?)(?![\w’']))"
    else:
        body = (rf"(?:[Tt]he )(?:(?P<adj>{adjectives}) )?(?:[a-z-]+ )?(?:{nouns})(?![\w-])(?P<adj2>(?!))?")
        possessive = r"|(?P<pos>(?<![\w’'])(?:[Ii]ts|[Tt]heir|[Hh]is)(?![\w’']))"
    return re.compile(rf"(?:{body}){possessive}", re.IGNORECASE)


def _country(mention: Mention) -> str | None:
    if mention.country:
        return mention.country.upper()
    entry = mention.entry
    if entry is not None and getattr(entry, "country", None):
        return str(entry.country).rsplit("/", 1)[-1].upper()
    return None
