"""`thighdx serve`: migrate once, then run granian with N workers (metrics shared across them).

granian (a Rust HTTP server with a public Python API) replaced uvicorn here because, fed every
recorded interview step at 64 connections (`benchmarks/http_bench.py`), it answered 1.6x (one
worker) and 3.2x (two workers) the requests uvicorn did, with a p99 a quarter of uvicorn's and no
timed-out requests, on the same application.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from thighdx.config import Settings


def served_app() -> Any:
    """The application each worker serves, its database connections opened before the first
    request (a burst of people starting at once then waits for no connection to be made); with
    `THIGHDX_TRUST_PROXY`, the client address and scheme come from X-Forwarded-For /
    X-Forwarded-Proto sent by the proxies in `FORWARDED_ALLOW_IPS` (comma-separated addresses or
    networks, `*` for any; default 127.0.0.1)."""
    from thighdx.web.app import create_app

    app = create_app()
    app.state.store.open_connections(app.state.settings.threads)
    if app.state.settings.trust_proxy:
        from granian.utils.proxies import wrap_asgi_with_proxy_headers

        return wrap_asgi_with_proxy_headers(app, trusted_hosts=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))
    return app


def _data_dir(settings: Settings) -> None:
    """The data directory exists (made if missing) and can be written, else one StorageError naming it."""
    from thighdx.errors import StorageError

    path = settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".thighdx-start-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError:
        raise StorageError(f"THIGHDX_DATA_DIR {path}: is not a directory") from None
    except OSError as error:
        raise StorageError(f"THIGHDX_DATA_DIR {path}: {error.strerror or error}"
                           + (f" ({error.filename})" if error.filename and str(error.filename) != str(path) else "")) from None


def run_server(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    settings = Settings.from_env()
    if settings.is_sqlite:
        _data_dir(settings)
    # Prometheus multiprocess mode: every worker writes its samples to files in this directory.
    metrics_dir = Path(tempfile.mkdtemp(prefix="thighdx-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    try:
        from thighdx.knowledge.loader import load_kb
        from thighdx.store import Store
        from thighdx.web.logs import configure

        configure(settings.log_level)
        load_kb()  # fail fast, before binding the port, if the knowledge base is broken
        store = Store(settings)
        store.migrate()
        store.close()
        os.environ["THIGHDX_MIGRATE"] = "0"  # done once here; workers skip it
        from thighdx.web.retention import purge_on_schedule

        purge_on_schedule(settings)  # one purger for the whole server, however many workers

        from granian import Granian
        from granian.constants import Interfaces, Loops
        from granian.log import LogLevels

        Granian(
            "thighdx.web.server:served_app",
            factory=True,
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=max(1, int(workers)),
            loop=Loops.uvloop,
            websockets=False,
            log_access=False,
            log_level=LogLevels.warning,
            workers_kill_timeout=10,
        ).serve()
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
