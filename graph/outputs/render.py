"""Self-contained HTML views of the projected graph, drawn by vis-network.

One HTML file, nothing beside it and nothing fetched: vis-network's JavaScript and CSS are
inlined from the copy shipped inside the pyvis package, the graph travels as a JSON block that
no name can break out of, and a Content-Security-Policy allows only the page's own scripts (by
hash) and no connection at all. Labels are drawn on the canvas and tooltips are DOM elements
filled as text, so a hostile name shows as the characters it is made of.

Nodes are added as lists (``Network.from_nx`` is quadratic), placed by
:func:`graph.outputs.layout.radial_layout`; small views then settle with a short physics run, large
ones keep the precomputed layout. The same graph always gives the same bytes.

How classes and edge kinds look is data (``graph/outputs/templates/style.json``), checked against the
ontology when loaded.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("https://example.org/a", label="Acme <b>", classes=["Company"], listed=True)
>>> G.add_node("https://example.org/b", label="Bolt", classes=["Company"])
>>> _ = G.add_edge("https://example.org/a", "https://example.org/b", key="r1", kind="supply")
>>> page = render(G)
>>> page.startswith("<!DOCTYPE html>") and "Acme <b>" not in page
True
>>> render(G) == page
True
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import OWL, RDF
from rdflib.namespace import SKOS

from graph.outputs import page as _page
from graph.outputs.look import class_label, display_name
from graph.outputs.page import PHYSICS_MAX_NODES
from graph.errors import ArgumentError, GraphTooLargeError, ResolutionError
from graph.model.ontology import KG, load_ontology, slugify
from graph.io.files import write_atomic

__all__ = [
    "render",
    "select",
    "opening",
    "path_view",
    "find_node",
    "add_names",
    "show",
    "to_pyvis",
    "write_pyvis",
    "InlineGraph",
    "build_label",
    "record_paths",
    "exposure_edges",
    "with_measures",
    "DEFAULT_MAX_NODES",
    "PHYSICS_MAX_NODES",
]

#: views above this many entities are refused with a hint on how to focus
DEFAULT_MAX_NODES = 5000


def render(
    G: nx.MultiDiGraph,
    path: str | Path | None = None,
    *,
    focus: str | None = None,
    hops: int = 1,
    classes: Iterable[str] | None = None,
    isolated: bool = True,
    highlight_paths: Sequence[Sequence[str]] | None = None,
    highlight_edges: Collection[str] | None = None,
    paths_only: bool = False,
    measures: bool = False,
    title: str | None = None,
    build: str | None = None,
    names: Mapping[str, str] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    start: Collection[str] | None = None,
) -> str:
    """Render the projection ``G`` (or part of it) as one self-contained HTML page.

    The page has a search box with completion over the entities' names, aliases and
    identifiers (node attributes ``label``, ``aliases``, ``identifiers``); choosing one centres
    it and highlights its neighbourhood, clicking a node does the same without moving the view,
    and three filters keep the entities of one class, list or country. The focus entity, when
    there is one, is marked and selected when the page opens.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection as :func:`graph.network.projection.project` returns it: entity IRIs as
        nodes with ``label``, ``classes``, ``country``, ``listed`` and ``measures``; edges with
        ``kind``, ``relationship``, ``direction`` and ``sources``. Missing attributes are
        tolerated (a node without a label shows the end of its IRI).
    path : path-like, optional
        Where to write the page, atomically; nothing is written when the view is refused.
    focus : str, optional
        An entity's IRI or name (see :func:`find_node`): show it and its neighbours within
        ``hops`` relationships, whatever their direction.
    hops : int
        Radius of the focus neighbourhood.
    classes : iterable of str, optional
        Keep only entities of these ``kg:`` classes (local names, ``"Company"``); the focus
        entity is always kept.
    isolated : bool
        Keep entities that take part in no relationship of ``G`` (most parties of an official
        list are only targets of a measure); False draws the connected part only.
    highlight_paths : sequence of sequences of str, optional
        Paths (lists of node IRIs, listed entity first, exposed entity last) to highlight:
        their edges are drawn thick, their ends marked, everything else faded.
    highlight_edges : collection of str, optional
        The relationships (IRIs, or edge keys) the paths take, when only some of the edges
        between two consecutive nodes belong to them (as :func:`exposure_edges` gives for a
        search restricted by kind or date); by default every edge between them does.
    paths_only : bool
        Show only the entities and steps of ``highlight_paths`` as the exposure map of
        :func:`graph.outputs.exposure_map.exposure_map`: listed entities in the left column, exposed
        ones in the right, entities on longer paths between by hop, physics off.
    measures : bool
        Also draw the measures (from ``G.graph["measures"]``) that target entities of the
        view, each with a ``targets`` edge to its targets. The exposure map (``paths_only``)
        names them in its listed entities' tooltips and its legend instead.
    title : str, optional
        The page title and heading; by default one that says what the view shows.
    build : str, optional
        Which build the graph comes from (a file name and digest), shown under the heading.
    names : mapping, optional
        Display names for IRIs that are not nodes, such as measures in tooltips; by default
        the labels of ``G.graph["measures"]`` as the projection records them.
    max_nodes : int or None
        Refuse views with more entities than this (None: no limit).
    start : collection of str, optional
        The entities the page shows when it opens (see :func:`opening`); the others of the
        view (measures included) are on the page but hidden until a search, a neighbour's
        selection or "show everything" reveals them. By default every entity is shown.

    Returns
    -------
    str
        The HTML page; the same arguments always give the same string.

    Raises
    ------
    GraphTooLargeError
        The view has more than ``max_nodes`` entities.
    ResolutionError
        ``focus`` or a node of ``highlight_paths`` is not in ``G``, or ``focus`` is ambiguous.
    ArgumentError
        ``hops`` is negative or a class is not one of the ontology's.
    ValueError
        ``paths_only`` is given without ``highlight_paths``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("kgr:a", "kgr:b", key="r", kind="partner", direction="symmetric")
    >>> _ = G.add_edge("kgr:b", "kgr:a", key="r", kind="partner", direction="symmetric")
    >>> page = render(G, title="two partners")
    >>> "<title>two partners</title>" in page
    True
    """
    parts, title = _parts(G, focus=focus, hops=hops, classes=classes, isolated=isolated,
                          highlight_paths=highlight_paths, highlight_edges=highlight_edges, paths_only=paths_only,
                          measures=measures, title=title, build=build, names=names, max_nodes=max_nodes,
                          start=start)
    page = _page.html_page(title=title, **parts)
    if path is not None:
        write_atomic(Path(path), page)
    return page


def to_pyvis(G: nx.MultiDiGraph, **options):
    """A ``pyvis.network.Network`` holding the view :func:`render` would draw, to tune and write.

    Takes :func:`render`'s keyword arguments (but ``path``). The network's ``nodes`` and
    ``edges`` are filled as lists (never with ``from_nx``, which is quadratic), with the same
    colours, shapes, positions, tooltips and legend data as :func:`render`; its physics is set
    through pyvis's own API (``force_atlas_2based``), so ``net.toggle_physics``,
    ``net.show_buttons``, ``net.set_edge_smooth`` and the like tune it. Write it with
    :func:`write_pyvis`: pyvis's stock template loads Bootstrap from a CDN and does not escape
    its heading or select menu.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://e.org/a", label="<b>A</b>", classes=["Company"])
    >>> _ = G.add_edge("https://e.org/a", "https://e.org/b", key="r", kind="supply")
    >>> net = to_pyvis(G)
    >>> [n["label"] for n in net.nodes], [e["label"] for e in net.edges]
    (['<b>A</b>', 'b'], ['supply'])
    >>> net.toggle_physics(False)
    >>> page = write_pyvis(net)
    >>> page.startswith("<!DOCTYPE html>"), "<b>A" in page  # the label travels as escaped JSON
    (True, False)
    """
    from pyvis.network import Network

    parts, title = _parts(G, **options)
    data = parts["data"]
    net = Network(heading=title, directed=True)
    net.nodes = [dict(n) for n in data["nodes"]]
    net.edges = [dict(e) for e in data["edges"]]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    physics = data["options"]["physics"]
    if physics.get("enabled"):
        look = physics["forceAtlas2Based"]
        net.force_atlas_2based(gravity=look["gravitationalConstant"], central_gravity=look["centralGravity"],
                               spring_length=look["springLength"], spring_strength=look["springConstant"],
                               damping=look["damping"], overlap=look["avoidOverlap"])
        net.options.physics.stabilization = dict(physics["stabilization"])
        net.options.physics.minVelocity = physics["minVelocity"]
    else:
        net.toggle_physics(False)
    # the parts of vis-network's options pyvis has no object for travel as attributes
    for key in ("groups", "nodes", "layout", "autoResize"):
        setattr(net.options, key, data["options"][key])
    for key, value in data["options"]["interaction"].items():
        setattr(net.options.interaction, key, value)
    for key, value in data["options"]["edges"].items():
        if key != "smooth":
            setattr(net.options.edges, key, value)
    if data["options"]["edges"]["smooth"]:
        net.set_edge_smooth(data["options"]["edges"]["smooth"]["type"])
    else:
        net.options.edges.smooth.enabled = False
    net.kg_page = {k: v for k, v in parts.items() if k != "data"}
    net.kg_page["data"] = {k: v for k, v in data.items() if k not in ("nodes", "edges", "options")}
    return net


def write_pyvis(net, path: str | Path | None = None) -> str:
    """The page of a pyvis ``Network``, through the project's template: offline, escaped, strict CSP.

    Works on a network from :func:`to_pyvis` (its legend, filters and search come along) or
    on any network built with pyvis's API: every label and title is shown as text, never
    parsed as HTML, and the page loads nothing from elsewhere. Writes ``path`` atomically
    when given; returns the page.
    """
    extra = getattr(net, "kg_page", None) or {}
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    nodes = []
    for node in net.nodes:
        record = {k: v for k, v in node.items() if v is not None}
        label = str(record.get("label", record["id"]))
        record["label"] = label
        record["title"] = _lines(record.get("title"), label)
        record.setdefault("names", [label])
        record.setdefault("iri", str(record["id"]))
        record.setdefault("classes", [])
        record.setdefault("classLabel", "")
        record.setdefault("country", None)
        record.setdefault("lists", [])
        nodes.append(record)
    edges = []
    for i, edge in enumerate(net.edges):
        record = {k: v for k, v in edge.items() if v is not None}
        record.setdefault("id", f"e{i}")
        record["title"] = _lines(record.get("title"), str(record.get("label") or ""))
        record.setdefault("color", {})
        record.setdefault("width", 1.5)
        edges.append(record)
    data = {"filters": {"classes": [], "lists": [], "countries": []}, "focus": None,
            "faded": {"node": {"background": "#d9d9d9", "border": "#d9d9d9"}, "font": {"color": "#9a9a9a"},
                      "edge": {"color": "#d9d9d9"}}, "selectedWidth": 7,
            **extra.get("data", {}), "nodes": nodes, "edges": edges, "options": options}
    n = len(nodes)
    page = _page.html_page(data=data, title=str(net.heading or "exposure-kg"),
                           subtitle=extra.get("subtitle") or f"{n:,} node{'' if n == 1 else 's'}, {len(edges):,} edges",
                           legend=extra.get("legend") or "", status=extra.get("status") or "")
    if path is not None:
        write_atomic(Path(path), page)
    return page


def _lines(title, fallback: str) -> list[str]:
    if title is None:
        return [fallback]
    if isinstance(title, (list, tuple)):
        return [str(t) for t in title]
    return str(title).split("\n")


def _parts(G: nx.MultiDiGraph, *, focus=None, hops=1, classes=None, isolated=True, highlight_paths=None,
           highlight_edges=None, paths_only=False, measures=False, title=None, build=None, names=None,
           max_nodes=DEFAULT_MAX_NODES, start=None) -> tuple[dict, str]:
    """The view's page parts (see :func:`graph.outputs.page.view_data`) and its title."""
    if paths_only and highlight_paths is None:
        raise ValueError("paths_only needs highlight_paths: the exposure view shows paths")
    paths = [list(p) for p in highlight_paths or ()]
    _check_paths(G, paths)
    known = {iri: m["label"] for iri, m in (G.graph.get("measures") or {}).items() if m.get("label")}
    layered = None
    if paths_only:
        # the exposure map: listed entities left, exposed right, by hop between, physics off
        from graph.outputs.exposure_map import exposure_map

        if focus is not None or classes:
            kept = set(select(G.subgraph({n for p in paths for n in p}), focus=focus, hops=hops, classes=classes))
            paths = [p for p in paths if set(p) <= kept]
        layered = exposure_map(G, paths, highlight_edges, names=names)
        view = layered.graph
        asked, paths = paths, layered.paths
    else:
        view = select(G, focus=focus, hops=hops, classes=classes, isolated=isolated)
        if measures:
            view = with_measures(view, G.graph.get("measures") or {})
    if max_nodes is not None and view.number_of_nodes() > max_nodes:
        raise GraphTooLargeError(view.number_of_nodes(), max_nodes)
    if title is None:
        title = _default_title(G, view, focus=focus, hops=hops, classes=classes,
                               paths=asked if paths_only else None, isolated=isolated)
    centre = find_node(G, focus) if focus is not None else None
    parts = _page.view_data(view, paths, highlight_edges, build=build, names={**known, **(names or {})},
                            focus=centre if centre in view else None,
                            opening=None if start is None else _in_view(view, start), layered=layered)
    return parts, title


