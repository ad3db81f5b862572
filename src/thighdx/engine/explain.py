"""Explain: how much each answer pushed each condition up or down, and what would change it.

An answer's contribution to condition c is its log likelihood ratio: log P(answer | c) over
log P(answer | not c), where "not c" is every other candidate weighted by its current
probability, and a family condition's forms are weighted by theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.model import Model, compile_model
from thighdx.engine.posterior import Ranking
from thighdx.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class Contribution:
    finding: str
    choice: str
    log_lr: float
    """Positive: the answer supports the condition; negative: it speaks against it."""


@dataclass(frozen=True)
class WhatIf:
    finding: str
    if_present: float
    if_absent: float
    """The condition's probability if the finding were answered present / absent."""


@dataclass(frozen=True)
class Explanation:
    condition: str
    probability: float
    answered: tuple[tuple[str, str], ...]
    log_lrs: tuple[float, ...]
    """One signed log likelihood ratio per answered finding, in `answered` order."""
    change_findings: tuple[str, ...]
    change_if_present: NDArray[np.float64]
    change_if_absent: NDArray[np.float64]

    @property
    def would_change(self) -> tuple[WhatIf, ...]:
        """Unanswered findings that would move this condition most, the biggest first."""
        return tuple(
            WhatIf(f, float(y), float(n))
            for f, y, n in zip(self.change_findings, self.change_if_present, self.change_if_absent, strict=True)
        )

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """Each answer's contribution, largest first."""
        items = (Contribution(f, c, v) for (f, c), v in zip(self.answered, self.log_lrs, strict=True))
        return tuple(sorted(items, key=lambda x: -abs(x.log_lr)))

    @property
    def supporting(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.log_lr > 0)

    @property
    def opposing(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.log_lr < 0)


