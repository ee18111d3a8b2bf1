import json
import uuid

import requests
import yaml
from openapi_spec_validator import validate

from conftest import BASE, ROOT, wait_until

ROUTES = [
    ("get", "/health"), ("get", "/health/live"), ("get", "/health/ready"), ("get", "/metrics"),
    ("get", "/.well-known/jwks.json"), ("get", "/openapi.yaml"),
    ("post", "/api/v1/users/register"), ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"), ("get", "/api/v1/users/me"), ("patch", "/api/v1/users/me"),
    ("post", "/api/v1/users/me/addresses"), ("get", "/api/v1/users/me/addresses"),
    ("delete", "/api/v1/users/me/addresses/{id}"),
    ("get", "/api/v1/categories"), ("post", "/api/v1/categories"), ("get", "/api/v1/products"),
    ("post", "/api/v1/products"), ("get", "/api/v1/products/{id}"), ("patch", "/api/v1/products/{id}"),
    ("post", "/api/v1/products/{id}/inventory/adjustments"), ("post", "/api/v1/products/{id}/waitlist"),
    ("delete", "/api/v1/products/{id}/waitlist"), ("get", "/api/v1/users/me/waitlist"),
    ("get", "/api/v1/me/overview"), ("get", "/api/v1/cart"), ("delete", "/api/v1/cart"), ("put", "/api/v1/cart/items/{product_id}"),
    ("delete", "/api/v1/cart/items/{product_id}"), ("post", "/api/v1/orders"), ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{id}"), ("post", "/api/v1/orders/{id}/ship"), ("post", "/api/v1/orders/{id}/deliver"),
    ("post", "/api/v1/orders/{id}/complete"), ("post", "/api/v1/orders/{id}/cancel"), ("get", "/api/v1/orders/{id}/events"),
    ("get", "/api/v1/admin/orders"),
    ("get", "/api/v1/notifications"), ("post", "/api/v1/notifications/read"),
    ("get", "/api/v1/users/me/notification-preferences"), ("put", "/api/v1/users/me/notification-preferences"),
    ("get", "/api/v1/push/vapid-public-key"), ("post", "/api/v1/push/subscriptions"),
    ("delete", "/api/v1/push/subscriptions/{id}"), ("post", "/api/v1/webhooks"), ("get", "/api/v1/webhooks"),
    ("delete", "/api/v1/webhooks/{id}"), ("get", "/api/v1/webhooks/{id}/deliveries"),
]


def test_gateway_health_through_nginx():
    body = requests.get(f"{BASE}/health", timeout=5).json()
    assert body["status"] == "ok"
    assert body["checks"]["user"]["status"] == "ok"
    assert isinstance(body["checks"]["user"]["latency_ms"], (int, float))
    assert requests.get(f"{BASE}/health/live", timeout=5).status_code == 200
    assert requests.get(f"{BASE}/health/ready", timeout=5).status_code == 200


def test_every_service_reports_its_dependencies():
    for url, dependency in [("http://127.0.0.1:3001/health", "postgres"), ("http://127.0.0.1:3002/health", "postgres"),
                            ("http://127.0.0.1:3003/health", "redis"), ("http://127.0.0.1:3013/health", "postgres"),
                            ("http://127.0.0.1:3004/health", "rabbitmq"), ("http://127.0.0.1:3014/health", "postgres"),
                            ("http://127.0.0.1:8081/health", "notification"),
                            ("http://127.0.0.1:8081/health", "user"), ("http://127.0.0.1:8082/health", "product"),
                            ("http://127.0.0.1:8081/health", "order")]:
        body = requests.get(url, timeout=5).json()
        assert body["status"] == "ok", body
        assert body["checks"][dependency]["status"] == "ok"


def test_metrics_are_prometheus_text_with_red_metrics():
    requests.get(f"{BASE}/health", timeout=5)
    response = requests.get(f"{BASE}/metrics", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "hb_requests" in response.text
    assert "http_server_request_duration_bucket" in response.text
    user = requests.get("http://127.0.0.1:3001/metrics", timeout=5).text
    assert "rpc_server_requests_total" in user


def test_openapi_document_is_valid_and_describes_every_route():
    response = requests.get(f"{BASE}/openapi.yaml", timeout=5)
    assert response.status_code == 200
    document = yaml.safe_load(response.text)
    assert document["openapi"].startswith("3.1")
    validate(document)
    described = {(method, path) for path, item in document["paths"].items() for method in item
                 if method in ("get", "post", "put", "patch", "delete")}
    assert described == set(ROUTES)


def test_every_described_route_exists():
    document = yaml.safe_load(requests.get(f"{BASE}/openapi.yaml", timeout=5).text)
    for path, item in document["paths"].items():
        for method in (m for m in item if m != "parameters"):
            url = BASE + path.replace("{id}", "00000000-0000-0000-0000-000000000000")
            response = requests.request(method.upper(), url, timeout=10)
            if response.status_code == 404:
                assert response.json()["code"] != "route_not_found", (method, path)


def test_unknown_route_is_a_problem():
    response = requests.get(f"{BASE}/api/v1/no-such-thing", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "route_not_found"


def test_request_id_is_echoed_or_made():
    response = requests.get(f"{BASE}/health/live", headers={"X-Request-Id": "e2e-req-42"}, timeout=5)
    assert response.headers["X-Request-Id"] == "e2e-req-42"
    made = requests.get(f"{BASE}/api/v1/nope", timeout=5).headers["X-Request-Id"]
    assert len(made) == 36


def test_log_lines_carry_the_request_and_trace_ids():
    request_id = f"e2e-log-{uuid.uuid4().hex[:8]}"
    response = requests.get(f"{BASE}/api/v1/users/me", headers={"X-Request-Id": request_id,
                                                              "Authorization": "Bearer not.a.token"}, timeout=5)
    assert response.status_code == 401

    def line():
        for log in (ROOT / ".run" / "log").glob("gateway-*.log"):
            for text in log.read_text().splitlines():
                if request_id in text:
                    return json.loads(text)
        return None

    entry = wait_until(line, timeout=5)
    assert entry["http.request.id"] == request_id
    assert len(entry["trace.id"]) == 32 and len(entry["span.id"]) == 16
    assert entry["service.name"] == "gateway" and entry["log.level"] and entry["@timestamp"]


def test_an_undeclared_method_is_a_problem_that_lists_the_routes_methods():
    # TRACE is refused by nginx itself; it hands the answer to the gateway like any other.
    for method, path, allowed in [("TRACE", "/api/v1/users/me", "GET, PATCH"), ("PUT", "/health", "GET"),
                                  ("DELETE", "/api/v1/categories", "GET, POST")]:
        response = requests.request(method, f"{BASE}{path}", timeout=5)
        assert response.status_code == 405, (method, path)
        assert response.headers["Allow"] == allowed
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "method_not_allowed"
    assert requests.put(f"{BASE}/api/v1/no/such/route", timeout=5).json()["code"] == "route_not_found"
