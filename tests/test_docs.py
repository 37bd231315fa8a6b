"""Documentation that must not rot: docstring examples run, every command and class is documented."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Literal
from rdflib.namespace import SKOS

import graph
from graph.cli import main
from graph.ontology import KG, load_ontology, ontology_dir
from graph.sparql import named_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(graph.__path__, prefix="graph.") if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert failures == 0


def test_the_installed_package_carries_its_ontology_and_queries():
    package_dir = Path(graph.__file__).resolve().parent
    assert ontology_dir() == package_dir / "ontology", "the wheel must ship ontology/ inside the package"
    assert (package_dir / "queries").is_dir() and named_queries()


def test_every_cli_command_is_in_the_readme():
    for name in main.commands:
        assert re.search(rf"`kg {name}\b", README), f"kg {name} is not documented in README.md"


def test_every_named_query_is_in_the_readme():
    for name in named_queries():
        assert name in README, f"named query {name} is not documented in README.md"


def test_every_ontology_class_is_documented_in_both_languages():
    model = load_ontology()
    classes = [c for c in model.graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(KG))]
    assert len(classes) >= 20
    for cls in classes:
        languages = {label.language for label in model.graph.objects(cls, RDFS.label) if isinstance(label, Literal)}
        definitions = {d.language for d in model.graph.objects(cls, SKOS.definition)}
        assert {"en", "fr"} <= languages, cls
        assert {"en", "fr"} <= definitions, cls
        assert f"kg:{str(cls).split('#')[1]}" in README, f"{cls} is not documented in README.md"


def test_every_property_is_defined_in_both_languages():
    model = load_ontology()
    properties = [p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in model.graph.subjects(RDF.type, kind)]
    assert len(properties) >= 40
    for prop in properties:
        assert {"en", "fr"} <= {label.language for label in model.graph.objects(prop, RDFS.label)}, prop
        assert {"en", "fr"} <= {d.language for d in model.graph.objects(prop, SKOS.definition)}, prop


def test_the_ontology_contract_is_complete():
    names = {str(s).split("#")[1] for s in load_ontology().graph.subjects() if str(s).startswith(str(KG))}
    contract = """Organization Company GovernmentBody Person Place Country Population RestrictedPartyList
    Measure ExportControlListing ProcurementBan Legislation Tariff Partnership SupplyRelationship Ownership
    Position Event Negotiation StockListing Source Evidence country locatedIn subOrganizationOf targets
    imposedBy announcedBy onList appliesTo concerns reason legalBasis announcedOn startDate endDate
    licenseRequirement licensePolicy partner supplier customer owner ownedEntity share holder organization
    role partnerOf suppliesTo owns holdsPositionIn participant location date status evidence source
    confidence method quote charStart charEnd row""".split()
    assert set(contract) <= names, sorted(set(contract) - names)
