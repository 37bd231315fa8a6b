"""The network layer: the RDF graph projected onto networkx, and the analyses run on it.

Names are imported when first used (PEP 562), so that a command that needs the exposure search
alone does not load networkx and rdflib with the projection.

>>> from graph.network import project, exposure
>>> callable(project) and callable(exposure)
True
"""

from importlib import import_module

#: public name -> the module that defines it
_NAMES = {
    "project": "graph.network.projection",
    "SUBSIDIARY": "graph.network.evidence",
    "SOURCE_KEYS": "graph.network.evidence",
    "fetch_sources": "graph.network.evidence",
    "exposure": "graph.network.paths",
    "exposure_paths": "graph.network.paths",
    "edge_kinds": "graph.network.paths",
    "in_force": "graph.network.paths",
    "listed_entities": "graph.network.paths",
    "format_exposure": "graph.network.report",
    "ownership": "graph.network.ownership_rule",
    "restricted_rounds": "graph.network.ownership_rule",
    "write_topology": "graph.network.topology.file",
    "open_topology": "graph.network.topology.file",
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
    "restricted_rounds",
    "write_topology",
    "open_topology",
    "SUBSIDIARY",
    "SOURCE_KEYS",
]


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_NAMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

