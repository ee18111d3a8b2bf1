#!/usr/bin/env python3
"""Interoperability peer for the Swift AMQP client, built on pika's BlockingConnection.

  publish --url U --queue Q --count N
      Publishes N messages to the existing queue Q through the default exchange on a
      confirming channel, every property set and a header table with one value of each
      common type. Exits 0 once the broker has confirmed all of them.

  consume --url U --queue Q --count N [--timeout S]
      Takes exactly N messages from Q with basic.get and manual acks, and prints one JSON
      object per message, in arrival order. Exits 1, with the reason on stderr, if fewer
      than N arrive within S seconds (default 30).

Header values in the JSON output: strings (long strings that are valid UTF-8) as JSON
strings, integers and booleans as themselves, floats as numbers (non-finite ones as the
strings "nan", "inf", "-inf"), byte arrays and long strings that are not valid UTF-8 as
{"hex": "..."}, decimals as strings such as "1.5", timestamps as integer epoch seconds,
void as null, tables as objects and arrays as arrays.

pika is used as it is: its codec has no float encoding, and decodes the float and double
field types as integers, so the exchanged headers carry a decimal instead.
"""

import argparse
import calendar
import datetime
import decimal
import json
import math
import sys
import time

import pika
import pika.data
import pika.exceptions


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="AMQP interoperability peer built on pika")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("publish", "consume"):
        command = commands.add_parser(name)
        command.add_argument("--url", required=True, help="amqp://user:password@host:port/vhost")
        command.add_argument("--queue", required=True)
        command.add_argument("--count", type=int, required=True)
        if name == "consume":
            command.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for all messages")
    args = parser.parse_args()
    if args.count < 0:
        parser.error("--count must not be negative")
    return args


def message_for(index: int):
    """The body and properties of the index-th (0-based) published message."""
    body = f"pika-{index}:".encode() + bytes(range(256))
    properties = pika.BasicProperties(
        content_type="application/octet-stream",
        content_encoding="identity",
        headers={
            "index": index,
            "text": "héllo wörld",
            "ratio": decimal.Decimal("1.5"),
            "flag": True,
            "nested": {"key": "value", "n": 7},
            "list": [1, "two", decimal.Decimal("3.0")],
            "big": 2**40,
            "none": None,
        },
        delivery_mode=2,
        priority=3,
        correlation_id=f"corr-{index}",
        reply_to="replies",
        expiration="60000",
        message_id=f"msg-{index}",
        timestamp=1700000000 + index,
        type="interop",
        user_id="guest",
        app_id="pika-peer",
    )
    return body, properties


def publish(args: argparse.Namespace) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for index in range(args.count):
            body, properties = message_for(index)
            # With confirms on, basic_publish blocks until the broker acks and raises on a
            # nack; mandatory makes a missing queue fail as UnroutableError instead of the
            # message being dropped silently.
            channel.basic_publish(
                exchange="",
                routing_key=args.queue,
                body=body,
                properties=properties,
                mandatory=True,
            )
    finally:
        if connection.is_open:
            connection.close()
    return 0


def jsonable(value):
    """Converts a decoded header or property value to something json.dumps accepts."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        # pika returns 64-bit fields as its own int subclass
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (bytes, bytearray)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        # pika decodes a timestamp field to a naive datetime in UTC
        return calendar.timegm(value.utctimetuple())
    if isinstance(value, dict):
        return {
            (key if isinstance(key, str) else bytes(key).hex()): jsonable(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    raise TypeError(f"unexpected decoded value {value!r}")


def describe(method, properties, body: bytes) -> dict:
    return {
        "body_hex": body.hex(),
        "content_type": jsonable(properties.content_type),
        "content_encoding": jsonable(properties.content_encoding),
        "headers": jsonable(properties.headers),
        "delivery_mode": properties.delivery_mode,
        "priority": properties.priority,
        "correlation_id": jsonable(properties.correlation_id),
        "reply_to": jsonable(properties.reply_to),
        "expiration": jsonable(properties.expiration),
        "message_id": jsonable(properties.message_id),
        "timestamp": None if properties.timestamp is None else int(properties.timestamp),
        "type": jsonable(properties.type),
        "user_id": jsonable(properties.user_id),
        "app_id": jsonable(properties.app_id),
        "cluster_id": jsonable(properties.cluster_id),
        "routing_key": jsonable(method.routing_key),
        "redelivered": bool(method.redelivered),
    }


def consume(args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.timeout
    received = 0
    if args.count == 0:
        return 0
    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    try:
        channel = connection.channel()
        # basic.get takes exactly one message per call, so nothing beyond the count is ever
        # delivered to this peer (and later redelivered to someone else).
        while received < args.count:
            method, properties, body = channel.basic_get(args.queue, auto_ack=False)
            if method is None:
                if time.monotonic() >= deadline:
                    break
                connection.sleep(0.02)
                continue
            print(json.dumps(describe(method, properties, body)), flush=True)
            channel.basic_ack(method.delivery_tag)
            received += 1
    finally:
        if connection.is_open:
            connection.close()
    if received < args.count:
        print(
            f"received {received} of {args.count} messages from {args.queue!r} within {args.timeout:g} s",
            file=sys.stderr,
        )
        return 1
    return 0


def main() -> int:
    args = parse_args()
    try:
        return publish(args) if args.command == "publish" else consume(args)
    except pika.exceptions.AMQPError as error:
        print(f"{args.command} failed: {error!r}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
