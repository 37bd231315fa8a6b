"""Take the README's screenshot of a page written by ``kg render``, offline, in headless Chromium.

    .venv/bin/python docs/img/screenshot.py out/graph.html docs/img/seed-graph.png --hover-edge SenseTime Qualcomm

With ``--search NAME`` the entity NAME is chosen in the search box first (centred, its
neighbourhood highlighted). With ``--hover-edge A B`` the tooltip of the relationship between the entities labelled A and B
(its sources and quotes) is open in the picture; with ``--hover-node A``, the tooltip of A.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

FIND_NODE = """(label) => {
    const node = kgNetwork.body.data.nodes.get().find(n => n.label === label);
    if (!node) { return null; }
    const d = kgNetwork.canvasToDOM(kgNetwork.getPositions([node.id])[node.id]);
    const box = document.getElementById('graph').getBoundingClientRect();
    return {x: d.x + box.left, y: d.y + box.top};
}"""

FIND_EDGE = """([a, b]) => {
    const nodes = kgNetwork.body.data.nodes.get();
    const id = label => nodes.find(n => n.label === label).id;
    const [u, v] = [id(a), id(b)];
    const edge = kgNetwork.body.data.edges.get().find(e =>
        (e.from === u && e.to === v) || (e.from === v && e.to === u)).id;
    const pos = kgNetwork.getPositions([u, v]);
    const box = document.getElementById('graph').getBoundingClientRect();
    for (let i = 1; i < 200; i++) {
        for (const side of [0, 1, -1, 2, -2, 4, -4, 8, -8]) {
            const t = 0.5 + ((i % 2 ? 1 : -1) * Math.floor(i / 2)) / 200;
            const c = {x: pos[u].x + t * (pos[v].x - pos[u].x), y: pos[u].y + t * (pos[v].y - pos[u].y)};
            const d = kgNetwork.canvasToDOM(c);
            const p = {x: d.x, y: d.y + side};
            if (kgNetwork.getEdgeAt(p) === edge && kgNetwork.getNodeAt(p) === undefined) {
                return {x: p.x + box.left, y: p.y + box.top};
            }
        }
    }
    return null;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--size", default="1400x860")
    parser.add_argument("--hover-edge", nargs=2, metavar=("A", "B"))
    parser.add_argument("--hover-node", metavar="A")
    parser.add_argument("--search", metavar="NAME", help="choose NAME in the search box first")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page.goto(args.page.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        if args.search:
            page.fill("#search", args.search)
            page.keyboard.press("Enter")
        if args.hover_edge or args.hover_node:
            if args.hover_edge:
                point = page.evaluate(FIND_EDGE, args.hover_edge)
            else:
                point = page.evaluate(FIND_NODE, args.hover_node)
            if point is None:
                raise SystemExit(f"nothing to hover: {args.hover_edge or args.hover_node!r} is not drawn")
            page.mouse.move(point["x"], point["y"])
            page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png))
        browser.close()


if __name__ == "__main__":
    main()
