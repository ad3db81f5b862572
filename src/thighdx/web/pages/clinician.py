"""The clinician view: sign-in, the list of interviews (sorted, filtered and searched by plain GET
parameters), one case, the audit log for auditors and a not-found page. Every read is audited by
the clinician service (list_interviews, clinician_view, audit_entries)."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from thighdx.errors import InputError, NotFound, ThighdxError
from thighdx.knowledge.schema import LEVELS
from thighdx.web.clinicians import (
    SORTS,
    Clinician,
    ListQuery,
    audit_entries,
    authenticate,
    clinician_view,
    list_interviews,
    logout,
    normalize_reference,
)
from thighdx.web.clinicians import sign_in as check_sign_in
from thighdx.web.deps import get_store
from thighdx.web.pages.common import (
    CLINICIAN_COOKIE,
    FORM_COOKIE,
    PageError,
    check_token,
    error_page,
    form_token,
    kb_for,
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
    response = redirect(_home_of(await anyio.to_thread.run_sync(authenticate, store, token)))
    set_cookie(request, response, CLINICIAN_COOKIE, token, path=BASE)
    return response


def _home_of(who: Clinician) -> str:
    """Where an account starts: the interviews for a clinician, the audit log for an auditor."""
    return f"{BASE}/audit" if who.role == "auditor" else f"{BASE}/interviews"


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
def home(request: Request, store: DB) -> Response:
    """The account's start page (the list signs in first when no one is signed in)."""
    try:
        return redirect(_home_of(authenticate(store, request.cookies.get(CLINICIAN_COOKIE))))
    except ThighdxError:
        return redirect(f"{BASE}/interviews")


FLAG_VALUES = ("", "0", "1", "on")
MAX_OFFSET = 1_000_000


def _offset(value: str | None) -> int | None:
    """The offset asked (0 when absent), or None when it is not a whole number from 0 to a million."""
    value = (value or "0").strip()
    return int(value) if value.isdigit() and int(value) <= MAX_OFFSET else None


def _list_query(request: Request) -> tuple[ListQuery, int, dict[str, str], list[tuple[str, str, dict[str, str]]]]:
    """The list asked for by the address (sort, level, red_flag, unfinished, q, offset), the form's
    values as given, and the problems found: (field id, message key, values) each."""
    params = request.query_params
    form = {name: (params.get(name) or "").strip()[:100] for name in ("q", "sort", "level", "red_flag", "unfinished")}
    errors: list[tuple[str, str, dict[str, str]]] = []
    sort = form["sort"] or "newest"
    if sort not in SORTS:
        errors.append(("sort", "clin_error_sort", {}))
        sort = "newest"
    level = form["level"] or None
    if level is not None and level not in LEVELS:
        errors.append(("level", "clin_error_level", {}))
        level = None
    flags = {}
    for name in ("red_flag", "unfinished"):
        if form[name] not in FLAG_VALUES:
            errors.append((name, "clin_error_flag", {"value": form[name][:40]}))
        flags[name] = form[name] in ("1", "on")
    reference = None
    if form["q"]:
        try:
            reference = normalize_reference(form["q"])
        except InputError:
            errors.append(("q", "clin_error_reference", {"value": form["q"][:40]}))
    offset = _offset(params.get("offset"))
    if offset is None:
        errors.append(("offset", "clin_error_offset", {}))
        offset = 0
    query = ListQuery(sort=sort, level=level, red_flag=flags["red_flag"], unfinished=flags["unfinished"], reference=reference)
    return query, offset, form, errors


def _list_href(query: ListQuery, offset: int = 0) -> str:
    """The address of a page of the list with the same order, filters and search."""
    params = {"q": query.reference or "", "sort": "" if query.sort == "newest" else query.sort, "level": query.level or "",
              "red_flag": "1" if query.red_flag else "", "unfinished": "1" if query.unfinished else "",
              "offset": str(offset) if offset else ""}
    kept = urlencode({k: v for k, v in params.items() if v})
    return f"{BASE}/interviews" + (f"?{kept}" if kept else "")


