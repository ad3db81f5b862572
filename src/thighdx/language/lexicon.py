"""The free-text lexicon: knowledge-base data, one file per language.

`knowledge/data/lexicon/<language>.yaml` holds, for one language:

    language: en
    max_chars: 4000            # longer text is parsed up to this many characters only
    negative_suffix: null      # Turkish: the negative verb endings after a finding's stem
    macros: {thigh: "thigh~|hamstring~"}   # shared sub-patterns, used as @thigh
    cues:                      # context cues, each a list of phrases (see `Cue`)
      negation: {forward: [...], backward: [...]}
      uncertainty: {...}  hypothetical: {...}  historical: {...}
      family: {...}            # said of a blood relative: the entry's `family` finding, if any
      other_person: {...}      # said of anyone else: left out
      terminate: [...]         # words that end a cue's scope ("but", "ama")
      pseudo: [...]            # look like a cue but are not one ("no doubt", "not only")
    findings:                  # one entry per finding id
      - id: leg_swelling_one_side
        present: [...]         # patterns naming the finding
        absent: [...]          # patterns that on their own say it is absent ("walk fine")
        historical: drop       # a past mention: drop (default), keep, or another finding id
        family: null           # said of a relative: another finding id, or dropped
        suppressed_by: []      # findings that, matched on the same words, are the better reading
        clause_requires: []    # patterns of which one must occur in the match's clause
                               # ("for two years" counts only in a clause about the pain)
        ambiguous: []          # words of several senses ("kalça": hip or buttock): a match
                               # of only these is read with lower confidence
        ask: []                # wording that may tell of the finding but not surely ("can't
                               # feel my bum properly"): read `unknown`, so it is asked
    umbrellas:                 # words naming a function or a group of findings without saying
      - members: [bladder_dysfunction, bowel_dysfunction]   # what is wrong ("sphincters",
        words: ["sphincter~"]  # "neuro"): alone, each member is asked; denied or said normal
                               # ("sphincters intact", "no neuro sx"), each is read absent

Patterns are regular expressions over the normalised text (lower case; Turkish folded to
ASCII letters, so they are written either way): a space matches any run of spaces, hyphens
or slashes, `~` matches the rest of a word, and in Turkish every pattern may be followed
by suffixes; `@name` inserts a macro. Cue phrases are words; a word ending in `~` matches any word it begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from thighdx.language.patterns import (
    MACRO,
    compile_pattern,
    expand_macros,
    spoken_turkish,
    start_prefixes,
)
from thighdx.language.text import fold_pattern_text

LEXICON_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "lexicon"
LANGUAGES = ("en", "tr")
CUE_KINDS = ("negation", "uncertainty", "hypothetical", "family", "other_person", "historical")
DIRECTIONS = ("forward", "backward", "bidirectional")
HISTORICAL_ACTIONS = ("drop", "keep")


@dataclass(frozen=True)
class Cue:
    """One context cue: a phrase (words, `~` suffix wildcards) or a one-word regex."""

    phrase: str | None
    regex: str | None
    kind: str  # a CUE_KINDS entry, "terminate" or "pseudo"
    direction: str  # forward | backward | bidirectional | terminate | pseudo
    max_scope: int | None


@dataclass(frozen=True)
class Entry:
    """The lexicon entry of one finding in one language, with its compiled patterns."""

    id: str
    present: re.Pattern[str] | None
    absent: re.Pattern[str] | None
    historical: str  # "drop", "keep" or a finding id
    family: str | None
    suppressed_by: tuple[str, ...]
    counts: tuple[int, int]
    clause_requires: re.Pattern[str] | None = None
    # The patterns without a `~` stem wildcard: a match none of them covers is stem-based.
    exact: re.Pattern[str] | None = None
    # Patterns naming a word of several senses: a match of only these is less certain.
    ambiguous: re.Pattern[str] | None = None
    # How matches of `present` / `absent` can begin (None: anyhow): see `start_prefixes`.
    present_starts: frozenset[str] | None = None
    absent_starts: frozenset[str] | None = None
    # Patterns that may tell of the finding, not surely: a match is read `unknown` (asked).
    ask: re.Pattern[str] | None = None
    ask_starts: frozenset[str] | None = None
    # Words naming a function or a group this finding belongs to (see `umbrellas`).
    umbrella: re.Pattern[str] | None = None
    umbrella_starts: frozenset[str] | None = None


@dataclass(frozen=True)
class Lexicon:
    language: str
    max_chars: int
    default_scope: int
    negative_suffix: re.Pattern[str] | None
    cues: tuple[Cue, ...]
    entries: tuple[Entry, ...]
    problems: tuple[str, ...] = field(default=())
    # Findings that are never read `absent` unless the negation is a plain denial, close to
    # them: the knowledge base's red flags and the findings that alone demand emergency care.
    red_flags: frozenset[str] = field(default=frozenset())


def _read(language: str, root: Path | None = None) -> tuple[dict[str, Any] | None, list[str]]:
    path = (root or LEXICON_DIR) / f"{language}.yaml"
    name = f"lexicon/{language}.yaml"
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError:
        return None, [f"{name}: file is missing"]
    except yaml.YAMLError as error:
        return None, [f"{name}: not valid YAML: {error}"]
    if not isinstance(data, dict):
        return None, [f"{name}: must be a mapping"]
    return data, []


def _cues(data: dict[str, Any], name: str, problems: list[str]) -> list[Cue]:
    cues: list[Cue] = []
    raw = data.get("cues") or {}
    if not isinstance(raw, dict):
        problems.append(f"{name}: cues must be a mapping")
        return cues

    def add(item: Any, kind: str, direction: str, where: str) -> None:
        if isinstance(item, str):
            item = {"phrase": item}
        if not isinstance(item, dict) or not (item.get("phrase") or item.get("regex")):
            problems.append(f"{name}: {where}: a cue needs a phrase or a regex (got {item!r})")
            return
        if item.get("regex"):
            try:
                re.compile(item["regex"])
            except re.error as error:
                problems.append(f"{name}: {where}: bad regex {item['regex']!r}: {error}")
                return
        scope = item.get("max_scope")
        if scope is not None and (not isinstance(scope, int) or scope < 1):
            problems.append(f"{name}: {where}: max_scope must be a positive integer")
            scope = None
        cues.append(Cue(item.get("phrase"), item.get("regex"), kind, direction, scope))

    for kind in CUE_KINDS:
        section = raw.get(kind) or {}
        if not isinstance(section, dict):
            problems.append(f"{name}: cues.{kind} must map directions to lists")
            continue
        for direction, items in section.items():
            if direction not in DIRECTIONS:
                problems.append(f"{name}: cues.{kind}.{direction}: unknown direction")
                continue
            for i, item in enumerate(items or []):
                add(item, kind, direction, f"cues.{kind}.{direction}[{i}]")
    for special in ("terminate", "pseudo"):
        for i, item in enumerate(raw.get(special) or []):
            add(item, special, special, f"cues.{special}[{i}]")
    if not any(c.kind == "negation" for c in cues):
        problems.append(f"{name}: cues.negation is empty")
    return cues


def _umbrellas(data: dict[str, Any], name: str, macros: dict[str, str], problems: list[str]) -> dict[str, list[str]]:
    """Finding id -> the umbrella words of every group it belongs to."""
    words: dict[str, list[str]] = {}
    for i, item in enumerate(data.get("umbrellas") or []):
        members = item.get("members") if isinstance(item, dict) else None
        patterns = item.get("words") if isinstance(item, dict) else None
        if not isinstance(members, list) or not members or not isinstance(patterns, list) or not patterns:
            problems.append(f"{name}: umbrellas[{i}]: needs members and words")
            continue
        for member in members:
            words.setdefault(str(member), []).extend(expand_macros(str(p), macros) for p in patterns if str(p).strip())
    return words


# A space in a pattern becomes "one or more spaces, hyphens or slashes", which a character class
# cannot hold: "[- ]" would compile into a different class than written.
_SPACE_IN_CLASS = re.compile(r"(?<!\\)\[[^\]]* [^\]]*\]")
# A repeated class that can match what the space between words matches ("[\\w'/]+ " before a
# space) lets a run of "a/a/a/..." be cut into words in exponentially many ways.
_REPEATED_SEPARATOR_CLASS = re.compile(r"(?<!\\)\[[^\]]*[/-][^\]]*\][+*]")


def _entries(data: dict[str, Any], language: str, name: str, problems: list[str]) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    umbrellas = _umbrellas(data, name, macros, problems)
    known_ids = {item["id"] for item in data.get("findings") or [] if isinstance(item, dict) and isinstance(item.get("id"), str)}
    for fid in sorted(set(umbrellas) - known_ids):
        problems.append(f"{name}: umbrellas: {fid!r} has no entry in findings")
    for i, item in enumerate(data.get("findings") or []):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append(f"{name}: findings[{i}]: needs an id")
            continue
        fid = item["id"]
        where = f"{name}: findings[id={fid}]"
        if fid in seen:
            problems.append(f"{where}: entry defined twice")
        seen.add(fid)
        present = [expand_macros(p, macros) for p in item.get("present") or [] if isinstance(p, str) and p.strip()]
        absent = [expand_macros(p, macros) for p in item.get("absent") or [] if isinstance(p, str) and p.strip()]
        requires = [expand_macros(p, macros) for p in item.get("clause_requires") or [] if isinstance(p, str) and p.strip()]
        ambiguous = [expand_macros(p, macros) for p in item.get("ambiguous") or [] if isinstance(p, str) and p.strip()]
        ask = [expand_macros(p, macros) for p in item.get("ask") or [] if isinstance(p, str) and p.strip()]
        umbrella = umbrellas.get(fid, [])
        for pattern in present + absent + requires + ask + umbrella:
            for unknown in MACRO.findall(pattern):
                problems.append(f"{where}: unknown macro @{unknown}")
        if not present:
            problems.append(f"{where}: entry has no present patterns")
        for pattern in present + absent + requires + ask + umbrella:
            if pattern != pattern.lower() and "\\" not in pattern:
                problems.append(f"{where}: pattern {pattern!r} is not lower case")
            if _SPACE_IN_CLASS.search(pattern):
                problems.append(f"{where}: pattern {pattern!r} has a space inside [...]; a space matches any run of "
                                "spaces, hyphens or slashes, so write the alternatives as a group")
            if _REPEATED_SEPARATOR_CLASS.search(pattern):
                problems.append(f"{where}: pattern {pattern!r} repeats a [...] class holding a hyphen or a slash, which "
                                "the space between words also matches: slash- or hyphen-joined words then split in "
                                "exponentially many ways; leave them out of the class")
        try:
            compiled_present = compile_pattern(present, language)
            compiled_absent = compile_pattern(absent, language)
            compiled_requires = compile_pattern(requires, language)
            compiled_exact = compile_pattern([p for p in present if "~" not in p], language)
            compiled_ambiguous = compile_pattern(ambiguous, language)
            compiled_ask = compile_pattern(ask, language)
            compiled_umbrella = compile_pattern(umbrella, language)
        except re.error as error:
            problems.append(f"{where}: bad pattern: {error}")
            continue
        historical = item.get("historical", "drop")
        family = item.get("family")
        suppressed_by = tuple(item.get("suppressed_by") or ())
        entries.append(Entry(fid, compiled_present, compiled_absent, str(historical), family, suppressed_by, (len(present), len(absent)), compiled_requires, compiled_exact, compiled_ambiguous,
                             start_prefixes(compiled_present), start_prefixes(compiled_absent), compiled_ask, start_prefixes(compiled_ask),
                             compiled_umbrella, start_prefixes(compiled_umbrella)))
    if not entries:
        problems.append(f"{name}: no findings")
    return entries


@lru_cache(maxsize=8)
def load_lexicon(language: str, root: str | None = None) -> Lexicon:
    """The lexicon of one language (loaded once); problems are kept in `.problems`."""
    name = f"lexicon/{language}.yaml"
    data, problems = _read(language, Path(root) if root else None)
    if data is None:
        return Lexicon(language, 4000, 8, None, (), (), tuple(problems))
    if data.get("language") != language:
        problems.append(f"{name}: language is {data.get('language')!r}, expected {language!r}")
    max_chars = data.get("max_chars", 4000)
    if not isinstance(max_chars, int) or max_chars < 100:
        problems.append(f"{name}: max_chars must be an integer of at least 100")
        max_chars = 4000
    scope = data.get("default_scope", 8)
    suffix = data.get("negative_suffix")
    try:
        negative_suffix = re.compile(spoken_turkish(fold_pattern_text(suffix, language))) if suffix else None
    except re.error as error:
        problems.append(f"{name}: negative_suffix is not a valid regex: {error}")
        negative_suffix = None
    cues = _cues(data, name, problems)
    entries = _entries(data, language, name, problems)
    extra = data.get("red_flags") or []
    if not isinstance(extra, list):
        problems.append(f"{name}: red_flags must be a list of finding ids")
        extra = []
    flags = kb_red_flags() | kb_emergency_findings() | frozenset(str(x) for x in extra)
    return Lexicon(language, max_chars, int(scope), negative_suffix, tuple(cues), tuple(entries), tuple(problems), flags)


@lru_cache(maxsize=4)
def _data_file(path: Path) -> dict[str, Any]:
    """A YAML file of the knowledge base as plain data (empty when missing or unreadable: the
    knowledge-base check reports that, and the lexicon then reads without it)."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def kb_red_flags() -> frozenset[str]:
    """Finding ids the knowledge base marks `red_flag: true` (findings.yaml)."""
    data = _data_file(LEXICON_DIR.parent / "findings.yaml")
    return frozenset(f["id"] for f in data.get("findings") or [] if isinstance(f, dict) and f.get("red_flag") is True and "id" in f)


