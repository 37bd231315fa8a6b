"""The examples in the extraction modules' docstrings run as written."""

import doctest
import importlib

import pytest

MODULES = ["graph.extract", "graph.extract.text", "graph.extract.gazetteer", "graph.extract.dates",
           "graph.extract.rules", "graph.extract.ner", "graph.extract.relations", "graph.extract.extractor",
           "graph.extract.cache", "graph.extract.evaluate", "graph.extract.output", "graph.extract.build",
           "graph.extract.cli_support"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
