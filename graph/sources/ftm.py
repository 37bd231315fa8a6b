"""FollowTheMoney JSON lines (``*.ftm.json``, ``*.ftm.jsonl``, ``*.jsonl``): OpenSanctions, Aleph, ``kg export``.

One entity per line: ``{"id": ..., "schema": ..., "properties": {name: [values]}}``. Legal
entities become organisations and people; ``Sanction`` a measure (its ``authority`` the body
that imposes it, its first ``program`` the list); ``Ownership`` an ownership; ``UnknownLink``
a partnership, or a supply relationship when its role is ``supplier``; ``Membership``,
``Directorship`` and ``Employment`` a position. Other schemas, lines that are not JSON and
links to entities missing from the file are skipped with a warning naming the line.

Examples
--------
>>> import json, tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "x.ftm.json").write_text(json.dumps(
...     {"id": "c1", "schema": "Company", "properties": {"name": ["Acme"], "country": ["cn"]}}))
>>> [batch] = FtMReader().read(folder / "x.ftm.json", folder)
>>> [(s.cls, s.labels[0].text) for s in batch.statements]
[('Country', 'China'), ('Company', 'Acme')]
"""

from __future__ import annotations

import json
from pathlib import Path

from graph.errors import InputError
from graph.model.statements import Label, Ref, Statement
from graph.sources._base import Batch, Reader
from graph.sources._lists import ListStatements, Table, country_code, parse_date, source_info

__all__ = ["FtMReader"]

_ENTITIES = {"Company": "Company", "Organization": "Organization", "PublicBody": "GovernmentBody",
             "Person": "Person", "LegalEntity": "Organization"}
_POSITIONS = {"Membership": "member", "Directorship": "director", "Employment": "employee"}
_IDENTIFIERS = {"uscCode": "USCC", "isinCode": "ISIN", "leiCode": "LEI"}
#: kept in step with graph.outputs.export.LEGAL_BASIS_PREFIX (the exporter writes it, this reads it)
_LEGAL_BASIS = "Legal basis: "


class FtMReader(Reader):
    """Reads FollowTheMoney entities, one JSON object per line."""

    name = "ftm"
    priority = 40

    def claims(self, path: Path) -> bool:
        return path.name.endswith((".ftm.json", ".ftm.jsonl")) or path.suffix == ".jsonl"

    def read(self, path: Path, root: Path) -> list[Batch]:
        source = source_info(path, root, title=f"FollowTheMoney entities ({path.name})", publisher=None, url=None,
                             note="Imported from FollowTheMoney JSON lines; each line is a row.")
        table = Table(path=path, file=source.file, header=["id", "schema", "properties"])
        out = ListStatements(source)
        # One pass over the file: an entity becomes its statement as its line is read; a link
        # may name an entity of a later line, so its line is kept as text and read again once
        # every id is known. Nothing holds the whole file (OpenSanctions exports run to GBs).
        ids: dict[str, tuple[int, str | None]] = {}  # every id read -> (its line, its class or None)
        named: dict[str, str] = {}  # name -> the first id (in id order) of an entity so named
        links: list[tuple[int, str]] = []
        for line, entity in _entities(path, table):
            eid = str(entity["id"])
            if eid in ids:
                table.skip(line, f"repeats id {entity['id']!r} of line {ids[eid][0]}")
                continue
            kind = _ENTITIES.get(entity["schema"])
            ids[eid] = (line, kind)
            if kind is None:
                links.append((line, eid))
                continue
            for name in entity["properties"].get("name", []):
                if named.setdefault(str(name), eid) > eid:
                    named[str(name)] = eid
            out.add(_entity(out, table, line, eid, entity, kind))
        kinds = {eid: kind for eid, (_, kind) in ids.items()}
        for line, entity in _entities(path, table, only={line for line, _ in links}):
            _link(out, table, line, str(entity["id"]), entity, kinds, named)
        return [Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings, distinct_keys=True)]


