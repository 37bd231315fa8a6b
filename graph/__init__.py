"""exposure-kg: a knowledge-graph builder for sanctions and export-control exposure.

The public surface is small; each stage of the data flow lives in its own module:
``sources`` (readers) -> ``resolve`` -> ``rdf`` (builder) -> ``validate`` -> ``store`` ->
``sparql``. :func:`build` runs the whole flow; :func:`open_graph` and :func:`run_query` serve
notebooks and the CLI alike.
"""

import sys
import types
from importlib import import_module

from .errors import ExposureKGError, InputError, QueryError

__version__ = "0.4.0"

#: public name -> the module that defines it, imported when the name is first used (PEP 562):
#: a command that needs one stage does not load the others (the builder loads rdflib, pyshacl...)
_LAZY = {
    "build": "pipeline",
    "build_dataset": "pipeline",
    "run_query": "sparql",
    "named_queries": "sparql",
    "open_graph": "store",
    "validate": "validate",
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
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package's module: ``graph.validate`` stays the function when its module is imported.

    Importing a submodule binds it on the package under its name; the public ``validate`` is
    the function of the module ``graph.validate``, as it was when the package imported it
    at once.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
