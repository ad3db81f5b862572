"""The engine's mathematics on a generated knowledge base (no clinical content)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thighdx.engine import Evidence, posterior, triage
from thighdx.engine.model import compile_model
from thighdx.errors import InputError


def test_posterior_sums_to_one(small_kb):
    ev = Evidence.build(small_kb, 40, "male", {"f10": "present", "f11": "absent"})
    r = posterior(small_kb, ev)
    assert r.probabilities.sum() + r.other_probability == pytest.approx(1.0)
    assert np.all(r.probabilities >= 0) and np.all(r.probabilities <= 1)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(0, 59).map(lambda i: f"f{i}"), st.sampled_from(["present", "absent", "unknown"]),
                       max_size=25), st.floats(0, 120), st.sampled_from(["male", "female"]))
def test_posterior_is_a_distribution_for_any_answers(small_kb, answers, age, sex):
    r = posterior(small_kb, Evidence.build(small_kb, age, sex, answers))
    total = r.probabilities.sum() + r.other_probability
    assert total == pytest.approx(1.0)
    assert np.all(np.isfinite(r.probabilities))


def test_unknown_changes_nothing(small_kb):
    base = Evidence.build(small_kb, 40, "male", {"f10": "present"})
    with_unknown = Evidence.build(small_kb, 40, "male", {"f10": "present", "f20": "unknown", "f21": "unknown"})
    assert np.allclose(posterior(small_kb, base).probabilities, posterior(small_kb, with_unknown).probabilities)


def test_present_and_absent_move_the_posterior_the_right_way(small_kb):
    model = compile_model(small_kb)
    base = Evidence.build(small_kb, 40, "male", {})
    before = posterior(small_kb, base)
    for c, condition in enumerate(small_kb.conditions.values()):
        if condition.profiles:
            continue
        for fid, fig in list(condition.likelihoods.items())[:3]:
            column = model.p[:, model.finding_index[fid]]
            marginal = float(before.row_posterior @ column)
            yes = posterior(small_kb, base.with_answer(fid, "present")).probabilities[c]
            no = posterior(small_kb, base.with_answer(fid, "absent")).probabilities[c]
            if fig.p > marginal + 1e-9:
                assert yes > before.probabilities[c] > no
            elif fig.p < marginal - 1e-9:
                assert yes < before.probabilities[c] < no


def test_matches_bayes_rule_by_hand(small_kb):
    """One condition, one finding: the engine agrees with a hand calculation."""
    model = compile_model(small_kb)
    ev = Evidence.build(small_kb, 30, "female", {"f5": "present", "f6": "absent"})
    prior = np.exp(model.prior(ev))
    j5, j6 = model.finding_index["f5"], model.finding_index["f6"]
    joint = prior * model.p[:, j5] * (1 - model.p[:, j6])
    expected = np.bincount(model.row_condition, weights=joint / joint.sum())
    r = posterior(small_kb, ev)
    assert np.allclose(np.append(r.probabilities, r.other_probability), expected)


def test_red_flag_is_never_outranked(small_kb):
    for i in range(6):
        ev = Evidence.build(small_kb, 30, "female", {f"f{i}": "present"})
        t = triage(small_kb, ev, posterior(small_kb, ev))
        assert t.level in ("emergency", "emergency_ambulance")
        assert f"rf{i}" in t.rules


@pytest.mark.parametrize(
    ("age", "sex", "answers", "field"),
    [
        (-1, "male", {}, "age"),
        (121, "male", {}, "age"),
        ("forty", "male", {}, "age"),
        (float("nan"), "male", {}, "age"),
        (40, "other", {}, "sex"),
        (40, "male", {"nope": "present"}, "evidence"),
        (40, "male", {"f1": "maybe"}, "evidence"),
    ],
)
def test_bad_input_names_the_field(small_kb, age, sex, answers, field):
    with pytest.raises(InputError) as info:
        Evidence.build(small_kb, age, sex, answers)
    assert info.value.field == field


def test_contradictory_and_duplicated_evidence(small_kb):
    with pytest.raises(InputError, match="contradictory"):
        Evidence.build(small_kb, 40, "male", [("f1", "present"), ("f1", "absent")])
    with pytest.raises(InputError, match="twice"):
        Evidence.build(small_kb, 40, "male", [("f1", "present"), ("f1", "present")])


def test_prior_table_matches_the_modifiers_at_every_age(kb):
    """The precomputed prior equals the modifiers applied one by one, at and around each age limit."""
    from thighdx.engine.model import compile_model
    from thighdx.engine.rules import matches

    model = compile_model(kb)
    limits = sorted({b for c in kb.conditions.values() for m in c.prior.modifiers
                     for b in (m.when.age_min, m.when.age_max) if b is not None})
    ages = {0, 120, *limits, *(x + d for x in limits for d in (-0.5, 0.5))}
    for sex in ("male", "female"):
        for age in sorted(a for a in ages if 0 <= a <= 120):
            ev = Evidence.build(kb, age, sex, {})
            expected = []
            for condition in kb.conditions.values():
                value = np.log(condition.prior.p)
                for m in condition.prior.modifiers:
                    if matches(m.when, ev):
                        value += np.log(m.factor)
                weights = [p.weight for p in condition.profiles] or [1.0]
                expected += [value + np.log(w) for w in weights]
            expected.append(np.log(kb.other.prior.p))
            assert np.allclose(model.prior(ev), expected), (age, sex)
