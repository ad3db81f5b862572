"""The FHIR endpoints read over HTTP from a real `thighdx serve` with a real FHIR client (fhirpy),
and the CDS Hooks service called over HTTP with requests shaped like the specification's examples."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhirpy import SyncFHIRClient
from interop_cases import PATIENT, hook_request
from r4schema import r4_errors
from sqlalchemy import select

from thighdx.config import Settings
from thighdx.interop.codes import OWN_SYSTEMS
from thighdx.interop.terminology import coding_problems
from thighdx.store import Store
from thighdx.store.models import AuditEntry
from thighdx.web.clinicians import create_clinician

FHIR_JSON = "application/fhir+json"


def checked(kb, data: dict[str, Any], model: type) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    model.model_validate(data)
    assert r4_errors(data) == []
    assert coding_problems(kb, data) == []
    return data


def outcome_of(response: httpx.Response) -> tuple[str, list[str]]:
    """The diagnostics and expression of a FHIR error answer, checked to be an R4 OperationOutcome."""
    assert response.headers["content-type"].startswith(FHIR_JSON), response.headers["content-type"]
    data = response.json()
    OperationOutcome.model_validate(data)
    assert r4_errors(data) == []
    issue = data["issue"][0]
    assert issue["severity"] == "error" and issue["details"]["text"] == issue["diagnostics"]
    return issue["diagnostics"], issue.get("expression", [])


def plain(resource: Any) -> dict[str, Any]:
    return json.loads(json.dumps(resource.serialize() if hasattr(resource, "serialize") else resource))


def test_fhir_client_reads_questionnaire_and_code_systems(interop_server, kb) -> None:  # type: ignore[no-untyped-def]
    client = SyncFHIRClient(f"{interop_server.url}/fhir")
    questionnaire = plain(client.reference("Questionnaire", "thighdx").to_resource())
    checked(kb, questionnaire, Questionnaire)
    assert len(questionnaire["item"]) == len(kb.findings) + 2
    for system_id in OWN_SYSTEMS:
        checked(kb, plain(client.reference("CodeSystem", system_id).to_resource()), CodeSystem)
    response = httpx.get(f"{interop_server.url}/fhir/Questionnaire/thighdx", params={"language": "tr"})
    assert response.headers["content-type"].startswith(FHIR_JSON) and response.json()["language"] == "tr"
    missing = httpx.get(f"{interop_server.url}/fhir/CodeSystem/invented")
    assert 400 <= missing.status_code < 500 and "system_id" in outcome_of(missing)[0]


def test_interview_bundle_for_the_person_and_an_audited_clinician(interop_server, kb) -> None:  # type: ignore[no-untyped-def]
    with interop_server.client() as api:
        started = api.post("/api/v1/interviews", json={
            "age": 31, "sex": "male", "language": "en", "text": "felt a pop at the back of my thigh while sprinting, no numbness"}).json()
        iid, secret = started["id"], started["secret"]
        question = started["state"]["question"]
        api.post(f"/api/v1/interviews/{iid}/answers", json={"finding_id": question["id"], "choice_id": "absent"},
                 headers={"X-Interview-Secret": secret})

        person = SyncFHIRClient(f"{interop_server.url}/api/v1/interviews/{iid}", extra_headers={"X-Interview-Secret": secret})
        bundle = checked(kb, plain(person.execute("fhir", method="get")), Bundle)
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert {"QuestionnaireResponse", "Observation", "RiskAssessment", "ClinicalImpression"} <= set(kinds)
        qr = bundle["entry"][kinds.index("QuestionnaireResponse")]["resource"]
        sources = [i["answer"][0]["extension"][0]["valueCode"] for i in qr["item"][2:]]
        assert "text" in sources and sources[-1] == "answer"
        raw = api.get(f"/api/v1/interviews/{iid}/fhir", headers={"X-Interview-Secret": secret})
        assert raw.status_code == 200 and raw.headers["content-type"].startswith(FHIR_JSON)

        assert api.get(f"/api/v1/interviews/{iid}/fhir", headers={"X-Interview-Secret": "wrong"}).status_code == 404
        no_auth = api.get(f"/api/v1/interviews/{iid}/fhir")
        assert no_auth.status_code == 401 and "token" in outcome_of(no_auth)[0]

        store = Store(Settings(data_dir=interop_server.data_dir))
        create_clinician(store, "dr.fhir", "correct horse battery")
        token = api.post("/api/v1/clinician/login", json={"username": "dr.fhir", "password": "correct horse battery"}).json()["token"]
        clinician = SyncFHIRClient(f"{interop_server.url}/api/v1/interviews/{iid}", authorization=f"Bearer {token}")
        assert plain(clinician.execute("fhir", method="get")) == bundle
        with store.read() as session:
            last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "fhir" and last.interview_id == iid
        assert api.get("/api/v1/interviews/nope/fhir", headers={"Authorization": f"Bearer {token}"}).status_code == 404


def test_adaptive_sdc_form_over_http(interop_server, kb) -> None:  # type: ignore[no-untyped-def]
    client = SyncFHIRClient(f"{interop_server.url}/fhir")
    response: dict[str, Any] = {"resourceType": "Parameters", "parameter": [{"name": "questionnaire-response", "resource": {
        "resourceType": "QuestionnaireResponse", "status": "in-progress", "language": "en"}}]}
    answers = {"age": {"valueDecimal": 45}, "sex": {"valueCoding": {"system": "http://hl7.org/fhir/administrative-gender", "code": "female"}}}
    for _ in range(60):
        response = checked(kb, plain(client.execute("Questionnaire/$next-question", method="post", data=response)), QuestionnaireResponse)
        if response["status"] == "completed":
            break
        done = {i["linkId"] for i in response.get("item", [])}
        for item in response["contained"][0]["item"]:
            if item["linkId"] not in done:
                value = answers.get(item["linkId"], {"valueCoding": item["answerOption"][1]["valueCoding"] if "answerOption" in item else {}})
                response.setdefault("item", []).append({"linkId": item["linkId"], "answer": [value]})
    assert response["status"] == "completed"
    bad = httpx.post(f"{interop_server.url}/fhir/Questionnaire/$next-question", content=b"{not json",
                     headers={"content-type": FHIR_JSON})
    assert bad.status_code == 422 and "JSON" in outcome_of(bad)[0]
    wrong = httpx.post(f"{interop_server.url}/fhir/Questionnaire/$next-question", json={"resourceType": "QuestionnaireResponse",
                       "status": "in-progress", "item": [{"linkId": "invented_question", "answer": [{"valueBoolean": True}]}]})
    assert wrong.status_code == 422 and "invented_question" in outcome_of(wrong)[0]


# ---- CDS Hooks ----------------------------------------------------------------------------

class FakeEhr(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        FakeEhr.seen.append((self.path, self.headers.get("Authorization")))
        found = self.path.rstrip("/").endswith("/Patient/1288992")
        body = json.dumps(PATIENT if found else {"resourceType": "OperationOutcome", "issue": []}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", FHIR_JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ehr() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEhr)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/r4"
    server.shutdown()


def test_cds_discovery_and_patient_view_cards(interop_server) -> None:  # type: ignore[no-untyped-def]
    with interop_server.client() as api:
        services = api.get("/cds-services").json()["services"]
        service = next(s for s in services if s["hook"] == "patient-view")
        assert service["description"] and service["prefetch"] == {"patient": "Patient/{{context.patientId}}"}
        answer = api.post(f"/cds-services/{service['id']}", json=hook_request())
        assert answer.status_code == 200
        cards = answer.json()["cards"]
        assert cards and all(c["indicator"] in ("info", "warning", "critical") and c["source"]["label"] and len(c["summary"]) < 140
                             for c in cards)
        assert "male" in cards[0]["detail"] and cards[0]["links"][0]["type"] == "absolute"
        assert not any(v is None for card in cards for v in card.values())
        # No CDS client JWT configured: no linked assessment is shown and the start link carries no launch value.
        assert len(cards) == 1 and "launch=" not in cards[0]["links"][0]["url"]


def test_cds_reads_the_patient_from_the_fhir_server_without_prefetch(interop_server, ehr) -> None:  # type: ignore[no-untyped-def]
    FakeEhr.seen.clear()
    body = hook_request(fhirServer=ehr)
    body.pop("prefetch")
    answer = httpx.post(f"{interop_server.url}/cds-services/thighdx-patient-view", json=body, timeout=30)
    assert answer.status_code == 200 and "fhirServer" in answer.json()["cards"][0]["detail"]
    assert FakeEhr.seen == [("/r4/Patient/1288992", "Bearer some-opaque-fhir-access-token")]


def test_cds_reads_no_fhir_server_that_is_not_allowed(kb) -> None:  # type: ignore[no-untyped-def]
    from thighdx.interop import cds

    body = hook_request(fhirServer="http://169.254.169.254/latest")
    body.pop("prefetch")
    answer = cds.cards(cds.parse_request(body), "http://thighdx.test/", allowed=("https://ehr.example.org/fhir",))
    assert "were not available" in answer["cards"][0]["detail"]
    assert not cds.fhir_server_allowed("http://127.0.0.1.evil.example/r4", ("http://127.0.0.1:",))


@pytest.mark.parametrize("change, field", [
    ({"hook": "order-select"}, "hook"),
    ({"hookInstance": "not-a-uuid"}, "hookInstance"),
    ({"context": {"userId": "Practitioner/example"}}, "context.patientId"),
    ({"fhirAuthorization": {"access_token": "x", "token_type": "MAC", "expires_in": 1, "scope": "", "subject": "s"}},
     "fhirAuthorization.token_type"),
    ({"prefetch": {"patient": {"resourceType": "Observation"}}}, "prefetch.patient"),
    ({"fhirServer": "file:///etc/passwd"}, "fhirServer"),
])
def test_bad_hook_requests_are_400_with_a_clear_message(interop_server, change, field) -> None:  # type: ignore[no-untyped-def]
    answer = httpx.post(f"{interop_server.url}/cds-services/thighdx-patient-view", json=hook_request(**change))
    assert answer.status_code == 400, answer.text
    assert answer.json()["field"] == field and answer.json()["detail"].startswith(field)


def test_cds_other_bad_input_is_4xx(interop_server) -> None:  # type: ignore[no-untyped-def]
    url = interop_server.url
    assert httpx.post(f"{url}/cds-services/thighdx-patient-view", content=b"[1,").status_code == 400
    assert httpx.post(f"{url}/cds-services/thighdx-patient-view", json=[]).status_code == 400
    assert httpx.post(f"{url}/cds-services/unknown-service", json=hook_request()).status_code == 404
    feedback = {"feedback": [{"card": str(uuid.uuid4()), "outcome": "accepted", "outcomeTimestamp": "2026-11-30T09:00:00Z"}]}
    assert httpx.post(f"{url}/cds-services/thighdx-patient-view/feedback", json=feedback).status_code == 200
    assert httpx.post(f"{url}/cds-services/thighdx-patient-view/feedback", json={}).status_code == 400


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "field"), [
    ("GET", "/fhir/Questionnaire/thighdx", {"params": {"language": "fr"}}, 422, "language"),
    ("GET", "/fhir/CodeSystem/invented", {}, 422, "system_id"),
    ("POST", "/fhir/Questionnaire/$next-question", {"content": b"{not json", "headers": {"content-type": FHIR_JSON}}, 422, "body"),
    ("POST", "/fhir/Questionnaire/$next-question", {"json": []}, 422, "body"),
    ("POST", "/fhir/Questionnaire/$next-question", {"json": {"resourceType": "Patient"}}, 422, "resourceType"),
    ("POST", "/fhir/Questionnaire/$next-question", {"json": {"resourceType": "QuestionnaireResponse", "status": "in-progress",
     "item": [{"linkId": "age", "answer": [{"valueDecimal": 300}]}]}}, 422, "item[age].answer"),
    ("GET", "/fhir/Questionnaire/$next-question", {}, 405, None),
    ("GET", "/fhir/Patient/1288992", {}, 404, None),
    ("GET", "/api/v1/interviews/nope/fhir", {"headers": {"X-Interview-Secret": "wrong"}}, 404, None),
    ("GET", "/api/v1/interviews/nope/fhir", {"headers": {"Authorization": "Bearer nothing-of-ours"}}, 401, None),
    ("GET", "/api/v1/interviews/nope/fhir", {"headers": {"X-Interview-Secret": "x" * 101}}, 422, "X-Interview-Secret"),
])
def test_bad_input_to_fhir_endpoints_is_an_operation_outcome(interop_server, method, path, kwargs, status, field) -> None:  # type: ignore[no-untyped-def]
    answer = httpx.request(method, f"{interop_server.url}{path}", **kwargs)
    assert answer.status_code == status, answer.text
    diagnostics, expression = outcome_of(answer)
    assert diagnostics
    if field is not None:
        assert expression == [field] and field in diagnostics
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"
    if status == 405:
        assert "POST" in answer.headers["allow"]
    assert answer.json()["issue"][0]["code"] == {401: "login", 404: "not-found", 405: "not-supported", 422: "invalid"}[status]


def test_cds_hooks_errors_keep_their_shape(interop_server) -> None:  # type: ignore[no-untyped-def]
    answer = httpx.post(f"{interop_server.url}/cds-services/thighdx-patient-view", json=hook_request(hook="order-sign"))
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == "hook"


def test_fhir_and_cds_endpoints_are_in_the_openapi_schema(interop_server) -> None:  # type: ignore[no-untyped-def]
    paths = httpx.get(f"{interop_server.url}/openapi.json").json()["paths"]
    for path in ("/api/v1/interviews/{interview_id}/fhir", "/fhir/Questionnaire/thighdx", "/fhir/CodeSystem/{system_id}",
                 "/fhir/Questionnaire/$next-question", "/cds-services", "/cds-services/{service_id}"):
        assert path in paths, path
