"""The patient pages: start, one question at a time, result, printable summary."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from thighdx.errors import InputError, ThighdxError
from thighdx.web.deps import get_store
from thighdx.web.interviews import answer, go_back, interview_result, interview_state, start_interview
from thighdx.web.pages.common import (
    CALL_COOKIE,
    EMERGENCY_NUMBERS,
    FORM_COOKIE,
    ONE_YEAR,
    SECRET_COOKIE,
    PageError,
    check_token,
    default_number,
    emergency_number,
    error_page,
    form_token,
    kb_for,
    language_of,
    new_token,
    redirect,
    render,
    set_cookie,
)

DB = Annotated[Any, Depends(get_store)]
router = APIRouter(include_in_schema=False)
CHOICES = ("present", "absent", "unknown")
MAX_DESCRIPTION = 2000


def _in_language(fn: Callable[..., Any], *args: Any, language: str) -> Any:
    """Call an interview service function asking for its texts in the page language, when it offers that."""
    if "language" in inspect.signature(fn).parameters:
        return fn(*args, language=language)
    return fn(*args)


def _path(interview_id: str) -> str:
    return f"/interview/{interview_id}"


def _secret(request: Request) -> str:
    secret = request.cookies.get(SECRET_COOKIE)
    if not secret:
        raise PageError(403, "web_error_no_secret")
    return secret


def _valid_id(interview_id: str) -> str:
    if not (8 <= len(interview_id) <= 64) or not all(c.isalnum() or c in "-_" for c in interview_id):
        raise PageError(404, "interview_not_found")
    return interview_id


async def _form(request: Request) -> dict[str, str]:
    try:
        form = await request.form()
    except Exception as exc:  # a malformed body is the sender's fault
        raise PageError(400, "web_error_input") from exc
    return {k: v for k, v in form.items() if isinstance(v, str)}


# --- start ----------------------------------------------------------------------------------

def _start_page(request: Request, status: int = 200, values: dict[str, str] | None = None,
                errors: dict[str, str] | None = None) -> Response:
    token = request.cookies.get(FORM_COOKIE) or new_token()
    values = values or {}
    response = render(
        request, "start.html", status=status, form_token=token, values=values, errors=errors or {},
        chosen_number=values.get("number") or emergency_number(request), numbers=EMERGENCY_NUMBERS,
    )
    set_cookie(request, response, FORM_COOKIE, token)
    return response


@router.api_route("/", methods=["GET", "HEAD"])
def start_page(request: Request) -> Response:
    return _start_page(request)


@router.post("/start")
async def start(request: Request, store: DB) -> Response:
    form = await _form(request)
    lang = form.get("lang") if form.get("lang") in ("en", "tr") else language_of(request)
    try:
        check_token(form.get("csrf"), request.cookies.get(FORM_COOKIE))
    except PageError as exc:
        return error_page(request, exc, back_href="/")
    errors: dict[str, str] = {}
    raw_age = form.get("age", "").strip()
    try:
        age = int(raw_age)
        if not 0 <= age <= 120:
            raise ValueError
    except ValueError:
        errors["age"] = "age_invalid"
    sex = form.get("sex", "")
    if sex not in ("male", "female"):
        errors["sex"] = "sex_invalid"
    text = form.get("description", "").strip()[:MAX_DESCRIPTION] or None
    number = form.get("number", "")
    if number not in EMERGENCY_NUMBERS:
        number = default_number(request)
    if errors:
        return _start_page(request, 422, values={**form, "number": number}, errors=errors)
    try:
        started = start_interview(store, age=age, sex=sex, language=lang, text=text)
    except InputError as exc:
        field = exc.field if exc.field in ("age", "sex") else "description"
        errors[field] = {"age": "age_invalid", "sex": "sex_invalid"}.get(field, "web_error_input")
        return _start_page(request, 422, values={**form, "number": number}, errors=errors)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    response = redirect(_path(started.id))
    set_cookie(request, response, SECRET_COOKIE, started.secret, path=_path(started.id))
    set_cookie(request, response, CALL_COOKIE, number, max_age=ONE_YEAR)
    return response


# --- questions ------------------------------------------------------------------------------

def _question_page(request: Request, interview_id: str, state: Any, secret: str, status: int = 200,
                   notice: str | None = None) -> Response:
    kb = kb_for(request)
    total = max(kb.interview.max_questions, state.questions_asked + 1)
    texts_match = state.language == language_of(request) or "language" in inspect.signature(interview_state).parameters
    return render(
        request, "question.html", status=status, state=state, interview_id=interview_id, texts_match=texts_match,
        csrf=form_token(secret, f"answer:{interview_id}"), n=state.questions_asked + 1, total=total,
        notice=notice,
    )


@router.get("/interview/{interview_id}")
def question(request: Request, interview_id: str, store: DB) -> Response:
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        state = _in_language(interview_state, store, interview_id, secret, language=language_of(request))
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    if state.finished or state.question is None:
        return redirect(f"{_path(interview_id)}/result")
    return _question_page(request, interview_id, state, secret)


@router.post("/interview/{interview_id}/answer")
async def answer_question(request: Request, interview_id: str, store: DB) -> Response:
    form = await _form(request)
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        check_token(form.get("csrf"), form_token(secret, f"answer:{interview_id}"))
        finding, choice = form.get("finding", ""), form.get("choice", "")
        if choice not in CHOICES:
            raise PageError(422, "web_error_bad_choice")
        state = answer(store, interview_id, secret, finding, choice)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=_path(interview_id))
    if state.finished or state.question is None:
        return redirect(f"{_path(interview_id)}/result")
    return redirect(_path(interview_id))


@router.post("/interview/{interview_id}/back")
async def back(request: Request, interview_id: str, store: DB) -> Response:
    form = await _form(request)
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        check_token(form.get("csrf"), form_token(secret, f"answer:{interview_id}"))
        state = _in_language(interview_state, store, interview_id, secret, language=language_of(request))
        if not state.can_go_back:
            return _question_page(request, interview_id, state, secret, status=409,
                                  notice="nothing_to_go_back_to") if state.question else redirect(_path(interview_id))
        go_back(store, interview_id, secret)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=_path(interview_id))
    return redirect(_path(interview_id))


# --- result ---------------------------------------------------------------------------------

def _result(request: Request, interview_id: str, store: Any, template: str) -> Response:
    lang = language_of(request)
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        state = _in_language(interview_state, store, interview_id, secret, language=lang)
        data = interview_result(store, interview_id, secret, language=lang)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    return render(request, template, lang=lang, data=data, state=state, interview_id=interview_id,
                  csrf=form_token(secret, f"answer:{interview_id}"))


@router.get("/interview/{interview_id}/result")
def result(request: Request, interview_id: str, store: DB) -> Response:
    return _result(request, interview_id, store, "result.html")


@router.get("/interview/{interview_id}/summary")
def summary(request: Request, interview_id: str, store: DB) -> Response:
    return _result(request, interview_id, store, "summary.html")
