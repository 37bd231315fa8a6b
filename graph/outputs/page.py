"""The HTML page behind :func:`graph.outputs.render.render`: its data, legend and options.

Private: the public surface is :mod:`graph.outputs.render`; how entities and edges look (styles,
labels, tooltips) is :mod:`graph.outputs.look`'s. Everything a name can reach is escaped, in one
of two ways: text in the markup goes through :func:`html.escape`, and the graph itself travels
as JSON in a ``<script type="application/json">`` element (:func:`graph.outputs.assets.script_json`),
with ``<``, ``>``, ``&`` and the two JavaScript line separators written as ``\\u`` escapes so
that no name can end the element or open a comment in it.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import networkx as nx

from graph.errors import ExposureKGError
from graph.outputs.assets import script_hash, script_json, template
from graph.outputs.layout import radial_layout
from graph.outputs.look import (
    class_label,
    darker,
    display_name,
    drawn_edges,
    edge_tooltip,
    node_class,
    node_tooltip,
    short_label,
    view_style,
)

__all__ = ["page", "view_data", "html_page", "steps_of", "is_step_edge", "PHYSICS_MAX_NODES"]

#: views above this many entities keep the precomputed layout instead of running physics
PHYSICS_MAX_NODES = 1000

_SEED = 20191007


@lru_cache(maxsize=1)
def _vis() -> tuple[str, str]:
    folder = resources.files("pyvis") / "lib" / "vis-9.1.2"
    try:
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ExposureKGError(f"vis-network 9.1.2 is not inside the installed pyvis ({exc.filename}); "
                              "install pyvis 0.3.2, which ships it") from None
    # inlined as is, so it must not be able to end its own element early
    if re.search(r"</script|<!--", js, re.IGNORECASE) or re.search(r"</style", css, re.IGNORECASE):
        raise ExposureKGError("the vis-network inside pyvis cannot be inlined safely; install pyvis 0.3.2")
    return js, css


def steps_of(paths) -> set[frozenset]:
    """The unordered pairs of consecutive nodes of ``paths``."""
    return {frozenset((u, v)) for p in paths for u, v in zip(p, p[1:])}


def is_step_edge(u, v, key, attrs: dict, steps: set[frozenset], allowed: set[str] | None) -> bool:
    """Whether the edge ``u``-``v`` is a step of a path (and one of the ``allowed`` relationships)."""
    if frozenset((u, v)) not in steps:
        return False
    return allowed is None or str(attrs.get("relationship") or key) in allowed or str(key) in allowed


def page(view: nx.MultiDiGraph, paths: list[list[str]], highlight_edges=None, *, title: str,
         build: str | None, names: dict[str, str], focus: str | None = None,
         opening: set | None = None) -> str:
    parts = view_data(view, paths, highlight_edges, build=build, names=names, focus=focus, opening=opening)
    return html_page(title=title, **parts)


def view_data(view: nx.MultiDiGraph, paths: list[list[str]], highlight_edges=None, *,
              build: str | None, names: dict[str, str], focus: str | None = None,
              opening: set | None = None, layered=None) -> dict:
    """What a page draws: ``data`` (nodes, edges, options, filters ...), ``legend``, ``subtitle``, ``status``.

    ``layered``, an :class:`graph.outputs.exposure_map.ExposureMap` of ``view``, fixes the positions (physics
    off), the one label of each edge kind, the font the map's label boxes were measured in, and
    adds the map's measures and note to the legend and the subtitle.
    """
    style = view_style()
    order = sorted(view, key=str)
    index = {n: i for i, n in enumerate(order)}
    positions = layered.positions if layered is not None else _positions(view, opening)
    physics = layered is None and view.number_of_nodes() <= PHYSICS_MAX_NODES
    highlight = bool(paths)
    on_path = {n for p in paths for n in p}
    # the measures behind the listed ends of the paths are part of the story, not background
    on_path |= {m for n in on_path for m in view.nodes[n].get("measures") or () if m in view}
    steps = steps_of(paths)
    allowed = None if highlight_edges is None else set(highlight_edges)
    listed_ends = {p[0] for p in paths if p}
    exposed_ends = {p[-1]: p for p in paths if len(p) > 1}

    measures_info = view.graph.get("measures") or {}
    lists_info = view.graph.get("lists") or {}
    used_classes: set[str | None] = set()
    nodes = []
    for n in order:
        attrs = view.nodes[n]
        cls = node_class(attrs.get("classes") or (), style)
        used_classes.add(cls)
        lists = sorted({(measures_info.get(m) or {}).get("list") for m in attrs.get("measures") or ()} - {None})
        if (attrs.get("measure") or {}).get("list"):
            lists = sorted({*lists, attrs["measure"]["list"]})
        record = {"id": index[n], "label": short_label(display_name(view, n)), "group": cls or "_other",
                  "x": positions[n][0], "y": positions[n][1],
                  "title": node_tooltip(view, n, names, exposed_ends.get(n)),
                  "iri": str(n), "names": _search_names(view, n),
                  "classes": sorted(attrs.get("classes") or ()), "classLabel": class_label(cls),
                  "country": attrs.get("country") or None, "lists": lists}
        if opening is not None and n not in opening and n != focus:
            record["hidden"] = True
        colour = (style.classes.get(cls) or style.fallback)["color"]
        if n == focus:
            record["color"] = _colour(colour, style.focus["border"])
            record["borderWidth"] = style.focus["width"]
            record["size"] = style.focus["size"]
            record["font"] = {"size": 18, "strokeWidth": 5}
        elif highlight and n not in on_path:
            record["color"] = _colour(style.faded["color"], style.faded["color"])
            record["font"] = {"color": "#9a9a9a"}
        elif attrs.get("listed") or n in listed_ends:
            record["color"] = _colour(colour, style.listed["border"])
            record["borderWidth"] = style.listed["width"]
        elif n in exposed_ends:
            record["color"] = _colour(colour, style.exposed["border"])
            record["borderWidth"] = style.exposed["width"]
        nodes.append(record)

    edges = []
    used_kinds: set[str] = set()
    pair_count: Counter = Counter()
    listing = list(drawn_edges(view))
    parallel = Counter(frozenset((u, v)) for u, v, _k, _a in listing)  # a symmetric tie counts once
    for u, v, key, attrs in listing:
        kind = str(attrs.get("kind") or "related")
        used_kinds.add(kind)
        look = style.edges.get(kind, style.edge_fallback)
        colour = look["color"]
        width = 1.5
        if highlight:
            if is_step_edge(u, v, key, attrs, steps, allowed):
                width = style.path["width"]  # thick, in the colour of its kind
            elif not (u in on_path and v in on_path and kind == "targets"):
                colour = style.faded["color"]
        pair = tuple(sorted((index[u], index[v])))
        rank = pair_count[pair]
        pair_count[pair] += 1
        record = {"id": len(edges), "from": index[u], "to": index[v], "label": kind,
                  "color": {"color": colour, "highlight": colour, "hover": colour},
                  "width": width, "title": edge_tooltip(view, u, v, key, attrs)}
        if layered is not None:
            # the map names each kind once (and in the legend): labels on every edge would overlap
            record["width"] = 2
            if (u, v, key) not in layered.labelled:
                del record["label"]
        if look.get("dashes"):
            record["dashes"] = True
        if attrs.get("direction") != "symmetric":
            record["arrows"] = "to"
        if layered is not None and layered.positions[u][0] == layered.positions[v][0]:
            # within one column: bow out, clear of the column's other entities
            record["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.4}
        elif parallel[frozenset((u, v))] > 1:
            # parallel relationships fan out instead of being drawn over one another
            record["smooth"] = {"enabled": True, "type": "curvedCW" if rank % 2 else "curvedCCW",
                                "roundness": round(0.3 * ((rank + 1) // 2), 2)}
        edges.append(record)

    groups = {name: _group(look) for name, look in sorted(style.classes.items())}
    groups["_other"] = _group(style.fallback)
    options = _options(physics, groups)
    if layered is not None:
        options["nodes"]["font"].update(face=layered.font_family, size=layered.font_size)
        options["edges"]["font"].update(face=layered.font_family, align="horizontal")
    filters = _filters(view, nodes, lists_info)
    faded = style.faded["color"]
    data = {"nodes": nodes, "edges": edges, "options": options, "filters": filters,
            "focus": index[focus] if focus is not None else None,
            "faded": {"node": _colour(faded, faded), "font": {"color": "#9a9a9a"},
                      "edge": {"color": faded, "highlight": faded, "hover": faded}},
            "selectedWidth": style.focus["width"]}
    thin = layered is None and any(e["width"] != style.path["width"] for e in edges)
    legend = _legend(used_classes, used_kinds, view, highlight, bool(exposed_ends), focus=focus is not None,
                     thin=thin, step_width=style.path["width"] if layered is None else 2)
    if layered is not None:
        legend += _map_legend(layered)
    n_nodes, n_edges = len(nodes), len(edges)
    subtitle = (f"{n_nodes:,} entit{'y' if n_nodes == 1 else 'ies'}, "
                f"{n_edges:,} relationship{'' if n_edges == 1 else 's'}")
    hidden = sum(1 for record in nodes if record.get("hidden"))
    if hidden:
        subtitle += (f"; opens on the {n_nodes - hidden:,} where exposure starts (listed entities tied to unlisted "
                     f"ones, and those): search, or tick “show everything”, for the other {hidden:,}")
    if layered is not None and layered.note:
        subtitle += f"; {layered.note}"
    if build:
        subtitle += f" · from {build}"
    status = "hover an entity or a relationship for its details and sources"
    if layered is not None:
        status = f"listed entities on the left, exposed ones on the right · {status}"
    elif not physics:
        status = f"large view: precomputed layout, physics off · {status}"
    if not nodes:
        status = "nothing to show: no entity matches this view"
    return {"data": data, "legend": legend, "subtitle": subtitle, "status": status}


def html_page(*, data: dict, title: str, subtitle: str, legend: str, status: str) -> str:
    """The self-contained page drawing ``data`` (see :func:`view_data`); ``legend`` is markup."""
    vis_js, vis_css = _vis()
    app_js = template("graph.js")
    from graph.version import __version__

    csp = "; ".join([
        "default-src 'none'",
        f"script-src {script_hash(vis_js)} {script_hash(app_js)}",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
    ])
    values = {
        "csp": html.escape(csp, quote=True),
        "version": html.escape(__version__),
        "title": html.escape(title, quote=True),
        "heading": html.escape(title),
        "subtitle": html.escape(subtitle),
        "legend": legend,
        "status": html.escape(status),
        "data": script_json(data),
        "vis_css": vis_css,
        "vis_js": vis_js,
        "app_js": app_js,
    }
    # one pass, so that nothing inserted is ever read again as a placeholder
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template("graph.html"))


def _positions(view: nx.Graph, opening: set | None) -> dict:
    """The layout; a page that opens on part of the view lays that part out on its own, first,
    and the rest to its right, so that the part shown when it opens is drawn together."""
    whole = radial_layout(view)
    if not opening or set(opening) >= set(view):
        return whole
    first = radial_layout(view.subgraph(opening))
    rest = {n: p for n, p in whole.items() if n not in first}
    if not rest:
        return first
    shift_x = max(x for x, _y in first.values()) - min(x for x, _y in rest.values()) + 600
    shift_y = min(y for _x, y in first.values()) - min(y for _x, y in rest.values())
    return {**first, **{n: (x + shift_x, y + shift_y) for n, (x, y) in rest.items()}}


def _search_names(G: nx.Graph, n: str) -> list[str]:
    """The names a search finds ``n`` by: its display name first, aliases, identifiers, IRI end."""
    attrs = G.nodes[n]
    names = [display_name(G, n), *map(str, attrs.get("aliases") or ()), *map(str, attrs.get("identifiers") or ()),
             str(n).rstrip("/").rsplit("/", 1)[-1]]
    return list(dict.fromkeys(name for name in names if name))


def _filters(view: nx.Graph, nodes: list[dict], lists_info: dict) -> dict:
    """The choices of the class, list and country filters: what the view's entities have."""
    classes = sorted({c for record in nodes for c in record["classes"]}, key=lambda c: (class_label(c).casefold(), c))
    lists = sorted({iri for record in nodes for iri in record["lists"]},
                   key=lambda iri: (str((lists_info.get(iri) or {}).get("label") or iri).casefold(), iri))
    countries = sorted({record["country"] for record in nodes if record["country"]})
    return {"classes": [[c, class_label(c)] for c in classes],
            "lists": [[iri, str((lists_info.get(iri) or {}).get("label") or iri)] for iri in lists],
            "countries": [[c, c] for c in countries]}


