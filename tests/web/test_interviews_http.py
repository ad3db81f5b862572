"""Stateful interviews and the clinician API over loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.store.models import Interview
from thighdx.web.clinicians import create_clinician

BASE = "/api/v1/interviews"


def start(client: httpx.Client, **extra: object) -> dict[str, object]:
    response = client.post(BASE, json={"age": 34, "sex": "female", "language": "en", **extra})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_interview_round_trip_and_isolation(make_server, database_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    with server.client() as client:
        created = start(client, text="I felt a pop at the back of my thigh while sprinting")
        iid, secret = str(created["id"]), str(created["secret"])
        assert len(iid) >= 20 and len(secret) >= 40
        state = created["state"]
        assert any(a["source"] == "text" for a in state["answers"])  # type: ignore[index]
        headers = {"X-Interview-Secret": secret}
        asked = []
        for _ in range(60):
            question = state["question"]  # type: ignore[index]
            if question is None or state["should_stop"]:  # type: ignore[index]
                break
            asked.append(question["id"])
            response = client.post(f"{BASE}/{iid}/answers", json={"finding_id": question["id"], "choice_id": "unknown"}, headers=headers)
            assert response.status_code == 200, response.text
            state = response.json()
        assert asked and state["questions_asked"] == len(asked)  # type: ignore[index]
        # the same answer again is harmless; a different answer to it is refused
        again = client.post(f"{BASE}/{iid}/answers", json={"finding_id": asked[-1], "choice_id": "unknown"}, headers=headers)
        assert again.status_code == 200
        changed = client.post(f"{BASE}/{iid}/answers", json={"finding_id": asked[-1], "choice_id": "present"}, headers=headers)
        assert changed.status_code == 409 and changed.json()["detail"].startswith("finding_id")
        back = client.post(f"{BASE}/{iid}/back", headers=headers).json()
        assert back["questions_asked"] == len(asked) - 1 and back["question"]["id"] == asked[-1]
        result = client.get(f"{BASE}/{iid}/result", headers=headers, params={"language": "tr"})
        assert result.status_code == 200 and result.json()["triage"]["level"] and result.json()["summary"]

        # someone else's interview, a wrong secret, a missing secret, an unknown id
        other = start(client)
        assert client.get(f"{BASE}/{other['id']}", headers=headers).status_code == 404
        assert client.get(f"{BASE}/{iid}", headers={"X-Interview-Secret": "x" * 43}).status_code == 404
        missing = client.get(f"{BASE}/{iid}")
        assert missing.status_code == 422 and missing.json()["field"] == "X-Interview-Secret"
        assert client.get(f"{BASE}/nope", headers=headers).status_code == 404
        # tampering: answering a finding that is not being asked, or one that does not exist
        state = client.get(f"{BASE}/{other['id']}", headers={"X-Interview-Secret": str(other["secret"])}).json()
        not_asked = next(f["id"] for f in client.get("/api/v1/findings").json() if f["id"] != state["question"]["id"])
        tampered = client.post(f"{BASE}/{other['id']}/answers", json={"finding_id": not_asked, "choice_id": "present"},
                               headers={"X-Interview-Secret": str(other["secret"])})
        assert tampered.status_code == 409 and "not the question" in tampered.json()["detail"]
        bogus = client.post(f"{BASE}/{other['id']}/answers", json={"finding_id": "drop table", "choice_id": "present"},
                            headers={"X-Interview-Secret": str(other["secret"])})
        assert bogus.status_code == 422
        strict = client.post(f"{BASE}/{other['id']}/answers", json={"finding_id": not_asked, "choice_id": True},
                             headers={"X-Interview-Secret": str(other["secret"])})
        assert strict.status_code == 422 and strict.json()["field"] == "choice_id"
        assert client.post(BASE, json={"age": 34, "sex": "female", "language": "en", "text": 3}).status_code == 422
        no_back = client.post(f"{BASE}/{other['id']}/back", headers={"X-Interview-Secret": str(other["secret"])})
        assert no_back.status_code == 409

        # expiry
        store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
        with store.write() as session:
            session.execute(update(Interview).where(Interview.id == other["id"]).values(expires_at=datetime.now(UTC) - timedelta(hours=1)))
        expired = client.get(f"{BASE}/{other['id']}", headers={"X-Interview-Secret": str(other["secret"])})
        assert expired.status_code == 410 and "expired" in expired.json()["detail"]

        # clinician: login, list, view (audited), wrong token, logout
        create_clinician(store, "dr.demir", "correct horse battery")
        assert client.post("/api/v1/clinician/login", json={"username": "dr.demir", "password": "wrong password!"}).status_code == 401
        token = client.post("/api/v1/clinician/login", json={"username": "dr.demir", "password": "correct horse battery"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        rows = client.get("/api/v1/clinician/interviews", headers=auth).json()
        assert {r["id"] for r in rows} >= {iid, other["id"]}
        view = client.get(f"/api/v1/clinician/interviews/{iid}", headers=auth)
        assert view.status_code == 200 and view.json()["interview_id"] == iid
        assert client.get("/api/v1/clinician/interviews", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert client.get("/api/v1/clinician/interviews").status_code == 401
        assert client.get("/api/v1/clinician/audit", headers=auth).status_code == 403  # the auditor's
        create_clinician(store, "auditor", "correct horse battery", role="auditor")
        auditor = client.post("/api/v1/clinician/login", json={"username": "auditor", "password": "correct horse battery"}).json()["token"]
        audit = client.get("/api/v1/clinician/audit", headers={"Authorization": f"Bearer {auditor}"}).json()
        actions = [a["action"] for a in audit if a["clinician"] == "dr.demir"]
        assert actions[:2] == ["view", "list"] and actions[-2:] == ["login", "login_failed"]
        assert next(a for a in audit if a["action"] == "view")["interview_id"] == iid
        assert client.post("/api/v1/clinician/logout", headers=auth).status_code == 204
        assert client.get("/api/v1/clinician/interviews", headers=auth).status_code == 401
        store.close()


def test_the_red_flag_checklist_is_answered_on_one_screen_and_undone_as_one(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    with server.client() as client:
        created = start(client)
        iid, headers = str(created["id"]), {"X-Interview-Secret": str(created["secret"])}
        question = created["state"]["question"]  # type: ignore[index]
        assert question["purpose"] == "screening" and len(question["items"]) >= 10
        shown = [question["id"], *(i["id"] for i in question["items"])]
        body = {"answers": [{"finding_id": f, "choice_id": "absent"} for f in shown]}
        response = client.post(f"{BASE}/{iid}/screen", json=body, headers=headers)
        assert response.status_code == 200, response.text
        state = response.json()
        assert state["questions_asked"] == len(shown) and state["question"]["id"] not in shown
        again = client.post(f"{BASE}/{iid}/screen", json=body, headers=headers)  # a repeated submission changes nothing
        assert again.status_code == 200 and again.json()["questions_asked"] == len(shown)
        stale = {"answers": [{"finding_id": state["question"]["id"], "choice_id": "absent"}, {"finding_id": "zzz", "choice_id": "absent"}]}
        assert client.post(f"{BASE}/{iid}/screen", json=stale, headers=headers).status_code == 422
        off_screen = next(f for f in ("popping_sensation", "pain_calf", "smoker") if f != state["question"]["id"])
        bad = client.post(f"{BASE}/{iid}/screen", json={"answers": [{"finding_id": off_screen, "choice_id": "present"}]}, headers=headers)
        assert bad.status_code == 409 and "finding_id" in bad.text
        back = client.post(f"{BASE}/{iid}/back", headers=headers)
        assert back.status_code == 200 and back.json()["questions_asked"] == 0
        assert back.json()["question"]["id"] == shown[0]
