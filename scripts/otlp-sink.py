#!/usr/bin/python3
"""The trace sink: an OTLP/HTTP receiver that keeps what the stack exports.

The local stack's programs export their spans here (127.0.0.1:4318, POST /v1/traces,
protobuf). Each export request is appended, as it came (ungzipped), to a file of records of
a 4-byte big-endian length and the body, `traces.otlp` in the directory given; past
`--max-bytes` the file becomes `traces.otlp.1` and a new one starts, so the sink holds a
bounded window of recent traces. The end-to-end tests decode the records with
opentelemetry-proto and assert span trees. GET /health answers 200.
"""
import argparse
import gzip
import http.server
import os
import signal
import struct
import threading


class Store:
    def __init__(self, directory, max_bytes):
        os.makedirs(directory, exist_ok=True)
        self.path = os.path.join(directory, "traces.otlp")
        self.max_bytes = max_bytes
        self.lock = threading.Lock()

    def append(self, body):
        with self.lock:
            if os.path.exists(self.path) and os.path.getsize(self.path) > self.max_bytes:
                os.replace(self.path, self.path + ".1")
            with open(self.path, "ab") as out:
                out.write(struct.pack(">I", len(body)) + body)


def handler(store):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.answer(200 if self.path == "/health" else 404, b"")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path != "/v1/traces":
                return self.answer(404, b"")
            if self.headers.get("Content-Encoding", "") == "gzip":
                body = gzip.decompress(body)
            store.append(body)
            # An empty ExportTraceServiceResponse: everything accepted.
            self.answer(200, b"", "application/x-protobuf")

        def answer(self, status, body, content_type="text/plain"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:4318")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--max-bytes", type=int, default=200_000_000)
    options = parser.parse_args()
    host, port = options.listen.rsplit(":", 1)
    server = http.server.ThreadingHTTPServer((host, int(port)), handler(Store(options.dir, options.max_bytes)))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


if __name__ == "__main__":
    main()
