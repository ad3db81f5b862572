"""JWT bearer authentication of the calling EHR (CDS Hooks 2.0), with keys configured in THIGHDX_CDS_JWKS."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from interop_cases import Server, hook_request

KID = "ehr-key-1"


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory, key: ec.EllipticCurvePrivateKey) -> Any:
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks = tmp_path_factory.mktemp("jwks") / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**public, "kid": KID, "alg": "ES384", "use": "sig"}]}))
    server = Server(tmp_path_factory.mktemp("cds-jwt"), {"THIGHDX_CDS_JWKS": str(jwks), "THIGHDX_CDS_ISSUERS": "https://ehr.example.org"}).start()
    yield server
    server.stop()


def token(key: ec.EllipticCurvePrivateKey, audience: str, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": "https://ehr.example.org", "sub": "client-1", "aud": audience, "exp": now + 300, "iat": now, "jti": str(uuid.uuid4()), **claims}
    return jwt.encode(body, key, algorithm="ES384", headers={"kid": KID, "typ": "JWT"})


def test_signed_requests_pass_and_others_are_refused(secured, key) -> None:  # type: ignore[no-untyped-def]
    url = f"{secured.url}/cds-services/thighdx-patient-view"
    body = hook_request()

    def call(headers: dict[str, str]) -> httpx.Response:
        return httpx.post(url, json=body, headers=headers)

    assert call({"Authorization": f"Bearer {token(key, url)}"}).status_code == 200
    missing = call({})
    assert missing.status_code == 401 and "JWT" in missing.json()["detail"]
    assert call({"Authorization": f"Bearer {token(key, 'https://elsewhere.example.org/cds-services/x')}"}).status_code == 401
    assert call({"Authorization": f"Bearer {token(key, url, iss='https://intruder.example.org')}"}).status_code == 401
    assert call({"Authorization": f"Bearer {token(key, url, exp=int(time.time()) - 3600)}"}).status_code == 401
    other = ec.generate_private_key(ec.SECP384R1())
    forged = call({"Authorization": f"Bearer {token(other, url)}"})
    assert forged.status_code == 401 and "rejected" in forged.json()["detail"]
    assert call({"Authorization": "Bearer not-a-jwt"}).status_code == 401
    assert httpx.get(f"{secured.url}/cds-services").status_code == 200  # discovery stays open
