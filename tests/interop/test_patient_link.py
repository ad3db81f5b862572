"""Interviews linked to EHR patients, over HTTP against a real `thighdx serve` (SQLite and PostgreSQL):
a signed launch from the CDS card, a clinician's link and unlink (audited), and the patient-view
card with the latest linked assessment; forged or expired launch values refused and never linked;
links deleted with their interview (the person's delete and the purge)."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from interop_cases import hook_request, web_fixtures
from sqlalchemy import func, select

from thighdx.config import Settings
from thighdx.interop.launch import LaunchKey
from thighdx.store import Store
from thighdx.store.links import PatientLink
from thighdx.store.models import AuditEntry
from thighdx.web.clinicians import create_clinician
from thighdx.web.retention import purge

backend = web_fixtures.backend
database_env = web_fixtures.database_env
make_server = web_fixtures.make_server

KID = "ehr-key-1"
ISSUER = "https://ehr.example.org"
SECRET = "launch-secret-for-tests-0123456789abcdef"
EHR = "https://ehr.example.org/fhir/r4"
SERVICE = "/cds-services/thighdx-patient-view"
POP = "felt a pop at the back of my thigh while sprinting, bruising, no numbness"  # see a doctor within 24 hours
COLD_LEG = "my whole leg went suddenly cold, pale and numb and I cannot move my foot"  # call an ambulance


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@pytest.fixture
def linked_server(make_server, database_env, key, tmp_path) -> Any:  # type: ignore[no-untyped-def]
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**public, "kid": KID, "alg": "ES384", "use": "sig"}]}))
    env = {"THIGHDX_CDS_JWKS": str(jwks), "THIGHDX_CDS_ISSUERS": ISSUER, "THIGHDX_LAUNCH_SECRET": SECRET, **database_env}
    server = make_server(env)
    server.store = Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))
    yield server
    server.store.close()


def _jwt(key: ec.EllipticCurvePrivateKey, audience: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "client-1", "aud": audience, "exp": now + 300, "iat": now, "jti": str(uuid.uuid4())}
    return jwt.encode(claims, key, algorithm="ES384", headers={"kid": KID, "typ": "JWT"})


def cards(server: Any, key: ec.EllipticCurvePrivateKey, patient: str = "1288992", fhir_server: str = EHR) -> list[dict[str, Any]]:
    url = server.url + SERVICE
    body = hook_request(fhirServer=fhir_server, context={"userId": "Practitioner/example", "patientId": patient})
    body.pop("prefetch")
    body.pop("fhirAuthorization")
    answer = httpx.post(url, json=body, headers={"Authorization": f"Bearer {_jwt(key, url)}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["cards"]
    for card in found:
        assert len(card["summary"]) < 140 and card["indicator"] in ("info", "warning", "critical") and card["source"]["label"]
    return found


def launch_of(card: dict[str, Any]) -> str:
    query = parse_qs(urlsplit(card["links"][0]["url"]).query)
    return query["launch"][0]


def assessed(api: httpx.Client, text: str, launch: str | None = None) -> tuple[str, str]:
    body: dict[str, Any] = {"age": 58, "sex": "male", "language": "en", "text": text}
    if launch is not None:
        body["launch"] = launch
    started = api.post("/api/v1/interviews", json=body)
    assert started.status_code == 201, started.text
    iid, secret = started.json()["id"], started.json()["secret"]
    assert api.get(f"/api/v1/interviews/{iid}/result", headers={"X-Interview-Secret": secret}).status_code == 200
    return iid, secret


def audit_actions(store: Store, interview_id: str) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(AuditEntry.action).where(AuditEntry.interview_id == interview_id).order_by(AuditEntry.id)))


def links(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(PatientLink)) or 0)


def test_linked_interviews_show_on_the_patient_view_card(linked_server, key) -> None:  # type: ignore[no-untyped-def]
    server, store = linked_server, linked_server.store
    create_clinician(store, "dr.link", "correct horse battery")
    with server.client() as api:
        token = api.post("/api/v1/clinician/login", json={"username": "dr.link", "password": "correct horse battery"}).json()["token"]
        doctor = {"Authorization": f"Bearer {token}"}

        # Nothing linked yet: the start card only, its link carrying a launch value for this patient.
        first = cards(server, key)
        assert [c["summary"] for c in first] == ["Back-of-thigh pain? Assess it with thighdx"]
        launch = launch_of(first[0])

        # An interview started with it is linked; the card then shows its assessment (within 24 hours: warning).
        pop_id, pop_secret = assessed(api, POP, launch)
        link = api.get(f"/api/v1/interviews/{pop_id}/patient-link", headers=doctor)
        assert link.status_code == 200 and link.json()["fhirServer"] == EHR and link.json()["patientId"] == "1288992"
        assert link.json()["via"] == "launch"
        shown = cards(server, key)
        assert len(shown) == 2 and shown[1]["summary"].startswith("Back-of-thigh pain?")
        card = shown[0]
        assert card["indicator"] == "warning" and "See a doctor within 24 hours" in card["summary"]
        assert "most likely" in card["summary"] and "ICD-10" in card["detail"]
        urls = [link["url"] for link in card["links"]]
        assert urls == [f"{server.url}/clinician/interviews/{pop_id}", f"{server.url}/api/v1/interviews/{pop_id}/fhir"]
        bundle = httpx.get(urls[1], headers=doctor)
        assert bundle.status_code == 200 and bundle.json()["resourceType"] == "Bundle"
        assert cards(server, key, fhir_server=EHR + "/")[0]["indicator"] == "warning"  # the same server, with a slash
        assert len(cards(server, key, patient="someone-else")) == 1  # another patient: nothing linked
        assert len(cards(server, key, fhir_server="https://other-ehr.example.org/fhir")) == 1  # the same id elsewhere

        # A clinician links an emergency interview to the patient: it is the latest, and critical.
        cold_id, _ = assessed(api, COLD_LEG)
        assert api.put(f"/api/v1/interviews/{cold_id}/patient-link", json={"fhirServer": EHR, "patientId": "1288992"}).status_code == 401
        put = api.put(f"/api/v1/interviews/{cold_id}/patient-link", json={"fhirServer": EHR, "patientId": "1288992"}, headers=doctor)
        assert put.status_code == 200 and put.json()["via"] == "clinician"
        critical = cards(server, key)[0]
        assert critical["indicator"] == "critical" and "ambulance" in critical["summary"].lower()
        assert critical["links"][0]["url"].endswith(f"/clinician/interviews/{cold_id}")
        assert "link" in audit_actions(store, cold_id)

        bad = api.put(f"/api/v1/interviews/{cold_id}/patient-link", json={"fhirServer": "ftp://x", "patientId": "1"}, headers=doctor)
        assert bad.status_code == 422 and bad.json()["field"] == "fhirServer"
        assert api.put("/api/v1/interviews/no-such-interview/patient-link", json={"fhirServer": EHR, "patientId": "1"},
                       headers=doctor).status_code == 404

        # Unlinked (audited): the card goes back to the earlier assessment.
        assert api.delete(f"/api/v1/interviews/{cold_id}/patient-link", headers=doctor).status_code == 204
        assert api.delete(f"/api/v1/interviews/{cold_id}/patient-link", headers=doctor).status_code == 404
        assert api.get(f"/api/v1/interviews/{cold_id}/patient-link", headers=doctor).status_code == 404
        assert audit_actions(store, cold_id)[-2:] == ["link", "unlink"]
        assert cards(server, key)[0]["indicator"] == "warning"

        # The person deletes their interview: its link goes with it.
        assert api.delete(f"/api/v1/interviews/{pop_id}", headers={"X-Interview-Secret": pop_secret}).status_code == 204
        assert len(cards(server, key)) == 1
        assert links(store) == 0

        # The purge deletes links with their interviews.
        assessed(api, POP, launch_of(cards(server, key)[0]))
        assert links(store) == 1
        assert purge(store, 0) >= 1
        assert links(store) == 0 and len(cards(server, key)) == 1


def test_forged_or_expired_launch_values_are_refused_and_never_link(linked_server, key) -> None:  # type: ignore[no-untyped-def]
    server, store = linked_server, linked_server.store
    launch = launch_of(cards(server, key)[0])
    payload, mac = launch.split(".")
    other = LaunchKey.from_env({"THIGHDX_LAUNCH_SECRET": "another-secret-of-more-than-32-chars!!"}).sign(EHR, "1288992")
    expired = LaunchKey.from_env({"THIGHDX_LAUNCH_SECRET": SECRET}).sign(EHR, "1288992", now=time.time() - 25 * 3600)
    altered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + mac
    body = {"age": 40, "sex": "female", "language": "en"}
    with server.client() as api:
        for value, reason in ((other, "signature"), (altered, "signature"), (expired, "expired"), ("not-a-launch", "not a launch"),
                              (launch + "x", "signature")):
            answer = api.post("/api/v1/interviews", json={**body, "launch": value})
            assert answer.status_code == 422 and answer.json()["field"] == "launch", answer.text
            assert reason in answer.json()["detail"]
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(PatientLink)) == 0

        # The start page: a bad launch value is a 400 page; a good one is carried by the form and links.
        refused = api.get("/", params={"launch": expired})
        assert refused.status_code == 400 and "not valid or has expired" in refused.text
        page = api.get("/", params={"launch": launch})
        assert page.status_code == 200 and f'name="launch" value="{launch}"' in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        form = {"csrf": csrf.group(1), "lang": "en", "age": "34", "sex": "female", "description": POP, "number": "112"}
        origin = {"Origin": server.url}
        forged = api.post("/start", data={**form, "launch": altered}, headers=origin)
        assert forged.status_code == 400 and links(store) == 0
        started = api.post("/start", data={**form, "launch": launch}, headers=origin)
        assert started.status_code in (302, 303), started.text
        interview_id = started.headers["location"].split("/")[2]
        with store.read() as session:
            link = session.get(PatientLink, interview_id)
            assert link is not None and (link.fhir_server, link.patient_id, link.via) == (EHR, "1288992", "launch")
