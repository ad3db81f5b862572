from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from thighdx.config import Settings
from thighdx.web.app import create_app


@pytest.fixture()
def app(tmp_path: Path):
    return create_app(Settings(data_dir=tmp_path, rate_limit=0))


@pytest.fixture()
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c
