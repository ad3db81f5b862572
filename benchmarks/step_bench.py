"""Time every recorded interview step in process, as POST /api/v1/diagnosis computes it.

    .venv/bin/python benchmarks/step_bench.py [--steps benchmarks/data/steps.jsonl] [--passes 5] [--profile OUT.prof]

Input: the request bodies of every step of every case's interview (`record_steps.py`). Each body
is validated with `DiagnosisRequest.model_validate` and then handed to the diagnosis route's own
handler function (found on the API router, its arguments filled from its signature: the request
model and the knowledge base), driven to completion without an event loop. So the timed step is
exactly what the handler does (service call: posterior, triage, next question, explanation of
the question; and the JSON encoding of the answer), and it keeps following the handler when the
service's signature changes. Validation is timed apart (`validate_*`). Every body is run
`--passes` times after one warm-up pass; the garbage collector is frozen after the warm-up, as
the server does after start-up. Prints JSON: count, median, p95, p99 and max in microseconds,
the targets (median <= 100 us, p99 <= 1 ms, max <= 5 ms) and whether each is met (on the wall
clock), the same figures in CPU time (`cpu`), and the slowest steps (their evidence size).

Where the time goes. Measured twice on this 2-core machine while other work shared it (load 5-9),
so maxima there are partly the machine's; `slowest_body_median_us` is not.

At e3f415c (3,705 steps; the interview before it moved into the core):

    .venv/bin/python benchmarks/step_bench.py --profile /tmp/step.prof
    -> median 737-751 us, p95 1,326 us, p99 1,567-1,666 us, max 3.6-9.7 ms, slowest body's
       median 1.7 ms; validation 14 us median. Targets not met.

  87% in `engine.questions.next_step`, 73% in `triage_questions.triage_question` (52%
  `rule_question`: every rule re-checked for every candidate finding through `_needed`,
  `rules.satisfiable`, `rules.matches`; 21% `crossing_question`); posterior 3%, triage 4%.

At 8b52007 (4,328 steps re-recorded, 1,597 with text readings, `source: "text"`):

    .venv/bin/python benchmarks/step_bench.py [--passes 1 --profile /tmp/final_step.prof]
    -> median 395 us, p95 5.5 ms, p99 12.5 ms, max 309 ms, slowest body's median 8.8 ms;
       validation 15 us median. Targets not met (median 4x, p99 12x over).
    .venv/bin/python -c "import pstats; pstats.Stats('/tmp/final_step.prof').sort_stats('cumulative').print_stats(25)"

  Of 14.9 s for one profiled pass: `interview.step` 13.2 s (89%), of which
  `engine.questions.next_step` 10.9 s: `pending_screening` 4.4 s (its generator over every
  red flag at questions.py:215, 211,233 calls, plus 467,204 `max` calls), `confirm_question`
  2.8 s on the 1,597 steps with text readings (each re-runs `triage` and `posterior`: 11,962
  of each for 4,328 steps), `started_rule_findings` 2.2 s; `triage_question` has fallen to 1.0 s
  (291 calls). The answer's dict and JSON encoding take about 0.7 s.

At 5e1edf4 (the same 4,328 steps; every decision unchanged, `tests/engine/test_step_pins.py`),
2026-12-02, load 5-6:

    .venv/bin/python benchmarks/step_bench.py
    -> median 136-148 us, p95 0.5-2.5 ms, p99 4.5-6.3 ms, max 39-53 ms (the machine's waits: a
       different step is slowest in every run); CPU time median 134-145 us, p99 585-631 us,
       max 1.0-1.2 ms. In the same runs the step at 9c5bc89: median 248-255 us, CPU p99
       773-807 us. Targets not met (median 1.4x over; wall-clock tails are the load's).

  Of one profiled pass: `confirm_question` 21% (on the 1,597 steps with readings: the posteriors
  without each reading in one product, then a level each, re-checking only the rules the reading
  can change), `pending_screening` with `started_rule_findings` 20%, `triage` 12%, the answer's
  dict 9%, `posterior` 6%, `_questions_left` 5%, resuming the interview from the body 5%, the
  triage questions 4% (291 calls). The emergency number now goes into the encoded bytes; the
  walk over the answer that filled it (0.6 s) is gone.

At e9279b4 (measured at e535b7d, whose step code is the same; the same 4,328 steps, every answer
byte for byte as at 8dad32d), 2026-12-02 08:35 UTC, load 2.6-3.9, five runs taken in turn with
five at 8dad32d on the same knowledge base and steps:

    .venv/bin/python benchmarks/step_bench.py
    -> median 88-92 us, p95 273-317 us, p99 0.44-4.3 ms, max 3.1-8.3 ms (targets met in 3 of 5
       runs; the others' tails are waits for a core); CPU time median 87-92 us, p99 425-463 us,
       max 0.74-0.91 ms. In the same runs at 8dad32d: median 114-134 us, CPU p99 478-527 us.

  Of one profiled pass: `next_step` 43% (`confirm_question` 18%
  on the 1,597 steps with readings, `pending_screening` 10%, `started_rule_findings` 5%, the
  triage questions 6% on 291 steps), `triage` 15%, the answer's dict 9%, `posterior` 8%,
  resuming the interview from the body 6%, JSON 3%. No single part dominates: the rest
  is many small steps, each a few microseconds.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import inspect
import json
import statistics
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.web import api
from thighdx.web.models import DiagnosisRequest

STEPS = Path(__file__).resolve().parent / "data" / "steps.jsonl"
TARGETS = {"median_us": 100.0, "p99_us": 1000.0, "max_us": 5000.0}


def handler() -> Callable[..., Any]:
    """The endpoint function of POST /api/v1/diagnosis on the API router."""
    for route in api.router.routes:
        if getattr(route, "path", None) == "/api/v1/diagnosis" and "POST" in getattr(route, "methods", ()):
            return route.endpoint  # type: ignore[attr-defined, no-any-return]
    raise SystemExit("no POST /api/v1/diagnosis route on thighdx.web.api.router")


def caller(endpoint: Callable[..., Any], kb: KnowledgeBase) -> Callable[[DiagnosisRequest], Any]:
    """Call the handler with its arguments filled by type: the request model, the knowledge base."""
    hints = typing.get_type_hints(endpoint, include_extras=True)
    fill: dict[str, str] = {}
    for name in inspect.signature(endpoint).parameters:
        hint = hints.get(name)
        base = typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint
        if isinstance(base, type) and issubclass(base, DiagnosisRequest):
            fill[name] = "request"
        elif base is KnowledgeBase:
            fill[name] = "kb"
        else:
            raise SystemExit(f"the diagnosis handler takes {name}: {hint}; teach step_bench.py how to fill it")
    is_async = inspect.iscoroutinefunction(endpoint)

    def call(request: DiagnosisRequest) -> Any:
        kwargs = {name: request if what == "request" else kb for name, what in fill.items()}
        if not is_async:
            return endpoint(**kwargs)
        coroutine = endpoint(**kwargs)
        try:
            coroutine.send(None)
        except StopIteration as done:
            return done.value
        coroutine.close()
        raise SystemExit("the diagnosis handler awaited something; time it through http_bench.py instead")

    return call


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"count": len(ordered), "median_us": round(statistics.median(ordered), 1), "p95_us": at(0.95), "p99_us": at(0.99),
            "max_us": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=Path, default=STEPS)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--profile", type=Path, help="write a cProfile of one pass over every step here (not timed)")
    parser.add_argument("--slowest", type=int, default=5)
    args = parser.parse_args()
    bodies = [json.loads(line) for line in args.steps.read_text().splitlines() if line.strip()]
    kb = load_kb()
    call = caller(handler(), kb)
    requests = [DiagnosisRequest.model_validate(body) for body in bodies]
    for request in requests:  # warm-up: compiled model, caches
        call(request)
    gc.collect()
    gc.freeze()
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for request in requests:
            call(request)
        profile.disable()
        profile.dump_stats(args.profile)
    steps: list[float] = []
    validate: list[float] = []
    worst: list[tuple[float, int]] = []
    per_body: list[list[float]] = [[] for _ in bodies]
    cpu: list[float] = []
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for _ in range(max(1, args.passes)):
        for index, body in enumerate(bodies):
            began = clock()
            request = DiagnosisRequest.model_validate(body)
            validated = clock()
            cpu_began = cpu_clock()
            call(request)
            cpu_ended = cpu_clock()
            ended = clock()
            validate.append((validated - began) / 1000)
            steps.append((ended - validated) / 1000)
            cpu.append((cpu_ended - cpu_began) / 1000)
            worst.append((steps[-1], index))
            per_body[index].append(steps[-1])
    step = summary(steps)
    report = {
        "steps": str(args.steps), "bodies": len(bodies), "passes": args.passes,
        **step,
        # the step's CPU time (this thread's): what the step costs, without the waits of a shared machine
        "cpu": {k: v for k, v in summary(cpu).items() if k != "count"},
        "validate_median_us": summary(validate)["median_us"], "validate_p99_us": summary(validate)["p99_us"],
        # each body's median over the passes, then the largest: the slowest step without the machine's noise
        "slowest_body_median_us": round(max(statistics.median(t) for t in per_body), 1),
        "targets": {k: {"target": v, "measured": step[k], "met": step[k] <= v} for k, v in TARGETS.items()},
        "targets_met": all(step[k] <= v for k, v in TARGETS.items()),
        "slowest": [{"us": round(us, 1), "body": i, "evidence": len(bodies[i]["evidence"])}
                    for us, i in sorted(worst, reverse=True)[: args.slowest]],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
