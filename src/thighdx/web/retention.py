"""Data leaves when it should: interviews (with their answers and results) older than the retention
period are purged (by the server itself on a schedule, and by `thighdx purge`), and a person deletes their own interview with its secret."""

from __future__ import annotations

import hmac
import threading
from datetime import timedelta

import structlog
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from thighdx.config import Settings
from thighdx.errors import NotFound, ThighdxError
from thighdx.store import Store
from thighdx.store.links import PatientLink
from thighdx.store.models import Answer, Interview, Result
from thighdx.web.interviews import digest, now

log = structlog.get_logger("thighdx.web")


def _remove(session: object, ids: list[str]) -> None:
    for table in (Answer, Result, PatientLink):  # explicit, not only by the foreign keys' cascade
        session.execute(delete(table).where(table.interview_id.in_(ids)))  # type: ignore[attr-defined]
    session.execute(delete(Interview).where(Interview.id.in_(ids)))  # type: ignore[attr-defined]


def delete_own(store: Store, interview_id: str, secret: str) -> None:
    """Delete one interview, its answers and its result, given its secret (expired or not)."""
    with store.write() as session:
        row = session.get(Interview, interview_id) if isinstance(interview_id, str) else None
        if row is None or not isinstance(secret, str) or not hmac.compare_digest(row.secret_hash, digest(secret)):
            raise NotFound("interview not found (unknown id or wrong secret)")
        _remove(session, [interview_id])


def purge(store: Store, days: int) -> int:
    """Delete every interview created more than `days` days ago, with its answers and result; how many."""
    cutoff = now() - timedelta(days=days)
    removed = 0
    while True:
        with store.write() as session:
            ids = list(session.scalars(select(Interview.id).where(Interview.created_at < cutoff).limit(500)))
            if not ids:
                return removed
            _remove(session, ids)
            removed += len(ids)


FIRST_PURGE_SECONDS = 10.0
"""The server's first purge comes this long after start-up (or after one interval, if shorter): the
workers have been started by then, so none is forked while a purge is under way."""


def purge_on_schedule(settings: Settings, stop: threading.Event | None = None) -> threading.Thread | None:
    """Purge interviews past `settings.retention_days` from a daemon thread of the serving process:
    shortly after start-up, then every `settings.purge_interval_seconds` (0: never). A failed purge
    is logged and tried again at the next interval."""
    interval = settings.purge_interval_seconds
    if interval <= 0:
        return None
    stop = stop or threading.Event()

    def run() -> None:
        store = Store(settings)
        wait = min(float(interval), FIRST_PURGE_SECONDS)
        while not stop.wait(wait):
            wait = float(interval)
            try:
                removed = purge(store, settings.retention_days)
            except (ThighdxError, SQLAlchemyError) as error:
                log.warning("retention_purge_failed", error=error.__class__.__name__)
                continue
            log.info("retention_purge", removed=removed, retention_days=settings.retention_days)

    thread = threading.Thread(target=run, name="thighdx-retention", daemon=True)
    thread.start()
    return thread
