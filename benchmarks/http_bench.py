"""Throughput and p99 of POST /api/v1/diagnosis fed every recorded interview step, next to a bare FastAPI endpoint fed the same bodies.

    .venv/bin/python benchmarks/http_bench.py [--connections 64] [--seconds 8] [--rounds 5] [--workers 1]
        [--steps benchmarks/data/steps.jsonl] [--server NAME='COMMAND {port} {workers}' ...]

The bodies are those of every step of every case's interview (`record_steps.py`), not one cheap
request: wrk (Debian package `wrk`) runs a Lua script that loads them all and sends them in turn,
each connection sending its next request when the previous answer arrives, 64 connections by
default, one client thread (on a 2-core machine a second client thread takes a server's core).
Servers, each with `--workers` workers:
- `bare`: a bare FastAPI endpoint on plain uvicorn that validates the same body with a strict
  pydantic model and answers a small constant JSON (the reference the target names);
- `bare_granian`: the same endpoint on granian, the server `thighdx serve` runs on, so that
  `throughput_ratio_same_server` compares like with like;
- `thighdx`: `thighdx serve` as shipped (metrics, security headers, rate limiting on with a
  ceiling no load generator reaches; SQLite in a temporary data directory);
- any `--server NAME='COMMAND'`: a command that serves POST /api/v1/diagnosis on `{port}` with
  `{workers}` workers (formatted in; run in the temporary directory, with the same environment),
  to compare a variant of the server within the same run.
The servers are measured in turns within each round, so a ratio compares runs seconds apart:
this shared machine's speed drifts by a tenth or more within a minute. Each server's figure is its
median round; each ratio (server over bare) is the median of the per-round ratios, with every
round listed. `cpu_us_per_request` is the CPU time (user + system, every process of the server)
spent per answered request during the measured run: on a machine other work shares, it is the
steadier measure of what a server variant costs, since it does not count time spent waiting for
a core. Targets: `thighdx` at >= 0.8x bare's throughput and p99 <= 50 ms, no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

STEPS = Path(__file__).resolve().parent / "data" / "steps.jsonl"
DIAGNOSIS = "/api/v1/diagnosis"

BARE_APP = textwrap.dedent('''
    from typing import Literal
    from fastapi import FastAPI
    from pydantic import BaseModel, ConfigDict, Field

    class Item(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        id: str = Field(min_length=1, max_length=80)
        choice_id: Literal["present", "absent", "unknown"]
        source: Literal["text", "answer"] = "answer"

    class Request(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        age: float = Field(ge=0, le=120)
        sex: Literal["male", "female"]
        language: Literal["en", "tr"] = "en"
        evidence: list[Item] = Field(default_factory=list, max_length=200)

    app = FastAPI()

    @app.post("/api/v1/diagnosis")
    async def bare(body: Request) -> dict:
        return {"conditions": [], "other_probability": 0.0, "triage": {"level": "consultation", "red_flags": [], "reason": ""},
                "question": None, "should_stop": False, "evidence": len(body.evidence)}
''')

# Each wrk thread loads every body and sends them in turn (a different starting point per thread).
LUA = textwrap.dedent('''
    local bodies = {}
    for line in io.lines(%s) do
      if #line > 0 then bodies[#bodies + 1] = line end
    end
    local requests = {}
    local counter = 0
    function setup(thread)
      counter = counter + 1
      thread:set("start", counter)
    end
    function init(args)
      local headers = {["Content-Type"] = "application/json"}
      for i, body in ipairs(bodies) do
        requests[i] = wrk.format("POST", nil, headers, body)
      end
      index = ((start or 1) - 1) * 997 %% #requests
    end
    function request()
      index = index %% #requests + 1
      return requests[index]
    end
''')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer (404 included) means the server is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def cpu_seconds(group: int) -> float:
    """User + system CPU time of every live process in a process group (the server and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime follow at 11 and 12
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(url: str, connections: int, seconds: float, script: Path, threads: int, group: int) -> dict[str, float]:
    subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", "-d2s", "-s", str(script), url], check=True, capture_output=True)
    cpu = cpu_seconds(group)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "-s", str(script), url],
                         check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(group) - cpu

    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
        return round(float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "requests": requests,
        "cpu_us_per_request": round(cpu / max(1, requests) * 1e6, 1),
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        "p99_ms": ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
    }


