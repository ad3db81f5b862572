"""/api/v1/diagnosis is answered before the framework's routing for valid requests: the answer
must be exactly the service's, and anything invalid must still get the route's error."""

from __future__ import annotations

import json

from thighdx.knowledge.loader import load_kb
from thighdx.numbers import default_number, fill
from thighdx.web.service import diagnosis

BODIES = [
    {"age": 27, "sex": "male", "evidence": [{"id": "popping_sensation", "choice_id": "present"}]},
    {"age": 64.5, "sex": "female", "language": "tr",
     "evidence": [{"id": "chest_pain", "choice_id": "present"}, {"id": "leg_swelling_one_side", "choice_id": "present"}]},
    {"age": 0, "sex": "female", "evidence": []},
]


def test_valid_requests_get_exactly_the_service_answer(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    kb = load_kb()
    with server.client() as client:
        for body in BODIES:
            response = client.post("/api/v1/diagnosis", json=body)
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/json"
            assert response.headers["x-content-type-options"] == "nosniff"
            expected = fill(diagnosis(kb, body["age"], body["sex"], body.get("language", "en"),
                                      [(e["id"], e["choice_id"], e.get("source", "answer")) for e in body["evidence"]]),
                            default_number(body.get("language", "en")))
            assert "{number}" not in response.text
            assert response.json() == json.loads(json.dumps(expected))


def test_invalid_requests_still_get_the_routes_errors(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    with server.client() as client:
        duplicate = {"age": 30, "sex": "male", "evidence": [{"id": "sudden_onset", "choice_id": "present"},
                                                              {"id": "sudden_onset", "choice_id": "absent"}]}
        for body, field in ((duplicate, "evidence"), ({"age": "30", "sex": "male"}, "age"),
                            ({"age": 30, "sex": "male", "evidence": [{"id": "nope", "choice_id": "present"}]}, "evidence")):
            response = client.post("/api/v1/diagnosis", json=body)
            assert response.status_code == 422
            assert response.headers["content-type"].startswith("application/problem+json")
            assert field in (response.json().get("field") or "") + response.json()["detail"]
        text = client.post("/api/v1/diagnosis", content=json.dumps(BODIES[0]), headers={"content-type": "text/plain"})
        assert text.status_code == 422
