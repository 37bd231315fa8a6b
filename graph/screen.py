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
source), and whether listed owners hold 50 % or more of it (:mod:`graph.network.ownership`).

Examples
--------
>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from rdflib.namespace import SKOS
>>> from graph.ontology import KG, KGR
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

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import ArgumentError, FormatError, InputError
from .lookup import REASONS, NameIndex
from .tables import write_csv

__all__ = ["Counterparty", "Screener", "read_counterparties", "format_screen", "SCREEN_FORMATS",
           "SCREEN_COLUMNS", "REASONS"]

#: output formats of :func:`format_screen`
SCREEN_FORMATS = ("table", "csv", "json", "html")
#: columns of the CSV: one line per (input row, matched entity, finding)
SCREEN_COLUMNS = ("row", "id", "name", "country", "status", "match", "match_label", "match_country", "score",
                  "reason", "matched_name", "finding", "list", "measure", "in_force", "legal_basis",
                  "listed_entity", "listed_label", "hops", "path", "share", "rule", "sources")

_NAME_COLUMNS = ("name", "entity", "counterparty", "company", "supplier", "customer")
_COUNTRY_COLUMNS = ("country", "country_code", "jurisdiction")
_ID_COLUMNS = ("id", "own_id", "your_id", "customer_id", "supplier_id", "reference", "ref")
_IDENTIFIER_COLUMNS = {"identifier": None, "identifiers": None, "lei": "LEI", "registration_number": None,
                       "registration": None, "uscc": "USCC", "isin": "ISIN", "duns": "DUNS", "tax_id": None}
#: a row's status is the gravest of its matches; a "possible match" (the matcher's answer below its
#: match threshold) is for an analyst to review, graver than a sure match to an unlisted entity
_STATUSES = ("listed", "restricted by ownership", "exposed", "possible match", "matched", "no match")


@dataclass(frozen=True)
class Counterparty:
    """One row of an analyst's file: a name and what else identifies it."""

    row: int
    name: str
    country: str | None = None
    identifiers: tuple[str, ...] = ()
    id: str | None = None
    file: str | None = None


