"""The weekly loop in one call: fetch the lists, rebuild, and say what the new versions changed.

:func:`update` fetches every declared list (:func:`graph.io.fetch.fetch`), rebuilds the graph
(:func:`graph.builder.pipeline.build`), compares the new build with the one it replaces
(:func:`graph.screening.diff.diff`: listings added and removed) and, given one's own counterparties,
screens them against both builds (:class:`graph.screening.screen.Screener`) and reports each row whose
status or listings changed. :func:`format_update` renders that as text or a one-page HTML
report; :func:`changed` says whether anything of the counterparties changed and
:func:`not_fetched` which lists could not be fetched or were refused (``kg update``'s exit
status: 3, 1 or 0).

Examples
--------
>>> report = {"fetched": [], "previous": True, "listings": {"added": [], "removed": []},
...           "counterparties": None, "screened": None}
>>> changed(report), not_fetched(report), format_update(report).splitlines()[0]
(False, [], 'lists: nothing fetched')
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

__all__ = ["update", "changed", "not_fetched", "format_update", "counterparty_changes"]


def update(data_dir: Path, out_dir: Path, *, lists_dir: Path | None = None, names: list[str] | None = None,
           urls: dict[str, str] | None = None, mirror: str | None = None, timeout: float = 60.0,
           offline: bool = False, screen_file: Path | None = None, extract: bool = True, check: bool = True,
           progress=None) -> dict:
    """Fetch, build into ``out_dir``, and compare with the build it replaces.

    Parameters
    ----------
    data_dir : Path
        The data folder built (its ``lists/`` holds ``sources.yaml`` unless ``lists_dir`` says).
    out_dir : Path
        Where ``graph.trig`` is; the previous one is compared with the new one.
    names, urls, mirror, timeout, offline
        As :func:`graph.io.fetch.fetch` (``offline``: build from the versions kept).
    screen_file : Path, optional
        One's own counterparties (``kg screen``'s file): their changes are reported.
    extract, check
        As :func:`graph.builder.pipeline.build`.

    Returns
    -------
    dict
        ``fetched`` (a :class:`graph.io.fetch.FetchResult` per list), ``versions`` (the
        :class:`graph.io.versions.Version` of each list the new build read), ``previous``
        (whether a build was there to compare), ``listings`` (``added`` and ``removed``, as
        :func:`graph.screening.diff.diff`), ``screened`` (rows screened, or None) and ``counterparties``
        (the rows whose status or listings changed, or None without ``screen_file``).

    Raises
    ------
    InputError, BuildError
        A source or the counterparty file cannot be read, or the graph breaks its shapes: the
        previous build stays as it was.
    """
    from graph.screening.diff import diff
    from graph.io.fetch import fetch
    from graph.builder.pipeline import build
    from graph.screening.screen import read_counterparties
    from graph.store.backends import open_graph
    from graph.io.versions import find_sources, newest

    lists_dir = lists_dir if lists_dir is not None else data_dir / "lists"
    rows = read_counterparties(screen_file) if screen_file is not None else None  # a bad file stops before any work
    fetched = fetch(lists_dir, names, urls=urls, mirror=mirror, offline=offline, timeout=timeout)
    old_file = out_dir / "graph.trig"
    keep = Path(tempfile.mkdtemp(prefix=".update-", dir=out_dir.parent if out_dir.parent.exists() else None))
    try:
        previous = None
        if old_file.is_file():
            previous = keep / "graph.trig"
            shutil.copy2(old_file, previous)
        build([data_dir], out_dir, check=check, extract=extract, progress=progress, keep=False)
        new = open_graph(old_file)
        old = open_graph(previous) if previous is not None else _empty()
        change = diff(old, new)
        read = [v for name in find_sources(lists_dir) if (v := newest(lists_dir, name)) is not None]
        report = {"fetched": fetched, "previous": previous is not None, "versions": read,
                  "listings": change["listings"], "screened": None, "counterparties": None}
        if rows is not None:
            report["screened"] = len(rows)
            report["counterparties"] = counterparty_changes(old, new, rows)
        return report
    finally:
        shutil.rmtree(keep, ignore_errors=True)


def counterparty_changes(old, new, rows) -> list[dict]:
    """The counterparties whose screening status or listings differ between two builds.

    Each: ``row``, ``id``, ``name``, ``before`` and ``after`` (status), ``listings_added``
    and ``listings_removed`` (``"target: measure (list)"`` texts of their matches).
    """
    from graph.screening.screen import Screener

    before, after = Screener(old).screen(rows), Screener(new).screen(rows)
    out = []
    for a, b in zip(before, after):
        was, now = _listings(a), _listings(b)
        if a["status"] != b["status"] or was != now:
            out.append({"row": b["row"], "id": b["id"], "name": b["name"], "before": a["status"],
                        "after": b["status"], "listings_added": sorted(now - was),
                        "listings_removed": sorted(was - now)})
    return out


def changed(report: dict) -> bool:
    """Whether anything of the counterparties changed (``kg update`` exits 3 when so)."""
    return bool(report.get("counterparties"))


def not_fetched(report: dict) -> list[str]:
    """The lists that could not be fetched or whose release was refused.

    The build read the versions kept of them, so the report may miss what their publishers
    changed: ``kg update`` exits 1 when there is any (3 takes precedence: a counterparty that
    changed is reported whatever else failed).
    """
    return [r.name for r in report.get("fetched") or [] if r.status in ("failed", "refused")]


def format_update(report: dict, fmt: str = "text", *, title: str = "exposure-kg: what the new lists changed") -> str:
    """The update's report as plain text or a one-page HTML document."""
    sections = _sections(report)
    if fmt == "html":
        from graph.outputs.html_report import document, esc

        body = []
        for heading, items in sections:
            body.append(f"<h2>{esc(heading)} ({len(items)})</h2>" if heading else "")
            body.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>" if items
                        else '<p class="none">none</p>')
        return document(title, "\n".join(b for b in body if b))
    lines = []
    for heading, items in sections:
        if heading:
            lines.append(f"\n{heading} ({len(items)}):")
            lines += [f"  {i}" for i in items] or ["  (none)"]
        else:
            lines += items
    return "\n".join(lines).lstrip("\n") + "\n"


