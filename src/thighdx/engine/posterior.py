"""Exact posterior over the conditions and "something else"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.model import Model, compile_model
from thighdx.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class Ranking:
    """Probabilities per condition (knowledge-base order) plus "something else"."""

    condition_ids: tuple[str, ...]
    probabilities: NDArray[np.float64]
    other_probability: float
    row_posterior: NDArray[np.float64]
    """Posterior per model row (profiles), for the interview and explain."""

    def ranked(self) -> list[tuple[str, float]]:
        """(condition id, probability), highest first; ties keep knowledge-base order."""
        return list(self._ranked)

    @cached_property
    def _ranked(self) -> tuple[tuple[str, float], ...]:
        order = np.argsort(-self.probabilities, kind="stable").tolist()
        values = self.probabilities.tolist()
        return tuple((self.condition_ids[i], values[i]) for i in order)

    def probability(self, condition_id: str) -> float:
        return float(self.probabilities[self.condition_ids.index(condition_id)])

    @property
    def top(self) -> str:
        return self._ranked[0][0]


def row_log_posterior(model: Model, evidence: Evidence) -> NDArray[np.float64]:
    """Unnormalised log posterior per row."""
    present, absent = model.indices(evidence)
    log_post = model.prior(evidence)
    if present.size:
        log_post = log_post + model.log_p[:, present].sum(axis=1)
    if absent.size:
        log_post = log_post + model.log_q[:, absent].sum(axis=1)
    return log_post


def normalise(log_post: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = np.exp(log_post - log_post.max())
    return shifted / shifted.sum()  # type: ignore[no-any-return]


def to_conditions(model: Model, row_post: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sum row probabilities into conditions (last entry: something else)."""
    return np.bincount(model.row_condition, weights=row_post, minlength=model.n_conditions + 1)


def posterior(kb: KnowledgeBase, evidence: Evidence) -> Ranking:
    """The exact posterior for this person; unknown answers change nothing."""
    model = compile_model(kb)
    row_post = normalise(row_log_posterior(model, evidence))
    totals = to_conditions(model, row_post)
    return Ranking(
        condition_ids=model.condition_ids,
        probabilities=totals[:-1],
        other_probability=float(totals[-1]),
        row_posterior=row_post,
    )
