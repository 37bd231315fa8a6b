"""Resolution: spelling variants of one entity meet; different entities stay apart."""

from __future__ import annotations

import pytest

from graph.ontology import load_ontology, mint_iri
from graph.resolve import name_key, resolve
from graph.sources import Batch
from graph.statements import Label, Ref, SourceInfo, Statement


@pytest.mark.parametrize("a, b", [
    ("SenseTime", "Sense Time"),
    ("SenseTime", "SENSETIME GROUP LIMITED"),
    ("iFlytek", "IFLYTEK Co., Ltd."),
    ("Megvii Technology", "MegviiTechnology"),
    ("Ouïghours", "Ouighours"),
])
def test_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [
    ("Dahua Technology", "Dahua Electronics Corporation"),
    ("Huawei", "Huawei Technologies"),  # legal names are bridged by curated aliases, not guessed
])
def test_different_names_stay_apart(a, b):
    assert name_key(a) != name_key(b)


def batch(source: str, *statements: Statement, priority: int = 50) -> Batch:
    return Batch(source=SourceInfo(id=source, title=source, file=f"{source}.txt"), statements=list(statements),
                 file=f"{source}.txt", priority=priority)


def test_curated_names_win_and_later_sources_merge_into_them():
    curated = batch("curated", Statement(key="sensetime", cls="Company", labels=[Label("SenseTime")]), priority=0)
    listed = batch("list", Statement(key="row-7", cls="Company", labels=[Label("Sense Time")]))
    other = batch("list2", Statement(key="row-1", cls="Company", labels=[Label("Yitu Limited")]))
    resolution = resolve([listed, other, curated], load_ontology())
    assert resolution.by_key[("list", "row-7")] == mint_iri("org", "sensetime")
    assert resolution.by_key[("list2", "row-1")] == mint_iri("org", "row-1")
    assert resolution.merges[mint_iri("org", "sensetime")]


def test_the_same_slug_for_two_different_entities_gets_a_suffix():
    a = batch("a", Statement(key="dahua", cls="Company", labels=[Label("Zhejiang Dahua Technology")]), priority=0)
    b = batch("b", Statement(key="dahua", cls="Company", labels=[Label("Dahua Electronics Corporation")]))
    resolution = resolve([a, b], load_ontology())
    assert resolution.by_key[("a", "dahua")] == mint_iri("org", "dahua")
    assert resolution.by_key[("b", "dahua")] == mint_iri("org", "dahua-2")


def test_families_do_not_mix():
    # "Washington" the city and a company called "Washington" are different entities.
    place = batch("a", Statement(key="washington", cls="Place", labels=[Label("Washington")]), priority=0)
    firm = batch("b", Statement(key="washington", cls="Company", labels=[Label("Washington")]))
    resolution = resolve([place, firm], load_ontology())
    assert resolution.by_key[("a", "washington")] != resolution.by_key[("b", "washington")]


def test_countries_resolve_by_iso_code():
    country = batch("a", Statement(key="us", cls="Country", labels=[Label("United States")],
                                   values={"isoCode": ["US"]}), priority=0)
    resolution = resolve([country], load_ontology())
    assert resolution.lookup("us", "country") == mint_iri("country", "us")
    assert resolution.ref("b", Ref(name="US", cls="Country"), "country", None) == mint_iri("country", "us")


def test_the_same_input_gives_the_same_iris_in_any_order():
    batches = [batch(f"s{i}", Statement(key=f"k{i}", cls="Company", labels=[Label(n)]))
               for i, n in enumerate(["Acme", "ACME Inc.", "Bolt", "Acme Corporation"])]
    first = resolve(batches, load_ontology()).by_key
    second = resolve(list(reversed(batches)), load_ontology()).by_key
    assert first == second
