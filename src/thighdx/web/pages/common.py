"""What every page shares: language, emergency number, cookies, CSRF tokens, rendering, errors.

The pages hold no clinical logic: they call the interview and clinician services (the same
functions as the HTTP API) and show what those return.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from thighdx.errors import InputError, InterviewError, KnowledgeError, NotFound, StorageError, ThighdxError
from thighdx.knowledge.loader import KnowledgeBase, load_kb

LANGUAGES = ("en", "tr")
LANG_COOKIE = "thighdx_lang"
CALL_COOKIE = "thighdx_call"
FORM_COOKIE = "thighdx_form"
"""Double-submit CSRF cookie for the forms shown before an interview or a sign-in exists."""
SECRET_COOKIE = "thighdx_secret"
"""The interview secret; scoped to the interview's own path, so each interview has its own."""
CLINICIAN_COOKIE = "thighdx_clinician"
EMERGENCY_NUMBERS = ("112", "911", "999")
EMERGENCY_LEVELS = ("emergency", "emergency_ambulance")
ONE_YEAR = 365 * 24 * 3600

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["web_label"] = lambda fid, kb, lang: kb.findings[fid].label.get(lang) if fid in kb.findings else fid


class PageError(ThighdxError):
    """A request the page refuses, with its HTTP status and the message key shown to the person."""

    def __init__(self, status: int, key: str, **values: object) -> None:
        self.status = status
        self.key = key
        self.values = values
        super().__init__(key)


def kb_for(request: Request) -> KnowledgeBase:
    state = getattr(request.scope.get("app"), "state", None)
    kb = getattr(state, "kb", None) if state is not None else None
    return kb if isinstance(kb, KnowledgeBase) else load_kb()


# --- language and emergency number ----------------------------------------------------------

def _accept_language(request: Request) -> list[tuple[str, str]]:
    """(language, region) pairs from Accept-Language, in the order given."""
    out = []
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if not tag or tag == "*":
            continue
        lang, _, region = tag.partition("-")
        out.append((lang, region))
    return out


def language_of(request: Request) -> str:
    """?lang= beats the cookie, which beats Accept-Language; English otherwise."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    for lang, _ in _accept_language(request):
        if lang in LANGUAGES:
            return lang
    return "en"


def default_number(request: Request) -> str:
    """112 (Türkiye, the EU and the default); 911 for en-US; 999 for en-GB."""
    for _lang, region in _accept_language(request)[:1]:
        if region == "us":
            return "911"
        if region == "gb":
            return "999"
    return "112"


def emergency_number(request: Request) -> str:
    chosen = request.cookies.get(CALL_COOKIE)
    return chosen if chosen in EMERGENCY_NUMBERS else default_number(request)


# --- tokens ---------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(32)


def form_token(key: str, purpose: str) -> str:
    """A per-form token derived from a secret only the person's browser holds."""
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def check_token(given: object, expected: str | None) -> None:
    if not isinstance(given, str) or not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise PageError(403, "web_error_csrf")


def set_cookie(request: Request, response: Response, name: str, value: str, path: str = "/",
               max_age: int | None = None, http_only: bool = True, same_site: str = "strict") -> None:
    """HttpOnly and SameSite=Strict by default; Secure when the page was served over HTTPS."""
    response.set_cookie(name, value, path=path, max_age=max_age, httponly=http_only, samesite=same_site,
                        secure=request.url.scheme == "https")


# --- rendering ------------------------------------------------------------------------------

def percent(kb: KnowledgeBase, p: float, language: str) -> str:
    value = round(p * 100)
    text = "<1" if p > 0 and value < 1 else str(value)
    return kb.message("result_probability", language, percent=text)


LIKELIHOOD_WORDS = ((0.5, "web_likelihood_high"), (0.2, "web_likelihood_medium"), (0.05, "web_likelihood_low"))


def likelihood_key(p: float) -> str:
    """A plain word for a probability (display only; the figure is shown beside it)."""
    for threshold, key in LIKELIHOOD_WORDS:
        if p >= threshold:
            return key
    return "web_likelihood_very_low"


