"""The exposure map: columns, crossings, labels apart, grouping, the SVG picture and its CLI."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import open_graph
from graph.cli import main
from graph.outputs.exposure_map import FONT_FAMILY, exposure_map, map_svg, text_width
from graph.outputs.layered import order_columns
from graph.network import exposure, project
from graph.outputs.render import exposure_edges, record_paths, render

KGR = "https://w3id.org/exposure-kg/id/"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"Q\" 'S' \x07bell"


def texts(svg: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every <text> of the SVG with its box, from the declared font's width table."""
    root = ET.fromstring(svg)
    assert FONT_FAMILY in root.get("font-family")
    found = []
    for t in root.iter(f"{SVG}text"):
        x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
        w = text_width(t.text or "", size)
        left = x - w / 2 if t.get("text-anchor") == "middle" else x
        found.append((t.text or "", (left, y - 0.93 * size, left + w, y + 0.24 * size)))
    return found


def overlapping(boxes):
    """Pairs of texts whose boxes meet (a sweep over the left edges)."""
    ordered = sorted(boxes, key=lambda b: b[1][0])
    pairs = []
    for i, (a, box) in enumerate(ordered):
        for b, other in ordered[i + 1:]:
            if other[0] >= box[2]:
                break
            if box[1] < other[3] and other[1] < box[3]:
                pairs.append((a, b))
    return pairs


