"""The endpoint makes no outbound request, whatever the query text: the check that parses the
query once and hands the engine a text written from that parse, fuzzed against the engine itself,
and the query workers' own wall (no network at all)."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.serve.guard import MAX_CHAIN, MAX_DEPTH, Refusal, check, refusal
from graph.serve.workers import Pool


class Listener:
    """A loopback HTTP listener that counts connections and answers an empty SPARQL result
    (or ``status`` with ``body``), so that the engine's SERVICE call completes."""

    def __init__(self, status: str = "200 OK", body: bytes = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}',
                 content_type: str = "application/sparql-results+json") -> None:
        self.hits = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.reply = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                      f"Connection: close\r\n\r\n").encode() + body
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._stop:
                conn.close()
                return
            self.hits += 1
            with conn:
                conn.settimeout(2)
                try:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    conn.sendall(self.reply)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop = True
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)


@pytest.fixture
def canary():
    listener = Listener()
    yield listener
    listener.close()


def _ports() -> tuple[Listener, Listener]:
    """Two listeners whose ports have the same number of digits (so that texts line up)."""
    while True:
        a, b = Listener(), Listener()
        if len(str(a.port)) == len(str(b.port)):
            return a, b
        a.close()
        b.close()


# ------------------------------------------------------------------------------ the fuzzer


def _case(rng: random.Random, word: str) -> str:
    choice = rng.random()
    if choice < 0.4:
        return word
    if choice < 0.6:
        return word.lower()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def _gap(rng: random.Random, allow_empty: bool = True) -> str:
    """White space and comments as the grammar allows them (a comment ends at \\r or \\n)."""
    pieces = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.45:
            pieces.append(rng.choice([" ", "\t", "\n", "\r", "\r\n", "  \t "]))
        elif kind < 0.8:
            decoy = rng.choice(["", " SERVICE <http://127.0.0.1:1/> { }", " } FROM <x>", " '\"", " \\u0053ERVICE"])
            pieces.append("#" + decoy + rng.choice(["\n", "\r", "\r\n"]))
        elif allow_empty:
            pieces.append("")
        else:
            pieces.append(" ")
    return "".join(pieces)


def _escape_some(rng: random.Random, text: str) -> str:
    """Replace a few characters of an IRI's text by \\u / \\U escapes (the engine decodes them)."""
    out = []
    for c in text:
        if c.isalnum() and rng.random() < 0.15:
            out.append(f"\\u{ord(c):04X}" if rng.random() < 0.7 else f"\\U{ord(c):08X}")
        else:
            out.append(c)
    return "".join(out)


def _target(rng: random.Random, base: str) -> tuple[str, str]:
    """(prologue, target) naming ``base`` + something: full IRI, escaped IRI or prefixed name."""
    path = rng.choice(["sparql", "a", "s/p", "q-1", "x.y"])
    kind = rng.random()
    if kind < 0.35:
        return "", f"<{base}{path}>"
    if kind < 0.55:
        return "", "<" + _escape_some(rng, f"{base}{path}") + ">"
    prefix = rng.choice(["c", "svc", "ex-1", "a.b", "", "P"])
    local = path.replace("-", "\\-").replace(".", "\\.").replace("/", "\\/") if rng.random() < 0.5 else path.replace("/", "")
    iri = f"<{base}>" if rng.random() < 0.7 else "<" + _escape_some(rng, base) + ">"
    prologue = f"{_case(rng, 'PREFIX')}{_gap(rng, False)}{prefix}:{_gap(rng)}{iri}{_gap(rng)}"
    return prologue, f"{prefix}:{local}"


def _wrap(rng: random.Random, inner: str, depth: int) -> str:
    for _ in range(depth):
        kind = rng.randrange(6)
        g = _gap(rng)
        if kind == 0:
            inner = f"{{{g}{inner}{g}}}"
        elif kind == 1:
            inner = f"{_case(rng, 'OPTIONAL')}{g}{{{inner}}}"
        elif kind == 2:
            inner = f"{{{inner}}}{g}{_case(rng, 'UNION')}{g}{{ ?u ?v ?w }}"
        elif kind == 3:
            inner = f"{_case(rng, 'FILTER')}{g}{_case(rng, 'EXISTS')}{g}{{{g}{inner}{g}}}"
        elif kind == 4:
            inner = f"{_case(rng, 'GRAPH')}{g}?g{g}{{{inner}}}"
        else:
            inner = f"{_case(rng, 'MINUS')}{g}{{{inner}}}"
    return inner


_BEFORE = ["", "?s ?p ?o .", "?s ?p ?o", "?s ?p true", "?s ?p 1", "?s ?p 'x'", "?s ?p \"\"\"x\"\"\"",
           "BIND(1 AS ?b)", "FILTER(true)", "VALUES ?v { 1 }", "?s ?p ?o ;", "?s ?p ?o ."]


