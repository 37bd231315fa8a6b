"""A static site of the graph: a page per entity, measure, fact and source, and a search page.

Each entity's page gathers what the graph says about it, each statement next to the sentence
that states it: its names, aliases and identifiers, country, listings (measure, list, dates,
legal basis, sources), relationships (kind, other end, dates, confidence, evidence) and the
exposure paths through it, with its neighbourhood drawn in the colours and shapes of
:mod:`graph.outputs.render`. A source page shows an article's stored text with every quote highlighted
at its offsets (``kg:charStart`` / ``kg:charEnd``) and linked to its fact; entity pages link
their quotes back to it. ``index.html`` searches every entity by name, alias or identifier
with a client-side index, and finds misspellings ("Hikvison") by the matcher's rule: the
index carries each name's keys (:func:`graph.resolve.matching.search_keys`), and the page
allows one edit per four letters, as :func:`graph.resolve.matching.search_score` does.

The pages are plain files that link to each other by relative paths, so the folder opens
offline from disk and ``kg serve`` serves the same bytes under ``/entity/``. No page loads
anything from elsewhere: the search page's one script is inline and allowed by its hash, every
other page runs no script at all, and every name goes through :func:`html.escape`. The same
graph always gives the same files.

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from graph.model.ontology import KG, KGR
>>> g = Graph()
>>> _ = g.add((KGR["org/acme"], RDF.type, KG.Agent)).add((KGR["org/acme"], RDFS.label, Literal("Acme <b>")))
>>> site = Site(g)
>>> sorted(site.paths())
['index.html', 'org/acme.html']
>>> page = site.page("org/acme.html")
>>> "Acme &lt;b&gt;" in page and "<b>" not in page
True
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, BNode, Literal
from rdflib.namespace import DCTERMS, SKOS

from graph.dates import DATE_NOT_STATED, is_proposed, measure_start, period_text
from graph.outputs.assets import script_hash, script_json, template
from graph.outputs.look import class_label, darker, display_name, node_class, short_label, view_style
from graph.outputs.layout import radial_layout
from graph.model.ontology import KG, KGR, load_ontology
from graph.io.tables import shown

__all__ = ["Site", "write_site", "page_path", "SiteReport"]

#: most items one list of a page shows (targets of a measure, facts of a source)
MAX_ITEMS = 400
#: the evidence of a listing shown on each target's page (the measure's page has it all)
EVIDENCE_SHOWN = 3
#: most neighbours a neighbourhood drawing shows
MAX_DRAWN = 40


@dataclass(frozen=True)
class SiteReport:
    """What :func:`write_site` wrote: how many pages, their total and largest size in bytes."""

    pages: int
    total_bytes: int
    largest_bytes: int
    largest_page: str


def page_path(iri: str) -> str:
    """The site path of the page about ``iri``: the IRI's path under ``kgr:``, plus ``.html``.

    Other IRIs get a page named after a digest of the IRI, under ``other/``.

    Examples
    --------
    >>> page_path("https://w3id.org/exposure-kg/id/org/sensetime")
    'org/sensetime.html'
    >>> page_path("https://example.org/x").startswith("other/")
    True
    """
    base = str(KGR)
    if iri.startswith(base):
        tail = iri[len(base):]
        parts = [p for p in tail.split("/") if p not in ("", ".", "..")]
        if parts and all(re.fullmatch(r"[A-Za-z0-9._~%-]+", p) for p in parts):
            # file names have a length limit (255 bytes): long slugs keep a start and a digest
            parts = [p if len(p) <= 100 else f"{p[:80]}-{hashlib.sha256(p.encode()).hexdigest()[:12]}" for p in parts]
            return "/".join(parts) + ".html"
    return f"other/{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:20]}.html"


def write_site(graph, out: str | Path, *, data: str | Path | None = "data",
               progress: Callable[[int, int], None] | None = None) -> SiteReport:
    """Write the site of ``graph`` into the folder ``out``.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
        The built graph, as :func:`graph.store.backends.open_graph` returns it.
    out : path-like
        The folder to write; pages already there are replaced, nothing outside it is touched.
    data : path-like, optional
        The ``data/`` folder the graph was built from, where sources' texts are read (by
        their ``kg:file``) to show quotes in place; None shows quotes without their text.
    progress : callable, optional
        Called with (pages written, pages in all) now and then.

    Returns
    -------
    SiteReport

    Raises
    ------
    OutputError
        ``out`` is a file or a symbolic link.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from rdflib import Graph, Literal, RDF, RDFS
    >>> from graph.model.ontology import KG, KGR
    >>> g = Graph().add((KGR["org/acme"], RDF.type, KG.Agent))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "site"
    >>> write_site(g, out, data=None).pages
    2
    """
    from graph.io.files import check_folder

    out = check_folder(Path(out))  # before any work: never through a symbolic link
    site = Site(graph, data=data)
    paths = list(site.paths())
    total = largest = 0
    largest_page = ""
    # written beside the folder, then swapped in: a failure leaves the previous site whole,
    # and no page of an older build lingers
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for i, path in enumerate(paths):
            body = site.page(path).encode("utf-8")
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            total += len(body)
            if len(body) > largest:
                largest, largest_page = len(body), path
            if progress and (i % 500 == 0 or i == len(paths) - 1):
                progress(i + 1, len(paths))
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{work.name[-8:]}"
            out.rename(old)
        work.rename(out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return SiteReport(len(paths), total, largest, largest_page)


class Site:
    """The pages of one graph, made on demand: :meth:`paths` lists them, :meth:`page` makes one.

    Reading the graph takes a few seconds for ``data/``; each page then takes milliseconds,
    which lets ``kg serve`` answer ``/entity/...`` without writing files.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
    data : path-like, optional
        See :func:`write_site`.
    G : networkx.MultiDiGraph, optional
        The graph's projection, when the caller has it already.
    """

    def __init__(self, graph, *, data: str | Path | None = None, G: nx.MultiDiGraph | None = None) -> None:
        from graph.network import project
        from graph.network.paths import exposure_paths
        from graph.outputs.render import add_names

        self.data = None if data is None else Path(data)
        self.facts = _Facts(graph)
        self.G = add_names(G if G is not None else project(graph), graph)
        self.measures = self.G.graph.get("measures") or {}
        self.lists = self.G.graph.get("lists") or {}
        self.targets = self.G.graph.get("targets") or {}
        self.exposure: dict[str, list[list[str]]] = defaultdict(list)
        us = "US" in (self.G.graph.get("countries") or ())
        for _listed, _exposed, path in exposure_paths(self.G) if us else ():
            for node in dict.fromkeys(path):
                self.exposure[node].append(path)
        # what each piece of evidence is evidence of, and each source's evidence
        self.fact_of: dict[str, str] = {}
        self.by_source: dict[str, list[str]] = defaultdict(list)
        for subject, evidence in sorted(self.facts.pairs(KG.evidence)):
            self.fact_of.setdefault(evidence, subject)
        for evidence, source in sorted(self.facts.pairs(KG.source)):
            if evidence in self.fact_of:
                self.by_source[source].append(evidence)
        self.sources = sorted(s for s in self.facts.subjects_of_type(KG.Source))
        from graph.store.provenance import lists_used

        # the list versions every listing and exposure path of the site comes from
        self.lists_used = lists_used(graph)
        entities = set(self.G) - set(self.measures)
        others = {f for f in self.fact_of.values() if f not in entities and f not in self.measures}
        self.kinds: dict[str, str] = {}
        for iri in entities:
            self.kinds[page_path(iri)] = iri
        for iri in self.measures:
            self.kinds[page_path(iri)] = iri
        for iri in others | set(self.sources):
            self.kinds.setdefault(page_path(iri), iri)

    # -- the pages ------------------------------------------------------------------------
    def paths(self) -> Iterator[str]:
        """Every page's path in the site, ``index.html`` first, then sorted."""
        yield "index.html"
        yield from sorted(self.kinds)

    def page(self, path: str) -> str | None:
        """The HTML of the page at ``path`` (as :meth:`paths` gives it), or None."""
        if path in ("", "index.html"):
            return self._search_page()
        iri = self.kinds.get(path)
        if iri is None:
            return None
        if iri in self.measures:
            return self._measure_page(iri, path)
        if iri in self.G:
            return self._entity_page(iri, path)
        if iri in self.sources:
            return self._source_page(iri, path)
        return self._fact_page(iri, path)

    # -- entity -----------------------------------------------------------------------------
    def _entity_page(self, iri: str, here: str) -> str:
        G, attrs = self.G, self.G.nodes[iri]
        name = display_name(G, iri)
        parts = [f"<h1>{_e(name)}</h1>", self._kind_line(iri)]
        rows = [("IRI", f"<code>{_e(iri)}</code>")]
        labels = self.facts.literals(iri, RDFS.label)
        if len(labels) > 1:
            rows.append(("Names", _join(labels)))
        if attrs.get("aliases"):
            rows.append(("Aliases", _join(attrs["aliases"])))
        if attrs.get("identifiers"):
            rows.append(("Identifiers", _join(attrs["identifiers"])))
        if attrs.get("country"):
            rows.append(("Country", _e(attrs["country"])))
        for predicate, title in ((KG.address, "Address"), (DCTERMS.description, "Description")):
            values = self.facts.literals(iri, predicate)
            if values:
                rows.append((title, _join(values)))
        parts.append(_table(rows))

        measures = attrs.get("measures") or []
        parts.append(f'<h2 id="listings">Listings ({len(measures)})</h2>')
        if measures:
            items = [self._listing(m, here, iri) for m in sorted(measures, key=self._measure_order)]
            parts.append('<ol class="facts">' + "".join(items) + "</ol>")
        else:
            parts.append("<p>No measure targets it in this graph.</p>")

        ties = list(self._ties(iri))
        parts.append(f'<h2 id="relationships">Relationships ({len(ties)})</h2>')
        if ties:
            parts.append('<ol class="facts">' + "".join(self._tie(iri, t, here) for t in ties) + "</ol>")
        else:
            parts.append("<p>No relationship recorded.</p>")

        paths = self.exposure.get(iri) or []
        parts.append(f'<h2 id="exposure">Exposure paths ({len(paths)})</h2>')
        if paths:
            parts.append("<p>Shortest paths of one hop from a listed entity to a US entity "
                         "(<code>kg exposure</code>'s default).</p><ol>")
            for path in paths[:MAX_ITEMS]:
                steps = " → ".join(self._link(n, here) for n in path)
                parts.append(f"<li>{steps}</li>")
            parts.append("</ol>")
        else:
            parts.append("<p>On no exposure path of <code>kg exposure</code>'s default search.</p>")
        if measures or paths:
            parts.append(f'<p class="small">From the list versions named under <a href="'
                         f'{_e(self._rel(here, "index.html"))}#lists">Lists used</a>.</p>')

        parts.append('<h2 id="neighbourhood">Neighbourhood</h2>')
        parts.append(self._drawing(iri, here))
        mentions = self.facts.values(iri, KG.evidence)
        if mentions:
            parts.append(f'<h2 id="mentions">Where it is named ({len(mentions)})</h2>')
            parts.append(self._evidence_list(sorted(mentions), here))
        return self._frame(name, here, "\n".join(parts))

    def _kind_line(self, iri: str) -> str:
        labels = _most_specific(self.facts.classes(iri)) or ["entity"]
        in_force = self.G.has_node(iri) and any(not is_proposed(self.measures.get(m) or {})
                                                for m in self.G.nodes[iri].get("measures") or ())
        listed = ' <span class="badge">listed</span>' if in_force else ""
        return f'<p class="kind">{_e(", ".join(labels))}{listed}</p>'

    def _measure_order(self, m: str):
        info = self.measures.get(m) or {}
        return (str(measure_start(info)[0] or ""), str(info.get("label") or m), m)

    def _listing(self, m: str, here: str, target: str) -> str:
        info = self.measures.get(m) or {}
        rows = []
        if info.get("list"):
            rows.append(("list", _e((self.lists.get(info["list"]) or {}).get("label") or info["list"])))
        rows.append(("measure", _e(", ".join(_most_specific(info.get("classes") or ())))))
        for key, title in (("announced", "announced"), ("start", "in force from"), ("end", "until"),
                           ("legal_basis", "legal basis")):
            if info.get(key):
                rows.append((title, _e(info[key])))
        if is_proposed(info) or not info.get("start"):  # graph.dates: "date not stated", or proposed
            rows.append(("in force", _e(period_text(info))))
        # a target's page shows the rows and sentences that name it (kg:names), and the evidence
        # that names no one target (the notice, an article's sentence); the measure's page has all
        f = self.facts
        evidence = sorted(ev for ev in f.values(m, KG.evidence) if f.first(ev, KG.names) in (None, target))
        return (f'<li id="{_anchor(m)}"><p>{self._link(m, here)}</p>{_table(rows, "small")}'
                f'{self._evidence_list(evidence, here, limit=EVIDENCE_SHOWN, more=m)}</li>')

    def _ties(self, iri: str) -> Iterator[tuple]:
        seen = set()
        edges = [(u, v, k, d) for u, v, k, d in self.G.out_edges(iri, keys=True, data=True)]
        edges += [(u, v, k, d) for u, v, k, d in self.G.in_edges(iri, keys=True, data=True)]
        for u, v, k, d in sorted(edges, key=lambda e: (str(e[3].get("kind")), display_name(self.G, e[1] if e[0] == iri else e[0]).casefold(), str(e[2]), e[0], e[1])):
            other = v if u == iri else u
            mark = (k, other) if d.get("direction") == "symmetric" else (k, u, v)
            if mark in seen:
                continue
            seen.add(mark)
            yield u, v, k, d

    def _tie(self, iri: str, tie: tuple, here: str) -> str:
        u, v, k, d = tie
        kind = str(d.get("kind") or "related")
        relation = f" ({_e(d['relation'])})" if d.get("relation") else ""
        if d.get("direction") == "symmetric":
            line = f"{_e(kind)}{relation} with {self._link(v if u == iri else u, here)}"
        elif u == iri:
            line = f"{_e(kind)}{relation} → {self._link(v, here)}"
        else:
            line = f"{self._link(u, here)} → {_e(kind)}{relation}"
        rows = []
        if d.get("start") or d.get("end"):
            rows.append(("dates", _e(f"{d.get('start') or '?'} to {d.get('end') or 'now'}")))
        if not d.get("start") and d.get("since"):  # graph.dates: held from its earliest source, assumed
            rows.append(("holds from", _e(f"{d['since']} (assumed: the earliest source's date; {DATE_NOT_STATED})")))
        if d.get("share") is not None:
            rows.append(("share", _e(f"{d['share']:g} %")))
        if d.get("confidence") is not None:
            rows.append(("confidence", _e(f"{d['confidence']:g}")))
        rel = str(d.get("relationship") or k)
        rows.append(("fact", self._link(rel, here, text=rel) if page_path(rel) in self.kinds else f"<code>{_e(rel)}</code>"))
        evidence = sorted(self.facts.values(rel, KG.evidence))
        return (f'<li id="{_anchor(rel)}" class="tie"><p>{line}</p>{_table(rows, "small")}'
                f"{self._evidence_list(evidence, here)}</li>")

    # -- evidence ---------------------------------------------------------------------------
    def _evidence_list(self, evidence: list[str], here: str, *, limit: int = MAX_ITEMS, more: str | None = None) -> str:
        if not evidence:
            return '<p class="small">No evidence recorded on this fact.</p>'
        f = self.facts
        # one quote is shown once, with every source and method that reached it (a curated and
        # an extracted fact often rest on the same sentence)
        # (the extractor's quote keeps the sentence's full stop where a curator's often drops it)
        groups: dict[object, list[str]] = {}
        for ev in evidence:
            quote = f.first(ev, KG.quote)
            groups.setdefault(("quote", _sentence_key(quote)) if quote else ("evidence", ev),
                              []).append(ev)
        items = []
        for same in list(groups.values())[:limit]:
            # the fullest wording of the quote is the one shown
            ev = max(same, key=lambda one: len(str(f.first(one, KG.quote) or "")))
            quote = f.first(ev, KG.quote)
            where: list[str] = []
            details: list[str] = []
            for one in same:
                source = f.first(one, KG.source)
                if source:
                    title = f.first(source, DCTERMS.title) or source
                    link = self._link(source, here, text=str(title))
                    if link not in where:
                        where.append(link)
                if f.first(one, KG.file):
                    place = (f"<code>{_e(f.first(one, KG.file))}</code>"
                             + (f" row {_e(f.first(one, KG.row))}" if f.first(one, KG.row) is not None else "")
                             + (f" line {_e(f.first(one, KG.line))}" if f.first(one, KG.line) is not None else ""))
                    if place not in where:
                        where.append(place)
                method, confidence = f.first(one, KG.method), f.first(one, KG.confidence)
                a, b = f.first(one, KG.charStart), f.first(one, KG.charEnd)
                detail = " ".join(x for x in (f"method {_e(method)}" if method is not None else "",
                                              f"confidence {_e(confidence)}" if confidence is not None else "",
                                              f"characters {_e(a)}–{_e(b)}" if a is not None and b is not None
                                              and quote else "") if x)
                if detail and detail not in details:
                    details.append(detail)
                # a table row's basis and the address it cites, as the command line prints them
                for said in (_e(f.first(one, KG.note) or ""),
                             f'<code class="url">{_e(f.first(one, KG.url))}</code>' if f.first(one, KG.url) else ""):
                    if said and said not in where:  # the address as text: the site links only to its own pages
                        where.append(said)
            text = ""
            if quote:
                q = f"“{_e(quote)}”"
                source = f.first(ev, KG.source)
                start, end = f.first(ev, KG.charStart), f.first(ev, KG.charEnd)
                if source and start is not None and end is not None and page_path(source) in self.kinds:
                    target = self._rel(here, page_path(source))
                    q = f'<a class="quote" href="{_e(target)}#{_anchor(ev)}">{q}</a>'
                text = f'<blockquote>{q}</blockquote>'
            items.append(f'<li>{text}<span class="small">{" · ".join(where + details)}</span></li>')
        if len(groups) > limit:
            rest = f"and {len(groups) - limit:,} more"
            if more is not None:
                rest = f'{rest} on {self._link(more, here, text="its own page")}'
            items.append(f'<li class="small">{rest}</li>')
        return f'<ul class="evidence">{"".join(items)}</ul>'

    # -- measure ----------------------------------------------------------------------------
    def _measure_page(self, m: str, here: str) -> str:
        info = self.measures.get(m) or {}
        name = str(info.get("label") or m.rsplit("/", 1)[-1])
        f = self.facts
        rows = [("IRI", f"<code>{_e(m)}</code>")]
        if info.get("list"):
            rows.append(("list", _e((self.lists.get(info["list"]) or {}).get("label") or info["list"])))
        for key, title in (("announced", "announced"), ("start", "in force from"), ("end", "until"),
                           ("legal_basis", "legal basis")):
            if info.get(key):
                rows.append((title, _e(info[key])))
        if is_proposed(info) or not info.get("start"):  # graph.dates: "date not stated", or proposed
            rows.append(("in force", _e(period_text(info))))
        for predicate, title in ((KG.imposedBy, "imposed by"), (KG.announcedBy, "announced by"),
                                 (KG.appliesTo, "binds"), (KG.concerns, "concerns")):
            values = sorted(f.values(m, predicate))
            if values:
                rows.append((title, ", ".join(self._link(v, here) for v in values)))
        for predicate, title in ((KG.reason, "reason"), (KG.licenseRequirement, "licence requirement"),
                                 (KG.licensePolicy, "licence policy")):
            values = f.literals(m, predicate)
            if values:
                rows.append((title, _join(values)))
        targets = self.targets.get(m) or []
        parts = [f"<h1>{_e(name)}</h1>", self._kind_line(m), _table(rows),
                 f'<h2 id="targets">Targets ({len(targets):,})</h2>', "<ul>"]
        parts += [f"<li>{self._link(t, here)}</li>" for t in targets[:MAX_ITEMS]]
        if len(targets) > MAX_ITEMS:
            parts.append(f'<li class="small">and {len(targets) - MAX_ITEMS:,} more: search for them on the '
                         f'<a href="{_e(self._rel(here, "index.html"))}">search page</a></li>')
        parts.append("</ul>")
        parts.append('<h2 id="evidence">Evidence</h2>')
        parts.append(self._evidence_list(sorted(f.values(m, KG.evidence)), here))
        return self._frame(name, here, "\n".join(parts))

    # -- any other fact (relationship, position, event) ---------------------------------------
    def _fact_page(self, iri: str, here: str) -> str:
        f = self.facts
        name = f.first(iri, RDFS.label) or f.first(iri, SKOS.altLabel) or iri.rsplit("/", 1)[-1]
        rows = [("IRI", f"<code>{_e(iri)}</code>")]
        for predicate, values in sorted(f.properties(iri).items()):
            if predicate in (str(RDF.type), str(KG.evidence), str(RDFS.label)):
                continue
            shown = [self._link(v, here) if type(v) is str and page_path(v) in self.kinds else _e(v)
                     for v in sorted(values, key=str)]
            rows.append((_local(predicate), ", ".join(shown)))
        parts = [f"<h1>{_e(name)}</h1>", self._kind_line(iri), _table(rows), '<h2 id="evidence">Evidence</h2>',
                 self._evidence_list(sorted(f.values(iri, KG.evidence)), here)]
        return self._frame(str(name), here, "\n".join(parts))

    # -- source -----------------------------------------------------------------------------
    def _source_page(self, source: str, here: str) -> str:
        f = self.facts
        title = str(f.first(source, DCTERMS.title) or source.rsplit("/", 1)[-1])
        rows = [("IRI", f"<code>{_e(source)}</code>")]
        for predicate, name in ((DCTERMS.publisher, "publisher"), (DCTERMS.creator, "author"),
                                (DCTERMS.issued, "issued"), (DCTERMS.language, "language"), (KG.url, "URL"),
                                (KG.file, "file"), (KG.sha256, "SHA-256"), (KG.note, "note")):
            values = f.literals(source, predicate)
            if values:
                rows.append((name, _join(values)))
        evidence = sorted(self.by_source.get(source) or [], key=lambda ev: (
            int(self.facts.first(ev, KG.charStart) if self.facts.first(ev, KG.charStart) is not None else 1 << 60),
            _row_number(self.facts.first(ev, KG.row)), ev))
        parts = [f"<h1>{_e(title)}</h1>", '<p class="kind">Source</p>', _table(rows)]
        text, problem = self._text(source)
        placed = [(ev, *span) for ev in evidence if (span := self._span(ev, text)) is not None] if text else []
        if text is not None:
            parts.append(f'<h2 id="text">Text, with the {len(placed):,} quotes the graph keeps highlighted</h2>')
            parts.append(f'<div class="text">{self._marked(text, placed, here)}</div>')
        elif problem:
            parts.append(f'<p class="small">{_e(problem)}</p>')
        parts.append(f'<h2 id="facts">Facts it states ({len(evidence):,})</h2><ol class="sourced">')
        for ev in evidence[:MAX_ITEMS]:
            fact = self.fact_of[ev]
            quote = f.first(ev, KG.quote)
            row = f.first(ev, KG.row)
            where = f'<a href="#{_anchor(ev)}">in the text</a> · ' if text is not None and any(p[0] == ev for p in placed) else ""
            parts.append(f'<li>{self._link(fact, here)}: '
                         + (f"“{_e(quote)}” " if quote else "") + f'<span class="small">{where}'
                         + (f"row {_e(row)}" if row is not None else "") + "</span></li>")
        if len(evidence) > MAX_ITEMS:
            parts.append(f'<li class="small">and {len(evidence) - MAX_ITEMS:,} more</li>')
        parts.append("</ol>")
        return self._frame(title, here, "\n".join(parts))

    def _text(self, source: str) -> tuple[str | None, str | None]:
        """The source's stored text, when it is a text file under ``data/`` whose digest matches."""
        file = self.facts.first(source, KG.file)
        if self.data is None or not file or not str(file).endswith(".txt"):
            return None, None
        path = (self.data / str(file)).resolve()
        if not path.is_relative_to(self.data.resolve()) or not path.is_file():
            return None, f"The text ({file}) is not in {self.data}: quotes are listed without it."
        raw = path.read_bytes()
        digest = self.facts.first(source, KG.sha256)
        if digest and hashlib.sha256(raw).hexdigest() != str(digest):
            return None, f"{path} has changed since the build (SHA-256 differs): quotes are listed without it."
        return raw.decode("utf-8"), None

    def _span(self, ev: str, text: str) -> tuple[int, int] | None:
        f = self.facts
        start, end = f.first(ev, KG.charStart), f.first(ev, KG.charEnd)
        if start is None or end is None:
            return None
        start, end = int(start), int(end)
        if not (0 <= start < end <= len(text)):
            return None
        return start, end

    def _marked(self, text: str, spans: list[tuple[str, int, int]], here: str) -> str:
        """The text with each quote in a ``<mark>`` (nested when quotes nest), numbered and linked."""
        spans = sorted(spans, key=lambda s: (s[1], -s[2], s[0]))
        numbers = {ev: i + 1 for i, (ev, _s, _e2) in enumerate(spans)}
        opens: dict[int, list] = defaultdict(list)
        closes: dict[int, list] = defaultdict(list)
        stack_end: list[int] = []
        for ev, start, end in spans:
            while stack_end and stack_end[-1] <= start:
                stack_end.pop()
            if stack_end and end > stack_end[-1]:
                end = stack_end[-1]  # a quote that crosses the one around it is cut at its end
            stack_end.append(end)
            opens[start].append(ev)
            closes[end].insert(0, ev)
        out = []
        cuts = sorted(set(opens) | set(closes) | {0, len(text)})
        for a, b in zip(cuts, cuts[1:] + [None]):
            for ev in closes.get(a, ()):
                out.append(f'<a class="ref" href="{_e(self._rel(here, page_path(self.fact_of[ev])))}" '
                           f'title="the fact this quote states">{numbers[ev]}</a></mark>')
            for ev in opens.get(a, ()):
                out.append(f'<mark id="{_anchor(ev)}">')
            if b is not None:
                out.append(_e(text[a:b]))
        return "".join(out)

    # -- search -----------------------------------------------------------------------------
    def _search_page(self) -> str:
        from graph.resolve.matching import THRESHOLDS, search_keys

        rows = []
        for path, iri in sorted(self.kinds.items()):
            if iri not in self.G:
                continue
            attrs = self.G.nodes[iri]
            cls = node_class(attrs.get("classes") or (), view_style())
            others = [*(attrs.get("aliases") or ()), *(attrs.get("identifiers") or ())]
            name = display_name(self.G, iri)
            # the matcher's keys of every name, for the page's misspelling search (site-search.js)
            keys = list(dict.fromkeys(k for n in (name, *(attrs.get("aliases") or ())) for k in search_keys(n)))
            rows.append([path, name, others, class_label(cls),
                         attrs.get("country") or "", 1 if attrs.get("listed") else 0, keys])
        rows.sort(key=lambda r: (r[1].casefold(), r[0]))
        body = ('<h1>exposure-kg: find an entity</h1>'
                f'<p class="kind">{len(rows):,} entities; search by name, alias or identifier.</p>'
                '<form id="find" action="index.html" method="get" role="search">'
                '<input id="q" name="q" type="search" autofocus autocomplete="off" '
                'placeholder="Hikvision, Sense Time, an identifier…" aria-label="Search">'
                '</form><p id="count" class="small"></p><ol id="results"></ol>'
                f'<script type="application/json" id="index" data-review="{THRESHOLDS.review}">'
                f'{script_json(rows)}</script>' + self._lists_section("index.html"))
        script = template("site-search.js")
        return self._frame("Search", "index.html", body, script=script, search=False)

    def _lists_section(self, here: str) -> str:
        """The list versions the graph holds: each answer of the site comes from them."""
        from graph.store.provenance import SHA_PREFIX

        rows = []
        for source in self.lists_used:
            name = source["title"] or source["file"] or source["iri"]
            link = (f'<a href="{_e(self._rel(here, page_path(source["iri"])))}">{_e(name)}</a>'
                    if source["iri"] in self.sources else _e(name))
            rows.append(f"<tr><td>{link}</td><td>{_e(source['date'] or 'not stated')}</td>"
                        f"<td><code>{_e((source['sha256'] or 'not recorded')[:SHA_PREFIX])}</code></td>"
                        f"<td>{_e(source['retrieved'] or 'not fetched')}</td></tr>")
        table = ('<table class="props"><tr><th>list</th><th>dated</th><th>sha256</th><th>retrieved</th></tr>'
                 + "".join(rows) + "</table>") if rows else "<p>The graph holds no official list.</p>"
        return (f'<h2 id="lists">Lists used ({len(rows)})</h2><p class="small">Every listing and exposure path '
                "on these pages comes from these versions of the lists.</p>" + table)

    # -- shared pieces ----------------------------------------------------------------------
    def _frame(self, title: str, here: str, body: str, *, script: str | None = None, search: bool = True) -> str:
        from graph.version import __version__

        home = self._rel(here, "index.html")
        nav = (f'<nav><a href="{_e(home)}">exposure-kg</a>'
               + (f'<form action="{_e(home)}" method="get" role="search"><input name="q" type="search" '
                  'placeholder="Find an entity" aria-label="Find an entity"></form>' if search else "")
               + "</nav>")
        csp = ["default-src 'none'", "style-src 'unsafe-inline'", "img-src data:", "form-action 'self'"]
        scripts = ""
        if script is not None:
            csp.insert(1, f"script-src {script_hash(script)}")
            scripts = f"<script>{script}</script>"
        values = {"csp": _e("; ".join(csp)), "version": _e(__version__), "title": _e(f"{title} · exposure-kg"),
                  "css": template("site.css"), "nav": nav, "body": body, "scripts": scripts}
        return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template("site.html"))

    @staticmethod
    def _rel(here: str, target: str) -> str:
        # up to the site's root, then down: valid wherever the site is opened or served
        return "../" * here.count("/") + target

    def _link(self, iri: str, here: str, *, text: str | None = None) -> str:
        if text is None:
            if self.G.has_node(iri):
                text = display_name(self.G, iri)
            elif iri in self.measures:
                text = str(self.measures[iri].get("label") or iri.rsplit("/", 1)[-1])
            else:
                text = str(self.facts.first(iri, RDFS.label) or iri.rsplit("/", 1)[-1])
        path = page_path(iri)
        if path not in self.kinds:
            return _e(text)
        return f'<a href="{_e(self._rel(here, path))}">{_e(text)}</a>'

    def _drawing(self, iri: str, here: str) -> str:
        """The neighbourhood as an SVG: the layout, colours and shapes of ``kg render``."""
        G = self.G
        neighbours = sorted(set(G.predecessors(iri)) | set(G.successors(iri)) - {iri},
                            key=lambda n: (display_name(G, n).casefold(), n))
        if not neighbours:
            return "<p>Nothing to draw: no relationship recorded.</p>"
        shown = neighbours[:MAX_DRAWN]
        view = G.subgraph([iri, *shown])
        positions = radial_layout(view, ring=150)
        style = view_style()
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        pad = 110
        x0, y0 = min(xs) - pad, min(ys) - 40
        width, height = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 80
        parts = [f'<svg class="drawing" viewBox="{x0} {y0} {width} {height}" role="img" '
                 f'aria-label="{_e(display_name(G, iri))} and its neighbours">']
        drawn = set()
        for u, v, _k, d in sorted(view.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
            if (frozenset((u, v)), d.get("kind")) in drawn:
                continue
            drawn.add((frozenset((u, v)), d.get("kind")))
            look = style.edges.get(str(d.get("kind")), style.edge_fallback)
            (ux, uy), (vx, vy) = positions[u], positions[v]
            dash = ' stroke-dasharray="6 4"' if look.get("dashes") else ""
            parts.append(f'<line x1="{ux}" y1="{uy}" x2="{vx}" y2="{vy}" stroke="{look["color"]}" '
                         f'stroke-width="2"{dash}><title>{_e(d.get("kind") or "related")}</title></line>')
        for n in [iri, *shown]:
            x, y = positions[n]
            cls = node_class(G.nodes[n].get("classes") or (), style)
            look = style.classes.get(cls) or style.fallback
            border = style.focus["border"] if n == iri else (
                style.listed["border"] if G.nodes[n].get("listed") else darker(look["color"]))
            widthb = 5 if n == iri or G.nodes[n].get("listed") else 1.5
            shape = _shape(look["shape"], x, y, 18 if n == iri else 13)
            label = _e(short_label(display_name(G, n)))
            target = self._rel(here, page_path(n)) if page_path(n) in self.kinds else None
            node = (f'<g fill="{look["color"]}" stroke="{border}" stroke-width="{widthb}">{shape}</g>'
                    f'<text x="{x}" y="{y + 32}" text-anchor="middle">{label}</text>')
            if target and n != iri:
                node = f'<a href="{_e(target)}">{node}</a>'
            parts.append(node)
        parts.append("</svg>")
        note = (f'<p class="small">Showing {len(shown)} of {len(neighbours)} neighbours.</p>'
                if len(shown) < len(neighbours) else "")
        return "".join(parts) + note


# -- reading the graph --------------------------------------------------------------------
class _Facts:
    """Every triple of the graph, once, indexed by subject then predicate (plain values)."""

    def __init__(self, graph) -> None:
        index: dict[str, dict[str, list]] = defaultdict(dict)
        for s, p, o in graph.triples((None, None, None)):
            if isinstance(s, BNode):
                continue
            values = index[str(s)].setdefault(str(p), [])
            value = _value(o)
            if value not in values:
                values.append(value)
        self.index = index

    def values(self, subject: str, predicate) -> list:
        return list(self.index.get(subject, {}).get(str(predicate), ()))

    def first(self, subject: str, predicate):
        values = self.values(subject, predicate)
        return min(values, key=str) if values else None

    def literals(self, subject: str, predicate) -> list[str]:
        return sorted({str(v) for v in self.values(subject, predicate)}, key=lambda t: (t.casefold(), t))

    def properties(self, subject: str) -> dict[str, list]:
        return self.index.get(subject, {})

    def classes(self, subject: str) -> list[str]:
        base = str(KG)
        return sorted(c[len(base):] for c in self.values(subject, RDF.type) if type(c) is str and c.startswith(base))

    def pairs(self, predicate) -> Iterator[tuple[str, str]]:
        key = str(predicate)
        for s, props in self.index.items():
            for o in props.get(key, ()):
                if type(o) is str:  # an IRI, not a literal's text
                    yield s, o

    def subjects_of_type(self, cls) -> Iterator[str]:
        key = str(cls)
        for s, props in self.index.items():
            if key in props.get(str(RDF.type), ()):
                yield s


class _Text(str):
    """A literal's text (a ``str`` subclass, so that IRIs, which are plain ``str``, stand apart)."""


def _most_specific(classes) -> list[str]:
    """The labels of the most specific of ``classes`` (local names): a Company is also an Organization, which says less."""
    classes = set(classes)
    model = load_ontology()
    broader = {str(up)[len(str(KG)):] for c in classes for up in model.superclasses(KG[c]) if up != KG[c]}
    return sorted({class_label(c) for c in classes - broader}, key=str.casefold)


def _sentence_key(quote) -> str:
    # one sentence quoted with or without its closing punctuation is one quote
    return str(quote).rstrip(" \t\n.;:!?")


def _value(term):
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return _Text(str(term))
    return str(term)


def _row_number(value) -> int:
    # rows sort as numbers (row 2 before row 10); evidence without a row after those with one
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1 << 60


def _e(value) -> str:
    return html.escape(shown(str(value)), quote=True)  # control and direction characters marked visibly


def _join(values) -> str:
    return ", ".join(_e(v) for v in values)


def _table(rows: list[tuple[str, str]], cls: str = "props") -> str:
    return f'<table class="{cls}">' + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _anchor(iri: str) -> str:
    return "f-" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _shape(shape: str, x: float, y: float, r: float) -> str:
    if shape == "dot":
        return f'<circle cx="{x}" cy="{y}" r="{r}"/>'
    if shape == "square":
        return f'<rect x="{x - r}" y="{y - r}" width="{2 * r}" height="{2 * r}"/>'
    sides = {"triangle": 3, "triangleDown": 3, "diamond": 4, "star": 10, "hexagon": 6}.get(shape, 6)
    turn = math.pi if shape == "triangleDown" else 0.0
    points = []
    for i in range(sides):
        radius = r if shape != "star" or i % 2 == 0 else r * 0.45
        angle = turn + 2 * math.pi * i / sides
        points.append(f"{x + radius * math.sin(angle):.1f},{y - radius * math.cos(angle):.1f}")
    return f'<polygon points="{" ".join(points)}"/>'


# -- serving ------------------------------------------------------------------------------
def served_page(site: Site, path: str) -> str | None:
    """The page ``kg serve`` answers for the URL path ``path`` under ``/entity/``, or None.

    ``org/sensetime`` and ``org/sensetime.html`` are the same page, ``""`` is the search page,
    and an IRI's tail after ``kgr:`` (as the query page links it) finds its page too.

    Examples
    --------
    >>> from rdflib import Graph, RDF
    >>> from graph.model.ontology import KG, KGR
    >>> site = Site(Graph().add((KGR["org/acme"], RDF.type, KG.Agent)))
    >>> served_page(site, "org/acme") == site.page("org/acme.html"), served_page(site, "org/none")
    (True, None)
    """
    if path and not path.endswith(".html"):
        path += ".html"
    body = site.page(path)
    if body is None and path.endswith(".html"):
        body = site.page(page_path(str(KGR) + path[:-5]))
    return body


#: HTTP headers of a served page: the policy its own <meta> states, and no sniffing
PAGE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": "frame-ancestors 'none'"}


# -- the query page of kg serve ------------------------------------------------------------
def query_page() -> str:
    """The page ``kg serve`` shows at ``/``: a query box, named queries with fields, a table.

    The page runs one script, :func:`query_script`, served beside it (``/page.js``), so that
    its Content-Security-Policy needs no inline script; the named queries and the prefixes
    travel as a JSON block. Results come back as SPARQL JSON and are shown as a table whose
    ``kgr:`` IRIs link to the entity pages under ``entity/``; CSV and JSON links download
    the same answer, and a link reproduces the query (``?name=...&param.x=...`` or
    ``?query=...``).

    Examples
    --------
    >>> page = query_page()
    >>> '<option value="measures-targeting">' in page and "<script src=\\"page.js\\"></script>" in page
    True
    """
    from graph.version import __version__
    from graph.store.sparql import named_queries
    from graph.model.terms import PREFIXES

    queries = {
        name: {"description": q.description, "text": q.text,
               "params": [{"name": p.name, "type": p.type, "help": p.help, "default": p.default} for p in q.params]}
        for name, q in named_queries().items()
    }
    options = "".join(f'<option value="{_e(name)}">{_e(name)}</option>' for name in queries)
    catalogue = "".join(
        f'<details><summary><code>{_e(name)}</code>: {_e(q.description)}</summary>'
        + ("<ul>" + "".join(f"<li><code>?{_e(p.name)}</code> ({_e(p.type)}) {_e(p.help)}</li>" for p in q.params)
           + "</ul>" if q.params else "")
        + f"<pre>{_e(q.text)}</pre></details>"
        for name, q in named_queries().items())
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    values = {"version": _e(__version__), "css": template("site.css"), "options": options,
              "catalogue": catalogue,
              "prefixes": ", ".join(f"<code>{_e(p)}:</code>" for p in prefixes),
              "setup": script_json({"queries": queries, "prefixes": prefixes})}
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template("query.html"))


def query_script() -> str:
    """The query page's script (served as ``/page.js``)."""
    return template("query.js")
