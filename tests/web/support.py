"""Helpers for web tests: signing in as a user of the scenario world."""

from __future__ import annotations

from flask.testing import FlaskClient

from vetting.models import User
from vetting.scenarios import DEFAULT_PASSWORD


def login(client: FlaskClient, user: User, password: str = DEFAULT_PASSWORD) -> None:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, f"login failed for {user.email}"


def logout(client: FlaskClient) -> None:
    client.post("/logout")
