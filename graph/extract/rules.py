"""Extraction rules as data: ``graph/extract/rules/<lang>.yaml``, read and checked here.

An analyst extends the extractor by editing YAML, not Python: date phrases, the cue words
that give an unknown name its class, office titles, and the fact rules (a trigger pattern and
the roles its sentence fills). Patterns are Python regular expressions with four
conveniences: a space matches any run of white space (no-break spaces included), ``'`` and
``’`` match straight and curly apostrophes (write ``’`` inside single-quoted YAML), an accented
letter but ``à`` matches its plain letter too ("ministère" reads "ministere"), and ``{NAME}``,
``{months}``, ``{weekdays}``, ``{demonyms}`` expand to the language's lists. A broken rule file fails when loaded, with
the file, line and rule named.

Examples
--------
>>> fr = load_rules("fr")
>>> fr.lang, fr.months["aout"], bool(fr.facts)
('fr', 8, True)
>>> sorted({rule.cls for rule in load_rules("en").facts if rule.attach is None})[:3]
['ExportControlListing', 'Legislation', 'Negotiation']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from graph.errors import InputError
from graph.io.files import LineDict, load_yaml
from graph.extract.text import fold

__all__ = ["Rules", "NameWords", "FactRule", "RoleRule", "OfficeRule", "Common", "load_rules", "load_common", "rules_dir",
           "LANGUAGES"]

LANGUAGES = ("fr", "en")

_NAME = r"(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+|[A-Z]\.)(?: (?:[A-ZÀ-Ý][a-zà-ÿ'’-]+|[A-Z]\.)){1,2}"
_SIDES = ("before", "after", "any")
_METONYMY = (None, "government", "country")


@dataclass(frozen=True)
class RoleRule:
    """Which mentions of a trigger's sentence fill one property of the fact."""

    prop: str
    classes: tuple[str, ...]
    side: str = "any"
    max: int | None = None
    cue: re.Pattern | None = None
    prefix: re.Pattern | None = None
    until: re.Pattern | None = None
    metonymy: str | None = None
    #: for side "before": the nearest name (default) or the "first" of the sentence
    pick: str = "nearest"
    #: a mention right after text matching this never fills the role ("named by BIS")
    not_prefix: re.Pattern | None = None
    #: mentions right after text matching this are tried first ("passed the Senate")
    prefer: re.Pattern | None = None
    #: a mention right before text matching this never fills the role: it qualifies the name
    #: after it ("Belmont Robotics chief executive X", "Ivan Petrov's daughter X")
    not_suffix: re.Pattern | None = None


@dataclass(frozen=True)
class FactRule:
    """A trigger and the roles that make a measure, relationship or event of ``cls``."""

    name: str
    cls: str
    trigger: re.Pattern
    roles: tuple[RoleRule, ...]
    attach: str | None = None
    pairwise: bool = False
    reciprocal: bool = False
    require: tuple[str, ...] = ()
    confidence: float = 0.7
    status: str | None = None
    status_cue: re.Pattern | None = None
    dates: tuple[str, ...] = ()
    within: int = 3
    line: int = 0


@dataclass(frozen=True)
class OfficeRule:
    """A title before or after a person's name: "le secrétaire américain au Commerce, Wilbur Ross"."""

    pattern: re.Pattern
    organization: str | None
    confidence: float
    line: int = 0
    #: the name of the ministry the title names, from its group (?P<ministry>...) ("ministère
    #: {ministry}": « la ministre des Affaires étrangères X » holds office in the « ministère des
    #: Affaires étrangères »), where no body of that portfolio is known
    ministry: str | None = None