def group_rows(model: Model, rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sum row-level probabilities (rows on axis 0) into conditions plus "something else"."""
    if model.group_starts is None:
        return rows
    return np.add.reduceat(rows, model.group_starts, axis=0)


def what_if(
    model: Model, row_post: NDArray[np.float64], candidates: NDArray[np.intp]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Condition probabilities after answering each candidate finding present or absent.

    Returns (yes, no, p_yes): yes and no have shape (conditions + 1, len(candidates));
    p_yes is the chance of a "present" answer for each candidate.
    """
    joint_yes = row_post[:, None] * model.p[:, candidates]
    joint_no = row_post[:, None] - joint_yes
    p_yes = joint_yes.sum(axis=0)
    yes = group_rows(model, joint_yes) / p_yes
    no = group_rows(model, joint_no) / (1.0 - p_yes)
    return yes, no, p_yes


def _dense_changes(
    model: Model, row_post: NDArray[np.float64], free: NDArray[np.intp], k: int
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """`biggest_changes` by brute force, faster when conditions list most findings anyway."""
    yes, no, _ = what_if(model, row_post, free)
    now = group_rows(model, row_post)[:, None]
    swing = np.maximum(np.abs(yes - now), np.abs(no - now))
    k = min(k, free.size)
    best = np.argsort(-swing, axis=1, kind="stable")[:, :k]
    return free[best], np.take_along_axis(yes, best, axis=1), np.take_along_axis(no, best, axis=1)


def biggest_changes(
    model: Model, row_post: NDArray[np.float64], answered: NDArray[np.bool_], k: int
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """For every condition, the k unanswered findings whose answer would move it most.

    Exact, and sparse: a finding at a condition's default likelihood moves it by an amount
    that only grows as the finding's overall chance P moves away from that default, so the
    winners are among the condition's own listed findings and the findings with the most
    extreme P. Returns (finding index, probability if present, if absent), each (C + 1, k).
    """
    free = np.flatnonzero(~answered)
    width = model.explicit.shape[1]
    if 2 * width >= free.size:
        return _dense_changes(model, row_post, free, k)
    p_yes = row_post @ model.p
    reach = min(free.size, k + width)
    order = np.argsort(p_yes[free], kind="stable")
    extremes = np.unique(np.concatenate([free[order[:reach]], free[order[free.size - reach :]]]))
    groups = model.explicit.shape[0]
    cand = np.concatenate([model.explicit, np.broadcast_to(extremes, (groups, extremes.size))], axis=1)
    invalid = cand < 0
    cand = np.where(invalid, extremes[0] if extremes.size else 0, cand)
    gathered = np.take_along_axis(model.p, cand[model.row_condition], axis=1)
    joint = group_rows(model, row_post[:, None] * gathered)
    mass = group_rows(model, row_post)[:, None]
    p_c = p_yes[cand]
    yes = joint / p_c
    no = (mass - joint) / (1.0 - p_c)
    swing = np.maximum(np.abs(yes - mass), np.abs(no - mass))
    # an extreme that is also one of the condition's own findings is counted once
    duplicate = np.zeros_like(invalid)
    duplicate[:, width:] = np.take_along_axis(model.explicit_mask, cand[:, width:], axis=1)
    swing = np.where(invalid | duplicate | answered[cand], -np.inf, swing)
    k = min(k, cand.shape[1])
    best = np.argpartition(-swing, k - 1, axis=1)[:, :k]
    best = np.take_along_axis(best, np.argsort(-np.take_along_axis(swing, best, axis=1), axis=1, kind="stable"), axis=1)
    keep = np.take_along_axis(swing, best, axis=1) > -np.inf
    pick = np.take_along_axis(cand, best, axis=1)
    return (
        np.where(keep, pick, -1),
        np.take_along_axis(yes, best, axis=1),
        np.take_along_axis(no, best, axis=1),
    )


def explain(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking,
    condition_ids: list[str] | None = None,
    top_what_if: int = 5,
) -> list[Explanation]:
    """An explanation for each requested condition (all by default), in ranking order."""
    model = compile_model(kb)
    weights = ranking.row_posterior
    answered = [(f, c) for f, c in evidence.answers.items() if c in ("present", "absent")]
    cols = np.asarray([model.finding_index[f] for f, _ in answered], dtype=np.intp)
    present = np.asarray([c == "present" for _, c in answered], dtype=bool)
    p = model.p[:, cols]
    like = np.where(present, p, 1.0 - p)
    # P(answer | condition): the condition's forms weighted by their current probability
    # (equal weights when that probability underflows); P(answer | not condition): the rest.
    mass = group_rows(model, weights)
    joint = group_rows(model, weights[:, None] * like)
    counts = group_rows(model, np.ones_like(weights))
    plain = group_rows(model, like) / counts[:, None]
    safe_mass = np.where(mass > 1e-300, mass, 1.0)
    like_c = np.where((mass > 1e-300)[:, None], joint / safe_mass[:, None], plain)
    rest_mass = np.maximum(1.0 - mass, 1e-300)
    like_rest = np.clip((joint.sum(axis=0) - joint) / rest_mass[:, None], 1e-300, None)
    log_lr = np.log(like_c) - np.log(like_rest)

    position = {c: i for i, c in enumerate(model.condition_ids)}
    wanted = condition_ids or [c for c, _ in ranking.ranked()]
    answered_mask = np.zeros(len(model.finding_ids), dtype=bool)
    answered_mask[[model.finding_index[f] for f in evidence.answers]] = True
    has_changes = not answered_mask.all() and top_what_if > 0
    if has_changes:
        picks, yes, no = biggest_changes(model, weights, answered_mask, top_what_if)
    else:
        picks = np.full((model.n_conditions + 1, 0), -1, dtype=np.intp)
        yes = no = np.zeros((model.n_conditions + 1, 0))
    answered_t = tuple(answered)
    ids = model.finding_ids
    lr_rows = log_lr.tolist()
    pick_rows = picks.tolist()
    result = []
    for condition_id in wanted:
        c = position[condition_id]
        chosen = [j for j in pick_rows[c] if j >= 0]
        n = len(chosen)
        result.append(
            Explanation(
                condition_id,
                float(ranking.probabilities[c]),
                answered_t,
                tuple(lr_rows[c]),
                tuple(ids[j] for j in chosen),
                yes[c, :n],
                no[c, :n],
            )
        )
    return result


__all__ = ["Contribution", "Explanation", "WhatIf", "biggest_changes", "explain", "group_rows", "what_if"]
