"""Home care is advised only when it is safe to: the causes that need a doctor are together
unlikely, and nothing that would end the rule granting it is left unasked while worth asking."""

from __future__ import annotations

import numpy as np

from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.questions import next_step
from thighdx.engine.triage import condition_level, rank, triage_level
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS


def _doubt(kb: KnowledgeBase, evidence: Evidence) -> float:
    """The chance, together, of the causes that demand more than home care for this person."""
    ranking = posterior(kb, evidence)
    return sum(p for c, p in zip(ranking.condition_ids, ranking.values(), strict=True)
               if rank(condition_level(kb.conditions[c], evidence)[0]) > 0)


def test_home_care_is_never_advised_while_the_causes_needing_a_doctor_are_together_likely(kb: KnowledgeBase) -> None:
    """Random answer sets with every safety question answered "no": whenever the level is home
    care, the causes needing more hold less than the consultation threshold together; and some
    sets whose leading cause alone would give home care are sent to a consultation for that."""
    threshold = kb.triage.posterior.thresholds["consultation"]
    universal = {f.id: "absent" for f in kb.findings.values() if f.screen == "always"}
    ordinary = [f.id for f in kb.findings.values() if not f.red_flag and f.screen != "always"]
    rng = np.random.default_rng(11)
    doubted = 0
    for _ in range(600):
        answers = dict(universal)
        for f in rng.choice(ordinary, size=int(rng.integers(3, 12)), replace=False).tolist():
            answers[f] = "present" if rng.random() < 0.5 else "absent"
        evidence = Evidence.build(kb, float(rng.integers(18, 80)), "female" if rng.random() < 0.5 else "male", answers)
        ranking = posterior(kb, evidence)
        result = triage(kb, evidence, ranking)
        assert triage_level(kb, evidence, ranking.condition_ids, ranking.probabilities) == rank(result.level)
        if result.level == LEVELS[0]:
            assert _doubt(kb, evidence) < threshold
        if any(r.kind == "doubt" for r in result.reasons):
            doubted += 1
            assert result.level != LEVELS[0] and _doubt(kb, evidence) >= threshold
            assert "together" in result.reason(kb, "en")
    assert doubted > 0


def test_a_rule_that_grants_home_care_is_questioned_before_the_interview_stops(kb: KnowledgeBase) -> None:
    """A mild strain gets home care unless, among others, it hurts badly or the hamstring was
    injured before; the interview asks those before it stops, however settled the cause is."""
    answers = {f.id: "absent" for f in kb.findings.values() if f.screen == "always"}
    answers.update(sudden_onset="present", onset_during_sprint_or_kick="present", pain_mid_thigh_point="present",
                   popping_sensation="absent", bruising_back_of_thigh="absent", difficulty_walking="absent")
    evidence = Evidence.build(kb, 24, "male", answers)
    assert triage(kb, evidence, posterior(kb, evidence)).level == "self_care"
    asked: list[str] = []
    while True:
        found = next_step(kb, evidence)
        if found.should_stop or found.question is None:
            break
        asked.append(found.question.finding)
        evidence = evidence.with_answer(found.question.finding, "absent")
    assert {"previous_hamstring_injury", "pain_severe"} <= set(asked)
    assert len(asked) == len(set(asked))
    for finding in ("previous_hamstring_injury", "pain_severe"):
        raised = evidence.without(finding).with_answer(finding, "present")
        assert rank(triage(kb, raised, posterior(kb, raised)).level) > 0