def start(command: list[str], env: dict[str, str], cwd: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=5, help="turns per server; medians of the rounds are reported")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--steps", type=Path, default=STEPS)
    parser.add_argument("--client-threads", type=int, default=1)
    parser.add_argument("--server", action="append", default=[], metavar="NAME=COMMAND",
                        help="another server of POST /api/v1/diagnosis, started with COMMAND ({port}, {workers} formatted in)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    steps = args.steps.resolve()
    bodies = sum(1 for line in steps.read_text().splitlines() if line.strip())
    rounds: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bare_app.py").write_text(BARE_APP)
        script = Path(tmp, "steps.lua")
        script.write_text(LUA % json.dumps(str(steps)))
        # The limiter stays on (its counting and database sync are measured) with a ceiling the run cannot reach.
        env = {**os.environ, "THIGHDX_DATA_DIR": str(Path(tmp) / "data"), "THIGHDX_RATE_LIMIT": "100000000"}
        commands = {
            "bare": [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", "{port}", "--workers", "{workers}",
                     "--no-access-log", "--log-level", "warning", "bare_app:app"],
            "bare_granian": [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", "{port}",
                             "--workers", "{workers}", "--loop", "uvloop", "--no-ws", "--log-level", "warning", "bare_app:app"],
            "thighdx": [sys.executable, "-c", "from thighdx.cli import main; main()", "serve", "--host", "127.0.0.1",
                        "--port", "{port}", "--workers", "{workers}"],
        }
        for spec in args.server:
            name, _, command = spec.partition("=")
            commands[name] = shlex.split(command)
        servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
        try:
            for name, command in commands.items():
                port = free_port()
                argv = [part.format(port=port, workers=args.workers) for part in command]
                log = Path(tmp, f"{name}.log")
                servers[name] = (start(argv, env, tmp, log), port)
                try:
                    wait_listening(port)  # one at a time: two workers' start-ups must not race on the database
                except RuntimeError:
                    sys.exit(f"{name} did not start: {log.read_text(errors='replace')[-3000:]}")
                rounds[name] = []
            for _ in range(max(1, args.rounds)):
                for name, (process, port) in servers.items():
                    rounds[name].append(wrk(f"http://127.0.0.1:{port}{DIAGNOSIS}", args.connections, args.seconds, script,
                                            args.client_threads, process.pid))
        finally:
            for process, _ in servers.values():
                stop(process)
    report: dict[str, object] = {"client": f"wrk -t{args.client_threads}", "connections": args.connections, "seconds": args.seconds,
                                 "rounds": args.rounds, "workers": args.workers, "bodies": bodies}
    for name, runs in rounds.items():
        ratios = [r["rps"] / b["rps"] for r, b in zip(runs, rounds["bare"], strict=True)]
        same = [r["rps"] / b["rps"] for r, b in zip(runs, rounds["bare_granian"], strict=True)]
        report[name] = {
            "rps": median([r["rps"] for r in runs]),
            "p50_ms": median([r["p50_ms"] for r in runs]),
            "p99_ms": median([r["p99_ms"] for r in runs]),
            "worst_p99_ms": max(r["p99_ms"] for r in runs),
            "errors": sum(int(r["errors"]) for r in runs),
            "cpu_us_per_request": median([r["cpu_us_per_request"] for r in runs]),
            "ratio_to_bare": round(median(ratios), 3),
            "rounds_ratio": [round(x, 3) for x in ratios],
            "ratio_to_bare_granian": round(median(same), 3),
            "rounds_rps": [r["rps"] for r in runs],
            "rounds_p99_ms": [r["p99_ms"] for r in runs],
            "rounds_cpu_us_per_request": [r["cpu_us_per_request"] for r in runs],
        }
    thighdx = report["thighdx"]
    assert isinstance(thighdx, dict)
    report["throughput_ratio"] = thighdx["ratio_to_bare"]
    report["throughput_ratio_same_server"] = thighdx["ratio_to_bare_granian"]
    report["p99_ms"] = thighdx["p99_ms"]
    report["targets_met"] = thighdx["ratio_to_bare"] >= 0.8 and thighdx["p99_ms"] <= 50 and thighdx["errors"] == 0
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
