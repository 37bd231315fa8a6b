"""One tie, one relationship: sources that state the same tie become one relationship with every source."""

from __future__ import annotations

import shutil

import pytest

from graph import build, open_graph
from graph.network import exposure, project
from graph.network.report import path_text
from graph.model.ontology import KGR


@pytest.fixture(scope="module")
def ties(tmp_path_factory, data_dir):
    """The article, its facts, the reference table and the supplier table (no lists)."""
    root = tmp_path_factory.mktemp("ties")
    for folder in ("articles", "facts", "reference", "relationships"):
        shutil.copytree(data_dir / folder, root / "data" / folder)
    build([root / "data"], root / "out")
    return project(open_graph(root / "out" / "graph.trig"))


def _edges(G, a, b, kind):
    u, v = str(KGR[a]), str(KGR[b])
    return [d for x, y, d in G.edges(data=True) if {x, y} == {u, v} and d["kind"] == kind]


def test_the_article_and_the_table_state_one_partnership(ties):
    partnerships = {d["relationship"] for d in _edges(ties, "org/sensetime", "org/nvidia", "partner")}
    assert len(partnerships) == 1
    [edge] = _edges(ties, "org/sensetime", "org/nvidia", "partner")[:1]
    files = {s["file"] for s in edge["sources"]}
    assert files == {"articles/lesechos-2019-10-08.txt", "relationships/suppliers.tsv"}


def test_a_path_names_each_kind_of_tie_once(ties):
    records = exposure(ties, country="US")
    paths = {(r["listed"]["label"], r["exposed"]["label"]): path_text(r) for r in records}
    assert paths[("SenseTime", "Nvidia")] == "SenseTime -partner-,<-supply- Nvidia"
    # "Hikvision Research Institute" is Hikvision: its Nvidia supply row is the same tie as Hikvision's
    assert paths[("Hikvision", "Nvidia")] == "Hikvision -partner-,<-supply- Nvidia"


def test_different_kinds_and_directions_stay_apart(ties):
    assert len({d["relationship"] for d in _edges(ties, "org/sensetime", "org/nvidia", "supply")}) == 1
    assert _edges(ties, "org/sensetime", "org/nvidia", "partner")[0]["relationship"] != \
        _edges(ties, "org/sensetime", "org/nvidia", "supply")[0]["relationship"]