@lru_cache(maxsize=1)
def kb_emergency_findings() -> frozenset[str]:
    """Finding ids that alone demand emergency care: triage.yaml red-flag rules at an
    emergency level whose only condition is that one finding is present."""
    data = _data_file(LEXICON_DIR.parent / "triage.yaml")
    found: set[str] = set()
    for rule in data.get("red_flags") or []:
        when = rule.get("when") if isinstance(rule, dict) else None
        if not isinstance(when, dict) or not str(rule.get("level", "")).startswith("emergency"):
            continue
        present = when.get("present") or []
        if set(when) == {"present"} and isinstance(present, list) and len(present) == 1:
            found.add(str(present[0]))
    return frozenset(found)


@lru_cache(maxsize=1)
def kb_unsafe_readings() -> tuple[frozenset[str], frozenset[str]] | None:
    """Which readings could lower a level set by a triage rule: findings whose reading present, and
    findings whose reading absent, could hold back a rule that raises the level (triage.yaml's red
    flags; a condition's rule above its own level) or let one that lowers it match (a condition's
    rule below its own level). None when the rules cannot be read (then nothing may be judged safe)."""
    from thighdx.knowledge.schema import LEVELS

    rank = {level: i for i, level in enumerate(LEVELS)}
    rules: list[tuple[dict[str, Any], bool]] = []  # (when, raises)
    red_flags = _data_file(LEXICON_DIR.parent / "triage.yaml").get("red_flags") or []
    conditions = sorted((LEXICON_DIR.parent / "conditions").glob("*.yaml"))
    if not red_flags or not conditions:
        return None
    for rule in red_flags:
        if isinstance(rule, dict) and isinstance(rule.get("when"), dict):
            rules.append((rule["when"], True))
    for path in conditions:
        triage = _data_file(path).get("triage")
        if not isinstance(triage, dict) or triage.get("level") not in rank:
            return None
        for rule in triage.get("rules") or []:
            usable = isinstance(rule, dict) and isinstance(rule.get("when"), dict) and rule.get("level") in rank
            if usable and rank[rule["level"]] != rank[triage["level"]]:
                rules.append((rule["when"], rank[rule["level"]] > rank[triage["level"]]))
    not_present: set[str] = set()
    not_absent: set[str] = set()
    for when, raises in rules:
        needs_present = {str(f) for key in ("present", "any_present") for f in when.get(key) or []}
        needs_absent = {str(f) for f in when.get("absent") or []}
        blocked_by_present = {str(f) for f in when.get("not_present") or []}
        if raises:  # a reading must not hold it back
            not_present |= needs_absent | blocked_by_present
            not_absent |= needs_present
        else:  # a reading must not let it match
            not_present |= needs_present
            not_absent |= needs_absent
    return frozenset(not_present), frozenset(not_absent)


