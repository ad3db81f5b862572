"""Thousands of simulated people interviewed like a trial (`thighdx.evaluation.simulate`).

Proved for every simulated interview: no question is asked twice, and no interview stops while
a red flag that the person truly has, and never answered, would have raised the level to
emergency care. Emergency recall is held to a floor under realistic answers; with perfect
answers it is 1.0 for everyone whose emergency rests on a red-flag finding they have, and held
to a floor for every rule demanding emergency care.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from thighdx.evaluation.simulate import EMERGENCY, Behaviour, Outcome, draw_person, format_report, report, simulate

SEED = 1
PEOPLE_FROM_TEXT = 2000
PEOPLE_FROM_NOTHING = 1000
JOBS = 2
EMERGENCY_RECALL_FLOOR = 0.90
"""Under realistic answers. Asking the same people every question the knowledge base has gives
0.93 (seed 1, 2,000 people: don't-knows and wrong answers hide some red flags even then); the
floor is that less 0.03."""


@pytest.fixture(scope="module")
def from_text(kb) -> list[Outcome]:
    return simulate(PEOPLE_FROM_TEXT, SEED, Behaviour(), kb=kb, jobs=JOBS)


@pytest.fixture(scope="module")
def from_nothing(kb) -> list[Outcome]:
    return simulate(PEOPLE_FROM_NOTHING, SEED + 1, replace(Behaviour(), from_text=False), kb=kb, jobs=JOBS)


@pytest.fixture(scope="module")
def red_flag_people(kb) -> list[int]:
    """The people of run SEED whose true evidence matches a red-flag rule demanding emergency care."""
    return [i for i in range(PEOPLE_FROM_TEXT) if draw_person(kb, SEED, i, Behaviour.perfect()).red_flag_emergency]


@pytest.fixture(scope="module")
def perfect(kb, red_flag_people) -> dict[str, list[Outcome]]:
    return {
        "from text": simulate(red_flag_people, SEED, Behaviour.perfect(from_text=True), kb=kb, jobs=JOBS),
        "from nothing": simulate(red_flag_people, SEED, Behaviour.perfect(from_text=False), kb=kb, jobs=JOBS),
    }


def _all(from_text, from_nothing, perfect) -> list[tuple[str, Outcome]]:
    runs = [(f"seed {SEED} from text", o) for o in from_text]
    runs += [(f"seed {SEED + 1} from nothing", o) for o in from_nothing]
    runs += [(f"seed {SEED} {mode}, perfect answers", o) for mode, outcomes in perfect.items() for o in outcomes]
    return runs


def test_enough_people_are_simulated(from_text, from_nothing):
    assert len(from_text) + len(from_nothing) >= 2000


def test_no_question_is_asked_twice(kb, from_text, from_nothing, perfect):
    bad = [
        f"{run} #{o.person.index}: {o.repeated or o.stop}"
        for run, o in _all(from_text, from_nothing, perfect)
        if o.repeated or o.stop == "runaway" or len({f for f, _ in o.asked}) != len(o.asked)
    ]
    assert not bad, f"{len(bad)} interviews asked a question twice: {bad[:20]}"


def test_no_interview_stops_while_a_red_flag_that_matters_is_unasked(kb, from_text, from_nothing, perfect):
    """At the stop, no red flag the person has and never answered (a reading of their words is not
    an answer) would, answered present, raise the final level to emergency care or above."""
    bad = [
        f"{run} #{o.person.index} ({o.person.condition}, {o.person.age} {o.person.sex}): stopped at {o.level}, "
        f"unasked {o.missed_emergency}"
        for run, o in _all(from_text, from_nothing, perfect)
        if o.missed_emergency
    ]
    assert not bad, f"{len(bad)} interviews stopped with a red flag unasked that would raise the level: {bad[:20]}"


@pytest.mark.parametrize("run", ["from_text", "from_nothing"])
def test_emergency_recall_meets_the_floor(request, run):
    outcomes = request.getfixturevalue(run)
    summary = report(outcomes, worst=5)
    recall = summary["overall"]["emergency_recall"]
    print(f"\n{run}: emergency recall {recall} of {summary['overall']['emergency_n']}")
    assert recall is not None and recall >= EMERGENCY_RECALL_FLOOR, format_report(summary)


PERFECT_RECALL_FLOOR = 0.98
"""With perfect answers, for every rule demanding emergency care; the few below 1.0 are
combinations of findings that are not red flags themselves (a past cancer with back pain and
numbness), none of them known until asked (seed 1: 0.989 from text, 0.992 from nothing)."""


def _has_red_flag_finding(kb, o: Outcome) -> bool:
    """The person's emergency rests on a rule with a red-flag finding that they have."""
    rules = {flag.id: flag for flag in kb.triage.red_flags}
    return any(
        kb.findings[f].red_flag and o.person.truth[f] == "present"
        for rule in o.person.true_rules
        for f in (*rules[rule].when.present, *rules[rule].when.any_present)
    )


@pytest.mark.parametrize("mode", ["from text", "from nothing"])
def test_perfect_answers_send_every_red_flag_emergency_to_emergency(kb, perfect, mode):
    outcomes = perfect[mode]
    assert outcomes, "no simulated person had a red flag demanding emergency care"
    missed = [
        f"#{o.person.index} ({o.person.condition}): rules {list(o.person.true_rules)}, given {o.level}, "
        f"unasked {o.missed + o.missed_triggers}"
        for o in outcomes
        if o.level not in EMERGENCY
    ]
    recall = 1 - len(missed) / len(outcomes)
    assert recall >= PERFECT_RECALL_FLOOR, f"recall {recall:.3f} of {len(outcomes)}; missed {len(missed)}: {missed[:20]}"
    with_flag = [o for o in outcomes if _has_red_flag_finding(kb, o)]
    assert with_flag
    flag_missed = [f"#{o.person.index}: {list(o.person.true_rules)}, given {o.level}" for o in with_flag if o.level not in EMERGENCY]
    assert not flag_missed, f"a red-flag finding the person has did not reach emergency care: {flag_missed[:20]}"


def test_a_person_is_the_same_under_any_behaviour(kb):
    a = draw_person(kb, 7, 3, Behaviour())
    b = draw_person(kb, 7, 3, Behaviour.perfect(from_text=False))
    assert (a.age, a.sex, a.condition, a.truth, a.true_level) == (b.age, b.sex, b.condition, b.truth, b.true_level)
    assert b.readings == () and b.answers == b.truth
    assert draw_person(kb, 7, 3, Behaviour()) == a
