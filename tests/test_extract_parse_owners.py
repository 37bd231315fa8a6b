"""Owners named in another sentence, joint ventures and bylines (graph/extract/coref.py,
rules/lexicon.yaml, graph/extract/text.py), one construction a test, in English and French.

These are the constructions behind the ownerships the test halves of the extraction corpus
missed or read wrongly: a stake whose owned firm is "the company" in the next sentence, a
joint venture's partners, a reporter's byline read as an owner. Every text below was written
for its test. The gazetteer is built in the test from invented companies and people (Arden
Capital, Dunmore Labs, Kestrel Holdings, Norvale Optics, Tobias Renn), so that no sentence
states a tie of a real firm.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.coref import resolve_anaphors
from graph.extract.gazetteer import Entry, Gazetteer, Mention
from graph.extract.parse import parser_status
from graph.extract.text import in_byline

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")


def _entry(key: str, name: str) -> Entry:
    return Entry(f"kgr:org/{key}", "Company", {"": name}, (name,))


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([_entry("arden", "Arden Capital"), _entry("dunmore", "Dunmore Labs"),
                      _entry("kestrel", "Kestrel Holdings"), _entry("norvale", "Norvale Optics")])


def owns(text: str, gazetteer, lang: str = "en") -> dict[tuple[str, str], list]:
    """(owner, owned) of each plain ownership found, by name, with its shares."""
    extraction = extract_text(text, gazetteer=gazetteer, lang=lang)
    out: dict[tuple[str, str], list] = {}
    for fact in extraction.facts:
        if fact.cls != "Ownership" or fact.negated or fact.modality:
            continue
        for a in fact.values.get("owner", []):
            for b in fact.values.get("ownedEntity", []):
                out.setdefault((a.name or a.text, b.name or b.text), []).extend(fact.values.get("share", []))
    return out


# -- the owner or the owned firm named in another sentence of the paragraph


@pytest.mark.parametrize("text, lang, expected", [
    # a noun phrase is never the subject of its own clause: "the firm" is the firm named before
    ("Norvale Optics makes lenses. Arden Capital owns 30 % of the firm.", "en", ("Arden Capital", "Norvale Optics")),
    ("Norvale Optics makes lenses, and Arden Capital holds a 30 % stake in the company.", "en",
     ("Arden Capital", "Norvale Optics")),
    ("Norvale Optics fabrique des lentilles. Arden Capital détient 30 % du groupe.", "fr",
     ("Arden Capital", "Norvale Optics")),
    # "the bank" is a company too
    ("Kestrel Holdings lends to exporters. Arden Capital owns 30 % of the bank.", "en",
     ("Arden Capital", "Kestrel Holdings")),
])
def test_an_owner_or_an_owned_firm_named_in_the_sentence_before(gazetteer, text, lang, expected):
    found = owns(text, gazetteer, lang)
    assert set(found) == {expected}
    assert set(found[expected]) == {30.0}


def test_a_possessive_after_a_phrase_points_where_the_phrase_points():
    text = "Dunmore Labs met Arden Capital. The firm said its unit would buy lenses."
    mentions = [Mention(0, 12, "Dunmore Labs", "Company", name="Dunmore Labs"),
                Mention(17, 30, "Arden Capital", "Company", name="Arden Capital")]
    links = resolve_anaphors(text, [(0, 31), (32, len(text))], mentions, "en", {})
    assert {text[s:e]: m.name for (s, e), m in links.items()} == {"The firm": "Arden Capital", "its": "Arden Capital"}


def test_a_company_that_speaks_may_be_the_company_it_speaks_of(gazetteer):
    """A word that opens another clause lets the phrase point back at the subject."""
    assert set(owns("Arden Capital said the company owns 30 % of Norvale Optics.", gazetteer)) == \
        {("Arden Capital", "Norvale Optics")}


def test_a_company_said_of_its_own_clause_resolves_nowhere_else(gazetteer):
    """No other firm before it in the paragraph: "the firm" is no one, and no owner owns itself."""
    assert owns("Arden Capital owns 30 % of the firm.", gazetteer) == {}


# -- a joint venture is owned by its partners


@pytest.mark.parametrize("text, lang", [
    ("Norvale Optics, a joint venture of Kestrel Holdings and Dunmore Labs, makes lenses.", "en"),
    ("Norvale Optics is a joint venture between Kestrel Holdings and Dunmore Labs.", "en"),
    ("Kestrel Holdings and Dunmore Labs formed a joint venture, Norvale Optics, in 2019.", "en"),
])
def test_a_joint_ventures_partners_own_it(gazetteer, text, lang):
    assert set(owns(text, gazetteer, lang)) == {("Kestrel Holdings", "Norvale Optics"), ("Dunmore Labs", "Norvale Optics")}


def test_a_joint_venture_named_by_no_name_is_only_a_partnership(gazetteer):
    extraction = extract_text("Kestrel Holdings formed a joint venture with Dunmore Labs in 2019.", gazetteer=gazetteer,
                              lang="en")
    assert not [f for f in extraction.facts if f.cls == "Ownership"]
    assert [f.cls for f in extraction.facts] == ["Partnership"]


# -- a reporter's byline is never an end of a relation


def test_a_byline_finds_its_reporters_only():
    text = "By Tobias Renn and Ilse Varga\nBy Monday, Kestrel Holdings owns Norvale Optics. (Reporting by Mara Ellison)"
    at = text.index
    assert [in_byline(text, at(n)) for n in ("Tobias", "Ilse", "Mara")] == [True, True, True]
    assert not in_byline(text, at("Kestrel"), first=True) and not in_byline(text, at("Norvale"))


def test_a_name_run_on_from_a_byline_is_no_owner_and_the_reason_is_kept(gazetteer):
    extraction = extract_text("By Tobias Renn Selwyn Marine owns 30 % of Kestrel Holdings.", gazetteer=gazetteer,
                              lang="en")
    assert not [f for f in extraction.facts if f.cls == "Ownership"]
    assert any("byline" in d.reason for d in extraction.dropped)


# -- a noun joined to another shares its possessor and what it is said of


@pytest.mark.parametrize("text, lang", [
    ("Tobias Renn was one of Dunmore Labs’s directors and shareholders.", "en"),
    ("L'oligarque et principal actionnaire de Dunmore Labs, Tobias Renn, a été sanctionné.", "fr"),
])
def test_a_shareholder_named_with_another_title_owns_the_firm(gazetteer, text, lang):
    assert set(owns(text, gazetteer, lang)) == {("Tobias Renn", "Dunmore Labs")}
