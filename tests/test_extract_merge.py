"""Resolution of extracted facts: into curated ones when they agree, never when days differ."""

from datetime import date

from graph.extract.extractor import ExtractedStatement
from graph.model.ontology import load_ontology
from graph.builder.rdf import to_dataset
from graph.resolve import resolve
from graph.sources import Batch
from graph.model.statements import Evidence, Label, Ref, SourceInfo, Statement

MODEL = load_ontology()


def entity(key, cls, name, method="curated"):
    return Statement(key=key, cls=cls, labels=[Label(name)],
                     evidence=[Evidence(source="s", method=method, confidence=1.0, quote=name)])


def fact(key, cls, method, **values):
    make = ExtractedStatement if method == "extracted" else Statement
    return make(key=key, cls=cls, values=values,
                evidence=[Evidence(source="s", method=method, confidence=0.8, quote=key)])


def batches(curated, extracted, source="s"):
    info = SourceInfo(id=source, title=source, file=f"{source}.txt")
    return [Batch(source=SourceInfo(id="s", title="s", file="s.txt"), statements=curated, priority=0),
            Batch(source=info, statements=extracted, priority=20)]


def curated_listing(day):
    return [entity("commerce", "GovernmentBody", "Commerce"), entity("acme", "Company", "Acme"),
            fact("listing", "ExportControlListing", "curated", targets=[Ref(key="acme")],
                 imposedBy=[Ref(key="commerce")], startDate=[day])]


def extracted_listing(day):
    return [entity("~acme", "Company", "Acme", "extracted"),
            fact("~x/listing", "ExportControlListing", "extracted", targets=[Ref(key="~acme")], startDate=[day])]


def test_an_extracted_measure_with_the_same_day_merges_into_the_curated_one():
    bs = batches(curated_listing(date(2019, 5, 16)), extracted_listing(date(2019, 5, 16)))
    resolution = resolve(bs, MODEL)
    assert resolution.by_key[("s", "~x/listing")] == resolution.by_key[("s", "listing")]


def test_an_extracted_measure_of_another_day_stays_apart():
    bs = batches(curated_listing(date(2019, 5, 16)), extracted_listing(date(2019, 8, 19)))
    resolution = resolve(bs, MODEL)
    assert resolution.by_key[("s", "~x/listing")] != resolution.by_key[("s", "listing")]


def test_two_articles_stating_one_relationship_make_one_node_with_both_evidences():
    def article(source):
        return [entity("~a", "Company", "Acme", "extracted"), entity("~b", "Company", "Bolt", "extracted"),
                ExtractedStatement(key=f"~{source}/supply", cls="SupplyRelationship",
                                   values={"supplier": [Ref(key="~a")], "customer": [Ref(key="~b")]},
                                   evidence=[Evidence(source=source, method="extracted", confidence=0.7,
                                                      quote=f"{source}: Acme supplies Bolt")])]

    one = Batch(source=SourceInfo(id="one", title="one", file="one.txt"), statements=article("one"), priority=20)
    two = Batch(source=SourceInfo(id="two", title="two", file="two.txt"), statements=article("two"), priority=20)
    resolution = resolve([one, two], MODEL)
    node = resolution.by_key[("one", "~one/supply")]
    assert resolution.by_key[("two", "~two/supply")] == node
    dataset = to_dataset([one, two], resolution, MODEL)
    from graph.model.ontology import KG

    evidence = [o for _, _, o, _ in dataset.quads((node, KG.evidence, None, None))]
    assert len(evidence) == 2
    suppliers = {o for _, _, o, _ in dataset.quads((node, KG.supplier, None, None))}
    assert len(suppliers) == 1
