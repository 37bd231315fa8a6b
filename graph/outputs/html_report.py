"""Self-contained HTML reports (screening, diffs): one file, no script, no request, strict CSP.

Private: :mod:`graph.screening.screen` and :mod:`graph.screening.diff` write their pages with it. Every piece of
text goes through :func:`esc`; the only style is inline and allowed by its hash, so the page
opens offline and a name cannot inject markup, script or a fetch.

>>> "<script>" in document("t", "<p>" + esc("<script>") + "</p>")
False
"""

from __future__ import annotations

import base64
import hashlib
import html

__all__ = ["document", "esc", "table"]

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
figure.map { margin: .5em 0; } figure.map svg { max-width: 100%; height: auto; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.listed { background: #fde2e2; } .restricted { background: #fdeccf; } .exposed { background: #fff6cc; }
.none { color: #777; } .small { font-size: .9em; color: #444; }
ul { margin: .2em 0; padding-left: 1.2em; }
"""


def esc(value: object) -> str:
    """Text as HTML, quotes included (None is empty), control and direction characters written visibly."""
    from graph.io.tables import shown

    return "" if value is None else html.escape(shown(str(value)), quote=True)


def table(header: list[str], rows: list[list[str]], *, classes: list[str] | None = None) -> str:
    """A table of already escaped cells; ``classes`` gives each row's class (escaped here)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{esc(classes[i])}"' if classes and classes[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def document(title: str, body: str) -> str:
    """A whole page: ``body`` (escaped markup) under ``title``, with a CSP that allows only its style."""
    digest = base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; form-action 'none'; base-uri 'none'"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{esc(title)}</h1>\n{body}\n</body>\n</html>\n")
