"""The topology arrays beside an Oxigraph store: written by the build, same answers, stale ones refused.

The store is the session's build of data/ (``seed_store``, written with :func:`graph.builder.pipeline.save_built`
as ``kg build --store oxigraph:DIR`` writes it); tests that change a store work on a copy.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import StoreError
from graph.network import exposure, project
from graph.network.topology.file import FILE_NAME, load_topology, open_topology, topology_file, write_topology

KG = "https://w3id.org/exposure-kg/ontology#"
KGR = "https://w3id.org/exposure-kg/id/"

#: exposure options a user combines on the command line
OPTIONS = [
    {},
    {"hops": 2},
    {"hops": 3, "country": "any"},
    {"hops": 2, "as_of": "2019-10-06"},
    {"hops": 2, "relations": ["supply"], "measure": "Entity List"},
    {"hops": 2, "classes": ["Company"], "country": "CN"},
    {"hops": 2, "nearest": True},
    {"hops": 2, "country": "any", "nearest": True, "as_of": "2020-01-01"},
]


def kg(*args) -> tuple[str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout, result.stderr


@pytest.fixture(scope="module")
def store_dir(seed_store) -> Path:
    return Path(seed_store.removeprefix("oxigraph:"))


@pytest.fixture(scope="module")
def projected(store_dir):
    """The store projected as kg exposure did before the arrays (topology only)."""
    store = ox.Store.read_only(str(store_dir))
    return project(store, sources=False)


@pytest.mark.slow  # a build, then kg exposure on the store and on the file
def test_a_build_into_an_oxigraph_store_writes_its_topology(seed_data, tmp_path):
    store = tmp_path / "ox"
    kg("build", seed_data, "--out", tmp_path / "out", "--store", f"oxigraph:{store}", "--quiet")
    assert topology_file(store).is_file()
    # and the command reads them: the same table as from the build's own file
    from_store, note = kg("exposure", "--store", f"oxigraph:{store}", "--hops", "2", "--format", "csv")
    from_file, _ = kg("exposure", "--graph", tmp_path / "out" / "graph.trig", "--hops", "2", "--format", "csv")
    assert note == "" and from_store == from_file
    assert from_store.count("\n") > 1


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_the_arrays_give_the_projections_answers(store_dir, projected, options):
    G = open_topology(store_dir)
    assert exposure(G, **options) == exposure(projected, **options)


def test_the_arrays_hold_what_the_projection_holds(store_dir):
    # a projection of its own: exposure() fills in the sources of the edges it reports
    projected = project(ox.Store.read_only(str(store_dir)), sources=False)
    G = open_topology(store_dir)
    assert list(G) == list(projected) and G.number_of_edges() == projected.number_of_edges()
    assert list(G.edges(data=True)) == list(projected.edges(data=True))
    for node in list(projected)[::37]:
        assert G.nodes[node] == projected.nodes[node]
    for key in ("measures", "targets", "lists", "countries"):
        assert G.graph[key] == projected.graph[key]


@pytest.mark.parametrize("args", [
    ["--format", "csv"],
    ["--hops", "2", "--format", "json", "--long"],
    ["--hops", "3", "--no-ownership", "--format", "csv"],
    ["--as-of", "2019-10-06", "--nearest", "--format", "md"],
    ["--country", "any", "--hops", "2", "--relation", "supply", "--relation", "partner", "--format", "csv"],
])
def test_kg_exposure_on_the_store_prints_what_it_prints_from_the_file(seed_out, seed_store, args):
    from_store, note = kg("exposure", "--store", seed_store, *args)
    from_file, _ = kg("exposure", "--graph", seed_out / "graph.trig", *args)
    assert note == ""
    assert from_store == from_file


@pytest.fixture
def store_copy(store_dir, tmp_path) -> Path:
    copy = tmp_path / "ox"
    shutil.copytree(store_dir, copy)
    return copy


def test_a_copied_store_keeps_its_arrays(store_copy):
    assert len(open_topology(store_copy)) > 1000


def test_a_store_changed_after_its_arrays_is_detected_and_read_instead(store_copy):
    # a US company that supplies a listed one, added to the store by hand after the build
    G = open_topology(store_copy)
    listed = min(node for targets in G.graph["targets"].values() for node in targets)
    del G
    gc.collect()
    new, rel, graph_name = KGR + "org/added-by-hand", KGR + "supply/added-by-hand", ox.NamedNode(KGR + "graph/hand")
    store = ox.Store(str(store_copy))
    for s, p, o in [(new, "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("Added By Hand Inc.")),
                    (new, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(KG + "Company")),
                    (new, KG + "country", ox.NamedNode(KGR + "country/us")),
                    (rel, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(KG + "SupplyRelationship")),
                    (rel, KG + "supplier", ox.NamedNode(new)), (rel, KG + "customer", ox.NamedNode(listed))]:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph_name))
    del store
    gc.collect()
    with pytest.raises(StoreError, match="does not match the store"):
        open_topology(store_copy)
    out, note = kg("exposure", "--store", f"oxigraph:{store_copy}", "--format", "csv")
    assert f"note: {store_copy / FILE_NAME} does not match the store any more" in note
    assert "Added By Hand Inc." in out


def test_an_unreadable_file_is_said_and_the_graph_read_instead(store_copy, seed_out):
    topology_file(store_copy).write_bytes(b"not arrays")
    out, note = kg("exposure", "--store", f"oxigraph:{store_copy}", "--format", "csv")
    assert "cannot read the topology arrays" in note
    assert out == kg("exposure", "--graph", seed_out / "graph.trig", "--format", "csv")[0]


def test_a_store_without_arrays_is_projected_silently(store_copy, seed_out):
    topology_file(store_copy).unlink()
    with pytest.raises(StoreError, match=f"holds no {FILE_NAME}"):
        open_topology(store_copy)
    out, note = kg("exposure", "--store", f"oxigraph:{store_copy}", "--format", "csv")
    assert note == ""
    assert out == kg("exposure", "--graph", seed_out / "graph.trig", "--format", "csv")[0]


def test_the_same_store_gives_the_same_file(store_copy):
    first = topology_file(store_copy).read_bytes()
    store = ox.Store.read_only(str(store_copy))
    write_topology(store, store_copy)
    assert topology_file(store_copy).read_bytes() == first
    assert load_topology(store, store_copy) is not None


def test_kg_exposure_on_the_arrays_loads_neither_rdflib_nor_networkx(seed_store):
    code = ("import sys\nfrom graph.cli import main\n"
            f"try:\n    main(['exposure', '--store', {seed_store!r}, '--format', 'csv'])\n"
            "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print(sorted(m for m in ('rdflib', 'networkx', 'pyvis', 'rich', 'scipy') if m in sys.modules),"
            " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "listed,listed_label" in done.stdout


def test_arrays_written_by_another_version_are_not_trusted(store_dir, monkeypatch):
    import graph.version

    monkeypatch.setattr(graph.version, "__version__", "0.0.1")
    with pytest.raises(StoreError, match="written by another version of exposure-kg"):
        open_topology(store_dir)


def _same_members(store, folder):
    """The arrays written from the store, and those of its projection (the reference)."""
    from graph.network.topology.arrays import projection_arrays, store_arrays
    from graph.model.ontology import load_ontology

    model = load_ontology()
    expected = projection_arrays(project(store, model=model, sources=False))
    expected["meta"]["edge_kinds"] = {str(e.cls): e.kind for e in model.edge_kinds()}
    found = store_arrays(store, model)
    assert list(found) == list(expected)
    assert found["meta"] == expected["meta"]
    for name, value in expected.items():
        if name != "meta":
            assert found[name] == value if isinstance(value, list) else (
                found[name].dtype == value.dtype and found[name].tolist() == value.tolist()), name
    return found


def test_the_store_is_read_into_the_arrays_its_projection_gives(store_dir):
    found = _same_members(ox.Store.read_only(str(store_dir)), store_dir)
    assert len(found["u"]) > 100 and any(found["meta"]["targets"].values())


def test_odd_shapes_give_the_projections_arrays_too(tmp_path):
    # what the aggregate queries cannot answer alone: several confidences on one evidence
    # node, a relationship in two classes, ends that are no kg:Agent (a blank node, a plain
    # resource), literal ends, several shares and dates, a country with two codes, triples in
    # the default graph and in two named graphs, kg:subOrganizationOf stated by one source
    text = f"""
    @prefix kg: <{KG}> . @prefix r: <{KGR}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    r:graph\\/a {{
      r:org\\/a a kg:Agent, kg:Company ; rdfs:label "A" ; kg:country r:country\\/x .
      r:org\\/b a kg:Agent, kg:Person ; kg:country r:country\\/y ; kg:subOrganizationOf r:org\\/a ;
          kg:evidence r:ev\\/s1 .
      r:ev\\/s1 kg:source r:graph\\/a ; kg:confidence 0.4 .
      r:country\\/x kg:isoCode "XB", "XA" . r:country\\/y kg:isoCode "YY" .
      r:own\\/1 a kg:Ownership, kg:SupplyRelationship ; kg:owner r:org\\/a ; kg:ownedEntity r:org\\/b, "a name" ;
          kg:supplier r:org\\/b ; kg:customer r:org\\/a ;
          kg:share "30"^^xsd:decimal, "20.5"^^xsd:decimal ; kg:startDate "2020-01-02"^^xsd:date, "2019"^^xsd:gYear ;
          kg:evidence r:ev\\/1, r:ev\\/2 .
      r:ev\\/1 kg:confidence 0.9, 0.2 . r:ev\\/2 kg:confidence "0.5"^^xsd:double .
      r:p\\/1 a kg:Partnership ; kg:partner r:org\\/a, r:org\\/b, r:thing, _:anon ; kg:relation "joint venture" .
      r:m\\/1 a kg:Measure ; kg:targets r:org\\/b, r:org\\/nowhere ; rdfs:label "M"@en, "M2" ; kg:startDate "2021-05-06" .
    }}
    r:graph\\/b {{
      r:own\\/1 kg:evidence r:ev\\/1 . r:org\\/b kg:subOrganizationOf r:org\\/a .
      r:pos\\/1 a kg:Position ; kg:holder r:org\\/b ; kg:organization r:org\\/b .
    }}
    """
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.TRIG)
    store.add(ox.Quad(ox.NamedNode(KGR + "own/2"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode(KG + "Ownership")))
    store.add(ox.Quad(ox.NamedNode(KGR + "own/2"), ox.NamedNode(KG + "owner"), ox.NamedNode(KGR + "org/b")))
    store.add(ox.Quad(ox.NamedNode(KGR + "own/2"), ox.NamedNode(KG + "ownedEntity"), ox.NamedNode(KGR + "thing")))
    found = _same_members(store, tmp_path)
    # the reference itself saw the odd shapes: the blank end, the two kinds, the chosen share
    assert {"ownership", "supply", "partner", "subsidiary"} <= set(found["meta"]["kinds"])
    assert any(node.startswith("_:") for node in found["meta"]["nodes"])
    assert found["meta"]["targets"][KGR + "m/1"] == [KGR + "org/b"]
    # ev/1's first confidence in term order (0.2), not its highest, against ev/2's 0.5
    owned = found["relationships"].index(KGR + "own/1")
    assert set(found["confidence"][found["relationship"] == owned].tolist()) == {0.5}
