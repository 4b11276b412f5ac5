"""The development mail server: `flask mail dev-server`, started by `make run`, keeps every message it is sent.

An SMTP server on the loopback interface (aiosmtpd), port `DEV_MAIL_PORT`, that accepts any message
and writes it, as it arrived, to `<instance>/dev-mail/<time>.eml`; `dev_inbox` reads that folder
for the `/dev/mail` page. So a newcomer running `make run` sees every mail the service sends
(the scheduler's sender delivers to it) without an account anywhere. Never for production: it
relays nothing, authenticates nobody and keeps everything.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

FOLDER = "dev-mail"


def mail_folder(instance_path: str) -> Path:
    """Where the development server keeps messages (created, private to this user)."""
    folder = Path(instance_path) / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class KeepingHandler:
    """aiosmtpd's handler: every message becomes one `.eml` file, named so names sort by arrival."""

    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_DATA(self, _server, _session, envelope):
        name = f"{time.time_ns():020d}.eml"
        path = self.folder / (name + ".part")
        path.write_bytes(envelope.original_content or envelope.content)
        os.replace(path, self.folder / name)  # the page never reads half a message
        return "250 Message kept"


def serve(instance_path: str, port: int, host: str = "127.0.0.1") -> None:
    """Run until SIGINT or SIGTERM."""
    controller = Controller(KeepingHandler(mail_folder(instance_path)), hostname=host, port=port)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    controller.start()
    print(f"development mail server on {host}:{port}, keeping messages in {mail_folder(instance_path)}", flush=True)
    try:
        stopped.wait()
    finally:
        controller.stop()
