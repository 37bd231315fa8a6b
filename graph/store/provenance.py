"""Which sources, and which versions of which lists, a graph was built from.

Every answer of the tool depends on the versions of the official lists the graph holds: the
same question asked of next week's build may answer otherwise. The graph records each list
version as a ``kg:Source`` (title, publisher, file, URL, publication date, SHA-256 and, for a
version ``kg fetch`` kept, ``kg:retrieved``); :func:`graph_sources` reads them back with the
named query ``graph-sources``, from whatever store holds the graph, so that the answer given
from a user's ``--graph`` names the lists that graph was built from. ``kg screen`` records
them all (:func:`graph.screening.record.screening_record`); ``kg exposure``, ``kg ownership``
and the site name the lists among them (:func:`lists_used`, :func:`lists_lines`).

Examples
--------
>>> from rdflib import Dataset, Literal, RDF, XSD
>>> from rdflib.namespace import DCTERMS
>>> from graph.model.ontology import KG, KGR
>>> ds = Dataset(default_union=True)
>>> g = ds.graph(KGR["source/lists-csl"])
>>> src, measure, evidence = KGR["source/lists-csl"], KGR["measure/m"], KGR["evidence/e"]
>>> for p, o in ((RDF.type, KG.Source), (DCTERMS.title, Literal("CSL")), (DCTERMS.type, Literal("table")),
...              (KG.sha256, Literal("054553ac960f9db1")), (DCTERMS.issued, Literal("2023-11-30", datatype=XSD.date))):
...     _ = g.add((src, p, o))
>>> _ = g.add((measure, KG.onList, KGR["list/csl"]))
>>> _ = g.add((measure, KG.evidence, evidence))
>>> _ = g.add((evidence, KG.source, src))
>>> print("\\n".join(lists_lines(lists_used(ds))))
lists used (versions read from the graph):
  CSL: dated 2023-11-30, sha256 054553ac960f, not fetched
"""

from __future__ import annotations

__all__ = ["graph_sources", "lists_used", "lists_lines", "SHA_PREFIX"]

#: how many hexadecimal digits of a version's SHA-256 an answer prints (as ``kg fetch`` names files)
SHA_PREFIX = 12


def graph_sources(graph) -> list[dict]:
    """Every ``kg:Source`` of ``graph``, with what the graph records of it, sorted by IRI.

    Parameters
    ----------
    graph : rdflib.Graph, Dataset or pyoxigraph.Store
        The built graph (:func:`graph.store.backends.open_graph`), or the Oxigraph store it
        lives in.

    Returns
    -------
    list of dict
        Per source: ``iri``, ``title``, ``publisher``, ``file``, ``url``, ``date`` (the
        publication date, ``dcterms:issued``), ``retrieved`` (when ``kg fetch`` downloaded
        it, else None), ``sha256`` (all text or None) and ``list`` (True for a table that
        puts entities on a restricted-party list: a version of an official list).

    Raises
    ------
    QueryError
        The store refused the query (a remote server that is down).
    """
    if hasattr(graph, "quads_for_pattern"):
        # a bare pyoxigraph Store (kg exposure on a store's arrays): asked directly, so that the
        # answer loads no rdflib (tests/test_topology.py)
        from importlib import resources

        text = (resources.files("graph.store") / "queries" / "graph-sources.rq").read_text(encoding="utf-8")
        solutions = graph.query(text, use_default_graph_as_union=True)
        names = [variable.value for variable in solutions.variables]
        rows = [{name: None if solution[i] is None else solution[i].value for i, name in enumerate(names)}
                for solution in solutions]
    else:
        from graph.store.sparql import get_query, run_query

        rows = run_query(graph, get_query("graph-sources")).records()
    out: dict[str, dict] = {}
    for row in rows:
        if row["source"] in out:  # a property given twice: the first value, as sorted, stands
            continue
        out[row["source"]] = {"iri": row["source"], "title": row["title"], "publisher": row["publisher"],
                              "file": row["file"], "url": row["url"], "date": row["issued"],
                              "retrieved": row["retrieved"], "sha256": row["sha256"],
                              "list": str(row["list"]) == "yes"}
    return [out[iri] for iri in sorted(out)]


def lists_used(graph) -> list[dict]:
    """The list versions ``graph`` holds: the sources of :func:`graph_sources` that are lists.

    An answer from the graph (an exposure path, an ownership finding, an entity's page) used
    these versions: which entities are listed, and since when, comes from them.
    """
    return [source for source in graph_sources(graph) if source["list"]]


def lists_lines(lists: list[dict]) -> list[str]:
    """The list versions as lines of text: a footer under a table, ``#`` lines atop a CSV.

    Each names the list (its title), its date (the publication date the file states, else for a
    fetched version the day it was retrieved), its SHA-256's first
    :data:`SHA_PREFIX` digits and when ``kg fetch`` retrieved it ("not fetched" for a file
    shipped in ``data/``), or says which of them the graph does not record.
    """
    lines = ["lists used (versions read from the graph):"]
    if not lists:
        lines.append("  none: the graph holds no official list")
    for source in lists:
        # dcterms:issued: the publication date the file states, else (a fetched version) the
        # day it was retrieved, from which its undated entries are in force
        published = f"dated {source['date']}" if source.get("date") else "date not stated"
        sha = f"sha256 {source['sha256'][:SHA_PREFIX]}" if source.get("sha256") else "sha256 not recorded"
        # a file shipped in data/ (or put there by hand) has no retrieval time: kg fetch did not fetch it
        retrieved = f"retrieved {source['retrieved']}" if source.get("retrieved") else "not fetched"
        lines.append(f"  {source['title'] or source['file'] or source['iri']}: {published}, {sha}, {retrieved}")
    return lines
