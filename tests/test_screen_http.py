"""POST /screen on a freshly started `kg serve`: JSON in, what `kg screen --format json` prints out, within the limits."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from graph.cli import main

ROWS = [{"name": "Sensetime Group Limited", "id": "S-1"}, {"name": "Qualcomm", "country": "US", "id": "S-2"},
        {"name": "Acme Widgets of Ohio", "id": "S-3"}]
LIMITS = ["--max-rows", "5", "--max-body", "2048", "--workers", "1", "--timeout", "30"]


@pytest.fixture(scope="module")
def server(article_out, start_server):
    """`kg serve` started as a user starts it: a fresh process on a free loopback port."""
    kg = str(Path(sys.executable).parent / "kg")
    base, stop = start_server([kg, "serve", "--graph", str(article_out / "graph.trig"), "--port", "{port}", *LIMITS])
    yield base
    stop()


def test_post_screen_answers_what_the_command_prints(server, article_out, tmp_path):
    answer = httpx.post(f"{server}/screen", json={"rows": ROWS, "as_of": "2019-10-10"}, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    command = CliRunner().invoke(main, ["screen", str(path), "--graph", str(article_out / "graph.trig"),
                                        "--as-of", "2019-10-10", "--format", "json"])
    assert command.exit_code == 0, command.output
    printed = json.loads(command.stdout)
    assert answer.json()["rows"] == printed["rows"]  # rows numbered from 1 in both
    statuses = {r["id"]: r["status"] for r in answer.json()["rows"]}
    assert statuses == {"S-1": "listed", "S-2": "exposed", "S-3": "no match"}


def test_post_screen_records_what_it_ran_against_as_the_command_does(server, article_out):
    """An answer an examiner can check later: the graph's digests, each source, the settings, the tool, the body."""
    body = json.dumps({"rows": ROWS, "as_of": "2019-10-10"}).encode()
    record = httpx.post(f"{server}/screen", content=body, headers={"Content-Type": "application/json"},
                        timeout=60).json()["record"]
    assert record["tool"]["name"] == "exposure-kg" and record["tool"]["version"]
    assert record["graph"]["sha256"] == hashlib.sha256((article_out / "graph.trig").read_bytes()).hexdigest()
    assert record["sources"] and all(s["sha256"] for s in record["sources"])
    assert (record["settings"]["as_of"], record["settings"]["hops"]) == ("2019-10-10", 1)
    assert record["input"]["sha256"] == hashlib.sha256(body).hexdigest()
    assert record["input"]["rows"] == len(ROWS)


@pytest.mark.parametrize("body, status, message", [
    (b"not json", 400, "not JSON"),
    (json.dumps({"rows": [{"country": "US"}]}).encode(), 400, "request body, row 1: no name on this row"),
    (json.dumps({"rows": [{"name": "A"}] * 6}).encode(), 413, "6 rows is more than"),
    (json.dumps({"rows": [{"name": "A" * 3000}]}).encode(), 413, "over 2048 bytes"),
    (json.dumps({"rows": [{"name": "A"}], "as_of": "soon"}).encode(), 400, "YYYY-MM-DD"),
    (json.dumps({"rows": [{"name": "A"}], "hops": 9}).encode(), 400, "hops must be 1, 2 or 3"),
])
def test_post_screen_keeps_the_endpoint_limits(server, body, status, message):
    answer = httpx.post(f"{server}/screen", content=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert answer.status_code == status
    assert message in answer.json()["error"]


def test_get_is_not_allowed(server):
    assert httpx.get(f"{server}/screen", timeout=10).status_code == 405


def test_the_documented_curl_example_answers(server):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "screening.md").read_text(encoding="utf-8")
    block = doc.split("```sh\ncurl -s -X POST http://127.0.0.1:8000/screen", 1)[1].split("```", 1)[0]
    argv = shlex.split("curl -s -X POST " + server + "/screen" + block.replace("\\\n", " "))
    answer = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    results = json.loads(answer.stdout)["rows"]
    assert [(r["name"], r["status"]) for r in results] == [("Sensetime Group Limited", "listed")]


