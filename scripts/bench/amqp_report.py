#!/usr/bin/env python3
"""Compares the Swift AMQP client's benchmark figures with aio-pika's.

Each input file holds one JSON object with the keys client, messages,
publish_confirm_msgs_per_s and consume_ack_msgs_per_s. Prints a table, then as its last line
one JSON object with both clients' rates and the Swift/aio-pika ratios.
"""

import argparse
import json
import sys

RATE_KEYS = ("publish_confirm_msgs_per_s", "consume_ack_msgs_per_s")


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        figures = json.load(handle)
    missing = [key for key in ("messages", *RATE_KEYS) if key not in figures]
    if missing:
        raise SystemExit(f"{path}: missing {', '.join(missing)}")
    return figures


def ratio(ours: float, theirs: float):
    """Swift rate over aio-pika rate; None (JSON null) when aio-pika's rate is zero."""
    return round(ours / theirs, 2) if theirs else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swift", required=True, help="JSON figures from the Swift client")
    parser.add_argument("--aio-pika", required=True, dest="aio_pika", help="JSON figures from aio-pika")
    args = parser.parse_args()

    swift = load(args.swift)
    peer = load(args.aio_pika)
    if swift["messages"] != peer["messages"]:
        print(
            f"warning: message counts differ (swift {swift['messages']}, aio-pika {peer['messages']})",
            file=sys.stderr,
        )

    publish_ratio = ratio(swift["publish_confirm_msgs_per_s"], peer["publish_confirm_msgs_per_s"])
    consume_ratio = ratio(swift["consume_ack_msgs_per_s"], peer["consume_ack_msgs_per_s"])

    print(f"AMQP, {swift['messages']} messages per phase")
    print(f"{'':18}{'swift msg/s':>14}{'aio-pika msg/s':>16}{'ratio':>10}")
    rows = (
        ("publish+confirm", "publish_confirm_msgs_per_s", publish_ratio),
        ("consume+ack", "consume_ack_msgs_per_s", consume_ratio),
    )
    for label, key, row_ratio in rows:
        shown = "n/a" if row_ratio is None else f"{row_ratio:.2f}"
        print(f"{label:18}{swift[key]:>14.1f}{peer[key]:>16.1f}{shown:>10}")

    print(
        json.dumps(
            {
                "messages": swift["messages"],
                "publish_confirm_msgs_per_s": swift["publish_confirm_msgs_per_s"],
                "aio_pika_publish_confirm_msgs_per_s": peer["publish_confirm_msgs_per_s"],
                "consume_ack_msgs_per_s": swift["consume_ack_msgs_per_s"],
                "aio_pika_consume_ack_msgs_per_s": peer["consume_ack_msgs_per_s"],
                "publish_ratio": publish_ratio,
                "consume_ratio": consume_ratio,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
