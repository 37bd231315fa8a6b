"""The EU's consolidated financial sanctions list, as the XML the Commission publishes (root ``export``).

Each ``sanctionEntity`` becomes a person (``subjectType`` person) or an organisation, with its
names (the first ``nameAlias``'s ``wholeName``, then every other, in whatever language and
script the file gives), its identifications as identifiers (type and number), its addresses'
countries, and one listing on the EU list per programme (``regulation/@programme``) and
designation date, whose legal basis is the first regulation's number and title. The root's
``generationDate`` is the source's date unless the file is a version kept by ``kg fetch``.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "eu.xml").write_text('''<export xmlns="http://eu.europa.ec/fpi/fsd/export"
...   generationDate="2026-08-05T16:47:04.449+02:00"><sanctionEntity euReferenceNumber="EU.1.1" logicalId="9">
...   <regulation programme="TEST" numberTitle="2026/1 (OJ L1)"/><subjectType code="enterprise"/>
...   <nameAlias wholeName="Example Test Holdings" strong="true"/><nameAlias wholeName="ETH" strong="false"/>
...   </sanctionEntity></export>''')
>>> [batch] = EUFSFReader().read(folder / "eu.xml", folder)
>>> batch.counts, batch.source.issued.isoformat()
({'read': 1, 'kept': 1, 'skipped': 0}, '2026-08-05')
>>> [(s.labels[0].text, s.aliases) for s in batch.statements if s.cls == "Organization"]
[('Example Test Holdings', ['ETH'])]
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from graph.errors import InputError
from graph.model.statements import Label, Statement
from graph.sources._base import Batch, relative_name
from graph.sources._lists import XMLListReader, ListInfo, ListStatements, Table, country_code, parse_date, source_info

__all__ = ["EUFSFReader"]

EU = ListInfo(key="eu-consolidated-financial-sanctions-list", name="EU Consolidated Financial Sanctions List",
              aliases=("EU FSF",), measure_cls="Measure", imposer="European Union",
              url="https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions")
_NS = "{http://eu.europa.ec/fpi/fsd/export}"
_ROOT = re.compile(rb"<export[^>]*http://eu\.europa\.ec/fpi/fsd/export")


class EUFSFReader(XMLListReader):
    """Reads the EU Financial Sanctions Files' consolidated XML."""

    root = _ROOT

    name = "eu-fsf"
    priority = 30

    def read(self, path: Path, root: Path) -> list[Batch]:
        file = relative_name(path, root)
        table = Table(path=path, file=file, header=["sanctionEntity"])
        source = source_info(path, root, title=f"EU consolidated financial sanctions list ({path.name})",
                             publisher="European Commission (Financial Sanctions Files)", url=EU.url,
                             note="EU consolidated list of persons, groups and entities subject to financial sanctions.",
                             issued=_generated(path))
        out = ListStatements(source)
        number = 0
        try:
            for _, element in ET.iterparse(path, events=("end",)):
                if element.tag != _NS + "sanctionEntity":
                    continue
                number += 1
                table.read += 1
                _read_entry(table, out, number, element)
                element.clear()
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise InputError(path, f"not an EU financial sanctions XML file: {exc}", line=line,
                             hint="a cut-short download? kg fetch keeps only releases that parse") from exc
        return [Batch(source=source, statements=out.statements, file=file, counts=table.counts(),
                      warnings=table.warnings)]


def _read_entry(table: Table, out: ListStatements, number: int, element) -> None:
    uid = element.get("logicalId") or str(number)
    names = []
    for alias in element.iter(_NS + "nameAlias"):
        name = (alias.get("wholeName") or "").strip()
        if name and name not in names:
            names.append(name)
    if not names:
        table.skip(number, f"sanctionEntity {uid}: no name")
        return
    kind = element.find(_NS + "subjectType")
    cls = "Person" if kind is not None and kind.get("code") == "person" else "Organization"
    statement = Statement(key=f"entity/{uid}", cls=cls, labels=[Label(names[0])], aliases=names[1:],
                          origin=out.origin(number))
    identifiers = []
    for item in element.iter(_NS + "identification"):
        if item.get("number"):
            text = " ".join(p for p in (item.get("identificationTypeCode"), item.get("number")) if p)
            if text not in identifiers:
                identifiers.append(text)
    if identifiers:
        statement.values["identifier"] = identifiers
    codes = {code for item in element.iter(_NS + "address")
             if (code := country_code(item.get("countryIso2Code") or "")) and item.get("countryIso2Code") != "00"}
    if codes:
        statement.values["country"] = [out.country(code) for code in sorted(codes)]
    target = out.add(statement)
    regulations = list(element.iter(_NS + "regulation"))
    programmes = sorted({r.get("programme") for r in regulations if r.get("programme")})
    designated = element.get("designationDate")
    start, problem = parse_date(designated) if designated else (None, None)
    if problem:
        table.warn(number, f"designationDate {designated!r}: {problem}")
    basis = next((r.get("numberTitle") for r in regulations if r.get("numberTitle")), None)
    program = "; ".join(programmes) or None
    group = f"{program or 'no programme named'} {start or ''}".strip()
    reference = element.get("euReferenceNumber")
    out.measure(EU, group, number, target, start=start, program=program, legal_basis=basis,
                note=f"EU reference number {reference}" if reference else None)


def _generated(path: Path) -> date | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    found = re.search(rb'generationDate="(\d{4}-\d{2}-\d{2})', head)
    return date.fromisoformat(found.group(1).decode()) if found else None
