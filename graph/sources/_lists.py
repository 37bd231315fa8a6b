"""What the official-list readers share: tolerant table reading and rows turned into statements.

Real lists have bad rows: repeated header rows, empty names, cells in another encoding, dates
in odd formats. Such rows give a warning naming the file and row and are skipped or kept as
the data allows; only a file that is not the format it claims stops the build. Every reader
returns its counts (``read``, ``kept``, ``skipped``) in its batch.

A list that is one table, one row per listed entity (the BIS MIEU, Section 889, FCC and 1260H
lists), is read by a :class:`TableListReader`: the row loop is written once, and each reader
declares its columns, its source and which cell says what.

Examples
--------
>>> parse_date("2019-10-09")
(datetime.date(2019, 10, 9), None)
>>> parse_date("March 12, 2021")
(datetime.date(2021, 3, 12), 'odd date format')
>>> parse_date("March 12, 2021", formats=("%B %d, %Y",))
(datetime.date(2021, 3, 12), None)
>>> parse_date("soon")
(None, 'not a date')
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from graph.errors import InputError
from graph.model.ontology import slugify
from graph.io.spool import statement_list
from graph.model.statements import Evidence, Label, Origin, Ref, SourceInfo, Statement
from graph.sources._base import Batch, Reader, is_plausible, relative_name, sha256_of, sniff_header
from graph.model.countries import country_code as _country_code, country_name
from graph.io.tabular import read_delimited

__all__ = ["ListInfo", "Table", "ListStatements", "TableListReader", "XMLListReader", "read_list_table", "parse_date",
           "country_code", "country_of", "listing_name"]

_ISO = ("%Y-%m-%d",)
#: a cell longer than this is not a name, a date or a note: its row is skipped with a warning
MAX_CELL = 10_000
#: columns read from a header; real lists have a few dozen
MAX_COLUMNS = 1_000
_ODD_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")


@dataclass(frozen=True)
class ListInfo:
    """A restricted-party list: its name, the measure it stands for and who keeps it."""

    key: str
    name: str
    measure_cls: str
    imposer: str
    imposer_parent: str | None = None
    aliases: tuple[str, ...] = ()
    url: str | None = None


@dataclass
class Table:
    """The rows of one list file that look like data, with the warnings reading them gave."""

    path: Path
    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    read: int = 0
    skipped: int = 0

    def warn(self, row: int | None, message: str) -> None:
        where = self.file if row is None else f"{self.file}, row {row}"
        self.warnings.append(f"{where}: {message}")

    def skip(self, row: int, message: str) -> None:
        self.warn(row, f"{message}; row skipped")
        self.skipped += 1

    def counts(self) -> dict[str, int]:
        return {"read": self.read, "kept": self.read - self.skipped, "skipped": self.skipped}


def read_list_table(path: Path, root: Path, *, kind: str, delimiter: str, required: list[str],
                    known: list[str] | None = None) -> Table:
    """Read a list table tolerantly; raise InputError only when it is not a ``kind`` table.

    ``required`` columns must all be in the header (else the file is not what it claims);
    columns outside ``known`` give one warning and are ignored. Rows that repeat the header
    are skipped with a warning; lines that are not UTF-8 are read as Windows-1252 with one.
    """
    file = relative_name(path, root)
    table = Table(path=path, file=file, header=[])
    read = read_delimited(path, delimiter=delimiter, label=f"{kind} file")
    for note in read.notes:
        table.warn(None, note)
    records = [read.header, *(cells for _, cells in read.rows)]
    numbers = [1, *(number for number, _ in read.rows)]
    header = [cell.strip() for cell in records[0]]
    if len(header) > MAX_COLUMNS:
        table.warn(None, f"the header has {len(header):,} columns; only the first {MAX_COLUMNS:,} are read")
        header = header[:MAX_COLUMNS]
    header = [_shorten(cell) for cell in header]
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(path, f"not a {kind} file: the header {_short(header)!r} lacks {missing!r}", line=1,
                         hint=f"a {kind} file has the columns {required!r}; is this the right file?")
    table.header = header
    if known is not None:
        unknown = [column for column in header if column and column not in known]
        if unknown:
            table.warn(None, f"unknown column(s) {_short(unknown)!r} ignored")
    for number, cells in zip(numbers[1:], records[1:]):
        table.read += 1
        stripped = [cell.strip() for cell in cells]
        if stripped[: len(header)] == header or (stripped and stripped[0] == header[0] and
                                                   sum(a == b for a, b in zip(stripped, header)) * 2 > len(header)):
            table.skip(number, "repeats the header row")
            continue
        huge = next((i for i, cell in enumerate(cells) if len(cell) > MAX_CELL), None)
        if huge is not None:
            column = header[huge] if huge < len(header) else f"cell {huge + 1}"
            table.skip(number, f"{column!r} holds {len(cells[huge]):,} characters (more than {MAX_CELL:,}): "
                               f"{_shorten(cells[huge])!r}")
            continue
        if len(cells) < len(header):
            table.skip(number, f"only {len(cells)} of {len(header)} cells (cut short, or a stray quote)")
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
            table.warn(number, f"{len(cells)} cells for {len(header)} columns; extra cells ignored")
        cells = cells + [""] * (len(header) - len(cells))
        table.rows.append((number, {column: cells[i].strip() for i, column in enumerate(header) if column}))
    return table


def parse_date(value: str, formats: tuple[str, ...] = _ISO) -> tuple[date | None, str | None]:
    """A date from ``value`` and why it is doubtful (None when it is in an expected format).

    Expected ``formats`` parse silently; other common formats parse with ``"odd date
    format"``; a date followed by other text keeps the date with ``"text after the date
    ignored"``; a date outside the years 1900 to 2100 is kept with ``"implausible date"``;
    anything else is ``(None, "not a date")``.

    >>> parse_date("2019-02-30")
    (None, 'not a date')
    >>> parse_date("9999-12-31")
    (datetime.date(9999, 12, 31), 'implausible date (outside 1900-2100)')
    """
    value = value.strip()
    parsed, problem = _strptime(value, formats)
    if parsed is None:
        leading = re.match(r"([A-Z][a-z]+ \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2})", value)
        if leading and leading.group(1) != value:
            parsed, _ = _strptime(leading.group(1), formats)
            problem = "text after the date ignored"
    if parsed is None:
        return None, "not a date"
    if not is_plausible(parsed):
        return parsed, "implausible date (outside 1900-2100)"
    return parsed, problem


def _strptime(value: str, formats: tuple[str, ...]) -> tuple[date | None, str | None]:
    for formats_, problem in ((formats, None), (_ISO + _ODD_FORMATS, "odd date format")):
        for fmt in formats_:
            try:
                return datetime.strptime(value, fmt).date(), problem
            except ValueError:
                continue
    return None, None


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name or code, or None (:func:`graph.model.countries.country_code`).

    >>> country_code("China"), country_code("CN"), country_code("USA"), country_code("Atlantis")
    ('CN', 'CN', 'US', None)
    """
    return _country_code(value)


