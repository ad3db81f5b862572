"""Service settings, read from THIGHDX_* environment variables (see the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from thighdx.errors import InputError


def default_data_dir() -> Path:
    """$XDG_DATA_HOME/thighdx, else ~/.local/share/thighdx."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "thighdx"


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(name, f"must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise InputError(name, f"must be at least {minimum}, got {value}")
    return value


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise InputError(name, f"must be true or false, got {raw!r}")


def _token(env: dict[str, str], name: str) -> str:
    raw = env.get(name, "").strip()
    if raw and len(raw) < 16:
        raise InputError(name, f"must be at least 16 characters, got {len(raw)}")
    return raw


def _public_url(env: dict[str, str], name: str) -> str:
    """`scheme://host[:port]` (lower case, no path), or empty."""
    raw = env.get(name, "").strip().rstrip("/")
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        raise InputError(name, f"must be http(s)://host[:port] with no path, got {raw!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    """Empty means SQLite in `data_dir`/thighdx.db."""
    rate_limit: int = 30000
    """Requests per minute per client; 0 turns rate limiting off."""
    rate_limit_sync_seconds: float = 1.0
    max_body_bytes: int = 65536
    body_timeout_seconds: float = 15.0
    retention_days: int = 90
    """Interviews, their answers and results are deleted this many days after they began (`thighdx purge`)."""
    """A request body not fully received within this is refused (408) and its connection closed."""
    interview_ttl_hours: int = 72
    clinician_token_ttl_hours: int = 12
    trust_proxy: bool = False
    """Take the client address from X-Forwarded-For (only behind a trusted proxy)."""
    log_level: str = "info"
    opentelemetry: bool = False
    """FastAPI's own OpenTelemetry spans, metrics and logs, sent to the providers the host process
    sets up. Off by default: the service exports Prometheus metrics and JSON logs itself, and the
    framework's check for configured providers otherwise runs on every request."""
    metrics_token: str = ""
    """Bearer token `/metrics` asks for (THIGHDX_METRICS_TOKEN, at least 16 characters); without one
    `/metrics` answers 404."""
    public_url: str = ""
    """The address people reach the service at (THIGHDX_PUBLIC_URL, e.g. `https://triage.example.org`):
    the one origin a redirect's `Location` may name and page forms may come from. Unset, every
    `Location` is a relative address and a form's `Origin` must match the `Host` it was sent to."""
    purge_interval_seconds: int = 86400
    """How often the server itself deletes interviews past `retention_days` (THIGHDX_PURGE_INTERVAL_SECONDS;
    shortly after start-up, then at this interval; 0 turns the server's own purge off)."""
    threads: int = 8
    """Requests a worker works on at once on its threads (THIGHDX_THREADS); more wait their turn, first
    come first served. A step is CPU work that holds Python's lock, so more threads than a few only
    share one core more finely: every request then waits for the others and the slowest wait longest."""
    migrate: bool = True
    """Run migrations when the app is created (the server runs them once before starting workers)."""

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'thighdx.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env["THIGHDX_DATA_DIR"]).expanduser() if env.get("THIGHDX_DATA_DIR") else default_data_dir()
        url = env.get("THIGHDX_DATABASE_URL", "").strip()
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        level = env.get("THIGHDX_LOG_LEVEL", "info").strip().lower() or "info"
        if level not in ("debug", "info", "warning", "error"):
            raise InputError("THIGHDX_LOG_LEVEL", f"must be debug, info, warning or error, got {level!r}")
        return cls(
            data_dir=data_dir,
            database_url=url,
            rate_limit=_int(env, "THIGHDX_RATE_LIMIT", 30000),
            max_body_bytes=_int(env, "THIGHDX_MAX_BODY_BYTES", 65536, minimum=1024),
            retention_days=_int(env, "THIGHDX_RETENTION_DAYS", 90, minimum=1),
            body_timeout_seconds=float(_int(env, "THIGHDX_BODY_TIMEOUT_SECONDS", 15, minimum=1)),
            interview_ttl_hours=_int(env, "THIGHDX_INTERVIEW_TTL_HOURS", 72, minimum=1),
            clinician_token_ttl_hours=_int(env, "THIGHDX_CLINICIAN_TOKEN_TTL_HOURS", 12, minimum=1),
            trust_proxy=_bool(env, "THIGHDX_TRUST_PROXY", False),
            log_level=level,
            threads=_int(env, "THIGHDX_THREADS", 8, minimum=1),
            opentelemetry=_bool(env, "THIGHDX_OPENTELEMETRY", False),
            metrics_token=_token(env, "THIGHDX_METRICS_TOKEN"),
            public_url=_public_url(env, "THIGHDX_PUBLIC_URL"),
            purge_interval_seconds=_int(env, "THIGHDX_PURGE_INTERVAL_SECONDS", 86400),
            migrate=_bool(env, "THIGHDX_MIGRATE", True),
        )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]
