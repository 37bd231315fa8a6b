"""Exports (FtM, GraphML, GEXF, JSON-LD, N-Triples, N-Quads) and the FtM round trip."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from graph import build, open_graph
from graph.cli import main
from graph.errors import ExportError, InputError
from graph.outputs.export import FORMATS, export, to_ftm, validate_ftm
from graph.sources import reader_for

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """The article, its facts, the October 2019 rule, Section 889 and the first 30 rows of 1260H."""
    data = tmp_path_factory.mktemp("small") / "data"
    for folder in ("articles", "facts", "reference"):
        shutil.copytree(DATA / folder, data / folder)
    (data / "lists").mkdir()
    for name in ("entity_list_2019_10.tsv", "opensanctions_us_special_leg_section_889.csv"):
        shutil.copy(DATA / "lists" / name, data / "lists" / name)
    lines = (DATA / "lists" / "opensanctions_us_dod_chinese_milcorps_sanctions.csv").read_text(encoding="utf-8")
    (data / "lists" / "opensanctions_us_dod_chinese_milcorps_sanctions.csv").write_text(
        "\n".join(lines.splitlines()[:31]) + "\n", encoding="utf-8")
    out = data.parent / "out"
    build([data], out)
    return out / "graph.trig"


def _shape(entities: list[dict]) -> tuple[set, set]:
    """Entities and links compared by names, not ids (ids are minted by each build)."""
    by_id = {e["id"]: e for e in entities}

    def names(eid):
        return frozenset(by_id[eid]["properties"]["name"])

    nodes, links = set(), set()
    for e in entities:
        props = {k: frozenset(v) for k, v in e["properties"].items()}
        refs = {k: frozenset(names(v) for v in vals) for k, vals in e["properties"].items()
                if all(v in by_id for v in vals) and k in ("entity", "owner", "asset", "subject", "object", "member",
                                                            "organization")}
        if refs:
            links.add((e["schema"], frozenset(refs.items()),
                       frozenset((k, v) for k, v in props.items() if k not in refs)))
        else:
            nodes.add((e["schema"], frozenset(props.items())))
    return nodes, links


def test_ftm_round_trip_keeps_entities_and_links(small, tmp_path):
    first = [json.loads(line) for line in export(open_graph(small), "ftm").decode().splitlines()]
    assert validate_ftm(first) == len(first)
    schemas = {e["schema"] for e in first}
    assert {"Company", "PublicBody", "Person", "Sanction", "Ownership", "UnknownLink", "Membership"} <= schemas
    data = tmp_path / "imported"
    data.mkdir()
    (data / "export.ftm.json").write_text("".join(json.dumps(e) + "\n" for e in first), encoding="utf-8")
    result = build([data], tmp_path / "out")
    [batch] = result.batches
    assert batch.counts == {"read": len(first), "kept": len(first), "skipped": 0}
    second = [json.loads(line) for line in export(open_graph(tmp_path / "out" / "graph.trig"), "ftm").decode().splitlines()]
    assert validate_ftm(second) == len(second)
    assert _shape(second) == _shape(first)


def test_ftm_sanction_carries_the_listing(small):
    entities = to_ftm(open_graph(small))
    hikvision = next(e for e in entities if e["id"] == "ekg-org.hikvision")
    sanctions = [e for e in entities if e["schema"] == "Sanction" and e["properties"]["entity"] == [hikvision["id"]]]
    october = next(s for s in sanctions if s["properties"].get("startDate") == ["2019-10-09"])
    assert october["properties"]["summary"] == ["Legal basis: 84 FR 54002"]
    assert october["properties"]["program"] == ["Entity List"]
    assert "Bureau of Industry and Security" in october["properties"]["authority"]
    ownership = next(e for e in entities if e["schema"] == "Ownership" and e["properties"]["asset"] == [hikvision["id"]])
    assert "percentage" not in ownership["properties"]


@pytest.mark.parametrize("entity, message", [
    ({"id": "a", "schema": "Company", "properties": {"name": ["A"], "colour": ["red"]}}, "has no property 'colour'"),
    ({"id": "a", "schema": "Sanction", "properties": {"entity": ["nobody"]}}, "not in the stream"),
    ({"id": "a", "schema": "Ownership", "properties": {"owner": []}}, "requires 'owner'"),
    ({"id": "a", "schema": "Spaceship", "properties": {}}, "unknown schema 'Spaceship'"),
    ({"id": "a", "schema": "Company", "properties": {"name": ["A"], "country": ["Atlantis"]}}, "country"),
])
def test_validate_ftm_rejects_invalid_entities(entity, message):
    with pytest.raises(ExportError, match=message):
        validate_ftm([entity])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_deterministic_and_readable(small, fmt):
    graph = open_graph(small)
    data = export(graph, fmt)
    assert data == export(open_graph(small), fmt)
    union = len({t for c in graph.graphs() for t in c})
    if fmt == "nt":
        assert len(Graph().parse(data=data, format="nt")) == union
    elif fmt == "nq":
        parsed = Dataset()
        parsed.parse(data=data, format="nquads")
        assert len({t for c in parsed.graphs() for t in c}) == union
    elif fmt == "jsonld":
        parsed = Dataset()
        parsed.parse(data=data, format="json-ld")
        assert len({t for c in parsed.graphs() for t in c}) == union
    elif fmt in ("graphml", "gexf"):
        network = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
        hik = "https://w3id.org/exposure-kg/id/org/hikvision"
        cetc = "https://w3id.org/exposure-kg/id/org/china-electronics-technology-group-corporation"
        assert network.nodes[hik]["label"] == "Hikvision"
        assert network.has_edge(cetc, hik)


def test_kg_export_writes_a_file_and_validates_ftm(small, tmp_path):
    out = tmp_path / "x.ftm.json"
    result = CliRunner().invoke(main, ["export", "--format", "ftm", "--graph", str(small), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "validated" in result.output and out.is_file()


def test_kg_export_rejects_an_unknown_format(small):
    result = CliRunner().invoke(main, ["export", "--format", "xlsx", "--graph", str(small)])
    assert result.exit_code == 2


def _ftm_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "os.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ftm_reader_skips_bad_lines_with_warnings(tmp_path):
    company = json.dumps({"id": "c1", "schema": "Company", "properties": {"name": ["Acme Optics"], "country": ["cn"]}})
    path = _ftm_file(tmp_path, [
        company,
        "{not json",
        json.dumps({"id": "o1", "schema": "Ownership", "properties": {"owner": ["ghost"], "asset": ["c1"]}}),
        json.dumps({"id": "v1", "schema": "Vessel", "properties": {"name": ["Mar Azul"]}}),
        json.dumps({"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"], "authority": ["OFAC"],
                                                                      "startDate": ["2021-03"]}}),
    ])
    [batch] = reader_for(path).read(path, tmp_path)
    assert batch.counts == {"read": 5, "kept": 2, "skipped": 3}
    assert "os.ftm.json, row 2: not JSON (Expecting property name enclosed in double quotes); row skipped" in batch.warnings
    assert any("row 3: Ownership 'o1': 'owner' names ['ghost'] not in the file" in w for w in batch.warnings)
    assert any("row 4: schema 'Vessel' is not read" in w for w in batch.warnings)
    assert any("row 5: startDate '2021-03': not a date" in w for w in batch.warnings)


def test_ftm_reader_refuses_a_file_that_is_not_ftm(tmp_path):
    path = _ftm_file(tmp_path, ["name,country", "Acme,CN"])
    with pytest.raises(InputError, match="not a FollowTheMoney JSON lines file"):
        reader_for(path).read(path, tmp_path)


# -- for Gephi: attributes to filter on (issue 16) -------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_exports_carry_attributes_to_filter_on(small, fmt):
    data = export(open_graph(small), fmt)
    network = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    hik = network.nodes["https://w3id.org/exposure-kg/id/org/hikvision"]
    assert hik["country"] == "CN" and hik["listed"] in (True, "true")
    assert "Company" in hik["classes"].split(";") and hik["kind"] == "Company"
    assert hik["lists"]  # the lists of the measures that target it, by name
    kinds = {d["kind"] for _u, _v, d in network.edges(data=True)}
    assert {"ownership", "targets"} <= kinds
    owned = next(d for u, v, d in network.edges(data=True)
                 if d["kind"] == "ownership" and v == "https://w3id.org/exposure-kg/id/org/hikvision")
    assert int(owned["sources"]) >= 1 and "relationship" in owned and "start" in owned
    assert float(owned["confidence"]) > 0


def test_kg_export_jsonld_says_how_to_see_the_named_graphs(small):
    result = CliRunner().invoke(main, ["export", "--format", "jsonld", "--graph", str(small)])
    assert result.exit_code == 0, result.output
    assert "named graph" in result.output and "Dataset().parse" in result.output


def test_ftm_schemas_follow_the_ontology_alignment():
    from rdflib import RDF, RDFS, Literal

    from graph.model.ontology import KG, KGR

    ds = Dataset(default_union=True)
    g = ds.graph(KGR["source/demo"])
    for node, name, classes in ((KGR["org/a"], "A", (KG.Company, KG.GovernmentBody, KG.Organization, KG.Agent)),
                                (KGR["org/b"], "B", (KG.GovernmentBody, KG.Organization, KG.Agent)),
                                (KGR["person/c"], "C", (KG.Person, KG.Agent))):
        g.add((node, RDFS.label, Literal(name)))
        for cls in classes:
            g.add((node, RDF.type, cls))
    position = KGR["position/c-b"]
    g.add((position, RDF.type, KG.Position))
    g.add((position, KG.holder, KGR["person/c"]))
    g.add((position, KG.organization, KGR["org/b"]))
    entities = {e["id"]: e for e in to_ftm(ds)}
    # the most specific class the ontology aligns with FtM wins (kg:Company is ftm:Company ...)
    assert {i: e["schema"] for i, e in entities.items()} == {
        "ekg-org.a": "Company", "ekg-org.b": "PublicBody", "ekg-person.c": "Person", "ekg-position.c-b": "Membership"}
    # a position's ends are the ontology's kg:edgeSource and kg:edgeTarget of kg:Position
    assert entities["ekg-position.c-b"]["properties"]["member"] == ["ekg-person.c"]
    assert entities["ekg-position.c-b"]["properties"]["organization"] == ["ekg-org.b"]
    assert validate_ftm(entities.values()) == 4
