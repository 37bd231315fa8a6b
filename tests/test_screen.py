"""kg screen: an analyst's own counterparty file against the built graph, with the build's matcher."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import build, open_graph
from graph.cli import main
from graph.errors import InputError
from graph.model.ontology import KGR, load_ontology
from graph.resolve import find_decisions, resolve
from graph.resolve.matching import THRESHOLDS
from graph.screening.screen import Counterparty, Screener, format_screen, read_counterparties
from graph.sources import Batch, read_sources
from graph.model.statements import Label, SourceInfo, Statement

# Written for these tests: exact names, aliases, a normalised name, misspellings, an
# identifier, the Dahua Electronics case (a Denied Persons List firm that is not Zhejiang Dahua)
# and a firm no source names.
COUNTERPARTIES = """\
name,country,id,registration_number
Hikvision,CN,S-001,
Sensetime Group Limited,,S-002,
SENSETIME LTD,,S-003,
Hikvission,,S-004,
Megvi Technology,CN,S-005,
Our Taizhou drone supplier,,S-006,91330000734507783B
Dahua Electronics,US,S-007,
Acme Widgets of Ohio,US,S-008,
Intel,US,S-009,
"=HYPERLINK(""http://evil.example"")",,S-010,
"""


@pytest.fixture(scope="module")
def counterparty_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("screen") / "counterparties.csv"
    path.write_text(COUNTERPARTIES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def screener(seed_graph, data_dir) -> Screener:
    return Screener(seed_graph, decisions=find_decisions([data_dir]))


@pytest.fixture(scope="module")
def results(screener, counterparty_file) -> dict[str, dict]:
    return {r["id"]: r for r in screener.screen(read_counterparties(counterparty_file))}


def _best(result):
    return result["matches"][0] if result["matches"] else None


@pytest.mark.parametrize("own_id, iri, reason", [
    ("S-001", "org/hikvision", "exact name"),
    ("S-002", "org/sensetime", "alias"),
    ("S-003", "org/sensetime", "normalised name"),
    ("S-004", "org/hikvision", "fuzzy"),
    ("S-005", "org/megvii", "fuzzy"),
    ("S-006", "org/aerospace-ch-uav-co-ltd", "identifier"),
    ("S-009", "org/intel", "exact name"),
])
def test_rows_match_the_entity_with_a_reason(results, own_id, iri, reason):
    best = _best(results[own_id])
    assert best is not None, results[own_id]
    assert (best["iri"], best["reason"], best["answer"]) == (str(KGR[iri]), reason, "match")
    assert 100 * THRESHOLDS.match <= best["score"] <= 100


def test_dahua_electronics_is_not_matched_to_zhejiang_dahua(results):
    matched = {m["iri"] for m in results["S-007"]["matches"]}
    assert str(KGR["org/dahua"]) not in matched
    # it is the Denied Persons List's own firm, listed in its own right
    assert results["S-007"]["status"] == "listed"
    assert any("Denied Persons" in (x.get("list_label") or "") for x in _best(results["S-007"])["measures"])


def test_a_row_with_no_match_says_so(results):
    assert results["S-008"]["status"] == "no match"
    assert results["S-008"]["matches"] == []
    text = format_screen([results["S-008"]])
    assert "no match" in text


def test_listed_and_exposed_rows_carry_lists_paths_and_sources(results):
    hikvision = _best(results["S-001"])
    assert hikvision["listed"] and any(m["list_label"] == "Entity List" for m in hikvision["measures"])
    intel = results["S-009"]
    assert intel["status"] == "exposed"
    paths = {p["listed_label"]: p for p in _best(intel)["exposure"]}
    assert paths["Hikvision"]["path"] == "Hikvision <-supply- Intel"
    assert all(s["url"].startswith("https://") for s in paths["Hikvision"]["sources"])


def test_screening_before_and_after_the_october_2019_listing(seed_graph):
    row = [Counterparty(row=2, name="iFlytek")]
    before = Screener(seed_graph, as_of="2019-10-01").screen(row)[0]
    after = Screener(seed_graph, as_of="2019-10-10").screen(row)[0]
    assert before["status"] != "listed"
    assert after["status"] == "listed"
    assert [m["label"] for m in _best(after)["measures"]] == ["Entity List addition of October 2019"]


def test_screen_and_build_never_disagree(seed_data, tmp_path):
    """Each name the screen matches is the entity the build merges it into, and no other."""
    names = ["Hikvision", "Sensetime Group Limited", "SENSETIME LTD", "Hikvission", "Megvi Technology",
             "Hangzhou Hikvision Digital Technology", "Nvidia Corporation", "Qualcom", "Acme Widgets of Ohio",
             "Yitu Technology", "Dahua Electronics"]
    build([seed_data], tmp_path / "out", extract=False)
    screener = Screener(open_graph(tmp_path / "out" / "graph.trig"))
    statements = [Statement(key=f"row-{i}", cls="Company", labels=[Label(n)]) for i, n in enumerate(names)]
    mine = Batch(source=SourceInfo(id="mine", title="mine", file="mine.csv"), statements=statements,
                 file="mine.csv", priority=99)
    resolution = resolve(read_sources([seed_data]) + [mine], load_ontology(), find_decisions([seed_data]))
    for i, name in enumerate(names):
        built = str(resolution.by_key[("mine", f"row-{i}")])
        matches = [m for m in screener.match(name) if m["answer"] == "match"]  # what a build merges
        screened = matches[0]["iri"] if matches else None
        assert screened == (built if built in screener.entries else None), name


@pytest.mark.slow  # screens in every format over the full build
def test_cli_formats(counterparty_file, seed_out, tmp_path):
    graph = str(seed_out / "graph.trig")
    for fmt in ("table", "csv", "json", "html"):
        result = CliRunner().invoke(main, ["screen", str(counterparty_file), "--graph", graph, "--format", fmt])
        assert result.exit_code == 0, result.output
        text = result.stdout
        if fmt == "json":
            rows = json.loads(text)["rows"]
            assert [r["id"] for r in rows] == [f"S-{i:03d}" for i in range(1, 11)]
        elif fmt == "csv":
            cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
            assert "'=HYPERLINK(\"http://evil.example\")" in cells
            assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
            assert {"listed", "exposed", "no match"} <= set(cells)
        elif fmt == "html":
            assert "Content-Security-Policy" in text and "default-src 'none'" in text
            assert "<script" not in text and "=HYPERLINK(&quot;" in text
            assert "http://evil.example\"" not in text
        else:
            assert "no match" in text and "Hikvision" in text
    out = tmp_path / "screen.html"
    result = CliRunner().invoke(main, ["screen", str(counterparty_file), "--graph", graph, "--format", "html",
                                       "--out", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name, content, message", [
    ("a.csv", "who,country\nAcme,US\n", "no name column"),
    ("b.csv", "name,country\n,US\n", "no row names a counterparty \\(1 rows without a name\\)"),
    ("c.jsonl", '{"name": "Acme"}\n[1, 2]\n', "line 2: each line must be a JSON object"),
    ("d.jsonl", '{"name": "Acme"\n', "line 1: not JSON"),
    ("e.xls", "x", "unknown counterparty file type"),
    ("f.xlsx", "not a zip", "not a readable .xlsx workbook"),
    ("g.csv", 'name,country\n"Acme" Ltd,US\n', "row 2: not a counterparty file the csv module can read"),
])
def test_bad_files_name_the_file_row_and_what_to_do(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_counterparties(path)
    assert name in str(info.value) and "hint:" in str(info.value)


def test_cli_bad_file_exits_1_without_traceback(tmp_path, seed_out):
    path = tmp_path / "bad.csv"
    path.write_text("who\nAcme\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["screen", str(path), "--graph", str(seed_out / "graph.trig")])
    assert result.exit_code == 1 and "bad.csv" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("suffix", ["tsv", "xlsx", "jsonl"])
def test_other_file_types_read_the_same_rows(tmp_path, suffix):
    rows = [("name", "country", "lei"), ("SenseTime", "CN", ""), ("Acme", "US", "5493001KJTIIGC8Y1R12")]
    path = tmp_path / f"mine.{suffix}"
    if suffix == "tsv":
        path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    elif suffix == "jsonl":
        path.write_text("\n".join(json.dumps(dict(zip(rows[0], r))) for r in rows[1:]) + "\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        for r in rows:
            book.active.append(list(r))
        book.save(path)
    parsed = read_counterparties(path)
    assert [(c.name, c.country) for c in parsed] == [("SenseTime", "CN"), ("Acme", "US")]
    assert parsed[1].identifiers == ("LEI 5493001KJTIIGC8Y1R12",)


# -- files as analysts have them ---------------------------------------------------------------
def _screen(path: Path, graph: Path, *args: str):
    return CliRunner().invoke(main, ["screen", str(path), "--graph", str(graph), *args])


def test_an_excel_csv_from_windows_with_its_own_column_names(tmp_path, seed_out):
    # Excel on a European Windows: semicolons, Windows-1252, and the column names of the analyst's system
    path = tmp_path / "Gegenparteien.csv"
    path.write_bytes("Counterparty Name;Our Ref;Country;Notes\r\nHikvision;R-1;China;ok\r\n"
                     "Société Générale;R-2;France;\r\n;R-3;Germany;only an address: Hauptstraße 1\r\n"
                     "Intel;R-4;United States;\r\n".encode("cp1252"))
    result = _screen(path, seed_out / "graph.trig", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert ("read Gegenparteien.csv: CSV (Windows-1252, semicolon-separated), 4 rows: 3 screened, 1 skipped"
            in result.stderr)
    assert ("columns read: 'Counterparty Name' as the name, 'Our Ref' as your reference, 'Country' as the country; "
            "ignored: 'Notes'") in result.stderr
    assert "row 4: no name (the row holds 'Our Ref', 'Country', 'Notes'); skipped" in result.stderr
    rows = [r for r in csv.DictReader(line for line in io.StringIO(result.stdout, newline="")
                                      if not line.startswith('"#') and not line.startswith("#"))]
    assert {r["id"]: r["status"] for r in rows} == {"R-1": "listed", "R-2": "no match", "R-4": "exposed"}
    assert {r["name"] for r in rows} >= {"Société Générale"}
    assert all(r["row"] != "4" for r in rows)


def test_excel_unicode_text_is_read_and_its_rows_numbered_as_excel_shows_them(tmp_path, seed_out):
    path = tmp_path / "parties.txt"
    path.write_bytes(b"\xff\xfe" + "Legal Name\tReference\tCountry\r\n\r\nHangzhou Hikvision Digital Technology\t"
                     "7\tCHN\r\n".encode("utf-16-le"))
    result = _screen(path, seed_out / "graph.trig", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "TSV (UTF-16, tab-separated)" in result.stderr
    [row] = json.loads(result.stdout)["rows"]
    assert (row["row"], row["id"], row["country"], row["status"]) == (3, "7", "CHN", "listed")


@pytest.mark.parametrize("country", ["CN", "CHN", "China", "People's Republic of China"])
def test_a_country_as_a_name_or_three_letter_code_is_the_country(screener, country):
    [row] = screener.screen([Counterparty(row=2, name="Hikvision", country=country)])
    assert _best(row)["iri"] == str(KGR["org/hikvision"]) and row["status"] == "listed"


def test_repeated_rows_and_look_alike_letters_are_flagged(tmp_path, seed_out):
    path = tmp_path / "parties.csv"
    # the second Hikvision is written with a Cyrillic "о" (U+043E), which looks like the Latin "o"
    path.write_text("name,country\nHikvision,CN\nhikvision ,cn\nHikvisi\u043en,CN\nAcme\u202e,US\n", encoding="utf-8")
    result = _screen(path, seed_out / "graph.trig")
    assert result.exit_code == 0, result.output
    assert "row 3: same name and country as row 2" in result.stderr
    assert "row 4: the name mixes Cyrillic and Latin letters (look-alike characters?)" in result.stderr
    assert "row 5: the name holds invisible or direction characters (U+202E)" in result.stderr
    assert "    note: same name and country as row 2" in result.stdout


def test_a_counterparty_file_s_escape_sequences_are_shown_not_run(tmp_path, seed_out):
    """OSC 8 links, ESC[2J and right-to-left overrides in a file reach the table escaped."""
    path = tmp_path / "parties.csv"
    path.write_text('name,country\n"Acme\x1b[2J\u202eevil",US\n"\x1b]8;;https://evil.example\x1b\\Hikvision'
                    '\x1b]8;;\x1b\\",CN\n', encoding="utf-8")
    result = _screen(path, seed_out / "graph.trig")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "Acme\\x1b[2J\\u202eevil" in result.stdout
    assert "\\x1b]8;;https://evil.example\\x1b\\Hikvision" in result.stdout


@pytest.mark.slow  # six screens of data/'s graph, one per format
def test_every_output_records_the_graph_the_lists_the_settings_and_the_version(tmp_path, seed_out, counterparty_file):
    import hashlib

    from openpyxl import load_workbook

    from graph import __version__

    graph = seed_out / "graph.trig"
    digest = hashlib.sha256(graph.read_bytes()).hexdigest()
    args = ["--as-of", "2020-01-01", "--threshold", "25"]
    outputs = {}
    for fmt in ("table", "csv", "json", "html"):
        result = _screen(counterparty_file, graph, "--format", fmt, *args)
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
    xlsx = tmp_path / "screen.xlsx"
    result = _screen(counterparty_file, graph, "--format", "xlsx", "--out", str(xlsx), *args)
    assert result.exit_code == 0, result.output
    book = load_workbook(xlsx)
    outputs["xlsx"] = "\n".join(str(c.value) for row in book["record"].iter_rows() for c in row)
    section_889 = "lists/opensanctions_us_special_leg_section_889.csv: sha256 "
    for fmt, text in outputs.items():
        if fmt == "json":
            continue  # the same, as data: below
        for needle in (digest, f"exposure-kg {__version__}", "as of 2020-01-01", "25 %", section_889,
                       f"match threshold {THRESHOLDS.match:g} (possible match from {THRESHOLDS.review:g})",
                       f"input counterparties.csv: sha256 {hashlib.sha256(counterparty_file.read_bytes()).hexdigest()}"):
            assert needle in text, (fmt, needle)
    record = json.loads(outputs["json"])["record"]
    assert record["graph"]["sha256"] == digest and record["settings"]["as_of"] == "2020-01-01"
    assert record["tool"]["version"] == __version__ and record["settings"]["ownership_threshold"] == "25 %"
    assert record["settings"]["match_threshold"] == f"{THRESHOLDS.match:g} (possible match from {THRESHOLDS.review:g})"
    assert record["input"]["sha256"] == hashlib.sha256(counterparty_file.read_bytes()).hexdigest()
    assert any(s["file"] == "lists/entity_list_2019_10.tsv" and len(s["sha256"]) == 64 for s in record["sources"])
    # the workbook's cells are text where the name is text: no formula runs
    cells = {c.value: c.data_type for row in book["screening"].iter_rows() for c in row if c.value}
    assert cells['=HYPERLINK("http://evil.example")'] == "s"


def test_xlsx_output_needs_a_file(seed_out, counterparty_file):
    result = _screen(counterparty_file, seed_out / "graph.trig", "--format", "xlsx")
    assert result.exit_code == 2 and "--out FILE.xlsx" in result.output


def test_every_csv_cell_is_neutralised_by_its_text(tmp_path, seed_out):
    path = tmp_path / "parties.csv"
    path.write_text('name,id\n"@SUM(1+1)",-5\n"+cmd",\t=1\n', encoding="utf-8")
    result = _screen(path, seed_out / "graph.trig", "--format", "csv")
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.stdout, newline="")) for c in row]
    assert {"'@SUM(1+1)", "'-5", "'+cmd"} <= set(cells)
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_an_xlsx_upload_over_the_limits_is_refused_with_the_flag_to_raise(tmp_path, seed_out):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Company", "ID"])
    for i in range(30):
        book.active.append([f"Firm {i}", i])
    book.save(tmp_path / "big.xlsx")
    result = _screen(tmp_path / "big.xlsx", seed_out / "graph.trig", "--max-rows", "20")
    assert result.exit_code == 1 and "big.xlsx, row 22: sheet 'Sheet': more than 20 data rows" in result.output
    assert "--max-rows" in result.output and "Traceback" not in result.output
    result = _screen(tmp_path / "big.xlsx", seed_out / "graph.trig", "--max-bytes", "1000")
    assert result.exit_code == 1 and "more than the limit of 1,000" in result.output


def test_html_report_draws_the_exposure_map_of_each_exposed_match(screener, counterparty_file):
    import re
    import xml.etree.ElementTree as ET

    results = screener.screen(read_counterparties(counterparty_file))
    page = format_screen(results, "html", screener=screener)
    exposed = {m["iri"]: m for r in results for m in r["matches"] if m.get("exposure")}
    figures = re.findall(r'<figure class="map">(.*?)</figure>', page, re.S)
    assert exposed and len(set(figures)) == len(exposed)  # a map per exposed entity (under each row matching it)
    intel = next(f for f in figures if "Exposure map of Intel" in f)
    x = {t.text: float(t.get("x")) for t in ET.fromstring(intel).iter("{http://www.w3.org/2000/svg}text")}
    listed = {path["listed_label"] for path in next(m for m in exposed.values() if m["label"] == "Intel")["exposure"]}
    assert listed and all(x[name] < x["Intel"] for name in listed)
    assert "<script" not in page and "default-src 'none'" in page
    assert "<figure" not in format_screen(results, "html")  # without the screener: the report alone


# A newcomer's file, typed as analysts type: each must find the listed party, sure of it
@pytest.mark.parametrize("typed, iri", [
    ("Hikvisian", "org/hikvision"),
    ("Huawel", "org/huawei"),
    ("Nvidla", "org/nvidia"),
    ("Dahau", "org/dahua"),
    ("Megvli Technology", "org/megvii"),
    ("URALMASHZAVOD", "org/uralmashzavod-oao"),  # the list's "OAO" dropped
    ("CONTINENTE MOVIL Y SERVICIOS", "org/continente-movil-y-servicios-s-r-l"),
    ("Rostec", "org/state-corporation-rostec"),
])
def test_a_newcomers_misspellings_find_the_entity(screener, typed, iri):
    best = screener.match(typed)[0]
    assert (best["iri"], best["answer"]) == (str(KGR[iri]), "match"), best
    assert best["explanation"].startswith(("name 0.", "name 1.00"))


@pytest.mark.parametrize("typed", ["Sberbank", "Сбербанк"])
def test_sberbank_finds_sberbank_of_russia_before_the_belarusian_bank(screener, typed):
    found = [m["iri"] for m in screener.match(typed)]
    russia, belarus = (str(KGR["org/public-joint-stock-company-sberbank-of-russia"]),
                       str(KGR["org/open-joint-stock-company-bps-sberbank"]))
    assert russia in found and (belarus not in found or found.index(russia) < found.index(belarus))


@pytest.mark.parametrize("country", ["RU", "RUS", "Russia"])
def test_a_row_s_country_puts_the_entity_of_that_country_first_among_equal_names(screener, country):
    """Three listed banks are called "Sberbank" (Russia's, its Ukrainian and Belarusian subsidiaries):
    the row's country decides which comes first."""
    [row] = screener.screen([Counterparty(row=2, name="Sberbank", country=country)])
    labels = [m["label"] for m in row["matches"]]
    assert labels[0] == "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", labels
    assert len(labels) > 1  # the others are still shown


def test_a_possible_match_is_for_review_and_says_why(screener):
    """Dahua Electronics Corporation is another firm than Zhejiang Dahua: typed "Dahau", it is for review."""
    [sure, review] = screener.match("Dahau")[:2]
    assert sure["iri"] == str(KGR["org/dahua"])
    assert (review["answer"], review["reason"]) == ("possible match", "possible match")
    assert "a trade word differs (electronics)" in review["explanation"]
    [row] = screener.screen([Counterparty(row=2, name="Dahua Electronic Corp")])
    statuses = {m["label"]: m["status"] for m in row["matches"]}
    assert statuses.get("DAHUA ELECTRONICS CORPORATION") in ("listed", "possible match")


# No list in data/ writes a name in Chinese characters. OpenSanctions' lists carry a firm's
# registered Chinese name as an alias: these are Hikvision's and iFlytek's, in a list written here.
NATIVE_ALIASES = [
    {"id": "hik", "schema": "Company", "properties": {"name": ["Hangzhou Hikvision Digital Technology Co., Ltd."],
                                                      "alias": ["杭州海康威视数字技术股份有限公司"], "country": ["cn"]}},
    {"id": "ifly", "schema": "Company", "properties": {"name": ["iFlytek Co., Ltd."], "alias": ["科大讯飞股份有限公司"],
                                                       "country": ["cn"]}},
    *({"id": f"listing-{i}", "schema": "Sanction", "properties": {
        "entity": [who], "authority": ["Test authority"], "program": ["Entity List"], "startDate": ["2019-10-09"],
        "sourceUrl": ["https://example.org/listing"]}} for i, who in enumerate(("hik", "ifly")))]


@pytest.fixture(scope="module")
def native_screener(tmp_path_factory) -> Screener:
    root = tmp_path_factory.mktemp("native")
    (root / "data").mkdir()
    (root / "data" / "native.ftm.jsonl").write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in NATIVE_ALIASES) + "\n", encoding="utf-8")
    build([root / "data"], root / "out", extract=False)
    return Screener(open_graph(root / "out" / "graph.trig"))


@pytest.mark.parametrize("typed, label, why", [
    ("海康威视", "Hangzhou Hikvision Digital Technology Co., Ltd.", "extra words: hangzhou digital technology"),
    ("科大讯飞", "iFlytek Co., Ltd.", "legal form dropped"),
    ("杭州海康威视数字技术有限公司", "Hangzhou Hikvision Digital Technology Co., Ltd.", "legal form differs"),
])
def test_a_brand_in_chinese_characters_finds_the_registered_name_a_list_writes_in_them(native_screener, typed,
                                                                                         label, why):
    [row] = native_screener.screen([Counterparty(row=2, name=typed)])
    best = row["matches"][0]
    assert (row["status"], best["label"], best["answer"]) == ("listed", label, "match"), row
    assert why in best["explanation"]


def test_another_brand_in_chinese_characters_finds_nothing(native_screener):
    [row] = native_screener.screen([Counterparty(row=2, name="大华")])  # Dahua: in no list here
    assert row["status"] == "no match", row