@dataclass
class Rules:
    """Everything one language's rule file says, compiled."""

    lang: str
    path: Path
    starters: frozenset[str] = frozenset()
    abbreviations: frozenset[str] = frozenset()
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    #: ISO code -> how the language names that country's government ("GB": "British government"),
    #: from ``government_name`` and the first demonym listed for the code
    government_names: dict[str, str] = field(default_factory=dict)
    date_patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)
    date_roles: dict[str, re.Pattern] = field(default_factory=dict)
    date_roles_after: dict[str, re.Pattern] = field(default_factory=dict)
    legal_suffix: re.Pattern | None = None
    class_cues: dict[str, dict[str, re.Pattern]] = field(default_factory=dict)
    entity_patterns: list[tuple[re.Pattern, str, int]] = field(default_factory=list)
    not_names: frozenset[str] = frozenset()
    #: the same words as the rule file spells them: "CEO" there is a title, "Cet" a determiner
    not_names_spelled: frozenset[str] = frozenset()
    offices: list[OfficeRule] = field(default_factory=list)
    facts: list[FactRule] = field(default_factory=list)
    #: "produits américains": adjectives that name a country (group ``adj``)
    country_adjectives: list[re.Pattern] = field(default_factory=list)
    #: "a US chipmaker", "le fabricant américain": a nationality said of a company (group ``adj``)
    nationalities: list[re.Pattern] = field(default_factory=list)
    #: infobox labels: field name ("founders", "headquarters", "investors") -> label pattern
    infobox: dict[str, re.Pattern] = field(default_factory=dict)
    #: the line that opens a list of shareholders ("les principaux actionnaires de X sont :")
    shareholders: re.Pattern | None = None
    #: the line that opens a list of a measure's targets ("The entities added are:", "Les entités visées sont :")
    target_list: re.Pattern | None = None
    #: what follows a body that speaks of a measure ("said on Tuesday", "announced"), read after its name
    speaking: re.Pattern | None = None
    #: what comes before a body whose statement tells of a measure ("according to a statement by",
    #: "selon un communiqué du"), searched in the words that end right before its name
    spoken_by: re.Pattern | None = None
    #: "the department" -> the latest mention of that class whose name has the noun
    anaphora: list[tuple[re.Pattern, str]] = field(default_factory=list)
    #: ``rules/names.yaml``: what the words of a name say about it (see :class:`NameWords`)
    names: NameWords = field(default_factory=lambda: NameWords())
    version: str = ""


@dataclass(frozen=True)
class NameWords:
    """What ``rules/names.yaml`` says about the words of a name, for one language (folded words)."""

    #: nouns joined by "and" inside one name ("Science and Technology")
    joined: frozenset[str] = frozenset()
    #: nouns names hold in the possessive ("People's Liberation Army", "Workers’ Party")
    possessive: frozenset[str] = frozenset()
    #: words that may open a run of capitals without being part of the name ("State-owned Rostec")
    descriptors: frozenset[str] = frozenset()
    #: common nouns in lower case a recogniser keeps before a name ("banque Rosbank", "l'honorable
    #: Anita Anand"): cut off when written in lower case, as spelled
    descriptor_nouns: frozenset[str] = frozenset()
    #: the words of a title that may open a run before a person's name ("Minister", "CEO")
    titles: frozenset[str] = frozenset()
    #: the last word of a document's name ("Order", "Register"); the first one in French
    document_last: frozenset[str] = frozenset()
    document_first: frozenset[str] = frozenset()
    #: acronyms of technologies, products, policies and kinds of party, as spelled ("NAND", "UBOs")
    terms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Common:
    """What ``rules/common.yaml`` says for every language."""

    legal_suffix: re.Pattern | None
    country_words: tuple[str, ...]
    government_words: tuple[str, ...]
    version: str
    #: country names ISO 3166 does not list ("America"), to ISO codes
    country_names: dict[str, str] = field(default_factory=dict)
    #: "Calif." -> "US-CA": abbreviations of subdivisions (ISO 3166-2 codes)
    division_abbreviations: dict[str, str] = field(default_factory=dict)
    #: a capital (folded) -> the ISO code of the country whose government it stands for
    capitals: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_common() -> Common:
    """The shared rules: legal suffixes, country prefixes, words for a whole government."""
    import hashlib

    path = rules_dir() / "common.yaml"
    doc = load_yaml(path)
    suffixes = doc.get("legal_suffixes") or []
    pattern = None
    if suffixes:
        body = "|".join(re.escape(str(s)) for s in sorted(suffixes, key=len, reverse=True))
        pattern = re.compile(rf"(?:,? (?:{body})(?![\w]))+")
    return Common(pattern, tuple(str(p) for p in doc.get("country_words") or []),
                  tuple(fold(str(w))[0] for w in doc.get("government_words") or []),
                  hashlib.sha256(path.read_bytes()).hexdigest()[:12],
                  {str(k): str(v).upper() for k, v in (doc.get("country_names") or {}).items()},
                  {str(k): str(v).upper() for k, v in (doc.get("division_abbreviations") or {}).items()},
                  {fold(str(k))[0]: str(v).upper() for k, v in (doc.get("capitals") or {}).items()})


