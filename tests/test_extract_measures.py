"""Measures read on text no rule was written for: who imposes them and whom they target, in
English and French (graph/extract/parse.py, graph/extract/target_lists.py, rules/<lang>.yaml).

Each construction is a class of misses found on real texts (the extraction corpus); every text
below was written for its test. The gazetteer is built in the test: real agencies and lists,
invented companies (Arden Microsystems, Belmont Robotics, Corvin Sensors, Dunmore Labs), so
that no sentence states a measure on a real firm.
"""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.extract.gazetteer import Entry, Gazetteer
from graph.extract.parse import parser_status

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
        _entry("gov/us-treasury", "GovernmentBody", "Treasury Department", "Treasury"),
        _entry("country/us", "Country", "United States", "U.S.", "États-Unis", code="US"),
        _entry("country/ru", "Country", "Russia", "Russie", code="RU"),
        _entry("country/cn", "Country", "China", "Chine", code="CN"),
        _entry("country/gb", "Country", "United Kingdom", "UK", "Royaume-Uni", code="GB"),
        _entry("country/nl", "Country", "Netherlands", "Pays-Bas", code="NL"),
        _entry("list/entity-list", "RestrictedPartyList", "Entity List"),
    ])


def read(text: str, gazetteer, lang: str = "en"):
    return extract_text(text, gazetteer=gazetteer, lang=lang)


def measured(extraction, role: str = "targets") -> set[str]:
    """The names filling ``role`` of the plain measures found (neither denied nor modal)."""
    return {v.name or v.text for f in extraction.facts if f.cls in _MEASURES and not (f.negated or f.modality)
            for v in f.values.get(role, [])}


def classes(extraction) -> dict[str, str]:
    return {m.text: m.cls for m in extraction.mentions}


# -- the European Union and its Council govern: they impose, they are no company


@pytest.mark.parametrize("text, lang, body", [
    ("The EU froze the assets of Belmont Robotics on Monday.", "en", "EU"),
    ("The Council of the European Union froze the assets of Belmont Robotics.", "en",
     "Council of the European Union"),
    ("L'UE a gelé les avoirs de Belmont Robotics lundi.", "fr", "UE"),
    ("La Commission européenne a gelé les avoirs de Belmont Robotics.", "fr", "Commission européenne"),
])
def test_the_eu_and_its_council_are_government_bodies_that_impose(gazetteer, text, lang, body):
    extraction = read(text, gazetteer, lang)
    assert classes(extraction)[body] == "GovernmentBody"
    assert measured(extraction, "imposedBy") == {body}
    assert measured(extraction) == {"Belmont Robotics"}


def test_a_council_of_something_else_is_not_read_as_the_eus(gazetteer):
    extraction = read("Le Conseil d'administration de Belmont Robotics s'est réuni lundi.", gazetteer, "fr")
    assert "Conseil" not in classes(extraction)


# -- a measure's noun names its targets; the verb it is the object of names the imposing body


@pytest.mark.parametrize("text, lang, bodies, targets", [
    ("The Treasury imposed sanctions on Arden Microsystems and Belmont Robotics.", "en",
     {"Treasury"}, {"Arden Microsystems", "Belmont Robotics"}),
    ("The Commerce Department banned exports to Corvin Sensors.", "en", {"Commerce Department"}, {"Corvin Sensors"}),
    ("Le Département du Commerce a imposé des sanctions contre Arden Microsystems.", "fr",
     {"Département du Commerce"}, {"Arden Microsystems"}),
    # "les États-Unis" stand for their government, which the gazetteer lacks: an extracted one imposes
    ("Les États-Unis ont imposé des sanctions contre Arden Microsystems.", "fr", {"gouvernement américain"},
     {"Arden Microsystems"}),
    ("L'UE a annoncé le gel des avoirs de Belmont Robotics.", "fr", {"UE"}, {"Belmont Robotics"}),
    ("L'UE a gelé les avoirs de Belmont Robotics lundi.", "fr", {"UE"}, {"Belmont Robotics"}),
    ("Le Département du Commerce a annoncé l'interdiction d'exporter vers Corvin Sensors et Dunmore Labs.", "fr",
     {"Département du Commerce"}, {"Corvin Sensors", "Dunmore Labs"}),
])
def test_a_measures_noun_names_its_targets_and_its_verbs_subject_imposes_it(gazetteer, text, lang, bodies, targets):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == targets
    assert measured(extraction, "imposedBy") == bodies


def test_a_body_deciding_on_a_package_of_sanctions_imposes_it(gazetteer):
    extraction = read("L'UE a décidé d'un onzième paquet de sanctions contre la Russie.", gazetteer, "fr")
    assert measured(extraction, "imposedBy") == {"UE"}
    # a country a measure is against is no target of it
    assert measured(extraction) == set()


@pytest.mark.parametrize("text, lang", [
    ("Intel exporte vers Corvin Sensors. Les exportations vers Corvin Sensors ont augmenté.", "fr"),
    ("Sanctions on Russia hurt Arden Microsystems, which sells chips there.", "en"),
    ("Arden Microsystems banned exports to Corvin Sensors after a dispute.", "en"),
])
def test_trade_with_a_firm_or_a_firm_hurt_by_sanctions_is_no_measure_on_it(gazetteer, text, lang):
    assert measured(read(text, gazetteer, lang)) == set()


# -- targets one a line after the sentence that introduces them (graph/extract/target_lists.py)


