"""Hostile and clumsy input files: every one ends in a warning or a clear error, never a traceback.

Each case builds a small copy of the seed's own sources with one file broken, the way a user
or an attacker would break it, through the CLI (exit status, message) or the library.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import build
from graph.cli import main
from graph.errors import InputError, OutputError
from graph.io.files import write_atomic, write_together
from graph.model.names import name_key
from graph.model.ontology import KGR, load_ontology, mint_iri
from graph.resolve import find_decisions, resolve
from graph.sources import read_sources

ARTICLE_META = "articles/lesechos-2019-10-08.article.yaml"


def _kg(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _set_field(meta: Path, field: str, value: str) -> int:
    """Replace ``field:`` in an article's metadata file; return its line number."""
    lines = meta.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[number] = f"{field}: {value}"
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


# ------------------------------------------------------------------ paths stay inside data/


@pytest.mark.parametrize("text", ["../../../outside_secret.txt", "/etc/hostname"])
def test_an_article_text_outside_the_data_folder_is_refused(seed_data, tmp_path, text):
    secret = tmp_path / "outside_secret.txt"
    secret.write_text("Acme Corp supplies Hikvision.\n", encoding="utf-8")
    meta = seed_data / ARTICLE_META
    # "../../../outside_secret.txt" climbs out of data/ to the secret beside it
    line = _set_field(meta, "text", os.path.relpath(secret, meta.parent) if text.startswith("../") else text)
    result = _kg("build", str(seed_data), "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1, result.output
    assert f"{ARTICLE_META}, line {line}" in result.output.replace(str(seed_data) + "/", "")
    assert "outside the data folder" in result.output
    assert not (tmp_path / "out").exists()


def test_a_symbolic_link_inside_data_cannot_lead_outside(seed_data, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Acme Corp supplies Hikvision.\n", encoding="utf-8")
    (seed_data / "articles" / "link.txt").symlink_to(secret)
    _set_field(seed_data / ARTICLE_META, "text", "link.txt")
    with pytest.raises(InputError, match="outside the data folder"):
        build([seed_data], tmp_path / "out")


@pytest.mark.parametrize("inside", [False, True])
def test_a_list_that_is_a_symbolic_link_is_refused(seed_data, tmp_path, inside):
    """A list file under data/ that links elsewhere is not read, wherever it leads (one line naming it)."""
    table = (Path(__file__).resolve().parent.parent / "data" / "lists" / "entity_list_2019_10.tsv").read_text()
    secret = (seed_data / "reference" / "kept.txt") if inside else (tmp_path / "outside.tsv")
    secret.write_text(table.splitlines()[0] + "\nOUTSIDE-SECRET-COMPANY" + "\t" * 8 + "\n", encoding="utf-8")
    (seed_data / "lists").mkdir()
    (seed_data / "lists" / "entity_list_2019_10.tsv").symlink_to(secret)
    result = _kg("build", str(seed_data), "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1, result.output
    assert "lists/entity_list_2019_10.tsv" in result.output and "symbolic link" in result.output
    assert ("outside the data folder" in result.output) is not inside
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2, result.output
    assert not (tmp_path / "out").exists()


def test_a_linked_folder_under_data_is_refused(seed_data, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (seed_data / "lists").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(InputError, match="symbolic link"):
        build([seed_data], tmp_path / "out")


def test_kg_site_out_through_a_symbolic_link_is_one_line(article_out, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "kept.txt").write_text("kept\n")
    (tmp_path / "site").symlink_to(tmp_path / "real", target_is_directory=True)
    result = _kg("site", "--graph", str(article_out / "graph.trig"), "--out", str(tmp_path / "site"))
    assert result.exit_code == 1, result.output
    assert "symbolic link" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert (tmp_path / "site").is_symlink() and sorted(p.name for p in (tmp_path / "real").iterdir()) == ["kept.txt"]


@pytest.mark.parametrize("bad_id", ["../../../../{tmp}/x", "{tmp}/x", ".hidden", "a/b"])
def test_an_article_id_that_is_a_path_is_refused(seed_data, tmp_path, bad_id):
    line = _set_field(seed_data / ARTICLE_META, "id", '"' + bad_id.format(tmp=tmp_path) + '"')
    with pytest.raises(InputError, match="not a source identifier") as caught:
        build([seed_data], tmp_path / "out")
    assert caught.value.line == line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no cache file, no output


# ------------------------------------------------------------------ outputs


def test_build_out_naming_a_regular_file_is_one_clear_line(seed_data, tmp_path):
    target = tmp_path / "out"
    target.write_text("keep me\n")
    result = _kg("build", str(seed_data), "--out", str(target), "--quiet")
    assert result.exit_code == 1
    assert "is not a folder" in result.output and "Traceback" not in result.output
    assert target.read_text() == "keep me\n"


def test_outputs_never_replace_a_fifo_or_a_symbolic_link(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    kept = tmp_path / "kept.txt"
    kept.write_text("kept\n")
    link = tmp_path / "link.csv"
    link.symlink_to(kept)
    for path in (fifo, link):
        with pytest.raises(OutputError, match="not a regular file"):
            write_atomic(path, "x")
    assert fifo.is_fifo() and link.is_symlink() and kept.read_text() == "kept\n"


def test_kg_exposure_save_to_a_symbolic_link_is_refused(seed_out, tmp_path):
    kept = tmp_path / "kept.csv"
    kept.write_text("kept\n")
    link = tmp_path / "exposure.csv"
    link.symlink_to(kept)
    result = _kg("exposure", "--graph", str(seed_out / "graph.trig"), "--save", str(link))
    assert result.exit_code == 1, result.output
    assert "not a regular file" in result.output
    assert kept.read_text() == "kept\n" and link.is_symlink()


def test_outputs_of_one_build_appear_together(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_together(out, {"graph.trig": "old trig\n", "graph.ttl": "old ttl\n", "exposure.csv": "other command\n"})
    # a run killed after writing its files but before they are moved into place
    import graph.io.files as files

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_exchange", killed)
    with pytest.raises(KeyboardInterrupt):
        write_together(out, {"graph.trig": "new trig\n", "graph.ttl": "new ttl\n"})
    assert (out / "graph.trig").read_text() == "old trig\n"
    assert (out / "graph.ttl").read_text() == "old ttl\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left
    assert sorted(p.name for p in out.iterdir()) == ["exposure.csv", "graph.trig", "graph.ttl"]
    monkeypatch.undo()
    write_together(out, {"graph.trig": "new trig\n", "graph.ttl": "new ttl\n"})
    assert [(out / n).read_text() for n in ("graph.trig", "graph.ttl", "exposure.csv")] == [
        "new trig\n", "new ttl\n", "other command\n"]


# ------------------------------------------------------------------ hostile files


def test_a_yaml_alias_bomb_is_refused_at_once(seed_data, tmp_path):
    facts = seed_data / "facts" / "bomb.facts.yaml"
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    lines.append("aliases: *i")
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _kg("build", str(seed_data), "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1, result.output
    assert "bomb.facts.yaml, line 2" in result.output and "aliases" in result.output
    assert "Traceback" not in result.output


def _list_copy(seed_data: Path, rows: list[str], name: str = "opensanctions_us_special_leg_section_889.csv") -> Path:
    source = Path(__file__).resolve().parent.parent / "data" / "lists" / name
    target = seed_data / "lists" / name
    target.parent.mkdir(exist_ok=True)
    text = source.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return target


_889 = ("Company,{name},,debarment,Section 889 of the John S. McCain National Defense Authorization Act for "
        "Fiscal Year 2019 (Public Law 115 - 232),United States Congress,,,{start},,,,"
        "https://www.congress.gov/115/plaws/publ232/PLAW-115publ232.pdf")


def test_an_impossible_date_in_a_list_row_is_a_warning_with_the_row(seed_data, tmp_path):
    _list_copy(seed_data, [_889.format(name="Acme Impossible Date Ltd", start="2019-02-30")])
    result = build([seed_data], tmp_path / "out")
    warnings = [w for batch in result.batches for w in batch.warnings]
    assert any("row 7" in w and "not a date" in w for w in warnings), warnings


def test_an_implausible_date_warns(seed_data, tmp_path):
    _list_copy(seed_data, [_889.format(name="Acme Far Future Ltd", start="9999-12-31")])
    line = _set_field(seed_data / ARTICLE_META, "issued", "9999-12-31")
    result = build([seed_data], tmp_path / "out")
    warnings = [w for batch in result.batches for w in batch.warnings]
    assert any("row 7" in w and "implausible" in w for w in warnings), warnings
    assert any(f"{ARTICLE_META}, line {line}" in w and "implausible" in w for w in warnings), warnings


def test_a_name_in_another_script_gets_an_iri(seed_data, tmp_path):
    _list_copy(seed_data, [_889.format(name="海康威视", start="")])
    batches = read_sources([seed_data])
    resolution = resolve(batches, load_ontology(), find_decisions([seed_data]))
    iris = {str(iri) for iri in resolution.by_key.values()}
    assert str(KGR["org/haikangweishi"]) in iris or str(KGR["org/hikvision"]) in iris


def test_look_alike_letters_of_another_script_match_the_latin_name(seed_data):
    _list_copy(seed_data, [_889.format(name="Нуаwеi Technologies Company", start=""),
                           _889.format(name="Hikvisiоn", start="")])
    batches = read_sources([seed_data])
    resolution = resolve(batches, load_ontology(), find_decisions([seed_data]))
    by_name = {}
    for batch in batches:
        for statement in batch.statements:
            if statement.labels:
                by_name.setdefault(statement.labels[0].text, resolution.by_key.get((batch.source.id, statement.key)))
    assert by_name["Hikvisiоn"] == by_name["Hangzhou Hikvision Digital Technology Company"]
    assert by_name["Нуаwеi Technologies Company"] == by_name["Huawei Technologies Company"]
    assert name_key("Hikvisiоn") == name_key("Hikvision")


def test_a_huge_field_is_a_warning_with_the_row_and_a_short_value(seed_data, tmp_path):
    _list_copy(seed_data, [_889.format(name="A" * 300_000, start=""), _889.format(name="Acme After Ltd", start="")])
    result = build([seed_data], tmp_path / "out")
    warnings = [w for batch in result.batches for w in batch.warnings]
    [huge] = [w for w in warnings if "row 7" in w]
    assert "300,000 characters" in huge and "skipped" in huge and len(huge) < 400
    assert mint_iri("org", "Acme After Ltd") in {s for s, _, _, _ in result.dataset.quads((None, None, None, None))}


def test_a_header_of_a_million_columns_warns_in_one_short_line(seed_data, tmp_path):
    path = _list_copy(seed_data, [])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0] + "," + ",".join(f"extra{i}" for i in range(1_000_000))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build([seed_data], tmp_path / "out")
    warnings = [w for batch in result.batches for w in batch.warnings]
    assert warnings and max(len(w) for w in warnings) < 500
    assert any("1,000,0" in w and "columns" in w for w in warnings), warnings
