"""Fixtures for the JumpCloud API tests: one loopback server per module, a fresh seeded app per test."""

import pytest
import requests

from sim.jumpcloud import create_app
from sim.serve import ServerThread
from sim.store import FixedClock
from sim.store import Store
from tests.jumpcloud.api.helpers import SettableClock


class Api:
    """A requests session against one server, with the API key set."""

    def __init__(self, url, key, jc):
        self.url, self.jc = url, jc
        self.http = requests.Session()
        self.http.headers["x-api-key"] = key

    def __getattr__(self, method):
        return lambda path, **kw: self.http.request(method.upper(), self.url + path, timeout=10, **kw)


@pytest.fixture(scope="module")
def server():
    """One loopback server per module; each test swaps in its own fresh app (server start/stop is slow)."""
    current = {}
    with ServerThread(lambda environ, start: current["app"](environ, start)) as srv:
        srv.current = current
        yield srv


@pytest.fixture
def api(tmp_path, generated, server):
    """A fresh app seeded with the module's `generated` directory, served by the module's server."""
    store = Store(tmp_path / "jc.sqlite3", clock=FixedClock(), id_salt="t", synchronous="OFF")
    app = create_app(store)
    jc = app.extensions["jumpcloud"]
    key = jc.seed(generated, {"email": "admin@example.com", "password": "pw"})
    server.current["app"] = app
    client = Api(server.url, key, jc)
    yield client
    client.http.close()
    store.close()


@pytest.fixture
def clock():
    """A clock the test moves by hand (see helpers.SettableClock)."""
    return SettableClock()


@pytest.fixture
def clocked_api(tmp_path, generated, server, clock):
    """Like `api`, over a store whose clock stands still until the test advances it."""
    store = Store(tmp_path / "jc.sqlite3", clock=clock, id_salt="t", synchronous="OFF")
    app = create_app(store)
    jc = app.extensions["jumpcloud"]
    key = jc.seed(generated, {"email": "admin@example.com", "password": "pw"})
    server.current["app"] = app
    client = Api(server.url, key, jc)
    yield client
    client.http.close()
    store.close()
