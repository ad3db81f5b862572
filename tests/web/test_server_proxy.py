"""Behind a trusted proxy (THIGHDX_TRUST_PROXY), the served application sees the client address and
scheme the proxy forwards; otherwise the connection's own."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import pytest

from thighdx.web import app as app_module
from thighdx.web import server


def run_async(coroutine: Any) -> Any:
    """Run a coroutine on its own loop in a fresh thread (browser tests may leave a loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()



def served_scope(monkeypatch: pytest.MonkeyPatch, trust: bool, peer: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.update(scope)

    inner.state = SimpleNamespace(settings=SimpleNamespace(trust_proxy=trust, threads=8),  # type: ignore[attr-defined]
                                  store=SimpleNamespace(open_connections=lambda count: None))
    monkeypatch.setattr(app_module, "create_app", lambda: inner)
    scope = {"type": "http", "scheme": "http", "client": (peer, 5000), "path": "/",
             "headers": [(b"x-forwarded-for", b"203.0.113.7"), (b"x-forwarded-proto", b"https")]}
    run_async(server.served_app()(scope, None, None))
    return seen


def test_a_trusted_proxy_forwards_client_and_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = served_scope(monkeypatch, True, "127.0.0.1")
    assert seen["client"][0] == "203.0.113.7" and seen["scheme"] == "https"


def test_an_untrusted_peer_or_setting_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert served_scope(monkeypatch, True, "198.51.100.1")["client"][0] == "198.51.100.1"
    seen = served_scope(monkeypatch, False, "127.0.0.1")
    assert seen["client"][0] == "127.0.0.1" and seen["scheme"] == "http"
