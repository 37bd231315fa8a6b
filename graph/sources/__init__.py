"""Readers: one per kind of source file, each turning its files into statements.

Adding a kind of source means adding a reader here and nothing else. A reader that needs
what the others read (the extractor's gazetteer holds the names every other source gives)
says so with ``later = True``: :func:`read_sources` walks the folders once, runs the readers
of :data:`READERS`, hands their batches to each later reader (``prepare``) and lets it read
the files it claims among the same ones. The pipeline passes the extractor
(:class:`graph.extract.build.ExtractReader`) as such a reader.

Examples
--------
>>> from graph.sources import reader_for
>>> from pathlib import Path
>>> reader_for(Path("data/facts/lesechos-2019-10-08.facts.yaml")).name
'facts'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import InputError
from graph.io.files import data_files
from graph.sources._base import Batch, Reader, as_date, relative_name
from graph.sources.article import ArticleReader
from graph.sources.facts import FactsReader
from graph.sources.reference import ReferenceReader
from graph.sources.suppliers import SuppliersReader
from graph.sources.entity_list import EntityListReader
from graph.sources.dod_1260h import DoD1260HReader
from graph.sources.fcc import FCCCoveredListReader
from graph.sources.section889 import Section889Reader
from graph.sources.bis_mieu import BISMIEUReader
from graph.sources.csl import CSLReader
from graph.sources.ofac_sdn import OFACSDNReader
from graph.sources.un_sc import UNSCReader
from graph.sources.eu_fsf import EUFSFReader
from graph.sources.uk_sanctions import UKSanctionsReader
from graph.sources.ftm import FtMReader
from graph.sources.rules import RulesReader
from graph.sources.federal_register import FederalRegisterReader

__all__ = ["Batch", "Reader", "as_date", "relative_name", "READERS", "reader_for", "discover", "read_sources", "read_files"]

READERS: list[Reader] = [ArticleReader(), FactsReader(), ReferenceReader(), SuppliersReader()]
READERS += [FederalRegisterReader(), EntityListReader(), DoD1260HReader(), FCCCoveredListReader(), Section889Reader(), BISMIEUReader(),
            CSLReader(), OFACSDNReader(), UNSCReader(), EUFSFReader(), UKSanctionsReader(), FtMReader(), RulesReader()]

#: files in a data folder that are documentation, not sources
_IGNORED = {"README.md", "LICENSE", ".gitkeep"}


def reader_for(path: Path) -> Reader | None:
    """The reader that claims ``path``, or None."""
    for reader in READERS:
        if reader.claims(path):
            return reader
    return None


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, Path, Reader]]:
    """Each source file under ``paths`` with its data root and reader, in a stable order.

    A folder is walked recursively and files no reader claims are skipped; a file named
    explicitly must be claimed by a reader, or an InputError says so. Of the versions kept
    by ``kg fetch`` (``lists/versions/``), only the one :func:`graph.io.versions.selected` picks
    per list is read; releases refused (``lists/rejected/``) never are.
    """
    from graph.io.versions import current_as_of, is_kept_aside, selected

    chosen: dict[Path, set[Path]] = {}  # per lists folder, the one version of each list read
    for path in paths:
        if path.is_dir():
            for file in data_files(path):  # a symbolic link anywhere under it is refused
                if file.name in _IGNORED or file.name.startswith("."):
                    continue
                kept, lists_dir = is_kept_aside(file)
                if kept:  # fetched versions: only the newest (or --lists-as-of's) of each list
                    if lists_dir not in chosen:
                        chosen[lists_dir] = selected(lists_dir, current_as_of())
                    if file not in chosen[lists_dir]:
                        continue
                reader = reader_for(file)
                if reader is not None:
                    yield file, path, reader
        elif path.is_file():
            reader = reader_for(path)
            if reader is None:
                names = ", ".join(r.name for r in READERS)
                raise InputError(path, "no reader knows this kind of file",
                                 hint=f"known kinds: {names}; see the README's list of sources")
            yield path, path.parent, reader
        else:
            raise InputError(path, "no such file or folder")


def read_sources(paths: Iterable[Path], progress=None, *, later: Iterable[Reader] = ()) -> list[Batch]:
    """Read every source under ``paths``; ``progress(reader, batch)`` is called after each file.

    Parameters
    ----------
    paths : iterable of Path
        Data folders (walked recursively, once) and files.
    progress : callable, optional
        Called with the reader and each batch it read.
    later : iterable of Reader
        Readers that read after all of :data:`READERS`, each given the batches read before
        it (:meth:`Reader.prepare`), over the files they claim among those found; a
        later reader that claims no file is not prepared.

    Returns
    -------
    list of Batch
        The batches of :data:`READERS` in file order, then those of each later reader.

    Raises
    ------
    InputError
        A file cannot be read as the source it claims to be (named with its line or row).
    """
    return read_files(list(discover(paths)), progress, later=later)


def read_files(files: list[tuple[Path, Path, Reader]], progress=None, *,
               later: Iterable[Reader] = ()) -> list[Batch]:
    """:func:`read_sources` for files already found by :func:`discover` (the folders are not walked)."""
    batches: list[Batch] = []
    _read(files, batches, progress)
    for reader in later:
        claimed = [(file, root, reader) for file, root, _ in files if reader.claims(file)]
        if claimed:  # preparing may cost as much as reading (the extractor resolves every name)
            reader.prepare(list(batches))
            _read(claimed, batches, progress)
    return batches


def _read(files: list[tuple[Path, Path, Reader]], batches: list[Batch], progress) -> None:
    for file, root, reader in files:
        for batch in reader.read(file, root):
            batch.priority = reader.priority
            batches.append(batch)
            if progress is not None:
                progress(reader, batch)