def synthetic(exposed: int, listed: int = 40, seed: int = 26) -> tuple[nx.MultiDiGraph, list[list[str]]]:
    """Listed firms, each tied to a few of ``exposed`` US firms; some exposed through a middle firm."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    words = ["Advanced", "Micro", "Systems", "Holdings", "Technology", "Semiconductor", "International",
             "Devices", "Vision", "Network", "Global", "Pacific", "Data", "Storage", "Labs"]
    firms = [f"{KGR}org/listed-{i:04d}" for i in range(listed)]
    for i, n in enumerate(firms):
        G.add_node(n, label=f"Listed {' '.join(rng.sample(words, rng.randint(1, 4)))} {i}",
                   classes=["Agent", "Company", "Organization"], country="CN", listed=True,
                   measures=[f"{KGR}measure/m{i % 3}"])
    G.graph["measures"] = {f"{KGR}measure/m{k}": {"label": f"Measure {k}", "classes": ["Measure"]} for k in range(3)}
    paths = []
    for j in range(exposed):
        e = f"{KGR}org/exposed-{j:05d}"
        G.add_node(e, label=f"{' '.join(rng.sample(words, rng.randint(1, 5)))} {j}",
                   classes=["Agent", "Company", "Organization"], country="US", listed=False, measures=[])
        for owner in rng.sample(firms, rng.randint(1, 2)):
            kind = rng.choice(["supply", "partner", "ownership"])
            G.add_edge(e, owner, key=f"{KGR}{kind}/{j}-{owner[-4:]}", kind=kind, relationship=f"{KGR}{kind}/{j}",
                       direction="forward", sources=[])
            paths.append([owner, e])
    return G, paths


def tiny() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for slug, label, listed in (("a", "Alpha Listed", True), ("b", "Beta Listed", True), ("x", "Xeno Corp", False),
                                ("y", "Yolo Inc", False), ("m", "Middle GmbH", False)):
        G.add_node(KGR + slug, label=label, classes=["Company"], listed=listed, country="US" if not listed else "CN",
                   measures=[KGR + "measure/el"] if listed else [])
    G.graph["measures"] = {KGR + "measure/el": {"label": "Entity List addition of October 2019"}}
    # alphabetical order crosses: Alpha-Yolo and Beta-Xeno
    for u, v, kind in (("a", "y", "supply"), ("b", "x", "partner"), ("b", "m", "supply"), ("m", "x", "supply")):
        G.add_edge(KGR + u, KGR + v, key=f"{KGR}rel/{u}{v}", kind=kind, relationship=f"{KGR}rel/{u}{v}",
                   direction="forward", sources=[])
    return G


def test_columns_by_hop_and_a_sweep_that_uncrosses():
    G = tiny()
    m = exposure_map(G, [[KGR + "a", KGR + "y"], [KGR + "b", KGR + "x"]])
    assert [len(c) for c in m.columns] == [2, 2] and m.crossings == 0
    assert m.positions[KGR + "y"][1] < m.positions[KGR + "x"][1]  # Yolo faces Alpha, above Xeno
    longer = exposure_map(G, [[KGR + "a", KGR + "y"], [KGR + "b", KGR + "m", KGR + "x"]])
    x = {n: longer.positions[n][0] for n in G}
    assert x[KGR + "a"] == x[KGR + "b"] < x[KGR + "m"] < x[KGR + "x"] == x[KGR + "y"]
    assert longer.headings == ["listed (2)", "1 hop (1)", "exposed (2)"]
    assert order_columns([["a", "b"], ["x", "y"]], [("a", "y"), ("b", "x")]) == ([["a", "b"], ["y", "x"]], 0)


def test_each_kind_is_labelled_once_and_measures_are_in_the_legend():
    G = tiny()
    m = exposure_map(G, [[KGR + "a", KGR + "y"], [KGR + "b", KGR + "x"], [KGR + "b", KGR + "m"]])
    assert sorted(m.labelled.values()) == ["partner", "supply"]
    assert m.measures == [(KGR + "measure/el", "Entity List addition of October 2019", 2)]
    svg = map_svg(m)
    assert [t for t, _b in texts(svg)].count("supply") == 2  # once on the map, once in the legend
    assert "Entity List addition of October 2019 (2 listed entities here)" in svg


def test_svg_is_static_escaped_and_the_same_bytes_every_time():
    G = tiny()
    G.nodes[KGR + "a"]["label"] = HOSTILE
    paths = [[KGR + "a", KGR + "y"], [KGR + "b", KGR + "x"]]
    svg = map_svg(exposure_map(G, paths), title=HOSTILE)
    root = ET.fromstring(svg)  # well-formed XML, the bell character replaced
    assert "<script" not in svg and "\x07" not in svg
    assert not re.search(r"\b(href|src)\s*=", svg) and set(re.findall(r"url\((.)", svg)) <= {"#"}
    assert any((t.text or "").startswith("<script>alert(1)</script> & \"Q\"") for t in root.iter(f"{SVG}text"))
    H = nx.MultiDiGraph()  # the same graph, built in the opposite order
    H.graph.update(G.graph)
    for n in reversed(list(G)):
        H.add_node(n, **G.nodes[n])
    for u, v, k, d in reversed(list(G.edges(keys=True, data=True))):
        H.add_edge(u, v, key=k, **d)
    assert map_svg(exposure_map(H, list(reversed(paths))), title=HOSTILE) == svg


@pytest.mark.parametrize("exposed", [200, 2000])
def test_no_label_on_another_at_200_and_2000_exposed(exposed):
    G, paths = synthetic(exposed)
    m = exposure_map(G, paths)
    svg = map_svg(m, title=f"{exposed} exposed")
    boxes = texts(svg)
    assert overlapping(boxes) == []
    if exposed > 250:  # past a legible column: one node per listed firm, with its count, and a note
        assert m.grouped == exposed and len(m.columns[-1]) == len(m.columns[0]) == 40
        assert f"{exposed:,} exposed entities are grouped by the listed entity" in svg
        assert sum(int(re.match(r"[\d,]+", t).group().replace(",", "")) for t, _b in boxes
                   if re.fullmatch(r"[\d,]+ exposed entit(y|ies)", t)) == len(paths)
    else:
        assert m.grouped == 0 and len(m.columns[-1]) == exposed
    listed_x = max(m.positions[n][0] for n in m.columns[0])
    assert all(m.positions[n][0] > listed_x for n in m.columns[-1])


def test_interactive_map_has_physics_off_fixed_columns_and_keeps_search():
    G = tiny()
    paths = [[KGR + "a", KGR + "y"], [KGR + "b", KGR + "x"], [KGR + "b", KGR + "m"]]
    page = render(G, highlight_paths=paths, paths_only=True)
    data = __import__("json").loads(re.search(r'id="graph-data">(.*?)</script>', page, re.S).group(1))
    assert data["options"]["physics"] == {"enabled": False}
    x = {n["iri"]: n["x"] for n in data["nodes"]}
    assert max(x[KGR + s] for s in "ab") < min(x[KGR + s] for s in "xym")
    assert sorted(e["label"] for e in data["edges"] if "label" in e) == ["partner", "supply"]
    assert 'id="search"' in page and "Entity List addition of October 2019 (2 listed here)" in page
    assert render(G, highlight_paths=paths, paths_only=True) == page


def test_kg_render_svg_of_data_listed_left_of_exposed_and_no_text_on_another(seed_out, tmp_path):
    out = tmp_path / "exposure.svg"
    result = CliRunner().invoke(main, ["render", "--graph", str(seed_out / "graph.trig"), "--exposure",
                                       "--format", "svg", "--out", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    G = project(open_graph(seed_out / "graph.trig"))
    records = exposure(G)
    def shown(name):  # a label past 40 characters is cut, its full name in the tooltip
        return name if len(name) <= 40 else name[:39] + "…"

    listed = {shown(r["listed"]["label"]) for r in records}
    one_hop = {shown(r["exposed"]["label"]) for r in records if r["hops"] == 1}
    assert len(listed) >= 5 and len(one_hop) >= 10
    boxes = texts(svg)
    where = {}
    for text, box in boxes:
        where.setdefault(text, []).append(box)
    assert listed | one_hop <= set(where), sorted((listed | one_hop) - set(where))
    assert max(b[2] for n in listed for b in where[n]) < min(b[0] for n in one_hop for b in where[n])
    assert overlapping(boxes) == []
    assert "<script" not in svg and not re.search(r"\b(href|src)\s*=", svg)
    again = tmp_path / "again.svg"
    CliRunner().invoke(main, ["render", "--graph", str(seed_out / "graph.trig"), "--exposure", "--format", "svg",
                              "--out", str(again)])
    assert again.read_bytes() == out.read_bytes()
    m = exposure_map(G, record_paths(records), exposure_edges(records))
    alphabetical = [sorted(c, key=lambda n: G.nodes[n]["label"].casefold()) for c in m.columns]
    assert m.crossings < order_columns(alphabetical, list(m.graph.edges()), sweeps=0)[1] / 2


def test_kg_render_picture_needs_the_exposure_map(seed_out):
    result = CliRunner().invoke(main, ["render", "--graph", str(seed_out / "graph.trig"), "--format", "svg"])
    assert result.exit_code == 2 and "add --exposure" in result.output


@pytest.mark.slow
def test_kg_render_png_or_one_line_saying_why_not(seed_out, tmp_path):
    out = tmp_path / "exposure.png"
    result = CliRunner().invoke(main, ["render", "--graph", str(seed_out / "graph.trig"), "--exposure",
                                       "--format", "png", "--out", str(out)])
    if result.exit_code == 0:
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert result.exit_code == 1 and "converter" in result.output and len(result.output.splitlines()) == 1
