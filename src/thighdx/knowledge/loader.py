"""Read the knowledge-base YAML files, validate them and cross-check every reference.

Every problem is reported with the file and the entry at fault; the loader collects them
all before it fails, so an editor sees the whole list at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from thighdx.errors import KnowledgeError
from thighdx.knowledge.codes import code_problems
from thighdx.knowledge.schema import (
    LEVELS,
    CarePlan,
    Code,
    Condition,
    ExercisesFile,
    FaqFile,
    Finding,
    FindingsFile,
    InterviewSettings,
    Other,
    ScoresFile,
    SourcesFile,
    Text,
    TriageFile,
    When,
)

DATA_DIR = Path(__file__).parent / "data"
M = TypeVar("M", bound=BaseModel)
# The models kept one per file, named by their id.
Identified = TypeVar("Identified", Condition, CarePlan)


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole knowledge base, validated and immutable once loaded."""

    root: Path
    sources: dict[str, Any]
    findings: dict[str, Finding]
    groups: dict[str, Text]
    conditions: dict[str, Condition]
    other: Other
    triage: TriageFile
    scores: ScoresFile
    exercises: dict[str, Any]
    care: dict[str, CarePlan]
    faq: FaqFile
    messages: dict[str, Text]
    interview: InterviewSettings
    _cache: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def condition_ids(self) -> list[str]:
        return list(self.conditions)

    @property
    def finding_ids(self) -> list[str]:
        return list(self.findings)

    def message(self, key: str, language: str, **values: object) -> str:
        """A user-facing message in `language`, with `{name}` placeholders filled."""
        text = self.messages[key].get(language)
        return text.format(**values) if values else text


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[str] = []
        self.invalid: set[str] = set()
        """Ids of entries whose file failed validation: known to exist, so not reported again."""

    def add(self, path: Path | str, where: str, message: str) -> None:
        name = path.relative_to(self.root) if isinstance(path, Path) else path
        self.items.append(f"{name}: {where}: {message}" if where else f"{name}: {message}")


def _read_yaml(path: Path, problems: _Problems) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.add(path, "", "file is missing")
    except yaml.YAMLError as error:
        problems.add(path, "", f"not valid YAML: {error}")
    return None


def _validate(model: type[M], data: Any, path: Path, problems: _Problems) -> M | None:
    if data is None:
        if path.exists():
            problems.add(path, "", "file is empty")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            entry = _entry_name(data, item["loc"])
            value = item.get("input")
            shown = "" if isinstance(value, (dict, list)) else f" (value: {value!r})"
            problems.add(path, f"{entry}{where}", f"{item['msg']}{shown}")
        return None


def _entry_name(data: Any, loc: tuple[Any, ...]) -> str:
    """Name the list entry at fault by its id, e.g. `findings[3] (id=pain_calf) `."""
    node = data
    for part in loc[:2]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return ""
        if isinstance(node, dict) and "id" in node:
            return f"[id={node['id']}] "
    return ""


def _load_dir(directory: Path, model: type[Identified], problems: _Problems) -> dict[str, tuple[Path, Identified]]:
    loaded: dict[str, tuple[Path, Identified]] = {}
    if not directory.is_dir():
        problems.add(directory, "", "directory is missing")
        return loaded
    for path in sorted(directory.glob("*.yaml")):
        item = _validate(model, _read_yaml(path, problems), path, problems)
        if item is None:
            problems.invalid.add(path.stem)
            continue
        item_id = item.id
        if item_id != path.stem:
            problems.add(path, "id", f"{item_id!r} does not match the file name {path.stem!r}")
        loaded[item_id] = (path, item)
    return loaded


def _when_ids(when: When) -> Iterable[str]:
    yield from when.present
    yield from when.any_present
    yield from when.absent
    yield from when.not_present


def _check_shared_codes(conditions: dict[str, tuple[Path, Condition]], problems: _Problems) -> None:
    """Two conditions may carry the same code only when each entry says the system has no finer one."""
    users: dict[tuple[str, str], list[tuple[str, Path, Code]]] = {}
    for cid, (path, cond) in conditions.items():
        for system_field, code in cond.codes.all():
            users.setdefault((system_field, code.code), []).append((cid, path, code))
    for (system_field, value), sharing in users.items():
        for cid, path, code in sharing:
            others = sorted(other for other, _, _ in sharing if other != cid)
            if others and not (code.no_finer_code or "").strip():
                problems.add(
                    path, f"codes.{system_field}",
                    f"{code.system} {value} is also the code of {', '.join(others)}: choose a closer code, "
                    "or add no_finer_code saying why the system has no finer one",
                )
            elif not others and code.no_finer_code is not None:
                problems.add(
                    path, f"codes.{system_field}",
                    f"no_finer_code is set but no other condition carries {code.system} {value}",
                )


