"""The notebooks: committed without outputs, and run top to bottom by a real Jupyter kernel.

Each notebook runs in a temporary copy of the project (``data/`` and ``notebooks/``), with a
kernel started from this interpreter, so that the repository's ``out/`` is never touched. The
first runs from ``notebooks/`` and writes under the copy's ``out/notebooks/``; the second runs
from the copy's root and writes where ``EXPOSURE_KG_OUT`` says, reusing the graph the first
built. What a reader would check in the
outputs is compared with what the graph itself answers, never with typed-in results.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from graph.network import exposure, project
from graph.model.ontology import KGR
from graph.outputs.render import find_node
from graph.store.sparql import get_query, run_query

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPLORE = "01-explore.ipynb"
ANALYSIS = "02-exposure-analysis.ipynb"
KERNEL = "exposure-kg-tests"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # tracebacks come coloured from the kernel


# -- committed clean ------------------------------------------------------------------------
def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted([EXPLORE, ANALYSIS])


@pytest.mark.parametrize("name", [EXPLORE, ANALYSIS])
def test_committed_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(nb.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{name}: cells {dirty} keep outputs or execution counts; clear them before committing"
    assert not any("widgets" in cell.metadata for cell in nb.cells)
    assert nb.metadata.get("kernelspec", {}).get("language") == "python"


# -- executed --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """A copy of data/ and notebooks/, and what the repository's out/ held before the runs."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    return {"root": root, "files": _files(root), "repo_out": _files(ROOT / "out"),
            "elsewhere": tmp_path_factory.mktemp("elsewhere") / "notebook-out"}


@pytest.fixture(scope="module")
def explore(project_copy, tmp_path_factory):
    """01 executed from the copy's notebooks/ folder, writing under the copy's out/."""
    root = project_copy["root"]
    return _execute(root / "notebooks" / EXPLORE, cwd=root / "notebooks", kernels=tmp_path_factory.mktemp("kernels"))


@pytest.fixture(scope="module")
def analysis(project_copy, explore, tmp_path_factory):
    """02 executed from the copy's root, writing where EXPOSURE_KG_OUT says.

    The graph 01 built is put there first (with its time stamp), as 02 would find it under
    out/notebooks/ after 01: 02 reuses an up-to-date graph instead of building it again.
    """
    root = project_copy["root"]
    project_copy["elsewhere"].mkdir(parents=True)
    shutil.copy2(root / "out" / "notebooks" / "graph.trig", project_copy["elsewhere"] / "graph.trig")
    return _execute(root / "notebooks" / ANALYSIS, cwd=root, kernels=tmp_path_factory.mktemp("kernels"),
                    out=project_copy["elsewhere"])


@pytest.mark.notebooks
def test_notebooks_write_only_under_their_output_folder(project_copy, explore, analysis):
    root = project_copy["root"]
    after = _files(root)
    outside = {p: s for p, s in after.items() if not p.startswith("out/")}
    assert outside == project_copy["files"], "a notebook wrote (or changed) files outside out/"
    assert "out/notebooks/graph.trig" in after
    assert "reusing graph.trig" in _text(analysis, "build")
    assert not (root / "out" / "notebooks" / "nvidia-exposure.html").exists()
    assert _files(ROOT / "out") == project_copy["repo_out"], "running the notebooks changed the repository's out/"


@pytest.mark.notebooks
def test_explore_counts_classes_and_sources(explore, seed_graph):
    nb = explore
    classes = _text(nb, "classes")
    for cls in ("kg:Company", "kg:ExportControlListing", "kg:Evidence"):
        assert cls in classes
    sources = _text(nb, "sources")
    for g in seed_graph.graphs():
        if len(g) and "/id/source/" in str(g.identifier):
            assert "kgr:source/" + str(g.identifier).rsplit("/source/", 1)[1] in sources


@pytest.mark.notebooks
def test_explore_answers_every_competency_question(explore):
    nb = explore
    markdown = _text(nb, "queries", mime="text/markdown")
    for name in ("listing-targets", "measures-targeting", "positions", "measure-concerns",
                 "fact-sources", "stock-listings", "ban-binds"):
        assert f"`{name}`" in markdown
    tables = _text(nb, "queries")
    assert "Wilbur Ross" in tables and "Secretary of Commerce" in tables
    assert "SenseTime" in tables