def read_counterparties(path: Path) -> list[Counterparty]:
    """Read a counterparty file: CSV, TSV, XLSX (first sheet) or JSON lines.

    The header names the columns, in any case: ``name`` (required; also ``entity``,
    ``counterparty``, ``company``), ``country`` (a code or a name), ``id`` (the analyst's own
    reference), and identifiers: ``identifier`` / ``identifiers`` (``;``-separated, written as
    ``SCHEME VALUE`` or a bare value), ``lei``, ``registration_number``, ``uscc``, ``isin``.
    Other columns are ignored. Rows are numbered as a spreadsheet shows them (the header is
    row 1) and JSON lines by line.

    Raises
    ------
    InputError
        The file does not exist, has an unknown suffix, cannot be decoded or parsed, has no
        name column, or a row has no name; the message names the file, row and what to do.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = p.write_text("Name,Country,LEI\\nSenseTime,CN,\\n", encoding="utf-8")
    >>> read_counterparties(p)[0].name, read_counterparties(p)[0].row
    ('SenseTime', 2)
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "the counterparty file does not exist", hint="give the path of a CSV, TSV, XLSX or JSON lines file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        records = _read_delimited(path, "\t" if suffix == ".tsv" else None)
    elif suffix == ".xlsx":
        records = _read_xlsx(path)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        records = _read_jsonl(path)
    else:
        raise InputError(path, f"unknown counterparty file type {path.suffix!r}",
                         hint="use .csv, .tsv, .xlsx or .jsonl (one JSON object per line)")
    return _counterparties(path, records)


class Screener:
    """A graph made ready for screening: its names indexed, its exposure searched once.

    Parameters
    ----------
    graph : rdflib.Graph or Dataset
        The built graph (:func:`graph.store.open_graph`).
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

    Raises
    ------
    ArgumentError
        For hops below 1 or a malformed date.
    """

    def __init__(self, graph, *, hops: int = 1, as_of: date | str | None = None, decisions=None,
                 limit: int = 3, threshold: float | None = None, G=None) -> None:
        from .network import exposure, listed_entities
        from .network.exposure import _day

        if isinstance(hops, bool) or not isinstance(hops, int) or hops < 1:
            raise ArgumentError("hops", f"hops must be a whole number of at least 1, not {hops!r}")
        self.hops, self.limit, self.threshold = hops, limit, threshold
        self.as_of = _day(as_of)
        self.G = _project(graph) if G is None else G
        self.names = NameIndex(graph, G=self.G, decisions=decisions, limit=limit)
        #: every entity the screen can match, by IRI
        self.entries = self.names.entries
        self.listed = listed_entities(self.G, as_of=self.as_of)
        self.paths: dict[str, list[dict]] = defaultdict(list)
        for record in exposure(self.G, hops=hops, country=None, as_of=self.as_of):
            self.paths[record["exposed"]["iri"]].append(record)
        self.owned = self._ownership(graph)

    # -- matching --------------------------------------------------------------------------
    def match(self, name: str, *, country: str | None = None, identifiers=()) -> list[dict]:
        """The entities ``name`` matches, best first: see :meth:`graph.lookup.NameIndex.match`."""
        return self.names.match(name, country=country, identifiers=identifiers)

    def suggest(self, name: str, *, limit: int = 3) -> list[str]:
        """Names of the graph close to ``name``: see :meth:`graph.lookup.NameIndex.suggest`."""
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
        from .network.exposure import _measure

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
        from .network.ownership import ownership_rules, restricted_by_ownership

        self.rules = ownership_rules(graph)
        return restricted_by_ownership(self.G, self.rules, as_of=self.as_of, threshold=self.threshold)


def format_screen(results: list[dict], fmt: str = "table", *, title: str = "exposure-kg screening") -> str:
    """Render :meth:`Screener.screen` results as a table, CSV, JSON or a self-contained HTML page.

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
    if fmt == "json":
        return json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return write_csv(_csv_rows(results), SCREEN_COLUMNS)
    if fmt == "html":
        return _html_page(results, title)
    if fmt != "table":
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(SCREEN_FORMATS)}")
    return _table(results)


# -- private helpers ----------------------------------------------------------------------
def _project(graph):
    """The projection, read from the raw Oxigraph store when there is one (several times faster)."""
    from .network import project
    from .store import engine, oxigraph_store

    return project(oxigraph_store(graph) if engine(graph) == "oxigraph" else graph)


def _country_code(value: str) -> str | None:
    from .sources._lists import country_code

    return country_code(value)


def _path_record(record: dict) -> dict:
    from .network.report import path_text, source_title

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


def _read_delimited(path: Path, delimiter: str | None) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})",
                         hint="save the file as UTF-8 (in a spreadsheet: CSV UTF-8)") from None
    if not text.strip():
        raise InputError(path, "the file is empty", hint="the first row names the columns: name, country, id ...")
    if delimiter is None:
        first = text.splitlines()[0]
        delimiter = "\t" if first.count("\t") > first.count(",") and first.count("\t") > first.count(";") \
            else ";" if first.count(";") > first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(path, f"cannot read as {'TSV' if delimiter == chr(9) else 'CSV'}: {exc}",
                         line=reader.line_num, unit="row", hint="check the quotes on that row") from None
    header = [h.strip().casefold().replace(" ", "_") for h in rows[0]]
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise InputError(path, f"{len(cells)} cells but the header names {len(header)} columns", line=number,
                             unit="row", hint="quote cells that contain the separator, or fix the row")
        out.append((number, dict(zip(header, cells))))
    return _with_header(path, header, out)


