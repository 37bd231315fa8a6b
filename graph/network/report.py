"""Exposure results as text: an aligned table with its evidence, CSV, JSON or Markdown.

Two shapes: the wide form (one row per exposure result, measures and sources joined in a
cell) for reading, and the long form (:func:`long_rows`: one row per listed entity, exposed
entity, measure and source) for filtering in pandas or a spreadsheet. Every CSV goes through
:func:`graph.io.tables.write_csv`, so no cell is read as a formula.

Examples
--------
>>> print(format_exposure([], "table", empty="no exposure found"), end="")
no exposure found
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from graph.dates import DATE_NOT_STATED
from graph.errors import FormatError
from graph.io.tables import markdown_cell, shown, write_csv

__all__ = ["format_exposure", "format_ownership", "flatten", "long_rows", "measures_by_list", "path_text",
           "source_title", "FORMATS",
           "CSV_COLUMNS", "LONG_COLUMNS", "OWNERSHIP_COLUMNS"]

FORMATS = ("table", "csv", "json", "md", "long-csv", "long-json")

#: the columns of the CSV output, one row per result
CSV_COLUMNS = ("listed", "listed_label", "measures", "measure_dates", "exposed", "exposed_label",
               "country", "hops", "confidence", "path", "relationships", "sources")

#: the columns of the long form, one row per (listed entity, exposed entity, measure, source)
LONG_COLUMNS = ("list", "measure", "measure_iri", "announced", "in_force", "in_force_until", "legal_basis",
                "listed", "listed_label", "listed_country", "exposed", "exposed_label", "exposed_country", "hops",
                "path", "path_confidence", "relationship_kind", "relation", "relationship", "source_title",
                "publisher", "url", "quote", "file", "row", "basis", "confidence", "method")


def format_exposure(records: list[dict], fmt: str = "table", *, empty: str = "no exposure found",
                    lists: list[dict] | None = None) -> str:
    """Render :func:`graph.network.paths` records in ``fmt`` (one of :data:`FORMATS`).

    An empty result renders as the ``empty`` message in the table and Markdown formats, as a
    header alone in CSV and as ``[]`` in JSON, so that machines still read a valid file.
    ``long-csv`` and ``long-json`` write :func:`long_rows`. ``lists``, the list versions the
    graph holds (:func:`graph.store.provenance.lists_used`), are named as ``kg screen`` names
    its record: ``#`` lines under a table and atop a CSV, and in JSON the key ``lists`` beside
    the results under ``rows``.

    Raises
    ------
    FormatError
        For an unknown format.
    """
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in ("json", "long-json"):
        rows = records if fmt == "json" else long_rows(records)
        return json.dumps(rows if lists is None else {"lists": lists, "rows": rows}, ensure_ascii=False,
                          indent=2) + "\n"
    if fmt == "csv":
        return _csv_head(lists) + write_csv((flatten(r) for r in records), CSV_COLUMNS)
    if fmt == "long-csv":
        return _csv_head(lists) + write_csv(long_rows(records), LONG_COLUMNS)
    if not records:
        return empty + "\n" + _footer(lists, markdown=fmt == "md")
    return (_markdown(records) if fmt == "md" else _table(records)) + _footer(lists, markdown=fmt == "md")


def _csv_head(lists: list[dict] | None) -> str:
    # as kg screen's record: one quoted "#" cell per line, so that no spreadsheet splits or runs it
    if lists is None:
        return ""
    from graph.store.provenance import lists_lines

    first, *rest = lists_lines(lists)
    return write_csv([[f"# {line.strip()}"] for line in rest], [f"# {first}"])


def _footer(lists: list[dict] | None, *, markdown: bool = False) -> str:
    # under the table, each line marked "#" so that a reader (or grep -v '^#') can set it apart;
    # in Markdown (where "#" opens a heading) a paragraph and its items
    if lists is None:
        return ""
    from graph.store.provenance import lists_lines

    first, *rest = lists_lines(lists)
    if markdown:
        return f"\n{_md_cell(first)}\n\n" + "".join(f"- {_md_cell(line.strip())}\n" for line in rest)
    return "".join(f"# {shown(line)}\n" for line in (first, *rest))


def flatten(record: dict) -> dict:
    """One flat row of a result: labels, the path as text and every source with its quote."""
    listed, exposed = record["listed"], record["exposed"]
    edges = [e for step in record["path"] for e in step["edges"]]
    return {
        "listed": listed["iri"],
        "listed_label": listed["label"] or "",
        "measures": " | ".join(measures_by_list(listed["measures"])),
        "measure_dates": " | ".join(sorted({m["date"] for m in listed["measures"] if m.get("date")}, reverse=True)),
        "exposed": exposed["iri"],
        "exposed_label": exposed["label"] or "",
        "country": exposed["country"] or "",
        "hops": record["hops"],
        "confidence": f"{record['confidence']:.2f}",
        "path": path_text(record),
        "relationships": " | ".join(e["relationship"] for e in edges),
        "sources": " | ".join(_source_text(s) for e in edges for s in e["sources"]),
    }


#: the columns of ``kg ownership --format csv``: one row per (entity, rule, chain) or unknown holding
OWNERSHIP_COLUMNS = ("entity", "entity_label", "country", "restricted", "share", "rule", "rule_status", "owner",
                     "owner_label", "owner_restricted", "chain_share", "chain", "sources")


def format_ownership(records: dict, fmt: str = "table", *, lists: list[dict] | None = None) -> str:
    """Render :func:`graph.network.ownership_rule.restricted_by_ownership` as a table, CSV or JSON.

    ``lists`` (:func:`graph.store.provenance.lists_used`) are named as :func:`format_exposure`
    names them.

    >>> print(format_ownership({}), end="")
    no entity is restricted by ownership, and no listed party holds a stake of unknown size
    """
    rows = list(records.values())
    if fmt == "json":
        return json.dumps(rows if lists is None else {"lists": lists, "rows": rows}, ensure_ascii=False,
                          indent=2) + "\n"
    if fmt == "csv":
        return _csv_head(lists) + write_csv(_ownership_rows(rows), OWNERSHIP_COLUMNS)
    if fmt != "table":
        raise FormatError(f"unknown format {fmt!r}; use one of table, csv, json")
    if not rows:
        return ("no entity is restricted by ownership, and no listed party holds a stake of unknown size\n"
                + _footer(lists))
    lines = []
    for r in sorted(rows, key=lambda r: (not r["restricted"], -(r["share"] or 0), (r["entity"]["label"] or ""))):
        label = r["entity"]["label"] or r["entity"]["iri"]
        if r["restricted"]:
            rules = "; ".join(f"{x['label']} ({x['status']})" for x in r["rules"])
            lines.append(f"{label}: restricted by ownership under {rules}: restricted owners hold {r['share']:g} % of it")
            for owner in r["owners"]:
                lines.append(f"    {owner['share']:g} % held by {owner['label'] or owner['iri']}, {_owner_why(owner)}")
                if owner.get("listed"):
                    lines.extend(f"        {_source_text(s)}" for s in owner["stake"]["sources"])
                    continue
                for chain in owner["chains"]:
                    lines.append(f"        {_chain_steps(chain)}")
                    lines.extend(f"          {_source_text(s)}" for e in chain["path"] for s in e["sources"])
        for unknown in r["unknown"]:
            why = "listed" if unknown.get("owner_listed", True) else "restricted by ownership"
            lines.append(f"{label}: owned by {why} {unknown['owner_label']}, share unknown (not counted toward 50 %)")
            for source in unknown["sources"]:
                lines.append(f"      {_source_text(source)}")
    restricted = sum(1 for r in rows if r["restricted"])
    lines.append(f"({restricted} restricted by ownership; {sum(1 for r in rows if r['unknown'])} with stakes of "
                 "unknown size)")
    return shown("\n".join(lines)) + "\n" + _footer(lists)


def _owner_why(owner: dict) -> str:
    """Why an owner counts: its listings, or the owners that made it restricted."""
    if owner.get("listed"):
        names = sorted({m.get("label") or m.get("list_label") or m["iri"] for m in owner.get("measures", [])})
        return "listed" + (f" ({'; '.join(names)})" if names else "")
    labels = {e["source"]: e.get("source_label") or e["source"] for c in owner["chains"] for e in c["path"]}
    return "restricted by ownership through " + ", ".join(labels.get(i, i) for i in owner.get("through", []))


def _chain_steps(chain: dict) -> str:
    """A chain as its stakes in a row, from the listed party down: ``L (listed) -owns 60 %-> B -owns 100 %-> C``."""
    path = chain["path"]
    text = f"{path[0].get('source_label') or path[0]['source']} (listed)"
    return text + "".join(f" -owns {e['share']:g} %-> {e.get('target_label') or e['target']}" for e in path)


def _chain(chain: dict) -> str:
    return "; ".join(f"{e.get('source_label') or e['source']} -owns {e['share']:g} %-> {e.get('target_label') or e['target']}"
                     for e in chain["path"])


def _ownership_rows(rows: list[dict]):
    for r in rows:
        base = {"entity": r["entity"]["iri"], "entity_label": r["entity"]["label"] or "",
                "country": r["entity"]["country"] or "", "restricted": "yes" if r["restricted"] else "no",
                "share": "" if r["share"] is None else r["share"]}
        for rule in r["rules"]:
            for owner in r["owners"]:
                for chain in owner["chains"]:
                    yield {**base, "rule": rule["label"] or rule["iri"], "rule_status": rule["status"],
                           "owner": owner["iri"], "owner_label": owner["label"] or "",
                           "owner_restricted": _owner_why(owner), "chain_share": chain["share"],
                           "chain": _chain(chain), "sources": " | ".join(
                               [_source_text(s) for e in chain["path"] for s in e["sources"]]
                               + [_source_text(s) for s in rule.get("sources") or []])}
        for unknown in r["unknown"]:
            yield {**base, "owner": unknown["owner"], "owner_label": unknown["owner_label"] or "",
                   "chain": "share unknown (not counted)",
                   "sources": " | ".join(_source_text(s) for s in unknown["sources"])}


def long_rows(records: list[dict]) -> list[dict]:
    """The long form: one row per (listed entity, exposed entity, measure, source).

    Each row names the list and measure (announced, in force from, until, legal basis), the
    listed and exposed entities with their countries, the hops and path, and one source of one
    relationship on the path: its kind, :func:`source_title`, publisher, URL, quote, file and
    row, ``basis`` (who reported it) and confidence. ``row`` is where to look in ``file``: a table's
    row as a spreadsheet numbers it (the header is row 1), or the line of a text where the quote
    starts, as a text editor numbers it. A path step without evidence still gives one row per
    measure, with empty source cells. Keys are :data:`LONG_COLUMNS`.

    >>> record = {"listed": {"iri": "l", "label": "L", "country": "CN", "measures": [
    ...     {"iri": "m", "label": "M", "list_label": "Entity List", "announced": "2019-10-07",
    ...      "start": "2019-10-09", "end": None, "legal_basis": "84 FR 54002"}]},
    ...     "exposed": {"iri": "x", "label": "X", "country": "US"}, "hops": 1, "confidence": 0.7,
    ...     "path": [{"from_label": "L", "to_label": "X", "edges": [{"kind": "supply", "direction": "reverse",
    ...         "relation": None, "relationship": "r", "sources": [
    ...             {"title": "t", "url": "https://www.reuters.com/a", "row": 3, "file": "s.tsv",
    ...              "note": "analyst quoted by Reuters", "quote": None, "confidence": 0.7}]}]}]}
    >>> row = long_rows([record])[0]
    >>> row["list"], row["in_force"], row["source_title"], row["basis"]
    ('Entity List', '2019-10-09', 'analyst quoted by Reuters (reuters.com)', 'analyst quoted by Reuters')
    """
    rows = []
    for record in records:
        listed, exposed = record["listed"], record["exposed"]
        common = {
            "listed": listed["iri"], "listed_label": listed.get("label") or "",
            "listed_country": listed.get("country") or "",
            "exposed": exposed["iri"], "exposed_label": exposed.get("label") or "",
            "exposed_country": exposed.get("country") or "", "hops": record["hops"],
            "path": path_text(record), "path_confidence": round(float(record.get("confidence") or 0.0), 4),
        }
        evidence = [(edge, source) for step in record["path"] for edge in step["edges"]
                    for source in (edge.get("sources") or [None])]
        for measure in listed["measures"] or [None]:
            about = _measure_cells(measure)
            for edge, source in evidence or [(None, None)]:
                rows.append({**about, **common, **_source_cells(edge, source)})
    return rows


def source_title(source: dict) -> str:
    """What a source is, for a reader: a table row's basis and the publisher of its URL, else its title.

    >>> source_title({"note": "trade press report; reported for 2019", "url": "https://www.semimedia.cc/5683.html",
    ...               "row": 2, "title": "Sourced relationship table suppliers.tsv"})
    'trade press report (semimedia.cc)'
    >>> source_title({"title": "Washington intensifie", "publisher": "Les Echos", "row": None})
    'Washington intensifie (Les Echos)'
    """
    basis = _basis(source.get("note")) if source.get("row") is not None else None
    host = _host(source.get("url"))
    if basis:
        return f"{basis} ({host})" if host else basis
    title = source.get("title") or source.get("source") or ""
    publisher = source.get("publisher") or (host if source.get("row") is not None else None)
    return f"{title} ({publisher})" if publisher and publisher not in title else title


def path_text(record: dict) -> str:
    """The path as ``A -partner- B <-supply- C``: arrows follow each relationship's direction.

    >>> step = {"from_label": "Hikvision", "to_label": "Intel", "edges": [
    ...     {"kind": "supply", "direction": "reverse"}, {"kind": "partner", "direction": "symmetric"}]}
    >>> path_text({"path": [step]})
    'Hikvision <-supply-,-partner- Intel'
    """
    if not record["path"]:
        return ""
    parts = [record["path"][0]["from_label"] or record["path"][0].get("from", "")]
    for step in record["path"]:
        parts.append(",".join(_arrow(e) for e in step["edges"]))
        parts.append(step["to_label"] or step.get("to", ""))
    return " ".join(parts)


# -- private helpers ----------------------------------------------------------------------
def _arrow(edge: dict) -> str:
    kind = edge["kind"]
    return {"forward": f"-{kind}->", "reverse": f"<-{kind}-"}.get(edge["direction"], f"-{kind}-")


def _measure_cells(measure: dict | None) -> dict:
    if measure is None:
        return {}
    return {"list": measure.get("list_label") or measure.get("list") or "", "measure": measure.get("label") or "",
            "measure_iri": measure["iri"], "announced": measure.get("announced") or "",
            "in_force": measure.get("start") or measure.get("date") or "", "in_force_until": measure.get("end") or "",
            "legal_basis": measure.get("legal_basis") or ""}


def _source_cells(edge: dict | None, source: dict | None) -> dict:
    cells = {}
    if edge is not None:
        cells.update({"relationship_kind": edge.get("kind") or "", "relation": edge.get("relation") or "",
                      "relationship": edge.get("relationship") or ""})
    if source is not None:
        cells.update({"source_title": source_title(source), "publisher": _publisher(source),
                      "url": source.get("url") or "", "quote": source.get("quote") or "",
                      "file": source.get("file") or "", "row": _line(source),
                      "basis": _basis(source.get("note")) or "", "method": source.get("method") or "",
                      "confidence": source.get("confidence") if source.get("confidence") is not None else ""})
    return cells


def _line(source: dict) -> int | str:
    # where in its file: a table's row (as a spreadsheet numbers it, the header is row 1) or the
    # line of a text where the quote starts (as a text editor numbers it), so the column is whole numbers
    for key in ("row", "line"):
        if source.get(key) is not None:
            return int(source[key])
    return ""


def _publisher(source: dict) -> str:
    # a table row cites a page: who published that page, not who compiled the table
    if source.get("row") is not None and source.get("url"):
        return _host(source["url"]) or ""
    return source.get("publisher") or _host(source.get("url")) or ""


def _basis(note: str | None) -> str | None:
    # a table row's note is "basis; reported for YEAR; note on the URL": the basis says who reported it
    if not note:
        return None
    first = note.split("; ", 1)[0].strip()
    return None if first.startswith("reported for ") else first or None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def measures_by_list(measures: list[dict]) -> list[str]:
    """The measures on a listed entity, one item per list with its dates, most recent first.

    A measure on no list is an item of its own, its name with its date. Lists (and dates in
    them) go most recent first, so that a list the entity was added to last is not hidden
    behind an old one. A date the sources do not state (the list version's own date, see
    :mod:`graph.dates`) is said so.

    >>> measures_by_list([
    ...     {"iri": "m1", "label": "1260H: identified 2021-06-03", "list_label": "1260H list", "date": "2021-06-03"},
    ...     {"iri": "m2", "label": "Entity List addition", "list_label": "Entity List", "date": "2019-10-09"},
    ...     {"iri": "m3", "label": "1260H: identified 2025-01-07", "list_label": "1260H list", "date": "2025-01-07"},
    ...     {"iri": "m4", "label": "Procurement ban", "list_label": None, "date": None}])
    ['1260H list (2025-01-07, 2021-06-03)', 'Entity List (2019-10-09)', 'Procurement ban']
    """
    groups: dict[str, list[str]] = {}
    latest: dict[str, str] = {}
    for m in measures:
        name = m.get("list_label") or m.get("label") or m["iri"]
        groups.setdefault(name, [])
        if m.get("date"):
            groups[name].append(m["date"] if m.get("date_stated") is not False else f"{m['date']} {DATE_NOT_STATED}")
            latest[name] = max(latest.get(name, ""), m["date"])
        elif m.get("date_stated") is False:
            groups[name].append(DATE_NOT_STATED)
    items = sorted(groups, key=lambda name: (_descending(latest.get(name, "")), name.casefold()))
    return [f"{name} ({', '.join(sorted(set(groups[name]), reverse=True))})" if groups[name] else name
            for name in items]


def _descending(day: str) -> tuple:
    # most recent first, undated last
    return (not day, tuple(-ord(c) for c in day))


def _wrap_items(items: list[str], width: int) -> list[str]:
    """``items`` joined by ``"; "`` in lines of at most ``width`` characters, never cutting one.

    An item longer than ``width`` has a line of its own; nothing is left out, so a list the
    entity is on is never hidden behind the others.

    >>> _wrap_items(["Entity List (2019-10-09)", "FCC Covered List (2021-03-12)", "1260H list"], 30)
    ['Entity List (2019-10-09);', 'FCC Covered List (2021-03-12);', '1260H list']
    """
    lines: list[str] = []
    for i, item in enumerate(items):
        text = item + (";" if i < len(items) - 1 else "")
        if lines and len(lines[-1]) + 1 + len(text) <= width:
            lines[-1] += " " + text
        else:
            lines.append(text)
    return lines or [""]


def _source_text(source: dict) -> str:
    where = [source.get("file") or ""]
    if source.get("row") is not None:
        where.append(f"row {source['row']}")
    elif source.get("line") is not None:
        where.append(f"line {source['line']}")
    if source.get("url"):
        where.append(source["url"])
    conf = f"{source['confidence']:.2f}" if source.get("confidence") is not None else "?"
    quote = f" “{source['quote']}”" if source.get("quote") else ""
    title = source_title(source)
    return f"{title}{quote} [{', '.join(w for w in where if w)}; confidence {conf}]"


def _table(records: list[dict]) -> str:
    header = ("listed", "measures", "exposed", "country", "hops", "confidence", "path")
    rows = []
    for record in records:
        flat = flatten(record)
        measures = _wrap_items(measures_by_list(record["listed"]["measures"]), 60)
        rows.append(((flat["listed_label"], measures[0], flat["exposed_label"], flat["country"],
                      str(flat["hops"]), flat["confidence"], flat["path"]), measures[1:]))
    widths = [max(len(header[i]), *(len(row[i]) for row, _ in rows),
                  *(len(m) for _, more in rows for m in more) if i == 1 else [0])
              for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for record, (row, more_measures) in zip(records, rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        # the measures that did not fit go on lines of their own, under their column
        lines.extend((" " * (widths[0] + 2) + m).rstrip() for m in more_measures)
        for step in record["path"]:
            for edge in step["edges"]:
                for source in edge["sources"]:
                    kind = f"{edge['kind']} ({edge['relation']})" if edge.get("relation") else edge["kind"]
                    lines.append(f"    {kind}: {_source_text(source)}")
    lines.append(f"({len(records)} result{'s' if len(records) != 1 else ''})")
    return shown("\n".join(lines)) + "\n"  # names come from untrusted text: no escape sequence reaches the terminal


def _markdown(records: list[dict]) -> str:
    header = ("Listed", "Measures", "Exposed", "Country", "Hops", "Confidence", "Path", "Sources")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for record in records:
        flat = flatten(record)
        cells = (flat["listed_label"], flat["measures"], flat["exposed_label"], flat["country"], str(flat["hops"]),
                 flat["confidence"], flat["path"], "; ".join(
                     _source_text(s) for step in record["path"] for e in step["edges"] for s in e["sources"]))
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    # names and quotes come from untrusted text: no HTML and no table breaks may pass
    return markdown_cell(text)

