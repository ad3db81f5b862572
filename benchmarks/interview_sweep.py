"""Sweep the interview's stopping thresholds and report accuracy, safety and effort.

    .venv/bin/python benchmarks/interview_sweep.py CASES.jsonl [CASES2.jsonl ...]

For every combination of the budgets and triage thresholds in GRID, runs
`evaluate --mode interview` on the case files and prints one line. The values kept in
knowledge/data/interview.yaml are the cheapest (fewest questions) at which top-1, triage and
emergency recall stop improving.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path

from thighdx.evaluation.cases import evaluate, load_cases
from thighdx.knowledge.loader import load_kb

GRID = {
    "ranking_budget": (14, 16, 18),
    "triage_budget": (16, 18, 20),
    "triage_priority": (0.10, 0.15),
    "triage_min_change": (0.05, 0.10, 0.15),
}


def main() -> None:
    base = load_kb()
    cases = [c for path in sys.argv[1:] for c in load_cases(Path(path), base)]
    print(f"{len(cases)} cases")
    print(" | ".join(GRID) + " | top1  top3  triage under emerg | q_mean q_med q_p95 q_max")
    for values in itertools.product(*GRID.values()):
        settings = base.interview.model_copy(update=dict(zip(GRID, values, strict=True)))
        kb = dataclasses.replace(base, interview=settings, _cache={})
        s, _ = evaluate(kb, cases, "interview")
        print(
            " | ".join(f"{v:>{len(k)}}" for k, v in zip(GRID, values, strict=True))
            + f" | {s['top1']:.3f} {s['top3']:.3f} "
            f"{s['triage_exact']:.3f} {s['under_triage']:.3f} {s['emergency_recall']:.2f} | "
            f"{s['questions_mean']:6.2f} {s['questions_median']:5} {s['questions_p95']:5} {s['questions_max']:5}",
            flush=True,
        )


if __name__ == "__main__":
    main()
