"""Fixtures and helpers for the StrongDM Admin UI tests: an app with an admin and an auditor, CSRF-aware posts."""

import re

import pytest

from sim.store import Store
from sim.strongdm import create_app

__all__ = ["store", "app", "sdm", "client", "admin"]  # `import *` takes the fixtures only

ADMIN = ("admin@strongdm.test", "correct horse battery")
AUDITOR = ("auditor@strongdm.test", "auditor password 1")
SCIM = "/provisioning/generic/v2"
PROVISIONING = "/settings/user-management/provisioning"
API_KEYS = "/settings/api-keys"
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: scrypt costs ~0.15 s a hash


@pytest.fixture
def store():
    store = Store(None, synchronous="OFF")
    yield store
    store.close()


@pytest.fixture
def app(store):
    app = create_app(store, settings=FAST)
    sdm = app.extensions["strongdm"]
    sdm.ensure_admin(*ADMIN)
    auditor = sdm.accounts.create_user({"email": AUDITOR[0], "first_name": "Audra", "last_name": "Tor",
                                        "permission_level": "auditor"})
    sdm.org.set_password(auditor["id"], AUDITOR[1])
    return app


@pytest.fixture
def sdm(app):
    return app.extensions["strongdm"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(client):
    login(client, *ADMIN)
    return client


def csrf(client, path="/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client, email, password, path="/login"):
    return client.post(path, data={"email": email, "password": password, "csrf_token": csrf(client)})


def post(client, path, data=None, form_page="/users"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, form_page)})


def activate(client, provider="generic") -> str:
    page = post(client, f"{PROVISIONING}/activate", {"provider": provider}, PROVISIONING)
    assert page.status_code == 200
    return re.search(r'id="scim-token" value="([^"]+)"', page.text).group(1)


def scim_user(client, token, email="prov@example.test"):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": "Pro", "familyName": "Visioned"}, "active": True}
    response = client.post(f"{SCIM}/Users", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.json
    return response.json
