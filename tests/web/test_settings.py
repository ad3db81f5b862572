"""Settings read from the environment, and what they change in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from thighdx.config import Settings
from thighdx.errors import InputError
from thighdx.web.app import create_app


def test_framework_opentelemetry_is_off_unless_asked_for(tmp_path: Path) -> None:
    assert Settings.from_env({}).opentelemetry is False
    off = create_app(Settings.from_env({"THIGHDX_DATA_DIR": str(tmp_path / "a")}))
    assert not off._native_telemetry.enabled()
    assert (off._telemetry["tracing"], off._telemetry["metrics"], off._telemetry["logs"]) == (False, False, False)
    on = create_app(Settings.from_env({"THIGHDX_DATA_DIR": str(tmp_path / "b"), "THIGHDX_OPENTELEMETRY": "true"}))
    assert (on._telemetry["tracing"], on._telemetry["metrics"], on._telemetry["logs"]) == (True, True, True)


def test_a_bad_opentelemetry_switch_is_named() -> None:
    with pytest.raises(InputError, match="THIGHDX_OPENTELEMETRY"):
        Settings.from_env({"THIGHDX_OPENTELEMETRY": "maybe"})
