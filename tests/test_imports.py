"""The house's layers: no import cycle in ``graph/``, and the low layers never import the high ones.

The import graph is read from the source with :mod:`ast` (nothing is imported), counting
absolute and relative imports, and imports inside functions too: a lazy import is still a
dependency, only a hidden one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"

#: modules below the builder: they serve every command and must stay light
LOW = ("graph.store", "graph.sparql", "graph.terms", "graph.ontology", "graph.validate", "graph.serve",
       "graph.workers", "graph.files", "graph.names", "graph.errors")
#: what the low modules must never import: readers, the resolver, the builder, the pipeline, the CLI
HIGH = ("graph.sources", "graph.resolve", "graph.rdf", "graph.pipeline", "graph.cli")


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package -> the modules of the package it imports."""
    files = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # "from . import _page" imports the module graph._page, not the package's code
                modules = {f"{stem}.{alias.name}" for alias in node.names} & set(files)
                targets.update(modules or {stem})
        graph[name] = {_known(t, files) for t in targets if _known(t, files)} - {name}
    return graph


def _known(target: str, files: dict[str, Path]) -> str | None:
    """The package module ``target`` names (a name inside a module counts as the module)."""
    while target:
        if target in files:
            return target
        target = target.rpartition(".")[0]
    return None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("low", LOW)
def test_low_layers_import_no_reader_resolver_builder_or_cli(low):
    graph = import_graph()
    if low not in graph:
        pytest.skip(f"{low} does not exist")
    wrong = sorted(t for t in graph[low] if any(t == h or t.startswith(h + ".") for h in HIGH))
    assert not wrong, f"{low} imports {', '.join(wrong)}"


def test_the_reader_sees_relative_lazy_and_absolute_imports(tmp_path):
    # a package made for the test: a lazy relative import closes a cycle, an absolute one is seen
    package = tmp_path / "graph"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .sub.b import thing\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text("def thing():\n    from ..a import other\n")
    (package / "c.py").write_text("import graph.a\nfrom . import sub\n")
    graph = import_graph(package)
    assert graph["graph.c"] == {"graph.a", "graph.sub"}
    assert find_cycle(graph) == ["graph.a", "graph.sub.b", "graph.a"]


@pytest.mark.parametrize("name", ["exposure", "ownership"])
def test_a_function_named_like_its_module_stays_a_function(name):
    """Importing graph.network.exposure first used to rebind graph.network's ``exposure`` to the
    module: POST /screen answered 500 ("'module' object is not callable") from a fresh process."""
    import subprocess
    import sys

    code = (f"import graph.network.{name}; from graph.network import {name}; "
            f"assert callable({name}), type({name})")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
