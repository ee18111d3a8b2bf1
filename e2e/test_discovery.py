"""Service discovery through etcd: every instance registered, calls balanced round-robin over
the product instances, a killed instance failed over without an error for reads, etcd
stopped without losing the endpoints callers know."""
import concurrent.futures
import json
import os
import re
import signal
import time

import requests

from conftest import Client, ctl, health, healthy, run_shop, shop, wait_until
from shopping import customer

PROGRAMS = {
    "user": ["user"], "product": ["product", "product-2"], "order": ["order", "order-2"],
    "notification": ["notification", "notification-2"], "payment-sandbox": ["payment-sandbox"],
    "fulfillment": ["fulfillment", "fulfillment-2"], "gateway": ["gateway-1", "gateway-2"],
}
PRODUCT_ADMIN = {"product": "http://127.0.0.1:3002", "product-2": "http://127.0.0.1:3012"}
SERVICES_HEALTH = ["http://127.0.0.1:3001/health", "http://127.0.0.1:3002/health", "http://127.0.0.1:3012/health",
                   "http://127.0.0.1:3003/health", "http://127.0.0.1:3013/health", "http://127.0.0.1:3004/health",
                   "http://127.0.0.1:8081/health", "http://127.0.0.1:8082/health", "http://127.0.0.1:3005/health"]


def registered(role=None):
    args = ["discovery", "list", "--json"] + (["--role", role] if role else [])
    return [json.loads(line) for line in shop(*args).splitlines() if line.strip()]


def searches_served(program):
    """How many product searches the instance has answered, from its own metrics."""
    text = requests.get(PRODUCT_ADMIN[program] + "/metrics", timeout=5).text
    return sum(float(m.group(1)) for m in re.finditer(r'^rpc_server_requests_total\{[^}]*SearchProducts[^}]*\} (\S+)$',
                                                         text, re.M))


def signed_in_session():
    """A session of a customer of its own, so that its searches count against its own quota."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {customer(Client())}"
    return session


def search(session):
    try:
        return session.get("http://127.0.0.1:8080/api/v1/products", params={"q": "laptop", "limit": 5},
                           timeout=10).status_code
    except requests.RequestException as error:
        return type(error).__name__


def everyone_registered():
    by_role = {}
    for record in registered():
        if record["serving"]:
            by_role.setdefault(record["role"], set()).add(record["instance"])
    return all(by_role.get(role, set()) >= set(instances) for role, instances in PROGRAMS.items())


def test_every_instance_is_registered_under_a_lease_with_its_address():
    wait_until(everyone_registered, 30)
    records = registered()
    for record in records:
        assert set(record) == {"role", "instance", "address", "port", "admin_port", "version", "started_at", "serving"}
    products = {r["instance"]: r for r in registered("product")}
    assert (products["product"]["port"], products["product"]["admin_port"]) == (50052, 3002)
    assert (products["product-2"]["port"], products["product-2"]["admin_port"]) == (50062, 3012)
    # The table form names them too.
    table = shop("discovery", "list")
    assert "product-2" in table and "127.0.0.1:50062" in table
    for url in SERVICES_HEALTH:
        assert health(url)["checks"]["etcd"]["status"] == "ok", url


def test_searches_go_round_robin_over_both_product_instances():
    wait_until(everyone_registered, 30)
    before = {program: searches_served(program) for program in PRODUCT_ADMIN}
    session = signed_in_session()
    codes = [search(session) for _ in range(100)]
    assert codes == [200] * 100
    moved = {program: searches_served(program) - before[program] for program in PRODUCT_ADMIN}
    assert all(count >= 20 for count in moved.values()), moved


def test_a_product_instance_killed_mid_stream_costs_no_read_and_comes_back():
    wait_until(everyone_registered, 30)
    pid = int(ctl("pid", "product").strip())
    session = signed_in_session()
    codes = []

    def kill_soon():
        time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)
        return time.monotonic()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        killed = pool.submit(kill_soon)
        for _ in range(200):
            codes.append(search(session))
        killed_at = killed.result()
    # Reads are retried on the other instance: none fails, before or after the lease expires.
    assert codes == [200] * 200, sorted(set(map(str, codes)))
    # supervisord restarts it; it registers again and serves again.
    wait_until(lambda: any(r["instance"] == "product" and r["serving"] and r["started_at"] for r in registered("product"))
               and healthy("http://127.0.0.1:3002/health"),
               60)
    assert time.monotonic() - killed_at < 60
    wait_until(lambda: searches_moved_on_both(session), 30)


def searches_moved_on_both(session):
    before = {program: searches_served(program) for program in PRODUCT_ADMIN}
    for _ in range(20):
        search(session)
    return all(searches_served(program) > before[program] for program in PRODUCT_ADMIN)


def test_a_stopped_instance_leaves_the_registry_at_once_and_returns_on_start():
    wait_until(everyone_registered, 30)
    ctl("stop", "product-2")
    try:
        # A graceful stop deregisters at once.
        wait_until(lambda: [r["instance"] for r in registered("product")] == ["product"], 5)
    finally:
        ctl("start", "product-2")
    wait_until(lambda: {r["instance"] for r in registered("product") if r["serving"]} == {"product", "product-2"}, 60)


def test_with_etcd_stopped_callers_keep_their_endpoints_and_instances_register_again():
    wait_until(everyone_registered, 30)
    ctl("stop", "etcd")
    try:
        wait_until(lambda: (health("http://127.0.0.1:8081/health") or {}).get("status") == "degraded", 20)
        body = health("http://127.0.0.1:3002/health")
        assert body["status"] == "degraded" and body["checks"]["etcd"]["status"] == "degraded"
        session = signed_in_session()
        assert [search(session) for _ in range(20)] == [200] * 20
        assert run_shop("discovery", "list").returncode != 0
    finally:
        ctl("start", "etcd")
    wait_until(everyone_registered, 60)
    wait_until(lambda: all(healthy(url) for url in SERVICES_HEALTH), 60)
