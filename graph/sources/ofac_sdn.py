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
from collections.abc import Iterator
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
#: bytes fed to the parser at a time: a few dozen entries' elements alive at once (with more, the
#: garbage collector, when it runs, finds them alive, keeps them longer and walks them again)
_BLOCK = 1 << 14
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
        entries = _Entries(table, out)
        try:
            for number, element in enumerate(_entries(path), start=1):
                table.read += 1
                entries.read(number, element)
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise InputError(path, f"not an OFAC SDN XML file: {exc}", line=line,
                             hint="a cut-short download? kg fetch keeps only releases that parse") from exc
        return [Batch(source=source, statements=out.statements, file=file, counts=table.counts(),
                      warnings=table.warnings)]


def _entries(path: Path) -> Iterator[ET.Element]:
    """The ``sdnEntry`` elements of an ``SDN.XML``, each once it is whole, then let go.

    The parser builds the tree in C, a block of the file at a time; the entries (the root's
    children) are taken from the tree as they are completed, so that neither the whole tree
    (500,000 elements) nor a Python step per element (``iterparse`` yields every one) is
    paid for. The builder is given an element of its own to open first: the file's root
    becomes its child, which is how the root is reached while the file is being read.
    """
    builder = ET.TreeBuilder()
    holder = builder.start("file", {})
    parser = ET.XMLParser(target=builder)
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            parser.feed(block)
            if len(holder):
                root = holder[0]
                whole = len(root) - 1  # the last child may still be open
                for element in root[:whole]:
                    if element.tag.endswith("sdnEntry"):
                        yield element
                del root[:whole]
    parser.close()  # a file cut short fails here, at its last line
    for element in holder[0] if len(holder) else ():
        if element.tag.endswith("sdnEntry"):
            yield element


class _Entries:
    """Turns each ``sdnEntry`` element into its entity and its listing.

    Only the fields the graph holds are looked up (names, aliases, identifiers, addresses,
    programmes, remarks), each by its tag in the file's namespace, in C (``findtext``); the
    rest (dates and places of birth, nationalities, vessel details) is never visited. Each
    country name's ISO code is looked up once per file (a few hundred names, written again
    and again).
    """

    def __init__(self, table: Table, out: ListStatements) -> None:
        self.table, self.out = table, out
        self._tags: dict[str, _Tags] = {}
        self._codes: dict[str, str | None] = {}

    def read(self, number: int, element: ET.Element) -> None:
        namespace = element.tag[: -len("sdnEntry")]  # "{https://...}" or ""
        tags = self._tags.get(namespace) or self._tags.setdefault(namespace, _Tags(namespace))
        first, last = _text(element, tags.first), _text(element, tags.last)
        uid = _text(element, tags.uid) or str(number)
        kind = _text(element, tags.kind).lower()
        name = _name(first, last)
        table, out = self.table, self.out
        if not name:
            table.skip(number, f"sdnEntry {uid}: no name")
            return
        if kind in _SKIPPED_TYPES:
            table.skip(number, f"{kind} {name!r}: vessels and aircraft are not modelled")
            return
        cls = "Person" if kind == "individual" else "Organization"
        aliases = []
        for aka in _items(element, tags.akas):
            alias = _name(aka.findtext(tags.first, "").strip(), aka.findtext(tags.last, "").strip())
            if alias and alias != name and alias not in aliases:
                aliases.append(alias)
        if cls == "Person" and first and last:
            inverted = f"{last}, {first}"  # the order the CSL writes them in
            if inverted not in aliases:
                aliases.append(inverted)
        statement = Statement(key=f"entity/{uid}", cls=cls, labels=[Label(name)], aliases=aliases,
                              origin=out.origin(number))
        identifiers = []
        for item in _items(element, tags.ids):
            id_type, id_number = _text(item, tags.id_type), _text(item, tags.id_number)
            if id_type and id_number:
                text = f"{id_type} {id_number}"
                if text not in identifiers:
                    identifiers.append(text)
        if identifiers:
            statement.values["identifier"] = identifiers
        addresses, codes = [], set()
        for item in _items(element, tags.addresses):
            texts = {part.tag: part.text for part in item}  # an address has a few of its seven parts
            parts = [text.strip() for tag in tags.address_parts if (text := texts.get(tag))]
            text = ", ".join(part for part in parts if part)
            if text and text not in addresses:
                addresses.append(text)
            country = (texts.get(tags.country) or "").strip()
            if country:
                code = self._code(country)
                if code is None:
                    table.warn(number, f"unknown country {country!r} left out")
                else:
                    codes.add(code)
        if addresses and cls != "Person":
            statement.values["address"] = addresses
        if codes:
            statement.values["country"] = [out.country(code) for code in sorted(codes)]
        target = out.add(statement)
        # One listing per entry, grouped by its programmes, as the CSL reader groups its rows (the
        # file dates no designation: the entries of one set of programmes are one measure).
        programs = "; ".join(text for item in _items(element, tags.programs) if (text := (item.text or "").strip()))
        out.measure(SDN, f"programmes {programs}" if programs else "no programme named", number, target,
                    program=programs or None, note=_text(element, tags.remarks) or None)

    def _code(self, country: str) -> str | None:
        code = self._codes.get(country, _UNSEEN)
        if code is _UNSEEN:
            code = self._codes[country] = country_of(country)
        return code


class _Tags:
    """The tags the reader looks up, in one namespace (``SDN.XML`` writes all in its own)."""

    def __init__(self, namespace: str) -> None:
        self.uid, self.kind, self.first, self.last, self.remarks = (
            namespace + tag for tag in ("uid", "sdnType", "firstName", "lastName", "remarks"))
        self.akas, self.ids, self.addresses, self.programs = (
            namespace + tag for tag in ("akaList", "idList", "addressList", "programList"))
        self.id_type, self.id_number, self.country = (namespace + tag for tag in ("idType", "idNumber", "country"))
        #: an address's parts, in the order they are written out
        self.address_parts = tuple(namespace + tag for tag in (
            "address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country"))


_UNSEEN = object()


def _text(element: ET.Element, tag: str) -> str:
    """The text of ``element``'s first child ``tag``, stripped; "" when there is none."""
    return element.findtext(tag, "").strip()


def _items(element: ET.Element, tag: str) -> ET.Element | tuple:
    """The items of ``element``'s list ``tag`` (``akaList``): the list element, or () without one."""
    found = element.find(tag)
    return () if found is None else found


def _name(first: str, last: str) -> str:
    """The name an entry or an alias is known by: its first and last names (each stripped)."""
    return f"{first} {last}" if first and last else first or last


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
