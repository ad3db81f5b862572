"""One interview as a FHIR R4 Bundle (type `collection`), built with fhir.resources' R4B models
(wire-compatible with R4 for every resource used here; the tests also validate the JSON against
the official R4 JSON schema).

Resources, each referenced by its `urn:uuid:` full URL (stable for one interview):

- Patient: sex, the interview's reference code as identifier (thighdx keeps no name or birth date);
- QuestionnaireResponse: age, sex, then every answer in the order given; an answer read from the
  person's own words carries the `answer-source` extension with `text`;
- Observation per finding answered present or absent (`valueBoolean`), coded in `thighdx-findings`
  (the knowledge base confirms no SNOMED CT concept for findings); `preliminary` when only read
  from the text;
- Observation per clinical score with answered items (the Wells score), its items as components;
- RiskAssessment: one prediction per condition, the outcome coded in SNOMED CT, WHO ICD-10 and
  ICD-10-CM, `probabilityDecimal` and a `rationale` naming what raised and lowered it; performed by
  the Device;
- Device: thighdx, with the software's version and the knowledge base's (version and content hash);
- ClinicalImpression: the triage level as `prognosisCodeableConcept` (`thighdx-triage`), referencing
  all of the above;
- Provenance: the RiskAssessment and ClinicalImpression were assembled by the Device from the
  QuestionnaireResponse (and, when the interview was answered under another knowledge base, that
  one's hash, as a revision).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.clinicalimpression import ClinicalImpression
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.provenance import Provenance
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.riskassessment import RiskAssessment

from thighdx import __version__
from thighdx.engine.scores import ScoreResult, compute_score
from thighdx.interop.codes import (
    ANSWER_SOURCE,
    INTERVIEW_REFERENCE,
    KNOWLEDGE_BASE_HASH,
    OBSERVATION_CATEGORY,
    PROVENANCE_AGENT_TYPE,
    SCORES,
    TRIAGE,
    coding,
    questionnaire_url,
    system_url,
)
from thighdx.interop.codesystem import LEVEL_TEXT, derived_code
from thighdx.interop.questionnaire import AGE, PERSON_TEXT, SEX, choice_coding, finding_coding, sex_coding
from thighdx.interview import Interview
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.provenance import kb_provenance
from thighdx.report import assessment_dict

NAMESPACE = uuid.UUID("6f1d8c1e-3a52-4c55-9d0b-7e0a5d1f2b90")


@dataclass(frozen=True)
class InterviewRecord:
    """What the Bundle is built from: one stored (or in-memory) interview."""

    id: str
    reference: str
    created_at: datetime
    age: float
    sex: str
    language: str
    answers: Sequence[tuple[str, str, str]]
    """(finding, choice, source) in the order given; source `text` (read from the person's words) or `question`."""
    answered_under: dict[str, str] | None = None
    """`{version, hash}` of the knowledge base the interview was answered under, when stored."""


def _urn(record: InterviewRecord, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{record.id}/{key}')}"


def _source(source: str) -> list[dict[str, Any]]:
    return [{"url": ANSWER_SOURCE, "valueCode": "text" if source == "text" else "answer"}]


def core_interview(kb: KnowledgeBase, record: InterviewRecord) -> Interview:
    items = [(f, c, "text" if s == "text" else "answer") for f, c, s in record.answers if f in kb.findings]
    asked = [f for f, _, s in record.answers if s != "text" and f in kb.findings]
    return Interview.resume(kb, record.age, record.sex, record.language, items, asked)


def _device(knowledge: dict[str, str]) -> Device:
    """thighdx as the software that made the assessment, with its version and the knowledge base's."""
    return Device(
        deviceName=[{"name": "thighdx", "type": "manufacturer-name"}],
        version=[
            {"type": {"text": "software"}, "value": __version__},
            {"type": {"text": "knowledge base"}, "value": f"{knowledge['version']} (sha256 {knowledge['hash']})"},
        ],
    )


def _provenance(
    record: InterviewRecord, knowledge: dict[str, str], when: str, device_url: str, targets: list[str], qr_url: str
) -> Provenance:
    """Which software and knowledge base computed the assessment from which answers; the knowledge
    base the answers were given under is named too when it differs from the one computing now."""
    entities: list[dict[str, Any]] = [{"role": "source", "what": {"reference": qr_url}}]
    under = record.answered_under
    if under and under.get("hash") and under["hash"] != knowledge["hash"]:
        entities.append({"role": "revision", "what": {
            "identifier": {"system": KNOWLEDGE_BASE_HASH, "value": under["hash"]},
            "display": f"answered under knowledge base {under.get('version') or 'unversioned'}"}})
    return Provenance(
        target=[{"reference": url} for url in targets],
        recorded=when,
        agent=[{"type": {"coding": [{"system": PROVENANCE_AGENT_TYPE, "code": "assembler", "display": "Assembler"}]},
                "who": {"reference": device_url}}],
        entity=entities,
    )


def _rationale(explanation: dict[str, Any] | None) -> str:
    if not explanation:
        return "Prior for the person's age and sex; no answer changed it much."
    parts = []
    if explanation["for"]:
        parts.append("Raised by: " + "; ".join(f"{c['label']} ({c['choice']})" for c in explanation["for"]))
    if explanation["against"]:
        parts.append("Lowered by: " + "; ".join(f"{c['label']} ({c['choice']})" for c in explanation["against"]))
    return ". ".join(parts) + "." if parts else "Prior for the person's age and sex; no answer changed it much."


def _score_observation(kb: KnowledgeBase, score: ScoreResult, common: dict[str, Any], derived_from: list[dict[str, str]]) -> Observation:
    definition = next(s for s in kb.scores.scores if s.id == score.id)
    components = []
    for item, result in zip(definition.items, score.items, strict=True):
        code = finding_coding(kb, item.finding) if item.finding else {
            "system": system_url(SCORES), "code": derived_code(score.id, str(item.derived)), "display": item.label.en}
        components.append({
            "code": {"coding": [code], "text": item.label.en},
            "valueQuantity": {"value": item.points if result.counted else 0, "unit": "points"},
            "interpretation": [{"text": result.answer}],
        })
    return Observation(
        **common,
        status="final" if score.complete else "preliminary",
        code={"coding": [{"system": system_url(SCORES), "code": score.id, "display": score.name.en}], "text": score.name.en},
        valueQuantity={"value": score.total, "unit": "points"},
        interpretation=[{"text": f"{score.verdict.en} {score.advice.en}".strip()}],
        derivedFrom=derived_from,
        component=components,
    )


def interview_bundle(kb: KnowledgeBase, record: InterviewRecord) -> Bundle:
    """The Bundle of one interview (see the module's docstring)."""
    language = record.language
    interview = core_interview(kb, record)
    step = interview.step()
    assessment = interview.assessment()
    data = assessment_dict(kb, assessment, "en")
    evidence = assessment.evidence
    when = record.created_at.isoformat()
    patient_url, qr_url, risk_url, impression_url, device_url, provenance_url = (
        _urn(record, k) for k in ("patient", "qr", "risk", "impression", "device", "provenance"))
    knowledge = kb_provenance(kb)
    subject = {"reference": patient_url}
    entries: list[tuple[str, Resource]] = []

    entries.append((patient_url, Patient(
        identifier=[{"system": INTERVIEW_REFERENCE, "value": record.reference}],
        gender=record.sex,
    )))

    finished = step.question is None or step.should_stop
    person = PERSON_TEXT[language]
    qr_items: list[dict[str, Any]] = [
        {"linkId": AGE, "text": person[AGE], "answer": [{"valueDecimal": record.age}]},
        {"linkId": SEX, "text": person[SEX], "answer": [{"valueCoding": sex_coding(record.sex, language)}]},
    ]
    for finding, choice, source in record.answers:
        if finding not in kb.findings:
            continue
        qr_items.append({
            "linkId": finding, "text": kb.findings[finding].question.get(language),
            "answer": [{"valueCoding": choice_coding(choice, language), "extension": _source(source)}],
        })
    entries.append((qr_url, QuestionnaireResponse(
        identifier={"system": INTERVIEW_REFERENCE, "value": record.reference},
        questionnaire=questionnaire_url(),
        status="completed" if finished else "in-progress",
        subject=subject,
        authored=when,
        language=language,
        item=qr_items,
    )))

    common = {"subject": subject, "effectiveDateTime": when,
              "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]}
    finding_refs: list[dict[str, str]] = []
    present_refs: list[dict[str, Any]] = []
    for finding, choice in evidence.answers.items():
        if choice not in ("present", "absent"):
            continue
        url = _urn(record, f"finding/{finding}")
        from_text = finding in evidence.text
        entries.append((url, Observation(
            **common,
            extension=_source("text" if from_text else "question"),
            status="preliminary" if from_text else "final",
            code={"coding": [finding_coding(kb, finding)], "text": kb.findings[finding].label.en},
            valueBoolean=choice == "present",
            derivedFrom=[{"reference": qr_url}],
        )))
        finding_refs.append({"reference": url})
        if choice == "present":
            present_refs.append({"itemCodeableConcept": {"coding": [finding_coding(kb, finding)]}, "itemReference": {"reference": url}})

    ranking = assessment.ranking
    score_refs: list[dict[str, str]] = []
    for definition in kb.scores.scores:
        score = compute_score(definition, evidence, ranking)
        if score.answered == 0:
            continue
        url = _urn(record, f"score/{score.id}")
        entries.append((url, _score_observation(kb, score, common, [{"reference": qr_url}])))
        score_refs.append({"reference": url})

    explanations = {e["condition"]: e for e in data["explanations"]}
    predictions = []
    for condition_id, probability in ranking.ranked():
        condition = kb.conditions[condition_id]
        codes = condition.codes
        predictions.append({
            "outcome": {"coding": [coding(codes.snomed), coding(codes.icd10_who), coding(codes.icd10_cm)], "text": condition.name.en},
            "probabilityDecimal": round(probability, 4),
            "rationale": _rationale(explanations.get(condition_id)),
        })
    entries.append((device_url, _device(knowledge)))
    entries.append((risk_url, RiskAssessment(
        identifier=[{"system": INTERVIEW_REFERENCE, "value": record.reference}],
        status="final" if finished else "preliminary",
        subject=subject,
        occurrenceDateTime=when,
        performer={"reference": device_url},
        method={"text": "thighdx Bayesian differential of pain in the back of the thigh"},
        basis=[{"reference": qr_url}, *finding_refs],
        prediction=predictions,
        note=[{"text": f"Something else: {round(ranking.other_probability, 4)}"}],
    )))

    level = assessment.triage.level
    triage_text = data["triage"]["label"]
    entries.append((impression_url, ClinicalImpression(
        identifier=[{"system": INTERVIEW_REFERENCE, "value": record.reference}],
        status="completed" if finished else "in-progress",
        subject=subject,
        effectiveDateTime=when,
        date=when,
        description="thighdx assessment of pain in the back of the thigh",
        summary=f"{triage_text} {data['triage']['reason']}".strip(),
        investigation=[{"code": {"text": "thighdx interview"}, "item": [{"reference": qr_url}, *finding_refs, *score_refs]}],
        finding=present_refs or None,
        prognosisCodeableConcept=[{"coding": [{"system": system_url(TRIAGE), "code": level, "display": LEVEL_TEXT[level]}],
                                   "text": triage_text}],
        prognosisReference=[{"reference": risk_url}],
        supportingInfo=[{"reference": risk_url}, *score_refs],
    )))
    entries.append((provenance_url, _provenance(record, knowledge, when, device_url, [risk_url, impression_url], qr_url)))

    return Bundle(
        id=str(uuid.uuid5(NAMESPACE, f"{record.id}/bundle")),
        identifier={"system": INTERVIEW_REFERENCE, "value": record.reference},
        type="collection",
        timestamp=when,
        entry=[{"fullUrl": url, "resource": resource} for url, resource in entries],
    )