@pytest.mark.notebooks
def test_explore_shows_quotes_where_the_offsets_point(explore, seed_graph):
    nb = explore
    shown = _text(nb, "quote-in-text")
    G = project(seed_graph)
    nvidia, sensetime = find_node(G, "Nvidia"), find_node(G, "SenseTime")
    facts = {d["relationship"] for _, _, d in G.edges(nvidia, data=True) if d["kind"] == "partner"} & {
        d["relationship"] for _, _, d in G.edges(sensetime, data=True) if d["kind"] == "partner"}
    evidence = [e for fact in sorted(facts)
                for e in run_query(seed_graph, get_query("fact-sources"), {"fact": fact}).records()]
    quotes = [e["quote"] for e in evidence if e["quote"]]
    rows = [e for e in evidence if e["row"]]
    assert quotes and rows, "the example fact should have a quote and a table row"
    for quote in quotes:
        assert f"»{quote}«" in shown
    for e in rows:
        line = (ROOT / "data" / e["file"]).read_text(encoding="utf-8").splitlines()[int(e["row"]) - 1]  # row 1 is the header
        assert line in shown


@pytest.mark.notebooks
def test_explore_exposure_and_inline_view(explore, project_copy, seed_graph):
    nb = explore
    G = project(seed_graph)
    k1 = exposure(G, hops=1)
    table = _text(nb, "exposure-k1")
    assert f"k = 1: {len(k1)} (listed, exposed) pairs" in table
    for label in {r["exposed"]["label"] for r in k1}:
        assert label in table
    two_hops = [r for r in exposure(G, hops=2, country=None) if r["hops"] == 2]
    assert f"{len(two_hops)} of them two hops apart" in _text(nb, "exposure-k2")
    frame = _text(nb, "render", mime="text/html")
    assert frame.startswith("<iframe srcdoc=") and "vis-network" in frame
    assert (project_copy["root"] / "out" / "notebooks" / "exposure-k1.html").is_file()


@pytest.mark.notebooks
def test_analysis_lists_nvidia_exposure_with_sources(analysis, seed_graph):
    nb = analysis
    G = project(seed_graph)
    nvidia = [r for r in exposure(G, hops=2) if r["exposed"]["label"] == "Nvidia"]
    table = _text(nb, "nvidia-exposure")
    assert "SenseTime" in table
    for r in nvidia:
        assert r["listed"]["label"] in table
    edges = _text(nb, "edge-sources", mime="text/html")
    urls = {s["url"] for r in nvidia for step in r["path"] for e in step["edges"] for s in e["sources"]}
    for url in urls - {None}:
        assert url in edges
    assert "SenseTime est partenaire de Qualcomm et de Nvidia" in _text(nb, "article-check")
    assert "reference-organizations" in _text(nb, "country")


@pytest.mark.notebooks
def test_analysis_compares_before_and_after_the_listing(analysis, seed_graph):
    G = project(seed_graph)
    listing = G.graph["measures"][str(KGR["measure/entity-list-2019-10"])]
    announced = date.fromisoformat(listing["announced"])
    days = sorted({announced - timedelta(days=1), announced, date.fromisoformat(listing["start"] or listing["announced"])})
    assert str(announced) == "2019-10-07"

    def listed(day):
        return {r["listed"]["label"] for r in exposure(G, hops=2, as_of=day) if r["exposed"]["label"] == "Nvidia"}

    first, *later = days
    shown = _text(analysis, "before-after").splitlines()
    assert f"exposed on {first}: {', '.join(sorted(listed(first), key=str.casefold))}" in shown
    for day in later:
        new = sorted(listed(day) - listed(first), key=str.casefold)
        assert f"new on {day}: {', '.join(new) or 'none'}" in shown
    assert "SenseTime" in listed(days[-1]) - listed(first), "the listing should add SenseTime to Nvidia's exposure"
    assert "SenseTime" not in listed(first)


