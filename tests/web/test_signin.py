"""Sign-in under attack, against a real `thighdx serve`: growing delays and a lock per account and
per client, lifted by another clinician or the command line; failed sign-ins logged (no name, no
password) and audited; unknown and known names cost the same time; patients keep their latency
while wrong passwords pour in."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.web.clinicians import create_clinician

LOGIN = "/api/v1/clinician/login"
PASSWORD = "correct horse battery"


def _thighdx() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "thighdx")
    return [script] if os.path.exists(script) else [shutil.which("thighdx") or "thighdx"]


def _store(server: Any, database_env: dict[str, str]) -> Store:
    return Store(Settings(data_dir=server.data_dir, database_url=database_env.get("THIGHDX_DATABASE_URL", "")))


def _fail_until_locked(client: httpx.Client, username: str) -> list[int]:
    """Wrong passwords until the account is locked, waiting out the growing delays; the statuses seen."""
    seen = []
    failures = 0
    for _ in range(40):
        response = client.post(LOGIN, json={"username": username, "password": "wrong password!"})
        seen.append(response.status_code)
        if response.status_code == 401:
            failures += 1
            continue
        assert response.status_code == 429, response.text
        wait = int(response.headers["Retry-After"])
        if failures >= 10:
            return seen
        assert wait <= 30, "a growing delay, not the lock, before the tenth failure"
        time.sleep(wait)
    raise AssertionError(f"never locked: {seen}")


def test_ten_wrong_passwords_lock_the_account_until_another_clinician_or_the_cli_lifts_it(
        make_server, database_env) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    store = _store(server, database_env)
    create_clinician(store, "dr.demir", PASSWORD)
    create_clinician(store, "dr.kaya", PASSWORD)
    create_clinician(store, "dr.aydin", PASSWORD)
    create_clinician(store, "audit.ozturk", PASSWORD, role="auditor")
    with server.client() as client:
        seen = _fail_until_locked(client, "dr.demir")
        assert seen.count(401) == 10 and seen[:6] == [401] * 6, seen
        locked = client.post(LOGIN, json={"username": "dr.demir", "password": PASSWORD})  # the right password too
        assert locked.status_code == 429, locked.text
        assert int(locked.headers["Retry-After"]) >= 600
        assert "minute" in locked.json()["detail"]
        # a second clinician lifts it
        other = client.post(LOGIN, json={"username": "dr.kaya", "password": PASSWORD})
        assert other.status_code == 200, other.text
        auth = {"Authorization": f"Bearer {other.json()['token']}"}
        assert client.post("/api/v1/clinician/unlock", json={"username": "dr.demir"}).status_code == 401
        assert client.post("/api/v1/clinician/unlock", json={"username": "dr.demir"}, headers=auth).status_code == 204
        assert client.post(LOGIN, json={"username": "dr.demir", "password": PASSWORD}).status_code == 200
        # the command line lifts it too
        _fail_until_locked(client, "dr.aydin")
        assert client.post(LOGIN, json={"username": "dr.aydin", "password": PASSWORD}).status_code == 429
        env = {"THIGHDX_DATA_DIR": str(server.data_dir), **database_env}
        done = subprocess.run([*_thighdx(), "clinician", "unlock", "dr.aydin"], env={**os.environ, **env},
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0 and "unlocked" in done.stdout, done.stdout + done.stderr
        assert client.post(LOGIN, json={"username": "dr.aydin", "password": PASSWORD}).status_code == 200
        auditor = client.post(LOGIN, json={"username": "audit.ozturk", "password": PASSWORD})
        assert auditor.status_code == 200, auditor.text
        reading = client.get("/api/v1/clinician/audit", headers={"Authorization": f"Bearer {auditor.json()['token']}"},
                             params={"limit": 1000})
        assert reading.status_code == 200, reading.text
        audit = reading.json()
    actions = [a["action"] for a in audit]
    assert actions.count("login_failed") == 20 and actions.count("locked") == 2 and actions.count("unlock") == 2
    assert {a["detail"] for a in audit if a["action"] == "unlock"} == {"dr.demir", "dr.aydin"}
    log = server.log.read_text()
    assert log.count('"sign_in_failed"') == 20
    assert "wrong password!" not in log and "dr.demir" not in log and "dr.aydin" not in log


def test_a_client_guessing_across_accounts_is_slowed(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    with server.client() as client:
        statuses = [client.post(LOGIN, json={"username": f"nobody{i}", "password": "wrong password!"}).status_code for i in range(31)]
        assert statuses[:30] == [401] * 30
        refused = client.post(LOGIN, json={"username": "someone.else", "password": "wrong password!"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_unknown_and_known_user_names_take_the_same_time(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    store = _store(server, {})
    names = ["dr.one", "dr.two", "dr.three"]
    for name in names:
        create_clinician(store, name, PASSWORD)
    known, unknown = [], []
    with server.client() as client:
        client.post(LOGIN, json={"username": "warm.up", "password": "wrong password!"})
        for round_ in range(4):  # below every delay: 4 failures per account, 25 from the client
            for i, name in enumerate(names):
                for bucket, username in ((known, name), (unknown, f"ghost.{round_}.{i}")):
                    started = time.perf_counter()
                    response = client.post(LOGIN, json={"username": username, "password": "wrong password!"})
                    bucket.append(time.perf_counter() - started)
                    assert response.status_code == 401, response.text
    k, u = statistics.median(known), statistics.median(unknown)
    assert abs(k - u) <= 0.2 * max(k, u), (k, u)


def test_patients_keep_their_latency_during_a_burst_of_wrong_sign_ins(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server()
    create_clinician(_store(server, {}), "dr.demir", PASSWORD)
    with server.client() as client:
        created = client.post("/api/v1/interviews", json={"age": 34, "sex": "female", "language": "en"}).json()
        path, headers = f"/api/v1/interviews/{created['id']}", {"X-Interview-Secret": created["secret"]}

        def read() -> float:
            started = time.perf_counter()
            assert client.get(path, headers=headers).status_code == 200
            return time.perf_counter() - started

        baseline = statistics.median(read() for _ in range(30))
        attackers = [server.client() for _ in range(32)]  # made before: building a client costs the test's own CPU

        def wrong(i: int) -> int:
            return attackers[i].post(LOGIN, json={"username": "dr.demir", "password": f"guess {i:04}"}).status_code

        with ThreadPoolExecutor(32) as pool:
            burst = [pool.submit(wrong, i) for i in range(32)]
            time.sleep(0.05)
            during = []
            while not all(f.done() for f in burst) and len(during) < 60:
                during.append(read())
            statuses = [f.result() for f in burst]
        for attacker in attackers:
            attacker.close()
    assert set(statuses) <= {401, 429}
    assert statistics.median(during) <= 2 * baseline + 0.03, (baseline, statistics.median(during), len(during))
    assert len(during) >= 5, "the burst ended before the patient's reads"
