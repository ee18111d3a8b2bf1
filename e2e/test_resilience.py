"""With the user service stopped its routes answer 503 fast; started again, they work
without restarting the gateway."""
import time

import requests

from conftest import assert_problem, ctl, wait_until


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