#: country names the official lists write that ISO 3166's tables do not hold as such
_LIST_COUNTRY_NAMES = {"korea, north": "KP", "north korea": "KP", "korea, south": "KR", "south korea": "KR",
                       "burma": "MM", "turkey": "TR", "democratic republic of the congo": "CD",
                       "congo, democratic republic of the": "CD", "west bank": "PS", "gaza": "PS"}


def country_of(name: str) -> str | None:
    """:func:`country_code`, also for the country names the sanctions lists write.

    >>> country_of("Russia"), country_of("Korea, North"), country_of("Iran"), country_of("Atlantis")
    ('RU', 'KP', 'IR', None)
    """
    value = name.strip() if name else ""
    if not value:
        return None
    return country_code(value) or _LIST_COUNTRY_NAMES.get(value.casefold()) or _fuzzy_country(value)


@lru_cache(maxsize=1024)
def _fuzzy_country(value: str) -> str | None:
    # only a country whose name begins with the value ("Russia" for the Russian Federation, "Iran"
    # for "Iran, Islamic Republic of"): the fuzzy search's other guesses are too loose to trust
    import pycountry

    try:
        found = pycountry.countries.search_fuzzy(value)
    except LookupError:
        return None
    folded = value.casefold()
    for country in found[:1]:
        names = [getattr(country, k, "") or "" for k in ("name", "official_name", "common_name")]
        if any(n.casefold().startswith(folded) for n in names):
            return country.alpha_2
    return None