def select(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    classes: Iterable[str] | None = None,
    isolated: bool = True,
) -> nx.MultiDiGraph:
    """The part of ``G`` a view shows: a focus neighbourhood, some classes, the connected part.

    Parameters are those of :func:`render`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(select(G, focus="b", hops=1))
    ['a', 'b', 'c']
    >>> G.add_node("alone")
    >>> select(G).number_of_nodes(), select(G, isolated=False).number_of_nodes()
    (5, 4)
    """
    if hops < 0:
        raise ArgumentError("hops", f"hops must be 0 or more, not {hops!r}")
    keep = set(G)
    centre = None
    if focus is not None:
        centre = find_node(G, focus)
        keep = set(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), centre, cutoff=hops))
    wanted = sorted(set(classes or ()))
    if wanted:
        unknown = [c for c in wanted if (KG[c], RDF.type, OWL.Class) not in load_ontology().graph]
        if unknown:
            raise ArgumentError("classes", f"unknown class {unknown[0]!r}; "
                                           "give a class of the ontology, such as 'Company'")
        keep = {n for n in keep if n == centre or set(G.nodes[n].get("classes") or ()) & set(wanted)}
    if not isolated:
        keep = {n for n in keep if n == centre or G.degree(n) > 0}
    if keep == set(G):
        return G
    return G.subgraph(keep)


