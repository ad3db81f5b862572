"""HTTP endpoints of the interoperability layer: FHIR R4 resources, SDC $next-question and CDS Hooks.

    GET  /api/v1/interviews/{id}/fhir        the interview's Bundle (secret, or a clinician token: audited)
    GET  /fhir/Questionnaire/thighdx          the questions, from the knowledge base
    GET  /fhir/CodeSystem/{id}                thighdx-findings, thighdx-choices, thighdx-triage, thighdx-scores
    POST /fhir/Questionnaire/$next-question   adaptive SDC: the next item of the interview
    GET  /cds-services                        CDS Hooks discovery
    POST /cds-services/{id}                   the patient-view service (cards)
    POST /cds-services/{id}/feedback          CDS Hooks feedback (acknowledged)
    PUT|GET|DELETE /api/v1/interviews/{id}/patient-link   a clinician links the interview to an EHR patient (audited)

Bad input to a FHIR address answers a FHIR OperationOutcome (thighdx.interop.outcome); the CDS
Hooks endpoints answer their errors as application/problem+json with `detail` and `field`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from thighdx.errors import NotFound
from thighdx.interop import cds
from thighdx.interop.bundle import InterviewRecord, interview_bundle
from thighdx.interop.cds_auth import CdsAuth
from thighdx.interop.codes import OWN_SYSTEMS
from thighdx.interop.codesystem import code_system
from thighdx.interop.launch import PATIENT_ID, launch_key
from thighdx.interop.outcome import OUTCOME_SCHEMA
from thighdx.interop.questionnaire import questionnaire
from thighdx.interop.sdc import next_question
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.store import Store
from thighdx.store.models import Interview
from thighdx.web import clinicians, interviews
from thighdx.web.deps import get_kb, get_store
from thighdx.web.errors import problem
from thighdx.web.models import AUTH, COMMON, NOT_FOUND, PROBLEM_SCHEMA, Language, problem_response

FHIR_JSON = "application/fhir+json"
KB = Annotated[KnowledgeBase, Depends(get_kb)]
DB = Annotated[Store, Depends(get_store)]
SystemId = Literal["thighdx-findings", "thighdx-choices", "thighdx-triage", "thighdx-scores"]
assert set(SystemId.__args__) == set(OWN_SYSTEMS)  # type: ignore[attr-defined]

router = APIRouter(responses=COMMON, generate_unique_id_function=lambda route: route.name)


def _fhir(resource: Any) -> Response:
    return Response(resource.model_dump_json(exclude_none=True), media_type=FHIR_JSON, headers={"Cache-Control": "no-store"})


def fhir_content(description: str) -> dict[Any, Any]:
    return {200: {"description": description, "content": {FHIR_JSON: {"schema": {"type": "object", "required": ["resourceType"]}}}},
            **FHIR_ERRORS}


def outcome_response(description: str, refused_before: bool = False) -> dict[str, Any]:
    """An error answer of a FHIR address: an OperationOutcome (and, when `refused_before`, the
    problem+json of a request the service refuses before it reaches the endpoint)."""
    content: dict[str, Any] = {FHIR_JSON: {"schema": OUTCOME_SCHEMA}}
    if refused_before:
        content["application/problem+json"] = {"schema": PROBLEM_SCHEMA}
    return {"description": description, "content": content}


FHIR_ERRORS: dict[int | str, dict[str, Any]] = {
    422: outcome_response("Invalid request: an OperationOutcome whose `issue[0].expression` names the field at fault "
                          "(a body too large or with a repeated key is refused before the endpoint, as problem+json).",
                          refused_before=True),
    503: outcome_response("The knowledge base or the database is not available (OperationOutcome)."),
}
FHIR_INTERVIEW: dict[int | str, dict[str, Any]] = {
    401: outcome_response("Missing, wrong, expired or revoked clinician token (OperationOutcome)."),
    403: outcome_response("The token's account may not read interviews (OperationOutcome)."),
    404: outcome_response("No such interview, or a wrong secret (OperationOutcome)."),
    410: outcome_response("The interview has expired (OperationOutcome)."),
}


def _record(session: Session, row: Interview) -> InterviewRecord:
    answers = interviews._answers(session, row.id)
    return InterviewRecord(id=row.id, reference=interviews.reference_code(row.id), created_at=interviews.aware(row.created_at),
                           age=float(row.age), sex=row.sex, language=row.language,
                           answers=[(a.finding_id, a.choice_id, a.source) for a in answers],
                           answered_under={"version": row.kb_version or "", "hash": row.kb_hash or ""} if row.kb_hash else None)


@router.get("/api/v1/interviews/{interview_id}/fhir", response_class=Response, tags=["interviews", "fhir"],
            responses={**FHIR_INTERVIEW, **fhir_content("The interview as an HL7 FHIR R4 Bundle (collection).")},
            summary="The interview as a FHIR R4 Bundle")
def interview_fhir(interview_id: Annotated[str, Path(max_length=64)], store: DB, kb: KB,
                   secret: Annotated[str | None, Header(alias="X-Interview-Secret", max_length=100)] = None,
                   authorization: Annotated[str | None, Header(alias="Authorization", max_length=200)] = None) -> Response:
    """With the interview's secret, or a clinician's bearer token (the read is audited as `fhir`).

    QuestionnaireResponse, Observations of findings and scores, RiskAssessment, ClinicalImpression."""
    token = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    if token is not None or secret is None:
        who = clinicians.authenticate(store, token)
        require = getattr(clinicians, "_require", None)  # the role check, where accounts have roles
        if require is not None:
            require(who, "clinician")
        with store.write() as session:
            row = session.get(Interview, interview_id)
            if row is None:
                raise NotFound("interview not found")
            record = _record(session, row)
            clinicians._audit(session, who.id, "fhir", interview_id)
    else:
        with store.read() as session:
            record = _record(session, interviews._load(session, interview_id, secret))
    return _fhir(interview_bundle(kb, record))


@router.get("/fhir/Questionnaire/thighdx", response_class=Response, tags=["fhir"],
            responses=fhir_content("Every thighdx question as a FHIR R4 Questionnaire."), summary="The thighdx Questionnaire")
def fhir_questionnaire(kb: KB, language: Annotated[Language, Query(description="en or tr")] = "en") -> Response:
    return _fhir(questionnaire(kb, language))


@router.get("/fhir/CodeSystem/{system_id}", response_class=Response, tags=["fhir"],
            responses={**fhir_content("One of thighdx's code systems as a FHIR R4 CodeSystem."),
                       404: outcome_response("No such code system (OperationOutcome).")}, summary="A thighdx CodeSystem")
def fhir_code_system(system_id: Annotated[SystemId, Path(description="thighdx-findings, thighdx-choices, thighdx-triage or thighdx-scores")],
                     kb: KB) -> Response:
    return _fhir(code_system(kb, system_id))


QR_BODY = {"required": True, "content": {ct: {"schema": {
    "type": "object", "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string", "enum": ["QuestionnaireResponse", "Parameters"]}},
    "description": "A QuestionnaireResponse with its contained adaptive Questionnaire (or a Parameters resource "
                   "with a `questionnaire-response` part)."}} for ct in (FHIR_JSON, "application/json")}}


@router.post("/fhir/Questionnaire/$next-question", response_class=Response, tags=["fhir"],
             responses=fhir_content("The QuestionnaireResponse with the next question added to its contained Questionnaire."),
             openapi_extra={"requestBody": QR_BODY}, summary="Adaptive SDC: the next question")
async def fhir_next_question(request: Request, kb: KB) -> Response:
    """The same engine step as POST /api/v1/diagnosis, for an SDC form filler."""
    return _fhir(next_question(kb, await _json(request, for_cds=False)))


# ---- CDS Hooks ------------------------------------------------------------------------------

HOOK_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["hook", "hookInstance", "context"],
    "description": "A CDS Hooks 2.0 request for the patient-view hook (optional fields are omitted, never null).",
    "properties": {
        "hook": {"type": "string", "enum": [cds.HOOK]},
        "hookInstance": {"type": "string", "format": "uuid"},
        "fhirServer": {"type": "string", "pattern": "^https?://\\S+$"},
        "fhirAuthorization": {"type": "object", "required": ["access_token", "token_type", "expires_in", "scope", "subject"],
                              "properties": {"access_token": {"type": "string", "minLength": 1}, "token_type": {"type": "string", "enum": ["Bearer"]},
                                             "expires_in": {"type": "integer", "minimum": 0}, "scope": {"type": "string"},
                                             "subject": {"type": "string"}}},
        "context": {"type": "object", "required": ["userId", "patientId"],
                    "properties": {"userId": {"type": "string", "minLength": 1},
                                   "patientId": {"type": "string", "pattern": "^[A-Za-z0-9\\-\\.]{1,64}$"},
                                   "encounterId": {"type": "string"}}},
        "prefetch": {"type": "object", "properties": {"patient": {"type": "object", "required": ["resourceType"],
                                                                  "properties": {"resourceType": {"type": "string", "enum": ["Patient"]}}}}},
    },
}
HOOK_BODY = {"required": True, "content": {"application/json": {"schema": HOOK_SCHEMA}}}
BAD_HOOK = {400: problem_response("Not a valid CDS Hooks request; `detail` and `field` name the fault."),
            401: problem_response("CDS client JWT missing or rejected (when THIGHDX_CDS_JWKS is set)."),
            404: problem_response("No such CDS service.")}


async def _json(request: Request, for_cds: bool) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        if for_cds:
            raise cds.BadHookRequest("body", "the request body is not JSON") from None
        from thighdx.errors import InputError

        raise InputError("body", "the request body is not JSON") from None


def _auth(request: Request) -> CdsAuth:
    state = request.app.state
    found: CdsAuth | None = getattr(state, "cds_auth", None)
    if found is None:
        found = state.cds_auth = CdsAuth.from_env()
    return found


def _service(service_id: str) -> None:
    if service_id != cds.SERVICE_ID:
        raise NotFound(f"service_id: no CDS service {service_id!r}; GET /cds-services lists them")


def _bad(error: cds.BadHookRequest) -> JSONResponse:
    return problem(400, "Bad CDS Hooks request", str(error), error.field)


@router.get("/cds-services", tags=["cds-hooks"], summary="CDS Hooks discovery")
def cds_discovery() -> dict[str, Any]:
    return cds.discovery()


@router.post("/cds-services/{service_id}", tags=["cds-hooks"], responses=BAD_HOOK, openapi_extra={"requestBody": HOOK_BODY},
             summary="CDS Hooks service call (patient-view)")
async def cds_call(request: Request, service_id: Annotated[str, Path(max_length=80)],
                   authorization: Annotated[str | None, Header(alias="Authorization", max_length=4000)] = None) -> Any:
    """Cards for the patient in the hook's context (CDS Hooks 2.0)."""
    _service(service_id)
    claims = _auth(request).verify(authorization, str(request.url.replace(query='')), service_id)
    try:
        hook = cds.parse_request(await _json(request, for_cds=True))
    except cds.BadHookRequest as error:
        return _bad(error)
    from starlette.concurrency import run_in_threadpool

    try:
        return await run_in_threadpool(_cards, request, hook, claims is not None)
    except cds.BadHookRequest as error:
        return _bad(error)


