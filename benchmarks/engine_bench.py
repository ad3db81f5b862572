"""Time one diagnosis step and the choice of the next question.

    .venv/bin/python benchmarks/engine_bench.py [--repeat N] [--json]

Reports median and p95 (microseconds) on the packaged knowledge base and on a generated one
of 1,000 conditions x 2,000 findings. A diagnosis step is posterior + triage + explain of
every condition; the next question is `next_step` (information gain, triage and screening).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from thighdx.engine import Evidence, explain, posterior, triage
from thighdx.engine.questions import next_step
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.knowledge.synthetic import synthetic_kb


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    fn()  # warm caches (compiled model)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return {
        "median_us": round(statistics.median(samples), 1),
        "p95_us": round(samples[int(0.95 * (len(samples) - 1))], 1),
        "runs": repeat,
    }


def step(kb: KnowledgeBase, evidence: Evidence) -> None:
    ranking = posterior(kb, evidence)
    triage(kb, evidence, ranking)
    explain(kb, evidence, ranking)


def typical_evidence(kb: KnowledgeBase, n: int) -> Evidence:
    ids = list(kb.findings)
    answers = {f: ("present" if i % 3 == 0 else "absent") for i, f in enumerate(ids[len(ids) // 3 :][:n])}
    # the universal safety questions answered, so the full question choice runs
    answers.update({f.id: "absent" for f in kb.findings.values() if f.screen == "always"})
    return Evidence.build(kb, 45, "female", answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    real = load_kb()
    big = synthetic_kb(1000, 2000)
    for name, kb, repeat in (("real", real, args.repeat), ("generated_1000x2000", big, max(20, args.repeat // 10))):
        evidence = typical_evidence(kb, 12)
        results[name] = {
            "conditions": len(kb.conditions),
            "findings": len(kb.findings),
            "diagnosis_step": timed(lambda kb=kb, ev=evidence: step(kb, ev), repeat),
            "next_question": timed(lambda kb=kb, ev=evidence: next_step(kb, ev), repeat),
            "next_question_from_nothing": timed(
                lambda kb=kb: next_step(kb, Evidence.build(kb, 45, "female", {})), repeat
            ),
        }
    if args.json:
        print(json.dumps(results))
        return
    for name, r in results.items():
        print(f"{name}: {r['conditions']} conditions x {r['findings']} findings")
        for key in ("diagnosis_step", "next_question", "next_question_from_nothing"):
            t = r[key]
            print(f"  {key:28s} median {t['median_us'] / 1000:8.3f} ms   p95 {t['p95_us'] / 1000:8.3f} ms   ({t['runs']} runs)")


if __name__ == "__main__":
    main()