def _entities(path: Path, table: Table, only: set[int] | None = None):
    """(line number, entity) of each line of ``path`` that holds one, read one line at a time.

    Lines that are not entities are skipped with a warning on ``table`` (the first line must
    be one: else the file is not FollowTheMoney). With ``only``, just those lines are read
    again, and nothing is counted or warned twice.
    """
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror}") from exc
    offset = 0
    with handle:
        for line, raw in enumerate(handle, start=1):
            start, offset = offset, offset + len(raw)
            if only is not None and line not in only:
                continue
            try:
                text = raw.decode("utf-8-sig" if line == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid UTF-8 (byte {raw[exc.start]:#04x} at offset {start + exc.start})",
                                 line=line, hint="re-save the file as UTF-8") from exc
            if not text.strip():
                continue
            if only is None:
                table.read += 1
            try:
                entity = json.loads(text)
            except json.JSONDecodeError as exc:
                if table.read == 1:
                    raise InputError(path, f"not a FollowTheMoney JSON lines file: line 1 is not JSON ({exc.msg})",
                                     line=1, hint="each line holds one entity as a JSON object") from exc
                table.skip(line, f"not JSON ({exc.msg})")
                continue
            if not isinstance(entity, dict) or not entity.get("id") or not entity.get("schema"):
                if table.read == 1:
                    raise InputError(path, "not a FollowTheMoney JSON lines file: line 1 has no 'id' and 'schema'",
                                     line=1, hint="each line holds one entity: {\"id\", \"schema\", \"properties\"}")
                table.skip(line, "no 'id' or 'schema'")
                continue
            entity.setdefault("properties", {})
            yield line, entity


def _entity(out: ListStatements, table: Table, line: int, eid: str, entity: dict, cls: str) -> Statement:
    props = entity["properties"]
    names = [str(n) for n in props.get("name", []) if str(n).strip()]
    if not names:
        table.warn(line, f"{entity['schema']} {eid!r} has no name; its id is its label")
        names = [eid]
    aliases = [str(a) for key in ("alias", "weakAlias", "previousName") for a in props.get(key, [])]
    statement = Statement(key=f"ftm/{eid}", cls=cls, labels=[Label(n) for n in dict.fromkeys(names)],
                          aliases=[a for a in dict.fromkeys(aliases) if a not in names],
                          origin=out.origin(line), evidence=[out.evidence(line)])
    codes = []
    for value in props.get("country", []) + props.get("jurisdiction", []):
        code = country_code(str(value))
        if code is None:
            table.warn(line, f"unknown country {value!r} left out")
        elif code not in codes:
            codes.append(code)
    if codes:
        statement.values["country"] = [out.country(code) for code in codes]
    if props.get("address") and cls != "Person":
        statement.values["address"] = [str(a) for a in props["address"]]
    if props.get("notes"):
        statement.values["note"] = [str(n) for n in props["notes"]]
    identifiers = [f"{_IDENTIFIERS[k]} {v}" for k in _IDENTIFIERS for v in props.get(k, [])]
    identifiers += [str(v) for v in props.get("registrationNumber", [])]
    if identifiers:
        statement.values["identifier"] = identifiers
    statement.same_as = [f"http://www.wikidata.org/entity/{q}" for q in props.get("wikidataId", [])]
    return statement


def _link(out: ListStatements, table: Table, line: int, eid: str, entity: dict, kinds: dict, named: dict) -> None:
    schema, props = entity["schema"], entity["properties"]

    def refs(name: str) -> list[Ref] | None:
        values = [str(v) for v in props.get(name, [])]
        missing = [v for v in values if kinds.get(v) is None]
        if missing or not values:
            table.skip(line, f"{schema} {eid!r}: '{name}' names {missing or 'no entity'} not in the file")
            return None
        return [Ref(key=f"ftm/{v}") for v in values]

    values: dict[str, list[object]] = {}
    for name, key in (("startDate", "startDate"), ("endDate", "endDate"), ("listingDate", "announcedOn")):
        dates = props.get(name, [])
        if dates:
            parsed, problem = parse_date(str(dates[0]))
            if problem:
                table.warn(line, f"{name} {dates[0]!r}: {problem}")
            if parsed:
                values[key] = [parsed]
    notes = [str(n) for n in props.get("description", [])]
    urls = [str(u) for u in props.get("sourceUrl", [])]
    evidence = [out.evidence(line, url=urls[0] if urls else None)]
    if schema == "Sanction":
        targets = refs("entity")
        if targets is None:
            return
        authorities = [str(a) for a in props.get("authority", [])]
        if not authorities:
            table.skip(line, f"Sanction {eid!r} names no authority (the body that imposes it)")
            return
        values.update(targets=targets, imposedBy=[Ref(key=f"ftm/{named[a]}") if a in named
                                                  else out.body(a, None, country=None) for a in authorities])
        programs = [str(p) for p in props.get("program", [])]
        if programs:
            key = f"list/{programs[0]}"
            if key not in out:
                out.add(Statement(key=key, cls="RestrictedPartyList", labels=[Label(programs[0])],
                                  origin=out.origin(line)))
            values["onList"] = [Ref(key=key)]
            if programs[1:]:
                values["program"] = programs[1:]
        for name, key in (("reason", "reason"), ("provisions", "licenseRequirement")):
            if props.get(name):
                values[key] = [str(v) for v in props[name]]
        for summary in props.get("summary", []):
            summary = str(summary)
            if summary.startswith(_LEGAL_BASIS):
                values.setdefault("legalBasis", []).append(summary[len(_LEGAL_BASIS):])
            else:
                notes.append(summary)
        cls = "Measure"
    elif schema == "Ownership":
        owner, asset = refs("owner"), refs("asset")
        if owner is None or asset is None:
            return
        values.update(owner=owner, ownedEntity=asset)
        for share in props.get("percentage", []):
            try:
                values["share"] = [float(str(share).rstrip("%"))]
            except ValueError:
                table.warn(line, f"percentage {share!r} is not a number; left out")
        if props.get("role"):
            values["relation"] = [str(r) for r in props["role"]]
        cls = "Ownership"
    elif schema == "UnknownLink":
        subject, obj = refs("subject"), refs("object")
        if subject is None or obj is None:
            return
        roles = [str(r) for r in props.get("role", [])]
        if "supplier" in roles:
            values.update(supplier=subject, customer=obj)
            cls = "SupplyRelationship"
        else:
            values.update(partner=subject + obj)
            cls = "Partnership"
        if [r for r in roles if r not in ("supplier", "partner")]:
            values["relation"] = [r for r in roles if r not in ("supplier", "partner")]
    elif schema in _POSITIONS:
        member_key = _POSITIONS[schema]
        holder, organization = refs(member_key), refs("organization")
        if holder is None or organization is None:
            return
        if any(kinds.get(r.key[4:]) != "Person" for r in holder):
            table.skip(line, f"{schema} {eid!r}: the {member_key} is not a person")
            return
        values.update(holder=holder, organization=organization)
        if props.get("role"):
            values["role"] = [str(r) for r in props["role"]]
        cls = "Position"
    else:
        table.skip(line, f"schema {schema!r} is not read")
        return
    if notes:
        values["note"] = notes
    out.add(Statement(key=f"ftm/{eid}", cls=cls, values=values, evidence=evidence, origin=out.origin(line)))
