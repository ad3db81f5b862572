from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.store import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = request.getfixturevalue("postgres").new_database() if request.param == "postgresql" else ""
    store = Store(Settings(data_dir=tmp_path / "data", database_url=url, interview_ttl_hours=1, clinician_token_ttl_hours=1))
    store.migrate()
    yield store
    store.close()