def opening(G: nx.MultiDiGraph) -> set[str]:
    """The part of ``G`` that matters first: listed entities tied to unlisted ones, and those.

    That is every listed entity with a relationship (other than being targeted) to an entity
    no measure targets, and every such entity: where exposure starts. Ties among listed
    parties alone (the ownership chains an official list records between its own parties)
    are left for later, or they fill the page. :func:`render` opens its page on these when
    given them as ``start``; the rest of the view stays on the page, reachable by search, by
    clicking through, or with "show everything".

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("listed", listed=True)
    >>> G.add_node("listed-owner", listed=True)
    >>> _ = G.add_edge("listed", "partner", kind="partner")
    >>> _ = G.add_edge("listed-owner", "listed", kind="ownership")
    >>> _ = G.add_edge("far", "partner", kind="supply")
    >>> sorted(opening(G))
    ['listed', 'partner']
    """
    keep: set[str] = set()
    for n in G:
        if not G.nodes[n].get("listed"):
            continue
        ties = [*G.in_edges(n, data=True), *G.out_edges(n, data=True)]
        others = {u if v == n else v for u, v, d in ties if d.get("kind") != "targets"}
        unlisted = {m for m in others if m != n and not G.nodes[m].get("listed")}
        if unlisted:
            keep.add(n)
            keep.update(unlisted)
    return keep


