"""The FastAPI application: API routers, the web pages when present, health and metrics."""

from __future__ import annotations

import gc
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from thighdx.config import Settings
from thighdx.errors import KnowledgeError
from thighdx.interop.launch import launch_key
from thighdx.interop.routes import router as interop_router
from thighdx.knowledge.loader import load_kb
from thighdx.store import Store
from thighdx.web import errors, logs, metrics
from thighdx.web.api import router as api_router
from thighdx.web.export import router as export_router
from thighdx.web.middleware import ServiceMiddleware
from thighdx.web.models import Health
from thighdx.web.ratelimit import RateLimiter

STATIC = Path(__file__).parent / "static"
log = structlog.get_logger("thighdx.web")

DESCRIPTION = """Assessment of pain in the back of the thigh: likely causes with probabilities, a five-level
triage and care plans, in English and Turkish.

Errors are `application/problem+json`; every invalid request (malformed JSON included) is a 422 whose
`field` names what is wrong. Interviews are private: send the secret returned at creation in the
`X-Interview-Secret` header."""


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with the knowledge base's finding ids as enums where a finding id is expected."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    try:
        ids = sorted(load_kb().findings)
    except KnowledgeError:
        ids = []
    components = schema.get("components", {}).get("schemas", {})
    for model, field in (("EvidenceItem", "id"), ("AnswerRequest", "finding_id")):
        prop = components.get(model, {}).get("properties", {}).get(field)
        if prop is not None and ids:
            prop["enum"] = ids
    app.openapi_schema = schema
    return schema


class ThighdxApp(FastAPI):
    """The FastAPI application, with the service layer (`ServiceMiddleware`: security headers, body
    limit, rate limit, metrics, the request log) wrapped around it rather than inside the
    framework's middleware stack: every HTTP request passes it first, and a valid diagnosis
    request is answered there by the route's own handler without the framework's dispatch."""

    service: ServiceMiddleware | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.service is not None and scope["type"] == "http":
            await self.service(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)
    store = Store(settings)
    if settings.migrate:
        store.migrate()
    try:  # load and warm the engine and the reading of text now, so the first request is fast; /healthz reports a broken KB
        from thighdx.interview import text_readings
        from thighdx.web.service import diagnosis

        kb = load_kb()
        diagnosis(kb, 30, "female", "en", [])
        for language, words in (("en", "a sharp pain behind my thigh, no swelling"), ("tr", "uyluğumun arkasında ağrı var, şişlik yok")):
            text_readings(kb, words, language)
    except KnowledgeError as error:
        log.error("knowledge_base_invalid", problems=len(error.problems))
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads  # the handlers' threads
        yield

    telemetry = None if settings.opentelemetry else {"tracing": False, "metrics": False, "logs": False}
    app = ThighdxApp(title="thighdx", version="0.1.0", description=DESCRIPTION, telemetry=telemetry, docs_url=None, redoc_url=None,
                     lifespan=lifespan)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.store = store
    errors.install(app)
    app.include_router(api_router)
    app.include_router(interop_router)  # FHIR R4, SDC $next-question, CDS Hooks
    launch_key(app.state)  # THIGHDX_LAUNCH_SECRET checked at start-up: a bad one stops the server
    app.include_router(export_router)  # a clinician exports one case (audited)

    @app.get("/healthz", response_model=Health, tags=["operations"], responses={503: {"model": Health}})
    def healthz(request: Request) -> Any:
        store = request.app.state.store
        database = ("ok" if store.writable() else "not writable") if store.ping() else "unavailable"
        try:
            load_kb()
            knowledge = "ok"
        except KnowledgeError:
            knowledge = "invalid"
        ok = database == "ok" and knowledge == "ok"
        body = {"status": "ok" if ok else "unavailable", "database": database, "knowledge_base": knowledge}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        """The API documentation, drawn from the schema here: no script, nothing from another origin."""
        from fastapi.responses import HTMLResponse

        from thighdx.web.docs import docs_page

        return HTMLResponse(docs_page(app.openapi()), headers={"Cache-Control": "no-store"})

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def prometheus(request: Request) -> Response:
        """Prometheus metrics, only with `Authorization: Bearer $THIGHDX_METRICS_TOKEN` (404 when no token is set)."""
        token = settings.metrics_token
        if not token:
            raise StarletteHTTPException(404, "Not Found")
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode("latin-1", "replace"), f"Bearer {token}".encode()):
            return errors.problem(401, "Not authorised", "the metrics token is required", headers={"WWW-Authenticate": "Bearer"})
        data, content_type = metrics.render()
        return Response(data, media_type=content_type)

    try:
        from thighdx.web.pages import router as pages_router  # the patient and clinician pages
    except ImportError as error:
        if "thighdx.web.pages" not in str(error):
            raise
    else:
        app.include_router(pages_router)
    if STATIC.is_dir():
        from fastapi.staticfiles import StaticFiles

        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    limiter = RateLimiter(store, settings.rate_limit, settings.rate_limit_sync_seconds) if settings.rate_limit > 0 else None
    app.service = ServiceMiddleware(partial(FastAPI.__call__, app), settings=settings, limiter=limiter)
    # The knowledge base and the framework are built once and live as long as the process:
    # move them out of the garbage collector's reach, so no full collection stalls a request.
    gc.collect()
    gc.freeze()
    # Requests leave many objects alive for a moment (numpy arrays, dicts, rows): at the default
    # 700 allocations a young collection ran several hundred times a second under load, moved the
    # objects of requests in flight to the oldest generation, and so set off a full collection
    # about every second. Ten thousand: a quarter of the collector's CPU and one full collection
    # in a loaded minute (README.md, "Stored interviews under load").
    gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
    return app


GC_YOUNG_THRESHOLD = 10_000
