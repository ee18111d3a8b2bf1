"""Orders placed at once: buyers racing for the last items, one idempotency key sent many
times at once, cart lines changed side by side."""
import concurrent.futures
import json
import uuid

from conftest import API, Client, assert_problem
from shopping import ADDRESS, admin, available, card, category, customer, new_product, place, sandbox_payments  # noqa: F401


def test_thirty_buyers_for_ten_items_make_ten_orders(client, admin, category):
    product = new_product(client, admin, category, stock=10)
    tokens = [customer(client) for _ in range(30)]

    def buy(token):
        return place(Client(), token, [{"product_id": product["id"], "quantity": 1}], timeout=30)

    with concurrent.futures.ThreadPoolExecutor(max_workers=30) as pool:
        responses = list(pool.map(buy, tokens))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] * 10 + [409] * 20, [r.text for r in responses if r.status_code not in (201, 409)]
    assert all(r.json()["status"] == "paid" for r in responses if r.status_code == 201)
    assert all(r.json()["code"] == "out_of_stock" for r in responses if r.status_code == 409)
    assert available(client, product["id"]) == 0


def test_a_replay_answers_byte_for_byte_and_orders_nothing_again(client, admin, category):
    product = new_product(client, admin, category, stock=5)
    token = customer(client)
    key = str(uuid.uuid4())
    line = [{"product_id": product["id"], "quantity": 1}]
    first = place(client, token, line, key=key)
    again = place(client, token, line, key=key)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert_problem(place(client, token, [{"product_id": product["id"], "quantity": 2}], key=key), 422,
                   "idempotency_key_reused")
    assert len(client.get("/orders", token=token).json()["items"]) == 1
    assert available(client, product["id"]) == 4
    assert len(sandbox_payments(first.json()["id"])) == 1


def test_a_declined_replay_is_the_same_402(client, admin, category):
    product = new_product(client, admin, category, stock=5)
    token, key = customer(client), str(uuid.uuid4())
    line = [{"product_id": product["id"], "quantity": 1}]
    first = place(client, token, line, number="4000000000000002", key=key)
    again = place(client, token, line, number="4000000000000002", key=key)
    assert first.status_code == again.status_code == 402 and first.content == again.content


def test_twenty_requests_with_one_key_at_once_make_one_order(client, admin, category):
    product = new_product(client, admin, category, stock=50)
    token, key = customer(client), str(uuid.uuid4())
    body = {"items": [{"product_id": product["id"], "quantity": 1}], "shipping_address": ADDRESS, "payment": card()}
    raw = json.dumps(body)

    def send(_):
        return Client().http.post(f"{API}/orders", data=raw, timeout=30,
                                  headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                                           "Content-Type": "application/json"})

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(send, range(20)))
    created = [r for r in responses if r.status_code == 201]
    busy = [r for r in responses if r.status_code == 409]
    assert len(created) + len(busy) == 20, [r.text for r in responses]
    assert created and len({r.content for r in created}) == 1
    for response in busy:
        assert response.json()["code"] == "idempotency_key_in_use" and int(response.headers["Retry-After"]) >= 1
    assert len(client.get("/orders", token=token).json()["items"]) == 1
    assert available(client, product["id"]) == 49

    # Another customer's identical key is another request.
    other = customer(client)
    theirs = place(client, other, body["items"], key=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != created[0].json()["id"]


def test_changing_different_cart_lines_at_once_loses_none(client, admin, category):
    products = [new_product(client, admin, category, stock=20) for _ in range(12)]
    token = customer(client)

    def put(indexed):
        index, product = indexed
        return Client().put(f"/cart/items/{product['id']}", {"quantity": index + 1}, token=token).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        assert set(pool.map(put, enumerate(products))) == {200}
    cart = client.get("/cart", token=token).json()
    assert {item["product_id"]: item["quantity"] for item in cart["items"]} == {
        product["id"]: index + 1 for index, product in enumerate(products)}
