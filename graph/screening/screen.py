"""Screening: an analyst's own counterparty file matched against a built graph, without a rebuild.

Each row of the file (a name, and optionally a country, identifiers and the analyst's own id)
is matched to the graph's entities with the resolver's own rules (:mod:`graph.resolve`): a
shared identifier, the same name, an alias, the same normalised name key, or the build's
matcher (:mod:`graph.resolve.matching`): its ``match`` merges in a build, its ``possible
match`` is a near miss there and a row to review here, each with its score and explanation
("name 0.86, legal form dropped"); never for a pair a reviewed decision forbids. A screen and
a build therefore never disagree: a name the screen matches to an entity is one the build
would have merged into it.

For every matched entity the screen says whether it is listed (which lists and measures, in
force on ``as_of``), which listed entities it sits within ``hops`` of (each path with every
source), and whether listed owners hold 50 % or more of it (:mod:`graph.network.ownership_rule`).

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from rdflib.namespace import SKOS
>>> from graph.model.ontology import KG, KGR
>>> g = Graph()
>>> for cls in (KG.Agent, KG.Company):  # a build writes every class of an entity
...     _ = g.add((KGR["org/sensetime"], RDF.type, cls))
>>> _ = g.add((KGR["org/sensetime"], RDFS.label, Literal("SenseTime")))
>>> _ = g.add((KGR["org/sensetime"], SKOS.altLabel, Literal("Sense Time")))
>>> screener = Screener(g)
>>> [(m["label"], m["reason"]) for m in screener.match("SENSETIME GROUP LIMITED")]
[('SenseTime', 'normalised name')]
>>> screener.screen([Counterparty(row=1, name="Acme Widgets")])[0]["status"]
'no match'
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

from graph.errors import ArgumentError, FormatError, InputError
from graph.screening.lookup import REASONS, NameIndex
from graph.io.tables import shown, write_csv
from graph.screening.counterparties import Counterparty, counterparties_from_records, read_counterparty_file
from graph.io.tabular import Limits

__all__ = ["Counterparty", "Screener", "read_counterparties", "read_request_rows", "format_screen",
           "SCREEN_FORMATS", "SCREEN_COLUMNS", "REASONS"]

#: output formats of :func:`format_screen`
SCREEN_FORMATS = ("table", "csv", "json", "html", "xlsx")
#: columns of the CSV: one line per (input row, matched entity, finding)
SCREEN_COLUMNS = ("row", "id", "name", "country", "status", "match", "match_label", "match_country", "score",
                  "reason", "matched_name", "finding", "list", "measure", "in_force", "legal_basis",
                  "listed_entity", "listed_label", "hops", "path", "share", "rule", "sources", "notes")

#: a row's status is the gravest of its matches; a "possible match" (the matcher's answer below its
#: match threshold) is for an analyst to review, graver than a sure match to an unlisted entity
_STATUSES = ("listed", "restricted by ownership", "exposed", "possible match", "matched", "no match")


def read_counterparties(path: Path, *, limits: Limits | None = None) -> list[Counterparty]:
    """The rows of a counterparty file that name a counterparty (:mod:`graph.screening.counterparties`).

    CSV, TSV, text, XLSX (first sheet) or JSON lines; columns found by their usual names (``name``,
    ``Counterparty Name``, ``Legal Name``, ``Company``; ``Our Ref``, ``Reference``, ``ID``;
    ``Country``, a code or a name; identifiers such as ``LEI``); rows numbered as a spreadsheet
    shows them (the header is row 1), JSON lines by line. A row without a name is skipped:
    :func:`graph.screening.counterparties.read_counterparty_file` says which, and which columns it read.

    Raises
    ------
    InputError
        The file does not exist, has an unknown suffix, cannot be decoded or parsed, is over a
        limit, or has no name column; the message names the file, row and what to do.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = p.write_text("Name,Country,LEI\\nSenseTime,CN,\\n", encoding="utf-8")
    >>> read_counterparties(p)[0].name, read_counterparties(p)[0].row
    ('SenseTime', 2)
    """
    return read_counterparty_file(path, limits=limits or Limits()).rows


class Screener:
    """A graph made ready for screening: its names indexed, its exposure searched once.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
        The built graph (:func:`graph.store.backends.open_graph`).
    hops : int
        The longest exposure path, in relationships (at least 1).
    as_of : datetime.date or str, optional
        Only measures, holdings and relationships in force that day.
    decisions : list of graph.resolve.Decision, optional
        Reviewed decisions (``resolution/decisions.yaml``): forbidden pairs never match.
    limit : int
        At most this many matched entities per row.
    threshold : float, optional
        Percent of ownership by listed owners from which an entity is restricted; by default
        each ownership rule's own (50 %).
    G : networkx.MultiDiGraph, optional
        The graph's projection, when the caller has it already.
    names : graph.screening.lookup.NameIndex, optional
        The graph's name index, when the caller has it already (another screener's ``names``,
        built with the same ``decisions`` and ``limit``): a screen on another day then costs
        its listings and paths only.

    Raises
    ------
    ArgumentError
        For hops below 1 or a malformed date.
    """

    def __init__(self, graph, *, hops: int = 1, as_of: date | str | None = None, decisions=None,
                 limit: int = 3, threshold: float | None = None, G=None, names: NameIndex | None = None) -> None:
        from graph.dates import parse_day
        from graph.network import exposure, listed_entities, project

        if isinstance(hops, bool) or not isinstance(hops, int) or hops < 1:
            raise ArgumentError("hops", f"hops must be a whole number of at least 1, not {hops!r}")
        self.hops, self.limit, self.threshold = hops, limit, threshold
        self.as_of = parse_day(as_of)
        self.G = project(graph) if G is None else G
        self.names = NameIndex(graph, G=self.G, decisions=decisions, limit=limit) if names is None else names
        #: every entity the screen can match, by IRI
        self.entries = self.names.entries
        self.listed = listed_entities(self.G, as_of=self.as_of)
        self.paths: dict[str, list[dict]] = defaultdict(list)
        for record in exposure(self.G, hops=hops, country=None, as_of=self.as_of):
            self.paths[record["exposed"]["iri"]].append(record)
        self.owned = self._ownership(graph)

    # -- matching --------------------------------------------------------------------------
    def match(self, name: str, *, country: str | None = None, identifiers=()) -> list[dict]:
        """The entities ``name`` matches, best first: see :meth:`graph.screening.lookup.NameIndex.match`."""
        return self.names.match(name, country=country, identifiers=identifiers)

    def suggest(self, name: str, *, limit: int = 3) -> list[str]:
        """Names of the graph close to ``name``: see :meth:`graph.screening.lookup.NameIndex.suggest`."""
        return self.names.suggest(name, limit=limit)

    # -- screening -------------------------------------------------------------------------
    def screen(self, rows) -> list[dict]:
        """Screen counterparties: one result per row, in the file's order.

        Each result: ``row``, ``id``, ``name``, ``country``, ``status`` (``"listed"``,
        ``"restricted by ownership"``, ``"exposed"``, ``"matched"`` or ``"no match"``, the
        gravest of its matches) and ``matches``: each match of :meth:`match` with ``listed``
        (bool), ``measures`` (in force on ``as_of``), ``owned`` (listed owners holding at least
        the threshold, with chains, shares and sources, or None) and ``exposure`` (paths to
        listed entities within ``hops``, with every source).
        """
        from graph.network.paths import measure_record as _measure

        import copy

        info, lists = self.G.graph.get("measures", {}), self.G.graph.get("lists", {})
        findings: dict[str, dict] = {}  # what is known of an entity, worked out once however many rows match it
        out = []
        for row in rows:
            code = _country_code(row.country) if row.country else None
            matches = self.match(row.name, country=code, identifiers=row.identifiers)
            for m in matches:
                iri = m["iri"]
                if iri not in findings:
                    measures = [_measure(x, info.get(x, {}), lists) for x in self.listed.get(iri, [])]
                    owned = self.owned.get(iri)
                    found = {"listed": bool(measures), "measures": measures,
                             "owned": owned if owned and owned["restricted"] else None,
                             "ownership_unknown": owned["unknown"] if owned else [],
                             "exposure": [_path_record(r) for r in self.paths.get(iri, [])]}
                    found["status"] = ("listed" if measures else "restricted by ownership" if found["owned"]
                                       else "exposed" if found["exposure"] else "matched")
                    findings[iri] = found
                m.update(copy.deepcopy(findings[iri]))  # each row's answer is its own to change
                if m.get("answer") == "possible match":  # what the entity is stays in the match's fields
                    m["status"] = "possible match"
            status = min((m["status"] for m in matches), key=_STATUSES.index, default="no match")
            out.append({"row": row.row, "id": row.id, "name": row.name, "country": row.country,
                        "identifiers": list(row.identifiers), "status": status, "matches": matches,
                        "suggestions": []})
        unmatched = [r for r in out if not r["matches"]]
        for result, close in zip(unmatched, self.names.suggest_many([r["name"] for r in unmatched])):
            result["suggestions"] = close
        return out

    # -- private ---------------------------------------------------------------------------
    def _ownership(self, graph) -> dict[str, dict]:
        from graph.network.ownership_rule import ownership_rules, restricted_by_ownership

        self.rules = ownership_rules(graph)
        return restricted_by_ownership(self.G, self.rules, as_of=self.as_of, threshold=self.threshold)


def format_screen(results: list[dict], fmt: str = "table", *, title: str = "exposure-kg screening",
                  record: dict | None = None, screener: Screener | None = None) -> str | bytes:
    """Render :meth:`Screener.screen` results as a table, CSV, JSON, an HTML page or an XLSX workbook.

    Parameters
    ----------
    results : list of dict
        :meth:`Screener.screen`'s answer (each row may carry ``notes``, see
        :func:`graph.screening.counterparties.annotate`).
    fmt : str
        One of :data:`SCREEN_FORMATS`; ``"xlsx"`` gives bytes, the others text.
    title : str
        The HTML page's title.
    record : dict, optional
        What the screening ran against (:func:`graph.screening.record.screening_record`): the
        table's footer, the CSV's first rows (``#`` lines), JSON's ``record`` (the rows then under
        ``rows``), the HTML page's first table, the workbook's ``record`` sheet.
    screener : Screener, optional
        The screener that made ``results``: the HTML page then draws under each exposed match
        the exposure map of its paths (:func:`graph.outputs.exposure_map.map_svg`, inline, static).

    Raises
    ------
    FormatError
        For an unknown format.

    Examples
    --------
    >>> print(format_screen([{"row": 2, "id": None, "name": "Acme", "country": None, "identifiers": [],
    ...                       "status": "no match", "matches": [], "suggestions": []}]), end="")
    row  name  status    best match
    ---  ----  --------  ----------
    2    Acme  no match
    (1 row: 1 no match)
    """
    from graph.screening.record import record_lines

    lines = record_lines(record) if record else []
    if fmt == "json":
        doc = {"record": record, "rows": results} if record else results
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        # the record first, one quoted "#" cell per line, so that no spreadsheet splits or runs it
        head = write_csv([[f"# {line}"] for line in lines], ["# exposure-kg screening record"]) if lines else ""
        return head + write_csv(_csv_rows(results), SCREEN_COLUMNS)
    if fmt == "html":
        return _html_page(results, title, record, screener)
    if fmt == "xlsx":
        from graph.io.tables import write_xlsx

        sheets = {"screening": (SCREEN_COLUMNS, _csv_rows(results))}
        if record:
            sheets["record"] = (("record",), ([line] for line in lines))
        return write_xlsx(sheets)
    if fmt != "table":
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(SCREEN_FORMATS)}")
    # the record under the table, each line marked "#" so that a reader (or grep -v '^#') can set it apart
    return _table(results) + "".join(f"# {line}\n" for line in lines)


# -- private helpers ----------------------------------------------------------------------
def _country_code(value: str) -> str | None:
    from graph.model.countries import country_code

    return country_code(value)


def _path_record(record: dict) -> dict:
    from graph.network.report import path_text, source_title

    sources = []
    for step in record["path"]:
        for edge in step["edges"]:
            for source in edge["sources"]:
                sources.append({"kind": edge["kind"], "relationship": edge["relationship"],
                                "title": source_title(source), **{k: source.get(k) for k in (
                                    "url", "quote", "file", "row", "confidence", "method")}})
    return {"listed": record["listed"]["iri"], "listed_label": record["listed"]["label"],
            "measures": record["listed"]["measures"], "hops": record["hops"], "confidence": record["confidence"],
            "path": path_text(record), "sources": sources}


def _counterparties(path: Path, records: list[tuple[int, dict]]) -> list[Counterparty]:
    # a request's rows: one without a name is refused, so that the client hears which
    return counterparties_from_records(path, records, skip_nameless=False).rows


def _csv_rows(results: list[dict]):
    for result in results:
        base = {"row": result["row"], "id": result["id"] or "", "name": result["name"],
                "country": result["country"] or "", "status": result["status"],
                "notes": "; ".join(result.get("notes") or [])}
        if not result["matches"]:
            yield {**base, "finding": "no match"}
        for m in result["matches"]:
            about = {**base, "match": m["iri"], "match_label": m["label"], "match_country": m["country"] or "",
                     "score": m["score"], "reason": m["reason"], "matched_name": m["matched"]}
            findings = 0
            for measure in m.get("measures", []):
                findings += 1
                yield {**about, "finding": "listed", "list": measure.get("list_label") or "",
                       "measure": measure.get("label") or measure["iri"], "in_force": measure.get("date") or "",
                       "in_force_until": measure.get("end") or "",
                       "legal_basis": measure.get("legal_basis") or ""}
            owned = m.get("owned")
            if owned:
                for owner in owned["owners"]:
                    for chain in owner["chains"]:
                        findings += 1
                        yield {**about, "finding": "restricted by ownership", "listed_entity": owner["iri"],
                               "listed_label": owner.get("label") or "", "share": chain["share"],
                               "rule": "; ".join(_rule_text(r) for r in owned.get("rules", [])),
                               "path": _chain_text(chain),
                               "sources": " | ".join([_source_line(s) for e in chain["path"] for s in e["sources"]]
                                                     + [_source_line(s) for r in owned.get("rules", [])
                                                        for s in r.get("sources") or []])}
            for unknown in m.get("ownership_unknown", []):
                findings += 1
                yield {**about, "finding": "owned by a listed party, share unknown (not counted)",
                       "listed_entity": unknown["owner"], "listed_label": unknown["owner_label"] or "",
                       "sources": " | ".join(_source_line(s) for s in unknown["sources"])}
            for path in m.get("exposure", []):
                for measure in path["measures"] or [{}]:
                    findings += 1
                    yield {**about, "finding": "exposed", "list": measure.get("list_label") or "",
                           "measure": measure.get("label") or "", "in_force": measure.get("date") or "",
                           "legal_basis": measure.get("legal_basis") or "", "listed_entity": path["listed"],
                           "listed_label": path["listed_label"] or "", "hops": path["hops"], "path": path["path"],
                           "sources": " | ".join(_source_line(s) for s in path["sources"])}
            if not findings:
                yield {**about, "finding": "not listed, no exposure"}


def _rule_text(rule: dict) -> str:
    label = rule.get("label") or rule["iri"]
    return f"{label} ({rule.get('status')}; threshold {rule.get('threshold') or 50:g} %)"


def _period(measure: dict) -> str:
    start, end = measure.get("date"), measure.get("end")
    if start and measure.get("date_stated") is False:  # graph.dates: the list's date, not the measure's
        start = f"{start}, the list's date; date not stated"
    if start and end:
        return f" (in force {start} to {end})"
    if not start and measure.get("date_stated") is False:
        return f" (date not stated{f'; until {end}' if end else ''})"
    return f" (in force from {start})" if start else (f" (until {end})" if end else "")


def _chain_text(chain: dict) -> str:
    parts = []
    for edge in chain["path"]:
        share = "unknown share" if edge.get("share") is None else f"{edge['share']:g} %"
        parts.append(f"{edge.get('source_label') or edge['source']} -owns {share}-> "
                     f"{edge.get('target_label') or edge['target']}")
    return "; ".join(parts)


def _source_line(source: dict) -> str:
    where = ", ".join(str(x) for x in (source.get("file"), f"row {source['row']}" if source.get("row") is not None
                                       else None, source.get("url")) if x)
    quote = f" “{source['quote']}”" if source.get("quote") else ""
    return f"{_title(source)}{quote} [{where}]"


def _title(source: dict) -> str:
    from graph.network.report import source_title

    # a path's sources carry their title already; an edge's or a rule's are described here
    return source.get("title") or "" if "kind" in source else source_title(source)


def _table(results: list[dict]) -> str:
    header = ("row", "name", "status", "best match")
    rows = []
    for r in results:
        best = r["matches"][0] if r["matches"] else None
        rows.append((str(r["row"]), r["name"], r["status"],
                     f"{best['label']} ({best.get('explanation') or best['reason']}, {best['score']:g})" if best else ""))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    for r, row in zip(results, rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        for m in r["matches"]:
            if m is not r["matches"][0]:
                lines.append(f"    also: {m['label']} ({m.get('explanation') or m['reason']}, {m['score']:g}) <{m['iri']}>")
            for measure in m.get("measures", []):
                lines.append(f"    listed: {measure.get('label') or measure['iri']}{_period(measure)}")
            if m.get("owned"):
                owned = m["owned"]
                rules = ", ".join(_rule_text(x) for x in owned.get("rules", []))
                lines.append(f"    restricted by ownership: listed owners hold {owned['share']:g} %"
                             + (f" under {rules}" if rules else ""))
                for owner in owned["owners"]:
                    for chain in owner["chains"]:
                        lines.append(f"      {chain['share']:g} %: {_chain_text(chain)}")
                        for source in (x for e in chain["path"] for x in e["sources"]):
                            lines.append(f"        ownership: {_source_line(source)}")
                for rule in owned.get("rules", []):
                    for source in rule.get("sources") or []:
                        lines.append(f"      rule: {_source_line(source)}")
            for unknown in m.get("ownership_unknown", []):
                lines.append(f"    owned by listed {unknown['owner_label'] or unknown['owner']}: share unknown, "
                             "not counted toward 50 %")
                for source in unknown["sources"]:
                    lines.append(f"      ownership: {_source_line(source)}")
            for path in m.get("exposure", []):
                lines.append(f"    exposed: {path['path']} ({path['hops']} hop{'s' if path['hops'] != 1 else ''})")
                for source in path["sources"]:
                    lines.append(f"      {source['kind']}: {_source_line(source)}")
        if r.get("suggestions"):
            lines.append(f"    no match; did you mean {', '.join(repr(s) for s in r['suggestions'])}?")
        for note in r.get("notes") or []:
            lines.append(f"    note: {note}")
    counts = defaultdict(int)
    for r in results:
        counts[r["status"]] += 1
    summary = ", ".join(f"{counts[s]} {s}" for s in _STATUSES if counts[s])
    lines.append(f"({len(results)} row{'s' if len(results) != 1 else ''}" + (f": {summary})" if summary else ")"))
    return shown("\n".join(lines)) + "\n"  # no escape sequence from a list or a file reaches the terminal


def _html_page(results: list[dict], title: str, record: dict | None = None, screener: Screener | None = None) -> str:
    from graph.outputs.html_report import document, esc, table

    maps: dict[str, str] = {}  # one map per exposed entity, however many rows match it
    classes = {"listed": "listed", "restricted by ownership": "restricted", "exposed": "exposed", "no match": "none"}
    rows, row_classes = [], []
    for r in results:
        details = []
        for m in r["matches"]:
            items = [f"<li>listed: {esc(x.get('label') or x['iri'])}{esc(_period(x))}</li>" for x in m.get("measures", [])]
            if m.get("owned"):
                owned = m["owned"]
                chains = "".join(f"<li>{esc(c['share'])} %: {esc(_chain_text(c))}<ul>"
                                 + "".join(f"<li class=\"small\">{_source_html(s)}</li>"
                                           for e in c["path"] for s in e["sources"]) + "</ul></li>"
                                 for o in owned["owners"] for c in o["chains"])
                rules = ", ".join(_rule_text(x) for x in owned.get("rules", []))
                chains += "".join(f"<li class=\"small\">rule: {_source_html(x)}</li>"
                                  for r in owned.get("rules", []) for x in r.get("sources") or [])
                items.append(f"<li>restricted by ownership: listed owners hold {esc(owned['share'])} %"
                             + (f" under {esc(rules)}" if rules else "") + f"<ul>{chains}</ul></li>")
            for unknown in m.get("ownership_unknown", []):
                items.append(f"<li>owned by listed {esc(unknown['owner_label'] or unknown['owner'])}: share unknown, "
                             "not counted toward 50 %<ul>" + "".join(
                                 f"<li class=\"small\">{_source_html(s)}</li>" for s in unknown["sources"]) + "</ul></li>")
            for path in m.get("exposure", []):
                sources = "".join(f"<li class=\"small\">{esc(s['kind'])}: {_source_html(s)}</li>" for s in path["sources"])
                items.append(f"<li>exposed: {esc(path['path'])} ({esc(path['hops'])} hop(s))<ul>{sources}</ul></li>")
            details.append(f"<p><b>{esc(m['label'])}</b> <span class=\"small\">{esc(m['iri'])}; {esc(m['reason'])}, "
                           f"score {esc(m['score'])}; matched {esc(m['matched'])}</span></p><ul>{''.join(items)}</ul>")
            if screener is not None and m.get("exposure") and screener.paths.get(m["iri"]):
                if m["iri"] not in maps:
                    maps[m["iri"]] = _map_html(screener, m["iri"], m["label"])
                details.append(maps[m["iri"]])
        if not r["matches"]:
            hint = ("did you mean " + ", ".join(esc(s) for s in r["suggestions"]) + "?") if r.get("suggestions") else ""
            details.append(f"<p class=\"none\">no entity of the graph matches. {hint}</p>")
        details += [f"<p class=\"small\">note: {esc(note)}</p>" for note in r.get("notes") or []]
        rows.append([esc(r["row"]), esc(r["id"] or ""), esc(r["name"]), esc(r["country"] or ""), esc(r["status"]),
                     "".join(details)])
        row_classes.append(classes.get(r["status"], ""))
    counts = defaultdict(int)
    for r in results:
        counts[r["status"]] += 1
    summary = ", ".join(f"{counts[s]} {s}" for s in _STATUSES if counts[s]) or "no rows"
    if record:
        from graph.screening.record import record_lines

        head = ("<details open><summary>What this screening ran against</summary><ul class=\"small\">"
                + "".join(f"<li>{esc(line)}</li>" for line in record_lines(record)) + "</ul></details>")
    else:
        head = ""
    body = (head + f"<p>{esc(len(results))} row(s): {esc(summary)}.</p>"
            + table(["row", "your id", "name", "country", "status", "matches and findings"], rows, classes=row_classes))
    return document(title, body)


def _map_html(screener: Screener, iri: str, label: str) -> str:
    """The exposure map of the paths reaching ``iri``, as inline SVG (static: no script, no link)."""
    from graph.outputs.exposure_map import exposure_map, map_svg
    from graph.outputs.render import exposure_edges, record_paths

    records = screener.paths[iri]
    drawn = exposure_map(screener.G, record_paths(records), exposure_edges(records))
    svg = map_svg(drawn, title=f"Exposure map of {label}",
                  subtitle=f"within {screener.hops} hop{'' if screener.hops == 1 else 's'} of a listed entity")
    return f'<figure class="map">{svg}</figure>'


def _source_html(source: dict) -> str:
    from graph.outputs.html_report import esc

    url = source.get("url")
    # a link is text the analyst can follow; only http(s) addresses become links
    link = (f' <a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>'
            if url and str(url).startswith(("https://", "http://")) else (f" {esc(url)}" if url else ""))
    quote = f" “{esc(source['quote'])}”" if source.get("quote") else ""
    where = ", ".join(esc(x) for x in (source.get("file"), f"row {source['row']}" if source.get("row") is not None
                                        else None) if x)
    return f"{esc(_title(source))}{quote} [{where}]{link}"


def read_request_rows(items: list) -> list[Counterparty]:
    """Counterparties from the ``rows`` of a JSON request (``POST /screen``), numbered from 1.

    Each item is a JSON object read as one line of a JSON lines file: ``name`` (required),
    ``country``, ``id``, ``lei`` and the other identifier columns of :func:`read_counterparties`.

    Raises
    ------
    InputError
        An item that is not an object, or has no name; the message names the row.

    Examples
    --------
    >>> [(c.row, c.name, c.identifiers) for c in read_request_rows([{"Name": "Acme", "LEI": "5299"}])]
    [(1, 'Acme', ('LEI 5299',))]
    """
    records = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError("request body", f"each row is a JSON object, not {type(item).__name__}",
                             line=number, unit="row", hint="send rows such as {\"name\": \"Acme\"}")
        records.append((number, {str(k).strip().casefold().replace(" ", "_"): v for k, v in item.items()}))
    return _counterparties(Path("request body"), records)
