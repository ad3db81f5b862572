from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.knowledge.synthetic import synthetic_kb
from thighdx.store.testing import TempPostgres

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The packaged knowledge base."""
    return load_kb()


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    """A generated knowledge base of 30 conditions x 60 findings."""
    return synthetic_kb(n_conditions=30, n_findings=60, per_condition=12, seed=7, n_red_flags=6)


@pytest.fixture(scope="session")
def public_cases_path() -> Path:
    path = SHARED / "cases" / "public.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is not present beside the project")
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    cluster = TempPostgres()
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        cluster.stop()
        detail = getattr(error, "stderr", b"") or b""
        message = f"PostgreSQL is not available: {error} {detail.decode(errors='replace')[-500:]}"
        if os.environ.get("THIGHDX_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield cluster
    cluster.stop()
