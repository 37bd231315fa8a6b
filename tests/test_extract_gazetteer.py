"""The gazetteer finds the graph's own names in new text, whatever the spelling."""

from pathlib import Path

import pytest

from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.cli_support import curated_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer():
    return curated_sources(ROOT / "data").gazetteer  # read once per process, shared by the modules


def found(gazetteer, text):
    return [(m.text, m.entry.id.rsplit("/", 1)[-1]) for m in gazetteer.find(text)]


@pytest.mark.parametrize("spelling", ["SenseTime", "Sense Time", "Sensetime", "SENSETIME", "Sense-Time"])
def test_spellings_of_one_company_resolve_to_it(gazetteer, spelling):
    assert found(gazetteer, f"Les experts de {spelling} ont parlé.") == [(spelling, "sensetime")]


@pytest.mark.parametrize("spelling", ["Uighurs", "Uyghurs", "Ouïghours", "Ouighours", "Uyghur", "ouïghours"])
def test_spelling_variants_of_a_population(gazetteer, spelling):
    assert [key for _, key in found(gazetteer, f"la répression des {spelling} au Xinjiang")] == ["uyghurs", "xinjiang"]


def test_typos_are_caught_by_edit_distance(gazetteer):
    gaz = Gazetteer([Entry("kgr:population/kazakhs", "Population", {"en": "Kazakhs"}, ("Kazakhs",))])
    hits = gaz.find("contre les Kazahks et les Kazkahs")
    assert [(m.text, m.how) for m in hits] == [("Kazahks", "fuzzy"), ("Kazkahs", "fuzzy")]
    assert all(m.confidence < 1 for m in hits)


def test_glued_words_are_found(gazetteer):
    assert found(gazetteer, "les experts MegviiTechnology et Nvidia.En août") == [
        ("MegviiTechnology", "megvii"), ("Nvidia", "nvidia")]
    assert found(gazetteer, "d'équiper les agences fédéralesaméricaines (FBI, Nasa…)") == [
        ("agences fédéralesaméricaines", "us-federal-agencies"), ("FBI", "fbi"), ("Nasa", "nasa")]


def test_french_typography(gazetteer):
    text = "«\u00a0Le gouvernement américain\u00a0» et l’administration américaine"
    assert [key for _, key in found(gazetteer, text)] == ["us-government", "us-government"]


def test_short_names_must_look_like_names(gazetteer):
    assert found(gazetteer, "tell us about it") == []
    assert [key for _, key in found(gazetteer, "the US and China")] == ["us", "cn"]


def test_a_name_inside_a_longer_word_is_not_found(gazetteer):
    assert found(gazetteer, "Les chinoises et les Chinois") == []


def test_legal_forms_extend_the_mention(gazetteer):
    hits = gazetteer.find("Huawei Technologies Co., Ltd. and others")
    assert hits[0].text == "Huawei Technologies Co., Ltd."


def test_country_words_are_optional(gazetteer):
    assert found(gazetteer, "the Department of Commerce said") == [("Department of Commerce", "us-commerce")]


def test_fingerprint_changes_with_the_names():
    one = Gazetteer([Entry("kgr:org/a", "Company", {"": "Acme"}, ("Acme",))])
    two = Gazetteer([Entry("kgr:org/a", "Company", {"": "Acme"}, ("Acme", "Acme Corp"))])
    assert one.fingerprint() != two.fingerprint()
    assert one.fingerprint() == Gazetteer([Entry("kgr:org/a", "Company", {"": "Acme"}, ("Acme",))]).fingerprint()


def _listed(names, label, rank=30):
    """An entry as a sanctions list gives it: a label and aliases, ranked below curated facts."""
    return Entry(id=f"org/{label.lower().replace(' ', '-')}", cls="Organization", labels={"": label},
                 names=tuple(names), rank=rank)


def test_a_listed_alias_that_runs_on_into_a_longer_name_is_not_that_party():
    gaz = Gazetteer([_listed(["Shining Path", "People's Liberation Army"], "Shining Path"),
                     _listed(["World Co Ltd."], "World Co Ltd.")])
    text = "The People's Liberation Army Navy trained after World War II, as the Shining Path Committee said."
    found = [m.text for m in gaz.find(text)]
    # the alias and the name without its legal form ran on; the label keeps matching
    assert found == ["Shining Path"]
    assert [m.text for m in gaz.find("World Co Ltd. and the People's Liberation Army's units")] == \
        ["World Co Ltd.", "People's Liberation Army"]


def test_a_listed_alias_followed_by_a_title_or_a_legal_form_is_still_that_party():
    gaz = Gazetteer([_listed(["Sberbank of Russia", "Sberbank"], "Sberbank of Russia")],
                    legal_suffix=__import__("re").compile(r"(?:,? (?:PJSC|Ltd\.))+"))
    assert [m.text for m in gaz.find("Sberbank CEO Herman Gref and Sberbank PJSC.")] == ["Sberbank", "Sberbank PJSC"]
