"""Memory while building many small objects: the cyclic collector paused.

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while building many small objects.

    A projection allocates millions of dicts and lists and frees none: each automatic
    collection would walk all of them again, which makes the build superlinear.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
