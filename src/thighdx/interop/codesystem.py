"""thighdx's own code systems as FHIR R4 CodeSystem resources, generated from the knowledge base.

- `thighdx-findings`: every finding (symptom, history, risk factor, sign); the knowledge base
  gives findings no SNOMED CT concept, so observations of them are coded here.
- `thighdx-choices`: an answer (present, absent, unknown).
- `thighdx-triage`: the five triage levels.
- `thighdx-scores`: the validated scores (Wells and others) and their derived items.
"""

from __future__ import annotations

from fhir.resources.R4B.codesystem import CodeSystem, CodeSystemConcept

from thighdx import __version__
from thighdx.interop.codes import CHOICES, FINDINGS, OWN_SYSTEMS, SCORES, TRIAGE, system_url
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import LEVELS, Text

CHOICE_TEXT = {
    "present": Text(en="Present", tr="Var"),
    "absent": Text(en="Absent", tr="Yok"),
    "unknown": Text(en="Don't know", tr="Bilmiyorum"),
}
TITLES = {
    FINDINGS: "thighdx findings",
    CHOICES: "thighdx answer choices",
    TRIAGE: "thighdx triage levels",
    SCORES: "thighdx clinical scores",
}
LEVEL_TEXT = {
    "self_care": "Self-care",
    "consultation": "See a GP or physiotherapist in the next few days",
    "consultation_24": "See a doctor within 24 hours",
    "emergency": "Emergency department now",
    "emergency_ambulance": "Call an ambulance",
}


def derived_code(score_id: str, derived: str) -> str:
    """The code of a score's derived item (e.g. `wells_dvt.alternative_diagnosis_as_likely`)."""
    return f"{score_id}.{derived}"


def _concept(code: str, display: Text | str, definition: str | None = None, **extra: object) -> CodeSystemConcept:
    data: dict[str, object] = {"code": code, "display": display if isinstance(display, str) else display.en}
    if isinstance(display, Text):
        data["designation"] = [{"language": "tr", "value": display.tr}]
    if definition:
        data["definition"] = definition
    data.update(extra)
    return CodeSystemConcept(**data)


def concepts(kb: KnowledgeBase, system_id: str) -> list[CodeSystemConcept]:
    if system_id == FINDINGS:
        return [
            _concept(f.id, f.label, f.question.en, property=[{"code": "kind", "valueCode": f.kind},
                                                             {"code": "red_flag", "valueBoolean": f.red_flag}])
            for f in kb.findings.values()
        ]
    if system_id == CHOICES:
        return [_concept(code, text) for code, text in CHOICE_TEXT.items()]
    if system_id == TRIAGE:
        return [_concept(level, LEVEL_TEXT[level], kb.triage.levels[level].en) for level in LEVELS]
    if system_id == SCORES:
        found = []
        for score in kb.scores.scores:
            derived = [_concept(derived_code(score.id, i.derived), i.label) for i in score.items if i.derived]
            found.append(_concept(score.id, score.name, **({"concept": derived} if derived else {})))
        return found
    raise KeyError(system_id)


def code_system(kb: KnowledgeBase, system_id: str) -> CodeSystem:
    """One of thighdx's code systems (`thighdx-findings`, `thighdx-choices`, `thighdx-triage`, `thighdx-scores`)."""
    if system_id not in OWN_SYSTEMS:
        raise KeyError(system_id)
    found = concepts(kb, system_id)
    data: dict[str, object] = {
        "id": system_id,
        "url": system_url(system_id),
        "version": __version__,
        "name": "".join(part.capitalize() for part in system_id.split("-")),
        "title": TITLES[system_id],
        "status": "active",
        "experimental": False,
        "publisher": "thighdx",
        "caseSensitive": True,
        "content": "complete",
        "hierarchyMeaning": "part-of" if system_id == SCORES else None,
        "count": sum(1 + len(c.concept or []) for c in found),
        "concept": found,
    }
    if system_id == FINDINGS:
        data["property"] = [
            {"code": "kind", "type": "code", "description": "symptom, history, risk_factor or sign"},
            {"code": "red_flag", "type": "boolean", "description": "The finding alone can demand urgent care."},
        ]
    return CodeSystem(**{k: v for k, v in data.items() if v is not None})


def codes_of(kb: KnowledgeBase, system_id: str) -> set[str]:
    """Every code the system defines (nested ones included)."""
    out: set[str] = set()
    stack = list(concepts(kb, system_id))
    while stack:
        concept = stack.pop()
        out.add(concept.code)
        stack.extend(concept.concept or [])
    return out
