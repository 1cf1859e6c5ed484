"""Signing each role in for the fuzzer (putting back an account the fuzz locked) and making its
API tokens."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit


def signer(app, users: dict[str, tuple[int, str]], password: str) -> Callable:
    """sign_in(role) for RouteFuzzer: a fresh client signed in as users[role] (id, e-mail), from
    an address of its own (sign-in throttling is per address). An account the fuzz itself
    locked (a changed password, deactivated by the admin) is put back first."""
    addresses = iter(range(1, 10**6))

    def sign_in(role):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10." + ".".join(map(str, next(addresses).to_bytes(3, "big")))
        if role is None:
            return client
        user_id, email = users[role]
        for _attempt in range(2):
            response = client.post("/login", data={"email": email, "password": password})
            if response.status_code == 302 and not urlsplit(
                    response.headers["Location"]).path.startswith("/login"):
                return client
            _repair(app, user_id, email, password)
        raise AssertionError(f"cannot sign in as {role}: {response.status_code}")

    return sign_in


def _repair(app, user_id: int, email: str, password: str) -> None:
    from assessor.accounts import services as accounts
    from assessor.accounts import throttle
    from assessor.accounts.models import User
    from assessor.platform import db

    with app.app_context():
        session = db.session()
        user = session.get(User, user_id)
        user.active, user.password_hash = True, accounts.hash_password(password)
        session.add(user)
        session.commit()
        throttle.clear(session, email)


def token_maker(app, user_ids: dict[str, int]) -> Callable:
    """token_for(role) for RouteFuzzer: a new API token for users[role]."""
    from datetime import date

    from assessor.accounts.models import User
    from assessor.api import tokens
    from assessor.platform import db

    def token_for(role) -> str:
        with app.app_context():
            session = db.session()
            user = session.get(User, user_ids[role])
            return tokens.issue(session, user, user, name="fuzz", expires_on=None,
                                today=date(2025, 1, 1))[1]

    return token_for
