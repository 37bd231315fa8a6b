"""A deterministic, linear-time layout for graphs too large for a physics simulation.

Each connected component is drawn as a radial tree around its best-connected entity: the
breadth-first layers sit on rings, and every node gets a wedge of its ring proportional to the
number of leaves below it, so that branches do not cross. Components are then packed in rows,
largest first. Nothing here is random: the same graph always gets the same coordinates, and
10,000 nodes take a few hundredths of a second (a force-directed layout in pure Python takes
minutes, and vis-network's own physics does not settle in a browser at that size).

Examples
--------
>>> import networkx as nx
>>> pos = radial_layout(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2]
True
>>> pos[1]  # the best-connected node is the centre of its component
(0, 0)
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx

__all__ = ["radial_layout"]

_START = 0.35  # radians


def radial_layout(G: nx.Graph, *, ring: float = 120.0, gap: float = 160.0) -> dict[Hashable, tuple[int, int]]:
    """Place every node of ``G`` on rings around the centre of its component.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected, with or without parallel edges; directions are ignored.
        Nodes must be sortable by ``str`` (ties between equally connected nodes are broken
        by their string form, so that the layout does not depend on insertion order).
    ring : float
        Distance between consecutive rings, in vis-network's pixel units.
    gap : float
        Space left between packed components.

    Returns
    -------
    dict
        Node -> ``(x, y)`` as integers, so that serialising the positions is exact.

    Examples
    --------
    >>> import networkx as nx
    >>> star = nx.star_graph(4)
    >>> pos = radial_layout(star, ring=100)
    >>> pos[0]
    (0, 0)
    >>> sorted(round(math.hypot(*pos[n])) for n in range(1, 5))
    [100, 100, 100, 100]
    """
    neighbours: dict[Hashable, list[Hashable]] = {n: [] for n in G}
    for u, v in G.edges():
        if u != v:
            neighbours[u].append(v)
            neighbours[v].append(u)
    order = {n: i for i, n in enumerate(sorted(G, key=str))}
    for n, adjacent in neighbours.items():
        adjacent[:] = sorted(set(adjacent), key=order.__getitem__)

    components = _components(neighbours, order)
    placed = [_radial_tree(component, neighbours, order, ring) for component in components]
    return _pack(placed, gap)


# -- private helpers ----------------------------------------------------------------------
def _components(neighbours: dict, order: dict) -> list[list[Hashable]]:
    """Connected components, largest first, ties by their first node's order."""
    seen: set[Hashable] = set()
    components = []
    for start in sorted(neighbours, key=order.__getitem__):
        if start in seen:
            continue
        seen.add(start)
        members = [start]
        stack = [start]
        while stack:
            for m in neighbours[stack.pop()]:
                if m not in seen:
                    seen.add(m)
                    members.append(m)
                    stack.append(m)
        components.append(members)
    components.sort(key=lambda c: (-len(c), min(order[n] for n in c)))
    return components


def _radial_tree(component: list, neighbours: dict, order: dict, ring: float) -> dict:
    """Coordinates centred on (0, 0) for one component, from a breadth-first tree."""
    root = min(component, key=lambda n: (-len(neighbours[n]), order[n]))
    children: dict[Hashable, list[Hashable]] = {root: []}
    depth = {root: 0}
    queue = [root]
    for node in queue:  # the list grows while iterating: a breadth-first walk
        for m in neighbours[node]:
            if m not in depth:
                depth[m] = depth[node] + 1
                children[node].append(m)
                children[m] = []
                queue.append(m)
    leaves: dict[Hashable, int] = {}
    for node in reversed(queue):
        leaves[node] = sum(leaves[c] for c in children[node]) or 1
    # outer rings hold more nodes: give each ring room for its nodes, at least `ring` apart
    per_ring: dict[int, int] = {}
    for node in queue:
        per_ring[depth[node]] = per_ring.get(depth[node], 0) + 1
    radii = {0: 0.0}
    for d in range(1, max(per_ring) + 1):
        radii[d] = max(radii[d - 1] + ring, per_ring[d] * ring * 0.45 / math.pi)
    positions = {root: (0.0, 0.0)}
    # a start off the axes: vis-network misplaces the label of a "continuous" edge drawn
    # exactly horizontal or vertical, and physics keeps such symmetric starts aligned
    wedges = {root: (_START, 2 * math.pi)}
    for node in queue:
        start, width = wedges[node]
        for child in children[node]:
            share = width * leaves[child] / leaves[node]
            wedges[child] = (start, share)
            angle = start + share / 2
            r = radii[depth[child]]
            positions[child] = (r * math.cos(angle), r * math.sin(angle))
            start += share
    return positions


def _pack(placed: list[dict], gap: float) -> dict:
    """Shelf-pack components (each centred on the origin) into rows of similar width."""
    boxes = []
    for positions in placed:
        radius = max((math.hypot(x, y) for x, y in positions.values()), default=0.0)
        boxes.append((positions, radius + gap / 2))
    area = sum((2 * r) ** 2 for _p, r in boxes)
    row_width = max(math.sqrt(area) * 1.2, max((2 * r for _p, r in boxes), default=0.0))
    result: dict = {}
    x = y = row_height = 0.0
    for positions, r in boxes:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + r, y + r
        for node, (px, py) in positions.items():
            result[node] = (round(cx + px), round(cy + py))
        x += 2 * r
        row_height = max(row_height, 2 * r)
    # centre the largest component on the origin so that the page opens on it
    if boxes:
        ox, oy = result[next(iter(placed[0]))]
        first_x, first_y = placed[0][next(iter(placed[0]))]
        shift_x, shift_y = ox - round(first_x), oy - round(first_y)
        result = {n: (px - shift_x, py - shift_y) for n, (px, py) in result.items()}
    return result
