"""What a screening ran against, so that it can be shown to an examiner later.

A screening's answer depends on the graph (which lists, in which versions), on the settings
(``--as-of``, ``--hops``, thresholds, the matcher's limit) and on the tool's version. Every
output of ``kg screen`` carries the record :func:`screening_record` makes: the graph's
SHA-256 (of the graph file, and of its sources' digests, which any store gives), each
source's title, file, SHA-256 and date, the settings and the version, and the counterparty
file's own digest and reading notes. The record holds no clock time, so that the same
screening of the same graph gives the same bytes; the output file's date says when it ran.

Examples
--------
>>> from rdflib import Dataset, Literal, RDF
>>> from rdflib.namespace import DCTERMS
>>> from graph.model.ontology import KG, KGR
>>> ds = Dataset(default_union=True)
>>> g = ds.graph(KGR["source/lists-fcc"])
>>> _ = g.add((KGR["source/lists-fcc"], RDF.type, KG.Source))
>>> _ = g.add((KGR["source/lists-fcc"], KG.sha256, Literal("ab12")))
>>> _ = g.add((KGR["source/lists-fcc"], KG.file, Literal("lists/fcc.csv")))
>>> record = screening_record(ds, None, as_of=None, hops=1, threshold=None, limit=3)
>>> [(s["file"], s["sha256"]) for s in record["sources"]], record["settings"]["as_of"]
([('lists/fcc.csv', 'ab12')], 'latest (every measure, whatever its dates)')
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

__all__ = ["screening_record", "record_lines"]


def screening_record(graph, spec, *, as_of: date | None, hops: int, threshold: float | None, limit: int,
                     file: dict | None = None) -> dict:
    """The record of one screening: the graph's versions, its sources, the settings, the tool.

    Parameters
    ----------
    graph : rdflib.Graph, Dataset or pyoxigraph.Store
        The graph screened against (a Dataset whose default graph is the union).
    spec : str, pathlib.Path or None
        What ``--graph`` named; a file's bytes are hashed (a ``oxigraph:`` folder or a server
        is known by its sources' digest alone).
    as_of, hops, threshold, limit
        The screening's settings, as the screen used them.
    file : dict, optional
        The counterparty file's record (:meth:`graph.screening.counterparties.CounterpartyFile.record`).

    Returns
    -------
    dict
        ``tool`` (name and version), ``graph`` (``spec``, ``sha256`` of the
        file or None, ``sources_sha256``), ``sources`` (each as
        :func:`graph.store.provenance.graph_sources` reads it: ``iri``, ``title``, ``file``,
        ``sha256``, ``date``, ``url``, ``publisher``, ``retrieved``, ``list``), ``settings`` and
        ``input``.
    """
    from graph.resolve.matching import THRESHOLDS
    from graph.version import __version__
    from graph.store.provenance import graph_sources
    from graph.store.specs import parse_spec

    parsed = parse_spec(spec)
    sources = graph_sources(graph)
    digest = hashlib.sha256("\n".join(f"{s['iri']} {s['sha256'] or ''}" for s in sources).encode()).hexdigest()
    graph_sha = None
    if parsed.kind == "file" and Path(parsed.location).is_file():
        graph_sha = _sha256(Path(parsed.location))
    return {
        "tool": {"name": "exposure-kg", "version": __version__},
        "graph": {"spec": str(parsed), "sha256": graph_sha, "sources_sha256": digest},
        "sources": sources,
        "settings": {"as_of": as_of.isoformat() if as_of else "latest (every measure, whatever its dates)",
                     "hops": hops, "ownership_threshold": f"{threshold:g} %" if threshold is not None
                     else "each rule's own (50 %)",
                     # the matcher's answers (graph/resolve/matching.toml): a name's match depends on them
                     "match_threshold": f"{THRESHOLDS.match:g} (possible match from {THRESHOLDS.review:g})",
                     "matches_per_row": limit},
        "input": file,
    }


def record_lines(record: dict) -> list[str]:
    """The record as short lines of text, for a table's footer and a CSV's comment lines.

    Examples
    --------
    >>> lines = record_lines({"tool": {"name": "exposure-kg", "version": "0.4.0"},
    ...     "graph": {"spec": "out/graph.trig", "sha256": "ab", "sources_sha256": "cd"}, "sources": [],
    ...     "settings": {"as_of": "2024-01-01", "hops": 1}, "input": None})
    >>> print("\\n".join(lines))
    screened with exposure-kg 0.4.0
    graph out/graph.trig: sha256 ab; sources sha256 cd
    settings: as of 2024-01-01, hops 1
    """
    graph = record["graph"]
    lines = [f"screened with {record['tool']['name']} {record['tool']['version']}",
             f"graph {graph['spec']}: sha256 {graph['sha256'] or 'not a file'}; sources sha256 "
             f"{graph['sources_sha256']}",
             "settings: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in record["settings"].items())]
    for source in record["sources"]:
        lines.append(f"source {source['file'] or source['iri']}: sha256 {source['sha256'] or 'not recorded'}"
                     + (f", dated {source['date']}" if source.get("date") else ", date not stated")
                     + (f", retrieved {source['retrieved']}" if source.get("retrieved") else ""))
    file = record.get("input")
    if file:
        lines.append(f"input {file['file']}: sha256 {file['sha256']}")
        lines += file.get("report") or []
    return lines


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
