"""Mail about an account (a reset link, a registration to confirm, a notice to an owner), sent
to an address that may belong to no user yet, through the notifications' mail function."""

from __future__ import annotations

from types import SimpleNamespace

from .. import notifications


def send(address: str, zh: str, en: str) -> None:
    notifications._mail([SimpleNamespace(email=address)], zh, en)
