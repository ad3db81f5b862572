"""The clinician view: sign-in, list, one case, audit, bad and expired tokens."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from page_helpers import answer_page, csrf_of, current, start
from sqlalchemy import update

from thighdx.knowledge.loader import load_kb
from thighdx.knowledge.provenance import kb_provenance
from thighdx.store.models import ClinicianToken
from thighdx.web.clinicians import audit_entries, create_clinician
from thighdx.web.interviews import now

PASSWORD = "correct horse battery"


def sign_in(client: TestClient, app, username: str = "dr.demir", password: str = PASSWORD):
    page = client.get("/clinician/login")
    assert page.status_code == 200
    return client.post("/clinician/login", data={"csrf": csrf_of(page.text), "username": username, "password": password})


def test_sign_in_list_case_and_audit(app) -> None:
    store = app.state.store
    create_clinician(store, "dr.demir", PASSWORD)
    with TestClient(app, follow_redirects=False) as patient, TestClient(app, follow_redirects=False) as doctor:
        path = start(patient, description="pain at the back of my thigh after sprinting")
        interview_id = path.rsplit("/", 1)[1]
        page = current(patient, path)
        assert answer_page(patient, path, page.text, lambda finding: "absent")[0].status_code == 303

        assert doctor.get("/clinician/interviews").headers["location"] == "/clinician/login"
        response = sign_in(doctor, app)
        assert response.status_code == 303 and response.headers["location"] == "/clinician/interviews"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/clinician" in cookie

        listing = doctor.get("/clinician/interviews")
        assert listing.status_code == 200 and f"/clinician/interviews/{interview_id}" in listing.text
        case = doctor.get(f"/clinician/interviews/{interview_id}")
        assert case.status_code == 200
        for text in ("Probabilities and codes", "ICD-10", "SNOMED CT", "Why: findings for and against",
                     "The patient&#39;s answers, in order", "Wells"):
            assert text in case.text, text
        kb_version = kb_provenance(load_kb())
        assert f'Knowledge base: {kb_version["version"]} ({kb_version["hash"][:12]})' in case.text
        turkish = doctor.get(f"/clinician/interviews/{interview_id}", params={"lang": "tr"})
        assert "Olasılıklar ve kodlar" in turkish.text

        actions = [(e["action"], e["interview_id"]) for e in audit_entries(store)]
        assert ("list", None) in actions and ("view", interview_id) in actions
        assert sum(1 for a, i in actions if a == "view" and i == interview_id) == 2

        assert doctor.get("/clinician/interviews/no-such-interview").status_code == 404
        page = doctor.get("/clinician/interviews")
        out = doctor.post("/clinician/logout", data={"csrf": csrf_of(page.text)})
        assert out.status_code == 303
        assert doctor.get("/clinician/interviews").status_code in (303, 401)


def test_wrong_password_and_tokens(app) -> None:
    store = app.state.store
    create_clinician(store, "dr.demir", PASSWORD)
    with TestClient(app, follow_redirects=False) as client:
        bad = sign_in(client, app, password="not the password")
        assert bad.status_code == 401 and "user name or password is not correct" in bad.text
        assert sign_in(client, app, username="nobody").status_code == 401
        # a forged token
        client.cookies.set("thighdx_clinician", "forged-token-value", path="/clinician")
        response = client.get("/clinician/interviews")
        assert response.status_code == 401 and "not valid or has expired" in response.text
        assert client.get("/clinician/interviews/whatever").status_code == 401
        # an expired token
        client.cookies.clear()
        assert sign_in(client, app).status_code == 303
        with store.write() as session:
            session.execute(update(ClinicianToken).values(expires_at=now() - timedelta(minutes=1)))
        response = client.get("/clinician/interviews")
        assert response.status_code == 401 and "not valid or has expired" in response.text


def test_sign_in_needs_the_form_token(app) -> None:
    create_clinician(app.state.store, "dr.demir", PASSWORD)
    with TestClient(app, follow_redirects=False) as client:
        response = client.post("/clinician/login", data={"username": "dr.demir", "password": PASSWORD})
        assert response.status_code == 403
        assert "thighdx_clinician" not in response.headers.get("set-cookie", "")
