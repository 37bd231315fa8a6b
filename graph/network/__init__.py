"""The network layer: the RDF graph projected onto networkx, and the analyses run on it.

Names are imported when first used (PEP 562), so that a command that needs the exposure search
alone does not load networkx and rdflib with the projection.

>>> from graph.network import project, exposure
>>> callable(project) and callable(exposure)
True
"""

from importlib import import_module

#: public name -> the module of this package that defines it
_NAMES = {
    "project": "projection",
    "SUBSIDIARY": "evidence",
    "SOURCE_KEYS": "evidence",
    "fetch_sources": "evidence",
    "exposure": "exposure",
    "exposure_paths": "exposure",
    "edge_kinds": "exposure",
    "in_force": "exposure",
    "listed_entities": "exposure",
    "format_exposure": "report",
    "ownership": "ownership",
    "effective_shares": "ownership",
    "write_topology": "topology",
    "open_topology": "topology",
}

__all__ = [
    "project",
    "exposure",
    "exposure_paths",
    "edge_kinds",
    "in_force",
    "listed_entities",
    "format_exposure",
    "ownership",
    "effective_shares",
    "write_topology",
    "open_topology",
    "SUBSIDIARY",
    "SOURCE_KEYS",
]


# ``exposure`` and ``ownership`` each name a function and the module that defines it. Importing
# such a module (``from graph.network.exposure import exposure_paths``) rebinds the package's
# name to the module, after which ``from graph.network import exposure`` handed out the module
# where the function was meant ("'module' object is not callable"). Both modules are light
# (standard library only), so the functions are bound here, once and for all.
from graph.network.exposure import exposure  # noqa: E402
from graph.network.ownership import ownership  # noqa: E402


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_NAMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
