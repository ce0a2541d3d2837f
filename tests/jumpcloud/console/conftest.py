"""Fixtures and helpers for the JumpCloud Console tests: a seeded app per test, a signed-in admin, a live StrongDM."""

import re
import shutil

import pytest

from sim.jumpcloud import create_app
from sim.jumpcloud.directory import query as q
from sim.jumpcloud.state import seed_if_empty
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app as create_strongdm

__all__ = ["seeded", "store", "app", "jc", "client", "admin", "strongdm"]  # `import *` takes the fixtures only

PASSWORD = "console password 1"
TOKEN = "console-test-token-0123456789"
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: scrypt costs ~0.15 s a hash


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


def csrf(client, path="/login") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client, email, password):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf(client)})


def post(client, path, data=None, form_page="/users"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, form_page)})


def first_user(jc) -> dict:
    return jc.directory.list_users(q.Query(limit=1, order=[("username", False)]))[1][0]


def first_group(jc) -> dict:
    return jc.directory.list_groups(q.Query(limit=1))[0]


def new_strongdm_app(admin, jc, label="StrongDM") -> str:
    response = post(admin, "/sso/new/strongdm", {"displayLabel": label}, "/sso/new/strongdm?configure=1")
    return re.search(r"/sso/([0-9a-f]{24})/general", response.location).group(1)
