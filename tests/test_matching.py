"""The matcher: scores in proportion to a name's length, legal forms, scripts, three answers, explained."""

from __future__ import annotations

import pytest

from graph.errors import InputError
from graph.resolve.matching import (THRESHOLDS, Thresholds, compare, load_thresholds, search_keys,
                                    search_query_key, search_score)


# names as the lists of data/ write them, and as a newcomer typed them
@pytest.mark.parametrize("typed, listed", [
    ("Hikvisian", "Hangzhou Hikvision Digital Technology Co., Ltd."),
    ("Huawel", "Huawei Technologies Co., Ltd."),
    ("Nvidla", "Nvidia"),
    ("Dahau", "Dahua Technology"),
    ("Megvli Technology", "Megvii Technology"),
    ("URALMASHZAVOD", "URALMASHZAVOD OAO"),
    ("CONTINENTE MOVIL Y SERVICIOS", "CONTINENTE MOVIL Y SERVICIOS S.R.L."),
    ("Rostec", "STATE CORPORATION ROSTEC"),
    ("Sberbank", "PJSC SBERBANK"),
    ("Сбербанк", "Sberbank"),
    ("Technologies Huawei", "Huawei Technologies"),
    ("huawei technologies co ltd", "HUAWEI TECHNOLOGIES CO., LTD."),
])
def test_what_analysts_type_matches(typed, listed):
    result = compare(typed, listed)
    assert result.answer == "match", result


@pytest.mark.parametrize("one, other", [
    ("Intel", "Ambarella"),
    ("Qualcomm", "Broadcom"),
    ("Minsk Tractor Plant No. 3", "Minsk Tractor Plant No. 8"),
    ("Pskovnefteprodukt OOO", "Tvernefteprodukt OOO"),
])
def test_other_firms_do_not_match(one, other):
    assert compare(one, other).answer == "no match"


@pytest.mark.parametrize("one, other", [
    ("Shenzhen Corfang Energy Limited", "Shenzhen Corkang Energy Limited"),  # a consonant for another
    ("Dahua", "DAHUA ELECTRONICS CORPORATION"),  # a trade word one name lacks
    ("Semiconductor Manufacturing International (Beijing) Corporation",
     "Semiconductor Manufacturing International (Shenzhen) Corporation"),  # one place for another
    ("China Aerospace Science and Technology Corporation", "China Aerospace Science and Industry Corporation"),
])
def test_a_difference_that_names_another_firm_as_often_is_for_review(one, other):
    result = compare(one, other)
    assert result.answer == "possible match", result
    assert result.score < THRESHOLDS.match


def test_one_slip_counts_less_in_a_longer_name():
    assert compare("Dahau", "Dahua").score < compare("Hikvisoin", "Hikvision").score
    assert compare("Hkvsn", "Hikvision").answer == "no match"  # four letters dropped from nine


def test_the_explanation_names_each_feature():
    result = compare("URALMASHZAVOD", "URALMASHZAVOD OAO", countries=["ru"], candidate_countries=["ru"])
    assert result.explain() == "name 1.00, country agrees, legal form dropped"
    assert compare("Uralmashzavod OAO", "URALMASHZAVOD").explain() == "name 1.00, legal form added"
    assert "transliterated" in compare("Уралмашзавод", "URALMASHZAVOD").explain()


def test_countries_that_disagree_make_a_sure_match_a_possible_one():
    same = compare("Dahua Technology", "Dahua Technology", countries=["cn"], candidate_countries=["cn"])
    other = compare("Dahua Technology", "Dahua Technology", countries=["us"], candidate_countries=["cn"])
    assert (same.answer, other.answer) == ("match", "possible match")
    assert "country differs (us / cn)" in other.explain()


def test_thresholds_are_configuration(tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[thresholds]\nmatch = 0.95\nreview = 0.9\n", encoding="utf-8")
    thresholds = load_thresholds(strict)
    assert thresholds == Thresholds(0.95, 0.9, 0.2, 0.95)  # a build merges from match when merge is not given
    assert compare("Huawel", "Huawei", thresholds=thresholds).answer == "no match"
    assert compare("Huawel", "Huawei").answer == "match"


@pytest.mark.parametrize("body, message", [
    ("[thresholds]\nmatch = 0.8\n", "review is None"),
    ("[thresholds]\nmatch = 0.6\nreview = 0.7\n", "review .0.7. is above match .0.6."),
    ("[thresholds]\nmatch = 'high'\nreview = 0.7\n", "match is 'high'"),
    ("match = ", "cannot read"),
])
def test_bad_thresholds_name_the_file_and_what_to_write(tmp_path, body, message):
    path = tmp_path / "matching.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=f"matching.toml.*{message}"):
        load_thresholds(path)


# The site's search page runs site-search.js, the twin of search_score: these are the answers
# tests/test_site.py checks in a browser.
@pytest.mark.parametrize("query, name, found", [
    ("Hikvison", "Hangzhou Hikvision Digital Technology Co., Ltd.", True),
    ("hikvisoin", "Hikvision", True),
    ("Megvli", "Megvii Technology", True),
    ("Intel", "Hangzhou Hikvision Digital Technology Co., Ltd.", False),
    ("Hkvsn", "Hikvision", False),
])
def test_search_keys_find_misspellings_by_the_matchers_rule(query, name, found):
    assert (search_score(query, search_keys(name)) >= THRESHOLDS.review) is found


def test_the_search_query_is_folded_as_the_page_folds_it():
    assert search_query_key("  Hikvisión, Co. ") == "hikvisionco"
