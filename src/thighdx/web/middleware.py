"""One pure-ASGI middleware: security headers, body size limit, rate limit, metrics and the request log."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlsplit

import anyio
import structlog
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from thighdx.config import Settings
from thighdx.errors import ThighdxError
from thighdx.knowledge.loader import load_kb
from thighdx.web import api, metrics
from thighdx.web.models import TEXT_LIMIT, DiagnosisRequest
from thighdx.web.ratelimit import RateLimiter

log = structlog.get_logger("thighdx.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
NO_STORE = (b"cache-control", b"no-store")
PAGE_HEADERS = (*SECURITY_HEADERS, (b"content-security-policy", CSP.encode()))
# JSON answers are never rendered as documents: the strictest policy, and no caching.
API_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    NO_STORE,
)
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_HEADERS = 100
MAX_HEADER_BYTES = 16384
"""More headers, or more bytes of them, are refused (431) before anything else is done."""
CLIENT_CLOSED = 499
"""Recorded (metrics and log) for a request whose client went away before its body was read: the
client's doing, never a server error."""
DIAGNOSIS_PATH = "/api/v1/diagnosis"


def _is_json(scope: dict[str, Any], suffix: bool = False) -> bool:
    """Whether the body is declared JSON (`application/json`; with `suffix`, also `application/*+json`)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            kind = value.split(b";")[0].strip().lower()
            return kind == b"application/json" or (suffix and kind.startswith(b"application/") and kind.endswith(b"+json"))
    return False


class _Repeated(dict):  # type: ignore[type-arg]
    """A JSON object in which `key` appeared more than once."""

    key = ""


def duplicate_key(body: bytes) -> str | None:
    """The first key given twice in one object of a JSON body, as a dotted path (`evidence.1.id`), or
    None (also when the body is not JSON at all: the route says what is wrong with it then)."""
    found: list[bool] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        seen: set[str] = set()
        repeated = _Repeated(obj)
        repeated.key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        found.append(True)
        return repeated

    try:
        value = json.loads(body, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):
        return None
    if not found:
        return None

    def where(node: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
        if isinstance(node, _Repeated):
            return (*path, node.key)
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            hit = where(child, (*path, str(key)))
            if hit is not None:
                return hit
        return None

    path = where(value, ())
    return ".".join(path) if path else None


def _header(scope: dict[str, Any], wanted: bytes) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return bytes(value)
    return None


def _relative(location: bytes, public_url: str) -> bytes:
    """A redirect's `Location` never names a host taken from the request: an absolute address keeps
    its host only when it is the configured public URL's; otherwise it becomes relative (or, with a
    public URL set, that URL's)."""
    text = location.decode("latin-1")
    parts = urlsplit(text)
    if not parts.scheme and not parts.netloc:
        return location
    if public_url and f"{parts.scheme}://{parts.netloc}".lower() == public_url:
        return location
    rest = (parts.path if parts.path.startswith("/") else "/" + parts.path) + (f"?{parts.query}" if parts.query else "") \
        + (f"#{parts.fragment}" if parts.fragment else "")
    return (public_url + rest).encode("latin-1")


SAME_SITE = (b"same-origin", b"none")


def cross_site(scope: dict[str, Any], public_url: str) -> bool:
    """Whether a form was sent from another site. A browser says where a request comes from: with
    `Sec-Fetch-Site`, only `same-origin` (or `none`, typed by the person) passes; without it, the
    `Origin` must be the public URL or name the host the request was sent to (`null` never passes).
    A request with neither header (a client that is not a browser) passes: the form's token still
    has to match."""
    site = _header(scope, b"sec-fetch-site")
    if site is not None:
        return site.strip().lower() not in SAME_SITE
    origin = _header(scope, b"origin")
    if origin is None:
        return False
    text = origin.decode("latin-1").strip().lower()
    if public_url and text == public_url:
        return False
    host = (_header(scope, b"host") or b"").decode("latin-1").strip().lower()
    parts = urlsplit(text)
    return text == "null" or parts.scheme not in ("http", "https") or not host or parts.netloc != host


