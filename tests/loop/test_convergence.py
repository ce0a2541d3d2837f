"""The whole loop over real loopback HTTP: a seeded JumpCloud pushes to the mock StrongDM and converges."""

import pytest

from tests.loop.helpers import Flaky
from tests.loop.helpers import Harness

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture
def loop():
    harness = Harness()
    yield harness
    harness.stop()


@pytest.fixture
def connected(loop):
    loop.connect()
    return loop


def a_member(loop, *, only_group: bool = False) -> tuple[str, str]:
    """(user id, group id) of an ACTIVATED member of a bound group (the only group it is in, if asked)."""
    for group in loop.directory.groups_bound_to_app(loop.app_id):
        for user_id in group["members"]:
            user = loop.directory.get_user(user_id)
            if user["state"] != "ACTIVATED":
                continue
            if only_group and len(loop.directory.user_group_ids(user_id)) != 1:
                continue
            return user_id, group["id"]
    raise AssertionError("the seeded directory has no such member")


def sdm_user(loop, user_id):
    email = loop.directory.get_user(user_id)["email"]
    return loop.sdm.accounts.find_user_by_email(email)


def test_a_seeded_directory_converges_with_users_groups_and_attributes(connected):
    connected.assert_converged()
    active, groups = connected.expected()
    assert len(active) >= 5 and any(groups.values())
    user = next(iter(active.values()))
    pushed = connected.sdm.accounts.find_user_by_email(user["email"])["scim"]
    assert pushed["userName"] == user["email"] and pushed["externalId"] == user["_id"]
    assert pushed["title"] == user["jobTitle"] and pushed[ENTERPRISE] == {"department": user["department"]}
    assert pushed["locale"] == pushed["preferredLanguage"] == "en-US"


def test_staged_and_suspended_users_are_not_pushed(connected):
    users, _ = connected.strongdm_state()
    for user in connected.directory.users_bound_to_app(connected.app_id):
        if user["state"] != "ACTIVATED":
            assert user["email"].lower() not in users


def edit_attributes(loop):
    user_id, _ = a_member(loop)
    loop.directory.update_user(user_id, {"lastname": "Renamed", "jobTitle": "Chief Tester"})
    return lambda: sdm_user(loop, user_id)["last_name"] == "Renamed" and \
        sdm_user(loop, user_id)["scim"]["title"] == "Chief Tester"


def suspend(loop):
    user_id, _ = a_member(loop)
    loop.directory.set_user_state(user_id, "SUSPENDED")
    return lambda: sdm_user(loop, user_id)["suspended"]


def reactivate(loop):
    user_id, _ = a_member(loop)
    loop.directory.set_user_state(user_id, "SUSPENDED")
    loop.wait()
    assert sdm_user(loop, user_id)["suspended"]
    loop.directory.set_user_state(user_id, "ACTIVATED")
    return lambda: not sdm_user(loop, user_id)["suspended"]


def unbind_user(loop):
    user = loop.new_user("direct.binding@example.com")
    loop.directory.change_binding(loop.app_id, "add", "user", user["_id"])
    loop.wait()
    assert not sdm_user(loop, user["_id"])["suspended"]
    loop.directory.change_binding(loop.app_id, "remove", "user", user["_id"])
    return lambda: sdm_user(loop, user["_id"])["suspended"]


def unbind_group(loop):
    user = loop.new_user("contractor@example.com")
    group = loop.directory.create_group({"name": "Contractors"})
    loop.directory.change_membership(group["id"], "add", user["_id"])
    loop.directory.change_binding(loop.app_id, "add", "user_group", group["id"])
    loop.wait()
    assert loop.sdm.accounts.find_role_by_name("Contractors") is not None
    loop.directory.change_binding(loop.app_id, "remove", "user_group", group["id"])
    # The group stays in the app as-is; its member without another managed group is deactivated.
    return lambda: sdm_user(loop, user["_id"])["suspended"] and \
        loop.sdm.accounts.find_role_by_name("Contractors") is not None


def remove_from_group(loop):
    user_id, group_id = a_member(loop)
    name = loop.directory.get_group(group_id)["name"]
    loop.directory.change_membership(group_id, "remove", user_id)
    email = loop.directory.get_user(user_id)["email"].lower()
    return lambda: email not in loop.strongdm_state()[1][name]


def add_to_group(loop):
    user = loop.new_user("joiner@example.com")
    group_id = loop.directory.bound_ids(loop.app_id, "user_group")[0]
    loop.directory.change_membership(group_id, "add", user["_id"])
    name = loop.directory.get_group(group_id)["name"]
    return lambda: "joiner@example.com" in loop.strongdm_state()[1][name]