def _colour(background: str, border: str) -> dict:
    return {"background": background, "border": border,
            "highlight": {"background": background, "border": border},
            "hover": {"background": background, "border": border}}


def _group(look: dict) -> dict:
    return {"shape": look["shape"], "color": _colour(look["color"], darker(look["color"]))}


def _options(physics: bool, groups: dict) -> dict:
    options = {
        "autoResize": True,
        "groups": groups,
        "layout": {"randomSeed": _SEED, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics,
                        "hideEdgesOnZoom": not physics},
        "nodes": {"size": 14, "borderWidth": 1.5,
                  "font": {"size": 14, "color": "#222222", "strokeWidth": 4, "strokeColor": "#ffffff"}},
        "edges": {"width": 1.5, "selectionWidth": 1.5, "arrows": {"to": {"scaleFactor": 0.55}},
                  "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "align": "middle"},
                  "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if physics else False},
    }
    if physics:
        options["physics"] = {
            "enabled": True, "solver": "forceAtlas2Based", "minVelocity": 0.75,
            "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.04,
                                 "springLength": 140, "springConstant": 0.05, "avoidOverlap": 0.9,
                                 "damping": 0.5},
            "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 50, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _legend(classes: set, kinds: set, view: nx.Graph, highlight: bool, exposed: bool, *, focus: bool = False,
            thin: bool = True, step_width: float | None = None) -> str:
    style = view_style()
    items = ["<h2>Entities</h2>", "<ul>"]
    for cls in sorted(classes, key=lambda c: class_label(c).casefold()):
        look = style.classes.get(cls) or style.fallback
        items.append(f"<li>{_swatch(look['shape'], look['color'], darker(look['color']), 1.5)}"
                     f"{html.escape(class_label(cls))}</li>")
    if any(view.nodes[n].get("listed") for n in view) or highlight:
        items.append(f"<li>{_swatch('dot', '#ffffff', style.listed['border'], 3)}listed (a measure targets it)</li>")
    if exposed:
        items.append(f"<li>{_swatch('dot', '#ffffff', style.exposed['border'], 3)}exposed entity</li>")
    if focus:
        items.append(f"<li>{_swatch('dot', '#ffffff', style.focus['border'], 3.5)}focus entity</li>")
    items += ["</ul>", "<h2>Relationships</h2>", "<ul>"]
    for kind in sorted(kinds):
        look = style.edges.get(kind, style.edge_fallback)
        items.append(f"<li>{_line(look['color'], look.get('dashes'), 1.5)}{html.escape(kind)}</li>")
    if highlight and thin:
        items.append(f"<li>{_line(style.path['color'], False, style.path['width'])}exposure path (thick)</li>")
        items.append(f"<li>{_line(style.faded['color'], False, 1.5)}other relationship (thin, faded)</li>")
    elif highlight:
        # nothing thin to tell the thick ones from: say what every line is instead
        items.append(f"<li>{_line(style.path['color'], False, step_width or style.path['width'])}"
                     "every relationship shown is a step of an exposure path</li>")
    items.append("</ul>")
    return "\n".join(items)


