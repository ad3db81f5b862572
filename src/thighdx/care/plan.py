"""Choose the care plans and warning signs for an assessment."""

from __future__ import annotations

from dataclasses import dataclass

from thighdx.engine.assess import Assessment
from thighdx.engine.triage import rank
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import CarePlan, SafetyNet

ALSO_PLAN_AT = 0.25
"""A second condition's plan is added when it is at least this likely (and not merely trailing)."""


@dataclass(frozen=True)
class CareAdvice:
    level_plan: CarePlan
    condition_plans: tuple[CarePlan, ...]
    warning_signs: tuple[SafetyNet, ...]
    """Every safety-net item of the plans, the most urgent first, without repeats."""


def care_for(kb: KnowledgeBase, assessment: Assessment) -> CareAdvice:
    """The level's plan plus the plans of the likely conditions."""
    ranked = assessment.ranking.ranked()
    chosen = [ranked[0][0]] + [c for c, p in ranked[1:3] if p >= ALSO_PLAN_AT]
    plans = tuple(kb.care[c] for c in chosen if c in kb.care)
    level_plan = kb.care[assessment.triage.level]
    seen: set[str] = set()
    warnings: list[SafetyNet] = []
    for plan in (level_plan, *plans):
        for item in plan.safety_net:
            if item.change.en not in seen:
                seen.add(item.change.en)
                warnings.append(item)
    warnings.sort(key=lambda w: -rank(w.level))
    return CareAdvice(level_plan, plans, tuple(warnings))