def variant(rng: random.Random, base: str) -> tuple[str, str]:
    """One generated query and what it tries (``service``, ``from``, ``load`` or ``decoy``)."""
    intent = rng.choices(["service", "from", "load", "decoy"], weights=[70, 15, 3, 12])[0]
    prologue, target = _target(rng, base)
    if intent == "load":
        return f"{prologue}{_case(rng, 'LOAD')}{_gap(rng, False)}{target}", intent
    form = rng.choice(["SELECT *", "SELECT ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n)"])
    form = " ".join(_case(rng, w) if w.isalpha() else w for w in form.split(" "))
    where = _case(rng, "WHERE") + _gap(rng) if rng.random() < 0.5 else ""
    if intent == "from":
        named = _case(rng, "NAMED") + _gap(rng, False) if rng.random() < 0.4 else ""
        body = f"{{{_gap(rng)}?s ?p ?o{_gap(rng)}}}"
        return f"{prologue}{form}{_gap(rng)}{_case(rng, 'FROM')}{_gap(rng, False)}{named}{target}{_gap(rng)}{where}{body}", intent
    before = rng.choice(_BEFORE)
    if intent == "decoy":
        # SERVICE only where the engine does not read a keyword: in a string, a comment, an IRI, a variable
        hidden = rng.choice([f"?s ?p 'SERVICE {target} {{ }}'", f"?s ?p \"\"\"\nSERVICE {target} {{}}\"\"\"",
                             f"# SERVICE {target} {{ }}\n?s ?p ?o", "?service ?p <urn:SERVICE>",
                             "?s ?p 'it\\'s SERVICE'", "?s ?p '''a''SERVICE'''"])
        clause = f"{before}{_gap(rng)}{hidden}"
    else:
        silent = _gap(rng, False) + _case(rng, "SILENT") if rng.random() < 0.2 else ""
        glue = "" if rng.random() < 0.25 else _gap(rng, False)
        keyword = _case(rng, "SERVICE")
        service = f"{keyword}{silent}{_gap(rng) if not target.startswith('<') else rng.choice(['', ' '])}"
        if not target.startswith("<") and not service[-1].isspace() and not silent:
            service += rng.choice(["", " "])  # SERVICEex:x is SERVICE ex:x to the engine
        clause = f"{before}{glue}{service}{target}{_gap(rng)}{{{_gap(rng)}?s ?p ?o{_gap(rng)}}}"
    body = _wrap(rng, clause, rng.randint(0, 3))
    return f"{prologue}{form}{_gap(rng)}{where}{{{_gap(rng)}{body}{_gap(rng)}}}", intent


def corpus(port: int, size: int, seed: int = 14) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    base = f"http://127.0.0.1:{port}/"
    return [variant(rng, base) for _ in range(size)]


def _engine(store: ox.Store, text: str) -> str:
    """What the engine makes of ``text``: ``syntax`` (refused by its parser) or ``ran``."""
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except SyntaxError:
        return "syntax"
    except (OSError, RuntimeError, ValueError):
        return "ran"
    return "ran"


def _store(port: int) -> ox.Store:
    store = ox.Store()
    s, p = ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p")
    for o in (ox.Literal("x"), ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
              ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))):
        store.add(ox.Quad(s, p, o))
    store.add(ox.Quad(s, p, ox.Literal("g"), ox.NamedNode(f"http://127.0.0.1:{port}/a")))
    return store


