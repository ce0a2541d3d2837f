"""When the receiver recovers, backed-off rows become due at once instead of sitting out their own backoff
(issue #15, "Convergence under faults")."""

import time

import pytest

from sim.faults import middleware as faults
from tests.loop.helpers import Harness

# Long backoffs: a row that failed once waits 30-60 s; a probe after 0.2 s (then doubling) finds the recovery.
SLOW_RETRIES = {"PUSH_RETRY_BASE": 60.0, "PUSH_RETRY_CAP": 240.0, "PUSH_RECOVERY_INTERVAL": 0.2}


@pytest.fixture
def loop(tmp_path):
    harness = Harness(state_dir=str(tmp_path), settings=SLOW_RETRIES)
    yield harness
    harness.stop()


def test_rows_backed_off_during_an_outage_are_pushed_as_soon_as_the_receiver_answers(loop):
    loop.connect()
    faults.set_faults(loop.sdm_app, ["503@* /provisioning/*"])
    group = sorted(loop.directory.bound_group_ids(loop.app_id))[0]
    for n in range(5):
        user = loop.new_user(f"outage.{n}@example.com")
        loop.directory.change_membership(group, "add", user["_id"])
    # The first failures look like bad luck (the receiver answered everything so far) and retry soon; once
    # most recent pushes fail, the rows back off for real.
    deadline = time.monotonic() + 30
    while True:
        waits = [f["retry_in"] for f in loop.pusher.state.failing() if f["type"] == "user"]
        if len(waits) == 5 and min(waits) > 20:
            break
        assert time.monotonic() < deadline, loop.pusher.state.failing()
        time.sleep(0.05)
    own_backoff = min(waits)  # what the rows would sit out without a recovery
    faults.clear_faults(loop.sdm_app)
    status = loop.pusher.wait_idle(own_backoff - 10)
    assert status["idle"], status
    users, _ = loop.strongdm_state()
    assert {f"outage.{n}@example.com" for n in range(5)} <= set(users)
