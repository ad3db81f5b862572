"""The diagnosis fast path answers with the route's own handler: a valid request is answered there
(not left to the framework for want of a matching call), byte for byte as the handler answers it."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from thighdx.knowledge.loader import load_kb
from thighdx.web import api
from thighdx.web.middleware import ServiceMiddleware
from thighdx.web.models import DiagnosisRequest

BODY = {"age": 41, "sex": "female", "language": "tr",
        "evidence": [{"id": "sudden_onset", "choice_id": "present"}, {"id": "leg_swelling_one_side", "choice_id": "absent"}]}

def run_async(coroutine: Any) -> Any:
    """Run a coroutine on its own loop in a fresh thread (browser tests may leave a loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()



def run(body: bytes, content_type: bytes = b"application/json") -> tuple[bool, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "method": "POST", "path": "/api/v1/diagnosis", "headers": [(b"content-type", content_type)]}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    answered = run_async(ServiceMiddleware._diagnosis(scope, receive, body, send))
    return answered, sent


def test_a_valid_request_is_answered_by_the_handler() -> None:
    answered, sent = run(json.dumps(BODY).encode())
    assert answered
    start, body = sent
    assert start["status"] == 200 and (b"content-type", b"application/json") in start["headers"]
    expected = run_async(api.diagnosis(DiagnosisRequest.model_validate(BODY), load_kb()))
    assert body["body"] == expected.body


def test_invalid_or_non_json_requests_are_left_to_the_route() -> None:
    assert run(b'{"age": "41", "sex": "female"}') == (False, [])
    assert run(json.dumps(BODY).encode(), b"text/plain") == (False, [])