@pytest.mark.slow
def test_ten_thousand_fuzzed_outbound_queries_never_reach_the_canary():
    canary, witness = _ports()
    try:
        size = 10_000
        aimed, mirrored = corpus(canary.port, size), corpus(witness.port, size)
        store = _store(canary.port)
        refused, live, decoys_run, from_parsed = 0, 0, 0, 0
        for (text, intent), (twin, _) in zip(aimed, mirrored):
            try:
                written = check(text, frozenset(), prefixes={}).text
            except Refusal as exc:
                refused += 1
                # the oracle: would the engine itself have gone out? (to the witness, never the canary)
                before = witness.hits
                outcome = _engine(store, twin)
                # a decoy is refused only as text outside SPARQL 1.1 (glued keywords the engine
                # tolerates), never as SERVICE
                assert intent != "decoy" or outcome == "syntax" or exc.status == 400, \
                    f"refused a query with no SERVICE: {text!r}"
                live += witness.hits > before
                from_parsed += intent == "from" and outcome == "ran"
                continue
            # accepted: run what the endpoint would run, without its second wall
            outcome = _engine(store, written)
            assert canary.hits == 0, f"an accepted query reached the canary: {text!r}"
            assert not (intent == "from" and outcome == "ran"), f"FROM a foreign graph was accepted: {text!r}"
            decoys_run += intent == "decoy" and outcome == "ran"
        assert canary.hits == 0
        # the corpus is meaningful: most variants are queries that Oxigraph would send out
        assert live >= size // 2, (live, refused)
        assert decoys_run >= size // 20
        assert from_parsed >= size // 20
    finally:
        canary.close()
        witness.close()


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { #\r SERVICE <http://127.0.0.1:9/a> { ?x ?p ?o } }",
    "SELECT ?x WHERE { #\n SERVICE <http://127.0.0.1:9/a> { ?x ?p ?o } }",
    "select * { sErViCe <http://127.0.0.1:9/a> { ?x ?p ?o } }",
    "SELECT * { ?s ?p trueSERVICE <http://127.0.0.1:9/a> { ?s ?p ?o } }",
    "SELECT * { ?s ?p 1SERVICE <http://127.0.0.1:9/a> { ?s ?p ?o } }",
    "SELECT * { SERVICESILENT <http://127.0.0.1:9/a> { ?s ?p ?o } }",
    "PREFIX c: <http://127.0.0.1:9/> SELECT * { SERVICEc:a { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o.SERVICE<http://127.0.0.1:9/a>{} }",
    "SELECT * { ?s ?p 'it''s'SERVICE <http://127.0.0.1:9/a> {} }",
    "SELECT * { ?s ?p ex:a\\#b SERVICE <http://127.0.0.1:9/a> {} }",
    "SELECT * { ?s ?p ex:a\\'b SERVICE <http://127.0.0.1:9/a> {} }",
    "SELECT * { ?s ?p '\\'' SERVICE <http://127.0.0.1:9/a> {} }",
    "SELECT * { ?s ?p '''a''' SERVICE <http://127.0.0.1:9/a> {} }",
])
def test_service_is_refused_wherever_the_engine_reads_it(query):
    """Refused as SERVICE, or (keywords glued, which SPARQL 1.1 does not allow and Oxigraph reads)
    as text outside the grammar: either way the engine never sees it."""
    with pytest.raises(Refusal, match="SERVICE is refused|is not SPARQL 1.1"):
        refusal(query, frozenset())


@pytest.mark.parametrize("query", [
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/a> {} }",
    "SELECT * { ?s ?p '\\u0027 SERVICE <http://127.0.0.1:9/a> {} #' }",
])
def test_codepoint_escapes_are_read_as_the_standard_reads_them(query):
    """SPARQL 1.1 decodes \\u escapes before parsing (Oxigraph only inside IRIs and strings): the
    check reads the standard's way, and the engine runs what the check wrote, never these."""
    with pytest.raises(Refusal) as refused:
        refusal(query, frozenset())
    assert refused.value.status in (400, 403)


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p 'SERVICE <http://127.0.0.1:9/a> {}' }",
    "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/a> {}",
    "SELECT ?service { ?service ?p <urn:SERVICE> }",
    'SELECT * { ?s ?p """\nSERVICE <http://127.0.0.1:9/a> {}""" }',
    "PREFIX kg: <https://w3id.org/exposure-kg/ontology#> SELECT * { ?s kg:service ?o }",
])
def test_service_in_strings_comments_and_names_is_not_a_keyword(query):
    assert refusal(query, frozenset()) == "SELECT"


def test_the_issue_s_carriage_return_query_is_one_the_engine_would_send(canary):
    """The check must refuse it because the engine does go out with it."""
    query = f"SELECT ?x WHERE {{ #\r SERVICE <http://127.0.0.1:{canary.port}/a> {{ ?x ?p ?o }} }}"
    witness = Listener()
    try:
        _engine(ox.Store(), query.replace(str(canary.port), str(witness.port)))
        assert witness.hits == 1
    finally:
        witness.close()
    with pytest.raises(Refusal):
        refusal(query, frozenset())


@pytest.mark.parametrize("query", [
    "SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }",
    "ASKFROM <http://127.0.0.1:9/g> {}",
    "SELECT*FROM NAMED<http://127.0.0.1:9/g>{}",
    "PREFIX c: <http://127.0.0.1:9/> SELECT * FROM c:g {}",
    "SELECT * FROM <http://127.0.0.1:\\u0039/g> {}",
])
def test_from_a_graph_the_store_does_not_hold_is_refused(query):
    with pytest.raises(Refusal, match="no outbound requests|is not SPARQL 1.1"):
        refusal(query, frozenset({"https://e.org/g"}))


def test_from_a_held_graph_by_prefixed_name_is_allowed():
    assert refusal("PREFIX e: <https://e.org/> ASK FROM e:g {}", frozenset({"https://e.org/g"})) == "ASK"


