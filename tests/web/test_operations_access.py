"""/metrics and /docs on a real `thighdx serve`: metrics only with their token (404 when none is
configured), the API docs without any outside origin and with a policy that forbids outside scripts."""

from __future__ import annotations

import re

TOKEN = "metrics-token-for-tests"  # conftest.METRICS_TOKEN, set for every test server


def test_metrics_need_their_token(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    with server.client() as client:
        client.post("/api/v1/interviews", json={"age": 34, "sex": "female", "language": "en"})
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics").headers["www-authenticate"] == "Bearer"
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
        shown = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert shown.status_code == 200 and "thighdx_interviews_started_total" in shown.text


def test_metrics_are_off_without_a_token(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server({"THIGHDX_METRICS_TOKEN": ""})
    with server.client() as client:
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


OUTSIDE = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE)


def test_docs_reference_no_outside_origin(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    with server.client() as client:
        docs = client.get("/docs")
        assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
        assert "/api/v1/diagnosis" in docs.text and "/openapi.json" in docs.text
        assert not OUTSIDE.search(docs.text), OUTSIDE.search(docs.text)
        assert "cdn." not in docs.text and "<script" not in docs.text
        policy = docs.headers["content-security-policy"]
        script = next(d for d in policy.split(";") if d.strip().startswith(("script-src", "default-src")))
        assert "http" not in policy and "unsafe-inline" not in script and "*" not in policy
        assert client.get("/redoc").status_code == 404