def rules_dir() -> Path:
    """The folder of the packaged rule files."""
    return Path(str(resources.files("graph.extract"))) / "rules"


def load_rules(lang: str, path: Path | None = None) -> Rules:
    """The compiled rules of ``lang`` (``fr`` or ``en``), from ``path`` or the packaged file.

    Raises
    ------
    InputError
        When the file is not valid YAML or a rule is malformed (names the line and rule).
    """
    if path is None:
        if lang not in LANGUAGES:
            raise InputError(f"<rules:{lang}>", f"no rules for language {lang!r}", hint=f"known: {', '.join(LANGUAGES)}")
        return _packaged(lang)
    return _load(lang, path)


@lru_cache(maxsize=4)
def _packaged(lang: str) -> Rules:
    return _load(lang, rules_dir() / f"{lang}.yaml")


def _load(lang: str, path: Path) -> Rules:
    doc = load_yaml(path)
    common = LineDict()
    if not isinstance(doc, dict):
        raise InputError(path, "a rule file is a YAML mapping", line=1)
    rules = Rules(lang=lang, path=path)
    loader = _Loader(path, doc, common, rules)
    loader.run()
    import hashlib

    digest = hashlib.sha256(path.read_bytes())
    if (path.parent / "common.yaml").is_file():
        digest.update((path.parent / "common.yaml").read_bytes())
    names = path.parent / "names.yaml"
    if not names.is_file():
        names = rules_dir() / "names.yaml"
    rules.names = _name_words(names, lang)
    digest.update(names.read_bytes())
    rules.version = digest.hexdigest()[:12]
    return rules


def _name_words(path: Path, lang: str) -> NameWords:
    """The words of ``names.yaml`` for ``lang``, folded (the acronyms as spelled)."""
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError(path, "names.yaml is a YAML mapping", line=1)

    def words(node) -> frozenset[str]:
        if node is not None and not isinstance(node, list):
            raise InputError(path, "a list of words is expected here", line=getattr(node, "line", None))
        return frozenset(fold(str(w))[0] for w in node or [])

    not_parties = doc.get("not_parties") or {}
    titles = doc.get("titles") or {}
    return NameWords(joined=words(doc.get("joined_words")), possessive=words(doc.get("possessive_words")),
                     titles=words(titles.get(lang)), descriptors=words(doc.get("descriptors")),
                     descriptor_nouns=frozenset(str(w) for w in (doc.get("descriptor_nouns") or {}).get(lang) or []),
                     document_last=words(not_parties.get("document_kinds")),
                     document_first=words(not_parties.get("document_kinds_first")),
                     terms=frozenset(str(w) for w in not_parties.get("terms") or []))


