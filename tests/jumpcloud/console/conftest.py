"""Fixtures for the JumpCloud Console tests: a seeded app per test, a signed-in admin, a live StrongDM."""

import shutil

import pytest

from sim.jumpcloud import create_app
from sim.jumpcloud.state import seed_if_empty
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app as create_strongdm
from tests.jumpcloud.console.helpers import FAST
from tests.jumpcloud.console.helpers import PASSWORD
from tests.jumpcloud.console.helpers import TOKEN
from tests.jumpcloud.console.helpers import login


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One seeded state file per module (Faker and password hashing are slow); each test gets a copy."""
    path = tmp_path_factory.mktemp("seeded") / "jumpcloud.sqlite3"
    store = Store(path, synchronous="OFF")
    email = seed_if_empty(create_app(store, settings=FAST).extensions["jumpcloud"], seed=3, users=60, groups=4,
                          admin_password=PASSWORD)["admin"]["email"]
    store.close()
    return path, email


@pytest.fixture
def store(seeded, tmp_path):
    path = tmp_path / "jumpcloud.sqlite3"
    shutil.copyfile(seeded[0], path)
    store = Store(path, synchronous="OFF")
    yield store
    store.close()


@pytest.fixture
def app(store, seeded):
    app = create_app(store, settings=FAST)
    app.config["EMAIL"] = seeded[1]
    yield app
    app.extensions["jumpcloud"].pusher.stop()


@pytest.fixture
def jc(app):
    return app.extensions["jumpcloud"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(app, client):
    assert login(client, app.config["EMAIL"], PASSWORD).status_code == 302
    return client


@pytest.fixture
def strongdm():
    """A live StrongDM receiver on a loopback port, SCIM active with TOKEN."""
    store = Store(None, synchronous="OFF")
    server = ServerThread(create_strongdm(store, token=TOKEN)).start()
    yield server
    server.stop()
    store.close()
