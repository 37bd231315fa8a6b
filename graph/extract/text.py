"""Text as the extractor sees it: folded for matching, split into sentences, offsets kept.

Every function here returns offsets into the text *as stored*, so that an evidence's
``charStart``/``charEnd`` select its quote in the file under ``data/``.

Examples
--------
>>> folded, offsets = fold("Ouïghours")
>>> folded
'ouighours'
>>> [s.text for s in sentences("Il a dit.Le Sénat vote. Huawei . Mais rien", starters={"Le", "Mais"})]
['Il a dit.', 'Le Sénat vote.', 'Huawei .', 'Mais rien']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Segment", "SpanIndex", "fold", "squeeze", "sentences", "paragraph", "clean_quote", "is_title_case",
           "in_byline", "PERSON_NAME"]

#: characters the French press puts inside « » and before : ; ! ? (no-break spaces)
_SPACES = "\u00a0\u202f\u2009\u2007"
_APOSTROPHES = "\u2019\u02bc\u2018`\u00b4"


@dataclass(frozen=True)
class Segment:
    """A sentence (or a heading glued to one) with its span in the stored text."""

    start: int
    end: int
    text: str
    #: True when the segment looks like a heading or a link to another article
    heading: bool = False


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free, typography-normalised ``text`` and its offset map.

    ``offsets[i]`` is the index in ``text`` of folded character ``i``; one extra entry maps
    the end. Curly apostrophes become ``'``, non-breaking spaces become spaces.
    """
    out: list[str] = []
    offsets: list[int] = []
    table = _FOLDED
    for index, char in enumerate(text):
        piece = table.get(char)
        if piece is None:
            piece = table[char] = _fold_char(char)
        if len(piece) == 1:
            out.append(piece)
            offsets.append(index)
        else:
            out.append(piece)
            offsets.extend([index] * len(piece))
    offsets.append(len(text))
    return "".join(out), offsets


#: each character's folded form, computed once (texts repeat few distinct characters)
_FOLDED: dict[str, str] = {}


def _fold_char(char: str) -> str:
    if char in _SPACES:
        return " "
    if char in _APOSTROPHES:
        return "'"
    return "".join(piece.casefold() for piece in unicodedata.normalize("NFKD", char)
                   if not unicodedata.combining(piece))


def squeeze(text: str) -> tuple[str, list[int]]:
    """Only the letters and digits of ``fold(text)``, with offsets into ``text``.

    Glued and spaced spellings meet here: "Sense Time", "SenseTime" and "Sense-Time" all
    squeeze to ``sensetime``.

    >>> squeeze("Sense Time")[0]
    'sensetime'
    """
    folded, offsets = fold(text)
    chars: list[str] = []
    kept: list[int] = []
    for char, index in zip(folded, offsets):
        if char.isalnum():
            chars.append(char)
            kept.append(index)
    kept.append(len(text))
    return "".join(chars), kept


# "[…]" marks a cut inside a quotation, not the end of a sentence
_BREAK = re.compile(r"(?<!\[)[.!?…]+[\"'»”)\]]*(?=\s|$)|[.!?](?=[A-ZÀ-Ý])")
_GLUE = re.compile(r"(?<=[a-zà-ÿ,0-9])\s+(?=([A-ZÀ-Ý][\w'’]*))")


def sentences(text: str, *, starters: set[str] | frozenset[str] = frozenset(),
              abbreviations: set[str] | frozenset[str] = frozenset()) -> list[Segment]:
    """Split ``text`` into sentences, and split off headings glued to the next sentence.

    A heading (a sub-title, the title of a linked article) ends without punctuation and is
    followed by a word from ``starters`` ("Le", "The", "Comment" ...); such a piece is
    returned with ``heading=True``. Text inside a segment is never changed.
    """
    segments: list[Segment] = []
    for line_match in re.finditer(r"[^\n]+", text):
        line_start = line_match.start()
        line = line_match.group()
        start = 0
        for brk in _BREAK.finditer(line):
            end = brk.end()
            word = re.search(r"([\w.]+)[.]$", line[start:brk.start() + 1])
            if word and word.group(1).rstrip(".") in abbreviations and brk.group().startswith("."):
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper() and brk.group().startswith(".") and \
                    re.search(r"(?:^|[\s(])[A-Z]\.$", line[start:brk.start() + 1]):
                # an initial ("Thea D. Rozman Kendler", "Matthew S. Axelrod") ends no sentence
                continue
            if brk.group() == "." and end < len(line) and line[end:end + 1].isupper():
                # "nationale.Si" is a glued sentence; "U.S." and "Inc.The" are not split
                before = line[max(start, brk.start() - 3):brk.start()]
                if not before or not before[-1].islower():
                    continue
            segments.extend(_split_headings(line, start, end, line_start, starters))
            start = end
        if line[start:].strip():
            segments.extend(_split_headings(line, start, len(line), line_start, starters))
    return [s for s in segments if s.text.strip()]


def paragraph(text: str, position: int) -> tuple[int, int]:
    """The span of the line holding ``position``: a paragraph of a stored article.

    >>> paragraph("First paragraph.\\nSecond one.", 20)
    (17, 28)
    """
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


