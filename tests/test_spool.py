"""Statements spooled to disk: read back as they were written, and a build of data/ that keeps
its lists' statements on disk writes the bytes of one that keeps them in memory."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

import graph.io.spool as spool
from graph.builder.pipeline import build
from graph.io.spool import StatementSpool, evidence_methods, select, spooling, statement_keys, statement_list
from graph.model.statements import Evidence, Label, Origin, Ref, Statement


def _statements() -> list[Statement]:
    """Every kind of field and value a reader puts in a statement."""
    return [
        Statement(key="country/cn", cls="Country", labels=[Label("China", "en"), Label("Chine", "fr")],
                  values={"isoCode": ["CN"]}),
        Statement(key="c1", cls="Company", labels=[Label("Acme Trading")], aliases=["Acme", "ACME Ltd"],
                  values={"country": [Ref(key="country/cn")], "identifier": ["LEI 5493001KJTIIGC8Y1R12"],
                          "share": [25.5], "employees": [120], "listed": [True],
                          "capital": [Decimal("1.50")], "seen": [datetime(2020, 1, 2, 3, 4)]},
                  evidence=[Evidence(source="demo", method="imported", confidence=0.9, file="demo.csv", row=3,
                                     url="https://example.org/a", note="a note")],
                  origin=Origin("demo.csv", 3, unit="row"), same_as=["http://www.wikidata.org/entity/Q1"]),
        Statement(key="own1", cls="Ownership",
                  values={"owner": [Ref(name="Acme Trading", cls="Company")], "ownedEntity": [Ref(key="c1")],
                          "startDate": [date(2019, 10, 8)]},
                  evidence=[Evidence(source="demo", method="extracted", confidence=0.5, quote="Acme owns it",
                                     char_start=4, char_end=16, extractor="rules")]),
        Statement(key="c2", cls="Company", labels=[Label("Name not captured: an entity", "en")], resolvable=False,
                  origin=Origin("demo.csv")),
    ]


def test_a_spool_gives_back_every_statement_as_it_was_appended(tmp_path):
    written = _statements()
    with spooling(tmp_path, chunk=2):
        statements = statement_list()
        statements.extend(written)
    assert isinstance(statements, StatementSpool) and statements.on_disk == 4 and len(statements) == 4
    assert list(statements) == written
    assert list(statements) == written  # read as often as needed
    assert list(statement_keys(statements)) == ["country/cn", "c1", "own1", "c2"]
    assert [s.key for s in select(statements, lambda key, cls: cls == "Company")] == ["c1", "c2"]
    assert evidence_methods(statements) == {"imported", "extracted"} == evidence_methods(written)
    assert [p.name for p in tmp_path.iterdir()] == [statements.path.name]


def test_outside_spooling_a_reader_gets_a_plain_list():
    assert statement_list() == [] and isinstance(statement_list(), list)


def test_a_spool_keeps_a_partly_filled_chunk_in_memory(tmp_path):
    with spooling(tmp_path, chunk=10):
        statements = statement_list()
    statements.extend(_statements()[:3])
    assert statements.on_disk == 0 and len(statements) == 3 and not any(tmp_path.iterdir())
    assert list(statements) == _statements()[:3]


def test_a_spool_refuses_the_extractors_statements(tmp_path):
    from graph.extract.extractor import ExtractedStatement

    with spooling(tmp_path):
        statements = statement_list()
    with pytest.raises(TypeError, match="ExtractedStatement"):
        statements.append(ExtractedStatement(key="x", cls="Company"))


@pytest.mark.slow
def test_a_build_that_spools_its_lists_writes_the_same_graph(data_dir, seed_out, tmp_path, monkeypatch):
    # Chunks of 50 statements: every list of data/ goes to disk in several chunks, and the
    # resolver and the writer read them back pass after pass.
    monkeypatch.setattr(spool, "CHUNK", 50)
    flushed = []
    flush = StatementSpool._flush

    def counted(self):
        flushed.append(len(self._pending))
        flush(self)

    monkeypatch.setattr(StatementSpool, "_flush", counted)
    result = build([data_dir], tmp_path / "out", check=False, keep=False)
    assert len(flushed) > 20 and set(flushed) == {50}
    for name in ("graph.trig", "graph.ttl"):
        assert (tmp_path / "out" / name).read_bytes() == (seed_out / name).read_bytes()
    assert result.released and sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no spool left
