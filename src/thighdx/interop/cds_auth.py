"""JWT bearer authentication of the calling EHR, as CDS Hooks 2.0 "Trusting CDS Clients" describes.

Off unless keys are configured: THIGHDX_CDS_JWKS holds the clients' public keys as a JWK Set
(inline JSON or the path of a file). Then every POST to a service must carry
`Authorization: Bearer <JWT>` signed (ES384 or RS384; also ES256/RS256) by one of those keys
(chosen by `kid`), with `iss`, `aud` (this service's URL), `exp`, `iat` and `jti`.
THIGHDX_CDS_ISSUERS (comma-separated) restricts the accepted issuers; THIGHDX_CDS_AUDIENCE gives
this server's public base URL when it sits behind a proxy (the audience is then
`<base>/cds-services/<id>`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from thighdx.errors import InputError
from thighdx.store import AuthError

ALGORITHMS = ["ES384", "RS384", "ES256", "RS256", "ES512", "RS512"]


@dataclass(frozen=True)
class CdsAuth:
    keys: jwt.PyJWKSet | None
    issuers: frozenset[str] = frozenset()
    audience_base: str | None = None

    @property
    def enabled(self) -> bool:
        return self.keys is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CdsAuth:
        env = os.environ if env is None else env
        raw = env.get("THIGHDX_CDS_JWKS", "").strip()
        issuers = frozenset(i.strip() for i in env.get("THIGHDX_CDS_ISSUERS", "").split(",") if i.strip())
        base = env.get("THIGHDX_CDS_AUDIENCE", "").strip().rstrip("/") or None
        if not raw:
            return cls(None, issuers, base)
        try:
            text = raw if raw.startswith("{") else Path(raw).expanduser().read_text(encoding="utf-8")
            keys = jwt.PyJWKSet.from_dict(json.loads(text))
        except (OSError, ValueError, jwt.PyJWKSetError, jwt.PyJWKError) as error:
            raise InputError("THIGHDX_CDS_JWKS", f"must be a JWK Set (JSON or a file holding it): {error}") from None
        return cls(keys, issuers, base)

    def verify(self, authorization: str | None, service_url: str, service_id: str) -> dict[str, Any] | None:
        """The token's claims; None when authentication is off. Raises AuthError (401) with the reason."""
        if self.keys is None:
            return None
        if not authorization or authorization[:7].lower() != "bearer ":
            raise AuthError("a CDS client JWT is required: Authorization: Bearer <JWT>")
        token = authorization[7:].strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise AuthError(f"the bearer token is not a JWT: {error}") from None
        kid = header.get("kid")
        matching = [k for k in self.keys.keys if kid is None or k.key_id == kid]
        if not matching:
            raise AuthError(f"no configured key has kid {kid!r}")
        audiences = [service_url]
        if self.audience_base:
            audiences.append(f"{self.audience_base}/cds-services/{service_id}")
        error: Exception | None = None
        for key in matching:
            try:
                claims: dict[str, Any] = jwt.decode(
                    token, key.key, algorithms=ALGORITHMS, audience=audiences,
                    options={"require": ["iss", "aud", "exp", "iat", "jti"]}, leeway=30)
            except jwt.InvalidSignatureError as failure:
                error = failure
                continue
            except jwt.InvalidTokenError as failure:
                raise AuthError(f"CDS client JWT rejected: {failure}") from None
            if self.issuers and claims["iss"] not in self.issuers:
                raise AuthError(f"CDS client JWT rejected: issuer {claims['iss']!r} is not accepted")
            return claims
        raise AuthError(f"CDS client JWT rejected: {error or 'signature verification failed'}")
