"""Exposure results as text: an aligned table with its evidence, CSV, JSON or Markdown.

Examples
--------
>>> print(format_exposure([], "table", empty="no exposure found"), end="")
no exposure found
"""

from __future__ import annotations

import csv
import io
import json

from ..errors import FormatError

__all__ = ["format_exposure", "flatten", "path_text", "FORMATS", "CSV_COLUMNS"]

FORMATS = ("table", "csv", "json", "md")

#: the columns of the CSV output, one row per result
CSV_COLUMNS = ("listed", "listed_label", "measures", "measure_dates", "exposed", "exposed_label",
               "country", "hops", "confidence", "path", "relationships", "sources")


def format_exposure(records: list[dict], fmt: str = "table", *, empty: str = "no exposure found") -> str:
    """Render :func:`graph.network.exposure` records in ``fmt`` (one of :data:`FORMATS`).

    An empty result renders as the ``empty`` message in the table and Markdown formats, as a
    header alone in CSV and as ``[]`` in JSON, so that machines still read a valid file.

    Raises
    ------
    FormatError
        For an unknown format.
    """
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flatten(r) for r in records)
        return buffer.getvalue()
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not records:
        return empty + "\n"
    return _markdown(records) if fmt == "md" else _table(records)


def flatten(record: dict) -> dict:
    """One flat row of a result: labels, the path as text and every source with its quote."""
    listed, exposed = record["listed"], record["exposed"]
    edges = [e for step in record["path"] for e in step["edges"]]
    return {
        "listed": listed["iri"],
        "listed_label": listed["label"] or "",
        "measures": " | ".join(_measure_text(m) for m in listed["measures"]),
        "measure_dates": " | ".join(m["date"] or "" for m in listed["measures"]),
        "exposed": exposed["iri"],
        "exposed_label": exposed["label"] or "",
        "country": exposed["country"] or "",
        "hops": record["hops"],
        "confidence": f"{record['confidence']:.2f}",
        "path": path_text(record),
        "relationships": " | ".join(e["relationship"] for e in edges),
        "sources": " | ".join(_source_text(s) for e in edges for s in e["sources"]),
    }


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


def _measure_text(measure: dict) -> str:
    name = measure["label"] or measure["iri"]
    return f"{name} ({measure['date']})" if measure.get("date") else name


def _source_text(source: dict) -> str:
    where = [source.get("file") or ""]
    if source.get("row") is not None:
        where.append(f"row {source['row']}")
    if source.get("url"):
        where.append(source["url"])
    conf = f"{source['confidence']:.2f}" if source.get("confidence") is not None else "?"
    quote = f" “{source['quote']}”" if source.get("quote") else ""
    title = source.get("title") or source.get("source") or ""
    return f"{title}{quote} [{', '.join(w for w in where if w)}; confidence {conf}]"


def _table(records: list[dict]) -> str:
    header = ("listed", "measures", "exposed", "country", "hops", "confidence", "path")
    rows = []
    for record in records:
        flat = flatten(record)
        rows.append((flat["listed_label"], _clip(flat["measures"], 50), flat["exposed_label"], flat["country"],
                     str(flat["hops"]), flat["confidence"], flat["path"]))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for record, row in zip(records, rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        for step in record["path"]:
            for edge in step["edges"]:
                for source in edge["sources"]:
                    kind = f"{edge['kind']} ({edge['relation']})" if edge.get("relation") else edge["kind"]
                    lines.append(f"    {kind}: {_source_text(source)}")
    lines.append(f"({len(records)} result{'s' if len(records) != 1 else ''})")
    return "\n".join(lines) + "\n"


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
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(text.split())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
