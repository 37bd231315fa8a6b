"""HTML views: self-contained, escaped, deterministic, capped; focus, class and exposure views.

The last part opens the pages in a real headless Chromium, offline: Debian's ``chromium``
driven by Playwright's Python package (no browser download). Every request that is not for a
``file:`` or ``data:`` URL is aborted and recorded, so a page that needs the network draws
nothing and fails. Outside CI those tests skip when Chromium or Playwright is missing; with
``CI=true`` they fail instead.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ArgumentError, GraphTooLargeError, ResolutionError
from graph.network import project
from graph.outputs.render import (
    InlineGraph,
    add_names,
    build_label,
    exposure_edges,
    record_paths,
    find_node,
    opening,
    path_view,
    render,
    select,
    show,
    to_pyvis,
    with_measures,
    write_pyvis,
)

KGR = "https://w3id.org/exposure-kg/id/"
HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> \"Q\" 'S' </script>"


def entity(G, slug, label, classes=("Agent", "Company", "Organization"), country=None, measures=()):
    G.add_node(KGR + slug, label=label, classes=sorted(classes), country=country,
               listed=bool(measures), measures=sorted(measures))


def relate(G, u, v, kind, rel, *, symmetric=False, quote="a quote", title="A source"):
    source = {"source": KGR + "source/s", "title": title, "quote": quote, "file": "articles/s.txt",
              "row": None, "url": "https://example.org/s", "confidence": 0.9, "method": "curated"}
    ends = [(u, v), (v, u)] if symmetric else [(u, v)]
    for a, b in ends:
        G.add_edge(KGR + a, KGR + b, key=KGR + rel, kind=kind, relationship=KGR + rel,
                   direction="symmetric" if symmetric else "forward", start="2019-10-07", end=None,
                   share=None, confidence=0.9, sources=[source])


def small_graph() -> nx.MultiDiGraph:
    """A listed firm, its US partner and supplier, and a person in a government body."""
    G = nx.MultiDiGraph()
    G.graph["measures"] = {KGR + "measure/el": {"label": "Entity List addition", "classes": ["Measure"]}}
    entity(G, "org/listed", "Listed Corp", country="CN", measures=[KGR + "measure/el"])
    entity(G, "org/partner", "Partner Inc", country="US")
    entity(G, "org/supplier", "Supplier LLC", country="US")
    entity(G, "org/agency", "Agency", classes=("Agent", "GovernmentBody", "Organization"), country="US")
    entity(G, "person/chief", "The Chief", classes=("Agent", "Person"))
    relate(G, "org/listed", "org/partner", "partner", "partnership/lp", symmetric=True)
    relate(G, "org/supplier", "org/listed", "supply", "supply/sl", quote="Supplier sells to Listed")
    relate(G, "person/chief", "org/agency", "position", "position/ca")
    return G


def page_data(page: str) -> dict:
    """The JSON block the page draws from, decoded as the browser decodes it."""
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert match, "the page has no graph data block"
    return json.loads(match.group(1))


def labels(page: str) -> list[str]:
    return sorted(n["label"] for n in page_data(page)["nodes"])


# -- offline and self-contained ---------------------------------------------------------
def test_page_references_nothing_outside_itself():
    page = render(small_graph())
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "vis-network" in page and "function" in page  # the library is inlined


def test_writing_leaves_one_file_and_nothing_beside_it(tmp_path):
    target = tmp_path / "view" / "graph.html"
    page = render(small_graph(), target)
    assert target.read_text(encoding="utf-8") == page
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]


# -- deterministic ----------------------------------------------------------------------
def test_same_graph_gives_the_same_bytes_whatever_the_insertion_order():
    G = small_graph()
    reordered = nx.MultiDiGraph()
    reordered.graph.update(G.graph)
    reordered.add_nodes_from(reversed(list(G.nodes(data=True))))
    reordered.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert render(G) == render(small_graph()) == render(reordered)


# -- escaping -----------------------------------------------------------------------------
def test_hostile_names_and_quotes_stay_data():
    G = small_graph()
    entity(G, "org/evil", HOSTILE)
    relate(G, "org/evil", "org/listed", "supply", "supply/el", quote=HOSTILE, title=HOSTILE)
    page = render(G, title=HOSTILE, build=HOSTILE)
    assert HOSTILE not in page
    assert "__pwned" in page  # present, but only in escaped form
    # vis-network's own code and ours: three script elements, each closed once, none from data
    assert len(re.findall(r"</script", page, re.I)) == 3
    assert not re.search(r"<img\b", page, re.I)
    data = page_data(page)
    evil = next(n for n in data["nodes"] if n["title"][0] == HOSTILE)  # the full name, intact
    assert evil["label"] == HOSTILE[:39] + "…"  # long names are shortened on the canvas only
    edge = next(e for e in data["edges"] if any(HOSTILE in line for line in e["title"]))
    assert any(HOSTILE in line for line in edge["title"])
    assert f"<title>{HOSTILE}" not in page and "&lt;script&gt;window.__pwned=1" in page


def test_edge_tooltip_carries_the_sources_behind_it():
    data = page_data(render(small_graph()))
    supply = next(e for e in data["edges"] if e["label"] == "supply")
    text = "\n".join(supply["title"])
    assert "Supplier LLC → Listed Corp" in text
    assert "“Supplier sells to Listed”" in text
    assert "articles/s.txt" in text and "https://example.org/s" in text


def test_listed_entities_are_marked_and_their_measures_named():
    data = page_data(render(small_graph()))
    listed = next(n for n in data["nodes"] if n["label"] == "Listed Corp")
    other = next(n for n in data["nodes"] if n["label"] == "Partner Inc")
    assert listed["borderWidth"] > 1.5 and "borderWidth" not in other
    assert "  • Entity List addition" in listed["title"]


def test_symmetric_relationship_is_drawn_once_without_arrow():
    data = page_data(render(small_graph()))
    partner = [e for e in data["edges"] if e["label"] == "partner"]
    assert len(partner) == 1 and "arrows" not in partner[0]
    assert all(e.get("arrows") == "to" for e in data["edges"] if e["label"] != "partner")


def test_legend_lists_the_classes_and_kinds_shown():
    page = render(small_graph())
    legend = page[page.index('<aside id="legend">'):page.index("</aside>")]
    for text in ("Company", "Government body", "Person", "listed", "partner", "supply", "position"):
        assert text in legend
    assert "Population" not in legend


# -- search, filters, focus, opening view ---------------------------------------------------
def test_search_finds_entities_by_name_alias_and_identifier():
    G = small_graph()
    G.nodes[KGR + "org/listed"]["aliases"] = ["LC Holdings"]
    G.nodes[KGR + "org/listed"]["identifiers"] = ["LEI 5493001KJTIIGC8Y1R12"]
    listed = next(n for n in page_data(render(G))["nodes"] if n["label"] == "Listed Corp")
    assert listed["names"] == ["Listed Corp", "LC Holdings", "LEI 5493001KJTIIGC8Y1R12", "listed"]
    assert listed["iri"] == KGR + "org/listed" and listed["country"] == "CN"


def test_filters_offer_the_classes_lists_and_countries_of_the_view():
    G = small_graph()
    G.graph["measures"][KGR + "measure/el"]["list"] = KGR + "list/entity-list"
    G.graph["lists"] = {KGR + "list/entity-list": {"label": "Entity List"}}
    data = page_data(render(G))
    assert ["GovernmentBody", "Government body"] in data["filters"]["classes"]
    assert data["filters"]["lists"] == [[KGR + "list/entity-list", "Entity List"]]
    assert data["filters"]["countries"] == [["CN", "CN"], ["US", "US"]]
    listed = next(n for n in data["nodes"] if n["label"] == "Listed Corp")
    assert listed["lists"] == [KGR + "list/entity-list"]


def test_focus_entity_is_marked_and_selected_on_opening():
    page = render(small_graph(), focus="Listed Corp")
    data = page_data(page)
    focus = next(n for n in data["nodes"] if n["label"] == "Listed Corp")
    assert data["focus"] == focus["id"] and focus["borderWidth"] == 7 and focus["size"] == 24
    assert "focus entity" in page[page.index('<aside id="legend">'):]
    assert page_data(render(small_graph()))["focus"] is None


def test_opening_is_the_listed_entities_with_relationships_and_their_ties():
    G = small_graph()
    assert opening(G) == {KGR + "org/listed", KGR + "org/partner", KGR + "org/supplier"}
    view = with_measures(G, G.graph["measures"])
    data = page_data(render(G, measures=True, start=opening(G)))
    hidden = sorted(n["label"] for n in data["nodes"] if n.get("hidden"))
    assert hidden == ["Agency", "Entity List addition", "The Chief"]  # on the page, reachable, not shown at first
    assert len(data["nodes"]) == view.number_of_nodes()
    assert "opens on the 3 where exposure starts" in render(G, measures=True, start=opening(G))
    # ties among listed parties alone do not open the page
    entity(G, "org/listed-owner", "Listed Owner", measures=[KGR + "measure/el"])
    relate(G, "org/listed-owner", "org/listed", "ownership", "ownership/ol")
    assert KGR + "org/listed-owner" not in opening(G)


def test_exposure_legend_says_thick_only_when_something_is_thin():
    G = small_graph()
    paths = [[KGR + "org/listed", KGR + "org/partner"]]
    whole = render(G, highlight_paths=paths)
    assert "exposure path (thick)" in whole and "other relationship (thin, faded)" in whole
    only = render(G, highlight_paths=paths, paths_only=True)
    assert "exposure path (thick)" not in only
    assert "every relationship shown is a step of an exposure path" in only


def test_kg_render_focus_writes_its_own_file_and_overwrites_no_view(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.html").write_text("the whole graph")
    result = CliRunner().invoke(main, ["render", "--graph", str(tiny), "--focus", "Listed Corp"])
    assert result.exit_code == 0, result.output
    assert "out/focus-listed.html" in result.output
    assert (tmp_path / "out" / "graph.html").read_text() == "the whole graph"
    data = page_data((tmp_path / "out" / "focus-listed.html").read_text(encoding="utf-8"))
    assert data["focus"] is not None
    result = CliRunner().invoke(main, ["render", "--graph", str(tiny), "--focus", "ChipCo", "--exposure"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "exposure-chipco.html").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["exposure-chipco.html", "focus-listed.html",
                                                                     "graph.html"]


# -- pyvis, for those who script it -----------------------------------------------------------
def test_to_pyvis_holds_what_render_draws_and_pyvis_tunes_it():
    G = small_graph()
    drawn = page_data(render(G, measures=True))
    net = to_pyvis(G, measures=True)
    assert net.nodes == drawn["nodes"] and net.edges == drawn["edges"]  # colours, shapes, positions
    assert net.options.physics.solver == "forceAtlas2Based"
    assert net.options.groups == drawn["options"]["groups"]
    assert "Government body" in net.kg_page["legend"]
    net.toggle_physics(False)
    net.show_buttons(filter_=["physics"])
    written = page_data(write_pyvis(net))
    assert written["options"]["physics"]["enabled"] is False
    assert written["options"]["configure"] == {"enabled": True, "filter": ["physics"]}
    assert [n["label"] for n in written["nodes"]] == [n["label"] for n in drawn["nodes"]]
    assert written["filters"] == drawn["filters"]


def test_write_pyvis_escapes_a_network_built_with_pyvis_alone(tmp_path):
    from pyvis.network import Network

    net = Network(heading=HOSTILE)
    net.add_node(1, label=HOSTILE, title=HOSTILE)
    net.add_node(2, label="B")
    net.add_edge(1, 2, title=HOSTILE)
    page = write_pyvis(net, tmp_path / "net.html")
    assert HOSTILE not in page and (tmp_path / "net.html").read_text(encoding="utf-8") == page
    assert len(re.findall(r"</script", page, re.I)) == 3  # vis-network's, ours and the data: nothing else
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    data = page_data(page)
    assert data["nodes"][0]["title"] == [HOSTILE] and data["edges"][0]["title"] == [HOSTILE]
    assert "&lt;script&gt;window.__pwned=1" in page  # the heading, as text


# -- size and layout ----------------------------------------------------------------------
def grid(n: int) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i in range(n):
        entity(G, f"org/{i:05d}", f"Firm {i}")
    for i in range(1, n):
        G.add_edge(KGR + f"org/{i // 3:05d}", KGR + f"org/{i:05d}", key=f"r{i}", kind="supply",
                   relationship=f"r{i}", direction="forward", sources=[])
    return G


def test_view_above_the_cap_is_refused_with_a_way_to_focus(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("previous")
    with pytest.raises(GraphTooLargeError, match=r"31 entities, more than the limit of 30.*--focus"):
        render(grid(31), target, max_nodes=30)
    assert target.read_text() == "previous"
    assert len(page_data(render(grid(31), max_nodes=31))["nodes"]) == 31


def test_large_view_keeps_a_precomputed_layout_without_physics():
    data = page_data(render(grid(1200)))
    assert data["options"]["physics"] == {"enabled": False}
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) == 1200
    small = page_data(render(grid(20)))
    assert small["options"]["physics"]["enabled"] is True


# -- focus, classes, exposure ---------------------------------------------------------------
def test_focus_by_name_keeps_the_neighbourhood():
    G = small_graph()
    assert labels(render(G, focus="listed corp", hops=1)) == ["Listed Corp", "Partner Inc", "Supplier LLC"]
    assert labels(render(G, focus=KGR + "person/chief", hops=0)) == ["The Chief"]
    assert "Listed Corp and its neighbours within 1 hop" in render(G, focus="Listed Corp")


def test_focus_on_an_unknown_or_ambiguous_name_says_so():
    G = small_graph()
    with pytest.raises(ResolutionError, match=r"no entity named 'Listed Crop'.*'Listed Corp'"):
        find_node(G, "Listed Crop")
    entity(G, "org/listed-2", "Listed Corp")
    with pytest.raises(ResolutionError, match="names 2 entities"):
        select(G, focus="Listed Corp")


def test_class_filter_keeps_entities_of_those_classes():
    G = small_graph()
    assert labels(render(G, classes=["Person", "GovernmentBody"])) == ["Agency", "The Chief"]
    with pytest.raises(ArgumentError, match="unknown class 'Firm'"):
        render(G, classes=["Firm"])


def test_exposure_view_shows_only_the_paths_and_highlights_them():
    G = small_graph()
    paths = [[KGR + "org/listed", KGR + "org/partner"], [KGR + "org/listed", KGR + "org/supplier"]]
    data = page_data(render(G, highlight_paths=paths, paths_only=True))
    assert sorted(n["label"] for n in data["nodes"]) == ["Listed Corp", "Partner Inc", "Supplier LLC"]
    assert len(data["edges"]) == 2 and not data["options"]["physics"]["enabled"]  # the exposure map
    whole = page_data(render(G, highlight_paths=paths))
    chief = next(n for n in whole["nodes"] if n["label"] == "The Chief")
    assert chief["color"]["background"] == "#d9d9d9"  # off the paths: faded
    with pytest.raises(ResolutionError, match="path 0 names 'nowhere'"):
        render(G, highlight_paths=[["nowhere"]])


def test_path_view_drops_edges_off_the_path():
    G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    assert sorted(path_view(G, [["a", "b", "c"]]).edges()) == [("a", "b"), ("b", "c")]


def test_only_the_relationships_a_path_takes_are_drawn_thick():
    G = small_graph()
    relate(G, "org/partner", "org/listed", "supply", "supply/pl")  # a second tie, off the path
    path = [[KGR + "org/listed", KGR + "org/partner"]]
    page = render(G, highlight_paths=path, highlight_edges=[KGR + "partnership/lp"], paths_only=True)
    # the exposure map draws the steps of the paths alone: the other tie is not one
    assert [e["title"][0] for e in page_data(page)["edges"]] == ["partner: Listed Corp ↔ Partner Inc"]
    assert "every relationship shown is a step of an exposure path" in page
    both = page_data(render(G, highlight_paths=path, highlight_edges=[KGR + "partnership/lp"]))
    ids = {n["id"] for n in both["nodes"] if n["label"] in ("Listed Corp", "Partner Inc")}
    widths = {e["label"]: e["width"] for e in both["edges"] if {e["from"], e["to"]} == ids}
    assert widths == {"partner": 4.5, "supply": 1.5}


def test_measures_become_nodes_targeting_their_entities():
    G = small_graph()
    H = with_measures(G, G.graph["measures"])
    assert list(H.in_edges(KGR + "org/listed", keys=False))[-1] == (KGR + "measure/el", KGR + "org/listed")
    data = page_data(render(G, measures=True))
    measure = next(n for n in data["nodes"] if n["label"] == "Entity List addition")
    assert measure["group"] == "Measure"
    assert len(data["nodes"]) == G.number_of_nodes() + 1


def test_record_paths_from_records():
    record = {"path": [{"from": "l", "to": "x", "edges": [{"relationship": "r2"}]},
                       {"from": "x", "to": "e", "edges": [{"relationship": "r1"}]}]}
    assert record_paths([record, {"path": []}]) == [["l", "x", "e"]]
    assert exposure_edges([record]) == ["r1", "r2"]


# -- notebooks ------------------------------------------------------------------------------
def test_show_embeds_the_page_in_an_iframe_srcdoc():
    frame = show(small_graph(), height=420)
    assert isinstance(frame, InlineGraph)
    markup = frame._repr_html_()
    assert markup.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and "height:420px" in markup
    assert "<script" not in markup  # the page is an attribute value, not markup of the notebook


# -- the command ------------------------------------------------------------------------------
TINY = """\
@prefix kg: <https://w3id.org/exposure-kg/ontology#> .
@prefix country: <https://w3id.org/exposure-kg/id/country/> .
@prefix org: <https://w3id.org/exposure-kg/id/org/> .
@prefix rel: <https://w3id.org/exposure-kg/id/rel/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

