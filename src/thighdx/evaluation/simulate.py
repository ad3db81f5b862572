"""Simulated people drawn from the knowledge base, interviewed like a trial, not like a tuning loop.

Each person is drawn with a seeded generator (`numpy.random.default_rng([seed, index, ...])`, so
person `index` of run `seed` can be rebuilt alone with `draw_person`):

1. age and sex from a plausible adult distribution (`Population`);
2. the condition and its form (a family's form by its weight) from the model's prior for that
   person: `compile_model(kb).prior(Evidence(age, sex))`, "something else" left out by default;
3. every finding present with its likelihood P(finding | row), independently.

The person's true level is `triage` on the full true evidence (every finding answered as it is).

Their behaviour (`Behaviour`) is fixed per finding before the interview: "don't know" at a base
rate by kind of question, raised by the knowledge base's own answer rates (a clinician's test is
often unknown); a share of wrong (flipped) answers; and, when the interview starts from text,
readings of their words with the parser's kinds of error: each true present finding is said
with some chance, a said finding is missed by the reader or read flipped, and findings never
said are invented. Readings go in as `source: "text"` (`Interview.resume`).

The interview runs to its end (`question is None` or `should_stop`), answering only the question
asked. For safety, at the stop: every red flag (`red_flag: true`) not answered by the person (a
reading is not an answer) whose "present" answer would raise the final level. Those truly
present are `missed`; all of them, present or not, `unscreened`. A question asked twice is
recorded and ends the interview.

    python -m thighdx.evaluation.simulate --people 5000 --seed 1 [--json] [--from-nothing]
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.model import compile_model
from thighdx.engine.triage import rank
from thighdx.interview import Interview
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.knowledge.schema import LEVELS

EMERGENCY = ("emergency", "emergency_ambulance")
EMERGENCY_RANK = LEVELS.index("emergency")
MAX_STEPS = 200
"""An interview still asking after this many questions is a runaway (recorded, then stopped)."""


@dataclass(frozen=True)
class Population:
    """Who comes with pain in the back of the thigh: age `age_min + span x Beta(a, b)` (mean about
    50, few under 20 or over 85), sex half and half."""

    age_min: float = 16.0
    age_span: float = 74.0
    age_a: float = 1.6
    age_b: float = 1.9
    female: float = 0.5
    include_other: bool = False
    """Also draw people whose cause is "something else" (the model's catch-all row)."""


@dataclass(frozen=True)
class Behaviour:
    """How a simulated person answers and how their words are read."""

    dont_know: dict[str, float] = field(
        default_factory=lambda: {"symptom": 0.05, "history": 0.05, "risk_factor": 0.08, "sign": 0.05}
    )
    """Base "don't know" rate by kind of question, before the knowledge base's answer rates."""
    use_answer_rates: bool = True
    """Also say "don't know" as often as `interview.answer_rate` / `answer_rate_by_kind` imply."""
    wrong: float = 0.03
    """Share of answers flipped (present said absent, or absent said present)."""
    from_text: bool = True
    """Start from the person's words (readings); False: from age and sex alone."""
    said: float = 0.35
    """Chance each true present finding is said in the person's words."""
    missed: float = 0.30
    """Chance a said finding is not read at all."""
    flipped: float = 0.04
    """Chance a said finding is read as absent."""
    invented: float = 0.30
    """Mean number of findings read present that were never said, per text (Poisson)."""

    @classmethod
    def perfect(cls, from_text: bool = True) -> Behaviour:
        """Every question answered, truthfully; every said finding read as said; nothing invented."""
        return cls(
            dont_know={},
            use_answer_rates=False,
            wrong=0.0,
            from_text=from_text,
            missed=0.0,
            flipped=0.0,
            invented=0.0,
        )


@dataclass(frozen=True)
class Person:
    index: int
    age: int
    sex: str
    condition: str
    row: int
    truth: dict[str, str]
    """Every finding, present or absent."""
    answers: dict[str, str]
    """What the person says when asked each finding (present, absent or unknown)."""
    readings: tuple[tuple[str, str], ...]
    """What is read from their words (empty when the interview starts from nothing)."""
    true_level: str
    true_rules: tuple[str, ...]
    """Red-flag rules the full truth matches."""

    @property
    def present(self) -> list[str]:
        return [f for f, c in self.truth.items() if c == "present"]

    @property
    def red_flag_emergency(self) -> bool:
        """The truth matches a red-flag rule that demands emergency care or more."""
        return bool(self.true_rules)


@dataclass
class Outcome:
    person: Person
    ranked: list[tuple[str, float]]
    level: str
    asked: list[tuple[str, str]]
    """(finding, answer) in the order asked."""
    repeated: list[str] = field(default_factory=list)
    """A question asked again (the interview is ended there)."""
    stop: str = "should_stop"
    """`should_stop`, `no_question`, `repeated` or `runaway`."""
    missed: list[tuple[str, str]] = field(default_factory=list)
    """Truly present red flags never answered whose "present" would raise the final level (to that level)."""
    unscreened: list[tuple[str, str]] = field(default_factory=list)
    """Every red flag never answered whose "present" would raise the final level, present or not."""
    missed_triggers: list[tuple[str, str]] = field(default_factory=list)
    """Truly present findings that a red-flag rule needs but that are not red flags themselves
    (a major injury, one swollen leg, a clot risk), never answered, whose "present" would raise the
    final level (to that level)."""
    screens: int = 0
    """Questions the person saw: a screen with several items (the red-flag checklist) is one."""

    @property
    def top1(self) -> bool:
        return self.ranked[0][0] == self.person.condition

    @property
    def top3(self) -> bool:
        return self.person.condition in [c for c, _ in self.ranked[:3]]

    @property
    def under(self) -> int:
        """Levels below the true level (0 when not under-triaged)."""
        return max(0, rank(self.person.true_level) - rank(self.level))

    @property
    def missed_emergency(self) -> list[tuple[str, str]]:
        """Missed red flags whose "present" would have raised the level to emergency or above."""
        return [(f, lv) for f, lv in self.missed if rank(lv) >= EMERGENCY_RANK]

    @property
    def unscreened_emergency(self) -> list[tuple[str, str]]:
        return [(f, lv) for f, lv in self.unscreened if rank(lv) >= EMERGENCY_RANK]


def _dont_know_rates(kb: KnowledgeBase, behaviour: Behaviour) -> np.ndarray:
    model = compile_model(kb)
    settings = kb.interview
    rates = []
    for f in model.finding_ids:
        kind = kb.findings[f].kind
        can = settings.answer_rate.get(f, settings.answer_rate_by_kind.get(kind, 1.0)) if behaviour.use_answer_rates else 1.0
        rates.append(1.0 - can * (1.0 - behaviour.dont_know.get(kind, 0.0)))
    return np.asarray(rates)


def draw_person(
    kb: KnowledgeBase,
    seed: int,
    index: int,
    behaviour: Behaviour | None = None,
    population: Population | None = None,
) -> Person:
    """Person `index` of run `seed`. The person (age, sex, condition, findings) depends only on
    (seed, index) and the population, so the same people can be interviewed under any behaviour."""
    behaviour = behaviour or Behaviour()
    population = population or Population()
    model = compile_model(kb)
    n = len(model.finding_ids)
    rng = np.random.default_rng([seed, index, 0])
    age = round(population.age_min + population.age_span * float(rng.beta(population.age_a, population.age_b)))
    sex = "female" if rng.random() < population.female else "male"
    log_prior = model.prior(Evidence(age=float(age), sex=sex))
    weights = np.exp(log_prior - log_prior.max())
    if not population.include_other:
        weights = np.where(model.row_condition < model.n_conditions, weights, 0.0)
    row = int(rng.choice(len(weights), p=weights / weights.sum()))
    c = int(model.row_condition[row])
    condition = model.condition_ids[c] if c < model.n_conditions else "other"
    present = rng.random(n) < model.p[row]
    truth = {f: "present" if present[i] else "absent" for i, f in enumerate(model.finding_ids)}

    # behaviour: a second stream, drawn per finding so the answer does not depend on the order asked
    act = np.random.default_rng([seed, index, 1])
    unknown = act.random(n) < _dont_know_rates(kb, behaviour)
    flip = act.random(n) < behaviour.wrong
    answers = {}
    for i, f in enumerate(model.finding_ids):
        if unknown[i]:
            answers[f] = "unknown"
        elif flip[i]:
            answers[f] = "absent" if present[i] else "present"
        else:
            answers[f] = truth[f]

    readings: list[tuple[str, str]] = []
    if behaviour.from_text:
        words = np.random.default_rng([seed, index, 2])
        said = words.random(n) < behaviour.said
        reader = words.random(n)
        read: dict[str, str] = {}
        for i, f in enumerate(model.finding_ids):
            if not (present[i] and said[i]) or reader[i] < behaviour.missed:
                continue
            read[f] = "absent" if reader[i] < behaviour.missed + behaviour.flipped else "present"
        invented = int(words.poisson(behaviour.invented)) if behaviour.invented > 0 else 0
        unread = [f for i, f in enumerate(model.finding_ids) if f not in read and not (present[i] and said[i])]
        for k in words.permutation(len(unread))[:invented]:
            read[unread[int(k)]] = "present"
        readings = sorted(read.items())

    full = Evidence(age=float(age), sex=sex, answers=truth)
    true = triage(kb, full, posterior(kb, full))
    true_rules = tuple(r.id for r in true.reasons if r.kind == "red_flag" and r.level in EMERGENCY)
    return Person(index, age, sex, condition, row, truth, answers, tuple(readings), true.level, true_rules)


def _red_flags(kb: KnowledgeBase) -> list[str]:
    return [f.id for f in kb.findings.values() if f.red_flag]


def _triggers(kb: KnowledgeBase) -> list[str]:
    """Findings a red-flag rule needs present that are not red flags themselves."""
    needed = {f for flag in kb.triage.red_flags for f in (*flag.when.present, *flag.when.any_present)}
    return [f.id for f in kb.findings.values() if f.id in needed and not f.red_flag]


def _raised(kb: KnowledgeBase, evidence: Evidence, finding: str, level: str) -> str | None:
    """The level if `finding` were answered present, when that is above `level`."""
    what_if = evidence.with_answer(finding, "present")
    raised = triage(kb, what_if, posterior(kb, what_if)).level
    return raised if rank(raised) > rank(level) else None


def interview_person(kb: KnowledgeBase, person: Person, language: str = "en") -> Outcome:
    """Run the core interview for one person to its end, answering each screen as shown (the
    question and its grouped items, as a person does on a checklist)."""
    items = [(f, c, "text") for f, c in person.readings]
    interview = Interview.resume(kb, person.age, person.sex, language, items)
    step = interview.step()
    asked: list[tuple[str, str]] = []
    seen: set[str] = set()
    repeated: list[str] = []
    stop = "should_stop"
    screens = 0
    while step.question is not None and not step.should_stop:
        shown = (step.question.finding, *step.question.items)
        again = [f for f in shown if f in seen]
        if again:
            repeated.extend(again)
            stop = "repeated"
            break
        if screens >= MAX_STEPS:
            stop = "runaway"
            break
        seen.update(shown)
        answers = [(f, person.answers[f]) for f in shown]
        asked.extend(answers)
        screens += 1
        step = interview.answer_screen(answers)
    else:
        stop = "should_stop" if step.should_stop else "no_question"
    level = step.triage.level
    evidence = interview.evidence
    missed: list[tuple[str, str]] = []
    unscreened: list[tuple[str, str]] = []
    for f in _red_flags(kb):
        if not evidence.answered(f) and (raised := _raised(kb, evidence, f, level)) is not None:
            unscreened.append((f, raised))
            if person.truth[f] == "present":
                missed.append((f, raised))
    missed_triggers = [
        (f, raised)
        for f in _triggers(kb)
        if person.truth[f] == "present"
        and not evidence.answered(f)
        and (raised := _raised(kb, evidence, f, level)) is not None
        and rank(raised) >= EMERGENCY_RANK
    ]
    return Outcome(person, step.ranking.ranked(), level, asked, repeated, stop, missed, unscreened, missed_triggers, screens)


_WORKER_KB: KnowledgeBase | None = None
"""The knowledge base a worker process uses: inherited when processes fork, else the packaged one."""


def _chunk(args: tuple[int, list[int], Behaviour, Population]) -> list[Outcome]:
    global _WORKER_KB
    seed, indices, behaviour, population = args
    if _WORKER_KB is None:
        _WORKER_KB = load_kb()
    kb = _WORKER_KB
    return [interview_person(kb, draw_person(kb, seed, i, behaviour, population)) for i in indices]


def simulate(
    people: int | Iterable[int],
    seed: int = 1,
    behaviour: Behaviour | None = None,
    population: Population | None = None,
    kb: KnowledgeBase | None = None,
    jobs: int = 1,
) -> list[Outcome]:
    """Draw and interview people `0 .. people - 1` of run `seed` (or the given indices), in order.

    With `jobs` > 1 the work is shared among that many processes; they inherit `kb` where
    processes fork, and otherwise load the packaged knowledge base."""
    global _WORKER_KB
    behaviour = behaviour or Behaviour()
    population = population or Population()
    indices = list(range(people)) if isinstance(people, int) else list(people)
    kb = kb or load_kb()
    if jobs <= 1 or len(indices) < 2 * jobs:
        return [interview_person(kb, draw_person(kb, seed, i, behaviour, population)) for i in indices]
    size = math.ceil(len(indices) / (jobs * 4))
    chunks = [(seed, indices[s : s + size], behaviour, population) for s in range(0, len(indices), size)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _WORKER_KB = kb if context.get_start_method() == "fork" else None
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return [o for part in pool.map(_chunk, chunks) for o in part]
    finally:
        _WORKER_KB = None


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _p95(values: Sequence[int]) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(0.95 * len(ordered)) - 1))] if ordered else 0


