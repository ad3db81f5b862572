"""One mapping from the error tree (thighdx.errors) to application/problem+json responses."""

from __future__ import annotations

import json
import re
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from thighdx.errors import InputError, InterviewError, KnowledgeError, NotFound, StorageError, ThighdxError
from thighdx.store import AuthError, Expired, Forbidden

log = structlog.get_logger("thighdx.web")
PROBLEM = "application/problem+json"

STATUS: list[tuple[type[ThighdxError], int, str]] = [
    (InputError, 422, "Invalid request"),
    (Expired, 410, "Expired"),
    (NotFound, 404, "Not found"),
    (AuthError, 401, "Not authorised"),
    (Forbidden, 403, "Forbidden"),
    (InterviewError, 409, "Interview cannot go on"),
    (KnowledgeError, 503, "Knowledge base unavailable"),
    (StorageError, 503, "Database unavailable"),
    (ThighdxError, 400, "Bad request"),
]


def problem(status: int, title: str, detail: str, field: str | None = None, headers: dict[str, str] | None = None,
            errors: list[dict[str, Any]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if field is not None:
        body["field"] = field
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts
    return ".".join(parts) or "body"


NOT_AN_OBJECT = {"model_attributes_type", "model_type", "dict_type"}


def _is_json(request: Request) -> bool:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return content_type == "application/json" or (content_type.startswith("application/") and content_type.endswith("+json"))


def _message(request: Request, error: dict[str, Any], name: str) -> str:
    kind = error.get("type")
    if kind == "json_invalid":
        loc = tuple(error.get("loc", ()))
        where = f" at character {loc[1]}" if len(loc) > 1 and isinstance(loc[1], int) else ""
        reason = (error.get("ctx") or {}).get("error")
        return f"malformed JSON{where}" + (f" ({reason})" if reason else "")
    if name == "body" and kind in NOT_AN_OBJECT:
        if not _is_json(request):
            return "send a JSON object with Content-Type: application/json"
        return "must be a JSON object"
    if name == "body" and kind == "missing":
        return "the request body is empty; send a JSON object"
    return str(error.get("msg", "invalid value"))


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        name = "body" if e.get("type") == "json_invalid" else _field(loc)
        errors.append({"field": name, "message": _message(request, e, name)})
    first = errors[0] if errors else {"field": "body", "message": "invalid request"}
    return problem(422, "Invalid request", f"{first['field']}: {first['message']}", first["field"], errors=errors)


FIELD_PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_.\-]*): ")


def _thighdx(request: Request, exc: Exception) -> Response:
    if _page(request):
        from thighdx.web.pages.common import error_page

        return error_page(request, exc)
    for cls, status, title in STATUS:
        if isinstance(exc, cls):
            break
    if isinstance(exc, InputError):
        return problem(status, title, str(exc), exc.field)
    retry_after = getattr(exc, "retry_after", None)  # a throttled sign-in (thighdx.web.signin.Throttled)
    if isinstance(retry_after, int):
        return problem(429, "Too many sign-in attempts", str(exc), headers={"Retry-After": str(retry_after)})
    if status >= 500:
        log.error("service_unavailable", error=exc.__class__.__name__)
        return problem(status, title, "the service is not ready; try again shortly", headers={"Retry-After": "5"})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    detail = str(exc)
    named = FIELD_PREFIX.match(detail)  # "condition_id: unknown condition 'x'" names its field
    return problem(status, title, detail, named.group(1) if named else None, headers=headers)


def _unreadable(cause: BaseException | None) -> str:
    """Why the JSON parser gave up on a body (FastAPI reports every such failure as a bare 400)."""
    if isinstance(cause, UnicodeDecodeError):
        return "the request body is not valid UTF-8"
    if isinstance(cause, RecursionError):
        return "the JSON is nested too deeply"
    if isinstance(cause, ValueError) and not isinstance(cause, json.JSONDecodeError) and "digits" in str(cause):
        return "a number in the JSON has too many digits"
    return "the request body could not be read as JSON"


def _page(request: Request) -> bool:
    """Whether the address is one of the web pages (not the API): its errors are HTML pages."""
    try:
        from thighdx.web.pages.common import is_page_address
    except ImportError:  # the pages are optional
        return False
    return is_page_address(request.url.path)


def _html(request: Request, status: int) -> Response:
    from thighdx.web.pages.common import http_error_page

    return http_error_page(request, status)


def _routes(routes: Any) -> Any:
    """Every route, also those inside included routers."""
    for route in routes:
        if getattr(route, "path_regex", None) is not None and getattr(route, "methods", None):
            yield route
        inner = getattr(route, "routes", None) or getattr(getattr(route, "original_router", None), "routes", None)
        if inner:
            yield from _routes(inner)


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _page(request):
        response = _html(request, exc.status_code)
        for name, value in (getattr(exc, "headers", None) or {}).items():
            response.headers.setdefault(name, value)
        return response
    if exc.status_code == 400:  # an unreadable body: the contract wants 422 naming the field
        return problem(422, "Invalid request", f"body: {_unreadable(exc.__cause__)}", "body")
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:  # every method the address has, not only the first route's
        allowed = sorted({m for route in _routes(request.app.routes) if route.path_regex.match(request.url.path)
                          for m in (getattr(route, "methods", None) or ())})
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return problem(exc.status_code, detail, detail, headers=headers or None)


def _unexpected(request: Request, exc: Exception) -> Response:
    route = getattr(request.scope.get("route"), "path", "unmatched")
    log.error("unhandled_error", error=exc.__class__.__name__, route=route)
    if _page(request):
        return _html(request, 500)
    return problem(500, "Internal error", "something went wrong on our side; nothing about it was shown here")


def _fhir(handler: Any) -> Any:
    """The handler, answering at a FHIR address with the same error as a FHIR OperationOutcome."""
    from thighdx.interop.outcome import is_fhir_address, to_outcome

    def handle(request: Request, exc: Exception) -> Response:
        response: Response = handler(request, exc)
        return to_outcome(response) if is_fhir_address(request.url.path) else response

    return handle


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _fhir(_validation))
    app.add_exception_handler(ThighdxError, _fhir(_thighdx))
    app.add_exception_handler(StarletteHTTPException, _fhir(_http))
    app.add_exception_handler(Exception, _fhir(_unexpected))
