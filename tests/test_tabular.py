"""graph.io.tabular: the one CSV/TSV reader (encodings, separators, spreadsheet row numbers) and the bounded XLSX reader."""

from __future__ import annotations

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


@pytest.mark.parametrize("cell, message", [
    ('<c r="B2" t="n"><v>twelve</v></c>', r"sheet 'Parties', column B: text 'twelve' in a numeric cell"),
    ('<c r="B2" t="d"><v>2024-13-45</v></c>', r"sheet 'Parties', column B: '2024-13-45' in a date cell is not a date"),
    ('<c r="B2" t="s"><v>99</v></c>', r"sheet 'Parties', column B: shared string '99' does not exist"),
    ('<c r="B2"><f>A2&amp;"x"</f><v>Acmex</v></c>', r"column B: text 'Acmex' in a numeric cell \(a formula's result\)"),
    ('<c r="B2" t="zz"><v>1</v></c>', r"column B: unknown cell type 'zz'"),
])
def test_every_malformed_cell_names_sheet_row_and_column(tmp_path, cell, message):
    path = _workbook(tmp_path / "bad.xlsx", _HEADER + f'<row r="2"><c r="A2" t="s"><v>2</v></c>{cell}</row>',
                     ["Name", "ID", "Acme"])
    with pytest.raises(InputError, match=message) as info:
        read_xlsx(path)
    assert "bad.xlsx, row 2:" in str(info.value) and "hint:" in str(info.value)


def test_a_200_mb_shared_string_in_a_small_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _workbook(path, _HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', [])
    # the same workbook, its one shared string 200 MB of "A" (deflate packs it into ~200 KB)
    with zipfile.ZipFile(path) as small, zipfile.ZipFile(tmp_path / "b.xlsx", "w", zipfile.ZIP_DEFLATED) as big:
        for name in small.namelist():
            if name != "xl/sharedStrings.xml":
                big.writestr(name, small.read(name))
        with big.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f"<sst {_NS}><si><t>".encode())
            block = b"A" * (1 << 20)
            for _ in range(200):
                part.write(block)
            part.write(b"</t></si></sst>")
    path = tmp_path / "b.xlsx"
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
