"""The endpoint's HTTP layer (graph/serve/http.py): one body reader, JSON checked before parsing,
another site's requests refused, nosniff on every answer, CSV cells neutralised by their text."""

from __future__ import annotations

import csv
import io
import json

import pytest
from starlette.testclient import TestClient

from graph.serve.guard import Refusal
from graph.serve.http import read_json
from graph.serve.app import Settings, create_app

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A small graph of hostile literals, served in-process."""
    path = tmp_path_factory.mktemp("hostile") / "g.nt"
    path.write_text(
        '<https://e.org/a> <https://e.org/n> "=HYPERLINK(\\"http://x.example\\",\\"click\\")"'
        '^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<https://e.org/b> <https://e.org/n> "-5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '<https://e.org/c> <https://e.org/n> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        '<https://e.org/d> <https://e.org/n> "+1 555 0100"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
        '<https://e.org/e> <https://e.org/n> "@SUM(A1)" .\n', encoding="utf-8")
    with TestClient(create_app(path, Settings(workers=1), data=None), base_url=BASE) as test_client:
        yield test_client


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
