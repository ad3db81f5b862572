"""The inference engine: pure functions of the knowledge base and the person's answers."""

from __future__ import annotations

from thighdx.engine.assess import Assessment, assess
from thighdx.engine.evidence import Evidence
from thighdx.engine.explain import Explanation, explain
from thighdx.engine.posterior import Ranking, posterior
from thighdx.engine.scores import ScoreResult, scores
from thighdx.engine.triage import Triage, triage

__all__ = [
    "Assessment",
    "Evidence",
    "Explanation",
    "Ranking",
    "ScoreResult",
    "Triage",
    "assess",
    "explain",
    "posterior",
    "scores",
    "triage",
]
