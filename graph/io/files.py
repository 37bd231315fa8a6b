"""Files the project writes: deterministic serialisation and atomic writes.

Every output (the graph, exports, pages, reports, the extraction cache) is written with
:func:`write_atomic`, so that a reader never sees half a file and a failed run leaves the
previous file in place; graphs are serialised with :func:`serialize`, so that the same
triples always give the same bytes.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from rdflib import Graph, Literal, RDF
>>> from graph.model.ontology import KG, KGR
>>> g = Graph()
>>> _ = g.add((KGR["org/acme"], RDF.type, KG.Company))
>>> path = write_atomic(Path(tempfile.mkdtemp()) / "g.ttl", serialize(g, "turtle"))
>>> path.read_text().splitlines()[-1]
'<https://w3id.org/exposure-kg/id/org/acme> a kg:Company .'
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph

from graph.errors import FormatError, InputError, OutputError
from graph.model.terms import PREFIXES, union_triples
from graph.io.turtle import trig, turtle

__all__ = ["serialize", "write_atomic", "write_together", "read_text", "load_yaml", "LineDict", "data_files",
           "check_folder"]


def serialize(graph: Graph | Dataset, fmt: str) -> bytes:
    """Serialise deterministically: the same triples always give the same bytes.

    ``fmt`` is ``"turtle"`` (a Graph, or the union of a Dataset's graphs) or ``"trig"`` (a
    Dataset, one block per named graph in IRI order). See :mod:`graph.io.turtle`.

    Raises
    ------
    FormatError
        Another ``fmt``, or ``"trig"`` asked of a Graph.
    """
    if fmt == "turtle":
        return turtle(union_triples(graph), PREFIXES).encode("utf-8")
    if fmt == "trig" and isinstance(graph, Dataset):
        return trig(graph, PREFIXES).encode("utf-8")
    raise FormatError(f"serialize writes 'turtle' for a Graph or 'trig' for a Dataset, not {fmt!r}")


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    Raises
    ------
    OutputError
        ``path`` exists and is not a regular file (a device, a symbolic link, a folder): it is
        never replaced.
    """
    _check_replaceable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_together(folder: Path, files: Mapping[str, bytes | str | Path]) -> list[Path]:
    """Write ``files`` (names relative to ``folder`` -> contents) so that they appear together.

    A content may be a ``Path`` to a file on the same file system, which is moved in.

    The new files go into a staging folder beside ``folder`` that starts as a hard-linked copy
    of it (so the outputs of other commands stay), and the two folders are then exchanged in
    one system call (Linux ``renameat2(RENAME_EXCHANGE)``): a reader, or a run killed at any
    moment, sees every old file or every new one, never a mix. Where the exchange is not
    available the files are renamed into place one by one.

    Raises
    ------
    OutputError
        ``folder`` is a file or a symbolic link, or a file named in ``files`` exists there and
        is not a regular file.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "out"
    >>> [p.name for p in write_together(out, {"a.txt": "1", "b/c.txt": "2"})]
    ['a.txt', 'c.txt']
    >>> sorted(str(p.relative_to(out)) for p in out.rglob("*.txt"))
    ['a.txt', 'b/c.txt']
    """
    check_folder(folder)
    for name in files:
        _check_replaceable(folder / name)
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-{os.getpid()}-", dir=folder.parent))
    try:
        if folder.is_dir():
            _link_tree(folder, staging)
        for name, data in files.items():
            if isinstance(data, Path):  # a file made beside the folder (the build's graph): moved in
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(data, staging / name)
                os.chmod(staging / name, 0o644)
            else:
                write_atomic(staging / name, data)
        if not folder.exists():
            os.rename(staging, folder)
        elif not _exchange(staging, folder):
            for name in files:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]


def check_folder(folder: Path) -> Path:
    """``folder`` if outputs may go there: a folder, or nothing yet; never through a symbolic link.

    Raises
    ------
    OutputError
        ``folder`` is a file, a device or a symbolic link (even to a folder: replacing it would
        write where the link leads, or remove the link).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "link").symlink_to(root)
    >>> try:
    ...     check_folder(root / "link")
    ... except OutputError as exc:
    ...     print(str(exc).split(": ")[0].endswith("is a symbolic link"))
    True
    """
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        kind = "a symbolic link" if folder.is_symlink() else "not a folder"
        raise OutputError(f"{str(folder)!r} is {kind}: the outputs are a folder of files; "
                          "name a new or existing folder (not a file, a device or a symbolic link)")
    return folder


