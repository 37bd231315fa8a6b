"""exposure-kg: a knowledge-graph builder for sanctions and export-control exposure.

The public surface is small; each stage of the data flow lives in its own module:
``sources`` (readers) -> ``resolve`` -> ``rdf`` (builder) -> ``validate`` -> ``store`` ->
``sparql``. :func:`build` runs the whole flow; :func:`open_graph` and :func:`run_query` serve
notebooks and the CLI alike.
"""

from .errors import ExposureKGError, InputError, QueryError
from .pipeline import build, build_dataset
from .sparql import named_queries, run_query
from .store import open_graph
from .validate import validate

__version__ = "0.2.0"

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
