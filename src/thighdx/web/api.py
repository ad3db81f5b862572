"""The JSON API under /api/v1. Handlers only validate, call the engine or the store, and return."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import Response

from thighdx.knowledge.loader import KnowledgeBase
from thighdx.knowledge.schema import Level
from thighdx.numbers import PLACEHOLDER, default_number, fill
from thighdx.store import Store
from thighdx.web import clinicians, interviews, service
from thighdx.web.deps import get_kb, get_store
from thighdx.web.models import (
    AUTH,
    COMMON,
    CONFLICT,
    INTERVIEW,
    NOT_FOUND,
    AnswerRequest,
    ConditionSummary,
    DiagnosisRequest,
    DiagnosisResponse,
    ExplainRequest,
    ExplainResponse,
    FaqResponse,
    FindingOut,
    InterviewCreated,
    InterviewRequest,
    InterviewStateOut,
    Language,
    LoginRequest,
    ParseRequest,
    ParseResponse,
    ScreenRequest,
    TokenOut,
    TriageResponse,
    problem_response,
)

router = APIRouter(prefix="/api/v1", responses=COMMON, generate_unique_id_function=lambda route: route.name)
KB = Annotated[KnowledgeBase, Depends(get_kb)]
DB = Annotated[Store, Depends(get_store)]
Lang = Annotated[Language, Query(description="Language of the texts: en or tr.")]
Secret = Annotated[str, Header(alias="X-Interview-Secret", max_length=100, description="The secret returned when the interview was created.")]
InterviewId = Annotated[str, Path(max_length=64, description="The interview id.")]
Bearer = Annotated[str | None, Header(alias="Authorization", max_length=200, description="Bearer <clinician token>")]


def _filled(data: Any, language: str) -> Any:
    """An answer's texts with the emergency number filled in (the knowledge base says `{number}`):
    the API knows no chosen number, so the language's default (112, with 999 and 911 named in English)."""
    return fill(data, default_number(language))


def _filled_json(data: Any, language: str) -> bytes:
    """`_filled` and encoded as JSON, in one pass: the number is put into the encoded answer (as the
    JSON string it would be), which is the same text as encoding the filled answer, since the
    answer's keys are field names and ids and never hold `{number}`."""
    encoded = orjson.dumps(data)
    if PLACEHOLDER_JSON in encoded:
        encoded = encoded.replace(PLACEHOLDER_JSON, orjson.dumps(default_number(language))[1:-1])
    return encoded


PLACEHOLDER_JSON = orjson.dumps(PLACEHOLDER)[1:-1]


def _state(state: interviews.InterviewState, status: int = 200, **around: Any) -> Response:
    """An interview's state answered as JSON directly, as the diagnosis is (the tests and the schema
    check hold it to `InterviewStateOut`); with `around`, inside an object under `state`."""
    data = {**around, "state": state.as_dict()} if around else state.as_dict()
    return Response(_filled_json(data, state.language), status_code=status, media_type="application/json")


