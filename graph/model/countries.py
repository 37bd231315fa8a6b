"""Countries as people write them: an ISO 3166 code from a code, a three-letter code or a name.

Every place that takes a country (a list's country column, a counterparty file, ``--country``)
reads it through :func:`country_code`, so that ``US``, ``USA``, ``United States`` and ``united
states of america`` are one country everywhere. ISO 3166 (``pycountry``) gives the codes, the
official and common names; the short English names it lacks (``Russia``, ``South Korea``,
``UK``) are added below.

Examples
--------
>>> country_code("United States"), country_code("USA"), country_code("us"), country_code("Russia")
('US', 'US', 'US', 'RU')
>>> country_code("Atlantis") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["country_code", "country_name"]

#: short English names ISO 3166 does not give as a name, official name or common name
_SHORT_NAMES = {
    "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "russia": "RU", "south korea": "KR", "korea": "KR", "republic of korea": "KR",
    "north korea": "KP", "dprk": "KP", "iran": "IR", "syria": "SY", "vietnam": "VN", "laos": "LA",
    "taiwan": "TW", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "czech republic": "CZ", "czechia": "CZ", "macau": "MO", "macao": "MO", "hong kong": "HK",
    "turkey": "TR", "ivory coast": "CI", "burma": "MM", "cape verde": "CV", "swaziland": "SZ",
    "uae": "AE", "u.s.": "US", "u.s.a.": "US", "america": "US", "united states of america": "US",
    "prc": "CN", "mainland china": "CN", "people's republic of china": "CN", "micronesia": "FM",
    "palestine": "PS", "vatican": "VA", "holy see": "VA", "brunei": "BN", "congo-kinshasa": "CD",
    "drc": "CD", "congo-brazzaville": "CG", "east timor": "TL", "kosovo": "XK",
}


def country_code(value: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country written as a code or a name, or None.

    Parameters
    ----------
    value : str or None
        ``CN``, ``CHN``, ``China``, ``People's Republic of China``, ``156`` ... in any case.

    Returns
    -------
    str or None
        The two-letter code in capitals; None for an empty or unknown value.

    Examples
    --------
    >>> country_code("CHN"), country_code("Hong Kong"), country_code("  u.k. ".replace(".", ""))
    ('CN', 'HK', 'GB')
    """
    if not value or not str(value).strip():
        return None
    return _lookup(" ".join(str(value).split()))


def country_name(code: str) -> str | None:
    """The short English name of an ISO code (``"CN"`` -> ``"China"``), or None.

    >>> country_name("TW"), country_name("XK"), country_name("ZZ")
    ('Taiwan', 'Kosovo', None)
    """
    import pycountry

    if code.upper() == "XK":
        return "Kosovo"
    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return (getattr(found, "common_name", None) or found.name) if found else None


@lru_cache(maxsize=4096)
def _lookup(value: str) -> str | None:
    import pycountry

    key = value.casefold()
    if key.startswith("the ") and len(key) > 4:  # "the Netherlands", "The Bahamas"
        return _lookup(value[4:])
    if key in _SHORT_NAMES:
        return _SHORT_NAMES[key]
    if key == "xk":  # Kosovo: user-assigned, used by the US lists, absent from ISO 3166
        return "XK"
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        pass
    # "Korea, Republic of" and "Republic of Korea", "China (mainland)": words in another order
    words = sorted(re.findall(r"[\w']+", key))
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)):
            if name and sorted(re.findall(r"[\w']+", name.casefold())) == words:
                return country.alpha_2
    return None
