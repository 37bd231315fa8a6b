"""Rule files are data: checked when loaded, extensible without Python."""

import re
from datetime import date

import pytest

from graph.errors import InputError
from graph.extract import Entry, Gazetteer, extract_text
from graph.extract.rules import load_rules, rules_dir


def copy_rules(tmp_path, lang="fr"):
    for name in ("common.yaml", f"{lang}.yaml"):
        (tmp_path / name).write_text((rules_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / f"{lang}.yaml"


def test_packaged_rules_load_for_both_languages():
    for lang in ("fr", "en"):
        rules = load_rules(lang)
        assert rules.facts and rules.date_patterns and rules.offices


def test_unknown_language_is_an_error():
    with pytest.raises(InputError, match="no rules for language 'de'"):
        load_rules("de")


def test_a_broken_pattern_names_the_file_and_line(tmp_path):
    path = copy_rules(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("trigger: '(?:proposition|projet) de loi'", "trigger: '(?:proposition de loi'"),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"fr\.yaml, line \d+: bad pattern '\(\?:proposition de loi'"):
        load_rules("fr", path)


def test_a_bad_side_is_refused(tmp_path):
    path = copy_rules(tmp_path)
    text = path.read_text(encoding="utf-8").replace("side: before, max: 1, pick: first}", "side: left, max: 1}", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="unknown side 'left'"):
        load_rules("fr", path)


def test_an_analyst_adds_a_phrasing_in_yaml(tmp_path):
    gaz = Gazetteer([Entry("kgr:org/acme", "Company", {"": "Acme"}, ("Acme",)),
                     Entry("kgr:org/bolt", "Company", {"": "Bolt"}, ("Bolt",))])
    sentence = "Acme a racheté Bolt."
    assert [f.cls for f in extract_text(sentence, gazetteer=gaz, lang="fr").facts] == []
    path = copy_rules(tmp_path)
    text = path.read_text(encoding="utf-8")
    rule = """  - name: rachat
    class: Ownership
    pairwise: true
    trigger: 'a racheté'
    roles:
      - {prop: owner, classes: [Company], side: before, max: 1}
      - {prop: ownedEntity, classes: [Company], side: after, max: 1}
"""
    text = re.sub(r"^facts:\n", "facts:\n" + rule, text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    facts = extract_text(sentence, gazetteer=gaz, lang="fr", rules=load_rules("fr", path)).facts
    assert [(f.cls, [m.text for m in f.values["owner"]], [m.text for m in f.values["ownedEntity"]]) for f in facts] == [
        ("Ownership", ["Acme"], ["Bolt"])]


def test_rules_generalise_to_new_names():
    gaz = Gazetteer([])
    text = ("Le département américain du Commerce a annoncé mardi l'inscription de Zhejiang Uniview "
            "Technologies sur la liste noire.")
    facts = extract_text(text, gazetteer=gaz, lang="fr", issued=date(2019, 10, 9), use_spacy=False).facts
    listing = next(f for f in facts if f.cls == "ExportControlListing")
    assert [m.text for m in listing.values["targets"]] == ["Zhejiang Uniview Technologies"]
    assert listing.values["announcedOn"] == [date(2019, 10, 8)]
