"""The static site: entity, measure, fact and source pages, the search page, and kg serve's copy.

The seed article's own build (``article_out``) gives the pages a user checks first: SenseTime
with its listing and its Qualcomm partnership, each next to the article's sentence, and the
article with that sentence highlighted. Small graphs written here test escaping and quoting
offsets. The last part opens the pages in headless Chromium with every outside request
refused and counted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Dataset, Literal
from rdflib.namespace import DCTERMS, SKOS, XSD

from graph.cli import main
from graph.model.ontology import KG, KGR
from graph.outputs.site import Site, page_path, write_site

DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> \"Q\" 'S' </script>"
TEXT = "Acme Corp est partenaire de Bolt Inc depuis 2019. Rien d'autre.\n"


def small_graph(name: str = "Acme Corp") -> tuple[Dataset, str]:
    """Two partners, one listed, and the sentence that says so at its offsets in TEXT."""
    g = Dataset()
    acme, bolt, rel = KGR["org/acme"], KGR["org/bolt"], KGR["partnership/acme-bolt"]
    source, ev, measure = KGR["source/note"], KGR["evidence/note/1"], KGR["measure/ban"]
    for node, label in ((acme, name), (bolt, "Bolt Inc")):
        g.add((node, RDF.type, KG.Company))
        g.add((node, RDFS.label, Literal(label)))
    g.add((acme, SKOS.altLabel, Literal("ACME")))
    g.add((acme, KG.identifier, Literal("LEI 0000TEST")))
    g.add((rel, RDF.type, KG.Partnership))
    g.add((rel, KG.partner, acme))
    g.add((rel, KG.partner, bolt))
    g.add((rel, KG.evidence, ev))
    g.add((measure, RDF.type, KG.Measure))
    g.add((measure, RDFS.label, Literal("A ban")))
    g.add((measure, KG.targets, acme))
    g.add((measure, KG.legalBasis, Literal("99 FR 1")))
    sentence = "Acme Corp est partenaire de Bolt Inc"
    start = TEXT.index(sentence)
    g.add((ev, RDF.type, KG.Evidence))
    g.add((ev, KG.source, source))
    g.add((ev, KG.quote, Literal(sentence)))
    g.add((ev, KG.charStart, Literal(start, datatype=XSD.integer)))
    g.add((ev, KG.charEnd, Literal(start + len(sentence), datatype=XSD.integer)))
    g.add((source, RDF.type, KG.Source))
    g.add((source, DCTERMS.title, Literal(name + " news")))
    g.add((source, KG.file, Literal("articles/note.txt")))
    g.add((source, KG.sha256, Literal(hashlib.sha256(TEXT.encode("utf-8")).hexdigest())))
    return g, sentence


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "data"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "note.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_page_paths_follow_the_iris():
    assert page_path(str(KGR["org/sensetime"])) == "org/sensetime.html"
    assert page_path(str(KGR["measure/1260h-list/identified-2021-06-03"])) == "measure/1260h-list/identified-2021-06-03.html"
    long = page_path(str(KGR["org/" + "x" * 300]))
    assert len(long.rsplit("/", 1)[-1]) < 120
    assert page_path(str(KGR["org/../../etc/passwd"])) == "org/etc/passwd.html"  # never outside the site
    assert page_path("https://example.org/a").startswith("other/")


def test_entity_page_has_names_listing_relationship_and_evidence(texts):
    g, sentence = small_graph()
    site = Site(g, data=texts)
    page = site.page("org/acme.html")
    for text in ("Acme Corp", "ACME", "LEI 0000TEST", "A ban", "99 FR 1", "partner", "Bolt Inc", sentence):
        assert text in page, text
    # the quote links to its place in the source's text, the other end to its own page
    assert re.search(r'<a class="quote" href="\.\./source/note\.html#f-[0-9a-f]{12}">', page)
    assert 'href="../org/bolt.html"' in page and 'href="../measure/ban.html"' in page


def test_one_quote_shows_once_with_every_method_and_the_most_specific_class(texts):
    g, sentence = small_graph()
    acme, rel, ev = KGR["org/acme"], KGR["partnership/acme-bolt"], KGR["evidence/note/1"]
    g.add((acme, RDF.type, KG.Organization))  # what a build adds: the superclasses of Company
    g.add((acme, RDF.type, KG.Agent))
    g.add((ev, KG.method, Literal("curated")))
    twin = KGR["evidence/note/2"]  # the extractor found the same sentence
    for p, o in g.predicate_objects(ev):
        g.add((twin, p, o))
    g.remove((twin, KG.method, Literal("curated")))
    g.add((twin, KG.method, Literal("extracted")))
    g.add((rel, KG.evidence, twin))
    page = Site(g, data=texts).page("org/acme.html")
    facts = page[page.index('id="relationships"'):]
    assert facts.count(f"“{sentence}”") == 1
    assert "method curated" in facts and "method extracted" in facts
    assert re.search(r'<p class="kind">Company( <span|</p>)', page), re.findall(r'<p class="kind">.*?</p>', page)


def test_source_page_highlights_each_quote_at_its_offsets_and_links_its_fact(texts):
    g, sentence = small_graph()
    page = Site(g, data=texts).page("source/note.html")
    mark = re.search(r'<mark id="(f-[0-9a-f]{12})">(.*?)<a class="ref" href="([^"]+)"', page)
    assert mark and mark.group(2) == sentence
    assert mark.group(3) == "../partnership/acme-bolt.html"  # the fact the quote states
    assert "Rien d&#x27;autre." in page  # the rest of the text, escaped, unmarked


def test_source_text_changed_since_the_build_is_not_marked(texts):
    g, _ = small_graph()
    (texts / "articles" / "note.txt").write_text(TEXT.replace("Acme", "Acne"), encoding="utf-8")
    page = Site(g, data=texts).page("source/note.html")
    assert "<mark" not in page and "has changed since the build" in page


def test_hostile_names_are_escaped_on_every_page(texts):
    g, _ = small_graph(HOSTILE)
    site = Site(g, data=texts)
    for path in site.paths():
        page = site.page(path)
        assert HOSTILE not in page, path
        assert not re.search(r"<img\b", page, re.I), path
        assert len(re.findall(r"<script\b", page, re.I)) == (2 if path == "index.html" else 0), path


def test_no_page_loads_anything_from_elsewhere(texts):
    g, _ = small_graph()
    site = Site(g, data=texts)
    for path in site.paths():
        page = site.page(path)
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
        assert policy and "default-src &#x27;none&#x27;" in policy.group(1), path
        assert not re.search(r'\b(src|href)="(https?:)?//', page), path


def test_write_site_is_deterministic_and_replaces_the_folder(tmp_path, texts):
    g, _ = small_graph()
    out = tmp_path / "site"
    (out / "stale").mkdir(parents=True)
    (out / "stale" / "old.html").write_text("from an older build")
    report = write_site(g, out, data=texts)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["index.html", "measure/ban.html", "org/acme.html", "org/bolt.html",
                     "partnership/acme-bolt.html", "source/note.html"]
    assert report.pages == len(files)
    first = {f: (out / f).read_bytes() for f in files}
    write_site(g, out, data=texts)
    assert {f: (out / f).read_bytes() for f in files} == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # no temporary left


@pytest.fixture(scope="module")
def article_site(article_out, tmp_path_factory):
    """The site of the seed article's build, written by the command."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["site", "--graph", str(article_out / "graph.trig"), "--out", str(out),
                                       "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "pages" in result.output
    return out


