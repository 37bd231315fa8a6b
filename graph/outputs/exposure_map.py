"""The exposure map: listed entities in the left column, exposed ones in the right, as a picture.

Entities on longer paths stand in between, one column per hop; the order inside each column
is chosen by :func:`graph.outputs.layered.layered_layout` to cross few edges. Labels are centred under
their entity and sized with a fixed table of the declared font's character widths, and the
columns and rows are spaced so that no two labels' boxes meet. Each edge kind is drawn in its
colour and named once on the map (on an edge where its name overlaps nothing) and in the legend;
the measures behind the listed column are in each listed entity's tooltip and in the legend.
Past :data:`MAX_ROWS` entities in a column, a page cannot show them legibly: the map then draws,
for each listed entity, one node counting the entities exposed to it, and says so in its note.

One map serves both pictures: :func:`graph.outputs.render.render` draws it as the interactive page
(physics off, search and filters kept) and :func:`map_svg` as a static, self-contained SVG for
reports. The same graph always gives the same map and the same bytes.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("kgr:a", label="Listed <Co>", classes=["Company"], listed=True)
>>> G.add_node("kgr:b", label="Exposed Inc", classes=["Company"], country="US")
>>> _ = G.add_edge("kgr:b", "kgr:a", key="r1", kind="supply", direction="forward")
>>> m = exposure_map(G, [["kgr:a", "kgr:b"]])
>>> m.columns
[['kgr:a'], ['kgr:b']]
>>> svg = map_svg(m, title="two firms")
>>> "Listed &lt;Co&gt;" in svg and "<script" not in svg
True
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import networkx as nx

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
from graph.outputs.page import is_step_edge, steps_of
from graph.outputs.layered import layered_layout

__all__ = ["ExposureMap", "exposure_map", "map_svg", "text_width", "label_boxes", "MAX_ROWS", "FONT_FAMILY",
           "FONT_SIZE"]

#: the most entities one column shows before the map groups exposed entities per listed one
MAX_ROWS = 250
#: the font the labels are declared in, and whose character widths size them
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
FONT_SIZE = 14
EDGE_FONT_SIZE = 10
NODE_SIZE = 14  # vis-network's dot radius
_LABEL_GAP = 5  # between a node and the top of its label
_LINE = 1.35  # a label's box height, in ems, with room for its descenders
_PITCH = 2 * NODE_SIZE + _LABEL_GAP + FONT_SIZE * _LINE + 14
_GAP = 150
_MARGIN = 24
_GROUP = "#exposed-to"


@dataclass(frozen=True)
class ExposureMap:
    """A drawn exposure map: what :func:`exposure_map` returns.

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        The entities and path steps drawn, with the projection's attributes (group nodes,
        when the map groups, have ``group`` set to the number of entities they stand for).
    positions : dict
        Node -> ``(x, y)``, integers, y growing downwards.
    columns : list of lists
        The nodes of each column, left to right, in drawing order.
    headings : list of str
        What each column holds.
    labelled : dict
        ``(u, v, key)`` of the one edge that names each kind -> the kind.
    measures : list of (str, str, int)
        The measures that target listed entities of the map, by list: the list's IRI (or the
        measure's, for a measure on no list), its name with its dates (most recent first), and
        how many listed entities of the map it targets.
    paths : list of lists
        The paths drawn (listed entity first), through group nodes when the map groups.
    grouped : int
        How many exposed entities the group nodes stand for (0: the map does not group).
    note : str
        What the map leaves out and why, or "".
    crossings : int
        Edge crossings left between neighbouring columns.
    """

    graph: nx.MultiDiGraph = field(repr=False)
    positions: dict = field(repr=False)
    columns: list
    headings: list
    labelled: dict
    measures: list
    paths: list = field(repr=False)
    grouped: int = 0
    note: str = ""
    crossings: int = 0
    #: the font the labels were measured in, which every drawing of the map must declare
    font_family: str = FONT_FAMILY
    font_size: int = FONT_SIZE


def exposure_map(
    G: nx.MultiDiGraph,
    paths: Sequence[Sequence[str]],
    edges: Collection[str] | None = None,
    *,
    max_rows: int = MAX_ROWS,
    names: Mapping[str, str] | None = None,
) -> ExposureMap:
    """Lay out the exposure ``paths`` of the projection ``G`` in columns, listed entities first.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection (see :func:`graph.network.projection.project`).
    paths : sequence of sequences of str
        Node paths, listed entity first, exposed entity last (:func:`graph.outputs.render.record_paths`).
    edges : collection of str, optional
        The relationships the paths take (:func:`graph.outputs.render.exposure_edges`); by default
        every edge between two consecutive nodes of a path.
    max_rows : int
        The most entities a column shows; past it, exposed entities are grouped per listed one.
    names : mapping, optional
        Display names of measures, by IRI (by default their labels in ``G.graph["measures"]``).

    Returns
    -------
    ExposureMap

    Raises
    ------
    ResolutionError
        A node of ``paths`` is not in ``G``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("l", label="L", listed=True)
    >>> for e in ("x", "y", "z"):
    ...     _ = G.add_edge("l", e, key=e, kind="partner")
    >>> exposure_map(G, [["l", e] for e in "xyz"], max_rows=2).note
    '3 exposed entities are grouped by the listed entity they are exposed to: a page shows at most 2 legibly in one column; draw one listed entity’s paths with --focus'
    """
    paths = [list(p) for p in paths if len(p) > 1]
    view = _steps(G, paths, edges)
    listed = sorted({p[0] for p in paths}, key=lambda n: (display_name(G, n).casefold(), str(n)))
    exposed = {p[-1] for p in paths} - set(listed)
    last = max((len(p) - 1 for p in paths), default=1)
    column_of = {n: 0 for n in listed}
    for p in paths:
        for hop, n in enumerate(p):
            if n not in column_of:
                column_of[n] = last if n in exposed else min(hop, column_of.get(n, hop))
    for n in exposed:
        column_of[n] = last
    grouped = 0
    note = ""
    counts = [0] * (last + 1)
    for c in column_of.values():
        counts[c] += 1
    if max(counts, default=0) > max_rows:
        view, paths, column_of = _grouped(G, view, paths, listed, exposed)
        grouped, last = len(exposed), 1
        note = (f"{grouped:,} exposed entit{'y is' if grouped == 1 else 'ies are'} grouped by the listed entity "
                f"they are exposed to: a page shows at most {max_rows:,} legibly in one column; "
                "draw one listed entity’s paths with --focus")
    columns: list[list[str]] = [[] for _ in range(last + 1)]
    for n in sorted(column_of, key=lambda n: (display_name(view, n).casefold(), str(n))):
        columns[column_of[n]].append(n)
    headings = _headings(columns, view, grouped)
    widths = {n: text_width(short_label(display_name(view, n)), FONT_SIZE) for n in view}
    positions, crossings = layered_layout(
        columns, [(u, v) for u, v in view.edges()], widths=widths, pitch=_PITCH, gap=_GAP,
        column_widths=[text_width(h, FONT_SIZE) for h in headings], spread=2.0)
    columns = [sorted(c, key=lambda n: positions[n][1]) for c in columns]
    labelled = _edge_labels(view, positions, widths)
    measures = _measures_by_list(G, view, columns[0], names or {})
    return ExposureMap(graph=view, positions=positions, columns=columns, headings=headings, labelled=labelled,
                       measures=measures, paths=paths, grouped=grouped, note=note, crossings=crossings)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The width of ``text`` drawn in :data:`FONT_FAMILY` at ``size`` pixels, from a fixed table.

    A character outside the table counts one em, as wide as any character of the table.

    Examples
    --------
    >>> round(text_width("Nvidia", 14), 1)
    44.0
    >>> text_width("华为", 10)
    20.0
    """
    table = _widths()
    return size * sum(table.get(ch, 1.0) for ch in text)


