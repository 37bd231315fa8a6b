"""Gold files and scores."""

from pathlib import Path

import pytest

from graph.errors import InputError
from graph.extract import Entry, Gazetteer, extract_text
from graph.extract.evaluate import format_table, load_gold, prf, score

ROOT = Path(__file__).resolve().parent.parent


def test_prf():
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert prf(0, 3, 0) == (0.0, 1.0, 0.0)
    assert prf(3, 4, 6) == (0.75, 0.5, 0.6)


def test_every_gold_file_loads_and_names_its_relations_entities():
    for path in sorted((ROOT / "tests" / "gold").glob("*.gold.yaml")):
        gold = load_gold(path)
        known = set(gold.entities) | set(gold.unnamed)
        for subject, _relation, obj in gold.relations:
            assert subject in known or subject[0].isupper(), (path.name, subject)
            assert obj in known or obj[:4].isdigit(), (path.name, obj)


def test_score_counts_hits_misses_and_wrong_answers(tmp_path):
    (tmp_path / "t.txt").write_text("Acme est partenaire de Bolt.", encoding="utf-8")
    (tmp_path / "t.gold.yaml").write_text(
        "text: t.txt\nlanguage: fr\nentities:\n  acme: {class: Company, names: [Acme]}\n"
        "  bolt: {class: Company, names: [Bolt]}\n  zeta: {class: Company, names: [Zeta]}\n"
        "relations:\n  - [bolt, partnerOf, acme]\n  - [acme, partnerOf, zeta]\n", encoding="utf-8")
    gold = load_gold(tmp_path / "t.gold.yaml")
    gaz = Gazetteer([Entry("kgr:org/acme", "Company", {"": "Acme"}, ("Acme",)),
                     Entry("kgr:org/bolt", "Company", {"": "Bolt"}, ("Bolt",))])
    result = score(gold, extract_text(gold.text, gazetteer=gaz, lang="fr"))
    assert (result.entity_tp, result.entity_found, result.entity_gold) == (2, 2, 3)
    assert (result.relation_tp, result.relation_found, result.relation_gold) == (1, 1, 2)
    assert result.missed_relations == [("acme", "partnerOf", "zeta")]
    assert "t " in format_table([result]) or format_table([result]).splitlines()[2].startswith("t")


def test_a_malformed_gold_file_names_its_line(tmp_path):
    (tmp_path / "t.txt").write_text("x", encoding="utf-8")
    (tmp_path / "t.gold.yaml").write_text("text: t.txt\nentities:\n  acme: {class: Company}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.gold\.yaml, line 3: entity 'acme' needs 'class' and 'names'"):
        load_gold(tmp_path / "t.gold.yaml")
