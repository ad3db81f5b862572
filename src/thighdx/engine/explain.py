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
    contributions: tuple[Contribution, ...]
    """Sorted by size, largest first."""
    would_change: tuple[WhatIf, ...]
    """Unanswered findings that would move this condition most."""

    @property
    def supporting(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.log_lr > 0)

    @property
    def opposing(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.log_lr < 0)


def _mixture(p: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    total = weights.sum()
    if total <= 0:
        return p.mean(axis=0)  # type: ignore[no-any-return]
    return (weights[:, None] * p).sum(axis=0) / total  # type: ignore[no-any-return]


def group_rows(model: Model, rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sum row-level probabilities (rows on axis 0) into conditions plus "something else"."""
    if model.row_condition.size == model.n_conditions + 1:
        return rows
    starts = np.flatnonzero(np.r_[True, model.row_condition[1:] != model.row_condition[:-1]])
    return np.add.reduceat(rows, starts, axis=0)  # type: ignore[no-any-return]


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


def explain(
    kb: KnowledgeBase,
    evidence: Evidence,
    ranking: Ranking,
    condition_ids: list[str] | None = None,
    top_what_if: int = 5,
) -> list[Explanation]:
    """An explanation for each requested condition (all by default), in ranking order."""
    model = compile_model(kb)
    row_post = ranking.row_posterior
    answered = [(f, c) for f, c in evidence.answers.items() if c in ("present", "absent")]
    cols = np.asarray([model.finding_index[f] for f, _ in answered], dtype=np.intp)
    present_mask = np.asarray([c == "present" for _, c in answered], dtype=bool)
    unanswered = np.asarray(
        [i for i, f in enumerate(model.finding_ids) if f not in evidence.answers], dtype=np.intp
    )
    if unanswered.size:
        yes, no, _ = what_if(model, row_post, unanswered)
    wanted = condition_ids or [c for c, _ in ranking.ranked()]
    result = []
    for condition_id in wanted:
        c = model.condition_ids.index(condition_id)
        in_c = model.row_condition == c
        p_c = _mixture(model.p[in_c][:, cols], row_post[in_c]) if cols.size else np.zeros(0)
        p_rest = _mixture(model.p[~in_c][:, cols], row_post[~in_c]) if cols.size else np.zeros(0)
        like_c = np.where(present_mask, p_c, 1.0 - p_c)
        like_rest = np.where(present_mask, p_rest, 1.0 - p_rest)
        lr = np.log(like_c) - np.log(like_rest)
        contributions = sorted(
            (Contribution(f, ch, float(v)) for (f, ch), v in zip(answered, lr, strict=True)),
            key=lambda x: -abs(x.log_lr),
        )
        changes: list[WhatIf] = []
        if unanswered.size:
            now = ranking.probabilities[c]
            swing = np.maximum(np.abs(yes[c] - now), np.abs(no[c] - now))
            for j in np.argsort(-swing, kind="stable")[:top_what_if]:
                changes.append(WhatIf(model.finding_ids[unanswered[j]], float(yes[c, j]), float(no[c, j])))
        result.append(
            Explanation(condition_id, float(ranking.probabilities[c]), tuple(contributions), tuple(changes))
        )
    return result


__all__ = ["Contribution", "Explanation", "WhatIf", "explain", "group_rows", "what_if"]