def label_boxes(m: ExposureMap) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text of the map with its box ``(left, top, right, bottom)``: node labels, edge labels.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", listed=True)
    >>> _ = G.add_edge("a", "b", key="r", kind="supply")
    >>> [text for text, _box in label_boxes(exposure_map(G, [["a", "b"]]))]
    ['A', 'b', 'supply']
    """
    boxes = [(short_label(display_name(m.graph, n)), _node_label_box(m.positions[n], short_label(
        display_name(m.graph, n)))) for column in m.columns for n in column]
    for (u, v, _k), kind in sorted(m.labelled.items(), key=lambda item: (item[1], str(item[0]))):
        boxes.append((kind, _edge_label_box(_middle(m.positions[u], m.positions[v]), kind)))
    return boxes


def map_svg(m: ExposureMap, *, title: str = "Exposure map", subtitle: str = "") -> str:
    """The map as a static, self-contained SVG document: shapes, ``<text>`` labels and a legend.

    No script, no style sheet, no font or image from elsewhere; every name is escaped, and each
    entity and edge carries its details as a ``<title>`` (a tooltip in browsers).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A & B", listed=True)
    >>> _ = G.add_edge("a", "b", key="r", kind="supply")
    >>> svg = map_svg(exposure_map(G, [["a", "b"]]))
    >>> svg.startswith("<svg") and "A &amp; B" in svg
    True
    """
    style = view_style()
    view, pos = m.graph, m.positions
    body: list[str] = []
    texts: list[tuple[float, float, str, int, str]] = []  # x, y (baseline), text, size, anchor
    xs = [x for x, _y in pos.values()] or [0]
    ys = [y for _x, y in pos.values()] or [0]
    boxes = [box for _t, box in label_boxes(m)]
    left = min([min(xs) - NODE_SIZE, *(b[0] for b in boxes)])
    right = max([max(xs) + NODE_SIZE, *(b[2] for b in boxes)])
    top = min(ys) - NODE_SIZE - FONT_SIZE * 2.5
    # the heading and the columns' headings above the map
    header = [(title, 17), *([(subtitle, 12)] if subtitle else [])]
    y = top - sum(size * 1.6 for _t, size in header)
    for text, size in header:
        y += size * 1.6
        texts.append((left, y - size * 0.35, text, size, "start"))
    for column, heading in zip(m.columns, m.headings):
        if column:
            texts.append((pos[column[0]][0], top + FONT_SIZE * 1.2, heading, FONT_SIZE, "middle"))
    start_y = top - sum(size * 1.6 for _t, size in header) - 6
    # edges first, under the nodes
    parallel: dict[frozenset, int] = {}
    for u, v, key, attrs in drawn_edges(view):
        kind = str(attrs.get("kind") or "related")
        look = style.edges.get(kind, style.edge_fallback)
        pair = frozenset((u, v))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        (x1, y1), (x2, y2) = pos[u], pos[v]
        bend = _bend(view, u, v, rank, pos)
        dash = ' stroke-dasharray="6 4"' if look.get("dashes") else ""
        marker = "" if attrs.get("direction") == "symmetric" else f' marker-end="url(#arrow-{_id(kind)})"'
        if bend:
            cx, cy = (x1 + x2) / 2 + bend[0], (y1 + y2) / 2 + bend[1]
            shape = f'<path d="M{x1},{y1} Q{cx:.0f},{cy:.0f} {x2},{y2}" fill="none"'
        else:
            shape = f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"'
        tip = _esc("\n".join(edge_tooltip(view, u, v, key, attrs)))
        body.append(f'{shape} stroke="{look["color"]}" stroke-width="2"{dash}{marker}><title>{tip}</title>'
                    f'</{"path" if bend else "line"}>')
    for (u, v, _k), kind in sorted(m.labelled.items(), key=lambda item: item[1]):
        x, y = _middle(pos[u], pos[v])
        texts.append((x, y + EDGE_FONT_SIZE * 0.35, kind, EDGE_FONT_SIZE, "middle"))
    names = {iri: name for iri, name, _k in m.measures}
    exposed_ends = {p[-1]: p for p in m.paths}
    listed = set(m.columns[0]) if m.columns else set()
    for column in m.columns:
        for n in column:
            attrs = view.nodes[n]
            cls = node_class(attrs.get("classes") or (), style)
            look = style.classes.get(cls) or style.fallback
            if n in listed:
                stroke, width = style.listed["border"], 4
            elif n in exposed_ends:
                stroke, width = style.exposed["border"], 3
            else:
                stroke, width = darker(look["color"]), 1.5
            tip = _esc("\n".join(node_tooltip(view, n, names, exposed_ends.get(n) if not attrs.get("group")
                                                      else None)))
            body.append(f'<g fill="{look["color"]}" stroke="{stroke}" stroke-width="{width}">'
                        f'{_shape(look["shape"], *pos[n], NODE_SIZE)}<title>{tip}</title></g>')
            label = short_label(display_name(view, n))
            x, y = pos[n]
            texts.append((x, y + NODE_SIZE + _LABEL_GAP + FONT_SIZE, label, FONT_SIZE, "middle"))
    # the legend, under the map
    y = max([max(ys) + NODE_SIZE, *(b[3] for b in boxes)]) + 28
    legend = _legend_lines(m)
    swatches: list[str] = []
    for kind, text, colour in legend:
        size = 13 if kind == "heading" else 12
        y += size * (1.9 if kind == "heading" else 1.45)
        x = left
        if kind == "class":
            swatches.append(f'<g fill="{colour[0]}" stroke="{colour[1]}" stroke-width="{colour[2]}">'
                            f'{_shape(colour[3], left + 7, round(y - 4), 6)}</g>')
            x = left + 20
        elif kind == "edge":
            dash = ' stroke-dasharray="6 4"' if colour[1] else ""
            swatches.append(f'<line x1="{left}" y1="{y - 4:.0f}" x2="{left + 16}" y2="{y - 4:.0f}" '
                            f'stroke="{colour[0]}" stroke-width="2"{dash}/>')
            x = left + 20
        texts.append((x, y, text, size, "start"))
    bottom = y + 12
    width = max(right, *(t[0] + text_width(t[2], t[3]) for t in texts if t[4] == "start")) - left + 2 * _MARGIN
    height = bottom - start_y + _MARGIN
    origin_x, origin_y = left - _MARGIN, start_y - _MARGIN / 2
    markers = "".join(
        f'<marker id="arrow-{_id(kind)}" viewBox="0 0 10 10" refX="{10 + NODE_SIZE * 0.6:.0f}" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{style.edges.get(kind, style.edge_fallback)["color"]}"/></marker>'
        for kind in sorted({str(d.get("kind") or "related") for _u, _v, d in view.edges(data=True)}))
    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="{origin_x:.0f} {origin_y:.0f} {width:.0f} {height:.0f}" '
             f'font-family="{FONT_FAMILY}" role="img" aria-label="{_esc(title)}">',
             f"<title>{_esc(title)}</title>",
             f"<defs>{markers}</defs>",
             f'<rect x="{origin_x:.0f}" y="{origin_y:.0f}" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
             *body, *swatches]
    for x, y, text, size, anchor in texts:
        halo = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if size == EDGE_FONT_SIZE else ""
        colour = "#555555" if size in (EDGE_FONT_SIZE, 12) else "#222222"
        lines.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}"'
                     f'{halo}>{_esc(text)}</text>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# -- private helpers ----------------------------------------------------------------------
def _steps(G: nx.MultiDiGraph, paths: list[list[str]], edges: Collection[str] | None) -> nx.MultiDiGraph:
    """The nodes of ``paths`` and the edges of ``G`` that are their steps (as render.path_view)."""
    from graph.errors import ResolutionError

    for i, p in enumerate(paths):
        for node in p:
            if node not in G:
                raise ResolutionError(f"path {i} names {node!r}, which is not in the graph")
    steps = steps_of(paths)
    allowed = None if edges is None else set(edges)
    view = G.subgraph({n for p in paths for n in p}).copy()
    view.remove_edges_from([(u, v, k) for u, v, k, d in view.edges(keys=True, data=True)
                            if not is_step_edge(u, v, k, d, steps, allowed)])
    return view


@lru_cache(maxsize=1)
def _widths() -> dict[str, float]:
    raw = json.loads((resources.files("graph.outputs") / "templates" / "text-widths.json").read_text(encoding="utf-8"))
    return raw["widths"]


def _node_label_box(position, label: str) -> tuple[float, float, float, float]:
    x, y = position
    w = text_width(label, FONT_SIZE)
    top = y + NODE_SIZE + _LABEL_GAP - FONT_SIZE * 0.05
    return (x - w / 2, top, x + w / 2, top + FONT_SIZE * _LINE)


def _edge_label_box(centre, kind: str) -> tuple[float, float, float, float]:
    x, y = centre
    w = text_width(kind, EDGE_FONT_SIZE) + 4
    h = EDGE_FONT_SIZE * _LINE
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _middle(a, b) -> tuple[float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _bend(view, u, v, rank: int, pos) -> tuple[float, float] | None:
    """How far a curved edge's control point leaves the straight line, or None for a straight one."""
    (x1, y1), (x2, y2) = pos[u], pos[v]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    normal = (-(y2 - y1) / length, (x2 - x1) / length)
    if x1 == x2:  # within one column: bow out to the right, clear of the column's nodes
        return (max(60.0, abs(y2 - y1) * 0.3), 0.0)
    if _ties(view, u, v) > 1:
        if rank == 0:
            return None
        side = 1 if rank % 2 else -1
        amount = 0.3 * ((rank + 1) // 2) * length / 2
        return (normal[0] * amount * side, normal[1] * amount * side)
    return None


def _ties(view, u, v) -> int:
    """Relationships between ``u`` and ``v`` either way (a symmetric one, stored both ways, once)."""
    return len({*(view[u][v] if view.has_edge(u, v) else ()), *(view[v][u] if view.has_edge(v, u) else ())})


def _edge_labels(view: nx.MultiDiGraph, positions: dict, widths: dict) -> dict:
    """One straight edge per kind whose label, at its middle, overlaps no other text nor entity."""
    taken = [_node_label_box(positions[n], short_label(display_name(view, n))) for n in view]
    taken += [(x - NODE_SIZE - 3, y - NODE_SIZE - 3, x + NODE_SIZE + 3, y + NODE_SIZE + 3) for x, y in positions.values()]
    by_kind: dict[str, list] = {}
    seen: set = set()
    for u, v, key, attrs in drawn_edges(view):
        (x1, _y1), (x2, _y2) = positions[u], positions[v]
        pair = frozenset((u, v))
        if x1 == x2 or pair in seen:
            continue  # curved: vis-network and the SVG would not put its middle at the same place
        seen.add(pair)  # the first of parallel relationships is drawn straight
        by_kind.setdefault(str(attrs.get("kind") or "related"), []).append((u, v, key))
    labelled = {}
    for kind in sorted(by_kind):
        candidates = sorted(by_kind[kind], key=lambda e: (_middle(positions[e[0]], positions[e[1]])[1],
                                                            str(e[0]), str(e[1]), str(e[2])))
        # start near the middle of the map, where the eye starts
        candidates.sort(key=lambda e: abs(_middle(positions[e[0]], positions[e[1]])[1]))
        for u, v, key in candidates:
            box = _edge_label_box(_middle(positions[u], positions[v]), kind)
            if not any(_overlap(box, other) for other in taken):
                labelled[(u, v, key)] = kind
                taken.append(box)
                break
    return labelled


def _measures_by_list(G, view, listed, names: Mapping[str, str]) -> list[tuple[str, str, int]]:
    """The measures behind the listed column, one item per list (its dates, most recent first)."""
    info = G.graph.get("measures") or {}
    lists = G.graph.get("lists") or {}
    groups: dict[str, dict] = {}
    for n in listed:
        for m in view.nodes[n].get("measures") or ():
            record = info.get(m) or {}
            on = record.get("list")
            key = on or m
            name = ((lists.get(on) or {}).get("label") or on) if on else (names.get(m) or record.get("label") or m)
            group = groups.setdefault(key, {"name": str(name), "dates": set(), "targets": set()})
            day = record.get("start") or record.get("announced")
            if day and on:
                group["dates"].add(str(day))
            group["targets"].add(n)
    items = []
    for key, group in groups.items():
        dates = sorted(group["dates"], reverse=True)
        text = f"{group['name']} ({', '.join(dates)})" if dates else group["name"]
        items.append((dates[0] if dates else "", key, text, len(group["targets"])))
    items.sort(key=lambda t: t[2].casefold())
    items.sort(key=lambda t: t[0], reverse=True)  # most recent first; stable, so names break ties
    return [(key, text, count) for _day, key, text, count in items]


def _grouped(G, view, paths, listed, exposed):
    """The map's graph with exposed entities folded into one node per listed entity."""
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    members: dict[str, set] = {}
    for p in paths:
        if p[-1] in exposed:
            members.setdefault(p[0], set()).add(p[-1])
    for n in listed:
        H.add_node(n, **G.nodes[n])
    new_paths, column_of = [], {n: 0 for n in listed}
    for n in listed:
        found = sorted(members.get(n, ()), key=lambda e: (display_name(G, e).casefold(), str(e)))
        if not found:
            continue
        group = f"{n}{_GROUP}"
        count = len(found)
        shown = [display_name(G, e) for e in found[:20]]
        more = f"; and {count - 20:,} more" if count > 20 else ""
        H.add_node(group, label=f"{count:,} exposed entit{'y' if count == 1 else 'ies'}", classes=[], group=count,
                   country=None, listed=False, measures=[],
                   aliases=shown + ([more.lstrip("; ")] if more else []))
        H.add_edge(n, group, key=group, kind="exposure", relationship=group, direction="forward", sources=[],
                   note=f"{count:,} entities exposed to {display_name(G, n)}: "
                        + ", ".join(shown) + more)
        column_of[group] = 1
        new_paths.append([n, group])
    return H, new_paths, column_of


def _headings(columns, view, grouped: int) -> list[str]:
    headings = []
    last = len(columns) - 1
    for i, column in enumerate(columns):
        n = len(column)
        if i == 0:
            headings.append(f"listed ({n:,})")
        elif i == last and grouped:
            headings.append(f"exposed ({grouped:,}, grouped)")
        elif i == last:
            headings.append(f"exposed ({n:,})")
        else:
            headings.append(f"{i} hop{'' if i == 1 else 's'} ({n:,})")
    return headings


def _legend_lines(m: ExposureMap) -> list[tuple[str, str, object]]:
    style = view_style()
    view = m.graph
    lines: list[tuple[str, str, object]] = [("heading", "Entities", None)]
    classes = sorted({node_class(view.nodes[n].get("classes") or (), style) for n in view},
                     key=lambda c: class_label(c).casefold())
    for cls in classes:
        look = style.classes.get(cls) or style.fallback
        lines.append(("class", class_label(cls), (look["color"], darker(look["color"]), 1.5, look["shape"])))
    lines.append(("class", "listed (a measure targets it): red ring", ("#ffffff", style.listed["border"], 3, "dot")))
    lines.append(("class", "exposed entity: black ring", ("#ffffff", style.exposed["border"], 3, "dot")))
    lines.append(("heading", "Relationships", None))
    for kind in sorted({str(d.get("kind") or "related") for _u, _v, d in view.edges(data=True)}):
        look = style.edges.get(kind, style.edge_fallback)
        lines.append(("edge", kind, (look["color"], bool(look.get("dashes")))))
    if m.measures:
        lines.append(("heading", "Measures targeting the listed entities", None))
        for _iri, name, count in m.measures:
            lines.append(("text", f"{name} ({count:,} listed entit{'y' if count == 1 else 'ies'} here)", None))
    if m.note:
        lines.append(("heading", "Note", None))
        lines.append(("text", m.note, None))
    return lines


def _shape(shape: str, x: float, y: float, r: float) -> str:
    if shape == "dot":
        return f'<circle cx="{x}" cy="{y}" r="{r}"/>'
    if shape == "square":
        return f'<rect x="{x - r}" y="{y - r}" width="{2 * r}" height="{2 * r}"/>'
    corners = {"triangle": [(0, -1), (0.87, 0.5), (-0.87, 0.5)], "triangleDown": [(0, 1), (0.87, -0.5), (-0.87, -0.5)],
               "diamond": [(0, -1), (1, 0), (0, 1), (-1, 0)]}.get(shape)
    if corners is None:
        points = 10 if shape == "star" else 6
        corners = [((1 if shape != "star" or i % 2 == 0 else 0.45) * math.sin(2 * math.pi * i / points),
                    -(1 if shape != "star" or i % 2 == 0 else 0.45) * math.cos(2 * math.pi * i / points))
                   for i in range(points)]
    return '<polygon points="' + " ".join(f"{x + r * a:.1f},{y + r * b:.1f}" for a, b in corners) + '"/>'


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    """Text for XML: escaped, and without the characters XML 1.0 cannot hold."""
    return html.escape(_CONTROL.sub("\ufffd", str(text)), quote=True)


def _id(kind: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", kind.lower())


def svg_to_png(svg: str, path) -> str:
    """Write ``svg`` as a PNG at ``path`` with the first converter installed; returns its name.

    Tries ``rsvg-convert`` (librsvg), the ``cairosvg`` package, then a headless Chromium.

    Raises
    ------
    OutputError
        No converter is installed (the message says which to install), or the one found failed.
    """
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from graph.errors import OutputError
    from graph.io.files import write_atomic

    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="kg-png-") as folder:
        source = Path(folder) / "map.svg"
        source.write_text(svg, encoding="utf-8")
        made = Path(folder) / "map.png"
        size = re.search(r'width="(\d+)" height="(\d+)"', svg)
        width, height = (int(size.group(1)), int(size.group(2))) if size else (1200, 800)
        rsvg = shutil.which("rsvg-convert")
        chromium = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                         if shutil.which(name)), None)
        try:
            import cairosvg  # noqa: F401  (an optional converter)
        except ImportError:
            cairosvg = None
        if rsvg:
            name, command = "rsvg-convert", [rsvg, "-o", str(made), str(source)]
        elif cairosvg is not None:
            cairosvg.svg2png(url=str(source), write_to=str(made))
            name, command = "cairosvg", None
        elif chromium:
            name, command = "chromium", [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                                         "--hide-scrollbars", "--no-first-run", f"--window-size={width},{height}",
                                         f"--screenshot={made}", source.as_uri()]
        else:
            raise OutputError("no SVG to PNG converter is installed (rsvg-convert, cairosvg or chromium): "
                              "write --format svg, or install librsvg2-bin")
        if command is not None:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=folder)
            if done.returncode != 0 or not made.is_file():
                said = ((done.stderr or done.stdout).strip().splitlines() or ["no output"])[-1]
                raise OutputError(f"{name} could not convert the map to PNG: {said}")
        write_atomic(target, made.read_bytes())
    return name