def rename_group(loop):
    _, group_id = a_member(loop)
    old = loop.directory.get_group(group_id)
    loop.directory.replace_group(group_id, {**{k: old[k] for k in ("description",) if k in old}, "name": "Renamed Crew"})
    return lambda: "Renamed Crew" in loop.strongdm_state()[1] and old["name"] not in loop.strongdm_state()[1]


def delete_group(loop):
    user = loop.new_user("solo@example.com")
    group = loop.directory.create_group({"name": "Doomed"})
    loop.directory.change_membership(group["id"], "add", user["_id"])
    loop.directory.change_binding(loop.app_id, "add", "user_group", group["id"])
    loop.wait()
    assert loop.sdm.accounts.find_role_by_name("Doomed") is not None
    loop.directory.delete_group(group["id"])
    return lambda: loop.sdm.accounts.find_role_by_name("Doomed") is None and sdm_user(loop, user["_id"])["suspended"]


def delete_user(loop):
    user_id, _ = a_member(loop)
    email = loop.directory.get_user(user_id)["email"]
    loop.directory.delete_user(user_id, cascade_manager=True)
    return lambda: loop.sdm.accounts.find_user_by_email(email)["suspended"]


def stage_then_activate(loop):
    user = loop.new_user("staged@example.com", state="STAGED")
    group_id = loop.directory.bound_ids(loop.app_id, "user_group")[0]
    loop.directory.change_membership(group_id, "add", user["_id"])
    loop.wait()
    assert loop.sdm.accounts.find_user_by_email("staged@example.com") is None
    loop.directory.set_user_state(user["_id"], "ACTIVATED")
    return lambda: not loop.sdm.accounts.find_user_by_email("staged@example.com")["suspended"]


@pytest.mark.parametrize("change", [
    edit_attributes, suspend, reactivate, unbind_user, unbind_group, remove_from_group, add_to_group,
    rename_group, delete_group, delete_user, stage_then_activate,
], ids=lambda f: f.__name__)
def test_each_directory_change_propagates_to_strongdm(connected, change):
    check = change(connected)
    connected.wait()
    assert check()
    connected.assert_converged()


def test_deleting_a_user_sends_delete_when_the_app_is_set_to_delete(loop):
    loop.connect(delete_mode="delete")
    user_id, _ = a_member(loop)
    email = loop.directory.get_user(user_id)["email"]
    loop.directory.delete_user(user_id, cascade_manager=True)
    loop.wait()
    assert loop.sdm.accounts.find_user_by_email(email) is None
    assert loop.events("user_delete_provision")[-1]["success"] is True


def test_per_attribute_patch_mode_converges_too(loop):
    loop.connect(update_method="PATCH")
    edited = edit_attributes(loop)
    loop.wait()
    assert edited()
    assert loop.events("user_update_provision")[-1]["provisioning"]["method"] == "PATCH"
    suspended = suspend(loop)
    loop.wait()
    assert suspended()
    assert loop.events("user_deprovision")[-1]["provisioning"]["method"] == "PATCH"
    loop.assert_converged()


def test_an_edit_coalesced_with_a_suspension_still_reaches_the_receiver_in_patch_mode(loop):
    loop.connect(update_method="PATCH")
    loop.pusher.stop()  # hold the worker so both changes land in one queue row
    user_id, _ = a_member(loop)
    loop.directory.update_user(user_id, {"lastname": "Coalesced"})
    loop.directory.set_user_state(user_id, "SUSPENDED")
    loop.pusher.start()
    loop.wait()
    assert sdm_user(loop, user_id)["suspended"] and sdm_user(loop, user_id)["last_name"] == "Coalesced"


def test_a_receiver_failing_a_third_of_requests_still_ends_converged():
    flaky = {}

    def wrap(app):
        flaky["mw"] = Flaky(app, rate=0.3, seed=3)
        return flaky["mw"]

    harness = Harness(users=20, wrap=wrap)
    try:
        harness.bind_all_groups()
        harness.pusher.configure(harness.app_id, base_url=harness.base_url, token="loop-test-token-0123456789abcdef",
                                 test_user_email="scim-test@example.com")
        flaky["mw"].rate = 0.0  # the connection test runs clean; the sync does not
        harness.pusher.activate(harness.app_id)
        flaky["mw"].rate = 0.3
        harness.wait(30)
        for change in (edit_attributes, suspend, rename_group, add_to_group):
            change(harness)
        status = harness.wait(30)
        assert status["failing"] == [] or all(f["retrying"] for f in status["failing"])
        harness.assert_converged()
        assert all(flaky["mw"].injected.values()), flaky["mw"].injected
        failed = [e for e in harness.events() if e["event_type"].endswith("_provision") and not e["success"]]
        assert failed and all(e["error"]["status"] in (409, 429, 502, 503, 404) for e in failed)
    finally:
        harness.stop()
