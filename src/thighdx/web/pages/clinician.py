"""The clinician view: sign-in, the list of interviews and one case. Every read is audited
by the clinician service (list_interviews, clinician_view)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from thighdx.errors import ThighdxError
from thighdx.web.clinicians import authenticate, clinician_view, list_interviews, logout
from thighdx.web.clinicians import sign_in as check_sign_in
from thighdx.web.deps import get_store
from thighdx.web.pages.common import (
    CLINICIAN_COOKIE,
    FORM_COOKIE,
    PageError,
    check_token,
    error_page,
    form_token,
    language_of,
    new_token,
    redirect,
    render,
    set_cookie,
)
from thighdx.web.signin import Throttled

DB = Annotated[Any, Depends(get_store)]
router = APIRouter(prefix="/clinician", include_in_schema=False)
PAGE_SIZE = 50
BASE = "/clinician"


def _login_page(request: Request, status: int = 200, error: str | None = None, username: str = "") -> Response:
    token = request.cookies.get(FORM_COOKIE) or new_token()
    response = render(request, "clinician/login.html", status=status, form_token=token, error=error, username=username)
    set_cookie(request, response, FORM_COOKIE, token)
    return response


def _token(request: Request) -> str:
    token = request.cookies.get(CLINICIAN_COOKIE)
    if not token:
        raise PageError(401, "web_error_sign_in_first")
    return token


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
async def sign_in(request: Request, store: DB) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        check_token(values.get("csrf"), request.cookies.get(FORM_COOKIE))
    except PageError as exc:
        return error_page(request, exc, back_href=f"{BASE}/login")
    username = values.get("username", "").strip()[:100]
    password = values.get("password", "")[:1000]
    try:
        token = await check_sign_in(store, username, password, request.client.host if request.client else "unknown")
    except Throttled as exc:
        response = _login_page(request, 429, error="web_error_too_many", username=username)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except ThighdxError:
        return _login_page(request, 401, error="web_error_sign_in_failed", username=username)
    response = redirect(f"{BASE}/interviews")
    set_cookie(request, response, CLINICIAN_COOKIE, token, path=BASE)
    return response


@router.post("/logout")
async def sign_out(request: Request, store: DB) -> Response:
    form = await request.form()
    try:
        token = _token(request)
        check_token(form.get("csrf"), form_token(token, "logout"))
        logout(store, token)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"{BASE}/login")
    response = redirect(f"{BASE}/login")
    response.delete_cookie(CLINICIAN_COOKIE, path=BASE)
    return response


@router.get("")
@router.get("/")
def home(request: Request) -> Response:
    return redirect(f"{BASE}/interviews")


@router.get("/interviews")
def interviews(request: Request, store: DB) -> Response:
    try:
        offset = int(request.query_params.get("offset", "0"))
    except ValueError:
        offset = 0
    offset = max(0, min(offset, 1_000_000))
    try:
        token = _token(request)
        clinician = authenticate(store, token)
        rows = list_interviews(store, clinician, limit=PAGE_SIZE + 1, offset=offset)
    except PageError as exc:
        if exc.key == "web_error_sign_in_first":
            return redirect(f"{BASE}/login")
        return error_page(request, exc)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"{BASE}/login")
    return render(request, "clinician/list.html", clinician=clinician, rows=rows[:PAGE_SIZE], offset=offset,
                  more=len(rows) > PAGE_SIZE, page_size=PAGE_SIZE, logout_csrf=form_token(token, "logout"))


@router.get("/interviews/{interview_id}")
def case(request: Request, interview_id: str, store: DB) -> Response:
    lang = language_of(request)
    try:
        token = _token(request)
        clinician = authenticate(store, token)
        view = clinician_view(store, clinician, interview_id, language=lang)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"{BASE}/interviews")
    return render(request, "clinician/case.html", lang=lang, clinician=clinician, data=view,
                  interview_id=interview_id, logout_csrf=form_token(token, "logout"))
