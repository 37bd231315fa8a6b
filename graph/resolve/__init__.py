"""Resolution: one canonical IRI for every real-world entity, whatever the source calls it.

One module per job:

- :mod:`graph.model.names` (below this package): name keys, shared with readers and the extractor;
- :mod:`~graph.resolve.decisions`: an analyst's reviewed ``confirm`` / ``forbid`` pairs;
- :mod:`~graph.resolve.matching`: how alike two names are, the three answers (match,
  possible match, no match) and their explanation; thresholds in ``matching.toml``. The build,
  ``kg screen``, ``kg lookup`` and the site's search all score with it;
- :mod:`~graph.resolve.blocks`: the names seen so far, blocked, and the candidates a new name
  meets, scored by the matcher;
- :mod:`~graph.resolve.entities`: entities merged on decisions, identifiers, names and the
  matcher's answer, and :func:`match_name`, which screens one name with the same matcher;
- :mod:`~graph.resolve.measures`: measures from different sources merged into one;
- :mod:`~graph.resolve.extracted`: extracted facts merged into the curated facts they restate;
- :mod:`~graph.resolve.ties`: relationships several sources state alike, one relationship;
- :mod:`~graph.resolve.resolver`: :func:`resolve`, which runs them in order, and
  :mod:`~graph.resolve.result`, what it returns.

Curated sources are resolved first and give the canonical IRIs; later sources merge into them.

Examples
--------
>>> from graph.model.names import name_key
>>> name_key("Sense Time") == name_key("SenseTime") == name_key("SENSETIME LIMITED")
True
"""

from __future__ import annotations

from graph.resolve.decisions import Decision, find_decisions, load_decisions
from graph.resolve.entities import MERGE_SCORE, NEAR_MISS_SCORE, Match, match_name
from graph.resolve.extracted import is_extracted
from graph.resolve.resolver import resolve
from graph.resolve.result import Merge, NearMiss, Resolution, family_of

__all__ = ["Resolution", "resolve", "is_extracted", "Merge", "NearMiss", "Decision", "Match", "match_name",
           "load_decisions", "find_decisions", "family_of", "MERGE_SCORE", "NEAR_MISS_SCORE"]
