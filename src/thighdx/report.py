"""An assessment as plain data in one language: what the CLI, the API and the pages show."""

from __future__ import annotations

from typing import Any

from thighdx.care.dosage import dosage_words
from thighdx.care.plan import CareAdvice, care_for
from thighdx.engine.assess import Assessment
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.provenance import kb_provenance
from thighdx.knowledge.schema import CarePlan, Code, Codes, Text


def _t(text: Text | None, language: str) -> str | None:
    return text.get(language) if text else None


def code_dict(code: Code) -> dict[str, Any]:
    return {"code": code.code, "system": code.system, "display": code.display, "status": code.status}


def codes_dict(codes: Codes) -> dict[str, Any]:
    """Every code labelled by its system; `icd10` repeats the WHO ICD-10 code for older readers."""
    shown = {name: code_dict(code) for name, code in codes.all()}
    return {**shown, "icd10": shown["icd10_who"]}


def codes_line(codes: dict[str, Any]) -> str:
    """`WHO ICD-10 I80.2; ICD-10-CM I82.409; SNOMED CT 404223003`, from `codes_dict`."""
    return "; ".join(f"{codes[name]['system']} {codes[name]['code']}" for name in ("icd10_who", "icd10_cm", "snomed"))


def condition_row(kb: KnowledgeBase, condition_id: str, probability: float, language: str) -> dict[str, Any]:
    condition = kb.conditions[condition_id]
    return {
        "id": condition_id,
        "name": condition.name.get(language),
        "probability": round(probability, 4),
        "description": condition.description.get(language),
        "severity": condition.severity,
        "specialist": condition.specialist.get(language),
        "recovery": condition.recovery.get(language),
        "codes": codes_dict(condition.codes),
    }


def plan_dict(kb: KnowledgeBase, plan: CarePlan, language: str) -> dict[str, Any]:
    return {
        "id": plan.id,
        "do_now": [t.get(language) for t in plan.do_now],
        "avoid": [t.get(language) for t in plan.avoid],
        "exercises": [
            {
                "id": e.exercise,
                "name": kb.exercises[e.exercise].name.get(language),
                "how": kb.exercises[e.exercise].how.get(language),
                "phase": _t(e.phase, language),
                "sets": e.dosage.sets,
                "reps": e.dosage.reps,
                "hold_seconds": e.dosage.hold_seconds,
                "frequency": e.dosage.frequency.get(language),
                "dose": dosage_words(kb, e.dosage, language),
                "images": {
                    position: {"src": f"/static/exercises/{e.exercise}-{position}.svg",
                               "alt": getattr(kb.exercises[e.exercise].alt, position).get(language)}
                    for position in ("start", "end")
                },
                "progression": e.dosage.progression.get(language),
                "stop_if": e.dosage.stop_if.get(language),
            }
            for e in plan.exercises
        ],
        "ergonomics": [t.get(language) for t in plan.ergonomics],
        "movement_breaks": _t(plan.movement_breaks, language),
        "expected_course": _t(plan.expected_course, language),
        "why_different_from_rice": _t(plan.why_different_from_rice, language),
        "sources": [kb.sources[s].citation for s in plan.sources],
    }


def assessment_dict(
    kb: KnowledgeBase,
    assessment: Assessment,
    language: str = "en",
    care: CareAdvice | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Everything a person and a clinician need, as JSON-ready data."""
    care = care or care_for(kb, assessment)
    tri = assessment.triage
    ranked = assessment.ranking.ranked()
    findings = kb.findings
    return {
        "knowledge_base": kb_provenance(kb),
        "conditions": [condition_row(kb, c, p, language) for c, p in ranked[:limit]],
        "other_probability": round(assessment.ranking.other_probability, 4),
        "triage": {
            "level": tri.level,
            "label": kb.triage.levels[tri.level].get(language),  # type: ignore[index]
            "red_flags": list(tri.red_flags),
            "rules": list(tri.rules),
            "reason": tri.reason(kb, language),
            "unscreened": list(tri.unscreened),
        },
        "explanations": [
            {
                "condition": e.condition,
                "probability": round(e.probability, 4),
                "for": [
                    {"finding": c.finding, "label": findings[c.finding].label.get(language), "choice": c.choice,
                     "log_lr": round(c.log_lr, 3)}
                    for c in e.supporting
                ],
                "against": [
                    {"finding": c.finding, "label": findings[c.finding].label.get(language), "choice": c.choice,
                     "log_lr": round(c.log_lr, 3)}
                    for c in e.opposing
                ],
                "would_change": [
                    {"finding": w.finding, "label": findings[w.finding].label.get(language),
                     "if_present": round(w.if_present, 4), "if_absent": round(w.if_absent, 4)}
                    for w in e.would_change
                ],
            }
            for e in assessment.explanations
        ],
        "scores": [
            {
                "id": s.id,
                "name": s.name.get(language),
                "total": s.total,
                "verdict": s.verdict.get(language),
                "advice": s.advice.get(language),
                "complete": s.complete,
                "items": [
                    {"label": i.label.get(language), "points": i.points, "answer": i.answer, "counted": i.counted}
                    for i in s.items
                ],
            }
            for s in assessment.scores
        ],
        "care": {
            "level": plan_dict(kb, care.level_plan, language),
            "conditions": [plan_dict(kb, p, language) for p in care.condition_plans],
        },
        "warning_signs": [
            {"change": w.change.get(language), "action": w.action.get(language), "level": w.level}
            for w in care.warning_signs
        ],
        "answers": [
            {"finding": f, "question": findings[f].question.get(language), "choice": c}
            for f, c in assessment.evidence.answers.items()
        ],
    }


def doctor_summary(kb: KnowledgeBase, data: dict[str, Any], age: float, sex: str, language: str = "en") -> str:
    """A short plain-text summary to hand to a doctor."""
    m = kb.message
    lines = [m("summary_title", language), m("summary_person", language, age=int(age), sex=m(f"sex_{sex}", language))]
    lines.append(m("summary_triage", language, level=data["triage"]["label"], reason=data["triage"]["reason"]))
    lines.append(m("summary_causes", language))
    for c in data["conditions"][:5]:
        lines.append(f"  - {c['name']}: {c['probability']:.0%} ({codes_line(c['codes'])})")
    present = [a for a in data["answers"] if a["choice"] == "present"]
    absent = [a for a in data["answers"] if a["choice"] == "absent"]
    if present:
        lines.append(m("summary_present", language) + " " + "; ".join(kb.findings[a["finding"]].label.get(language) for a in present))
    if absent:
        lines.append(m("summary_absent", language) + " " + "; ".join(kb.findings[a["finding"]].label.get(language) for a in absent))
    for s in data["scores"]:
        lines.append(f"{s['name']}: {s['total']:g} - {s['verdict']}")
    return "\n".join(lines)
