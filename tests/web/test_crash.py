"""kill -9 in the middle of 200 concurrent interviews loses no acknowledged answer (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
import pytest

pytestmark = pytest.mark.slow

INTERVIEWS = 200
KILL_AFTER_ANSWERS = 400


async def _interviews(url: str, acknowledged: dict[str, list[tuple[str, str]]], secrets: dict[str, str], enough: asyncio.Event) -> None:
    limits = httpx.Limits(max_connections=INTERVIEWS, max_keepalive_connections=INTERVIEWS)
    async with httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits) as client:

        async def one(n: int) -> None:
            rng = random.Random(n)
            try:
                response = await client.post("/api/v1/interviews", json={"age": 20 + n % 60, "sex": rng.choice(["male", "female"])})
                if response.status_code != 201:
                    return
                body = response.json()
                iid, secret, state = body["id"], body["secret"], body["state"]
                secrets[iid] = secret
                acknowledged[iid] = []
                while state["question"] is not None and not state["should_stop"]:
                    finding, choice = state["question"]["id"], rng.choice(["present", "absent", "unknown"])
                    response = await client.post(f"/api/v1/interviews/{iid}/answers", json={"finding_id": finding, "choice_id": choice},
                                                 headers={"X-Interview-Secret": secret})
                    if response.status_code != 200:
                        return
                    acknowledged[iid].append((finding, choice))
                    if sum(map(len, acknowledged.values())) >= KILL_AFTER_ANSWERS:
                        enough.set()
                    state = response.json()
            except httpx.HTTPError:
                return  # the server was killed

        await asyncio.gather(*(one(n) for n in range(INTERVIEWS)))



def run_in_own_loop(factory):  # type: ignore[no-untyped-def]
    """Run a coroutine on a fresh event loop in its own thread (the browser tests keep one running here)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def test_kill_9_loses_no_acknowledged_answer(make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env, workers=2)
    acknowledged: dict[str, list[tuple[str, str]]] = {}
    secrets: dict[str, str] = {}

    async def run() -> None:
        enough = asyncio.Event()
        task = asyncio.create_task(_interviews(server.url, acknowledged, secrets, enough))
        try:
            await asyncio.wait_for(enough.wait(), timeout=120)
        finally:
            server.kill()  # kill -9 of the server and its workers, mid-way
        await asyncio.wait_for(task, timeout=60)

    started = time.monotonic()
    run_in_own_loop(run)
    total = sum(map(len, acknowledged.values()))
    assert total >= KILL_AFTER_ANSWERS, f"only {total} answers acknowledged in {time.monotonic() - started:.1f} s"
    assert len(acknowledged) >= INTERVIEWS // 2

    server.start()  # same data directory / database
    missing = []
    with server.client() as client:
        for iid, answers in acknowledged.items():
            response = client.get(f"/api/v1/interviews/{iid}", headers={"X-Interview-Secret": secrets[iid]})
            assert response.status_code == 200, response.text
            stored = [(a["id"], a["choice_id"]) for a in response.json()["answers"]]
            if stored[: len(answers)] != answers:
                missing.append((iid, answers, stored))
    assert not missing, f"{len(missing)} interviews lost acknowledged answers, e.g. {missing[0]}"