def test_targets_listed_one_a_line_with_addresses_join_the_listing(gazetteer):
    text = ("The Commerce Department added three companies to the Entity List on Tuesday. The entities added are:\n"
            "- Arden Microsystems, 12 Harbour Road, Shenzhen, China;\n"
            "- Tarrow Photonics Co., Ltd. (Russia);\n"
            "- Ilse Brandt\n"
            "The rule takes effect at once.\n")
    extraction = read(text, gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Tarrow Photonics Co., Ltd.", "Ilse Brandt"}
    assert measured(extraction, "imposedBy") == {"Commerce Department"}
    assert measured(extraction, "onList") == {"Entity List"}
    assert classes(extraction)["Ilse Brandt"] == "Person"
    # the prose after the list is no target, nor is a place of an address
    assert not {"The rule takes effect at once.", "Shenzhen", "China", "Russia"} & measured(extraction)


def test_targets_listed_one_a_line_in_french_after_the_sentence_naming_them(gazetteer):
    text = ("Le Département du Commerce a ajouté trois entreprises à la liste noire mardi.\n"
            "Les entités visées sont :\n\n"
            "• Arden Microsystems (Chine)\n\n"
            "• Tarrow Photonics, Moscou, Russie\n\n"
            "La mesure entre en vigueur immédiatement.\n")
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems", "Tarrow Photonics"}
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def test_a_list_after_a_line_naming_a_body_that_designates_is_its_measure(gazetteer):
    text = "The Treasury designated the following individuals:\n1. Ilse Brandt\n2. Tomas Wendt\n"
    extraction = read(text, gazetteer)
    assert measured(extraction) == {"Ilse Brandt", "Tomas Wendt"}
    assert measured(extraction, "imposedBy") == {"Treasury"}


def test_a_list_of_suppliers_or_of_places_is_no_list_of_targets(gazetteer):
    text = ("Belmont Robotics buys parts from these companies:\n- Arden Microsystems\n- Tarrow Photonics\n\n"
            "The Commerce Department added entities located in the following cities:\n- Shenzhen\n- Moscow\n")
    extraction = read(text, gazetteer)
    assert measured(extraction) == set()


# -- targets named in the sentence after the one that states the measure


@pytest.mark.parametrize("text, lang", [
    ("The Treasury Department imposed sanctions on three firms on Monday.\n"
     "The companies include Arden Microsystems and Belmont Robotics.", "en"),
    ("The Treasury Department sanctioned 12 firms on Monday. Among them are Arden Microsystems and Belmont Robotics.",
     "en"),
    ("L'UE a adopté un nouveau paquet de sanctions contre la Russie. Parmi elles, Arden Microsystems et "
     "Belmont Robotics.", "fr"),
])
def test_targets_in_the_sentence_after_the_measure_the_parse_read(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert len({id(f) for f in extraction.facts if f.cls in _MEASURES}) == 1


def test_companies_named_after_no_measure_are_no_targets(gazetteer):
    text = "Arden Microsystems makes sensors. The companies include Belmont Robotics and Corvin Sensors."
    assert measured(read(text, gazetteer)) == set()


# -- the parties a measure names, after it: "The latest companies to be sanctioned include X"


def test_parties_a_measure_qualifies_or_follows_are_its_targets(gazetteer):
    text = ("The Treasury Department imposed fresh sanctions on a number of businesses on Monday. The latest "
            "companies to be sanctioned include Arden Microsystems; sensor maker Belmont Robotics; and Corvin "
            "Sensors.\nIndividuals include Ilse Brandt, founder of Dunmore Labs; and Tomas Wendt.")
    extraction = read(text, gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors", "Ilse Brandt",
                                    "Tomas Wendt"}
    assert measured(extraction, "imposedBy") == {"Treasury Department"}


def test_a_measures_noun_as_subject_names_its_targets_in_french(gazetteer):
    text = ("Le Département du Commerce a imposé des sanctions contre plus de 30 sociétés. "
            "Les sanctions concernent également Arden Microsystems.")
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def test_individuals_named_after_no_measure_are_no_targets(gazetteer):
    assert measured(read("Arden Microsystems grew fast. Individuals include Ilse Brandt and Tomas Wendt.",
                         gazetteer)) == set()


# -- a country or its capital that imposes a measure stands for its government


@pytest.fixture(scope="module")
def governments():
    return Gazetteer([
        _entry("org/arden", "Company", "Arden Microsystems"),
        _entry("country/us", "Country", "United States", "U.S.", "États-Unis", "Etats-Unis", code="US"),
        _entry("country/cn", "Country", "China", "Chine", code="CN"),
        _entry("country/gb", "Country", "United Kingdom", "UK", "Royaume-Uni", code="GB"),
        _entry("country/nl", "Country", "Netherlands", "Pays-Bas", code="NL"),
        _entry("gov/us-government", "GovernmentBody", "United States government", "gouvernement américain",
               country="kgr:country/us"),
        _entry("gov/cn-government", "GovernmentBody", "Government of China", "gouvernement chinois",
               country="kgr:country/cn"),
    ], government_words=("government", "gouvernement"))


@pytest.mark.parametrize("text, lang, government", [
    ("China sanctioned Arden Microsystems on Monday.", "en", "Government of China"),
    ("Les États-Unis ont imposé des sanctions contre Arden Microsystems.", "fr", "United States government"),
])
def test_a_country_imposing_a_measure_stands_for_its_government(governments, text, lang, government):
    extraction = read(text, governments, lang)
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {government}


def test_a_country_a_firm_sells_to_imposes_nothing(governments):
    extraction = read("Arden Microsystems sells chips to China, which sanctioned no one.", governments)
    assert measured(extraction, "imposedBy") == set()


@pytest.mark.parametrize("text, lang", [
    ("Le Département du Commerce a placé Arden Microsystems sur la liste noire, affirmant qu'elle aidait "
     "Belmont Robotics à construire des radars.", "fr"),
    ("The Commerce Department added Arden Microsystems to the Entity List, saying it helped Belmont Robotics "
     "build radars.", "en"),
])
def test_whom_the_reason_for_a_listing_names_is_no_target(gazetteer, text, lang):
    assert measured(read(text, gazetteer, lang)) == {"Arden Microsystems"}


# -- a verb that enumerates may read part of a list the rules read whole


def test_an_enumerating_verb_keeps_every_target_of_a_list_after_a_colon(gazetteer):
    text = ("The Commerce Department added four entities to the Entity List. The entities added include "
            "Arden Microsystems, two research institutes, and three companies: Belmont Robotics, Corvin "
            "Sensors and Dunmore Labs.")
    assert {"Belmont Robotics", "Corvin Sensors", "Dunmore Labs"} <= measured(read(text, gazetteer))


# -- a country that imposes stands for its government, extracted when the graph knows none


@pytest.mark.parametrize("text, lang, body", [
    ("The UK sanctioned Arden Microsystems on Monday.", "en", "British government"),
    ("Les Pays-Bas ont imposé des restrictions à Arden Microsystems.", "fr", "gouvernement néerlandais"),
])
def test_a_country_that_imposes_stands_for_an_extracted_government(gazetteer, text, lang, body):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction, "imposedBy") == {body}
    assert measured(extraction) == {"Arden Microsystems"}
    imposer = next(v for f in extraction.facts for v in f.values.get("imposedBy", []))
    # the government is an extracted body, its evidence the country's own words
    assert (imposer.cls, imposer.entry, extraction.text[imposer.start:imposer.end]) == \
        ("GovernmentBody", None, "UK" if lang == "en" else "Pays-Bas")


def test_a_country_that_is_only_mentioned_gets_no_government(gazetteer):
    extraction = read("Arden Microsystems opened an office in the UK.", gazetteer, "en")
    assert not any(m.cls == "GovernmentBody" for m in extraction.mentions)
    assert measured(extraction, "imposedBy") == set()


@pytest.mark.parametrize("text, lang, body", [
    ("The UK froze the assets of Belmont Robotics.", "en", "British government"),
    ("Le Royaume-Uni décide de geler les avoirs de Belmont Robotics.", "fr", "gouvernement britannique"),
])
def test_a_country_freezes_assets_as_its_government(gazetteer, text, lang, body):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction, "imposedBy") == {body}
    assert measured(extraction) == {"Belmont Robotics"}


