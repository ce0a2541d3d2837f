"""Fixtures for the StrongDM SCIM receiver tests: an app with Generic SCIM active, and its test client."""

import pytest

from sim.store import Store
from sim.strongdm import create_app
from tests.strongdm.receiver.helpers import TOKEN


@pytest.fixture
def app():
    store = Store(None, synchronous="OFF")
    yield create_app(store, token=TOKEN)
    store.close()


@pytest.fixture
def client(app):
    return app.test_client()
