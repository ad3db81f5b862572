"""Questions that decide the triage level: red-flag combinations and condition rules that an
answer would complete, and answers that would carry a condition across its level's threshold.

Each is valued by the change in level it is expected to bring (chance x levels moved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.broader import settled_by_broader
from thighdx.engine.evidence import Evidence
from thighdx.engine.model import compile_model
from thighdx.engine.posterior import Ranking, normalise, to_conditions
from thighdx.engine.rules import matches, satisfiable
from thighdx.engine.triage import (
    DOUBT_MARGIN,
    Triage,
    beyond_home_care,
    condition_level,
    counted_conditions,
    deciding_rule,
    rank,
    screening_gate,
    triage_level,
)
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS, When


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

        condition = kb.conditions[condition_id]
        for rule in condition.triage.rules:
            candidates.append((rule.when, given))
        deciding = deciding_rule(condition, evidence)
        if deciding is not None:  # it holds while its `not_present` findings stay unsaid: a "yes" to
            # one ends it whatever the cause turns out to be, so that "yes" has its overall chance
            candidates += [(When(present=[f]), marginal) for f in deciding.when.not_present]
    now = rank(current.level)
    widest = len(LEVELS) - 1 - max(now, URGENT_FROM) if upward_only else max(len(LEVELS) - 1 - now, now)
    with np.errstate(divide="ignore"):
        log_rows = np.log(weights)
    best: tuple[float, str] | None = None
    levels_after: dict[tuple[tuple[str, str], ...], int] = {}  # the same answers: the same level
    settled = settled_by_broader(kb, evidence)
    for when, chance in candidates:
        if matches(when, evidence) or not satisfiable(when, evidence):
            continue
        needed, total = _needed(when, evidence, chance)
        if any(f in settled and a == "present" for f, a, _ in needed):
            continue  # needs a finding whose broader findings were all answered "no"
        needed = [n for n in needed if n[0] not in settled]
        key = tuple(sorted((f, a) for f, a, _ in needed))
        if not needed or total * widest < max(kb.interview.triage_min_change, best[0] if best else 0):
            continue
        if key not in levels_after:
            after = evidence
            trial = log_rows.copy()
            for f, answer, _ in needed:
                after = after.with_answer(f, answer)
                j = model.finding_index[f]
                trial += model.log_p[:, j] if answer == "present" else model.log_q[:, j]
            probabilities = to_conditions(model, normalise(trial))[:-1]
            levels_after[key] = triage_level(kb, after, model.condition_ids, probabilities)
        level_after = levels_after[key]
        jump = max(level_after - max(now, URGENT_FROM), 0) if upward_only else abs(level_after - now)
        value = total * jump
        if jump == 0 or value < kb.interview.triage_min_change or (best and value <= best[0]):
            continue
        best = (value, min(needed, key=lambda n: n[2])[0])
    return best


class Crossing(NamedTuple):
    """The conditions that could cross a threshold and their chances after each candidate's answer."""

    levels: NDArray[np.intp]
    needed: NDArray[np.float64]
    p_yes: NDArray[np.float64]
    yes: NDArray[np.float64]
    no: NDArray[np.float64]
    red: int


def crossing_table(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking, current: Triage, candidates: NDArray[np.intp]) -> Crossing:
    model = compile_model(kb)
    thresholds = kb.triage.posterior.thresholds
    # A condition with probability w can only cross a threshold t on an answer whose own chance
    # is at most w / t, so it can move the level by at most 4 w / t in expectation: conditions
    # below `floor_p` cannot reach `triage_min_change` and are left out (exactly, for the thresholds).
    floor_p = kb.interview.triage_min_change * min(thresholds.values(), default=1.0) / (len(LEVELS) - 1)
    probabilities = ranking.probabilities
    kept = np.zeros(model.n_conditions + 1, dtype=bool)  # the last: something else, never kept
    kept[:-1] = probabilities >= floor_p
    kept[int(np.argmax(probabilities))] = True
    conditions = list(kb.conditions.values())
    # every condition that demands more than home care is kept too, however unlikely: the doubt
    # about home care (`home_care_in_doubt`) sums them all
    for i, beyond in enumerate(beyond_home_care(kb)):
        if not kept[i] and (beyond or (beyond is None and rank(condition_level(conditions[i], evidence)[0]) > 0)):
            kept[i] = True
    keep = np.flatnonzero(kept)
    levels = np.asarray([rank(condition_level(conditions[c], evidence)[0]) for c in keep.tolist()])
    needed = np.asarray([thresholds.get(LEVELS[lv], 1.0) for lv in levels.tolist()])
    w = ranking.row_posterior
    rows = np.flatnonzero(kept[model.row_condition])
    p = model.p[:, candidates]
    p_yes = w @ p
    joint_yes = w[rows, None] * p[rows]
    kept_rows = model.row_condition[rows]
    starts = np.flatnonzero(np.concatenate(([True], kept_rows[1:] != kept_rows[:-1])))
    yes = np.add.reduceat(joint_yes, starts, axis=0) / p_yes
    no = (probabilities[keep][:, None] - yes * p_yes) / (1.0 - p_yes)
    red = max((rank(r.level) for r in current.reasons if r.kind == "red_flag"), default=0)
    return Crossing(levels, needed, p_yes, yes, no, red)


