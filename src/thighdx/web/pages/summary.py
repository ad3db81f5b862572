"""The doctor's summary as a PDF, for the person (their interview cookie) and for a signed-in clinician.

The summary page itself is /interview/{id}/summary (patient pages) and renders the same view."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from thighdx.errors import ThighdxError
from thighdx.web.clinicians import authenticate, clinician_view
from thighdx.web.deps import get_store
from thighdx.web.interviews import interview_result
from thighdx.web.pages.common import CLINICIAN_COOKIE, SECRET_COOKIE, PageError, _env, error_page, kb_for, language_of
from thighdx.web.summary import summary_pdf, summary_view

DB = Annotated[Any, Depends(get_store)]
router = APIRouter(include_in_schema=False)
_env.globals["summary_view"] = summary_view


def pdf_response(pdf: bytes, reference: str) -> Response:
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="thighdx-{reference}.pdf"', "Cache-Control": "no-store"})


def _valid_id(interview_id: str) -> str:
    if not (8 <= len(interview_id) <= 64) or not all(c.isalnum() or c in "-_" for c in interview_id):
        raise PageError(404, "interview_not_found")
    return interview_id


@router.get("/interview/{interview_id}/summary.pdf")
def person_pdf(request: Request, interview_id: str, store: DB) -> Response:
    lang = language_of(request)
    try:
        _valid_id(interview_id)
        secret = request.cookies.get(SECRET_COOKIE)
        if not secret:
            raise PageError(403, "web_error_no_secret")
        data = interview_result(store, interview_id, secret, language=lang)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    return pdf_response(summary_pdf(kb_for(request), data, lang), data["reference"])


@router.get("/clinician/interviews/{interview_id}/summary.pdf")
def clinician_pdf(request: Request, interview_id: str, store: DB) -> Response:
    lang = language_of(request)
    try:
        _valid_id(interview_id)
        token = request.cookies.get(CLINICIAN_COOKIE)
        if not token:
            raise PageError(401, "web_error_sign_in_first")
        data = clinician_view(store, authenticate(store, token), interview_id, language=lang)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/clinician/interviews")
    return pdf_response(summary_pdf(kb_for(request), data, lang), data["reference"])
