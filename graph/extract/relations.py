"""Fact rules applied to sentences: triggers, roles, dates, and merging within an article.

A :class:`Fact` is what the rules found before it becomes a statement: a class, role values
(mentions, dates, text), the sentences that state it and a confidence. Facts of one article
that describe the same measure or event are merged ("a annoncé lundi placer sur liste noire
..." and "Parmi les entreprises visées ...").

Examples
--------
>>> from graph.extract.rules import load_rules
>>> from graph.extract.gazetteer import Mention
>>> text = "Acme est partenaire de Bolt et de Zeta."
>>> ms = [Mention(0, 4, "Acme", "Company", name="Acme"), Mention(23, 27, "Bolt", "Company", name="Bolt"),
...       Mention(34, 38, "Zeta", "Company", name="Zeta")]
>>> facts = apply_rules(text, [(0, len(text))], ms, load_rules("fr"), None, lambda m, how: None)
>>> sorted(tuple(m.text for m in f.values["partner"]) for f in facts)
[('Acme', 'Bolt'), ('Acme', 'Zeta')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from graph.extract.dates import find_dates
from graph.extract.gazetteer import Mention
from graph.extract.rules import FactRule, RoleRule, Rules

__all__ = ["Fact", "apply_rules", "coordinated"]

#: ``metonymy(mention, how)``: the mention standing for a government or country, or None
Metonymy = Callable[[Mention, str], Mention | None]


@dataclass
class Fact:
    """A measure, relationship, event (or an entity attribute) found by the rules."""

    cls: str
    rule: str
    values: dict[str, list] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 0.7
    sentence: int = 0
    require: tuple[str, ...] = ()
    kind: str = "fact"
    #: the sentence denies it ("does not supply", "ne fournit plus"): shown, never a plain fact
    negated: bool = False
    #: the sentence only allows, plans or predicts it ("may", "plans to", "pourrait"): shown, never a plain fact
    modality: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """Required roles the rules could not fill."""
        return tuple(r for r in self.require if not self.values.get(r))

    def add(self, prop: str, value) -> None:
        bucket = self.values.setdefault(prop, [])
        key = _identity(value)
        if all(_identity(v) != key for v in bucket):
            bucket.append(value)

    def participants(self) -> set[str]:
        return {_identity(v) for vs in self.values.values() for v in vs if isinstance(v, Mention)}


def apply_rules(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], rules: Rules,
                issued: date | None, metonymy: Metonymy, *, is_a: Callable[[str, str], bool] | None = None,
                modifiers: set[tuple[int, int]] = frozenset(), orphans: list[Fact] | None = None) -> list[Fact]:
    """Every fact the rules of ``rules`` find in ``sentences`` (spans of ``text``), merged.

    Mentions whose span is in ``modifiers`` only qualify another name ("the Department of
    Commerce's Bureau") and fill no role. A continuation ("The companies include X") that
    finds no fact of its class before it is appended to ``orphans`` when a list is given: the
    parse may have read the measure it goes on (:func:`graph.extract.parse.combine`).
    """
    is_a = is_a or (lambda cls, parent: cls == parent)
    mentions = [m for m in mentions if (m.start, m.end) not in modifiers]
    starts = [m.start for m in mentions]
    facts: list[Fact] = []
    for index, (start, end) in enumerate(sentences):
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        in_sentence = [m for m in mentions[lo:hi] if m.end <= end]
        sentence = text[start:end]
        for rule in rules.facts:
            # searched in the sentence alone, so that "^" in a trigger means its start
            for trigger in rule.trigger.finditer(sentence):
                span = (start + trigger.start(), start + trigger.end())
                for fact in _fill(text, (start, end), span, in_sentence, rule, rules, issued, metonymy):
                    fact.sentence = index
                    if not _merge(facts, fact, rule, is_a) and orphans is not None and fact.values:
                        orphans.append(fact)
                break  # one trigger per rule and sentence: the roles already span the sentence
    return [f for f in facts if f.kind != "attach"]


# ------------------------------------------------------------------------------ helpers


def _fill(text, sentence, trigger, mentions, rule: FactRule, rules: Rules, issued, metonymy) -> list[Fact]:
    start, end = sentence
    ts, te = trigger
    filled: list[tuple[RoleRule, list[Mention]]] = []
    for role in rule.roles:
        if role.cue is not None and not role.cue.search(text, start, end):
            filled.append((role, []))
            continue
        limit = end
        if role.until is not None:
            stop = role.until.search(text, te, end)
            if stop:
                limit = stop.start()
        chosen: list[Mention] = []
        if role.side == "before":
            pool = [m for m in mentions if m.end <= ts]
            pool = pool if role.pick == "first" else pool[::-1]
        elif role.side == "after":
            # "after" counts from the trigger's start: "added Huawei to the Entity List"
            pool = [m for m in mentions if m.start >= ts and m.end <= limit]
        else:
            pool = [m for m in mentions if m.end <= limit or m.end <= te]
        if role.prefer is not None:
            pool = sorted(pool, key=lambda m: not role.prefer.search(text, max(start, m.start - 40), m.start))
        for mention in pool:
            value = mention if mention.cls in role.classes else None
            if value is None and role.metonymy is not None:
                value = metonymy(mention, role.metonymy)
                if value is not None and value.cls not in role.classes:
                    value = None
            if value is None:
                continue
            if role.prefix is not None and not role.prefix.search(text, max(start, mention.start - 40), mention.start):
                continue
            if role.not_prefix is not None and role.not_prefix.search(text, max(start, mention.start - 40), mention.start):
                continue
            if role.not_suffix is not None and role.not_suffix.match(text, mention.end, min(end, mention.end + 60)):
                continue
            if all(_identity(v) != _identity(value) for v in chosen):
                chosen.append(value)
            if role.max is not None and len(chosen) >= role.max:
                break
        if role.side == "before" and role.max == 1 and chosen:
            # "Qualcomm and Intel supply Huawei": the nearest name brings its list along
            chosen = coordinated(text, chosen[0], [m for m in pool if m.cls in role.classes])
        filled.append((role, chosen))
    quote = (start, end)
    base_status = None
    if rule.status and (rule.status_cue is None or rule.status_cue.search(text, start, end)):
        base_status = rule.status
    kind = "attach" if rule.attach else ("attribute" if rule.cls == "attribute" else "fact")
    facts: list[Fact] = []
    if rule.pairwise and len(filled) >= 2:
        (r1, v1), (r2, v2) = filled[0], filled[1]
        for a in v1:
            for b in v2:
                if _identity(a) == _identity(b):
                    continue
                fact = Fact(rule.cls, rule.name, spans=[quote], confidence=rule.confidence, require=rule.require, kind=kind)
                fact.add(r1.prop, a)
                fact.add(r2.prop, b)
                facts.append(fact)
    elif rule.reciprocal and len(rule.roles) >= 2:
        # "the trade war Washington and Beijing wage with tariffs": each side taxes the other
        r1, r2 = rule.roles[0], rule.roles[1]
        parties: list[Mention] = []
        for mention in (m for m in mentions if ts <= m.start and m.end <= te):
            if mention.cls in ("Place", "Country", "GovernmentBody") and \
                    all(_identity(mention) != _identity(p) for p in parties):
                parties.append(mention)
        if len(parties) == 2:
            for who, other in ((0, 1), (1, 0)):
                imposer = _as(parties[who], "government", r1, metonymy)
                target = _as(parties[other], "country", r2, metonymy)
                if imposer is None or target is None:
                    continue
                fact = Fact(rule.cls, rule.name, spans=[quote], confidence=rule.confidence, require=rule.require, kind=kind)
                fact.add(r1.prop, imposer)
                fact.add(r2.prop, target)
                facts.append(fact)
    else:
        fact = Fact(rule.cls, rule.name, spans=[quote], confidence=rule.confidence, require=rule.require, kind=kind)
        for role, values in filled:
            for value in values:
                fact.add(role.prop, value)
        facts.append(fact)
    for fact in facts:
        if base_status:
            fact.values.setdefault("status", [base_status])
        for when in find_dates(text, issued, rules, start=start, end=end):
            if when.precision == "days" and "date" in rule.dates and "endDate" in rule.dates:
                fact.add("date", when.start)
                fact.add("endDate", when.end)
                continue
            if when.day is None:
                continue
            before = text[max(start, when.char_start - 60):when.char_start]
            after = text[when.char_end:min(end, when.char_end + 80)]
            for prop in rule.dates:
                cue, cue_after = rules.date_roles.get(prop), rules.date_roles_after.get(prop)
                if (cue is not None and cue.search(before)) or (cue_after is not None and cue_after.search(after)):
                    fact.add(prop, when.day)
                    break
            # a day without a cue is left out: "lundi" may date the report, not the fact
    return facts


def _as(mention: Mention, how: str, role: RoleRule, metonymy: Metonymy) -> Mention | None:
    """``mention`` as the government or country it stands for, if the role takes that class."""
    wanted = "GovernmentBody" if how == "government" else "Country"
    value = mention if mention.cls == wanted else metonymy(mention, how)
    return value if value is not None and value.cls in role.classes else None


_COORDINATION = re.compile(r"^\s*(?:,|and|et|ainsi que|as well as)\s*(?:de |d’|d'|à )?\s*$")


def coordinated(text: str, nearest: Mention, pool: list[Mention]) -> list[Mention]:
    """``nearest`` and the mentions of ``pool`` coordinated before it ("A, B and C"), in text order."""
    group = [nearest]
    for mention in sorted((m for m in pool if m.end <= nearest.start), key=lambda m: -m.start):
        if _COORDINATION.match(text[mention.end:group[-1].start]):
            group.append(mention)
        else:
            break
    return group[::-1]


def _merge(facts: list[Fact], fact: Fact, rule: FactRule, is_a) -> bool:
    """Merge ``fact`` into ``facts``; False for a continuation that found no fact to go on."""
    if rule.attach == "previous":
        for previous in reversed(facts):
            if previous.kind == "fact" and is_a(previous.cls, rule.cls) and fact.sentence - previous.sentence <= rule.within:
                before = previous.participants()
                for prop, values in fact.values.items():
                    if prop == "status":
                        continue
                    for value in values:
                        previous.add(prop, value)
                if previous.participants() - before and f" + {rule.name}" not in previous.rule:
                    # the table's path names the continuation that added a party ("The companies include X")
                    previous.rule += f" + {rule.name}"
                if fact.values and any(fact.values.values()):
                    previous.spans.extend(s for s in fact.spans if s not in previous.spans)
                    previous.sentence = fact.sentence
                return True
        return False
    for previous in facts:
        if previous.kind != fact.kind or previous.cls != fact.cls:
            continue
        if rule.pairwise or rule.reciprocal or fact.kind == "attribute":
            same = sorted((p, _identity(v)) for p, vs in previous.values.items() for v in vs if isinstance(v, Mention)) == \
                sorted((p, _identity(v)) for p, vs in fact.values.items() for v in vs if isinstance(v, Mention))
        else:
            # one article speaks of one measure or event of a class, unless their days differ
            same = not _conflicting_dates(previous, fact)
        if same:
            for prop, values in fact.values.items():
                for value in values:
                    if prop == "status" and previous.values.get("status"):
                        continue
                    previous.add(prop, value)
            previous.spans.extend(s for s in fact.spans if s not in previous.spans)
            previous.confidence = max(previous.confidence, fact.confidence)
            previous.sentence = fact.sentence
            return True
    facts.append(fact)
    return True


def _conflicting_dates(a: Fact, b: Fact) -> bool:
    """Two facts of a class differ when their days differ, or their imposers do."""
    for prop in ("announcedOn", "startDate", "date", "imposedBy"):
        x = {_identity(v) for v in a.values.get(prop, [])}
        y = {_identity(v) for v in b.values.get(prop, [])}
        if x and y and not (x & y):
            return True
    return False


def _identity(value) -> str:
    return value.identity if isinstance(value, Mention) else f"literal:{value!r}"
