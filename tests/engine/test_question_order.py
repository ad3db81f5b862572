"""The order of questions: a triage question can change the level, a grouped screen is finished
before the interview moves on, and a started red-flag rule is completed before other screening."""

from __future__ import annotations

import random

import numpy as np

from thighdx import Interview
from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.broader import settled_by_broader
from thighdx.engine.model import compile_model
from thighdx.engine.questions import information_gain
from thighdx.engine.rules import findings_of
from thighdx.engine.screening import checklist, pending_screening, rule_starters, started_rule_findings
from thighdx.engine.triage import condition_level, rank, triage_level
from thighdx.engine.triage_questions import crossing_table, levels_after


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


def _named(kb) -> set[str]:
    """The findings a red flag or a condition's level rule names (`rule_question` weighs those)."""
    named = {f for flag in kb.triage.red_flags for f in findings_of(flag.when)}
    for condition in kb.conditions.values():
        for rule in condition.triage.rules:
            named |= set(findings_of(rule.when))
    return named


def _levels_after_agree(kb, model, named: set[str], evidence, ranking, current) -> int:
    """Check `levels_after` against `triage_level` for every unnamed candidate's "yes" and "no"
    on one state; the number of answers checked."""
    candidates = np.asarray([i for i, f in enumerate(model.finding_ids) if f not in evidence.answers and f not in named],
                            dtype=np.intp)
    table = crossing_table(kb, evidence, ranking, current, candidates)
    checked = 0
    for dist, choice in ((table.yes, "present"), (table.no, "absent")):
        quick = levels_after(kb, evidence, table, dist)
        for j, column in enumerate(candidates.tolist()):
            after = evidence.with_answer(model.finding_ids[column], choice)
            row = posterior(kb, after)
            assert quick[j] == triage_level(kb, after, row.condition_ids, row.probabilities), (
                model.finding_ids[column], choice, dict(evidence.answers))
            checked += 1
    return checked


def test_the_level_after_an_answer_is_worked_out_by_the_rules_of_the_level(kb):
    """`levels_after` (the level each candidate's answer would bring, for every candidate at once)
    agrees with `triage_level` on the evidence with that answer, for every finding no red flag or
    condition rule names (those it leaves to `rule_question`): the leader below `leader_min`, the
    unclear picture, the thresholds and the screening gate all as the level itself decides."""
    model, named = compile_model(kb), _named(kb)
    checked = sum(_levels_after_agree(kb, model, named, interview.evidence, step.ranking, step.triage)
                  for interview, step in _interviews(kb, 40, seed=3))
    assert checked > 1000


def test_the_level_after_an_answer_counts_the_doubt_as_the_level_does(kb, calm_states):
    """Near the home-care doubt's threshold (random answer sets, the safety questions answered
    "no"), `levels_after` sums the doubt over every cause that demands more, however unlikely, as
    `triage_level` does."""
    model, named = compile_model(kb), _named(kb)
    near = checked = 0
    for evidence in calm_states(400, 5):
        ranking = posterior(kb, evidence)
        doubt = sum(p for c, p in zip(ranking.condition_ids, ranking.values(), strict=True)
                    if rank(condition_level(kb.conditions[c], evidence)[0]) > 0)
        if 0.2 <= doubt <= 0.5:
            near += 1
            checked += _levels_after_agree(kb, model, named, evidence, ranking, triage(kb, evidence, ranking))
    assert near > 10 and checked > 1000


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
    rules_started = {flag.id for flag in kb.triage.red_flags if "pain_low_back" in findings_of(flag.when)}
    assert "fever_or_chills" in started
    # a recent spinal procedure or infection completes emergency rules (a spinal infection),
    # long-term steroids only a same-day one: the emergency rule's findings come first
    for urgent in ("recent_spinal_procedure_or_infection", "pain_at_night_or_rest", "fever_or_chills"):
        assert started.index(urgent) < started.index("osteoporosis_or_long_term_steroids"), urgent
    pending = pending_screening(kb, evidence, ranking, current, started)
    levels = [max(rank(flag.level) for flag in kb.triage.red_flags
                  if rank(flag.level) >= rank("consultation_24") and flag.id in rules_started and f in findings_of(flag.when))
              for f in started]
    assert levels == sorted(levels, reverse=True), list(zip(started, levels))  # the most urgent rule's findings first
    positions = [pending.index(f) for f in started if f in pending and f not in checklist(kb)]
    assert positions == sorted(positions)
    before = pending[: max(positions)]
    assert all(f in started or f in checklist(kb) for f in before), before


def test_a_part_is_not_asked_once_its_broader_findings_are_answered_no(kb):
    """Worsening weakness or numbness needs weakness or numbness: once the person says no to both,
    it is not asked, it stays unanswered (nothing assumed), and it does not hold the interview open."""
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
    weaker = "weakness_getting_worse"
    both_no = Evidence.build(kb, 50, "male", {"leg_weakness": "absent", "numbness_or_tingling": "absent"})
    assert weaker in settled_by_broader(kb, both_no) and weaker not in both_no.answers
    for answers in ({"leg_weakness": "absent"}, {"leg_weakness": "absent", "numbness_or_tingling": "unknown"},
                    {"leg_weakness": "absent", "numbness_or_tingling": "present"}):
        assert weaker not in settled_by_broader(kb, Evidence.build(kb, 50, "male", answers)), answers  # every one, and "no"
    read_only = Evidence.build(kb, 50, "male", text=[("leg_weakness", "absent"), ("numbness_or_tingling", "absent")])
    assert weaker not in settled_by_broader(kb, read_only)  # a reading is not an answer


def test_a_part_is_asked_after_its_broader_findings(kb):
    """Back pain starts rules that need weakness or numbness; worsening weakness (on the checklist)
    is asked after them, so that two answers of "no" can settle it."""
    answers = {f.id: "absent" for f in kb.findings.values() if f.screen == "always"}
    answers["pain_low_back"] = "present"
    evidence = Evidence.build(kb, 45, "male", answers)
    ranking = posterior(kb, evidence)
    pending = pending_screening(kb, evidence, ranking, triage(kb, evidence, ranking))
    assert {"leg_weakness", "numbness_or_tingling", "weakness_getting_worse"} <= set(pending)
    assert pending.index("weakness_getting_worse") > max(pending.index("leg_weakness"), pending.index("numbness_or_tingling"))


def test_a_location_that_starts_a_red_flag_rule_is_asked_even_when_the_cause_is_settled(kb):
    """Once "Where does it hurt?" is started, no interview ends with low back pain (which starts
    the back-pain rules) or another location that starts a red-flag rule unasked, however settled
    the cause is."""
    starters = rule_starters(kb)
    assert "pain_low_back" in starters
    grouped = set(kb.interview.grouped)
    rng = random.Random(13)
    checked = 0
    for _ in range(150):
        interview = Interview.start(kb, rng.randint(18, 85), rng.choice(["male", "female"]), "en",
                                    text=rng.choice(["", "sharp pain at the back of my thigh", "my hamstring hurts"]) or None)
        step = interview.step()
        while step.question is not None and not step.should_stop:
            choice = rng.choices(["present", "absent", "unknown"], weights=[2, 6, 2])[0]
            step = interview.answer(step.question.finding, choice)
        evidence = interview.evidence
        if any(kb.findings[f].group in grouped and f not in evidence.text for f in evidence.answers):
            checked += 1
            left = [f for f in starters if kb.findings[f].group in grouped and f not in evidence.answers]
            assert not left, f"ended with {left} of a started screen unasked"
    assert checked > 20