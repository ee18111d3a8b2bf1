"""Live order updates: GET /orders/{id}/events as a client sees them, through nginx and through
each gateway instance, resumed with Last-Event-ID, and ended by a gateway shutting down."""
import json
import queue
import threading

import pytest
import requests

from conftest import API, ctl, wait_until
from shopping import admin, category, customer, new_product, place  # noqa: F401

GATEWAYS = {"nginx": API, "gateway-1": "http://127.0.0.1:8081/api/v1", "gateway-2": "http://127.0.0.1:8082/api/v1"}


class EventStream:
    """A client of one order's event stream, read in a thread: each event as (id, status)."""

    def __init__(self, base, order_id, token, last_event_id=None):
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.response = requests.get(f"{base}/orders/{order_id}/events", headers=headers, stream=True,
                                     timeout=(5, 60))
        self.events = queue.Queue()
        self.ended = threading.Event()
        self.error = None
        if self.response.status_code == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        fields = {}
        try:
            # chunk_size=None: each line as soon as it arrives.
            for raw in self.response.iter_lines(chunk_size=None):
                line = raw.decode()
                if line == "":
                    if "data" in fields:
                        assert fields["event"] == "status", fields
                        data = json.loads(fields["data"])
                        assert set(data) == {"status", "at"}, data
                        self.events.put((int(fields["id"]), data["status"]))
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    fields[name] = value
        except Exception as error:  # noqa: BLE001 - kept for the test to see
            self.error = error
        finally:
            self.ended.set()

    def next(self, timeout=10):
        return self.events.get(timeout=timeout)

    def close(self):
        self.response.close()


def paid_order(client, admin, category, token):
    product = new_product(client, admin, category, stock=5)
    response = place(client, token, [{"product_id": product["id"], "quantity": 1}])
    assert response.status_code == 201, response.text
    return response.json()["id"]


def move(client, order_id, action, token, body=None):
    response = client.post(f"/orders/{order_id}/{action}", body, token=token)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("gateway", list(GATEWAYS))
def test_a_client_sees_the_status_then_each_change_and_the_stream_ends(client, admin, category, gateway):
    token = customer(client)
    order_id = paid_order(client, admin, category, token)
    stream = EventStream(GATEWAYS[gateway], order_id, token)
    assert stream.response.status_code == 200, stream.response.text
    assert stream.response.headers["Content-Type"].startswith("text/event-stream")
    assert stream.next() == (2, "paid")
    move(client, order_id, "ship", admin, {"carrier": "DHL", "tracking_number": "T-1"})
    assert stream.next() == (3, "shipped")
    move(client, order_id, "deliver", admin)
    assert stream.next() == (4, "delivered")
    move(client, order_id, "complete", token)
    assert stream.next() == (5, "completed")
    assert stream.ended.wait(5) and stream.error is None
    assert stream.events.empty()


def test_a_reconnecting_client_gets_what_it_missed_and_nothing_twice(client, admin, category):
    token = customer(client)
    order_id = paid_order(client, admin, category, token)
    first = EventStream(GATEWAYS["gateway-1"], order_id, token)
    assert first.next() == (2, "paid")
    move(client, order_id, "ship", admin, {"carrier": "DHL", "tracking_number": "T-2"})
    assert first.next() == (3, "shipped")
    first.close()
    move(client, order_id, "deliver", admin)
    # Back through the other instance, after the change it missed.
    again = EventStream(GATEWAYS["gateway-2"], order_id, token, last_event_id=3)
    assert again.next() == (4, "delivered")
    move(client, order_id, "complete", token)
    assert again.next() == (5, "completed")
    assert again.ended.wait(5) and again.error is None and again.events.empty()


def test_a_cancelled_orders_stream_ends_with_the_cancel(client, admin, category):
    token = customer(client)
    order_id = paid_order(client, admin, category, token)
    stream = EventStream(API, order_id, token)
    assert stream.next() == (2, "paid")
    move(client, order_id, "cancel", token)
    assert stream.next() == (3, "cancelled")
    assert stream.ended.wait(5) and stream.error is None


def test_another_users_order_is_not_found(client, admin, category):
    token = customer(client)
    order_id = paid_order(client, admin, category, token)
    stranger = EventStream(API, order_id, customer(client))
    assert stranger.response.status_code == 404
    assert stranger.response.headers["Content-Type"].startswith("application/problem+json")
    malformed = EventStream(API, order_id, token, last_event_id="latest")
    assert malformed.response.status_code == 400 and malformed.response.json()["code"] == "validation_failed"


def test_a_gateway_shutting_down_ends_its_streams_cleanly(client, admin, category):
    token = customer(client)
    order_id = paid_order(client, admin, category, token)
    stream = EventStream(GATEWAYS["gateway-2"], order_id, token)
    assert stream.next() == (2, "paid")
    try:
        ctl("stop", "gateway-2")
        # The response ended as a complete chunked body, not cut off.
        assert stream.ended.wait(10) and stream.error is None, stream.error
    finally:
        ctl("start", "gateway-2")
    wait_until(lambda: answers("http://127.0.0.1:8082/health/ready"), timeout=30)


def answers(url) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.ConnectionError:
        return False
