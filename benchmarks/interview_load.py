"""Stored interviews under load: people who start from text and answer to the end, reading the result.

    .venv/bin/python benchmarks/interview_load.py [--people 200] [--concurrency 64] [--workers 1 2 4]
        [--backends sqlite postgresql proxy] [--single 20] [--json OUT.json]

Each person starts an interview from a short text (`POST /api/v1/interviews`), answers "no" to
every question (`POST .../answers`) until `should_stop`, then reads the result (`GET .../result`),
about 20 requests a person. `--concurrency` people at once, each from its own loopback address
with `--per-person-addresses` (so the rate limit, on as shipped, counts each person apart, as
behind a hospital's proxy; by default all come from 127.0.0.1, as in the issue's figures), over
keep-alive connections with a small asyncio HTTP/1.1 client (a fraction of httpx's CPU cost: the
client shares the machine's 2 cores with the servers; it reads each reply's head in one call and
parses JSON with orjson, about half the CPU of reading it line by line with the standard `json`,
and still sends, reads and parses every request and reply in full; on uvloop when it is installed). Servers, all `thighdx serve` as shipped:
- `sqlite`: one host, SQLite in a temporary data directory, at each `--workers`;
- `postgresql`: one host on a throw-away PostgreSQL cluster (initdb, the tests' cluster: `fsync=off`, so a
  commit here costs no disk flush, unlike SQLite's or a production PostgreSQL's), at each `--workers`;
- `proxy`: two hosts of `--proxy-workers` workers each on that PostgreSQL, behind nginx with
  `deploy/nginx/thighdx.conf` (TLS from the client to nginx), as in production.

Per server it reports: the loaded run (requests/s, p50, p99, max, errors, and p50/p99/max of each
kind of request: start, answer, result); one person at a time
(`--single` people in turn: p50 per request and per stored answer); and, in the same run against
the same server, the stateless step (`POST /api/v1/diagnosis`) for exactly the evidence each
stored answer left, one at a time. `server_cpu_ms` is CPU (user+system of the server and its
workers, from /proc) per request over the single-person runs: the answer's cost without the
queue, next to the step's. The issue's targets: 64 people, 1 worker on SQLite, p99 <= 250 ms and
>= 300 req/s; PostgreSQL with 2 workers >= 1.5x its 1-worker figure, p99 <= 250 ms; a stored
answer's p50 <= 3 ms on SQLite, within 2 ms of the stateless step.

Where the CPU went during the loaded run, per request and in cores busy: this load generator (its
own process), the server's processes, the database's (the throw-away cluster's postmaster and
backends; 0 on SQLite, whose work is in the server), and the whole machine (the rest of which
is other work on it): on 2 cores, what the others take is what a second worker cannot have.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import ssl
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from thighdx.store.testing import TempPostgres
from thighdx.web.testing import Host, TempNginx

TEXTS = [
    "sudden sharp pain in the back of my thigh while sprinting, I felt a pop",
    "pain behind my left thigh for three weeks, worse when sitting",
    "aching in the back of the thigh going down to the calf, some tingling",
    "my hamstring hurts after football yesterday",
    "dull ache at the top of the back of my thigh when I sit on hard chairs",
]


class Client:
    """A minimal keep-alive HTTP/1.1 client over one connection (Content-Length bodies only)."""

    def __init__(self, host: str, port: int, tls: bool, source: str) -> None:
        self.host, self.port, self.tls, self.source = host, port, tls, source
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        context = None
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, ssl=context, local_addr=(self.source, 0))

    async def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        raw = orjson.dumps(body) if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(raw)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        self.writer.write(head.encode() + b"\r\n" + raw)
        # The whole head at once (status line and headers), then exactly Content-Length bytes.
        try:
            block = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            if not error.partial:
                raise ConnectionError("closed") from None
            raise
        lines = block.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        data = await self.reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return status, orjson.loads(data) if data and data[:1] in b"{[" else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _evidence(state: dict[str, Any]) -> list[dict[str, str]]:
    """The stateless step's evidence for a stored interview's answers (an answer replaces a reading)."""
    items: dict[str, dict[str, str]] = {}
    for a in state["answers"]:
        items[a["id"]] = {"id": a["id"], "choice_id": a["choice_id"], "source": "text" if a["source"] == "text" else "answer"}
    return list(items.values())


async def person(n: int, client: Client, times: dict[str, list[float]], errors: list[str],
                 steps: list[dict[str, Any]] | None = None) -> None:
    async def timed(kind: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        started = time.perf_counter()
        status, data = await client.request(method, path, body, headers)
        times[kind].append(time.perf_counter() - started)
        if status >= 400:
            errors.append(f"{kind} {status}")
            raise RuntimeError(status)
        return data

    sex = "male" if n % 2 else "female"
    try:
        body = await timed("start", "POST", "/api/v1/interviews", {"age": 20 + n % 50, "sex": sex, "language": "en", "text": TEXTS[n % len(TEXTS)]})
        iid, headers, state = body["id"], {"X-Interview-Secret": body["secret"]}, body["state"]
        while state["question"] is not None and not state["should_stop"]:
            state = await timed("answer", "POST", f"/api/v1/interviews/{iid}/answers", {"finding_id": state["question"]["id"], "choice_id": "absent"}, headers)
            if steps is not None:
                steps.append({"age": float(20 + n % 50), "sex": sex, "language": "en", "evidence": _evidence(state)})
        await timed("result", "GET", f"/api/v1/interviews/{iid}/result", None, headers)
    except (RuntimeError, ConnectionError, OSError, asyncio.IncompleteReadError) as error:
        errors.append(error.__class__.__name__)
        await client.close()


PER_PERSON = [False]
POSTMASTER: list[int | None] = [None]


def _source(n: int) -> str:
    """Each person's own loopback address with --per-person-addresses, else 127.0.0.1 for all."""
    return f"127.{10 + n // 60000}.{(n // 250) % 240}.{1 + n % 250}" if PER_PERSON[0] else "127.0.0.1"


