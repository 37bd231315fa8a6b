"""A layered (column) layout: nodes in given columns, ordered in each to cross few edges.

The columns are the caller's (for the exposure map: listed entities, then entities by hop,
then the exposed ones); this module only decides the order inside each column, by a
barycentre sweep (each node goes to the mean position of its neighbours in the columns
already placed, sweeping right and then left, keeping the order with the fewest crossings),
and turns the orders into integer coordinates wide enough for every label. Nothing is random:
ties go by the nodes' string form, so the same graph always gets the same coordinates.

Examples
--------
>>> pos, crossings = layered_layout([["a", "b"], ["y", "x"]], [("a", "x"), ("b", "y")],
...                                 widths={}, pitch=50, gap=100)
>>> crossings
0
>>> pos["a"][0] < pos["x"][0], pos["a"][1] == pos["x"][1]
(True, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

__all__ = ["layered_layout", "order_columns", "count_crossings"]


def layered_layout(
    columns: Sequence[Sequence[Hashable]],
    edges: Iterable[tuple[Hashable, Hashable]],
    *,
    widths: Mapping[Hashable, float],
    pitch: float,
    gap: float,
    sweeps: int = 4,
    column_widths: Sequence[float] = (),
    spread: float = 1.0,
) -> tuple[dict[Hashable, tuple[int, int]], int]:
    """Coordinates for nodes in ``columns``, left to right, each column centred vertically.

    Parameters
    ----------
    columns : sequence of sequences
        The nodes of each column, left to right, in the order to start from (ties keep it).
    edges : iterable of pairs
        Ties between nodes of different columns (direction ignored; ties within a column
        and ties to nodes in no column are left out of the ordering).
    widths : mapping
        Each node's drawn width (its label's), so that columns stand far enough apart that no
        two labels of neighbouring columns meet; a node missing here is 0 wide.
    pitch : float
        Vertical distance between two nodes of a column (at least a node and its label).
    gap : float
        Horizontal space left between the widest labels of two neighbouring columns.
    sweeps : int
        Number of right-then-left barycentre sweeps.
    column_widths : sequence of float
        The least width of each column (for a heading drawn above it).
    spread : float
        A shorter column spreads its nodes up to this many times ``pitch`` apart, to span
        more of the tallest column's height (1: every column keeps ``pitch``).

    Returns
    -------
    (dict, int)
        Node -> ``(x, y)`` as integers, and the number of crossings between edges of the
        same pair of columns in the order chosen.

    Examples
    --------
    >>> pos, n = layered_layout([["l1", "l2"], ["e1", "e2", "e3"]],
    ...                         [("l1", "e3"), ("l2", "e1")], widths={"l1": 80}, pitch=40, gap=60)
    >>> n, [pos[e][1] for e in ("e3", "e1", "e2")]
    (0, [-40, 0, 40])
    """
    ordered, crossings = order_columns(columns, edges, sweeps=sweeps)
    positions: dict[Hashable, tuple[int, int]] = {}
    tallest = max((len(column) for column in ordered), default=0)
    x = 0.0
    previous = 0.0
    for i, column in enumerate(ordered):
        least = column_widths[i] if i < len(column_widths) else 0.0
        half = max((widths.get(n, 0.0) / 2 for n in column), default=0.0)
        half = max(half, least / 2)
        if i:
            x += previous + gap + half
        previous = half
        middle = (len(column) - 1) / 2
        step = pitch if len(column) < 2 else min(pitch * max(spread, 1.0), pitch * (tallest - 1) / (len(column) - 1))
        for j, node in enumerate(column):
            positions[node] = (round(x), round((j - middle) * step))
    return positions, crossings


def order_columns(
    columns: Sequence[Sequence[Hashable]],
    edges: Iterable[tuple[Hashable, Hashable]],
    *,
    sweeps: int = 4,
) -> tuple[list[list[Hashable]], int]:
    """The order inside each column that crosses fewest edges found by a barycentre sweep.

    Examples
    --------
    >>> order_columns([["a", "b"], ["x", "y"]], [("a", "y"), ("b", "x")])
    ([['a', 'b'], ['y', 'x']], 0)
    """
    column_of = {n: i for i, column in enumerate(columns) for n in column}
    neighbours: dict[Hashable, set] = {n: set() for n in column_of}
    for u, v in edges:
        if u in column_of and v in column_of and column_of[u] != column_of[v]:
            neighbours[u].add(v)
            neighbours[v].add(u)
    order = [list(column) for column in columns]
    best = [list(column) for column in order]
    best_crossings = count_crossings(order, neighbours, column_of)
    for _ in range(sweeps):
        for side, indices in ((-1, range(1, len(order))), (1, range(len(order) - 2, -1, -1))):
            for i in indices:
                rank = {n: k for c in (order[i - 1] if side < 0 else order[i + 1], order[i]) for k, n in enumerate(c)}
                at = {n: k for k, n in enumerate(order[i])}

                def centre(n, i=i, side=side, rank=rank, at=at):
                    near = [rank[m] for m in neighbours[n] if column_of[m] == i + side]
                    return (sum(near) / len(near) if near else float(at[n]), at[n])

                order[i].sort(key=centre)
            crossings = count_crossings(order, neighbours, column_of)
            if crossings < best_crossings:
                best, best_crossings = [list(column) for column in order], crossings
    return best, best_crossings


def count_crossings(order: Sequence[Sequence[Hashable]], neighbours: Mapping[Hashable, Iterable],
                    column_of: Mapping[Hashable, int]) -> int:
    """Crossings between edges joining the same two columns, drawn as straight lines.

    Examples
    --------
    >>> count_crossings([["a", "b"], ["x", "y"]], {"a": ["y"], "b": ["x"], "x": ["b"], "y": ["a"]},
    ...                 {"a": 0, "b": 0, "x": 1, "y": 1})
    1
    """
    rank = {n: k for column in order for k, n in enumerate(column)}
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for column in order:
        for u in column:
            for v in neighbours[u]:
                a, b = column_of[u], column_of[v]
                if a < b:
                    pairs.setdefault((a, b), []).append((rank[u], rank[v]))
    return sum(_inversions([b for _a, b in sorted(segments)]) for segments in pairs.values())


# -- private helpers ----------------------------------------------------------------------
def _inversions(values: list[int]) -> int:
    """Pairs i < j with values[i] > values[j], by merge sort (edges sharing an end never cross)."""
    if len(values) < 2:
        return 0
    middle = len(values) // 2
    left, right = values[:middle], values[middle:]
    count = _inversions(left) + _inversions(right)
    left.sort()
    right.sort()
    j = 0
    for value in left:
        while j < len(right) and right[j] < value:
            j += 1
        count += j
    return count
