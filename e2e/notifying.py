"""Helpers of the notification suites: the maildir the SMTP sink writes, the notification
service's metrics, and loopback receivers that stand in for push services and webhook
endpoints."""
import email
import email.header
import email.policy
import http.server
import threading

import requests

from conftest import ROOT

MAILDIR = ROOT / ".run" / "mail"
ADMIN_PORTS = (3004, 3014)


def mails():
    """Every message in the maildir, parsed."""
    found = []
    for folder in ("new", "cur"):
        for path in sorted((MAILDIR / folder).glob("*")):
            found.append(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
    return found


def mails_to(address, containing=""):
    """The messages sent to `address` whose subject contains `containing`."""
    return [m for m in mails() if address in str(m["To"]) and containing in str(m["Subject"])]


def metric_total(name, **labels):
    """The sum of a counter over both notification instances (those that answer)."""
    total = 0.0
    for port in ADMIN_PORTS:
        try:
            text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
        except requests.ConnectionError:
            continue
        for line in text.splitlines():
            if not line.startswith(name + "{") and not line.startswith(name + " "):
                continue
            if all(f'{key}="{value}"' in line for key, value in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
    return total


def notifications(client, token):
    response = client.get("/notifications", token=token, params={"limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def notification(client, token, template, channel="email"):
    """The caller's notification of `template` on `channel`, or None."""
    return next((n for n in notifications(client, token) if n["template"] == template and n["channel"] == channel),
                None)


class Receiver:
    """An HTTP server on loopback that records each POST and answers with the next of
    `statuses` (the last one repeated)."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    receiver.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()},
                                              "body": body})
                    status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def received(self):
        with self.lock:
            return list(self.requests)