def _map_legend(layered) -> str:
    """The measures behind the map's listed entities, and what the map leaves out."""
    items = []
    if layered.measures:
        items += ["<h2>Measures</h2>", "<ul>"]
        items += [f"<li>{html.escape(name)} ({count:,} listed here)</li>" for _iri, name, count in layered.measures]
        items.append("</ul>")
    if layered.note:
        items.append(f"<p>{html.escape(layered.note)}</p>")
    return "\n" + "\n".join(items) if items else ""


def _swatch(shape: str, fill: str, stroke: str, width: float) -> str:
    c, r = 8, 6.2
    if shape == "dot":
        body = f'<circle cx="{c}" cy="{c}" r="{r}"/>'
    elif shape == "square":
        body = f'<rect x="{c - r + 0.8}" y="{c - r + 0.8}" width="{2 * r - 1.6}" height="{2 * r - 1.6}"/>'
    else:
        corners = {"triangle": [(8, 1.5), (14.5, 14), (1.5, 14)],
                   "triangleDown": [(1.5, 2), (14.5, 2), (8, 14.5)],
                   "diamond": [(8, 1), (15, 8), (8, 15), (1, 8)]}.get(shape)
        if corners is None:
            points = 10 if shape == "star" else 6
            corners = [(c + (r if shape != "star" or i % 2 == 0 else r * 0.45) * math.sin(2 * math.pi * i / points),
                        c - (r if shape != "star" or i % 2 == 0 else r * 0.45) * math.cos(2 * math.pi * i / points))
                       for i in range(points)]
        body = '<polygon points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in corners) + '"/>'
    return (f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
            f'<g fill="{fill}" stroke="{stroke}" stroke-width="{width}">{body}</g></svg>')


def _line(colour: str, dashes: bool | None, width: float) -> str:
    dash = ' stroke-dasharray="4 3"' if dashes else ""
    return (f'<svg width="22" height="10" viewBox="0 0 22 10" aria-hidden="true">'
            f'<line x1="1" y1="5" x2="21" y2="5" stroke="{colour}" stroke-width="{width}"{dash}/></svg>')

