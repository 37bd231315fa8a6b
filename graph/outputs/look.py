"""How entities and edges look in every view: the HTML page, the exposure map (SVG) and the site.

The style of ``templates/style.json`` (checked against the ontology's classes), the one class a
node is drawn as, names and short labels, colours, the order edges are drawn in, and the
tooltips of nodes and edges. :mod:`graph.outputs.page`, :mod:`graph.outputs.exposure_map` and
:mod:`graph.outputs.site` draw with these, so that an entity looks the same in each.

Examples
--------
>>> short_label("Hangzhou Hikvision Digital Technology Co., Ltd. and its subsidiaries")
'Hangzhou Hikvision Digital Technology C…'
>>> darker("#ffffff")
'#b2b2b2'
>>> node_class(["Agent", "Organization", "Company"], view_style())
'Company'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
from rdflib import OWL, RDF

from graph.errors import OntologyError
from graph.model.ontology import KG, load_ontology
from graph.network.report import source_title
from graph.outputs.assets import template

__all__ = ["Style", "view_style", "node_class", "class_label", "display_name", "short_label", "drawn_edges",
           "darker", "node_tooltip", "edge_tooltip"]

#: labels longer than this are cut, with an ellipsis
_LABEL_MAX = 40


@dataclass(frozen=True)
class Style:
    classes: dict
    fallback: dict
    edges: dict
    edge_fallback: dict
    listed: dict
    exposed: dict
    path: dict
    faded: dict
    focus: dict
    depth: dict


@lru_cache(maxsize=1)
def view_style() -> Style:
    raw = json.loads(template("style.json"))
    model = load_ontology()
    unknown = [name for name in raw["classes"] if (KG[name], RDF.type, OWL.Class) not in model.graph]
    if unknown:
        raise OntologyError(f"graph/outputs/templates/style.json styles {unknown[0]!r}, which is not a class of the ontology")
    depth = {name: len(model.superclasses(KG[name])) for name in raw["classes"]}
    return Style(**{k: raw[k] for k in ("classes", "fallback", "edges", "edge_fallback", "listed",
                                          "exposed", "path", "faded", "focus")}, depth=depth)


def node_class(classes: Iterable[str], style: Style) -> str | None:
    styled = [c for c in classes if c in style.classes]
    return max(styled, key=lambda c: (style.depth[c], c), default=None)


@lru_cache(maxsize=None)
def class_label(name: str | None) -> str:
    return load_ontology().label(KG[name]) if name else view_style().fallback["label"]


def display_name(G: nx.Graph, node: str) -> str:
    label = G.nodes[node].get("label")
    return str(label) if label else str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def short_label(text: str) -> str:
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 1] + "…"


def drawn_edges(view: nx.MultiDiGraph):
    """Edges in a stable order, a symmetric relationship's two directions drawn as one."""
    seen: set = set()
    for u, v, key, attrs in sorted(view.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        if attrs.get("direction") == "symmetric":
            mark = (str(key), frozenset((u, v)))
            if mark in seen:
                continue
            seen.add(mark)
        yield u, v, key, attrs


def darker(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))


def node_tooltip(G: nx.Graph, n: str, names: dict, exposure: list[str] | None) -> list[str]:
    attrs = G.nodes[n]
    lines = [display_name(G, n)]
    classes = attrs.get("classes") or []
    if classes:
        lines.append(_classes_line(tuple(classes)))
    if attrs.get("country"):
        lines.append(f"country: {attrs['country']}")
    measures = attrs.get("measures") or []
    if attrs.get("listed") or measures:
        lines.append("listed: yes" + (f", targeted by {len(measures)} measure(s):" if measures else ""))
        lines.extend(f"  • {names.get(m, m)}" for m in measures)
    if exposure:
        hops = len(exposure) - 1
        lines.append(f"exposed: {hops} hop{'' if hops == 1 else 's'} from {display_name(G, exposure[0])} (listed), "
                     f"through {' → '.join(display_name(G, n) for n in exposure)}")
    info = attrs.get("measure") or {}
    if info.get("list"):
        lists = G.graph.get("lists") or {}
        lines.append(f"on list: {(lists.get(info['list']) or {}).get('label') or info['list']}")
    for key, text in (("announced", "announced"), ("start", "in force from"), ("end", "until"),
                      ("legal_basis", "legal basis")):
        if info.get(key):
            lines.append(f"{text}: {info[key]}")
    lines.append(str(n))
    return lines


@lru_cache(maxsize=1024)
def _classes_line(classes: tuple[str, ...]) -> str:
    # the most specific classes: a Company is also an Organization and an Agent, which says less
    model = load_ontology()
    broader = {str(up)[len(str(KG)):] for c in classes for up in model.superclasses(KG[c]) if up != KG[c]}
    return "class: " + ", ".join(class_label(c) for c in classes if c not in broader)


def edge_tooltip(G: nx.Graph, u: str, v: str, key, attrs: dict) -> list[str]:
    arrow = "↔" if attrs.get("direction") == "symmetric" else "→"
    lines = [f"{attrs.get('kind') or 'related'}: {display_name(G, u)} {arrow} {display_name(G, v)}"]
    if attrs.get("start") or attrs.get("end"):
        lines.append(f"from {attrs.get('start') or '?'} to {attrs.get('end') or 'now'}")
    if attrs.get("share") is not None:
        lines.append(f"share: {attrs['share']:g} %")
    if attrs.get("confidence") is not None:
        lines.append(f"confidence: {attrs['confidence']:g}")
    lines.append(str(attrs.get("relationship") or key))
    sources = attrs.get("sources") or []
    if attrs.get("note") and not sources:
        info = G.nodes[u].get("measure") or {}
        for key, text in (("announced", "announced"), ("start", "in force from"), ("legal_basis", "legal basis")):
            if info.get(key):
                lines.insert(-1, f"{text}: {info[key]}")
        lines.append(str(attrs["note"]))
    else:
        lines.append(f"sources ({len(sources)}):" if sources else "sources: none recorded")
    for s in sources:
        # a table row is named by its basis and publisher ("trade press report (semimedia.cc)"), as in the CLI
        lines.append(f"• {source_title(s) or 'unnamed source'}")
        if s.get("quote"):
            lines.append(f"  “{s['quote']}”")
        where = s.get("file") or ""
        if s.get("row") is not None:
            where += f" row {s['row']}"
        if where.strip():
            lines.append(f"  {where.strip()}")
        if s.get("url"):
            lines.append(f"  {s['url']}")
        detail = [f"confidence {s['confidence']:g}" if s.get("confidence") is not None else "",
                  f"method {s['method']}" if s.get("method") else ""]
        if any(detail):
            lines.append("  " + ", ".join(d for d in detail if d))
    return lines
