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
    ("Winthought Company Ltd.", "Shenzhen Winthought Tech"),  # a form on one side, a seat and a descriptor on the other
])
def test_what_analysts_type_matches(typed, listed):
    result = compare(typed, listed)
    assert result.answer == "match", result


def test_names_that_share_only_a_distinctive_word_match_but_do_not_merge():
    """Two entries of BIS's Unverified List, one in Shenzhen, one in Hong Kong: a screen says so, a build keeps both."""
    result = compare("Winthought Company Ltd.", "Shenzhen Winthought Tech")
    assert result.answer == "match" and not THRESHOLDS.merges(result), result


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
    ("Listed Group", "Listed Corp"),  # a group and a firm of one name: a parent and its subsidiary as often
    ("Global Group Inc", "Global Corp Inc"),
    ("Acme Group", "Acme Corp"),  # as short, whose letters differ more: the same answer
    ("Rostec Group", "STATE CORPORATION ROSTEC"),
])
def test_a_difference_that_names_another_firm_as_often_is_for_review(one, other):
    result = compare(one, other)
    assert result.answer == "possible match", result
    assert result.score < THRESHOLDS.match


def test_a_group_or_a_form_on_one_side_only_still_matches_and_forms_that_differ_are_said():
    assert compare("Listed Group", "Listed").answer == "match"  # the short name drops what it is
    assert compare("Listed Group", "Listed Corp").explain() == "name 0.74, words differ (group / corp)"
    assert compare("Listed Corp", "Listed Company").explain() == "name 0.95, legal form differs (corp / company)"


# a Chinese firm's registered name is one run of characters: seat, brand, trade, legal form
@pytest.mark.parametrize("brand, registered", [
    ("海康威视", "杭州海康威视数字技术股份有限公司"),  # Hikvision
    ("大华", "浙江大华技术股份有限公司"),  # Dahua
    ("旷视", "北京旷视科技有限公司"),  # Megvii
])
def test_a_brand_in_chinese_characters_matches_the_registered_name(brand, registered):
    result = compare(brand, registered)
    assert result.answer == "match", result
    assert result.explain().endswith("legal form dropped")
    assert compare(brand, "深圳市大疆创新科技有限公司").answer == "no match"  # another firm's (DJI)


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


@pytest.mark.parametrize("typed, listed", [
    ("Pacific Ocean Syar General Trading", "Pacific Ocean Star General Trading"),  # a neighbouring key
    ("Aia Group Nord LLC", "Avia Group Nord LLC"),  # a letter dropped from a four-letter word
])
def test_a_slip_in_a_four_letter_word_is_a_match_but_no_merge(typed, listed):
    result = compare(typed, listed)
    assert result.answer == "match", result
    assert not THRESHOLDS.merges(result), result  # in two lists' names, as often two firms


def test_a_four_letter_word_changed_otherwise_is_not_a_slip():
    assert compare("Pacific Ocean Scar General Trading", "Pacific Ocean Star General Trading").answer != "match"
    assert compare("NIOC", "NICO").answer == "no match"  # an acronym's letters are all it has


@pytest.mark.parametrize("typed, listed", [
    ("Serko Limiited", "Serko Limited"),
    ("AKTSIONERNOE OBSHCHESTVP RT-OKHRANA", "AKTSIONERNOE OBSHCHESTVO RT-OKHRANA"),
    ("Contemporary Amperex Technology Co., Ldt.", "Contemporary Amperex Technology Co., Ltd."),
])
def test_a_misspelt_legal_form_is_read_as_the_form(typed, listed):
    result = compare(typed, listed)
    assert result.answer == "match", result
    assert "legal form spelt otherwise" in result.explain()


def _csl_names(count):
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "data" / "lists" / "watchman_testdata_csl_2023-11-30.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["name"] for row, _ in zip(csv.DictReader(handle), range(count)) if row["name"]]


def test_the_prefilter_and_the_floor_keep_every_comparison_from_the_floor_up():
    # the screen's and the build's shortcuts (plausible, floor) must not change what they keep
    from graph.resolve.matching import compare_names, plausible, prepare

    listed = [prepare(n) for n in _csl_names(400)]
    queries = [prepare(n) for n in ("Rostec", "Sberbank Rossii", "Huawel Technologies", "Serko Limiited",
                                    "Aktsionernoe Obshchestvo Concern", "Hangzhou Hikvisian", "Сбербанк")]
    queries += listed[::40]
    kept = 0
    for query in queries:
        every = {i for i, other in enumerate(listed) if compare_names(query, other).score >= THRESHOLDS.review}
        near = plausible(query, [n.key for n in listed], [n.sound for n in listed], [n.content for n in listed],
                         sorted_keys=[n.sorted_key for n in listed])
        assert every <= set(near), query.text
        for i in near:
            full, short = compare_names(query, listed[i]), compare_names(query, listed[i], floor=THRESHOLDS.review)
            assert (full.score >= THRESHOLDS.review) == (short.score >= THRESHOLDS.review), (query.text, full)
            if full.score >= THRESHOLDS.review:
                assert short == full
        kept += len(every)
    assert kept > len(queries)  # the queries do find listed names
