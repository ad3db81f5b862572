"""When nothing named fits, a near-zero leading cause does not set the level."""

from __future__ import annotations

from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.questions import next_step
from thighdx.engine.triage import rank, triage_level


def test_everything_denied_is_a_routine_check_not_an_emergency(kb):
    ev = Evidence.build(kb, 50, "female", {f: "absent" for f in kb.findings})
    ranking = posterior(kb, ev)
    assert ranking.other_probability > 0.5
    result = triage(kb, ev, ranking)
    assert result.level == kb.triage.posterior.unclear_level
    assert result.red_flags == ()
    assert "clearly" in result.reason(kb, "en")
    assert triage_level(kb, ev, ranking.condition_ids, ranking.probabilities) == rank(result.level)
    assert next_step(kb, ev).question is None


def test_a_clear_leader_still_sets_the_level(kb):
    answers = {f.id: "absent" for f in kb.findings.values() if f.screen == "always"}
    answers.update(sudden_onset="present", onset_during_sprint_or_kick="present", pain_mid_thigh_point="present",
                   popping_sensation="absent", bruising_back_of_thigh="absent", difficulty_walking="absent")
    ev = Evidence.build(kb, 24, "male", answers)
    ranking = posterior(kb, ev)
    assert ranking.top == "hamstring_strain"
    assert triage(kb, ev, ranking).level == "self_care"
