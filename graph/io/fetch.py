"""Fetching the official lists from their publishers, keeping each release, refusing broken ones.

:func:`fetch` downloads each list ``data/lists/sources.yaml`` declares (:mod:`graph.io.versions`)
and keeps a new release as ``data/lists/versions/<list>/<date>-<sha256 prefix>.<ext>`` with
its record. What it guarantees:

- **An unchanged list costs one request**: the last version's ``ETag`` and ``Last-Modified``
  are sent back (``If-None-Match``, ``If-Modified-Since``); a 304, or a body whose sha256 is
  the last version's, keeps nothing new.
- **A broken release is refused, nothing lost**: a body cut short (fewer bytes than
  ``Content-Length``), an HTML page instead of data, a file that does not parse as its
  format, or whose entry count falls outside the declared range or drops more than the
  declared share from the last version, is moved to ``data/lists/rejected/<list>/`` with a
  ``.reason.json``; the last version stays the one builds read.
- **Nothing half-written**: the body goes to a hidden temporary file in the list's own
  folder, is flushed to disk (fsync) and checked, then renamed into place, and its record is
  written last (a file without a record is no version); a fetch stopped at any point removes
  what it wrote (its temporary file, a version renamed into place before its record was
  written, the folders it made), so ``data/lists/`` is as it was.
- **Only declared hosts**: a redirect to a host other than the URL's own (or the list's
  ``hosts``) is refused; every request has a timeout.

Examples
--------
>>> sniff_html(b"<!DOCTYPE html><html><body>Service unavailable</body></html>")
True
>>> sniff_html(b'<?xml version="1.0"?><sdnList/>')
False
>>> parse_publish_date("09/23/2026"), parse_publish_date("2026-09-23T10:00:00")
('2026-09-23', '2026-09-23')
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import json
import os
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from graph.errors import FetchError
from graph.io.versions import (FORMATS, REJECTED, VERSIONS, ListSource, find_sources, newest, record_path,
                            versions)

__all__ = ["fetch", "check_release", "FetchResult", "sniff_html", "parse_publish_date", "USER_AGENT",
           "DEFAULT_TIMEOUT"]

USER_AGENT = "exposure-kg (kg fetch; +https://w3id.org/exposure-kg)"
#: seconds without an answer (connecting, or between two reads) before a fetch gives up
DEFAULT_TIMEOUT = 60.0
_BLOCK = 1 << 20
#: the CSL columns a release must have (graph.sources.csl reads them)
_CSL_REQUIRED = ("source", "name", "type", "addresses", "alt_names")


@dataclass
class FetchResult:
    """What fetching one list did.

    ``status`` is ``"new"`` (a new version kept), ``"unchanged"`` (304, or the same bytes as
    the last version), ``"refused"`` (kept aside in ``rejected/`` with ``reason``),
    ``"failed"`` (no release: the reason says why), or with ``--offline`` ``"kept"`` (the
    version a build reads) or ``"none"`` (no version kept).
    """

    name: str
    status: str
    url: str
    path: Path | None = None
    reason: str | None = None
    record: dict | None = None

    def line(self) -> str:
        """One line for the terminal."""
        text = f"{self.name:<24} {self.status:<9}"
        if self.record:
            text += f" {self.record.get('entries')} entries"
            if self.record.get("published"):
                text += f", published {self.record['published']}"
            text += f", retrieved {self.record.get('retrieved', '')[:19]}"
        if self.path is not None:
            text += f"  {self.path}"
        if self.reason:
            text += f"\n  {self.reason}"
        return text


def fetch(lists_dir: Path, names: list[str] | None = None, *, urls: dict[str, str] | None = None,
          mirror: str | None = None, offline: bool = False, timeout: float = DEFAULT_TIMEOUT,
          now: datetime | None = None) -> list[FetchResult]:
    """Fetch the lists ``names`` (default: every declared list) into ``lists_dir``.

    Parameters
    ----------
    lists_dir : Path
        The folder with ``sources.yaml`` (``data/lists``).
    names : list of str, optional
        Which declared lists to fetch, in the order given.
    urls : dict, optional
        List name -> URL, instead of the declared one (``kg fetch --url NAME=URL``); its host
        is then a declared host.
    mirror : str, optional
        A base URL standing in for every publisher: a list is fetched from
        ``<mirror>/<name>/<last part of its declared URL's path>``.
    offline : bool
        Fetch nothing; say which version of each list is kept.
    timeout : float
        Seconds to wait for a connection or for the next bytes.
    now : datetime, optional
        The retrieval time to record (tests); default the current UTC time.

    Returns
    -------
    list of FetchResult
        One per list, in order. A refused or failed list leaves its last version in use.

    Raises
    ------
    FetchError
        A name or ``--url`` names no declared list, or ``lists_dir`` declares none.
    """
    sources = find_sources(lists_dir)
    if not sources:
        raise FetchError(f"{lists_dir / 'sources.yaml'}: no lists declared; "
                         "hint: kg fetch reads data/lists/sources.yaml (run it from the project's folder)")
    urls = dict(urls or {})
    for name in [*(names or []), *urls]:
        if name not in sources:
            raise FetchError(f"no list named {name!r} in {lists_dir / 'sources.yaml'}; "
                             f"hint: declared lists: {', '.join(sources)}")
    chosen = [sources[n] for n in dict.fromkeys(names)] if names else list(sources.values())
    results = []
    for source in chosen:
        url = urls.get(source.name) or (_mirrored(mirror, source) if mirror else source.url)
        if offline:
            results.append(_offline(lists_dir, source, url))
            continue
        allowed = {_host(url), *source.hosts} | ({_host(source.url)} if url == source.url else set())
        try:
            results.append(_fetch_one(lists_dir, source, url, allowed, timeout, now))
        except FetchError as exc:
            results.append(FetchResult(source.name, "failed", url, reason=str(exc)))
    return results


def check_release(path: Path, source: ListSource, previous: dict | None = None) -> tuple[dict, str | None]:
    """Whether the file at ``path`` is a sound release of ``source``.

    Returns
    -------
    (dict, str or None)
        What the file says (``entries``, and ``published`` where it states a date), and why it
        is refused (None when it is sound): HTML instead of data, not its format, an entry count
        outside ``source.entries``, or a drop of more than ``source.max_drop`` from ``previous``
        (the last version's record).
    """
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if sniff_html(head):
        return {}, "an HTML page instead of data (an error or login page?)"
    try:
        facts = _read_facts(path, source)
    except (ValueError, SyntaxError, UnicodeDecodeError, csv.Error) as exc:
        return {}, f"does not parse as {source.format}: {exc}"
    count = facts["entries"]
    low, high = source.entries
    if not low <= count <= high:
        return facts, (f"{count:,} entries, outside the declared range [{low:,}, {high:,}] "
                       f"(data/lists/sources.yaml, list {source.name!r})")
    before = (previous or {}).get("entries")
    if before and count < before * (1 - source.max_drop):
        drop = 1 - count / before
        return facts, (f"{count:,} entries, {drop:.0%} fewer than the last version's {before:,} "
                       f"(more than the declared max_drop {source.max_drop:.0%})")
    return facts, None


def sniff_html(head: bytes) -> bool:
    """Whether the first bytes of a body are an HTML page."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        text.startswith(b"<") and b"<html" in text[:1024])


def parse_publish_date(value: str) -> str | None:
    """An ISO day from a date as the lists write it (``MM/DD/YYYY``, ISO, ISO with a time)."""
    value = value.strip()
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f"):
        try:
            return datetime.strptime(value[:26] if "T" in value else value, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


# -- private helpers ----------------------------------------------------------------------
def _offline(lists_dir: Path, source: ListSource, url: str) -> FetchResult:
    kept = versions(lists_dir, source.name)
    if not kept:
        return FetchResult(source.name, "none", url, reason="no version kept; kg fetch downloads one")
    last = kept[-1]
    more = f"{len(kept)} version(s) kept" + (f", {len(_rejected(lists_dir, source.name))} refused"
                                             if _rejected(lists_dir, source.name) else "")
    return FetchResult(source.name, "kept", url, path=last.path, record=last.record, reason=more)


def _rejected(lists_dir: Path, name: str) -> list[Path]:
    folder = lists_dir / REJECTED / name
    return sorted(folder.glob("*.reason.json")) if folder.is_dir() else []


def _mirrored(mirror: str, source: ListSource) -> str:
    tail = urllib.parse.urlsplit(source.url).path.rstrip("/").rsplit("/", 1)[-1] or source.name
    return f"{mirror.rstrip('/')}/{source.name}/{tail}"


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.hostname or ''}:{parts.port}" if parts.port else (parts.hostname or "")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a declared host (a list's own, or its ``hosts``)."""

    def __init__(self, allowed: set[str], name: str) -> None:
        self.allowed, self.name = allowed, name

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if _host(target) not in self.allowed:
            raise FetchError(f"{self.name}: {req.full_url} redirects to another host, {target}; refused. "
                             f"hint: if that host is the publisher's, add it to the list's 'hosts' in "
                             f"data/lists/sources.yaml, or fetch it with --url {self.name}=URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch_one(lists_dir: Path, source: ListSource, url: str, allowed: set[str], timeout: float,
               now: datetime | None) -> FetchResult:
    if not url.startswith(("https://", "http://", "file://")):
        raise FetchError(f"{source.name}: {url!r} is not an http(s) URL; hint: give --url {source.name}=https://...")
    last = newest(lists_dir, source.name)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    if last is not None and last.record.get("url") == url:  # validators of another URL say nothing here
        if last.record.get("etag"):
            request.add_header("If-None-Match", last.record["etag"])
        if last.record.get("last_modified"):
            request.add_header("If-Modified-Since", last.record["last_modified"])
    opener = urllib.request.build_opener(_Redirects(allowed, source.name))
    folder = lists_dir / VERSIONS / source.name
    made = [d for d in (folder.parent, folder) if not d.is_dir()]  # removed again unless a version is kept
    folder.mkdir(parents=True, exist_ok=True)
    retrieved = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    handle, temporary = tempfile.mkstemp(prefix=f".{source.name}.", suffix=".part", dir=folder)
    part = Path(temporary)
    try:
        try:
            response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and last is not None:
                return FetchResult(source.name, "unchanged", url, path=last.path, record=last.record,
                                   reason="not modified (304)")
            raise FetchError(f"{source.name}: {url} answered HTTP {exc.code} {exc.reason}; the last version stays "
                             "in use. hint: check the URL in data/lists/sources.yaml, or try again later") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            what = f"timed out after {timeout:g} s" if isinstance(reason, (socket.timeout, TimeoutError)) else str(reason)
            raise FetchError(f"{source.name}: {url}: {what}; the last version stays in use. "
                             "hint: check the network, or use --mirror URL / --url NAME=URL") from None
        digest = hashlib.sha256()
        size, cut = 0, False
        with response, os.fdopen(handle, "wb") as out:
            handle = None
            expected = response.headers.get("Content-Length")
            try:
                for block in iter(lambda: response.read(_BLOCK), b""):
                    digest.update(block)
                    out.write(block)
                    size += len(block)
            except (socket.timeout, TimeoutError):
                raise FetchError(f"{source.name}: {url}: no bytes for {timeout:g} s after {size:,}; "
                                 "the last version stays in use") from None
            except http.client.IncompleteRead:
                cut = True  # the connection closed before Content-Length bytes came
            out.flush()
            os.fsync(out.fileno())
            headers = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified"),
                       "content_type": response.headers.get("Content-Type"), "final_url": response.geturl()}
        sha = digest.hexdigest()
        record = {"list": source.name, "title": source.title, "publisher": source.publisher, "url": url,
                  "final_url": headers["final_url"] if headers["final_url"] != url else None,
                  "retrieved": retrieved, "etag": headers["etag"], "last_modified": headers["last_modified"],
                  "content_type": headers["content_type"], "bytes": size, "sha256": sha, "format": source.format,
                  "licence": source.licence}
        if cut or (expected is not None and expected.isdigit() and int(expected) != size):
            announced = f"the {int(expected):,} announced (Content-Length)" if expected and expected.isdigit() else "a body"
            reason = f"truncated: {size:,} bytes of {announced}, the connection closed early"
            return _refuse(lists_dir, source, part, record, reason)
        if last is not None and last.record.get("sha256") == sha:
            return FetchResult(source.name, "unchanged", url, path=last.path, record=last.record,
                               reason="same bytes as the last version")
        facts, problem = check_release(part, source, last.record if last is not None else None)
        record.update(published=facts.get("published"), entries=facts.get("entries"))
        if problem:
            return _refuse(lists_dir, source, part, record, problem)
        return _keep(folder, source, part, record)
    finally:
        if handle is not None:
            os.close(handle)
        part.unlink(missing_ok=True)  # an interrupted or refused fetch leaves nothing behind
        for directory in reversed(made):
            try:
                directory.rmdir()  # only if empty: a kept version stays
            except OSError:
                pass


