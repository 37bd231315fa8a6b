"""The Federal Register's document JSON, read for the Entity List rule it publishes (graph/sources/federal_register.py)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, XSD

from graph import build, open_graph
from graph.errors import InputError
from graph.model.ontology import KG
from graph.sources import reader_for
from graph.sources.entity_list import EntityListReader
from graph.sources.federal_register import FederalRegisterReader, read_document

DATA = Path(__file__).resolve().parent.parent / "data"


def _document() -> dict:
    """FR Doc. 2019-22210 in the API's schema, written from facts data/ already holds, each with its source.

    The number, citation, publication date and page come from data/reference/federal_register.tsv
    (its source column: the document's page); the day it took effect from the effective_date of
    data/lists/entity_list_2019_10.tsv (whose sources say "effective on publication"); the title
    from data/lists/sources.yaml (the list fr_2019_22210, fetched from the API).
    """
    with open(DATA / "reference" / "federal_register.tsv", encoding="utf-8", newline="") as handle:
        [row] = [r for r in csv.DictReader(handle, delimiter="\t") if r["document"] == "FR Doc. 2019-22210"]
    with open(DATA / "lists" / "entity_list_2019_10.tsv", encoding="utf-8", newline="") as handle:
        effective = {r["effective_date"] for r in csv.DictReader(handle, delimiter="\t")}
    declared = yaml.safe_load((DATA / "lists" / "sources.yaml").read_text(encoding="utf-8"))
    [fr] = [item for item in declared["lists"] if item["name"] == "fr_2019_22210"]
    title = fr["title"].split(": ", 1)[1].split(" (FR Doc.", 1)[0]
    [day] = effective
    return {"document_number": row["document"].removeprefix("FR Doc. "), "citation": row["citation"],
            "publication_date": row["publication_date"], "effective_on": day, "title": title,
            "html_url": row["source"], "type": "Rule"}


@pytest.fixture
def rule_data(tmp_path) -> Path:
    """The Entity List rule's table and the document's JSON, without the citation table."""
    data = tmp_path / "data"
    (data / "lists").mkdir(parents=True)
    shutil.copy(DATA / "lists" / "entity_list_2019_10.tsv", data / "lists")
    (data / "reference").mkdir()
    (data / "reference" / "2019-22210.json").write_text(json.dumps(_document(), indent=2), encoding="utf-8")
    return data


def test_the_document_is_read_with_its_dates_and_citation(rule_data):
    path = rule_data / "reference" / "2019-22210.json"
    assert isinstance(reader_for(path), FederalRegisterReader)
    doc = read_document(path)
    assert (doc.document_number, doc.citation) == ("2019-22210", "84 FR 54002")
    assert doc.publication_date == doc.effective_on == date(2019, 10, 9)
    assert doc.name() == "84 FR 54002 of 2019-10-09"


def test_the_rule_measure_is_named_and_dated_by_the_document(rule_data):
    [batch] = EntityListReader().read(rule_data / "lists" / "entity_list_2019_10.tsv", rule_data)
    [measure, *others] = [s for s in batch.statements if s.cls == "ExportControlListing"]
    labels = {label.text for s in (measure, *others) for label in s.labels}
    assert labels == {"Entity List: 84 FR 54002 of 2019-10-09"}
    assert measure.values["legalBasis"] == ["84 FR 54002"]
    assert measure.values["announcedOn"] == [date(2019, 10, 9)]
    [cited] = [e for e in measure.evidence if e.file == "reference/2019-22210.json"]
    assert cited.url.startswith("https://www.federalregister.gov/documents/2019/10/09/2019-22210/")


def test_a_build_holds_the_document_as_the_source_of_the_citation(rule_data, tmp_path):
    build([rule_data], tmp_path / "out", extract=False, check=True)
    graph = open_graph(tmp_path / "out" / "graph.trig")
    [source] = [s for s, _, _ in graph.triples((None, KG.file, Literal("reference/2019-22210.json")))
                if (s, None, KG.Source) in graph]
    assert (source, KG.url, None) in graph
    announced = set(graph.objects(None, KG.announcedOn))
    assert Literal("2019-10-09", datatype=XSD.date) in announced
    evidence = set(graph.subjects(KG.source, source))
    assert evidence, "the measure's evidence cites the document"


@pytest.mark.parametrize("change, message", [
    ({"citation": "page 54002"}, "'citation' is 'page 54002'"),
    ({"publication_date": "10/09/2019"}, "'publication_date' is '10/09/2019'"),
    ({"document_number": None}, "'document_number' is None"),
])
def test_a_malformed_document_names_its_file_and_field(rule_data, change, message):
    path = rule_data / "reference" / "2019-22210.json"
    path.write_text(json.dumps(_document() | change), encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_document(path)
    assert "2019-22210.json" in str(caught.value)
