"""Shared by the API tests: tokens made through the service, requests with them."""

from assessor.api import tokens
from tests.fixtures import TODAY


def token_for(dbs, user, name="测试系统") -> str:
    _token, secret = tokens.issue(dbs, user, user, name=name, expires_on=None, today=TODAY)
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


class Api:
    """A test client that sends one token with every request."""

    def __init__(self, app, secret: str):
        self.client, self.headers = app.test_client(), bearer(secret)

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url, **kwargs):
        return self.client.post(url, headers=self.headers, **kwargs)

    def put(self, url, **kwargs):
        return self.client.put(url, headers=self.headers, **kwargs)
