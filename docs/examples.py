"""Keep the documentation's example outputs true to what the commands print.

An example in README.md or docs/*.md is a fenced block that follows a marker naming a command::

    <!-- example: kg exposure --as-of 2019-10-06 -->
    ```console
    $ kg exposure --as-of 2019-10-06
    ...what it prints...
    ```

This script builds data/ into a temporary folder, runs each marked command there through the
``kg`` command line (each in a process of its own, with ``out/``, ``data/`` and ``tests/`` laid
out as in the project folder, forked from one helper that imports the package once: see
:class:`KgProcesses`) and compares, or rewrites, each block. A block shows standard
output and standard error together, as a terminal does. A command may end in the filters
``| head -n N``, ``| tail -n N``, ``| cut -c1-N`` and ``| grep [-v] REGEX``, applied here (no
shell runs); as in a shell they read standard output only, unless the command says ``2>&1``,
and standard error follows their result.

Usage, from the project folder::

    python docs/examples.py            # list the blocks that differ; exit 1 if any
    python docs/examples.py --write    # rewrite them
    python docs/examples.py --out OUT  # use a build already made (kg build data --out OUT)
    python docs/examples.py --write docs/html.md   # only the examples of some pages

``tests/test_docs.py`` checks every block against the test session's build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the marker, the fence that follows it, and the block up to the closing fence
BLOCK = re.compile(r"^<!-- example: (?P<command>.+?) -->\n(?P<fence>```[a-z]*)\n(?P<body>.*?)^```[ \t]*$",
                   re.MULTILINE | re.DOTALL)

#: what a build leaves in the example folder, so that every command finds what it needs
LINKED = ("data", "tests", "docs")

#: the store the examples of docs/stores.md read
EXAMPLE_STORE = "oxigraph:kg-store"

#: the build every example but the builds themselves runs against
BUILD = ("build", "data", "--out", "out")


def documents(root: Path = ROOT) -> list[Path]:
    """README.md and every page in docs/, in a stable order."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Example:
    """One marked block: where it is, the command it shows and the text it holds now."""

    file: Path
    line: int
    command: str
    body: str

    @property
    def name(self) -> str:
        return f"{self.file.name}:{self.line}"

    @property
    def argv(self) -> tuple[str, ...]:
        return parse(self.command)[0]

    @property
    def is_build(self) -> bool:
        return self.argv[:1] == ("build",)


def find_examples(paths: Iterable[Path]) -> list[Example]:
    """Every marked block of ``paths``, in document order.

    A marker must name a ``kg`` command and be followed at once by a fenced block.

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "page.md"
    >>> _ = page.write_text("Text.\\n\\n<!-- example: kg query --list -->\\n```console\\n$ kg query --list\\nold\\n```\\n")
    >>> [(e.line, e.command, e.body) for e in find_examples([page])]
    [(3, 'kg query --list', '$ kg query --list\\nold\\n')]
    """
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        markers = len(re.findall(r"^<!-- example:", text, flags=re.MULTILINE))
        matches = list(BLOCK.finditer(text))
        if len(matches) != markers:
            raise SystemExit(f"{path}: {markers} example marker(s) but {len(matches)} followed by a fenced block")
        for match in matches:
            line = text.count("\n", 0, match.start()) + 1
            parse(match["command"], where=f"{path.name}:{line}")
            found.append(Example(path, line, match["command"], match["body"]))
    return found


def parse(command: str, where: str = "") -> tuple[tuple[str, ...], list[list[str]]]:
    """The ``kg`` arguments of ``command`` and its filters.

    >>> parse('kg query positions --param name="wilbur ross" 2>&1 | head -n 3')
    (('query', 'positions', '--param', 'name=wilbur ross'), [['head', '-n', '3']])
    """
    words = [w for w in shlex.split(command) if w != "2>&1"]
    stages: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    head, filters = stages[0], stages[1:]
    if head[:1] != ["kg"] or len(head) < 2:
        raise SystemExit(f"{where}: an example runs a kg command, not {command!r}")
    for stage in filters:
        if not _FILTER.fullmatch(" ".join(stage)):
            raise SystemExit(f"{where}: unknown filter {' '.join(stage)!r}; use head -n N, tail -n N, "
                             "cut -c1-N or grep [-v] REGEX")
    return tuple(head[1:]), filters


