"""Helpers for the fault tests: a StrongDM app with fault rules, a fake clock and sleep, a SCIM user body."""

from sim.faults import middleware as faults
from sim.store import Store
from sim.strongdm import create_app as create_strongdm

TOKEN = "fault-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
USERS = "/provisioning/generic/v2/Users"
NOW = 1_800_000_000.0


class FakeTime:
    """A clock the test moves, and a sleep that only records."""

    def __init__(self):
        self.now = NOW
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)


def strongdm_app(rules=(), seed=None, **settings):
    return create_strongdm(Store(None, synchronous="OFF"), token=TOKEN,
                           settings={"FAULTS": list(rules), **({"FAULT_SEED": seed} if seed is not None else {}),
                                     **settings})


def timed(rules, fake):
    """A StrongDM app whose faults use a fake clock and sleep (rules set after, so outages start at fake now)."""
    app = strongdm_app()
    state = app.extensions["faults"]
    state.clock, state.sleep = fake.clock, fake.sleep
    faults.set_faults(app, rules)
    return app


def user(email="ada@example.test"):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": "Ada", "familyName": "Lovelace"}}


def user_count(app):
    return app.extensions["strongdm"].accounts.count_users()
