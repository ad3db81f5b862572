"""CDS Hooks 2.0: the discovery document, the `patient-view` request and its cards.

The service reads the patient's age and sex from the prefetched `patient` (or from the EHR's
FHIR server with fhirpy when the client sent no prefetch and that server is one allowed in
THIGHDX_CDS_FHIR_SERVERS), and answers:

- when the calling EHR is authenticated (a CDS client JWT, THIGHDX_CDS_JWKS) and an interview is
  linked to this patient of this `fhirServer` (thighdx.interop.links), a card with the latest
  assessment: triage level and leading cause, `indicator` critical for an emergency, warning for
  a doctor within 24 hours, info otherwise, with links to the clinician's case page and the
  interview's FHIR Bundle;
- always, the way into a thighdx interview for pain in the back of the thigh, with the patient's
  age and sex when known; for an authenticated EHR with THIGHDX_LAUNCH_SECRET set, its link carries
  a signed `launch` value naming the patient, so the interview started from it is linked.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from thighdx.errors import ThighdxError
from thighdx.interop.ehr import read_patient

if TYPE_CHECKING:
    from thighdx.interop.links import LinkedAssessment
    from thighdx.knowledge.loader import KnowledgeBase

SERVICE_ID = "thighdx-patient-view"
HOOK = "patient-view"
PREFETCH = {"patient": "Patient/{{context.patientId}}"}
URGENT = ("emergency", "emergency_ambulance")
SAME_DAY = ("consultation_24",)
SUMMARY_LIMIT = 140
"""CDS Hooks 2.0: a card's summary is under 140 characters."""


