"""Validated clinical scores (Wells DVT and others) computed from the answers."""

from __future__ import annotations

from dataclasses import dataclass

from thighdx.engine.evidence import Evidence
from thighdx.engine.posterior import Ranking
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import Score, ScoreBand, Text


@dataclass(frozen=True)
class ScoreItemResult:
    label: Text
    points: float
    answer: str
    """`present`, `absent`, `unknown`, `not asked`, or `derived`."""
    counted: bool


@dataclass(frozen=True)
class ScoreResult:
    id: str
    name: Text
    total: float
    items: tuple[ScoreItemResult, ...]
    verdict: Text
    advice: Text
    answered: int
    """How many of the score's items were answered (present or absent)."""
    complete: bool


def _alternative_as_likely(score: Score, ranking: Ranking) -> bool:
    """Another condition is at least as likely as the score's own."""
    own = ranking.probability(score.condition)
    return any(p >= own for c, p in ranking.ranked() if c != score.condition)


def _band(score: Score, total: float) -> ScoreBand:
    for band in sorted(score.bands, key=lambda b: -b.min):
        if total >= band.min:
            return band
    return min(score.bands, key=lambda b: b.min)


def compute_score(score: Score, evidence: Evidence, ranking: Ranking) -> ScoreResult:
    items: list[ScoreItemResult] = []
    total = 0.0
    answered = 0
    finding_items = 0
    for item in score.items:
        if item.finding is not None:
            finding_items += 1
            choice = evidence.choice(item.finding) or "not asked"
            counted = choice == "present"
            answered += choice in ("present", "absent")
        else:
            choice = "derived"
            counted = _alternative_as_likely(score, ranking)
        total += item.points if counted else 0.0
        items.append(ScoreItemResult(item.label, item.points, choice, counted))
    band = _band(score, total)
    return ScoreResult(
        id=score.id,
        name=score.name,
        total=total,
        items=tuple(items),
        verdict=band.verdict,
        advice=band.advice,
        answered=answered,
        complete=answered == finding_items,
    )


def scores(kb: KnowledgeBase, evidence: Evidence, ranking: Ranking) -> list[ScoreResult]:
    """Every score whose condition is in play, with enough of its items answered to be meaningful.

    A validated score answers a question about a suspected condition (Wells PE: "is this a
    clot in the lungs?"); where that condition is not in play (below `score_in_play`, the same
    floor at which the interview asks the score's items) its verdict would answer a question
    nobody asked and could contradict the triage, so it is not reported. At or above that floor
    the condition counts for the triage (`score_in_play` is the lowest posterior threshold), so a
    verdict that sends the person to the level of its condition agrees with the triage given.
    """
    floor = kb.interview.score_in_play
    results = []
    for score in kb.scores.scores:
        if ranking.probability(score.condition) < floor:
            continue
        result = compute_score(score, evidence, ranking)
        if result.answered >= score.minimum_answered:
            results.append(result)
    return results
