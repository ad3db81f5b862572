"""Sign-in throttling per account and per client, shared by every worker through the database.

- An account: the first ACCOUNT.free wrong passwords in a row cost nothing more; each further one
  makes the next try wait a second longer than the last (429 with Retry-After meanwhile); the
  ACCOUNT.lock_after-th locks the account for LOCK (15 minutes), right password or not.
- A client (its address): the same with CLIENT's larger numbers, so one client guessing across
  many accounts is slowed and locked too.

Failures are forgotten FORGET after the last one and when a lock ends; the right password clears
the account's count. Unknown user names are counted and locked exactly like known ones and cost
the same password-hash work (a dummy hash), so neither the answer nor its time tells whether a
name exists. Rows are keyed by a hash: no user name or address is stored. A lock is lifted early by
another clinician (POST /api/v1/clinician/unlock) or on the command line (`thighdx clinician
unlock USER`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from thighdx.errors import ThighdxError
from thighdx.store import Store
from thighdx.store.models import SigninThrottle
from thighdx.web.interviews import aware, now


@dataclass(frozen=True)
class Policy:
    kind: str
    free: int
    """Failures in a row without any delay."""
    lock_after: int
    """The failure that locks."""
    max_delay: int
    """Seconds; the delay grows by one second a failure up to this."""

    def delay(self, failures: int) -> int:
        return min(failures - self.free, self.max_delay) if failures > self.free else 0


ACCOUNT = Policy("account", free=6, lock_after=10, max_delay=30)
CLIENT = Policy("client", free=30, lock_after=100, max_delay=60)
LOCK = timedelta(minutes=15)
FORGET = timedelta(minutes=15)


class Throttled(ThighdxError):
    """Too many wrong sign-ins: wait `retry_after` seconds (an HTTP 429 with Retry-After)."""

    def __init__(self, retry_after: int, locked: bool) -> None:
        self.retry_after = max(1, int(retry_after))
        self.locked = locked
        if locked:
            minutes = math.ceil(self.retry_after / 60)
            message = f"too many wrong sign-ins: sign-in is locked; try again in {minutes} minute{'s' if minutes != 1 else ''} or ask another clinician to unlock it"
        else:
            message = f"too many wrong sign-ins; try again in {self.retry_after} s"
        super().__init__(message)


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"thighdx-signin:{kind}:{value}".encode()).hexdigest()


def account_key(username: str) -> str:
    return _key("account", (username or "").strip().lower())


def client_key(client: str) -> str:
    return _key("client", client or "unknown")


def _wait(row: SigninThrottle | None, moment: datetime) -> tuple[int, bool]:
    """(seconds to wait, locked) for one row."""
    if row is None:
        return 0, False
    if row.locked_until is not None and aware(row.locked_until) > moment:
        return math.ceil((aware(row.locked_until) - moment).total_seconds()), True
    if row.next_at is not None and aware(row.next_at) > moment:
        return math.ceil((aware(row.next_at) - moment).total_seconds()), False
    return 0, False


def check(store: Store, username: str, client: str) -> None:
    """Raise Throttled when this account or this client must wait (blocking: run in a thread)."""
    moment = now()
    with store.read() as session:
        rows = session.scalars(select(SigninThrottle).where(SigninThrottle.key.in_([account_key(username), client_key(client)]))).all()
    waits = [_wait(row, moment) for row in rows]
    if waits:
        seconds, locked = max(waits)
        if seconds > 0:
            raise Throttled(seconds, locked or any(lk for _, lk in waits))


def record_failure(store: Store, username: str, client: str) -> dict[str, int | bool]:
    """Count one wrong sign-in for the account and the client; returns their counts and whether
    this failure locked the account (blocking: run in a thread)."""
    for attempt in range(3):
        try:
            with store.write() as session:
                result: dict[str, int | bool] = {"locked": False}
                moment = now()
                for policy, key in ((ACCOUNT, account_key(username)), (CLIENT, client_key(client))):
                    row = session.get(SigninThrottle, key, with_for_update=True)
                    if row is None:
                        row = SigninThrottle(key=key, failures=0, last_failure_at=moment)
                        session.add(row)
                    elif aware(row.last_failure_at) + FORGET < moment or (
                            row.locked_until is not None and aware(row.locked_until) <= moment):
                        row.failures, row.locked_until, row.next_at = 0, None, None
                    row.failures += 1
                    row.last_failure_at = moment
                    delay = policy.delay(row.failures)
                    row.next_at = moment + timedelta(seconds=delay) if delay else None
                    if row.failures >= policy.lock_after:
                        if row.locked_until is None and policy is ACCOUNT:
                            result["locked"] = True
                        row.locked_until = moment + LOCK
                    result[policy.kind] = row.failures
                return result
        except IntegrityError:  # another worker inserted the same row first: count again
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def clear_account(store: Store, username: str) -> bool:
    """Forget the account's failures and lift its lock; whether there was anything to forget."""
    with store.write() as session:
        return bool(session.execute(delete(SigninThrottle).where(SigninThrottle.key == account_key(username))).rowcount)
