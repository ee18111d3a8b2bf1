"""The "Catalog" section of API.md through nginx: every route, status and error code."""
import concurrent.futures
import json
import os
import uuid

import pika
import pytest

from conftest import Client, admin_password, assert_problem, wait_until
from shopping import new_product


@pytest.fixture(scope="module")
def admin_token():
    return Client().login("admin@swiftshop.local", admin_password())["access_token"]


@pytest.fixture
def category(client, admin_token):
    slug = f"e2e-{uuid.uuid4().hex[:10]}"
    response = client.post("/categories", {"name": f"E2E {slug}", "slug": slug}, token=admin_token)
    assert response.status_code == 201, response.text
    return response.json()


def test_category_tree(client, admin_token, category):
    child = client.post("/categories", {"name": "Child", "slug": category["slug"] + "-child",
                                        "parent_id": category["id"]}, token=admin_token)
    assert child.status_code == 201 and child.json()["parent_id"] == category["id"]
    tree = client.get("/categories").json()["items"]
    node = next(c for c in tree if c["id"] == category["id"])
    assert node["parent_id"] is None and [c["slug"] for c in node["children"]] == [category["slug"] + "-child"]
    assert_problem(client.post("/categories", {"name": "Dup", "slug": category["slug"]}, token=admin_token),
                   409, "slug_taken")
    assert_problem(client.post("/categories", {"name": "Bad", "slug": "Not A Slug"}, token=admin_token),
                   400, "validation_failed")


def test_writes_are_for_admins(client, user, category):
    _, _, _, tokens = user
    body = {"name": "X", "slug": f"x-{uuid.uuid4().hex[:6]}"}
    assert_problem(client.post("/categories", body), 401, "unauthorized")
    assert_problem(client.post("/categories", body, token=tokens["access_token"]), 403, "forbidden")
    product = {"sku": "X-1", "name": "X", "price": {"amount": 1, "currency": "USD"}, "category_id": category["id"]}
    assert_problem(client.post("/products", product, token=tokens["access_token"]), 403, "forbidden")
    assert_problem(client.post("/products", product), 401, "unauthorized")
    some = str(uuid.uuid4())
    assert_problem(client.patch(f"/products/{some}", {"name": "y"}, token=tokens["access_token"]), 403, "forbidden")
    assert_problem(client.post(f"/products/{some}/inventory/adjustments", {"delta": 1, "reason": "x"},
                               token=tokens["access_token"]), 403, "forbidden")
    assert_problem(client.patch(f"/products/{some}", {"name": "y"}), 401, "unauthorized")
    assert_problem(client.post(f"/products/{some}/inventory/adjustments", {"delta": 1, "reason": "x"}),
                   401, "unauthorized")


def test_product_create_read_update(client, admin_token, category):
    product = new_product(client, admin_token, category, stock=3)
    assert product["stock_status"] == "low_stock" and product["available"] == 3
    assert product["price"] == {"amount": 1999, "currency": "USD"}
    fetched = client.get(f"/products/{product['id']}").json()
    assert fetched == product
    updated = client.patch(f"/products/{product['id']}", {"name": "Renamed Lamp", "price": {"amount": 2500, "currency": "USD"},
                                                           "sku": "IGNORED", "available": 999}, token=admin_token)
    assert updated.status_code == 200
    assert updated.json()["name"] == "Renamed Lamp" and updated.json()["sku"] == product["sku"]
    assert updated.json()["available"] == 3
    dup = client.post("/products", {"sku": product["sku"].lower(), "name": "Dup", "price": {"amount": 1, "currency": "USD"},
                                    "category_id": category["id"]}, token=admin_token)
    assert_problem(dup, 409, "sku_taken")
    bad = client.post("/products", {"sku": "", "name": "", "price": {"amount": -5, "currency": "dollars"},
                                    "category_id": "nope"}, token=admin_token)
    assert_problem(bad, 400, "validation_failed")
    assert_problem(client.get(f"/products/{uuid.uuid4()}"), 404, "not_found")
    assert_problem(client.get("/products/not-a-uuid"), 404, "not_found")
    assert_problem(client.patch(f"/products/{uuid.uuid4()}", {"name": "Ghost"}, token=admin_token), 404, "not_found")
    assert_problem(client.patch(f"/products/{product['id']}", {"name": " ", "price": {"amount": 1, "currency": "dollars"}},
                                token=admin_token), 400, "validation_failed")
    assert client.get(f"/products/{product['id']}").json()["name"] == "Renamed Lamp", "a refused update changes nothing"


