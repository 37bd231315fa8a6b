"""The build benchmark's generated FtM file: malformed lines are reported and skipped, the rest
is built, and the resolver finds the planted spelling variants."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF

from graph.cli import main
from graph.model.ontology import KG
from graph.builder.pipeline import build
from graph.store.backends import open_graph

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "build.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_build", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(bench, tmp_path_factory):
    return bench.generate(tmp_path_factory.mktemp("generated"), 600, seed=3)


def test_the_generator_is_seeded(bench, generated, tmp_path):
    again = bench.generate(tmp_path, 600, seed=3)
    assert again["path"].read_bytes() == generated["path"].read_bytes()
    assert bench.generate(tmp_path / "other", 600, seed=4)["path"].read_bytes() != generated["path"].read_bytes()


def test_malformed_lines_are_named_and_the_rest_is_built(generated, tmp_path):
    result = CliRunner().invoke(main, ["build", str(generated["path"].parent), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warned = {int(n) for n in re.findall(r"synthetic\.ftm\.jsonl, row (\d+):", result.output)}
    assert warned == set(generated["malformed"])
    graph = open_graph(tmp_path / "out" / "graph.trig")
    companies = {s for s, _p, _o in graph.triples((None, RDF.type, KG.Company))}
    # every company line but the malformed ones, less the variants the resolver merged
    assert generated["companies"] <= len(companies) <= generated["companies"] + len(generated["variants"])


def test_the_resolver_merges_the_planted_variants_and_little_else(generated, tmp_path):
    result = build([generated["path"].parent], tmp_path / "out", extract=False)
    iri = {key[4:]: value for (_source, key), value in result.resolution.by_key.items() if key.startswith("ftm/")}
    planted = generated["variants"]
    found = sum(iri[v] == iri[o] for v, o in planted.items())
    assert found / len(planted) >= 0.9
    companies = [eid for eid in iri if eid[0] in "cv"]
    wrong = len(companies) - len({iri[e] for e in companies}) - found
    assert wrong <= 0.01 * len(companies)
