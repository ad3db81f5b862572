"""The patient pages: start, the questions (one a page, or a checklist of several on one page),
result, printable summary."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response

from thighdx.errors import InputError, InterviewError, ThighdxError
from thighdx.interview import Interview as CoreInterview
from thighdx.interview import why_we_ask
from thighdx.web.deps import get_store
from thighdx.web.interviews import answer, answer_screen, go_back, interview_result, interview_state, start_interview
from thighdx.web.pages.common import (
    CALL_COOKIE,
    EMERGENCY_LEVELS,
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


FAVICON = Path(__file__).resolve().parent.parent / "static" / "img" / "favicon.ico"


@router.get("/favicon.ico")
def favicon() -> Response:
    return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})


def _launch(request: Request, value: str | None) -> Any:
    """The EHR patient a launch value from a CDS card names (None without one); PageError 400 when
    it is forged, altered or expired: such an interview is never linked."""
    if not value:
        return None
    from thighdx.interop.launch import launch_key

    try:
        return launch_key(request.app.state).verify(value)
    except InputError as exc:
        raise PageError(400, "web_error_launch") from exc


@router.api_route("/", methods=["GET", "HEAD"])
def start_page(request: Request) -> Response:
    launch = request.query_params.get("launch")
    try:
        _launch(request, launch)
    except PageError as exc:
        return error_page(request, exc)
    return _start_page(request, values={"launch": launch} if launch else None)


@router.post("/start")
async def start(request: Request, store: DB) -> Response:
    form = await _form(request)
    lang = form.get("lang") if form.get("lang") in ("en", "tr") else language_of(request)
    try:
        check_token(form.get("csrf"), request.cookies.get(FORM_COOKIE))
        launch = _launch(request, form.get("launch"))
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
    if launch is not None:
        from thighdx.interop.links import link_launched

        link_launched(store, started.id, launch)
    response = redirect(_step_path(started.id, 1)) if not started.state.finished else redirect(f"{_path(started.id)}/result")
    set_cookie(request, response, SECRET_COOKIE, started.secret, path=_path(started.id))
    set_cookie(request, response, CALL_COOKIE, number, max_age=ONE_YEAR)
    return response


# --- questions ------------------------------------------------------------------------------
# Every question step has its own address (/interview/{id}/q/{n}); answering is POST, then a
# redirect to the next step's address (POST/redirect/GET), so the browser's Back and Forward
# walk the steps. An earlier step shows the answer given; choosing another answer there changes
# it (the answers after it are withdrawn and asked again). A form from a page that was current
# once but no longer is (a second tab, an old page) is not applied silently: the person is told,
# and shown the question being asked now.

def _step_path(interview_id: str, n: int) -> str:
    return f"{_path(interview_id)}/q/{n}"


def _asked(state: Any) -> list[dict[str, Any]]:
    """The answers given to questions, in the order asked."""
    return [a for a in state.answers if a.get("source") == "question"]


MAX_ROWS = 64
"""More findings than any screen shows: a longer `shown` list is not from a page of ours."""


def _screens(kb: Any, state: Any) -> list[dict[str, Any]]:
    """The screens answered so far, in order (step n is the n-th): each with the question shown,
    whether it was a checklist (the question and its grouped items on one page), the findings
    answered on it and the answers. The core interview is asked again screen by screen from the
    readings of the person's words, so a checklist answered on one page is one step, as going
    back withdraws it; answers it cannot place (given some other way) are a step each."""
    asked = [a for a in _asked(state) if a["id"] in kb.findings]
    readings = [(a["id"], a["choice_id"], "text") for a in state.answers
                if a.get("source") == "text" and a["id"] in kb.findings]
    core: Any = None
    try:
        core = CoreInterview.resume(kb, state.age, state.sex, state.language, readings)
    except ThighdxError:
        core = None
    screens: list[dict[str, Any]] = []
    i = 0
    while i < len(asked):
        question = core.step().question if core is not None else None
        shown = (question.finding, *question.items) if question is not None else ()
        if question is None or asked[i]["id"] not in shown:  # not a screen the interview would show: a step of its own
            core = None
            a = asked[i]
            screens.append({"question": a["id"], "purpose": None, "checklist": False, "rows": [a["id"]],
                            "answers": {a["id"]: a["choice_id"]}})
            i += 1
            continue
        taken: dict[str, str] = {}
        while i < len(asked) and asked[i]["id"] in shown and asked[i]["id"] not in taken:
            taken[asked[i]["id"]] = asked[i]["choice_id"]
            i += 1
        screens.append({"question": question.finding, "purpose": question.purpose, "checklist": bool(question.items),
                        "rows": [f for f in shown if f in taken], "answers": taken})
        try:
            core.answer_screen(list(taken.items()))
        except ThighdxError:
            core = None
    return screens


def _why(request: Request, state: Any, lang: str) -> str | None:
    """Why the current question is asked, in the page language (the engine's own reason)."""
    question = state.question
    if question is None:
        return None
    if state.language == lang:
        return question.get("why")
    kb = kb_for(request)
    separates = tuple(question.get("separates") or ()) or None
    shape = SimpleNamespace(purpose=question.get("purpose"), finding=question["id"], separates=separates, items=())
    try:
        return why_we_ask(kb, shape, lang)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a reason in the interview's language is better than none
        return question.get("why")


def _question_page(request: Request, interview_id: str, state: Any, secret: str, status: int = 200,
                   notice: str | None = None, step: int | None = None, marks: dict[str, str] | None = None,
                   missing: list[str] | None = None) -> Response:
    """The current question (step None or the current step), or an earlier one with its answer.
    A question with grouped items is a checklist: every item on the page, one answer each, one
    submit; `marks` are the answers shown ticked (a form sent back), `missing` the rows unanswered."""
    lang = language_of(request)
    screens = _screens(kb_for(request), state)
    current = len(screens) + 1
    n = current if step is None else step
    revisit = n < current
    if revisit:
        screen = screens[n - 1]
        finding, purpose, why = screen["question"], screen["purpose"], None
        rows = screen["rows"] if screen["checklist"] else []
        given = screen["answers"]
    else:
        finding = state.question["id"]
        items = [item["id"] for item in state.question.get("items") or ()]
        rows = [finding, *items] if items else []
        purpose, why = state.question.get("purpose"), _why(request, state, lang)
        given = {}
    chosen = given.get(finding) if revisit else None
    left = max(int(getattr(state, "questions_left", 0) or 0), 1)
    texts_match = state.language == lang
    return render(
        request, "question.html", status=status, state=state, interview_id=interview_id, texts_match=texts_match,
        csrf=form_token(secret, f"answer:{interview_id}"), n=n, current=current, left=left,
        asked_count=len(screens), finding=finding, chosen=chosen, purpose=purpose, why=why, revisit=revisit,
        rows=rows, marks={**given, **(marks or {})}, missing=missing or [],
        back_href=_step_path(interview_id, n - 1) if n > 1 else None,
        forward_href=_step_path(interview_id, n + 1) if revisit else None,
        notice=notice,
    )


def _load_state(request: Request, store: Any, interview_id: str) -> tuple[str, Any]:
    _valid_id(interview_id)
    secret = _secret(request)
    return secret, _in_language(interview_state, store, interview_id, secret, language=language_of(request))


def _next(request: Request, interview_id: str, state: Any) -> Response:
    """Where to go after an answer: the next step's address, or the result."""
    if state.finished or state.question is None:
        return redirect(f"{_path(interview_id)}/result")
    return redirect(_step_path(interview_id, len(_screens(kb_for(request), state)) + 1))


@router.get("/interview/{interview_id}")
def question(request: Request, interview_id: str, store: DB) -> Response:
    try:
        _, state = _load_state(request, store, interview_id)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    return _next(request, interview_id, state)


@router.get("/interview/{interview_id}/q/{step}")
def question_step(request: Request, interview_id: str, step: str, store: DB) -> Response:
    try:
        secret, state = _load_state(request, store, interview_id)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    current = len(_screens(kb_for(request), state)) + 1
    n = int(step) if step.isdigit() and len(step) < 4 else 0
    if n < 1 or n > current or (n == current and (state.finished or state.question is None)):
        return _next(request, interview_id, state)
    return _question_page(request, interview_id, state, secret, step=n)


def _stale(request: Request, interview_id: str, store: Any, secret: str) -> Response:
    """A form from a page that is no longer current: say so, and show the question asked now."""
    state = _in_language(interview_state, store, interview_id, secret, language=language_of(request))
    if state.finished or state.question is None:
        return error_page(request, PageError(409, "web_stale_answer_finished"), back_href=f"{_path(interview_id)}/result")
    return _question_page(request, interview_id, state, secret, status=409, notice="web_stale_answer")


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
        if finding not in kb_for(request).findings:
            raise PageError(422, "web_error_not_current_question")
        state = _in_language(interview_state, store, interview_id, secret, language=language_of(request))
        screens = _screens(kb_for(request), state)
        current = len(screens) + 1
        raw_step = form.get("step", "")
        step = int(raw_step) if raw_step.isdigit() and len(raw_step) < 4 else current
        earlier = screens[step - 1] if 1 <= step < current else None
        if earlier is not None and earlier["question"] == finding and not earlier["checklist"]:
            if earlier["answers"].get(finding) == choice:  # the same answer again (Forward, a double click): nothing changes
                return redirect(_step_path(interview_id, step + 1)) if step + 1 < current else _next(request, interview_id, state)
            if form.get("change") != "1":  # an old page, not one opened to change the answer
                return _stale(request, interview_id, store, secret)
            for _ in range(current - step):  # change an earlier answer: the ones after it are asked again
                state = go_back(store, interview_id, secret)
        elif step != current or (state.question is not None and state.question.get("items")):
            # an old page, or one question of what is now asked as a checklist (answered on its own page)
            return _stale(request, interview_id, store, secret)
        try:
            state = answer(store, interview_id, secret, finding, choice)
        except InterviewError:  # not the question being asked (another tab answered it first)
            return _stale(request, interview_id, store, secret)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=_path(interview_id))
    return _next(request, interview_id, state)