#: what opens a byline, at a line's start or after "(" or ";": "By", "Reporting by", "Par",
#: "Rédigé par", then names joined by commas and "and"/"et" up to the position
_BYLINE = re.compile(r"(?:^|[(;]|\n)\s*(?:(?:[Aa]dditional )?[Rr]eporting|[Ww]riting|[Ee]diting|[Ee]dited|[Ww]ritten|"
                     r"[Cc]ompiled|[Rr]édigé|[Éé]dité|[Ee]crit|[Éé]crit|[Pp]ropos recueillis)? ?(?:[Bb]y|[Pp]ar)\s+"
                     r"(?P<before>(?:[A-ZÀ-Ý][\w’'.-]*(?: [A-ZÀ-Ý][\w’'.-]*)*(?:,? (?:and|et|&) |, ))*)$")


def in_byline(text: str, position: int, *, first: bool = False) -> bool:
    """Does ``position`` start a name in a byline ("By Jane Roe", "(Reporting by Jane Roe and
    John Doe; Editing by ...)", "Par Jeanne Roux")? With ``first``, only the byline's first name
    counts ("By Monday, Kestrel ..." names no reporter Kestrel). A reporter is never a party to
    what they report.

    >>> text = "By Jane Roe and John Doe\\nKestrel owns Norvale. (Reporting by Ann Lee)"
    >>> [in_byline(text, text.index(n)) for n in ("Jane", "John", "Kestrel", "Norvale", "Ann")]
    [True, True, False, False, True]
    """
    start = max(text.rfind("\n", 0, position) + 1, position - 120)
    match = _BYLINE.search(text[start:position])
    return match is not None and not (first and match.group("before"))


def clean_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and stray quotation marks from the ends of ``text[start:end]``."""
    junk = " \t\n\"'«»“”" + _SPACES
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    return start, end


#: a word a title leaves in lower case ("Seizes Control of Chipmaker", "Sanctions against Russia")
#: the shape of a person's name standing alone on a line: two or three capitalised words
PERSON_NAME = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ’'-]+(?: [A-ZÀ-Ý][a-zà-ÿ’'-]+){1,2}")

_TITLE_SMALL_WORDS = frozenset("a an the of on in at to for from by with and or as over amid after de du des la le les "
                               "l d et à au aux en sur pour par contre".split())


def is_title_case(line: str) -> bool:
    """True when ``line`` is a title written in title case: four words or more, no sentence
    punctuation, and every word but the small ones capitalised.

    In such a line a capital says nothing about a name ("Dutch Government Seizes Control of
    Chipmaker Amid Security Concerns"); a list of names ("Beijing Sensetime Technology
    Development Co., Ltd.") holds commas or is shorter.

    >>> is_title_case("Dutch Government Seizes Control of Chipmaker Amid Security Concerns")
    True
    >>> is_title_case("The Dutch government seized control of Nexperia.")
    False
    """
    stripped = line.strip()
    if re.search(r"[,;:()]|[.!]$", stripped):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", stripped)]
    content = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS]
    return len(words) >= 4 and len(content) >= 3 and all(w[:1].isupper() for w in content)


class SpanIndex:
    """Spans of text (start, end) with an overlap test in logarithmic time.

    >>> spans = SpanIndex([(0, 4), (10, 12)])
    >>> spans.overlaps(3, 5), spans.overlaps(4, 10), spans.overlaps(11, 20)
    (True, False, True)
    """

    def __init__(self, spans=()) -> None:
        import bisect

        self._bisect = bisect
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.max_end: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        index = self._bisect.bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)
        if index == len(self.starts) - 1:
            self.max_end.append(max(end, self.max_end[-1] if self.max_end else end))
        else:  # rare: spans arrive out of order; rebuild the running maximum
            running, self.max_end = 0, []
            for value in self.ends:
                running = max(running, value)
                self.max_end.append(running)

    def overlaps(self, start: int, end: int) -> bool:
        index = self._bisect.bisect_left(self.starts, end)
        return index > 0 and self.max_end[index - 1] > start


def _split_headings(line: str, start: int, end: int, offset: int, starters) -> list[Segment]:
    pieces: list[Segment] = []
    cursor = start
    for glue in _GLUE.finditer(line, start, end):
        word = glue.group(1)
        if word not in starters:
            continue
        head = line[cursor:glue.start()]
        before = head.split()[-1] if head.split() else ""
        if before[:1].isupper() and re.match(r" [A-ZÀ-Ý]", line[glue.end() + len(word):glue.end() + len(word) + 2]):
            # "Bruno Le Maire", "Jean-Yves Le Drian": a particle between a first name and a
            # surname, not a new sentence after a heading
            continue
        # a heading is short and ends without punctuation; "Dahua, ... Yitu Technologies"
        # is no heading because it holds commas
        if 1 <= len(head.split()) <= 14 and not re.search(r"[,;:.!?]", head):
            s, e = clean_quote(line, cursor, glue.start())
            if s < e:
                pieces.append(Segment(offset + s, offset + e, line[s:e], heading=True))
            cursor = glue.end()
    s, e = clean_quote(line, cursor, end)
    if s < e:
        pieces.append(Segment(offset + s, offset + e, line[s:e]))
    return pieces