def levels_after(kb: KnowledgeBase, evidence: Evidence, table: Crossing, dist: NDArray[np.float64]) -> NDArray[np.intp]:
    """The level after each candidate's answer, from the kept conditions' probabilities after it
    (`dist`, conditions x candidates), by the rules of `triage_level`: a cause counts when over
    its level's threshold, or when it leads with at least `leader_min`; when none counts, the
    level for an unclear picture; never below the red flags matched now, nor home care while a
    universal safety question is open. The level each condition demands is the one for the
    current answers: a condition rule or a red flag that the candidate's own answer completes is
    not seen here (`rule_question` weighs those), so a change can be missed, never invented."""
    posterior_rules = kb.triage.posterior
    reached = dist >= table.needed[:, None]
    leads = dist.max(axis=0) >= posterior_rules.leader_min
    over = np.where(reached, table.levels[:, None], 0).max(axis=0)
    top = np.where(leads, table.levels[np.argmax(dist, axis=0)], 0)
    level = np.where(reached.any(axis=0) | leads, np.maximum(over, top), rank(posterior_rules.unclear_level))
    # `home_care_in_doubt` (every condition that demands more is kept)
    doubt = (dist * (table.levels > 0)[:, None]).sum(axis=0) >= posterior_rules.thresholds.get(LEVELS[1], 1.0) - DOUBT_MARGIN
    level = np.where((level == 0) & doubt, 1, level)
    gate = 1 if screening_gate(kb, evidence) else 0
    return np.maximum(np.maximum(level, table.red), gate)


def crossing_question(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking,
    current: Triage,
    candidates: NDArray[np.intp],
    upward_only: bool = False,
    memo: dict[str, object] | None = None,
) -> tuple[float, str] | None:
    """The finding whose answer is expected to move the level most (conditions crossing thresholds).
    `memo` keeps what both directions share, for a second call on the same state."""
    if candidates.size == 0:
        return None
    found = memo.get("crossing") if memo is not None else None
    table = found if isinstance(found, Crossing) else crossing_table(kb, evidence, ranking, current, candidates)
    if memo is not None:
        memo["crossing"] = table
    p_yes = table.p_yes
    after_yes, after_no = levels_after(kb, evidence, table, table.yes), levels_after(kb, evidence, table, table.no)
    if upward_only:  # only levels above a routine appointment count as a rise worth asking first
        base = max(rank(current.level), URGENT_FROM)
        changes = p_yes * np.maximum(after_yes - base, 0) + (1.0 - p_yes) * np.maximum(after_no - base, 0)
    else:
        now = rank(current.level)
        changes = p_yes * np.abs(after_yes - now) + (1.0 - p_yes) * np.abs(after_no - now)
    j = int(np.argmax(changes))
    if changes[j] < kb.interview.triage_min_change:
        return None
    return float(changes[j]), compile_model(kb).finding_ids[candidates[j]]


def triage_question(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking,
    current: Triage,
    candidates: NDArray[np.intp],
    upward_only: bool = False,
    memo: dict[str, object] | None = None,
) -> tuple[float, str] | None:
    """The question expected to change the triage level most (or raise it, with `upward_only`),
    with that expected change in levels. `memo` (an empty dict, then the same one for a second
    call on the same state) keeps the work both directions share."""
    found = [q for q in (rule_question(kb, evidence, ranking, current, upward_only),
                         crossing_question(kb, evidence, ranking, current, candidates, upward_only, memo)) if q]
    if not found:
        return None
    value, finding = max(found)
    return value, finding
