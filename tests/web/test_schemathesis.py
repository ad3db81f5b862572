"""Schemathesis against the live OpenAPI schema of `thighdx serve` (SQLite and PostgreSQL).

Every check runs except `positive_data_acceptance`: the contract requires rejecting evidence that
names the same finding twice with different choices (422), which a JSON schema cannot express, so
a generator can build "schema-valid" bodies the API must refuse.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def schemathesis_command() -> list[str]:
    script = Path(sys.executable).with_name("schemathesis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "schemathesis.cli"]


def test_schemathesis_finds_no_server_error_or_schema_violation(make_server, database_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = make_server(database_env)
    command = [
        *schemathesis_command(), "run", f"{server.url}/openapi.json",
        "--checks", "all", "--exclude-checks", "positive_data_acceptance",
        "--max-examples", "25", "--seed", "1", "--workers", "2", "--no-shrink",
        "--report", "junit", "--report-dir", str(tmp_path / "report"),
    ]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "Server error" not in output
    log = server.log.read_text()
    assert "Traceback" not in log, log[-3000:]
