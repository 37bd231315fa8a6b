"""The topology arrays' file beside an Oxigraph store: written once by the build, read back, stale ones refused.

:func:`write_topology` saves :func:`graph.network.topology.arrays.store_arrays` of a store in
``DIR/kg-topology.npz``; :func:`load_topology` and :func:`open_topology` read them back as a
:class:`graph.network.topology.view.Topology`.

The file carries a fingerprint of the store's data files (the name and size of each RocksDB
table and non-empty write-ahead log: RocksDB never rewrites one in place, so any write to the
store adds or grows one). A store changed after the file was written, by anything, no longer
matches, and :func:`load_topology` raises :class:`graph.errors.StoreError` rather than answer
from stale arrays. Opening a store for writing without writing may also change its files: the
arrays then count as stale too (a false alarm costs the slower path, never a wrong answer).
The same store always gives the same bytes; two stores with the same content give files that
differ in the fingerprint alone (RocksDB's files differ).

>>> topology_file("/tmp/store").name
'kg-topology.npz'
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from graph.errors import StoreError
from graph.io.memory import paused_gc
from graph.network.topology.arrays import store_arrays
from graph.network.topology.view import Topology

__all__ = ["write_topology", "open_topology", "load_topology", "topology_file", "store_fingerprint", "FILE_NAME"]

#: the topology's file inside the store's folder
FILE_NAME = "kg-topology.npz"
#: bumped whenever what the file holds, or how it is read, changes
FORMAT = 2

# one fixed time for every member, so that the same store always gives the same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def topology_file(folder: str | Path) -> Path:
    """Where :func:`write_topology` puts the arrays of the store in ``folder``.

    >>> topology_file("/tmp/store").name
    'kg-topology.npz'
    """
    return Path(folder) / FILE_NAME


def store_fingerprint(folder: str | Path) -> str:
    """A digest of the Oxigraph (RocksDB) data files in ``folder``: their names and sizes.

    Tables (``.sst``, ``.blob``) are immutable and write-ahead logs (``.log``) only grow, so a
    write to the store changes the digest; the files RocksDB rewrites when it merely opens a
    store (``MANIFEST``, ``OPTIONS``, ``LOG``, ``CURRENT``, empty logs) are left out, and so
    are the files' times (a copy of the store keeps its digest).

    >>> import tempfile
    >>> len(store_fingerprint(tempfile.mkdtemp()))
    64
    """
    entries = []
    with os.scandir(folder) as found:
        for entry in found:
            stem, dot, suffix = entry.name.partition(".")
            if not (dot and stem.isdigit() and suffix in ("sst", "log", "blob")):
                continue
            size = entry.stat().st_size
            if suffix == "log" and size == 0:
                continue
            entries.append(f"{entry.name} {size}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def write_topology(store, folder: str | Path, *, model=None) -> Path:
    """Project ``store`` and write its topology as arrays in ``folder``; return the file.

    Call it whenever a store's content is written (``kg build --store oxigraph:DIR`` does, via
    :func:`graph.store.backends.save_graph`), after the last write: the file records the store's
    :func:`store_fingerprint` at that moment. The store is flushed first.

    Parameters
    ----------
    store : pyoxigraph.Store
        The on-disk store living in ``folder``.
    folder : str or Path
        The store's folder; the file is :func:`topology_file` of it, replaced atomically.
    model : Ontology, optional
        The ontology to project with (:func:`graph.model.ontology.load_ontology` by default).
    """
    from graph.model.ontology import load_ontology

    try:
        store.flush()
    except (OSError, RuntimeError):  # a read-only store has nothing to flush
        pass
    model = model or load_ontology()
    with paused_gc():
        members = store_arrays(store, model)
    # the file's format and the version writing it lead the metadata: load_topology checks them
    members["meta"] = {"format": FORMAT, "version": _version(), **members["meta"]}
    # a member of its own: two stores with the same content give the same file but for it
    members["store"] = np.frombuffer(store_fingerprint(folder).encode("ascii"), dtype=np.uint8)
    target = topology_file(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, value in members.items():
            if isinstance(value, (dict, list)):
                value = np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(value), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.getvalue())
    # written beside the target, then renamed over it: a reader sees the old file or the new one
    temporary = target.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:  # the umask's mode, as the store's own files
            out.write(buffer.getvalue())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def open_topology(folder: str | Path) -> Topology:
    """The Oxigraph store in ``folder``, opened read-only, as the :class:`Topology` beside it.

    What ``kg exposure --store oxigraph:DIR`` runs; in a notebook, ``exposure(open_topology(DIR))``
    answers as ``exposure(project(open_graph("oxigraph:DIR")))`` does, without reading the
    graph. The store is ``G.store``.

    Raises
    ------
    GraphNotFoundError
        ``folder`` holds no Oxigraph store.
    StoreError
        It holds no topology file, or one that does not match the store (see
        :func:`load_topology`): project the store instead.
    """
    import pyoxigraph as ox

    from graph.errors import GraphNotFoundError

    path = Path(folder)
    if not path.is_dir():
        raise GraphNotFoundError(f"Oxigraph store {str(path)!r} does not exist "
                                 f"(make it with 'kg build --store oxigraph:{path}')")
    if not topology_file(path).is_file():
        raise StoreError(f"{path} holds no {FILE_NAME} (written by 'kg build --store oxigraph:{path}')")
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise GraphNotFoundError(f"cannot open Oxigraph store {str(path)!r}: {exc}") from exc
    topology = load_topology(store, path)
    if topology is None:  # removed in between
        raise StoreError(f"{path} holds no {FILE_NAME}")
    return topology


def load_topology(store, folder: str | Path) -> Topology | None:
    """The :class:`Topology` written beside the store in ``folder``, or None if there is none.

    Raises
    ------
    StoreError
        The file does not match the store any more (the store changed after it was
        written), was written by another version of exposure-kg, or cannot be read.
    """
    path = topology_file(folder)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as found:
            arrays = {name: found[name] for name in found.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
        fingerprint = arrays.pop("store").tobytes().decode("ascii")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise StoreError(f"{path}: cannot read the topology arrays ({exc})") from exc
    if meta.get("format") != FORMAT or meta.get("version") != _version():
        raise StoreError(f"{path} was written by another version of exposure-kg "
                         f"({meta.get('version')}, format {meta.get('format')})")
    if fingerprint != store_fingerprint(folder):
        raise StoreError(f"{path} does not match the store any more (it changed after the file was written)")
    try:
        return Topology(arrays, meta, store)
    except (KeyError, IndexError, TypeError, ValueError) as exc:  # a member or a table missing
        raise StoreError(f"{path}: cannot read the topology arrays ({exc!r})") from exc



def _version() -> str:
    # read at each call, not imported once: the version a test pretends to be counts
    from graph.version import __version__

    return __version__
