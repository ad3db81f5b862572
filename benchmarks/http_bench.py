"""Throughput and p99 latency of POST /api/v1/diagnosis, next to a bare FastAPI JSON endpoint, on loopback.

    .venv/bin/python benchmarks/http_bench.py [--connections 64] [--seconds 10] [--rounds 5] [--workers 1]

Three servers run with the same worker count: the bare endpoint on plain uvicorn (the target's
reference, `throughput_ratio`), `thighdx serve` as shipped, and the bare endpoint on the same
connection protocol as `thighdx serve` (one write per answer, `thighdx.web.protocol`), so that
`like_for_like_ratio` shows what the diagnosis itself costs next to an endpoint that does nothing.
The load generator is wrk when installed (else a bounded asyncio client): a fixed number of
keep-alive connections, each sending its next request when the previous answer arrives. It shares
the machine's cores with the servers, so figures are lower bounds.
The servers are measured in turns, `--rounds` times each (the bare ones, then thighdx right after).
Ratios are taken within each round and the median round's ratio is reported, with
every round listed: a small shared machine's speed drifts by a tenth or more over a minute, and a
ratio of two runs seconds apart is far steadier than one of runs a minute apart. The p99 is the
median round's, with the worst round's beside it.
The thighdx server runs with its default settings (metrics, security headers, rate limiting on)
except the rate limit's ceiling, raised beyond what one load generator can send.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

BODY = {"age": 27, "sex": "male", "language": "en",
        "evidence": [{"id": "popping_sensation", "choice_id": "present"}, {"id": "onset_during_sprint_or_kick", "choice_id": "present"}]}

BARE_APP = textwrap.dedent('''
    from typing import Literal
    from fastapi import FastAPI
    from pydantic import BaseModel, ConfigDict

    class Item(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        id: str
        choice_id: Literal["present", "absent", "unknown"]

    class Request(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        age: float
        sex: Literal["male", "female"]
        language: Literal["en", "tr"] = "en"
        evidence: list[Item] = []

    app = FastAPI()

    @app.post("/bare")
    async def bare(body: Request) -> dict:
        return {"conditions": [], "other_probability": 0.0, "triage": {"level": "consultation", "red_flags": [], "reason": ""},
                "question": None, "should_stop": False, "evidence": len(body.evidence)}
''')


SAME_PROTOCOL = (
    "import uvicorn; from thighdx.web.protocol import HttpProtocol; "
    "uvicorn.run('bare_app:app', host='127.0.0.1', port={port}, workers={workers}, http=HttpProtocol, "
    "access_log=False, log_level='warning')"
)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


async def load(url: str, connections: int, seconds: float, body: dict[str, object]) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    payload = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        for _ in range(connections):  # warm up every connection
            await client.post(url, content=payload, headers=headers)
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.post(url, content=payload, headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
    }


def wrk_load(url: str, connections: int, seconds: float, body: dict[str, object], tmp: str, threads: int) -> dict[str, float]:
    """Load with wrk (Debian package) when installed: fixed connections, latency percentiles."""
    import re

    script = Path(tmp, "post.lua")
    script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(json.dumps(body))}\nwrk.headers["Content-Type"] = "application/json"\n')
    subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", "-d2s", "-s", str(script), url], check=True, capture_output=True)  # warm-up
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "-s", str(script), url],
                         check=True, capture_output=True, text=True).stdout

    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
        return round(float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        "p99_ms": ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
    }


def start(command: list[str], env: dict[str, str], cwd: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5, help="turns per server; the median round's ratio is reported")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator: wrk when installed (auto), else a bounded asyncio/httpx client")
    parser.add_argument("--client-threads", type=int, default=1,
                        help="wrk threads (default 1: on a 2-core machine a second client thread takes the server's core, "
                             "and the p99 then measures the scheduler)")
    args = parser.parse_args()
    results = {}
    rounds: dict[str, list[dict[str, float]]] = {"bare": [], "bare_same_protocol": [], "thighdx": []}
    use_wrk: object = False
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bare_app.py").write_text(BARE_APP)
        # The load comes from one client far faster than a person: the limiter stays on (its
        # counting and database sync are measured) with a ceiling the run cannot reach.
        env = {**os.environ, "THIGHDX_DATA_DIR": str(Path(tmp) / "data"), "THIGHDX_RATE_LIMIT": "100000000"}
        bare_port, same_port, app_port = free_port(), free_port(), free_port()
        uvicorn = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--no-access-log", "--log-level", "warning",
                   "--workers", str(args.workers)]
        servers = {
            "bare": (start([*uvicorn, "--port", str(bare_port), "bare_app:app"], env, tmp), f"http://127.0.0.1:{bare_port}"),
            "bare_same_protocol": (start([sys.executable, "-c", SAME_PROTOCOL.format(port=same_port, workers=args.workers)], env, tmp),
                                   f"http://127.0.0.1:{same_port}"),
            "thighdx": (start([sys.executable, "-c", "from thighdx.cli import main; main()", "serve", "--host", "127.0.0.1",
                               "--port", str(app_port), "--workers", str(args.workers)], env, tmp), f"http://127.0.0.1:{app_port}"),
        }
        try:
            wait_healthy(servers["bare"][1] + "/docs")
            wait_healthy(servers["bare_same_protocol"][1] + "/docs")
            wait_healthy(servers["thighdx"][1] + "/healthz")
            use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
            for _ in range(max(1, args.rounds)):
                for name, path in (("bare", "/bare"), ("bare_same_protocol", "/bare"), ("thighdx", "/api/v1/diagnosis")):
                    if use_wrk:
                        rounds[name].append(wrk_load(servers[name][1] + path, args.connections, args.seconds, BODY, tmp,
                                                        args.client_threads))
                    else:
                        rounds[name].append(asyncio.run(load(servers[name][1] + path, args.connections, args.seconds, BODY)))
            for name, runs in rounds.items():
                median = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
                results[name] = {**median, "rounds_rps": [r["rps"] for r in runs], "rounds_p99_ms": [r["p99_ms"] for r in runs]}
        finally:
            for process, _ in servers.values():
                stop(process)
    def median_ratio(reference: str) -> tuple[float, list[float]]:
        ratios = sorted(t["rps"] / b["rps"] for b, t in zip(rounds[reference], rounds["thighdx"], strict=True))
        return ratios[len(ratios) // 2], ratios

    ratio, ratios = median_ratio("bare")
    like_for_like, like_ratios = median_ratio("bare_same_protocol")
    p99s = sorted(r["p99_ms"] for r in rounds["thighdx"])
    p99 = p99s[len(p99s) // 2]
    report = {"client": f"wrk -t{args.client_threads}" if use_wrk else "python", "connections": args.connections, "seconds": args.seconds,
              "rounds": args.rounds, "workers": args.workers, **results,
              "round_ratios": [round(r, 3) for r in ratios],
              "throughput_ratio": round(ratio, 3),
              "like_for_like_round_ratios": [round(r, 3) for r in like_ratios],
              "like_for_like_ratio": round(like_for_like, 3),
              "p99_ms": p99,
              "worst_p99_ms": p99s[-1],
              "targets_met": ratio >= 0.8 and p99 <= 50 and all(r["errors"] == 0 for r in rounds["thighdx"])}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