_FILTER = re.compile(r"head -n \d+|tail -n \d+|cut -c1-\d+|grep (-v )?.+")


def apply_filters(text: str, filters: list[list[str]]) -> str:
    """``text`` through the filters, as the shell commands of the same names would do.

    >>> apply_filters("a1\\nb2\\na3\\n", [["grep", "a"], ["tail", "-n", "1"], ["cut", "-c1-1"]])
    'a\\n'
    >>> apply_filters("row\\n    source\\n", [["grep", "-v", "^    "]])
    'row\\n'
    """
    lines = text.splitlines()
    for stage in filters:
        tool, rest = stage[0], stage[1:]
        if tool == "head":
            lines = lines[: int(rest[1])]
        elif tool == "tail":
            lines = lines[-int(rest[1]):] if int(rest[1]) else []
        elif tool == "cut":
            width = int(rest[0].rsplit("-", 1)[1])
            lines = [line[:width] for line in lines]
        elif tool == "grep":
            invert = rest[0] == "-v"
            pattern = re.compile(rest[-1])
            lines = [line for line in lines if bool(pattern.search(line)) != invert]
    return "".join(line.rstrip() + "\n" for line in lines)


@contextmanager
def _inside(folder: Path):
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_kg(argv: Iterable[str], folder: Path, *, merged: bool = True,
           processes: KgProcesses | None = None) -> tuple[str, str]:
    """What ``kg ARGV`` prints in ``folder``: (standard output, standard error).

    Each command runs in a process of its own, as a user runs it: 80 columns wide, unbuffered,
    standard error not a terminal (no progress lines). ``merged`` sends standard error into
    standard output, in the order they were written (``2>&1``), and returns "" as the second.
    With ``processes`` the process is forked from one that has imported the package already
    (see :class:`KgProcesses`); without, it starts Python afresh.
    """
    argv = list(argv)
    if processes is not None:
        out, err = processes.run(argv, folder, merged=merged)
    else:
        code = "import sys; from graph.cli import main; sys.exit(main(prog_name='kg'))"
        done = subprocess.run([sys.executable, "-c", code, *argv], cwd=folder, env={**os.environ, **COMMAND_ENV},
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT if merged else subprocess.PIPE, text=True, encoding="utf-8")
        out, err = done.stdout, done.stderr or ""
    if "Traceback (most recent call last)" in out + err:
        raise RuntimeError(f"kg {' '.join(argv)} ended in a traceback:\n{out}{err}")
    return normalise(out, folder), normalise(err, folder)


#: what every example's environment sets: a terminal 80 columns wide, output unbuffered
COMMAND_ENV = {"COLUMNS": "80", "PYTHONUNBUFFERED": "1"}

#: the modules most commands import: a forking process imports them once for all its commands
WARM_MODULES = ("graph.cli", "graph.store.backends", "graph.network", "graph.network.paths",
                "graph.network.report", "graph.outputs.render", "graph.screening.screen", "graph.builder.pipeline")


