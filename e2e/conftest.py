"""Shared fixtures of the black-box suite: it talks to the stack only through nginx on
8080 (and, for fault injection, through scripts/ctl), like any client would."""
import os
import pathlib
import subprocess
import time
import uuid

import pytest
import requests

BASE = os.environ.get("SHOP_E2E_BASE_URL", "http://127.0.0.1:8080")
ROOT = pathlib.Path(__file__).resolve().parent.parent
API = f"{BASE}/api/v1"


def admin_password() -> str:
    """The administrator's password: SHOP_ADMIN_PASSWORD, or the one `make up` generated."""
    given = os.environ.get("SHOP_ADMIN_PASSWORD")
    return given if given else (ROOT / ".run" / "secrets" / "admin-password").read_text().strip()


def ctl(*args: str) -> str:
    """supervisorctl for the stack, as an operator would run it."""
    result = subprocess.run([str(ROOT / "scripts" / "ctl"), *args], capture_output=True, text=True, timeout=120)
    return result.stdout


def run_shop(*args: str) -> subprocess.CompletedProcess:
    """The `shop` command line of the stack, as an operator would run it."""
    binary = os.environ.get("SHOP_BIN", str(ROOT / ".build" / "release" / "shop"))
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


def shop(*args: str) -> str:
    """`run_shop` that must succeed: its output."""
    result = run_shop(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_until(predicate, timeout: float, interval: float = 0.2):
    """Polls `predicate` until it returns a truthy value or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def health(url: str):
    """The body of a /health endpoint, or None when it does not answer."""
    try:
        return requests.get(url, timeout=3).json()
    except Exception:
        return None


def healthy(url: str) -> bool:
    """Whether a /health endpoint answers `ok`."""
    return (health(url) or {}).get("status") == "ok"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


class Client:
    """A thin HTTP client of the public API."""

    def __init__(self):
        self.http = requests.Session()

    def post(self, path, json=None, token=None, **kw):
        return self.http.post(API + path, json=json, headers=self._headers(token, kw.pop("headers", None)), timeout=kw.pop("timeout", 10), **kw)

    def get(self, path, token=None, **kw):
        return self.http.get(API + path, headers=self._headers(token, kw.pop("headers", None)), timeout=kw.pop("timeout", 10), **kw)

    def patch(self, path, json=None, token=None, **kw):
        return self.http.patch(API + path, json=json, headers=self._headers(token, kw.pop("headers", None)), timeout=kw.pop("timeout", 10), **kw)

    def put(self, path, json=None, token=None, **kw):
        return self.http.put(API + path, json=json, headers=self._headers(token, kw.pop("headers", None)), timeout=kw.pop("timeout", 10), **kw)

    def delete(self, path, token=None, **kw):
        return self.http.delete(API + path, headers=self._headers(token, kw.pop("headers", None)), timeout=kw.pop("timeout", 10), **kw)

    @staticmethod
    def _headers(token, extra):
        headers = dict(extra or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def register(self, email=None, password="correct horse battery", name="Test User"):
        email = email or unique_email()
        response = self.post("/users/register", {"email": email, "password": password, "name": name})
        assert response.status_code == 201, response.text
        return email, password, response.json()

    def login(self, email, password):
        response = self.post("/auth/login", {"email": email, "password": password})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def user(client):
    """A registered, logged-in customer: (email, password, profile, tokens)."""
    email, password, profile = client.register()
    tokens = client.login(email, password)
    return email, password, profile, tokens


def assert_problem(response, status: int, code: str):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    for field in ("type", "title", "detail"):
        assert isinstance(body[field], str) and body[field], body
    assert response.headers.get("X-Request-Id")
    return body
