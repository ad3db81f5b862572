"""Rate limiting per client: shared between workers through the database; the default allows 200 requests a second."""

from __future__ import annotations

import asyncio
import time

import httpx


def run_in_own_loop(factory):  # type: ignore[no-untyped-def]
    """Run a coroutine on a fresh event loop in its own thread (the browser tests keep one running here)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def test_limit_is_shared_by_two_workers(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server({"THIGHDX_RATE_LIMIT": "40"}, workers=2)
    if time.time() % 60 > 45:  # one-minute windows: the test (about 5 s) must not straddle a boundary
        time.sleep(61 - time.time() % 60)
    statuses = []
    with server.client() as first, server.client() as second:  # two connections: both workers get traffic
        for i in range(60):
            client = first if i % 2 else second
            statuses.append(client.get("/api/v1/conditions").status_code)
            time.sleep(0.03)  # let each worker sync with the shared counter
        time.sleep(1.2)  # both workers have shared their counts by now
        refused = client.get("/api/v1/conditions")
    # 40: each worker shares its count after every twentieth of the limit, so little slips through
    assert statuses.count(200) <= 44, statuses
    assert 429 in statuses
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert server.client().get("/healthz").status_code == 200  # health checks are never limited


def test_default_allows_200_requests_a_second_from_one_client(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()

    async def burst() -> list[int]:
        async with httpx.AsyncClient(base_url=server.url, limits=httpx.Limits(max_connections=16)) as client:
            started = time.monotonic()
            codes = []
            for _ in range(4):  # 4 bursts of 200 requests, each within about a second
                results = await asyncio.gather(*(client.get("/api/v1/findings/popping_sensation") for _ in range(200)))
                codes += [r.status_code for r in results]
            assert time.monotonic() - started < 30
            return codes

    codes = run_in_own_loop(burst)
    assert codes.count(429) == 0 and set(codes) == {200}


def test_rate_limit_off(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server({"THIGHDX_RATE_LIMIT": "0"})
    with server.client() as client:
        assert all(client.get("/api/v1/conditions").status_code == 200 for _ in range(50))
