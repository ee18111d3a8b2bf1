"""Paid orders are packed by the fulfillment workers: through a worker killed while it holds
jobs, a job that can never be packed, and Redis stopped while customers check out; and the
smoke test that walks an order to packed."""
import os
import signal
import subprocess
import time
import uuid

import redis
import requests

from conftest import ROOT, ctl, shop, wait_until
from shopping import ADDRESS, admin, category, customer, new_product, place  # noqa: F401

REDIS = redis.Redis(host="127.0.0.1", port=6379, decode_responses=True)
JOBS, DEAD, GROUP = "fulfillment:jobs", "fulfillment:dead", "workers"
WORKERS = ("fulfillment", "fulfillment-2")


def order_of(client, token, order_id):
    response = client.get(f"/orders/{order_id}", token=token)
    assert response.status_code == 200, response.text
    return response.json()


def wait_packed(client, token, order_ids, timeout):
    """The orders once every one is packed."""
    def all_packed():
        orders = [order_of(client, token, order_id) for order_id in order_ids]
        return orders if all((o["fulfillment"] or {}).get("status") == "packed" for o in orders) else None
    return wait_until(all_packed, timeout=timeout, interval=0.25)


def health(port: int):
    """The worker's `/health` status, or None while it does not answer."""
    try:
        return requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json()["status"]
    except requests.ConnectionError:
        return None


def healthy(port: int) -> bool:
    return health(port) == "ok"


def pending_jobs(consumer=None) -> int:
    summary = REDIS.xpending(JOBS, GROUP)
    if consumer is None:
        return summary["pending"]
    return next((c["pending"] for c in summary["consumers"] if c["name"] == consumer), 0)


def place_paid(client, token, product, count, address=ADDRESS):
    ids = []
    for _ in range(count):
        response = place(client, token, [{"product_id": product["id"], "quantity": 1}], address=address)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def packed_count() -> float:
    """fulfillment_jobs_total{outcome="packed"} summed over both workers."""
    total = 0.0
    for port in (3005, 3015):
        for line in requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text.splitlines():
            if line.startswith("fulfillment_jobs_total{") and 'outcome="packed"' in line:
                total += float(line.rsplit(" ", 1)[1])
    return total


def test_a_paid_order_is_packed_in_the_warehouse_of_its_country(client, admin, category):
    product = new_product(client, admin, category, stock=5)
    token = customer(client)
    packed_before = packed_count()
    [german] = place_paid(client, token, product, 1)
    [american] = place_paid(client, token, product, 1, address={**ADDRESS, "country": "US"})
    orders = wait_packed(client, token, [german, american], timeout=15)
    assert packed_count() >= packed_before + 2
    assert [o["fulfillment"]["warehouse"] for o in orders] == ["eu-central", "us-east"]
    for order in orders:
        assert order["fulfillment"]["packed_at"].endswith("Z") and order["status"] == "paid"
    # Shipping is still the admin's move, and ends the warehouse's part.
    assert client.post(f"/orders/{german}/ship", {"carrier": "DHL", "tracking_number": "T1"},
                       token=admin).status_code == 200
    assert order_of(client, token, german)["fulfillment"]["status"] == "packed"