def _cards(request: Request, hook: cds.HookRequest, authenticated: bool) -> dict[str, Any]:
    """The cards; a linked assessment and a signed launch only for an authenticated EHR (a CDS
    client JWT checked against THIGHDX_CDS_JWKS) that names its FHIR server."""
    linked, launch = None, None
    if authenticated and hook.fhirServer:
        from thighdx.interop.links import latest_assessment

        linked = latest_assessment(request.app.state.store, hook.fhirServer, hook.context.patientId)
        launch = launch_key(request.app.state).sign(hook.fhirServer, hook.context.patientId)
    return cds.cards(hook, str(request.base_url), cds.allowed_fhir_servers(), linked=linked, launch=launch, kb=load_kb())


@router.post("/cds-services/{service_id}/feedback", tags=["cds-hooks"], responses=BAD_HOOK, summary="CDS Hooks feedback",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "type": "object", "required": ["feedback"], "properties": {"feedback": {"type": "array", "items": {"type": "object"}}}}}}}})
async def cds_feedback(request: Request, service_id: Annotated[str, Path(max_length=80)],
                       authorization: Annotated[str | None, Header(alias="Authorization", max_length=4000)] = None) -> Any:
    """Acknowledges feedback on cards (nothing is stored)."""
    _service(service_id)
    _auth(request).verify(authorization, str(request.url.replace(query='')), service_id)
    try:
        body = await _json(request, for_cds=True)
        if not isinstance(body, dict) or not isinstance(body.get("feedback"), list):
            raise cds.BadHookRequest("feedback", "send {\"feedback\": [...]} as CDS Hooks 2.0 describes")
    except cds.BadHookRequest as error:
        return _bad(error)
    return {}


