"""The signed launch of an interview from a CDS Hooks card: which EHR patient it is for.

The patient-view card's "Start a thighdx interview" link carries `launch=<value>`: the FHIR
server's base URL and the Patient id there, with an expiry, signed with HMAC-SHA256 by the key in
THIGHDX_LAUNCH_SECRET (at least 32 characters; unset, cards carry no launch and none is accepted).
An interview started with a valid launch value (the start page, or `launch` in
POST /api/v1/interviews) is linked to that patient; a forged, altered or expired value is refused.

    value = base64url(JSON {"s": server, "p": patient, "e": expiry}) "." base64url(HMAC-SHA256(key, first part))
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thighdx.errors import InputError

SECRET_ENV = "THIGHDX_LAUNCH_SECRET"
TTL_ENV = "THIGHDX_LAUNCH_TTL_HOURS"
DEFAULT_TTL_HOURS = 24
MIN_SECRET = 32
MAX_LENGTH = 1200
PATIENT_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
"""A FHIR resource id (R4 `id`: letters, digits, '-' and '.', at most 64)."""
SERVER = re.compile(r"^https?://[^\s/?#@]+(/[^\s?#]*)?$")


class BadLaunch(InputError):
    """A launch value that is not one this server signed, or no longer valid (refused, never linked)."""

    def __init__(self, message: str) -> None:
        super().__init__("launch", message)


def fhir_server_key(url: str) -> str:
    """A FHIR server base URL as links store it: no trailing slash. InputError names `fhirServer` when it is no base URL."""
    if not isinstance(url, str) or len(url) > 500 or not SERVER.match(url.strip()):
        raise InputError("fhirServer", "must be the FHIR server's base URL, http(s)://host[:port][/path] (at most 500 characters)")
    return url.strip().rstrip("/")


def patient_key(patient_id: str) -> str:
    """A Patient id as links store it; `Patient/123` is read as `123`."""
    if isinstance(patient_id, str) and patient_id.startswith("Patient/"):
        patient_id = patient_id[len("Patient/"):]
    if not isinstance(patient_id, str) or not PATIENT_ID.match(patient_id):
        raise InputError("patientId", "must be a FHIR Patient id (letters, digits, '-' and '.', 1 to 64 characters)")
    return patient_id


@dataclass(frozen=True)
class Launch:
    fhir_server: str
    patient_id: str
    expires: int
    """Unix time."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class LaunchKey:
    secret: bytes | None
    ttl_seconds: int = DEFAULT_TTL_HOURS * 3600

    @property
    def enabled(self) -> bool:
        return self.secret is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LaunchKey:
        env = os.environ if env is None else env
        raw = env.get(SECRET_ENV, "").strip()
        hours_raw = env.get(TTL_ENV, "").strip() or str(DEFAULT_TTL_HOURS)
        try:
            hours = int(hours_raw)
        except ValueError:
            raise InputError(TTL_ENV, f"must be a whole number of hours, got {hours_raw!r}") from None
        if not 1 <= hours <= 24 * 30:
            raise InputError(TTL_ENV, f"must be 1 to 720 hours, got {hours}")
        if raw and len(raw) < MIN_SECRET:
            raise InputError(SECRET_ENV, f"must be at least {MIN_SECRET} characters, got {len(raw)}")
        return cls(raw.encode() if raw else None, hours * 3600)

    def _mac(self, payload: str) -> str:
        assert self.secret is not None
        return _b64(hmac.new(self.secret, b"thighdx-launch:" + payload.encode("ascii"), hashlib.sha256).digest())

    def sign(self, fhir_server: str, patient_id: str, now: float | None = None) -> str | None:
        """The launch value for this patient, valid for the configured time; None when no key is set."""
        if self.secret is None:
            return None
        expires = int(now if now is not None else time.time()) + self.ttl_seconds
        body = {"s": fhir_server_key(fhir_server), "p": patient_key(patient_id), "e": expires}
        payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
        return f"{payload}.{self._mac(payload)}"

    def verify(self, value: object, now: float | None = None) -> Launch:
        """The patient a launch value names; BadLaunch (422, field `launch`) says why it is refused."""
        if self.secret is None:
            raise BadLaunch("this server accepts no launch values (THIGHDX_LAUNCH_SECRET is not set)")
        if not isinstance(value, str) or not value.isascii() or len(value) > MAX_LENGTH or value.count(".") != 1:
            raise BadLaunch("is not a launch value from a thighdx card")
        payload, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise BadLaunch("the signature does not match: the launch value was altered or not issued by this server")
        try:
            body = json.loads(_unb64(payload))
            launch = Launch(fhir_server_key(body["s"]), patient_key(body["p"]), int(body["e"]))
        except (ValueError, KeyError, TypeError, InputError):
            raise BadLaunch("is not a launch value from a thighdx card") from None
        if launch.expires <= (now if now is not None else time.time()):
            raise BadLaunch("has expired: open the card in the record again for a new link")
        return launch


def launch_key(state: Any) -> LaunchKey:
    """The application's launch key (read from the environment once, kept on `app.state`)."""
    found = getattr(state, "launch_key", None)
    if not isinstance(found, LaunchKey):
        found = LaunchKey.from_env()
        state.launch_key = found
    return found
