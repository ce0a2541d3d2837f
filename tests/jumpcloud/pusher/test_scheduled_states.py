"""A scheduled suspension through the real loop: when its time comes the user is suspended by the scheduler,
and the pusher deprovisions the StrongDM account."""

import datetime as dt
import time

import pytest
import requests

from tests.loop.helpers import Harness


@pytest.fixture
def loop():
    harness = Harness()
    yield harness
    harness.stop()


def eventually(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the timeout"
        time.sleep(0.05)


def test_a_scheduled_suspension_reaches_strongdm(loop):
    loop.connect()
    user = next(u for u in loop.directory.users_bound_to_app(loop.app_id) if u["state"] == "ACTIVATED")
    email = user["email"].lower()
    assert not loop.strongdm_state()[0][email]["suspended"]
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    response = requests.post(loop.jc_server.url + "/api/v2/bulk/userstates", timeout=10,
                             headers={"x-api-key": loop.api_key},
                             json={"user_ids": [user["_id"]], "state": "SUSPENDED", "start_date": start})
    assert response.status_code == 201
    eventually(lambda: loop.directory.get_user(user["_id"])["state"] == "SUSPENDED")
    loop.wait()
    assert loop.strongdm_state()[0][email]["suspended"]
    loop.assert_converged()
