"""Storage: interviews, answers, results, clinicians and the audit log (SQLAlchemy 2 + Alembic).

SQLite (WAL, synchronous=FULL) in THIGHDX_DATA_DIR by default; PostgreSQL when
THIGHDX_DATABASE_URL names one.
"""

from __future__ import annotations

from thighdx.errors import NotFound, ThighdxError


class Expired(NotFound):
    """The interview is older than its time to live."""


class AuthError(ThighdxError):
    """A clinician's password or token is wrong, expired or revoked."""


class Forbidden(ThighdxError):
    """A signed-in clinician whose role does not allow this (an auditor reading interviews, a
    clinician reading the audit log)."""


from thighdx.store.db import Store, make_engine, migrate

__all__ = ["AuthError", "Expired", "Forbidden", "Store", "make_engine", "migrate"]
