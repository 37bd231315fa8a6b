"""What changed between two builds: listings, exposure rows, entities, merges and evidence.

Both builds are read as graphs (files or stores); nothing is rebuilt. Listings are (measure,
target) pairs; exposure rows are :func:`graph.network.paths` results keyed by (listed,
exposed) and compared by path, confidence and sources; entities by IRI; merges by the names
and identifiers each entity gathered (a name that moved from one entity to another is a merge
that changed); evidence by what it says and where (fact, source, file, row, quote, URL), and
evidence that only moved to another row number is counted as renumbered, not as new.

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from graph.model.ontology import KG, KGR
>>> old, new = Graph(), Graph()
>>> for g in (old, new):
...     _ = g.add((KGR["org/a"], RDF.type, KG.Agent)).add((KGR["org/a"], RDFS.label, Literal("A")))
>>> _ = new.add((KGR["org/b"], RDF.type, KG.Agent)).add((KGR["org/b"], RDFS.label, Literal("B")))
>>> change = diff(old, new)
>>> [e["label"] for e in change["entities"]["added"]], summary(change)
(['B'], 'exposure: 0 -> 0 rows; listings: +0 -0; entities: +1 -0; merges changed: 0; evidence: +0 -0')
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from graph.errors import ArgumentError, FormatError
from graph.io.tables import shown

__all__ = ["diff", "summary", "format_diff", "DIFF_FORMATS"]

#: output formats of :func:`format_diff`
DIFF_FORMATS = ("text", "md", "json", "html")

_EVIDENCE_QUERY = """
PREFIX kg: <https://w3id.org/exposure-kg/ontology#>
SELECT ?evidence ?fact ?source ?file ?row ?quote ?url WHERE {
  ?fact kg:evidence ?evidence .
  OPTIONAL { ?evidence kg:source ?source }
  OPTIONAL { ?evidence kg:file ?file }
  OPTIONAL { ?evidence kg:row ?row }
  OPTIONAL { ?evidence kg:quote ?quote }
  OPTIONAL { ?evidence kg:url ?url }
}"""
_NAMES_QUERY = """
PREFIX kg: <https://w3id.org/exposure-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?name WHERE {
  ?entity a kg:Agent .
  { ?entity rdfs:label ?name } UNION { ?entity skos:altLabel ?name } UNION { ?entity kg:identifier ?name }
}"""


def diff(old, new, *, hops: int = 1, country: str | None = "US", as_of=None) -> dict:
    """Compare two built graphs.

    Parameters
    ----------
    old, new : rdflib.Graph or Dataset
        The earlier and the later build (:func:`graph.store.backends.open_graph`).
    hops, country, as_of
        The exposure search to compare (see :func:`graph.network.paths`); a country code
        neither graph knows means no exposure rows on that side.

    Returns
    -------
    dict
        ``listings``, ``exposure``, ``entities``, ``merges``, ``evidence``: each with
        ``added`` and ``removed`` lists (``exposure`` also ``changed``, and ``rows``: the count
        before and after; ``merges`` lists ``changed`` entities with the names they gained
        and lost). Every list is sorted, so the same builds give the same diff.
    """
    from graph.network import project

    graphs = (old, new)
    projections = [project(g) for g in graphs]
    sides = [_side(g, G, hops=hops, country=country, as_of=as_of) for g, G in zip(graphs, projections)]
    a, b = sides
    out: dict = {}
    out["listings"] = {"added": _values(b["listings"], a["listings"]), "removed": _values(a["listings"], b["listings"])}
    changed = []
    for key in sorted(set(a["exposure"]) & set(b["exposure"])):
        before, after = a["exposure"][key], b["exposure"][key]
        # a row deleted above shifts the numbers of the rows below it: that is no new source
        what = [f for f in ("path", "confidence", "sources")
                if (before[f] != after[f] if f != "sources" else _unnumbered(before[f]) != _unnumbered(after[f]))]
        if what:
            changed.append({"listed_label": after["listed_label"], "exposed_label": after["exposed_label"],
                            "listed": key[0], "exposed": key[1], "changed": what, "before": before, "after": after})
    out["exposure"] = {"rows": [len(a["exposure"]), len(b["exposure"])],
                       "added": _values(b["exposure"], a["exposure"]), "removed": _values(a["exposure"], b["exposure"]),
                       "changed": changed}
    out["entities"] = {"added": _values(b["entities"], a["entities"]), "removed": _values(a["entities"], b["entities"])}
    merges = []
    for iri in sorted(set(a["names"]) & set(b["names"])):
        gained, lost = sorted(b["names"][iri] - a["names"][iri]), sorted(a["names"][iri] - b["names"][iri])
        if gained or lost:
            merges.append({"iri": iri, "label": b["entities"].get(iri, {}).get("label"), "gained": gained, "lost": lost})
    out["merges"] = {"changed": merges}
    added, removed = _values(b["evidence"], a["evidence"]), _values(a["evidence"], b["evidence"])
    # evidence that only moved to another row number (a row above it came or went) is the same evidence
    moved = {_place(x) for x in added} & {_place(x) for x in removed}
    out["evidence"] = {"added": _by_place([x for x in added if _place(x) not in moved]),
                       "removed": _by_place([x for x in removed if _place(x) not in moved]),
                       "renumbered": len(moved)}
    return out


def summary(change: dict) -> str:
    """One line: ``exposure: 23 -> 25 rows, 2 new: A -> B, ...; listings: +1 -0; ...``.

    >>> summary({"exposure": {"rows": [1, 2], "added": [{"listed_label": "L", "exposed_label": "X"}],
    ...          "removed": [], "changed": []}, "listings": {"added": [], "removed": []},
    ...          "entities": {"added": [], "removed": []}, "merges": {"changed": []},
    ...          "evidence": {"added": [], "removed": []}})
    'exposure: 1 -> 2 rows, 1 new: L -> X; listings: +0 -0; entities: +0 -0; merges changed: 0; evidence: +0 -0'
    """
    ex = change["exposure"]
    parts = [f"exposure: {ex['rows'][0]} -> {ex['rows'][1]} rows"]
    for word, rows in (("new", ex["added"]), ("gone", ex["removed"]), ("changed", ex["changed"])):
        if rows:
            names = ", ".join(f"{r['listed_label']} -> {r['exposed_label']}" for r in rows[:3])
            parts[0] += f", {len(rows)} {word}: {names}" + (", ..." if len(rows) > 3 else "")
    for name in ("listings", "entities"):
        parts.append(f"{name}: +{len(change[name]['added'])} -{len(change[name]['removed'])}")
    parts.append(f"merges changed: {len(change['merges']['changed'])}")
    parts.append(f"evidence: +{len(change['evidence']['added'])} -{len(change['evidence']['removed'])}")
    return "; ".join(parts)


def format_diff(change: dict, fmt: str = "text", *, title: str = "exposure-kg: what changed") -> str:
    """Render :func:`diff` as plain text, Markdown, JSON or a self-contained HTML page.

    Raises
    ------
    FormatError
        For an unknown format.
    """
    if fmt == "json":
        return json.dumps(change, ensure_ascii=False, indent=2) + "\n"
    if fmt not in DIFF_FORMATS:
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(DIFF_FORMATS)}")
    sections = _sections(change)
    if fmt == "html":
        return _html(change, sections, title)
    if fmt == "md":
        lines = [f"# {_md(title)}", "", _md(summary(change))]
        for heading, items in sections:
            lines += ["", f"## {_md(heading)} ({len(items)})", ""]
            lines += [f"- {_md(item)}" for item in items] or ["(none)"]
        return "\n".join(lines) + "\n"
    lines = [summary(change)]
    for heading, items in sections:
        lines.append(f"\n{heading} ({len(items)}):")
        lines += [f"  {item}" for item in items] or ["  (none)"]
    return shown("\n".join(lines)) + "\n"


# -- private helpers ----------------------------------------------------------------------
def _side(graph, G, *, hops: int, country, as_of) -> dict:
    from graph.network import exposure
    from graph.network.report import path_text, source_title
    from graph.store.sparql import run_query

    measures, lists = G.graph.get("measures", {}), G.graph.get("lists", {})
    listings = {}
    for measure, targets in G.graph.get("targets", {}).items():
        info = measures.get(measure, {})
        for target in targets:
            listings[(measure, target)] = {
                "measure": measure, "measure_label": info.get("label"), "target": target,
                "target_label": G.nodes[target].get("label") if target in G else None,
                "list": lists.get(info.get("list"), {}).get("label") if info.get("list") else None,
                "announced": info.get("announced"), "start": info.get("start"), "end": info.get("end")}
    try:
        records = exposure(G, hops=hops, country=country, as_of=as_of)
    except ArgumentError as exc:
        if exc.param != "country":
            raise
        records = []  # a country this build does not know: no row on this side
    rows = {}
    for record in records:
        sources = sorted({f"{source_title(s)} [{s.get('file') or ''}{', row ' + str(s['row']) if s.get('row') is not None else ''}"
                          f"{', ' + s['url'] if s.get('url') else ''}]"
                          for step in record["path"] for e in step["edges"] for s in e["sources"]})
        rows[(record["listed"]["iri"], record["exposed"]["iri"])] = {
            "listed": record["listed"]["iri"], "listed_label": record["listed"]["label"],
            "exposed": record["exposed"]["iri"], "exposed_label": record["exposed"]["label"],
            "hops": record["hops"], "path": path_text(record), "confidence": round(record["confidence"], 4),
            "sources": sources}
    entities = {n: {"iri": n, "label": d.get("label"), "country": d.get("country")} for n, d in G.nodes(data=True)}
    names: dict[str, set[str]] = defaultdict(set)
    for entity, name in run_query(graph, _NAMES_QUERY).rows:
        names[str(entity)].add(str(name))
    evidence = {}
    for ev, fact, source, file, row, quote, url in run_query(graph, _EVIDENCE_QUERY).rows:
        record = {"evidence": str(ev), "fact": str(fact), "source": _s(source), "file": _s(file),
                  "row": int(row) if row is not None else None, "quote": _s(quote), "url": _s(url)}
        # keyed by what it says and where, not by its IRI: a row's IRI may now name another row's words
        evidence[_place(record) + (record["row"] or 0,)] = record
    return {"listings": listings, "exposure": rows, "entities": entities, "names": names, "evidence": evidence}


def _unnumbered(sources: list[str]) -> list[str]:
    return sorted(re.sub(r", row \d+", "", s) for s in sources)


def _place(evidence: dict) -> tuple:
    return tuple(evidence.get(k) or "" for k in ("fact", "source", "file", "quote", "url"))


def _by_place(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda x: (x.get("file") or "", x.get("row") or 0, x["fact"], x["evidence"]))


def _s(term) -> str | None:
    return None if term is None else str(term)


def _values(these: dict, those: dict) -> list:
    return [these[k] for k in sorted(set(these) - set(those))]


def _sections(change: dict) -> list[tuple[str, list[str]]]:
    def listing(x):
        dates = ", ".join(f"{k} {x[k]}" for k in ("announced", "start", "end") if x.get(k))
        return f"{x['target_label'] or x['target']}: {x['measure_label'] or x['measure']}" + (
            f" ({x['list']})" if x.get("list") else "") + (f"; {dates}" if dates else "")

    def row(x):
        return f"{x['path']} (confidence {x['confidence']:g}); sources: {'; '.join(x['sources']) or 'none'}"

    def changed(x):
        parts = []
        for what in x["changed"]:
            before, after = x["before"][what], x["after"][what]
            if what == "sources":
                gained, lost = sorted(set(after) - set(before)), sorted(set(before) - set(after))
                parts.append("sources" + (f" + {'; '.join(gained)}" if gained else "")
                             + (f" - {'; '.join(lost)}" if lost else ""))
            else:
                parts.append(f"{what} {before} -> {after}")
        return f"{x['listed_label']} -> {x['exposed_label']}: " + "; ".join(parts)

    def entity(x):
        return f"{x['label'] or x['iri']} <{x['iri']}>" + (f" ({x['country']})" if x.get("country") else "")

    def merge(x):
        return (f"{x['label'] or x['iri']} <{x['iri']}>" + (f": gained {', '.join(x['gained'])}" if x["gained"] else "")
                + (f"; lost {', '.join(x['lost'])}" if x["lost"] else ""))

    def evidence(x):
        where = ", ".join(str(v) for v in (x.get("file"), f"row {x['row']}" if x.get("row") is not None else None,
                                           x.get("url")) if v)
        quote = f" “{x['quote']}”" if x.get("quote") else ""
        return f"{x['fact'].rsplit('/id/', 1)[-1]}{quote} [{where}]"

    return [
        ("listings added", [listing(x) for x in change["listings"]["added"]]),
        ("listings removed", [listing(x) for x in change["listings"]["removed"]]),
        ("exposure rows new", [row(x) for x in change["exposure"]["added"]]),
        ("exposure rows gone", [row(x) for x in change["exposure"]["removed"]]),
        ("exposure rows changed", [changed(x) for x in change["exposure"]["changed"]]),
        ("entities added", [entity(x) for x in change["entities"]["added"]]),
        ("entities removed", [entity(x) for x in change["entities"]["removed"]]),
        ("merges changed", [merge(x) for x in change["merges"]["changed"]]),
        ("evidence added", [evidence(x) for x in change["evidence"]["added"]]),
        ("evidence removed", [evidence(x) for x in change["evidence"]["removed"]]),
    ]


def _md(text: str) -> str:
    # names and quotes are untrusted: no HTML and no Markdown structure may pass
    from graph.io.tables import markdown_cell

    return markdown_cell(text)


def _html(change: dict, sections, title: str) -> str:
    from graph.outputs.html_report import document, esc

    body = [f"<p>{esc(summary(change))}</p>"]
    for heading, items in sections:
        body.append(f"<h2>{esc(heading)} ({len(items)})</h2>")
        body.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>" if items
                    else "<p class=\"none\">none</p>")
    return document(title, "\n".join(body))
