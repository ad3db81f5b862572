"""Screenshots of an exercise (as the person sees it on a phone) and of the doctor's summary, for docs/ and the README.

    .venv/bin/python tools/screenshots_exercise_summary.py

Starts `thighdx serve` on a free port with a throw-away data directory, starts an interview through
the API from a short description, and photographs the first exercise on the result page
(390 x 844, English) and the summary page, with Debian's Chromium driven by Playwright.
Writes docs/screenshot-exercise.png and docs/screenshot-summary.png; rerun it after a change.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = os.environ.get("THIGHDX_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
TEXT = "Sudden sharp pain at the back of my left thigh while sprinting 4 days ago, like a pulled hamstring. I can walk."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict[str, object], headers: dict[str, str] | None = None) -> dict[str, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own local server)
        return json.loads(response.read())  # type: ignore[no-any-return]


def main() -> int:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="thighdx-shots-"))
    env = {**os.environ, "THIGHDX_DATA_DIR": str(data_dir), "THIGHDX_LOG_LEVEL": "warning", "THIGHDX_RATE_LIMIT": "0"}
    env.pop("THIGHDX_DATABASE_URL", None)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "thighdx.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("thighdx serve did not start") from None
                time.sleep(0.3)
        created = _post(f"{base}/api/v1/interviews", {"age": 29, "sex": "male", "language": "en", "text": TEXT})
        iid, secret = str(created["id"]), str(created["secret"])
        state = created["state"]
        for _ in range(3):  # a few answers, one of them "don't know", so the summary shows them
            question = state.get("question") if isinstance(state, dict) else None
            if not question:
                break
            choice = "unknown" if _ == 1 else "absent"
            state = _post(f"{base}/api/v1/interviews/{iid}/answers",
                          {"finding_id": question.get("finding_id") or question.get("id"), "choice_id": choice},
                          {"X-Interview-Secret": secret})
        DOCS.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="en-GB")
            context.add_cookies([{"name": "thighdx_secret", "value": secret, "url": f"{base}/interview/{iid}"},
                                 {"name": "thighdx_lang", "value": "en", "url": base}])
            page = context.new_page()
            page.goto(f"{base}/interview/{iid}/result?lang=en")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            exercise = page.locator("#exercise-askling_diver")  # the one the issue found hard to follow
            if exercise.count() == 0:
                exercise = page.locator("article.exercise").first
            exercise.scroll_into_view_if_needed()
            for _ in range(50):  # the drawings are loaded lazily (the page's CSP rules out wait_for_function)
                if page.evaluate("Array.from(document.images).every(i => i.complete)"):
                    break
                page.wait_for_timeout(100)
            exercise.screenshot(path=str(DOCS / "screenshot-exercise.png"))
            summary = browser.new_context(viewport={"width": 820, "height": 1180}, locale="en-GB")
            summary.add_cookies([{"name": "thighdx_secret", "value": secret, "url": f"{base}/interview/{iid}"}])
            page = summary.new_page()
            page.goto(f"{base}/interview/{iid}/summary?lang=en")
            page.screenshot(path=str(DOCS / "screenshot-summary.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("wrote", DOCS / "screenshot-exercise.png", "and", DOCS / "screenshot-summary.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
