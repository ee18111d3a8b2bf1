"""Tampered, foreign and expired access tokens are all 401 with WWW-Authenticate: Bearer."""
import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import requests
from cryptography.hazmat.primitives import serialization

from conftest import BASE, ROOT, assert_problem

KEY_FILE = ROOT / ".run" / "secrets" / "jwt-es256.pem"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def kid() -> str:
    return requests.get(f"{BASE}/.well-known/jwks.json", timeout=5).json()["keys"][0]["kid"]


def claims(sub: str, **overrides):
    now = int(time.time())
    base = {"sub": sub, "role": "customer", "iss": "swiftshop", "aud": "swiftshop-api", "iat": now,
            "nbf": now - 5, "exp": now + 600, "jti": str(uuid.uuid4())}
    base.update(overrides)
    return base


def signed(payload: dict) -> str:
    """A token signed with the stack's own key: only its claims are wrong."""
    key = serialization.load_pem_private_key(KEY_FILE.read_bytes(), password=None)
    return jwt.encode(payload, key, algorithm="ES256", headers={"kid": kid()})


def refused(client, token):
    response = client.get("/users/me", token=token)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_jwks_publishes_the_es256_key():
    keys = requests.get(f"{BASE}/.well-known/jwks.json", timeout=5).json()["keys"]
    assert keys and keys[0]["kty"] == "EC" and keys[0]["crv"] == "P-256" and keys[0]["alg"] == "ES256"
    assert keys[0]["kid"]


def test_a_correctly_signed_token_is_accepted(client, user):
    _, _, profile, _ = user
    assert client.get("/users/me", token=signed(claims(profile["id"]))).status_code == 200


def test_alg_none(client, user):
    _, _, profile, tokens = user
    header = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid()}).encode())
    payload = b64(json.dumps(claims(profile["id"], role="admin")).encode())
    refused(client, f"{header}.{payload}.")
    # The genuine payload with its header swapped for alg none.
    refused(client, f"{header}.{tokens['access_token'].split('.')[1]}.")


def test_hs256_signed_with_the_public_key(client, user):
    _, _, profile, _ = user
    jwk = requests.get(f"{BASE}/.well-known/jwks.json", timeout=5).json()["keys"][0]
    public = jwt.algorithms.ECAlgorithm.from_jwk(json.dumps(jwk))
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": jwk["kid"]}).encode())
    payload = b64(json.dumps(claims(profile["id"])).encode())
    mac = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    refused(client, f"{header}.{payload}.{b64(mac)}")


def test_edited_payload(client, user):
    _, _, _, tokens = user
    header, payload, signature = tokens["access_token"].split(".")
    body = json.loads(unb64(payload))
    body["role"] = "admin"
    refused(client, f"{header}.{b64(json.dumps(body).encode())}.{signature}")


def test_wrong_audience_and_issuer(client, user):
    _, _, profile, _ = user
    refused(client, signed(claims(profile["id"], aud="someone-else")))
    refused(client, signed(claims(profile["id"], iss="elsewhere")))


def test_expired_and_not_yet_valid(client, user):
    _, _, profile, _ = user
    now = int(time.time())
    refused(client, signed(claims(profile["id"], iat=now - 3600, nbf=now - 3600, exp=now - 60)))
    refused(client, signed(claims(profile["id"], nbf=now + 3600)))


def test_garbage_and_wrong_scheme(client):
    for value in ["Bearer", "Bearer ", "Bearer abc", "Basic dXNlcjpwYXNz", "Bearer a.b.c"]:
        response = client.get("/users/me", headers={"Authorization": value})
        assert_problem(response, 401, "unauthorized")