country:us a kg:Country, kg:Place ; kg:isoCode "US" .
country:cn a kg:Country, kg:Place ; kg:isoCode "CN" .
org:listed a kg:Company, kg:Organization, kg:Agent ; rdfs:label "Listed Corp" ; kg:country country:cn .
org:chipco a kg:Company, kg:Organization, kg:Agent ; rdfs:label "ChipCo" ; kg:country country:us .
org:partnerco a kg:Company, kg:Organization, kg:Agent ; rdfs:label "PartnerCo" ; kg:country country:us .
org:far a kg:Company, kg:Organization, kg:Agent ; rdfs:label "Far Away Inc" ; kg:country country:us .
org:alone a kg:Company, kg:Organization, kg:Agent ; rdfs:label "Alone Ltd" ; kg:country country:cn .
rel:listing a kg:Measure, kg:ExportControlListing ; rdfs:label "A listing" ;
    kg:targets org:listed, org:alone ; kg:announcedOn "2019-10-07"^^xsd:date .
rel:chipco-listed a kg:SupplyRelationship, kg:Relationship ;
    kg:supplier org:chipco ; kg:customer org:listed ; kg:startDate "2020-01-01"^^xsd:date .
rel:listed-partnerco a kg:Partnership, kg:Relationship ; kg:partner org:listed, org:partnerco .
rel:far-chipco a kg:SupplyRelationship, kg:Relationship ; kg:supplier org:far ; kg:customer org:chipco .
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A graph file small enough to load in milliseconds: one listed firm, two US ties, one far."""
    path = tmp_path_factory.mktemp("tiny") / "graph.ttl"
    path.write_text(TINY, encoding="utf-8")
    return path


def kg_render(graph, out, *args):
    result = CliRunner().invoke(main, ["render", "--graph", str(graph), "--out", str(out), *args])
    drawn = None
    if result.exit_code == 0:
        drawn = sorted(n["label"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"])
    return result, drawn


def test_kg_render_leaves_out_entities_without_relationships(tiny, tmp_path):
    result, drawn = kg_render(tiny, tmp_path / "g.html")
    assert result.exit_code == 0, result.output
    assert drawn == ["A listing", "ChipCo", "Far Away Inc", "Listed Corp", "PartnerCo"]
    assert "leaving out 1 of 5 entities" in result.output
    result, drawn = kg_render(tiny, tmp_path / "g.html", "--isolated", "--no-measures")
    assert drawn == ["Alone Ltd", "ChipCo", "Far Away Inc", "Listed Corp", "PartnerCo"]


def test_kg_render_exposure_options(tiny, tmp_path):
    out = tmp_path / "e.html"
    assert kg_render(tiny, out, "--exposure")[1] == ["ChipCo", "Listed Corp", "PartnerCo"]
    assert kg_render(tiny, out, "--exposure", "--hops", "2")[1] == ["ChipCo", "Far Away Inc", "Listed Corp",
                                                                    "PartnerCo"]
    assert kg_render(tiny, out, "--exposure", "--relation", "partner")[1] == ["Listed Corp", "PartnerCo"]
    assert kg_render(tiny, out, "--exposure", "--as-of", "2019-12-01")[1] == ["Listed Corp", "PartnerCo"]
    assert kg_render(tiny, out, "--exposure", "--hops", "2", "--focus", "Far Away Inc")[1] == \
        ["ChipCo", "Far Away Inc", "Listed Corp"]
    measures = CliRunner().invoke(main, ["render", "--graph", str(tiny), "--exposure", "--measures"])
    assert measures.exit_code == 2 and "legend" in measures.output, measures.output
    assert "through Far Away Inc" in kg_render(tiny, out, "--exposure", "--hops", "2", "--focus", "far")[0].output \
        or "through Far Away Inc" in out.read_text(encoding="utf-8")
    result, drawn = kg_render(tiny, out, "--exposure", "--country", "CN")
    assert drawn == [] and "no exposure path matches" in result.output


@pytest.mark.parametrize("args, option, message", [
    (["--focus", "Listed Korp"], "--focus", "did you mean 'Listed Corp'"),
    (["--class", "Firm"], "--class", "unknown class 'Firm'"),
    (["--exposure", "--hops", "0"], "--hops", "at least 1 hop"),
    (["--exposure", "--country", "XX"], "--country", "XX"),
    (["--exposure", "--relation", "friendship"], "--relation", "friendship"),
    (["--exposure", "--as-of", "7 Oct 2019"], "--as-of", "YYYY-MM-DD"),
    (["--relation", "supply"], "", "add --exposure"),
])
def test_kg_render_bad_arguments_exit_2(tiny, tmp_path, args, option, message):
    out = tmp_path / "g.html"
    result, _ = kg_render(tiny, out, *args)
    assert result.exit_code == 2, result.output
    assert option in result.output and message in result.output
    assert not out.exists()


def test_kg_render_refuses_a_view_above_the_cap(tiny, tmp_path):
    out = tmp_path / "g.html"
    out.write_text("previous")
    result, _ = kg_render(tiny, out, "--max-nodes", "3")
    assert result.exit_code == 1 and "more than the limit of 3" in result.output and "--focus" in result.output
    assert out.read_text() == "previous"


def test_same_bytes_across_processes(tiny, tmp_path):
    """Hash randomisation must not reach the page: two processes, two hash seeds, one page."""
    import subprocess
    import sys

    runs = {seed: subprocess.Popen([sys.executable, "-m", "graph.cli", "render", "--graph", str(tiny),
                                    "--out", str(tmp_path / f"graph-{seed}.html")],
                                   env={**os.environ, "PYTHONHASHSEED": seed}, cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for seed in ("1", "2")}  # side by side: each waits on its own imports
    for seed, run in runs.items():
        _, error = run.communicate(timeout=120)
        assert run.returncode == 0, error.decode()
    assert (tmp_path / "graph-1.html").read_bytes() == (tmp_path / "graph-2.html").read_bytes()


@pytest.fixture(scope="module")
def seed_pages(seed_out, tmp_path_factory):
    """The two pages ``make run`` writes for the seed graph, and the projection they draw."""
    from graph import open_graph
    from graph.network import exposure

    folder = tmp_path_factory.mktemp("pages")
    graph = seed_out / "graph.trig"
    result = CliRunner().invoke(main, ["render", "--graph", str(graph), "--out", str(folder / "graph.html")])
    assert result.exit_code == 0, result.output
    # loading the seed graph takes seconds: the exposure page is drawn by the function here,
    # and the command's --exposure wiring is tested on the tiny graph
    rdf = open_graph(graph)
    G = add_names(project(rdf), rdf)
    records = exposure(G)
    paths, edges = record_paths(records), exposure_edges(records)
    render(G, folder / "exposure.html", highlight_paths=paths, highlight_edges=edges, paths_only=True)
    return {"folder": folder, "G": G, "graph": graph,
            "whole": with_measures(select(G, isolated=False), G.graph["measures"]),
            "exposure": G.subgraph({n for p in paths for n in p})}


@pytest.mark.slow  # draws every view of the full build
def test_kg_render_writes_the_seed_views(seed_pages):
    G, folder = seed_pages["G"], seed_pages["folder"]
    page = (folder / "graph.html").read_text(encoding="utf-8")
    drawn = {n["title"][-1] for n in page_data(page)["nodes"]}
    assert drawn == set(seed_pages["whole"]) and drawn
    assert "graph.trig (sha256 " in page
    # the command draws what the function draws, byte for byte
    again = render(G, build=build_label(seed_pages["graph"]), isolated=False, measures=True, max_nodes=5000,
                   start=opening(G))
    assert again == page
    exposed = {n["title"][-1] for n in page_data((folder / "exposure.html").read_text(encoding="utf-8"))["nodes"]}
    assert exposed == set(seed_pages["exposure"]) and exposed


# -- in a browser ------------------------------------------------------------------------
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
# Chromium's own background traffic (updates, sync, safe browsing) is refused by a closed
# network, noisily; these flags keep it from trying.
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions"]


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install '.[test]')"
    if not (shutil.which(CHROMIUM) or os.path.isfile(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        print(f"skipping browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class Visit:
    """One page opened offline, with what it tried to fetch, logged and raised."""

    def __init__(self, browser, path, *, wait=True):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        if wait:
            self.page.wait_for_selector("body[data-ready=true]", timeout=60_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def counts(self, frame=None) -> dict:
        target = frame or self.page
        return target.evaluate("""() => ({
            nodes: kgNetwork.body.data.nodes.length, edges: kgNetwork.body.data.edges.length,
            drawnNodes: kgNetwork.body.nodeIndices.length, drawnEdges: kgNetwork.body.edgeIndices.length})""")

    def assert_clean(self):
        assert self.requests == [], f"the page tried to fetch {self.requests}"
        assert self.console == [], self.console
        assert self.dialogs == []


def expected(view: nx.MultiDiGraph) -> dict:
    """What the page must hold: every entity, and every relationship once (symmetric ones once)."""
    edges = {(k, frozenset((u, v))) if d.get("direction") == "symmetric" else (k, u, v)
             for u, v, k, d in view.edges(keys=True, data=True)}
    n, m = view.number_of_nodes(), len(edges)
    return {"nodes": n, "edges": m, "drawnNodes": n, "drawnEdges": m}


@pytest.mark.browser
def test_seed_pages_draw_every_entity_and_relationship_offline(browser, seed_pages):
    for name, view in (("graph.html", seed_pages["whole"]), ("exposure.html", seed_pages["exposure"])):
        visit = Visit(browser, seed_pages["folder"] / name)
        if name == "graph.html":  # the page opens on part of it; "show everything" draws the rest
            assert int(visit.page.get_attribute("body", "data-shown")) < view.number_of_nodes()
            visit.page.check("#everything")
        assert visit.counts() == expected(view), name
        assert visit.page.title().startswith("exposure-kg: ")
        visit.assert_clean()


@pytest.mark.browser
def test_hostile_names_run_nothing_and_show_as_text(browser, tmp_path):
    G = small_graph()
    entity(G, "org/evil", HOSTILE)
    relate(G, "org/evil", "org/listed", "supply", "supply/evil", quote=HOSTILE, title=HOSTILE)
    out = tmp_path / "hostile.html"
    render(G, out, title=HOSTILE, build=HOSTILE)
    visit = Visit(browser, out)
    page = visit.page
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.title() == HOSTILE
    assert page.inner_text("h1") == HOSTILE
    assert visit.counts() == expected(G)

    # hover the hostile entity: its tooltip is its name as characters, with no markup in it
    evil = page.evaluate("""() => {
        const id = kgNetwork.body.data.nodes.get().find(n => n.title.textContent.startsWith('<script>')).id;
        const p = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
        const box = document.getElementById('graph').getBoundingClientRect();
        return {x: p.x + box.left, y: p.y + box.top};
    }""")
    page.mouse.move(evil["x"], evil["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    tooltip = page.evaluate("""() => {
        const t = document.querySelector('div.vis-tooltip');
        return {text: t.innerText, elements: t.querySelectorAll('*').length};
    }""")
    assert tooltip["text"].startswith(HOSTILE)
    assert tooltip["elements"] == 1  # the one text-only div the page made
    assert page.evaluate("() => window.__pwned") is None
    visit.assert_clean()


@pytest.mark.browser
def test_large_view_settles_with_its_precomputed_layout(browser, tmp_path):
    G = grid(2000)
    out = tmp_path / "large.html"
    render(G, out)
    visit = Visit(browser, out)
    assert visit.counts() == expected(G)
    assert visit.page.evaluate("() => kgNetwork.physics.physicsEnabled") is False
    visit.assert_clean()


@pytest.mark.browser
def test_notebook_iframe_srcdoc_draws_the_same_graph(browser, tmp_path):
    G = small_graph()
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{show(G, height=500)._repr_html_()}</body></html>",
                    encoding="utf-8")
    visit = Visit(browser, host, wait=False)
    frame = visit.page.frames[1]
    frame.wait_for_selector("body[data-ready=true]", timeout=60_000)
    assert visit.counts(frame) == expected(G)
    visit.assert_clean()


@pytest.mark.browser
def test_empty_view_settles_and_says_so(browser, tmp_path):
    out = tmp_path / "empty.html"
    render(small_graph(), out, highlight_paths=[], paths_only=True)
    visit = Visit(browser, out)
    assert visit.counts() == {"nodes": 0, "edges": 0, "drawnNodes": 0, "drawnEdges": 0}
    assert "nothing to show" in visit.page.inner_text("#status")
    visit.assert_clean()


@pytest.mark.browser
def test_focus_page_draws_the_neighbourhood(browser, tmp_path):
    G = small_graph()
    out = tmp_path / "focus.html"
    render(G, out, focus="Listed Corp")
    visit = Visit(browser, out)
    assert visit.counts() == expected(select(G, focus="Listed Corp"))
    visit.assert_clean()


def node_on_screen(page, iri: str) -> dict:
    """Where the node of ``iri`` is drawn, in page coordinates, and the canvas's centre."""
    return page.evaluate("""(iri) => {
        const id = kgNetwork.body.data.nodes.get().find(n => n.iri === iri).id;
        const p = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
        const box = document.getElementById('graph').getBoundingClientRect();
        return {x: p.x + box.left, y: p.y + box.top,
                cx: box.left + box.width / 2, cy: box.top + box.height / 2};
    }""", iri)