def _in_view(view: nx.MultiDiGraph, start: Collection[str]) -> set[str]:
    return set(start) & set(view)


def path_view(G: nx.MultiDiGraph, paths: Sequence[Sequence[str]],
              edges: Collection[str] | None = None) -> nx.MultiDiGraph:
    """The nodes of ``paths`` and, of the edges of ``G``, those joining consecutive nodes.

    With ``edges`` (relationship IRIs or edge keys), only those of the joining edges.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> sorted(path_view(G, [["a", "b", "c"]]).edges())
    [('a', 'b'), ('b', 'c')]
    """
    _check_paths(G, paths)
    steps = _page.steps_of(paths)
    nodes = {n for p in paths for n in p}
    allowed = None if edges is None else set(edges)
    view = G.subgraph(nodes).copy()
    view.remove_edges_from([(u, v, k) for u, v, k, d in view.edges(keys=True, data=True)
                            if not _page.is_step_edge(u, v, k, d, steps, allowed)])
    return view


def find_node(G: nx.Graph, name: str) -> str:
    """The node ``name`` designates: its IRI, its label (any case) or its IRI's last segment.

    Raises
    ------
    ResolutionError
        No node, or more than one, answers to ``name``; the message lists close names.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("https://w3id.org/exposure-kg/id/org/sensetime", label="SenseTime")
    >>> find_node(G, "sensetime")
    'https://w3id.org/exposure-kg/id/org/sensetime'
    """
    if name in G:
        return name
    wanted = name.casefold().strip()
    slug = slugify(name)
    for match in (
        lambda n: str(G.nodes[n].get("label") or "").casefold().strip() == wanted,
        lambda n: bool(slug) and str(n).rstrip("/").rsplit("/", 1)[-1] == slug,
    ):
        found = sorted(n for n in G if match(n))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ResolutionError(f"{name!r} names {len(found)} entities: {', '.join(found)}; give the IRI")
    labels = sorted({str(G.nodes[n].get("label")) for n in G if G.nodes[n].get("label")})
    close = difflib.get_close_matches(name, labels, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ResolutionError(f"no entity named {name!r} in the graph{hint}")


def add_names(G: nx.MultiDiGraph, graph) -> nx.MultiDiGraph:
    """Give the nodes of ``G`` the other names a search finds them by, read from ``graph``.

    Sets ``aliases`` (every ``skos:altLabel``) and ``identifiers`` (``kg:identifier`` values
    and ``owl:sameAs`` IRIs), both sorted, on the nodes of ``G`` that have any; returns ``G``.

    Examples
    --------
    >>> import networkx as nx
    >>> from rdflib import Graph, Literal, URIRef
    >>> from rdflib.namespace import SKOS
    >>> g = Graph().add((URIRef("https://e.org/a"), SKOS.altLabel, Literal("Acme Corp")))
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://e.org/a", label="Acme")
    >>> add_names(G, g).nodes["https://e.org/a"]["aliases"]
    ['Acme Corp']
    """
    found: dict[str, dict[str, set[str]]] = {}
    for key, predicate in (("aliases", SKOS.altLabel), ("identifiers", KG.identifier), ("identifiers", OWL.sameAs)):
        for s, _p, o in graph.triples((None, predicate, None)):
            if str(s) in G:
                found.setdefault(str(s), {}).setdefault(key, set()).add(str(o))
    for node, names in found.items():
        for key, values in names.items():
            G.nodes[node][key] = sorted(values)
    return G


def build_label(path: str | Path) -> str:
    """Name a build by its graph file and the start of the file's SHA-256, for the subtitle.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "graph.trig"
    >>> _ = f.write_text("")
    >>> build_label(f).endswith("graph.trig (sha256 e3b0c44298fc)")
    True
    """
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return f"{path} (sha256 {digest[:12]})"


def with_measures(G: nx.MultiDiGraph, measures: Mapping[str, Mapping]) -> nx.MultiDiGraph:
    """A copy of ``G`` with a node per measure targeting its entities and ``targets`` edges.

    ``measures`` maps measure IRIs to their ``label`` and ``classes`` (the projection keeps
    them in ``G.graph["measures"]``); measures that target nothing in ``G`` are left out.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("firm", label="Firm", measures=["ban"], listed=True)
    >>> H = with_measures(G, {"ban": {"label": "A ban", "classes": ["Measure"]}})
    >>> [(u, v, d["kind"]) for u, v, d in H.edges(data=True)]
    [('ban', 'firm', 'targets')]
    """
    H = nx.MultiDiGraph(G)
    targets: dict[str, list[str]] = {}
    for n in sorted(G, key=str):
        for m in G.nodes[n].get("measures") or ():
            targets.setdefault(m, []).append(n)
    for m in sorted(targets):
        info = measures.get(m) or {}
        if m not in H:
            H.add_node(m, label=info.get("label"), classes=list(info.get("classes") or ["Measure"]),
                       country=None, listed=False, measures=[], measure=dict(info))
        for n in targets[m]:
            H.add_edge(m, n, key=f"{m} targets {n}", kind="targets", relationship=m, direction="forward",
                       sources=[], note=f"evidence: recorded on the measure; kg query fact-sources --param fact={m}")
    return H


def exposure_edges(records: Iterable[Mapping]) -> list[str]:
    """The relationships (IRIs) that the steps of exposure records go through.

    Examples
    --------
    >>> exposure_edges([{"path": [{"edges": [{"relationship": "r1"}, {"relationship": "r2"}]}]}])
    ['r1', 'r2']
    """
    return sorted({e["relationship"] for record in records for step in record["path"] for e in step["edges"]})


def record_paths(records: Iterable[Mapping]) -> list[list[str]]:
    """The node paths (listed entity first) of records from :func:`graph.network.paths`.

    Not to be confused with :func:`graph.network.exposure_paths`, which searches a projection;
    this one only reads the paths out of the records that search returned.

    Examples
    --------
    >>> record_paths([{"path": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}]}])
    [['a', 'b', 'c']]
    """
    paths = []
    for record in records:
        steps = record["path"]
        if steps:
            paths.append([steps[0]["from"], *(step["to"] for step in steps)])
    return paths


@dataclass(frozen=True)
class InlineGraph:
    """An HTML page that Jupyter shows inline, in an IFrame whose ``srcdoc`` is the page.

    The page runs in its own frame, as it does in a browser tab: its scripts and its
    Content-Security-Policy apply there and nowhere else in the notebook.
    """

    # repr=False: an executed notebook keeps the plain-text form too; the page is ~700 KB
    html: str = field(repr=False)
    height: int = 640

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                'sandbox="allow-scripts"></iframe>')


