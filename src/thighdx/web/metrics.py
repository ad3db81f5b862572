"""Prometheus metrics; multiprocess-safe when PROMETHEUS_MULTIPROC_DIR is set (the server sets it)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

_PID = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, os.getpid()))


def _process_id() -> int:
    """This process's id, read once and again after a fork: the multiprocess values check it on
    every update, and os.getpid() is a system call each time."""
    return _PID[0]


if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    values.ValueClass = values.MultiProcessValue(process_identifier=_process_id)

REQUESTS = Counter("thighdx_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "thighdx_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
INTERVIEWS_STARTED = Counter("thighdx_interviews_started_total", "Interviews started.")
INTERVIEWS_BY_LEVEL = Counter("thighdx_interviews_completed_total", "Interviews with a stored result, by triage level.", ["level"])
RATE_LIMITED = Counter("thighdx_rate_limited_total", "Requests refused by the rate limit.")
CROSS_SITE = Counter("thighdx_cross_site_forms_total", "Page forms refused because another site sent them.")


@lru_cache(maxsize=1024)
def request_counter(method: str, route: str, status: int) -> Any:
    """The labelled counter child (looked up once per route and status, not per request)."""
    return REQUESTS.labels(method, route, str(status))


@lru_cache(maxsize=512)
def latency_histogram(method: str, route: str) -> Any:
    return LATENCY.labels(method, route)


def render() -> tuple[bytes, str]:
    """The exposition text: merged across worker processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(DEFAULT_REGISTRY), CONTENT_TYPE_LATEST
