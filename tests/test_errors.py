"""One kind of mistake, one exception type: an unknown format is a FormatError wherever it is asked for."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph

from graph.errors import BuildError, ExposureKGError, FormatError
from graph.outputs.export import export
from graph.io.files import serialize
from graph.screening.diff import format_diff
from graph.network import format_exposure
from graph.network.report import format_ownership
from graph.screening.screen import format_screen
from graph.store.sparql import QueryResult, format_result
from graph.store.backends import open_graph


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


# -- what the user gave, named back with the kinds accepted: one line, exit 1 or 2 ----------
@pytest.mark.parametrize("argv, said", [
    (["exposure", "--store", "foo:bar"], "'foo:bar' names an unknown kind of store 'foo'"),
    (["query", "ban-binds", "--graph", "mongodb://db/kg"], "'mongodb://db/kg' names an unknown kind of store 'mongodb'"),
    (["exposure", "--graph", "https://example.org/kg"], "a SPARQL server is sparql:URL"),
])
def test_a_store_spec_of_an_unknown_kind_is_named_with_the_kinds_accepted(argv, said):
    from click.testing import CliRunner

    from graph.cli import main

    result = CliRunner().invoke(main, argv)
    assert result.exit_code in (1, 2), result.output
    assert said in result.output
    assert "oxigraph:FOLDER" in result.output and "sparql:URL" in result.output
    assert "Traceback" not in result.output and "mongodb:/db" not in result.output


def test_a_folder_where_a_file_is_expected_says_so(tmp_path):
    from click.testing import CliRunner

    from graph.cli import main

    folder = tmp_path / "counterparties"
    folder.mkdir()
    screened = CliRunner().invoke(main, ["screen", f"{folder}/", "--graph", f"{folder}/"])
    assert screened.exit_code == 1, screened.output
    assert "is a folder" in screened.output and "does not exist" not in screened.output
    queried = CliRunner().invoke(main, ["query", "ban-binds", "--graph", str(folder)])
    assert queried.exit_code == 1
    assert "is a folder, not a graph file" in queried.output and "oxigraph:FOLDER" in queried.output
