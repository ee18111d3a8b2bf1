"""The payment sandbox from outside, as the order service (or a merchant) calls it: its port
3010, no gateway in between."""
import uuid

import pytest
import requests

from conftest import ROOT

SANDBOX = "http://127.0.0.1:3010"


def pay(card="4242424242424242", key=None, amount=2500, reference=None, capture=True):
    headers = {"Idempotency-Key": key} if key else {}
    body = {"amount": amount, "currency": "EUR", "reference": reference or f"order-{uuid.uuid4()}",
            "capture": capture, "card": {"number": card, "exp_month": 12, "exp_year": 2099, "cvc": "123"}}
    return requests.post(f"{SANDBOX}/v1/payments", json=body, headers=headers, timeout=20)


def test_health_and_metrics():
    health = requests.get(f"{SANDBOX}/health", timeout=5).json()
    assert health["status"] == "ok" and "postgres" in health["checks"] and "rabbitmq" not in health["checks"]
    assert requests.get(f"{SANDBOX}/metrics", timeout=5).status_code == 200


def test_an_approved_card_is_captured_and_only_its_last_four_come_back():
    response = pay()
    assert response.status_code == 201, response.text
    payment = response.json()
    assert payment["status"] == "captured" and payment["captured_amount"] == 2500
    assert payment["card"]["last4"] == "4242" and "4242424242424242" not in response.text
    assert requests.get(f"{SANDBOX}/v1/payments/{payment['id']}", timeout=5).json() == payment
    # Nor is the number written anywhere the sandbox logs to.
    assert "4242424242424242" not in (ROOT / ".run" / "log" / "payment-sandbox.log").read_text()


@pytest.mark.parametrize("card, code", [("4000000000000002", "card_declined"), ("4000000000009995", "insufficient_funds")])
def test_a_declining_card_is_402_with_its_code(card, code):
    response = pay(card)
    assert response.status_code == 402
    assert response.json()["status"] == "failed" and response.json()["failure_code"] == code


def test_the_flaky_card_fails_twice_then_approves_with_one_charge():
    key, reference = str(uuid.uuid4()), f"order-{uuid.uuid4()}"
    statuses = [pay("4000000000000119", key=key, reference=reference).status_code for _ in range(3)]
    assert statuses == [500, 500, 201]
    listed = requests.get(f"{SANDBOX}/v1/payments", params={"reference": reference}, timeout=5).json()
    assert len(listed["items"]) == 1


def test_an_idempotency_key_replays_byte_for_byte_and_refuses_another_body():
    key, reference = str(uuid.uuid4()), f"order-{uuid.uuid4()}"
    first = pay(key=key, reference=reference)
    again = pay(key=key, reference=reference)
    assert first.status_code == again.status_code == 201 and first.content == again.content
    other = pay(key=key, reference=reference, amount=9999)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    listed = requests.get(f"{SANDBOX}/v1/payments", params={"reference": reference}, timeout=5).json()
    assert len(listed["items"]) == 1


def test_an_authorization_is_voided_and_then_cannot_be_captured():
    payment = pay(capture=False).json()
    assert payment["status"] == "authorized"
    voided = requests.post(f"{SANDBOX}/v1/payments/{payment['id']}/void", timeout=5)
    assert voided.status_code == 200 and voided.json()["status"] == "voided"
    late = requests.post(f"{SANDBOX}/v1/payments/{payment['id']}/capture", timeout=5)
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition"


def test_a_bad_card_is_400_and_charges_nothing():
    reference = f"order-{uuid.uuid4()}"
    response = pay("4242424242424241", reference=reference)
    assert response.status_code == 400 and response.json()["code"] == "validation_failed"
    assert requests.get(f"{SANDBOX}/v1/payments", params={"reference": reference}, timeout=5).json()["items"] == []
