r"""The views' assets: the package's templates, and scripts inlined safely in a page.

Every page is one file with its scripts inlined: data travels as JSON in a
``<script type="application/json">`` element (:func:`script_json`, which no name can end early),
and each inline script is allowed by its hash in the page's Content-Security-Policy
(:func:`script_hash`).

Examples
--------
>>> script_json({"name": "</script><!--"})
'{"name":"\\u003c/script\\u003e\\u003c!--"}'
>>> script_hash("")
"'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
>>> "<html" in template("graph.html")
True
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources

__all__ = ["template", "script_json", "script_hash"]


@lru_cache(maxsize=None)
def template(name: str) -> str:
    """The text of ``graph/outputs/templates/NAME``, read once."""
    return (resources.files("graph.outputs") / "templates" / name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """JSON that cannot end its <script> element early nor open a comment inside it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that allows the inline ``script`` (its SHA-256)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
