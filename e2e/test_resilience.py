"""With the user service stopped its routes answer 503 fast; started again, they work
without restarting the gateway. With the broker stopped the services stay up, degraded, and
their events wait in the outbox until it is back."""
import json
import os
import re
import signal
import time
import uuid

import pika
import requests

from conftest import assert_problem, ctl, shop, wait_until

# No heartbeat on the test's own connection: it is idle while the broker is frozen.
AMQP_URL = os.environ.get("SHOP_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/?heartbeat=0")


def test_login_is_503_within_a_second_while_the_user_service_is_down(client, user):
    email, password, _, _ = user
    ctl("stop", "user")
    try:
        for _ in range(10):
            start = time.monotonic()
            response = client.post("/auth/login", {"email": email, "password": password})
            elapsed = time.monotonic() - start
            assert_problem(response, 503, "service_unavailable")
            assert elapsed < 1.0, elapsed
    finally:
        ctl("start", "user")
    # Back on every gateway without restarting any (each reconnects and closes its breaker).
    for port in (8081, 8082):
        url = f"http://127.0.0.1:{port}/api/v1/auth/login"
        wait_until(lambda: requests.post(url, json={"email": email, "password": password}, timeout=5).status_code == 200,
                   timeout=60, interval=0.25)
    assert "RUNNING" in ctl("status", "gateway-1") and "RUNNING" in ctl("status", "gateway-2")


def admin_health(port: int) -> dict:
    return requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()


def user_backlog() -> int:
    match = re.search(r"^user: backlog (\d+)", shop("events", "status"), re.MULTILINE)
    assert match, "no user line in shop events status"
    return int(match.group(1))


def test_with_the_broker_stopped_services_are_degraded_and_their_events_wait_in_the_outbox(client):
    ctl("stop", "rabbitmq")
    try:
        for port in (3001, 3002):
            wait_until(lambda: admin_health(port)["status"] == "degraded", timeout=30)
            body = admin_health(port)
            assert body["checks"]["rabbitmq"]["status"] != "ok", body
            assert body["checks"]["postgres"]["status"] == "ok", body
            assert requests.get(f"http://127.0.0.1:{port}/health/ready", timeout=5).status_code == 200
        # Registrations still succeed; their events wait.
        for _ in range(3):
            client.register()
        assert user_backlog() >= 3
    finally:
        ctl("start", "rabbitmq")
    for port in (3001, 3002):
        wait_until(lambda: admin_health(port)["status"] == "ok", timeout=120, interval=0.5)
    wait_until(lambda: user_backlog() == 0, timeout=60, interval=0.5)


def test_a_frozen_broker_is_noticed_by_the_heartbeat_and_nothing_is_lost_once_it_thaws(client):
    """SIGSTOP keeps the broker's sockets open but silent: only the heartbeat can tell."""
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    tap = channel.queue_declare(queue=f"e2e.frozen.{uuid.uuid4().hex[:8]}", auto_delete=False).method.queue
    channel.queue_bind(queue=tap, exchange="shop.events", routing_key="user.registered")
    group = int(ctl("pid", "rabbitmq").strip())
    os.killpg(group, signal.SIGSTOP)
    registered = []
    try:
        started = time.monotonic()
        for port in (3001, 3002):
            wait_until(lambda: admin_health(port)["status"] == "degraded", timeout=25 - (time.monotonic() - started))
        for _ in range(3):
            registered.append(client.register()[2]["id"])
    finally:
        os.killpg(group, signal.SIGCONT)
    for port in (3001, 3002):
        wait_until(lambda: admin_health(port)["status"] == "ok", timeout=120, interval=0.5)
    wait_until(lambda: user_backlog() == 0, timeout=60, interval=0.5)
    seen = set()

    def all_arrived():
        method, _, body = channel.basic_get(queue=tap, auto_ack=True)
        while method is not None:
            seen.add(json.loads(body)["data"]["user_id"])
            method, _, body = channel.basic_get(queue=tap, auto_ack=True)
        return set(registered) <= seen

    try:
        wait_until(all_arrived, timeout=60, interval=0.5)
    finally:
        channel.queue_delete(queue=tap)
        connection.close()