def show(page_or_graph: str | nx.MultiDiGraph, *, height: int = 640, **options) -> InlineGraph:
    """Display a page (or render a graph with ``options``) inline in a Jupyter notebook.

    Examples
    --------
    >>> import networkx as nx
    >>> frame = show(nx.MultiDiGraph([("a", "b")]), height=300)
    >>> frame._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    page = page_or_graph if isinstance(page_or_graph, str) else render(page_or_graph, **options)
    return InlineGraph(page, height)


# -- private helpers ----------------------------------------------------------------------
def _check_paths(G: nx.Graph, paths: Sequence[Sequence[str]]) -> None:
    for i, p in enumerate(paths):
        for node in p:
            if node not in G:
                raise ResolutionError(f"path {i} names {node!r}, which is not in the graph")


def _default_title(G: nx.Graph, view: nx.Graph, *, focus, hops, classes, paths, isolated) -> str:
    if paths is not None:
        listed = len({p[0] for p in paths})
        exposed = len({p[-1] for p in paths})
        text = f"Exposure paths: {exposed} exposed entit{'y' if exposed == 1 else 'ies'} near {listed} listed"
    elif focus is not None:
        text = f"{display_name(G, find_node(G, focus))} and its neighbours within {hops} hop{'' if hops == 1 else 's'}"
    else:
        text = "The whole graph" if isolated else "Entities with relationships"
    if classes:
        text += " (" + ", ".join(class_label(c) for c in sorted(set(classes))) + " only)"
    return f"exposure-kg: {text}"
