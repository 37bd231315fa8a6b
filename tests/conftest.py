"""Shared fixtures: the project's real data, built once per test session.

A full build of data/ costs about 15 s of CPU: tests that only read a build use ``seed_out``
(all of data/) or ``article_out`` (the seed article alone), and ``seed_store`` /
``article_store`` for the same builds in an ``oxigraph:DIR`` store, rather than building again.
The builds and their stores are made once per run, even when ``pytest -n`` spreads the tests over several
processes: the first process to need one builds it, the others wait for it and read the same
files (read only: copy a build before changing it). Tests that change inputs build
``seed_data`` (a second) or ``data_copy``; mark them ``slow`` if they build data/ in full.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from graph import build, open_graph
from graph.builder.pipeline import save_built

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


#: the files that take longest (servers waiting out their timeouts, full-size builds, sites and
#: stores, Virtuoso, the notebooks), longest first: `make test` hands whole files to its workers
#: in this order, then the other files by their number of tests, so that no worker is left
#: running one long file at the end while the other waits
LONGEST_FIRST = ("test_topology.py", "test_docs.py", "test_store.py", "test_screen.py", "test_connections.py",
                 "test_virtuoso.py", "test_notebooks.py", "test_extract_parse.py", "test_provenance.py",
                 "test_serve.py", "test_serve_guard.py", "test_screen_http.py", "test_pipeline.py", "test_diff.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files in :data:`LONGEST_FIRST`'s order, then the others by their number of tests."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.path.name] = counts.get(item.path.name, 0) + 1
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: (rank.get(item.path.name, len(rank)), -counts[item.path.name], item.path.name))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's own data/ folder (read only: copy it before changing anything)."""
    return DATA


def _made_once(tmp_path_factory, name: str, make) -> Path:
    """``make(folder)`` run once per test run, whichever process of ``pytest -n`` asks first.

    The folder is shared by the run's processes (the parent of each one's temporary folder);
    a lock file makes the others wait until it is made, then they return the same folder.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each process's own
    folder, done = base / name, base / f"{name}.done"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a process that failed left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory) -> Path:
    """out/ of a full build of data/, made once per test run.

    Built without the SHACL check (40 % of a build's time): tests/test_validate.py checks
    this very build against the shapes.
    """
    return _made_once(tmp_path_factory, "seed", lambda folder: build([DATA], folder / "out", check=False)) / "out"


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


@pytest.fixture
def seed_data(tmp_path) -> Path:
    """A writable copy of the seed's own sources only (article, curated facts, reference table).

    Builds of it take a second, so tests that break inputs and rebuild use it rather than
    the whole of data/ with its official lists.
    """
    target = tmp_path / "data"
    for folder in ("articles", "facts", "reference"):
        shutil.copytree(DATA / folder, target / folder)
    return target


@pytest.fixture(scope="session")
def article_out(tmp_path_factory) -> Path:
    """out/ of a build of the seed article alone (data/ without its relationship tables and lists)."""

    def make(root: Path) -> None:
        shutil.copytree(DATA, root / "data", ignore=shutil.ignore_patterns("relationships", "lists"))
        build([root / "data"], root / "out")

    return _made_once(tmp_path_factory, "article", make) / "out"


@pytest.fixture(scope="session")
def article_graph(article_out):
    """The seed article's graph, opened the way the CLI opens it."""
    return open_graph(article_out / "graph.trig")


def _oxigraph_copy(out: Path, folder: Path) -> str:
    """The build in ``out`` loaded into a new Oxigraph store in ``folder``: its spec."""
    trig = out / "graph.trig"
    spec = f"oxigraph:{folder}"
    save_built(open_graph(trig), spec, file=trig)
    return spec


@pytest.fixture(scope="session")
def seed_store(seed_out, tmp_path_factory) -> str:
    """``oxigraph:DIR``: the session's build of data/ in a persistent Oxigraph store (open it read only)."""
    folder = _made_once(tmp_path_factory, "seed-store", lambda made: _oxigraph_copy(seed_out, made / "ox"))
    return f"oxigraph:{folder / 'ox'}"


@pytest.fixture(scope="session")
def article_store(article_out, tmp_path_factory) -> str:
    """``oxigraph:DIR``: the session's build of the seed article in a persistent Oxigraph store (read only)."""
    folder = _made_once(tmp_path_factory, "article-store", lambda made: _oxigraph_copy(article_out, made / "ox"))
    return f"oxigraph:{folder / 'ox'}"


@pytest.fixture
def unused_port() -> int:
    """A loopback TCP port nothing listens on (for servers the test starts, or expects missing)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def start_server():
    """Start an endpoint process on a free loopback port: ``start(argv, cwd=None) -> (base_url, stop)``.

    ``argv`` runs with ``{port}`` replaced; the call returns once the port accepts connections
    (or fails the test with the process's output). Call ``stop()`` when done.
    """
    import socket
    import subprocess
    import tempfile
    import time

    def start(argv: list[str], cwd=None):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        log = tempfile.TemporaryFile()
        process = subprocess.Popen([a.replace("{port}", str(port)) for a in argv], stdout=log,
                                   stderr=subprocess.STDOUT, cwd=cwd)

        def output() -> str:
            log.seek(0)
            return log.read().decode("utf-8", "replace")

        def stop() -> None:
            process.terminate()
            process.wait(10)
            log.close()

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return f"http://127.0.0.1:{port}", stop
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"the server exited: {output()}")
                time.sleep(0.1)
        stop()
        pytest.fail(f"the server did not listen within 60 s: {output()}")

    return start
