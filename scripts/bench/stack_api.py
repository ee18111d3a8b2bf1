"""What the benchmarks that drive the running stack through nginx share: calls, customers,
orders, times and percentiles."""
import datetime
import pathlib
import time
import uuid

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
API = "http://127.0.0.1:8080/api/v1"
ADDRESS = {"line1": "1 Bench Street", "city": "Berlin", "postal_code": "10115", "country": "DE"}
CARD = {"card_number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}


def call(method, path, token=None, expect=200, **kw):
    headers = kw.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = requests.request(method, API + path, headers=headers, timeout=30, **kw)
    if response.status_code != expect:
        raise SystemExit(f"{method} {path}: HTTP {response.status_code}: {response.text[:300]}")
    return response


def customer(email=None) -> str:
    """A new customer's access token."""
    email = email or f"bench-{uuid.uuid4().hex[:12]}@example.com"
    call("POST", "/users/register", expect=201, json={"email": email, "password": "correct horse battery", "name": "B"})
    return call("POST", "/auth/login", json={"email": email, "password": "correct horse battery"}).json()["access_token"]


def admin() -> str:
    password = (ROOT / ".run" / "secrets" / "admin-password").read_text().strip()
    return call("POST", "/auth/login", json={"email": "admin@swiftshop.local", "password": password}).json()[
        "access_token"]


def product(admin_token, stock, purpose) -> dict:
    slug = f"bench-{uuid.uuid4().hex[:10]}"
    category = call("POST", "/categories", admin_token, expect=201, json={"name": slug, "slug": slug}).json()
    return call("POST", "/products", admin_token, expect=201, json={
        "sku": slug.upper(), "name": f"Bench {slug}", "description": f"For the {purpose} benchmark.",
        "price": {"amount": 999, "currency": "USD"}, "category_id": category["id"], "initial_stock": stock}).json()


def place(token, product_id):
    """The new order's id and how long POST /orders took."""
    started = time.monotonic()
    response = call("POST", "/orders", token, expect=201, headers={"Idempotency-Key": str(uuid.uuid4())},
                    json={"items": [{"product_id": product_id, "quantity": 1}], "shipping_address": ADDRESS,
                          "payment": CARD})
    return response.json()["id"], time.monotonic() - started


def stamp(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
