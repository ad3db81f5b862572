"""Edit impact: what a change to the knowledge base does to every case the project holds.

The knowledge base at a git ref (by default the merge base with main) and the one in the
working tree are both run on the same case files (structured and interview modes) and on the
same simulated population (people drawn from the base knowledge base, then interviewed by
both). Every case or person whose leader, top three or level changed is listed with the
answers that moved it: the findings whose signed log likelihood ratio (`engine.explain`) for
the leading causes changed most, and the red-flag rules that started or stopped matching.

The gate fails on:

- a new under-triage: a level below the expected one (a case's `expected.triage`; a simulated
  person's true level on the full truth, the higher of the two knowledge bases') that is also
  lower than before;
- a lost emergency: emergency level or above before, below it after;
- a broken safety property: a red-flag rule (of either knowledge base) that, matched on its
  own, no longer fires and sets its level on the working tree; a universal screening question
  of the base no longer asked of everyone.

    thighdx kb impact [GIT_REF] [--cases FILE ...] [--people 500] [--seed 11] [--json]
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import Any

from thighdx.engine import Evidence, explain, posterior, triage
from thighdx.engine.triage import rank
from thighdx.errors import InputError, ThighdxError
from thighdx.evaluation.cases import Case, CaseResult, parse_case, run_case
from thighdx.evaluation.simulate import Behaviour, Outcome, Person, draw_person, interview_person
from thighdx.interview import Interview
from thighdx.knowledge.loader import DATA_DIR, KnowledgeBase, load_kb_from
from thighdx.knowledge.provenance import kb_provenance
from thighdx.knowledge.schema import LEVELS

EMERGENCY_RANK = LEVELS.index("emergency")
MODES = ("structured", "interview")
PROJECT = DATA_DIR.parents[3]
SHARED_CASES = PROJECT.parent / "shared" / "cases" / "public.jsonl"
BLIND_DIR = PROJECT / "tests" / "data" / "blind"
HOLDOUT = PROJECT / "tests" / "data" / "holdout_cases.jsonl"
MOVED_BY = 3
"""How many answers to list as having moved a changed case."""


class ImpactError(ThighdxError):
    """The comparison could not be made (a ref that does not exist, a knowledge base that does not load)."""


def default_case_files() -> list[Path]:
    """The public cases (when present beside the project), every blind set and the holdout cases."""
    files = [SHARED_CASES] if SHARED_CASES.exists() else []
    files += sorted(BLIND_DIR.glob("cases-*.jsonl"))
    if HOLDOUT.exists():
        files.append(HOLDOUT)
    return files


# --- The knowledge base at a git ref ---------------------------------------------------------------
def _git(args: Sequence[str], cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ImpactError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout.strip()


def repo_root(data_dir: Path = DATA_DIR) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], data_dir))


def default_ref(data_dir: Path = DATA_DIR) -> str:
    """The merge base of HEAD with origin/main (or main), falling back to HEAD."""
    root = repo_root(data_dir)
    for branch in ("origin/main", "main"):
        try:
            _git(["rev-parse", "--verify", "--quiet", branch + "^{commit}"], root)
            return _git(["merge-base", "HEAD", branch], root)
        except ImpactError:
            continue
    return _git(["rev-parse", "HEAD"], root)


@contextmanager
def kb_at_ref(ref: str, data_dir: Path = DATA_DIR) -> Iterator[tuple[str, Path]]:
    """The knowledge-base directory as it was at `ref`, extracted into a temporary directory
    (yields the resolved commit and the directory)."""
    root = repo_root(data_dir)
    commit = _git(["rev-parse", "--verify", ref + "^{commit}"], root)
    relative = data_dir.resolve().relative_to(root.resolve()).as_posix()
    done = subprocess.run(["git", "archive", "--format=tar", commit, relative], cwd=root, capture_output=True, check=False)
    if done.returncode != 0:
        raise ImpactError(f"git archive {commit} {relative}: {done.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="thighdx-kb-") as tmp:
        with tarfile.open(fileobj=BytesIO(done.stdout)) as archive:
            archive.extractall(tmp, filter="data")
        yield commit, Path(tmp) / relative


# --- One run of a case or a person on one knowledge base -------------------------------------------
@dataclass(frozen=True)
class Run:
    ranked: tuple[tuple[str, float], ...]
    level: str
    rules: tuple[str, ...]
    """Red-flag rules matched, each with its level: `saddle_numbness (emergency)`."""
    evidence: Evidence

    @property
    def leader(self) -> str:
        return self.ranked[0][0]

    @property
    def top3(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.ranked[:3])


def _case_run(kb: KnowledgeBase, case: Case, mode: str, result: CaseResult) -> Run:
    if mode == "structured":
        evidence = Interview.start(kb, case.age, case.sex, case.language, evidence=case.evidence.items()).evidence
    else:
        evidence = Interview.start(kb, case.age, case.sex, case.language, text=case.text).evidence
        for f in result.questions:
            evidence = evidence.with_answer(f, case.evidence.get(f, "unknown"))
    return _run(kb, evidence, result.ranked, result.level)


def _run(kb: KnowledgeBase, evidence: Evidence, ranked: Iterable[tuple[str, float]], level: str) -> Run:
    levels = {flag.id: flag.level for flag in kb.triage.red_flags}
    rules = triage(kb, evidence, posterior(kb, evidence)).rules
    return Run(tuple(ranked), level, tuple(f"{r} ({levels[r]})" for r in rules), evidence)


def moved_by(before_kb: KnowledgeBase, before: Run, after_kb: KnowledgeBase, after: Run, k: int = MOVED_BY) -> list[dict[str, Any]]:
    """The answers whose signed log likelihood ratio for the leading causes (before's and after's)
    changed most; an answer given in only one run counts 0 in the other."""
    moved: list[dict[str, Any]] = []
    for condition in dict.fromkeys((after.leader, before.leader)):
        sides: list[dict[str, float]] = []
        for kb, run in ((before_kb, before), (after_kb, after)):
            if condition not in kb.conditions:
                sides.append({})
                continue
            ranking = posterior(kb, run.evidence)
            (e,) = explain(kb, run.evidence, ranking, [condition], top_what_if=0)
            sides.append({f"{c.finding}={c.choice}": c.log_lr for c in e.contributions})
        old, new = sides
        deltas = sorted(
            ((key, old.get(key, 0.0), new.get(key, 0.0)) for key in {*old, *new}),
            key=lambda item: (-abs(item[2] - item[1]), item[0]),
        )
        for key, a, b in deltas[:k]:
            if abs(b - a) < 0.05:
                break
            moved.append({"condition": condition, "answer": key, "log_lr_before": round(a, 2), "log_lr_after": round(b, 2)})
    return moved


# --- Comparing runs ---------------------------------------------------------------------------------
@dataclass
class Change:
    kind: str
    """`case` or `person`."""
    set: str
    id: str
    expected: str
    """The expected level (a case's) or the true level (a person's)."""
    condition: str
    mode: str
    before: Run
    after: Run
    moved: list[dict[str, Any]] = field(default_factory=list)

    @property
    def new_under(self) -> bool:
        return rank(self.after.level) < rank(self.expected) and rank(self.after.level) < rank(self.before.level)

    @property
    def lost_emergency(self) -> bool:
        return rank(self.before.level) >= EMERGENCY_RANK > rank(self.after.level)

    @property
    def what(self) -> list[str]:
        changed = []
        if self.before.leader != self.after.leader:
            changed.append("leader")
        if self.before.top3 != self.after.top3:
            changed.append("top3")
        if self.before.level != self.after.level:
            changed.append("level")
        return changed

    def as_dict(self) -> dict[str, Any]:
        def side(run: Run) -> dict[str, Any]:
            return {"leader": run.leader, "top3": [[c, round(p, 3)] for c, p in run.ranked[:3]], "level": run.level}

        return {
            "kind": self.kind,
            "set": self.set,
            "id": self.id,
            "condition": self.condition,
            "mode": self.mode,
            "expected_level": self.expected,
            "changed": self.what,
            "before": side(self.before),
            "after": side(self.after),
            "rules_started": sorted(set(self.after.rules) - set(self.before.rules)),
            "rules_stopped": sorted(set(self.before.rules) - set(self.after.rules)),
            "moved_by": self.moved,
            "new_under_triage": self.new_under,
            "lost_emergency": self.lost_emergency,
        }


def _changed(before: Run, after: Run) -> bool:
    return before.leader != after.leader or before.top3 != after.top3 or before.level != after.level


@dataclass
class SetResult:
    name: str
    mode: str
    cases: int
    top1: tuple[int, int]
    """Cases with the expected leader, before and after."""
    under: tuple[int, int]
    """Cases under-triaged, before and after."""
    changes: list[Change]
    skipped: list[str]
    """Cases one of the knowledge bases cannot read (with why)."""


def _read_records(path: Path) -> list[tuple[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError("--cases", f"cannot read {path}: {error.strerror}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            where = f"{path.name}:{number}"
            try:
                records.append((where, json.loads(line)))
            except json.JSONDecodeError as error:
                raise InputError(where, f"not valid JSON ({error.msg})") from None
    return records


def compare_case_file(before_kb: KnowledgeBase, after_kb: KnowledgeBase, path: Path, modes: Sequence[str] = MODES) -> list[SetResult]:
    records = _read_records(path)
    results = []
    for mode in modes:
        changes: list[Change] = []
        skipped: list[str] = []
        top1 = [0, 0]
        under = [0, 0]
        n = 0
        for where, data in records:
            try:
                old_case, new_case = parse_case(data, where, before_kb), parse_case(data, where, after_kb)
            except InputError as error:
                skipped.append(str(error))
                continue
            n += 1
            old, new = run_case(before_kb, old_case, mode), run_case(after_kb, new_case, mode)
            top1[0] += old.top1
            top1[1] += new.top1
            under[0] += rank(old.level) < rank(old_case.triage)
            under[1] += rank(new.level) < rank(new_case.triage)
            if old.ranked[0][0] == new.ranked[0][0] and old.level == new.level and [c for c, _ in old.ranked[:3]] == [
                c for c, _ in new.ranked[:3]
            ]:
                continue
            a, b = _case_run(before_kb, old_case, mode, old), _case_run(after_kb, new_case, mode, new)
            change = Change("case", path.name, new_case.id, new_case.triage, new_case.condition, mode, a, b)
            change.moved = moved_by(before_kb, a, after_kb, b)
            changes.append(change)
        results.append(SetResult(path.name, mode, n, (top1[0], top1[1]), (under[0], under[1]), changes, skipped))
    return results


# --- The simulated population -----------------------------------------------------------------------
def _adapt(person: Person, kb: KnowledgeBase) -> Person:
    """A person drawn from one knowledge base, as another sees them: a finding it lacks is absent
    (and answered "don't know"), a reading of a finding it does not know is dropped."""
    truth = {f: person.truth.get(f, "absent") for f in kb.findings}
    answers = {f: person.answers.get(f, "unknown") for f in kb.findings}
    readings = tuple((f, c) for f, c in person.readings if f in kb.findings)
    return replace(person, truth=truth, answers=answers, readings=readings)


def _true_level(kb: KnowledgeBase, person: Person) -> str:
    full = Evidence(age=float(person.age), sex=person.sex, answers=person.truth)
    return triage(kb, full, posterior(kb, full)).level


def _evidence(kb: KnowledgeBase, person: Person, outcome: Outcome) -> Evidence:
    items = [(f, c, "text") for f, c in person.readings] + [(f, c, "answer") for f, c in outcome.asked]
    return Interview.resume(kb, person.age, person.sex, "en", items).evidence


_PAIR: tuple[KnowledgeBase, KnowledgeBase] | None = None
"""The two knowledge bases worker processes use (inherited when processes fork)."""


def _people(args: tuple[int, list[int]]) -> list[tuple[Person, Outcome, Person, Outcome, str]]:
    assert _PAIR is not None
    before_kb, after_kb = _PAIR
    seed, indices = args
    out = []
    for i in indices:
        person = draw_person(before_kb, seed, i, Behaviour())
        moved = _adapt(person, after_kb)
        truth = max(person.true_level, _true_level(after_kb, moved), key=rank)
        out.append((person, interview_person(before_kb, person), moved, interview_person(after_kb, moved), truth))
    return out


def compare_population(
    before_kb: KnowledgeBase, after_kb: KnowledgeBase, people: int, seed: int, jobs: int = 1
) -> tuple[dict[str, Any], list[Change]]:
    global _PAIR
    indices = list(range(people))
    methods = multiprocessing.get_all_start_methods()
    _PAIR = (before_kb, after_kb)
    try:
        if jobs <= 1 or people < 4 * jobs or "fork" not in methods:
            rows = _people((seed, indices))
        else:
            size = math.ceil(people / (jobs * 4))
            chunks = [(seed, indices[s : s + size]) for s in range(0, people, size)]
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                rows = [row for part in pool.map(_people, chunks) for row in part]
    finally:
        _PAIR = None
    changes = []
    top1, under, emergency = [0, 0], [0, 0], [0, 0]
    for person, old, moved, new, truth in rows:
        for side, o in enumerate((old, new)):
            top1[side] += o.top1
            under[side] += rank(o.level) < rank(truth)
            emergency[side] += rank(o.level) >= EMERGENCY_RANK
        a = _run(before_kb, _evidence(before_kb, person, old), old.ranked, old.level)
        b = _run(after_kb, _evidence(after_kb, moved, new), new.ranked, new.level)
        if _changed(a, b):
            change = Change("person", f"simulated (seed {seed})", f"#{person.index}", truth, person.condition, "interview", a, b)
            change.moved = moved_by(before_kb, a, after_kb, b)
            changes.append(change)
    counts = {"people": people, "seed": seed, "top1": top1, "under": under, "emergency": emergency}
    return counts, changes


# --- Safety properties ------------------------------------------------------------------------------
def _flag_alone(kb: KnowledgeBase, when_present: Sequence[str], when_absent: Sequence[str]) -> Evidence:
    answers = {f: "present" for f in when_present}
    answers.update({f: "absent" for f in when_absent})
    return Evidence.build(kb, 50, "female", answers)


def safety_problems(before_kb: KnowledgeBase, after_kb: KnowledgeBase) -> list[str]:
    """Safety properties of the working tree, and what it keeps of the base:

    - every red-flag rule, matched on its own (its findings present, its exclusions absent),
      fires and sets at least its level;
    - every red-flag rule of the base, matched on its own, still sets at least its base level;
    - every universal screening question of the base is still asked of everyone."""
    problems = []
    for flag in after_kb.triage.red_flags:
        when = flag.when
        evidence = _flag_alone(after_kb, [*when.present, *when.any_present[:1]], when.absent)
        result = triage(after_kb, evidence, posterior(after_kb, evidence))
        if flag.id not in result.rules or rank(result.level) < rank(flag.level):
            problems.append(f"red-flag rule {flag.id} matched on its own gives {result.level}, not its level {flag.level}")
    for flag in before_kb.triage.red_flags:
        when = flag.when
        for choice in when.any_present or [""]:
            present = [*when.present, *([choice] if choice else [])]
            missing = [f for f in [*present, *when.absent] if f not in after_kb.findings]
            if missing:
                problems.append(f"red-flag rule {flag.id} of the base needs findings the working tree lacks: {', '.join(missing)}")
                break
            evidence = _flag_alone(after_kb, present, when.absent)
            level = triage(after_kb, evidence, posterior(after_kb, evidence)).level
            if rank(level) < rank(flag.level):
                problems.append(
                    f"red-flag rule {flag.id} of the base ({', '.join(present)}) gave {flag.level}; the working tree gives {level}"
                )
                break
    universal = [f.id for f in before_kb.findings.values() if f.screen == "always"]
    for fid in universal:
        finding = after_kb.findings.get(fid)
        if finding is None or finding.screen != "always":
            problems.append(f"{fid} is no longer a screening question asked of everyone")
    return problems


# --- The whole comparison ---------------------------------------------------------------------------
@dataclass
class Impact:
    base: dict[str, Any]
    working: dict[str, Any]
    sets: list[SetResult]
    population: dict[str, Any] | None
    population_changes: list[Change]
    safety: list[str]

    @property
    def changes(self) -> list[Change]:
        return [c for s in self.sets for c in s.changes] + self.population_changes

    @property
    def new_under(self) -> list[Change]:
        return [c for c in self.changes if c.new_under]

    @property
    def lost_emergency(self) -> list[Change]:
        return [c for c in self.changes if c.lost_emergency]

    @property
    def passed(self) -> bool:
        return not (self.new_under or self.lost_emergency or self.safety)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "base": self.base,
            "working": self.working,
            "failures": {
                "new_under_triage": [f"{c.set}:{c.id}" for c in self.new_under],
                "lost_emergency": [f"{c.set}:{c.id}" for c in self.lost_emergency],
                "safety": self.safety,
            },
            "sets": [
                {
                    "set": s.name,
                    "mode": s.mode,
                    "cases": s.cases,
                    "top1": {"before": s.top1[0], "after": s.top1[1]},
                    "under_triage": {"before": s.under[0], "after": s.under[1]},
                    "skipped": s.skipped,
                    "changed": [c.as_dict() for c in s.changes],
                }
                for s in self.sets
            ],
            "population": None
            if self.population is None
            else {**self.population, "changed": [c.as_dict() for c in self.population_changes]},
        }


def compare(
    before_kb: KnowledgeBase,
    after_kb: KnowledgeBase,
    case_files: Sequence[Path],
    people: int = 500,
    seed: int = 11,
    jobs: int = 1,
    modes: Sequence[str] = MODES,
    base_label: str | None = None,
) -> Impact:
    """Run every case file and the simulated population on both knowledge bases and compare."""
    sets = [s for path in case_files for s in compare_case_file(before_kb, after_kb, Path(path), modes)]
    population, population_changes = (None, []) if people <= 0 else compare_population(before_kb, after_kb, people, seed, jobs)
    base = {"ref": base_label, **kb_provenance(before_kb)}
    return Impact(base, kb_provenance(after_kb), sets, population, population_changes, safety_problems(before_kb, after_kb))


def impact_of(
    ref: str | None = None,
    case_files: Sequence[Path] | None = None,
    people: int = 500,
    seed: int = 11,
    jobs: int | None = None,
    working: Path = DATA_DIR,
    base_dir: Path | None = None,
) -> Impact:
    """`compare` the knowledge base at `ref` (or in `base_dir`) with the one in `working`."""
    jobs = jobs if jobs is not None else min(8, os.cpu_count() or 1)
    files = list(case_files) if case_files is not None else default_case_files()
    after_kb = load_kb_from(working)
    if base_dir is not None:
        return compare(load_kb_from(base_dir), after_kb, files, people, seed, jobs, base_label=str(base_dir))
    ref = ref or default_ref()
    with kb_at_ref(ref) as (commit, directory):
        before_kb = load_kb_from(directory)
        return compare(before_kb, after_kb, files, people, seed, jobs, base_label=f"{ref} ({commit[:12]})")


# --- Output -----------------------------------------------------------------------------------------
def _side(run: Run) -> str:
    top = ", ".join(f"{c} {p:.2f}" for c, p in run.ranked[:3])
    return f"{run.level}; {top}"


def format_impact(impact: Impact) -> str:
    def version(side: dict[str, Any]) -> str:
        return f"{side.get('version', '?')} ({str(side.get('hash', ''))[:12]})"

    lines = [f"knowledge base: base {impact.base.get('ref')} {version(impact.base)} -> working tree {version(impact.working)}", ""]
    for s in impact.sets:
        lines.append(
            f"{s.name} ({s.mode}, {s.cases} cases): top1 {s.top1[0]} -> {s.top1[1]}, under-triaged {s.under[0]} -> {s.under[1]}, "
            f"changed {len(s.changes)}" + (f", skipped {len(s.skipped)} it cannot read on both" if s.skipped else "")
        )
    if impact.population is not None:
        p = impact.population
        lines.append(
            f"simulated population ({p['people']} people, seed {p['seed']}): top1 {p['top1'][0]} -> {p['top1'][1]}, "
            f"under-triaged {p['under'][0]} -> {p['under'][1]}, at emergency {p['emergency'][0]} -> {p['emergency'][1]}, "
            f"changed {len(impact.population_changes)}"
        )
    changes = impact.changes
    if changes:
        lines += ["", "changed:"]
    for c in changes:
        flags = [w for w, on in (("NEW UNDER-TRIAGE", c.new_under), ("LOST EMERGENCY", c.lost_emergency)) if on]
        lines.append(
            f"  {c.set} {c.id} [{c.mode}] ({c.condition}, expected {c.expected}) {', '.join(c.what)}"
            + (f"  ** {', '.join(flags)} **" if flags else "")
        )
        lines.append(f"      before: {_side(c.before)}")
        lines.append(f"      after:  {_side(c.after)}")
        started = sorted(set(c.after.rules) - set(c.before.rules))
        stopped = sorted(set(c.before.rules) - set(c.after.rules))
        if started or stopped:
            lines.append(f"      red-flag rules started {started or '-'}, stopped {stopped or '-'}")
        if c.moved:
            moved = "; ".join(f"{m['answer']} for {m['condition']} {m['log_lr_before']:+.2f} -> {m['log_lr_after']:+.2f}" for m in c.moved)
            lines.append(f"      moved by: {moved}")
    lines.append("")
    if impact.safety:
        lines.append("safety properties broken:")
        lines += [f"  {p}" for p in impact.safety]
    verdict = "PASS" if impact.passed else "FAIL"
    lines.append(
        f"{verdict}: {len(impact.new_under)} new under-triage, {len(impact.lost_emergency)} lost emergency, "
        f"{len(impact.safety)} safety properties broken; {len(changes)} changed"
    )
    return "\n".join(lines)
