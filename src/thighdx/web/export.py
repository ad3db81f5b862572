"""A clinician exports one case: the interview, its answers and its assessment as JSON, or the
interview as its HL7 FHIR R4 Bundle (`thighdx.interop.bundle`). Over the API with a bearer token
(`GET /api/v1/clinician/interviews/{id}/export?format=json|fhir`) and from the clinician's case
page; every export is audited (`export`, with the format), and needs the clinician role."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import Response

from thighdx.errors import NotFound, ThighdxError
from thighdx.interop.bundle import interview_bundle
from thighdx.knowledge.loader import KnowledgeBase
from thighdx.store import Store
from thighdx.store.models import Interview
from thighdx.web import clinicians, interviews
from thighdx.web.deps import get_kb, get_store
from thighdx.web.models import AUTH, COMMON, NOT_FOUND

Format = Literal["json", "fhir"]
FHIR_JSON = "application/fhir+json"
KB = Annotated[KnowledgeBase, Depends(get_kb)]
DB = Annotated[Store, Depends(get_store)]


def _when(moment: datetime | None) -> str | None:
    return interviews.aware(moment).isoformat() if moment is not None else None


def export_case(store: Store, who: clinicians.Clinician, interview_id: str, kind: str, kb: KnowledgeBase) -> tuple[bytes, str, str]:
    """The case as (body, media type, file name); audited as `export` with the format."""
    from thighdx.interop.routes import _record

    clinicians._require(who, "clinician")
    with store.write() as session:
        row = session.get(Interview, interview_id) if isinstance(interview_id, str) else None
        if row is None:
            raise NotFound("interview not found")
        reference = interviews.reference_code(row.id)
        if kind == "fhir":
            body = interview_bundle(kb, _record(session, row)).model_dump_json(exclude_none=True).encode()
            media, name = FHIR_JSON, f"thighdx-{reference}.fhir.json"
        else:
            answers = [{"seq": a.seq, "finding_id": a.finding_id, "choice_id": a.choice_id, "source": a.source,
                        "at": _when(a.created_at)} for a in interviews._answers(session, row.id)]
            case = {
                "format": "thighdx-case", "version": 1, "exported_at": interviews.now().isoformat(), "exported_by": who.username,
                "interview": {"id": row.id, "reference": reference, "created_at": _when(row.created_at), "updated_at": _when(row.updated_at),
                              "age": row.age, "sex": row.sex, "language": row.language, "status": row.status,
                              "triage_level": row.triage_level, "description": row.description,
                              "knowledge_base": {"version": row.kb_version, "hash": row.kb_hash}},
                "answers": answers,
                "result": interviews.result_data(kb, session, row, row.language),
            }
            body, media, name = orjson.dumps(case, default=str), "application/json", f"thighdx-{reference}.json"
        clinicians._audit(session, who.id, "export", row.id, detail=kind)
    return body, media, name


def _download(body: bytes, media: str, name: str, page: bool = False) -> Response:
    """A download; never cached (the API's answers get `no-store` from the service middleware, a page's here)."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if page:
        headers["Cache-Control"] = "no-store"
    return Response(body, media_type=media, headers=headers)


router = APIRouter(responses=COMMON, generate_unique_id_function=lambda route: route.name)


@router.get("/api/v1/clinician/interviews/{interview_id}/export", response_class=Response, tags=["clinician"],
            responses={**AUTH, **NOT_FOUND, 200: {"description": "The case as JSON, or as its FHIR R4 Bundle.",
                                                  "content": {"application/json": {"schema": {"type": "object"}},
                                                              FHIR_JSON: {"schema": {"type": "object", "required": ["resourceType"]}}}}},
            summary="Export one case (audited)")
def export(interview_id: Annotated[str, Path(max_length=64)], store: DB, kb: KB,
           format: Annotated[Format, Query(description="json (the case) or fhir (its R4 Bundle)")] = "json",
           authorization: Annotated[str | None, Header(alias="Authorization", max_length=200, description="Bearer <clinician token>")] = None,
           ) -> Response:
    """The interview, its answers and its assessment (`json`), or its FHIR R4 Bundle (`fhir`), as a
    download. The clinician role only; every export is audited."""
    token = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    who = clinicians.authenticate(store, token)
    return _download(*export_case(store, who, interview_id, format, kb))


@router.get("/clinician/interviews/{interview_id}/export", include_in_schema=False)
def export_page(request: Request, interview_id: str, store: DB, kb: KB) -> Response:
    """The same download from the clinician's case page (signed in with the page's cookie)."""
    from thighdx.web.pages.common import CLINICIAN_COOKIE, PageError, error_page

    kind = request.query_params.get("format", "json")
    try:
        if kind not in ("json", "fhir"):
            raise PageError(422, "web_error_input")
        who = clinicians.authenticate(store, request.cookies.get(CLINICIAN_COOKIE))
        return _download(*export_case(store, who, interview_id, kind, kb), page=True)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"/clinician/interviews/{interview_id}")