def test_low_stock_threshold_is_per_product(client, admin_token, category):
    product = client.post("/products", {"sku": f"T-{uuid.uuid4().hex[:10]}", "name": "Threshold Kettle",
                                        "price": {"amount": 1, "currency": "USD"}, "category_id": category["id"],
                                        "initial_stock": 3, "low_stock_threshold": 2}, token=admin_token)
    assert product.status_code == 201 and product.json()["stock_status"] == "in_stock"
    raised = client.patch(f"/products/{product.json()['id']}", {"low_stock_threshold": 3}, token=admin_token)
    assert raised.status_code == 200 and raised.json()["stock_status"] == "low_stock"
    assert_problem(client.patch(f"/products/{product.json()['id']}", {"low_stock_threshold": -1}, token=admin_token),
                   400, "validation_failed")


def test_inventory_adjustments(client, admin_token, category):
    product = new_product(client, admin_token, category, stock=0)
    assert product["stock_status"] == "out_of_stock"
    response = client.post(f"/products/{product['id']}/inventory/adjustments", {"delta": 12, "reason": "restock"},
                           token=admin_token)
    assert response.status_code == 200
    assert response.json() == {"on_hand": 12, "reserved": 0, "available": 12}
    too_many = client.post(f"/products/{product['id']}/inventory/adjustments", {"delta": -13, "reason": "count"},
                           token=admin_token)
    assert_problem(too_many, 409, "insufficient_stock")
    assert_problem(client.post(f"/products/{product['id']}/inventory/adjustments", {"delta": 0, "reason": "x"},
                               token=admin_token), 400, "validation_failed")
    assert client.get(f"/products/{product['id']}").json()["available"] == 12
    assert_problem(client.post(f"/products/{uuid.uuid4()}/inventory/adjustments", {"delta": 1, "reason": "x"},
                               token=admin_token), 404, "not_found")


def test_concurrent_adjustments_never_oversell(client, admin_token, category):
    product = new_product(client, admin_token, category, stock=20)

    def take_one(_):
        return Client().post(f"/products/{product['id']}/inventory/adjustments", {"delta": -1, "reason": "sale"},
                             token=admin_token).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(take_one, range(50)))
    assert statuses.count(200) == 20
    assert statuses.count(409) == 30
    assert client.get(f"/products/{product['id']}").json()["available"] == 0


