"""Ownership rule tables (``measure  fact  value  source  note``, TSV): BIS's Affiliates Rule, OFAC's 50 % rule.

One row states one fact of one rule, with the URL of the source that states it and a note::

    measure               fact            value        source                      note
    bis-affiliates-rule   effective       2025-09-29   https://...                 published ...
    bis-affiliates-rule   suspended_from  2025-11-10   https://...                 one-year suspension

Each rule becomes a ``kg:OwnershipRule`` with every row as its evidence (URL, file, row, and
the note with the row's fact and value, so that no source or note is lost): ``title`` ->
label; ``imposed_by`` -> ``kg:imposedBy`` (the body named before the first comma);
``legal_basis`` -> ``kg:legalBasis``; ``effective`` -> ``kg:startDate``; ``suspended_from``
and ``suspended_until`` -> ``kg:suspendedFrom`` / ``kg:suspendedUntil``; ``scope`` ->
``kg:effect``, the share it names (``50 %``) -> ``kg:ownershipThreshold`` and the lists it
names -> ``kg:extendsList``; ``licence_rule`` -> ``kg:licenseRequirement``. Other facts
(``suspension_announced``) are kept in their evidence's note. A rule without a title is
named after its key.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "r.tsv").write_text("measure\\tfact\\tvalue\\tsource\\tnote\\n"
...     "ofac-50-percent-rule\\tscope\\tentities owned 50 % or more by SDNs\\thttps://example.org/r\\t\\n",
...     encoding="utf-8")
>>> [batch] = RulesReader().read(folder / "r.tsv", folder)
>>> rule = batch.statements[-1]
>>> rule.cls, rule.labels[0].text, rule.values["ownershipThreshold"], [r.key for r in rule.values["extendsList"]]
('OwnershipRule', 'OFAC 50 percent rule', [50.0], ['list/Specially Designated Nationals'])
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import InputError
from graph.model.statements import Evidence, Label, Origin, Ref, SourceInfo, Statement
from graph.sources._base import Batch, Reader, relative_name, sha256_of, sniff_header
from graph.io.tabular import read_delimited

__all__ = ["RulesReader", "COLUMNS"]

COLUMNS = ["measure", "fact", "value", "source", "note"]

#: the facts a row may state; the others are kept in the evidence's note
_FACTS = {"title", "imposed_by", "legal_basis", "effective", "scope", "licence_rule", "suspension_announced",
          "suspended_from", "suspended_until"}
_DATES = {"effective": "startDate", "suspended_from": "suspendedFrom", "suspended_until": "suspendedUntil"}
#: how a scope names the lists whose parties count as owners -> the list's name in the graph
_LISTS = (
    (re.compile(r"\bEntity List\b"), "Entity List"),
    (re.compile(r"\bMilitary End-User List\b|\bMEU\b", re.IGNORECASE), "Military End User List"),
    (re.compile(r"\bSDNs?\b|\bSDN List\b"), "Specially Designated Nationals"),
)


class RulesReader(Reader):
    """Reads ownership rule tables with the columns above (TSV)."""

    name = "rules"
    priority = 45  # after the lists: the lists it names keep their own names and IRIs

    def claims(self, path: Path) -> bool:
        return path.suffix == ".tsv" and sniff_header(path, "\t") == COLUMNS

    def read(self, path: Path, root: Path) -> list[Batch]:
        file = relative_name(path, root)
        # split on tabs alone: values and notes quote words ("most restrictive owner")
        table = read_delimited(path, delimiter="\t", quotes=False, label="rules table")
        source = SourceInfo(id=re.sub(r"[^a-z0-9]+", "-", Path(file).with_suffix("").as_posix().lower()).strip("-"),
                            title=f"Ownership rules table {file}", file=file, publisher="exposure-kg analysts",
                            sha256=sha256_of(path), kind="table",
                            note="Each row cites the public source (URL) that states the rule's fact.")
        rules: dict[str, Statement] = {}
        bodies: dict[str, Statement] = {}
        lists: dict[str, Statement] = {}
        for number, cells in table.rows:
            if len(cells) > len(COLUMNS):
                raise InputError(path, f"{len(cells)} cells, but the table has {len(COLUMNS)} columns", line=number,
                                 unit="row", hint="a value or note may not contain a tab")
            row = dict(zip(COLUMNS, [c.strip() for c in cells] + [""] * (len(COLUMNS) - len(cells))))
            key, fact, value, url = row["measure"], row["fact"], row["value"], row["source"]
            if not key or not fact or not value:
                raise InputError(path, "a row needs a measure, a fact and a value", line=number, unit="row")
            if fact not in _FACTS:
                raise InputError(path, f"unknown fact {fact!r}", line=number, unit="row",
                                 hint=f"use one of {', '.join(sorted(_FACTS))}")
            if not url.startswith(("http://", "https://")):
                raise InputError(path, f"source {url!r} is not a URL", line=number, unit="row",
                                 hint="every row cites the http(s) address of the source that states it")
            note = f"{fact}: {value}" + (f"; {row['note']}" if row["note"] else "")
            evidence = Evidence(source=source.id, method="curated", confidence=1.0, file=file, row=number, url=url,
                                note=note)
            rule = rules.get(key)
            if rule is None:
                rule = rules[key] = Statement(key=key, cls="OwnershipRule",
                                              labels=[Label(_title(key))], origin=Origin(file, number, unit="row"))
            rule.evidence.append(evidence)
            if fact == "title":
                rule.labels = [Label(value)]
            elif fact == "imposed_by":
                name = value.split(",", 1)[0].strip()
                body = bodies.setdefault(name, Statement(key=f"body/{name}", cls="GovernmentBody", labels=[Label(name)],
                                                         origin=Origin(file, number, unit="row")))
                body.evidence.append(evidence)
                rule.values.setdefault("imposedBy", []).append(Ref(key=body.key))
            elif fact == "legal_basis":
                rule.values["legalBasis"] = [value]
            elif fact in _DATES:
                from datetime import date

                try:
                    rule.values[_DATES[fact]] = [date.fromisoformat(value)]
                except ValueError:
                    raise InputError(path, f"{fact} {value!r} is not a date", line=number, unit="row",
                                     hint="write dates as YYYY-MM-DD") from None
            elif fact == "scope":
                rule.values["effect"] = [value]
                share = re.search(r"(\d+(?:\.\d+)?)\s*(?:%|percent)", value)
                if share:
                    rule.values["ownershipThreshold"] = [float(share.group(1))]
                refs = []
                for name in (name for pattern, name in _LISTS if pattern.search(value)):
                    # declared here too, so that a rule stands without the lists' files (it merges with them)
                    declared = lists.setdefault(name, Statement(key=f"list/{name}", cls="RestrictedPartyList",
                                                                labels=[Label(name)],
                                                                origin=Origin(file, number, unit="row")))
                    declared.evidence.append(evidence)
                    refs.append(Ref(key=declared.key))
                rule.values["extendsList"] = refs
            elif fact == "licence_rule":
                rule.values["licenseRequirement"] = [value]
        statements = ([bodies[k] for k in sorted(bodies)] + [lists[k] for k in sorted(lists)]
                      + [rules[k] for k in sorted(rules)])
        counts = {"rows": len(table.rows), "rules": len(rules)}
        return [Batch(source=source, statements=statements, file=file, counts=counts)]


def _title(key: str) -> str:
    # a rule without a title row is named after its key: "ofac-50-percent-rule" -> "OFAC 50 percent rule"
    words = key.split("-")
    return " ".join(w.upper() if len(w) <= 4 and w.isalpha() and i == 0 else w for i, w in enumerate(words))