@lru_cache(maxsize=1)
def kb_findings_in_groups(groups: frozenset[str]) -> frozenset[str]:
    """Finding ids whose findings.yaml `group` is one of `groups`."""
    data = _data_file(LEXICON_DIR.parent / "findings.yaml")
    return frozenset(f["id"] for f in data.get("findings") or [] if isinstance(f, dict) and f.get("group") in groups and "id" in f)


@lru_cache(maxsize=1)
def kb_complaint_findings() -> frozenset[str]:
    """Finding ids the knowledge base calls a symptom or a sign (findings.yaml `kind`) of the
    leg, buttock or back: what the person feels or shows there now, as against their history,
    risk factors and the body as a whole (group `general`: fever, fainting, breath)."""
    data = _data_file(LEXICON_DIR.parent / "findings.yaml")
    kinds = ("symptom", "sign")
    return frozenset(f["id"] for f in data.get("findings") or []
                     if isinstance(f, dict) and f.get("kind") in kinds and f.get("group") != "general" and "id" in f)


@lru_cache(maxsize=1)
def kb_background_findings() -> frozenset[str]:
    """Finding ids the knowledge base calls a risk factor or history (findings.yaml `kind`):
    what the person has or did, never a state that "fine" or "no problems" could deny."""
    data = _data_file(LEXICON_DIR.parent / "findings.yaml")
    return frozenset(f["id"] for f in data.get("findings") or []
                     if isinstance(f, dict) and f.get("kind") in ("risk_factor", "history") and "id" in f)


