"""The build end to end on the project's data: outputs, determinism, provenance, atomicity."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph import build, open_graph
from graph.errors import BuildError
from graph.io.files import write_atomic
from graph.model.ontology import KG, mint_iri
from graph.builder.rdf import ONTOLOGY_GRAPH, source_iri

ARTICLE = source_iri("lesechos-2019-10-08")
KG_CLI = Path(sys.executable).with_name("kg")


def test_build_writes_trig_and_its_union(seed_out):
    assert {"graph.trig", "graph.ttl"} <= {p.name for p in seed_out.iterdir()}
    union = open_graph(seed_out / "graph.ttl")
    dataset = open_graph(seed_out / "graph.trig")
    assert len(union) == len(set(dataset.triples((None, None, None))))


def test_one_named_graph_per_source_plus_the_ontology(seed_graph, data_dir):
    from graph.sources import read_sources

    sources = {source_iri(batch.source.id) for batch in read_sources([data_dir])}
    assert {ARTICLE, source_iri("reference-organizations")} <= sources
    names = {g.identifier for g in seed_graph.graphs() if len(g)}
    assert names == sources | {ONTOLOGY_GRAPH}


def test_the_article_graph_describes_its_source(seed_graph):
    article = seed_graph.graph(ARTICLE)
    assert (ARTICLE, RDF.type, KG.Source) in article
    assert (ARTICLE, RDF.type, PROV.Entity) in article
    assert article.value(ARTICLE, DCTERMS.publisher) == Literal("Les Echos")
    assert article.value(ARTICLE, DCTERMS.creator) == Literal("Véronique Le Billon")
    assert article.value(ARTICLE, DCTERMS.issued) == Literal("2019-10-08", datatype=XSD.date)
    assert article.value(ARTICLE, DCTERMS.language) == Literal("fr")
    assert "liste noire" in str(article.value(ARTICLE, DCTERMS.title))


def test_every_quote_is_verbatim_at_its_offsets(seed_graph, data_dir):
    text = (data_dir / "articles/lesechos-2019-10-08.txt").read_text(encoding="utf-8")
    quotes = list(seed_graph.subject_objects(KG.quote))
    assert len(quotes) > 40
    for evidence, quote in quotes:
        start = seed_graph.value(evidence, KG.charStart).toPython()
        end = seed_graph.value(evidence, KG.charEnd).toPython()
        assert text[start:end] == str(quote)
        assert seed_graph.value(evidence, PROV.wasDerivedFrom) == ARTICLE


def test_every_measure_relationship_and_event_has_sourced_evidence(seed_graph):
    facts = set()
    for cls in (KG.Measure, KG.Relationship, KG.Event):
        facts |= set(seed_graph.subjects(RDF.type, cls))
    assert len(facts) >= 12
    for fact in facts:
        evidence = list(seed_graph.objects(fact, KG.evidence))
        assert evidence, fact
        for item in evidence:
            assert seed_graph.value(item, KG.source) is not None
            assert 0 <= seed_graph.value(item, KG.confidence).toPython() <= 1


def test_reference_rows_merge_into_the_article_entities(seed_graph):
    sensetime = mint_iri("org", "sensetime")
    assert seed_graph.value(sensetime, KG.country) == mint_iri("country", "cn")
    assert Literal("Sense Time") in set(seed_graph.objects(sensetime, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))
    assert seed_graph.value(mint_iri("org", "qualcomm"), KG.country) == mint_iri("country", "us")
    huawei = mint_iri("org", "huawei")
    assert seed_graph.value(huawei, KG.country) == mint_iri("country", "cn")
    # one entity, one preferred label: the reference table's spelling became an alias
    assert [str(label) for label in seed_graph.objects(huawei, RDFS.label)] == ["Huawei"]


def test_types_are_materialised_up_the_hierarchy(seed_graph):
    nvidia = mint_iri("org", "nvidia")
    assert {KG.Company, KG.Organization, KG.Agent} <= set(seed_graph.objects(nvidia, RDF.type))
    listing = mint_iri("measure", "entity-list-2019-10")
    assert (listing, RDF.type, KG.Measure) in seed_graph


def test_relationships_get_their_shortcut_edges(seed_graph):
    sensetime, qualcomm = mint_iri("org", "sensetime"), mint_iri("org", "qualcomm")
    assert (sensetime, KG.partnerOf, qualcomm) in seed_graph
    assert (qualcomm, KG.partnerOf, sensetime) in seed_graph
    ross, commerce = mint_iri("person", "wilbur-ross"), mint_iri("org", "us-commerce")
    assert (ross, KG.holdsPositionIn, commerce) in seed_graph


@pytest.mark.slow  # a full build in a new process
def test_a_build_in_another_process_and_folder_is_byte_identical(data_copy, seed_out, tmp_path):
    # Another process (another hash seed) and another folder: the same bytes as the session build.
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([str(KG_CLI), "build", str(data_copy), "--out", str(tmp_path / "out"), "--quiet"],
                   check=True, env=env)
    for name in ("graph.trig", "graph.ttl"):
        assert (tmp_path / "out" / name).read_bytes() == (seed_out / name).read_bytes(), name


@pytest.mark.slow  # three builds in new processes
def test_progress_shows_on_a_terminal_only(seed_data, tmp_path):
    out = str(tmp_path / "o")
    piped = subprocess.run([str(KG_CLI), "build", str(seed_data), "--out", out],
                           capture_output=True, text=True, check=True)
    assert "facts/lesechos-2019-10-08.facts.yaml" not in piped.stderr
    assert "built" in piped.stderr
    script = ("import sys; sys.stderr.isatty = lambda: True; from graph.cli import main; "
              f"main(['build', {str(seed_data)!r}, '--out', {out!r}])")
    tty = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "facts/lesechos-2019-10-08.facts.yaml" in tty.stderr
    assert "entities" in tty.stderr
    quiet = subprocess.run([str(KG_CLI), "build", str(seed_data), "--out", out, "--quiet"],
                           capture_output=True, text=True, check=True)
    assert quiet.stderr == ""


def test_a_graph_breaking_the_shapes_is_not_written(seed_data, tmp_path):
    facts = seed_data / "facts/lesechos-2019-10-08.facts.yaml"
    # A legal fact file that makes a broken graph: a partnership with one partner.
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "    partner: [sensetime, nvidia]", "    partner: [sensetime]"), encoding="utf-8")
    with pytest.raises(BuildError, match="two or more partners"):
        build([seed_data], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_big_build_checks_the_shapes_in_a_second_process_with_the_same_report(seed_data, tmp_path,
                                                                               monkeypatch):
    facts = seed_data / "facts/lesechos-2019-10-08.facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "    partner: [sensetime, nvidia]", "    partner: [sensetime]"), encoding="utf-8")
    with pytest.raises(BuildError) as here:
        build([seed_data], tmp_path / "here")
    import graph.builder.pipeline

    monkeypatch.setattr(graph.builder.pipeline, "VALIDATE_APART_FROM", 0)  # as a big build does
    started = []
    monkeypatch.setattr(graph.builder.pipeline._CheckApart, "__init__",
                        lambda self, folder, init=graph.builder.pipeline._CheckApart.__init__: (started.append(folder),
                                                                                        init(self, folder))[1])
    with pytest.raises(BuildError) as apart:
        build([seed_data], tmp_path / "apart")
    assert started, "the shapes were not checked in a second process"
    assert apart.value.violations == here.value.violations
    assert any("two or more partners" in v.message for v in apart.value.violations)
    assert not (tmp_path / "apart").exists()
    assert not list(tmp_path.glob(".apart.staging-*"))


def test_a_build_that_frees_its_statements_still_answers_with_its_graph(seed_data, tmp_path):
    kept = build([seed_data], tmp_path / "kept", check=False)
    freed = build([seed_data], tmp_path / "freed", check=False, keep=False)
    assert freed.released and all(not b.statements for b in freed.batches)
    assert [b.counts for b in freed.batches] == [b.counts for b in kept.batches]
    assert freed.resolution.by_key == kept.resolution.by_key
    assert set(freed.dataset.quads()) == set(open_graph(tmp_path / "kept" / "graph.trig").quads())
    assert (tmp_path / "freed" / "graph.trig").read_bytes() == (tmp_path / "kept" / "graph.trig").read_bytes()


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "x" / "graph.ttl"
    write_atomic(target, "a")
    write_atomic(target, b"b")
    assert target.read_bytes() == b"b"
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


def test_a_later_reader_reads_after_the_others_given_their_batches(seed_data):
    from graph.sources import Reader, read_sources
    from graph.model.statements import Batch, SourceInfo

    class Echo(Reader):
        """Claims the articles, like the extractor, and says how many names it was given."""

        name, later = "echo", True

        def claims(self, path):
            return path.name.endswith(".article.yaml")

        def prepare(self, batches):
            self.given = [b.file for b in batches]

        def read(self, path, root):
            return [Batch(source=SourceInfo(id="echo", title="Echo", file=path.name), file=path.name,
                          counts={"given": len(self.given)})]

    echo = Echo()
    batches = read_sources([seed_data], later=[echo])
    others = [b.file for b in batches[:-1]]
    assert echo.given == others and len(others) >= 3
    assert batches[-1].file == "lesechos-2019-10-08.article.yaml"
    assert batches[-1].counts == {"given": len(others)} and batches[-1].priority == echo.priority


def test_a_build_without_articles_does_not_prepare_the_extractor(tmp_path, monkeypatch):
    # Preparing the extractor resolves every name read (its gazetteer): for a folder of lists
    # alone that doubled the build's resolution and memory, for nothing.
    from graph.extract.build import ExtractReader
    from graph.builder.pipeline import build_dataset

    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "x.ftm.jsonl").write_text(
        '{"id": "c1", "schema": "Company", "properties": {"name": ["Acme Trading"], "country": ["cn"]}}\n')
    prepared = []
    monkeypatch.setattr(ExtractReader, "prepare", lambda self, batches: prepared.append(len(batches)))
    result = build_dataset([lists])
    assert prepared == [] and result.extraction == []
    assert any(s.labels and s.labels[0].text == "Acme Trading" for b in result.batches for s in b.statements)


def test_the_build_walks_the_data_folder_once_and_extracts_as_a_reader(seed_data, monkeypatch):
    from graph.builder.pipeline import build_dataset

    import os

    walks = []
    walk = os.walk

    def counted(top, *args, **kwargs):
        if Path(top) == seed_data:
            walks.append(top)
        return walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", counted)
    seen = []
    result = build_dataset([seed_data], progress=lambda reader, batch: seen.append(reader.name))
    assert len(walks) == 1
    assert seen[-1] == "extract" and "extract" not in seen[:-1]
    assert result.extraction == [("lesechos-2019-10-08", "extracted")]
    assert any(b.statements and all(ev.method == "extracted" for s in b.statements for ev in s.evidence)
               for b in result.batches)
