"""The receiver in a `groups` org (created on or after 2 October 2025): SCIM Groups are StrongDM Groups.

The /Groups behaviour tests of test_groups.py run again here, against a groups-model app."""

import re

import pytest

from sim.store import Store
from sim.strongdm import create_app
from sim.strongdm.org import OrgModelError
from tests.strongdm.receiver import test_groups as roles_model
from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import GROUPS_MODEL
from tests.strongdm.receiver.helpers import TOKEN
from tests.strongdm.receiver.helpers import create_group
from tests.strongdm.receiver.helpers import create_user
from tests.strongdm.receiver.helpers import group_state
from tests.strongdm.receiver.helpers import patch

# The roles model's /Groups tests, collected again here where `app` is a groups-model org.
test_a_duplicate_role_name_is_a_409 = roles_model.test_a_duplicate_role_name_is_a_409
test_an_empty_role_name_is_strongdms_400 = roles_model.test_an_empty_role_name_is_strongdms_400
test_display_name_eq_filter_finds_a_group = roles_model.test_display_name_eq_filter_finds_a_group
test_jumpcloud_group_payloads_apply = roles_model.test_jumpcloud_group_payloads_apply
test_jumpclouds_remove_with_a_value_list_removes_only_those_members = roles_model.test_jumpclouds_remove_with_a_value_list_removes_only_those_members
test_post_group_ignores_well_formed_unknown_members = roles_model.test_post_group_ignores_well_formed_unknown_members
test_put_group_returns_200_with_the_body_and_404s_unknown_members = roles_model.test_put_group_returns_200_with_the_body_and_404s_unknown_members
test_removing_a_non_member_changes_nothing_and_answers_204 = roles_model.test_removing_a_non_member_changes_nothing_and_answers_204
test_the_four_documented_group_patch_shapes = roles_model.test_the_four_documented_group_patch_shapes
PROVIDERS = ("generic", "okta", "azure")


@pytest.fixture
def store():
    store = Store(None, synchronous="OFF")
    yield store
    store.close()


@pytest.fixture
def app(store):
    return create_app(store, token=TOKEN, settings=GROUPS_MODEL)


def test_a_pushed_group_is_a_strongdm_group_with_members_and_no_role(client, app):
    user = create_user(client)
    group = create_group(client, "Engineering", [user["id"]])
    assert re.fullmatch(r"group-[0-9a-f]{16}", group["id"])
    assert [m["value"] for m in group["members"]] == [user["id"]]
    assert group_state(app) == (1, 1, 1, 0)
    stored = app.extensions["strongdm"].accounts.group_set.get(group["id"])
    assert stored["managed_by"] == "generic" and stored["name"] == "Engineering"
    link = app.extensions["strongdm"].accounts.group_set.links()[0]
    assert re.fullmatch(r"accountgroup-[0-9a-f]{16}", link["id"])


