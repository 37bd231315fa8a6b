"""The house's layers, checked by import-linter (``[tool.importlinter]`` in pyproject.toml).

``lint-imports`` follows indirect imports and imports inside functions, and its "stages"
contract lists every package of ``graph/`` (exhaustive): a module that is in no layer, or an
arrow that runs up through any chain of imports, fails ``make test``. The tests below also
prove the check can fail, on copies of the package with one arrow added. A hand-written reader
of the import graph (:mod:`ast`, nothing imported) checks that no import cycle hides inside a
layer.
"""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "graph"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path = ROOT, config: Path = ROOT / "pyproject.toml") -> subprocess.CompletedProcess:
    """``lint-imports`` on the package found in ``package_parent`` (the source tree by default)."""
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=package_parent,
                          env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def copy_package(tmp_path: Path) -> Path:
    """A copy of ``graph/`` and the config in ``tmp_path``, to break on purpose."""
    shutil.copytree(PACKAGE, tmp_path / "graph", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_a_package_left_out_of_the_layers_fails(tmp_path):
    root = copy_package(tmp_path)
    config = root / "pyproject.toml"
    config.write_text(config.read_text().replace('    "screening",\n', "", 1))
    result = lint_imports(root, config)
    assert result.returncode != 0
    assert "graph.screening" in result.stdout


@pytest.mark.parametrize("module, added", [
    # storage knowing analysis: the store's arrow up to the network layer
    ("graph/store/backends.py", "from graph.network import topology\n"),
    # an indirect chain: the query guard -> screening -> lookup -> the resolver
    ("graph/serve/guard.py", "import graph.screening.lookup\n"),
    # a lazy import inside a function counts too
    ("graph/model/terms.py", "def _late():\n    from graph.builder import rdf\n"),
])
def test_an_arrow_that_runs_up_fails(tmp_path, module, added):
    root = copy_package(tmp_path)
    (root / module).write_text((root / module).read_text() + "\n" + added)
    result = lint_imports(root)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout or "broken" in result.stdout


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
                # "from . import _page" imports the module graph.outputs.page, not the package's code
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


@pytest.mark.parametrize("package", ["graph", "graph.network"])
def test_no_public_name_of_a_package_is_also_one_of_its_modules(package):
    # a submodule named like one of its package's functions replaces the function on the package
    # when it is first imported: a later ``from package import name`` gets the module (POST
    # /screen answered 500, "'module' object is not callable", from a fresh process)
    module = importlib.import_module(package)
    folder = Path(module.__file__).parent
    children = {p.stem for p in folder.glob("*.py")} | {p.parent.name for p in folder.glob("*/__init__.py")}
    assert not children & set(module.__all__), f"{package} names both a function and a module so"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_reaches(package: Path = PACKAGE) -> list[str]:
    """Every use of another module's private name, as ``importer <- module: name``.

    A private name (``_x``) is its module's own: another module neither imports it
    (``from graph.a import _x``) nor reads it through the module (``import graph.a as a``;
    ``a._x``). A private module (``sources/_base.py``) is its package's: the modules of that
    package share it, no other imports it.
    """
    files = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    root = package.name
    reaching = []
    for name, path in files.items():
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]

        def reach(module: str, private: str) -> None:
            if module != name:
                reaching.append(f"{name} <- {module}: {private}")

        def check_module(module: str) -> None:
            # a private module, or a module inside one, from outside the package that holds it
            parts = module.split(".")
            for i, part in enumerate(parts):
                holder = ".".join(parts[:i])
                if _private(part) and own_package != holder and not own_package.startswith(holder + "."):
                    reach(holder, part)

        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        local: dict[str, str] = {}  # a local name -> the module of the package it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == root:
                        check_module(alias.name)
                        # ``import graph.a`` binds ``graph``; ``import graph.a as a`` binds ``a``
                        bound = alias.asname or alias.name.split(".")[0]
                        local[bound] = alias.name if alias.asname else bound
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                elif node.module and node.module.split(".")[0] == root:
                    stem = node.module
                else:
                    continue
                check_module(stem)
                for alias in node.names:
                    full = f"{stem}.{alias.name}"
                    if full in files:  # a module
                        check_module(full)
                        local[alias.asname or alias.name] = full
                    elif _private(alias.name):
                        reach(stem, alias.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                chain, value = [], node.value
                while isinstance(value, ast.Attribute):
                    chain.append(value.attr)
                    value = value.value
                if isinstance(value, ast.Name) and value.id in local:
                    dotted = ".".join([local[value.id], *reversed(chain)])
                    if dotted in files:
                        reach(dotted, node.attr)
    return sorted(set(reaching))


def test_no_module_reaches_into_another_for_a_private_name():
    reaching = private_reaches()
    assert not reaching, "private names used outside their module: " + "; ".join(reaching)


def test_the_private_name_check_sees_every_way_in(tmp_path):
    # a package made for the test: each way of reaching in, and the uses that are allowed
    package = tmp_path / "graph"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("_hidden = 1\nshown = 2\n")
    (package / "sub" / "__init__.py").write_text("from graph.sub._base import Base\n")
    (package / "sub" / "_base.py").write_text("class Base:\n    pass\n")
    (package / "sub" / "ok.py").write_text("from graph.sub._base import Base\nfrom graph.a import shown\n")
    (package / "b.py").write_text("from graph.a import _hidden\n")
    (package / "c.py").write_text("from graph import a\nx = a._hidden\n")
    (package / "d.py").write_text("import graph.a\ndef f():\n    return graph.a._hidden\n")
    (package / "e.py").write_text("from graph.sub._base import Base\n")
    (package / "f.py").write_text("from .a import _hidden\n")
    assert private_reaches(package) == [
        "graph.b <- graph.a: _hidden",
        "graph.c <- graph.a: _hidden",
        "graph.d <- graph.a: _hidden",
        "graph.e <- graph.sub: _base",
        "graph.f <- graph.a: _hidden",
    ]
