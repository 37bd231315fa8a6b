"""The UN Security Council Consolidated List, as the XML it publishes (root ``CONSOLIDATED_LIST``).

Each ``INDIVIDUAL`` becomes a person and each ``ENTITY`` an organisation, with its names (the
name parts joined, the name in its original script, every alias of any quality), its
documents as identifiers (type and number), its addresses' countries, and one listing on the
Consolidated List per sanctions regime (``UN_LIST_TYPE``) and day it was listed
(``LISTED_ON``), citing its reference number. The root's ``dateGenerated`` is the source's date
unless the file is a version kept by ``kg fetch``.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "un.xml").write_text('''<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
... <INDIVIDUALS/><ENTITIES><ENTITY><DATAID>1</DATAID><FIRST_NAME>EXAMPLE FRONT</FIRST_NAME>
... <UN_LIST_TYPE>TEST</UN_LIST_TYPE><REFERENCE_NUMBER>TEe.001</REFERENCE_NUMBER><LISTED_ON>2020-01-02</LISTED_ON>
... <ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>EF</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES>
... </CONSOLIDATED_LIST>''')
>>> [batch] = UNSCReader().read(folder / "un.xml", folder)
>>> batch.counts, batch.source.issued.isoformat()
({'read': 1, 'kept': 1, 'skipped': 0}, '2026-02-27')
>>> [(s.labels[0].text, s.aliases) for s in batch.statements if s.cls == "Organization"]
[('EXAMPLE FRONT', ['EF'])]
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from graph.errors import InputError
from graph.model.statements import Label, Statement
from graph.sources._base import Batch, relative_name
from graph.sources._lists import XMLListReader, ListInfo, ListStatements, Table, country_of, parse_date, source_info

__all__ = ["UNSCReader"]

UN = ListInfo(key="un-security-council-consolidated-list", name="UN Security Council Consolidated List",
              aliases=("UN Consolidated List",), measure_cls="Measure", imposer="United Nations Security Council",
              url="https://www.un.org/securitycouncil/content/un-sc-consolidated-list")
_ROOT = re.compile(rb"<CONSOLIDATED_LIST[\s>]")
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


class UNSCReader(XMLListReader):
    """Reads the UN Security Council Consolidated List XML."""

    root = _ROOT

    name = "un-sc"
    priority = 30

    def read(self, path: Path, root: Path) -> list[Batch]:
        file = relative_name(path, root)
        table = Table(path=path, file=file, header=["INDIVIDUAL", "ENTITY"])
        source = source_info(path, root, title=f"UN Security Council Consolidated List ({path.name})",
                             publisher="United Nations Security Council", url=UN.url,
                             note="United Nations Security Council sanctions list.", issued=_generated(path))
        out = ListStatements(source)
        number = 0
        try:
            for _, element in ET.iterparse(path, events=("end",)):
                if element.tag not in ("INDIVIDUAL", "ENTITY"):
                    continue
                number += 1
                table.read += 1
                _read_entry(table, out, number, element.tag, _record(element))
                element.clear()
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise InputError(path, f"not a UN Security Council Consolidated List XML file: {exc}", line=line,
                             hint="a cut-short download? kg fetch keeps only releases that parse") from exc
        return [Batch(source=source, statements=out.statements, file=file, counts=table.counts(),
                      warnings=table.warnings)]


def _read_entry(table: Table, out: ListStatements, number: int, kind: str, entry: dict) -> None:
    uid = _text(entry, "DATAID") or str(number)
    name = " ".join(p for p in (_text(entry, part) for part in _NAME_PARTS) if p)
    if not name:
        table.skip(number, f"{kind} {uid}: no name")
        return
    aliases = []
    for alias in [_text(entry, "NAME_ORIGINAL_SCRIPT"), *(_text(a, "ALIAS_NAME") for a in
                                                           entry.get(f"{kind}_ALIAS", []) if isinstance(a, dict))]:
        if alias and alias != name and alias not in aliases:
            aliases.append(alias)
    cls = "Person" if kind == "INDIVIDUAL" else "Organization"
    statement = Statement(key=f"entity/{uid}", cls=cls, labels=[Label(name)], aliases=aliases,
                          origin=out.origin(number))
    identifiers = []
    for document in entry.get("INDIVIDUAL_DOCUMENT", []):
        if isinstance(document, dict) and _text(document, "NUMBER"):
            text = " ".join(p for p in (_text(document, "TYPE_OF_DOCUMENT"), _text(document, "NUMBER")) if p)
            if text not in identifiers:
                identifiers.append(text)
    if identifiers:
        statement.values["identifier"] = identifiers
    codes = set()
    for address in entry.get(f"{kind}_ADDRESS", []):
        value = _text(address, "COUNTRY") if isinstance(address, dict) else None
        code = country_of(value or "")
        if value and code is None:
            table.warn(number, f"unknown country {value!r} left out")
        if code:
            codes.add(code)
    if codes:
        statement.values["country"] = [out.country(code) for code in sorted(codes)]
    target = out.add(statement)
    listed = _text(entry, "LISTED_ON")
    start, problem = parse_date(listed) if listed else (None, None)
    if problem:
        table.warn(number, f"LISTED_ON {listed!r}: {problem}")
    regime = _text(entry, "UN_LIST_TYPE")
    group = f"{regime or 'no regime named'} {start or ''}".strip()
    out.measure(UN, group, number, target, start=start, program=regime,
                note=f"Reference number {_text(entry, 'REFERENCE_NUMBER')}" if _text(entry, "REFERENCE_NUMBER") else None)


def _record(element) -> dict:
    """An entry as a dict: a child with children is a dict of texts, repeated children a list."""
    out: dict = {}
    for child in element:
        value = {g.tag: (g.text or "").strip() for g in child} if len(child) else (child.text or "").strip()
        out.setdefault(child.tag, []).append(value)
    return out


def _text(entry: dict, tag: str) -> str | None:
    value = entry.get(tag)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) and value else None


def _generated(path: Path) -> date | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    found = re.search(rb'dateGenerated="(\d{4}-\d{2}-\d{2})', head)
    return date.fromisoformat(found.group(1).decode()) if found else None
