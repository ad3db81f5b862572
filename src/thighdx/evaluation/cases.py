"""Run a case file (contract §4) and score it (contract §6)."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thighdx.engine.evidence import Evidence
from thighdx.engine.triage import rank
from thighdx.errors import InputError
from thighdx.interview import Interview
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS

MODES = ("structured", "text", "interview")
EMERGENCY = ("emergency", "emergency_ambulance")


@dataclass(frozen=True)
class Case:
    id: str
    age: float
    sex: str
    language: str
    text: str
    evidence: dict[str, str]
    condition: str
    acceptable: tuple[str, ...]
    triage: str


@dataclass
class CaseResult:
    case: Case
    ranked: list[tuple[str, float]]
    level: str
    questions: list[str] = field(default_factory=list)
    """The findings answered through questions, in order."""
    screening_done: bool = True
    screens: int = 0
    """Questions the person saw: a screen with several items (the red-flag checklist) is one."""

    @property
    def top1(self) -> bool:
        return self.ranked[0][0] == self.case.condition

    @property
    def top3(self) -> bool:
        return self.case.condition in [c for c, _ in self.ranked[:3]]

    @property
    def misses(self) -> list[str]:
        found = []
        if not self.top1:
            rank_of = next((i + 1 for i, (c, _) in enumerate(self.ranked) if c == self.case.condition), None)
            top = ", ".join(f"{c} {p:.2f}" for c, p in self.ranked[:3])
            found.append(f"expected {self.case.condition} ranked {rank_of} (top: {top})")
        if self.level != self.case.triage:
            word = "under" if rank(self.level) < rank(self.case.triage) else "over"
            found.append(f"{word}-triage: got {self.level}, expected {self.case.triage}")
        if not self.screening_done:
            found.append("stopped before red-flag screening")
        return found


def parse_case(data: Any, where: str, kb: KnowledgeBase) -> Case:
    """Validate one case record, naming the field at fault."""
    if not isinstance(data, dict):
        raise InputError(where, "each line must be a JSON object")
    try:
        expected = data["expected"]
        case = Case(
            id=str(data["id"]),
            age=data["age"],
            sex=data["sex"],
            language=data.get("language", "en"),
            text=data.get("text", ""),
            evidence=dict(data.get("evidence", {})),
            condition=expected["condition"],
            acceptable=tuple(expected.get("acceptable", [])),
            triage=expected["triage"],
        )
    except (KeyError, TypeError) as error:
        raise InputError(where, f"missing or malformed field {error}") from None
    Evidence.build(kb, case.age, case.sex, case.evidence)
    if case.condition not in kb.conditions:
        raise InputError(f"{where}.expected.condition", f"unknown condition id {case.condition!r}")
    if case.triage not in LEVELS:
        raise InputError(f"{where}.expected.triage", f"unknown triage level {case.triage!r}")
    if case.language not in ("en", "tr"):
        raise InputError(f"{where}.language", f"must be 'en' or 'tr', got {case.language!r}")
    return case


def load_cases(path: Path, kb: KnowledgeBase) -> list[Case]:
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError("FILE", f"cannot read {path}: {error.strerror}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(where, f"not valid JSON ({error.msg})") from None
        cases.append(parse_case(data, where, kb))
    return cases


def run_case(kb: KnowledgeBase, case: Case, mode: str, from_text: bool = True, one_at_a_time: bool = False) -> CaseResult:
    """Run one case through the core interview; in interview mode, `from_text=False` starts from
    age and sex only, and `one_at_a_time` answers only each question's first finding, as a client
    that shows one question per screen does (then every answer counts as a question)."""
    if mode == "structured":
        interview = Interview.start(kb, case.age, case.sex, case.language, evidence=case.evidence.items())
    else:
        interview = Interview.start(kb, case.age, case.sex, case.language, text=case.text if from_text else None)
    step = interview.step()
    screens = 0
    if mode == "interview":
        while step.question is not None and not step.should_stop:
            shown = (step.question.finding,) if one_at_a_time else (step.question.finding, *step.question.items)
            if any(f in interview.asked for f in shown):
                raise RuntimeError(f"{case.id}: question {shown!r} asked twice")
            step = interview.answer_screen([(f, case.evidence.get(f, "unknown")) for f in shown])
            screens += 1
    screening_done = not step.pending_screening
    return CaseResult(case, step.ranking.ranked(), step.triage.level, list(interview.asked), screening_done, screens)


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def summarise(results: list[CaseResult], mode: str) -> dict[str, Any]:
    """The contract's summary plus per-condition and per-level breakdowns with counts."""
    n = len(results)
    counts = [r.screens for r in results]
    ordered = sorted(counts)
    emergencies = [r for r in results if r.case.triage in EMERGENCY]
    self_care = [r for r in results if r.case.triage == "self_care"]
    summary: dict[str, Any] = {
        "cases": n,
        "mode": mode,
        "top1": _share(sum(r.top1 for r in results), n),
        "top3": _share(sum(r.top3 for r in results), n),
        "triage_exact": _share(sum(r.level == r.case.triage for r in results), n),
        "under_triage": _share(sum(rank(r.level) < rank(r.case.triage) for r in results), n),
        "over_triage": _share(sum(rank(r.level) > rank(r.case.triage) for r in results), n),
        "emergency_recall": _share(sum(r.level in EMERGENCY for r in emergencies), len(emergencies)),
        "self_care_recognised": _share(sum(r.level == "self_care" for r in self_care), len(self_care)),
        "questions_mean": round(statistics.fmean(counts), 3) if counts else 0.0,
        "questions_median": statistics.median(counts) if counts else 0,
        "questions_p95": ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))] if ordered else 0,
        "questions_max": max(counts, default=0),
        "answers_median": statistics.median([len(r.questions) for r in results]) if results else 0,
        "stopped_before_screening": sum(not r.screening_done for r in results),
    }
    by_condition: dict[str, list[CaseResult]] = defaultdict(list)
    by_level: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        by_condition[r.case.condition].append(r)
        by_level[r.case.triage].append(r)
    summary["per_condition"] = {
        c: {
            "cases": len(rs),
            "top1": _share(sum(r.top1 for r in rs), len(rs)),
            "top3": _share(sum(r.top3 for r in rs), len(rs)),
            "triage_exact": _share(sum(r.level == r.case.triage for r in rs), len(rs)),
        }
        for c, rs in sorted(by_condition.items())
    }
    summary["per_level"] = {
        level: {
            "cases": len(by_level[level]),
            "exact": _share(sum(r.level == level for r in by_level[level]), len(by_level[level])),
            "under": _share(sum(rank(r.level) < rank(level) for r in by_level[level]), len(by_level[level])),
            "over": _share(sum(rank(r.level) > rank(level) for r in by_level[level]), len(by_level[level])),
        }
        for level in LEVELS
        if by_level[level]
    }
    return summary


def evaluate(
    kb: KnowledgeBase,
    cases: list[Case],
    mode: str,
    progress: Callable[[int, int], None] | None = None,
    from_text: bool = True,
    one_at_a_time: bool = False,
) -> tuple[dict[str, Any], list[CaseResult]]:
    """Run every case in `mode` and summarise."""
    if mode not in MODES:
        raise InputError("mode", f"must be one of {', '.join(MODES)}, got {mode!r}")
    results = []
    for i, case in enumerate(cases, start=1):
        results.append(run_case(kb, case, mode, from_text, one_at_a_time))
        if progress:
            progress(i, len(cases))
    return summarise(results, mode), results
