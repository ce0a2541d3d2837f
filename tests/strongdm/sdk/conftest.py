"""Fixtures and helpers for the SDK API tests: an app, an API key, a loopback gRPC port, an SDK client, SCIM data."""

import json
from pathlib import Path

import pytest

strongdm = pytest.importorskip("strongdm")

from sim.store import Store  # noqa: E402
from sim.strongdm import create_app  # noqa: E402
from sim.strongdm.api_keys import ApiKeys  # noqa: E402
from sim.strongdm.sdk.servicers import start_grpc  # noqa: E402

__all__ = ["app", "sdm", "scim", "api_keys", "key", "port", "client", "provisioned"]  # `import *` takes the fixtures only

TOKEN = "grpc-test-token-0123456789"
BASE = "/provisioning/generic/v2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DATA = Path(__file__).parent / "data"
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"


@pytest.fixture
def app():
    store = Store(None)
    yield create_app(store, token=TOKEN)
    store.close()


@pytest.fixture
def sdm(app):
    return app.extensions["strongdm"]


@pytest.fixture
def scim(app):
    return app.test_client()


@pytest.fixture
def api_keys(sdm):
    return ApiKeys(sdm.store, sdm.activities)


@pytest.fixture
def key(api_keys):
    return api_keys.create_api_key("tests")


@pytest.fixture
def port(sdm, api_keys):
    server, bound = start_grpc(sdm, "127.0.0.1", 0, api_keys=api_keys)
    yield bound
    server.stop(0).wait()


def make_client(port, key, secret=None, **options):
    return strongdm.Client(key["access_key"], secret or key["secret"], host=f"127.0.0.1:{port}", insecure=True,
                           retry_rate_limit_errors=False, **options)


@pytest.fixture
def client(port, key):
    client = make_client(port, key)
    yield client
    client.close()


def provision_user(scim, email, given="Ada", family="Lovelace", active=True, **extra):
    response = scim.post(f"{BASE}/Users", headers=AUTH, json={
        "schemas": [USER_URN], "userName": email, "name": {"givenName": given, "familyName": family},
        "active": active, **extra})
    assert response.status_code == 201, response.json
    return response.json


def provision_group(scim, name, member_ids=()):
    response = scim.post(f"{BASE}/Groups", headers=AUTH, json={
        "schemas": [GROUP_URN], "displayName": name, "members": [{"value": m} for m in member_ids]})
    assert response.status_code == 201, response.json
    return response.json


def native_user(client, email="native@example.test", first="Nat", last="Ive", **extra):
    return client.accounts.create(strongdm.User(email=email, first_name=first, last_name=last, **extra)).account


@pytest.fixture
def provisioned(scim):
    """Three SCIM users (one suspended, one from JumpCloud's real payload) and two groups."""
    ada = provision_user(scim, "ada@example.test")
    grace = provision_user(scim, "grace@example.test", "Grace", "Hopper", active=False)
    jumpcloud = json.loads((DATA / "jumpcloud_create_user.json").read_text())
    jc = scim.post(f"{BASE}/Users", headers=AUTH, json=jumpcloud).json
    engineering = provision_group(scim, "Engineering", [ada["id"], jc["id"]])
    ops = provision_group(scim, "Ops", [grace["id"]])
    return {"ada": ada, "grace": grace, "jc": jc, "engineering": engineering, "ops": ops}
