"""Days: the one parser of a day, and the one rule of what is in force on a day.

Every command and function that takes a day (``--as-of``, ``as_of=``, a screen's body) reads it
with :func:`parse_day`; every search that keeps measures, relationships or ownership rules
"in force on D" asks :func:`in_force`, :func:`measure_in_force` or :func:`rule_status` here,
so that exposure, the matrix search, ownership, screening and the site agree.

What a stated date means:

- a **measure** is in force from its start date (else the day it was announced), until its
  end date. One whose sources state neither is in force from the date of the list version
  that states it (``stated``: the source's publication date, or the date its copy was
  taken) and onwards: it is shown with "date not stated". A measure the sources give as
  only proposed (a bill not enacted: a stated ``status`` other than in force) is never
  in force: it is shown as proposed and makes nothing listed.
- a **relationship** holds from its start to its end date; one with no dates holds from the
  date of the earliest source that reports it (``since``), an assumption the output flags.
- a bound that is not a whole day (a bare year) bounds nothing.

>>> parse_day("2019-10-08")
datetime.date(2019, 10, 8)
>>> in_force("2019-10-07", None, parse_day("2019-10-08"))
True
>>> measure_in_force({"start": None, "stated": "2023-11-30"}, parse_day("2023-11-29"))
False
>>> measure_in_force({"status": "adopted by the Senate"}, None)
False
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from graph.errors import ArgumentError, InputError

__all__ = ["parse_day", "day_or_none", "in_force", "measure_start", "measure_in_force", "is_proposed",
           "relationship_start", "relationship_in_force", "period_text", "rule_status", "DATE_NOT_STATED",
           "IN_FORCE_STATUSES"]

#: what a measure or relationship with no date of its own says where it is shown
DATE_NOT_STATED = "date not stated"

#: the ``kg:status`` values of a measure that is in force (any other stated status: proposed)
IN_FORCE_STATUSES = frozenset({"in force", "enacted", "adopted", "effective"})

_FORM = "YYYY-MM-DD"


def parse_day(value, *, param: str = "as_of", path: str | Path | None = None, line: int | None = None) -> date | None:
    """``value`` as a day: a :class:`datetime.date`, or text written ``YYYY-MM-DD``; None stays None.

    Parameters
    ----------
    value : datetime.date, datetime.datetime, str or None
        The day. A datetime gives its day; text is stripped first.
    param : str
        The argument's name, for the error (``"as_of"``).
    path, line : optional
        The file (and line) the value was read from: the error is then an :class:`InputError`.

    Raises
    ------
    ArgumentError
        ``value`` is not a day (naming the value and the form accepted).
    InputError
        The same, for a value read from the file ``path``.

    >>> parse_day(None) is None, parse_day(" 2025-11-10 ")
    (True, datetime.date(2025, 11, 10))
    >>> parse_day("10/11/2025")
    Traceback (most recent call last):
    ...
    graph.errors.ArgumentError: as_of must be a day written YYYY-MM-DD, such as 2019-10-08, not '10/11/2025'
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        message = f"{param} must be a day written {_FORM}, such as 2019-10-08, not {value!r}"
        if path is not None:
            raise InputError(path, message, line=line) from None
        raise ArgumentError(param, message) from None


def day_or_none(text: str | None) -> date | None:
    """The day a stored ISO date or dateTime starts with; None for None or what is not a whole day.

    >>> day_or_none("2019-10-08T12:00:00"), day_or_none("2019"), day_or_none(None)
    (datetime.date(2019, 10, 8), None, None)
    """
    if text is None:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:  # a bare year or month: no day to bound with
        return None


def in_force(start: str | None, end: str | None, day: date | None, *, undated: bool = True) -> bool:
    """Whether something running from ``start`` to ``end`` (ISO dates, both inclusive) holds on ``day``.

    Without a day, everything holds. ``undated`` says whether something with no bound at all
    holds on a day.

    >>> in_force("2019-10-07", None, date(2019, 10, 7)), in_force("2019-10-07", None, date(2019, 10, 6))
    (True, False)
    >>> in_force(None, None, date(2019, 1, 1)), in_force(None, None, date(2019, 1, 1), undated=False)
    (True, False)
    """
    if day is None:
        return True
    first, last = day_or_none(start), day_or_none(end)
    if first is None and last is None and not undated:
        return False
    if first is not None and first > day:
        return False
    return last is None or last >= day