@lru_cache(maxsize=1)
def implications() -> dict[str, tuple[str, ...]]:
    """Finding id -> the findings its present reading implies (`lexicon/implies.yaml`)."""
    raw = _data_file(LEXICON_DIR / "implies.yaml").get("implies") or {}
    return {str(k): tuple(str(v) for v in values) for k, values in raw.items() if isinstance(values, list)}


@lru_cache(maxsize=1)
def exclusions() -> dict[str, frozenset[str]]:
    """Finding id -> the findings its present reading rules out (`lexicon/implies.yaml`
    `excludes`: "both legs swollen" rules out "one leg swollen", not the other way round)."""
    raw = _data_file(LEXICON_DIR / "implies.yaml").get("excludes") or {}
    return {str(k): frozenset(str(v) for v in values) for k, values in raw.items() if isinstance(values, list)}


def max_chars(language: str = "en") -> int:
    """How many characters of a text `parse` reads; the rest is ignored (and reported)."""
    lang = language if language in LANGUAGES else "en"
    return load_lexicon(lang).max_chars


def _known_finding_ids() -> tuple[set[str], str]:
    """Finding ids of the knowledge base (findings.yaml), or of the shared vocabulary until
    the knowledge base has them."""
    findings = LEXICON_DIR.parent / "findings.yaml"
    candidates = [findings, Path(__file__).resolve().parents[4] / "shared" / "vocabulary.yaml"]
    for path in candidates:
        try:
            with path.open(encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
        except (OSError, yaml.YAMLError):
            continue
        ids = {f["id"] for f in data.get("findings") or [] if isinstance(f, dict) and "id" in f}
        if ids:
            return ids, path.name
    return set(), ""


def check_lexicon(root: str | Path | None = None) -> list[str]:
    """Every problem in the lexicon files: unreadable files, empty entries, bad patterns,
    finding ids the knowledge base does not define, findings with no entry in a language."""
    root_key = str(root) if root else None
    known, source = _known_finding_ids()
    problems: list[str] = []
    per_language: dict[str, set[str]] = {}
    for language in LANGUAGES:
        lexicon = load_lexicon(language, root_key)
        problems.extend(lexicon.problems)
        ids = {entry.id for entry in lexicon.entries}
        per_language[language] = ids
        name = f"lexicon/{language}.yaml"
        for entry in lexicon.entries:
            if known and entry.id not in known:
                problems.append(f"{name}: findings[id={entry.id}]: finding {entry.id!r} does not exist in {source}")
            for target in (entry.family, entry.historical if entry.historical not in HISTORICAL_ACTIONS else None, *entry.suppressed_by):
                if target and known and target not in known:
                    problems.append(f"{name}: findings[id={entry.id}]: redirects to unknown finding {target!r}")
    for source_id, implied in (*implications().items(), *exclusions().items()):
        for fid in (source_id, *implied):
            if known and fid not in known:
                problems.append(f"lexicon/implies.yaml: unknown finding {fid!r}")
    for language, ids in per_language.items():
        other = per_language["tr" if language == "en" else "en"]
        for fid in sorted(other - ids):
            problems.append(f"lexicon/{language}.yaml: finding {fid!r} has an entry in the other language but not here")
    return problems