class ListStatements:
    """Collects the statements one list file makes: its list, bodies, countries, rows."""

    def __init__(self, source: SourceInfo) -> None:
        self.source = source
        # a list, or inside graph.io.spool.spooling a spool that keeps full chunks on disk
        self.statements = statement_list()
        self._keys: set[str] = set()
        # what every row asks again (its list's body, its measure's slug, a country): made once
        self._memo: dict[tuple, object] = {}

    def evidence(self, row: int | None, *, url: str | None = None, note: str | None = None,
                 confidence: float = 1.0, names: Ref | None = None) -> Evidence:
        return Evidence(source=self.source.id, method="imported", confidence=confidence, file=self.source.file,
                        row=row, url=url, note=note, names=names.key if names is not None else None)

    def origin(self, row: int | None) -> Origin:
        return Origin(self.source.file, row, unit="row")

    def __contains__(self, key: str) -> bool:
        """Whether a statement with ``key`` was added (one set look-up, however many there are)."""
        return key in self._keys

    def add(self, statement: Statement) -> Ref:
        self.statements.append(statement)
        self._keys.add(statement.key)
        return Ref(key=statement.key)

    def body(self, name: str, parent: str | None = None, country: str | None = "US") -> Ref:
        """A government body named by the list's metadata (declared once per file)."""
        memo = ("body", name, parent, country)
        if memo in self._memo:
            return self._memo[memo]
        key = f"body/{slugify(name)}"
        if key not in self._keys:
            values: dict[str, list[object]] = {}
            if parent:
                values["subOrganizationOf"] = [self.body(parent, None, country)]
            if country:
                values["country"] = [self.country(country)]
            self.add(Statement(key=key, cls="GovernmentBody", labels=[Label(name, "en")], values=values,
                               origin=self.origin(None)))
        ref = self._memo[memo] = Ref(key=key)
        return ref

    def list_(self, info: ListInfo) -> Ref:
        key = f"list/{info.key}"
        if key not in self._keys:
            self.add(Statement(key=key, cls="RestrictedPartyList", labels=[Label(info.name, "en")],
                               aliases=list(info.aliases), origin=self.origin(None)))
        return Ref(key=key)

    def country(self, code: str) -> Ref:
        """The country with ISO code ``code``, labelled from the ISO 3166 table (pycountry)."""
        memo = ("country", code)
        if memo in self._memo:
            return self._memo[memo]
        code = code.upper()
        key = f"country/{code.lower()}"
        if key not in self._keys:
            name = _country(code)[1] or country_name(code) or code
            self.add(Statement(key=key, cls="Country", labels=[Label(name, "en")], values={"isoCode": [code]},
                               origin=self.origin(None)))
        ref = self._memo[memo] = Ref(key=key)
        return ref

    @property
    def snapshot(self) -> str | None:
        """The day in the list file's name (``..._2023-11-30.csv``), the date of its rows without one."""
        found = re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", Path(self.source.file).name)
        return found.group(1) if found else None

    def measure(self, info: ListInfo, group: str, row: int, target: Ref, *, start: date | None = None,
                end: date | None = None, legal_basis: str | None = None, requirement: str | None = None,
                policy: str | None = None, program: str | None = None, url: str | None = None,
                note: str | None = None, extra_evidence: list[Evidence] | None = None,
                title: str | None = None, announced: date | None = None) -> None:
        """One row's listing: rows sharing ``group`` are one measure with several targets.

        The measure is named ``"{list}: {title}"``; by default ``title`` is ``group``, but a group
        made of a row number (``"row 30946"``) is named by its dates and citation instead
        (:func:`listing_name`): a reader knows a list entry by its list and date, not its row.
        """
        values: dict[str, list[object]] = {
            "targets": [target],
            "onList": [self.list_(info)],
            "imposedBy": [self.body(info.imposer, info.imposer_parent)],
        }
        optional = {"startDate": start, "endDate": end, "legalBasis": legal_basis, "licenseRequirement": requirement,
                    "licensePolicy": policy, "program": program, "announcedOn": announced}
        for name, value in optional.items():
            if value:
                values[name] = [value]
        key = self._memo.get(("measure", info.key, group))
        if key is None:  # rows of one measure share its group: its slug is made once
            slug = slugify(group)
            if len(slug) > 60:  # long notice histories: keep the IRI readable and unique
                slug = f"{slug[:48].rstrip('-')}-{hashlib.sha1(slug.encode()).hexdigest()[:10]}"
            key = self._memo[("measure", info.key, group)] = f"{info.key}/{slug}"
        if title is None:
            title = listing_name(start, end, legal_basis, self.snapshot) if group.startswith("row ") else group
        label = f"{info.name}: {title}"
        self.add(Statement(key=key, cls=info.measure_cls, labels=[Label(label, "en")], values=values,
                           # the row names one target: its evidence says which, for that target's page
                           evidence=[self.evidence(row, url=url, note=note, names=target),
                                     *(extra_evidence or [])],
                           origin=self.origin(row)))

    def ownership(self, row: int, owner: str, owned: Ref, *, relation: str, note: str, url: str | None = None,
                  confidence: float = 0.8) -> None:
        """An ownership-or-control link whose share the list does not give (none is written)."""
        owner_ref = self.organisation(owner, row)
        self.add(Statement(key=f"parent/row-{row}", cls="Ownership",
                           values={"owner": [owner_ref], "ownedEntity": [owned], "relation": [relation],
                                   "note": [note]},
                           evidence=[self.evidence(row, url=url, note=note, confidence=confidence)],
                           origin=self.origin(row)))

    def organisation(self, name: str, row: int) -> Ref:
        """An organisation the list names only in passing (a parent company)."""
        key = f"named/{slugify(name)}"
        if key not in self._keys:
            self.add(Statement(key=key, cls="Company", labels=[Label(name)], origin=self.origin(row),
                               evidence=[self.evidence(row)]))
        return Ref(key=key)


