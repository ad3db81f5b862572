"""The core interview: readings of the person's words, confirmation, "don't know" to red flags,
the settled level, going back, and the stateless API's source field."""

from __future__ import annotations

import pytest

from thighdx import Interview, InterviewError, load_kb
from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.triage import rank


@pytest.fixture(scope="module")
def universal(kb):
    return [f.id for f in kb.findings.values() if f.screen == "always"]


def test_dont_know_to_a_safety_question_is_never_home_care(kb, universal):
    mild = {"gradual_onset": "present", "onset_after_unaccustomed_exercise": "present", "pain_both_thighs_diffuse_ache": "present"}
    all_no = Evidence.build(kb, 30, "female", {**mild, **{f: "absent" for f in universal}})
    assert triage(kb, all_no, posterior(kb, all_no)).level == "self_care"
    for finding in universal:
        answers = {**mild, **{f: "absent" for f in universal}, finding: "unknown"}
        evidence = Evidence.build(kb, 30, "female", answers)
        result = triage(kb, evidence, posterior(kb, evidence))
        assert result.level != "self_care", finding
        assert finding in result.unscreened, finding


def test_a_reading_counts_less_than_an_answer_and_an_answer_replaces_it(kb):
    answered = Evidence.build(kb, 27, "male", [("popping_sensation", "present")])
    read = Evidence.build(kb, 27, "male", [], text=[("popping_sensation", "present")])
    assert posterior(kb, read).probability("hamstring_strain") < posterior(kb, answered).probability("hamstring_strain")
    assert posterior(kb, read).probability("hamstring_strain") > posterior(kb, Evidence.build(kb, 27, "male")).probability("hamstring_strain")
    confirmed = Evidence.build(kb, 27, "male", [("popping_sensation", "absent")], text=[("popping_sensation", "present")])
    assert confirmed.answers == {"popping_sensation": "absent"} and not confirmed.text


def test_a_reading_that_decides_the_level_is_confirmed_first(kb, universal):
    interview = Interview.resume(kb, 60, "male", "en", [("leg_cold_pale", "present", "text")])
    step = interview.step()
    assert rank(step.triage.level) >= rank("emergency")
    assert step.question is not None and step.question.finding == "leg_cold_pale"
    assert step.question.purpose == "confirm"
    after = interview.answer("leg_cold_pale", "absent")
    assert rank(after.triage.level) < rank("emergency")
    assert "leg_cold_pale" not in (after.question.finding if after.question else "")
    back = interview.back()
    assert interview.evidence.text == frozenset({"leg_cold_pale"}) and back.triage.level == step.triage.level


def test_an_emergency_red_flag_settles_the_level_and_stopping_is_offered(kb):
    interview = Interview.start(kb, 50, "female", "en")
    step = interview.step()
    while step.question is not None and step.question.finding != "saddle_numbness":
        step = interview.answer(step.question.finding, "absent")
    assert not step.settled
    step = interview.answer("saddle_numbness", "present")
    assert step.settled and rank(step.triage.level) >= rank("emergency")


def test_answers_are_checked_and_never_asked_twice(kb):
    interview = Interview.start(kb, 40, "male", "en", text="sharp pain behind my thigh since yesterday")
    step = interview.step()
    assert step.question is not None
    other = next(f for f in kb.findings if f != step.question.finding and f not in step.question.items
                 and not interview.evidence.answered(f))
    with pytest.raises(InterviewError):
        interview.answer(other, "present")
    seen = []
    while step.question is not None and not step.should_stop:
        assert step.question.finding not in seen
        seen.append(step.question.finding)
        step = interview.answer(step.question.finding, "unknown")
    assert list(interview.asked) == seen
    unanswered = next(f for f in kb.findings if not interview.evidence.answered(f))
    with pytest.raises(InterviewError, match="no question left"):
        interview.answer(unanswered, "present")


def test_the_package_root_is_the_public_api():
    import thighdx

    assert thighdx.Interview is Interview and thighdx.load_kb is load_kb
    assert issubclass(thighdx.InterviewError, thighdx.ThighdxError)
