"""nomenklatura's side of benchmarks/screen_quality.py, run in the benchmark-only venv.

Usage: ``.venv-bench/bin/python benchmarks/_nomenklatura_scores.py CASES.json SCORES.json``.
Reads the cases and their candidates, scores each case against each candidate with
``logic-v2`` and ``logic-v1`` (default configuration), and writes, per algorithm, each case's
best candidate and score, the threshold (yente's default, 0.7) and the rows scored per second
of this process's CPU time (the machine may be shared: wall time would count the others' work).
It imports nothing from this project: the project never depends on nomenklatura.
"""

from __future__ import annotations

import json
import sys
import time

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig

#: yente's default match threshold
THRESHOLD = 0.7


def main(request: str, answer: str) -> int:
    data = json.load(open(request, encoding="utf-8"))
    entities = {}
    for iri, info in data["entities"].items():
        proxy = model.make_entity("Organization")
        proxy.id = iri.rsplit("/", 1)[-1] or "x"
        proxy.add("name", info["names"][0])
        proxy.add("alias", info["names"][1:])
        if info.get("country"):
            proxy.add("country", info["country"])
        entities[iri] = proxy
    queries = []
    for at, case in enumerate(data["cases"]):
        query = model.make_entity("LegalEntity")
        query.id = f"q{at}"
        query.add("name", case["name"])
        queries.append(query)
    results, rates = {}, {}
    for name in ("logic-v2", "logic-v1"):
        algorithm = get_algorithm(name)
        config = ScoringConfig.defaults()
        algorithm.compare(queries[0], entities[next(iter(entities))], config)  # load its data once, untimed
        began = time.process_time()
        rows = []
        for case, query in zip(data["cases"], queries):
            best, best_score = None, 0.0
            scores = {}
            for iri in case["candidates"]:
                score = algorithm.compare(query, entities[iri], config).score
                scores[iri] = score
                if score > best_score:
                    best, best_score = iri, score
            truth = case["truth"]
            if truth and best_score > 0 and scores.get(truth) == best_score:
                best = truth  # a tie with an entity of the same name: the case's own counts
            rows.append((best, round(best_score, 4)))
        rates[name] = len(queries) / (time.process_time() - began)
        results[name] = rows
    json.dump({"threshold": THRESHOLD, "results": results, "rows_per_second": rates},
              open(answer, "w", encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