def test_users_list_their_strongdm_groups(client):
    user = create_user(client)
    group = create_group(client, "Engineering", [user["id"]])
    listed = client.get(f"{BASE}/Users/{user['id']}", headers=AUTH).json["groups"]
    assert listed == [{"value": group["id"], "display": "Engineering", "$ref": f"Groups/{group['id']}"}]
    page = client.get(f"{BASE}/Users", headers=AUTH).json["Resources"]
    assert page[0]["groups"][0]["value"] == group["id"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_provider_path_manages_groups(client, app, provider):
    base = f"/provisioning/{provider}/v2"
    ada, bob = create_user(client, "ada@example.test"), create_user(client, "bob@example.test")
    made = client.post(f"{base}/Groups", headers=AUTH, json={"displayName": "Ops", "members": [{"value": ada["id"]}]})
    assert made.status_code == 201 and made.json["id"].startswith("group-")
    gid = made.json["id"]
    found = client.get(f'{base}/Groups?filter=displayName eq "ops"', headers=AUTH).json["Resources"]
    assert [g["id"] for g in found] == [gid]
    r = patch(client, f"Groups/{gid}", [{"op": "add", "path": "members", "value": [{"value": bob["id"]}]}], provider)
    assert {m["value"] for m in r.json["members"]} == {ada["id"], bob["id"]}
    r = client.put(f"{base}/Groups/{gid}", headers=AUTH, json={"displayName": "Ops2", "members": [{"value": bob["id"]}]})
    assert r.status_code == 200 and [m["value"] for m in r.json["members"]] == [bob["id"]]
    assert app.extensions["strongdm"].accounts.group_set.get(gid)["managed_by"] == provider
    assert client.delete(f"{base}/Groups/{gid}", headers=AUTH).status_code == 204
    assert client.get(f"{base}/Groups/{gid}", headers=AUTH).status_code == 404
    assert group_state(app) == (2, 0, 0, 0)


def test_an_unknown_member_is_a_404_that_changes_nothing(client, app):
    group = create_group(client, "Eng")
    r = patch(client, f"Groups/{group['id']}", [{"op": "add", "path": "members", "value": [{"value": "a-00000000000000aa"}]}])
    assert r.status_code == 404 and r.json["detail"] == "Resource a-00000000000000aa not found."
    assert group_state(app) == (0, 1, 0, 0)


def test_group_changes_go_to_history_not_the_audit_log(client, app):
    sdm = app.extensions["strongdm"]
    user = create_user(client)
    before = sdm.activities.count()
    group = create_group(client, "Eng", [user["id"]])
    client.delete(f"{BASE}/Groups/{group['id']}", headers=AUTH)
    assert sdm.activities.count() == before  # the SDK's ActivityVerb has no group verbs
    groups = [r["item"]["name"] for _, r in sdm.accounts.group_history.rows("group")]
    assert groups == ["Eng", "Eng"]
    assert [r["deleted_at"] is not None for _, r in sdm.accounts.group_history.rows("accountgroup")] == [False, True]


def test_suspending_a_user_keeps_their_groups(client, app):
    user = create_user(client)
    create_group(client, "Eng", [user["id"]])
    r = patch(client, f"Users/{user['id']}", [{"op": "replace", "path": "active", "value": False}])
    assert r.json["active"] is False and [g["display"] for g in r.json["groups"]] == ["Eng"]


def test_effective_roles_are_the_groups_roles_and_the_direct_ones(client, app):
    accounts = app.extensions["strongdm"].accounts
    user = create_user(client)
    group = create_group(client, "Eng", [user["id"]])
    granted = accounts.create_role({"name": "Prod read"}, [])
    direct = accounts.create_role({"name": "Break glass"}, [user["id"]])
    grant = accounts.grant_role(group["id"], granted["id"])
    assert re.fullmatch(r"grouprole-[0-9a-f]{16}", grant["id"])
    assert accounts.effective_role_ids(user["id"]) == [direct["id"], granted["id"]]
    client.delete(f"{BASE}/Groups/{group['id']}", headers=AUTH)
    assert accounts.effective_role_ids(user["id"]) == [direct["id"]]
    ended = [(r["item"]["id"], r["deleted_at"] is not None) for _, r in accounts.group_history.rows("grouprole")]
    assert ended == [(grant["id"], False), (grant["id"], True)]


def test_the_org_model_is_kept_in_the_state(store):
    create_app(store, settings=GROUPS_MODEL)
    with pytest.raises(OrgModelError, match="is a 'groups' org.*--org-model groups"):
        create_app(store, settings={"STRONGDM_ORG_MODEL": "roles"})
    assert create_app(store, settings=GROUPS_MODEL).extensions["strongdm"].org_model == "groups"


def test_a_state_from_before_the_setting_that_holds_roles_is_a_roles_org(store):
    legacy = create_app(store, settings={"STRONGDM_ORG_MODEL": "roles"}).extensions["strongdm"]
    legacy.accounts.create_role({"name": "Eng"}, [])
    store.set_meta("strongdm.org_model", None)  # as a state written before the setting existed
    with pytest.raises(OrgModelError, match="is a 'roles' org"):
        create_app(store, settings=GROUPS_MODEL)


def test_an_unknown_org_model_is_refused(store):
    with pytest.raises(OrgModelError, match="unknown StrongDM org model 'teams'"):
        create_app(store, settings={"STRONGDM_ORG_MODEL": "teams"})
