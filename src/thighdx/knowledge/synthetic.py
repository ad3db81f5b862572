"""A generated knowledge base of any size, for benchmarks and engine tests.

Its numbers mean nothing clinically; it has the shape of the real one (sparse likelihoods,
families with forms, red flags, screening findings) so that speed and the engine's
mathematics can be measured at scale.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import (
    LEVELS,
    CarePlan,
    Code,
    Codes,
    Condition,
    ConditionTriage,
    FaqFile,
    Figure,
    Finding,
    InterviewSettings,
    LevelRule,
    Other,
    PosteriorTriage,
    Prior,
    PriorModifier,
    Profile,
    RedFlag,
    ScoresFile,
    Screening,
    Source,
    Text,
    TriageFile,
    When,
)


def _t(value: str) -> Text:
    return Text(en=value, tr=value)


def synthetic_kb(
    n_conditions: int = 1000,
    n_findings: int = 2000,
    per_condition: int = 40,
    seed: int = 0,
    n_red_flags: int = 12,
) -> KnowledgeBase:
    """A random but well-formed knowledge base of the requested size."""
    rng = np.random.default_rng(seed)
    src = "synthetic"
    findings = {}
    for i in range(n_findings):
        red = i < n_red_flags
        findings[f"f{i}"] = Finding(
            id=f"f{i}",
            kind="symptom",
            red_flag=red,
            question=_t(f"Question {i}?"),
            label=_t(f"finding {i}"),
            screen=("always" if i < 4 else "by_risk") if red else "never",
        )
    conditions = {}
    for c in range(n_conditions):
        chosen = rng.choice(n_findings, size=min(per_condition, n_findings), replace=False)
        likelihoods = {f"f{j}": Figure(p=float(rng.uniform(0.03, 0.95)), src=src) for j in chosen}
        profiles = []
        if c % 50 == 0:
            extra = rng.choice(n_findings, size=5, replace=False)
            profiles = [
                Profile(id="a", name=_t("form a"), weight=0.5,
                        likelihoods={f"f{j}": Figure(p=0.9, src=src) for j in extra}),
                Profile(id="b", name=_t("form b"), weight=0.5),
            ]
        level = LEVELS[int(rng.integers(0, len(LEVELS)))]
        shared = "synthetic conditions all carry the same codes"
        code = Code(system="WHO ICD-10", code="R52", display="Pain", status="broader", src=src,
                    confirmed_by="synthetic", no_finer_code=shared)
        conditions[f"c{c}"] = Condition(
            id=f"c{c}",
            name=_t(f"condition {c}"),
            description=_t(f"condition {c}"),
            codes=Codes(icd10_who=code, icd10_cm=code.model_copy(update={"system": "ICD-10-CM"}),
                        snomed=Code(system="SNOMED CT", code="22253000", display="Pain", status="broader",
                                    src=src, confirmed_by="synthetic", no_finer_code=shared)),
            severity="moderate",
            acuteness="acute",
            specialist=_t("doctor"),
            recovery=_t("weeks"),
            prior=Prior(p=float(rng.uniform(0.001, 0.05)), src=src,
                        modifiers=[PriorModifier(when=When(age_min=60), factor=1.5, src=src)]),
            default_likelihood=Figure(p=0.05, src=src),
            likelihoods=likelihoods,
            profiles=profiles,
            triage=ConditionTriage(
                level=level, reason=_t("reason"), src=src,
                rules=[LevelRule(when=When(absent=[f"f{int(chosen[0])}"]), level="self_care", reason=_t("mild"), src=src)],
            ),
        )
    red_flags = [
        RedFlag(id=f"rf{i}", when=When(present=[f"f{i}"]), level="emergency", message=_t("go now"), guideline=src)
        for i in range(n_red_flags)
    ]
    triage = TriageFile(
        red_flags=red_flags,
        screening=Screening(risk_threshold=0.03, src=src),
        posterior=PosteriorTriage(
            thresholds={"emergency_ambulance": 0.1, "emergency": 0.15, "consultation_24": 0.25,
                        "consultation": 0.4, "self_care": 1.0},
            leader_min=0.0,
            unclear_level="consultation",
            src=src,
        ),
        levels={level: _t(level) for level in LEVELS},
    )
    care = {
        key: CarePlan(id=key, applies_to="level" if key in LEVELS else "condition", do_now=[_t("rest")], sources=[src])
        for key in [*LEVELS, *conditions]
    }
    messages = {k: _t(k + " {findings}") for k in ("triage_unscreened",)}
    messages["triage_screening_needed"] = _t("screening needed")
    messages["triage_unclear"] = _t("unclear")
    messages["triage_doubt"] = _t("doubt")
    return KnowledgeBase(
        root=Path("."),
        sources={src: Source(id=src, kind="estimate", citation="generated")},
        findings=findings,
        groups={},
        conditions=conditions,
        other=Other(name=_t("other"), prior=Figure(p=0.05, src=src), default_likelihood=Figure(p=0.1, src=src)),
        triage=triage,
        scores=ScoresFile(scores=[]),
        exercises={},
        care=care,
        faq=FaqFile(faq=[]),
        messages=messages,
        interview=InterviewSettings(stop_probability=0.85, min_gain_bits=0.05, max_questions=20, ranking_budget=12, triage_budget=16,
                                    triage_min_change=0.05, leader_min_change=0.1, level_weight=1.0, triage_priority=0.15, src=src),
    )
