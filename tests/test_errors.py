"""One kind of mistake, one exception type: an unknown format is a FormatError wherever it is asked for."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph

from graph.errors import BuildError, ExposureKGError, FormatError
from graph.export import export
from graph.files import serialize
from graph.diff import format_diff
from graph.network import format_exposure
from graph.network.report import format_ownership
from graph.screen import format_screen
from graph.sparql import QueryResult, format_result
from graph.store import open_graph


def _graph_file(tmp_path):
    path = tmp_path / "graph.xml"
    path.write_text("<rdf/>")
    return path


CASES = {
    "query result": lambda tmp_path: format_result(QueryResult(["x"]), "xlsx"),
    "export": lambda tmp_path: export(Dataset(), "xlsx"),
    "exposure report": lambda tmp_path: format_exposure([], "xlsx"),
    "serialisation": lambda tmp_path: serialize(Graph(), "xlsx"),
    "graph file": lambda tmp_path: open_graph(_graph_file(tmp_path)),
    "screening report": lambda tmp_path: format_screen([], "pdf"),  # xlsx is one of its formats
    "diff report": lambda tmp_path: format_diff({}, "xlsx"),
    "ownership report": lambda tmp_path: format_ownership({}, "xlsx"),
}


@pytest.mark.parametrize("where", sorted(CASES))
def test_an_unknown_format_is_a_format_error_everywhere(where, tmp_path):
    with pytest.raises(FormatError, match=r"xlsx|\.xml") as caught:
        CASES[where](tmp_path)
    assert "use one of" in str(caught.value) or "writes" in str(caught.value)
    # library users who catch the package's base class, or ValueError, still catch it
    assert isinstance(caught.value, ExposureKGError) and isinstance(caught.value, ValueError)


def test_a_build_error_lists_each_violation_on_its_own_line():
    error = BuildError(["kgr:measure/x kg:targets: A measure needs at least one target."])
    assert str(error).splitlines() == [
        "the graph has 1 violation(s); out/ was left as it was:",
        "  kgr:measure/x kg:targets: A measure needs at least one target.",
    ]