def listing_name(start: date | None, end: date | None = None, citation: str | None = None,
                 snapshot: str | None = None) -> str:
    """How a list entry's measure reads after its list's name: its dates, then its citation.

    Without a start date, the date of the list's snapshot stands in (the entry was on the list
    that day).

    Examples
    --------
    >>> listing_name(date(2023, 6, 15), date(2023, 12, 12), "88 F.R. 40205")
    'listed 2023-06-15 until 2023-12-12 (88 F.R. 40205)'
    >>> listing_name(None, snapshot="2023-11-30")
    'on the list as of 2023-11-30'
    >>> listing_name(None, citation="53 FR 27097")
    'undated entry (53 FR 27097)'
    """
    if start:
        text = f"listed {start.isoformat()}"
    elif snapshot:
        text = f"on the list as of {snapshot}"
    else:
        text = "undated entry"
    if end:
        text += f" until {end.isoformat()}"
    if citation:
        text += f" ({citation})"
    return text


def source_info(path: Path, root: Path, *, title: str, publisher: str, url: str | None, note: str | None = None,
                issued: date | None = None) -> SourceInfo:
    """The source a list file speaks for, named after the file.

    A version kept by ``kg fetch`` speaks for itself: its record (:mod:`graph.io.versions`) gives
    the publisher, the URL it came from, the publication date the file states (else the day
    it was retrieved) and the retrieval time. Another file's ``issued`` date, unless given, is
    the date of the version it is a copy of, as ``copies.tsv`` beside it records it (with where
    it was copied from), else the day its name states (``watchman_testdata_csl_2023-11-30.csv``:
    the list as published on 2023-11-30). A listing with no date of its own is in force from
    that day (:mod:`graph.dates`).
    """
    file = relative_name(path, root)
    record = _version_record(path)
    retrieved = None
    if record is not None:
        published = record.get("published") or record["retrieved"][:10]
        issued = date.fromisoformat(published)
        publisher = record.get("publisher") or publisher
        retrieved = record["retrieved"]
        url = record.get("url") or url
        title = f"{record.get('title') or title}, version retrieved {record['retrieved'][:10]}"
        said = [f"Retrieved {record['retrieved']} from {record.get('url')}",
                f"published {record['published']} (as the file states)" if record.get("published") else
                "no publication date in the file (in force from the day it was retrieved)",
                f"{record.get('entries')} entries" if record.get("entries") is not None else None,
                f"licence: {record['licence']}" if record.get("licence") else None]
        note = "; ".join(s for s in said if s) + "." + (f" {note}" if note else "")
    elif issued is None:
        from graph.dates import day_or_none

        copy = copy_record(path)
        if copy is not None:
            issued = copy["version_date"]
            said = f"A copy of the version of {copy['version_date'].isoformat()} ({copy['how_known']}): {copy['copied_from']}."
            note = f"{note} {said}" if note else said
        else:
            named = re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", Path(file).name)
            issued = day_or_none(named.group(1)) if named else None
    return SourceInfo(id=slugify(Path(file).with_suffix("").as_posix()), title=title, file=file, publisher=publisher,
                      url=url, sha256=sha256_of(path), kind="table", note=note, issued=issued, language="en",
                      retrieved=retrieved)


