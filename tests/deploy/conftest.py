"""Two `thighdx serve` hosts on one PostgreSQL behind nginx (deploy/nginx/thighdx.conf), on loopback.

Skipped with the reason when nginx or PostgreSQL's initdb is not installed; with
THIGHDX_REQUIRE_POSTGRES=1 (as in CI, which installs both) that is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from thighdx.store.testing import TempPostgres
from thighdx.web.testing import Host, TempNginx, nginx_binary

METRICS_TOKEN = "deploy-test-metrics-token"


def _missing(message: str) -> None:
    if os.environ.get("THIGHDX_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " (required: THIGHDX_REQUIRE_POSTGRES=1)")
    pytest.skip(message)


@dataclass
class TwoHosts:
    first: Host
    second: Host
    proxy: TempNginx
    database_url: str


@pytest.fixture(scope="module")
def two_hosts(postgres: TempPostgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoHosts]:
    if nginx_binary() is None:
        _missing("nginx is not installed (apt-get install nginx)")
    url = postgres.new_database()
    env = {"THIGHDX_DATABASE_URL": url, "THIGHDX_TRUST_PROXY": "true", "FORWARDED_ALLOW_IPS": "127.0.0.1",
           "THIGHDX_RATE_LIMIT": "150", "THIGHDX_METRICS_TOKEN": METRICS_TOKEN}
    root: Path = tmp_path_factory.mktemp("hosts")
    first, second = Host(root / "a", env), Host(root / "b", env)
    proxy: TempNginx | None = None
    try:
        first.start()
        second.start()
        proxy = TempNginx([first.address, second.address]).start()
        yield TwoHosts(first, second, proxy, url)
    finally:
        if proxy is not None:
            proxy.stop()
        first.stop()
        second.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a long end-to-end test (still run in CI)")
