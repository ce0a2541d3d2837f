"""Playing steps in-process (the Directory driver): each step's change, what reached StrongDM, refusals named."""

import pytest

from sim.scenario.engine import play
from sim.scenario.local import DirectoryDriver
from sim.scenario.observe import StrongDMView
from sim.scenario.steps import ScenarioError
from sim.scenario.steps import parse_scenario
from tests.scenario.helpers import endpoints_of


def run(loop, steps):
    driver = DirectoryDriver(loop.jc, loop.app_id)
    sdm = endpoints_of(loop)["strongdm"]
    view = StrongDMView(sdm["scim_base_url"], sdm["scim_token"])
    try:
        return play(parse_scenario({"steps": steps}), driver, observers=(view,))
    finally:
        view.close()


def a_member(loop, group_name: str, nth: int = 0) -> dict:
    directory = loop.jc.directory
    group = directory.find_group(group_name)
    users = [directory.get_user(u) for u in directory.member_ids(group["id"])]
    managers = {u.get("manager") for u in map(directory.get_user, directory.member_ids(
        directory.find_group("All Staff")["id"]))}
    return [u for u in users if u["state"] == "ACTIVATED" and u["_id"] not in managers][nth]


def test_a_hire_reaches_strongdm_in_its_groups(loop):
    segments = run(loop, [{"do": "hire", "username": "ada.l", "email": "ada@example.com", "firstname": "Ada",
                           "lastname": "Lovelace", "groups": ["All Staff"]}])
    changes = segments[0]["strongdm"]["changes"]
    assert changes["users_created"] == ["ada@example.com"]
    assert changes["members_added"] == ["All Staff: ada@example.com"]
    assert loop.jc.directory.find_user(username="ada.l")["displayname"] == "Ada Lovelace"


def test_a_transfer_moves_the_department_groups_and_the_title(loop):
    directory = loop.jc.directory
    users = DirectoryDriver(loop.jc, loop.app_id).users()
    departments = sorted({u["department"] for u in users if u.get("department") and directory.find_group(u["department"])})
    source, target = departments[0], departments[1]
    mover = a_member(loop, source)
    segments = run(loop, [{"do": "transfer", "user": mover["username"], "department": target, "jobTitle": "Analyst"}])
    changes = segments[0]["strongdm"]["changes"]
    assert changes["members_removed"] == [f"{source}: {mover['email']}"]
    assert changes["members_added"] == [f"{target}: {mover['email']}"]
    assert changes["users_updated"] and changes["users_updated"][0].startswith(mover["email"])
    assert directory.get_user(mover["_id"])["jobTitle"] == "Analyst"


def test_suspend_wait_reactivate_is_two_segments_and_both_reach_strongdm(loop):
    user = a_member(loop, "All Staff")
    segments = run(loop, [{"do": "suspend", "user": user["email"]}, {"wait": "converged"},
                          {"do": "reactivate", "user": user["employeeIdentifier"]}])
    assert [s["steps"][0]["do"] for s in segments] == ["suspend", "reactivate"]
    assert segments[0]["strongdm"]["changes"]["users_suspended"] == [user["email"]]
    assert segments[1]["strongdm"]["changes"]["users_reactivated"] == [user["email"]]


def test_configure_then_delete_sends_a_delete_and_the_group_steps_follow(loop):
    user = a_member(loop, "All Staff")
    segments = run(loop, [
        {"do": "configure", "delete_mode": "delete"},
        {"do": "delete", "user": user["username"]},
        {"do": "create-group", "name": "Guild", "members": [a_member(loop, "All Staff", 1)["username"]]},
        {"wait": "converged"},
        {"do": "rename-group", "group": "Guild", "name": "Guild of Makers"},
        {"wait": "converged"},
        {"do": "delete-group", "group": "Guild of Makers"},
    ])
    assert loop.jc.pusher.idm.get(loop.app_id)["delete_mode"] == "delete"
    assert segments[1]["strongdm"]["changes"]["users_deleted"] == [user["email"]]
    assert segments[1]["strongdm"]["changes"]["groups_created"] == ["Guild"]
    assert segments[2]["strongdm"]["changes"]["groups_renamed"] == ["Guild -> Guild of Makers"]
    assert segments[3]["strongdm"]["changes"]["groups_deleted"] == ["Guild of Makers"]


@pytest.mark.parametrize(("steps", "message"), [
    ([{"do": "suspend", "user": "nobody-here"}], "step 1 (suspend): user: no JumpCloud user 'nobody-here'"),
    ([{"do": "add-member", "group": "No Such Group", "user": "x"}],
     "step 1 (add-member): group: no JumpCloud user group named 'No Such Group'"),
    ([{"do": "hire", "username": "dup", "email": "dup@example.com"}, {"do": "hire", "username": "dup", "email": "d@e.x"}],
     "step 2 (hire): JumpCloud refused it: User already exists (username already in use)"),
])
def test_a_step_that_jumpcloud_refuses_stops_the_run_naming_the_step(loop, steps, message):
    with pytest.raises(ScenarioError) as caught:
        run(loop, steps)
    assert message in str(caught.value)
