"""The network layer: the RDF graph projected onto networkx, and the analyses run on it.

>>> from graph.network import project
>>> callable(project)
True
"""

from .projection import SOURCE_KEYS, SUBSIDIARY, project

__all__ = ["project", "SUBSIDIARY", "SOURCE_KEYS"]