def check_kb(root: Path | None = None) -> tuple[KnowledgeBase | None, list[str]]:
    """Load and cross-check the knowledge base; return it (if loadable) and every problem."""
    root = Path(root) if root else DATA_DIR
    problems = _Problems(root)

    sources: dict[str, Any] = {}
    sources_file = None
    for path in sorted((root / "sources").glob("*.yaml")):
        sources_file = _validate(SourcesFile, _read_yaml(path, problems), path, problems)
        for source in sources_file.sources if sources_file else []:
            if source.id in sources:
                problems.add(path, source.id, "source defined twice")
            sources[source.id] = source
    if sources_file is None:
        problems.add(root / "sources", "", "no source files")
    findings_file = _validate(FindingsFile, _read_yaml(root / "findings.yaml", problems), root / "findings.yaml", problems)
    other = _validate(Other, _read_yaml(root / "other.yaml", problems), root / "other.yaml", problems)
    triage = _validate(TriageFile, _read_yaml(root / "triage.yaml", problems), root / "triage.yaml", problems)
    scores = _validate(ScoresFile, _read_yaml(root / "scores.yaml", problems), root / "scores.yaml", problems)
    exercises_file = _validate(ExercisesFile, _read_yaml(root / "exercises.yaml", problems), root / "exercises.yaml", problems)
    faq = _validate(FaqFile, _read_yaml(root / "faq.yaml", problems), root / "faq.yaml", problems)
    interview = _validate(
        InterviewSettings, _read_yaml(root / "interview.yaml", problems), root / "interview.yaml", problems
    )
    if interview:
        need_source_later = [("interview.yaml", interview.src)]
    else:
        need_source_later = []
    conditions_loaded = _load_dir(root / "conditions", Condition, problems)
    care_loaded = _load_dir(root / "care", CarePlan, problems)
    messages: dict[str, Text] = {}
    for path in sorted((root / "messages").glob("*.yaml")):
        data = _read_yaml(path, problems) or {}
        if not isinstance(data, dict):
            problems.add(path, "", "must map message keys to {en, tr} texts")
            continue
        for key, value in data.items():
            text = _validate(Text, value, path, problems)
            if text is None:
                problems.add(path, str(key), "needs both en and tr texts")
            elif key in messages:
                problems.add(path, str(key), "message key defined twice")
            else:
                messages[str(key)] = text

    findings: dict[str, Finding] = {}
    groups: dict[str, Text] = {}
    if findings_file:
        groups = {g.id: g.title for g in findings_file.groups}
        for finding in findings_file.findings:
            if finding.id in findings:
                problems.add(root / "findings.yaml", finding.id, "finding defined twice")
            findings[finding.id] = finding
            if finding.group and finding.group not in groups:
                problems.add(root / "findings.yaml", finding.id, f"unknown group {finding.group!r}")
        for finding in findings_file.findings:
            for broader in finding.within:
                if broader not in findings or broader == finding.id:
                    problems.add(root / "findings.yaml", finding.id, f"within: unknown finding {broader!r}")
            if finding.within and finding.screen == "always":
                problems.add(root / "findings.yaml", finding.id, "within: a universal safety question is asked of everyone")

    def need_source(path: Path, where: str, src: str) -> None:
        if src not in sources:
            problems.add(path, where, f"source {src!r} is not in sources/*.yaml")

    def need_finding(path: Path, where: str, finding_id: str) -> None:
        if findings and finding_id not in findings:
            problems.add(path, where, f"finding {finding_id!r} does not exist")

    conditions = {cid: cond for cid, (_, cond) in conditions_loaded.items()}
    known_conditions = set(conditions) | problems.invalid
    for cid, (path, cond) in conditions_loaded.items():
        need_source(path, "prior", cond.prior.src)
        for i, mod in enumerate(cond.prior.modifiers):
            need_source(path, f"prior.modifiers[{i}]", mod.src)
            for fid in _when_ids(mod.when):
                need_finding(path, f"prior.modifiers[{i}]", fid)
        need_source(path, "default_likelihood", cond.default_likelihood.src)
        for system_field, code in cond.codes.all():
            need_source(path, f"codes.{system_field}", code.src)
            for message in code_problems(code.system, code.code):
                problems.add(path, f"codes.{system_field}", message)
        for fid, fig in cond.likelihoods.items():
            need_finding(path, f"likelihoods.{fid}", fid)
            need_source(path, f"likelihoods.{fid}", fig.src)
        weights = sum(p.weight for p in cond.profiles)
        if cond.profiles and abs(weights - 1.0) > 1e-6:
            problems.add(path, "profiles", f"weights sum to {weights:.3f}, not 1")
        for prof in cond.profiles:
            for fid, fig in prof.likelihoods.items():
                need_finding(path, f"profiles.{prof.id}.{fid}", fid)
                need_source(path, f"profiles.{prof.id}.{fid}", fig.src)
        need_source(path, "triage", cond.triage.src)
        for i, rule in enumerate(cond.triage.rules):
            need_source(path, f"triage.rules[{i}]", rule.src)
            for fid in _when_ids(rule.when):
                need_finding(path, f"triage.rules[{i}]", fid)
        if cid not in care_loaded and cid not in problems.invalid:
            problems.add(path, "", f"condition has no care plan (care/{cid}.yaml)")

    _check_shared_codes(conditions_loaded, problems)

    if other:
        path = root / "other.yaml"
        need_source(path, "prior", other.prior.src)
        need_source(path, "default_likelihood", other.default_likelihood.src)
        for fid, fig in other.likelihoods.items():
            need_finding(path, f"likelihoods.{fid}", fid)
            need_source(path, f"likelihoods.{fid}", fig.src)

    if triage:
        path = root / "triage.yaml"
        covered: set[str] = set()
        for flag in triage.red_flags:
            need_source(path, f"red_flags[id={flag.id}]", flag.guideline)
            if not (flag.when.present or flag.when.any_present):
                problems.add(path, f"red_flags[id={flag.id}]", "needs at least one finding in present or any_present")
            for fid in _when_ids(flag.when):
                need_finding(path, f"red_flags[id={flag.id}]", fid)
            covered.update(flag.when.present)
            covered.update(flag.when.any_present)
        need_source(path, "screening", triage.screening.src)
        need_source(path, "posterior", triage.posterior.src)
        for level in LEVELS:
            if level not in triage.levels:
                problems.add(path, "levels", f"level {level!r} has no description")
        for fid, finding in findings.items():
            if finding.red_flag and fid not in covered:
                problems.add(root / "findings.yaml", fid, "red-flag finding has no red-flag rule (with a level) in triage.yaml")

    if scores:
        path = root / "scores.yaml"
        for score in scores.scores:
            need_source(path, f"scores[id={score.id}]", score.src)
            if conditions and score.condition not in known_conditions:
                problems.add(path, f"scores[id={score.id}]", f"condition {score.condition!r} does not exist")
            for item in score.items:
                if item.finding:
                    need_finding(path, f"scores[id={score.id}]", item.finding)

    exercises = {e.id: e for e in exercises_file.exercises} if exercises_file else {}
    for ex in exercises.values():
        need_source(root / "exercises.yaml", ex.id, ex.src)
    care = {cid: plan for cid, (_, plan) in care_loaded.items()}
    for cid, (path, plan) in care_loaded.items():
        expected_kind = "level" if cid in LEVELS else "condition"
        if plan.applies_to != expected_kind:
            problems.add(path, "applies_to", f"should be {expected_kind!r}")
        if expected_kind == "condition" and conditions and cid not in known_conditions:
            problems.add(path, "", f"care plan for unknown condition {cid!r}")
        for src in plan.sources:
            need_source(path, "sources", src)
        for i, planned in enumerate(plan.exercises):
            if exercises and planned.exercise not in exercises:
                problems.add(path, f"exercises[{i}]", f"exercise {planned.exercise!r} is not in exercises.yaml")
    for level in LEVELS:
        if care_loaded and level not in care_loaded:
            problems.add(root / "care", "", f"triage level {level!r} has no care plan (care/{level}.yaml)")

    if faq:
        for entry in faq.faq:
            for src in entry.sources:
                need_source(root / "faq.yaml", entry.id, src)
            for cid in entry.conditions:
                if conditions and cid not in known_conditions:
                    problems.add(root / "faq.yaml", entry.id, f"condition {cid!r} does not exist")

    for name, src in need_source_later:
        need_source(root / name, "src", src)
    if interview:
        for fid in interview.answer_rate:
            need_finding(root / "interview.yaml", f"answer_rate.{fid}", fid)
        for group in interview.grouped:
            if findings_file and group not in groups:
                problems.add(root / "interview.yaml", "grouped", f"group {group!r} is not defined in findings.yaml")

    if problems.items or not (
        findings_file and other and triage and scores and exercises_file and faq and sources_file and interview
    ):
        return None, problems.items or ["knowledge base is incomplete"]
    kb = KnowledgeBase(
        root=root,
        sources=sources,
        findings=findings,
        groups=groups,
        conditions=conditions,
        other=other,
        triage=triage,
        scores=scores,
        exercises=exercises,
        care=care,
        faq=faq,
        messages=messages,
        interview=interview,
    )
    return kb, []


def load_kb_from(root: Path | str) -> KnowledgeBase:
    """Load a knowledge base from a directory, raising `KnowledgeError` with every problem."""
    kb, problems = check_kb(Path(root))
    if kb is None:
        raise KnowledgeError(problems)
    return kb


@lru_cache(maxsize=4)
def load_kb(root: str | None = None) -> KnowledgeBase:
    """The knowledge base, loaded once per process (the packaged one unless `root` is given)."""
    return load_kb_from(Path(root) if root else DATA_DIR)