# -- private helpers ----------------------------------------------------------------------
def _listings(result: dict) -> set[str]:
    return {f"{m.get('label') or m['iri']}: {x.get('label') or x.get('iri')}"
            + (f" ({x.get('list_label') or x['list']})" if x.get("list") else "")
            for m in result["matches"] for x in m.get("measures", [])}


def _sections(report: dict) -> list[tuple[str | None, list[str]]]:
    fetched = report["fetched"]
    summary = ", ".join(f"{r.name} {r.status}" for r in fetched) or "nothing fetched"
    head = [f"lists: {summary}"]
    head += [f"  {r.name}: {r.reason.removeprefix(f'{r.name}: ')}"  # a failure's reason starts with the name
             for r in fetched if r.status in ("refused", "failed")]
    for version in report.get("versions") or []:  # which version of each list the new build read
        record = version.record
        head.append(f"  read {record.get('list') or version.path.parent.name}: {version.path.name}"
                    + (f", published {record['published']}" if record.get("published") else "")
                    + f", retrieved {record['retrieved']}")
    if not report["previous"]:
        head.append("no previous build to compare: every listing is new")
    listing = report["listings"]

    def text(x):
        return f"{x['target_label'] or x['target']}: {x['measure_label'] or x['measure']}" + (
            f" ({x['list']})" if x.get("list") else "") + (f"; from {x['start']}" if x.get("start") else "")

    sections: list[tuple[str | None, list[str]]] = [(None, head),
                                                    ("listings added", [text(x) for x in listing["added"]]),
                                                    ("listings removed", [text(x) for x in listing["removed"]])]
    if report.get("counterparties") is not None:
        rows = []
        for c in report["counterparties"]:
            line = f"row {c['row']}{' (' + str(c['id']) + ')' if c.get('id') else ''} {c['name']}: {c['before']} -> {c['after']}"
            if c["listings_added"]:
                line += "; now " + "; ".join(c["listings_added"])
            if c["listings_removed"]:
                line += "; no longer " + "; ".join(c["listings_removed"])
            rows.append(line)
        sections.append((f"counterparties changed, of {report['screened']} screened", rows))
    return sections


def _empty():
    from rdflib import Dataset

    return Dataset(default_union=True)
