"""Exact posterior over the conditions and "something else"."""

from __future__ import annotations

from typing import cast

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.model import Model, compile_model
from thighdx.knowledge.loader import KnowledgeBase


class Ranking:
    """Probabilities per condition (knowledge-base order) plus "something else".

    Read-only by convention; a plain class with slots, as one is built for every answer.
    """

    __slots__ = ("_indices", "_ranked", "_values", "condition_ids", "other_probability", "probabilities", "row_posterior")

    def __init__(
        self,
        condition_ids: tuple[str, ...],
        probabilities: NDArray[np.float64],
        other_probability: float,
        row_posterior: NDArray[np.float64],
    ) -> None:
        self.condition_ids = condition_ids
        self.probabilities = probabilities
        self.other_probability = other_probability
        self.row_posterior = row_posterior
        """Posterior per model row (profiles), for the interview and explain."""
        self._values: list[float] | None = None
        self._ranked: tuple[tuple[str, float], ...] | None = None
        self._indices: list[int] | None = None

    def __repr__(self) -> str:
        return f"Ranking({self.ranked()[:3]}..., other={self.other_probability:.4f})"

    def ranked(self) -> list[tuple[str, float]]:
        """(condition id, probability), highest first; ties keep knowledge-base order."""
        if self._ranked is None:
            values = self.values()
            ids = self.condition_ids
            self._ranked = tuple((ids[i], values[i]) for i in self.order())
        return list(self._ranked)

    def values(self) -> list[float]:
        """The probabilities as Python floats, in knowledge-base order."""
        if self._values is None:
            self._values = self.probabilities.tolist()
        return self._values

    def order(self) -> list[int]:
        """Condition indices, most likely first; ties keep knowledge-base order."""
        if self._indices is None:
            self._indices = (-self.probabilities).argsort(kind="stable").tolist()
        return self._indices

    def ranked_rounded(self, digits: int = 4) -> list[tuple[int, float]]:
        """(condition index, probability rounded for display), highest first (by the exact values)."""
        rounded = self.probabilities.round(digits).tolist()
        return [(i, rounded[i]) for i in self.order()]

    def probability(self, condition_id: str) -> float:
        return self.values()[self.condition_ids.index(condition_id)]

    @property
    def top(self) -> str:
        return self.condition_ids[self.order()[0]]


def row_log_posterior(model: Model, evidence: Evidence) -> NDArray[np.float64]:
    """Unnormalised log posterior per row: the prior plus each answer's log likelihood (a new array)."""
    columns = model.columns(evidence)
    if model.modifiers:  # priors that depend on answers: applied per person
        log_post = model.prior(evidence)
        return log_post + np.add.reduce(model.log_pq_t.take(columns, axis=0), axis=0) if columns else log_post.copy()
    columns.append(model.prior_row(evidence))
    return np.add.reduce(model.log_pq_t.take(columns, axis=0), axis=0)  # type: ignore[no-any-return]


def normalise(log_post: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted: NDArray[np.float64] = np.exp(log_post - np.maximum.reduce(log_post))
    shifted /= np.add.reduce(shifted)
    return shifted


def to_conditions(model: Model, row_post: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sum row probabilities into conditions (last entry: something else)."""
    # numpy's stubs type bincount as integer counts; with weights it returns float64.
    return cast("NDArray[np.float64]", np.bincount(model.row_condition, weights=row_post, minlength=model.n_conditions + 1))


def to_conditions_rows(kb: KnowledgeBase, model: Model, row_post: NDArray[np.float64]) -> NDArray[np.float64]:
    """`to_conditions` of every row of a matrix in one `np.bincount`, bit for bit (each row's
    sums go to their own bins, added in the same order)."""
    count, width = row_post.shape[0], model.n_conditions + 1
    key = ("condition_bins", count)
    bins: NDArray[np.intp] | None = kb._cache.get(key)
    if bins is None:  # per number of rows: row r's profiles go to bins r * width + their condition
        bins = kb._cache[key] = (np.arange(count)[:, None] * width + model.row_condition).ravel()
    totals = np.bincount(bins, weights=row_post.ravel(), minlength=count * width)
    return cast("NDArray[np.float64]", totals).reshape(count, width)


def posterior(kb: KnowledgeBase, evidence: Evidence) -> Ranking:
    """The exact posterior for this person; unknown answers change nothing."""
    model = compile_model(kb)
    row_post = row_log_posterior(model, evidence)  # normalised in place: max-shifted, exponentiated, scaled
    np.subtract(row_post, np.maximum.reduce(row_post), out=row_post)
    np.exp(row_post, out=row_post)
    row_post /= np.add.reduce(row_post)
    totals = to_conditions(model, row_post)
    return Ranking(
        condition_ids=model.condition_ids,
        probabilities=totals[:-1],
        other_probability=float(totals[-1]),
        row_posterior=row_post,
    )


def posteriors_without(kb: KnowledgeBase, evidence: Evidence, findings: list[str]) -> NDArray[np.float64]:
    """The condition probabilities (last column: something else) without each of `findings` in
    turn, one row each: the same sums in the same order as `posterior(kb, evidence.without(f))`,
    computed in one product. Each finding must be answered present or absent (or read so)."""
    model = compile_model(kb)
    if not findings:
        return np.empty((0, model.n_conditions + 1))
    if model.modifiers:  # priors that depend on answers: one posterior each
        return np.vstack([np.append(r.probabilities, r.other_probability)
                          for r in (posterior(kb, evidence.without(f)) for f in findings)])
    columns = model.columns(evidence)
    position = {f: i for i, f in enumerate(f for f, c in evidence.answers.items() if c != "unknown")}
    prior = model.prior_row(evidence)
    rows = np.asarray([[*columns[: position[f]], *columns[position[f] + 1 :], prior] for f in findings], dtype=np.intp)
    row_post = np.add.reduce(model.log_pq_t.take(rows, axis=0), axis=1)
    np.subtract(row_post, np.maximum.reduce(row_post, axis=1)[:, None], out=row_post)
    np.exp(row_post, out=row_post)
    row_post /= np.add.reduce(row_post, axis=1)[:, None]
    return to_conditions_rows(kb, model, row_post)