# ---- links of interviews to EHR patients ------------------------------------------------------

class PatientLinkRequest(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"fhirServer": "https://ehr.example.org/fhir/r4", "patientId": "1288992"}]})
    fhirServer: str = Field(min_length=8, max_length=500, pattern=r"^https?://[^\s/?#@]+(/[^\s?#]*)?$",
                            description="The EHR's FHIR server base URL, as its CDS Hooks requests name it in `fhirServer`.")
    patientId: str = Field(pattern=PATIENT_ID.pattern, description="The Patient's id on that server (`context.patientId`).")


class PatientLinkOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    interview_id: str
    fhirServer: str
    patientId: str
    linked_at: str
    via: Literal["launch", "clinician"]


Bearer = Annotated[str | None, Header(alias="Authorization", max_length=200, description="Bearer <clinician token>")]
InterviewId = Annotated[str, Path(max_length=64, description="The interview id.")]
LINK_ERRORS: dict[int | str, dict[str, Any]] = {**AUTH, **NOT_FOUND, 403: problem_response("The token's account may not see interviews (an auditor).")}


def _clinician(store: Store, authorization: str | None) -> clinicians.Clinician:
    token = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    who = clinicians.authenticate(store, token)
    clinicians._require(who, "clinician")
    return who


@router.put("/api/v1/interviews/{interview_id}/patient-link", response_model=PatientLinkOut, responses=LINK_ERRORS,
            tags=["clinician", "cds-hooks"], summary="Link the interview to an EHR patient")
