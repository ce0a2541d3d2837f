"""Fixtures for the StrongDM Admin UI tests: an app with an admin and an auditor, a signed-in admin client."""

import pytest

from sim.store import Store
from sim.strongdm import create_app
from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import AUDITOR
from tests.strongdm.admin.helpers import FAST
from tests.strongdm.admin.helpers import login


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
