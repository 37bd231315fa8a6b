"""Entity List additions compiled from one Federal Register rule (``entity_list_*.tsv``).

Columns::

    name  aliases  country  entity_type  federal_register_citation  effective_date
    license_requirement  license_review_policy  source

All rows of one citation and effective date are one measure (one rule adds many parties).
A row with an empty name is a real entity whose name the table did not capture: it is kept,
with a label that says so and a note, and never merged with anything by name.

The rule is a Federal Register document. When the build reads that document's JSON (a
version ``kg fetch`` kept, or one under ``reference/``; :mod:`graph.sources.federal_register`),
the measure is named by the document's citation and date (``Entity List: 84 FR 54002 of
2019-10-09``), its legal basis is the citation, it was announced on the publication date and is
in force from the date the rule took effect (a row's own ``effective_date`` stands first), with
the document as evidence. Else the page citation is looked up by document number in
``reference/federal_register.tsv`` under the data folder when that table is there.

Examples
--------
>>> from pathlib import Path
>>> [batch] = EntityListReader().read(Path("data/lists/entity_list_2019_10.tsv"), Path("data"))
>>> batch.counts
{'read': 28, 'kept': 28, 'skipped': 0}
>>> sorted({s.values["legalBasis"][0] for s in batch.statements if s.cls == "ExportControlListing"})
['84 FR 54002']
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.model.statements import Evidence, Label, Statement
from graph.sources._base import Batch, Reader, read_table, relative_name, sniff_header
from graph.sources._lists import ListInfo, ListStatements, country_code, parse_date, read_list_table, source_info
from graph.sources.federal_register import document_source, register_documents

__all__ = ["EntityListReader"]

COLUMNS = ["name", "aliases", "country", "entity_type", "federal_register_citation", "effective_date",
           "license_requirement", "license_review_policy", "source"]
REGISTER_COLUMNS = ["document", "citation", "publication_date", "source"]

ENTITY_LIST = ListInfo(
    key="entity-list", name="Entity List", measure_cls="ExportControlListing",
    imposer="Bureau of Industry and Security", imposer_parent="United States Department of Commerce",
    aliases=("US Entity List",),
    url="https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
)
_CLASSES = {"company": "Company", "government": "GovernmentBody", "individual": "Person"}


class EntityListReader(Reader):
    """Reads compiled Entity List additions (TSV with the columns above)."""

    name = "entity-list"
    priority = 10

    def claims(self, path: Path) -> bool:
        return path.suffix == ".tsv" and path.name.startswith("entity_list")

    def read(self, path: Path, root: Path) -> list[Batch]:
        table = read_list_table(path, root, kind="Entity List TSV", delimiter="\t", required=COLUMNS[:6],
                                known=COLUMNS)
        source = source_info(path, root, title=f"Entity List additions ({path.name})",
                             publisher="Bureau of Industry and Security (compiled by exposure-kg analysts)",
                             url=ENTITY_LIST.url,
                             note="Compiled from the public-inspection text of the rule and the summaries named in "
                                  "each row's source column; rows with an empty name are entities whose names "
                                  "were not captured.")
        out = ListStatements(source)
        citations = _register(root)
        documents = register_documents(root)
        cited_by: dict[str, str] = {}  # document number -> the id of its source in the graph
        unnamed = 0
        for number, row in table.rows:
            country = country_code(row.get("country", ""))
            if row.get("country") and country is None:
                table.warn(number, f"unknown country {row['country']!r} left out")
            cls = _CLASSES.get(row.get("entity_type", "").lower(), "Organization")
            detail = row.get("source", "")
            key = f"entity/row-{number}"
            statement = Statement(key=key, cls=cls, origin=out.origin(number), evidence=[out.evidence(number)])
            if row["name"]:
                statement.labels = [Label(row["name"])]
                statement.aliases = [a.strip() for a in row.get("aliases", "").split(";") if a.strip()]
            else:
                unnamed += 1
                what = _unnamed_what(detail) or f"{row.get('entity_type') or 'entity'} on row {number}"
                statement.labels = [Label(f"Name not captured: {what} ({row['federal_register_citation']})", "en")]
                statement.resolvable = False
                statement.values["note"] = [
                    f"A real entity added by {row['federal_register_citation']} whose name this table did not "
                    f"capture ({path.name}, row {number}); the label describes it and is not its name."]
                if "subordinate" in what and "public security" in detail.lower():
                    statement.values["subOrganizationOf"] = [_named(table, out, "public security bureau")]
            if country:
                statement.values["country"] = [out.country(country)]
            target = out.add(statement)
            document = row["federal_register_citation"]
            start, problem = parse_date(row["effective_date"])
            if problem:
                table.warn(number, f"effective_date {row['effective_date']!r}: {problem}")
            group = f"{document} {start or ''}".strip()  # the measure's IRI, with or without the document
            doc = documents.get(_document_number(document))
            if doc is not None:
                if doc.document_number not in cited_by:
                    cited_by[doc.document_number] = document_source(doc, root).id
                start = start or doc.effective_on
                extra = [Evidence(source=cited_by[doc.document_number], method="imported", confidence=1.0,
                                  # the document is one record: row 1 of its file
                                  file=relative_name(doc.file, root), row=1, url=doc.html_url,
                                  note=f"{document} is {doc.citation}, published {doc.publication_date.isoformat()}"
                                       + (f", effective {doc.effective_on.isoformat()}" if doc.effective_on else ""))]
                out.measure(ENTITY_LIST, group, number, target, start=start, legal_basis=doc.citation,
                            announced=doc.publication_date, title=doc.name(),
                            requirement=row.get("license_requirement"), policy=row.get("license_review_policy"),
                            note=detail or None, extra_evidence=extra)
                continue
            cited = citations.get(_document_number(document))
            extra = []
            if cited is not None:
                extra.append(Evidence(source=source.id, method="imported", confidence=1.0, file=cited[2], row=cited[1],
                                      url=cited[3], note=f"{document} is {cited[0]}"))
            out.measure(ENTITY_LIST, group, number, target, start=start,
                        legal_basis=cited[0] if cited else document, requirement=row.get("license_requirement"),
                        policy=row.get("license_review_policy"), note=detail or None, extra_evidence=extra)
        if unnamed:
            table.warn(None, f"{unnamed} row(s) with an empty name kept as entities whose name is not captured")
        batch = Batch(source=source, statements=out.statements, file=source.file, counts=table.counts(),
                      warnings=table.warnings)
        return [batch]


def _unnamed_what(detail: str) -> str | None:
    match = re.match(r"NAME NOT READ:\s*([^;]+)", detail)
    return match.group(1).strip() if match else None


def _named(table, out: ListStatements, needle: str):
    """The key of the first named row of this file whose name contains ``needle``."""
    from graph.model.statements import Ref

    for number, row in table.rows:
        if needle in row["name"].lower():
            return Ref(key=f"entity/row-{number}")
    return Ref(key="missing")  # pragma: no cover - the resolver reports the undefined key


def _document_number(text: str) -> str:
    match = re.search(r"\d{4}-\d{4,6}", text)
    return match.group(0) if match else text.strip()


def _register(root: Path) -> dict[str, tuple[str, int, str, str | None]]:
    """Document number -> (page citation, row, file, source URL) from the reference table."""
    path = root / "reference" / "federal_register.tsv"
    if not path.is_file() or sniff_header(path, "\t") != REGISTER_COLUMNS:
        return {}
    _, rows = read_table(path, delimiter="\t")
    file = relative_name(path, root)
    return {
        _document_number(row["document"]): (row["citation"], number, file,
                                             row["source"] if row["source"].startswith("http") else None)
        for number, row in rows
        if row["document"] and row["citation"]
    }
