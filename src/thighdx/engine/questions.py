"""The next best question, red-flag screening and knowing when to stop.

Three kinds of question, in this order of priority:

1. ranking: the unanswered finding with the highest expected information gain (bits)
   about which condition it is, while the leading cause is not yet settled;
2. triage: a finding named in a triage rule whose answer has a real chance of changing
   the triage level;
3. screening: red flags asked of everyone (`screen: always`) and those whose chance of
   being present, given the answers so far, exceeds the knowledge base's threshold, when
   a "yes" would raise the level. The interview never stops before these are asked.

When the question budget is nearly spent, screening goes first, so it is never skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.explain import what_if
from thighdx.engine.model import Model, compile_model
from thighdx.engine.posterior import Ranking, normalise, posterior, to_conditions
from thighdx.engine.rules import matches, satisfiable
from thighdx.engine.triage import Triage, condition_level, counted_conditions, rank, triage, triage_level
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS, When


@dataclass(frozen=True)
class Question:
    finding: str
    purpose: str
    """`ranking`, `triage` or `screening`."""
    gain_bits: float
    separates: tuple[str, str] | None
    """The two likely conditions this answer tells apart best (ranking questions)."""
    items: tuple[str, ...] = ()
    """Other findings of the same group worth asking on the same screen."""


@dataclass(frozen=True)
class NextStep:
    question: Question | None
    should_stop: bool
    pending_screening: tuple[str, ...]
    """Red flags still to be screened."""


def kb_level_weight(model: Model) -> float:
    return model.level_weight


def binary_entropy(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """h(p) in bits, elementwise."""
    q = np.clip(p, 1e-15, 1.0 - 1e-15)
    return -(q * np.log2(q) + (1.0 - q) * np.log2(1.0 - q))  # type: ignore[no-any-return]


def information_gain(model: Model, ranking: Ranking, candidates: NDArray[np.intp]) -> NDArray[np.float64]:
    """Expected information gain (bits) about the condition from each candidate's answer,
    plus `level_weight` times the gain about the level the condition demands (so questions
    that tell a dangerous cause from a harmless one count for more).

    The mutual information I(condition; answer) = h(P(yes)) - sum_c P(c) h(P(yes | c)),
    which equals the expected fall in the entropy of the ranking, computed in one pass.
    A family condition's answer probability mixes its forms by their current weight.
    """
    w = ranking.row_posterior
    p_yes = w @ model.p[:, candidates]
    conditional = (w * model.single_rows) @ model.h_p[:, candidates]
    for rows in model.family_rows:
        mass = w[rows].sum()
        if mass > 0:
            mixed = (w[rows] @ model.p[np.ix_(rows, candidates)]) / mass
            conditional += mass * binary_entropy(mixed)
    by_condition = binary_entropy(p_yes) - conditional
    weight = kb_level_weight(model)
    if weight == 0:
        return by_condition  # type: ignore[no-any-return]
    # the same over the groups of conditions that demand the same level, in one product
    by_level_weights = model.level_onehot * w
    mass = by_level_weights.sum(axis=1)
    mixed = (by_level_weights @ model.p[:, candidates]) / np.where(mass > 0, mass, 1.0)[:, None]
    by_level = binary_entropy(p_yes) - mass @ binary_entropy(mixed)
    return by_condition + weight * by_level  # type: ignore[no-any-return]


def answer_rates(kb: KnowledgeBase, model: Model) -> NDArray[np.float64]:
    """Per finding, the chance a person can answer it (clinicians' tests are often unknown)."""
    cached = kb._cache.get("answer_rates")
    if cached is None:
        settings = kb.interview
        cached = np.asarray(
            [settings.answer_rate.get(f, settings.answer_rate_by_kind.get(kb.findings[f].kind, 1.0))
             for f in model.finding_ids]
        )
        kb._cache["answer_rates"] = cached
    return cached  # type: ignore[no-any-return]


def leader_may_change(
    kb: KnowledgeBase, model: Model, ranking: Ranking, candidates: NDArray[np.intp], gains: NDArray[np.float64],
    shortlist: int = 12,
) -> bool:
    """Could one of the most informative questions still change which cause leads?"""
    best = np.argsort(-gains, kind="stable")[:shortlist]
    chosen = candidates[best]
    yes, no, p_yes = what_if(model, ranking.row_posterior, chosen)
    leader = int(np.argmax(np.append(ranking.probabilities, ranking.other_probability)))
    change = p_yes * (yes.argmax(axis=0) != leader) + (1.0 - p_yes) * (no.argmax(axis=0) != leader)
    change = change * answer_rates(kb, model)[chosen]
    return bool(change.max() >= kb.interview.leader_min_change)


def group_items(
    kb: KnowledgeBase, model: Model, finding: str, candidates: NDArray[np.intp], gains: NDArray[np.float64]
) -> tuple[str, ...]:
    """The other unanswered findings of `finding`'s group when that group is asked on one screen."""
    group = kb.findings[finding].group
    if group is None or group not in kb.interview.grouped:
        return ()
    ranked = sorted(
        ((float(g), model.finding_ids[c]) for c, g in zip(candidates, gains, strict=True)),
        reverse=True,
    )
    return tuple(f for g, f in ranked if f != finding and g > 0 and kb.findings[f].group == group)


def chance_present(model: Model, ranking: Ranking, finding: str) -> float:
    """The chance this person would answer `finding` present, given what is known."""
    return float(ranking.row_posterior @ model.p[:, model.finding_index[finding]])


def separates(kb: KnowledgeBase, model: Model, ranking: Ranking, finding: str) -> tuple[str, str] | None:
    """The pair of likely conditions whose answers to `finding` differ most."""
    column = model.p[:, model.finding_index[finding]]
    probs = ranking.probabilities
    top = [i for i in np.argsort(-probs, kind="stable")[:5]]
    best, pair = 0.0, None
    for a_pos, a in enumerate(top):
        for b in top[a_pos + 1 :]:
            pa = column[model.row_condition == a].mean()
            pb = column[model.row_condition == b].mean()
            score = probs[a] * probs[b] * abs(pa - pb)
            if score > best:
                best, pair = score, (model.condition_ids[a], model.condition_ids[b])
    return pair


def _screen_triggers(kb: KnowledgeBase) -> list[tuple[str, bool, int, list[tuple[int, tuple[str, ...]]]]]:
    """For each screening finding: universal or not, the highest level it demands on its own, and
    the combinations it can complete (level, the other findings they need present)."""
    cached = kb._cache.get("screen_triggers")
    if cached is None:
        cached = []
        for finding in kb.findings.values():
            if finding.screen == "never":
                continue
            triggers = [
                (rank(flag.level), tuple(f for f in flag.when.present if f != finding.id))
                for flag in kb.triage.red_flags
                if finding.id in flag.when.any_present or finding.id in flag.when.present
            ]
            alone = max((level for level, others in triggers if not others), default=-1)
            combos = [(level, others) for level, others in triggers if others and level > alone]
            cached.append((finding.id, finding.screen == "always", alone, combos))
        kb._cache["screen_triggers"] = cached
    return cached  # type: ignore[no-any-return]


def pending_screening(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage) -> list[str]:
    """Red flags still to ask: a "yes" would raise the level, and they are universal or likely enough."""
    model = compile_model(kb)
    threshold = kb.triage.screening.risk_threshold
    now = rank(current.level)
    answers = evidence.answers
    pending: list[tuple[int, float, str]] = []
    marginal = None
    for finding, universal, alone, combos in _screen_triggers(kb):
        if finding in answers:
            continue
        if alone <= now and not any(
            level > now and all(answers.get(f) == "present" for f in others) for level, others in combos
        ):
            continue
        if marginal is None:
            marginal = ranking.row_posterior @ model.p
        risk = float(marginal[model.finding_index[finding]])
        if universal or risk > threshold:
            pending.append((0 if universal else 1, -risk, finding))
    return [f for _, _, f in sorted(pending)]


def _needed(
    when: When, evidence: Evidence, chance: Callable[[str], float]
) -> tuple[list[tuple[str, str, float]], float]:
    """The unanswered findings `when` needs, each with the answer and its chance; and the chance of all."""
    needed: list[tuple[str, str, float]] = []
    for f in when.present:
        if f not in evidence.answers:
            needed.append((f, "present", chance(f)))
    for f in when.absent:
        if f not in evidence.answers:
            needed.append((f, "absent", 1.0 - chance(f)))
    if when.any_present and not any(evidence.choice(f) == "present" for f in when.any_present):
        options = [(f, "present", chance(f)) for f in when.any_present if f not in evidence.answers]
        needed.append(max(options, key=lambda o: o[2]))
    total = 1.0
    for _, _, c in needed:
        total *= c
    return needed, total


SCREENING_MARGIN = 3
"""Pending red flags are asked first once the questions left are within this many of their
number: a late answer can make further red flags likely, and the cap must not cut them."""
URGENT_FROM = LEVELS.index("consultation")
"""Questions asked first are those that may raise the level beyond a routine appointment."""


def rule_question(
    kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage, upward_only: bool = False
) -> tuple[float, str] | None:
    """The rule (red flag or condition level) whose match would change the level most, in expectation.

    A rule's value is the chance it matches times the number of levels it would move, so a
    rare but dangerous combination (trauma with back pain) is still asked about. Returns the
    value and the finding to ask first: the one least likely to come out as the
    rule needs, so a rule that will not match is dropped after one question.
    """
    model = compile_model(kb)
    position = {c: i for i, c in enumerate(model.condition_ids)}
    weights = ranking.row_posterior
    marginal_all = weights @ model.p
    candidates: list[tuple[When, Callable[[str], float]]] = []

    def marginal(f: str) -> float:
        return float(marginal_all[model.finding_index[f]])

    for flag in kb.triage.red_flags:
        if rank(flag.level) > rank(current.level):
            candidates.append((flag.when, marginal))
    for condition_id in counted_conditions(kb, ranking):
        in_c = model.row_condition == position[condition_id]
        mass = weights[in_c].sum()
        mixed = (weights[in_c] @ model.p[in_c]) / mass if mass > 0 else model.p[in_c].mean(axis=0)

        def given(f: str, mixed: NDArray[np.float64] = mixed) -> float:
            return float(mixed[model.finding_index[f]])

        for rule in kb.conditions[condition_id].triage.rules:
            candidates.append((rule.when, given))
    now = rank(current.level)
    widest = len(LEVELS) - 1 - max(now, URGENT_FROM) if upward_only else max(len(LEVELS) - 1 - now, now)
    with np.errstate(divide="ignore"):
        log_rows = np.log(weights)
    best: tuple[float, str] | None = None
    seen: set[tuple[tuple[str, str], ...]] = set()
    for when, chance in candidates:
        if matches(when, evidence) or not satisfiable(when, evidence):
            continue
        needed, total = _needed(when, evidence, chance)
        key = tuple(sorted((f, a) for f, a, _ in needed))
        if not needed or key in seen or total * widest < max(kb.interview.triage_min_change, best[0] if best else 0):
            continue
        seen.add(key)
        after = evidence
        trial = log_rows.copy()
        for f, answer, _ in needed:
            after = after.with_answer(f, answer)
            j = model.finding_index[f]
            trial += model.log_p[:, j] if answer == "present" else model.log_q[:, j]
        probabilities = to_conditions(model, normalise(trial))[:-1]
        level_after = triage_level(kb, after, model.condition_ids, probabilities)
        jump = max(level_after - max(now, URGENT_FROM), 0) if upward_only else abs(level_after - now)
        value = total * jump
        if jump == 0 or value < kb.interview.triage_min_change or (best and value <= best[0]):
            continue
        best = (value, min(needed, key=lambda n: n[2])[0])
    return best


def crossing_question(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking,
    current: Triage,
    candidates: NDArray[np.intp],
    upward_only: bool = False,
) -> tuple[float, str] | None:
    """The finding whose answer is expected to move the level most (conditions crossing thresholds)."""
    model = compile_model(kb)
    if candidates.size == 0:
        return None
    thresholds = kb.triage.posterior.thresholds
    # A condition with probability w can only cross a threshold t on an answer whose own chance
    # is at most w / t, so it can move the level by at most 4 w / t in expectation: conditions
    # below `floor_p` cannot reach `triage_min_change` and are left out (exactly).
    floor_p = kb.interview.triage_min_change * min(thresholds.values(), default=1.0) / (len(LEVELS) - 1)
    probabilities = ranking.probabilities
    keep = np.flatnonzero(probabilities >= floor_p)
    keep = np.union1d(keep, [int(np.argmax(probabilities))])
    conditions = list(kb.conditions.values())
    levels = np.asarray([rank(condition_level(conditions[c], evidence)[0]) for c in keep])
    needed = np.asarray([thresholds.get(LEVELS[lv], 1.0) for lv in levels])  # type: ignore[call-overload]
    w = ranking.row_posterior
    rows = np.flatnonzero(np.isin(model.row_condition, keep))
    p_yes = w @ model.p[:, candidates]
    joint_yes = w[rows, None] * model.p[np.ix_(rows, candidates)]
    starts = np.flatnonzero(np.r_[True, model.row_condition[rows][1:] != model.row_condition[rows][:-1]])
    yes = np.add.reduceat(joint_yes, starts, axis=0) / p_yes
    no = (probabilities[keep][:, None] - yes * p_yes) / (1.0 - p_yes)
    floor = np.asarray([rank(current.level)])
    red = max((rank(r.level) for r in current.reasons if r.kind == "red_flag"), default=0)

    def level_after(dist: NDArray[np.float64]) -> NDArray[np.intp]:
        over = np.where(dist >= needed[:, None], levels[:, None], 0)
        top = levels[np.argmax(dist, axis=0)]
        return np.maximum(np.maximum(over.max(axis=0), top), red)  # type: ignore[no-any-return]

    if upward_only:  # only levels above a routine appointment count as a rise worth asking first
        base = np.asarray([max(rank(current.level), URGENT_FROM)])
        changes = p_yes * np.maximum(level_after(yes) - base, 0) + (1.0 - p_yes) * np.maximum(level_after(no) - base, 0)
    else:
        changes = p_yes * np.abs(level_after(yes) - floor) + (1.0 - p_yes) * np.abs(level_after(no) - floor)
    j = int(np.argmax(changes))
    if changes[j] < kb.interview.triage_min_change:
        return None
    return float(changes[j]), model.finding_ids[candidates[j]]


def triage_question(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking,
    current: Triage,
    candidates: NDArray[np.intp],
    upward_only: bool = False,
) -> tuple[float, Question] | None:
    """The question expected to change the triage level most (or raise it, with `upward_only`),
    with that expected change in levels."""
    found = [q for q in (rule_question(kb, evidence, ranking, current, upward_only),
                         crossing_question(kb, evidence, ranking, current, candidates, upward_only)) if q]
    if not found:
        return None
    value, finding = max(found)
    return value, Question(finding, "triage", 0.0, None)


def next_step(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking | None = None,
    current: Triage | None = None,
    asked: int | None = None,
) -> NextStep:
    """What to ask next (or that the interview may stop), from any state.

    Order: the universal safety questions; a question expected to raise the triage level a
    lot (`triage_priority`); questions that settle the ranking; questions that may still
    change the level (`triage_min_change`); red flags that have become likely enough.
    `asked` counts what is already known (by default every answer, including those read from
    the person's own words, as a stateless client can send no more); it keeps the interview
    within its budgets. Red-flag screening still pending moves ahead of everything else when the
    budget runs short, so the hard cap (`max_questions`) does not cut it.
    """
    settings = kb.interview
    ranking = ranking or posterior(kb, evidence)
    current = current or triage(kb, evidence, ranking)
    asked = len(evidence.answers) if asked is None else asked
    screening = pending_screening(kb, evidence, ranking, current)
    budget_left = settings.max_questions - asked

    def screen() -> NextStep:
        return NextStep(Question(screening[0], "screening", 0.0, None), False, tuple(screening))

    if budget_left <= 0:  # a hard cap; safety questions are moved ahead of it (below) so they fit
        return NextStep(None, not screening, tuple(screening))
    if screening and (budget_left <= len(screening) + SCREENING_MARGIN or kb.findings[screening[0]].screen == "always"):
        return screen()
    model = compile_model(kb)
    candidates = np.asarray(
        [i for i, f in enumerate(model.finding_ids) if f not in evidence.answers], dtype=np.intp
    )
    if candidates.size == 0:
        return NextStep(None, True, ())
    urgent = triage_question(kb, evidence, ranking, current, candidates, upward_only=True)
    if urgent is not None and urgent[0] >= settings.triage_priority:
        return NextStep(urgent[1], False, tuple(screening))
    if float(ranking.probabilities.max()) < settings.stop_probability and asked < settings.ranking_budget:
        gains = information_gain(model, ranking, candidates) * answer_rates(kb, model)[candidates]
        j = int(np.argmax(gains))
        if gains[j] >= settings.min_gain_bits and leader_may_change(kb, model, ranking, candidates, gains):
            finding = model.finding_ids[candidates[j]]
            pair = separates(kb, model, ranking, finding)
            items = group_items(kb, model, finding, candidates, gains)
            return NextStep(Question(finding, "ranking", float(gains[j]), pair, items), False, tuple(screening))
    settle = triage_question(kb, evidence, ranking, current, candidates) if asked < settings.triage_budget else None
    if settle is not None:
        return NextStep(settle[1], False, tuple(screening))
    if screening:
        return screen()
    return NextStep(None, True, ())