class _Loader:
    def __init__(self, path: Path, doc: LineDict, common: LineDict, rules: Rules) -> None:
        self.path, self.doc, self.common, self.rules = path, doc, common, rules

    def fail(self, message: str, line: int | None, hint: str | None = None) -> InputError:
        return InputError(self.path, message, line=line, hint=hint)

    def line(self, node, key: str | None = None) -> int | None:
        if isinstance(node, LineDict):
            return node.key_lines.get(key, node.line) if key else node.line
        return getattr(self.doc, "line", None)

    def run(self) -> None:
        doc, rules = self.doc, self.rules
        rules.starters = frozenset(str(w) for w in doc.get("sentence_starters", []))
        rules.abbreviations = frozenset(str(w) for w in doc.get("abbreviations", []))
        rules.not_names = frozenset(fold(str(w))[0] for w in doc.get("not_names", []))
        rules.not_names_spelled = frozenset(str(w) for w in doc.get("not_names", []))
        rules.months = {fold(str(k))[0]: int(v) for k, v in (doc.get("months") or {}).items()}
        rules.weekdays = {fold(str(k))[0]: int(v) for k, v in (doc.get("weekdays") or {}).items()}
        rules.demonyms = {fold(str(k))[0]: str(v).upper() for k, v in (doc.get("demonyms") or {}).items()}
        template = doc.get("government_name")
        if template:
            for word, code in (doc.get("demonyms") or {}).items():
                rules.government_names.setdefault(str(code).upper(), str(template).format(demonym=word))
        self.macros = {
            "NAME": _NAME,
            "months": _alternation(doc.get("months") or {}),
            "weekdays": _alternation(doc.get("weekdays") or {}),
            "demonyms": _alternation(doc.get("demonyms") or {}),
        }
        for item in doc.get("dates", []):
            pattern = self.compile(item.get("pattern"), self.line(item), flags=re.IGNORECASE, word=True)
            rules.date_patterns.append((pattern, str(item.get("resolve"))))
        for prop, cue in (doc.get("date_roles") or {}).items():
            rules.date_roles[str(prop)] = self.compile(cue, self.line(doc.get("date_roles"), prop), flags=re.IGNORECASE)
        for prop, cue in (doc.get("date_roles_after") or {}).items():
            rules.date_roles_after[str(prop)] = self.compile(cue, self.line(doc.get("date_roles_after"), prop),
                                                             flags=re.IGNORECASE)
        rules.legal_suffix = load_common().legal_suffix
        for cls, cues in (doc.get("class_cues") or {}).items():
            compiled = {}
            for where, pattern in (cues or {}).items():
                if where not in ("before", "after", "head"):
                    raise self.fail(f"unknown cue position {where!r} for {cls!r}", self.line(cues, where),
                                    hint="use before, after or head")
                flags = 0 if where == "head" else re.IGNORECASE
                compiled[where] = self.compile(pattern, self.line(cues, where), flags=flags)
            rules.class_cues[str(cls)] = compiled
        for item in doc.get("entities", []):
            pattern = self.compile(item.get("pattern"), self.line(item))
            rules.entity_patterns.append((pattern, str(item.get("class")), self.line(item) or 0))
        for item in doc.get("offices", []):
            pattern = self.compile(item.get("pattern"), self.line(item))
            if "holder" not in pattern.groupindex or "role" not in pattern.groupindex:
                raise self.fail("an office pattern needs the groups (?P<holder>...) and (?P<role>...)", self.line(item))
            if item.get("organization") == "named" and "org" not in pattern.groupindex:
                raise self.fail("an office pattern with 'organization: named' needs the group (?P<org>...)",
                                self.line(item))
            ministry = item.get("ministry")
            if ministry is not None and ("{ministry}" not in str(ministry) or "ministry" not in pattern.groupindex):
                raise self.fail("an office pattern with 'ministry' needs the group (?P<ministry>...) and "
                                "'{ministry}' in the name it gives", self.line(item))
            rules.offices.append(OfficeRule(pattern, item.get("organization"), float(item.get("confidence", 0.8)),
                                            self.line(item) or 0, str(ministry) if ministry is not None else None))
        for item in doc.get("facts", []):
            rules.facts.append(self.fact(item))
        for item in doc.get("country_adjectives", []):
            pattern = self.compile(item, self.line(doc, "country_adjectives"))
            if "adj" not in pattern.groupindex:
                raise self.fail("a country_adjectives pattern needs the group (?P<adj>...)", self.line(doc, "country_adjectives"))
            rules.country_adjectives.append(pattern)
        for name, label in (doc.get("infobox") or {}).items():
            rules.infobox[str(name)] = self.compile(label, self.line(doc.get("infobox"), name), flags=re.IGNORECASE)
        if doc.get("shareholders"):
            rules.shareholders = self.compile(doc["shareholders"], self.line(doc, "shareholders"), flags=re.IGNORECASE)
        if doc.get("target_list"):
            rules.target_list = self.compile(doc["target_list"], self.line(doc, "target_list"), flags=re.IGNORECASE)
        if doc.get("speaking"):
            rules.speaking = self.compile(doc["speaking"], self.line(doc, "speaking"))
        if doc.get("spoken_by"):
            rules.spoken_by = self.compile(doc["spoken_by"], self.line(doc, "spoken_by"))
        for item in doc.get("nationality", []):
            pattern = self.compile(item, self.line(doc, "nationality"))
            if "adj" not in pattern.groupindex:
                raise self.fail("a nationality pattern needs the group (?P<adj>...)", self.line(doc, "nationality"))
            rules.nationalities.append(pattern)
        for item in doc.get("anaphora", []):
            if not isinstance(item, dict) or "pattern" not in item or "class" not in item:
                raise self.fail("an anaphora rule needs 'pattern' (with (?P<noun>...)) and 'class'", self.line(item))
            pattern = self.compile(item["pattern"], self.line(item))
            if "noun" not in pattern.groupindex:
                raise self.fail("an anaphora pattern needs the group (?P<noun>...)", self.line(item))
            rules.anaphora.append((pattern, str(item["class"])))

    def fact(self, item) -> FactRule:
        line = self.line(item)
        if not isinstance(item, dict) or "class" not in item or "trigger" not in item:
            raise self.fail("a fact rule needs 'class' and 'trigger'", line)
        roles = []
        for role in item.get("roles", []):
            rline = self.line(role)
            side = role.get("side", "any")
            if side not in _SIDES:
                raise self.fail(f"unknown side {side!r}", rline, hint=f"use one of {', '.join(_SIDES)}")
            if role.get("metonymy") not in _METONYMY:
                raise self.fail(f"unknown metonymy {role.get('metonymy')!r}", rline, hint="use government or country")
            roles.append(RoleRule(
                prop=str(role["prop"]),
                classes=tuple(str(c) for c in role.get("classes", [])),
                side=side,
                max=role.get("max"),
                cue=self.compile(role["cue"], rline, flags=re.IGNORECASE) if role.get("cue") else None,
                prefix=self.compile(role["prefix"] + r"\s*$", rline, flags=re.IGNORECASE) if role.get("prefix") else None,
                until=self.compile(role["until"], rline, flags=re.IGNORECASE) if role.get("until") else None,
                metonymy=role.get("metonymy"),
                pick=str(role.get("pick", "nearest")),
                not_prefix=self.compile(role["not_prefix"] + r"\s*$", rline, flags=re.IGNORECASE)
                if role.get("not_prefix") else None,
                prefer=self.compile(role["prefer"] + r"\s*$", rline, flags=re.IGNORECASE) if role.get("prefer") else None,
                not_suffix=self.compile(role["not_suffix"], rline) if role.get("not_suffix") else None,
            ))
        attach = item.get("attach")
        if attach not in (None, "previous"):
            raise self.fail(f"unknown attach {attach!r}", line, hint="use 'previous' or leave it out")
        return FactRule(
            name=str(item.get("name", item["class"])),
            cls=str(item["class"]),
            trigger=self.compile(item["trigger"], line, flags=re.IGNORECASE),
            roles=tuple(roles),
            attach=attach,
            pairwise=bool(item.get("pairwise", False)),
            reciprocal=bool(item.get("reciprocal", False)),
            require=tuple(str(r) for r in item.get("require", [])),
            confidence=float(item.get("confidence", 0.7)),
            status=item.get("status"),
            status_cue=self.compile(item["status_cue"], line, flags=re.IGNORECASE) if item.get("status_cue") else None,
            dates=tuple(str(d) for d in item.get("dates", [])),
            within=int(item.get("within", 3)),
            line=line or 0,
        )

    def compile(self, pattern, line, *, flags: int = 0, word: bool = False) -> re.Pattern:
        if not isinstance(pattern, str) or not pattern.strip():
            raise self.fail(f"expected a pattern, got {pattern!r}", line)
        text = _expand(pattern, self.macros)
        if word:
            text = rf"(?<!\w)(?:{text})(?!\w)"
        try:
            return re.compile(text, flags)
        except re.error as exc:
            raise self.fail(f"bad pattern {pattern!r}: {exc}", line,
                            hint="patterns are Python regular expressions") from exc


def _alternation(words) -> str:
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in items) + ")"


def _expand(pattern: str, macros: dict[str, str]) -> str:
    """Apply the conveniences: macros, flexible spaces, apostrophes and accents (outside [...])."""
    for name, body in macros.items():
        pattern = pattern.replace("{" + name + "}", body)
    out: list[str] = []
    depth = 0
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
            continue
        if char == "\\":
            out.append(char)
            escaped = True
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        if depth == 0 and char == " ":
            out.append(r"\s+")
        elif depth == 0 and char in "'’":
            out.append("['’]")
        elif depth == 0 and char in _UNACCENTED:
            # a text written without accents ("le ministere des Affaires etrangeres") reads as
            # one written with them; "à" stays itself, since "a" is another word
            out.append(f"[{char}{_UNACCENTED[char]}]")
        elif depth > 0 and char in _UNACCENTED:
            out.append(char + _UNACCENTED[char])
        else:
            out.append(char)
    return "".join(out)


#: accented letters and the letter a text written without accents puts in their place
_UNACCENTED = {"é": "e", "è": "e", "ê": "e", "ë": "e", "É": "E", "È": "E", "ç": "c", "ô": "o", "î": "i",
               "ï": "i", "û": "u", "ù": "u", "â": "a"}
