"""Clinician accounts (scrypt passwords, hashed bearer tokens) and the audited clinician view.

Create an account:  python -m thighdx.web.clinicians add USERNAME   (password read from stdin)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import structlog
from sqlalchemy import case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thighdx.engine.posterior import posterior
from thighdx.engine.triage import Triage, triage
from thighdx.errors import InputError, NotFound
from thighdx.interview import check_language
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.knowledge.schema import LEVELS
from thighdx.store import AuthError, Store
from thighdx.store.models import Answer, AuditEntry, ClinicianToken, Interview, Result
from thighdx.store.models import Clinician as ClinicianRow
from thighdx.web.interviews import REFERENCE_ALPHABET, _answers, _interview, aware, digest, now, reference_code, result_data

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


SORTS = ("newest", "urgency")
"""Newest first, or the most urgent level first (newest first within a level)."""


@dataclass(frozen=True)
class ListQuery:
    """What the clinician list shows: the order, the filters and a reference code searched for."""

    sort: str = "newest"
    level: str | None = None
    red_flag: bool = False
    """Only interviews with a red-flag finding answered yes."""
    unfinished: bool = False
    reference: str | None = None
    """A reference code as `normalize_reference` gives it."""

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise InputError("sort", f"must be one of {', '.join(SORTS)}, got {self.sort!r}")
        if self.level is not None and self.level not in LEVELS:
            raise InputError("level", f"must be one of {', '.join(LEVELS)}, got {self.level!r}")

    def describe(self) -> str:
        """For the audit log: what the list was asked for (the reference searched is not repeated)."""
        parts = [f"sort {self.sort}"]
        if self.level:
            parts.append(f"level {self.level}")
        if self.red_flag:
            parts.append("red flag")
        if self.unfinished:
            parts.append("unfinished")
        if self.reference:
            parts.append("reference search")
        return ", ".join(parts)


_READ_AS = {"O": "0", "I": "1", "L": "1"}
"""Crockford's base 32 reads O as 0 and I, L as 1, so a code copied by hand still matches."""


def normalize_reference(text: str) -> str:
    """`tx 4k7m 9qpd`, `TX4K7M9QPD`, `4k7m-9qpd` -> `TX-4K7M-9QPD`; anything else is an InputError."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(letters) == 10 and letters.startswith("TX"):
        letters = letters[2:]
    letters = "".join(_READ_AS.get(ch, ch) for ch in letters)
    if len(letters) != 8 or any(ch not in REFERENCE_ALPHABET for ch in letters):
        raise InputError("reference", "must look like TX-XXXX-XXXX")
    return f"TX-{letters[:4]}-{letters[4:]}"


def red_flag_findings(kb: KnowledgeBase) -> list[str]:
    """The findings that are red flags on their own or in a combination (knowledge-base order)."""
    return [f for f, finding in kb.findings.items() if finding.red_flag]


_URGENCY = case({level: rank for rank, level in enumerate(LEVELS)}, value=Interview.triage_level, else_=-1)
"""The rank of an interview's level in SQL (unknown or not yet assessed: below self-care)."""


