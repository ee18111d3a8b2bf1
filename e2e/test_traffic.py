"""The traffic generator as an operator steers it: its control port (API.md, Traffic
generator) switches modes at once without a restart, and pause stops new requests."""
import time

import pytest
import requests

from conftest import wait_until

CONTROL = "http://127.0.0.1:3020"


def status() -> dict:
    response = requests.get(f"{CONTROL}/status", timeout=5)
    assert response.status_code == 200
    return response.json()


def requests_made(current: dict) -> int:
    return sum(journey["count"] for journey in current["journeys"].values())


def put_mode(body) -> requests.Response:
    return requests.put(f"{CONTROL}/mode", json=body, timeout=5)


@pytest.fixture
def generator():
    """The generator with its customers ready, left paused afterwards."""
    wait_until(lambda: status()["users"] > 0, timeout=180, interval=1)
    assert put_mode({"mode": "pause"}).status_code == 200
    yield
    put_mode({"mode": "pause"})
    wait_until(lambda: status()["active_users"] == 0, timeout=30)


def test_the_status_names_mode_rate_users_and_journeys(generator):
    current = status()
    assert current["mode"] == "pause" and current["rate"] == 0
    assert current["active_users"] == 0 and current["users"] > 0
    assert isinstance(current["journeys"], dict)
    for journey in current["journeys"].values():
        assert {"count", "errors", "p50_ms", "p95_ms", "p99_ms"} <= set(journey)


def test_a_new_mode_is_in_effect_within_a_second_and_pause_stops_new_requests(generator):
    before = status()
    response = put_mode({"mode": "steady", "rate": 20})
    assert response.status_code == 200 and response.json()["mode"] == "steady"
    switched = time.monotonic()
    assert status()["rate"] == 20
    # Sessions arrive at 20 a second from the moment of the switch.
    wait_until(lambda: status()["sessions_started"] - before["sessions_started"] >= 10, timeout=1.5, interval=0.05)
    assert time.monotonic() - switched < 1.5
    wait_until(lambda: requests_made(status()) > requests_made(before) + 20, timeout=10)

    burst = put_mode({"mode": "burst", "rate": 5, "burst_factor": 4, "burst_seconds": 10})
    assert burst.status_code == 200
    assert status()["rate"] == 20  # the spike comes first

    assert put_mode({"mode": "pause"}).status_code == 200
    paused = status()
    assert paused["mode"] == "pause" and paused["rate"] == 0
    # Requests in flight finish; sessions stop before their next request; nothing new starts.
    wait_until(lambda: status()["active_users"] == 0, timeout=30)
    settled = status()
    time.sleep(2)
    after = status()
    assert after["sessions_started"] == settled["sessions_started"]
    assert requests_made(after) == requests_made(settled)


@pytest.mark.parametrize("body", [{"mode": "warp"}, {"mode": "steady", "rate": -1}, {"rate": 5}, "steady"])
def test_a_bad_mode_is_400_problem_and_changes_nothing(generator, body):
    response = put_mode(body)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_failed"
    assert status()["mode"] == "pause"


def test_metrics_show_the_generators_side(generator):
    put_mode({"mode": "steady", "rate": 10})
    wait_until(lambda: requests_made(status()) > 0, timeout=10)
    put_mode({"mode": "pause"})
    # Gauges are taken once a second.
    def exposition():
        text = requests.get(f"{CONTROL}/metrics", timeout=5).text
        return text if 'traffic_mode{mode="pause"} 1' in text else None
    text = wait_until(exposition, timeout=5)
    assert "traffic_requests_total{" in text
    assert "traffic_request_duration_seconds_bucket{" in text
    assert "traffic_sessions_total{" in text
