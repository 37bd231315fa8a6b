"""POST /screen on kg serve: JSON in, the same JSON as `kg screen --format json` out, within the limits."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.serve.app import Settings, create_app

SETTINGS = Settings(timeout=20.0, max_rows=5, max_body=2048, workers=1)
ROWS = [{"name": "Sensetime Group Limited", "id": "S-1"}, {"name": "Qualcomm", "country": "US", "id": "S-2"},
        {"name": "Acme Widgets of Ohio", "id": "S-3"}]


@pytest.fixture(scope="module")
def server(article_out):
    """The endpoint on a loopback port, answered by uvicorn in a thread: a real HTTP server."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(article_out / "graph.trig", SETTINGS), host="127.0.0.1", port=port,
                            log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(10)


def test_post_screen_answers_what_the_command_prints(server, article_out, tmp_path):
    answer = httpx.post(f"{server}/screen", json={"rows": ROWS, "as_of": "2019-10-10"}, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    command = CliRunner().invoke(main, ["screen", str(path), "--graph", str(article_out / "graph.trig"),
                                        "--as-of", "2019-10-10", "--format", "json"])
    assert command.exit_code == 0, command.output
    assert answer.json() == json.loads(command.stdout)  # rows numbered from 1 in both
    statuses = {r["id"]: r["status"] for r in answer.json()}
    assert statuses == {"S-1": "listed", "S-2": "exposed", "S-3": "no match"}


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
