"""Graceful degradation: with the product service stopped, the product reads answered before
are served from the gateway's cache marked stale, the others are 503 at once; while it
answers, reads are fresh. With the notification service stopped, orders still succeed."""
import time
import uuid

from conftest import assert_problem, ctl, healthy, wait_until
from shopping import admin, category, customer, new_product, place  # noqa: F401

STALE = '110 - "stale"'
SEARCH = {"q": "laptop", "limit": 3, "sort": "price_asc"}


def test_with_the_product_service_stopped_reads_answered_before_are_served_stale(client, admin, category):
    product = new_product(client, admin, category, stock=4)
    fresh = {
        "product": client.get(f"/products/{product['id']}"),
        "categories": client.get("/categories"),
        "search": client.get("/products", params=SEARCH),
    }
    assert all(r.status_code == 200 and "Warning" not in r.headers for r in fresh.values())
    # While the service answers, a change shows at once: the kept read is not served.
    assert client.post(f"/products/{product['id']}/inventory/adjustments", json={"delta": 1, "reason": "restock"},
                       token=admin).status_code == 200
    changed = client.get(f"/products/{product['id']}")
    assert "Warning" not in changed.headers and changed.json() != fresh["product"].json()
    time.sleep(0.5)

    ctl("stop", "product", "product-2")
    try:
        kept = {
            "product": client.get(f"/products/{product['id']}"),
            "categories": client.get("/categories"),
            "search": client.get("/products", params=SEARCH),
        }
        began = time.monotonic()
        uncached = client.get(f"/products/{uuid.uuid4()}")
        uncached_search = client.get("/products", params={"q": f"never-{uuid.uuid4().hex[:8]}"})
        elapsed = time.monotonic() - began
    finally:
        ctl("start", "product", "product-2")
    for name, response in kept.items():
        assert response.status_code == 200, (name, response.text)
        assert response.headers["Warning"] == STALE, name
    assert kept["product"].json() == changed.json()
    assert kept["categories"].json() == fresh["categories"].json()
    assert kept["search"].json() == fresh["search"].json()
    assert_problem(uncached, 503, "service_unavailable")
    assert_problem(uncached_search, 503, "service_unavailable")
    assert elapsed < 2

    wait_until(lambda: healthy("http://127.0.0.1:3002/health") and healthy("http://127.0.0.1:3012/health"), 60)
    wait_until(lambda: "Warning" not in client.get(f"/products/{product['id']}").headers, 30)


def test_with_the_notification_service_stopped_orders_still_succeed(client, admin, category):
    product = new_product(client, admin, category, stock=3)
    token = customer(client)
    ctl("stop", "notification", "notification-2")
    try:
        response = place(client, token, [{"product_id": product["id"], "quantity": 1}])
    finally:
        ctl("start", "notification", "notification-2")
    assert response.status_code in (201, 202), response.text
    wait_until(lambda: healthy("http://127.0.0.1:3004/health") and healthy("http://127.0.0.1:3014/health"), 60)
