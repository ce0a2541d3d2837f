"""The pytest plugin, tested the way plugins are: pytester runs small test files that use its fixtures."""

import importlib.metadata

pytest_plugins = ["pytester"]

# The README's example, verbatim: a directory change made through JumpCloud's API reaches StrongDM.
README_EXAMPLE = '''
import pytest


@pytest.mark.sim(users=8, groups=2, seed=3)
def test_a_new_member_of_a_bound_group_reaches_strongdm(provisioning_loop):
    loop = provisioning_loop
    created = loop.api("POST", "/api/systemusers", json={
        "username": "ada.lovelace", "email": "ada.lovelace@example.com",
        "firstname": "Ada", "lastname": "Lovelace"}).json()
    group = loop.api("GET", "/api/v2/usergroups", params={"filter": "name:eq:All Staff"}).json()[0]
    response = loop.api("POST", f"/api/v2/usergroups/{group['id']}/members",
                        json={"op": "add", "type": "user", "id": created["_id"]})
    assert response.status_code == 204

    loop.wait_idle(timeout=30)

    emails = {user["email"] for user in loop.strongdm_users()}
    assert "ada.lovelace@example.com" in emails
    groups = {group["name"]: group["members"] for group in loop.strongdm_groups()}
    assert "ada.lovelace@example.com" in groups["All Staff"]
'''


def test_the_plugin_is_registered_through_the_pytest11_entry_point():
    points = {e.name: e.value for e in importlib.metadata.entry_points(group="pytest11")}
    assert points.get("jumpcloud_strongdm_sim") == "sim.testing"


def test_help_lists_the_size_options(pytester):
    help_text = pytester.runpytest("--help").stdout.str()  # in-process: --help starts no app
    for option in ("--sim-seed", "--sim-users", "--sim-groups", "--sim-org-model"):
        assert option in help_text


def test_the_readme_example_passes(pytester, monkeypatch):
    monkeypatch.delenv("SIM_STRONGDM_ORG_MODEL")  # the example runs as a user's suite would: in the default model
    pytester.makepyfile(test_example=README_EXAMPLE)
    pytester.runpytest_subprocess("--strict-markers").assert_outcomes(passed=1)


def test_standalone_servers_take_sizes_from_the_options_the_marker_overrides_them_and_a_bad_marker_is_an_error(pytester):
    pytester.makepyfile(test_servers='''
import pytest


def test_sizes_from_options(jumpcloud_server):
    body = jumpcloud_server.api("GET", "/api/systemusers", params={"limit": 1}).json()
    assert body["totalCount"] == 6
    assert len(jumpcloud_server.api("GET", "/api/v2/usergroups").json()) == 2
    assert jumpcloud_server.api("GET", "/api/systemusers", headers={"x-api-key": "wrong"}).status_code == 401


@pytest.mark.sim(users=4)
def test_marker_wins(jumpcloud_server):
    assert jumpcloud_server.api("GET", "/api/systemusers").json()["totalCount"] == 4


def test_receiver_with_token(strongdm_server):
    assert strongdm_server.url.startswith("http://127.0.0.1:")
    assert strongdm_server.scim_base_url == strongdm_server.url + "/provisioning/generic/v2"
    created = strongdm_server.scim("POST", "/Users", json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "grace@example.com",
        "name": {"givenName": "Grace", "familyName": "Hopper"}, "active": True})
    assert created.status_code == 201, created.text
    assert [u["email"] for u in strongdm_server.users()] == ["grace@example.com"]
    assert strongdm_server.scim("GET", "/Users", headers={"Authorization": "Bearer nope"}).status_code == 401


@pytest.mark.sim(settings={"SCIM_MAX_COUNT": 1})
def test_marker_settings_reach_the_app(strongdm_server):
    for name in ("a", "b"):
        strongdm_server.scim("POST", "/Users", json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"{name}@example.com",
            "name": {"givenName": name, "familyName": "B"}})
    page = strongdm_server.scim("GET", "/Users", params={"count": 5}).json()
    assert page["totalResults"] == len(strongdm_server.users(managed=False)) == 3  # with the Admin UI's admin
    assert page["itemsPerPage"] == 1


@pytest.mark.sim(user=3)
def test_typo_in_the_marker(jumpcloud_server):
    pass
''')
    result = pytester.runpytest_subprocess("--strict-markers", "--sim-users", "6", "--sim-groups", "2")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["*unknown sim marker arguments: user*"])


