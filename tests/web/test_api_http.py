"""The JSON API over a real loopback socket against `thighdx serve` (contract §5)."""

from __future__ import annotations

import json

import httpx
import pytest

DIAG = "/api/v1/diagnosis"


def diagnose(api: httpx.Client, evidence: list[dict[str, str]] | None = None, **extra: object) -> httpx.Response:
    return api.post(DIAG, json={"age": 27, "sex": "male", "language": "en", "evidence": evidence or [], **extra})


def assert_problem(response: httpx.Response, status: int, field: str | None = None) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"]
    assert "Traceback" not in response.text
    if field is not None:
        assert body.get("field") == field, body
        assert field in str(body["detail"])
    return body


def test_healthz_and_security_headers(api: httpx.Client) -> None:
    response = api.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_api_answers_carry_the_strict_policy(api: httpx.Client) -> None:
    for response in (diagnose(api, []), api.get("/api/v1/conditions"), api.post("/api/v1/diagnosis", content=b"{")):
        headers = response.headers
        assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'", response.request.url
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"


def test_diagnosis_shape(api: httpx.Client) -> None:
    response = diagnose(api, [{"id": "popping_sensation", "choice_id": "present"}])
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"conditions", "other_probability", "triage", "question", "should_stop"}
    probabilities = [c["probability"] for c in body["conditions"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0 <= p <= 1 for p in probabilities) and 0 <= body["other_probability"] <= 1
    assert "other" not in {c["id"] for c in body["conditions"]}
    assert body["triage"]["level"] in {"self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"}
    assert isinstance(body["triage"]["red_flags"], list) and isinstance(body["triage"]["reason"], str)
    assert body["question"] is None or (body["question"]["type"] == "single" and body["question"]["id"] != "popping_sensation")
    assert response.headers["cache-control"] == "no-store"


def test_condition_ids_come_from_the_knowledge_base(api: httpx.Client) -> None:
    ids = {c["id"] for c in api.get("/api/v1/conditions").json()}
    assert {"hamstring_strain", "dvt", "cauda_equina_syndrome"} <= ids
    listed = {c["id"] for c in diagnose(api).json()["conditions"]}
    assert listed <= ids


@pytest.mark.parametrize("first", ["unknown", "absent"])
def test_answering_only_the_question_reaches_the_end(api: httpx.Client, first: str) -> None:
    evidence: list[dict[str, str]] = []
    for _ in range(80):
        body = diagnose(api, evidence).json()
        if body["should_stop"] or body["question"] is None:
            return
        qid = body["question"]["id"]
        assert qid not in {e["id"] for e in evidence}
        evidence.append({"id": qid, "choice_id": first})
    pytest.fail("the interview never stopped")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"age": "27", "sex": "male"}, "age"),
        ({"age": True, "sex": "male"}, "age"),
        ({"age": 121, "sex": "male"}, "age"),
        ({"age": -1, "sex": "male"}, "age"),
        ({"age": 27, "sex": "other"}, "sex"),
        ({"age": 27}, "sex"),
        ({"age": 27, "sex": "male", "language": "de"}, "language"),
        ({"age": 27, "sex": "male", "evidence": "popping_sensation"}, "evidence"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "no_such_finding", "choice_id": "present"}]}, "evidence"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": "yes"}]}, "evidence.0.choice_id"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": "present", "x": 1}]}, "evidence.0.x"),
        ({"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": "present"},
                                                 {"id": "popping_sensation", "choice_id": "absent"}]}, "evidence"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(api: httpx.Client, payload: dict[str, object], field: str) -> None:
    assert_problem(api.post(DIAG, json=payload), 422, field)


@pytest.mark.parametrize("raw", ["{bad json", "", "[]", "null", '{"age": 27, "sex": "male"', "\xff"])
def test_malformed_json_is_422(api: httpx.Client, raw: str) -> None:
    response = api.post(DIAG, content=raw.encode("utf-8", "surrogateescape"), headers={"content-type": "application/json"})
    assert_problem(response, 422)


def test_oversized_body_is_422(api: httpx.Client) -> None:
    evidence = [{"id": "popping_sensation", "choice_id": "present"}] * 5000
    assert_problem(api.post(DIAG, content=json.dumps({"age": 27, "sex": "male", "evidence": evidence})), 422, "body")
    assert_problem(api.post(DIAG, json={"age": 27, "sex": "male", "evidence": evidence[:300]}), 422, "evidence")


def test_knowledge_endpoints(api: httpx.Client) -> None:
    conditions = api.get("/api/v1/conditions", params={"language": "tr"}).json()
    assert [c["id"] for c in conditions] == sorted(c["id"] for c in conditions)
    one = api.get("/api/v1/conditions/hamstring_strain").json()
    assert one["id"] == "hamstring_strain" and one["codes"]["icd10"]["code"]
    assert_problem(api.get("/api/v1/conditions/nope"), 404)
    findings = api.get("/api/v1/findings").json()
    assert len(findings) >= 120
    assert api.get("/api/v1/findings/popping_sensation").json()["question"]
    assert_problem(api.get("/api/v1/findings/nope"), 404)
    assert_problem(api.get("/api/v1/findings", params={"language": "xx"}), 422, "language")


def test_triage_and_explain(api: httpx.Client) -> None:
    body = {"age": 60, "sex": "female", "evidence": [{"id": "popping_sensation", "choice_id": "present"}]}
    triage = api.post("/api/v1/triage", json=body).json()
    assert triage["level"] and "rules" in triage
    explained = api.post("/api/v1/explain", json={**body, "top": 2}).json()
    assert len(explained["explanations"]) == 2 and "other_probability" in explained
    assert_problem(api.post("/api/v1/explain", json={**body, "top": "2"}), 422, "top")


def test_parse_offsets(api: httpx.Client) -> None:
    text = "sharp pain behind my left thigh, no swelling"
    mentions = api.post("/api/v1/parse", json={"text": text, "language": "en"}).json()["mentions"]
    assert mentions
    for m in mentions:
        assert text[m["start"]:m["end"]] == m["text"]
    assert_problem(api.post("/api/v1/parse", json={"text": 5}), 422, "text")


def test_faq(api: httpx.Client) -> None:
    body = api.get("/api/v1/faq", params={"q": "should I use ice or heat", "language": "en"}).json()
    assert set(body) >= {"question", "answer", "confidence", "sources"}
    assert_problem(api.get("/api/v1/faq"), 422, "q")


def test_unknown_route_and_method(api: httpx.Client) -> None:
    assert_problem(api.get("/api/v1/nothing"), 404)
    assert api.get(DIAG).status_code == 405


def test_openapi_lists_every_endpoint_with_examples(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/v1/diagnosis", "/api/v1/parse", "/api/v1/triage", "/api/v1/explain", "/api/v1/conditions",
                 "/api/v1/conditions/{condition_id}", "/api/v1/findings", "/api/v1/findings/{finding_id}", "/api/v1/faq",
                 "/api/v1/interviews", "/api/v1/interviews/{interview_id}/answers", "/healthz"]:
        assert path in paths, path
    text = json.dumps(schema["components"]["schemas"]["DiagnosisRequest"])
    assert "examples" in text


def test_metrics(api: httpx.Client) -> None:
    diagnose(api)
    text = api.get("/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"}).text  # conftest.METRICS_TOKEN
    assert 'thighdx_http_requests_total{method="POST",route="/api/v1/diagnosis",status="200"}' in text
    assert "thighdx_http_request_duration_seconds_bucket" in text
