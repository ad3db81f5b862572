"""The interview mechanics on a generated knowledge base."""

from __future__ import annotations

import numpy as np

from thighdx.engine import Evidence, explain, posterior
from thighdx.engine.questions import next_step


def test_first_question_from_nothing(small_kb):
    step = next_step(small_kb, Evidence.build(small_kb, 50, "female", {}))
    assert step.question is not None
    assert not step.should_stop


def test_interview_terminates_without_repeats_when_answers_are_unknown(small_kb):
    ev = Evidence.build(small_kb, 50, "female", {})
    asked: list[str] = []
    for _ in range(200):
        step = next_step(small_kb, ev, asked=len(asked))
        if step.question is None:
            break
        assert step.question.finding not in ev.answers
        asked.append(step.question.finding)
        ev = ev.with_answer(step.question.finding, "unknown")
    assert step.question is None
    assert len(asked) <= small_kb.interview.max_questions
    assert len(asked) == len(set(asked))


def test_universal_screening_is_asked_before_stopping(small_kb):
    ev = Evidence.build(small_kb, 50, "female", {})
    rng = np.random.default_rng(1)
    asked = []
    while True:
        step = next_step(small_kb, ev, asked=len(asked))
        if step.question is None:
            break
        asked.append(step.question.finding)
        ev = ev.with_answer(step.question.finding, "absent" if step.question.finding in ("f0", "f1", "f2", "f3") else rng.choice(["present", "absent"]))
    for universal in ("f0", "f1", "f2", "f3"):
        assert universal in ev.answers


def test_all_answered_gives_no_question(small_kb):
    ev = Evidence.build(small_kb, 50, "female", {f: "absent" for f in small_kb.findings})
    step = next_step(small_kb, ev)
    assert step.question is None and step.should_stop


def test_explain_signs_follow_the_likelihoods(small_kb):
    cond_id, cond = next((c, x) for c, x in small_kb.conditions.items() if not x.profiles)
    high = max(cond.likelihoods, key=lambda f: cond.likelihoods[f].p)
    ev = Evidence.build(small_kb, 40, "male", {high: "present"})
    [e] = explain(small_kb, ev, posterior(small_kb, ev), [cond_id])
    assert e.contributions[0].finding == high
    assert e.contributions[0].log_lr > 0
    ev_no = Evidence.build(small_kb, 40, "male", {high: "absent"})
    [e_no] = explain(small_kb, ev_no, posterior(small_kb, ev_no), [cond_id])
    assert e_no.contributions[0].log_lr < 0
    assert e.would_change


def test_sparse_biggest_changes_match_the_dense_calculation(small_kb):
    """The sparse search for what would change a condition agrees with brute force."""
    from thighdx.engine.explain import biggest_changes, what_if
    from thighdx.engine.model import compile_model

    model = compile_model(small_kb)
    ev = Evidence.build(small_kb, 50, "male", {"f10": "present", "f11": "absent", "f30": "present"})
    r = posterior(small_kb, ev)
    answered = np.zeros(len(model.finding_ids), dtype=bool)
    answered[[model.finding_index[f] for f in ev.answers]] = True
    picks, yes, no = biggest_changes(model, r.row_posterior, answered, 5)
    free = np.flatnonzero(~answered)
    dyes, dno, _ = what_if(model, r.row_posterior, free)
    now = np.append(r.probabilities, r.other_probability)[:, None]
    swing = np.maximum(np.abs(dyes - now), np.abs(dno - now))
    for c in range(model.n_conditions + 1):
        expected = np.sort(swing[c])[::-1][:5]
        got = np.maximum(np.abs(yes[c] - now[c]), np.abs(no[c] - now[c]))
        assert np.allclose(np.sort(got)[::-1], expected)
        assert len(set(picks[c].tolist())) == 5


def test_information_gain_equals_expected_entropy_drop(small_kb):
    import dataclasses

    from thighdx.engine.explain import what_if
    from thighdx.engine.model import compile_model
    from thighdx.engine.questions import information_gain

    model = dataclasses.replace(compile_model(small_kb), level_weight=0.0)
    ev = Evidence.build(small_kb, 50, "male", {"f10": "present", "f11": "absent"})
    r = posterior(small_kb, ev)
    cand = np.arange(len(model.finding_ids))
    gains = information_gain(model, r, cand)
    yes, no, p_yes = what_if(model, r.row_posterior, cand)

    def h(dist):
        d = np.clip(dist, 1e-300, 1)
        return -(dist * np.log2(d)).sum(axis=0)

    now = np.append(r.probabilities, r.other_probability)
    expected = h(now[:, None])[0] - (p_yes * h(yes) + (1 - p_yes) * h(no))
    assert np.allclose(gains, expected, atol=1e-9)


def test_grouped_question_lists_its_unanswered_group(kb):
    from thighdx.engine.questions import next_step

    ev = Evidence.build(kb, 40, "female", {f.id: "absent" for f in kb.findings.values() if f.screen == "always"})
    for _ in range(12):
        step = next_step(kb, ev)
        q = step.question
        if q is None:
            break
        if q.items and q.purpose == "screening":  # the red-flag checklist: one screen, answered "no"
            for f in (q.finding, *q.items):
                ev = ev.with_answer(f, "absent")
            continue
        if q.items:
            group = kb.findings[q.finding].group
            assert group in kb.interview.grouped
            assert all(kb.findings[i].group == group and i not in ev.answers and i != q.finding for i in q.items)
            return
        ev = ev.with_answer(q.finding, "unknown")
    raise AssertionError("no grouped question was asked")


def test_a_reading_of_the_persons_words_is_not_a_question_asked() -> None:
    from thighdx.engine.evidence import Evidence
    from thighdx.engine.questions import questions_asked
    from thighdx.knowledge.loader import load_kb

    kb = load_kb()
    pairs = [("sudden_onset", "present"), ("pain_mid_thigh_point", "present")]
    assert questions_asked(kb, Evidence.build(kb, 30, "male", text=pairs)) == 0
    assert questions_asked(kb, Evidence.build(kb, 30, "male", pairs)) == 2