def _read_xlsx(path: Path) -> list[tuple[int, dict]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputError(path, "reading .xlsx needs openpyxl", hint="pip install openpyxl, or save the sheet as CSV") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for broken files
        raise InputError(path, f"not a readable .xlsx workbook ({type(exc).__name__})",
                         hint="open it in a spreadsheet and save it again as .xlsx, or as CSV") from None
    sheet = book.worksheets[0]
    rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise InputError(path, "the first sheet is empty", hint="the first row names the columns: name, country, id ...")
    header = [h.strip().casefold().replace(" ", "_") for h in rows[0]]
    out = [(number, dict(zip(header, cells))) for number, cells in enumerate(rows[1:], start=2)
           if any(c.strip() for c in cells)]
    return _with_header(path, header, out)


def _read_jsonl(path: Path) -> list[tuple[int, dict]]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not JSON: {exc.msg} at column {exc.colno}", line=number,
                             hint="write one JSON object per line, such as {\"name\": \"Acme\", \"country\": \"US\"}") from None
        if not isinstance(record, dict):
            raise InputError(path, f"each line must be a JSON object, not {type(record).__name__}", line=number,
                             hint="write one JSON object per line, such as {\"name\": \"Acme\"}")
        out.append((number, {str(k).strip().casefold().replace(" ", "_"): v for k, v in record.items()}))
    if not out:
        raise InputError(path, "the file holds no JSON object", hint="write one JSON object per line")
    return out