#: the table, beside list files copied from elsewhere, of the version each one is a copy of
COPIES_FILE = "copies.tsv"
COPIES_COLUMNS = ["file", "version_date", "copied_from", "how_known"]


def copy_record(path: Path) -> dict | None:
    """The row of ``copies.tsv`` (in ``path``'s folder) that names ``path``, or None.

    The row gives the version the file is a copy of: ``version_date`` (a day), ``copied_from``
    (the URL of that version) and ``how_known`` (how the date is known).

    >>> row = copy_record(Path("data/lists/opensanctions_us_special_leg_section_889.csv"))
    >>> row["version_date"].isoformat(), row["copied_from"].startswith("https://github.com/opensanctions/")
    ('2026-08-18', True)
    >>> copy_record(Path("data/lists/entity_list_2019_10.tsv")) is None
    True
    """
    table_path = path.parent / COPIES_FILE
    if not table_path.is_file():
        return None
    return _copies(table_path, table_path.stat().st_mtime_ns).get(path.name)


@lru_cache(maxsize=8)
def _copies(table_path: Path, _mtime: int) -> dict[str, dict]:
    from graph.dates import parse_day
    from graph.io.tabular import read_delimited

    table = read_delimited(table_path, delimiter="\t", quotes=False, label="table of copied lists")
    if table.header[: len(COPIES_COLUMNS)] != COPIES_COLUMNS:
        raise InputError(table_path, f"the header is {table.header!r}", line=1,
                         hint=f"the table of copied lists has the columns {', '.join(COPIES_COLUMNS)}")
    out: dict[str, dict] = {}
    for number, cells in table.rows:
        row = dict(zip(COPIES_COLUMNS, (cell.strip() for cell in cells)))
        if not row.get("file") or not row.get("copied_from"):
            raise InputError(table_path, "a row names no file or no copied_from URL", line=number, unit="row",
                             hint="each row names a file beside the table, the day of its version and its URL")
        row["version_date"] = parse_day(row.get("version_date") or "", param="version_date", path=table_path,
                                        line=number)
        row["how_known"] = row.get("how_known") or "how the date is known is not said"
        out[row["file"]] = row
    return out


