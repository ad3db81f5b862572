"""Data leaves when it should: interviews (with their answers and results) older than the retention
period are purged (`thighdx purge`), and a person deletes their own interview with its secret."""

from __future__ import annotations

import hmac
from datetime import timedelta

from sqlalchemy import delete, select

from thighdx.errors import NotFound
from thighdx.store import Store
from thighdx.store.models import Answer, Interview, Result
from thighdx.web.interviews import digest, now


def _remove(session: object, ids: list[str]) -> None:
    for table in (Answer, Result):  # explicit, not only by the foreign keys' cascade
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
