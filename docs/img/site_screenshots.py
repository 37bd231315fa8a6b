"""Take docs/html.md's screenshots of ``kg site``'s pages and of ``kg serve``'s query page.

    .venv/bin/python docs/img/site_screenshots.py out/site            # entity and source pages
    .venv/bin/python docs/img/site_screenshots.py out/site --query http://127.0.0.1:8000/

Every request outside the site (or the given server) is refused, as in the tests.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", metavar="URL", help="a running kg serve, for the query page")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    allowed = ("file:", "data:") + ((args.query,) if args.query else ())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(allowed) else r.abort())
        page.goto((args.site / "org" / "sensetime.html").resolve().as_uri())
        page.screenshot(path=str(HERE / "site-entity.png"))
        page.get_by_text("“SenseTime est partenaire de Qualcomm”", exact=True).first.click()
        page.wait_for_timeout(200)
        page.evaluate("() => window.scrollBy(0, -220)")
        page.screenshot(path=str(HERE / "site-source.png"))
        if args.query:
            page.goto(args.query + "?name=measures-targeting&param.company=Hikvision")
            page.wait_for_selector("body[data-rows]", timeout=30_000)
            page.screenshot(path=str(HERE / "query.png"))
        browser.close()


if __name__ == "__main__":
    main()
