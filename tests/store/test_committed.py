"""`Store.committed`: each caller's writes kept or undone on their own; on SQLite, callers arriving
while one commits share the next transaction and its one commit."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import Connection, event, insert, select
from sqlalchemy.exc import IntegrityError

from thighdx.store import Store
from thighdx.store.models import RateCounter

CALLERS = 16


def _rows(store: Store) -> dict[str, int]:
    with store.reading() as connection:
        return {row.client: row.count for row in connection.execute(select(RateCounter.client, RateCounter.count))}


def test_each_callers_writes_kept_or_undone_alone(store: Store) -> None:
    with store.writing() as connection:
        connection.execute(insert(RateCounter).values(client="taken", window=1, count=1))
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(1))
    waiting = threading.Event()
    outcomes: dict[int, Any] = {}

    def work(n: int) -> Any:
        def write(connection: Connection) -> str:
            if n == 0:  # the first holds its transaction until every other caller is waiting
                waiting.wait(10)
            connection.execute(insert(RateCounter).values(client=f"c{n}", window=1, count=n))
            if n == 5:
                raise ValueError("caller 5 fails after writing")
            if n == 7:  # a duplicate key: undone, with its own row
                connection.execute(insert(RateCounter).values(client="taken", window=1, count=7))
            return f"done {n}"
        return write

    def caller(n: int) -> None:
        try:
            outcomes[n] = store.committed(work(n))
        except Exception as error:  # noqa: BLE001 - the outcome is what is checked
            outcomes[n] = error

    first = threading.Thread(target=caller, args=(0,))
    first.start()
    time.sleep(0.2)  # the first caller is committing
    others = [threading.Thread(target=caller, args=(n,)) for n in range(1, CALLERS)]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while store.dialect == "sqlite" and len(store._waiting) < CALLERS - 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    waiting.set()
    for thread in [first, *others]:
        thread.join(20)

    assert isinstance(outcomes.pop(5), ValueError)
    assert isinstance(outcomes.pop(7), IntegrityError)
    assert outcomes == {n: f"done {n}" for n in range(CALLERS) if n not in (5, 7)}
    rows = _rows(store)
    assert rows == {"taken": 1, **{f"c{n}": n for n in range(CALLERS) if n not in (5, 7)}}
    if store.dialect == "sqlite":
        assert len(commits) == 2  # the first caller's transaction, then one for the fifteen that waited
    else:
        assert len(commits) == CALLERS - 2  # PostgreSQL: a transaction each (it locks rows, not the database)


def test_a_failed_commit_fails_every_caller_in_it(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("SQLite's shared transaction")

    def refuse(_connection: Any) -> None:
        raise RuntimeError("the disk is full")

    event.listen(store.engine, "commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            store.committed(lambda connection: connection.execute(insert(RateCounter).values(client="lost", window=1, count=1)))
    finally:
        event.remove(store.engine, "commit", refuse)
    assert "lost" not in _rows(store)
    assert store.committed(lambda connection: 42) == 42  # the next caller leads a new transaction
