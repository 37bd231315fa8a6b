"""The endpoint's HTTP layer (graph/serve/http.py): one body reader, JSON checked before parsing,
another site's requests refused, nosniff on every answer, CSV cells neutralised by their text.

Each test that takes ``client`` runs twice: in-process, and against ``kg serve`` started in a
fresh process as a user starts it, through a real HTTP client."""

from __future__ import annotations

import csv
import io
import json
import socket
import sys
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from graph.serve.guard import Refusal
from graph.serve.http import read_json, request_line
from graph.serve.app import Settings, create_app

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory) -> Path:
    """A small graph of hostile literals."""
    path = tmp_path_factory.mktemp("hostile") / "g.nt"
    path.write_text(
        '<https://e.org/a> <https://e.org/n> "=HYPERLINK(\\"http://x.example\\",\\"click\\")"'
        '^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<https://e.org/b> <https://e.org/n> "-5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<https://e.org/c> <https://e.org/n> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        '<https://e.org/d> <https://e.org/n> "+1 555 0100"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        '<https://e.org/e> <https://e.org/n> "@SUM(A1)" .\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def live(hostile_graph, start_server):
    """`kg serve` of the hostile graph in a fresh process, with its default limits: its base URL."""
    kg = str(Path(sys.executable).parent / "kg")
    base, stop = start_server([kg, "serve", "--graph", str(hostile_graph), "--port", "{port}", "--workers", "1"])
    yield base
    stop()


@pytest.fixture(scope="module", params=["in-process", "kg serve"])
def client(request, hostile_graph):
    """The hostile graph served in-process, then by `kg serve` through httpx."""
    if request.param == "in-process":
        with TestClient(create_app(hostile_graph, Settings(workers=1), data=None), base_url=BASE) as test_client:
            yield test_client
    else:
        with httpx.Client(base_url=request.getfixturevalue("live"), timeout=60) as http_client:
            yield http_client


def test_csv_cells_are_neutralised_by_their_text_whatever_their_datatype(client):
    answer = client.get("/sparql", params={"query": "SELECT ?s ?n { ?s <https://e.org/n> ?n } ORDER BY ?s"},
                        headers={"Accept": "text/csv"})
    assert answer.status_code == 200, answer.text
    cells = {row["s"]: row["n"] for row in csv.DictReader(io.StringIO(answer.text))}
    assert cells == {"https://e.org/a": "'=HYPERLINK(\"http://x.example\",\"click\")",
                     "https://e.org/b": "-5", "https://e.org/c": "2.5",
                     "https://e.org/d": "'+1 555 0100", "https://e.org/e": "'@SUM(A1)"}


@pytest.mark.parametrize("path", ["/sparql?query=ASK%20%7B%7D", "/sparql", "/", "/page.js", "/no-such-page",
                                  "/entity/org/none", "/screen"])
def test_every_answer_carries_nosniff(client, path):
    answer = client.get(path)
    assert answer.headers.get("x-content-type-options") == "nosniff", (answer.status_code, answer.headers)


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:9999"},  # another port of the same host is another origin
    {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"},
    {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors", "Origin": "http://127.0.0.1:3000"},
])
def test_another_sites_page_cannot_make_the_server_work(client, headers):
    for answer in (client.post("/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query",
                                                                      **headers}),
                   client.post("/screen", json={"rows": [{"name": "Acme"}]}, headers=headers)):
        assert answer.status_code == 403, answer.text
        assert "another site" in answer.text
    assert "another site" in answer.json()["error"]  # /screen answers its errors as JSON


