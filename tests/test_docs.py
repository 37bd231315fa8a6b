"""Documentation that must not rot: docstring examples run, every command and class is documented,
and every example output in README.md and docs/*.md is what the command prints now."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import re
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Literal
from rdflib.namespace import SKOS

import graph
from graph.cli import main
from graph.model.ontology import KG, load_ontology, ontology_dir
from graph.store.sparql import named_queries

ROOT = Path(__file__).resolve().parent.parent


def _load_examples():
    """docs/examples.py, the script that rewrites the example blocks (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("docs_examples", ROOT / "docs" / "examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


examples = _load_examples()
DOCUMENTS = examples.documents(ROOT)
#: the user documentation: README.md and the pages of docs/
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in DOCUMENTS)
EXAMPLES = examples.find_examples(DOCUMENTS)

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
    assert (package_dir / "store" / "queries").is_dir() and named_queries()
    assert (package_dir / "outputs" / "templates" / "graph.html").is_file()


def test_every_cli_command_is_in_the_one_command_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = [line for line in reference.split("\n## ", 1)[0].splitlines() if line.startswith("| `kg ")]
    for name in main.commands:
        assert any(re.match(rf"\| `kg {name}\b", row) for row in table), f"kg {name} is not in docs/cli.md's table"
    assert "docs/cli.md" in readme, "README.md links to the command table"


def test_the_readme_is_short_and_its_prose_and_tables_narrow():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
    # a command's output is shown as the terminal prints it; prose and tables fit 100 columns
    fenced, wide = False, []
    for n, line in enumerate(lines, 1):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and len(line) > 100 and not line.startswith(("![", "<!-- example:")):
            wide.append(n)
    assert not wide, f"README.md lines wider than 100 columns: {wide}"


def test_every_named_query_is_documented():
    for name in named_queries():
        assert name in DOCS, f"named query {name} is not documented in README.md or docs/"


def test_every_ontology_class_is_documented_in_both_languages():
    model = load_ontology()
    classes = [c for c in model.graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(KG))]
    assert len(classes) >= 20
    for cls in classes:
        languages = {label.language for label in model.graph.objects(cls, RDFS.label) if isinstance(label, Literal)}
        definitions = {d.language for d in model.graph.objects(cls, SKOS.definition)}
        assert {"en", "fr"} <= languages, cls
        assert {"en", "fr"} <= definitions, cls
        assert f"kg:{str(cls).split('#')[1]}" in DOCS, f"{cls} is not documented in README.md or docs/"


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


# ------------------------------------------------------------------ example outputs in the docs


def _cheap(example) -> bool:
    """Help and lists need no graph: they run in every test run."""
    return not example.is_build and ("--help" in example.argv or "--list" in example.argv)


@pytest.fixture(scope="module")
def built_runner(seed_out, tmp_path_factory):
    """Runs examples in a folder laid out like the project, with the session's build as out/.

    Each command runs in a process of its own, forked from one helper that imported the
    package (and spaCy's pipelines) once.
    """
    tmp = tmp_path_factory.mktemp("examples")
    processes = examples.KgProcesses()
    yield examples.Runner(examples.prepare(tmp / "project", built=seed_out), tmp, processes)
    processes.close()


@pytest.fixture(scope="module")
def bare_runner(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("examples-bare")
    return examples.Runner(examples.prepare(tmp / "project"), tmp)


def test_the_docs_show_examples():
    files = {example.file.name for example in EXAMPLES}
    assert "README.md" in files and len(EXAMPLES) >= 20, files


@pytest.mark.parametrize(
    "example", [pytest.param(e, id=e.name, marks=[] if _cheap(e) else [pytest.mark.slow]) for e in EXAMPLES]
)
def test_example_output_is_what_the_command_prints(example, request):
    runner = request.getfixturevalue("bare_runner" if _cheap(example) else "built_runner")
    assert runner.output(example) == example.body, (
        f"{example.name}: `{example.command}` prints something else now; "
        "run `python docs/examples.py --write` and review the diff")


def test_the_examples_script_rewrites_only_marked_blocks(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- example: kg query --list -->\n```console\n$ kg query --list\nold\n```\n\n"
                    "```console\n$ kg query --list\nunmarked\n```\n", encoding="utf-8")
    (example,) = examples.find_examples([page])
    text = examples.rewrite(page, {example.line: "$ kg query --list\nnew\n"})
    assert "new\n```" in text and "old" not in text and "unmarked" in text


def test_the_examples_script_refuses_a_marker_without_a_block(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- example: kg query --list -->\nno block here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="page.md: 1 example marker"):
        examples.find_examples([page])


def test_the_examples_script_docstring_examples_run():
    failures, tried = doctest.testmod(examples, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 3 and failures == 0


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_links_between_the_docs_point_to_pages_and_headings_that_exist():
    for path in DOCUMENTS:
        for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            file, _, anchor = target.partition("#")
            page = (path.parent / file).resolve() if file else path
            assert page.exists(), f"{path.name}: link to missing {target}"
            if anchor and page.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
                assert anchor in {_anchor(h) for h in headings}, f"{path.name}: no heading for #{anchor} in {file}"


def test_the_module_table_of_development_md_names_every_module_of_the_tree():
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    section = text.split("## The house", 1)[1].split("\n## ", 1)[0]
    named = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`graph/"):
            folder = cells[1].strip("`")
            named |= {folder + m.strip("` ") + ".py" for m in cells[2].split(",")}
    tree = {str(p.relative_to(ROOT)) for p in (ROOT / "graph").rglob("*.py") if p.name != "__init__.py"}
    assert named - tree == set(), "docs/development.md names modules that do not exist"
    assert tree - named == set(), "modules missing from docs/development.md's table"
