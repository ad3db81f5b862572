"""`Store.open_connections`: a worker's connections made before its first request, never more than the pool keeps."""

from __future__ import annotations

from sqlalchemy.pool import QueuePool

from thighdx.store import Store


def test_connections_opened_and_kept_in_the_pool(store: Store) -> None:
    pool = store.engine.pool
    assert isinstance(pool, QueuePool)
    store.open_connections(3)
    assert pool.checkedin() == 3 and pool.checkedout() == 0
    store.open_connections(1000)
    assert pool.checkedin() == pool.size()
