"""Sourced relationship tables: who supplies, partners with, invests in or researches with whom.

``data/relationships/suppliers.tsv`` (copied from the project's shared real data) has the
columns::

    supplier    customer    relation    year    source    basis    strength

Each row becomes evidence for one relationship node, with the row's URL, the file and the row
number; rows stating the same tie (two sources for Ambarella -> Hikvision) are one node with
the evidence of each row. ``relation`` picks the ontology class:

==================== ===================================================================
``supplier_of``      ``SupplyRelationship`` (supplier -> customer)
``partner_of``       ``Partnership``
``research_partner_of`` ``Partnership`` with ``kg:relation "research_partner_of"``
``investor_in``      ``Ownership`` (owner -> owned entity, no share: the size is
                     undisclosed) with ``kg:relation "investor_in"``
==================== ===================================================================

``strength`` becomes the evidence's confidence (:data:`CONFIDENCE`): ``strong`` (the companies'
own statements or filings) 0.9, ``reported`` (news reports) 0.7, ``weak`` (market commentary)
0.4. ``year`` is the year the source reports the tie for, not when it began, so it goes into
the evidence note and the relationship stays undated. A parenthesis after a name is an alias
when it is an acronym (``Massachusetts Institute of Technology (MIT)``), otherwise a note
(``HiSilicon (Huawei subsidiary; not US)``); a parenthesis after the URL is a note.

Every name the rows use is declared here as a ``kg:Organization``, which the resolver merges
with the same entity from curated sources (``data/facts``, ``data/reference``): those give the
finer class (``Company``) and the country.

Names are split and keyed by :mod:`graph.model.names` (:func:`~graph.model.names.split_name`,
:func:`~graph.model.names.name_key`).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import InputError
from graph.model.names import name_key, split_name
from graph.model.ontology import slugify
from graph.model.statements import Evidence, Label, Origin, Ref, SourceInfo, Statement
from graph.sources._base import Batch, Reader, did_you_mean, read_table, relative_name, sha256_of, sniff_header

__all__ = ["SuppliersReader", "CONFIDENCE", "RELATIONS"]

COLUMNS = ["supplier", "customer", "relation", "year", "source", "basis", "strength"]

#: the row's ``strength`` -> the evidence's confidence
CONFIDENCE = {"strong": 0.9, "reported": 0.7, "weak": 0.4}

#: the row's ``relation`` -> (relationship class, property of the first name, of the second name)
RELATIONS = {
    "supplier_of": ("SupplyRelationship", "supplier", "customer"),
    "partner_of": ("Partnership", "partner", "partner"),
    "research_partner_of": ("Partnership", "partner", "partner"),
    "investor_in": ("Ownership", "owner", "ownedEntity"),
}

#: relations whose name the graph keeps in ``kg:relation`` because the class alone loses it
_FINER = {"research_partner_of", "investor_in"}


class SuppliersReader(Reader):
    """Reads relationship tables with the columns above (TSV)."""

    name = "suppliers"
    priority = 20

    def claims(self, path: Path) -> bool:
        return path.suffix == ".tsv" and sniff_header(path, "\t") == COLUMNS

    def read(self, path: Path, root: Path) -> list[Batch]:
        file = relative_name(path, root)
        header, rows = read_table(path, delimiter="\t")
        if header != COLUMNS:
            raise InputError(path, f"unexpected columns {header!r}", line=1, hint=f"expected {COLUMNS!r}")
        stem = Path(file).with_suffix("").as_posix()
        source = SourceInfo(
            id=slugify(stem),
            title=f"Sourced relationship table {file}",
            file=file,
            publisher="exposure-kg analysts",
            sha256=sha256_of(path),
            kind="table",
            note="Each row cites the public source (URL) that states the relationship.",
        )
        entities: dict[str, Statement] = {}
        relationships: dict[tuple[str, str], Statement] = {}
        for number, row in rows:
            origin = Origin(file, number, unit="row")
            relation = row["relation"]
            if relation not in RELATIONS:
                raise InputError(path, f"unknown relation {relation!r}", line=number, unit="row",
                                 hint=did_you_mean(relation, sorted(RELATIONS)) or f"use one of {', '.join(sorted(RELATIONS))}")
            strength = row["strength"].lower()
            if strength not in CONFIDENCE:
                raise InputError(path, f"unknown strength {row['strength']!r}", line=number, unit="row",
                                 hint=f"use one of {', '.join(CONFIDENCE)}")
            url, url_note = _split_source(row["source"])
            if url is None:
                raise InputError(path, f"source {row['source']!r} is not a URL", line=number, unit="row",
                                 hint="every row cites the http(s) address of the source that states it")
            evidence = Evidence(source=source.id, method="curated", confidence=CONFIDENCE[strength], file=file,
                                row=number, url=url, note=_note(row, url_note))
            keys, names = [], []
            for column in ("supplier", "customer"):
                name, alias, note = split_name(row[column])
                if not name_key(name):
                    raise InputError(path, f"empty {column!r} name {row[column]!r}", line=number, unit="row",
                                     hint="every row names both parties")
                keys.append(_declare(entities, name_key(name), name, alias, note, evidence, origin))
                names.append(name)
            if keys[0] == keys[1]:
                raise InputError(path, f"{row['supplier']!r} and {row['customer']!r} are the same entity",
                                 line=number, unit="row", hint="a relationship needs two parties")
            _relate(relationships, relation, keys, names, evidence, origin, stem)
        statements = sorted(entities.values(), key=lambda st: st.key) + [relationships[k] for k in sorted(relationships)]
        counts = {"rows": len(rows), "entities": len(entities), "relationships": len(relationships)}
        return [Batch(source=source, statements=statements, file=file, counts=counts)]


# -- private helpers ----------------------------------------------------------------------
def _split_source(cell: str) -> tuple[str | None, str | None]:
    cell = cell.strip()
    url, _, rest = cell.partition(" ")
    if not url.startswith(("http://", "https://")):
        return None, None
    rest = rest.strip()
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    return url, rest or None


def _note(row: dict[str, str], url_note: str | None) -> str:
    parts = [row["basis"]] if row["basis"] else []
    if row["year"]:
        parts.append(f"reported for {row['year']}")
    if url_note:
        parts.append(url_note)
    return "; ".join(parts)


def _declare(entities: dict[str, Statement], match: str, name: str, alias: str | None, note: str | None,
             evidence: Evidence, origin: Origin) -> str:
    """Declare ``name`` once per table, by its resolver key ``match``; return its statement key."""
    statement = entities.get(match)
    if statement is None:
        statement = Statement(key=slugify(name), cls="Organization", labels=[Label(name)], origin=origin,
                              evidence=[Evidence(source=evidence.source, method="curated", confidence=1.0,
                                                 file=evidence.file, row=evidence.row, url=evidence.url,
                                                 note=note)])
        entities[match] = statement
    if alias and alias not in statement.aliases:
        statement.aliases.append(alias)
    return statement.key


def _relate(relationships: dict[tuple[str, str], Statement], relation: str, keys: list[str], names: list[str],
            evidence: Evidence, origin: Origin, stem: str) -> None:
    cls, first, second = RELATIONS[relation]
    # keys are unique within a source, so the relation is part of them: Qualcomm is SenseTime's
    # partner and, separately, its investor
    key = f"{stem}/{keys[0]}-{slugify(relation)}-{keys[1]}"
    statement = relationships.get((cls, key))
    if statement is None:
        values: dict[str, list[object]] = {first: [Ref(key=keys[0])]}
        values.setdefault(second, []).append(Ref(key=keys[1]))
        if relation in _FINER:
            values["relation"] = [relation]
        statement = Statement(key=key, cls=cls, labels=[Label(f"{names[0]} {relation} {names[1]}", "en")],
                              values=values, origin=origin)
        relationships[(cls, key)] = statement
    statement.evidence.append(evidence)
