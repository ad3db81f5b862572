"""`thighdx serve`: migrate once, then run uvicorn with N workers (metrics shared across them)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from thighdx.config import Settings


def run_server(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    settings = Settings.from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
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

        import uvicorn

        uvicorn.run(
            "thighdx.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=max(1, int(workers)),
            access_log=False,
            log_level="warning",
            server_header=False,
            proxy_headers=settings.trust_proxy,
            timeout_graceful_shutdown=10,
        )
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
