"""Real headless Chromium (Debian's chromium driven by Playwright) against a real `thighdx serve`.

Skipped with a clear reason when Chromium or Playwright is missing, unless
THIGHDX_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import AUDITOR, AXE_REPORT, CLINICIAN

CHROMIUM = os.environ.get("THIGHDX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
REQUIRED = os.environ.get("THIGHDX_REQUIRE_BROWSER") == "1"


def _unavailable() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set THIGHDX_CHROMIUM)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright or axe-playwright-python is not installed ({exc}); pip install -e '.[dev]'"
    return None


@pytest.fixture(scope="session")
def browser_ready() -> None:
    reason = _unavailable()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"THIGHDX_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _thighdx() -> list[str]:
    script = Path(sys.executable).with_name("thighdx")
    if script.exists():
        return [str(script)]
    found = shutil.which("thighdx")
    return [found] if found else [sys.executable, "-m", "thighdx.cli"]


@pytest.fixture(scope="session")
def server(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`thighdx serve` on a free port with its own data directory and one clinician account."""
    data_dir = tmp_path_factory.mktemp("thighdx-data")
    env = {**os.environ, "THIGHDX_DATA_DIR": str(data_dir), "THIGHDX_LOG_LEVEL": "warning", "THIGHDX_RATE_LIMIT": "0"}
    env.pop("THIGHDX_DATABASE_URL", None)
    add = subprocess.run([sys.executable, "-m", "thighdx.web.clinicians", "add", CLINICIAN[0]], input=CLINICIAN[1] + "\n", check=False,
                         env=env, capture_output=True, text=True, timeout=120)
    assert add.returncode == 0, add.stderr
    auditor = subprocess.run([*_thighdx(), "clinician", "add", AUDITOR[0], "--role", "auditor"], input=AUDITOR[1] + "\n",
                             check=False, env=env, capture_output=True, text=True, timeout=120)
    assert auditor.returncode == 0, auditor.stderr
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen([*_thighdx(), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if process.poll() is not None:
                raise AssertionError(f"thighdx serve exited with {process.returncode}:\n"
                                     + (data_dir / "server.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("thighdx serve did not answer within 90 s:\n" + (data_dir / "server.log").read_text()[-3000:])
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def chromium(browser_ready: None) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def web(chromium, server: str) -> Iterator[object]:
    """A fresh phone-sized browser context (its own cookies), at the start page."""
    context = chromium.new_context(base_url=server, viewport={"width": 390, "height": 844}, locale="en-US",
                                   device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def axe_report() -> Iterator[dict[str, dict[str, int]]]:
    """Axe counts per page; written to $THIGHDX_AXE_REPORT (JSON) when that is set."""
    yield AXE_REPORT
    target = os.environ.get("THIGHDX_AXE_REPORT")
    if target and AXE_REPORT:
        Path(target).write_text(json.dumps(AXE_REPORT, indent=2, sort_keys=True) + "\n")
