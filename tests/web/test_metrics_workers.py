"""Prometheus metrics in multiprocess mode: each worker writes its own file and /metrics adds them up."""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path

BODY = {"age": 40, "sex": "female", "evidence": [{"id": "sudden_onset", "choice_id": "present"}]}
CONNECTIONS, EACH, ROUNDS = 16, 10, 20


def test_requests_from_every_worker_are_counted_once(make_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    server = make_server({"THIGHDX_RATE_LIMIT": "0", "TMPDIR": str(scratch)}, workers=2)

    def one_connection(_: int) -> list[int]:
        with server.client() as client:
            return [client.post("/api/v1/diagnosis", json=BODY).status_code for _ in range(EACH)]

    def workers_written() -> set[str]:
        writers = {p.name.rsplit("_", 1)[1].removesuffix(".db") for p in scratch.glob("thighdx-metrics-*/counter_*.db")}
        return writers - {str(server.process.pid)}  # the main process writes too (its scheduled purge counts)

    sent = 0
    for _ in range(ROUNDS):  # the kernel may hand one round's connections all to one worker: send until both answered
        with concurrent.futures.ThreadPoolExecutor(CONNECTIONS) as pool:
            statuses = [s for batch in pool.map(one_connection, range(CONNECTIONS)) for s in batch]
        assert statuses == [200] * CONNECTIONS * EACH
        sent += CONNECTIONS * EACH
        if len(workers_written()) == 2:
            break
    assert len(workers_written()) == 2, (
        f"expected one metrics file per worker after {sent} requests, found {sorted(workers_written())}"
    )
    with server.client() as client:
        text = client.get("/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"}).text  # conftest.METRICS_TOKEN
    counted = re.search(r'thighdx_http_requests_total\{method="POST",route="/api/v1/diagnosis",status="200"\} (\S+)', text)
    observed = re.search(r'thighdx_http_request_duration_seconds_count\{method="POST",route="/api/v1/diagnosis"\} (\S+)', text)
    assert counted is not None and observed is not None
    assert float(counted.group(1)) == float(observed.group(1)) == sent
