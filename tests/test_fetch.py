"""kg fetch and kg update, without the internet: the publishers' formats served from 127.0.0.1.

The CSL served is the real 13-row sample shipped in data/lists/ (US government data), or that
sample with one row added by the test; the server is http.server in a thread, each response
made by the test (new release, 304, cut-short body, HTML error page, slow answer, redirect).
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import threading
import time
import types
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.io.fetch import fetch
from graph.sources import discover
from graph.io.versions import lists_as_of, newest, versions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "lists" / "watchman_cslustest_consolidated_sample.csv"
NEW_NAME = "Acme Widgets Trading Company"  # a name written for this test, on no real list


def _sample() -> bytes:
    return SAMPLE.read_bytes()


def _with_new_row() -> bytes:
    text = SAMPLE.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update({"_id": "test-added-1", "source": "Entity List (EL) - Bureau of Industry and Security",
                "name": NEW_NAME, "type": "Entity", "addresses": "1 Example Road, Shenzhen, CN",
                "federal_register_notice": "99 FR 12345", "start_date": "2026-12-01"})
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([row[c] for c in header])
    return (text.rstrip("\n") + "\n" + line.getvalue()).encode("utf-8")


class _Server:
    """Serves ``routes``: path -> callable(handler) that answers the request."""

    def __init__(self) -> None:
        self.routes: dict = {}
        self.seen: list[dict] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                server.seen.append({"path": self.path, "headers": dict(self.headers)})
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        # shutdown() waits for the loop's next poll: 0.5 s by default, a tenth of it here
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def body(data: bytes, *, etag: str | None = None, content_type: str = "text/csv", length: int | None = None):
    def answer(handler):
        tag = etag or f'"{hashlib.sha256(data).hexdigest()[:16]}-{length}"'  # a cut-short body is another release
        if handler.headers.get("If-None-Match") == tag:
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(length if length is not None else len(data)))
        handler.send_header("ETag", tag)
        handler.send_header("Last-Modified", "Mon, 30 Nov 2026 12:00:00 GMT")
        handler.end_headers()
        handler.wfile.write(data)
        handler.close_connection = True

    return answer


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


def _declare(lists_dir: Path, url: str, *, entries=(5, 100), max_drop=0.5, hosts=()) -> None:
    lists_dir.mkdir(parents=True, exist_ok=True)
    (lists_dir / "sources.yaml").write_text(json.dumps({"lists": [{
        "name": "csl", "title": "Consolidated Screening List (CSV)", "publisher": "trade.gov (test)", "url": url,
        "format": "csl-csv", "licence": "public domain", "entries": list(entries), "max_drop": max_drop,
        "changes": "daily", "hosts": list(hosts)}]}))  # JSON is YAML


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=timezone.utc)


def test_a_new_release_is_kept_with_its_record(tmp_path, server):
    server.routes["/csl.csv"] = body(_sample())
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"))
    [result] = fetch(lists, now=_at("2026-12-07"))
    assert result.status == "new", result.line()
    assert result.path.parent == lists / "versions" / "csl"
    sha = hashlib.sha256(_sample()).hexdigest()
    assert result.path.name == f"2026-12-07-{sha[:12]}.csv"
    assert result.path.read_bytes() == _sample()
    record = json.loads(result.path.with_name(result.path.name + ".record.json").read_text())
    assert (record["sha256"], record["entries"], record["url"]) == (sha, 13, server.url("/csl.csv"))
    assert record["etag"] and record["last_modified"] == "Mon, 30 Nov 2026 12:00:00 GMT"
    assert record["retrieved"] == "2026-12-07T10:00:00Z"
    assert not list((lists / "versions" / "csl").glob(".*")), "no temporary file is left"


def test_an_unchanged_release_is_skipped_by_a_conditional_request(tmp_path, server):
    server.routes["/csl.csv"] = body(_sample())
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"))
    fetch(lists, now=_at("2026-12-07"))
    [again] = fetch(lists, now=_at("2026-12-08"))
    assert again.status == "unchanged" and "304" in again.reason
    assert server.seen[-1]["headers"].get("If-None-Match"), "the last version's ETag is sent back"
    assert len(versions(lists, "csl")) == 1


@pytest.mark.parametrize("route, reason", [
    (body(_sample(), length=len(_sample()) + 500), "truncated"),
    (body(b"<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>", content_type="text/html"),
     "HTML page"),
    (body(_sample().split(b"\n", 3)[0] + b"\n" + _sample().split(b"\n", 3)[1] + b"\n"), "outside the declared range"),
    (body(b"name,type\nAcme,Entity\n"), "does not parse as csl-csv"),
])
def test_a_broken_release_is_kept_aside_and_the_last_version_stays(tmp_path, server, route, reason):
    server.routes["/csl.csv"] = body(_sample())
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"))
    [first] = fetch(lists, now=_at("2026-12-07"))
    server.routes["/csl.csv"] = route
    [result] = fetch(lists, now=_at("2026-12-08"))
    assert result.status == "refused" and reason in result.reason, result.line()
    assert first.path.name in result.reason, "the message names the version still in use"
    assert newest(lists, "csl").path == first.path
    refused = list((lists / "rejected" / "csl").glob("*.reason.json"))
    assert len(refused) == 1 and reason in json.loads(refused[0].read_text())["refused"]
    assert [file for file, _, _ in discover([tmp_path])] == [first.path], "a build reads the last sound version only"


def test_a_drop_beyond_the_declared_share_is_refused(tmp_path, server):
    server.routes["/csl.csv"] = body(_sample())
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"), entries=(1, 100), max_drop=0.2)
    fetch(lists, now=_at("2026-12-07"))
    server.routes["/csl.csv"] = body(b"\n".join(_sample().split(b"\n")[:8]) + b"\n")
    [result] = fetch(lists, now=_at("2026-12-08"))
    assert result.status == "refused" and "fewer than the last version's 13" in result.reason


def test_a_publisher_that_does_not_answer_times_out(tmp_path, server):
    def slow(handler):
        time.sleep(1.5)
        body(_sample())(handler)

    server.routes["/csl.csv"] = slow
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"))
    started = time.monotonic()
    [result] = fetch(lists, timeout=0.3)
    assert result.status == "failed" and "timed out" in result.reason
    assert time.monotonic() - started < 1.4
    assert not (lists / "versions" / "csl").exists() or not any((lists / "versions" / "csl").iterdir())


def _redirect(to: str):
    def answer(handler):
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def test_a_redirect_to_another_host_is_refused_unless_declared(tmp_path, server):
    server.routes["/moved.csv"] = body(_sample())
    server.routes["/csl.csv"] = _redirect(server.url("/moved.csv", host="localhost"))
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"))
    [result] = fetch(lists)
    assert result.status == "failed" and "redirects to another host" in result.reason
    assert not [s for s in server.seen if s["path"] == "/moved.csv"], "the other host is never asked"
    _declare(lists, server.url("/csl.csv"), hosts=[f"localhost:{server.port}"])
    [result] = fetch(lists)
    assert result.status == "new" and result.record["final_url"].startswith("http://localhost:")


class _Interrupted:
    """Raises KeyboardInterrupt (Ctrl-C) at the ``n``-th call of what it stands in for, else calls it."""

    def __init__(self, real, n: int = 1) -> None:
        self.real, self.n, self.calls = real, n, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.n:
            raise KeyboardInterrupt
        return self.real(*args, **kwargs)


def _digest_cut_after_first_block():
    """A sha256 whose second update is interrupted: the body is being written to disk."""
    real = hashlib.sha256()

    class Digest:
        calls = 0

        def update(self, block):
            Digest.calls += 1
            if Digest.calls == 2:
                raise KeyboardInterrupt
            real.update(block)

        def hexdigest(self):
            return real.hexdigest()

    return Digest()


# Each place a fetch can be stopped at (Ctrl-C, a killed cron job), from the first bytes
# to the version's record: the folder must be as it was, byte for byte and file for file.
_STOPS = {
    "while the body downloads": ("graph.io.fetch.hashlib",
                                 lambda real: types.SimpleNamespace(sha256=_digest_cut_after_first_block)),
    "before the release is checked": ("graph.io.fetch.check_release", _Interrupted),
    "while the version is renamed into place": ("graph.io.fetch.os.replace", _Interrupted),
    "while its record is written": ("graph.io.fetch._write_json", _Interrupted),
    "while the folder is synced": ("graph.io.fetch._sync_folder", _Interrupted),
}


@pytest.mark.parametrize("first", [False, True], ids=["a second release", "the first release"])
@pytest.mark.parametrize("stop", list(_STOPS))
def test_an_interrupted_fetch_leaves_the_folder_as_it_was(tmp_path, server, monkeypatch, stop, first):
    import pkgutil

    server.routes["/csl.csv"] = body(_sample() if not first else _with_new_row())
    lists = tmp_path / "lists"
    _declare(lists, server.url("/csl.csv"))
    if not first:
        fetch(lists, now=_at("2026-12-07"))
        server.routes["/csl.csv"] = body(_with_new_row())
    before = {p.relative_to(lists): p.read_bytes() if p.is_file() else None for p in lists.rglob("*")}
    target, make = _STOPS[stop]
    monkeypatch.setattr(target, make(pkgutil.resolve_name(target)))
    monkeypatch.setattr("graph.io.fetch._BLOCK", 1024)  # several blocks, to stop between two
    with pytest.raises(KeyboardInterrupt):
        fetch(lists, now=_at("2026-12-08"))
    after = {p.relative_to(lists): p.read_bytes() if p.is_file() else None for p in lists.rglob("*")}
    assert after == before
    monkeypatch.undo()
    [result] = fetch(lists, now=_at("2026-12-08"))  # and the next fetch keeps the release
    assert result.status == "new" and result.record["entries"] == 14, result.line()


def test_url_override_mirror_and_offline(tmp_path, server):
    server.routes["/mirror/csl/consolidated.csv"] = body(_sample())
    server.routes["/other.csv"] = body(_with_new_row())
    lists = tmp_path / "lists"
    _declare(lists, "https://publisher.invalid/v1/consolidated.csv")
    [mirrored] = fetch(lists, mirror=server.url("/mirror"), now=_at("2026-12-06"))
    assert mirrored.status == "new" and mirrored.record["entries"] == 13
    [overridden] = fetch(lists, urls={"csl": server.url("/other.csv")}, now=_at("2026-12-07"))
    assert overridden.status == "new" and overridden.record["entries"] == 14
    asked = len(server.seen)
    [kept] = fetch(lists, offline=True)
    assert len(server.seen) == asked, "--offline asks nothing"
    assert kept.status == "kept" and kept.path == overridden.path and "2 version(s) kept" in kept.reason


def test_the_build_reads_the_newest_version_or_the_one_as_of_a_day(tmp_path, server):
    lists = tmp_path / "lists"
    server.routes["/csl.csv"] = body(_sample())
    _declare(lists, server.url("/csl.csv"))
    [old] = fetch(lists, now=_at("2026-11-30"))
    server.routes["/csl.csv"] = body(_with_new_row())
    [new] = fetch(lists, now=_at("2026-12-07"))
    assert [f for f, _, _ in discover([tmp_path])] == [new.path]
    with lists_as_of(date(2026, 12, 1)):
        assert [f for f, _, _ in discover([tmp_path])] == [old.path]
    with lists_as_of(date(2026, 11, 1)):
        assert [f for f, _, _ in discover([tmp_path])] == []


def test_kg_fetch_then_kg_update_reports_the_new_listing_and_the_counterparty(tmp_path, server):
    """The issue's "done when": a new CSL release names one of one's own counterparties."""
    data, out = tmp_path / "data", tmp_path / "out"
    server.routes["/csl.csv"] = body(_with_new_row())
    _declare(data / "lists", "https://publisher.invalid/consolidated.csv")
    (data / "lists" / SAMPLE.name).write_bytes(_sample())  # the shipped sample, read in addition
    counterparties = tmp_path / "counterparties.csv"
    counterparties.write_text(f"id,name,country\nC-1,{NEW_NAME},CN\nC-2,Someone Unlisted Ltd,FR\n")
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(data), "--out", str(out), "--quiet", "--no-extract"])
    assert built.exit_code == 0, built.output
    fetched = runner.invoke(main, ["fetch", "--lists", str(data / "lists"), "--url", f"csl={server.url('/csl.csv')}"])
    assert fetched.exit_code == 0, fetched.output
    assert "csl" in fetched.output and "new" in fetched.output
    updated = runner.invoke(main, ["update", "--data", str(data), "--out", str(out), "--screen", str(counterparties),
                                   "--no-extract", "--url", f"csl={server.url('/csl.csv')}"])
    assert updated.exit_code == 3, updated.output
    assert "csl unchanged" in updated.output
    assert f"read csl: {fetched.output.split('versions/csl/', 1)[1].split()[0]}" in updated.output
    added = updated.output.split("listings added", 1)[1].split("listings removed", 1)[0]
    assert NEW_NAME in added and "99 FR 12345" in added
    changed = updated.output.split("counterparties changed", 1)[1]
    # the listing is named by its list, its date and its citation (never by a row number)
    line = next(line for line in changed.splitlines() if f"row 2 (C-1) {NEW_NAME}" in line)
    assert f"row 2 (C-1) {NEW_NAME}: no match -> listed; now {NEW_NAME}: Entity List" in line
    assert "99 FR 12345" in line
    assert "Someone Unlisted" not in changed
    page = (out / "update.html").read_text()
    assert NEW_NAME in page and "counterparties changed" in page
    again = runner.invoke(main, ["update", "--data", str(data), "--out", str(out), "--screen", str(counterparties),
                                 "--no-extract", "--offline"])
    assert again.exit_code == 0, again.output  # nothing new: nothing of the counterparties changed


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow  # four commands in new processes, one a build
def test_the_weekly_loop_as_a_user_runs_it_kg_build_kg_fetch_kg_update(tmp_path):
    """The issue's "done when", command by command in new processes, as a user types them.

    The new release is a file in a folder served by ``python -m http.server``; the other list
    declared is served nowhere (its fetch fails), as when a publisher is down.
    """
    import subprocess
    import sys
    import urllib.request

    kg = str(Path(sys.executable).with_name("kg"))
    data, out, served = tmp_path / "data", tmp_path / "out", tmp_path / "served"
    served.mkdir()
    (served / "consolidated.csv").write_bytes(_with_new_row())
    port = _free_port()
    http = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(served)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):  # until it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/consolidated.csv"
        _declare(data / "lists", "https://publisher.invalid/consolidated.csv")
        declared = json.loads((data / "lists" / "sources.yaml").read_text())
        declared["lists"].append({**declared["lists"][0], "name": "csl_json", "format": "csl-json",
                                  "url": f"http://127.0.0.1:{port}/absent.json"})
        (data / "lists" / "sources.yaml").write_text(json.dumps(declared))
        (data / "lists" / SAMPLE.name).write_bytes(_sample())
        counterparties = tmp_path / "counterparties.csv"
        counterparties.write_text(f"id,name,country\nC-1,{NEW_NAME},CN\nC-2,Someone Unlisted Ltd,FR\n")

        def run(*args):
            return subprocess.run([kg, *args], capture_output=True, text=True, cwd=tmp_path)

        built = run("build", "data", "--out", "out", "--quiet", "--no-extract")
        assert built.returncode == 0, built.stderr
        fetched = run("fetch", "csl", "--url", f"csl={url}")
        assert fetched.returncode == 0, fetched.stdout + fetched.stderr
        assert "new" in fetched.stdout and "14 entries" in fetched.stdout
        updated = run("update", "--screen", "counterparties.csv", "--no-extract", "--url", f"csl={url}")
        assert updated.returncode == 3, updated.stdout + updated.stderr  # a counterparty changed: that first
        assert "csl unchanged, csl_json failed" in updated.stdout and "HTTP 404" in updated.stdout
        added = updated.stdout.split("listings added", 1)[1].split("listings removed", 1)[0]
        assert NEW_NAME in added and "99 FR 12345" in added
        changed = updated.stdout.split("counterparties changed", 1)[1]
        assert f"row 2 (C-1) {NEW_NAME}: no match -> listed" in changed and "Someone Unlisted" not in changed
        assert NEW_NAME in (out / "update.html").read_text()
        again = run("update", "--screen", "counterparties.csv", "--no-extract", "--url", f"csl={url}")
        assert again.returncode == 1, again.stdout + again.stderr  # nothing changed, but a list was not fetched
        assert "error: not fetched: csl_json" in again.stderr
        only_csl = run("update", "csl", "--screen", "counterparties.csv", "--no-extract", "--url", f"csl={url}")
        assert only_csl.returncode == 0, only_csl.stdout + only_csl.stderr
        assert "counterparties changed, of 2 screened (0)" in only_csl.stdout
    finally:
        http.terminate()
        http.wait(timeout=10)


@pytest.mark.parametrize("fmt, content, entries, published", [
    ("ofac-sdn-xml", '<sdnList xmlns="https://tempuri.org/sdnList.xsd"><publshInformation><Publish_Date>11/30/2026'
                     '</Publish_Date></publshInformation><sdnEntry><uid>1</uid></sdnEntry><sdnEntry><uid>2</uid>'
                     '</sdnEntry></sdnList>', 2, "2026-11-30"),
    ("eu-fsf-xml", '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-28T16:47:04.449+01:00">'
                   '<sanctionEntity logicalId="1"/></export>', 1, "2026-11-28"),
    ("un-sc-xml", '<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS><INDIVIDUAL/></INDIVIDUALS>'
                  '<ENTITIES><ENTITY/><ENTITY/></ENTITIES></CONSOLIDATED_LIST>', 3, "2026-02-27"),
    ("uk-sanctions-xml", "<Designations><DateGenerated>2026-11-30T09:00:00</DateGenerated><Designation/>"
                         "</Designations>", 1, "2026-11-30"),
    ("csl-json", '{"results": [{"name": "A", "source": "S"}, {"name": "B", "source": "S"}]}', 2, None),
    ("ftm-json", '{"id": "a", "schema": "Company", "properties": {}}\n{"id": "b", "schema": "Person", "properties": {}}\n',
     2, None),
    ("federal-register-json", '{"document_number": "2019-22210", "publication_date": "2019-10-09"}', 1, "2019-10-09"),
])
def test_each_format_is_counted_and_dated_as_its_publisher_writes_it(tmp_path, fmt, content, entries, published):
    from graph.io.fetch import check_release
    from graph.io.versions import ListSource

    path = tmp_path / "release"
    path.write_text(content, encoding="utf-8")
    source = ListSource(name="x", title="x", publisher="x", url="https://x.invalid/x", format=fmt, licence="x",
                        entries=(1, 10), max_drop=0.5, changes="x")
    facts, problem = check_release(path, source)
    assert problem is None and facts["entries"] == entries and facts.get("published") == published
    path.write_text(content[: len(content) - 5], encoding="utf-8")  # cut short: refused, never counted
    assert "does not parse" in check_release(path, source)[1]


def test_sources_yaml_names_what_is_wrong(tmp_path):
    from graph.errors import InputError
    from graph.io.versions import load_sources

    path = tmp_path / "sources.yaml"
    path.write_text("lists:\n  - name: csl\n    format: csv-ish\n")
    with pytest.raises(InputError, match=r"list 1 \('csl'\) lacks \['title'"):
        load_sources(path)
    path.write_text(json.dumps({"lists": [{"name": "csl", "title": "t", "publisher": "p", "url": "u", "format": "csl-csv",
                                           "licence": "l", "entries": [10, 1], "max_drop": 0.1, "changes": "c"}]}))
    with pytest.raises(InputError, match=r"entries \[10, 1\] is not \[min, max\]"):
        load_sources(path)
    assert len(load_sources(ROOT / "data" / "lists" / "sources.yaml")) == 8


def test_an_air_gapped_mirror_on_disk(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "csl").mkdir(parents=True)
    (mirror / "csl" / "consolidated.csv").write_bytes(_sample())
    lists = tmp_path / "lists"
    _declare(lists, "https://publisher.invalid/v1/consolidated.csv")
    [result] = fetch(lists, mirror=mirror.as_uri())
    assert result.status == "new" and result.record["entries"] == 13
    assert result.record["url"] == f"{mirror.as_uri()}/csl/consolidated.csv"
    [again] = fetch(lists, mirror=mirror.as_uri())
    assert again.status == "unchanged", "the same bytes are no new version"