@pytest.mark.notebooks
def test_analysis_draws_its_chart(analysis, project_copy):
    nb = analysis
    chart = [o for o in _cell(nb, "chart").outputs if "image/png" in o.get("data", {})]
    assert chart, "the chart cell shows no image"
    png = project_copy["elsewhere"] / "exposed-firms-per-listed-entity.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (project_copy["elsewhere"] / "nvidia-exposure.html").is_file()


@pytest.mark.notebooks
def test_analysis_shows_the_exposure_map_inline_as_the_cli_draws_it(analysis, project_copy):
    import re

    shown = [o["data"]["image/svg+xml"] for o in _cell(analysis, "map").outputs if "image/svg+xml" in o.get("data", {})]
    assert shown, "the map cell shows no SVG"
    svg = "".join(shown) if isinstance(shown[0], str) else "".join(shown[0])
    written = (project_copy["elsewhere"] / "nvidia-exposure.svg").read_text(encoding="utf-8")
    assert "<script" not in written and "Nvidia" in written
    x = {m.group(2): float(m.group(1)) for m in re.finditer(r'<text x="(-?\d+)"[^>]*>([^<]+)</text>', written)}
    assert x["Nvidia"] > max(x[name] for name in ("SenseTime", "Huawei") if name in x)
    assert "Nvidia" in svg


@pytest.mark.notebooks
def test_analysis_shows_the_cli_map_as_a_pyvis_network_inline(analysis, project_copy, seed_graph):
    import html

    from graph.outputs.render import exposure_edges, record_paths, render

    printed = _text(analysis, "render")
    assert "pyvis.network.Network" in printed and "physics off" in printed
    frame = _text(analysis, "render", mime="text/html")
    assert frame.startswith('<iframe srcdoc="')
    page = html.unescape(frame.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert page == (project_copy["elsewhere"] / "nvidia-exposure.html").read_text(encoding="utf-8")
    # the project's template: nothing fetched, names as JSON data, not markup
    assert "default-src 'none'" in html.unescape(page) and not re.search(r'(src|href)="(https?:)?//', page)
    shown = _graph_data(page)
    assert shown["options"]["physics"]["enabled"] is False
    # the map `kg render --exposure` draws of the same records: same entities at the same places
    G = project(seed_graph)
    records = [r for r in exposure(G, hops=2) if r["exposed"]["label"] == "Nvidia"]
    cli = _graph_data(render(G, highlight_paths=record_paths(records), highlight_edges=exposure_edges(records),
                             paths_only=True))
    assert _places(shown) == _places(cli)
    assert sorted((e["from"], e["to"], e.get("label")) for e in shown["edges"]) == \
        sorted((e["from"], e["to"], e.get("label")) for e in cli["edges"])
    x = {label: place[0] for label, place in _places(shown).items()}
    assert all(x[r["listed"]["label"]] < x["Nvidia"] for r in records if r["hops"] == 1)


# -- private helpers -------------------------------------------------------------------------
def _graph_data(page: str) -> dict:
    return json.loads(page.split('<script type="application/json" id="graph-data">', 1)[1].split("</script>", 1)[0])


def _places(data: dict) -> dict[str, tuple]:
    return {n["label"]: (n["x"], n["y"]) for n in data["nodes"]}


def _execute(path: Path, *, cwd: Path, kernels: Path, out: Path | None = None):
    """Run a notebook with a kernel of this interpreter; fail the test on any cell's error."""
    spec = kernels / KERNEL
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "exposure-kg tests", "language": "python"}))
    manager = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    env = {k: v for k, v in os.environ.items() if k not in ("EXPOSURE_KG_OUT", "MPLBACKEND")}
    env.update({"PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"})
    if out is not None:
        env["EXPOSURE_KG_OUT"] = str(out)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, km=manager, timeout=120, resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(env=env)
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{_ANSI.sub('', str(exc))}")
    return nb


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cell(nb, tag: str):
    found = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(found) == 1, f"no single cell tagged {tag!r}"
    return found[0]


def _text(nb, tag: str, mime: str = "text/plain") -> str:
    """Everything a cell printed or displayed, in one MIME type (streams count as text)."""
    parts = []
    for output in _cell(nb, tag).outputs:
        if output.output_type == "stream" and mime == "text/plain":
            parts.append(output.text)
        elif mime in output.get("data", {}):
            parts.append(output["data"][mime])
    return "\n".join(parts)
