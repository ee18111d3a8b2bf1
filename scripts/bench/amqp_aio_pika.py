#!/usr/bin/env python3
"""AMQP throughput benchmark with aio-pika, the peer the Swift AMQP client is compared against.

Phase 1 publishes N persistent messages to a fresh durable classic queue through the default
exchange on a confirming channel, with at most K unconfirmed at once, and times the first
publish to the last confirm. Phase 2 consumes them on a new channel with prefetch P and manual
acks, one ack per message, and times the start of the consumer to the Nth completed ack.

Human-readable lines go to stdout first; the last line is one JSON object with both rates.
"""

import argparse
import asyncio
import json
import os
import sys
import time

import aio_pika


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--messages", type=int, default=20000, help="messages to publish, then consume")
    parser.add_argument("--in-flight", type=int, default=200, help="most unconfirmed publishes at once")
    parser.add_argument("--size", type=int, default=512, help="body size in bytes")
    parser.add_argument("--prefetch", type=int, default=100, help="consumer prefetch count")
    args = parser.parse_args()
    for name in ("messages", "in_flight", "prefetch"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.size < 0:
        parser.error("--size must not be negative")
    return args


async def publish_phase(connection, queue_name: str, count: int, in_flight: int, size: int) -> float:
    """Publishes `count` messages keeping at most `in_flight` unconfirmed; returns seconds taken."""
    channel = await connection.channel(publisher_confirms=True)
    exchange = channel.default_exchange
    # Every message is identical, so one Message serves them all: publish only reads its body
    # and properties, and building a fresh object each time would measure Python allocation
    # rather than the client.
    message = aio_pika.Message(
        body=b"x" * size,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )
    window = asyncio.Semaphore(in_flight)
    pending = set()
    failures = []

    async def publish_one() -> None:
        try:
            # With confirms on, this returns once the broker acks; a nack or a return
            # (mandatory is on by default) raises instead.
            await exchange.publish(message, routing_key=queue_name)
        except Exception as error:  # collected and reported after the run
            failures.append(error)
        finally:
            window.release()

    started = time.perf_counter()
    for _ in range(count):
        await window.acquire()
        task = asyncio.create_task(publish_one())
        # The event loop holds tasks weakly; keep a reference until each one finishes.
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.gather(*pending)
    elapsed = time.perf_counter() - started

    await channel.close()
    if failures:
        raise RuntimeError(f"{len(failures)} publishes failed, first: {failures[0]!r}")
    return elapsed


async def consume_phase(connection, queue_name: str, count: int, prefetch: int) -> float:
    """Consumes and individually acks `count` messages; returns seconds taken."""
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=prefetch)
    queue = await channel.get_queue(queue_name, ensure=False)

    done = asyncio.get_running_loop().create_future()
    acked = 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal acked
        await message.ack()
        acked += 1
        if acked == count and not done.done():
            done.set_result(time.perf_counter())

    started = time.perf_counter()
    consumer_tag = await queue.consume(on_message, no_ack=False)
    finished = await done
    await queue.cancel(consumer_tag)
    await channel.close()
    return finished - started


async def run(args: argparse.Namespace) -> dict:
    queue_name = f"bench.aio-pika.{os.getpid()}"
    connection = await aio_pika.connect(args.url)
    try:
        setup = await connection.channel()
        queue = await setup.declare_queue(
            queue_name, durable=True, arguments={"x-queue-type": "classic"}
        )
        await queue.purge()
        try:
            publish_seconds = await publish_phase(
                connection, queue_name, args.messages, args.in_flight, args.size
            )
            # Every confirmed message must be in the queue before consumption is timed.
            ready = await setup.declare_queue(queue_name, passive=True)
            queued = ready.declaration_result.message_count
            if queued != args.messages:
                raise RuntimeError(f"expected {args.messages} queued messages, found {queued}")
            consume_seconds = await consume_phase(
                connection, queue_name, args.messages, args.prefetch
            )
        finally:
            await queue.delete(if_unused=False, if_empty=False)
            await setup.close()
    finally:
        await connection.close()

    publish_rate = args.messages / publish_seconds
    consume_rate = args.messages / consume_seconds
    print(
        f"aio-pika {aio_pika.__version__}: {args.messages} messages of {args.size} B, "
        f"{args.in_flight} in flight, prefetch {args.prefetch}"
    )
    print(f"  publish+confirm {publish_seconds:8.3f} s {publish_rate:12.1f} msg/s")
    print(f"  consume+ack     {consume_seconds:8.3f} s {consume_rate:12.1f} msg/s")
    return {
        "client": "aio-pika",
        "messages": args.messages,
        "publish_confirm_msgs_per_s": round(publish_rate, 1),
        "consume_ack_msgs_per_s": round(consume_rate, 1),
    }


def main() -> int:
    args = parse_args()
    result = asyncio.run(run(args))
    sys.stdout.flush()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
