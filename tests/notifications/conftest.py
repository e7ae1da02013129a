"""Fixtures for the notification tests: the test templates, a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

TEMPLATE_DIR = Path(__file__).parent / "templates"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Mailbox:
    """What the SMTP server received: one parsed message per DATA command."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def with_subject(self, text: str) -> list[Message]:
        return [
            m
            for m in self.messages
            if text in str(email.header.make_header(email.header.decode_header(m["Subject"])))
        ]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mail_templates(settings: Any) -> None:
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATE_DIR]
    settings.TEMPLATES = templates


@pytest.fixture
def smtp_server(settings: Any, mail_templates: None) -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.TASKS = IMMEDIATE
    try:
        yield server
    finally:
        server.stop()
