"""Extraction inside the build: curated facts win, incremental builds are byte-identical.

Builds that change articles use ``seed_data`` (the article, its facts and the reference
table): extraction reads articles only, and the official lists would add 13 s to each build.
"""

from pathlib import Path

from rdflib import Literal, URIRef

from graph import build
from graph.model.ontology import KG
from graph.builder.rdf import source_iri

ROOT = Path(__file__).resolve().parent.parent
KGR = "https://w3id.org/exposure-kg/id/"


def evidence_methods(graph, node):
    return sorted(str(graph.value(ev, KG.method)) for ev in graph.objects(URIRef(node), KG.evidence))


def test_curated_and_extracted_say_the_same_once_with_both_evidences(article_graph):
    node = KGR + "partnership/sensetime-qualcomm"
    assert evidence_methods(article_graph, node) == ["curated", "extracted"]
    assert len(set(article_graph.objects(URIRef(node), KG.partner))) == 2
    # the extracted listing merged into the curated one: no second ExportControlListing node
    listings = set(article_graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), KG.ExportControlListing))
    assert listings == {URIRef(KGR + "measure/entity-list-2019-10")}
    assert "extracted" in evidence_methods(article_graph, KGR + "measure/entity-list-2019-10")


def test_curated_values_win_over_extracted_ones(article_graph):
    node = URIRef(KGR + "position/wilbur-ross-secretary-of-commerce")
    assert set(article_graph.objects(node, KG.role)) == {Literal("Secretary of Commerce")}
    assert "extracted" in evidence_methods(article_graph, node)


def test_extracted_entities_link_to_known_ones(article_graph):
    megvii = URIRef(KGR + "org/megvii")
    assert "extracted" in evidence_methods(article_graph, megvii)
    assert not [s for s in article_graph.subjects() if str(s).startswith(KGR + "org/megviitechnology")]


def test_an_incomplete_extracted_fact_enters_only_through_a_curated_one(article_graph):
    # "un décret interdisait": the extracted ban has no imposer; it adds evidence to the curated ban
    ban = KGR + "measure/federal-procurement-ban-2019-08"
    assert evidence_methods(article_graph, ban) == ["curated", "curated", "extracted"]
    assert not [s for s in article_graph.subjects(None, KG.ProcurementBan) if str(s) != ban]


def test_no_extract_leaves_curated_facts_alone(tmp_path, seed_data):
    result = build([seed_data], tmp_path / "out", extract=False)
    methods = {str(o) for _, _, o, _ in result.dataset.quads((None, KG.method, None, None))}
    assert methods == {"curated"} and result.extraction == []


def test_incremental_build_reextracts_only_changed_articles_and_matches_a_full_build(tmp_path, seed_data):
    out = tmp_path / "out"
    first = build([seed_data], out)
    assert first.extraction == [("lesechos-2019-10-08", "extracted")]
    assert build([seed_data], out).extraction == [("lesechos-2019-10-08", "cached")]
    # a new article: only it is extracted
    article = seed_data / "articles"
    (article / "second.txt").write_text("SenseTime est partenaire de Nvidia. Le groupe Huawei a prévu de se coter "
                                        "à Hong Kong.", encoding="utf-8")
    (article / "second.article.yaml").write_text(
        "id: second-article\ntext: second.txt\ntitle: A test article\npublisher: Tests\nissued: 2019-10-09\n"
        "language: fr\n", encoding="utf-8")
    incremental = build([seed_data], out)
    assert sorted(incremental.extraction) == [("lesechos-2019-10-08", "cached"), ("second-article", "extracted")]
    assert str(source_iri("second-article")) in {str(g.identifier) for g in incremental.dataset.graphs()}
    full_out = tmp_path / "full"
    full = build([seed_data], full_out)
    assert all(how == "extracted" for _, how in full.extraction)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (full_out / name).read_bytes()


def test_a_changed_article_is_reextracted(tmp_path, seed_data):
    out = tmp_path / "out"
    build([seed_data], out)
    meta = seed_data / "articles" / "lesechos-2019-10-08.article.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("creator: Véronique Le Billon", "creator: V. Le Billon"),
                    encoding="utf-8")
    assert build([seed_data], out).extraction == [("lesechos-2019-10-08", "extracted")]


def test_a_damaged_cache_entry_is_reextracted(tmp_path, seed_data):
    out = tmp_path / "out"
    build([seed_data], out)
    entry = out / "cache" / "extract" / "lesechos-2019-10-08.json"
    reference = (out / "graph.trig").read_bytes()
    entry.write_text("{not json", encoding="utf-8")
    assert build([seed_data], out).extraction == [("lesechos-2019-10-08", "extracted")]
    assert (out / "graph.trig").read_bytes() == reference


def add_article(folder, name, text, language, issued="2019-10-09"):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.article.yaml").write_text(
        f"id: {name}\ntext: {name}.txt\ntitle: {name}\npublisher: Tests\nissued: {issued}\nlanguage: {language}\n",
        encoding="utf-8")


def test_new_articles_build_a_valid_graph(tmp_path, seed_data):
    # the texts written for the tests, as articles: new entities, new facts, merges; SHACL passes
    added = 0
    for gold in sorted((ROOT / "tests" / "gold").glob("*.gold.yaml")):
        text = gold.with_name(gold.name.replace(".gold.yaml", ".txt"))
        if text.is_file():
            meta = gold.read_text(encoding="utf-8")
            language = "en" if "language: en" in meta else "fr"
            issued = meta.split("issued: ", 1)[1].split()[0]
            add_article(seed_data / "articles", text.stem, text.read_text(encoding="utf-8"), language, issued)
            added += 1
    result = build([seed_data], tmp_path / "out")
    assert added >= 12 and result.violations == [] and len(result.extraction) == added + 1  # and the seed
    graphs = {str(g.identifier) for g in result.dataset.graphs()}
    assert str(source_iri("en-wire-megvii-ipo-2019-08")) in graphs


def test_a_ten_megabyte_article_builds_with_a_warning(tmp_path, seed_data):
    line = "Le département américain du Commerce a annoncé lundi placer Acme sur liste noire.\n"
    add_article(seed_data / "articles", "huge", line * (10_000_000 // len(line) + 1), "fr")
    for run in ("extracted", "cached"):
        result = build([seed_data], tmp_path / "out")
        assert ("huge", run) in result.extraction
        huge = next(b for b in result.batches if b.source.id == "huge" and b.warnings)
        assert "split it into articles" in huge.warnings[0]
