"""Tables an analyst can filter: the long exposure form, and no CSV cell a spreadsheet runs."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from graph import build
from graph.cli import main
from graph.network.report import LONG_COLUMNS
from graph.io.tables import FORMULA_PREFIXES, safe_cell, shown, write_csv
from tests.conftest import DATA

HOSTILE = "=2+5+cmd|' /C calc'!A0"
HEADER = "supplier\tcustomer\trelation\tyear\tsource\tbasis\tstrength\n"


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_safe(text: str) -> None:
    unsafe = [c for c in _cells(text) if c.startswith(FORMULA_PREFIXES)]
    assert not unsafe, f"cells a spreadsheet would evaluate: {unsafe}"


@pytest.mark.parametrize("value", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_prefix_is_escaped(value):
    escaped = "'" + value.replace("\r", "\n")  # a carriage return in a cell is a line break, quoted
    assert safe_cell(value) == escaped
    assert _cells(write_csv([{"a": value}], ["a"]))[1] == escaped


def test_plain_text_and_numbers_pass_unchanged():
    assert _cells(write_csv([("Hikvision", 0.7, None, 3)], ["a", "b", "c", "d"]))[4:] == ["Hikvision", "0.7", "", "3"]


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    """The seed's own sources plus a supplier row whose supplier and basis are formulas."""
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    for folder in ("articles", "facts", "reference"):
        shutil.copytree(DATA / folder, root / "data" / folder)
    (root / "data" / "relationships").mkdir()
    (root / "data" / "relationships" / "suppliers.tsv").write_text(
        HEADER + f"{HOSTILE}\tHikvision\tsupplier_of\t2019\thttps://example.org/a\t@analyst\tstrong\n",
        encoding="utf-8")
    build([root / "data"], root / "out")
    return root / "out"


@pytest.mark.parametrize("args", [
    ["exposure", "--country", "any", "--format", "csv"],
    ["exposure", "--country", "any", "--format", "csv", "--long"],
    ["query", "SELECT ?name WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }", "--format", "csv"],
])
def test_cli_csv_writes_a_hostile_name_safely(hostile_out, args):
    result = CliRunner().invoke(main, [*args, "--graph", str(hostile_out / "graph.trig")])
    assert result.exit_code == 0, result.output
    _assert_safe(result.stdout)
    assert "'" + HOSTILE in _cells(result.stdout)


def test_saved_exposure_csv_is_safe(hostile_out, tmp_path):
    for extra in ([], ["--long"]):
        saved = tmp_path / f"exposure{len(extra)}.csv"
        result = CliRunner().invoke(main, ["exposure", "--graph", str(hostile_out / "graph.trig"), "--country", "any",
                                           "--save", str(saved), *extra])
        assert result.exit_code == 0, result.output
        text = saved.read_text(encoding="utf-8")
        _assert_safe(text)
        assert "'" + HOSTILE in _cells(text)