@router.post("/interview/{interview_id}/screen")
async def answer_checklist(request: Request, interview_id: str, store: DB) -> Response:
    """A checklist (a question and its grouped items on one page) answered at once. Every row
    shown needs an answer: a form with some missing comes back with them named and the answers
    given still ticked. "Mark all unanswered as No" (`fill`) ticks No on the rows left open and shows the
    page again to be checked; nothing is recorded until the checklist is sent."""
    form = await _form(request)
    lang = language_of(request)
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        check_token(form.get("csrf"), form_token(secret, f"answer:{interview_id}"))
        kb = kb_for(request)
        shown = form.get("shown", "").split(",")
        if not 1 <= len(shown) <= MAX_ROWS or len(set(shown)) != len(shown) or any(f not in kb.findings for f in shown):
            raise PageError(422, "web_error_not_current_question")
        marks: dict[str, str] = {}
        for finding in shown:
            choice = form.get(f"answer-{finding}", "")
            if choice and choice not in CHOICES:
                raise PageError(422, "web_error_bad_choice")
            if choice:
                marks[finding] = choice
        state = _in_language(interview_state, store, interview_id, secret, language=lang)
        screens = _screens(kb, state)
        current = len(screens) + 1
        raw_step = form.get("step", "")
        step = int(raw_step) if raw_step.isdigit() and len(raw_step) < 4 else current
        earlier = screens[step - 1] if 1 <= step < current else None
        if earlier is not None and earlier["checklist"] and earlier["rows"] == shown:
            if marks == earlier["answers"]:  # the same answers again (Forward, a double click): nothing changes
                return redirect(_step_path(interview_id, step + 1)) if step + 1 < current else _next(request, interview_id, state)
            if form.get("change") != "1":  # an old page (a second tab), not one opened to change the answers
                return _stale(request, interview_id, store, secret)
        elif step != current or state.question is None or \
                [state.question["id"], *(item["id"] for item in state.question.get("items") or ())] != shown:
            return _stale(request, interview_id, store, secret)
        if form.get("fill") == "absent":
            filled = {**{f: "absent" for f in shown}, **marks}
            return _question_page(request, interview_id, state, secret, step=step, marks=filled,
                                  notice="web_checklist_filled" if len(filled) > len(marks) else None)
        missing = [f for f in shown if f not in marks]
        if missing:
            return _question_page(request, interview_id, state, secret, status=422, step=step, marks=marks, missing=missing)
        for _ in range(current - step):  # change earlier answers: the screens after them are asked again
            state = go_back(store, interview_id, secret, kb=kb)
        try:
            state = answer_screen(store, interview_id, secret, [(f, marks[f]) for f in shown], kb=kb)
        except InterviewError:  # not the checklist being asked (another tab answered it first)
            return _stale(request, interview_id, store, secret)
    except ThighdxError as exc:
        return error_page(request, exc, back_href=_path(interview_id))
    return _next(request, interview_id, state)


