"""The server purges on its own (SQLite and PostgreSQL): started with a purge every second, it deletes
an interview past the retention period, with its answers, and keeps a recent one."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.store.models import Answer, Interview

BASE = "/api/v1/interviews"


def test_the_server_purges_expired_interviews_on_its_schedule(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server({**database_env, "THIGHDX_PURGE_INTERVAL_SECONDS": "1", "THIGHDX_RETENTION_DAYS": "30"})
    store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    with server.client() as client:
        ids = []
        for _ in range(2):
            created = client.post(BASE, json={"age": 50, "sex": "male", "language": "en"}).json()
            question = created["state"]["question"]
            client.post(f"{BASE}/{created['id']}/answers", json={"finding_id": question["id"], "choice_id": "unknown"},
                        headers={"X-Interview-Secret": created["secret"]})
            ids.append(created["id"])
    old, recent = ids
    with store.write() as session:
        session.execute(update(Interview).where(Interview.id == old).values(created_at=datetime.now(UTC) - timedelta(days=31)))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with store.read() as session:
            if session.get(Interview, old) is None:
                break
        time.sleep(0.2)
    with store.read() as session:
        assert session.get(Interview, old) is None, server.log.read_text()[-2000:]
        assert session.scalar(select(func.count()).select_from(Answer).where(Answer.interview_id == old)) == 0
        assert session.get(Interview, recent) is not None
    assert '"retention_purge"' in server.log.read_text()
