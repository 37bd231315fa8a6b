"""The network layer: the RDF graph projected onto networkx, and the analyses run on it.

>>> from graph.network import project, exposure
>>> callable(project) and callable(exposure)
True
"""

from .exposure import edge_kinds, exposure, exposure_paths, in_force, listed_entities
from .ownership import effective_shares, ownership
from .projection import SOURCE_KEYS, SUBSIDIARY, project
from .report import format_exposure

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
    "SUBSIDIARY",
    "SOURCE_KEYS",
]
