"""The core type-checks under `mypy --strict` (configuration: `[tool.mypy]` in pyproject.toml)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "src/thighdx/knowledge",
    "src/thighdx/engine",
    "src/thighdx/interview.py",
    "src/thighdx/language",
    "src/thighdx/care",
    "src/thighdx/errors.py",
]


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -e '.[dev]')")
def test_core_is_strictly_typed():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *CORE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"mypy --strict failed on the core:\n{result.stdout}{result.stderr}"
