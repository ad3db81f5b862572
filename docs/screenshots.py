"""Screenshots of the patient pages for the README, independent of the tests; anyone can rerun it.

    .venv/bin/python docs/screenshots.py            # writes docs/screenshot-emergency.png, docs/screenshot-result.png

Starts `thighdx serve` on a free local port with a throw-away data directory, walks two
interviews in headless Chromium (Debian's /usr/bin/chromium, or $THIGHDX_CHROMIUM) at a phone's
size (390 x 844), and saves:

- screenshot-emergency.png: the first screen of an emergency result (the number chosen: 911);
- screenshot-result.png: the first three screens of a non-urgent result (short first).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

DOCS = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("THIGHDX_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    script = Path(sys.executable).with_name("thighdx")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "thighdx.cli"]
    port = _free_port()
    env = {**os.environ, "THIGHDX_DATA_DIR": str(data_dir), "THIGHDX_LOG_LEVEL": "warning", "THIGHDX_RATE_LIMIT": "0"}
    env.pop("THIGHDX_DATABASE_URL", None)
    process = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"thighdx serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("thighdx serve did not answer within 90 s")


def _start(page, age: str, sex: str, description: str = "", number: str = "112") -> None:
    page.goto("/?lang=en")
    page.get_by_label("How old are you?").fill(age)
    page.get_by_label("Female" if sex == "female" else "Male", exact=True).check()
    page.locator("#description").fill(description)
    page.locator("#number").select_option(number)
    page.get_by_role("button", name="Start").click()


def _walk(page, choose, stop_on_emergency: bool = False) -> None:
    for _ in range(40):
        field = page.locator('input[name="finding"]')
        if not field.count():
            break
        if stop_on_emergency and page.locator(".stop-button").count():
            page.locator(".stop-button").click()
            break
        choice = choose(field.get_attribute("value"))
        page.get_by_role("button", name={"present": "Yes", "absent": "No", "unknown": "Don't know"}[choice], exact=True).click()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from thighdx.knowledge.loader import load_kb

    kb = load_kb()
    data_dir = Path(tempfile.mkdtemp(prefix="thighdx-shots-"))
    process, base = _serve(data_dir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(base_url=base, viewport=PHONE, locale="en-US", device_scale_factor=2)
            page = context.new_page()
            _start(page, "58", "male", number="911")
            _walk(page, lambda f: "present" if kb.findings[f].red_flag else "absent", stop_on_emergency=True)
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(DOCS / "screenshot-emergency.png"))
            context.close()

            context = browser.new_context(base_url=base, viewport=PHONE, locale="en-US", device_scale_factor=2)
            page = context.new_page()
            _start(page, "27", "male", "Sudden sharp pain at the back of my thigh while sprinting. I felt a pop.")
            _walk(page, lambda f: "absent")
            height = min(3 * PHONE["height"], page.evaluate("() => document.documentElement.scrollHeight"))
            page.screenshot(path=str(DOCS / "screenshot-result.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height})
            context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(data_dir, ignore_errors=True)
    print("wrote", DOCS / "screenshot-emergency.png", "and", DOCS / "screenshot-result.png")


if __name__ == "__main__":
    main()