def _version_record(path: Path) -> dict | None:
    """The record ``kg fetch`` kept beside ``path``, or None for a file it did not fetch."""
    import json

    from graph.io.versions import record_path

    record_file = record_path(path)
    if not record_file.is_file():
        return None
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(record_file, f"the record of a fetched list cannot be read: {exc}",
                         hint="run `kg fetch --offline` to see the versions kept; delete the broken pair") from exc
    return record if isinstance(record, dict) and record.get("retrieved") else None


def split_list(value: str, separator: str = ";") -> list[str]:
    """The non-empty, stripped, de-duplicated items of a separated cell, in order."""
    out: list[str] = []
    for item in value.split(separator):
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


class XMLListReader(Reader):
    """A reader of an official list published as XML, which claims a file by its root element.

    A subclass sets ``root``, a pattern of the root element's start found in the file's first
    4 KiB (``SDN.XML``'s ``<sdnList``, the UN's ``<CONSOLIDATED_LIST``), and reads the file.
    """

    #: the root element's start, searched for in the file's first 4 KiB
    root: re.Pattern[bytes]

    def claims(self, path: Path) -> bool:
        if path.suffix.lower() != ".xml":
            return False
        try:
            with open(path, "rb") as handle:
                return bool(self.root.search(handle.read(4096)))
        except OSError:
            return False


