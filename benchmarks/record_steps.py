"""Record every step of every case's interview as the /diagnosis request bodies a client sends.

    .venv/bin/python benchmarks/record_steps.py [--out benchmarks/data/steps.jsonl]

Starts `thighdx serve` on a free loopback port (SQLite in a temporary THIGHDX_DATA_DIR, rate
limit off), runs the shared outside scorer in interview mode over the public cases and the
held-out cases, once from the person's text and once from age and sex alone (`--from-nothing`),
with `--record`, and writes every request body it sent to the output file, one JSON object a
line, in the order sent. The file is the input of `step_bench.py` and `http_bench.py`; rerun
this after the interview changes so the benchmarks replay the steps it takes now.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_cases.py"
CASES = [ROOT.parent / "shared" / "cases" / "public.jsonl", ROOT / "tests" / "data" / "holdout_cases.jsonl"]
OUT = ROOT / "benchmarks" / "data" / "steps.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("cases", nargs="*", type=Path, default=CASES)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp, "bodies.jsonl")
        port = free_port()
        env = {**os.environ, "THIGHDX_DATA_DIR": str(Path(tmp, "data")), "THIGHDX_RATE_LIMIT": "0"}
        server = subprocess.Popen([sys.executable, "-c", "from thighdx.cli import main; main()", "serve", "--host", "127.0.0.1",
                                   "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url + "/healthz")
            for cases in args.cases:
                for extra in ([], ["--from-nothing"]):
                    run = subprocess.run([sys.executable, str(args.scorer), str(cases), "--url", url, "--mode", "interview", "--json",
                                          "--record", str(record), *extra], capture_output=True, text=True, check=False)
                    if run.returncode != 0:
                        sys.exit(f"scorer failed on {cases.name} {' '.join(extra)}: {run.stderr[-2000:]}")
                    print(f"{cases.name} {' '.join(extra) or 'from text'}: recorded", file=sys.stderr)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        bodies = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
    with args.out.open("w") as out:
        for body in bodies:
            out.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(json.dumps({"bodies": len(bodies), "out": str(args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out),
                      "evidence_items_max": max(len(b["evidence"]) for b in bodies)}))


if __name__ == "__main__":
    main()
