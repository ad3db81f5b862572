"""The knowledge base compiled into arrays for fast, exact inference.

Each row is a candidate profile: one per condition, or one per form of a condition that is
a family (its prior split by the forms' weights), plus a last row for "something else".
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thighdx.engine.evidence import Evidence
from thighdx.engine.rules import findings_of, matches
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import PriorModifier, Profile

OTHER = "other"
SEX_CODE = {"male": 1, "female": 2}


@dataclass(frozen=True)
class Model:
    """Arrays over rows (profiles) and findings."""

    condition_ids: tuple[str, ...]
    finding_ids: tuple[str, ...]
    finding_index: dict[str, int]
    row_condition: NDArray[np.intp]
    """Row -> condition index; the "something else" row maps to len(condition_ids)."""
    p: NDArray[np.float64]
    """P(finding present | row), shape (rows, findings)."""
    log_p: NDArray[np.float64]
    log_q: NDArray[np.float64]
    """log(1 - p)."""
    log_pq_t: NDArray[np.float64]
    """log p and log(1 - p) stacked and transposed, then the prior table's rows, then the
    likelihoods of readings of the person's words: shape (4 x findings + 3 x age regions, rows).
    Finding i answered present is row i, answered absent row findings + i; the log prior for a sex
    and age region is a row after those (`prior_row`); finding i read present is row
    `text_row` + i, read absent `text_row` + findings + i."""
    text_row: int
    """First row of `log_pq_t` holding the likelihoods of text readings."""
    log_prior: NDArray[np.float64]
    modifiers: tuple[tuple[int, PriorModifier], ...]
    """(row, modifier) pairs that depend on answers; applied per person."""
    prior_table: tuple[list[float], NDArray[np.float64]]
    """Log priors with every age-and-sex modifier applied, precomputed per sex and per age region:
    the modifiers' age limits cut the age axis into regions (each limit itself, and the open
    stretches between limits) in which no modifier changes, so the lookup is exact."""
    h_p: NDArray[np.float64]
    """Binary entropy (bits) of each answer given the row: h(p)."""
    family_rows: tuple[NDArray[np.intp], ...]
    """Row indices of each condition that has several forms."""
    single_rows: NDArray[np.bool_]
    """Rows that are a condition on their own (or "something else")."""
    explicit: NDArray[np.intp]
    """Per condition (and "something else"), the findings whose likelihood differs from the
    condition's default in any of its rows, padded with -1; shape (conditions + 1, width)."""
    explicit_mask: NDArray[np.bool_]
    """The same as a boolean matrix, shape (conditions + 1, findings)."""
    level_onehot: NDArray[np.float64]
    """(levels x rows) indicator: rows grouped by the triage level their condition demands by
    default ("something else" alone)."""
    level_weight: float
    group_starts: NDArray[np.intp] | None
    """First row of each condition, for summing rows into conditions; None when one row each."""

    @property
    def n_conditions(self) -> int:
        return len(self.condition_ids)

    def _region(self, evidence: Evidence) -> int:
        """The person's age region in `prior_table`: below the first limit, each limit, between limits."""
        breaks = self.prior_table[0]
        i = bisect_left(breaks, evidence.age)
        return 2 * i + 1 if i < len(breaks) and breaks[i] == evidence.age else 2 * i

    def prior(self, evidence: Evidence) -> NDArray[np.float64]:
        """Log prior per row for this person's age, sex and answers."""
        log_prior = self.prior_table[1][SEX_CODE[evidence.sex], self._region(evidence)]
        if self.modifiers:
            log_prior = log_prior.copy()
            for row, modifier in self.modifiers:
                if matches(modifier.when, evidence):
                    log_prior[row] += np.log(modifier.factor)
        return log_prior  # type: ignore[no-any-return]

    def prior_row(self, evidence: Evidence) -> int:
        """The row of `log_pq_t` holding this person's log prior (age and sex modifiers applied)."""
        return 2 * len(self.finding_ids) + SEX_CODE[evidence.sex] * self.prior_table[1].shape[1] + self._region(evidence)

    def columns(self, evidence: Evidence) -> list[int]:
        """Rows of `log_pq_t` for the answers given (present or absent; unknown adds nothing),
        the softer rows for readings of the person's words."""
        index = self.finding_index
        width = len(index)
        if not evidence.text:
            return [index[f] if c == "present" else index[f] + width for f, c in evidence.answers.items() if c != "unknown"]
        text, soft = evidence.text, self.text_row
        return [
            (soft if f in text else 0) + (index[f] if c == "present" else index[f] + width)
            for f, c in evidence.answers.items()
            if c != "unknown"
        ]


