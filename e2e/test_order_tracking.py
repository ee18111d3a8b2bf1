"""An order's life after payment through nginx: shipped, delivered, completed; cancelled
before shipping with its refund and stock; every move the state machine refuses; and the
races between moves."""
import concurrent.futures

import requests

from conftest import Client, assert_problem, wait_until
from shopping import SLOW, admin, available, category, customer, new_product, place, sandbox_payments  # noqa: F401

SHIPMENT = {"carrier": "DHL", "tracking_number": "JD014600006281230704"}


def paid_order(client, admin_token, category, stock=5, quantity=1):
    product = new_product(client, admin_token, category, stock=stock)
    token = customer(client)
    response = place(client, token, [{"product_id": product["id"], "quantity": quantity}])
    assert response.status_code == 201, response.text
    return product, token, response.json()


def test_an_order_is_shipped_delivered_and_completed(client, admin, category):
    _, token, order = paid_order(client, admin, category)
    shipped = client.post(f"/orders/{order['id']}/ship", SHIPMENT, token=admin)
    assert shipped.status_code == 200, shipped.text
    body = shipped.json()
    assert body["status"] == "shipped"
    assert body["shipment"]["carrier"] == "DHL"
    assert body["shipment"]["tracking_number"] == SHIPMENT["tracking_number"]
    assert body["shipment"]["shipped_at"].endswith("Z")
    delivered = client.post(f"/orders/{order['id']}/deliver", token=admin)
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    completed = client.post(f"/orders/{order['id']}/complete", token=token)
    assert completed.status_code == 200, completed.text
    assert [change["status"] for change in completed.json()["status_history"]] == [
        "pending", "paid", "shipped", "delivered", "completed"]
    assert client.get(f"/orders/{order['id']}", token=token).json() == completed.json()


def test_moves_the_state_machine_refuses_change_nothing(client, admin, category):
    _, token, order = paid_order(client, admin, category)
    path = f"/orders/{order['id']}"
    assert_problem(client.post(f"{path}/ship", SHIPMENT, token=token), 403, "forbidden")
    assert_problem(client.post(f"{path}/deliver", token=token), 403, "forbidden")
    assert_problem(client.post(f"{path}/deliver", token=admin), 409, "invalid_transition")
    assert_problem(client.post(f"{path}/complete", token=token), 409, "invalid_transition")
    assert_problem(client.post(f"{path}/ship", {"carrier": "DHL"}, token=admin), 400, "validation_failed")
    assert_problem(client.post(f"{path}/ship", {"carrier": " ", "tracking_number": "1"}, token=admin), 400,
                   "validation_failed")
    stranger = customer(client)
    assert_problem(client.post(f"{path}/cancel", token=stranger), 404, "not_found")
    assert_problem(client.post(f"{path}/complete", token=stranger), 404, "not_found")
    assert_problem(client.post("/orders/not-an-id/cancel", token=token), 404, "not_found")
    assert client.post(f"{path}/cancel").status_code == 401
    assert client.get(path, token=token).json()["status_history"] == order["status_history"]

    assert client.post(f"{path}/ship", SHIPMENT, token=admin).status_code == 200
    assert_problem(client.post(f"{path}/cancel", token=token), 409, "invalid_transition")
    assert_problem(client.post(f"{path}/ship", SHIPMENT, token=admin), 409, "invalid_transition")
    assert client.post(f"{path}/deliver", token=admin).status_code == 200
    # Completing is the owner's, not an admin's.
    assert_problem(client.post(f"{path}/complete", token=admin), 403, "forbidden")
    assert client.get(path, token=token).json()["status"] == "delivered"
    assert all(payment["status"] == "captured" for payment in sandbox_payments(order["id"]))


def test_a_cancel_before_shipping_refunds_the_payment_and_returns_the_stock(client, admin, category):
    product, token, order = paid_order(client, admin, category, stock=5, quantity=2)
    assert available(client, product["id"]) == 3
    cancelled = client.post(f"/orders/{order['id']}/cancel", token=token)
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["status"] == "cancelled" and body["cancel_reason"] == "user_cancelled"
    assert [change["status"] for change in body["status_history"]] == ["pending", "paid", "cancelled"]
    # Its job is dropped: whether or not a worker packed it first, the warehouse lets it go.
    assert body["fulfillment"]["status"] == "cancelled"
    # The refund and the stock follow the cancel, within checkout.waitMs when all is well.
    wait_until(lambda: client.get(f"/orders/{order['id']}", token=token).json()["payment"]["status"] == "refunded",
               timeout=15)
    payments = sandbox_payments(order["id"])
    assert [payment["status"] for payment in payments] == ["refunded"]
    assert payments[0]["refunded_amount"] == order["total"]["amount"]
    wait_until(lambda: available(client, product["id"]) == 5, timeout=15)
    # Cancelling again is refused and refunds nothing twice.
    assert_problem(client.post(f"/orders/{order['id']}/cancel", token=token), 409, "invalid_transition")
    assert sandbox_payments(order["id"])[0]["refunded_amount"] == order["total"]["amount"]


