"""The curated fact reader on the real seed file, and every kind of bad input it must refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import InputError
from graph.cli import main
from graph.sources.facts import FactsReader

FACTS = Path("facts/lesechos-2019-10-08.facts.yaml")


def read_facts(data: Path):
    (batch,) = FactsReader().read(data / FACTS, data)
    return batch


def test_seed_facts_cover_what_the_article_states(data_dir):
    batch = read_facts(data_dir)
    by_key = {s.key: s for s in batch.statements}
    companies = {"hikvision", "dahua", "megvii", "sensetime", "iflytek", "yitu", "huawei", "qualcomm", "nvidia"}
    assert companies <= {k for k, s in by_key.items() if s.cls == "Company"}
    assert {"wilbur-ross", "liu-he", "donald-trump"} <= {k for k, s in by_key.items() if s.cls == "Person"}
    assert {"uyghurs", "kazakhs", "muslim-minorities"} <= {k for k, s in by_key.items() if s.cls == "Population"}
    assert by_key["sensetime-qualcomm"].cls == "Partnership"
    assert by_key["megvii-hong-kong-listing"].cls == "StockListing"
    assert by_key["entity-list-2019-10"].values["companyCount"] == [8]


def test_every_quote_stands_at_its_offsets_in_the_article(data_dir):
    text = (data_dir / "articles/lesechos-2019-10-08.txt").read_text(encoding="utf-8")
    evidence = [e for s in read_facts(data_dir).statements for e in s.evidence]
    assert len(evidence) > 40
    for item in evidence:
        assert text[item.char_start:item.char_end] == item.quote
        assert item.file == "articles/lesechos-2019-10-08.txt"


def test_quotes_match_after_unicode_normalisation(seed_data):
    # An analyst's editor may store "é" decomposed (e + combining accent): still the same quote.
    path = seed_data / FACTS
    decomposed = "la r\u0065\u0301pression des Ou\u0069\u0308ghours"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "quote: la répression des Ouïghours", f"quote: {decomposed}"), encoding="utf-8")
    uyghurs = next(s for s in read_facts(seed_data).statements if s.key == "uyghurs")
    assert uyghurs.evidence[0].quote == "la répression des Ouïghours"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (what the analyst did wrong, old text, new text, message pattern)
BAD_INPUTS = [
    ("syntax error", "  hikvision:\n    class: Company", "  hikvision:\n    class: [Company", r"YAML syntax error"),
    ("unknown class", "  qualcomm:\n    class: Company", "  qualcomm:\n    class: Compnay", r"unknown class 'Compnay'"),
    ("unknown property", "    partner: [sensetime, qualcomm]", "    partner: [sensetime, qualcomm]\n    partnr: [sensetime]",
     r"unknown property 'partnr'"),
    ("missing quote", "    quote: MegviiTechnology a prévu de se coter prochainement à Hong Kong\n", "\n",
     r"fact 'megvii-hong-kong-listing' has no evidence"),
    ("unmatched quote", "quote: SenseTime est partenaire de Qualcomm\n",
     "quote: SenseTime est le partenaire de Qualcomm\n", r"quote not found in articles/lesechos-2019-10-08.txt"),
    ("undefined entity", "    partner: [sensetime, nvidia]", "    partner: [sensetime, nvida]",
     r"refers to undefined entity 'nvida'"),
    ("bad date", "    announcedOn: 2019-10-07", "    announcedOn: 2019-13-07", r"not a valid date: '2019-13-07'"),
]


@pytest.mark.parametrize("case, old, new, pattern", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_fact_file_names_file_and_line(seed_data, case, old, new, pattern):
    path = seed_data / FACTS
    original = path.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"fixture text for {case!r} must occur once"
    broken = original.replace(old, new)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InputError, match=pattern) as info:
        read_facts(seed_data)
    assert info.value.path.endswith("lesechos-2019-10-08.facts.yaml")
    assert info.value.line is not None
    assert info.value.hint or case == "syntax error"
    first_changed = next(i for i, (a, b) in enumerate(zip(original, broken)) if a != b)
    changed_line = broken[:first_changed].count("\n") + 1
    # The error points at the changed line, at the node that holds it, or (for YAML syntax,
    # which notices an unclosed bracket on the next line) just after it.
    assert -1 <= changed_line - info.value.line <= 12, (case, changed_line, info.value.line)


@pytest.mark.parametrize("case, old, new, pattern", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_stops_the_cli_build_and_leaves_out_untouched(seed_data, tmp_path, case, old, new, pattern):
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(seed_data), "--out", str(out), "--quiet"])
    assert first.exit_code == 0, first.output
    before = _snapshot(out)
    path = seed_data / FACTS
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = runner.invoke(main, ["build", str(seed_data), "--out", str(out), "--quiet"])
    assert result.exit_code == 1, result.output
    assert re.search(pattern, result.output)
    assert re.search(r"lesechos-2019-10-08\.facts\.yaml, line \d+", result.output)
    assert _snapshot(out) == before


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_entity_without_label_is_refused(seed_data):
    path = seed_data / FACTS
    path.write_text(path.read_text(encoding="utf-8").replace("    label: Nvidia\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="entity 'nvidia' has no 'label'"):
        read_facts(seed_data)


def test_a_fact_filed_under_entities_is_refused(seed_data):
    path = seed_data / FACTS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  qualcomm:\n    class: Company", "  qualcomm:\n    class: Tariff"), encoding="utf-8")
    with pytest.raises(InputError, match="is a Tariff, which belongs under 'facts'"):
        read_facts(seed_data)


def test_a_missing_article_is_named(seed_data):
    (seed_data / "articles/lesechos-2019-10-08.article.yaml").unlink()
    with pytest.raises(InputError, match=r"the source '../articles/lesechos-2019-10-08.article.yaml' does not exist"):
        read_facts(seed_data)


def test_a_file_that_is_not_utf8_is_refused_with_its_line(seed_data):
    path = seed_data / FACTS
    path.write_bytes(path.read_bytes().replace("Kazahks".encode(), "Kaz\xe4hks".encode("latin-1"), 1))
    with pytest.raises(InputError, match="not valid UTF-8") as info:
        read_facts(seed_data)
    assert info.value.line == _line_of(path.read_text(encoding="latin-1"), "Kaz\xe4hks")
