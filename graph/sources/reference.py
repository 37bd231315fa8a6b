"""Curated reference tables: facts about entities that articles leave out, each row sourced.

``data/reference/organizations.tsv`` gives organisations' countries, because an article's
"américain" or a company's fame is no source. Columns::

    name    class    country    source    note

``country`` is a country the graph knows, as its ISO 3166-1 code, three-letter code or name; ``source`` is the URL
(or citation) that states it. Each row becomes a statement about the named entity, which the
resolver merges with the same entity from other sources.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import InputError
from graph.model.ontology import load_ontology, slugify
from graph.model.statements import Evidence, Label, Origin, Ref, SourceInfo, Statement
from graph.model.countries import country_code

from graph.sources._base import Batch, Reader, did_you_mean, read_table, relative_name, sha256_of, sniff_header

__all__ = ["ReferenceReader"]

COLUMNS = ["name", "class", "country", "source", "note"]


class ReferenceReader(Reader):
    """Reads organisation reference tables (TSV with the columns above)."""

    name = "reference"
    priority = 5

    def claims(self, path: Path) -> bool:
        return path.suffix == ".tsv" and sniff_header(path, "\t") == COLUMNS

    def read(self, path: Path, root: Path) -> list[Batch]:
        model = load_ontology()
        file = relative_name(path, root)
        header, rows = read_table(path, delimiter="\t")
        if header != COLUMNS:
            raise InputError(path, f"unexpected columns {header!r}", line=1, hint=f"expected {COLUMNS!r}")
        source = SourceInfo(
            id=slugify(Path(file).with_suffix("").as_posix()),
            title=f"Curated reference table {file}",
            file=file,
            publisher="exposure-kg analysts",
            sha256=sha256_of(path),
            kind="table",
            note="Each row cites the public source that states it.",
        )
        statements = []
        for number, row in rows:
            if not row["name"]:
                raise InputError(path, "empty 'name'", line=number, unit="row", hint="every row names an entity")
            if row["class"] not in model.class_keys():
                raise InputError(path, f"unknown class {row['class']!r}", line=number, unit="row",
                                 hint=did_you_mean(row["class"], model.class_keys()))
            if not row["source"]:
                raise InputError(path, f"row for {row['name']!r} cites no source", line=number, unit="row",
                                 hint="every fact in data/ carries its source")
            # a code, a three-letter code or a name ("CN", "CHN", "China"): the same country
            country = country_code(row["country"])
            if country is None:
                raise InputError(path, f"country {row['country']!r} is not an ISO 3166-1 country", line=number,
                                 unit="row", hint="write its code (US, CN), three-letter code (USA) or name")
            url = row["source"] if row["source"].startswith(("http://", "https://")) else None
            statements.append(
                Statement(
                    key=slugify(row["name"]),
                    cls=row["class"],
                    labels=[Label(row["name"])],
                    values={"country": [Ref(name=country, cls="Country")]},
                    evidence=[
                        Evidence(source=source.id, method="curated", confidence=1.0, file=file, row=number,
                                 url=url, note=row["note"] or (None if url else row["source"]))
                    ],
                    origin=Origin(file, number, unit="row"),
                )
            )
        return [Batch(source=source, statements=statements, file=file, counts={"rows": len(rows)})]
