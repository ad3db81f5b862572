"""Clinician accounts (scrypt passwords, hashed bearer tokens) and the audited clinician view.

Create an account:  python -m thighdx.web.clinicians add USERNAME   (password read from stdin)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thighdx.errors import InputError, NotFound
from thighdx.interview import check_language
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.store import AuthError, Store
from thighdx.store.models import AuditEntry, ClinicianToken, Interview, Result
from thighdx.store.models import Clinician as ClinicianRow
from thighdx.web.interviews import _answers, aware, digest, now, reference_code, result_data

log = structlog.get_logger("thighdx.web")
_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD = 10


@dataclass(frozen=True)
class Clinician:
    id: int
    username: str
    role: str = "clinician"


ROLES = ("clinician", "auditor")
"""A clinician sees interviews; an auditor reads the audit log and nothing else."""


def _require(who: Clinician, role: str) -> None:
    from thighdx.store import Forbidden

    if who.role != role:
        raise Forbidden(f"this needs the {role} role")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, key = stored.split("$")
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(key) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), key)


def _audit(session: Session, clinician_id: int | None, action: str, interview_id: str | None = None, detail: str | None = None) -> None:
    session.add(AuditEntry(at=now(), clinician_id=clinician_id, action=action, interview_id=interview_id, detail=detail))


def create_clinician(store: Store, username: str, password: str, role: str = "clinician") -> int:
    username = (username or "").strip()
    if not username or len(username) > 80:
        raise InputError("username", "must be 1 to 80 characters")
    if len(password or "") < MIN_PASSWORD:
        raise InputError("password", f"must be at least {MIN_PASSWORD} characters")
    if role not in ROLES:
        raise InputError("role", f"must be one of {', '.join(ROLES)}, got {role!r}")
    try:
        with store.write() as session:
            row = ClinicianRow(username=username, password_hash=hash_password(password), created_at=now(), disabled=False, role=role)
            session.add(row)
            session.flush()
            return row.id
    except IntegrityError:
        raise InputError("username", f"{username!r} is taken") from None


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
"""Checked against when the user name is unknown or disabled: every sign-in costs one scrypt."""
_slots: list[Any] = []


def _hash_slot() -> Any:
    """At most one password hash at a time per worker, on its own thread: a burst of sign-ins
    queues here and leaves the event loop, the other threads and a CPU core to the patients."""
    if not _slots:
        import anyio

        _slots.append(anyio.CapacityLimiter(1))
    return _slots[0]


def login(store: Store, username: str, password: str, client: str = "unknown") -> str:
    """Check the password (blocking: scrypt; `sign_in` runs it off the event loop). Throttled per
    account and per client (thighdx.web.signin); failures are logged without the name or the
    password and audited."""
    from thighdx.web import signin

    signin.check(store, username, client)
    with store.read() as session:
        row = session.scalars(select(ClinicianRow).where(ClinicianRow.username == username)).first()
        known = row is not None and not row.disabled
        clinician_id, stored = (row.id, row.password_hash) if known and row is not None else (None, _DUMMY_HASH)
    if not verify_password(password, stored) or clinician_id is None:
        counts = signin.record_failure(store, username, client)
        with store.write() as session:
            _audit(session, clinician_id, "login_failed")
            if counts["locked"]:
                _audit(session, clinician_id, "locked")
        log.warning("sign_in_failed", client=signin.client_key(client)[:12], account_failures=counts["account"],
                    client_failures=counts["client"], locked=counts["locked"])
        raise AuthError("wrong username or password")
    signin.clear_account(store, username)
    with store.write() as session:
        token = secrets.token_urlsafe(32)
        moment = now()
        session.add(ClinicianToken(token_hash=digest(token), clinician_id=clinician_id, created_at=moment,
                                   expires_at=moment + timedelta(hours=store.settings.clinician_token_ttl_hours)))
        _audit(session, clinician_id, "login")
        return token


async def sign_in(store: Store, username: str, password: str, client: str) -> str:
    """`login` without blocking the event loop: the throttle check on a worker thread (a locked
    account or client is refused without hashing), the hash in the one hashing slot."""
    import anyio

    from thighdx.web import signin

    await anyio.to_thread.run_sync(signin.check, store, username, client)
    return await anyio.to_thread.run_sync(partial(login, store, username, password, client), limiter=_hash_slot())


def unlock(store: Store, username: str, by: Clinician | None = None) -> bool:
    """Lift a sign-in lock (and forget the failures) of an account; audited. Whether one was held."""
    from thighdx.web import signin

    lifted = signin.clear_account(store, username)
    with store.write() as session:
        _audit(session, by.id if by else None, "unlock", detail=username[:200])
    return lifted


def authenticate(store: Store, token: str | None) -> Clinician:
    if not token:
        raise AuthError("a clinician token is required")
    with store.read() as session:
        found = session.get(ClinicianToken, digest(token))
        if found is None or found.revoked_at is not None:
            raise AuthError("unknown or revoked clinician token")
        if aware(found.expires_at) <= now():
            raise AuthError("clinician token has expired; log in again")
        row = session.get(ClinicianRow, found.clinician_id)
        if row is None or row.disabled:
            raise AuthError("clinician account is disabled")
        return Clinician(row.id, row.username, row.role or "clinician")


def logout(store: Store, token: str) -> None:
    with store.write() as session:
        found = session.get(ClinicianToken, digest(token))
        if found is not None and found.revoked_at is None:
            found.revoked_at = now()
            _audit(session, found.clinician_id, "logout")


def list_interviews(store: Store, clinician: Clinician, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    _require(clinician, "clinician")
    limit, offset = max(1, min(int(limit), 200)), max(0, int(offset))
    with store.write() as session:
        query = (select(Interview, Result.top_condition).outerjoin(Result, Result.interview_id == Interview.id)
                 .order_by(Interview.created_at.desc(), Interview.id).limit(limit).offset(offset))
        rows = [
            {"id": i.id, "reference": reference_code(i.id), "created_at": aware(i.created_at).isoformat(), "age": i.age, "sex": i.sex, "language": i.language,
             "triage_level": i.triage_level, "top_condition": top, "answers": len(_answers(session, i.id)),
             "finished": i.status == "finished"}
            for i, top in session.execute(query)
        ]
        for shown in rows:  # which interviews the list showed, one entry each
            _audit(session, clinician.id, "listed", shown["id"])
        _audit(session, clinician.id, "list", detail=f"{len(rows)} shown, offset {offset}")
        return rows


def interview_language(store: Store, interview_id: str) -> str:
    """The language the person used (English when the interview is unknown: the view then answers 404)."""
    with store.read() as session:
        row = session.get(Interview, interview_id) if isinstance(interview_id, str) else None
        return row.language if row is not None else "en"


def clinician_view(store: Store, clinician: Clinician, interview_id: str, language: str = "en",
                   kb: KnowledgeBase | None = None) -> dict[str, Any]:
    _require(clinician, "clinician")
    kb = kb or load_kb()
    check_language(language)
    with store.write() as session:
        row = session.get(Interview, interview_id) if isinstance(interview_id, str) else None
        if row is None:
            raise NotFound("interview not found")
        data = result_data(kb, session, row, language)
        data["age"], data["sex"], data["created_at"] = row.age, row.sex, aware(row.created_at).isoformat()
        _audit(session, clinician.id, "view", interview_id)
        return data


def audit_entries(store: Store, limit: int = 100, reader: Clinician | None = None) -> list[dict[str, Any]]:
    """The newest audit entries. Read over HTTP (`reader` given) it needs the auditor role, and the
    read is itself audited first, so it shows."""
    if reader is not None:
        _require(reader, "auditor")
        with store.write() as session:
            _audit(session, reader.id, "audit", detail=f"limit {limit}")
    with store.read() as session:
        query = (select(AuditEntry, ClinicianRow.username).outerjoin(ClinicianRow, ClinicianRow.id == AuditEntry.clinician_id)
                 .order_by(AuditEntry.id.desc()).limit(max(1, min(int(limit), 1000))))
        return [{"at": aware(a.at).isoformat(), "clinician": name, "action": a.action, "interview_id": a.interview_id, "detail": a.detail}
                for a, name in session.execute(query)]


def _main(argv: list[str]) -> int:
    from thighdx.config import Settings

    if len(argv) != 2 or argv[0] not in ("add", "unlock"):
        print("usage: python -m thighdx.web.clinicians add|unlock USERNAME  (add: password on stdin)", file=sys.stderr)
        return 2
    store = Store(Settings.from_env())
    store.migrate()
    if argv[0] == "unlock":
        print("unlocked" if unlock(store, argv[1]) else "not locked")
        return 0
    password = sys.stdin.readline().rstrip("\n")
    try:
        print(create_clinician(store, argv[1], password))
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
