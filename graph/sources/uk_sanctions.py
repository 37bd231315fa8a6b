"""The UK Sanctions List, as the XML the FCDO publishes (root ``Designations``).

Each ``Designation`` becomes a person (``IndividualEntityShip`` Individual) or an organisation
(Entity; ships are skipped with a warning), named by its first name of type "Primary Name"
(``Name1`` to ``Name6`` joined), with every other name and every non-Latin name as aliases,
its addresses' countries, and one listing on the UK list per regime (``RegimeName``) and day
designated (``DateDesignated``). ``DateGenerated`` is the source's date unless the file is a
version kept by ``kg fetch``.

Where the names come from: the FCDO's guidance "UK Sanctions List: change to the list's
format" (gov.uk, updated 17 February 2022) describes the ``Names 1-6`` fields and the name
type of each (Primary name, Primary name variation, Alias); the element names themselves are
those OpenSanctions' crawler of this file reads (``opensanctions/opensanctions``,
``datasets/gb/fcdo_sanctions/crawler.py``: ``Designation``, ``UniqueID``,
``IndividualEntityShip``, ``Names//Name`` with ``Name1``..``Name6`` and ``NameType``,
``NonLatinNames`` with ``NameNonLatinScript``, ``Addresses//Address`` with ``AddressCountry``,
``RegimeName``, ``DateDesignated``) and those of an extract of the live file kept as test data
by another public project (root ``Designations``, ``DateGenerated``). Both dates are written
day first, ``29/06/2012`` (the FCDO's guidance and the extract agree); ISO dates are read too.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "uk.xml").write_text('''<Designations><DateGenerated>30/11/2026</DateGenerated>
... <Designation><UniqueID>TST0001</UniqueID><RegimeName>Test</RegimeName>
... <IndividualEntityShip>Entity</IndividualEntityShip>
... <Names><Name><Name6>EXAMPLE TEST LTD</Name6><NameType>Primary Name</NameType></Name>
... <Name><Name6>ETL</Name6><NameType>Alias</NameType></Name></Names></Designation></Designations>''')
>>> [batch] = UKSanctionsReader().read(folder / "uk.xml", folder)
>>> batch.counts, batch.source.issued.isoformat()
({'read': 1, 'kept': 1, 'skipped': 0}, '2026-11-30')
>>> [(s.labels[0].text, s.aliases) for s in batch.statements if s.cls == "Organization"]
[('EXAMPLE TEST LTD', ['ETL'])]
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

__all__ = ["UKSanctionsReader"]

UK = ListInfo(key="uk-sanctions-list", name="UK Sanctions List", aliases=("UKSL",), measure_cls="Measure",
              imposer="United Kingdom government",
              url="https://www.gov.uk/government/publications/the-uk-sanctions-list")
_ROOT = re.compile(rb"<Designations[\s>]")
_PARTS = tuple(f"Name{n}" for n in range(1, 7))
#: the file writes its dates day first (29/06/2012); an ISO date is read as well
_DAY_FIRST = ("%d/%m/%Y", "%Y-%m-%d")


class UKSanctionsReader(XMLListReader):
    """Reads the UK Sanctions List XML."""

    root = _ROOT

    name = "uk-sanctions"
    priority = 30

    def read(self, path: Path, root: Path) -> list[Batch]:
        file = relative_name(path, root)
        table = Table(path=path, file=file, header=["Designation"])
        source = source_info(path, root, title=f"UK Sanctions List ({path.name})",
                             publisher="Foreign, Commonwealth and Development Office (UK)", url=UK.url,
                             note="The UK's official list of sanctions designations.", issued=_generated(path))
        out = ListStatements(source)
        number = 0
        try:
            for _, element in ET.iterparse(path, events=("end",)):
                if _local(element.tag) != "Designation":
                    continue
                number += 1
                table.read += 1
                _read_entry(table, out, number, element)
                element.clear()
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise InputError(path, f"not a UK Sanctions List XML file: {exc}", line=line,
                             hint="a cut-short download? kg fetch keeps only releases that parse") from exc
        return [Batch(source=source, statements=out.statements, file=file, counts=table.counts(),
                      warnings=table.warnings)]


def _read_entry(table: Table, out: ListStatements, number: int, element) -> None:
    fields = {_local(child.tag): (child.text or "").strip() for child in element if not len(child)}
    uid = fields.get("UniqueID") or str(number)
    primary, others = None, []
    for name in (n for n in element.iter() if _local(n.tag) == "Name"):
        parts = {_local(c.tag): (c.text or "").strip() for c in name}
        text = " ".join(parts[p] for p in _PARTS if parts.get(p))
        if not text:
            continue
        if primary is None and "primary name" == parts.get("NameType", "").strip().lower():
            primary = text
        elif text not in others:
            others.append(text)
    others += [(n.text or "").strip() for n in element.iter() if _local(n.tag).startswith("NameNonLatinScript")
               and (n.text or "").strip()]
    primary = primary or (others.pop(0) if others else None)
    if not primary:
        table.skip(number, f"Designation {uid}: no name")
        return
    kind = fields.get("IndividualEntityShip", "").lower()
    if kind == "ship":
        table.skip(number, f"ship {primary!r}: ships are not modelled")
        return
    cls = "Person" if kind == "individual" else "Organization"
    aliases = list(dict.fromkeys(a for a in others if a != primary))
    statement = Statement(key=f"entity/{uid}", cls=cls, labels=[Label(primary)], aliases=aliases,
                          origin=out.origin(number))
    codes = set()
    for node in element.iter():
        if _local(node.tag) in ("AddressCountry", "Country") and (node.text or "").strip():
            code = country_of(node.text)
            if code:
                codes.add(code)
            else:
                table.warn(number, f"unknown country {node.text.strip()!r} left out")
    if codes:
        statement.values["country"] = [out.country(code) for code in sorted(codes)]
    target = out.add(statement)
    designated = fields.get("DateDesignated")
    start, problem = parse_date(designated[:10], formats=_DAY_FIRST) if designated else (None, None)
    if problem:
        table.warn(number, f"DateDesignated {designated!r}: {problem}")
    regime = fields.get("RegimeName") or None
    out.measure(UK, f"{regime or 'no regime named'} {start or ''}".strip(), number, target, start=start,
                program=regime, note=f"UK unique ID {uid}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _generated(path: Path) -> date | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    found = re.search(rb"<(?:\w+:)?DateGenerated>\s*([\d/-]{10})", head)
    day, problem = parse_date(found.group(1).decode(), formats=_DAY_FIRST) if found else (None, None)
    return day if day is not None and problem is None else None
