"""Names anywhere: --focus, named query parameters and pasted IRIs accept any name of an entity."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ResolutionError
from graph.screening.lookup import NameIndex, expand_iris
from graph.model.ontology import KGR


@pytest.fixture(scope="module")
def names(article_graph) -> NameIndex:
    return NameIndex(article_graph)


@pytest.mark.parametrize("text", ["SenseTime", "Sense Time", "Sensetime Group Limited", "SENSETIME LTD",
                                  "kgr:org/sensetime", str(KGR["org/sensetime"]), f"<{KGR['org/sensetime']}>"])
def test_any_name_alias_or_printed_iri_finds_the_entity(names, text):
    assert names.find(text) == str(KGR["org/sensetime"])


def test_nothing_matching_suggests_close_names(names):
    with pytest.raises(ResolutionError, match="no entity named 'Sentyme Gorp'.*did you mean 'SenseTime'"):
        names.find("Sentyme Gorp")  # two slips in a seven-letter word: past what the matcher allows


@pytest.mark.parametrize("typed", ["Sensetyme", "Sensetiem", "SENSETIME GROUP LTD."])
def test_slips_in_proportion_to_the_names_length_find_the_entity(names, typed):
    assert names.find(typed) == str(KGR["org/sensetime"])


def test_a_match_carries_its_answer_and_explanation(names):
    [match] = names.match("Sensetyme")
    assert (match["label"], match["answer"], match["reason"]) == ("SenseTime", "match", "fuzzy")
    assert match["explanation"] == "name 0.89"
    [review] = names.match("Sensetime Cloud")  # a word the entity's names lack: an analyst decides
    assert (review["label"], review["answer"], review["reason"]) == ("SenseTime", "possible match", "possible match")
    assert "a word only one name has (cloud)" in review["explanation"]


def _run(graph, *args):
    return CliRunner().invoke(main, [*args, "--graph", str(graph)])


@pytest.mark.parametrize("focus", ["Sensetime Group Limited", "kgr:org/sensetime", "sense time"])
def test_render_focus_accepts_aliases_and_printed_iris(article_out, tmp_path, focus):
    result = _run(article_out / "graph.trig", "render", "--focus", focus, "--out", str(tmp_path / "f.html"))
    assert result.exit_code == 0, result.output
    assert "SenseTime" in (tmp_path / "f.html").read_text(encoding="utf-8")


def test_render_focus_unknown_suggests(article_out, tmp_path):
    result = _run(article_out / "graph.trig", "render", "--focus", "Sentyme", "--out", str(tmp_path / "f.html"))
    assert result.exit_code == 2 and "did you mean 'SenseTime'" in result.output


@pytest.mark.parametrize("country", ["USA", "United States", "usa", "united states of america"])
def test_country_name_or_three_letter_code_is_the_country(article_out, country):
    result = _run(article_out / "graph.trig", "exposure", "--country", country)
    assert result.exit_code == 0, result.output
    assert result.output == _run(article_out / "graph.trig", "exposure", "--country", "US").output


@pytest.mark.parametrize("value", ["Hikvision", "kgr:org/hikvision", "Hikvison", str(KGR["org/hikvision"])])
def test_named_query_entity_parameter_accepts_any_name(article_out, value):
    result = _run(article_out / "graph.trig", "query", "measures-targeting", "-p", f"company={value}", "--format", "csv")
    assert result.exit_code == 0, result.output
    targets = {line.split(",")[0] for line in result.stdout.splitlines()[1:]}
    assert targets == {str(KGR["org/hikvision"])}


def test_named_query_unknown_entity_suggests(article_out):
    result = _run(article_out / "graph.trig", "query", "measures-targeting", "-p", "company=Hikvisiom Digitl")
    assert result.exit_code == 2 and "did you mean 'Hikvision'" in result.output


def test_iris_pasted_from_a_table_run_as_they_are(article_out):
    table = _run(article_out / "graph.trig", "query", "measures-targeting", "-p", "company=Yitu").stdout
    printed = next(word for word in table.split() if word.startswith("kgr:org/"))
    result = _run(article_out / "graph.trig", "query",
                  f"SELECT ?name WHERE {{ {printed} <http://www.w3.org/2000/01/rdf-schema#label> ?name }}")
    assert result.exit_code == 0, result.output
    assert "Yitu Technologies" in result.stdout


def test_expand_iris_leaves_strings_comments_and_bracketed_iris_alone():
    text = "SELECT * { kgr:org/a ?p 'kgr:org/b' ; ?q <kgr:org/c> . } # kgr:org/d\n"
    assert expand_iris(text) == (f"SELECT * {{ <{KGR}org/a> ?p 'kgr:org/b' ; ?q <kgr:org/c> . }} # kgr:org/d\n")
    assert expand_iris("ASK { kgr:org/a kg:x kgr:org/b. }") == f"ASK {{ <{KGR}org/a> kg:x <{KGR}org/b>. }}"