def test_sensetime_page_has_its_listing_and_the_qualcomm_partnership_with_its_sentence(article_site):
    page = (article_site / "org" / "sensetime.html").read_text(encoding="utf-8")
    listings = page[page.index('id="listings"'):page.index('id="relationships"')]
    assert "Entity List addition of October 2019" in listings and "<th>announced</th><td>2019-10-07</td>" in listings
    ties = page[page.index('id="relationships"'):page.index('id="exposure"')]
    qualcomm = next(item for item in ties.split("<li ") if "Qualcomm</a>" in item and "partner" in item)
    assert "“SenseTime est partenaire de Qualcomm”" in qualcomm
    assert 'href="../source/lesechos-2019-10-08.html#f-' in qualcomm
    assert "<svg" in page[page.index('id="neighbourhood"'):]  # drawn, in kg render's colours


def test_every_page_of_the_seed_article_is_small_and_its_links_resolve(article_site):
    pages = sorted(article_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert len(text.encode("utf-8")) <= 200_000, path
        for target in re.findall(r'href="([^"#?]+)', text):
            if target.startswith(("https://", "http://")):
                continue  # a source's own address, cited beside its evidence (below)
            assert (path.parent / target).resolve().is_file(), f"{path}: {target}"
        # the only links out are sources' addresses, opened without sending the page's address
        for tag in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', text):
            assert 'rel="noreferrer noopener"' in tag, f"{path}: {tag}"


def test_article_page_marks_the_quotes_at_their_offsets(article_site):
    text = (DATA / "articles" / "lesechos-2019-10-08.txt").read_text(encoding="utf-8")
    page = (article_site / "source" / "lesechos-2019-10-08.html").read_text(encoding="utf-8")
    body = page[page.index('<div class="text">') + len('<div class="text">'):page.index("</div>", page.index('<div class="text">'))]
    # with the marks and their numbers taken out, the text is the stored text, byte for byte
    plain = re.sub(r'<a class="ref"[^>]*>\d+</a>', "", body)
    plain = re.sub(r"</?mark[^>]*>", "", plain)
    import html as htmllib
    assert htmllib.unescape(plain) == text
    assert page.count("<mark ") > 20


def test_kg_serve_serves_the_same_pages_under_entity(article_out, article_site, monkeypatch):
    from starlette.testclient import TestClient

    from graph.serve.app import Settings, create_app

    monkeypatch.chdir(DATA.parent)  # kg serve reads the articles' texts from ./data
    with TestClient(create_app(article_out / "graph.trig", Settings(workers=1)), base_url="http://127.0.0.1") as client:
        for url, file in (("/entity/org/sensetime", "org/sensetime.html"),
                          ("/entity/org/sensetime.html", "org/sensetime.html"),
                          ("/entity/", "index.html"),
                          ("/entity/source/lesechos-2019-10-08", "source/lesechos-2019-10-08.html")):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content == (article_site / file).read_bytes(), url
            assert response.headers["x-content-type-options"] == "nosniff"
        assert client.get("/entity/org/no-such-firm").status_code == 404
        assert client.get("/entity/../graph.trig").status_code == 404


# -- in a browser ------------------------------------------------------------------------
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions"]


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright's Python package is not installed (pip install '.[test]')"
    else:
        reason = None if (shutil.which(CHROMIUM) or os.path.isfile(CHROMIUM)) else f"no Chromium at {CHROMIUM}"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class Visit:
    """One page opened offline: outside requests refused and counted, errors and dialogs kept."""

    def __init__(self, browser, url: str):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(url)

    def _route(self, route):
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def assert_clean(self):
        assert self.requests == [], f"the page tried to fetch {self.requests}"
        assert self.console == [], self.console
        assert self.dialogs == []
        assert self.page.evaluate("() => window.__pwned") is None


@pytest.mark.browser
def test_sensetime_quote_leads_to_the_highlighted_sentence(browser, article_site):
    visit = Visit(browser, (article_site / "org" / "sensetime.html").as_uri())
    page = visit.page
    assert "Entity List" in page.inner_text("#listings + ol")
    tie = page.locator("li.tie").filter(has=page.locator("p", has_text=re.compile(r"^partner with Qualcomm$")))
    quote = tie.get_by_text("“SenseTime est partenaire de Qualcomm”", exact=True)
    quote.click()
    page.wait_for_url(re.compile(r"source/lesechos-2019-10-08\.html#f-"))
    target = page.evaluate("""() => {
        const m = document.querySelector('mark:target');
        return m && {text: m.textContent, background: getComputedStyle(m).backgroundColor,
                     visible: m.getBoundingClientRect().bottom > 0 && m.getBoundingClientRect().top < innerHeight};
    }""")
    assert target and re.sub(r"\d+$", "", target["text"]) == "SenseTime est partenaire de Qualcomm"
    assert target["background"] == "rgb(255, 176, 0)" and target["visible"]
    # and the sentence's number leads back to the fact it states
    page.locator("mark:target > a.ref").last.click()
    assert "partnership" in page.url and "Qualcomm" in page.inner_text("main")
    visit.assert_clean()


@pytest.mark.browser
def test_search_page_finds_an_entity_by_alias_and_opens_its_page(browser, article_site):
    visit = Visit(browser, (article_site / "index.html").as_uri())
    page = visit.page
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#q", "sense time")
    first = page.locator("#results li a").first
    assert first.inner_text() == "SenseTime"
    first.click()
    assert page.url.endswith("org/sensetime.html")
    # the search box of every page sends its words to the search page
    page.fill("nav input[name=q]", "Qualcomm")
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#results li a").first.inner_text() == "Qualcomm"
    visit.assert_clean()


def test_search_index_carries_the_matchers_keys(article_site):
    """The page cannot run Python: each row carries its names' keys, which the page's script
    scores as graph.resolve.matching.search_score does (tests/test_matching.py holds the rule)."""
    from graph.resolve.matching import THRESHOLDS, search_keys, search_score

    html = (article_site / "index.html").read_text(encoding="utf-8")
    block = html.split('id="index"', 1)[1]
    assert f'data-review="{THRESHOLDS.review}"' in block.split(">", 1)[0]
    rows = json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
    [hikvision] = [r for r in rows if r[1] == "Hikvision"]
    assert set(search_keys("Hikvision")) <= set(hikvision[6])
    assert search_score("Hikvison", hikvision[6]) >= THRESHOLDS.review
    assert not [r[1] for r in rows if search_score("Hikvison", r[6]) >= THRESHOLDS.review and r is not hikvision]


@pytest.mark.browser
@pytest.mark.parametrize("typed", ["Hikvison", "hikvisoin", "HIKVISIAN"])
def test_search_page_finds_a_misspelt_name(browser, article_site, typed):
    visit = Visit(browser, (article_site / "index.html").as_uri())
    page = visit.page
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#q", typed)
    first = page.locator("#results li").first
    assert first.locator("a").inner_text() == "Hikvision"
    assert "spelled alike (0.8" in first.locator("small").inner_text()
    page.fill("#q", "Hkvsn")  # four letters dropped from nine: nothing
    assert page.locator("#results li").count() == 0
    visit.assert_clean()


@pytest.mark.browser
def test_hostile_names_run_nothing_on_any_page(browser, tmp_path, texts):
    g, _ = small_graph(HOSTILE)
    out = tmp_path / "site"
    write_site(g, out, data=texts)
    for path in sorted(out.rglob("*.html")):
        visit = Visit(browser, path.as_uri())
        visit.page.wait_for_load_state("load")
        if path.name == "index.html":
            visit.page.fill("#q", "script")
            assert visit.page.locator("#results li a").first.inner_text() == HOSTILE
        assert visit.page.evaluate("() => document.querySelectorAll('img').length") == 0
        visit.assert_clean()
        visit.page.close()


# -- kg serve's query page ------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(article_out, tmp_path_factory):
    """``kg serve`` of the seed article in its own process, on a loopback port, from the repository."""
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    kg = Path(sys.executable).parent / "kg"
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as stream:
        process = subprocess.Popen([str(kg), "serve", "--graph", str(article_out / "graph.trig"), "--port", str(port),
                                    "--workers", "1"], stdout=stream, stderr=subprocess.STDOUT, cwd=DATA.parent)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"kg serve exited: {log.read_text()}")
                time.sleep(0.1)
        else:
            pytest.fail(f"kg serve did not listen within 30 s: {log.read_text()}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(10)


class ServedVisit(Visit):
    """A page of the local server: its own origin allowed, every other request refused and counted."""

    def __init__(self, browser, url: str, origin: str):
        self.origin = origin
        super().__init__(browser, url)

    def _route(self, route):
        if route.request.url.startswith(self.origin):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()


@pytest.mark.browser
def test_query_page_fills_a_named_querys_parameter_and_shows_a_table(browser, served):
    visit = ServedVisit(browser, served, served)
    page = visit.page
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#named", "measures-targeting")
    assert "PREFIX kg:" in page.input_value("#query")
    page.fill("#params input[name=company]", "sensetime")
    page.click("#run")
    page.wait_for_selector("body[data-rows]")
    headers = page.locator("#results th").all_inner_texts()
    assert headers[:2] == ["?target", "?targetName"]
    names = page.locator("#results tbody td:nth-child(2)").all_inner_texts()
    assert names and set(names) == {"SenseTime"}
    # the IRIs link to the entity pages, which the same server serves
    link = page.locator("#results tbody td:first-child a").first
    assert link.get_attribute("href") == "entity/org/sensetime"
    # the link that reproduces the query runs it again from the address alone
    permalink = page.get_attribute("#permalink", "href")
    assert "name=measures-targeting" in permalink and "param.company=sensetime" in permalink
    again = ServedVisit(browser, served + permalink, served)
    again.page.wait_for_selector("body[data-rows]")
    assert again.page.locator("#results tbody tr").count() == len(names)
    assert again.page.input_value("#params input[name=company]") == "sensetime"
    csv = page.get_attribute("#csv", "href")
    assert csv.startswith("sparql?") and "format=csv" in csv
    link.click()
    page.wait_for_url(served + "entity/org/sensetime")
    assert page.inner_text("h1") == "SenseTime"
    visit.assert_clean()
    again.assert_clean()


@pytest.mark.browser
def test_query_page_shows_a_hostile_value_as_text_and_an_error_as_text(browser, served):
    visit = ServedVisit(browser, served, served)
    page = visit.page
    page.wait_for_selector("body[data-ready=true]")
    hostile = '<img src=x onerror="window.__pwned=2"><script>window.__pwned=1</script>'
    page.fill("#query", 'SELECT ?x WHERE { BIND ("%s" AS ?x) }' % hostile.replace('"', '\\"'))
    page.click("#run")
    page.wait_for_selector("body[data-rows]")
    assert page.inner_text("#results tbody td") == hostile
    assert page.evaluate("() => document.querySelectorAll('#results img, #results script').length") == 0
    visit.assert_clean()
    page.fill("#query", "SELECT WHERE {")
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert "Error 400" in page.inner_text("#status")


# -- evidence where it belongs, on the data/ build ------------------------------------------------
@pytest.fixture(scope="module")
def data_site(seed_graph):
    return Site(seed_graph, data=DATA)


def _rows_of(file: str) -> dict[int, list[str]]:
    """A table's rows by the number a spreadsheet shows (the header is row 1)."""
    import csv

    path = DATA / file
    with path.open(encoding="utf-8", newline="") as handle:
        return dict(enumerate(csv.reader(handle, delimiter="\t" if path.suffix == ".tsv" else ","), start=1))


def test_an_entity_page_cites_only_the_list_rows_that_name_it(data_site):
    page = data_site.page(page_path(str(KGR["org/hikvision"])))
    file = "lists/opensanctions_us_special_leg_section_889.csv"
    rows = _rows_of(file)
    cited = [int(n) for n in re.findall(re.escape(f"{file}</code> row ") + r"(\d+)", page)]
    assert cited, "Hikvision's page cites its Section 889 row"
    for number in cited:
        assert "hikvision" in rows[number][1].lower(), (number, rows[number])
    # the measure's own page still has every row, its other targets' among them
    [measure] = [m for m in data_site.G.nodes[str(KGR["org/hikvision"])]["measures"] if "section-889" in m]
    measure_page = data_site.page(page_path(measure))
    named = {rows[int(n)][1] for n in re.findall(re.escape(f"{file}</code> row ") + r"(\d+)", measure_page)}
    assert {"Dahua Technology Company", "Hangzhou Hikvision Digital Technology Company"} <= named


def test_a_curated_tie_shows_its_url_and_basis_as_the_command_line_does(data_site):
    page = data_site.page(page_path(str(KGR["org/hikvision"])))
    file = "relationships/suppliers.tsv"
    rows = _rows_of(file)
    cited = sorted({int(n) for n in re.findall(re.escape(f"{file}</code> row ") + r"(\d+)", page)})
    assert cited
    for number in cited:
        supplier, customer, relation, year, source, basis, strength = rows[number]
        assert "Hikvision" in supplier + customer  # or an alias: "Hikvision Research Institute"
        url = source.split(" ", 1)[0]
        assert f'<code class="url">{url}</code>' in page and basis.replace("'", "&#x27;") in page, number


def test_a_sentence_quoted_with_or_without_its_full_stop_shows_once_at_its_line(data_site):
    import html

    page = data_site.page(page_path(str(KGR["org/hikvision"])))
    file = "articles/lesechos-2019-10-08.txt"
    text = (DATA / file).read_text(encoding="utf-8")
    merged = 0
    for evidence in re.findall(r'<ul class="evidence">(.*?)</ul>', page, re.S):
        items = re.findall(r"<li><blockquote>.*?“(.*?)”.*?</blockquote><span class=\"small\">(.*?)</span></li>",
                           evidence, re.S)
        quotes = [html.unescape(q) for q, _said in items]
        # a curator's quote and the extractor's (with the full stop) of one sentence: one item
        assert len({q.rstrip(".") for q in quotes}) == len(quotes), quotes
        for quote, said in zip(quotes, (s for _q, s in items)):
            merged += "method curated" in said and "method extracted" in said
            line = re.search(re.escape(f"{file}</code> line ") + r"(\d+)", said)
            assert line, said
            starts = [i for i in range(len(text)) if text.startswith(quote, i)]
            assert int(line.group(1)) in {text.count("\n", 0, i) + 1 for i in starts}, (quote, line.group(1))
    assert merged >= 2, "the seed's curated and extracted quotes of one sentence share an item"
    # a measure's kind is its most specific class, as an entity's is
    kinds = re.findall(r"<tr><th>measure</th><td>(.*?)</td></tr>", page)
    assert "Procurement ban" in kinds and "Export-control listing" in kinds
    assert not any("Measure" in k.split(", ") and k != "Measure" for k in kinds), kinds


def test_a_source_page_lists_rows_in_number_order(data_site):
    page = data_site.page(page_path(str(KGR["source/relationships-suppliers"])))
    numbers = [int(n) for n in re.findall(r'<span class="small">(?:[^<]*)row (\d+)</span>', page)]
    assert len(numbers) > 10 and numbers == sorted(numbers) and numbers[0] == 2


def test_control_and_direction_characters_are_marked_on_pages():
    from rdflib import RDF, Graph, Literal
    from rdflib.namespace import RDFS

    from graph.model.ontology import KG, KGR

    g = Graph()
    g.add((KGR["org/acme"], RDF.type, KG.Agent))
    g.add((KGR["org/acme"], RDFS.label, Literal("Acme\u202eexe.txt\x1b[2J")))
    page = Site(g).page("org/acme.html")
    assert "\u202e" not in page and "\x1b" not in page
    assert "Acme\\u202eexe.txt\\x1b[2J" in page


def test_pages_say_which_dates_are_assumed_and_which_measures_are_only_proposed(article_site):
    """graph.dates on the pages: an undated tie holds from its source's date, a bill lists nobody."""
    page = (article_site / "org" / "sensetime.html").read_text(encoding="utf-8")
    ties = page[page.index('id="relationships"'):page.index('id="exposure"')]
    qualcomm = next(item for item in ties.split("<li ") if "Qualcomm</a>" in item and "partner" in item)
    assert "<th>holds from</th><td>2019-10-08 (assumed: the earliest source&#x27;s date; date not stated)</td>" in qualcomm
    [bill] = [p for p in (article_site / "measure").rglob("*.html") if "senate" in p.name]
    text = bill.read_text(encoding="utf-8")
    assert "<th>in force</th><td>proposed (adopted by the Senate): not in force</td>" in text
    government = next(p for p in (article_site / "org").rglob("*.html") if "chinese-government" in p.name)
    assert '<span class="badge">listed</span>' not in government.read_text(encoding="utf-8")


@pytest.mark.browser
def test_query_page_runs_a_pasted_kgr_iri_and_points_errors_at_the_users_line(browser, served):
    visit = ServedVisit(browser, served, served)
    page = visit.page
    page.wait_for_selector("body[data-ready=true]")
    # an IRI as the result table shows it, pasted as it is
    page.fill("#query", "SELECT ?name WHERE {\n  kgr:org/sensetime rdfs:label ?name .\n}")
    page.click("#run")
    page.wait_for_selector("body[data-rows]")
    assert page.locator("#results tbody td").all_inner_texts() == ["SenseTime"]
    visit.assert_clean()
    # a mistake on the user's second line, after a pasted IRI: reported there, not lines below
    page.fill("#query", "SELECT ?p WHERE {\n  kgr:org/sensetime ?p FILTER( }")
    page.click("#run")
    page.wait_for_selector("#status.error")
    status = page.inner_text("#status")
    # the endpoint's parser puts the mistake on the user's second line, not on a line counted
    # with the PREFIX lines the page adds, and within that line
    line, column = re.search(r"at (\d+):(\d+)", status).groups()
    assert line == "2" and 1 <= int(column) <= len("  kgr:org/sensetime ?p FILTER( }") + 1, status
