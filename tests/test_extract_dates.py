"""Relative dates are resolved against the publication date."""

from datetime import date

import pytest

from graph.extract.dates import find_dates
from graph.extract.rules import load_rules

ISSUED = date(2019, 10, 8)  # a Tuesday


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "a annoncé lundi", "2019-10-07"),
        ("fr", "en août dernier, un décret", "2019-08"),
        ("fr", "doivent reprendre cette semaine", "2019-10-07/2019-10-13"),
        ("fr", "la semaine dernière", "2019-09-30/2019-10-06"),
        ("fr", "mardi", "2019-10-08"),
        ("fr", "hier", "2019-10-07"),
        ("fr", "le 16 mai 2019", "2019-05-16"),
        ("fr", "le 1er juin", "2019-06-01"),
        ("fr", "les 9 et 10 octobre", "2019-10-09/2019-10-10"),
        ("en", "last Monday", "2019-10-07"),
        ("en", "last Tuesday", "2019-10-01"),
        ("en", "next Friday", "2019-10-11"),
        ("en", "effective August 19, 2019", "2019-08-19"),
        ("en", "on Oct. 9, 2019", "2019-10-09"),
        ("en", "last August", "2019-08"),
        ("en", "this week", "2019-10-07/2019-10-13"),
    ],
)
def test_dates(lang, text, expected):
    found = find_dates(text, ISSUED, load_rules(lang))
    assert [str(w) for w in found] == [expected]
    assert text[found[0].char_start:found[0].char_end] == found[0].text


def test_month_and_week_are_not_days():
    weeks = find_dates("cette semaine", ISSUED, load_rules("fr"))
    assert weeks[0].day is None and weeks[0].precision == "week"


def test_relative_dates_need_the_publication_date():
    assert find_dates("lundi", None, load_rules("fr")) == []
    assert [str(w) for w in find_dates("le 16 mai 2019", None, load_rules("fr"))] == ["2019-05-16"]


def test_last_month_before_january_is_last_year():
    assert [str(w) for w in find_dates("en décembre dernier", date(2020, 1, 15), load_rules("fr"))] == ["2019-12"]