def holding_worker(port: int, consumer: str) -> subprocess.Popen:
    """A third worker that stops between the order service's answer and the acknowledgement."""
    binary = os.environ.get("SHOP_BIN", str(ROOT / ".build" / "release" / "shop"))
    env = {**os.environ, "SHOP_ENVIRONMENT": "local", "SHOP_TLS_DIRECTORY": str(ROOT / ".run" / "secrets" / "tls"),
           "SHOP_ORDER_ADDRESS": "127.0.0.1:50053,127.0.0.1:50063", "SHOP_ADMIN_PORT": str(port),
           "SHOP_FULFILLMENT_CONSUMER": consumer, "SHOP_FULFILLMENT_HOLD_BEFORE_ACK_MS": "600000"}
    return subprocess.Popen([binary, "serve", "fulfillment"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_jobs_held_by_a_killed_worker_are_claimed_and_every_order_is_packed_once(client, admin, category):
    product = new_product(client, admin, category, stock=20)
    token = customer(client)
    consumer = f"e2e-holder-{uuid.uuid4().hex[:6]}"
    for worker in WORKERS:
        ctl("stop", worker)
    holder = holding_worker(3025, consumer)
    try:
        wait_until(lambda: healthy(3025), timeout=30)
        held = place_paid(client, token, product, 3)
        # The holder packs what it read and keeps it unacknowledged.
        wait_until(lambda: pending_jobs(consumer) >= 1, timeout=15)
        assert f"  {consumer}: {pending_jobs(consumer)} pending" in shop("fulfillment", "status")
        packed_by_holder = {
            o["id"]: o["fulfillment"]["packed_at"] for o in (order_of(client, token, i) for i in held)
            if (o["fulfillment"] or {}).get("status") == "packed"}
        assert packed_by_holder, "the holding worker packed nothing"
        later = place_paid(client, token, product, 5)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
        for worker in WORKERS:
            ctl("start", worker)
    # The others read the rest at once and claim the held jobs once they have been idle for
    # fulfillment.claimIdleMs.
    orders = wait_packed(client, token, held + later, timeout=90)
    assert len({o["id"] for o in orders}) == 8
    for order in orders:
        if order["id"] in packed_by_holder:
            assert order["fulfillment"]["packed_at"] == packed_by_holder[order["id"]], "packed twice"
    wait_until(lambda: pending_jobs() == 0, timeout=60)
    REDIS.xgroup_delconsumer(JOBS, GROUP, consumer)


def test_a_job_that_can_never_be_packed_moves_to_the_dead_jobs_with_its_error():
    unknown = str(uuid.uuid4())
    lines = '[{"product_id":"%s","name":"Ghost","quantity":1}]' % uuid.uuid4()
    poison = REDIS.xadd(JOBS, {"order_id": unknown, "lines": lines, "country": "DE"})
    garbled = REDIS.xadd(JOBS, {"order_id": "not-an-order"})

    def dead():
        entries = {fields.get("job_id"): fields for _, fields in REDIS.xrange(DEAD)}
        return entries if poison in entries and garbled in entries else None
    entries = wait_until(dead, timeout=30)
    assert entries[poison]["order_id"] == unknown and int(entries[poison]["attempts"]) >= 5
    assert "order_id" in entries[garbled]["error"], entries[garbled]
    status = shop("fulfillment", "status")
    assert f"{REDIS.xlen(DEAD)} dead job(s)" in status and f"order {unknown}: " in status, status
    wait_until(lambda: pending_jobs() == 0, timeout=30)
    # Sent back, the poison job starts its attempts again, and is buried again.
    moved = shop("fulfillment", "retry")
    assert int(moved.split()[1]) >= 2, moved
    assert not any(fields.get("job_id") == poison for _, fields in REDIS.xrange(DEAD))

    def buried_again():
        entries = {fields.get("order_id"): fields for _, fields in REDIS.xrange(DEAD)
                   if fields.get("job_id") not in (poison, garbled)}
        return entries if unknown in entries and "not-an-order" in entries else None
    again = wait_until(buried_again, timeout=30)
    assert int(again[unknown]["attempts"]) >= 5
    wait_until(lambda: pending_jobs() == 0, timeout=30)
    REDIS.xdel(DEAD, *[id for id, fields in REDIS.xrange(DEAD)
                       if fields.get("order_id") in (unknown, "not-an-order") or "order_id" not in fields])


def test_orders_paid_while_redis_is_stopped_are_packed_once_it_is_back(client, admin, category):
    product = new_product(client, admin, category, stock=10)
    token = customer(client)
    ctl("stop", "redis")
    stopped = time.monotonic()
    try:
        ids = place_paid(client, token, product, 4)
        for port in (3005, 3015):
            wait_until(lambda: health(port) == "degraded", timeout=15)
        time.sleep(max(0.0, 10 - (time.monotonic() - stopped)))
        assert all(order_of(client, token, i)["fulfillment"]["status"] == "queued" for i in ids)
    finally:
        ctl("start", "redis")
    wait_packed(client, token, ids, timeout=60)
    for port in (3005, 3015):
        wait_until(lambda: healthy(port), timeout=30)
    wait_until(lambda: pending_jobs() == 0, timeout=30)


def smoke_test() -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts" / "smoke-test.sh")], capture_output=True, text=True, timeout=120)


def test_the_smoke_test_passes_and_fails_without_the_fulfillment_workers():
    passed = smoke_test()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "packed" in passed.stdout
    for worker in WORKERS:
        ctl("stop", worker)
    try:
        failed = smoke_test()
    finally:
        for worker in WORKERS:
            ctl("start", worker)
    assert failed.returncode != 0 and "FAILED" in failed.stderr, failed.stdout + failed.stderr
    wait_until(lambda: all(healthy(port) for port in (3005, 3015)), timeout=30)
