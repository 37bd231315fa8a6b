"""The suite's own arrangement: the files `make test` starts first exist."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_the_files_started_first_are_test_files_of_this_suite(request):
    # a renamed or removed file would silently fall back to the end of the run
    conftest = next(p for p in request.config.pluginmanager.get_plugins() if hasattr(p, "LONGEST_FIRST"))
    missing = [name for name in conftest.LONGEST_FIRST if not (TESTS / name).is_file()]
    assert not missing, f"tests/conftest.py LONGEST_FIRST names files that do not exist: {missing}"