@pytest.mark.parametrize("text, lang, bodies", [
    # the owners are described, not named: the measure still has its imposing body
    ("The UK froze the assets of two chief executives.", "en", {"British government"}),
    ("Le Royaume-Uni décide de geler les avoirs des PDG des deux plus grandes compagnies.", "fr",
     {"gouvernement britannique"}),
    # a firm freezing assets imposes no measure, and assets of no one say nothing
    ("Arden Microsystems froze the assets of two executives.", "en", set()),
    ("The UK froze the assets.", "en", set()),
])
def test_a_freeze_on_unnamed_owners_keeps_its_imposing_body(gazetteer, text, lang, bodies):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction, "imposedBy") == bodies
    assert measured(extraction) == set()


# -- a day the parser takes for the verb's object, or a list it reads in part, sets no rule's target aside


@pytest.mark.parametrize("text, targets", [
    ("Le Département du Commerce a ajouté lundi vingt-huit entités chinoises à sa liste noire, dont Kestrel "
     "et Norvale.", {"Kestrel", "Norvale"}),
    ("Le Département du Commerce a ajouté lundi vingt-huit entités chinoises à sa liste noire, dont Arden "
     "Microsystems, Belmont Robotics et Corvin Sensors.", {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors"}),
])
def test_a_weekday_after_the_verb_is_not_what_is_added(gazetteer, text, targets):
    # the list named in French too, so that the parse reads the sentence's measure
    known = Gazetteer(gazetteer.entries + [_entry("list/liste-noire", "RestrictedPartyList", "liste noire"),
                                           _entry("org/kestrel", "Company", "Kestrel"),
                                           _entry("org/norvale", "Company", "Norvale")])
    assert measured(read(text, known, "fr")) == targets


# -- a country the graph does not hold, read in the text, imposes as its government


@pytest.fixture(scope="module")
def no_countries(gazetteer):
    """The gazetteer without its countries: the place gazetteer alone knows Russia and the UK."""
    return Gazetteer([e for e in gazetteer.entries if e.cls != "Country"])


@pytest.mark.parametrize("text, lang, body, target", [
    ("Russia imposed sanctions on Arden Microsystems.", "en", "Russian government", "Arden Microsystems"),
    ("(Belga) La Russie a imposé des sanctions contre Arden Microsystems.", "fr", "gouvernement russe",
     "Arden Microsystems"),
    # the French model splits "Royaume-Uni" and leaves the verb without a subject
    ("Le Royaume-Uni a gelé les avoirs de Belmont Robotics.", "fr", "gouvernement britannique", "Belmont Robotics"),
])
def test_a_country_only_the_place_gazetteer_knows_imposes_as_its_government(no_countries, text, lang, body, target):
    extraction = read(text, no_countries, lang)
    assert measured(extraction, "imposedBy") == {body}
    assert measured(extraction) == {target}


def test_a_country_that_ends_a_bodys_name_is_part_of_it(no_countries):
    extraction = read("Arden Microsystems works in sectors of strategic significance to the Government of Russia.",
                      no_countries)
    assert "Russia" not in {m.text for m in extraction.mentions if m.cls == "Country"}


def test_whom_the_targets_belong_to_is_no_target(gazetteer):
    text = ("Le Département du Commerce a imposé des sanctions contre trente sociétés. La liste des sociétés "
            "sanctionnées comprend 31 compagnies, dont la plupart appartiennent à Belmont Robotics.")
    assert "Belmont Robotics" not in measured(read(text, gazetteer, "fr"))


@pytest.mark.parametrize("text, lang", [
    ("Le Département du Commerce a inscrit trois entreprises sur sa liste noire. Les entités sanctionnées sont "
     "surtout des entreprises de dragage, dont la société publique Arden Microsystems, l'un des principaux "
     "entrepreneurs du programme.", "fr"),
    ("The Commerce Department added three companies to the Entity List. The sanctioned entities are mostly "
     "dredging firms, including the state-owned Arden Microsystems, one of the main contractors of the "
     "programme.", "en"),
])
def test_a_name_after_dont_or_including_spells_out_the_sanctioned_parties(gazetteer, text, lang):
    known = Gazetteer(gazetteer.entries + [_entry("list/liste-noire", "RestrictedPartyList", "liste noire")])
    assert measured(read(text, known, lang)) == {"Arden Microsystems"}


# -- exporters a control binds are not its targets; a country that restricts exports imposes


@pytest.mark.parametrize("text, lang", [
    ("The Commerce Department imposed export controls on chipmaking tools. The companies affected include "
     "Arden Microsystems and Belmont Robotics, which will need a licence to export the tools.", "en"),
    ("The Commerce Department added Corvin Sensors to the Entity List. Arden Microsystems and Belmont Robotics "
     "must now obtain a license to sell to Corvin Sensors.", "en"),
    ("Le Département du Commerce a imposé des restrictions à l'exportation d'équipements. Les entreprises "
     "concernées comprennent Arden Microsystems et Belmont Robotics, qui devront obtenir une licence pour "
     "exporter ces outils.", "fr"),
])
def test_exporters_that_need_a_licence_are_not_targets(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert not {"Arden Microsystems", "Belmont Robotics"} & measured(extraction)
    assert measured(extraction, "imposedBy") == {"Commerce Department" if lang == "en" else "Département du Commerce"}


def test_a_country_that_restricts_exports_imposes_a_measure(no_countries):
    extraction = read("Japan restricted exports of 23 types of chipmaking equipment to China.", no_countries)
    assert measured(extraction, "imposedBy") == {"Japanese government"}
    assert measured(extraction) == set()


@pytest.mark.parametrize("text, lang, body", [
    ('Washington placed Arden Microsystems on its "entity list" late last year.', "en", "American government"),
    ("Londres a gelé les avoirs de Arden Microsystems.", "fr", "gouvernement britannique"),
])
def test_a_capital_that_imposes_stands_for_its_government(no_countries, text, lang, body):
    extraction = read(text, no_countries, lang)
    assert measured(extraction, "imposedBy") == {body}
    assert measured(extraction) == {"Arden Microsystems"}


@pytest.mark.parametrize("text", [
    "WASHINGTON - The Commerce Department added Arden Microsystems to the Entity List.",
    "Arden Microsystems opened an office in London, which sells its chips to Belmont Robotics.",
])
def test_a_capital_that_does_not_act_imposes_nothing(no_countries, text):
    assert measured(read(text, no_countries), "imposedBy") <= {"Commerce Department"}


@pytest.mark.parametrize("text, lang, body", [
    ("Les Pays-Bas ont imposé des restrictions à Arden Microsystems. Ces mesures s'inscrivent dans la lignée "
     "des restrictions imposées l'année dernière par les États-Unis.", "fr", "gouvernement néerlandais"),
    ("The Netherlands imposed restrictions on Arden Microsystems. The measures are in line with the "
     "restrictions imposed by the United States last year.", "en", "Dutch government"),
])
def test_a_measure_the_text_compares_with_is_not_this_one(governments, text, lang, body):
    assert measured(read(text, governments, lang), "imposedBy") == {body}


# -- French measures: a locution, a participle of a package, a package taken


@pytest.mark.parametrize("text", [
    "Le Département du Commerce a pris des sanctions à l'encontre de Arden Microsystems et Belmont Robotics.",
    "Le Département du Commerce a adopté un train de sanctions frappant Arden Microsystems et Belmont Robotics.",
])
def test_french_measures_name_their_targets(gazetteer, text):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


@pytest.mark.parametrize("text, lang", [
    ("Les sociétés Arden Microsystems et Belmont Robotics sont visées par les sanctions du Trésor.", "fr"),
    ("Les sanctions du Trésor visent Arden Microsystems et Belmont Robotics.", "fr"),
    ("The Treasury Department's sanctions target Arden Microsystems and Belmont Robotics.", "en"),
])
def test_the_body_a_measure_is_of_imposes_it(gazetteer, text, lang):
    known = Gazetteer(gazetteer.entries + [_entry("gov/tresor", "GovernmentBody", "Trésor")])
    extraction = read(text, known, lang)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(extraction, "imposedBy") == {"Trésor" if lang == "fr" else "Treasury Department"}


# -- press-release lists: after a colon, and a passive whose agent the parser hung on the list


def test_the_names_after_a_colon_spell_out_a_counted_noun(gazetteer):
    extraction = read("The Treasury Department imposed sanctions on three banks: Arden Microsystems, Belmont Robotics "
                      "and Corvin Sensors.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors"}
    assert measured(extraction, "imposedBy") == {"Treasury Department"}


def test_the_agent_of_a_passive_listing_imposes_it(gazetteer):
    extraction = read("Arden Microsystems was added to the entity list by the Commerce Department.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {"Commerce Department"}


# -- French measures: the body named with its nationality, lists the parser cuts, people as targets


def test_a_french_department_named_with_its_nationality_after_its_portfolio_imposes(gazetteer):
    extraction = read("Le département du Trésor américain a imposé des sanctions contre Arden Microsystems.",
                      gazetteer, "fr")
    assert classes(extraction)["département du Trésor américain"] == "GovernmentBody"
    assert measured(extraction, "imposedBy") == {"département du Trésor américain"}
    assert measured(extraction) == {"Arden Microsystems"}


def test_a_french_listing_reads_the_whole_list_and_its_examples_before_a_list_hung_elsewhere(gazetteer):
    # the parser hangs "à sa liste" on the last name of a long list, not on the verb
    extraction = read("L'Office de contrôle des avoirs étrangers (OFAC) a ajouté Arden Microsystems, Belmont "
                      "Robotics et plusieurs laboratoires, dont Corvin Sensors et Dunmore Labs, à sa liste de "
                      "ressortissants spécialement désignés.", gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors", "Dunmore Labs"}
    assert measured(extraction, "imposedBy") == {"Office de contrôle des avoirs étrangers"}


@pytest.mark.parametrize("text", [
    "Le Département du Commerce a imposé des sanctions contre Arden Microsystems. Parmi les personnes visées "
    "figurent Dunmore Labs et Corvin Sensors.",
    "Le Département du Commerce a imposé des sanctions contre Arden Microsystems. Parmi les autres institutions "
    "sanctionnées figurent Dunmore Labs et Corvin Sensors.",
])
def test_parmi_les_personnes_visees_figurent_names_more_targets(gazetteer, text):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems", "Dunmore Labs", "Corvin Sensors"}
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def test_the_entities_of_a_group_are_targeted_not_the_group(gazetteer):
    extraction = read("Le Département du Commerce a imposé des sanctions contre Arden Microsystems. Parmi les "
                      "autres entités visées figurent Corvin Sensors et les entités du groupe Belmont Robotics.",
                      gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems", "Corvin Sensors"}


@pytest.mark.parametrize("text", [
    "L'UE a sanctionné les oligarques Pavel Ostrov et Ivan Korin.",
    "L'UE a imposé des sanctions aux hommes d'affaires Pavel Ostrov et Ivan Korin.",
    "L'UE a imposé des sanctions aux oligarques russes Pavel Ostrov et Ivan Korin.",
])
def test_people_named_right_after_a_plural_noun_of_parties_are_the_targets(gazetteer, text):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Pavel Ostrov", "Ivan Korin"}
    assert measured(extraction, "imposedBy") == {"UE"}


def test_a_name_after_a_preposition_completes_the_plural_noun_and_is_no_target(gazetteer):
    extraction = read("Le Département du Commerce a sanctionné les oligarques proches de Belmont Robotics.",
                      gazetteer, "fr")
    assert measured(extraction) == set()
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def test_a_colon_spells_out_the_one_party_a_french_measure_describes(gazetteer):
    extraction = read("Le Département du Commerce a décrété des sanctions contre le principal fabricant chinois "
                      "de capteurs : Corvin Sensors.", gazetteer, "fr")
    assert measured(extraction) == {"Corvin Sensors"}
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def test_the_people_a_french_list_of_sanctions_includes_with_their_descriptions(gazetteer):
    extraction = read("L'UE a imposé des sanctions contre des oligarques. La liste des sanctions comprend "
                      "également l'oligarque et principal actionnaire de Corvin Sensors, le proche confident du "
                      "président et chef de la société publique Dunmore Labs, Oleg Varin, et le milliardaire et "
                      "chef de Belmont Robotics, Ivan Korin.", gazetteer, "fr")
    # the firms the descriptions name ("chef de Belmont Robotics") are not on the list
    assert measured(extraction) == {"Oleg Varin", "Ivan Korin"}
    assert measured(extraction, "imposedBy") == {"UE"}


@pytest.mark.parametrize("text, named", [
    ("Le Département du Commerce a sanctionné Arden Microsystems. Les hommes d'affaires Pavel Ostrov, Oleg Varin "
     "et Ivan Korin sont également mentionnés.", {"Pavel Ostrov", "Oleg Varin", "Ivan Korin"}),
    # "de Poutine" is parsed as coordinated with the noun: it completes the description
    ("Le Département du Commerce a sanctionné Arden Microsystems. Le violoncelliste et confident de Poutine, "
     "Pavel Ostrov, est également mentionné.", {"Pavel Ostrov"}),
])
def test_people_mentioned_in_the_passive_after_a_measure_are_its_targets(gazetteer, text, named):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems"} | named
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}


def test_mentioned_names_no_target_without_a_measure_before(gazetteer):
    extraction = read("Belmont Robotics a publié un rapport. Pavel Ostrov et Ivan Korin sont également mentionnés.",
                      gazetteer, "fr")
    assert measured(extraction) == set()


@pytest.mark.parametrize("text, bodies, targets", [
    ("Les sanctions britanniques visent Arden Microsystems.", {"gouvernement britannique"}, {"Arden Microsystems"}),
    ("Belmont Robotics a contourné les sanctions américaines contre Arden Microsystems.",
     {"gouvernement américain"}, {"Arden Microsystems"}),
    ("Les ventes d'Arden Microsystems ont résisté aux restrictions imposées par les gouvernements américain et "
     "néerlandais.", {"gouvernement américain", "gouvernement néerlandais"}, set()),
    # no name in the sentence: the measure's nationality is reason enough to read it
    ("Les nouvelles restrictions américaines à l'exportation annoncées en octobre vont au-delà des règles "
     "actuelles.", {"gouvernement américain"}, set()),
    ("Cette annonce de nouvelles sanctions canadiennes intervient après une réunion de Belmont Robotics.",
     {"gouvernement canadien"}, set()),
])
def test_the_nationality_of_a_french_measure_names_the_government_that_imposes_it(gazetteer, text, bodies, targets):
    extraction = read(text, gazetteer, "fr")
    assert {v.name for f in extraction.facts if f.cls in _MEASURES for v in f.values.get("imposedBy", [])} == bodies
    assert measured(extraction) == targets


def test_a_measure_compared_with_keeps_its_nationality_off_the_article(gazetteer):
    extraction = read("L'UE a sanctionné Arden Microsystems, dans la lignée des sanctions américaines.", gazetteer,
                      "fr")
    assert measured(extraction, "imposedBy") == {"UE"}
    assert measured(extraction) == {"Arden Microsystems"}


@pytest.mark.parametrize("text, targets", [
    ("Le Département du Commerce a annoncé jeudi des sanctions contre un réseau mondial de sociétés écrans.", set()),
    ("Le Département du Commerce a également annoncé jeudi de nouvelles sanctions contre Arden Microsystems.",
     {"Arden Microsystems"}),
])
def test_a_day_between_the_verb_and_its_measure_does_not_hide_the_measure(gazetteer, text, targets):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}
    assert measured(extraction) == targets


def test_a_day_before_what_is_announced_states_no_measure_by_itself(gazetteer):
    extraction = read("Le Département du Commerce a annoncé jeudi des résultats.", gazetteer, "fr")
    assert measured(extraction, "imposedBy") == set()


@pytest.mark.parametrize("text, targets, bodies", [
    ("Arden Microsystems fait l'objet de sanctions du Département du Commerce.", {"Arden Microsystems"},
     {"Département du Commerce"}),
    ("Arden Microsystems fait l'objet de sanctions américaines depuis 2019.", {"Arden Microsystems"},
     {"gouvernement américain"}),
    ("Arden Microsystems et Belmont Robotics font l'objet de sanctions.", {"Arden Microsystems", "Belmont Robotics"},
     set()),
    ("Arden Microsystems fait l'objet d'une enquête du Département du Commerce.", set(), set()),
])
def test_a_party_that_fait_l_objet_de_sanctions_is_their_target(gazetteer, text, targets, bodies):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == targets
    assert {v.name for f in extraction.facts if f.cls in _MEASURES for v in f.values.get("imposedBy", [])} == bodies


@pytest.mark.parametrize("text", [
    "Arden Microsystems a été placée sur la liste noire par le Département du Commerce.",
    "Arden Microsystems a été inscrite sur la liste noire par le Département du Commerce.",
])
def test_the_agent_of_a_french_passive_listing_hung_on_the_list_imposes_it(gazetteer, text):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {"Département du Commerce"}

# -- people as targets: lists of officials with their titles and nationalities


@pytest.mark.parametrize("text", [
    "Treasury imposed sanctions on Russia's defence minister Sergei Shoigu and Belmont Robotics chief "
    "executive Ivan Petrov.",
    "Treasury imposed sanctions on Dunmore Labs. The designations include Russia's defence minister Sergei Shoigu "
    "and Belmont Robotics chief executive Ivan Petrov.",
])
def test_titled_people_in_a_list_are_the_targets_not_their_firms(gazetteer, text):
    extraction = read(text, gazetteer)
    targets = measured(extraction)
    assert {"Sergei Shoigu", "Ivan Petrov"} <= targets
    assert "Belmont Robotics" not in targets  # where Ivan Petrov is chief executive, not a target
    offices = {(f.values["holder"][0].text, f.values["organization"][0].name or f.values["organization"][0].text)
               for f in extraction.facts if f.cls == "Position"}
    assert ("Ivan Petrov", "Belmont Robotics") in offices
    assert not any(holder == "Ivan Petrov" and org != "Belmont Robotics" for holder, org in offices)


def test_a_person_after_a_firm_in_a_list_of_the_designated_is_a_target(gazetteer):
    extraction = read("The Commerce Department added Dunmore Labs to the Entity List. The designated entities are "
                      "Arden Microsystems and its chief executive Ivan Petrov, and Belmont Robotics.", gazetteer)
    assert measured(extraction) == {"Dunmore Labs", "Arden Microsystems", "Ivan Petrov", "Belmont Robotics"}


def test_those_designated_are_the_names_the_copula_gives(gazetteer):
    extraction = read("Treasury imposed sanctions on Dunmore Labs. Among those designated was Belmont Robotics, "
                      "Ivan Petrov, who served as its director, and Corvin Sensors, established by Petrov.", gazetteer)
    assert measured(extraction) == {"Dunmore Labs", "Belmont Robotics", "Ivan Petrov", "Corvin Sensors"}


def test_a_person_who_got_sanctioned_is_a_target(gazetteer):
    extraction = read("Treasury imposed sanctions on Dunmore Labs. Ivan Petrov was a director of Belmont Robotics "
                      "but got sanctioned in April.", gazetteer)
    assert measured(extraction) == {"Dunmore Labs", "Ivan Petrov"}


def test_managers_of_the_firms_listed_are_sanctioned_not_the_firms(gazetteer):
    extraction = read("Top managers of the following firms have now been sanctioned under the UK regime: (i) Arden "
                      "Microsystems, a railway monopoly; (ii) Belmont Robotics, a shipping company.", gazetteer)
    assert measured(extraction) == set()


def test_parties_on_the_list_are_its_targets_however_far_after_it(gazetteer):
    # paragraphs and sentences between the listing and the names: farther than a continuation reaches
    extraction = read(
        "The Commerce Department added ten firms to a new list of military end users on Monday, in a move that will "
        "restrict their access to American goods.\nThe list identifies five of them as military end users. Exporters will need "
        "licences to sell to them, which are more likely to be denied than granted.\nThe category went beyond armed "
        "services and national police to include any person that supports the production of military items. "
        "Officials described the rule at length in a call with reporters on the following afternoon.\n"
        "Tensions have risen for months over a range of issues, from trade and technology to the conduct of "
        "military exercises near disputed waters, and analysts expect more restrictions before the end of the year. "
        "Industry groups said the rule would cost exporters sales and asked for a period to adjust.\n"
        "Entities on the list include Corvin Sensors, Russian aviation company Dunmore Labs, and Belmont Robotics.",
        gazetteer)
    assert measured(extraction) == {"Corvin Sensors", "Dunmore Labs", "Belmont Robotics"}


def test_parties_on_a_list_after_no_measure_are_no_targets(gazetteer):
    extraction = read("Arden Microsystems published its supplier list. Firms on the list include Corvin Sensors and "
                      "Dunmore Labs.", gazetteer)
    assert measured(extraction) == set()


# -- whom the reason names is no target


@pytest.mark.parametrize("parse", [True, False])
def test_the_party_a_target_is_said_to_support_is_no_target(gazetteer, parse):
    extraction = extract_text("The Commerce Department added Arden Microsystems to the Entity List for supporting the "
                              "Islamic Revolutionary Guard Corps (IRGC).", gazetteer=gazetteer, lang="en",
                              use_parser=parse)
    assert measured(extraction) == {"Arden Microsystems"}


# -- the government that imposes, named in another sentence


def test_the_body_that_speaks_in_another_sentence_imposes_the_measure(gazetteer):
    extraction = read("The Treasury said on Tuesday it was acting against arms suppliers. The measures target Arden "
                      "Microsystems and Belmont Robotics.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(extraction, "imposedBy") == {"Treasury"}
    measure = next(f for f in extraction.facts if f.cls == "Measure")
    assert len(measure.spans) == 2  # the targets' sentence and the body's


def test_two_bodies_speaking_decide_no_imposing_body(gazetteer):
    extraction = read("The Treasury said on Tuesday it was acting against arms suppliers. The Commerce Department "
                      "said it agreed. The measures target Arden Microsystems and Belmont Robotics.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics"}
    assert measured(extraction, "imposedBy") == set()


@pytest.mark.parametrize("speaker, body", [
    ("The US Treasury Department", "Treasury Department"),
    # a body of another country does not stand in for the United States
    ("Russia's Treasury Department", "American government"),
])
def test_a_country_that_imposes_stands_for_its_body_that_speaks(gazetteer, speaker, body):
    extraction = read(f"The United States imposed sanctions on Arden Microsystems on Tuesday. {speaker} said in a "
                      "statement that the firm had shipped parts abroad.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == {body}


def test_a_country_widening_its_list_of_designated_persons_imposes_a_measure(gazetteer):
    extraction = read("On Friday, the UK expanded its list of Designated Persons by adding 86 new persons.", gazetteer)
    assert measured(extraction, "imposedBy") == {"British government"}
    assert measured(read("Nasdaq expanded its list of listed companies.", gazetteer), "imposedBy") == set()


def test_the_us_treasury_named_without_department_is_a_body(no_countries):
    extraction = read("The US Treasury imposed sanctions on Arden Microsystems on Tuesday.", Gazetteer(
        [e for e in no_countries.entries if e.id != "kgr:gov/us-treasury"]))
    assert classes(extraction)["US Treasury"] == "GovernmentBody"
    assert measured(extraction, "imposedBy") == {"US Treasury"}


def test_parties_that_are_now_designated_persons_are_targets(gazetteer):
    extraction = read("Several entities, whose owners had previously been sanctioned, are now Designated Persons in "
                      "their own right; namely, Arden Microsystems, Belmont Robotics and Corvin Sensors.", gazetteer)
    assert measured(extraction) == {"Arden Microsystems", "Belmont Robotics", "Corvin Sensors"}
    # a stock exchange lists firms too: "listed" makes no target
    assert measured(read("Several firms are now listed companies; namely, Arden Microsystems and Belmont Robotics.",
                         gazetteer)) == set()


@pytest.mark.parametrize("text, targets", [
    # the small English model reads the plural before the names as a preposition
    ("The UK also sanctioned oligarchs Ivan Petrov and Oleg Sorin.", {"Ivan Petrov", "Oleg Sorin"}),
    # a freeze on what officials hold, spelled out with their titles
    ("Japan froze the assets of 10 officials, including Deputy Prime Minister Ivan Petrov and Defence Minister "
     "Oleg Sorin.", {"Ivan Petrov", "Oleg Sorin"}),
    ("Treasury imposed sanctions on Arden Microsystems and Defence Minister Oleg Sorin.",
     {"Arden Microsystems", "Oleg Sorin"}),
    # a pronoun after the measure, each person described by an apposition
    ("The UK imposed sanctions on 14 individuals. They include Ivan Petrov, a former senator, and Oleg Sorin, head "
     "of Belmont Robotics.", {"Ivan Petrov", "Oleg Sorin"}),
])
def test_officials_named_with_titles_and_descriptions_are_targets(gazetteer, text, targets):
    assert measured(read(text, gazetteer)) == targets


def test_a_name_that_qualifies_the_next_one_is_no_target_of_a_continuation(gazetteer):
    extraction = extract_text("The Commerce Department added Corvin Sensors to the Entity List. Those targeted "
                              "include Kremlin spokesman Dmitry Peskov, Belmont Robotics chief Oleg Belozerov and Ivan "
                              "Petrov's daughter Anna Petrova.", gazetteer=gazetteer, lang="en", use_parser=False)
    assert measured(extraction) == {"Corvin Sensors", "Dmitry Peskov", "Oleg Belozerov", "Anna Petrova"}
    # a person with a title after a comma stays a target; the firm after "of" completes the title
    extraction = extract_text("The Commerce Department added Corvin Sensors to the Entity List. The designated "
                              "entities are Arden Microsystems and its chief executive Ivan Petrov, and Oleg Sorin, "
                              "chief executive of Belmont Robotics.", gazetteer=gazetteer, lang="en", use_parser=False)
    assert measured(extraction) == {"Corvin Sensors", "Arden Microsystems", "Ivan Petrov", "Oleg Sorin"}


def test_what_a_pronoun_includes_after_no_measure_is_no_target(gazetteer):
    assert measured(read("Arden Microsystems opened two plants. They include Belmont Robotics' old site.",
                         gazetteer)) == set()


# -- a licence revoked targets the party it let exporters sell to, never the exporters who held it


@pytest.mark.parametrize("text, lang, bodies", [
    ("The Commerce Department revoked licences for sales to Belmont Robotics.", "en", {"Commerce Department"}),
    ("The Commerce Department revoked licenses for Belmont Robotics.", "en", {"Commerce Department"}),
    # the holders of the licences sell to the target: they are bound by the control, not targeted
    ("The Commerce Department revoked the export licences of Arden Microsystems and Corvin Sensors to sell chips "
     "to Belmont Robotics.", "en", {"Commerce Department"}),
    # a passive without its agent still states the measure
    ("Licences for shipments to Belmont Robotics were revoked on Friday.", "en", set()),
    ("Le Département du Commerce a révoqué les licences d'exportation pour Belmont Robotics.", "fr",
     {"Département du Commerce"}),
    ("Le Département du Commerce a révoqué les licences d'Arden Microsystems et de Corvin Sensors pour vendre des "
     "puces à Belmont Robotics.", "fr", {"Département du Commerce"}),
    # a capital stands for its country's government
    ("Washington a révoqué les licences d'exportation vers Belmont Robotics.", "fr", {"gouvernement américain"}),
])
def test_a_revoked_licence_targets_the_party_sold_to(gazetteer, text, lang, bodies):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Belmont Robotics"}
    assert measured(extraction, "imposedBy") == bodies


@pytest.mark.parametrize("text", [
    # a firm revoking a licence it granted is a contract, not a government's measure
    "Arden Microsystems revoked a patent licence for Belmont Robotics.",
    # revoking something else than a licence states no measure
    "The Commerce Department revoked its guidance for Belmont Robotics.",
])
def test_revoking_is_a_measure_only_of_a_government_and_a_licence(gazetteer, text):
    assert measured(read(text, gazetteer)) == set()


# -- a comma before "and" closes the apposition that describes a target: the next name is a target too


@pytest.mark.parametrize("text, targets", [
    ("The Treasury sanctioned Ivan Petrov, the owner of Belmont Robotics, and Oleg Sorin, who owns Corvin "
     "Sensors.", {"Ivan Petrov", "Oleg Sorin"}),
    ("The Treasury sanctioned Arden Microsystems, a unit of Belmont Robotics, and Corvin Sensors.",
     {"Arden Microsystems", "Corvin Sensors"}),
    # no comma: the apposition owns both firms, which are not targeted
    ("The Treasury sanctioned Ivan Petrov, the owner of Belmont Robotics and Corvin Sensors.", {"Ivan Petrov"}),
    # a list inside the apposition stays the apposition's
    ("The Treasury sanctioned Ivan Petrov, the owner of Arden Microsystems, Belmont Robotics, and Corvin Sensors.",
     {"Ivan Petrov"}),
])
def test_a_name_after_a_closed_apposition_is_coordinated_with_the_target(gazetteer, text, targets):
    assert measured(read(text, gazetteer)) == targets


@pytest.mark.parametrize("text, lang", [
    # the parser hangs "son père" on the verb of the clause after "après que"
    ("Les sanctions visent également Ivan Petrov, qui a dirigé Belmont Robotics après que toutes les actions de la "
     "société ont été cédées à Arden Microsystems, et son père, Oleg Sorin, vice-président du Parlement.", "fr"),
    ("Le Département du Commerce a sanctionné Ivan Petrov, qui a dirigé Belmont Robotics jusqu'en 2020, et son frère "
     "Oleg Sorin.", "fr"),
    ("The Commerce Department sanctioned Ivan Petrov, who ran Belmont Robotics until its shares were sold to Arden "
     "Microsystems, and his brother Oleg Sorin.", "en"),
])
def test_a_party_after_a_relative_clause_on_a_target_is_a_target(gazetteer, text, lang):
    # the firms inside the clause are what the target ran or sold to, not targets
    assert measured(read(text, gazetteer, lang)) == {"Ivan Petrov", "Oleg Sorin"}


# -- a person a pronoun opens the next sentence with: "He was also sanctioned"


@pytest.mark.parametrize("text, lang", [
    ("The UK froze the assets of Belmont Robotics. Ivan Petrov, the chief executive of Belmont Robotics, is close to "
     "the Kremlin. He was also sanctioned.", "en"),
    ("Le Royaume-Uni a gelé les avoirs de Belmont Robotics. Dans le cas d'Ivan Petrov, PDG de Belmont Robotics, "
     "c'est sa proximité avec le Kremlin qui pose problème. Il est également visé par des sanctions.", "fr"),
])
def test_a_pronoun_opening_a_sentence_is_the_person_named_first_before_it(gazetteer, text, lang):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {"Belmont Robotics", "Ivan Petrov"}
    target = next(v for f in extraction.facts if f.cls in _MEASURES for v in f.values["targets"]
                  if v.name == "Ivan Petrov" and v.how == "coreference")
    quoted = [text[a:b] for f in extraction.facts if f.cls in _MEASURES and target in f.values["targets"]
              for a, b in f.spans]
    # the pronoun's sentence and the sentence naming the person are both the fact's evidence
    assert any("Ivan Petrov" in q and "Kremlin" in q for q in quoted)


@pytest.mark.parametrize("text", [
    # the sentence before names a company first: "He" is not the company, and nobody is meant
    "Belmont Robotics hired Ivan Petrov. He was sanctioned in 2020.",
    # another paragraph
    "Ivan Petrov runs Belmont Robotics.\nHe was sanctioned in 2020.",
])
def test_a_pronoun_points_at_no_one_across_a_company_or_a_paragraph(gazetteer, text):
    assert measured(read(text, gazetteer)) == set()


def test_a_pronoun_person_is_read_for_measures_only(gazetteer):
    extraction = read("Ivan Petrov runs Belmont Robotics. He is also its chief executive.", gazetteer)
    assert not [f for f in extraction.facts if any(getattr(v, "how", None) == "coreference" and v.cls == "Person"
                                                   for vs in f.values.values() for v in vs)]


# -- verbs that carry a measure's noun: "hit X with sanctions", "placed X under sanctions", "faces sanctions"


@pytest.mark.parametrize("text, lang, target, bodies", [
    ("Belmont Robotics was hit with sanctions by the Treasury Department.", "en", "Belmont Robotics",
     {"Treasury Department"}),
    ("The Treasury Department hit Belmont Robotics with sanctions.", "en", "Belmont Robotics", {"Treasury Department"}),
    ("The Treasury Department placed Belmont Robotics under sanctions.", "en", "Belmont Robotics",
     {"Treasury Department"}),
    ("The Treasury Department slapped sanctions on Belmont Robotics.", "en", "Belmont Robotics",
     {"Treasury Department"}),
    ("The Treasury Department announced measures against Belmont Robotics.", "en", "Belmont Robotics",
     {"Treasury Department"}),
    ("Belmont Robotics faces sanctions from the Treasury Department.", "en", "Belmont Robotics",
     {"Treasury Department"}),
    ("Belmont Robotics remains under sanctions imposed by the Treasury Department.", "en", "Belmont Robotics",
     {"Treasury Department"}),
    ("Belmont Robotics a été frappée de sanctions par le Département du Commerce.", "fr", "Belmont Robotics",
     {"Département du Commerce"}),
    ("Le Département du Commerce a frappé Arden Microsystems de sanctions.", "fr", "Arden Microsystems",
     {"Département du Commerce"}),
    # « à l'encontre de » read as a noun hung on the verb
    ("Le Département du Commerce a pris des mesures restrictives à l'encontre d'Arden Microsystems.", "fr",
     "Arden Microsystems", {"Département du Commerce"}),
    ("Le Département du Commerce a imposé des sanctions à l'encontre d'Arden Microsystems.", "fr",
     "Arden Microsystems", {"Département du Commerce"}),
])
def test_a_verb_carrying_a_measure_names_its_target(gazetteer, text, lang, target, bodies):
    extraction = read(text, gazetteer, lang)
    assert measured(extraction) == {target}
    assert measured(extraction, "imposedBy") == bodies


@pytest.mark.parametrize("text", [
    "Belmont Robotics hit a record in 2020.",
    "Arden Microsystems placed an order with Belmont Robotics.",
    # a firm's lawsuit, competition or pressure is no measure
    "Arden Microsystems hit Belmont Robotics with a lawsuit.",
    "Belmont Robotics faces stiff competition from Arden Microsystems.",
    "Belmont Robotics is under pressure from Arden Microsystems.",
])
def test_the_same_verbs_without_a_measure_state_none(gazetteer, text):
    assert measured(read(text, gazetteer)) == set()


def test_a_measure_a_party_could_face_is_kept_as_a_modality(gazetteer):
    extraction = read("Belmont Robotics could face sanctions.", gazetteer)
    assert measured(extraction) == set()
    assert [f.modality for f in extraction.facts if f.cls in _MEASURES] == ["could"]


# -- a measure widened "to include" parties: they are its targets, and who widens it imposes it


@pytest.mark.parametrize("text, targets, bodies", [
    ("The Commerce Department expanded the Entity List to include Belmont Robotics.", {"Belmont Robotics"},
     {"Commerce Department"}),
    ("The sanctions were extended to include Belmont Robotics and Corvin Sensors.",
     {"Belmont Robotics", "Corvin Sensors"}, set()),
    # a firm's subsidiaries, spelled out after "including", are what the restrictions include
    ("By late September, the Treasury Department had expanded these restrictions to include Belmont Robotics's "
     "subsidiaries, including Corvin Sensors.", {"Corvin Sensors"}, {"Treasury Department"}),
])
def test_a_measure_widened_to_include_parties_targets_them(gazetteer, text, targets, bodies):
    extraction = read(text, gazetteer)
    assert measured(extraction) == targets
    assert measured(extraction, "imposedBy") == bodies


def test_what_a_company_widens_to_include_is_no_target(gazetteer):
    assert measured(read("Arden Microsystems expanded its product line to include Belmont Robotics' sensors.",
                         gazetteer)) == set()


# -- people a government sanctions named with the firm they own


@pytest.mark.parametrize("text, lang, targets", [
    # the name after the comma is the owner the noun describes, not a second firm
    ("The UK sanctioned the owner of Belmont Robotics, Ivan Petrov.", "en", {"Ivan Petrov"}),
    ("The UK sanctioned the owner of Belmont Robotics, Corvin Sensors.", "en", {"Corvin Sensors"}),
    ("Le Royaume-Uni a sanctionné le propriétaire de Belmont Robotics, Ivan Petrov.", "fr", {"Ivan Petrov"}),
    # the holders after « d' »: both are whose assets are frozen, the firm only describes the first
    ("Le Royaume-Uni a gelé les avoirs d'Ivan Petrov, actionnaire majoritaire de Belmont Robotics, et d'Oleg Sorin.",
     "fr", {"Ivan Petrov", "Oleg Sorin"}),
    ("The UK froze the assets of Ivan Petrov, the majority shareholder of Belmont Robotics, and Oleg Sorin.", "en",
     {"Ivan Petrov", "Oleg Sorin"}),
    ("The UK sanctioned Ivan Petrov as well as his company Belmont Robotics.", "en",
     {"Ivan Petrov", "Belmont Robotics"}),
])
def test_people_sanctioned_with_the_firm_they_own(gazetteer, text, lang, targets):
    assert measured(read(text, gazetteer, lang)) == targets


@pytest.mark.parametrize("text", [
    "The UK sanctioned the owner of Belmont Robotics.",
    # a description after the comma names no party
    "The UK sanctioned the owner of Belmont Robotics, a firm based in Moscow.",
])
def test_an_owner_the_text_does_not_name_is_no_target(gazetteer, text):
    assert measured(read(text, gazetteer)) == set()


@pytest.mark.parametrize("text, bodies", [
    ("Arden Microsystems fait face à des sanctions du Département du Commerce.", {"Département du Commerce"}),
    # the nationality of the measure's noun names the government that imposes it
    ("Arden Microsystems est sous sanctions américaines depuis 2019.", {"gouvernement américain"}),
    ("Arden Microsystems reste sous le coup de sanctions américaines.", {"gouvernement américain"}),
])
def test_a_party_facing_or_under_a_measure_is_its_target_in_french(gazetteer, text, bodies):
    extraction = read(text, gazetteer, "fr")
    assert measured(extraction) == {"Arden Microsystems"}
    assert measured(extraction, "imposedBy") == bodies


@pytest.mark.parametrize("text", [
    "Corvin Sensors reste sous pression.",
    "Arden Microsystems fait face à une concurrence accrue de Corvin Sensors.",
])
def test_pressure_or_competition_is_no_measure_in_french(gazetteer, text):
    assert measured(read(text, gazetteer, "fr")) == set()
