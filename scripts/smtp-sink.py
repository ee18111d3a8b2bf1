#!/usr/bin/python3
"""The mail sink: aiosmtpd (Debian's python3-aiosmtpd) delivering into a maildir.

The local stack runs it plain on 127.0.0.1:1025 into .run/mail/. The SMTP client's tests run
their own instances with the options below: STARTTLS and AUTH required, a server that defers
the first messages with 451, one that refuses every recipient with 550, and one that drops
the connection once a message's content has arrived, before it answers.
"""
import argparse
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink(Mailbox):
    def __init__(self, maildir, options):
        # Maildir creates its folders only when the directory itself is new.
        for folder in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(maildir, folder), exist_ok=True)
        super().__init__(maildir)
        self.options = options
        self.deferred = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.options.pipelining:
            # aiosmtpd reads commands one line at a time, so pipelined commands work; it
            # only does not say so.
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.options.reject:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.deferred < self.options.defer:
                self.deferred += 1
                return "451 4.3.0 try again later"
        if self.options.drop_in_data:
            server.transport.abort()
            return "250 never sent"
        return await super().handle_DATA(server, session, envelope)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:1025", help="HOST:PORT")
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--tls-cert", help="offer STARTTLS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="the certificate's key (PEM)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require AUTH (after STARTTLS)")
    parser.add_argument("--defer", type=int, default=0, help="answer 451 to the first N messages")
    parser.add_argument("--reject", action="store_true", help="answer 550 to every recipient")
    parser.add_argument("--drop-in-data", action="store_true", help="drop the connection before answering DATA")
    parser.add_argument("--no-pipelining", dest="pipelining", action="store_false")
    options = parser.parse_args()

    host, port = options.listen.rsplit(":", 1)
    kwargs = {}
    if options.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls_cert, options.tls_key)
        kwargs.update(tls_context=context, require_starttls=True)
    if options.auth:
        user, password = options.auth.split(":", 1)

        def authenticate(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
            # Not "handled": aiosmtpd then answers a failure with 535 itself.
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=bool(options.tls_cert))
    controller = Controller(Sink(options.maildir, options), hostname=host, port=int(port), **kwargs)
    # Blocked before the server's thread starts, so that it inherits the mask and the main
    # thread alone takes the signal.
    stopping = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
    controller.start()
    print(f"smtp sink on {host}:{port}, maildir {options.maildir}", flush=True)
    signal.sigwait(stopping)
    controller.stop()


if __name__ == "__main__":
    main()
