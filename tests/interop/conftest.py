"""Fixtures for the interoperability tests: the public cases, and a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from interop_cases import Server, load_cases


@pytest.fixture(scope="session")
def public_cases(public_cases_path: Path) -> list[dict[str, Any]]:
    return load_cases(public_cases_path)


@pytest.fixture(scope="module")
def interop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real `thighdx serve` (SQLite) for the HTTP tests of a module."""
    server = Server(tmp_path_factory.mktemp("interop-server"), {"THIGHDX_CDS_FHIR_SERVERS": "http://127.0.0.1:"}).start()
    yield server
    server.stop()