def test_a_pending_order_cancelled_while_its_payment_runs_ends_cancelled_and_refunded(client, admin, category):
    product = new_product(client, admin, category, stock=5)
    token = customer(client)
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}], number=SLOW, timeout=30)
    assert response.status_code == 202 and response.json()["status"] == "pending", response.text
    order_id = response.json()["id"]
    cancelled = client.post(f"/orders/{order_id}/cancel", token=token, timeout=30)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] in ("pending", "cancelled")

    def ended():
        order = client.get(f"/orders/{order_id}", token=token).json()
        return order if order["status"] != "pending" else None
    order = wait_until(ended, timeout=30)
    assert order["status"] == "cancelled" and order["cancel_reason"] == "user_cancelled", order
    # The slow charge went through before the saga saw the cancel, and was given back.
    assert [payment["status"] for payment in sandbox_payments(order_id)] in (["refunded"], ["voided"])
    assert available(client, product["id"]) == 5


def test_an_admin_cancels_a_customers_order(client, admin, category):
    product, token, order = paid_order(client, admin, category)
    cancelled = client.post(f"/orders/{order['id']}/cancel", token=admin)
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "user_cancelled"
    assert client.get(f"/orders/{order['id']}", token=token).json()["status"] == "cancelled"
    wait_until(lambda: available(client, product["id"]) == 5, timeout=15)


def test_two_concurrent_ships_give_one_200_and_one_409(client, admin, category):
    _, token, order = paid_order(client, admin, category)

    def ship(_):
        return Client().post(f"/orders/{order['id']}/ship", SHIPMENT, token=admin)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(ship, range(2)))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    history = client.get(f"/orders/{order['id']}", token=token).json()["status_history"]
    assert [change["status"] for change in history] == ["pending", "paid", "shipped"]


def test_a_cancel_racing_a_ship_has_exactly_one_winner(client, admin, category):
    product = new_product(client, admin, category, stock=20)
    token = customer(client)
    for _ in range(20):
        response = place(client, token, [{"product_id": product["id"], "quantity": 1}])
        assert response.status_code == 201, response.text
        order = response.json()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            ship = pool.submit(Client().post, f"/orders/{order['id']}/ship", SHIPMENT, token=admin)
            cancel = pool.submit(Client().post, f"/orders/{order['id']}/cancel", token=token)
            shipped, cancelled = ship.result(), cancel.result()
        assert sorted([shipped.status_code, cancelled.status_code]) == [200, 409], (shipped.text, cancelled.text)
        final = client.get(f"/orders/{order['id']}", token=token).json()
        if cancelled.status_code == 200:
            assert final["status"] == "cancelled"
            wait_until(lambda: [p["status"] for p in sandbox_payments(order["id"])] == ["refunded"], timeout=15)
        else:
            assert final["status"] == "shipped"
            assert [p["status"] for p in sandbox_payments(order["id"])] == ["captured"]
    orders = client.get("/orders", token=token, params={"limit": 100}).json()["items"]
    kept = sum(1 for o in orders if o["status"] == "shipped")
    wait_until(lambda: available(client, product["id"]) == 20 - kept, timeout=15)


def test_stuck_orders_are_listed_for_admins_and_counted(client, admin):
    response = client.get("/admin/orders", token=admin, params={"stuck": "true", "limit": 100})
    assert response.status_code == 200, response.text
    body = response.json()
    assert all(order["status"] == "pending" and "saga_step" in order for order in body["items"])
    assert_problem(client.get("/admin/orders", token=admin), 400, "validation_failed")
    assert_problem(client.get("/admin/orders", token=customer(client), params={"stuck": "true"}), 403, "forbidden")
    metrics = requests.get("http://127.0.0.1:3003/metrics", timeout=5).text
    assert any(line.startswith("orders_stuck ") for line in metrics.splitlines()), metrics[:500]
