#!/usr/bin/env python3
"""Paid -> email on the running stack, as a customer sees it: ORDERS orders placed by CLIENTS
concurrent customers through nginx; for each, the time from its `paid` change (the order
service's clock) to the moment its confirmation email is in the maildir `.run/mail/` (the
sink's file time, on the same machine), beside the checkout's own latency (POST /orders) in
the same run and against the dispatchers' poll interval, which a wake-up on commit beats.

Prints a table, then one JSON line. Bounded: it gives up after --timeout seconds of waiting.
"""
import argparse
import concurrent.futures
import email
import email.policy
import email.utils
import json
import pathlib
import sys
import time
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "bench"))
from stack_api import ROOT, admin, call, customer, percentile, place, product, stamp  # noqa: E402

MAILDIR = ROOT / ".run" / "mail" / "new"
POLL_INTERVAL_S = 1.0  # notifications.pollIntervalMs, the default the stack runs with


def delivered(addresses):
    """The file time of each order email to one of `addresses`, by the order id in its subject."""
    found = {}
    for path in MAILDIR.glob("*"):
        with path.open("rb") as file:
            message = email.message_from_binary_file(file, policy=email.policy.default)
        if email.utils.parseaddr(str(message["To"]))[1] in addresses:
            subject = str(message["Subject"])
            if subject.startswith("Order ") and "confirmed" in subject:
                found[subject.split()[1]] = path.stat().st_mtime
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=300)
    arguments = parser.parse_args()

    goods = product(admin(), arguments.orders, "notification")
    addresses = [f"bench-{uuid.uuid4().hex[:12]}@example.com" for _ in range(arguments.clients)]
    tokens = [customer(address) for address in addresses]
    with concurrent.futures.ThreadPoolExecutor(len(tokens)) as pool:
        placed = list(pool.map(lambda i: (tokens[i % len(tokens)], *place(tokens[i % len(tokens)], goods["id"])),
                               range(arguments.orders)))
    checkout = [seconds for _, _, seconds in placed]
    paid = {}
    for token, order_id, _ in placed:
        history = call("GET", f"/orders/{order_id}", token).json()["status_history"]
        paid[order_id] = stamp(next(change["at"] for change in history if change["status"] == "paid"))
    deadline = time.monotonic() + arguments.timeout
    while True:
        mailed = delivered(set(addresses))
        if all(order_id in mailed for order_id in paid) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    missing = [order_id for order_id in paid if order_id not in mailed]
    if missing:
        raise SystemExit(f"{len(missing)} of {len(paid)} confirmation emails not in the maildir within "
                         f"{arguments.timeout} s")
    delays = [mailed[order_id] - at for order_id, at in paid.items()]

    ms = lambda seconds: round(seconds * 1000, 1)  # noqa: E731
    summary = {"n": len(delays), "p50_ms": ms(percentile(delays, 50)), "p95_ms": ms(percentile(delays, 95)),
               "max_ms": ms(max(delays)), "checkout_p50_ms": ms(percentile(checkout, 50)),
               "checkout_p95_ms": ms(percentile(checkout, 95)),
               "p95_over_checkout_p95": round(percentile(delays, 95) / percentile(checkout, 95), 2),
               "p95_over_poll_interval": round(percentile(delays, 95) / POLL_INTERVAL_S, 2)}
    print(f"{'measure':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    print(f"{'paid -> maildir':<22}{summary['n']:>6}{summary['p50_ms']:>10}{summary['p95_ms']:>10}"
          f"{summary['max_ms']:>10}")
    print(f"{'POST /orders':<22}{len(checkout):>6}{summary['checkout_p50_ms']:>10}{summary['checkout_p95_ms']:>10}"
          f"{ms(max(checkout)):>10}")
    print(f"paid -> maildir p95 / checkout p95: {summary['p95_over_checkout_p95']}   "
          f"/ dispatcher poll interval: {summary['p95_over_poll_interval']}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
