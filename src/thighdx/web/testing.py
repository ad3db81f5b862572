"""Hosts behind a real proxy, for tests and benchmarks: `thighdx serve` processes and nginx on loopback.

`Host` is one `thighdx serve` (its own process group, so `kill()` is kill -9 of it and its
workers). `TempNginx` runs the repository's `deploy/nginx/thighdx.conf` as it is, with the
loopback addresses and ports, a throw-away certificate and a temporary prefix put in, as any
user (no root needed, nothing written outside its directory).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from thighdx.store.testing import free_port

NGINX_CONF = Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "thighdx.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None)


def thighdx_command() -> list[str]:
    script = Path(sys.executable).with_name("thighdx")
    if script.exists():
        return [str(script)]
    found = shutil.which("thighdx")
    return [found] if found else [sys.executable, "-c", "from thighdx.cli import main; main()"]


def _healthy(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url + "/healthz", timeout=1.0, verify=False).status_code == 200
    except httpx.HTTPError:
        return False


class Host:
    """`thighdx serve` on a loopback port, in its own process group."""

    def __init__(self, data_dir: Path, env: dict[str, str], workers: int = 1, port: int = 0) -> None:
        self.data_dir = data_dir
        self.extra_env = env
        self.workers = workers
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> Host:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "THIGHDX_DATA_DIR": str(self.data_dir), **self.extra_env}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        command = [*thighdx_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
            if _healthy(self.url):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become healthy: {self.log.read_text()[-3000:]}")

    def pids(self) -> list[int]:
        """The server process and its workers (for CPU accounting)."""
        if not self.process:
            return []
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.process.pid and int(entry.name) != self.process.pid:
                        found.append(int(entry.name))
                except OSError:
                    pass
        return found

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def render_nginx_conf(source: str, upstreams: list[str], http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The deployment configuration with loopback addresses put in (nothing else changed)."""
    lines = []
    replaced = False
    for line in source.splitlines():
        server = re.match(r"(\s*)server (\S+)( max_fails=.*;)", line)
        if server:
            if not replaced:
                lines += [f"{server.group(1)}server {address}{server.group(3)}" for address in upstreams]
                replaced = True
            continue
        line = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", line)
        line = re.sub(r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", line)
        line = re.sub(r"ssl_certificate\s+(\S+);", f"ssl_certificate {cert};", line)
        line = re.sub(r"ssl_certificate_key\s+(\S+);", f"ssl_certificate_key {key};", line)
        lines.append(line)
    if not replaced:
        raise ValueError("no upstream `server` lines in the nginx configuration")
    return "\n".join(lines) + "\n"


class TempNginx:
    """nginx with `deploy/nginx/thighdx.conf`, a temporary prefix and a self-signed certificate."""

    def __init__(self, upstreams: list[str], conf: Path = NGINX_CONF, worker_processes: int = 1) -> None:
        self.upstreams = upstreams
        self.conf = conf
        self.worker_processes = worker_processes
        self.root = Path(tempfile.mkdtemp(prefix="thighdx-nginx-"))
        self.http_port = free_port()
        self.https_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout: float = 20.0) -> TempNginx:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed")
        os.chmod(self.root, 0o755)  # workers run as an unprivileged user when started as root
        cert, key = self.root / "cert.pem", self.root / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
        site = render_nginx_conf(self.conf.read_text(), self.upstreams, self.http_port, self.https_port, cert, key)
        (self.root / "thighdx.conf").write_text(site)
        (self.root / "nginx.conf").write_text(
            f"worker_processes {self.worker_processes};\n"
            f"pid {self.root}/nginx.pid;\n"
            f"error_log {self.root}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"    client_body_temp_path {self.root}/body;\n"
            f"    proxy_temp_path {self.root}/proxy;\n"
            f"    fastcgi_temp_path {self.root}/fastcgi;\n"
            f"    uwsgi_temp_path {self.root}/uwsgi;\n"
            f"    scgi_temp_path {self.root}/scgi;\n"
            "    access_log off;\n"
            f"    include {self.root}/thighdx.conf;\n"
            "}\n"
        )
        command = [binary, "-p", str(self.root), "-c", str(self.root / "nginx.conf"), "-e", str(self.root / "error.log"), "-g", "daemon off;"]
        check = subprocess.run([*command[:-2], "-t"], check=False, capture_output=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration: {check.stderr.decode(errors='replace')}")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log()}")
            if _healthy(self.url):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not come up: {self.error_log()}")

    def error_log(self) -> str:
        path = self.root / "error.log"
        return path.read_text()[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)
