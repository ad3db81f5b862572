"""A clinician exports one case from a real `thighdx serve` (SQLite and PostgreSQL): the case as
JSON and as its FHIR R4 Bundle, over the API with a bearer token and from the clinician pages;
every export is audited; an auditor cannot export."""

from __future__ import annotations

import re

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.web.clinicians import create_clinician

PASSWORD = "correct horse battery"
BASE = "/api/v1/interviews"


def test_a_clinician_exports_one_case_audited(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    create_clinician(store, "dr.demir", PASSWORD)
    create_clinician(store, "auditor", PASSWORD, role="auditor")
    with server.client() as client:
        created = client.post(BASE, json={"age": 41, "sex": "male", "language": "en", "text": "a pop at the back of my thigh"}).json()
        secret = {"X-Interview-Secret": created["secret"]}
        question = created["state"]["question"]
        client.post(f"{BASE}/{created['id']}/answers", json={"finding_id": question["id"], "choice_id": "absent"}, headers=secret)
        other = client.post(BASE, json={"age": 30, "sex": "female", "language": "en"}).json()["id"]

        def login(name: str) -> dict[str, str]:
            token = client.post("/api/v1/clinician/login", json={"username": name, "password": PASSWORD}).json()["token"]
            return {"Authorization": f"Bearer {token}"}

        doctor, auditor = login("dr.demir"), login("auditor")
        url = f"/api/v1/clinician/interviews/{created['id']}/export"
        assert client.get(url).status_code == 401
        assert client.get(url, headers=auditor).status_code == 403
        assert client.get("/api/v1/clinician/interviews/nosuchinterview/export", headers=doctor).status_code == 404
        case = client.get(url, headers=doctor)
        assert case.status_code == 200 and case.headers["content-type"].startswith("application/json")
        assert "attachment" in case.headers["content-disposition"] and case.headers["cache-control"] == "no-store"
        body = case.json()
        assert body["interview"]["id"] == created["id"] and body["interview"]["age"] == 41
        assert any(a["finding_id"] == question["id"] and a["choice_id"] == "absent" for a in body["answers"]), body["answers"]
        assert body["result"]["triage"]["level"] and body["exported_by"] == "dr.demir"
        assert other not in case.text  # one case, nobody else's
        fhir = client.get(url, params={"format": "fhir"}, headers=doctor)
        assert fhir.status_code == 200 and fhir.headers["content-type"].startswith("application/fhir+json")
        assert fhir.json()["resourceType"] == "Bundle"
        audit = client.get("/api/v1/clinician/audit", headers=auditor).json()
        exports = [a for a in audit if a["action"] == "export"]
        assert [(a["clinician"], a["interview_id"], a["detail"]) for a in exports] == [
            ("dr.demir", created["id"], "fhir"), ("dr.demir", created["id"], "json")]

        # the clinician pages: a signed-in clinician downloads both from the case page
        page = client.get("/clinician/login")
        token = client.cookies["thighdx_form"]
        signed_in = client.post("/clinician/login", data={"csrf": token, "username": "dr.demir", "password": PASSWORD})
        assert signed_in.status_code in (200, 303), signed_in.text[-500:]
        case_page = client.get(f"/clinician/interviews/{created['id']}")
        links = re.findall(r'href="([^"]*/export[^"]*)"', case_page.text)
        assert len(links) == 2, links
        for link in links:
            download = client.get(link.replace("&amp;", "&"))
            assert download.status_code == 200 and "attachment" in download.headers["content-disposition"], link
            assert download.headers["cache-control"] == "no-store"
        audit = client.get("/api/v1/clinician/audit", headers=auditor).json()
        assert len([a for a in audit if a["action"] == "export"]) == 4
        assert page.status_code == 200