def faded_count(page) -> int:
    return page.evaluate("""() => kgNetwork.body.data.nodes.get().filter(
        n => !n.hidden && n.color && n.color.background === '#d9d9d9').length""")


@pytest.mark.browser
def test_search_hikvision_centres_and_highlights_its_neighbourhood(browser, seed_pages):
    G = seed_pages["G"]
    hikvision = find_node(G, "Hikvision")
    visit = Visit(browser, seed_pages["folder"] / "graph.html")
    page = visit.page
    page.fill("#search", "hikvis")
    first = page.locator("#matches li").first
    assert first.inner_text().startswith("Hikvision")
    page.keyboard.press("Enter")
    assert page.get_attribute("body", "data-selected") == hikvision
    where = node_on_screen(page, hikvision)
    assert abs(where["x"] - where["cx"]) < 5 and abs(where["y"] - where["cy"]) < 5  # centred
    near = set(page.get_attribute("body", "data-neighbourhood").split())
    drawn = seed_pages["whole"]
    assert near == {hikvision, *drawn.predecessors(hikvision), *drawn.successors(hikvision)}
    assert faded_count(page) > 0  # the rest fades
    assert page.evaluate("() => kgNetwork.getSelectedNodes().length") == 1
    assert "Hikvision" in page.inner_text("#details")
    visit.assert_clean()


