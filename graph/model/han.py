"""Names written in Chinese characters, split into the words the matcher compares.

A Chinese firm's name is written without spaces: its seat, its brand, its trade and its legal
form in one run of characters ("杭州海康威视数字技术股份有限公司": Hangzhou, Hikvision, digital
technology, joint-stock company limited). The resolver's keys (:mod:`graph.model.names`) and
the matcher (:mod:`graph.resolve.matching`) compare words, and weighs a seat, a trade and a form far below a brand; so that the brand alone
(``海康威视``) finds the full name as ``Hikvision`` finds "Hangzhou Hikvision Digital Technology
Co., Ltd.", such a run is split before it is transliterated:

- the legal form at its end, by ``rigour``'s organisation types (``有限公司``, ``股份有限公司``
  ...), which ``rigour`` finds only between spaces;
- trade words before it (:data:`HAN_TRADE_WORDS`), written as the English words the matcher
  already weighs as trades or descriptors ("technology", "group");
- a seat at its start, when its transliteration is one of the ``places`` given (the resolver
  gives :data:`graph.model.names.LEADING_PLACES`: ``杭州`` is "hangzhou", ``深圳市`` Shenzhen
  city), or ``中国`` (China);
- the brand is what is left, one word. Nothing is taken that would leave it shorter than two
  characters.

Examples
--------
>>> split_han("杭州海康威视数字技术股份有限公司", places=frozenset({"hangzhou"}))
('杭州 海康威视 digital technology', ('jsc',))
>>> split_han("科大讯飞股份有限公司")
('科大讯飞', ('jsc',))
>>> split_han("Hikvision")
('Hikvision', ())
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

__all__ = ["split_han", "has_han", "HAN_TRADE_WORDS"]

#: trade words of Chinese firms' names, as the English words the matcher weighs alike
#: (:data:`graph.model.names.DESCRIPTORS`, ``COMMON_TOKENS``): they tell a trade, not a firm
HAN_TRADE_WORDS = {
    "技术": "technology", "科技": "technology", "数字": "digital", "信息": "information", "网络": "network",
    "科学": "science", "电子": "electronics", "工业": "industry", "贸易": "trading", "国际": "international",
    "工程": "engineering", "发展": "development", "研究所": "institute", "研究院": "institute", "大学": "university",
    "集团": "group", "控股": "holdings", "公司": "company",
}
#: a run of Chinese characters (the unified ideographs, extension A and the compatibility block)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: the shortest brand left when a run is split
_BRAND = 2


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Chinese character.

    >>> has_han("海康威视"), has_han("Hikvision")
    (True, False)
    """
    return _HAN.search(text) is not None


@lru_cache(maxsize=1 << 12)
def split_han(text: str, places: frozenset[str] = frozenset()) -> tuple[str, tuple[str, ...]]:
    """``text`` with each run of Chinese characters split into seat, brand and trade words,
    its legal forms taken out, and those forms in ``rigour``'s generic spelling (``jsc``, ``llc``).

    ``places`` are the seats a run may start with, transliterated and in lower case ("hangzhou").

    Text in other scripts is returned as it is, with no forms.
    """
    forms: list[str] = []

    def split(match: re.Match[str]) -> str:
        run, form = _legal_form(match.group(0))
        if form:
            forms.append(form)
        trades: list[str] = []
        while True:
            word = next((w for w in _TRADES_LONGEST_FIRST if run.endswith(w) and len(run) - len(w) >= _BRAND), None)
            if word is None:
                break
            trades.insert(0, HAN_TRADE_WORDS[word])
            run = run[: -len(word)]
        seat = _seat(run, places)
        if seat in _COUNTRIES:
            return " " + " ".join((_COUNTRIES[seat], run[len(seat):], *trades)) + " "
        return " " + " ".join(part for part in (seat, run[len(seat):], *trades) if part) + " "

    spaced = _HAN.sub(split, text)
    return (" ".join(spaced.split()), tuple(dict.fromkeys(forms))) if forms or spaced != text else (text, ())


_TRADES_LONGEST_FIRST = sorted(HAN_TRADE_WORDS, key=len, reverse=True)


def _seat(run: str, places: frozenset[str]) -> str:
    """The place a run starts with (a city with its ``市``, a province with its ``省``), or ""."""
    for n in (3, 2):
        head = run[:n]
        if head in _COUNTRIES or anyascii(head).casefold() in places:
            if run[n:n + 1] in ("市", "省"):
                head = run[:n + 1]
            return head if len(run) - len(head) >= _BRAND else ""
    return ""


#: a country a firm's name starts with, as the word the matcher weighs as a country
_COUNTRIES = {"中国": "china"}


def _legal_form(run: str) -> tuple[str, str | None]:
    """The run without the longest legal form it ends with, and that form's generic spelling."""
    from rigour.names import extract_org_types

    for start in range(_BRAND, len(run)):
        tail = run[start:]
        found = extract_org_types("x " + tail, generic=True)  # rigour reads a form between spaces only
        if found and found[-1][0] == tail:
            return run[:start], found[-1][1]
    return run, None
