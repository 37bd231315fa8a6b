"""Time ``kg site`` on the ``data/`` build, check its page sizes, and time the search page in Chromium.

What is measured, in one run:

- ``read``: opening the built graph and projecting it (the floor any page generator pays);
- ``site``: :func:`graph.outputs.site.write_site`, everything included, and its parts: reading the
  graph into :class:`graph.outputs.site.Site`, making every page, writing the files;
- ``write floor``: writing the same bytes to the same number of files, nothing else;
- ``naive``: the obvious generator's queries alone, two SPARQL queries per entity (its
  triples, and the facts that name it), timed on a sample and extrapolated (the baseline);
- the number of pages, the largest entity page and the total size (target: every entity
  page at most 200 KB);
- the search page in headless Chromium (Debian's ``/usr/bin/chromium``, every outside request
  refused): milliseconds from navigation to the index parsed and searchable (target < 1 s).

Medians of ``--repeats`` runs. The graph is built first unless ``--graph`` names one.

    .venv/bin/python benchmarks/site.py                        # builds data/ into a temporary folder
    .venv/bin/python benchmarks/site.py --graph out/graph.trig --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent



def median_time(func, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def naive_per_page(graph, entities: list[str], sample: int) -> float:
    """Seconds per entity for one SPARQL query per entity plus one per relationship it is in."""
    chosen = entities[:: max(1, len(entities) // sample)][:sample]
    start = time.perf_counter()
    for iri in chosen:
        rows = list(graph.query(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"))
        facts = list(graph.query(f"SELECT ?f ?p ?o WHERE {{ ?f ?x <{iri}> . ?f ?p ?o }}"))
        assert rows is not None and facts is not None
    return (time.perf_counter() - start) / len(chosen)


def search_page_ms(index: Path, repeats: int) -> list[int]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    refused = []
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(repeats):
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else (refused.append(route.request.url), route.abort()))
            page.goto(index.as_uri())
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            times.append(int(page.get_attribute("body", "data-ready-ms")))
            page.close()
        browser.close()
    assert not refused, f"the search page asked for {refused}"
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="a built graph (default: build data/ first)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--sample", type=int, default=200, help="entities timed for the naive baseline")
    args = parser.parse_args()

    from graph import build, open_graph
    from graph.network import project
    from graph.outputs.site import write_site

    with tempfile.TemporaryDirectory() as tmp:
        graph_file = args.graph
        if graph_file is None:
            build([ROOT / "data"], Path(tmp) / "out")
            graph_file = Path(tmp) / "out" / "graph.trig"
        read, G = median_time(lambda: project(open_graph(graph_file)), args.repeats)
        out = Path(tmp) / "site"
        site, report = median_time(lambda: write_site(open_graph(graph_file), out, data=ROOT / "data"), args.repeats)
        entity_pages = [p for p in out.rglob("*.html") if p.name != "index.html"]
        from graph.outputs.site import Site

        init, site_obj = median_time(lambda: Site(open_graph(graph_file), data=ROOT / "data"), args.repeats)
        paths = list(site_obj.paths())
        make, bodies = median_time(lambda: [site_obj.page(p).encode("utf-8") for p in paths], args.repeats)
        floor_dir = Path(tmp) / "floor"

        def write_floor():
            for i, body in enumerate(bodies):
                target = floor_dir / f"{i // 500}" / f"{i}.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(body)

        floor, _ = median_time(write_floor, args.repeats)
        largest = max(entity_pages, key=lambda p: p.stat().st_size)
        naive = naive_per_page(open_graph(graph_file), sorted(G), args.sample) * G.number_of_nodes()
        ms = search_page_ms(out / "index.html", max(3, args.repeats))
        print(f"graph: {graph_file} ({G.number_of_nodes():,} entities)")
        print(f"read + project      {read:8.2f} s")
        print(f"kg site             {site:8.2f} s   ({report.pages:,} pages, {report.total_bytes / 1e6:.1f} MB; "
              f"{site / read:.1f}x the read)")
        print(f"  of which: Site()  {init:8.2f} s, pages {make:.2f} s ({make / len(paths) * 1e3:.2f} ms each), "
              f"writing the rest")
        print(f"write floor         {floor:8.2f} s   (the same bytes into {len(paths):,} files)")
        print(f"naive, extrapolated {naive:8.2f} s   (its queries alone: two SPARQL queries per entity, no page; "
              f"{naive / (init + make):.1f}x Site() + every page)")
        print(f"largest entity page {largest.stat().st_size / 1e3:8.1f} KB ({largest.relative_to(out)}); "
              f"search page {(out / 'index.html').stat().st_size / 1e3:.0f} KB")
        print(f"search index ready  {statistics.median(ms):8d} ms median in Chromium (runs: {ms})")


if __name__ == "__main__":
    main()
