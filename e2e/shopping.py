"""Helpers of the checkout suites: an administrator, products with known stock, customers
with a saved address, and orders placed through nginx as any client would."""
import uuid

import pytest
import requests

from conftest import Client, admin_password

SANDBOX = "http://127.0.0.1:3010"
APPROVED = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
FLAKY = "4000000000000119"
SLOW = "4000000000003220"
ADDRESS = {"line1": "1 Test Street", "city": "Testville", "postal_code": "12345", "country": "DE"}


def card(number=APPROVED, exp_year=2099):
    return {"card_number": number, "exp_month": 12, "exp_year": exp_year, "cvc": "123"}


def admin_token(client: Client) -> str:
    return client.login("admin@swiftshop.local", admin_password())["access_token"]


def new_category(client: Client, token: str) -> dict:
    slug = f"e2e-{uuid.uuid4().hex[:10]}"
    response = client.post("/categories", {"name": f"E2E {slug}", "slug": slug}, token=token)
    assert response.status_code == 201, response.text
    return response.json()


def new_product(client: Client, token: str, category: dict, stock=10, price=1999, name=None) -> dict:
    sku = f"E2E-{uuid.uuid4().hex[:12]}"
    response = client.post("/products", {"sku": sku, "name": name or f"Test Lamp {sku}",
                                         "description": "A lamp for tests.",
                                         "price": {"amount": price, "currency": "USD"},
                                         "category_id": category["id"], "initial_stock": stock}, token=token)
    assert response.status_code == 201, response.text
    return response.json()


def customer(client: Client) -> str:
    """A new customer's access token."""
    email, password, _ = client.register()
    return client.login(email, password)["access_token"]


def place(client: Client, token: str, items=None, number=APPROVED, key=None, address=ADDRESS, timeout=10, **extra):
    body = {"shipping_address": address, "payment": card(number), **extra}
    if items is not None:
        body["items"] = items
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post("/orders", body, token=token, headers=headers, timeout=timeout)


def available(client: Client, product_id: str) -> int:
    return client.get(f"/products/{product_id}").json()["available"]


def sandbox_payments(order_id: str) -> list:
    response = requests.get(f"{SANDBOX}/v1/payments", params={"reference": order_id}, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.fixture(scope="module")
def admin():
    """The administrator's access token."""
    return admin_token(Client())


@pytest.fixture(scope="module")
def category(admin):
    """A category of the module's own for its products."""
    return new_category(Client(), admin)
