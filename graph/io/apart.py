"""One of the package's own modules run in a second Python process, for a big build's checks.

A process has its own core: the build checks its shapes in one while it writes its files
from the same store. Plain child processes, not ``multiprocessing``, which would run the
caller's own script again in the child.

Examples
--------
>>> child = start("graph.io.apart", "--ping")
>>> child.communicate()[0]
b'pong'
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["start"]

def start(module: str, *args: str) -> subprocess.Popen:
    """Start ``python -m module args`` with this package importable; its stdout is a pipe.

    Standard error is left out: the child answers on standard output, and the caller
    decides what a child that died without an answer means.
    """
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p))
    return subprocess.Popen([sys.executable, "-m", module, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)


if __name__ == "__main__" and sys.argv[1:] == ["--ping"]:
    sys.stdout.write("pong")