class KgProcesses:
    """Runs ``kg`` commands each in a process of its own, forked from one helper process.

    The helper imports the package once (and, before the first ``kg build``, ``kg extract``
    or ``kg evaluate``, loads the spaCy pipelines they parse with and the gazetteer of
    ``data/``); each command then runs in a child
    forked from it, with its own folder, environment, standard streams and exit, so that it
    prints what it prints when started afresh, without paying for the imports every time.
    Call :meth:`close` when done.

    >>> processes = KgProcesses()
    >>> processes.run(["query", "--list"], ROOT)[0].split()[0]
    'ban-binds'
    >>> processes.close()
    """

    def __init__(self) -> None:
        self.helper: subprocess.Popen | None = None

    def run(self, argv: list[str], folder: Path, *, merged: bool = True) -> tuple[str, str]:
        """(standard output, standard error) of ``kg ARGV`` run in ``folder``; "" as the second if ``merged``."""
        if self.helper is None:
            self.helper = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--fork-helper"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                           encoding="utf-8", env={**os.environ, **COMMAND_ENV})
        self.helper.stdin.write(json.dumps({"argv": argv, "folder": str(folder), "merged": merged}) + "\n")
        self.helper.stdin.flush()
        answer = self.helper.stdout.readline()
        if not answer:
            raise RuntimeError(f"the helper that runs kg commands ended (exit {self.helper.wait()})")
        reply = json.loads(answer)
        return reply["out"], reply["err"]

    def close(self) -> None:
        if self.helper is not None:
            self.helper.stdin.close()
            self.helper.wait()
            self.helper = None


def _fork_helper() -> None:
    """The helper of :class:`KgProcesses`: one JSON request a line on standard input, one answer each."""
    import importlib
    import traceback

    for name in WARM_MODULES:
        importlib.import_module(name)
    from graph.cli import main

    answers = sys.stdout
    parsing_loaded = False
    for line in sys.stdin:
        request = json.loads(line)
        argv = request["argv"]
        if argv[:1] in (["build"], ["extract"], ["evaluate"]) and not parsing_loaded:
            from graph.extract.parse import parse_facts

            from graph.extract.cli_support import curated_sources

            for lang in ("en", "fr"):
                parse_facts("", [], [], lang)  # loads (and keeps) the pipeline that parses lang
            curated_sources(ROOT / "data")  # the gazetteer of data/, which the examples' data/ links to
            parsing_loaded = True
        with tempfile.TemporaryDirectory(prefix="kg-command-") as tmp:
            paths = [Path(tmp, "out"), Path(tmp, "err")]
            answers.flush()
            pid = os.fork()
            if pid == 0:  # the command's own process
                code = 1
                try:
                    os.chdir(request["folder"])
                    devnull = os.open(os.devnull, os.O_RDONLY)
                    out = os.open(paths[0], os.O_WRONLY | os.O_CREAT, 0o600)
                    err = out if request["merged"] else os.open(paths[1], os.O_WRONLY | os.O_CREAT, 0o600)
                    for fd, target in ((devnull, 0), (out, 1), (err, 2)):
                        os.dup2(fd, target)
                    sys.stdin = open(0, encoding="utf-8", closefd=False)
                    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
                    sys.stdout.reconfigure(write_through=True)
                    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False)
                    sys.stderr.reconfigure(write_through=True)
                    sys.argv = ["kg", *argv]
                    try:
                        main(args=argv, prog_name="kg")
                        code = 0
                    except SystemExit as stop:
                        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                        if stop.code is not None and not isinstance(stop.code, int):
                            print(stop.code, file=sys.stderr)
                    except BaseException:  # noqa: BLE001 - printed as Python prints it, for the caller to see
                        traceback.print_exc()
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
            os.waitpid(pid, 0)
            texts = [path.read_text(encoding="utf-8") if path.exists() else "" for path in paths]
        answers.write(json.dumps({"out": texts[0], "err": texts[1]}) + "\n")
        answers.flush()


