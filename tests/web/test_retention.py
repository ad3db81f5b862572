"""Data protection on a real `thighdx serve`, SQLite and PostgreSQL: a person deletes their own
interview with its secret; `thighdx purge` removes interviews past the retention period with their
answers and results."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.store.models import Answer, Interview

BASE = "/api/v1/interviews"


def _start(client, answers: int = 2) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    created = client.post(BASE, json={"age": 34, "sex": "female", "language": "en", "text": "pain at the back of my thigh"}).json()
    headers = {"X-Interview-Secret": created["secret"]}
    state = created["state"]
    for _ in range(answers):
        question = state["question"]
        state = client.post(f"{BASE}/{created['id']}/answers", json={"finding_id": question["id"], "choice_id": "unknown"},
                            headers=headers).json()
    return created["id"], headers


def test_delete_own_interview_and_purge(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    with server.client() as client:
        mine, headers = _start(client)
        assert client.delete(f"{BASE}/{mine}", headers={"X-Interview-Secret": "wrong"}).status_code == 404
        assert client.delete(f"{BASE}/{mine}", headers=headers).status_code == 204
        assert client.get(f"{BASE}/{mine}", headers=headers).status_code == 404
        old, _ = _start(client)
        new, new_headers = _start(client)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Answer).where(Answer.interview_id == mine)) == 0
    with store.write() as session:
        session.execute(update(Interview).where(Interview.id == old).values(created_at=datetime.now(UTC) - timedelta(days=91)))
    script = Path(sys.executable).with_name("thighdx")
    done = subprocess.run([str(script) if script.exists() else "thighdx", "purge"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "THIGHDX_DATA_DIR": str(server.data_dir), **database_env}, check=False)
    assert done.returncode == 0 and done.stdout.startswith("1 interview"), done.stdout + done.stderr
    with store.read() as session:
        assert session.get(Interview, old) is None
        assert session.scalar(select(func.count()).select_from(Answer).where(Answer.interview_id == old)) == 0
        assert session.get(Interview, new) is not None
    with server.client() as client:
        assert client.get(f"{BASE}/{new}", headers=new_headers).status_code == 200
