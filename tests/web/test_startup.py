"""Start-up failures are one line naming the path or setting and the cause, with exit status 2;
/healthz probes a write and answers 503 when the disk is full (a real `thighdx serve`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from thighdx.store.testing import free_port


def _thighdx() -> list[str]:
    script = Path(sys.executable).with_name("thighdx")
    return [str(script)] if script.exists() else ["thighdx"]


def _serve(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIGHDX_DATA_DIR": str(data_dir)}
    env.pop("THIGHDX_DATABASE_URL", None)
    return subprocess.run([*_thighdx(), "serve", "--port", str(free_port())], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Any]:
    mounts: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounts)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def test_a_data_directory_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    line = _one_line(_serve(tmp_path / "a-file" / "data"))
    assert "THIGHDX_DATA_DIR" in line and str(tmp_path / "a-file") in line and "directory" in line.lower()


def test_a_corrupt_database_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "thighdx.db").write_bytes(b"this is not a database at all" * 100)
    line = _one_line(_serve(data))
    assert str(data / "thighdx.db") in line and "not a database" in line


def test_a_read_only_data_directory(mounted) -> None:  # type: ignore[no-untyped-def]
    point = mounted("size=1m")
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True, capture_output=True)
    line = _one_line(_serve(point))
    assert str(point) in line and "read-only" in line.lower()


def test_a_full_disk_makes_healthz_503(make_server, mounted) -> None:  # type: ignore[no-untyped-def]
    point = mounted("size=8m")
    server = make_server(data_dir=point / "data")
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
    filler = point / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    try:
        health = httpx.get(server.url + "/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["database"] == "not writable", health.text
    finally:
        filler.unlink()
    assert httpx.get(server.url + "/healthz", timeout=30).status_code == 200
