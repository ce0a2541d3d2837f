"""A create whose answer is lost is "maybe created": a user that must then not exist or be active is looked up
and deprovisioned, and the pusher is never idle while that question is open (issue #15, item 1)."""

import time

import pytest

from sim.faults import middleware as faults
from tests.loop.helpers import Harness

LOST_CREATE = "500:1:after@POST /provisioning/*"


@pytest.fixture
def loop(tmp_path):
    # Retries wait a second or two, so the user is offboarded before a retry can take the account over.
    harness = Harness(state_dir=str(tmp_path), settings={"PUSH_RETRY_BASE": 1.0, "PUSH_RETRY_CAP": 2.0})
    yield harness
    harness.stop()


def first_group(loop) -> str:
    return sorted(loop.directory.bound_group_ids(loop.app_id))[0]


def lose_a_create(loop, email: str) -> dict:
    """A new member of a bound group whose POST /Users StrongDM applies while the answer is lost."""
    loop.connect()
    faults.set_faults(loop.sdm_app, [LOST_CREATE])
    user = loop.new_user(email)
    loop.directory.change_membership(first_group(loop), "add", user["_id"])
    wait_for(lambda: any(not e["success"] for e in loop.events("user_create_provision")))
    assert loop.sdm.accounts.find_user_by_email(email)["suspended"] is False  # applied, answer lost
    return user


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        time.sleep(0.05)


def strongdm_account(loop, email: str) -> dict | None:
    return loop.sdm.accounts.find_user_by_email(email)


@pytest.mark.parametrize("offboard", ["suspend", "delete", "unbind"])
def test_a_user_offboarded_after_a_lost_create_is_deprovisioned_in_strongdm(loop, offboard):
    email = f"lost.{offboard}@example.com"
    user = lose_a_create(loop, email)
    if offboard == "suspend":
        loop.directory.set_user_state(user["_id"], "SUSPENDED")
    elif offboard == "delete":
        loop.directory.delete_user(user["_id"])
    else:
        loop.directory.change_membership(first_group(loop), "remove", user["_id"])
    faults.clear_faults(loop.sdm_app)
    loop.wait()
    account = strongdm_account(loop, email)
    assert account is not None and account["suspended"], account


def test_the_pusher_is_not_idle_while_a_lost_create_cannot_be_checked(loop):
    user = lose_a_create(loop, "lost.open@example.com")
    faults.set_faults(loop.sdm_app, ["503@* /provisioning/*"])  # the lookup cannot be answered
    loop.directory.set_user_state(user["_id"], "SUSPENDED")
    status = loop.pusher.wait_idle(1.0)
    assert not status["idle"], status
    faults.clear_faults(loop.sdm_app)
    loop.wait()
    assert strongdm_account(loop, "lost.open@example.com")["suspended"]


def test_a_full_reconcile_looks_up_a_once_bound_user_that_has_no_record(loop):
    """The record of the lost create is gone (as after a crash mid-POST): only the reconcile's lookup finds it."""
    user = lose_a_create(loop, "lost.crash@example.com")
    loop.pusher.stop()
    with loop.jc.store.write() as db:
        db.execute("DELETE FROM idm_unresolved")  # what a SIGKILL between the POST and its answer leaves
        db.execute("DELETE FROM idm_queue")
    loop.directory.set_user_state(user["_id"], "SUSPENDED")
    faults.clear_faults(loop.sdm_app)
    loop.pusher.start()
    loop.wait()
    assert not strongdm_account(loop, "lost.crash@example.com")["suspended"]  # nothing knew to ask
    loop.pusher.reconcile()
    loop.wait()
    assert strongdm_account(loop, "lost.crash@example.com")["suspended"]


def test_a_lost_create_of_a_user_still_wanted_is_taken_over_once(loop):
    user = lose_a_create(loop, "lost.kept@example.com")
    faults.clear_faults(loop.sdm_app)
    loop.wait()
    accounts = [u for u in loop.sdm.accounts.all_users() if u["email"] == "lost.kept@example.com"]
    assert len(accounts) == 1 and not accounts[0]["suspended"]
    assert accounts[0]["external_id"] == user["_id"]


def test_a_create_refused_outright_closes_the_question_so_a_reconcile_still_ends_idle(loop):
    loop.connect()
    refused = loop.new_user("no.surname@example.com", lastname="")  # StrongDM requires name.familyName: a 400
    loop.directory.change_membership(first_group(loop), "add", refused["_id"])
    loop.wait()
    loop.pusher.reconcile()  # asks about every once-bound user without a record, this one included
    status = loop.wait()
    assert status["unresolved"] == 0
    assert [f["status"] for f in status["failing"] if f["id"] == refused["_id"]] == [400]
