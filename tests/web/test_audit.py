"""The audit log on a real `thighdx serve`, SQLite and PostgreSQL: every clinician read, the
interviews a list showed, reading the log itself; only auditors read it; nothing can change it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from thighdx.config import Settings
from thighdx.errors import StorageError
from thighdx.store import Store
from thighdx.store.models import AuditEntry
from thighdx.web.clinicians import create_clinician

PASSWORD = "correct horse battery"


def test_reads_are_audited_and_only_auditors_read_the_log(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    create_clinician(store, "dr.demir", PASSWORD)
    create_clinician(store, "auditor", PASSWORD, role="auditor")
    with server.client() as client:
        ids = [client.post("/api/v1/interviews", json={"age": 30 + i, "sex": "female", "language": "en"}).json()["id"] for i in range(3)]
        doctor = {"Authorization": "Bearer " + client.post("/api/v1/clinician/login", json={"username": "dr.demir", "password": PASSWORD}).json()["token"]}
        auditor = {"Authorization": "Bearer " + client.post("/api/v1/clinician/login", json={"username": "auditor", "password": PASSWORD}).json()["token"]}
        shown = client.get("/api/v1/clinician/interviews", headers=doctor, params={"limit": 2}).json()
        assert len(shown) == 2
        assert client.get("/api/v1/clinician/audit", headers=doctor).status_code == 403
        assert client.get("/api/v1/clinician/interviews", headers=auditor).status_code == 403
        assert client.get(f"/api/v1/clinician/interviews/{ids[0]}", headers=auditor).status_code == 403
        first = client.get("/api/v1/clinician/audit", headers=auditor).json()
        assert first[0]["action"] == "audit" and first[0]["clinician"] == "auditor"  # the read itself
        listed = {a["interview_id"] for a in first if a["action"] == "listed" and a["clinician"] == "dr.demir"}
        assert listed == {row["id"] for row in shown}
        assert next(a for a in first if a["action"] == "list")["detail"].startswith("2 shown")
        second = client.get("/api/v1/clinician/audit", headers=auditor).json()
        assert [a["action"] for a in second[:2]] == ["audit", "audit"]
    with store.read() as session:
        before = session.query(AuditEntry).count()
    with pytest.raises((DBAPIError, StorageError)), store.write() as session:
        session.execute(update(AuditEntry).values(action="nothing"))
    with pytest.raises((DBAPIError, StorageError)), store.write() as session:
        session.execute(delete(AuditEntry))
    with store.read() as session:
        assert session.query(AuditEntry).count() == before
        assert session.query(AuditEntry).filter(AuditEntry.action == "nothing").count() == 0


def test_no_code_path_changes_or_removes_audit_entries() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "thighdx"
    changing = re.compile(r"(update|delete)\(\s*AuditEntry|AuditEntry\)\.(update|delete)|audit_log\b.*\b(UPDATE|DELETE FROM)", re.DOTALL)
    for path in source.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        assert not changing.search(path.read_text()), path