def _keep(folder: Path, source: ListSource, part: Path, record: dict) -> FetchResult:
    target = folder / f"{record['retrieved'][:10]}-{record['sha256'][:12]}.{source.ext}"
    os.replace(part, target)
    try:
        _write_json(record_path(target), record)  # last: the version exists once its record does
        _sync_folder(folder)
    except BaseException:  # stopped before the fetch returned (Ctrl-C, a killed job): keep nothing
        record_path(target).unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return FetchResult(source.name, "new", record["url"], path=target, record=record)


def _refuse(lists_dir: Path, source: ListSource, part: Path, record: dict, reason: str) -> FetchResult:
    folder = lists_dir / REJECTED / source.name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = record["retrieved"].replace(":", "").replace("-", "")
    target = folder / f"{stamp}-{record['sha256'][:12]}.{source.ext}"
    os.replace(part, target)
    _write_json(target.with_name(target.name + ".reason.json"), {**record, "refused": reason})
    last = newest(lists_dir, source.name)
    still = f"; the version in use stays {last.path.name}" if last is not None else "; no version of it is kept yet"
    return FetchResult(source.name, "refused", record["url"], path=target, record=record, reason=reason + still)


def _write_json(path: Path, data: dict) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    # the renames are durable once the folder's entry is (POSIX); not every system allows it
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_facts(path: Path, source: ListSource) -> dict:
    """The entry count and publication date of a release; ValueError when it is not its format."""
    fmt = FORMATS[source.format]
    if "entries" in fmt:
        return _xml_facts(path, fmt["entries"], fmt.get("published"))
    if source.format == "csl-csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = [h.strip() for h in next(rows, [])]
            missing = [c for c in _CSL_REQUIRED if c not in header]
            if missing:
                raise ValueError(f"the header lacks {missing!r}")
            count = sum(1 for row in rows if any(cell.strip() for cell in row) and row[: len(header)] != header)
        return {"entries": count}
    if source.format == "csl-json":
        with open(path, encoding="utf-8-sig") as handle:
            doc = json.load(handle)
        rows = doc.get("results") if isinstance(doc, dict) else doc
        if not isinstance(rows, list):
            raise ValueError("no 'results' list of rows")
        return {"entries": len(rows)}
    if source.format == "ftm-json":
        count = 0
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    entity = json.loads(line)
                    if not isinstance(entity, dict) or "id" not in entity or "schema" not in entity:
                        raise ValueError(f"line {number} is not a FollowTheMoney entity (no 'id' and 'schema')")
                    count += 1
        return {"entries": count}
    if source.format == "federal-register-json":
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
        if not isinstance(doc, dict) or "document_number" not in doc:
            raise ValueError("no 'document_number': not a Federal Register document")
        return {"entries": 1, "published": parse_publish_date(str(doc.get("publication_date") or ""))}
    raise ValueError(f"no check for the format {source.format!r}")  # pragma: no cover - FORMATS guards it


def _xml_facts(path: Path, entries: tuple[str, ...], published: str | None) -> dict:
    import xml.etree.ElementTree as ET

    count, day, root = 0, None, None
    for event, element in ET.iterparse(path, events=("start", "end")):
        local = element.tag.rsplit("}", 1)[-1]
        if event == "start":
            if root is None:
                root = element
                if published and published.startswith("@"):
                    value = element.attrib.get(published[1:])
                    day = parse_publish_date(value) if value else None
            continue
        if local in entries:
            count += 1
            element.clear()  # a list of 18,000 entries stays a few elements in memory
        elif published and local == published and day is None and element.text:
            day = parse_publish_date(element.text)
    return {"entries": count, "published": day}