def _figures(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    n = len(outcomes)
    counts = [o.screens for o in outcomes]
    emergencies = [o for o in outcomes if o.person.true_level in EMERGENCY]
    return {
        "n": n,
        "top1": _share(sum(o.top1 for o in outcomes), n),
        "top3": _share(sum(o.top3 for o in outcomes), n),
        "triage_exact": _share(sum(o.level == o.person.true_level for o in outcomes), n),
        "under_triage": _share(sum(o.under > 0 for o in outcomes), n),
        "over_triage": _share(sum(rank(o.level) > rank(o.person.true_level) for o in outcomes), n),
        "emergency_n": len(emergencies),
        "emergency_recall": _share(sum(o.level in EMERGENCY for o in emergencies), len(emergencies)),
        "questions_median": statistics.median(counts) if counts else 0,
        "questions_p95": _p95(counts),
        "questions_max": max(counts, default=0),
    }


def describe(outcome: Outcome) -> dict[str, Any]:
    """One outcome as a plain record (for the worst cases and for reproducers)."""
    p = outcome.person
    return {
        "index": p.index,
        "age": p.age,
        "sex": p.sex,
        "condition": p.condition,
        "true_level": p.true_level,
        "level": outcome.level,
        "top3": [[c, round(v, 3)] for c, v in outcome.ranked[:3]],
        "present": p.present,
        "readings": [list(r) for r in p.readings],
        "asked": [list(a) for a in outcome.asked],
        "stop": outcome.stop,
        "missed_red_flags": [list(m) for m in outcome.missed],
        "missed_triggers": [list(m) for m in outcome.missed_triggers],
        "true_rules": list(p.true_rules),
    }


def report(outcomes: Sequence[Outcome], worst: int = 10) -> dict[str, Any]:
    """Figures overall, per condition and per true level; safety counts; the worst cases."""
    result: dict[str, Any] = {"overall": _figures(outcomes)}
    by_condition: dict[str, list[Outcome]] = defaultdict(list)
    by_level: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_condition[o.person.condition].append(o)
        by_level[o.person.true_level].append(o)
    result["per_condition"] = {c: _figures(os_) for c, os_ in sorted(by_condition.items())}
    result["per_level"] = {lv: _figures(by_level[lv]) for lv in LEVELS if by_level[lv]}
    red_flag_people = [o for o in outcomes if o.person.red_flag_emergency]
    result["safety"] = {
        "repeated_questions": sum(bool(o.repeated) for o in outcomes),
        "runaway": sum(o.stop == "runaway" for o in outcomes),
        "stopped_with_missed_red_flag": sum(bool(o.missed) for o in outcomes),
        "stopped_with_missed_red_flag_to_emergency": sum(bool(o.missed_emergency) for o in outcomes),
        "stopped_with_unscreened_red_flag_to_emergency": sum(bool(o.unscreened_emergency) for o in outcomes),
        "red_flag_emergency_n": len(red_flag_people),
        "red_flag_emergency_recall": _share(sum(o.level in EMERGENCY for o in red_flag_people), len(red_flag_people)),
        "stopped_with_missed_trigger_to_emergency": sum(bool(o.missed_triggers) for o in outcomes),
        "missed_triggers_by_finding": dict(
            sorted(_count(f for o in outcomes for f, _ in o.missed_triggers).items(), key=lambda kv: -kv[1])
        ),
        "missed_by_flag": dict(sorted(_count(f for o in outcomes for f, _ in o.missed_emergency).items(), key=lambda kv: -kv[1])),
    }
    ranked = sorted((o for o in outcomes if o.under > 0), key=lambda o: (-o.under, o.person.index))
    result["worst"] = [describe(o) for o in ranked[:worst]]
    return result


def _count(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return dict(counts)


def _row(name: str, f: dict[str, Any], width: int) -> str:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)

    q = f"{f['questions_median']:g} / {f['questions_p95']} / {f['questions_max']}"
    return (
        f"{name:<{width}} {f['n']:>6} {fmt(f['top1']):>5} {fmt(f['top3']):>5} {fmt(f['triage_exact']):>6} "
        f"{fmt(f['under_triage']):>6} {fmt(f['over_triage']):>5} {fmt(f['emergency_recall']):>6} ({f['emergency_n']})  {q}"
    )


def format_report(data: dict[str, Any]) -> str:
    width = max(len(k) for k in [*data["per_condition"], "overall"]) + 1
    head = (
        f"{'':<{width}} {'n':>6} {'top1':>5} {'top3':>5} {'exact':>6} {'under':>6} {'over':>5} "
        f"{'em.rec':>6} (n)  questions median / p95 / max"
    )
    lines = [head, _row("overall", data["overall"], width), "", "by condition:"]
    lines += [_row(c, f, width) for c, f in data["per_condition"].items()]
    lines += ["", "by true level:"]
    lines += [_row(lv, f, width) for lv, f in data["per_level"].items()]
    s = data["safety"]
    lines += [
        "",
        (
            f"safety: questions asked twice {s['repeated_questions']}, runaway {s['runaway']}; stopped with a truly "
            f"present red flag unasked that would raise the level: {s['stopped_with_missed_red_flag']} (to emergency "
            f"or above: {s['stopped_with_missed_red_flag_to_emergency']}, by flag {s['missed_by_flag']}); with any "
            f"unasked red flag that would raise it to emergency: {s['stopped_with_unscreened_red_flag_to_emergency']}"
        ),
        (
            f"stopped with a truly present finding of a red-flag rule (not itself a red flag) unasked that would "
            f"raise the level to emergency: {s['stopped_with_missed_trigger_to_emergency']} "
            f"(by finding {s['missed_triggers_by_finding']})"
        ),
        (
            f"people whose red flags demand emergency: {s['red_flag_emergency_n']}, sent to emergency: "
            f"{s['red_flag_emergency_recall']}"
        ),
        "",
        "worst cases (under-triage by most levels):",
    ]
    for w in data["worst"]:
        lines.append(
            f"  #{w['index']} {w['age']} {w['sex']} {w['condition']}: true {w['true_level']}, given {w['level']} "
            f"(stop {w['stop']}); top {w['top3']}; rules {w['true_rules']}; missed {w['missed_red_flags']} {w['missed_triggers']}"
        )
        lines.append(f"      present {w['present']}")
        lines.append(f"      read {w['readings']}; asked {w['asked']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m thighdx.evaluation.simulate", description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--from-nothing", action="store_true", help="start from age and sex alone (no text readings)")
    parser.add_argument("--perfect", action="store_true", help="every answer given and true; text read without error")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from_text = not args.from_nothing
    behaviour = Behaviour.perfect(from_text) if args.perfect else replace(Behaviour(), from_text=from_text)
    outcomes = simulate(args.people, args.seed, behaviour, jobs=args.jobs)
    data = report(outcomes, args.worst)
    data["settings"] = {"people": args.people, "seed": args.seed, "from_text": from_text, "perfect": args.perfect}
    if args.json:
        json.dump(data, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(
            f"{args.people} simulated people, seed {args.seed}, "
            f"{'from text' if from_text else 'from nothing'}{', perfect answers' if args.perfect else ''}"
        )
        print(format_report(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