@router.post("/interview/{interview_id}/back")
async def back(request: Request, interview_id: str, store: DB) -> Response:
    """The earlier step, with its answer shown (nothing is withdrawn until another answer is chosen)."""
    form = await _form(request)
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        check_token(form.get("csrf"), form_token(secret, f"answer:{interview_id}"))
        state = _in_language(interview_state, store, interview_id, secret, language=language_of(request))
    except ThighdxError as exc:
        return error_page(request, exc, back_href=_path(interview_id))
    asked = len(_screens(kb_for(request), state))
    raw_step = form.get("step", "")
    step = int(raw_step) if raw_step.isdigit() and len(raw_step) < 4 else asked + 1
    if asked == 0 or step <= 1:
        if state.question is None:
            return redirect(_path(interview_id))
        return _question_page(request, interview_id, state, secret, status=409, notice="nothing_to_go_back_to")
    return redirect(_step_path(interview_id, min(step, asked + 1) - 1))


# --- result ---------------------------------------------------------------------------------

TOP_CAUSES = 3
FIRST_STEPS = 2
"""How many of the likeliest cause's own steps "what to do now" shows first."""
SHOWN_FROM = 0.05
"""A cause is among the few shown first when at least 1 in 20 people with these answers have it."""


def _tenths(p: float) -> int:
    return round(p * 10)


