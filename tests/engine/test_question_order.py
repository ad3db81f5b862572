"""The order of questions: a triage question can change the level, a grouped screen is finished
before the interview moves on, and a started red-flag rule is completed before other screening."""

from __future__ import annotations

import random

import numpy as np

from thighdx import Interview
from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.broader import settled_by_broader
from thighdx.engine.model import compile_model
from thighdx.engine.questions import checklist, information_gain, pending_screening, started_rule_findings
from thighdx.engine.triage import rank


def _interviews(kb, people: int, seed: int):
    """Interviews from age and sex alone, one finding per request, answered at random with a bias
    to "no" and some "don't know": every state they pass through, with the question asked there."""
    rng = random.Random(seed)
    for _ in range(people):
        interview = Interview.start(kb, rng.randint(18, 85), rng.choice(["male", "female"]), "en")
        step = interview.step()
        while step.question is not None and not step.should_stop:
            yield interview, step
            choice = rng.choices(["present", "absent", "unknown"], weights=[2, 6, 2])[0]
            step = interview.answer(step.question.finding, choice)


def test_a_triage_question_can_change_the_level(kb):
    """A question asked for the level's sake moves it on one of its answers, by the one function
    that decides the level (an answer that leaves the leader below `leader_min` does not count)."""
    seen = 0
    for interview, step in _interviews(kb, 300, seed=3):
        if step.question.purpose != "triage":
            continue
        seen += 1
        evidence = interview.evidence
        levels = set()
        for choice in ("present", "absent"):
            after = evidence.with_answer(step.question.finding, choice)
            levels.add(rank(triage(kb, after, posterior(kb, after)).level))
        assert levels != {rank(step.triage.level)}, (step.question.finding, dict(evidence.answers))
    assert seen >= 15


def test_a_grouped_screen_is_finished_before_other_ranking_questions(kb):
    """One finding per request: once a location item is answered, no ranking question of another
    group is asked while a location item worth asking (`min_gain_bits`) remains."""
    model = compile_model(kb)
    grouped = set(kb.interview.grouped)
    checked = 0
    for interview, step in _interviews(kb, 60, seed=5):
        question = step.question
        evidence = interview.evidence
        if question.purpose != "ranking" or kb.findings[question.finding].group in grouped:
            continue
        if not any(kb.findings[f].group in grouped for f in evidence.answers):
            continue
        checked += 1
        left = np.asarray([model.finding_index[f] for f in model.finding_ids
                           if kb.findings[f].group in grouped and f not in evidence.answers], dtype=np.intp)
        if left.size:
            assert information_gain(model, step.ranking, left).max() < kb.interview.min_gain_bits, question.finding
    assert checked > 0


def test_a_started_rule_is_completed_before_other_screening(kb):
    """Back pain starts the back-pain rules: their findings (fever among them) come before any
    red flag screened by its cost alone, the most urgent rule's first."""
    answers = {f.id: "absent" for f in kb.findings.values() if f.screen == "always"}
    answers["pain_low_back"] = "present"
    evidence = Evidence.build(kb, 45, "male", answers)
    ranking = posterior(kb, evidence)
    current = triage(kb, evidence, ranking)
    started = started_rule_findings(kb, evidence, rank(current.level))
    assert "fever_or_chills" in started
    pending = pending_screening(kb, evidence, ranking, current, started)
    positions = [pending.index(f) for f in started if f in pending and f not in checklist(kb)]
    assert positions == sorted(positions)
    before = pending[: max(positions)]
    assert all(f in started or f in checklist(kb) for f in before), before


def test_a_part_is_not_asked_once_its_broader_findings_are_answered_no(kb):
    """A calf measured wider is one leg swollen: once the person says no leg is swollen, it is not
    asked, it stays unanswered (nothing assumed), and it does not hold the interview open."""
    parts = {f.id: f.within for f in kb.findings.values() if f.within}
    assert parts, "the knowledge base names no finding as part of a broader one"
    asked_parts = 0
    for interview, step in _interviews(kb, 150, seed=11):
        evidence = interview.evidence
        finding = step.question.finding
        for asked in (finding, *step.question.items):
            broader = parts.get(asked, [])
            assert not broader or not all(evidence.answered(b) and evidence.choice(b) == "absent" for b in broader), asked
        asked_parts += finding in parts
        assert not settled_by_broader(kb, evidence) & set(step.pending_screening)
    assert asked_parts > 0  # a part is still asked when its broader finding may be present
    no_swelling = Evidence.build(kb, 50, "male", {"leg_swelling_one_side": "absent"})
    assert "calf_swelling_over_3cm" in settled_by_broader(kb, no_swelling)
    assert "calf_swelling_over_3cm" not in no_swelling.answers
    read_only = Evidence.build(kb, 50, "male", text=[("leg_swelling_one_side", "absent")])
    assert "calf_swelling_over_3cm" not in settled_by_broader(kb, read_only)  # a reading is not an answer
