"""A real SMTP server in the test process (aiosmtpd on a free loopback port) that keeps what it is sent.

`refuse` makes it answer the next messages' DATA with a reply such as "451 4.3.0 Try later" or
"554 5.7.1 Refused"; `hold` makes it wait, with the message received but before its reply, until
`release()`: the moment a sender has handed a message over and not yet heard it was taken.
"""
from __future__ import annotations

import asyncio
import threading
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller

from conftest import free_port


class CapturingHandler:
    def __init__(self):
        self.messages = []
        self.refusals: list[str] = []
        self.holding = threading.Event()
        self.released = threading.Event()
        self.arrived = threading.Event()

    async def handle_DATA(self, _server, _session, envelope):
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        if self.refusals:
            return self.refusals.pop(0)
        self.messages.append(parsed)
        self.arrived.set()
        if self.holding.is_set():
            while not self.released.is_set():
                await asyncio.sleep(0.02)
        return "250 OK"


class SmtpCapture:
    """Start with `with SmtpCapture() as smtp:`; `smtp.settings` are the app's MAIL_* settings for it."""

    def __init__(self):
        self.handler = CapturingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def settings(self) -> dict:
        return {"MAIL_HOST": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_SECURITY": "none",
                "MAIL_TIMEOUT_SECONDS": 10}

    @property
    def messages(self):
        return self.handler.messages

    def refuse(self, *replies: str) -> None:
        self.handler.refusals.extend(replies)

    def hold(self) -> None:
        self.handler.holding.set()

    def release(self) -> None:
        self.handler.released.set()

    def wait_for(self, count: int, timeout: float = 30) -> list:
        """The messages once `count` have arrived (polling; fails after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} of {count} messages arrived")
            time.sleep(0.05)
        return self.messages

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *_exc):
        self.release()
        self.controller.stop()


def link_in(message, path: str) -> str:
    """The first link to `path` in a message's plain text."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    for word in text.split():
        if path in word:
            return word
    raise AssertionError(f"no link to {path} in:\n{text}")