def _signed_in(request: Request, store: Any) -> tuple[str, Clinician]:
    token = _token(request)
    return token, authenticate(store, token)


@router.get("/interviews")
def interviews(request: Request, store: DB) -> Response:
    query, offset, form, errors = _list_query(request)
    try:
        token, clinician = _signed_in(request, store)
        if clinician.role == "auditor":
            return redirect(f"{BASE}/audit")
        rows = [] if errors else list_interviews(store, clinician, limit=PAGE_SIZE + 1, offset=offset, query=query,
                                                 kb=kb_for(request))
    except PageError as exc:
        if exc.key == "web_error_sign_in_first":
            return redirect(f"{BASE}/login")
        return error_page(request, exc)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"{BASE}/login")
    shown = rows[:PAGE_SIZE]
    return render(request, "clinician/list.html", status=400 if errors else 200, clinician=clinician, rows=shown,
                  offset=offset, more=len(rows) > PAGE_SIZE, page_size=PAGE_SIZE, logout_csrf=form_token(token, "logout"),
                  form=form, errors=errors, query=query, levels=LEVELS, filtered=any(form.values()),
                  newer_href=_list_href(query, max(offset - PAGE_SIZE, 0)) if offset > 0 else None,
                  older_href=_list_href(query, offset + PAGE_SIZE) if len(rows) > PAGE_SIZE else None,
                  first_href=_list_href(query) if offset > 0 else None)


def _not_found(request: Request, clinician: Clinician, token: str) -> Response:
    return render(request, "clinician/not_found.html", status=404, clinician=clinician, logout_csrf=form_token(token, "logout"))


@router.get("/interviews/{interview_id}")
def case(request: Request, interview_id: str, store: DB) -> Response:
    lang = language_of(request)
    try:
        token, clinician = _signed_in(request, store)
        view = clinician_view(store, clinician, interview_id, language=lang, kb=kb_for(request))
    except NotFound:
        return _not_found(request, clinician, token)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"{BASE}/login")
    return render(request, "clinician/case.html", lang=lang, clinician=clinician, data=view,
                  interview_id=interview_id, logout_csrf=form_token(token, "logout"),
                  lr=lambda log_lr: likelihood_ratio(log_lr, lang), shown_lr=SHOWN_LR)


SHOWN_LR = 0.05
"""A finding whose likelihood ratio is within about 5% of 1 hardly moved the cause: not listed."""


def likelihood_ratio(log_lr: float, language: str) -> str:
    """A likelihood ratio for reading (from its natural log): 2 significant figures, the decimal
    mark of the language (3.2 / 3,2; 14; 0.25 / 0,25)."""
    value = math.exp(log_lr)
    text = f"{value:.0f}" if value >= 10 else f"{value:.1f}" if value >= 1 else f"{value:.2g}"
    return text.replace(".", ",") if language == "tr" else text


AUDIT_PAGE = 100


@router.get("/audit")
def audit(request: Request, store: DB) -> Response:
    offset = _offset(request.query_params.get("offset"))
    try:
        token, reader = _signed_in(request, store)
        if offset is None:
            raise PageError(400, "clin_error_offset")
        entries = audit_entries(store, limit=AUDIT_PAGE + 1, reader=reader, offset=offset)
    except PageError as exc:
        if exc.key == "web_error_sign_in_first":
            return redirect(f"{BASE}/login")
        return error_page(request, exc, back_href=f"{BASE}/audit")
    except ThighdxError as exc:
        return error_page(request, exc, back_href=f"{BASE}/login")
    return render(request, "clinician/audit.html", clinician=reader, entries=entries[:AUDIT_PAGE], offset=offset,
                  logout_csrf=form_token(token, "logout"), reference=_reference_of,
                  newer_href=f"{BASE}/audit?offset={max(offset - AUDIT_PAGE, 0)}" if offset > 0 else None,
                  older_href=f"{BASE}/audit?offset={offset + AUDIT_PAGE}" if len(entries) > AUDIT_PAGE else None)


def _reference_of(interview_id: str | None) -> str:
    from thighdx.web.interviews import reference_code

    return reference_code(interview_id) if interview_id else "-"