def test_deep_nesting_is_refused_before_it_reaches_a_worker():
    with pytest.raises(Refusal, match="holds 20,002 opening brackets; the limit is 2,000"):
        refusal("SELECT * { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }", frozenset())
    # fewer brackets than the raw count refuses: the parse measures the nesting itself
    with pytest.raises(Refusal, match=f"nests brackets more than {MAX_DEPTH} deep"):
        refusal("SELECT * { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }", frozenset())
    with pytest.raises(Refusal, match=f"chains more than {MAX_CHAIN}"):
        refusal("SELECT (1" + "+1" * 1_500 + " AS ?x) {}", frozenset())
    assert refusal("SELECT * { FILTER(" + "(" * 50 + "1" + ")" * 50 + ") }", frozenset()) == "SELECT"


def test_the_written_text_is_the_parse_in_canonical_form():
    written = check("select * { #a\r?s <http://e.org/p(1)> 'it\\'s' , \"\"\"x\"y\"\"\"@en-GB . "
                    "?s ex:a\\.b $w FILTER(?w<'x>') }", frozenset()).text
    assert written == ('select * { ?s <http://e.org/p\\u00281\\u0029> "it\\u0027s" , "x\\"y"@en-GB . '
                       '?s ex:a\\.b $w FILTER ( ?w < "x\\u003E" ) }')
    assert check(written, frozenset()).text == written  # writing again changes nothing


# ------------------------------------------------------------------------------ the second wall


@pytest.fixture(scope="module")
def walled_pool(tmp_path_factory):
    path = tmp_path_factory.mktemp("wall") / "g.ttl"
    path.write_text('<https://e.org/a> <https://e.org/name> "A" .\n')
    pool = Pool(str(path), 1)
    yield pool
    pool.close()


def _job(query: str, fmt: str = "json") -> dict:
    return {"query": query, "format": fmt, "max_rows": 100, "max_answer": 1 << 20, "default": [], "named": []}


def test_a_worker_checks_what_it_is_handed_itself(walled_pool, canary):
    """A caller that skips the endpoint's check still cannot hand the engine SERVICE or a crash."""
    assert walled_pool.walled
    hidden = "SELECT * WHERE { # \f '''\n SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }" % canary.port
    assert walled_pool.run(_job(hidden), 5.0)[0] == 403
    deep = "SELECT * { # \f '''\n FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }"
    assert walled_pool.run(_job(deep), 5.0)[0] == 400
    assert canary.hits == 0 and walled_pool.replaced == 0  # refused, not crashed
    assert walled_pool.run(_job("ASK { ?s ?p ?o }"), 5.0) == (200, b'{"head":{},"boolean":true}')


