"""Bad rows, not bad builds: the shared list-table reading of graph/sources/_lists.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError
from graph.sources import reader_for
from graph.model.statements import Ref

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "data" / "lists"
CSL_HEADER = (LISTS / "watchman_cslustest_consolidated_sample.csv").read_text(encoding="utf-8").splitlines()[0]


def _csl_row(name: str, *, source: str = "Entity List (EL) - Bureau of Industry and Security",
             start: str = "2020-06-05", addresses: str = "1 Main Road, Shenzhen, CN") -> str:
    cells = [""] * 29
    cells[0], cells[1], cells[5], cells[7], cells[8], cells[9] = "x" + name[:3], source, name, addresses, "85 FR 34495", start
    return ",".join(f'"{c}"' for c in cells)


def _read(path: Path):
    reader = reader_for(path)
    assert reader is not None, f"no reader claims {path.name}"
    [batch] = reader.read(path, path.parent)
    return batch


def test_repeated_header_row_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "csl.csv"
    path.write_text("\n".join([CSL_HEADER, _csl_row("Acme Optics"), CSL_HEADER, _csl_row("Borealis Tools")]) + "\n",
                    encoding="utf-8")
    batch = _read(path)
    assert batch.counts == {"read": 3, "kept": 2, "skipped": 1}
    assert batch.warnings == ["csl.csv, row 3: repeats the header row; row skipped"]


def test_empty_name_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "csl.csv"
    path.write_text("\n".join([CSL_HEADER, _csl_row(""), _csl_row("Acme Optics")]) + "\n", encoding="utf-8")
    batch = _read(path)
    assert batch.counts == {"read": 2, "kept": 1, "skipped": 1}
    assert "csl.csv, row 2: empty 'name'; row skipped" in batch.warnings


def test_unknown_column_is_ignored_with_a_warning(tmp_path):
    path = tmp_path / "csl.csv"
    path.write_text("\n".join([CSL_HEADER + ",risk_score", _csl_row("Acme Optics") + ',"9"']) + "\n",
                    encoding="utf-8")
    batch = _read(path)
    assert batch.counts["kept"] == 1
    assert batch.warnings == ["csl.csv: unknown column(s) ['risk_score'] ignored"]


def test_wrong_encoding_is_read_as_windows_1252_with_a_warning(tmp_path):
    path = tmp_path / "csl.csv"
    text = "\n".join([CSL_HEADER, _csl_row("Acme Optics"), _csl_row("Société Générale Optique")]) + "\n"
    path.write_bytes(text.encode("cp1252"))
    batch = _read(path)
    assert batch.counts["kept"] == 2
    assert any("line 3 is not UTF-8; read as Windows-1252" in w for w in batch.warnings)
    labels = {label.text for s in batch.statements for label in s.labels}
    assert "Société Générale Optique" in labels


def test_odd_date_format_is_parsed_with_a_warning(tmp_path):
    path = tmp_path / "csl.csv"
    path.write_text("\n".join([CSL_HEADER, _csl_row("Acme Optics", start="06/05/2020")]) + "\n", encoding="utf-8")
    batch = _read(path)
    assert batch.warnings == ["csl.csv, row 2: start_date '06/05/2020': odd date format"]
    [measure] = [s for s in batch.statements if s.cls == "ExportControlListing"]
    assert str(measure.values["startDate"][0]) == "2020-06-05"


def test_unreadable_date_keeps_the_row_without_a_date(tmp_path):
    path = tmp_path / "csl.csv"
    path.write_text("\n".join([CSL_HEADER, _csl_row("Acme Optics", start="sometime in June")]) + "\n",
                    encoding="utf-8")
    batch = _read(path)
    assert batch.counts == {"read": 1, "kept": 1, "skipped": 0}
    assert batch.warnings == ["csl.csv, row 2: start_date 'sometime in June': not a date"]


def test_row_cut_short_is_skipped(tmp_path):
    path = tmp_path / "csl.csv"
    path.write_text("\n".join([CSL_HEADER, _csl_row("Acme Optics"), '"y1","Entity List (EL) - Bureau']),
                    encoding="utf-8")
    batch = _read(path)
    assert batch.counts == {"read": 2, "kept": 1, "skipped": 1}
    assert "cut short" in batch.warnings[0]


def test_real_csl_snapshot_counts():
    batch = _read(LISTS / "watchman_testdata_csl_2023-11-30.csv")
    assert batch.counts == {"read": 4228, "kept": 4223, "skipped": 5}
    assert "watchman_testdata_csl_2023-11-30.csv, row 2: repeats the header row; row skipped" in batch.warnings


@pytest.mark.parametrize("name, content, message", [
    ("entity_list_2020.tsv", "name,aliases,country\nAcme,,China\n", "not a Entity List TSV file"),
    ("csl.csv", '"_id","source","entity_number","remarks"\n"1","x","2","y"\n',
     "not a Consolidated Screening List CSV file"),
    ("csl_2024.json", "<html>not json</html>", "not a Consolidated Screening List JSON file"),
    ("csl_2024.json", '{"results": [{"title": "x"}]}', "no list of rows with 'name' and 'source'"),
])
def test_a_file_not_in_its_claimed_format_stops_the_build(tmp_path, name, content, message):
    data = tmp_path / "data"
    (data / "lists").mkdir(parents=True)
    (data / "lists" / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        _read(data / "lists" / name)
    result = CliRunner().invoke(main, ["build", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert f"lists/{name}" in result.output and message in result.output
    assert not (tmp_path / "out").exists()


def test_build_prints_per_file_counts_and_warnings(tmp_path):
    data = tmp_path / "data"
    (data / "lists").mkdir(parents=True)
    for name in ("entity_list_2019_10.tsv", "opensanctions_us_fcc_covered_list_table.csv"):
        shutil.copy(LISTS / name, data / "lists" / name)
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    result = CliRunner().invoke(main, ["build", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    rows = [line.split() for line in lines]
    assert ["file", "read", "kept", "skipped"] in rows
    assert ["lists/entity_list_2019_10.tsv", "28", "28", "0"] in rows
    assert ["lists/opensanctions_us_fcc_covered_list_table.csv", "16", "10", "6"] in rows
    assert any(line.startswith("warning: lists/opensanctions_us_fcc_covered_list_table.csv, row 9: names no company")
               for line in lines)


# -- the table-list base: a list reader is a few declarations --------------------------------


def _watchlist_reader():
    from graph.sources._lists import ListInfo, TableListReader

    class WatchlistReader(TableListReader):
        name = "watchlist"
        columns = ["kind", "name", "aka", "country", "listed", "link"]
        claim_columns = 3
        kind = "watchlist CSV"
        title, publisher, url = "A watchlist", "The test", None
        listing = ListInfo(key="watchlist", name="Watchlist", measure_cls="Measure", imposer="Test Office")
        name_column, alias_columns, country_column, url_column = "name", ("aka",), "country", "link"
        class_column, default_class = "kind", "Organization"
        classes = {"company": "Company", "person": "Person"}
        start_column = "listed"

    return WatchlistReader()


def test_a_declared_list_reader_reads_rows_into_entities_and_grouped_listings(tmp_path):
    path = tmp_path / "watch.csv"
    path.write_text("kind,name,aka,country,listed,link\n"
                    "company,Acme Optics,Acme; AO,CN,2020-06-05,https://example.org/1\n"
                    "person,Jo Bloggs,,Atlantis,2020-06-05,\n"
                    "ship,Sea Star,,,2021-01-02,\n"
                    ",,,,,\n"
                    "company,,,,2021-01-02,\n"
                    "company,Beta Labs,,,sometime,\n", encoding="utf-8")
    reader = _watchlist_reader()
    assert reader.claims(path) and not reader.claims(LISTS / "opensanctions_us_bis_mieu.csv")
    [batch] = reader.read(path, tmp_path)
    entities = {s.labels[0].text: s for s in batch.statements if s.key.startswith("entity/")}
    assert {n: s.cls for n, s in entities.items()} == {
        "Acme Optics": "Company", "Jo Bloggs": "Person", "Sea Star": "Organization", "Beta Labs": "Company"}
    assert entities["Acme Optics"].aliases == ["Acme", "AO"]
    assert entities["Acme Optics"].evidence[0].url == "https://example.org/1"
    # one listing a row; rows listed the same day share a key, so they resolve to one measure
    listings = [(s.key, s.values["targets"][0].key) for s in batch.statements if s.cls == "Measure"]
    # rows are numbered as a spreadsheet shows them: the header is row 1
    assert listings == [("watchlist/added-2020-06-05", "entity/row-2"), ("watchlist/added-2020-06-05", "entity/row-3"),
                        ("watchlist/added-2021-01-02", "entity/row-4"), ("watchlist/row-7", "entity/row-7")]
    assert batch.counts == {"read": 5, "kept": 4, "skipped": 1}
    assert batch.warnings == [
        "watch.csv, row 3: unknown country 'Atlantis' left out",
        "watch.csv, row 4: unknown kind 'ship'; read as Organization",
        "watch.csv, row 6: empty 'name'; row skipped",
        "watch.csv, row 7: listed 'sometime': not a date",
    ]


def test_a_quoted_cell_spanning_lines_is_one_row_and_the_rows_after_it_keep_their_numbers(tmp_path):
    # the CSL's remarks are free text: a note typed with a line break is one quoted cell on two lines
    cells = _csl_row("Acme Optics")[1:-1].split('","')
    cells[20] = "Remark, first line\nsecond line"  # remarks
    path = tmp_path / "csl.csv"
    first = ",".join(f'"{c}"' for c in cells)
    path.write_text("\n".join([CSL_HEADER, first, _csl_row("Beta Optics"), _csl_row("")]) + "\n",
                    encoding="utf-8")
    batch = _read(path)
    assert batch.counts == {"read": 3, "kept": 2, "skipped": 1}
    # the empty name is on the table's fourth row (the header is row 1), its sixth line
    assert batch.warnings == ["csl.csv, row 4: empty 'name'; row skipped"]
    [acme] = [s for s in batch.statements if s.labels and s.labels[0].text == "Acme Optics"]
    measures = [s for s in batch.statements if s.values.get("targets") == [Ref(key=acme.key)]]
    assert [e.note for m in measures for e in m.evidence] == ["Remark, first line\nsecond line"]
    assert [(e.row, e.names) for m in measures for e in m.evidence] == [(2, acme.key)]
