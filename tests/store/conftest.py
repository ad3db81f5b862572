from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.store import Store
from thighdx.store.testing import TempPostgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    cluster = TempPostgres()
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        cluster.stop()
        if os.environ.get("THIGHDX_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is not available: {error}")
        pytest.skip(f"PostgreSQL is not available: {error}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = request.getfixturevalue("postgres").new_database() if request.param == "postgresql" else ""
    store = Store(Settings(data_dir=tmp_path / "data", database_url=url, interview_ttl_hours=1, clinician_token_ttl_hours=1))
    store.migrate()
    yield store
    store.close()