def _token(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


@router.post("/diagnosis", response_model=DiagnosisResponse, tags=["engine"], summary="One stateless interview step")
async def diagnosis(body: DiagnosisRequest, kb: KB) -> Any:
    """Ranked conditions, triage and the next question for the evidence given."""
    # The busiest endpoint: its answer is built to the documented schema and sent as JSON
    # directly (tests and the schema check hold it to DiagnosisResponse).
    data = service.diagnosis(kb, body.age, body.sex, body.language, body.pairs())
    return Response(_filled_json(data, body.language), media_type="application/json")


@router.post("/triage", response_model=TriageResponse, tags=["engine"], summary="Triage level only")
async def triage(body: DiagnosisRequest, kb: KB) -> Any:
    return _filled(service.triage_only(kb, body.age, body.sex, body.language, body.pairs()), body.language)


@router.post("/explain", response_model=ExplainResponse, tags=["engine"], summary="Why each condition is ranked where it is")
async def explain(body: ExplainRequest, kb: KB) -> Any:
    return _filled(service.explain_only(kb, body.age, body.sex, body.language, body.pairs(), body.top), body.language)


@router.post("/parse", response_model=ParseResponse, tags=["engine"], summary="Free text to findings")
def parse(body: ParseRequest, kb: KB) -> Any:
    return service.parse_text(kb, body.text, body.language)


@router.get("/conditions", response_model=list[ConditionSummary], tags=["knowledge"])
async def conditions(kb: KB, language: Lang = "en") -> Any:
    return service.conditions_list(kb, language)


@router.get("/conditions/{condition_id}", response_model=ConditionSummary, responses=NOT_FOUND, tags=["knowledge"])
async def condition(kb: KB, condition_id: Annotated[str, Path(max_length=80)], language: Lang = "en") -> Any:
    return service.condition_detail(kb, condition_id, language)


@router.get("/findings", response_model=list[FindingOut], tags=["knowledge"])
async def findings(kb: KB, language: Lang = "en") -> Any:
    return service.findings_list(kb, language)


@router.get("/findings/{finding_id}", response_model=FindingOut, responses=NOT_FOUND, tags=["knowledge"])
async def finding(kb: KB, finding_id: Annotated[str, Path(max_length=80)], language: Lang = "en") -> Any:
    return service.finding_detail(kb, finding_id, language)


@router.get("/faq", response_model=FaqResponse, tags=["knowledge"], summary="Answer a common question")
def faq(kb: KB, q: Annotated[str, Query(min_length=1, max_length=500)], language: Lang = "en") -> Any:
    return service.faq(kb, q, language)


def _link(operation: str) -> dict[str, Any]:
    return {"operationId": operation, "parameters": {"path.interview_id": "$response.body#/id", "header.X-Interview-Secret": "$response.body#/secret"}}


CREATED_LINKS = {201: {"description": "The interview, its secret and the first question.",
                       "links": {name: _link(name) for name in ("state", "answer", "back", "result", "summary_pdf")}}}


@router.post("/interviews", status_code=201, response_model=InterviewCreated, responses=CREATED_LINKS, tags=["interviews"],
             summary="Start an interview")
def start(body: InterviewRequest, store: DB, kb: KB, request: Request) -> Any:
    """With `launch` from a CDS Hooks card, the interview is linked to the patient it names."""
    from thighdx.interop.launch import launch_key
    from thighdx.interop.links import link_launched

    launch = launch_key(request.app.state).verify(body.launch) if body.launch is not None else None
    started = interviews.start_interview(store, body.age, body.sex, body.language, body.text, kb=kb)
    if launch is not None:
        link_launched(store, started.id, launch)
    return _state(started.state, 201, id=started.id, secret=started.secret)


@router.get("/interviews/{interview_id}", response_model=InterviewStateOut, responses=INTERVIEW, tags=["interviews"])
def state(interview_id: InterviewId, secret: Secret, store: DB, kb: KB) -> Any:
    return _state(interviews.interview_state(store, interview_id, secret, kb=kb))


@router.delete("/interviews/{interview_id}", status_code=204, response_class=Response, responses=NOT_FOUND, tags=["interviews"],
               summary="Delete your interview")
def delete_interview(interview_id: InterviewId, secret: Secret, store: DB) -> Response:
    """Delete the interview, every answer and its result for good, with its secret."""
    from thighdx.web.retention import delete_own

    delete_own(store, interview_id, secret)
    return Response(status_code=204)


@router.post("/interviews/{interview_id}/answers", response_model=InterviewStateOut, responses={**INTERVIEW, **CONFLICT}, tags=["interviews"])
def answer(interview_id: InterviewId, body: AnswerRequest, secret: Secret, store: DB, kb: KB) -> Any:
    """Answer the question being asked (or one of its grouped items). Stored before the reply is sent."""
    return _state(interviews.answer(store, interview_id, secret, body.finding_id, body.choice_id, kb=kb))


@router.post("/interviews/{interview_id}/screen", response_model=InterviewStateOut, responses={**INTERVIEW, **CONFLICT}, tags=["interviews"],
             summary="Answer a whole screen (the question and its grouped items)")
def answer_screen(interview_id: InterviewId, body: ScreenRequest, secret: Secret, store: DB, kb: KB) -> Any:
    """Answer the question being asked and any of its grouped items at once, as the red-flag
    checklist is answered on one screen. Checked as a whole, stored before the reply is sent."""
    return _state(interviews.answer_screen(store, interview_id, secret, body.pairs(), kb=kb))


@router.post("/interviews/{interview_id}/back", response_model=InterviewStateOut, responses={**INTERVIEW, **CONFLICT}, tags=["interviews"])
def back(interview_id: InterviewId, secret: Secret, store: DB, kb: KB) -> Any:
    return _state(interviews.go_back(store, interview_id, secret, kb=kb))


@router.get("/interviews/{interview_id}/result", responses=INTERVIEW, tags=["interviews"], summary="Assessment, triage and care plan")
def result(interview_id: InterviewId, secret: Secret, store: DB, kb: KB, language: Annotated[Language | None, Query()] = None) -> Any:
    # Sent as JSON directly, encoded once: a returned dict would be checked against the return
    # annotation on another of the worker's threads (waiting its turn behind every request queued
    # there) and then encoded on the event loop.
    data = interviews.interview_result(store, interview_id, secret, language, kb=kb)
    return Response(_filled_json(data, data.get("language") or language or "en"), media_type="application/json")


@router.get("/interviews/{interview_id}/summary.pdf", responses={**INTERVIEW, **AUTH, 200: {"content": {"application/pdf": {}},
             "description": "The doctor's summary as a PDF."}}, response_class=Response, tags=["interviews"],
             summary="The doctor's summary as a PDF")
def summary_pdf(interview_id: InterviewId, store: DB, kb: KB, language: Annotated[Language | None, Query()] = None,
                secret: Annotated[str | None, Header(alias="X-Interview-Secret", max_length=100)] = None,
                authorization: Bearer = None) -> Response:
    """With the interview's secret, or a clinician's bearer token (the read is audited)."""
    from thighdx.web.summary import summary_pdf as render_pdf

    token = _token(authorization)
    if token is not None or secret is None:
        who = clinicians.authenticate(store, token)
        data = clinicians.clinician_view(store, who, interview_id, language or clinicians.interview_language(store, interview_id), kb=kb)
    else:
        data = interviews.interview_result(store, interview_id, secret, language, kb=kb)
    lang = language or data.get("language") or "en"
    return Response(render_pdf(kb, _filled(data, lang), lang), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="thighdx-{data["reference"]}.pdf"', "Cache-Control": "no-store"})


SIGNIN_429 = {429: problem_response("Too many wrong sign-ins for this account or from this client: wait `Retry-After` seconds "
                                    "(a lock lasts 15 minutes unless another clinician lifts it).")}


@router.post("/clinician/login", response_model=TokenOut, responses={**AUTH, **SIGNIN_429}, tags=["clinician"])
async def login(body: LoginRequest, store: DB, request: Request) -> Any:
    client = request.client.host if request.client else "unknown"
    return {"token": await clinicians.sign_in(store, body.username, body.password, client), "token_type": "bearer"}


@router.post("/clinician/unlock", status_code=204, response_class=Response, responses=AUTH, tags=["clinician"],
             summary="Lift another account's sign-in lock")
def unlock(store: DB, username: Annotated[str, Body(embed=True, min_length=1, max_length=80)], authorization: Bearer = None) -> Response:
    """Forget an account's wrong sign-ins and lift its lock (audited with who lifted it)."""
    who = clinicians.authenticate(store, _token(authorization))
    clinicians.unlock(store, username, by=who)
    return Response(status_code=204)


@router.post("/clinician/logout", status_code=204, response_class=Response, responses=AUTH, tags=["clinician"])
def logout(store: DB, authorization: Bearer = None) -> Response:
    token = _token(authorization)
    clinicians.authenticate(store, token)
    clinicians.logout(store, token or "")
    return Response(status_code=204)


@router.get("/clinician/interviews", responses=AUTH, tags=["clinician"])
def clinician_interviews(store: DB, kb: KB, authorization: Bearer = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                         offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                         sort: Annotated[Literal["newest", "urgency"], Query(description="newest first, or the most urgent level first")] = "newest",
                         level: Annotated[Level | None, Query(description="only this urgency")] = None,
                         red_flag: Annotated[bool, Query(description="only interviews with a red flag answered yes")] = False,
                         unfinished: Annotated[bool, Query(description="only interviews not finished")] = False,
                         q: Annotated[str | None, Query(max_length=40, description="a reference code, TX-XXXX-XXXX (any case, dashes optional)")] = None,
                         ) -> list[dict[str, Any]]:
    """One page of interviews, sorted and filtered as the clinician list page is (each read audited)."""
    who = clinicians.authenticate(store, _token(authorization))
    query = clinicians.ListQuery(sort=sort, level=level, red_flag=red_flag, unfinished=unfinished,
                                 reference=clinicians.normalize_reference(q) if q else None)
    return clinicians.list_interviews(store, who, limit, offset, query=query, kb=kb)


@router.get("/clinician/interviews/{interview_id}", responses={**AUTH, **NOT_FOUND}, tags=["clinician"])
def clinician_interview(interview_id: InterviewId, store: DB, kb: KB, authorization: Bearer = None, language: Lang = "en") -> dict[str, Any]:
    who = clinicians.authenticate(store, _token(authorization))
    return _filled(clinicians.clinician_view(store, who, interview_id, language, kb=kb), language)


@router.get("/clinician/audit", responses=AUTH, tags=["clinician"])
def audit(store: DB, authorization: Bearer = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[dict[str, Any]]:
    """The newest audit entries from `offset` (the auditor role only; this read is audited too)."""
    who = clinicians.authenticate(store, _token(authorization))
    return clinicians.audit_entries(store, limit, reader=who, offset=offset)
