#!/usr/bin/env python3
"""After payment on the running stack, through nginx, as clients see it:

- paid -> packed: ORDERS orders placed by CLIENTS concurrent customers; for each, the time
  from its `paid` change to its fulfillment's `packed_at` (both written by the stack's clock),
  beside the checkout's own latency (POST /orders) measured in the same run;
- live updates: for STREAMS paid orders, a client follows GET /orders/{id}/events while the
  admin ships the order; the delay is from the `at` of the `shipped` change to the moment the
  client reads its event, beside a GET of the order (what one poll would cost) in the same run.

Prints a table, then one JSON line. Bounded: it gives up after --timeout seconds of waiting.
"""
import argparse
import concurrent.futures
import json
import sys
import threading
import time
import pathlib

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "bench"))
from stack_api import API, admin as admin_token, call, customer, percentile, place, product as new_product, stamp  # noqa: E402


def paid_to_packed(tokens, product_id, count, timeout):
    with concurrent.futures.ThreadPoolExecutor(len(tokens)) as pool:
        placed = list(pool.map(lambda i: (tokens[i % len(tokens)], *place(tokens[i % len(tokens)], product_id)),
                               range(count)))
    checkout = [seconds for _, _, seconds in placed]
    waiting = {order_id: token for token, order_id, _ in placed}
    delays = []
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for order_id, token in list(waiting.items()):
            order = call("GET", f"/orders/{order_id}", token).json()
            if (order["fulfillment"] or {}).get("status") == "packed":
                paid = next(c["at"] for c in order["status_history"] if c["status"] == "paid")
                delays.append(stamp(order["fulfillment"]["packed_at"]) - stamp(paid))
                del waiting[order_id]
        if waiting:
            time.sleep(0.5)
    if waiting:
        raise SystemExit(f"{len(waiting)} of {count} orders not packed within {timeout} s")
    return delays, checkout


def live_update_delay(admin, token, product_id, count):
    delays, polls = [], []
    for _ in range(count):
        order_id, _ = place(token, product_id)
        stream = requests.get(f"{API}/orders/{order_id}/events", headers={"Authorization": f"Bearer {token}"},
                              stream=True, timeout=(5, 30))
        lines = stream.iter_lines(chunk_size=None)
        received = {}

        def read():
            fields = {}
            for raw in lines:
                line = raw.decode()
                if line == "":
                    if fields.get("data"):
                        data = json.loads(fields["data"])
                        received[data["status"]] = (time.time(), data["at"])
                        if data["status"] == "shipped":
                            return
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    fields[name] = value

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        while "paid" not in received:
            time.sleep(0.005)
        call("POST", f"/orders/{order_id}/ship", admin, json={"carrier": "DHL", "tracking_number": "BENCH"})
        reader.join(timeout=10)
        stream.close()
        if "shipped" not in received:
            raise SystemExit(f"order {order_id}: no shipped event within 10 s")
        seen, at = received["shipped"]
        delays.append(seen - stamp(at))
        started = time.monotonic()
        call("GET", f"/orders/{order_id}", token)
        polls.append(time.monotonic() - started)
    return delays, polls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=300)
    arguments = parser.parse_args()

    admin = admin_token()
    product = new_product(admin, arguments.orders + arguments.streams, "fulfillment")
    tokens = [customer() for _ in range(arguments.clients)]

    packed, checkout = paid_to_packed(tokens, product["id"], arguments.orders, arguments.timeout)
    live, polls = live_update_delay(admin, tokens[0], product["id"], arguments.streams)

    ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
    rows = [("paid -> packed", packed, checkout, "POST /orders"), ("transition -> SSE client", live, polls,
                                                                   "GET /orders/{id}")]
    print(f"{'measure':<26}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}   {'peer':<18}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p95 ratio':>11}")
    summary = {}
    for name, values, peer, peer_name in rows:
        ratio = percentile(values, 95) / percentile(peer, 95)
        print(f"{name:<26}{len(values):>6}{ms(percentile(values, 50)):>10}{ms(percentile(values, 95)):>10}"
              f"{ms(max(values)):>10}   {peer_name:<18}{ms(percentile(peer, 50)):>9}{ms(percentile(peer, 95)):>9}"
              f"{ratio:>11.2f}")
        summary[name] = {"n": len(values), "p50_ms": ms(percentile(values, 50)), "p95_ms": ms(percentile(values, 95)),
                         "max_ms": ms(max(values)), "peer": peer_name, "peer_p50_ms": ms(percentile(peer, 50)),
                         "peer_p95_ms": ms(percentile(peer, 95)), "p95_ratio": round(ratio, 2)}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