def test_faults_on_the_receiver_hold_pushes_back_until_cleared(pytester):
    pytester.makepyfile(test_faults='''
import time

import pytest


@pytest.mark.sim(users=6, groups=2)
def test_outage_then_recovery(provisioning_loop):
    loop = provisioning_loop
    before = len(loop.strongdm_users())
    loop.set_faults(["503@* /provisioning/*"])
    group = loop.api("GET", "/api/v2/usergroups", params={"filter": "name:eq:All Staff"}).json()[0]
    created = loop.api("POST", "/api/systemusers", json={
        "username": "held.back", "email": "held.back@example.com", "firstname": "Held", "lastname": "Back"}).json()
    loop.api("POST", f"/api/v2/usergroups/{group['id']}/members", json={"op": "add", "type": "user", "id": created["_id"]})
    deadline = time.monotonic() + 20
    while not loop.pusher.status()["failing"]:  # the push has met the outage
        assert time.monotonic() < deadline, "the pusher never reached the receiver"
        time.sleep(0.05)
    assert loop.pusher.status()["idle"] is False
    assert len(loop.strongdm_users()) == before
    loop.clear_faults()
    loop.wait_idle(30)
    assert "held.back@example.com" in {u["email"] for u in loop.strongdm_users()}


@pytest.mark.sim(users=6, groups=2)
def test_wait_idle_fails_the_test_when_the_loop_never_settles(provisioning_loop):
    provisioning_loop.set_faults(["503@* /provisioning/*"])
    provisioning_loop.reconcile()
    provisioning_loop.wait_idle(0.5)
''')
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*the provisioning loop was not idle after 0.5s*"])




def test_loops_of_one_size_are_copies_of_one_synced_snapshot_on_fresh_ports_and_isolated(pytester):
    """Each distinct loop is built and synced once per session; every test gets a copy of both stores on its own
    ports, and what one test changes no other test sees."""
    pytester.makepyfile(test_snapshots='''
import pytest

SEEN = []


def add_member(loop, username):
    group = loop.api("GET", "/api/v2/usergroups", params={"filter": "name:eq:All Staff"}).json()[0]
    created = loop.api("POST", "/api/systemusers", json={
        "username": username, "email": f"{username}@example.com", "firstname": "A", "lastname": "B"}).json()
    loop.api("POST", f"/api/v2/usergroups/{group['id']}/members",
             json={"op": "add", "type": "user", "id": created["_id"]})
    loop.wait_idle(30)


@pytest.mark.sim(users=6, groups=2)
@pytest.mark.parametrize("n", [0, 1])
def test_copy(provisioning_loop, n):
    loop = provisioning_loop
    SEEN.append((loop.template, loop.state_dir, loop.strongdm.url, loop.jumpcloud.url,
                 len(loop.strongdm_users())))
    assert "copy.0@example.com" not in {u["email"] for u in loop.strongdm_users()}
    add_member(loop, f"copy.{n}")  # pushes reach this copy's receiver, on its own port
    assert f"copy.{n}@example.com" in {u["email"] for u in loop.strongdm_users()}
    assert loop.endpoints["strongdm"]["scim_base_url"] == loop.strongdm.scim_base_url


def test_one_template_many_copies():
    (template_a, dir_a, sdm_a, jc_a, users_a), (template_b, dir_b, sdm_b, jc_b, users_b) = SEEN
    assert template_a == template_b and template_a is not None
    assert dir_a != dir_b and sdm_a != sdm_b and jc_a != jc_b
    assert users_a == users_b > 0
''')
    pytester.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=3)
def test_the_org_model_comes_from_the_marker(pytester):
    pytester.makepyfile(test_models='''
import pytest


@pytest.mark.sim(users=6, groups=2, seed=3, org_model="groups")
def test_groups(provisioning_loop):
    assert provisioning_loop.strongdm.state.org_model == "groups"
    assert provisioning_loop.strongdm_groups() and not provisioning_loop.strongdm_roles()


@pytest.mark.sim(org_model="roles")
def test_roles(strongdm_server):
    assert strongdm_server.state.org_model == "roles"
''')
    pytester.runpytest_subprocess("--strict-markers").assert_outcomes(passed=2)
