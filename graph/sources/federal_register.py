"""Federal Register documents, as the Federal Register's API publishes one (``documents/{number}.json``).

A rule that adds parties to the Entity List is a Federal Register document; its page
citation (``84 FR 54002``), its publication date and the date it takes effect are what an
analyst cites for the listing. ``kg fetch`` keeps the document's JSON (the list
``fr_2019_22210`` of ``data/lists/sources.yaml``) under ``data/lists/versions/``, and a
curator may put one under ``data/reference/``. This reader makes each document a source of
the graph (its title, the Office of the Federal Register as publisher, its page on
federalregister.gov, its publication date); the Entity List reader
(:mod:`graph.sources.entity_list`) names the rule's measure by the document's citation and
date and takes its legal basis and dates from it (:func:`register_documents`).

Only these fields of the API's document are read (the API gives many more):

``document_number``
    ``2019-22210``: what the Entity List table's ``federal_register_citation`` names.
``citation``
    ``84 FR 54002``: volume and first page, the legal basis.
``publication_date``
    The day the rule was published (``YYYY-MM-DD``), when the listing was announced.
``effective_on``
    The day it took effect (``YYYY-MM-DD``; null in the API when the rule states none).
``title``, ``html_url``
    What the source is called and where to read it.

Examples
--------
>>> import json, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "2019-22210.json").write_text(json.dumps({"document_number": "2019-22210",
...     "citation": "84 FR 54002", "publication_date": "2019-10-09", "effective_on": "2019-10-09",
...     "title": "Addition of Certain Entities to the Entity List", "html_url": None}))
>>> doc = read_document(folder / "2019-22210.json")
>>> doc.citation, doc.publication_date, doc.effective_on
('84 FR 54002', datetime.date(2019, 10, 9), datetime.date(2019, 10, 9))
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph.errors import InputError
from graph.model.statements import SourceInfo
from graph.sources._base import Batch, Reader
from graph.sources._lists import source_info

__all__ = ["RegisterDocument", "FederalRegisterReader", "read_document", "register_documents", "PUBLISHER"]

PUBLISHER = "Office of the Federal Register (National Archives and Records Administration)"
#: what claims a file: the API's document states its number near the start
_CLAIM = re.compile(rb'"document_number"\s*:')
_NUMBER = re.compile(r"^\d{4}-\d{4,6}$")
_CITATION = re.compile(r"^\d+ FR \d+$")


@dataclass(frozen=True)
class RegisterDocument:
    """One Federal Register document: what the graph cites of it."""

    document_number: str
    citation: str
    publication_date: date
    effective_on: date | None
    title: str
    html_url: str | None
    file: Path

    def name(self) -> str:
        """The measure's name: the citation and the date it took effect (else was published)."""
        return f"{self.citation} of {(self.effective_on or self.publication_date).isoformat()}"


class FederalRegisterReader(Reader):
    """Reads a Federal Register document (the API's JSON) as a source of the graph."""

    name = "federal-register"
    priority = 5

    def claims(self, path: Path) -> bool:
        if path.suffix.lower() != ".json":
            return False
        try:
            with open(path, "rb") as handle:
                return bool(_CLAIM.search(handle.read(4096)))
        except OSError:
            return False

    def read(self, path: Path, root: Path) -> list[Batch]:
        doc = read_document(path)
        source = document_source(doc, root)
        return [Batch(source=source, statements=[], file=source.file, counts={"read": 1, "kept": 1, "skipped": 0})]


def document_source(doc: RegisterDocument, root: Path) -> SourceInfo:
    """The source a document is in the graph (its id is the one the Entity List's evidence cites)."""
    return source_info(doc.file, root, title=f"Federal Register: {doc.title} ({doc.citation})",
                       publisher=PUBLISHER, url=doc.html_url, issued=doc.publication_date,
                       note=f"FR Doc. {doc.document_number}, {doc.citation}, published "
                            f"{doc.publication_date.isoformat()}"
                            + (f", effective {doc.effective_on.isoformat()}" if doc.effective_on else "") + ".")


def read_document(path: Path) -> RegisterDocument:
    """The fields of a Federal Register document that the graph cites.

    Raises
    ------
    InputError
        The file is not JSON, is not one document (an object), or a field is missing or
        malformed (named, with its value).
    """
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(path, f"not a Federal Register document's JSON: {exc}",
                         hint="fetch it again (kg fetch) or save the API's documents/{number}.json as is") from exc
    if not isinstance(doc, dict):
        raise InputError(path, "not a Federal Register document: the JSON is not one object",
                         hint="save one document (the API's documents/{number}.json), not a search's results")
    number = _text(path, doc, "document_number", _NUMBER, "like 2019-22210")
    citation = _text(path, doc, "citation", _CITATION, "like 84 FR 54002")
    published = _day(path, doc, "publication_date", required=True)
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError(path, f"'title' is {title!r}", hint="the document's title, as the API gives it")
    url = doc.get("html_url")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        raise InputError(path, f"'html_url' is {url!r}", hint="the document's page (https://...) or null")
    return RegisterDocument(document_number=number, citation=citation, publication_date=published,
                            effective_on=_day(path, doc, "effective_on", required=False), title=title.strip(),
                            html_url=url, file=Path(path))


def register_documents(root: Path) -> dict[str, RegisterDocument]:
    """Document number -> document, of the Federal Register documents a build of ``root`` reads.

    Those under ``root/reference/`` and the version of each fetched list under
    ``root/lists/versions/`` that the build reads (:func:`graph.io.versions.selected`).
    """
    from graph.io.versions import current_as_of, selected

    reader = FederalRegisterReader()
    found = sorted((root / "reference").rglob("*.json")) if (root / "reference").is_dir() else []
    lists = root / "lists"
    if (lists / "versions").is_dir():
        found += sorted(selected(lists, current_as_of()))
    out: dict[str, RegisterDocument] = {}
    for path in found:
        if reader.claims(path):
            doc = read_document(path)
            out[doc.document_number] = doc
    return out


def _text(path: Path, doc: dict, field: str, pattern: re.Pattern[str], example: str) -> str:
    value = doc.get(field)
    if not isinstance(value, str) or not pattern.match(value.strip()):
        raise InputError(path, f"{field!r} is {value!r}", hint=f"a Federal Register document's {field}, {example}")
    return value.strip()


def _day(path: Path, doc: dict, field: str, *, required: bool) -> date | None:
    value = doc.get(field)
    if value is None and not required:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(path, f"{field!r} is {value!r}",
                         hint="a day written YYYY-MM-DD, as the Federal Register's API writes it") from None