def test_the_workers_wall_keeps_a_process_off_the_network(canary):
    """The second wall itself: after leaving the network, even a plain connect to loopback fails."""
    from graph.serve.workers import _leave_network, can_leave_network

    assert can_leave_network()
    pid = os.fork()
    if pid == 0:
        try:
            if not _leave_network():
                os._exit(3)
            socket.create_connection(("127.0.0.1", canary.port), timeout=2).close()
            os._exit(0)
        except OSError:
            os._exit(1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1
    assert canary.hits == 0


def test_remote_bodies_and_port_state_are_never_echoed(tmp_path):
    """With SERVICE allowed by the operator, a remote's answer still never reaches the client."""
    path = tmp_path / "g.ttl"
    path.write_text('<https://e.org/a> <https://e.org/name> "A" .\n')
    remote = Listener(status="404 Not Found", body=b"SECRET-PAYLOAD", content_type="text/plain")
    pool = Pool(str(path), 1, walled=False)
    try:
        for port in (remote.port, 1):  # a listener that answers 404, and a port nothing listens on
            query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
            status, message = pool.run(_job(query), 5.0)
            assert status == 502
            assert "SECRET" not in message and str(port) not in message and "refused" not in message.lower()
    finally:
        pool.close()
        remote.close()


# ------------------------------------------------------------------------------ the grammar's characters

#: characters that do NOT end a ``#`` comment in SPARQL (only \n and \r do), though other readers
#: take them for line breaks
NOT_EOL = ["\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
EOL = ["\n", "\r", "\r\n"]
QUOTES = ["'", '"', "'''", '"""']
ESCAPES = ["\\t", "\\n", "\\r", "\\'", '\\"', "\\\\", "\\u0027", "\\u0022", "\\u003C", "\\u003E", "\\u0023",
           "\\u000A", "\\u0053", "\\U00000027"]


def _payloads(url: str, base: str) -> list[tuple[str, str]]:
    """(prologue, payload): the outbound calls the variants hide, four SERVICE forms and LOAD."""
    return [("", f"SERVICE <{url}> {{ ?s ?p ?o }}"), ("", f"SERVICE SILENT <{url}> {{ ?s ?p ?o }}"),
            ("", f"service <{url}> {{ }}"), (f"PREFIX c: <{base}>\n", "SERVICE c:sparql { ?s ?p ?o }"),
            ("", f"SeRvIcE<{url}>{{}}"), (f"PREFIX c: <{base}>\n", "SERVICE c:a {}"),
            ("", f"LOAD <{url}>"), ("", f"LOAD SILENT <{url}> INTO GRAPH <urn:g>")]


#: the two hiding shapes of the issue: a comment ended, for another reader, by a character that
#: does not end it (then a string opens for that reader), and ``<`` read as an IRI's start where the
#: engine reads "less than"
SHAPES = [
    "SELECT * WHERE {{ # {sep} '''\n {payload} # '''\n }}",
    'SELECT * WHERE {{ ?s ?p ?o # {sep} """\n {payload} # """\n }}',
    "SELECT * WHERE {{ # {sep} '\n {payload} # '\n }}",
    "ASK {{ #{sep}<\n {payload} #>\n }}",
    "SELECT * {{ ?s ?p ?o FILTER(1<2)#>'''{sep}\n {payload} #'''\n }}",
    'SELECT * {{ ?s ?p ?o FILTER(1<2)#>"""{sep}\n {payload} #"""\n }}',
    "SELECT * {{ ?s ?p ?o FILTER(?o<'x>')#{sep}'''\n {payload} #'''\n }}",
    "SELECT * {{ ?s ?p ?o FILTER(?o<'x>'||1<2)#>'{sep}\n {payload} #'\n }}",
]


def issue_variants(port: int) -> list[str]:
    """The issue's 320 bypasses: 8 shapes x 5 separators x 8 payloads (6 SERVICE, 2 LOAD)."""
    base = f"http://127.0.0.1:{port}/"
    out = []
    for shape in SHAPES:
        for sep in NOT_EOL:
            for prologue, payload in _payloads(base + "sparql", base):
                if payload.startswith("LOAD"):
                    out.append(f"# {sep} '''\n{payload} # '''" if "'''" in shape else f"#{sep}<\n{payload}\n#>")
                else:
                    out.append(prologue + shape.format(sep=sep, payload=payload))
    return out


def _outbound_tokens(written: str) -> list[str]:
    """Tokens of a written text (space-separated) that could make the engine call out."""
    return [t for t in written.split(" ") if not t.startswith(('"', "<", "?", "$", "_:"))
            and ("SERVICE" in t.upper().partition(":")[0] or t.upper() == "LOAD")]


def test_the_issue_s_320_variants_never_reach_the_engine_with_service():
    canary, witness = _ports()
    try:
        aimed, mirrored = issue_variants(canary.port), issue_variants(witness.port)
        assert len(aimed) == 320
        store = _store(canary.port)
        refused = went_out = 0
        for text, twin in zip(aimed, mirrored):
            before = witness.hits
            _engine(store, twin)  # the engine alone, with the client's text: does it call out?
            went_out += witness.hits > before
            try:
                written = check(text, frozenset(), prefixes={}).text
            except Refusal:
                refused += 1
                continue
            assert not _outbound_tokens(written), (text, written)
            _engine(store, written)
            assert canary.hits == 0, f"an accepted variant reached the canary: {text!r}"
        # the variants are real bypasses: the engine reading the client's text calls out for most
        assert went_out >= 200, went_out
        assert canary.hits == 0
    finally:
        canary.close()
        witness.close()


def _string(rng: random.Random) -> str:
    """A well-formed string in one of the four quote forms, holding escapes, other quotes, comment
    starts, brackets and characters that end a line for other readers."""
    quote = rng.choice(QUOTES)
    other = [q for q in ("'", '"') if q != quote[0]]
    pieces = ESCAPES + other + ["x", " ", "#", "<", ">", "{", "}", "(", "SERVICE"] + NOT_EOL
    if len(quote) == 3:
        pieces += ["\n", quote[0], "\n"]  # a lone quote of its own kind, then a line break
    inner = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
    if len(quote) == 3 and inner.endswith(quote[0]):
        inner += "x"
    return quote + inner + quote


def _fragment(rng: random.Random, base: str) -> str:
    """One piece of query text from the characters the grammar gives a meaning to: mostly
    well-formed pieces that hold the tricky characters, sometimes a bare tricky character."""
    kind = rng.randrange(10)
    if kind <= 1:  # a comment, ended by \n or \r, holding what other readers end it at or open in it
        inside = "".join(rng.choice(NOT_EOL + QUOTES + ["<", ">", " x", "SERVICE", "}"]) for _ in range(rng.randint(0, 3)))
        return "#" + inside + rng.choice(EOL)
    if kind <= 3:
        return f"?s ?p {_string(rng)} ."
    if kind == 4:  # "<" as "less than" and as an IRI's start
        return rng.choice(["FILTER(?o<'x>')", "FILTER(1<2)", "FILTER(?o<?p)", f"?s ?p <{base}a> .",
                           "FILTER(?o<=<urn:y>)", "FILTER(2>1)", "FILTER(?o<'a'||?o>'b')",
                           f"FILTER(?o<{_string(rng)})"])
    if kind == 5:  # escapes outside strings: prefixed names and \\u escapes the standard decodes first
        return rng.choice(["?s ex:a\\#b ?o .", "?s ex:a\\'b ?o .", "?s ?p <urn:\\u0041> .", "\\u0053ERVICE",
                           "?s ?p '\\u0027' .", "?s ?p \"\\u0022\" ."])
    if kind == 6:
        return rng.choice(["?s ?p ?o .", "BIND(1 AS ?b)", "OPTIONAL { ?s ?p ?o }", "{ ?s ?p ?o }"])
    if kind == 7:
        return rng.choice(NOT_EOL + EOL + [" ", "\t"])
    if kind == 8:
        return rng.choice(QUOTES + ["<", ">", "#", "{", "}", "(", ")"])
    return rng.choice(["SERVICE", "service", "SERVICE SILENT", "LOAD"])


def grammar_variants(port: int, size: int, seed: int = 24) -> list[str]:
    """Queries mixing every character class of the grammar around a SERVICE call."""
    rng = random.Random(seed)
    base = f"http://127.0.0.1:{port}/"
    out = []
    for _ in range(size):
        before = "".join(_fragment(rng, base) + rng.choice([" ", "\n"]) for _ in range(rng.randint(0, 3)))
        after = "".join(_fragment(rng, base) + rng.choice([" ", "\n"]) for _ in range(rng.randint(0, 3)))
        call = rng.choice([f"SERVICE <{base}sparql> {{ ?s ?p ?o }}", f"SERVICE SILENT <{base}s> {{}}"])
        if rng.random() < 0.3:  # a decoy: the call inside a comment or a string, where no reader runs it
            call = rng.choice([f"# {call}\n", f"?s ?p '{call}' .", f'?s ?p """{call}""" .'])
        prologue = "PREFIX ex: <urn:ex:>\n"
        out.append(f"{prologue}SELECT * WHERE {{ {before}{call} {after} }}" if rng.random() < 0.9
                   else f"{before}LOAD <{base}x>{after}")
    return out


def test_queries_built_from_the_grammar_s_characters_never_reach_the_engine_with_service():
    canary, witness = _ports()
    try:
        size = 4_000
        store = _store(canary.port)
        refused = went_out = accepted = 0
        for text, twin in zip(grammar_variants(canary.port, size), grammar_variants(witness.port, size)):
            before = witness.hits
            _engine(store, twin)
            went_out += witness.hits > before
            try:
                written = check(text, frozenset(), prefixes={}).text
            except Refusal:
                refused += 1
                continue
            accepted += 1
            assert not _outbound_tokens(written), (text, written)
            assert check(written, frozenset(), prefixes={}).text == written
            _engine(store, written)
            assert canary.hits == 0, f"an accepted query reached the canary: {text!r}"
        # meaningful: many of these would call out if the engine read them; SERVICE is hidden
        # (accepted) only where the engine too reads no call
        assert went_out >= size // 5, went_out
        assert accepted >= size // 20, accepted
        assert canary.hits == 0
    finally:
        canary.close()
        witness.close()


@pytest.mark.parametrize("query", [
    "SELECT * { # \f '''\n FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }",
    "SELECT (1" + "+1" * 7_000 + " AS ?x) {}",
    "SELECT * { ?s ?p ?o " + "MINUS{?s ?p ?o} " * 3_200 + "}",
    "SELECT * {" + "{} UNION " * 4_000 + "{} }",
])
def test_crash_queries_are_refused_whatever_hides_them(query):
    """Each of these kills the engine's process (stack overflow) if it reaches it."""
    with pytest.raises(Refusal, match=f"the limit is ({MAX_DEPTH}|{MAX_CHAIN}|2,000)"):
        check(query, frozenset())


# ------------------------------------------------------------------------------ kg serve, as a user runs it

#: a seccomp filter that makes unshare(2) fail with EPERM, as Docker's default profile does, then
#: runs the command it is given: a host where the workers cannot leave the network
NO_UNSHARE = r"""
import ctypes, os, sys
class Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
class Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]
code = [(0x20, 0, 0, 4), (0x15, 0, 3, 0xC000003E),  # x86-64 only
        (0x20, 0, 0, 0), (0x15, 0, 1, 272),          # unshare(2)
        (0x06, 0, 0, 0x00050001),                    # -> EPERM
        (0x06, 0, 0, 0x7FFF0000)]                    # everything else runs
instructions = (Filter * len(code))(*[Filter(*c) for c in code])
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(38, 1, 0, 0, 0) == 0  # no new privileges, which a filter needs
assert libc.prctl(22, 2, ctypes.byref(Program(len(code), instructions)), 0, 0) == 0
os.execv(sys.argv[1], sys.argv[1:])
"""
needs_x86 = pytest.mark.skipif(__import__("platform").machine() != "x86_64", reason="the filter is for x86-64")


def _kg() -> str:
    return str(Path(sys.executable).parent / "kg")


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "g.ttl"
    path.write_text('<https://e.org/a> <https://e.org/name> "A" .\n<https://e.org/b> <https://e.org/name> "B" .\n')
    return path


@needs_x86
def test_the_filter_does_deny_unshare():
    probe = "from graph.serve.workers import can_leave_network; print(can_leave_network())"
    done = subprocess.run([sys.executable, "-c", NO_UNSHARE, sys.executable, "-c", probe], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


@needs_x86
def test_serve_refuses_to_start_where_workers_cannot_leave_the_network(small_graph):
    done = subprocess.run([sys.executable, "-c", NO_UNSHARE, _kg(), "serve", "--graph", str(small_graph),
                           "--port", "0", "--workers", "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot be cut off from the network" in lines[0] and "--allow-network-in-queries" in lines[0]


@needs_x86
def test_with_the_flag_the_check_alone_keeps_the_issue_s_variants_in(small_graph, start_server, canary):
    """No second wall (unshare denied, the operator said go on): the 320 bypasses and the
    crash queries still never reach the canary nor a worker's stack."""
    import httpx

    base, stop = start_server([sys.executable, "-c", NO_UNSHARE, _kg(), "serve", "--graph", str(small_graph),
                               "--port", "{port}", "--workers", "2", "--allow-network-in-queries"])
    try:
        statuses = set()
        with httpx.Client(base_url=base, timeout=30) as client:
            for text in issue_variants(canary.port):
                answer = client.post("/sparql", content=text.encode("utf-8"),
                                     headers={"Content-Type": "application/sparql-query"})
                statuses.add(answer.status_code)
            for text in ["SELECT * { # \f '''\n FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }",
                         "SELECT (1" + "+1" * 7_000 + " AS ?x) {}"]:
                answer = client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
                assert answer.status_code == 400, answer.text
            good = client.get("/sparql", params={"query": "SELECT ?n { ?s ?p ?n } ORDER BY ?n"},
                              headers={"Accept": "text/csv"})
        assert canary.hits == 0
        assert statuses <= {400, 403}, statuses
        assert good.text == "n\r\nA\r\nB\r\n"
    finally:
        stop()


def test_engine_and_remote_words_are_never_echoed(small_graph, start_server):
    """With SERVICE allowed by the operator, a closed port and a remote's 413 body stay unsaid."""
    import httpx

    remote = Listener(status="413 Payload Too Large", body=b"SECRET-REMOTE-PAYLOAD from 10.1.2.3:8890",
                      content_type="text/plain")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]  # nothing listens there once this closes
    base, stop = start_server([_kg(), "serve", "--graph", str(small_graph), "--port", "{port}", "--workers", "1",
                               "--allow-service"])
    try:
        for port in (remote.port, closed):
            query = f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
            answer = httpx.post(f"{base}/sparql", content=query, timeout=30,
                                headers={"Content-Type": "application/sparql-query"})
            assert answer.status_code == 502, answer.text
            for word in ("SECRET", "10.1.2.3", str(port), "refused", "os error", "413"):
                assert word not in answer.text, answer.text
    finally:
        stop()
        remote.close()


def test_rdf_xml_is_well_formed_or_refused(small_graph, start_server):
    import httpx
    from xml.dom.minidom import parseString

    base, stop = start_server([_kg(), "serve", "--graph", str(small_graph), "--port", "{port}", "--workers", "1"])
    try:
        def construct(predicate: str):
            query = f"CONSTRUCT {{ ?s <{predicate}> ?n }} WHERE {{ ?s ?p ?n }}"
            return httpx.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "application/rdf+xml"},
                             timeout=30)

        for predicate in ("http://e.org/p/", "http://e.org/p#", "http://e.org/p/1", "http://e.org/p?x="):
            answer = construct(predicate)
            assert answer.status_code == 406, answer.text
            assert f"RDF/XML cannot carry the predicate <{predicate}>" in answer.text
            assert "text/turtle" in answer.text
        answer = construct("http://e.org/p")
        assert answer.status_code == 200
        parseString(answer.content)  # well-formed
        turtle = httpx.get(f"{base}/sparql", params={"query": "CONSTRUCT { ?s <http://e.org/p/> ?n } WHERE { ?s ?p ?n }"},
                           headers={"Accept": "text/turtle"}, timeout=30)
        assert turtle.status_code == 200 and "<http://e.org/p/>" in turtle.text
    finally:
        stop()


# ------------------------------------------------------------------------------ what users write still runs

EX = "http://e.org/"
COMMON = [
    "SELECT ?s ?o WHERE { ?s <http://e.org/p> ?o } ORDER BY ?s ?o",
    "PREFIX e: <http://e.org/> SELECT ?s (COUNT(?o) AS ?n) { ?s e:p ?o } GROUP BY ?s HAVING (COUNT(?o) > 1) ORDER BY DESC(?n)",
    "PREFIX e: <http://e.org/> SELECT * { ?s e:p/e:q* ?o } ORDER BY ?s ?o",
    "PREFIX e: <http://e.org/> SELECT * { ?s ^e:p|!(e:q|^e:r) ?o } ORDER BY ?s ?o",
    "SELECT ?x { VALUES (?x ?y) { (1 2) (UNDEF 'a') } } ORDER BY ?x",
    "SELECT ?l { ?s ?p ?o BIND(STRLEN(STR(?o)) AS ?l) FILTER(?l >= 1 && !(?l > 99) || false) } ORDER BY ?l",
    "SELECT ?o { ?s ?p ?o FILTER(REGEX(STR(?o), '^a', 'i') || LANGMATCHES(LANG(?o), 'en')) } ORDER BY ?o",
    "SELECT ?o { ?s ?p ?o FILTER NOT EXISTS { ?s <http://e.org/q> ?o } MINUS { ?s <http://e.org/r> ?o } } ORDER BY ?o",
    "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 2 } UNION { ?s a ?t } OPTIONAL { ?s <http://e.org/p> ?o } } ORDER BY ?s ?o",
    "SELECT (CONCAT('a', \"b\", '''c\n''', \"\"\"d\"e\"\"\") AS ?x) (COALESCE(?nope, 1) AS ?y) {}",
    "SELECT ('x\\ty\\u00e9\\'z' AS ?s) ('1'^^<http://www.w3.org/2001/XMLSchema#integer> + 2 AS ?n) ('a'@en-GB AS ?l) {}",
    "SELECT (-1.5e3 AS ?d) (.5 AS ?e) (+2 AS ?i) (true AS ?b) {}",
    "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    "SELECT REDUCED ?s { ?s ?p [ ?q ?r ] } ORDER BY ?s",
    "ASK { ?s ?p ?o . }",
    "CONSTRUCT { ?s <http://e.org/copy> ?o } WHERE { ?s <http://e.org/p> ?o }",
    "CONSTRUCT WHERE { ?s <http://e.org/p> ?o }",
    "DESCRIBE <http://e.org/a>",
    "PREFIX : <http://e.org/>\nSELECT ?o # trailing comment with SERVICE\r\nWHERE { :a :p ?o ; :q ?x . } LIMIT 5 OFFSET 0",
    "SELECT (GROUP_CONCAT(?o; separator=' | ') AS ?all) (SAMPLE(?o) AS ?one) { ?s <http://e.org/p> ?o }",
    "SELECT (IF(BOUND(?x), 1, 0) AS ?b) (SUBSTR('abc', 2) AS ?c) (REPLACE('a(b', '\\\\(', '') AS ?r) {}",
    "SELECT ?s { ?s ?p ?o FILTER(?o IN (1, 2, 'a') && ?o NOT IN (3)) } ORDER BY ?s",
    "SELECT ?s { ?s <http://e.org/list> (1 2 ()) }",
    "select * where { ?s a <http://e.org/T> ; <http://e.org/p> ?o , ?o2 . } order by ?s ?o ?o2",
    "SELECT (SHA256('a') AS ?h) (MD5('a') AS ?m) (SHA1('a') AS ?s) (isIRI(<urn:x>) AS ?i) (YEAR(NOW()) > 2000 AS ?y) {}",
]


@pytest.fixture(scope="module")
def common_store() -> ox.Store:
    store = ox.Store()
    data = f"""
        <{EX}a> <{EX}p> "abc"@en , <{EX}b> , 2 ; <{EX}q> <{EX}c> ; a <{EX}T> .
        <{EX}b> <{EX}p> "a(b" ; <{EX}r> "x" ; <{EX}q> <{EX}a> .
        <{EX}c> <{EX}p> [ <{EX}p> 1 ] .
    """
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    store.load(f'<{EX}a> <{EX}p> "in g" <{EX}g> .'.encode(), format=ox.RdfFormat.N_QUADS)
    return store


def _rows(store: ox.Store, text: str):
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        return [[str(term) for term in row] for row in result]
    return sorted(str(t) for t in result)


@pytest.mark.parametrize("query", COMMON)
def test_what_users_write_runs_and_gives_the_engine_s_own_rows(common_store, query):
    written = check(query, frozenset()).text
    assert _rows(common_store, written) == _rows(common_store, query)
