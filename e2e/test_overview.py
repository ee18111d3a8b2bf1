"""GET /me/overview: the caller's profile, cart, newest orders and unread notifications in
one answer, and a part missing (its service stopped) named in `degraded` while the answer
stays 200 within its deadline."""
import time

from conftest import assert_problem, ctl, healthy, wait_until
from shopping import admin, category, customer, new_product, place  # noqa: F401


def test_the_overview_has_every_part_when_every_service_answers(client, admin, category):
    product = new_product(client, admin, category, stock=10)
    token = customer(client)
    orders = [place(client, token, [{"product_id": product["id"], "quantity": 1}]) for _ in range(6)]
    assert {o.status_code for o in orders} <= {201, 202}, [o.text for o in orders]
    assert client.put(f"/cart/items/{product['id']}", json={"quantity": 2}, token=token).status_code == 200

    response = client.get("/me/overview", token=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"user", "cart", "recent_orders", "unread_notifications", "degraded"}
    assert body["degraded"] == []
    assert body["user"]["email"] == client.get("/users/me", token=token).json()["email"]
    assert [line["quantity"] for line in body["cart"]["items"]] == [2]
    newest = [o.json()["id"] for o in reversed(orders)][:5]
    assert [o["id"] for o in body["recent_orders"]] == newest
    assert isinstance(body["unread_notifications"], int) and body["unread_notifications"] >= 0


def test_the_overview_needs_a_token(client):
    assert_problem(client.get("/me/overview"), 401, "unauthorized")


def test_with_the_order_service_stopped_the_overview_names_it_and_answers_in_time(client):
    token = customer(client)
    ctl("stop", "order", "order-2")
    try:
        began = time.monotonic()
        response = client.get("/me/overview", token=token)
        elapsed = time.monotonic() - began
    finally:
        ctl("start", "order", "order-2")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["recent_orders"] is None and body["cart"] is None
    assert body["degraded"] == ["order"]
    assert body["user"] is not None and body["unread_notifications"] is not None
    assert elapsed < 2
    wait_until(lambda: healthy("http://127.0.0.1:3003/health") and healthy("http://127.0.0.1:3013/health"), 60)
    wait_until(lambda: healthy("http://127.0.0.1:8081/health") and healthy("http://127.0.0.1:8082/health"), 60)


def test_with_the_notification_service_stopped_only_the_unread_count_is_missing(client):
    token = customer(client)
    ctl("stop", "notification", "notification-2")
    try:
        response = client.get("/me/overview", token=token)
    finally:
        ctl("start", "notification", "notification-2")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unread_notifications"] is None and body["degraded"] == ["notification"]
    assert body["cart"] == {"items": [], "total": body["cart"]["total"]}
    wait_until(lambda: healthy("http://127.0.0.1:3004/health") and healthy("http://127.0.0.1:3014/health"), 60)