def _cpu(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _database_cpu(postmaster: int | None) -> float:
    """CPU of a PostgreSQL cluster: the postmaster's own and its ended children's, and its live children's."""
    if postmaster is None:
        return 0.0
    try:
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    total = sum(int(f) for f in fields[11:15])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                child = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(child[1]) == postmaster:
                total += int(child[11]) + int(child[12])
    return total / os.sysconf("SC_CLK_TCK")


def _busy() -> float:
    """Seconds of CPU the whole machine spent busy (every core, every process)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


async def loaded(host: str, port: int, tls: bool, people: int, concurrency: int, offset: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {"start": [], "answer": [], "result": []}
    errors: list[str] = []
    queue = list(range(people))
    clients = [Client(host, port, tls, _source(offset + i)) for i in range(concurrency)]

    async def lane(client: Client) -> None:
        while queue:
            await person(offset + queue.pop(), client, times, errors)
        await client.close()

    started = time.perf_counter()
    await asyncio.gather(*(lane(c) for c in clients))
    elapsed = time.perf_counter() - started
    every = [t for v in times.values() for t in v]
    return {"people": people, "concurrency": concurrency, "requests": len(every), "seconds": round(elapsed, 1),
            "req_per_s": round(len(every) / elapsed, 1), "p50_ms": _ms(every, 0.5), "p99_ms": _ms(every, 0.99),
            "max_ms": _ms(every, 1.0), "answer_p99_ms": _ms(times["answer"], 0.99),
            "by_kind": {kind: {"count": len(v), "p50_ms": _ms(v, 0.5), "p99_ms": _ms(v, 0.99), "max_ms": _ms(v, 1.0)} for kind, v in times.items()},
            "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5]}


async def single(host: str, port: int, tls: bool, people: int, offset: int, pids: list[int]) -> dict[str, Any]:
    """People one at a time, then the stateless step for each stored answer's evidence, one at a time."""
    times: dict[str, list[float]] = {"start": [], "answer": [], "result": []}
    errors: list[str] = []
    steps: list[dict[str, Any]] = []
    client = Client(host, port, tls, _source(offset))
    await person(offset, client, times, errors, [])  # warm-up
    times = {k: [] for k in times}
    cpu0 = _cpu(pids)
    for n in range(people):
        await person(offset + 1 + n, client, times, errors, steps)
    cpu_interviews = _cpu(pids) - cpu0
    requests = sum(map(len, times.values()))
    step_times = []
    cpu0 = _cpu(pids)
    for body in steps:
        started = time.perf_counter()
        status, _ = await client.request("POST", "/api/v1/diagnosis", body)
        step_times.append(time.perf_counter() - started)
        if status != 200:
            errors.append(f"diagnosis {status}")
    cpu_steps = _cpu(pids) - cpu0
    await client.close()
    every = [t for v in times.values() for t in v]
    return {"people": people, "requests": requests, "p50_ms": _ms(every, 0.5), "answer_p50_ms": _ms(times["answer"], 0.5),
            "answer_p99_ms": _ms(times["answer"], 0.99), "start_p50_ms": _ms(times["start"], 0.5), "result_p50_ms": _ms(times["result"], 0.5),
            "step_p50_ms": _ms(step_times, 0.5), "step_p99_ms": _ms(step_times, 0.99),
            "server_cpu_ms_per_interview_request": round(cpu_interviews / max(1, requests) * 1000, 2) if pids else None,
            "server_cpu_ms_per_step": round(cpu_steps / max(1, len(step_times)) * 1000, 2) if pids else None,
            "errors": len(errors)}


def measure(name: str, url: str, pids: list[int], args: argparse.Namespace, offset: int) -> dict[str, Any]:
    tls = url.startswith("https")
    host, port = url.split("://")[1].split(":")
    one = asyncio.run(single(host, int(port), tls, args.single, offset, pids))
    before = (time.process_time(), _cpu(pids), _database_cpu(POSTMASTER[0]), _busy(), time.perf_counter())
    load = asyncio.run(loaded(host, int(port), tls, args.people, args.concurrency, offset + 1000))
    after = (time.process_time(), _cpu(pids), _database_cpu(POSTMASTER[0]), _busy(), time.perf_counter())
    # Where the machine's CPU went during the loaded run: this load generator, the server's
    # processes, the database's, and the machine as a whole (the rest is other work on it).
    requests, wall = max(1, load["requests"]), after[4] - before[4]
    load["cpu_ms_per_request"] = {name: round((after[i] - before[i]) / requests * 1000, 3)
                                  for i, name in enumerate(("load_generator", "server", "database"))}
    load["cores_busy"] = {name: round((after[i] - before[i]) / wall, 2)
                          for i, name in enumerate(("load_generator", "server", "database", "machine"))}
    row = {"server": name, "single": one, "load": load}
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--single", type=int, default=20, help="people answered one at a time (and their stateless steps)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--proxy-workers", type=int, default=1, help="workers per host behind the proxy")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql", "proxy"], choices=["sqlite", "postgresql", "proxy"])
    parser.add_argument("--per-person-addresses", action="store_true",
                        help="each person connects from their own loopback address (the rate limit then shares a count per person)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for the servers")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    PER_PERSON[0] = args.per_person_addresses
    try:  # the client's event loop on uvloop, as the servers': less of the shared CPU for the same requests
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    extra = dict(item.split("=", 1) for item in args.env)
    rows: list[dict[str, Any]] = []
    root = Path(tempfile.mkdtemp(prefix="thighdx-load-"))
    postgres = None
    offset = 0
    try:
        if {"postgresql", "proxy"} & set(args.backends):
            postgres = TempPostgres()
            postgres.start()
            try:
                POSTMASTER[0] = int((postgres.data / "postmaster.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        for backend in [b for b in args.backends if b != "proxy"]:
            for workers in args.workers:
                env = {**extra, **({"THIGHDX_DATABASE_URL": postgres.new_database()} if backend == "postgresql" and postgres else {})}
                host = Host(root / f"{backend}-{workers}", env, workers=workers).start()
                try:
                    rows.append(measure(f"{backend}, {workers} worker{'s' * (workers > 1)}", host.url, host.pids(), args, offset))
                finally:
                    host.stop()
                offset += 5000
        if "proxy" in args.backends and postgres:
            env = {**extra, "THIGHDX_DATABASE_URL": postgres.new_database(), "THIGHDX_TRUST_PROXY": "true", "FORWARDED_ALLOW_IPS": "127.0.0.1"}
            hosts = [Host(root / f"proxy-{i}", env, workers=args.proxy_workers).start() for i in range(2)]
            proxy = None
            try:
                proxy = TempNginx([h.address for h in hosts]).start()
                pids = [p for h in hosts for p in h.pids()]
                rows.append(measure(f"nginx + 2 hosts x {args.proxy_workers} worker{'s' * (args.proxy_workers > 1)}, postgresql",
                                    proxy.url, pids, args, offset))
            finally:
                if proxy:
                    proxy.stop()
                for h in hosts:
                    h.stop()
    finally:
        if postgres:
            postgres.stop()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    print("| server | 1 person: p50 / answer p50 | stateless step p50 | server CPU per request / per step | 64 at once: req/s | p50 | p99 | "
          "p99 of starts / answers / results | errors | CPU ms a request: load generator / server / database | cores busy: "
          "load generator / server / database / machine |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        s, load = row["single"], row["load"]
        kinds = " / ".join(str(load["by_kind"][kind]["p99_ms"]) for kind in ("start", "answer", "result"))
        print(f"| {row['server']} | {s['p50_ms']} / {s['answer_p50_ms']} ms | {s['step_p50_ms']} ms | "
              f"{s['server_cpu_ms_per_interview_request']} / {s['server_cpu_ms_per_step']} ms | {load['req_per_s']} | {load['p50_ms']} ms | "
              f"{load['p99_ms']} ms | {kinds} ms | {load['errors']} | {' / '.join(map(str, load['cpu_ms_per_request'].values()))} | "
              f"{' / '.join(map(str, load['cores_busy'].values()))} |")


if __name__ == "__main__":
    main()
