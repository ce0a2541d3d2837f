"""The StrongDM SCIM receiver's /Groups: roles, members, the documented PATCH shapes, PUT and DELETE."""

import json

from tests.paths import DATA
from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import create_group
from tests.strongdm.receiver.helpers import create_user
from tests.strongdm.receiver.helpers import patch
from tests.strongdm.receiver.helpers import state

# -- groups -----------------------------------------------------------------------------------------

def test_creating_a_group_makes_a_role_with_members(client, app):
    user = create_user(client)
    group = create_group(client, "Engineering", [user["id"]])
    assert group["id"].startswith("r-") and len(group["id"]) == 18
    assert group["members"][0]["value"] == user["id"]
    assert group["members"][0]["display"] == user["userName"]
    assert app.extensions["strongdm"].accounts.roles_of(user["id"])[0]["name"] == "Engineering"


def test_post_group_ignores_well_formed_unknown_members(client):
    group = create_group(client, "Ops", ["a-00000000000000ff"])
    assert group["members"] == []


def test_a_malformed_member_id_is_strongdms_400(client, app):
    response = client.post(f"{BASE}/Groups", json={"displayName": "Ops", "members": [{"value": "aa-123134"}]},
                           headers=AUTH)
    assert response.status_code == 400
    assert response.json["detail"] == "cannot parse member id: aa-123134"
    assert state(app) == (0, 0, 0)


def test_a_duplicate_role_name_is_a_409(client):
    create_group(client, "Ops")
    assert client.post(f"{BASE}/Groups", json={"displayName": "ops", "members": []}, headers=AUTH).status_code == 409


def test_an_empty_role_name_is_strongdms_400(client):
    response = client.post(f"{BASE}/Groups", json={"displayName": "", "members": []}, headers=AUTH)
    assert response.json["detail"] == "could not create role: cannot create role: invalid operation: name cannot be empty"


def test_the_four_documented_group_patch_shapes(client):
    ada, bob = create_user(client, "ada@example.test"), create_user(client, "bob@example.test")
    group = create_group(client, "Eng")
    gid = f"Groups/{group['id']}"
    r = patch(client, gid, [{"op": "add", "path": "members", "value": [{"value": ada["id"], "display": "x"}]}])
    assert [m["value"] for m in r.json["members"]] == [ada["id"]]
    r = patch(client, gid, [{"op": "replace", "path": "members", "value": [{"value": bob["id"]}]}])
    assert [m["value"] for m in r.json["members"]] == [bob["id"]]
    r = patch(client, gid, [{"op": "remove", "path": f'members[value eq "{bob["id"]}"]'}])
    assert r.status_code == 200 and r.json["members"] == []
    r = patch(client, gid, [{"op": "replace", "value": {"id": group["id"], "displayName": "Engineering"}}])
    assert r.json["displayName"] == "Engineering"


def test_jumpclouds_remove_with_a_value_list_removes_only_those_members(client):
    ada, bob = create_user(client, "ada@example.test"), create_user(client, "bob@example.test")
    group = create_group(client, "Eng", [ada["id"], bob["id"]])
    r = patch(client, f"Groups/{group['id']}", [{"op": "remove", "path": "members", "value": [{"value": ada["id"]}]}])
    assert [m["value"] for m in r.json["members"]] == [bob["id"]]


def test_removing_a_non_member_changes_nothing_and_answers_204(client):
    group = create_group(client, "Eng")
    r = patch(client, f"Groups/{group['id']}", [{"op": "remove", "path": 'members[value eq "a-00000000000000aa"]'}])
    assert r.status_code == 204


def test_adding_an_unknown_member_by_patch_is_a_404(client, app):
    group = create_group(client, "Eng")
    r = patch(client, f"Groups/{group['id']}", [{"op": "add", "path": "members", "value": [{"value": "a-00000000000000aa"}]}])
    assert r.status_code == 404
    assert r.json["detail"] == "Resource a-00000000000000aa not found."
    assert state(app) == (0, 1, 0)


def test_put_group_returns_200_with_the_body_and_404s_unknown_members(client):
    ada = create_user(client)
    group = create_group(client, "Eng")
    r = client.put(f"{BASE}/Groups/{group['id']}", json={"displayName": "Eng2", "members": [{"value": ada["id"]}]},
                   headers=AUTH)
    assert r.status_code == 200 and r.json["displayName"] == "Eng2" and len(r.json["members"]) == 1
    r = client.put(f"{BASE}/Groups/{group['id']}", json={"displayName": "Eng2",
                                                         "members": [{"value": "a-00000000000000aa"}]}, headers=AUTH)
    assert r.status_code == 404


def test_deleting_a_group_deletes_the_role_and_its_attachments(client, app):
    ada = create_user(client)
    group = create_group(client, "Eng", [ada["id"]])
    assert client.delete(f"{BASE}/Groups/{group['id']}", headers=AUTH).status_code == 204
    assert state(app) == (1, 0, 0)


def test_display_name_eq_filter_finds_a_group(client):
    create_group(client, "Eng")
    create_group(client, "Ops")
    page = client.get(f'{BASE}/Groups?filter=displayName eq "eng"', headers=AUTH).json
    assert [g["displayName"] for g in page["Resources"]] == ["Eng"]


def test_jumpcloud_group_payloads_apply(client):
    ada = create_user(client)
    group = create_group(client, "Eng")
    add = json.loads((DATA / "jumpcloud_patch_add_member.json").read_text())
    add["Operations"][0]["value"] = [{"value": ada["id"]}]
    r = client.patch(f"{BASE}/Groups/{group['id']}", json=add, headers=AUTH)
    assert r.status_code == 200 and len(r.json["members"]) == 1
    remove = json.loads((DATA / "jumpcloud_patch_remove_member_with_value.json").read_text())
    remove["Operations"][0]["value"] = [{"value": ada["id"]}]
    assert client.patch(f"{BASE}/Groups/{group['id']}", json=remove, headers=AUTH).json["members"] == []