@pytest.mark.parametrize("query_string", [
    "%71uery=ASK%20%7B%7D",  # the key is percent-decoded before it is read: %71uery is query
    "&query=ASK%20%7B%7D",
    "format=csv&%51UERY=x&query=ASK%20%7B%7D",
    "query=ASK%20%7B%7D",
])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_cross_site_query_is_refused_however_its_parameter_is_spelled(client, query_string, method):
    answer = client.request(method, f"/sparql?{query_string}",
                            headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Accept": "text/csv"})
    assert answer.status_code == 403, answer.text
    assert client.get(f"/sparql?{query_string}", headers={"Accept": "text/csv"}).status_code in (200, 400)


def test_the_service_description_is_no_query(client):
    answer = client.get("/sparql", headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert answer.status_code == 200 and "sd:Service" in answer.text


def test_cross_site_queries_by_get_are_refused_but_followed_links_are_not(client):
    query = {"query": "ASK {}"}
    fetched = client.get("/sparql", params=query, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert fetched.status_code == 403
    followed = client.get("/sparql", params=query, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate",
                                                            "Accept": "text/csv"})
    assert followed.status_code == 200


@pytest.mark.parametrize("headers", [
    {},  # curl, SPARQL clients: no browser headers
    {"Origin": BASE, "Sec-Fetch-Site": "same-origin"},  # the query page
    {"Sec-Fetch-Site": "none"},  # typed in the address bar
])
def test_the_own_page_and_programs_may_post(client, headers):
    answer = client.post("/sparql", content="ASK {}", headers={"Content-Type": "application/sparql-query",
                                                               "Accept": "text/csv", **headers})
    assert answer.status_code == 200, answer.text


def test_twenty_thousand_deep_json_is_400(client):
    for body in (b"[" * 20_000, b'{"rows": [' + b'{"a": ' * 8_000 + b"1" + b"}" * 8_000 + b"]}"):
        answer = client.post("/screen", content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, answer.text
        assert "nests deeper than 16 levels" in answer.json()["error"]


@pytest.mark.parametrize("text, depth_ok", [
    ('{"rows": [{"name": "[[[[[[[[[[[[[[[[[[[[[[["}]}', True),  # brackets in a string do not count
    ('{"rows": [{"name": "a\\\\"}], "x": ' + "[" * 17 + "]" * 17 + "}", False),  # an escaped backslash ends no string
    ('{"rows": [{"name": "a\\"[[[[[[[[[[[[[[[[[["}]}', True),  # an escaped quote does not end it
])
def test_depth_is_counted_outside_strings(text, depth_ok):
    if depth_ok:
        assert read_json(text.encode())["rows"]
    else:
        with pytest.raises(Refusal, match="nests deeper"):
            read_json(text.encode())


def test_a_body_read_is_one_reader_for_every_route(client):
    """The same limits answer the same way on /sparql and /screen."""
    big = b"x" * (64 * 1024 + 1)
    for path, kind in (("/sparql", "application/sparql-query"), ("/screen", "application/json")):
        answer = client.post(path, content=big, headers={"Content-Type": kind})
        assert answer.status_code == 413
        assert "over 65536 bytes" in answer.text
        assert answer.headers.get("connection") == "close"


def test_one_client_cannot_hold_every_request_slot():
    import asyncio

    from graph.serve.http import Guard

    started = asyncio.Event()
    release = asyncio.Event()

    async def slow(scope, receive, send):
        started.set()
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = Guard(slow, Settings(max_client_requests=2))

    async def request(client: str) -> int:
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "scheme": "http",
                 "headers": [(b"host", b"127.0.0.1")], "client": (client, 1234)}
        await guard(scope, receive, send)
        start = sent[0]
        assert (b"x-content-type-options", b"nosniff") in start["headers"]
        return start["status"]

    async def main():
        first = [asyncio.create_task(request("10.0.0.1")) for _ in range(2)]
        await started.wait()
        await asyncio.sleep(0.01)
        third = await request("10.0.0.1")  # a third at once from the same address
        other = asyncio.create_task(request("10.0.0.2"))  # another client is not refused
        await asyncio.sleep(0.01)
        release.set()
        return third, [await t for t in first], await other

    third, first, other = asyncio.run(main())
    assert third == 503 and first == [200, 200] and other == 200
    assert guard.running == {}


def test_screen_rows_are_numbered_and_named_in_errors(client):
    answer = client.post("/screen", json={"rows": [{"name": "A"}, {"country": "US"}]})
    assert answer.status_code == 400
    assert json.loads(answer.text)["error"].startswith("request body, row 2: no name on this row")


def test_a_request_the_server_cannot_read_gets_400_with_nosniff(live):
    """A broken request line never reaches a route: its 400 is the connection layer's, and carries nosniff too."""
    port = int(live.rsplit(":", 1)[1])
    for request in (b"GARBAGE\r\n\r\n", b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head = answer.partition(b"\r\n\r\n")[0].lower()
        assert head.startswith(b"http/1.1 400") and b"x-content-type-options: nosniff" in head, answer


def test_log_lines_show_a_path_s_control_characters_escaped():
    """Paths are percent-decoded: /%1b[2J would reach the operator's terminal as an escape sequence."""
    line = request_line({"method": "GET", "path": "/entity/\x1b[2J\u202eevil" + "x" * 500})
    assert line.startswith("GET /entity/\\x1b[2J\\u202eevil") and "\x1b" not in line and "\u202e" not in line
    assert len(line) < 230