def switch_url(request: Request, language: str) -> str:
    query = dict(request.query_params)
    query["lang"] = language
    return f"{request.url.path}?{urlencode(query)}"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    kb = kb_for(request)
    lang = context.pop("lang", None) or language_of(request)
    other = "tr" if lang == "en" else "en"

    def t(key: str, **values: object) -> str:
        return kb.message(key, lang, **values)

    html = _env.get_template(template).render(
        request=request,
        kb=kb,
        lang=lang,
        other_lang=other,
        switch_href=switch_url(request, other),
        t=t,
        pct=lambda p: percent(kb, p, lang),
        likelihood=lambda p: t(likelihood_key(p)),
        number=emergency_number(request),
        emergency_levels=EMERGENCY_LEVELS,
        **context,
    )
    response = HTMLResponse(fill_number(html, emergency_number(request)), status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = lang
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(request, response, LANG_COOKIE, lang, max_age=ONE_YEAR, same_site="lax")
    return response


NUMBER_PLACEHOLDER = "{number}"
"""Knowledge-base texts (care plans, red-flag messages) never hard-code an emergency number: they
say `{number}`, and every page fills it with the number the person chose."""


def fill_number(text: str, number: str) -> str:
    return text.replace(NUMBER_PLACEHOLDER, number)


def redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


ERROR_KEYS = {
    "age": "age_invalid",
    "sex": "sex_invalid",
    "language": "web_error_language",
    "finding_id": "web_error_not_current_question",
    "choice_id": "web_error_bad_choice",
}


def error_page(request: Request, exc: Exception, back_href: str | None = None) -> HTMLResponse:
    """A plain 4xx page in the person's language; never another person's data, never a trace."""
    from thighdx.store import AuthError, Expired, Forbidden  # the store's error types

    status, key, values = 400, "web_error_input", {}
    if isinstance(exc, PageError):
        status, key, values = exc.status, exc.key, exc.values
    elif isinstance(exc, Expired):
        status, key = 410, "web_error_expired"
    elif isinstance(exc, NotFound):
        status, key = 404, "interview_not_found"
    elif isinstance(exc, AuthError):
        status, key = 401, "web_error_auth"
    elif isinstance(exc, Forbidden):
        status, key = 403, "web_error_auth"
    elif isinstance(exc, InputError):
        status, key = 422, ERROR_KEYS.get(exc.field, "web_error_input")
    elif isinstance(exc, InterviewError):
        status = 409
        key = "nothing_to_go_back_to" if "go back to" in str(exc) and "finding_id" not in str(exc) else "web_error_not_current_question"
    elif isinstance(exc, (KnowledgeError, StorageError)):
        status, key = 503, "something_went_wrong"
    return render(request, "error.html", status=status, message_key=key, values=values, back_href=back_href)


HTTP_ERROR_KEYS = {404: "web_error_not_found", 405: "web_error_method", 408: "web_error_timeout",
                   413: "web_error_too_large", 429: "web_error_too_many", 431: "web_error_too_large"}
"""The message for an HTTP error the framework raises (unknown address, wrong method...)."""
API_PREFIXES = ("/api/", "/healthz", "/metrics", "/openapi.json", "/docs", "/redoc", "/fhir/", "/cds-services")


def is_page_address(path: str) -> bool:
    """Everything but the API and the operations endpoints is a page: its errors are HTML."""
    return not (path == "/api" or path.startswith(API_PREFIXES))


def http_error_page(request: Request, status: int, key: str | None = None) -> HTMLResponse:
    """The HTML error page, in the person's language, for an error the framework raises on a page address."""
    if key is None:
        key = "something_went_wrong" if status >= 500 else HTTP_ERROR_KEYS.get(status, "web_error_input")
    try:
        return render(request, "error.html", status=status, message_key=key, values={}, back_href=None,
                      title_key="web_error_not_found_title" if status == 404 else None)
    except Exception:  # noqa: BLE001 - the error page must not fail: a plain page without the layout
        return HTMLResponse("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error - thighdx</title>"
                            "</head><body><main><h1>Something went wrong</h1><p><a href=\"/\">Start again</a></p></main>"
                            "</body></html>", status_code=status)


def status_page(scope: dict[str, Any], status: int, headers: Sequence[tuple[str, str]] = ()) -> HTMLResponse:
    """The HTML page for a request refused before it reached a page (cross-site form, body too long
    or too slow, too many requests or headers), in the person's language, with the refusal's headers."""
    response = http_error_page(Request(scope), status, "web_error_cross_site" if status == 403 else None)
    for name, value in headers:
        response.headers[name] = value
    return response