@pytest.mark.browser
def test_clicking_a_node_highlights_its_neighbourhood_and_fades_the_rest(browser, seed_pages):
    G = seed_pages["G"]
    sensetime = find_node(G, "SenseTime")
    visit = Visit(browser, seed_pages["folder"] / "graph.html")
    page = visit.page
    assert faded_count(page) == 0
    where = node_on_screen(page, sensetime)
    page.evaluate("(iri) => { const n = kgNetwork.body.data.nodes.get().find(n => n.iri === iri);"
                  " kgNetwork.moveTo({position: kgNetwork.getPositions([n.id])[n.id], scale: 1.5, animation: false}); }",
                  sensetime)
    where = node_on_screen(page, sensetime)
    page.mouse.click(where["x"], where["y"])
    assert page.get_attribute("body", "data-selected") == sensetime
    near = set(page.get_attribute("body", "data-neighbourhood").split())
    drawn = seed_pages["whole"]
    assert near == {sensetime, *drawn.predecessors(sensetime), *drawn.successors(sensetime)}
    assert find_node(G, "Qualcomm") in near
    assert faded_count(page) > 0
    page.click("#clear")
    assert page.get_attribute("body", "data-selected") == "" and faded_count(page) == 0
    visit.assert_clean()


@pytest.mark.browser
def test_filters_keep_one_country(browser, seed_pages):
    visit = Visit(browser, seed_pages["folder"] / "graph.html")
    page = visit.page
    page.check("#everything")
    page.select_option("#filter-country", "US")
    countries = page.evaluate("() => kgNetwork.body.data.nodes.get().filter(n => !n.hidden).map(n => n.country)")
    assert countries and set(countries) == {"US"}
    visit.assert_clean()


@pytest.mark.browser
def test_pyvis_page_is_offline_and_a_hostile_label_inert(browser, tmp_path):
    G = small_graph()
    entity(G, "org/evil", HOSTILE)
    relate(G, "org/evil", "org/listed", "supply", "supply/evil", quote=HOSTILE, title=HOSTILE)
    net = to_pyvis(G)
    net.add_node("extra", label=HOSTILE, title=HOSTILE)  # tuned with pyvis's own API
    net.add_edge("extra", net.nodes[0]["id"])
    net.toggle_physics(False)
    out = tmp_path / "pyvis.html"
    write_pyvis(net, out)
    visit = Visit(browser, out)
    page = visit.page
    assert visit.counts()["drawnNodes"] == G.number_of_nodes() + 1
    assert page.evaluate("() => kgNetwork.physics.physicsEnabled") is False
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    page.fill("#search", "script")
    assert page.locator("#matches li").count() == 2
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.__pwned") is None
    visit.assert_clean()
