"""Dates in text, absolute or relative, resolved against the article's publication date.

"lundi" in a paper of Tuesday 2019-10-08 is Monday 2019-10-07; "en août dernier" is August
2019; "cette semaine" is the week of 2019-10-07; "effective August 19, 2019" is that day.
The phrasings are data (``rules/<lang>.yaml``, section ``dates``); this module only knows
how to turn a matched phrase into a :class:`When`.

Examples
--------
>>> from datetime import date
>>> from graph.extract.rules import load_rules
>>> fr = load_rules("fr")
>>> [str(w) for w in find_dates("annoncé lundi, en août dernier, cette semaine", date(2019, 10, 8), fr)]
['2019-10-07', '2019-08', '2019-10-07/2019-10-13']
>>> [str(w) for w in find_dates("effective August 19, 2019; last Monday", date(2019, 10, 8), load_rules("en"))]
['2019-08-19', '2019-10-07']
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["When", "find_dates", "resolve_date"]


@dataclass(frozen=True)
class When:
    """A date with its precision: a day, a week (``start``..``end``), a month or a year."""

    start: date
    end: date
    precision: str
    char_start: int = 0
    char_end: int = 0
    text: str = ""

    @property
    def day(self) -> date | None:
        """The day, when the phrase names one day; else None (never a guessed day)."""
        return self.start if self.precision == "day" else None

    def __str__(self) -> str:
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return self.start.strftime("%Y-%m")
        if self.precision == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def find_dates(text: str, issued: date | None, rules, *, start: int = 0, end: int | None = None) -> list[When]:
    """Every date phrase of ``text[start:end]``, earliest-starting and longest first, no overlaps.

    Relative phrases need ``issued`` (the publication date); without it they are skipped.
    """
    end = len(text) if end is None else end
    hits: list[When] = []
    taken: list[tuple[int, int]] = []
    for pattern, how in rules.date_patterns:
        for match in pattern.finditer(text, start, end):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            when = resolve_date(how, match.groupdict(), issued, rules)
            if when is None:
                continue
            hits.append(When(when.start, when.end, when.precision, match.start(), match.end(), match.group()))
            taken.append((match.start(), match.end()))
    return sorted(hits, key=lambda w: (w.char_start, -w.char_end))


def resolve_date(how: str, groups: dict[str, str | None], issued: date | None, rules) -> When | None:
    """Turn one matched phrase into a :class:`When`; None when it cannot be resolved.

    ``how`` names the rule: ``day``, ``day_this_year``, ``month``, ``year``, ``iso``,
    ``range``, ``range_this_year`` (days ``day`` to ``day2``), ``weekday``, ``last_weekday``, ``next_weekday``, ``this_week``, ``last_week``,
    ``next_week``, ``last_month``, ``yesterday``, ``today``, ``tomorrow``.
    """
    month = rules.months.get(_key(groups.get("month"))) if groups.get("month") else None
    weekday = rules.weekdays.get(_key(groups.get("weekday"))) if groups.get("weekday") else None
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    try:
        if how == "iso":
            value = date(year, int(groups["m"]), day)
            return When(value, value, "day")
        if how == "day" and month and year and day:
            value = date(year, month, day)
            return When(value, value, "day")
        if how == "month" and month and year:
            return _month(year, month)
        if how == "year" and year:
            return When(date(year, 1, 1), date(year, 12, 31), "year")
    except ValueError:
        return None
    day2 = int(groups["day2"]) if groups.get("day2") else None
    try:
        if how == "range" and month and year and day and day2:
            return When(date(year, month, day), date(year, month, day2), "days")
    except ValueError:
        return None
    if issued is None or not 1900 <= issued.year <= 2100:
        # relative dates need a plausible date of issue; "9999-12-31" is a typo, not a base
        return None
    try:
        if how == "range_this_year" and month and day and day2:
            first = date(issued.year, month, day)
            if first > issued + timedelta(days=31):
                first = date(issued.year - 1, month, day)
            return When(first, first.replace(day=day2), "days")
        if how == "day_this_year" and month and day:
            value = date(issued.year, month, day)
            if value > issued + timedelta(days=31):
                value = date(issued.year - 1, month, day)
            return When(value, value, "day")
    except ValueError:
        return None
    if how in ("weekday", "last_weekday", "next_weekday") and weekday is not None:
        if how == "next_weekday":
            delta = (weekday - issued.weekday()) % 7 or 7
            value = issued + timedelta(days=delta)
        else:
            # a bare weekday in a news story is the latest such day up to the paper's date
            delta = (issued.weekday() - weekday) % 7
            if how == "last_weekday" and delta == 0:
                delta = 7
            value = issued - timedelta(days=delta)
        return When(value, value, "day")
    monday = issued - timedelta(days=issued.weekday())
    weeks = {"this_week": 0, "last_week": -7, "next_week": 7}
    if how in weeks:
        first = monday + timedelta(days=weeks[how])
        return When(first, first + timedelta(days=6), "week")
    if how == "last_month" and month:
        year = issued.year if month < issued.month else issued.year - 1
        return _month(year, month)
    shifts = {"yesterday": -1, "today": 0, "tomorrow": 1}
    if how in shifts:
        value = issued + timedelta(days=shifts[how])
        return When(value, value, "day")
    return None


def _month(year: int, month: int) -> When:
    last = calendar.monthrange(year, month)[1]
    return When(date(year, month, 1), date(year, month, last), "month")


def _key(word: str | None) -> str:
    from graph.extract.text import fold

    return fold(word or "")[0].strip(". ")
