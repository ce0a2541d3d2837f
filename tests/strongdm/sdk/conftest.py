"""Fixtures for the SDK API tests: an app, an API key, a loopback gRPC port, an SDK client, SCIM data.

The gRPC server needs the optional `strongdm` SDK (its protobufs), so only the fixtures that serve it import it:
the tests here that need no SDK (signatures, filters, paging) still run without it.
"""

import json

import pytest

from sim.store import Store
from sim.strongdm import create_app
from sim.strongdm.api_keys import ApiKeys
from tests.paths import DATA
from tests.strongdm.sdk.helpers import AUTH
from tests.strongdm.sdk.helpers import BASE
from tests.strongdm.sdk.helpers import TOKEN
from tests.strongdm.sdk.helpers import make_client
from tests.strongdm.sdk.helpers import provision_group
from tests.strongdm.sdk.helpers import provision_user


@pytest.fixture
def app():
    store = Store(None, synchronous="OFF")
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
    pytest.importorskip("strongdm")
    from sim.strongdm.sdk.servicers import start_grpc  # needs the SDK's protobufs (see the module docstring)

    server, bound = start_grpc(sdm, "127.0.0.1", 0, api_keys=api_keys)
    yield bound
    server.stop(0).wait()


@pytest.fixture
def client(port, key):
    client = make_client(port, key)
    yield client
    client.close()


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
