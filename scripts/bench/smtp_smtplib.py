"""The peer of `smtp-bench`: Python's smtplib sending the same kind of message to the same
server, `concurrency` threads with one session each, kept open between messages.
Prints one JSON object like smtp-bench's."""
import argparse
import json
import smtplib
import sys
import threading
import time
from email import policy
from email.message import EmailMessage

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=1025)
parser.add_argument("--messages", type=int, default=2000)
parser.add_argument("--concurrency", type=int, default=4)
options = parser.parse_args()

message = EmailMessage()
message["From"] = "SwiftShop <shop@swiftshop.local>"
message["To"] = "bench@example.com"
message["Subject"] = "Your order 0b7e… is confirmed"
# Quoted-printable like the Swift client's message, so both send the same lines.
message.set_content("Thank you for your order.\n" * 20, cte="quoted-printable")
message.add_alternative("<p>" + "Thank you for your order.<br>" * 20 + "</p>", subtype="html", cte="quoted-printable")
raw = message.as_bytes(policy=policy.SMTP)


failures = []


def send(count):
    try:
        with smtplib.SMTP("127.0.0.1", options.port) as session:
            for _ in range(count):
                session.sendmail("shop@swiftshop.local", ["bench@example.com"], raw)
    except Exception as error:  # noqa: BLE001 - reported below, and the run fails
        failures.append(error)


shares = [options.messages // options.concurrency + (1 if i < options.messages % options.concurrency else 0)
          for i in range(options.concurrency)]
threads = [threading.Thread(target=send, args=(share,)) for share in shares]
start = time.perf_counter()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start
if failures:
    sys.exit(f"smtplib failed: {failures[0]!r}")
print(json.dumps({"client": "smtplib", "messages": options.messages, "concurrency": options.concurrency,
                  "emails_per_s": round(options.messages / elapsed, 1)}, sort_keys=True))
