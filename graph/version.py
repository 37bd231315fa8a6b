"""The package's version, at the ground floor so that any layer can print it.

>>> from graph.version import __version__
>>> __version__.count(".")
2
"""

__version__ = "0.11.0"