def _prior_table(
    base: NDArray[np.float64], simple: list[tuple[int, PriorModifier]]
) -> tuple[list[float], NDArray[np.float64]]:
    """Precompute log priors for every (sex, age region) under the age-and-sex modifiers."""
    breaks = sorted({b for _, m in simple for b in (m.when.age_min, m.when.age_max) if b is not None})
    # one representative age per region: below the first limit, each limit, and between limits
    points = [breaks[0] - 1.0 if breaks else 0.0]
    for i, b in enumerate(breaks):
        points.append(b)
        points.append((b + breaks[i + 1]) / 2 if i + 1 < len(breaks) else b + 1.0)
    table = np.tile(base, (3, len(points), 1))
    for sex, code in (("male", 1), ("female", 2)):
        for k, age in enumerate(points):
            for row, modifier in simple:
                when = modifier.when
                if (when.age_min is None or age >= when.age_min) and (when.age_max is None or age <= when.age_max) \
                        and (when.sex is None or when.sex == sex):
                    table[code, k, row] += np.log(modifier.factor)
    table.setflags(write=False)  # rows are handed out without a copy
    return breaks, table


def _mode(block: NDArray[np.float64]) -> float:
    """The most common value of a block of likelihoods: the condition's default."""
    values, counts = np.unique(block, return_counts=True)
    return float(values[np.argmax(counts)])


def compile_model(kb: KnowledgeBase) -> Model:
    """Build (once per knowledge base) the arrays the engine works on."""
    cached: Model | None = kb._cache.get("model")
    if cached is not None:
        return cached
    finding_ids = tuple(kb.findings)
    index = {f: i for i, f in enumerate(finding_ids)}
    rows_p: list[NDArray[np.float64]] = []
    row_condition: list[int] = []
    log_prior: list[float] = []
    modifiers: list[tuple[int, PriorModifier]] = []
    for c, condition in enumerate(kb.conditions.values()):
        base = np.full(len(finding_ids), condition.default_likelihood.p)
        for fid, figure in condition.likelihoods.items():
            base[index[fid]] = figure.p
        profiles: Sequence[Profile | None] = condition.profiles or [None]
        for profile in profiles:
            row = base.copy()
            weight = 1.0
            if profile is not None:
                weight = profile.weight
                for fid, figure in profile.likelihoods.items():
                    row[index[fid]] = figure.p
            for modifier in condition.prior.modifiers:
                modifiers.append((len(rows_p), modifier))
            rows_p.append(row)
            row_condition.append(c)
            log_prior.append(float(np.log(condition.prior.p * weight)))
    other = np.full(len(finding_ids), kb.other.default_likelihood.p)
    for fid, figure in kb.other.likelihoods.items():
        other[index[fid]] = figure.p
    rows_p.append(other)
    row_condition.append(len(kb.conditions))
    log_prior.append(float(np.log(kb.other.prior.p)))
    p = np.vstack(rows_p)
    conditions = list(kb.conditions.values())
    simple = [(r, m) for r, m in modifiers if not findings_of(m.when)]
    prior_table = _prior_table(np.asarray(log_prior), simple)
    modifiers = [(r, m) for r, m in modifiers if findings_of(m.when)]
    row_condition_arr = np.asarray(row_condition, dtype=np.intp)
    groups = [np.flatnonzero(row_condition_arr == c) for c in range(len(kb.conditions) + 1)]
    explicit_sets = [np.flatnonzero((p[rows] != _mode(p[rows])).any(axis=0)) for rows in groups]
    width = max((e.size for e in explicit_sets), default=0)
    explicit = np.full((len(groups), max(width, 1)), -1, dtype=np.intp)
    explicit_mask = np.zeros((len(groups), len(finding_ids)), dtype=bool)
    for c, e in enumerate(explicit_sets):
        explicit[c, : e.size] = e
        explicit_mask[c, e] = True
    row_levels = [conditions[c].triage.level if c < len(conditions) else "other" for c in row_condition]
    level_rows = tuple(
        np.flatnonzero(np.asarray([lv == level for lv in row_levels])) for level in dict.fromkeys(row_levels)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        h_p = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    settings = kb.interview
    read_present = np.log(p + (1.0 - p) * settings.text_false_present)
    read_absent = np.log((1.0 - p) + p * settings.text_false_absent)
    tables = [np.log(p).T, np.log1p(-p).T, prior_table[1].reshape(-1, p.shape[0])]
    text_row = sum(t.shape[0] for t in tables)
    model = Model(
        condition_ids=tuple(kb.conditions),
        finding_ids=finding_ids,
        finding_index=index,
        row_condition=row_condition_arr,
        p=p,
        log_p=np.log(p),
        log_q=np.log1p(-p),
        log_pq_t=np.ascontiguousarray(np.vstack([*tables, read_present.T, read_absent.T])),
        text_row=text_row,
        log_prior=np.asarray(log_prior),
        modifiers=tuple(modifiers),
        prior_table=prior_table,
        h_p=h_p,
        family_rows=tuple(rows for rows in groups if rows.size > 1),
        single_rows=np.asarray([groups[c].size == 1 for c in row_condition], dtype=bool),
        explicit=explicit,
        explicit_mask=explicit_mask,
        level_onehot=np.asarray([np.isin(np.arange(len(row_condition)), rows) for rows in level_rows], dtype=float),
        level_weight=kb.interview.level_weight,
        group_starts=(
            None
            if row_condition_arr.size == len(groups)
            else np.flatnonzero(np.r_[True, row_condition_arr[1:] != row_condition_arr[:-1]])
        ),
    )
    kb._cache["model"] = model
    return model
