"""A measure told over several sentences: the body that imposes it named once, its targets named
in the sentences that follow (graph/extract/imposers.py, rules/<lang>.yaml, rules/lexicon.yaml).

Releases and stories name the imposing body in one sentence ("The Commerce Department ...",
"according to a Treasury statement", « selon un communiqué du Trésor américain ») and the parties
in the next ones ("A and B are among the companies ...", "Companies including A and B ...",
« Il s'agit des sociétés A, B et C », "B was also named"). Every text below was written for its
test; the companies are invented, so that no sentence states a measure on a real firm.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer, Mention
from graph.extract.imposers import name_imposers
from graph.extract.parse import parser_status
from graph.extract.relations import Fact
from graph.extract.rules import load_rules

pytestmark = pytest.mark.skipif(parser_status("en") is None or parser_status("fr") is None,
                                reason="install the 'extract' extra: pip install '.[extract]'")

_MEASURES = ("ExportControlListing", "Measure", "Sanction", "AssetFreeze")


def _entry(key: str, cls: str, name: str, *aliases: str, country: str | None = None, code: str | None = None) -> Entry:
    return Entry(f"kgr:{key}", cls, {"": name}, (name, *aliases), country=country, code=code)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer([
        _entry("org/arden", "Company", "Arden Microsystems"), _entry("org/belmont", "Company", "Belmont Robotics"),
        _entry("org/corvin", "Company", "Corvin Sensors"), _entry("org/dunmore", "Company", "Dunmore Labs"),
        _entry("gov/us-commerce", "GovernmentBody", "Commerce Department", "Département du Commerce",
               country="kgr:country/us"),
        _entry("country/us", "Country", "United States", "U.S.", "États-Unis", code="US"),
        _entry("list/entity-list", "RestrictedPartyList", "Entity List"),
    ])


def read(text: str, gazetteer, lang: str = "en"):
    return extract_text(text, gazetteer=gazetteer, lang=lang)


def measured(extraction, role: str = "targets") -> set[str]:
    """The names filling ``role`` of the plain measures found (neither denied nor modal)."""
    return {v.name or v.text for f in extraction.facts if f.cls in _MEASURES and not (f.negated or f.modality)
            for v in f.values.get(role, [])}


# -- the imposing body, named in another sentence


@pytest.mark.parametrize("text, lang, body", [
    ("The Commerce Department placed Arden Microsystems on the Entity List on Monday for shipping drone engines. "
     "The firm denied it. Belmont Robotics is also targeted by the measures.", "en", "Commerce Department"),
    ("Le Département du Commerce a inscrit lundi Arden Microsystems sur sa liste noire. L'entreprise dément. "
     "Belmont Robotics est également visée par des sanctions.", "fr", "Département du Commerce"),
])
def test_a_measure_with_no_body_takes_the_body_of_the_measure_before_it(gazetteer, text, lang, body):
    extraction = read(text, gazetteer, lang)
    later = [f for f in extraction.facts if f.cls in _MEASURES and
             "Belmont Robotics" in {v.name for v in f.values.get("targets", [])}]
    assert later, extraction.facts
    assert {v.name for f in later for v in f.values.get("imposedBy", [])} == {body}
    # its quote keeps the sentence that names the body, as a pronoun's antecedent does
    assert any(start == 0 for f in later for start, _end in f.spans)


def test_a_french_body_that_acts_in_the_opening_imposes_the_measure_after_it(gazetteer):
    # the parser hangs "lundi" on the verb and reads no measure in the first sentence: the body
    # that sanctions there still imposes the measure the next sentence states
    extraction = read("Le Département du Commerce a sanctionné lundi Arden Microsystems. Des sanctions visent aussi "
                      "Belmont Robotics.", gazetteer, "fr")
    assert "Belmont Robotics" in measured(extraction)
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def _mention(text: str, name: str, cls: str):
    start = text.index(name)
    return Mention(start, start + len(name), name, cls, name=name)


def test_a_measure_read_apart_takes_the_bodies_of_the_measure_stated_before_it():
    text = "OFAC designated Arden Microsystems. Separately, Belmont Robotics was hit. Corvin Sensors was too."
    ofac, arden, belmont = (_mention(text, n, c) for n, c in
                            (("OFAC", "GovernmentBody"), ("Arden Microsystems", "Company"), ("Belmont Robotics", "Company")))
    sentences = [(0, 35), (36, 73), (74, 98)]
    first, later = Fact("Measure", "parse:en", spans=[sentences[0]]), Fact("Measure", "parse:en", spans=[sentences[1]])
    first.add("imposedBy", ofac)
    first.add("targets", arden)
    later.add("targets", belmont)
    denied = Fact("Measure", "parse:en", spans=[sentences[2]], negated=True)
    denied.add("targets", _mention(text, "Corvin Sensors", "Company"))
    name_imposers([later, first, denied], text, [ofac, arden, belmont], load_rules("en"), sentences)
    assert later.values["imposedBy"] == [ofac]
    assert later.rule.endswith("imposedBy<earlier-measure")
    assert later.spans == [sentences[1], sentences[0]]
    assert "imposedBy" not in denied.values  # a denied measure takes no body


def test_a_mention_of_sanctions_takes_no_body_and_names_no_target(gazetteer):
    extraction = read("The Commerce Department placed Arden Microsystems on the Entity List on Monday. Belmont "
                      "Robotics said sanctions had hurt its sales.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems"}


@pytest.mark.parametrize("text, lang, bodies", [
    # the text cites the body's statement: the body of the country that imposes is the one meant
    ("The United States imposed sanctions on Arden Microsystems on Tuesday, according to a statement by the US "
     "Treasury Department.", "en", {"US Treasury Department"}),
    # a capital names its government in the text's own words: the body joins it
    ("Washington a décidé jeudi d'imposer des sanctions contre Arden Microsystems, selon un communiqué du Trésor "
     "américain.", "fr", {"gouvernement américain", "Trésor américain"}),
])
def test_the_body_whose_statement_is_cited_imposes_the_measure(gazetteer, text, lang, bodies):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == bodies


# -- the targets, named in the sentences after the measure


@pytest.mark.parametrize("text, lang, body", [
    ("The Commerce Department blacklisted 25 entities on Wednesday. Arden Microsystems and Belmont Robotics are "
     "among the companies that can no longer receive American exports.", "en", "Commerce Department"),
    ("The Commerce Department added four companies to the Entity List on Wednesday. Companies including Arden "
     "Microsystems and Belmont Robotics can no longer buy American parts.", "en", "Commerce Department"),
    ("Le Département du Commerce a sanctionné jeudi vingt entreprises. Arden Microsystems et Belmont Robotics "
     "figurent parmi les entreprises visées.", "fr", "Département du Commerce"),
])
def test_parties_named_after_a_measure_on_counted_parties_are_its_targets(gazetteer, text, lang, body):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(extraction, "imposedBy") == {body}


def test_the_firms_a_french_release_spells_out_are_targets(gazetteer):
    extraction = read("Le Département du Commerce a sanctionné cinq sociétés industrielles. Il s'agit des sociétés "
                      "Arden Microsystems, Belmont Robotics et Corvin Sensors.", gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors"}


def test_a_party_named_in_the_passive_after_a_measure_is_its_target(gazetteer):
    extraction = read("The Commerce Department added Arden Microsystems to the Entity List on Monday. Belmont "
                      "Robotics was also named.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}


@pytest.mark.parametrize("text", [
    # the name right before the copula is the party; one in the apposition before it is not
    "The Commerce Department blacklisted 25 entities on Wednesday. Corvin Sensors, a partner of Dunmore Labs, is "
    "among the firms designated.",
    # "among the companies" with no measure before it targets no one
    "Dunmore Labs is among the companies that supply Corvin Sensors.",
])
def test_only_the_parties_among_a_measures_are_targets(gazetteer, text):
    extraction = read(text, gazetteer)
    assert "Dunmore Labs" not in measured(extraction)


@pytest.mark.parametrize("later_class, sentence", [
    # a ban on public buyers is another measure than a listing, not its continuation
    ("ProcurementBan", "Belmont Robotics cannot sell to agencies."),
    # a measure the text tells as older is another one
    ("Measure", "Belmont Robotics was already sanctioned."),
])
def test_another_measure_takes_no_body_from_the_one_before(later_class, sentence):
    text = f"The Commerce Department listed Arden Microsystems. {sentence}"
    body, arden, belmont = (_mention(text, n, c) for n, c in (("Commerce Department", "GovernmentBody"),
                                                              ("Arden Microsystems", "Company"),
                                                              ("Belmont Robotics", "Company")))
    sentences = [(0, 51), (52, len(text))]
    first = Fact("ExportControlListing", "parse:en", spans=[sentences[0]])
    first.add("imposedBy", body)
    first.add("targets", arden)
    later = Fact(later_class, "parse:en", spans=[sentences[1]])
    later.add("targets", belmont)
    name_imposers([first, later], text, [body, arden, belmont], load_rules("en"), sentences)
    assert "imposedBy" not in later.values


@pytest.mark.parametrize("text, lang", [
    ("The Commerce Department subjected Arden Microsystems to sanctions.", "en"),
    ("Le Département du Commerce a soumis Arden Microsystems aux sanctions financières.", "fr"),
])
def test_a_body_that_subjects_a_party_to_sanctions_imposes_them(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Arden Microsystems"}
    assert len(measured(extraction, "imposedBy")) == 1