def test_a_deeply_nested_body_is_400_not_a_crash(server):
    for body in (b"[" * 20_000, b'{"rows": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"):
        answer = httpx.post(f"{server}/screen", content=body[:2000], headers={"Content-Type": "application/json"},
                            timeout=30)
        assert answer.status_code == 400, answer.text
        assert "nests deeper than" in answer.json()["error"]
    # and the endpoint still screens
    assert httpx.post(f"{server}/screen", json={"rows": ROWS[:1]}, timeout=60).status_code == 200


def test_another_site_cannot_make_the_server_screen(server):
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        answer = httpx.post(f"{server}/screen", json={"rows": ROWS[:1]}, headers=headers, timeout=30)
        assert answer.status_code == 403, answer.text
        assert answer.headers["x-content-type-options"] == "nosniff"
    same = httpx.post(f"{server}/screen", json={"rows": ROWS[:1]}, timeout=60,
                      headers={"Origin": server, "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 200, same.text


def test_a_screen_past_the_time_limit_is_stopped_with_its_worker(article_out):
    """The screen runs in a worker: on timeout the worker is killed (the work stops), and replaced."""
    from graph.screening.screen import read_request_rows
    from graph.serve.workers import Pool

    pool = Pool(str(article_out / "graph.trig"), 1, index_time=0)  # no time beyond the limit to index
    try:
        job = {"kind": "screen", "rows": read_request_rows(ROWS), "as_of": "2019-10-10", "hops": 3}
        status, message = pool.run(job, 0.01)  # far less than indexing the graph takes
        assert status == 503 and "time limit" in message
        assert pool.replaced == 1
        status, payload = pool.run(job, 60)  # the replacement screens
        assert status == 200, payload
        assert [r["status"] for r in json.loads(payload)["rows"]] == ["listed", "exposed", "no match"]
    finally:
        pool.close()


@pytest.mark.slow
def test_screens_after_the_first_find_the_index_built(seed_out):
    """Indexing data/ takes seconds; a screen of three rows on a worker that has indexed, 0.05 s.
    Every later screen goes to such a worker, with or without a long lane in between."""
    from graph.screening.screen import read_request_rows
    from graph.serve.workers import Pool

    pool = Pool(str(seed_out / "graph.trig"), 2, index_time=0, short=0.05)  # the first screen runs in a long lane
    try:
        job = {"kind": "screen", "rows": read_request_rows(ROWS), "as_of": "2019-10-10", "hops": 1}
        assert pool.run(job, 120)[0] == 200  # indexes
        for _ in range(6):
            status, payload = pool.run(job, 2.0)  # far less than indexing takes on this machine
            assert status == 200, payload
    finally:
        pool.close()


@pytest.mark.slow
def test_over_http_a_screen_past_the_time_limit_stops_and_the_limit_holds(seed_out, start_server):
    """`kg serve --timeout 0.3`: a worker's first screen indexes the graph (granted the index time);
    the next, on the worker that indexed, gets 503 at the limit, and its worker is killed: nothing
    screens on after the answer (the issue's thread did). The endpoint screens again afterwards."""
    kg = str(Path(sys.executable).parent / "kg")
    base, stop = start_server([kg, "serve", "--graph", str(seed_out / "graph.trig"), "--port", "{port}",
                               "--workers", "1", "--timeout", "0.3"])
    try:
        server = _server_pid(base)
        assert httpx.post(f"{base}/screen", json={"rows": ROWS}, timeout=120).status_code == 200
        time.sleep(1)
        before = _tree(server)
        many = [{"name": f"Firm {i}"} for i in range(3000)]  # 62 KB: within the body limit
        answer = httpx.post(f"{base}/screen", json={"rows": many}, timeout=120)
        assert answer.status_code == 503, answer.text[:300]
        assert answer.json()["error"].startswith("screening took longer than 0.3 s and was stopped")
        time.sleep(1)
        spent = _cpu(_tree(server))
        time.sleep(2)
        assert _cpu(_tree(server)) - spent < 0.5  # nobody screens on
        assert set(before) - set(_tree(server)), "no process was stopped"
        again = httpx.post(f"{base}/screen", json={"rows": ROWS}, timeout=120)
        assert again.status_code == 200 and [r["status"] for r in again.json()["rows"]] == ["listed", "exposed", "no match"]
    finally:
        stop()


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def _cpu(pids: list[int]) -> float:
    """Seconds of CPU the processes ``pids`` have used."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.fixture(scope="module")
def data_server(seed_out, start_server):
    """`kg serve` of the whole data/ graph, where a screen's index weighs 20-60 MiB."""
    kg = str(Path(sys.executable).parent / "kg")
    base, stop = start_server([kg, "serve", "--graph", str(seed_out / "graph.trig"), "--port", "{port}",
                               "--workers", "1", "--timeout", "30"])
    yield base
    stop()


@pytest.mark.slow
def test_many_dates_do_not_grow_the_server(data_server):
    """Each (as_of, hops) has its listings and paths; they live in a worker, which keeps two.
    (They lived in the server's own process, 20-60 MiB each, for ever.)"""
    server = data_server
    pid = _server_pid(server)

    def rss() -> int:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

    httpx.post(f"{server}/screen", json={"rows": ROWS, "as_of": "2019-01-01"}, timeout=60).raise_for_status()
    before = rss()
    for month in range(2, 10):
        answer = httpx.post(f"{server}/screen", json={"rows": ROWS, "as_of": f"2019-{month:02d}-01", "hops": 2},
                            timeout=60)
        assert answer.status_code == 200, answer.text
    assert rss() - before < 20 * 1024, f"the server process grew by {(rss() - before) // 1024} MiB over 8 dates"


@pytest.mark.slow
def test_the_main_process_spends_little_cpu_per_screen(data_server):
    pid = _server_pid(data_server)

    def cpu() -> float:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    httpx.post(f"{data_server}/screen", json={"rows": ROWS}, timeout=120).raise_for_status()  # the worker indexes
    before = cpu()
    for _ in range(5):
        httpx.post(f"{data_server}/screen", json={"rows": ROWS}, timeout=60).raise_for_status()
    per_request = (cpu() - before) / 5
    assert per_request < 0.2, f"{per_request:.2f} s of the server's own CPU per screen"


def _server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    # the process listening on the port (the server, not a worker)
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if fields[1].endswith(f":{int(port):04X}") and fields[3] == "0A":
                    inode = fields[9]
    assert inode, "no listening socket found"
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if any(link.readlink() == Path(f"socket:[{inode}]") for link in (entry / "fd").iterdir()):
                    return int(entry.name)
            except OSError:
                continue
    raise AssertionError("no process holds the listening socket")


DECISIONS = """\
decisions:
  - names: ["Hikvison", "Hikvision"]
    decision: forbid
    by: a test
    why: written for this test, to see that a forbidden pair never matches over HTTP
"""


def test_a_pair_the_reviewed_decisions_forbid_never_matches_over_http_either(article_out, start_server, tmp_path):
    """`kg serve` reads data/resolution/decisions.yaml where it was started, as `kg screen` reads --data."""
    (tmp_path / "data" / "resolution").mkdir(parents=True)
    (tmp_path / "data" / "resolution" / "decisions.yaml").write_text(DECISIONS, encoding="utf-8")
    kg = str(Path(sys.executable).parent / "kg")
    graph = str(article_out / "graph.trig")
    body = {"rows": [{"name": "Hikvison"}], "as_of": "2019-10-10"}
    for folder, hikvision in ((tmp_path, False), (tmp_path / "data", True)):  # with and without the decisions
        base, stop = start_server([kg, "serve", "--graph", graph, "--port", "{port}", *LIMITS], cwd=folder)
        try:
            answer = httpx.post(f"{base}/screen", json=body, timeout=60)
        finally:
            stop()
        assert answer.status_code == 200, answer.text
        [row] = answer.json()["rows"]
        assert any(m["label"] == "Hikvision" for m in row["matches"]) is hikvision, row
