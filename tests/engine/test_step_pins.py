"""Every decision of a sample of recorded interview steps, pinned: a change made for speed must not
change what the interview asks, whether it stops, the level or the ranking.

The steps are every 20th body of `benchmarks/data/steps.jsonl`, named by line. A change meant to
alter the interview's decisions (or a re-recording of the steps) rewrites the pins, in the commit
that makes it:

    .venv/bin/python tests/engine/test_step_pins.py --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from thighdx import Interview, load_kb
from thighdx.knowledge.loader import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
STEPS = ROOT / "benchmarks" / "data" / "steps.jsonl"
PINS = ROOT / "tests" / "data" / "step_pins.jsonl"
EVERY = 20


def decisions(kb: KnowledgeBase, age: float, sex: str, language: str, items: list[tuple[str, str, str]]) -> dict[str, Any]:
    step = Interview.resume(kb, age, sex, language, items).step()
    question = step.question
    return {
        "question": None if question is None else [question.finding, question.purpose, list(question.items)],
        "should_stop": step.should_stop,
        "level": step.triage.level,
        "pending": list(step.pending_screening),
        "ranking": [float(f"{p:.11g}") for p in (*step.ranking.values(), step.ranking.other_probability)],
    }


def bodies() -> list[dict[str, Any]]:
    return [json.loads(line) for line in STEPS.read_text().splitlines() if line.strip()]


def items_of(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["id"], e["choice_id"], e.get("source", "answer")) for e in body["evidence"]]


def write() -> None:
    kb = load_kb()
    with PINS.open("w") as out:
        for line, body in enumerate(bodies()):
            if line % EVERY == 0:
                pin = {"step": line, **decisions(kb, body["age"], body["sex"], body["language"], items_of(body))}
                out.write(json.dumps(pin, ensure_ascii=False, separators=(",", ":")) + "\n")


PINNED = [json.loads(line) for line in PINS.read_text().splitlines() if line.strip()] if PINS.exists() else []


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_the_pins_are_of_these_steps() -> None:
    assert len(PINNED) == (len(bodies()) + EVERY - 1) // EVERY > 200, "steps re-recorded: rewrite the pins"


@pytest.mark.parametrize("chunk", range(8))
def test_recorded_steps_decide_as_pinned(kb: KnowledgeBase, chunk: int) -> None:
    recorded = bodies()
    for pin in PINNED[chunk::8]:
        body = recorded[pin["step"]]
        got = decisions(kb, body["age"], body["sex"], body["language"], items_of(body))
        where = f"step {pin['step']} of {STEPS.name}"
        for key in ("question", "should_stop", "level", "pending"):
            assert got[key] == pin[key], f"{key} changed for {where}"
        assert got["ranking"] == pytest.approx(pin["ranking"], abs=1e-9), f"ranking changed for {where}"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        sys.exit(__doc__)