def result_view(kb: Any, data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The result, short first: urgency (with what was not ruled out), what to do now, the two or
    three likely causes as "about N in 10", the warning signs; then the details a person opens.
    Explanations cite only what the person said they have (never an answer of no)."""
    tri = data["triage"]
    conditions = data["conditions"]
    top = [c for c in conditions[:TOP_CAUSES] if c["probability"] >= SHOWN_FROM]
    if len(top) < 2:
        top = conditions[:2]
    said = {}
    for e in data.get("explanations", []):
        said[e["condition"]] = list(dict.fromkeys(f["label"] for f in e["for"] if f["choice"] == "present"))
    causes = [{**c, "tenths": _tenths(c["probability"]), "said": said.get(c["id"], [])} for c in top]
    unscreened = list(tri.get("unscreened") or tri.get("not_ruled_out") or [])
    not_ruled_out = [kb.findings[f].label.get(lang) for f in unscreened if f in kb.findings]
    reason = tri.get("reason") or ""
    if unscreened:  # said once, next to the urgency, with what to do
        labels = ", ".join(kb.findings[f].label.get(lang) for f in unscreened if f in kb.findings)
        reason = reason.replace(kb.message("triage_unscreened", lang, findings=labels), "").strip()
    plans = data["care"]["conditions"]
    level_plan = data["care"]["level"]
    emergency = tri["level"] in EMERGENCY_LEVELS
    warnings = data.get("warning_signs", [])
    if emergency:  # one action: the level's own plan, not a home-care plan beside it
        do_now = list(dict.fromkeys(level_plan["do_now"]))
        level_care = kb.care.get(tri["level"])
        if level_care is not None:
            warnings = [{"change": w.change.get(lang), "action": w.action.get(lang), "level": w.level}
                        for w in level_care.safety_net]
    else:  # the level's steps and the first few of the likeliest cause's plan; the rest on demand
        do_now = list(dict.fromkeys([*level_plan["do_now"], *(plans[0]["do_now"][:FIRST_STEPS] if plans else [])]))
    if emergency:  # home-care advice (exercises, staying active) does not belong beside an emergency
        plans = []
    more_do = list(dict.fromkeys(i for p in plans for i in p["do_now"] if i not in do_now))
    avoid = list(dict.fromkeys([*level_plan["avoid"], *(i for p in plans for i in p["avoid"])]))
    ergonomics = list(dict.fromkeys(i for p in plans for i in p["ergonomics"]))
    breaks = list(dict.fromkeys(p["movement_breaks"] for p in plans if p.get("movement_breaks")))
    courses = list(dict.fromkeys(p["expected_course"] for p in plans if p.get("expected_course")))
    sources = list(dict.fromkeys([*level_plan["sources"], *(s for p in plans for s in p["sources"])]))
    return {
        "emergency": emergency,
        "reason": reason,
        "not_ruled_out": not_ruled_out,
        "causes": causes,
        "all_causes": conditions,
        "do_now": do_now,
        "more_do": more_do,
        "avoid": avoid,
        "daily": ergonomics + breaks,
        "courses": courses,
        "plans": plans,
        "warnings": warnings,
        "sources": sources,
    }


def _result(request: Request, interview_id: str, store: Any, template: str, view: bool = False) -> Response:
    lang = language_of(request)
    try:
        _valid_id(interview_id)
        secret = _secret(request)
        state = _in_language(interview_state, store, interview_id, secret, language=lang)
        data = interview_result(store, interview_id, secret, language=lang)
    except ThighdxError as exc:
        return error_page(request, exc, back_href="/")
    extra = {"view": result_view(kb_for(request), data, lang)} if view else {}
    return render(request, template, lang=lang, data=data, state=state, interview_id=interview_id,
                  csrf=form_token(secret, f"answer:{interview_id}"), **extra)


@router.get("/interview/{interview_id}/result")
def result(request: Request, interview_id: str, store: DB) -> Response:
    return _result(request, interview_id, store, "result.html", view=True)


@router.get("/interview/{interview_id}/summary")
def summary(request: Request, interview_id: str, store: DB) -> Response:
    return _result(request, interview_id, store, "summary.html")