class BadHookRequest(ThighdxError):
    """A CDS Hooks request that does not follow the specification (answered 400)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class FhirAuthorization(BaseModel):
    model_config = ConfigDict(extra="allow")
    access_token: str = Field(min_length=1)
    token_type: Literal["Bearer"]
    expires_in: int = Field(ge=0)
    scope: str
    subject: str


class PatientViewContext(BaseModel):
    model_config = ConfigDict(extra="allow")
    userId: str = Field(min_length=1)
    patientId: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9\-\.]{1,64}$")
    encounterId: str | None = None


class HookRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    hook: str = Field(min_length=1)
    hookInstance: uuid.UUID
    fhirServer: str | None = Field(default=None, pattern=r"^https?://\S+$")
    fhirAuthorization: FhirAuthorization | None = None
    context: PatientViewContext
    prefetch: dict[str, Any] | None = None


def discovery() -> dict[str, Any]:
    return {"services": [{
        "hook": HOOK,
        "id": SERVICE_ID,
        "title": "thighdx: pain in the back of the thigh",
        "description": ("Offers a thighdx assessment (likely causes, urgency and care plan) for pain in the back "
                        "of the thigh, with the patient's age and sex from the record."),
        "prefetch": PREFETCH,
        "usageRequirements": "Optional: a JWT signed by a key configured in THIGHDX_CDS_JWKS.",
    }]}


def parse_request(body: Any) -> HookRequest:
    """The hook request, checked against CDS Hooks 2.0; BadHookRequest names the first fault."""
    if not isinstance(body, dict):
        raise BadHookRequest("body", "a CDS Hooks request is a JSON object with hook, hookInstance and context")
    try:
        request = HookRequest.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise BadHookRequest(where, str(first["msg"])) from None
    if request.hook != HOOK:
        raise BadHookRequest("hook", f"this service answers the {HOOK!r} hook, got {request.hook!r}")
    if request.fhirAuthorization is not None and request.fhirServer is None:
        raise BadHookRequest("fhirServer", "is required when fhirAuthorization is given")
    return request


def age_in_years(birth_date: str, today: date | None = None) -> float | None:
    """Whole years from a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD); None when unreadable."""
    parts = birth_date.split("-")
    try:
        year, month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, int(parts[2]) if len(parts) > 2 else 1
        born = date(year, month, day)
    except (ValueError, IndexError):
        return None
    today = today or date.today()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return float(years) if 0 <= years <= 120 else None


def fhir_server_allowed(url: str, allowed: tuple[str, ...]) -> bool:
    """Whether the service may read from this FHIR server: only from those configured in
    THIGHDX_CDS_FHIR_SERVERS (URL prefixes), so a caller cannot make thighdx fetch arbitrary addresses."""
    return any(url.startswith(prefix) for prefix in allowed)


def allowed_fhir_servers(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    env = os.environ if env is None else env
    return tuple(p.strip() for p in env.get("THIGHDX_CDS_FHIR_SERVERS", "").split(",") if p.strip())


def patient_of(request: HookRequest, allowed: tuple[str, ...] = ()) -> tuple[dict[str, Any] | None, str]:
    """The patient resource and where it came from (`prefetch`, `fhirServer` or `none`)."""
    prefetched = (request.prefetch or {}).get("patient")
    if prefetched is not None:
        if not isinstance(prefetched, dict) or prefetched.get("resourceType") != "Patient":
            raise BadHookRequest("prefetch.patient", "must be a FHIR Patient resource (or null when not found)")
        if prefetched.get("id") not in (None, request.context.patientId):
            raise BadHookRequest("prefetch.patient", "is not the patient named in context.patientId")
        return prefetched, "prefetch"
    if request.fhirServer and fhir_server_allowed(request.fhirServer, allowed):
        token = request.fhirAuthorization.access_token if request.fhirAuthorization else None
        found = read_patient(request.fhirServer, request.context.patientId, token)
        if found is not None:
            return found, "fhirServer"
    return None, "none"


def demographics(patient: dict[str, Any] | None) -> tuple[float | None, str | None]:
    if not patient:
        return None, None
    birth = patient.get("birthDate")
    age = age_in_years(birth) if isinstance(birth, str) else None
    gender = patient.get("gender")
    return age, gender if gender in ("male", "female") else None


def cards(request: HookRequest, base_url: str, allowed: tuple[str, ...] = (), linked: LinkedAssessment | None = None,
          launch: str | None = None, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """The cards for a patient-view request (the patient read from `fhirServer` only when it is allowed):
    the linked assessment's card first when there is one, then the card to start an interview
    (its link carrying `launch` when given)."""
    patient, source = patient_of(request, allowed)
    age, sex = demographics(patient)
    known = []
    if age is not None:
        known.append(f"age {age:g}")
    if sex is not None:
        known.append(sex)
    detail = ("thighdx asks the patient a few questions and answers the likely causes of pain in the back of "
              "the thigh, how urgent it is (five levels, red flags first) and a care plan; the result can be "
              "exported to the record as a FHIR Bundle.")
    if known:
        detail += f" From the record ({source}): {', '.join(known)}."
    else:
        detail += " The patient's age and sex were not available from the record; the interview asks them."
    home = base_url.rstrip("/") + "/"
    start = home + (f"?{urlencode({'launch': launch})}" if launch else "")
    if launch:
        detail += " An interview started from this card's link is linked to this patient (the link is valid for a limited time)."
    found = [assessment_card(request, base_url, linked, kb)] if linked is not None and kb is not None else []
    return {"cards": [*found, {
        "uuid": str(uuid.uuid5(request.hookInstance, "start")),
        "summary": "Back-of-thigh pain? Assess it with thighdx",
        "detail": detail,
        "indicator": "info",
        "source": {"label": "thighdx", "url": home},
        "links": [{"label": "Start a thighdx interview", "url": start, "type": "absolute"}],
    }]}


def indicator(level: str) -> Literal["info", "warning", "critical"]:
    """critical for an emergency (with or without an ambulance), warning for a doctor the same day, else info."""
    return "critical" if level in URGENT else "warning" if level in SAME_DAY else "info"


def assessment_card(request: HookRequest, base_url: str, linked: LinkedAssessment, kb: KnowledgeBase) -> dict[str, Any]:
    """The card of the latest assessment linked to the patient: triage level and leading cause."""
    from thighdx.interop.codesystem import LEVEL_TEXT
    from thighdx.web.interviews import reference_code

    base = base_url.rstrip("/")
    level = LEVEL_TEXT.get(linked.triage_level, linked.triage_level)
    condition = kb.conditions.get(linked.top_condition or "")
    cause = condition.name.en if condition is not None else None
    share = f" ({linked.top_probability:.0%})" if cause and linked.top_probability is not None else ""
    summary = f"thighdx: {level}" + (f"; most likely {cause}{share}" if cause else "")
    if len(summary) >= SUMMARY_LIMIT:
        summary = summary[:SUMMARY_LIMIT - 2].rstrip() + "…"
    lines = [f"**Triage:** {level} (`{linked.triage_level}`)."]
    if condition is not None:
        codes = condition.codes
        lines.append(f"**Leading cause:** {cause}{share}; ICD-10 {codes.icd10_who.code}, ICD-10-CM {codes.icd10_cm.code}, "
                     f"SNOMED CT {codes.snomed.code}.")
    flags = [kb.findings[f].label.en for f in linked.red_flags if f in kb.findings]
    if flags:
        lines.append("**Red flags:** " + "; ".join(flags) + ".")
    lines.append(f"Assessed {linked.assessed_at:%Y-%m-%d %H:%M} UTC, reference {reference_code(linked.interview_id)}. "
                 "The case page and the Bundle need a thighdx clinician sign-in.")
    return {
        "uuid": str(uuid.uuid5(request.hookInstance, f"assessment:{linked.interview_id}")),
        "summary": summary,
        "detail": "\n\n".join(lines),
        "indicator": indicator(linked.triage_level),
        "source": {"label": "thighdx", "url": base + "/"},
        "links": [
            {"label": "Open the thighdx case", "url": f"{base}/clinician/interviews/{linked.interview_id}", "type": "absolute"},
            {"label": "FHIR Bundle of the assessment", "url": f"{base}/api/v1/interviews/{linked.interview_id}/fhir", "type": "absolute"},
        ],
    }
