"""Per-client rate limit, shared between workers and hosts through the database.

Fixed one-minute windows. Each process counts its own requests per client and adds them to the
shared counter (`rate_limits` table, an upsert) once every `sync_seconds`, or sooner once it
holds UNSHARED_SHARE of the limit unshared; the decision
uses the shared total last read plus the local count not yet added. So the limit holds across
every worker and host using the same database, give or take one second of traffic from the
others, and a request costs no database work except one small upsert per client per second.
Clients are keyed by a hash of their address (no address is stored).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from thighdx.store import Store
from thighdx.store.models import RateCounter

UNSHARED_SHARE = 0.05
"""A worker shares a client's count once it has counted this share of the limit unshared."""


@dataclass
class _Entry:
    window: int
    local: int = 0
    shared: int = 0
    synced_at: float = 0.0
    syncing: bool = False
    """A sync is under way: requests meanwhile do not start another (no pile-up of database writes)."""


class RateLimiter:
    def __init__(self, store: Store, per_minute: int, sync_seconds: float = 1.0) -> None:
        self.store = store
        self.limit = per_minute
        self.sync_seconds = sync_seconds
        self._entries: dict[str, _Entry] = {}
        self._pruned = 0

    @staticmethod
    @lru_cache(maxsize=4096)
    def key(address: str) -> str:
        return hashlib.sha256(b"thighdx-rl:" + address.encode()).hexdigest()[:32]

    def needs_sync(self, client: str, moment: float) -> bool:
        """True (once) when this client's count is due to be shared; the caller must then `sync`."""
        entry = self._entries[client]
        if entry.syncing:
            return False
        # Share at least once a second, and whenever this worker has counted a twentieth of the
        # limit unshared: what other workers cannot see is then bounded by the limit itself.
        if moment - entry.synced_at < self.sync_seconds and entry.local < max(1.0, UNSHARED_SHARE * self.limit):
            return False
        entry.syncing = True
        return True

    def count(self, client: str, moment: float) -> None:
        """Count one request locally (then `sync` when `needs_sync`, then ask `allowed`)."""
        window = int(moment // 60)
        entry = self._entries.get(client)
        if entry is None or entry.window != window:
            entry = self._entries[client] = _Entry(window, synced_at=moment - self.sync_seconds)
        entry.local += 1

    def allowed(self, client: str, moment: float) -> tuple[bool, int]:
        """(within the limit, seconds until the window resets)."""
        entry = self._entries[client]
        return entry.shared + entry.local <= self.limit, 60 - int(moment % 60)

    def sync(self, client: str, moment: float) -> None:
        """Add the local count to the shared counter and read the total (blocking: run in a thread)."""
        window = int(moment // 60)
        entry = self._entries.get(client)
        if entry is None or entry.window != window:
            entry = self._entries[client] = _Entry(window)
        delta, entry.local = entry.local, 0
        insert = pg_insert if self.store.dialect == "postgresql" else sqlite_insert
        statement = insert(RateCounter).values(client=client, window=window, count=delta)
        statement = statement.on_conflict_do_update(
            index_elements=["client", "window"], set_={"count": RateCounter.count + statement.excluded.count}
        ).returning(RateCounter.count)
        try:
            with self.store.write() as session:
                entry.shared = int(session.execute(statement).scalar_one())
                if self._pruned != window:
                    session.execute(delete(RateCounter).where(RateCounter.window < window - 1))
                    self._pruned = window
            entry.synced_at = moment
        except Exception:
            entry.local += delta  # keep counting locally; try again on the next request
            raise
        finally:
            entry.syncing = False
            claimed = self._entries.get(client)
            if claimed is not None:
                claimed.syncing = False
        if len(self._entries) > 10000:
            for key in [k for k, e in self._entries.items() if e.window != window]:
                del self._entries[key]

    def now(self) -> float:
        return time.time()
