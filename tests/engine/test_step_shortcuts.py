"""The interview step's shortcuts give exactly what the plain computations give, on recorded steps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from thighdx import Interview, load_kb
from thighdx.engine.model import compile_model
from thighdx.engine.posterior import posterior, posteriors_without
from thighdx.engine.rules import matches, missing_to_match, satisfiable
from thighdx.engine.scores import scores
from thighdx.engine.triage import triage, triage_level, triage_levels_without
from thighdx.engine.triage_questions import triage_question
from thighdx.knowledge.loader import KnowledgeBase

STEPS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "steps.jsonl"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def recorded(kb: KnowledgeBase, every: int) -> list[Interview]:
    bodies = [json.loads(line) for line in STEPS.read_text().splitlines() if line.strip()][::every]
    return [Interview.resume(kb, b["age"], b["sex"], b["language"], [(e["id"], e["choice_id"], e.get("source", "answer"))
                                                                       for e in b["evidence"]]) for b in bodies]


def test_posteriors_without_each_reading_are_the_posteriors_bit_for_bit(kb: KnowledgeBase) -> None:
    compared = 0
    for interview in recorded(kb, 3):
        evidence = interview.evidence
        readings = [f for f in sorted(evidence.text) if evidence.answers[f] != "unknown"]
        for finding, row in zip(readings, posteriors_without(kb, evidence, readings), strict=True):
            plain = posterior(kb, evidence.without(finding))
            assert np.array_equal(row[:-1], plain.probabilities) and row[-1] == plain.other_probability
            compared += 1
    assert compared > 1000


def test_triage_question_with_a_memo_is_the_same_in_both_directions(kb: KnowledgeBase) -> None:
    model = compile_model(kb)
    for interview in recorded(kb, 7):
        evidence = interview.evidence
        ranking = posterior(kb, evidence)
        current = triage(kb, evidence, ranking)
        candidates = np.asarray([i for i, f in enumerate(model.finding_ids) if f not in evidence.answers], dtype=np.intp)
        memo: dict[str, object] = {}
        for upward in (True, False):
            assert triage_question(kb, evidence, ranking, current, candidates, upward, memo) == \
                triage_question(kb, evidence, ranking, current, candidates, upward)


def test_levels_without_each_reading_are_the_triage_levels(kb: KnowledgeBase) -> None:
    compared = 0
    for interview in recorded(kb, 2):
        evidence = interview.evidence
        readings = [f for f in sorted(evidence.text) if evidence.answers[f] != "unknown"]
        if not readings:
            continue
        after = posteriors_without(kb, evidence, readings)[:, :-1]
        ids = compile_model(kb).condition_ids
        assert triage_levels_without(kb, evidence, readings, ids, after) == \
            [triage_level(kb, evidence.without(f), ids, row) for f, row in zip(readings, after, strict=True)]
        compared += len(readings)
    assert compared > 1000


def test_a_rules_missing_findings_in_one_pass_are_those_of_matches_and_satisfiable(kb: KnowledgeBase) -> None:
    checked = 0
    for interview in recorded(kb, 5):
        evidence = interview.evidence
        answers = evidence.answers
        for when in [flag.when for flag in kb.triage.red_flags] + \
                [rule.when for condition in kb.conditions.values() for rule in condition.triage.rules]:
            expected = None
            if not matches(when, evidence) and satisfiable(when, evidence):
                expected = [f for f in when.present if f not in answers]
                if when.any_present and not any(answers.get(f) == "present" for f in when.any_present):
                    expected += [f for f in when.any_present if f not in answers]
            assert missing_to_match(when, evidence) == expected
            checked += expected is not None
    assert checked > 1000


def test_the_steps_scores_worked_out_when_read_are_the_scores(kb: KnowledgeBase) -> None:
    shown = 0
    for interview in recorded(kb, 2):
        step = interview.step()
        expected = tuple(scores(kb, interview.evidence, step.ranking))
        assert step.scores == expected
        shown += bool(expected)
    assert shown > 40