def replace_folder(folder: Path, new: Path) -> Path:
    """Put the folder ``new`` at ``folder``'s place, whole, and remove what was there.

    ``new`` is moved beside ``folder`` first (copied when it is on another file system), then
    the two are exchanged in one system call where Linux has it, so that a reader sees the
    old folder or the new one, never neither. Returns ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "new").mkdir(); _ = (root / "new" / "a").write_text("1")
    >>> replace_folder(root / "store", root / "new").name, sorted(p.name for p in (root / "store").iterdir())
    ('store', ['a'])
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    staging = folder.parent / f".{folder.name}.staging-{os.getpid()}-folder"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        os.rename(new, staging)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copytree(new, staging)
        shutil.rmtree(new, ignore_errors=True)
    try:
        if not folder.exists():
            os.rename(staging, folder)
        elif not _exchange(staging, folder):
            shutil.rmtree(folder)
            os.rename(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the old folder, after an exchange
    return folder


def _check_replaceable(path: Path) -> None:
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(f"refusing to replace {str(path)!r}: it is not a regular file "
                          "(a device, a folder or a symbolic link); choose another output path")


def _link_tree(source: Path, target: Path) -> None:
    # Hard links cost no copy, and the new outputs replace their links without touching the
    # old files, which stay whole until the exchange.
    for root, folders, names in os.walk(source):
        here = target / Path(root).relative_to(source)
        for name in folders:
            (here / name).mkdir(exist_ok=True)
        for name in names:
            path = Path(root) / name
            if path.is_symlink():
                os.symlink(os.readlink(path), here / name)
            else:
                os.link(path, here / name)


def _exchange(first: Path, second: Path) -> bool:
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _remove_stale_staging(folder: Path) -> None:
    # A run killed before its clean-up leaves its staging folder; it holds nothing of value.
    # Another run still writing (its process alive) keeps its own.
    for stale in folder.parent.glob(f".{folder.name}.staging-*-*"):
        pid = stale.name.rsplit(".staging-", 1)[1].split("-", 1)[0]
        if stale.is_dir() and not stale.is_symlink() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    return True


def data_files(folder: Path) -> list[Path]:
    """Every regular file under the data folder ``folder``, sorted; a symbolic link is refused.

    A link (to a file or a folder, inside the folder or out of it) could make the build read
    what the folder does not hold, as an article's text outside it would; so none is followed.

    Raises
    ------
    InputError
        Naming the first link found, where it leads, and what to do.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.csv").write_text("x")
    >>> (root / "b.csv").symlink_to("/etc/hostname")
    >>> try:
    ...     data_files(root)
    ... except InputError as exc:
    ...     print(Path(exc.path).name, exc.detail)
    b.csv a symbolic link (to a file outside the data folder) is not read
    """
    found = []
    for here, folders, names in os.walk(folder):
        for name in sorted(folders) + sorted(names):
            path = Path(here) / name
            if path.is_symlink():
                inside = path.resolve().is_relative_to(Path(folder).resolve())
                raise InputError(path, f"a symbolic link (to a {'folder' if path.is_dir() else 'file'} "
                                       f"{'inside' if inside else 'outside'} the data folder) is not read",
                                 hint="put the file itself in the data folder, not a link to it")
            if name in names and path.is_file():
                found.append(path)
    return sorted(found)


def read_text(path: Path) -> str:
    """The file as text, strictly UTF-8 (a BOM is tolerated), or an InputError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})",
            line=line,
            hint="re-save the file as UTF-8",
        ) from exc


# --------------------------------------------------------------------- YAML with lines


class LineDict(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        # An alias re-uses a node, and a few lines of nested aliases expand to billions of
        # values (a "YAML bomb"); data files never need them, so they are refused outright.
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


class _AliasRefused(yaml.MarkedYAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(problem="YAML aliases (*name) are not allowed in data files", problem_mark=mark)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # "2019-13-07" looks like a date to YAML and would raise a bare ValueError; keep the text
    # so that the reader can say which field holds a bad date, on which line.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file keeping line numbers; syntax errors become InputError with the line."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _AliasRefused as exc:
        raise InputError(path, exc.problem, line=exc.problem_mark.line + 1,
                         hint="write the value out in full instead of referring to an &anchor") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        raise InputError(path, f"YAML syntax error: {problem}", line=line,
                         hint="check indentation, colons and quotes on that line") from exc
    except yaml.YAMLError as exc:
        raise InputError(path, f"YAML error: {exc}") from exc