def put_patient_link(interview_id: InterviewId, body: PatientLinkRequest, store: DB, authorization: Bearer = None) -> Any:
    """A clinician links the interview to a patient of an EHR (its FHIR server and Patient id),
    replacing an earlier link; audited as `link`. The patient-view CDS service then shows the
    interview's latest assessment for that patient."""
    from thighdx.interop.links import link_by_clinician

    who = _clinician(store, authorization)
    return link_by_clinician(store, who.id, interview_id, body.fhirServer, body.patientId)


@router.get("/api/v1/interviews/{interview_id}/patient-link", response_model=PatientLinkOut, responses=LINK_ERRORS,
            tags=["clinician", "cds-hooks"], summary="The EHR patient the interview is linked to")
def get_patient_link(interview_id: InterviewId, store: DB, authorization: Bearer = None) -> Any:
    """Audited as `link_read`; 404 when the interview is not linked."""
    from thighdx.interop.links import read_link

    who = _clinician(store, authorization)
    return read_link(store, who.id, interview_id)


@router.delete("/api/v1/interviews/{interview_id}/patient-link", status_code=204, response_class=Response, responses=LINK_ERRORS,
               tags=["clinician", "cds-hooks"], summary="Unlink the interview from its EHR patient")
def delete_patient_link(interview_id: InterviewId, store: DB, authorization: Bearer = None) -> Response:
    """Audited as `unlink`; 404 when the interview is not linked."""
    from thighdx.interop.links import unlink_by_clinician

    who = _clinician(store, authorization)
    unlink_by_clinician(store, who.id, interview_id)
    return Response(status_code=204)
