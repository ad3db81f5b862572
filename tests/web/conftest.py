"""Fixtures for the service tests: a real `thighdx serve` on a loopback port, SQLite or PostgreSQL.

PostgreSQL is a throw-away cluster started here (initdb/pg_ctl). When THIGHDX_REQUIRE_POSTGRES=1
(as in CI) a missing PostgreSQL fails the tests instead of skipping them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from thighdx.store.testing import TempPostgres, free_port
from thighdx.web.testing import Host

BACKENDS = ["sqlite", "postgresql"]
METRICS_TOKEN = "metrics-token-for-tests"
METRICS_AUTH = {"Authorization": f"Bearer {METRICS_TOKEN}"}


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


class Server(Host):
    """`thighdx serve` in its own process group, on a new loopback port at each start, with the
    metrics token set; `kill()` is kill -9 of the whole group."""

    def __init__(self, data_dir: Path, env: dict[str, str], workers: int = 1) -> None:
        super().__init__(data_dir, {"THIGHDX_METRICS_TOKEN": METRICS_TOKEN, **env}, workers)

    def start(self, timeout: float = 60.0) -> Server:
        self.port = free_port()
        super().start(timeout)
        return self

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