def normalise(text: str, folder: Path) -> str:
    """``text`` with the example folder's and the project's paths made relative, lines right-trimmed."""
    for base in {str(folder), str(folder.resolve()), str(ROOT)}:
        text = text.replace(base + os.sep, "")
    # trailing blanks (padded table cells) are invisible, and editors strip them
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def prepare(folder: Path, built: Path | None = None) -> Path:
    """Lay out ``folder`` as the project folder: ``data/``, ``tests/`` and a built ``out/``.

    ``built`` is an ``out/`` already built from data/, copied in; without it the folder gets
    ``data/`` and ``tests/`` only (a build example builds it).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.exists():
            link.symlink_to(ROOT / name, target_is_directory=True)
    if built is not None and not (folder / "out").exists():
        shutil.copytree(built, folder / "out")
    return folder


class Runner:
    """Runs examples against one built folder, each distinct command once.

    Build examples run in a fresh folder of their own, so that they print what a first build
    prints; the others run in ``folder``, whose ``out/`` holds a build of data/.
    """

    def __init__(self, folder: Path, scratch: Path, processes: KgProcesses | None = None):
        self.folder = folder
        self.scratch = scratch
        self.processes = processes
        self.outputs: dict[tuple[tuple[str, ...], bool], tuple[str, str]] = {}

    def output(self, example: Example) -> str:
        """The block ``example`` should hold: the command line, then what it prints.

        Without filters, or with ``2>&1``, standard output and error come as they were written.
        Filters without ``2>&1`` read standard output only; standard error follows the result.
        """
        argv, filters = parse(example.command)
        merged = not filters or "2>&1" in example.command
        key = (argv, merged)
        if key not in self.outputs:
            self.outputs[key] = self._run(argv, merged)
        out, err = self.outputs[key]
        return f"$ {example.command}\n" + apply_filters(out, filters) + err

    def _run(self, argv: tuple[str, ...], merged: bool) -> tuple[str, str]:
        if argv[:1] == ("build",):
            fresh = prepare(Path(tempfile.mkdtemp(dir=self.scratch)))
            return run_kg(argv, fresh, merged=merged, processes=self.processes)
        if any(EXAMPLE_STORE in word for word in argv) and not (self.folder / EXAMPLE_STORE.split(":")[1]).exists():
            self._load_store()
        return run_kg(argv, self.folder, merged=merged, processes=self.processes)

    def _load_store(self) -> None:
        from graph.builder.pipeline import save_built
        from graph.store.backends import open_graph

        with _inside(self.folder):
            save_built(open_graph("out/graph.trig"), EXAMPLE_STORE, file=Path("out/graph.trig"))


def rewrite(path: Path, outputs: dict[int, str]) -> str:
    """The text of ``path`` with the block after each marker on line N replaced by outputs[N]."""
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match) -> str:
        line = text.count("\n", 0, match.start()) + 1
        body = outputs.get(line, match["body"])
        return f"<!-- example: {match['command']} -->\n{match['fence']}\n{body}```"

    return BLOCK.sub(replace, text)


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="Rewrite the blocks that differ.")
    parser.add_argument("--out", type=Path, help="A build of data/ to use instead of building one.")
    parser.add_argument("pages", nargs="*", type=Path, help="Only these pages (default: README.md and docs/*.md).")
    options = parser.parse_args(args)
    pages = [page.resolve() for page in options.pages] or documents()
    examples = find_examples(pages)
    with tempfile.TemporaryDirectory(prefix="kg-examples-") as tmp:
        tmp = Path(tmp)
        folder = prepare(tmp / "project")
        processes = KgProcesses()
        runner = Runner(folder, tmp, processes)
        changed: dict[Path, dict[int, str]] = {}
        try:
            if options.out is not None:
                shutil.copytree(options.out, folder / "out")
            else:
                print("building data/ ...", file=sys.stderr)
                runner.outputs[(BUILD, True)] = run_kg(BUILD, folder, processes=processes)
            for example in examples:
                print(f"{example.name}: {example.command}", file=sys.stderr)
                now = runner.output(example)
                if now != example.body:
                    changed.setdefault(example.file, {})[example.line] = now
        finally:
            processes.close()
    for path, outputs in changed.items():
        for line in sorted(outputs):
            print(f"{path.relative_to(ROOT)}:{line}: differs")
        if options.write:
            path.write_text(rewrite(path, outputs), encoding="utf-8")
    if changed and not options.write:
        print("run `python docs/examples.py --write` to update them", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--fork-helper"]:
        _fork_helper()
    else:
        sys.exit(main())
