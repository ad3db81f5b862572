"""Fixtures for the service tests: a real `thighdx serve` on a loopback port, SQLite or PostgreSQL.

PostgreSQL is a throw-away cluster started here (initdb/pg_ctl). When THIGHDX_REQUIRE_POSTGRES=1
(as in CI) a missing PostgreSQL fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from thighdx.store.testing import TempPostgres, free_port

BACKENDS = ["sqlite", "postgresql"]
METRICS_TOKEN = "metrics-token-for-tests"
METRICS_AUTH = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def thighdx_command() -> list[str]:
    script = Path(sys.executable).with_name("thighdx")
    if script.exists():
        return [str(script)]
    found = shutil.which("thighdx")
    return [found] if found else [sys.executable, "-c", "from thighdx.cli import main; main()"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment selecting a fresh database of the requested kind."""
    if backend == "postgresql":
        cluster: TempPostgres = request.getfixturevalue("postgres")
        return {"THIGHDX_DATABASE_URL": cluster.new_database()}
    return {}


class Server:
    """`thighdx serve` in its own process group; `kill()` is kill -9 of the whole group."""

    def __init__(self, data_dir: Path, env: dict[str, str], workers: int = 1) -> None:
        self.data_dir = data_dir
        self.extra_env = env
        self.workers = workers
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        self.port = free_port()
        env = {**os.environ, "THIGHDX_DATA_DIR": str(self.data_dir), "THIGHDX_METRICS_TOKEN": METRICS_TOKEN, **self.extra_env}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        command = [*thighdx_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become healthy: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30.0, **kwargs)


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Any]:
    servers: list[Server] = []

    def make(env: dict[str, str] | None = None, workers: int = 1, data_dir: Path | None = None, start: bool = True) -> Server:
        server = Server(data_dir or tmp_path / "data", env or {}, workers)
        server.data_dir.mkdir(parents=True, exist_ok=True)
        servers.append(server)
        return server.start() if start else server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One SQLite-backed server shared by the read-mostly API tests of a module."""
    data = tmp_path_factory.mktemp("server")
    server = Server(data, {}).start()
    yield server
    server.stop()


@pytest.fixture
def api(sqlite_server: Server) -> Iterator[httpx.Client]:
    with sqlite_server.client() as client:
        yield client


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a long end-to-end test (still run in CI)")
