"""Web Push and webhooks end to end, against receivers on loopback (which the local stack
allow-lists for its own tests): a push decrypts with http_ece and carries a VAPID token
that PyJWT verifies; a push service's 410 removes the subscription; a webhook refused once
is sent again with the same id and a signature standardwebhooks verifies; a 410 disables
the endpoint; private and metadata addresses are refused."""
import base64
import json
import os
import time

import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from standardwebhooks import Webhook

from conftest import assert_problem, wait_until
from notifying import Receiver, notification
from shopping import admin, category, new_product, place  # noqa: F401


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def shopper(client):
    address, password, _ = client.register()
    return client.login(address, password)["access_token"]


def paid_order(client, token, product):
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}])
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_push_is_encrypted_for_the_subscription_and_signed_with_vapid(client, admin, category):
    token = shopper(client)
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    auth = os.urandom(16)
    with Receiver([201, 410]) as push_service:
        response = client.post("/push/subscriptions", {"endpoint": push_service.url + "/push/abc",
                                                       "keys": {"p256dh": b64url(public), "auth": b64url(auth)}},
                               token=token)
        assert response.status_code == 201, response.text
        subscription = response.json()
        order_id = paid_order(client, token, new_product(client, admin, category))
        [request] = wait_until(lambda: push_service.received() or None, timeout=30)
        assert request["headers"]["content-encoding"] == "aes128gcm"
        assert int(request["headers"]["ttl"]) > 0 and request["headers"]["urgency"] in ("normal", "high")
        payload = json.loads(http_ece.decrypt(request["body"], private_key=key, auth_secret=auth,
                                              version="aes128gcm"))
        assert payload["template"] == "order_confirmed" and payload["order_id"] == order_id
        assert order_id in payload["title"]

        scheme, _, params = request["headers"]["authorization"].partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        assert scheme == "vapid"
        published = client.get("/push/vapid-public-key").json()["public_key"]
        assert fields["k"] == published
        server_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(fields["k"]))
        claims = jwt.decode(fields["t"], server_key, algorithms=["ES256"], audience=push_service.url)
        assert claims["sub"].startswith("mailto:") and time.time() < claims["exp"] <= time.time() + 24 * 3600
        assert wait_until(lambda: (notification(client, token, "order_confirmed", "push") or {}).get("status")
                          == "sent", timeout=15)

        # The next push finds the subscription gone (410) and removes it.
        response = client.post(f"/orders/{order_id}/ship", {"carrier": "DHL", "tracking_number": "T-1"}, token=admin)
        assert response.status_code == 200, response.text
        assert wait_until(lambda: (notification(client, token, "order_shipped", "push") or {}).get("status")
                          == "skipped", timeout=30)
        assert len(push_service.received()) == 2
    assert_problem(client.delete(f"/push/subscriptions/{subscription['id']}", token=token), 404, "not_found")


def test_bad_push_subscriptions_are_refused(client):
    token = shopper(client)
    key = b64url(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    for endpoint, p256dh, auth, code in [
        ("https://push.example/x", "bad", b64url(os.urandom(16)), "validation_failed"),
        ("https://push.example/x", key, b64url(os.urandom(8)), "validation_failed"),
        ("http://10.1.2.3/push", key, b64url(os.urandom(16)), "url_not_allowed"),
    ]:
        response = client.post("/push/subscriptions", {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                               token=token)
        assert_problem(response, 400, code)


def headers_of(request):
    return {name: request["headers"][name] for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}


def test_a_refused_webhook_is_sent_again_with_the_same_id_and_a_valid_signature(client, admin, category):
    token = shopper(client)
    with Receiver([500, 200]) as endpoint:
        response = client.post("/webhooks", {"url": endpoint.url + "/hook", "events": ["order.created"]}, token=token)
        assert response.status_code == 201, response.text
        webhook = response.json()
        assert webhook["secret"].startswith("whsec_") and webhook["enabled"] is True
        assert "secret" not in client.get("/webhooks", token=token).json()["items"][0]
        order_id = paid_order(client, token, new_product(client, admin, category))
        requests_seen = wait_until(lambda: endpoint.received() if len(endpoint.received()) >= 2 else None,
                                   timeout=30)
    first, second = requests_seen[:2]
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    verifier = Webhook(webhook["secret"])
    for request in (first, second):
        body = verifier.verify(request["body"], headers_of(request))
        assert body["type"] == "order.created" and body["data"]["order_id"] == order_id
    deliveries = client.get(f"/webhooks/{webhook['id']}/deliveries", token=token).json()["items"]
    assert [(d["status"], d["attempts"], d["id"]) for d in deliveries] == [
        ("sent", 2, first["headers"]["webhook-id"])]


def test_a_customers_endpoint_gets_only_the_customers_events_and_410_disables_it(client, admin, category):
    token, other = shopper(client), shopper(client)
    product = new_product(client, admin, category)
    with Receiver([410]) as endpoint:
        webhook = client.post("/webhooks", {"url": endpoint.url + "/hook", "events": ["order.created"]},
                              token=token).json()
        paid_order(client, other, product)
        paid_order(client, token, product)

        def disabled():
            [listed] = client.get("/webhooks", token=token).json()["items"]
            return listed if not listed["enabled"] else None
        listed = wait_until(disabled, timeout=30)
        assert "410" in listed["disabled_reason"]
        [request] = endpoint.received()
    me = client.get("/users/me", token=token).json()["id"]
    assert json.loads(request["body"])["data"]["user_id"] == me
    # Another user's endpoint is not found.
    assert_problem(client.get(f"/webhooks/{webhook['id']}/deliveries", token=other), 404, "not_found")
    assert_problem(client.delete(f"/webhooks/{webhook['id']}", token=other), 404, "not_found")
    assert client.delete(f"/webhooks/{webhook['id']}", token=token).status_code == 204


@pytest.mark.parametrize("url", [
    "http://10.0.0.1/hook", "http://192.168.1.20/hook", "http://172.16.5.4/hook",
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "ftp://hooks.example/in",
    "http://user:secret@127.0.0.1/hook",
])
def test_private_and_metadata_urls_are_refused(client, url):
    token = shopper(client)
    assert_problem(client.post("/webhooks", {"url": url, "events": ["order.created"]}, token=token),
                   400, "url_not_allowed")
    assert client.get("/webhooks", token=token).json()["items"] == []


def test_bad_webhook_registrations_are_refused(client):
    token = shopper(client)
    for body in [{"url": "https://hooks.example/in", "events": []},
                 {"url": "https://hooks.example/in", "events": ["order.eaten"]},
                 {"url": "not a url", "events": ["order.created"]}]:
        assert_problem(client.post("/webhooks", body, token=token), 400, "validation_failed")
    assert client.post("/webhooks", {"url": "https://hooks.example/in", "events": ["order.created"]}).status_code == 401