class TableListReader(Reader):
    """Base of the readers of a restricted-party list table: one row loop, declared columns.

    Each row names one entity (a statement keyed ``entity/row-N``) and one listing of it on
    :attr:`listing`; rows that share a :meth:`group` are one measure with several targets. A
    reader declares its columns, its source and which cells say what; it overrides a hook only
    where a cell needs more than reading (a name inside a sentence, a parent company).

    Examples
    --------
    >>> from pathlib import Path
    >>> from graph.sources.bis_mieu import BISMIEUReader
    >>> [batch] = BISMIEUReader().read(Path("data/lists/opensanctions_us_bis_mieu.csv"), Path("data"))
    >>> batch.counts
    {'read': 13, 'kept': 13, 'skipped': 0}
    """

    priority = 20
    delimiter = ","
    #: the file's known columns; the first ``claim_columns`` claim a file and must be present
    columns: list[str] = []
    claim_columns = 1
    #: what the file is, in error messages ("BIS MIEU CSV")
    kind = ""
    #: the source's description
    title = ""
    publisher = ""
    url: str | None = None
    note: str | None = "Data by OpenSanctions, licensed CC BY-NC 4.0; attribution kept."
    #: the list every row is a listing on
    listing: ListInfo
    #: the cells the default hooks read (None: the table has no such column)
    name_column = "name"
    alias_columns: tuple[str, ...] = ()
    class_column: str | None = None
    #: the class column's values -> ontology classes; others give a warning and ``default_class``
    classes: dict[str, str] = {}
    default_class = "Company"
    country_column: str | None = None
    url_column: str | None = None
    start_column: str | None = None
    end_column: str | None = None
    date_formats: tuple[str, ...] = _ISO
    note_column: str | None = None
    program_column: str | None = None
    #: the legal basis of every listing, when the list has one
    legal_basis: str | None = None

    def claims(self, path: Path) -> bool:
        count = self.claim_columns
        return path.suffix == ".csv" and sniff_header(path, self.delimiter)[:count] == self.columns[:count]

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = read_list_table(path, root, kind=self.kind, delimiter=self.delimiter,
                                required=self.columns[: self.claim_columns], known=self.columns)
        source = source_info(path, root, title=self.title, publisher=self.publisher, url=self.url, note=self.note)
        out = ListStatements(source)
        for number, row in table.rows:
            self.read_row(table, out, number, row)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)]

    def read_row(self, table: Table, out: ListStatements, number: int, row: dict[str, str]) -> None:
        """One row: its entity, then its listing (and whatever :meth:`more` adds)."""
        name = self.entity_name(row)
        if not name:
            table.skip(number, self.no_name)
            return
        url = self.cell(row, self.url_column)
        statement = Statement(key=f"entity/row-{number}", cls=self.entity_class(table, number, row),
                              labels=[Label(name)], aliases=self.aliases(row, name), origin=out.origin(number),
                              evidence=[out.evidence(number, url=url)])
        value = self.cell(row, self.country_column)
        code = country_code(value or "")
        if value and code is None:
            table.warn(number, f"unknown country {value!r} left out")
        if code:
            statement.values["country"] = [out.country(code)]
        target = out.add(statement)
        start = self.date(table, number, row, self.start_column)
        end = self.date(table, number, row, self.end_column)
        out.measure(self.listing, self.group(row, number, start, end), number, target, start=start, end=end,
                    legal_basis=self.basis(row), program=self.cell(row, self.program_column), url=url,
                    note=self.listing_note(row))
        self.more(out, number, row, target, url)

    # -- hooks: what a row's cells say; each reads the declared column by default ----------
    @property
    def no_name(self) -> str:
        """Why a row without a name is skipped."""
        return f"empty {self.name_column!r}"

    def entity_name(self, row: dict[str, str]) -> str | None:
        return self.cell(row, self.name_column)

    def entity_class(self, table: Table, number: int, row: dict[str, str]) -> str:
        if self.class_column is None:
            return self.default_class
        value = row.get(self.class_column, "")
        if value not in self.classes:
            table.warn(number, f"unknown {self.class_column} {value!r}; read as {self.default_class}")
            return self.default_class
        return self.classes[value]

    def aliases(self, row: dict[str, str], name: str) -> list[str]:
        return [alias for column in self.alias_columns for alias in split_list(row.get(column, ""))]

    def group(self, row: dict[str, str], number: int, start: date | None, end: date | None) -> str:
        """The measure a row's listing belongs to: by default, the day the entity was added."""
        return f"added {start}" if start else f"row {number}"

    def basis(self, row: dict[str, str]) -> str | None:
        return self.legal_basis

    def listing_note(self, row: dict[str, str]) -> str | None:
        return self.cell(row, self.note_column)

    def more(self, out: ListStatements, number: int, row: dict[str, str], target: Ref, url: str | None) -> None:
        """Statements a row makes beyond its entity and listing (none by default)."""

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def cell(row: dict[str, str], column: str | None) -> str | None:
        """The cell's text, or None when the column is not declared or the cell is empty."""
        return (row.get(column) or None) if column else None

    def date(self, table: Table, number: int, row: dict[str, str], column: str | None) -> date | None:
        value = self.cell(row, column)
        if value is None:
            return None
        parsed, problem = parse_date(value, formats=self.date_formats)
        if problem:
            table.warn(number, f"{column} {value!r}: {problem}")
        return parsed


# ------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=4096)
def _country(value: str) -> tuple[str | None, str | None]:
    import pycountry

    try:
        found = pycountry.countries.lookup(value)
    except LookupError:
        return None, None
    return found.alpha_2, getattr(found, "common_name", None) or found.name


def _short(items: list[str], limit: int = 6) -> list[str]:
    return items if len(items) <= limit else [*map(_shorten, items[:limit]), f"... ({len(items) - limit:,} more)"]


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"
