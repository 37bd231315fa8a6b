"""The streaming build: files written from the Oxigraph store are the bytes rdflib's path wrote,
and a build killed half-way leaves the output folder as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef

from graph.io.files import serialize
from graph.model.ontology import KG, KGR
from graph.model.terms import PREFIXES, to_ox
from graph.io.turtle import write_from_store


def _dataset() -> Dataset:
    ds = Dataset()
    a, b = KGR["source/a"], KGR["source/b"]
    acme, evidence = KGR["org/acme"], KGR["evidence/a/0001"]
    for graph, label in ((a, "Acme"), (b, "ACME")):
        g = ds.graph(graph)
        g.add((acme, RDF.type, KG.Company))  # the same subject in two graphs: merged in the Turtle
        g.add((acme, RDFS.label, Literal(label, lang="en")))
        g.add((acme, KG.note, Literal('says "hi"\nand leaves')))
    g = ds.graph(a)
    g.add((evidence, KG.confidence, Literal(Decimal(repr(1.0)), datatype=XSD.decimal)))  # "1.0", Oxigraph: "1"
    g.add((evidence, KG.confidence, Literal(Decimal(repr(0.25)), datatype=XSD.decimal)))
    g.add((evidence, KG.row, Literal(12, datatype=XSD.integer)))
    g.add((evidence, KG.url, Literal("https://example.org/a b", datatype=XSD.anyURI)))
    g.add((acme, KG.startDate, Literal(date(2020, 1, 2), datatype=XSD.date)))
    g.add((acme, KG.partnerOf, URIRef("https://example.org/not.prefixed")))
    ds.graph(KGR["source/empty"])  # an empty graph is not written
    return ds


def test_files_from_the_store_are_the_bytes_of_the_rdflib_writers(tmp_path):
    ds = _dataset()
    store = ox.Store()
    graphs = []
    for graph in ds.graphs():
        name = ox.NamedNode(str(graph.identifier))
        graphs.append(str(graph.identifier))
        for s, p, o in graph:
            store.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name))
    triples = write_from_store(store, graphs, PREFIXES, tmp_path / "g.trig", tmp_path / "g.ttl")
    assert (tmp_path / "g.trig").read_bytes() == serialize(ds, "trig")
    assert (tmp_path / "g.ttl").read_bytes() == serialize(ds, "turtle")
    assert triples == len(ds)
    assert b'"1.0"^^xsd:decimal' in (tmp_path / "g.ttl").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.trig", "g.ttl"]  # no spool file left


_ENTITIES = [
    {"id": "c1", "schema": "Company", "properties": {"name": ["Kestrel Widget Works"], "country": ["de"]}},
    {"id": "c2", "schema": "Company", "properties": {"name": ["Plover Parts Trading"], "country": ["fr"]}},
    {"id": "l1", "schema": "UnknownLink", "properties": {"subject": ["c1"], "object": ["c2"], "role": ["supplier"]}},
]

# Builds DATA into OUT, and once the files are made (before they are moved into OUT) says so
# in READY and waits to be killed.
_KILLED_BUILD = r"""
import sys, time
from pathlib import Path
import graph.builder.pipeline as pipeline
data, out, ready = map(Path, sys.argv[1:4])
made = pipeline.write_from_store
def then_wait(*args, **kwargs):
    count = made(*args, **kwargs)
    ready.write_text("files made")
    time.sleep(300)
    return count
pipeline.write_from_store = then_wait
pipeline.build([data], out, extract=False)
"""


def test_a_killed_build_leaves_the_output_folder_untouched(tmp_path):
    from graph.builder.pipeline import build

    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    (data / "few.ftm.jsonl").write_text("".join(json.dumps(e) + "\n" for e in _ENTITIES[:2]))
    build([data], out, extract=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # the next build has a new link: a run that finished would change both files
    (data / "few.ftm.jsonl").write_text("".join(json.dumps(e) + "\n" for e in _ENTITIES))
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_BUILD, str(data), str(out), str(ready)],
                             stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the build did not reach its files in 2 minutes"
            time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        child.stderr.close()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".out.staging-")]  # what the kill left
    # the next build finishes, writes the new graph and removes the dead run's leftovers
    result = build([data], out, extract=False)
    assert (out / "graph.trig").read_bytes() != before["graph.trig"]
    assert b"kg:suppliesTo" in (out / "graph.trig").read_bytes()
    assert result.triples == len(result.dataset)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.staging-")]


def _awkward_batches():
    """Two sources whose statements hold every kind of term the builder writes."""
    from graph.model.statements import Batch, Evidence, Label, Ref, SourceInfo, Statement

    def evidence(source, row, **more):
        return [Evidence(source=source, method="list", confidence=0.9, file=f"{source}.csv", row=row, **more)]

    first = Batch(source=SourceInfo(id="first", title='The "first" list', file="first.csv", language="en",
                                    issued=date(2024, 5, 6), url="https://example.org/first list"),
                  file="first.csv", statements=[
        Statement(key="k", cls="Company", labels=[Label("Kestrel Widget Works", "en"), Label("Kestrel\nWorks")],
                  aliases=['Kestrel "KWW"', "back\\slash"], same_as=["https://example.org/kestrel"],
                  values={"country": ["de"], "note": ["tab\there", 7, 2.5, True]},
                  evidence=evidence("first", 1, quote="« Kestrel »", char_start=0, char_end=11, note="n")),
        Statement(key="p", cls="Company", labels=[Label("Plover Parts Trading", "fr")],
                  evidence=evidence("first", 2, url="https://example.org/p?q=<1>")),
        Statement(key="o", cls="Ownership", values={"owner": [Ref(key="k")], "ownedEntity": [Ref(key="p")],
                                                     "share": [0.51, 1], "startDate": [date(2020, 1, 2)]},
                  evidence=evidence("first", 3)),
        Statement(key="pp", cls="Partnership", values={"partner": [Ref(key="k"), Ref(key="p")]},
                  evidence=evidence("first", 4, extractor="rules 1.0")),
    ])
    second = Batch(source=SourceInfo(id="second/part", title="Second", file="second.csv"), file="second.csv",
                   statements=[Statement(key="k2", cls="Company", labels=[Label("Kestrel Widget Works")],
                                         evidence=evidence("second/part", 9))])
    return [first, second]


def test_the_store_gets_the_quads_the_rdflib_path_makes(tmp_path):
    """The build writes quads as text for Oxigraph and as rdflib terms for ``result.dataset``:
    the files written from either are the same bytes."""
    from graph.model.ontology import load_ontology
    from graph.builder.rdf import to_dataset, to_store
    from graph.resolve import resolve

    model = load_ontology()
    batches = _awkward_batches()
    resolution = resolve(batches, model)
    store = ox.Store(str(tmp_path / "store"))
    graphs = to_store(batches, resolution, model, store, batch=100)  # several loads per graph
    dataset = to_dataset(batches, resolution, model)
    assert len(store) == sum(1 for _ in dataset.quads((None, None, None, None)))
    write_from_store(store, graphs, PREFIXES, tmp_path / "g.trig", tmp_path / "g.ttl")
    assert (tmp_path / "g.trig").read_bytes() == serialize(dataset, "trig")
    assert (tmp_path / "g.ttl").read_bytes() == serialize(dataset, "turtle")
    text = (tmp_path / "g.trig").read_text()
    for expected in ('"Kestrel Widget Works"@en', r'"Kestrel \"KWW\""', '"0.51"^^xsd:decimal',
                     '"2020-01-02"^^xsd:date', "kg:partnerOf", "<https://example.org/kestrel>"):
        assert expected in text
