"""Checkout when things fail: a flaky and a slow provider, the provider stopped, Redis
stopped, the product service stopped, and the order service killed with checkouts in
flight, once more between the capture and the write that records it."""
import concurrent.futures
import os
import signal
import time
import uuid


from conftest import Client, assert_problem, ctl, healthy, wait_until
from shopping import (FLAKY, SLOW, admin, available, category, customer, new_product, place,  # noqa: F401
                      sandbox_payments)


def order_of(client, token, order_id):
    return client.get(f"/orders/{order_id}", token=token).json()


def settled(client, token, order_id):
    order = order_of(client, token, order_id)
    return order if order["status"] in ("paid", "cancelled") else None


def started(program):
    ctl("start", program)
    wait_until(lambda: "RUNNING" in ctl("status", program), 60)


def test_the_flaky_card_ends_paid_after_retries_with_one_capture(client, admin, category):
    product = new_product(client, admin, category, stock=3)
    token = customer(client)
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}], number=FLAKY, timeout=30)
    assert response.status_code in (201, 202), response.text
    order = wait_until(lambda: settled(client, token, response.json()["id"]), 30)
    assert order["status"] == "paid"
    assert [p["status"] for p in sandbox_payments(order["id"])] == ["captured"]


def test_the_slow_card_answers_202_pending_in_time_and_ends_paid(client, admin, category):
    product = new_product(client, admin, category, stock=3)
    token = customer(client)
    began = time.monotonic()
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}], number=SLOW, timeout=30)
    assert time.monotonic() - began < 4
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pending" and response.json()["payment"]["status"] == "pending"
    order = wait_until(lambda: settled(client, token, response.json()["id"]), 40)
    assert order["status"] == "paid" and order["payment"]["status"] == "captured"
    assert available(client, product["id"]) == 2


def test_with_redis_stopped_the_cart_is_503_quickly(client, admin, category):
    token = customer(client)
    ctl("stop", "redis")
    try:
        began = time.monotonic()
        assert_problem(client.get("/cart", token=token, timeout=10), 503, "service_unavailable")
        assert time.monotonic() - began < 2
    finally:
        started("redis")
    wait_until(lambda: client.get("/cart", token=token).status_code == 200, 30)


def test_with_the_product_service_stopped_an_order_is_503_within_two_seconds(client, admin, category):
    product = new_product(client, admin, category, stock=3)
    token = customer(client)
    ctl("stop", "product", "product-2")
    try:
        began = time.monotonic()
        assert_problem(place(client, token, [{"product_id": product["id"], "quantity": 1}]), 503,
                       "service_unavailable")
        assert time.monotonic() - began < 2
    finally:
        started("product")
        started("product-2")
    wait_until(lambda: healthy("http://127.0.0.1:3002/health") and healthy("http://127.0.0.1:3012/health"), 60)
    # Both gateways reach it again (their breakers closed) before the next test writes to it.
    wait_until(lambda: healthy("http://127.0.0.1:8081/health") and healthy("http://127.0.0.1:8082/health"), 60)
    assert client.get("/orders", token=token).json()["items"] == []


def test_with_the_provider_stopped_every_accepted_order_ends_paid_once_it_is_back(client, admin, category):
    product = new_product(client, admin, category, stock=10)
    token = customer(client)
    ctl("stop", "payment-sandbox")
    try:
        responses = [place(client, token, [{"product_id": product["id"], "quantity": 1}], timeout=30)
                     for _ in range(4)]
    finally:
        started("payment-sandbox")
    assert {r.status_code for r in responses} <= {202, 503}, [r.text for r in responses]
    accepted = [r.json()["id"] for r in responses if r.status_code == 202]
    assert accepted
    for order_id in accepted:
        assert wait_until(lambda: settled(client, token, order_id), 60)["status"] == "paid"
        assert [p["status"] for p in sandbox_payments(order_id)] == ["captured"]


def order_pids():
    return [int(pid) for pid in (ctl("pid", program).strip() for program in ("order", "order-2")) if pid.isdigit()]


def kill_order_instances(pids=None):
    for pid in pids or order_pids():
        os.kill(pid, signal.SIGKILL)


def wait_for_order_instances():
    """Both order instances ready, and both gateways calling them again."""
    for url in ("http://127.0.0.1:3003/health", "http://127.0.0.1:3013/health", "http://127.0.0.1:8081/health",
                "http://127.0.0.1:8082/health"):
        wait_until(lambda: healthy(url), 60)


def test_killed_with_forty_checkouts_in_flight_every_order_settles_once(client, admin, category):
    product = new_product(client, admin, category, stock=100)
    tokens = [customer(client) for _ in range(40)]
    keys = [str(uuid.uuid4()) for _ in tokens]

    def buy(pair):
        token, key = pair
        try:
            return place(Client(), token, [{"product_id": product["id"], "quantity": 2}], key=key, timeout=30)
        except Exception as error:
            return error

    # Asked of supervisord beforehand, which takes longer than the checkouts.
    pids = order_pids()
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        futures = [pool.submit(buy, pair) for pair in zip(tokens, keys)]
        # Killed once the first sagas hold stock, while other checkouts still wait for answers.
        wait_until(lambda: available(client, product["id"]) < 100, 30, interval=0.02)
        kill_order_instances(pids)
        in_flight = sum(not future.done() for future in futures)
        concurrent.futures.wait(futures, timeout=60)
    assert in_flight > 0
    wait_for_order_instances()
    deadline = time.monotonic() + 60

    def orders_of(token):
        response = client.get("/orders", token=token)
        assert response.status_code == 200, response.text
        return response.json()["items"]
    owned = [(token, order) for token in tokens for order in orders_of(token)]
    assert 0 < len(owned) <= 40
    ended = [wait_until(lambda: settled(client, token, order["id"]), max(0.0, deadline - time.monotonic()))
             for token, order in owned]
    paid = [order for order in ended if order["status"] == "paid"]
    assert available(client, product["id"]) == 100 - 2 * len(paid)
    for order in ended:
        # A refunded payment was captured once too.
        charged = [p["status"] for p in sandbox_payments(order["id"]) if p["status"] in ("captured", "refunded")]
        assert charged == (["captured"] if order["status"] == "paid" else []), order


def test_killed_between_the_capture_and_its_record_the_order_ends_paid_with_one_capture(client, admin, category):
    product = new_product(client, admin, category, stock=3)
    token = customer(client)
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}], number=SLOW, timeout=30)
    assert response.status_code == 202, response.text
    # The provider is still working on the charge; the instance that waits for it dies.
    kill_order_instances()
    wait_for_order_instances()
    order = wait_until(lambda: settled(client, token, response.json()["id"]), 60)
    assert order["status"] == "paid"
    assert [p["status"] for p in sandbox_payments(order["id"])] == ["captured"]
    assert available(client, product["id"]) == 2


def test_an_idempotency_key_outlives_a_restart_of_every_process(client, admin, category):
    product = new_product(client, admin, category, stock=3)
    token, key = customer(client), str(uuid.uuid4())
    line = [{"product_id": product["id"], "quantity": 1}]
    first = place(client, token, line, key=key)
    assert first.status_code == 201, first.text
    ctl("restart", "order", "order-2", "gateway-1", "gateway-2")
    wait_for_order_instances()
    again = place(client, token, line, key=key)
    assert again.status_code == 201 and again.content == first.content
    assert len(client.get("/orders", token=token).json()["items"]) == 1
    assert available(client, product["id"]) == 2