def test_long_csv_filters_by_list_in_pandas(seed_out):
    pandas = pytest.importorskip("pandas")
    result = CliRunner().invoke(main, ["exposure", "--graph", str(seed_out / "graph.trig"), "--long", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = "".join(line for line in result.stdout.splitlines(True) if not line.lstrip('"').startswith("#"))
    frame = pandas.read_csv(io.StringIO(table), keep_default_na=False)
    assert tuple(frame.columns) == LONG_COLUMNS
    entity_list = frame[frame["list"] == "Entity List"]
    assert not entity_list.empty and len(entity_list) < len(frame)
    # one row per (listed, exposed, measure, source): one list, one date in force, one URL a row
    assert set(entity_list["in_force"]) == {"2019-10-09"}
    assert set(entity_list["legal_basis"]) == {"84 FR 54002"}
    hikvision_suppliers = entity_list[(entity_list["listed_label"] == "Hikvision")
                                      & (entity_list["relationship_kind"] == "supply")]
    assert {"Intel", "Nvidia", "Ambarella"} <= set(hikvision_suppliers["exposed_label"])
    assert hikvision_suppliers["url"].str.startswith("https://").all()
    # a table row's title says what the source is (who reported it, where), not the file name
    assert not hikvision_suppliers["source_title"].str.contains("suppliers.tsv").any()
    assert (hikvision_suppliers["basis"] != "").all()
    assert (hikvision_suppliers["file"] == "relationships/suppliers.tsv").all()
    assert (hikvision_suppliers["row"] != "").all()


def test_long_csv_row_is_a_whole_number_on_every_row_and_points_at_the_evidence(seed_out):
    pandas = pytest.importorskip("pandas")
    graph = str(seed_out / "graph.trig")
    result = CliRunner().invoke(main, ["exposure", "--graph", graph, "--long", "--format", "csv"])
    assert result.exit_code == 0, result.output
    # read as docs/screening.md shows an analyst, with pandas' defaults once the `#` lines naming
    # the list versions are set apart: a blank cell would make the column float
    assert result.stdout.startswith("# lists used")
    table = "".join(line for line in result.stdout.splitlines(keepends=True) if not line.lstrip('"').startswith("#"))
    frame = pandas.read_csv(io.StringIO(table))
    assert str(frame["row"].dtype) == "int64" and str(frame["hops"].dtype) == "int64"
    texts = frame[frame["file"].str.endswith(".txt")]
    tables = frame[~frame["file"].str.endswith(".txt")]
    assert not texts.empty and not tables.empty, "data/ gives evidence from the article and from tables"
    for record in frame.drop_duplicates(["file", "row", "quote"]).itertuples():
        text = (DATA / record.file).read_text(encoding="utf-8")
        if record.file.endswith(".txt"):  # the line of the article where the quote starts
            starts = [i for i in range(len(text)) if text.startswith(record.quote, i)]
            assert record.row in {text.count("\n", 0, i) + 1 for i in starts}, record
        else:  # a table's row as a spreadsheet numbers it: the header is row 1
            assert record.row >= 2 and text.split("\n")[record.row - 1].strip(), record
    rows = json.loads(CliRunner().invoke(main, ["exposure", "--graph", graph, "--long", "--format", "json"]).stdout)["rows"]
    assert all(type(r["row"]) is int and type(r["hops"]) is int for r in rows)
    assert [r["row"] for r in rows] == list(frame["row"])
    # the table a reader prints names the same place: the article's line, the table's row
    printed = CliRunner().invoke(main, ["exposure", "--graph", graph]).stdout
    places = re.findall(r"\[([^,;\]]+\.(?:txt|tsv|csv))(?:, (row|line) (\d+))?", printed)
    assert places and all(kind == ("line" if file.endswith(".txt") else "row") for file, kind, _n in places), places
    assert {(file, int(n)) for file, _kind, n in places} == set(zip(frame["file"], frame["row"]))


def test_long_json_has_the_same_rows(seed_out):
    graph = str(seed_out / "graph.trig")
    rows = json.loads(CliRunner().invoke(main, ["exposure", "--graph", graph, "--long", "--format", "json"]).stdout)["rows"]
    lines = CliRunner().invoke(main, ["exposure", "--graph", graph, "--long", "--format", "csv"]).stdout
    table = [line for line in lines.splitlines() if not line.lstrip('"').startswith("#")]  # the lists named atop
    assert len(rows) == len(list(csv.DictReader(table))) > 0
    assert set(rows[0]) == set(LONG_COLUMNS)


@pytest.mark.parametrize("raw, seen", [
    ("Acme\x1b[2J", "Acme\\x1b[2J"),  # clears the screen
    ("\x1b]8;;https://evil.example\x1b\\Hikvision\x1b]8;;\x1b\\",  # an OSC 8 link showing other text
     "\\x1b]8;;https://evil.example\\x1b\\Hikvision\\x1b]8;;\\x1b\\"),
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),  # right-to-left override
    ("a\u2066b\u2069\u200f", "a\\u2066b\\u2069\\u200f"),
    ("Xi\x92an", "Xi\\x92an"),  # a C1 control, as in a real list
    ("line\rover", "line\\x0dover"),
    ("Hikvision 海康威视 Ltd.", "Hikvision 海康威视 Ltd."),  # other text unchanged
])
def test_shown_makes_control_and_direction_characters_visible(raw, seen):
    assert shown(raw) == seen


def test_terminal_tables_show_escapes_not_run_them(tmp_path):
    nt = tmp_path / "g.nt"
    nt.write_text('<https://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "Acme\\u001B[2J\\u202Eevil" .\n',
                  encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "SELECT ?n { ?s ?p ?n }", "--graph", str(nt)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "Acme\\x1b[2J\\u202eevil" in result.stdout