def _page_address(path: str) -> bool:
    try:
        from thighdx.web.pages.common import is_page_address
    except ImportError:  # the pages are optional
        return False
    return is_page_address(path)


PAGE_STATUS = {422: 413}
"""A refusal in the middleware is answered on a page address with its HTML page: a body too long is 413
there (the API keeps the contract's 422)."""
TEXT_PATHS = {"/api/v1/parse", "/api/v1/interviews"}


def _problem(status: int, title: str, detail: str, field: str | None, extra: list[tuple[bytes, bytes]] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if field:
        body["field"] = field
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(raw)).encode()), *extra]
    return {"type": "http.response.start", "status": status, "headers": headers}, {"type": "http.response.body", "body": raw}


class ServiceMiddleware:
    def __init__(self, app: Any, settings: Settings, limiter: RateLimiter | None) -> None:
        self.app = app
        self.settings = settings
        self.limiter = limiter

    def _client(self, scope: dict[str, Any]) -> str:
        if self.settings.trust_proxy:
            for name, value in scope.get("headers", ()):
                if name == b"x-forwarded-for":
                    return value.decode("latin-1").split(",")[0].strip()
        client = scope.get("client")
        return client[0] if client else "unknown"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope.get("path", "")
        status_box = [500]
        route: str | None = None  # the route template, when answered here rather than by the framework's router
        security = API_HEADERS if path.startswith("/api/") else PAGE_HEADERS  # /docs too: no script from anywhere else
        public_url = self.settings.public_url

        async def send_wrapped(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status_box[0] = message["status"]
                headers = message.get("headers", [])
                if 300 <= message["status"] < 400:
                    headers = [(n, _relative(v, public_url)) if n.lower() == b"location" else (n, v) for n, v in headers]
                message["headers"] = [*headers, *security]
            await send(message)

        page = _page_address(path)
        original_receive = receive

        async def refuse(status: int, title: str, detail: str, field: str | None, extra: list[tuple[bytes, bytes]] = ()) -> None:
            if page:  # a person's browser: the page in their language, never JSON
                from thighdx.web.pages.common import status_page

                response = status_page(scope, PAGE_STATUS.get(status, status), [(n.decode("latin-1"), v.decode("latin-1")) for n, v in extra])
                await response(scope, original_receive, send_wrapped)
                return
            start, body = _problem(status, title, detail, field, list(extra))
            await send_wrapped(start)
            await send_wrapped(body)

        try:
            headers = scope.get("headers", ())
            if len(headers) > MAX_HEADERS or sum(len(n) + len(v) for n, v in headers) > MAX_HEADER_BYTES:
                await refuse(431, "Request header fields too large",
                             f"at most {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes of them", "headers")
                return
            if self.limiter is not None and self.limiter.limit > 0 and path not in ("/healthz", "/metrics"):
                client = RateLimiter.key(self._client(scope))
                moment = time.time()
                self.limiter.count(client, moment)
                if self.limiter.needs_sync(client, moment):
                    try:
                        await anyio.to_thread.run_sync(self.limiter.sync, client, moment)
                    except (ThighdxError, SQLAlchemyError) as error:  # the limiter fails open: a database hiccup must not block care
                        log.warning("rate_limit_sync_failed", error=error.__class__.__name__)
                allowed, retry = self.limiter.allowed(client, moment)
                if not allowed:
                    metrics.RATE_LIMITED.inc()
                    await refuse(429, "Too many requests", f"more than {self.limiter.limit} requests a minute; try again in {retry} s",
                                 None, [(b"retry-after", str(retry).encode())])
                    return
            if page and scope.get("method") in BODY_METHODS and cross_site(scope, public_url):
                metrics.CROSS_SITE.inc()
                await refuse(403, "Forbidden", "a form sent from another site", None)
                return
            if scope.get("method") in BODY_METHODS:
                receive = await self._bounded_body(scope, receive, refuse)
                if receive is None:
                    if status_box[0] == 500:  # nothing was sent: the client went away mid-body
                        status_box[0] = CLIENT_CLOSED
                    return
                if not page and _is_json(scope, suffix=True):
                    repeated = duplicate_key(receive.body)
                    if repeated is not None:
                        await refuse(422, "Invalid request", f"{repeated}: the key {repeated.rsplit('.', 1)[-1]!r} is given more than once",
                                     repeated)
                        return
                if path == DIAGNOSIS_PATH and await self._diagnosis(scope, receive, receive.body, send_wrapped):
                    route = DIAGNOSIS_PATH
                    return
            await self.app(scope, receive, send_wrapped)
        finally:
            self._record(scope, status_box[0], time.perf_counter() - started, route)

    async def _bounded_body(self, scope: dict[str, Any], receive: Any, refuse: Any) -> Any:
        limit = self.settings.max_body_bytes
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:  # the body is left unread: the connection closes after the reply
                    await refuse(422, "Invalid request", self._too_large(scope, limit), "body", [(b"connection", b"close")])
                    return None
        chunks: list[bytes] = []
        size = 0
        deadline = anyio.current_time() + self.settings.body_timeout_seconds
        while True:
            with anyio.move_on_after(max(0.0, deadline - anyio.current_time())) as waiting:
                message = await receive()
            if waiting.cancelled_caught:  # a body sent too slowly (or never finished) holds nothing longer
                await refuse(408, "Request timeout", f"body: not received within {self.settings.body_timeout_seconds:g} s", "body",
                             [(b"connection", b"close")])
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await refuse(422, "Invalid request", self._too_large(scope, limit), "body", [(b"connection", b"close")])
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        replay.body = body  # type: ignore[attr-defined]
        return replay

    @staticmethod
    async def _diagnosis(scope: dict[str, Any], receive: Any, body: bytes, send: Any) -> bool:
        """The busiest endpoint's own handler (`api.diagnosis`), called here for a valid request
        without the framework's dispatch (routing, dependency solving, body parsing), which costs
        more than a fifth of a step's CPU (benchmarks/http_bench.py, step_bench.py). The request
        model is the route's, the handler is the route's and its `Response` answers, so the answer
        is the route's byte for byte. Anything the route would refuse is left to the route, so every
        error keeps its one wording, and so is anything unexpected: the framework's error handling
        answers it there. Returns whether it answered."""
        if scope.get("method") != "POST" or not _is_json(scope):
            return False
        try:
            request = DiagnosisRequest.model_validate_json(body)
            response = await api.diagnosis(request, load_kb())
        except (ValidationError, ThighdxError):
            return False
        except Exception as error:  # noqa: BLE001 - the route answers it, with the framework's 500 handling
            log.error("diagnosis_fast_path_failed", error=error.__class__.__name__)
            return False
        await response(scope, receive, send)
        return True

    @staticmethod
    def _too_large(scope: dict[str, Any], limit: int) -> str:
        detail = f"body: the request body is larger than {limit} bytes"
        if scope.get("path") in TEXT_PATHS:
            detail += f"; text is limited to {TEXT_LIMIT} characters"
        return detail

    @staticmethod
    def _record(scope: dict[str, Any], status: int, elapsed: float, route: str | None = None) -> None:
        route = route or getattr(scope.get("route"), "path", None) or (
            "/static" if scope.get("path", "").startswith("/static") else "unmatched")
        method = scope.get("method", "GET")
        metrics.request_counter(method, route, status).inc()
        metrics.latency_histogram(method, route).observe(elapsed)
        if status == CLIENT_CLOSED:
            log.info("request_aborted", method=method, route=route, status=status, ms=round(elapsed * 1000, 2))
        elif status >= 500:
            log.error("request", method=method, route=route, status=status, ms=round(elapsed * 1000, 2))
        elif status == 429:
            log.warning("request", method=method, route=route, status=status, ms=round(elapsed * 1000, 2))
        else:
            log.debug("request", method=method, route=route, status=status, ms=round(elapsed * 1000, 2))
