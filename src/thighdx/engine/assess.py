"""One diagnosis step: posterior, triage, explanation and scores together."""

from __future__ import annotations

from dataclasses import dataclass

from thighdx.engine.evidence import Evidence
from thighdx.engine.explain import Explanation, explain
from thighdx.engine.posterior import Ranking, posterior
from thighdx.engine.scores import ScoreResult, scores
from thighdx.engine.triage import Triage, triage
from thighdx.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class Assessment:
    evidence: Evidence
    ranking: Ranking
    triage: Triage
    explanations: tuple[Explanation, ...]
    scores: tuple[ScoreResult, ...]


def assess(kb: KnowledgeBase, evidence: Evidence, explain_top: int | None = None) -> Assessment:
    """Rank the causes, set the triage level, explain the ranking and compute scores.

    `explain_top` limits the explanation to the first N conditions (all when None).
    """
    ranking = posterior(kb, evidence)
    wanted = [c for c, _ in ranking.ranked()][:explain_top] if explain_top else None
    return Assessment(
        evidence=evidence,
        ranking=ranking,
        triage=triage(kb, evidence, ranking),
        explanations=tuple(explain(kb, evidence, ranking, wanted)),
        scores=tuple(scores(kb, evidence, ranking)),
    )
