"""Fixtures of the web tests: a local SMTP server that keeps what it is sent."""

import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    """(inbox, port): an SMTP server on a free local port; inbox.messages holds what came."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()
