"""Code system addresses: the external ones thighdx codes in, and thighdx's own (published as
CodeSystem resources at /fhir/CodeSystem/{id})."""

from __future__ import annotations

from thighdx.knowledge.schema import Code

SNOMED = "http://snomed.info/sct"
ICD10_WHO = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
GENDER = "http://hl7.org/fhir/administrative-gender"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

CANONICAL = "https://thighdx.org/fhir"
"""The base of thighdx's canonical URLs (an identifier: this server also serves each resource
under /fhir/{type}/{id})."""

FINDINGS = "thighdx-findings"
CHOICES = "thighdx-choices"
TRIAGE = "thighdx-triage"
SCORES = "thighdx-scores"
OWN_SYSTEMS = (FINDINGS, CHOICES, TRIAGE, SCORES)

QUESTIONNAIRE_ID = "thighdx"
ANSWER_SOURCE = f"{CANONICAL}/StructureDefinition/answer-source"
"""Extension (valueCode `text` or `answer`): whether an answer was read from the person's own
words (`text`, not yet confirmed) or given to a question (`answer`)."""
INTERVIEW_REFERENCE = f"{CANONICAL}/interview-reference"
"""Identifier system of an interview's reference code (TX-XXXX-XXXX)."""
KNOWLEDGE_BASE_HASH = f"{CANONICAL}/knowledge-base-sha256"
"""Identifier system of a knowledge base's content hash (`thighdx.knowledge.provenance`)."""

KB_SYSTEMS = {"SNOMED CT": SNOMED, "WHO ICD-10": ICD10_WHO, "ICD-10-CM": ICD10_CM}
"""The knowledge base's code system names and their FHIR system URIs."""

PROVENANCE_AGENT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
HL7_CODES = {GENDER: {"male", "female", "other", "unknown"}, OBSERVATION_CATEGORY: {"survey"}, PROVENANCE_AGENT_TYPE: {"assembler"}}
"""The HL7-defined codes thighdx uses from small HL7 code systems."""


def system_url(system_id: str) -> str:
    """The canonical URL of one of thighdx's own code systems."""
    if system_id not in OWN_SYSTEMS:
        raise KeyError(system_id)
    return f"{CANONICAL}/CodeSystem/{system_id}"


def questionnaire_url() -> str:
    return f"{CANONICAL}/Questionnaire/{QUESTIONNAIRE_ID}"


def coding(code: Code) -> dict[str, str]:
    """A knowledge-base code as a FHIR Coding (system URI, code, display)."""
    return {"system": KB_SYSTEMS[code.system], "code": code.code, "display": code.display}
