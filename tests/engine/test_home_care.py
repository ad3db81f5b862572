"""Home care is advised only when it is safe to: the causes that need a doctor are together
unlikely, and nothing that would end the rule granting it is left unasked while worth asking."""

from __future__ import annotations

import random
from collections.abc import Callable

from thighdx import Interview
from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.model import compile_model
from thighdx.engine.questions import next_step, questions_asked
from thighdx.engine.triage import condition_level, counted_conditions, deciding_rule, home_care_in_doubt, rank, triage_level
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS


def _doubt(kb: KnowledgeBase, evidence: Evidence) -> float:
    """The chance, together, of the causes that demand more than home care for this person."""
    ranking = posterior(kb, evidence)
    return sum(p for c, p in zip(ranking.condition_ids, ranking.values(), strict=True)
               if rank(condition_level(kb.conditions[c], evidence)[0]) > 0)


def test_home_care_is_never_advised_while_the_causes_needing_a_doctor_are_together_likely(
    kb: KnowledgeBase, calm_states: Callable[[int, int], list[Evidence]]
) -> None:
    """Random answer sets with every safety question answered "no": whenever the level is home
    care, the causes needing more hold less than the consultation threshold together; and some
    sets whose leading cause alone would give home care are sent to a consultation for that."""
    threshold = kb.triage.posterior.thresholds["consultation"]
    doubted = 0
    for evidence in calm_states(600, 11):
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


def test_home_care_never_stops_with_a_likely_end_to_its_rule_unasked(
    kb: KnowledgeBase, calm_states: Callable[[int, int], list[Evidence]]
) -> None:
    """Interviews from a few random answers, the red-flag screening answered "no" and the rest at
    random: when one stops at home care within the budget for level questions, every unasked
    finding whose "yes" would end the rule setting a counted cause's level, and so raise the
    level, had an overall chance below `triage_min_change`."""
    model = compile_model(kb)
    rng = random.Random(7)
    universal = {f.id for f in kb.findings.values() if f.screen == "always"}
    stops = 0
    for start in calm_states(1500, 7):
        interview = Interview.start(kb, start.age, start.sex, "en", evidence=start.answers.items())
        step = interview.step()
        while step.question is not None and not step.should_stop:
            finding = step.question.finding
            calm = finding in universal or step.question.purpose in ("screening", "confirm")
            choice = "absent" if calm else rng.choices(["present", "absent", "unknown"], weights=[3, 6, 1])[0]
            step = interview.answer(finding, choice)
        evidence = interview.evidence
        if step.triage.level != "self_care" or questions_asked(kb, evidence) >= kb.interview.triage_budget:
            continue
        stops += 1
        chance = step.ranking.row_posterior @ model.p
        for condition_id in counted_conditions(kb, step.ranking):
            deciding = deciding_rule(kb.conditions[condition_id], evidence)
            for f in deciding.when.not_present if deciding else ():
                if f in evidence.answers:
                    continue
                raised = evidence.with_answer(f, "present")
                if rank(triage(kb, raised, posterior(kb, raised)).level) > 0:
                    assert chance[model.finding_index[f]] < kb.interview.triage_min_change, (f, condition_id)
    assert stops > 5


def test_the_doubt_is_exact_at_its_threshold(kb: KnowledgeBase) -> None:
    """Probabilities that sum to exactly the threshold, every one a cause that demands more: doubt
    (the early stop of the sum must not round it away)."""
    threshold = kb.triage.posterior.thresholds["consultation"]
    levels = [rank(c.triage.level) for c in kb.conditions.values()]
    beyond = [i for i, level in enumerate(levels) if level > 0]
    values = [threshold / len(beyond) if i in beyond else 0.0 for i in range(len(levels))]
    assert home_care_in_doubt(kb, values, lambda i: levels[i])
    assert not home_care_in_doubt(kb, [v * 0.99 for v in values], lambda i: levels[i])
