"""With the user service stopped its routes answer 503 fast; started again, they work
without restarting the gateway. With the broker stopped the services stay up, degraded, and
their events wait in the outbox until it is back."""
import re
import time

import requests

from conftest import assert_problem, ctl, shop, wait_until


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
