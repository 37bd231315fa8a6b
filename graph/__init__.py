"""exposure-kg: a knowledge-graph builder for sanctions and export-control exposure.

The public surface is small; each stage of the data flow is a folder: ``sources`` (readers)
-> ``extract`` -> ``resolve`` -> ``builder`` -> ``check`` -> ``store``, then ``network``,
``outputs``, ``screening`` and ``serve``. :func:`build` runs the whole flow;
:func:`open_graph` and :func:`run_query` serve notebooks and the CLI alike.
"""

from importlib import import_module

from graph.errors import ExposureKGError, InputError, QueryError
from graph.version import __version__

#: public name -> the module that defines it, imported when the name is first used (PEP 562):
#: a command that needs one stage does not load the others (the builder loads rdflib, pyshacl...)
_LAZY = {
    "build": "graph.builder.pipeline",
    "build_dataset": "graph.builder.pipeline",
    "run_query": "graph.store.sparql",
    "named_queries": "graph.store.sparql",
    "open_graph": "graph.store.backends",
    "validate": "graph.check.validate",
}

__all__ = [
    "build",
    "build_dataset",
    "open_graph",
    "run_query",
    "named_queries",
    "validate",
    "ExposureKGError",
    "InputError",
    "QueryError",
    "__version__",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