def _with_header(path: Path, header: list[str], rows: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    if not any(h in _NAME_COLUMNS for h in header):
        raise InputError(path, f"no name column in the header {header!r}", line=1, unit="row",
                         hint="name the column of counterparty names 'name' (other columns: country, id, lei, "
                              "registration_number, identifier)")
    return rows


def _counterparties(path: Path, records: list[tuple[int, dict]]) -> list[Counterparty]:
    out = []
    unit = "line" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "row"
    for number, record in records:
        name = next((_text(record[c]) for c in _NAME_COLUMNS if _text(record.get(c))), "")
        if not name:
            raise InputError(path, "no name on this row", line=number, unit=unit,
                             hint="give each counterparty a name, or delete the row")
        identifiers = []
        for column, scheme in _IDENTIFIER_COLUMNS.items():
            value = record.get(column)
            values = value if isinstance(value, list) else re.split(r"[;|]", _text(value))
            for item in values:
                item = _text(item)
                if item:
                    identifiers.append(f"{scheme} {item}" if scheme and not item.upper().startswith(scheme) else item)
        own = next((_text(record[c]) for c in _ID_COLUMNS if _text(record.get(c))), None)
        country = next((_text(record[c]) for c in _COUNTRY_COLUMNS if _text(record.get(c))), None)
        out.append(Counterparty(row=number, name=name, country=country, identifiers=tuple(identifiers), id=own,
                                file=str(path)))
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _csv_rows(results: list[dict]):
    for result in results:
        base = {"row": result["row"], "id": result["id"] or "", "name": result["name"],
                "country": result["country"] or "", "status": result["status"]}
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
    if start and end:
        return f" (in force {start} to {end})"
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
    from .network.report import source_title

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
    counts = defaultdict(int)
    for r in results:
        counts[r["status"]] += 1
    summary = ", ".join(f"{counts[s]} {s}" for s in _STATUSES if counts[s])
    lines.append(f"({len(results)} row{'s' if len(results) != 1 else ''}" + (f": {summary})" if summary else ")"))
    return "\n".join(lines) + "\n"


def _html_page(results: list[dict], title: str) -> str:
    from ._html import document, esc, table

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
        if not r["matches"]:
            hint = ("did you mean " + ", ".join(esc(s) for s in r["suggestions"]) + "?") if r.get("suggestions") else ""
            details.append(f"<p class=\"none\">no entity of the graph matches. {hint}</p>")
        rows.append([esc(r["row"]), esc(r["id"] or ""), esc(r["name"]), esc(r["country"] or ""), esc(r["status"]),
                     "".join(details)])
        row_classes.append(classes.get(r["status"], ""))
    counts = defaultdict(int)
    for r in results:
        counts[r["status"]] += 1
    summary = ", ".join(f"{counts[s]} {s}" for s in _STATUSES if counts[s]) or "no rows"
    body = (f"<p>{esc(len(results))} row(s): {esc(summary)}.</p>"
            + table(["row", "your id", "name", "country", "status", "matches and findings"], rows, classes=row_classes))
    return document(title, body)


def _source_html(source: dict) -> str:
    from ._html import esc

    url = source.get("url")
    # a link is text the analyst can follow; only http(s) addresses become links
    link = (f' <a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>'
            if url and str(url).startswith(("https://", "http://")) else (f" {esc(url)}" if url else ""))
    quote = f" “{esc(source['quote'])}”" if source.get("quote") else ""
    where = ", ".join(esc(x) for x in (source.get("file"), f"row {source['row']}" if source.get("row") is not None
                                        else None) if x)
    return f"{esc(_title(source))}{quote} [{where}]{link}"


def screen_route(spec, settings, *, path: str = "/screen"):
    """A Starlette route answering ``POST /screen`` with what ``kg screen --format json`` prints.

    The body is JSON: ``{"rows": [{"name": ..., "country": ..., "id": ..., "lei": ...}, ...],
    "as_of": "YYYY-MM-DD", "hops": 1}`` (``rows`` may also be the whole body). The endpoint's
    limits hold: a body over ``settings.max_body`` bytes or more rows than ``settings.max_rows``
    gets 413, an answer not ready within ``settings.timeout`` seconds 503, a malformed body 400
    with the row and what to do. The graph is indexed once per (``as_of``, ``hops``).
    """
    import asyncio
    import threading

    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from .store import open_graph

    cache: dict[tuple, Screener] = {}
    lock = threading.Lock()

    def screener(as_of, hops: int) -> Screener:
        with lock:  # one index per day and radius, built once even when requests race
            key = (as_of, hops)
            if key not in cache:
                cache[key] = Screener(open_graph(spec), as_of=as_of, hops=hops)
            return cache[key]

    def refuse(status: int, message: str):
        return JSONResponse({"error": message}, status_code=status)

    async def endpoint(request):
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.max_body:
            return refuse(413, f"the request body is over {settings.max_body} bytes")
        body, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > settings.max_body:
                return refuse(413, f"the request body is over {settings.max_body} bytes")
            body.append(chunk)
        try:
            doc = json.loads(b"".join(body) or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return refuse(400, f"the body is not JSON ({exc}); send {{\"rows\": [{{\"name\": ...}}]}}")
        doc = {"rows": doc} if isinstance(doc, list) else doc
        if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
            return refuse(400, "send a JSON object with a 'rows' list, such as {\"rows\": [{\"name\": \"Acme\"}]}")
        if len(doc["rows"]) > settings.max_rows:
            return refuse(413, f"{len(doc['rows'])} rows is more than this endpoint screens at once "
                               f"({settings.max_rows}); split the file")
        hops = doc.get("hops", 1)
        if isinstance(hops, bool) or not isinstance(hops, int) or not 1 <= hops <= 3:
            return refuse(400, f"hops must be 1, 2 or 3, not {hops!r}")
        try:
            from .network.exposure import _day

            as_of = _day(doc.get("as_of"))
            records = []
            for number, item in enumerate(doc["rows"], start=1):
                if not isinstance(item, dict):
                    raise InputError("request body", f"each row is a JSON object, not {type(item).__name__}",
                                     line=number, unit="row", hint="send rows such as {\"name\": \"Acme\"}")
                records.append((number, {str(k).strip().casefold().replace(" ", "_"): v for k, v in item.items()}))
            rows = _counterparties(Path("request body"), records)
        except (InputError, ArgumentError) as exc:
            return refuse(400, str(exc))

        def work():
            return screener(as_of, hops).screen(rows)

        try:
            results = await asyncio.wait_for(run_in_threadpool(work), settings.timeout)
        except asyncio.TimeoutError:
            return refuse(503, f"screening took longer than {settings.timeout:g} s; send fewer rows or try again")
        return JSONResponse(results)

    return Route(path, endpoint, methods=["POST"])
