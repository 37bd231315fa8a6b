"""graph.io.tabular: the one CSV/TSV reader (encodings, separators, spreadsheet row numbers) and the bounded XLSX reader."""

from __future__ import annotations

import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.io.tabular import Limits, read_delimited, read_xlsx


def test_a_quoted_cell_spanning_lines_is_one_row_and_rows_keep_spreadsheet_numbers(tmp_path):
    # as a spreadsheet saves a note typed with Alt+Enter: the cell is quoted and holds a line break
    path = tmp_path / "parties.csv"
    path.write_text('name,note\r\nAcme,"first line\r\nsecond line"\r\n\r\nGlobex,plain\r\n', encoding="utf-8",
                    newline="")
    table = read_delimited(path)
    assert table.header == ["name", "note"]
    # the blank row 3 still counts, as it does in a spreadsheet
    assert table.rows == [(2, ["Acme", "first line\r\nsecond line"]), (4, ["Globex", "plain"])]


def test_excel_csv_on_windows_is_read_as_windows_1252_and_said(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Name;Country\r\nSociété Générale;France\r\nNestlé;Suisse\r\n".encode("cp1252"))
    table = read_delimited(path)
    assert table.rows == [(2, ["Société Générale", "France"]), (3, ["Nestlé", "Suisse"])]
    assert table.encoding == "Windows-1252" and table.delimiter == ";"
    assert table.notes == ["2 lines (2, 3) are not UTF-8; read as Windows-1252 (check their names)"]


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    # Excel's "Unicode text": UTF-16 little-endian with a byte order mark, tab-separated, CRLF
    path = tmp_path / "export.txt"
    path.write_bytes(b"\xff\xfe" + "Name\tCountry\r\n海康威视\tCN\r\nŠkoda\tCZ\r\n".encode("utf-16-le"))
    table = read_delimited(path)
    assert table.rows == [(2, ["海康威视", "CN"]), (3, ["Škoda", "CZ"])]
    assert (table.encoding, table.delimiter) == ("UTF-16", "\t")


def test_utf8_with_a_byte_order_mark_keeps_the_first_column_name(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfname,country\nAcme,US\n")
    table = read_delimited(path)
    assert table.header == ["name", "country"] and table.encoding == "UTF-8 (with byte order mark)"


def test_binary_and_broken_quotes_are_input_errors_naming_the_row(tmp_path):
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"name\n\x00\x01\x02\x03" * 10)
    with pytest.raises(InputError, match="NUL bytes"):
        read_delimited(binary)
    quotes = tmp_path / "q.csv"
    quotes.write_text('name,id\nAcme,1\n"Globex" Ltd,2\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"(?s)q\.csv, row 3: .*quote"):
        read_delimited(quotes, strict=True)


# -- XLSX ------------------------------------------------------------------------------------
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook(path: Path, cells: str, strings: list[str] = (), *, sheet: str = "Parties") -> Path:
    """A minimal workbook written part by part, as a hand-made or damaged file would be."""
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>')
    book = (f'<workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    shared = f'<sst {_NS}>' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", f"<worksheet {_NS}><sheetData>{cells}</sheetData></worksheet>")
    return path


_HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def test_a_workbook_from_a_spreadsheet_reads_with_its_row_numbers(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Suppliers"
    for row in (["Name", "ID", "Since"], ["Acme", 12, None], [None, None, None], ["Globex", 3.5, True]):
        book.active.append(row)
    book.save(tmp_path / "s.xlsx")
    table = read_xlsx(tmp_path / "s.xlsx")
    assert table.sheet == "Suppliers" and table.header == ["Name", "ID", "Since"]
    assert table.rows == [(2, ["Acme", "12"]), (4, ["Globex", "3.5", "TRUE"])]


MALFORMED = [
    ('<c r="B2" t="n"><v>twelve</v></c>', r"sheet 'Parties', column B: text 'twelve' in a numeric cell"),
    ('<c r="B2" t="d"><v>2024-13-45</v></c>', r"sheet 'Parties', column B: '2024-13-45' in a date cell is not a date"),
    ('<c r="B2" t="s"><v>99</v></c>', r"sheet 'Parties', column B: shared string '99' does not exist"),
    ('<c r="B2"><f>A2&amp;"x"</f><v>Acmex</v></c>', r"column B: text 'Acmex' in a numeric cell \(a formula's result\)"),
    ('<c r="B2" t="zz"><v>1</v></c>', r"column B: unknown cell type 'zz'"),
]


@pytest.mark.parametrize("cell, message", MALFORMED)
def test_every_malformed_cell_names_sheet_row_and_column(tmp_path, cell, message):
    path = _workbook(tmp_path / "bad.xlsx", _HEADER + f'<row r="2"><c r="A2" t="s"><v>2</v></c>{cell}</row>',
                     ["Name", "ID", "Acme"])
    with pytest.raises(InputError, match=message) as info:
        read_xlsx(path)
    assert "bad.xlsx, row 2:" in str(info.value) and "hint:" in str(info.value)


def _streamed(path: Path, part_name: str, *pieces: bytes, times: int = 1, head: bytes = b"", tail: bytes = b"") -> Path:
    """``path``, a workbook whose part ``part_name`` is ``head``, ``pieces`` repeated ``times``
    times, then ``tail``, written as a stream (deflate packs a repeated piece into little)."""
    small = path.with_suffix(".small.xlsx")
    _workbook(small, _HEADER + '<row r="2"><c r="A2" t="s"><v>2</v></c></row>', ["Name", "ID", "Acme"])
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != part_name:
                target.writestr(name, source.read(name))
        with target.open(part_name, "w", force_zip64=True) as part:
            part.write(head)
            for _ in range(times):
                for piece in pieces:
                    part.write(piece)
            part.write(tail)
    small.unlink()
    return path


def _bomb(folder: Path) -> Path:
    """The issue's workbook: one shared string of 200 MB of "A" in a file of about 200 KB."""
    return _streamed(folder / "b.xlsx", "xl/sharedStrings.xml", b"A" * (1 << 20), times=200,
                     head=f"<sst {_NS}><si><t>".encode(), tail=b"</t></si></sst>")


def _sheet(folder: Path, name: str, rows: bytes, times: int) -> Path:
    """A workbook whose sheet is the header row, then ``rows`` repeated ``times`` times."""
    return _streamed(folder / name, "xl/worksheets/sheet1.xml", rows, times=times,
                     head=f"<worksheet {_NS}><sheetData>{_HEADER}".encode(), tail=b"</sheetData></worksheet>")


def test_a_200_mb_shared_string_in_a_small_file_is_refused_before_it_is_read(tmp_path):
    path = _bomb(tmp_path)
    assert path.stat().st_size < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"unpacks to 209,7\d\d,\d\d\d bytes \(xl/sharedStrings.xml alone "):
            read_xlsx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_rows_columns_and_cells_beyond_the_limits_are_refused(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>2</v></c></row>' for n in range(2, 8))
    path = _workbook(tmp_path / "many.xlsx", _HEADER + rows, ["Name", "ID", "Acme"])
    assert len(read_xlsx(path, limits=Limits(max_rows=6)).rows) == 6
    with pytest.raises(InputError, match=r"many\.xlsx, row 7: sheet 'Parties': more than 5 data rows"):
        read_xlsx(path, limits=Limits(max_rows=5))
    wide = _workbook(tmp_path / "wide.xlsx", _HEADER + '<row r="2"><c r="XFD2" t="s"><v>2</v></c></row>',
                     ["Name", "ID", "Acme"])
    with pytest.raises(InputError, match=r"row 2: sheet 'Parties', column XFD: more than 200 columns"):
        read_xlsx(wide)
    long = _workbook(tmp_path / "long.xlsx", _HEADER + '<row r="2"><c r="A2" t="s"><v>2</v></c></row>',
                     ["Name", "ID", "x" * 20])
    with pytest.raises(InputError, match=r"row 2: sheet 'Parties', column A: 20 characters, more than the limit of 10"):
        read_xlsx(long, limits=Limits(max_cell=10))


def test_millions_of_blank_rows_or_empty_cells_are_refused_in_constant_memory(tmp_path):
    """Within the byte limit, a sheet can still hold 5 million blank rows (30 MB) or a row of
    12 million empty cells (48 MB): refused as no spreadsheet writes them, without holding them.

    Read in a fresh process whose peak resident memory is compared before and after (tracing
    every allocation instead made the reading 30 times slower)."""
    rows = _sheet(tmp_path, "rows.xlsx", b"<row/>" * 100_000, 50)
    cells = _sheet(tmp_path, "cells.xlsx", b"<row>" + b"<c/>" * 12_000_000 + b"</row>", 1)
    assert rows.stat().st_size < 100_000 and cells.stat().st_size < 100_000
    reader = ("import resource, sys\n"
              "from graph.errors import InputError\n"
              "from graph.io.tabular import read_xlsx\n"
              "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
              "for path in sys.argv[1:]:\n"
              "    try:\n"
              "        read_xlsx(path)\n"
              "    except InputError as error:\n"
              "        print(str(error).splitlines()[0])\n"
              "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)\n")
    done = subprocess.run([sys.executable, "-c", reader, str(rows), str(cells)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    refused_rows, refused_cells, grown = done.stdout.splitlines()
    assert re.search(r"rows\.xlsx, row 1048577: sheet 'Parties': a row past the 1,048,576 rows", refused_rows)
    assert re.search(r"cells\.xlsx, row 2: sheet 'Parties': more than the 16,384 cells a row", refused_cells)
    assert int(grown) < 20_000_000, grown


def test_a_sheet_of_error_cells_says_so_in_a_few_notes(tmp_path):
    path = _sheet(tmp_path, "na.xlsx", b'<row><c t="s"><v>2</v></c>' + b'<c t="e"><v>#N/A</v></c>' * 1_000 + b"</row>",
                  20)
    table = read_xlsx(path)
    assert len(table.rows) == 20 and len(table.notes) == 51
    assert table.notes[0] == "sheet 'Parties', column B, row 2: the cell holds the error '#N/A'; read as empty"
    assert table.notes[-1] == "sheet 'Parties': more cells hold errors (from row 2); each is read as empty"


# -- through kg screen, as a user runs it ----------------------------------------------------------
def _kg_screen(path: Path, graph: Path, *options: str) -> tuple[subprocess.CompletedProcess, int]:
    """``kg screen path`` in a fresh process: (its run, its peak memory in KiB)."""
    wrapper = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)")
    kg = str(Path(sys.executable).parent / "kg")
    done = subprocess.run([sys.executable, "-c", wrapper, kg, "screen", str(path), "--graph", str(graph), *options],
                          capture_output=True, text=True, timeout=300)
    *lines, peak = done.stderr.rstrip("\n").split("\n")
    done.stderr = "\n".join(lines)
    return done, int(peak)


def _one_error(done: subprocess.CompletedProcess, message: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    first, *rest = done.stderr.strip().splitlines()
    assert re.search(message, first), first
    assert len(rest) == 1 and rest[0].lstrip().startswith("hint:"), done.stderr


@pytest.mark.slow
def test_kg_screen_refuses_the_issue_s_workbooks_in_one_line_and_little_memory(tmp_path, article_out):
    """A 200 MB shared string in a 196 KB file (2.6 GB and a traceback), 5 million rows in a small
    file (past 2.4 GB), a row of 12 million empty cells: one error and its hint, under 300 MB."""
    graph = article_out / "graph.trig"
    cases = [
        (_bomb(tmp_path), r"b\.xlsx: the workbook unpacks to 209,7\d\d,\d\d\d bytes"),
        (_sheet(tmp_path, "rows.xlsx", b'<row><c t="s"><v>2</v></c></row>' * 100_000, 50),
         r"rows\.xlsx: the workbook unpacks to 160,000,\d+ bytes"),
        (_sheet(tmp_path, "blank.xlsx", b"<row/>" * 100_000, 50), r"blank\.xlsx, row 1048577: .* a row past the"),
        (_sheet(tmp_path, "cells.xlsx", b"<row>" + b"<c/>" * 12_000_000 + b"</row>", 1),
         r"cells\.xlsx, row 2: .* more than the 16,384 cells"),
    ]
    for path, message in cases:
        assert path.stat().st_size < 800_000
        done, peak = _kg_screen(path, graph)
        _one_error(done, message)
        assert peak < 300 * 1024, f"{path.name}: {peak // 1024} MiB"


@pytest.mark.slow
def test_kg_screen_names_each_malformed_cell_in_one_line(tmp_path, article_out):
    for number, (cell, message) in enumerate(MALFORMED):
        path = _workbook(tmp_path / f"bad{number}.xlsx", _HEADER + f'<row r="2"><c r="A2" t="s"><v>2</v></c>{cell}</row>',
                         ["Name", "ID", "Acme"])
        done, _ = _kg_screen(path, article_out / "graph.trig")
        _one_error(done, rf"bad{number}\.xlsx, row 2: .*{message}")


def test_the_sheet_limits_are_the_command_s_flags(tmp_path, article_out):
    """--max-rows, --max-columns, --max-cell and --max-bytes reach the reader, for the command as for HTTP."""
    from click.testing import CliRunner

    from graph.cli import main

    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>2</v></c><c r="B{n}" t="s"><v>3</v></c></row>' for n in range(2, 6))
    path = _workbook(tmp_path / "four.xlsx", _HEADER + rows, ["Name", "ID", "Acme", "x" * 50])
    graph = str(article_out / "graph.trig")
    for flag, value, message in (("--max-rows", "3", "more than 3 data rows"),
                                 ("--max-columns", "1", "column B: more than 1 columns"),
                                 ("--max-cell", "20", "50 characters, more than the limit of 20"),
                                 ("--max-bytes", "500", "more than the limit of 500")):
        result = CliRunner().invoke(main, ["screen", str(path), "--graph", graph, flag, value])
        assert result.exit_code == 1 and message in result.output, (flag, result.output)
        assert "Traceback" not in result.output
        hint = result.output.split("hint: raise ", 1)[1].split(" ", 1)[0].rstrip(",")
        assert hint in {"--max-rows", "--max-columns", "--max-cell", "--max-bytes"}, result.output  # a real flag