def list_interviews(store: Store, clinician: Clinician, limit: int = 50, offset: int = 0, query: ListQuery | None = None,
                    kb: KnowledgeBase | None = None) -> list[dict[str, Any]]:
    """One page of interviews, sorted, filtered and searched in the database; each with the red-flag
    findings answered yes. Every interview shown is audited, and the list itself with what it was asked."""
    _require(clinician, "clinician")
    kb = kb or load_kb()
    query = query or ListQuery()
    limit, offset = max(1, min(int(limit), 200)), max(0, int(offset))
    flags = red_flag_findings(kb)
    flagged = (Answer.withdrawn_at.is_(None), Answer.choice_id == "present", Answer.finding_id.in_(flags))
    leading = func.coalesce(Interview.top_condition, Result.top_condition)
    statement = select(Interview, leading).outerjoin(Result, Result.interview_id == Interview.id)
    if query.reference:
        statement = statement.where(Interview.reference == query.reference)
    if query.level:
        statement = statement.where(Interview.triage_level == query.level)
    if query.unfinished:
        statement = statement.where(Interview.status != "finished")
    if query.red_flag:
        statement = statement.where(exists().where(Answer.interview_id == Interview.id, *flagged))
    order = [Interview.created_at.desc(), Interview.id]
    if query.sort == "urgency":
        order.insert(0, _URGENCY.desc())
    statement = statement.order_by(*order).limit(limit).offset(offset)
    with store.write() as session:
        found = list(session.execute(statement))
        ids = [i.id for i, _ in found]
        counts: dict[str, int] = {}
        red: dict[str, list[str]] = {i: [] for i in ids}
        if ids:
            counts = {key: int(n) for key, n in session.execute(
                select(Answer.interview_id, func.count()).where(Answer.interview_id.in_(ids), Answer.withdrawn_at.is_(None))
                .group_by(Answer.interview_id))}
            for key, finding in session.execute(select(Answer.interview_id, Answer.finding_id)
                                                .where(Answer.interview_id.in_(ids), *flagged).order_by(Answer.seq)):
                if finding not in red[key]:
                    red[key].append(finding)
        rows = [
            {"id": i.id, "reference": i.reference or reference_code(i.id), "created_at": aware(i.created_at).isoformat(), "age": i.age,
             "sex": i.sex, "language": i.language, "triage_level": i.triage_level, "top_condition": top,
             "answers": counts.get(i.id, 0), "finished": i.status == "finished", "red_flags": red[i.id]}
            for i, top in found
        ]
        for shown in ids:  # which interviews the list showed, one entry each
            _audit(session, clinician.id, "listed", shown)
        _audit(session, clinician.id, "list", detail=f"{len(rows)} shown, offset {offset}, {query.describe()}"[:200])
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
        data["finished"] = row.status == "finished"
        evidence = _interview(kb, row, _answers(session, row.id)).evidence
        data["triage_reasons"] = triage_reasons(kb, triage(kb, evidence, posterior(kb, evidence)), evidence.answers, language)
        _audit(session, clinician.id, "view", interview_id)
        return data


def triage_reasons(kb: KnowledgeBase, tri: Triage, answers: Mapping[str, str], language: str) -> list[dict[str, Any]]:
    """Why the level, for a clinician: each red-flag rule matched by the findings answered yes that
    make it, each cause with the level it demands, or why no cause decided; the deciding ones first."""
    flags = {flag.id: flag for flag in kb.triage.red_flags}
    out: list[dict[str, Any]] = []
    for reason in tri.reasons:
        item: dict[str, Any] = {"level": reason.level, "kind": reason.kind, "deciding": reason.level == tri.level}
        if reason.kind == "red_flag" and reason.id in flags:
            when = flags[reason.id].when
            item["findings"] = [kb.findings[f].label.get(language) for f in dict.fromkeys([*when.present, *when.any_present])
                                if answers.get(f) == "present" and f in kb.findings]
        elif reason.kind == "condition" and reason.id in kb.conditions:
            item["condition"] = kb.conditions[reason.id].name.get(language)
        out.append(item)
    return out


def audit_entries(store: Store, limit: int = 100, reader: Clinician | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """The newest audit entries (from `offset`). Read over HTTP (`reader` given) it needs the auditor
    role, and the read is itself audited first, so it shows."""
    limit, offset = max(1, min(int(limit), 1000)), max(0, int(offset))
    if reader is not None:
        _require(reader, "auditor")
        with store.write() as session:
            _audit(session, reader.id, "audit", detail=f"limit {limit}" + (f", offset {offset}" if offset else ""))
    with store.read() as session:
        query = (select(AuditEntry, ClinicianRow.username).outerjoin(ClinicianRow, ClinicianRow.id == AuditEntry.clinician_id)
                 .order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
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