def test_search_filters_sorts_pages_and_facets(client, admin_token, category):
    word = f"zq{uuid.uuid4().hex[:6]}"
    for i, price in enumerate([500, 1500, 3000, 7000, 12000]):
        new_product(client, admin_token, category, stock=i, price=price, name=f"Quasar {word} Lantern {i}")
    found = client.get("/products", params={"q": f"{word} lantern", "category": category["id"]}).json()
    assert len(found["items"]) == 5
    assert found["facets"]["categories"] == [{"id": category["id"], "name": category["name"], "count": 5}]
    assert sum(r["count"] for r in found["facets"]["price_ranges"]) == 5
    typo = client.get("/products", params={"q": word[:3] + word[4:] + " lantern", "category": category["id"]}).json()
    assert len(typo["items"]) >= 1
    in_stock = client.get("/products", params={"q": word, "in_stock": "true"}).json()
    assert all(p["available"] > 0 for p in in_stock["items"]) and len(in_stock["items"]) == 4
    cheap = client.get("/products", params={"q": word, "max_price": 3000, "sort": "price_desc"}).json()
    assert [p["price"]["amount"] for p in cheap["items"]] == [3000, 1500, 500]
    ranged = client.get("/products", params={"q": word, "min_price": 1500, "max_price": 7000, "sort": "price_asc"}).json()
    assert [p["price"]["amount"] for p in ranged["items"]] == [1500, 3000, 7000]
    newest = client.get("/products", params={"category": category["id"], "sort": "newest"}).json()["items"]
    assert [p["name"] for p in newest][:5] == [f"Quasar {word} Lantern {i}" for i in reversed(range(5))]
    assert [p["created_at"] for p in newest] == sorted((p["created_at"] for p in newest), reverse=True)
    relevant = client.get("/products", params={"q": f"{word} lantern", "sort": "relevance"}).json()
    assert len(relevant["items"]) == 5
    pages, cursor, seen = 0, None, []
    while True:
        params = {"category": category["id"], "sort": "price_asc", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/products", params=params).json()
        seen += [p["price"]["amount"] for p in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [500, 1500, 3000, 7000, 12000] and pages == 3
    assert_problem(client.get("/products", params={"limit": 101}), 400, "validation_failed")
    assert_problem(client.get("/products", params={"sort": "cheapest"}), 400, "validation_failed")
    assert_problem(client.get("/products", params={"min_price": "abc"}), 400, "validation_failed")
    assert_problem(client.get("/products", params={"cursor": "garbage"}), 400, "validation_failed")


def test_seeded_catalog_is_searchable(client):
    response = client.get("/products", params={"q": "laptop", "limit": 5})
    assert response.status_code == 200
    assert response.json()["items"], "the demo catalog has laptops"
    assert len(client.get("/categories").json()["items"]) >= 4


def test_waitlist(client, admin_token, user, category):
    _, _, _, tokens = user
    token = tokens["access_token"]
    product = new_product(client, admin_token, category, stock=0)
    assert client.post(f"/products/{product['id']}/waitlist", token=token).status_code == 201
    assert client.post(f"/products/{product['id']}/waitlist", token=token).status_code == 200
    listed = client.get("/users/me/waitlist", token=token).json()["items"]
    assert [e["product_id"] for e in listed] == [product["id"]]
    second = new_product(client, admin_token, category, stock=0)
    assert client.post(f"/products/{second['id']}/waitlist", token=token).status_code == 201
    first_page = client.get("/users/me/waitlist", params={"limit": 1}, token=token).json()
    assert [e["product_id"] for e in first_page["items"]] == [product["id"]] and first_page["next_cursor"]
    last_page = client.get("/users/me/waitlist", params={"limit": 1, "cursor": first_page["next_cursor"]},
                           token=token).json()
    assert [e["product_id"] for e in last_page["items"]] == [second["id"]] and last_page["next_cursor"] is None
    assert_problem(client.get("/users/me/waitlist", params={"limit": 101}, token=token), 400, "validation_failed")
    assert_problem(client.get("/users/me/waitlist", params={"cursor": "garbage"}, token=token), 400,
                   "validation_failed")
    assert client.delete(f"/products/{second['id']}/waitlist", token=token).status_code == 204
    assert client.delete(f"/products/{product['id']}/waitlist", token=token).status_code == 204
    assert client.get("/users/me/waitlist", token=token).json()["items"] == []
    assert_problem(client.post(f"/products/{product['id']}/waitlist"), 401, "unauthorized")
    assert_problem(client.delete(f"/products/{product['id']}/waitlist"), 401, "unauthorized")
    assert_problem(client.get("/users/me/waitlist"), 401, "unauthorized")
    assert_problem(client.post(f"/products/{uuid.uuid4()}/waitlist", token=token), 404, "not_found")


def test_restock_tells_the_waitlist_through_the_broker(client, admin_token, user, category):
    _, _, profile, tokens = user
    url = os.environ.get("SHOP_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        queue = channel.queue_declare(queue="", exclusive=True).method.queue
        channel.queue_bind(queue=queue, exchange="shop.events", routing_key="product.back_in_stock")
        product = new_product(client, admin_token, category, stock=0)
        assert client.post(f"/products/{product['id']}/waitlist", token=tokens["access_token"]).status_code == 201
        restock = client.post(f"/products/{product['id']}/inventory/adjustments", {"delta": 4, "reason": "restock"},
                              token=admin_token)
        assert restock.status_code == 200

        def event():
            method, properties, body = channel.basic_get(queue=queue, auto_ack=True)
            if method is None:
                return None
            envelope = json.loads(body)
            return envelope if envelope["data"]["product_id"] == product["id"] else None

        envelope = wait_until(event, timeout=30)
        assert envelope["type"] == "product.back_in_stock" and envelope["source"] == "product-service"
        assert envelope["data"]["available"] == 4
        assert envelope["data"]["waitlist_user_ids"] == [profile["id"]]
    finally:
        connection.close()
