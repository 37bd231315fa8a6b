"""OFAC's SDN list as the XML it publishes (``SDN.XML``, root ``sdnList``).

Each ``sdnEntry`` becomes an entity (a person for ``sdnType`` Individual, else an
organisation) with its names (the primary name, and every ``aka``, strong or weak),
identifiers (``idType`` and ``idNumber``), addresses and their countries, and one listing on
the SDN list under the programmes it names (``programList``). Vessels and aircraft are skipped with a
warning, as the CSL reader does. The file's ``Publish_Date`` is the source's date unless the
file is a version kept by ``kg fetch`` (whose record says the same, and when it was retrieved).

The legacy ``SDN.XML`` writes names in Latin script only; OFAC's advanced XML carries the
other scripts and is not read here.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "sdn.xml").write_text('''<sdnList xmlns="https://tempuri.org/sdnList.xsd">
...   <publshInformation><Publish_Date>01/02/2026</Publish_Date><Record_Count>1</Record_Count></publshInformation>
...   <sdnEntry><uid>7</uid><lastName>EXAMPLE TRADING LTD</lastName><sdnType>Entity</sdnType>
...     <programList><program>EXAMPLE</program></programList>
...     <akaList><aka><uid>8</uid><type>a.k.a.</type><category>strong</category><lastName>EXTRA LTD</lastName></aka></akaList>
...   </sdnEntry></sdnList>''')
>>> [batch] = OFACSDNReader().read(folder / "sdn.xml", folder)
>>> batch.counts, batch.source.issued.isoformat()
({'read': 1, 'kept': 1, 'skipped': 0}, '2026-01-02')
>>> [(s.labels[0].text, s.aliases) for s in batch.statements if s.cls == "Organization"]
[('EXAMPLE TRADING LTD', ['EXTRA LTD'])]
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from graph.errors import InputError
from graph.model.statements import Label, Statement
from graph.sources._base import Batch, relative_name
from graph.sources._lists import XMLListReader, ListInfo, ListStatements, Table, country_of, source_info

__all__ = ["OFACSDNReader"]

#: the same list, agency and parent the CSL reader names for the CSL's SDN rows, so that both meet
SDN = ListInfo(key="specially-designated-nationals", name="Specially Designated Nationals", aliases=("SDN",),
               measure_cls="Measure", imposer="Treasury Department", imposer_parent="United States government",
               url="https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists")
_SKIPPED_TYPES = {"vessel", "aircraft"}
_ROOT = re.compile(rb"<(?:\w+:)?sdnList[\s>]")


class OFACSDNReader(XMLListReader):
    """Reads OFAC's ``SDN.XML``."""

    root = _ROOT

    name = "ofac-sdn"
    priority = 30

    def read(self, path: Path, root: Path) -> list[Batch]:
        file = relative_name(path, root)
        table = Table(path=path, file=file, header=["sdnEntry"])
        source = source_info(path, root, title=f"OFAC SDN list ({path.name})",
                             publisher="Office of Foreign Assets Control, US Department of the Treasury",
                             url="https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas",
                             note="US government list (public domain).", issued=_published(path))
        out = ListStatements(source)
        number = 0
        local: dict[str, str] = {}  # tag -> its name without the namespace, made once per tag
        try:
            for _, element in ET.iterparse(path, events=("end",)):
                tag = element.tag
                if not tag.endswith("sdnEntry"):  # a string test per element: there are ~30 per entry
                    continue
                number += 1
                table.read += 1
                _read_entry(table, out, number, _fields(element, local))
                element.clear()  # 18,000 entries: each freed once read
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise InputError(path, f"not an OFAC SDN XML file: {exc}", line=line,
                             hint="a cut-short download? kg fetch keeps only releases that parse") from exc
        return [Batch(source=source, statements=out.statements, file=file, counts=table.counts(),
                      warnings=table.warnings)]


def _read_entry(table: Table, out: ListStatements, number: int, entry: dict) -> None:
    uid, kind = entry.get("uid") or str(number), (entry.get("sdnType") or "").lower()
    name = _name(entry)
    if not name:
        table.skip(number, f"sdnEntry {uid}: no name")
        return
    if kind in _SKIPPED_TYPES:
        table.skip(number, f"{kind} {name!r}: vessels and aircraft are not modelled")
        return
    cls = "Person" if kind == "individual" else "Organization"
    aliases = []
    for aka in entry.get("akaList", []):
        alias = _name(aka)
        if alias and alias != name and alias not in aliases:
            aliases.append(alias)
    if cls == "Person" and entry.get("firstName") and entry.get("lastName"):
        inverted = f"{entry['lastName']}, {entry['firstName']}"  # the order the CSL writes them in
        if inverted not in aliases:
            aliases.append(inverted)
    statement = Statement(key=f"entity/{uid}", cls=cls, labels=[Label(name)], aliases=aliases,
                          origin=out.origin(number))
    identifiers = []
    for item in entry.get("idList", []):
        if item.get("idType") and item.get("idNumber"):
            text = f"{item['idType']} {item['idNumber']}"
            if text not in identifiers:
                identifiers.append(text)
    if identifiers:
        statement.values["identifier"] = identifiers
    addresses, codes = [], set()
    for item in entry.get("addressList", []):
        parts = [item.get(k) for k in ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode",
                                       "country")]
        text = ", ".join(p for p in parts if p)
        if text and text not in addresses:
            addresses.append(text)
        code = country_of(item.get("country") or "")
        if item.get("country") and code is None:
            table.warn(number, f"unknown country {item['country']!r} left out")
        if code:
            codes.add(code)
    if addresses and cls != "Person":
        statement.values["address"] = addresses
    if codes:
        statement.values["country"] = [out.country(code) for code in sorted(codes)]
    target = out.add(statement)
    # One listing per entry, grouped by its programmes, as the CSL reader groups its rows (the
    # file dates no designation: the entries of one set of programmes are one measure).
    programs = "; ".join(p for p in entry.get("programList", []) if p)
    out.measure(SDN, f"programmes {programs}" if programs else "no programme named", number, target,
                program=programs or None, note=entry.get("remarks") or None)


def _name(item: dict) -> str:
    return " ".join(p for p in (item.get("firstName"), item.get("lastName")) if p).strip()


def _fields(element, local: dict[str, str]) -> dict:
    """An ``sdnEntry`` as a dict: its simple fields, and each ``...List`` as a list of dicts or texts.

    ``local`` maps each tag met so far to its name without the namespace (``{...}sdnType`` to
    ``sdnType``): a file has a few dozen tags and 500,000 elements, so each is cut once.
    """
    out: dict = {}
    for child in element:
        tag = local.get(child.tag) or local.setdefault(child.tag, _local(child.tag))
        if tag.endswith("List"):
            items = []
            for item in child:
                if len(item):
                    items.append({local.get(g.tag) or local.setdefault(g.tag, _local(g.tag)): (g.text or "").strip()
                                  for g in item})
                else:
                    items.append((item.text or "").strip())
            out[tag] = items
        else:
            out[tag] = (child.text or "").strip()
    return out


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


def _published(path: Path) -> date | None:
    """The ``Publish_Date`` the file states near its top (``MM/DD/YYYY``), or None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    found = re.search(rb"<(?:\w+:)?Publish_Date>\s*(\d{2})/(\d{2})/(\d{4})\s*<", head)
    if not found:
        return None
    month, day, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
