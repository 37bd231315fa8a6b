"""Shared fixtures: the project's real data, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import build, open_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's own data/ folder (read only: copy it before changing anything)."""
    return DATA


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory) -> Path:
    """out/ of a full build of data/, made once per session."""
    out = tmp_path_factory.mktemp("seed") / "out"
    build([DATA], out)
    return out


@pytest.fixture(scope="session")
def seed_graph(seed_out):
    """The built graph, opened the way the CLI opens it."""
    return open_graph(seed_out / "graph.trig")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break or change inputs."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def article_out(tmp_path_factory) -> Path:
    """out/ of a build of the seed article alone (data/ without its relationship tables and lists)."""
    root = tmp_path_factory.mktemp("article")
    shutil.copytree(DATA, root / "data", ignore=shutil.ignore_patterns("relationships", "lists"))
    build([root / "data"], root / "out")
    return root / "out"


@pytest.fixture(scope="session")
def article_graph(article_out):
    """The seed article's graph, opened the way the CLI opens it."""
    return open_graph(article_out / "graph.trig")