def relationship_start(edge: dict) -> tuple[str | None, bool]:
    """The day a relationship holds from, and whether that day is assumed.

    Its start date; else (assumed) the date of the earliest source that reports it
    (``since``).

    >>> relationship_start({"start": "2019-01-01", "since": "2019-10-08"}), relationship_start({"since": "2019-10-08"})
    (('2019-01-01', False), ('2019-10-08', True))
    """
    if edge.get("start"):
        return edge["start"], False
    since = edge.get("since")
    return since, since is not None


def relationship_in_force(edge: dict, day: date | None) -> bool:
    """Whether the relationship ``edge`` (a projection's edge data) holds on ``day``.

    >>> relationship_in_force({"start": None, "end": None, "since": "2026-01-05"}, date(2019, 10, 10))
    False
    """
    return in_force(relationship_start(edge)[0], edge.get("end"), day)


def is_proposed(record: dict) -> bool:
    """Whether a measure is only proposed: its sources state a status other than in force.

    >>> is_proposed({"status": "adopted by the Senate"}), is_proposed({"status": "in force"}), is_proposed({})
    (True, False, False)
    """
    status = record.get("status")
    return bool(status) and str(status).strip().casefold() not in IN_FORCE_STATUSES


def measure_start(record: dict) -> tuple[str | None, bool]:
    """The day a measure is in force from, and whether its sources state it.

    Its start date, else the day it was announced, else (not stated) the date of the list
    version that states it (``stated``).

    >>> measure_start({"start": None, "announced": "2019-10-07"}), measure_start({"stated": "2023-11-30"})
    (('2019-10-07', True), ('2023-11-30', False))
    """
    stated = record.get("start") or record.get("announced")
    if stated:
        return stated, True
    return record.get("stated"), False


def measure_in_force(record: dict, day: date | None) -> bool:
    """Whether the measure ``record`` (a projection's ``G.graph["measures"]`` value) is in force on ``day``.

    A proposed measure never is; without a day every other one is.
    """
    if is_proposed(record):
        return False
    start, _stated = measure_start(record)
    return in_force(start, record.get("end"), day)


def period_text(record: dict) -> str:
    """A measure's period in words, as pages and reports show it.

    >>> period_text({"start": "2019-10-09"}), period_text({"stated": "2023-11-30"})
    ('in force from 2019-10-09', 'date not stated; in force from 2023-11-30, the date of the list that states it')
    >>> period_text({"status": "adopted by the Senate"})
    'proposed (adopted by the Senate): not in force'
    """
    if is_proposed(record):
        return f"proposed ({record['status']}): not in force"
    start, stated = measure_start(record)
    end = record.get("end")
    until = f" until {end}" if end else ""
    if stated:
        return f"in force from {start}{until}"
    if start:
        return f"{DATE_NOT_STATED}; in force from {start}, the date of the list that states it{until}"
    return f"{DATE_NOT_STATED}{until}"


def rule_status(rule: dict, day: date | None) -> str:
    """Whether an ownership ``rule`` applies on ``day``: ``"in force"``, ``"suspended"``, ``"not yet in force"``.

    Without a day, ``"in force"`` when the rule states no period, else its periods in words.
    A rule that states no start date is in force on any day (its sources give no date).

    >>> rule = {"start": "2025-09-29", "suspended_from": "2025-11-10", "suspended_until": "2026-11-10"}
    >>> [rule_status(rule, date.fromisoformat(d)) for d in ("2025-09-28", "2025-10-01", "2026-11-09", "2026-11-10")]
    ['not yet in force', 'in force', 'suspended', 'in force']
    """
    start, stop, resume = rule.get("start"), rule.get("suspended_from"), rule.get("suspended_until")
    if day is None:
        if not start and not stop:
            return "in force"
        text = f"in force from {start}" if start else "in force"
        if stop:
            text += f", suspended from {stop}" + (f" until {resume}" if resume else "")
        return text
    if not in_force(start, None, day):
        return "not yet in force"
    if stop and in_force(stop, None, day) and not (resume and in_force(resume, None, day)):
        return "suspended"
    return "in force"
