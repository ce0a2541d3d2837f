"""The StrongDM SCIM receiver over HTTP: every endpoint, status code and error body."""

import json
from pathlib import Path

import pytest

from sim.store import Store
from sim.strongdm import create_app

TOKEN = "test-token-0123456789abcdef"
BASE = "/provisioning/generic/v2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DATA = Path(__file__).parent / "data"


@pytest.fixture
def app():
    store = Store(None)
    yield create_app(store, token=TOKEN)
    store.close()


@pytest.fixture
def client(app):
    return app.test_client()


def user_body(email="ada@example.test", given="Ada", family="Lovelace", **extra):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": given, "familyName": family}, "active": True, **extra}


def create_user(client, email="ada@example.test", **extra):
    response = client.post(f"{BASE}/Users", json=user_body(email, **extra), headers=AUTH)
    assert response.status_code == 201, response.json
    return response.json


def create_group(client, name="Engineering", members=()):
    response = client.post(f"{BASE}/Groups", json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                                   "displayName": name,
                                                   "members": [{"value": m} for m in members]}, headers=AUTH)
    assert response.status_code == 201, response.json
    return response.json


def patch(client, path, operations, provider="generic"):
    return client.patch(f"/provisioning/{provider}/v2/{path}", headers=AUTH, json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})


def state(app):
    sdm = app.extensions["strongdm"]
    return (sdm.accounts.count_users(), sdm.accounts.count_roles(), sdm.accounts.count_attachments())


# -- auth -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": "Bearer"}, {"Authorization": TOKEN}])
def test_requests_without_the_current_token_get_401_with_a_scim_body(client, headers):
    response = client.get(f"{BASE}/Users", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response.json["status"] == "401"


def test_a_rekeyed_token_stops_working_at_once(app, client):
    new = app.extensions["strongdm"].org.rekey_scim()
    assert client.get(f"{BASE}/Users", headers=AUTH).status_code == 401
    assert client.get(f"{BASE}/Users", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_a_deactivated_provider_refuses_its_old_token(app, client):
    app.extensions["strongdm"].org.deactivate_scim()
    assert client.get(f"{BASE}/Users", headers=AUTH).status_code == 401


def test_the_token_is_stored_hashed(app):
    assert TOKEN not in json.dumps(app.extensions["strongdm"].store.get_meta("scim"))


@pytest.mark.parametrize("content_type", [None, "application/json", "application/scim+json",
                                          "application/scim+json; charset=utf-8"])
def test_no_content_type_json_and_scim_json_are_all_accepted(client, content_type):
    headers = dict(AUTH)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(f"{BASE}/Users", data=json.dumps(user_body()), headers=headers)
    assert response.status_code == 201


# -- users ------------------------------------------------------------------------------------------

def test_creating_a_user_returns_201_and_strongdms_shape(client):
    user = create_user(client, externalId="66e2d689590450d073d2df3b")
    assert user["id"].startswith("a-") and len(user["id"]) == 18
    assert user["userName"] == "ada@example.test"
    assert user["displayName"] == "Ada Lovelace"
    assert user["name"]["formatted"] == "Ada Lovelace"
    assert user["emails"] == [{"primary": True, "value": "ada@example.test"}]
    assert user["groups"] == []
    assert user["userType"] == "user"
    assert user["active"] is True
    assert user["externalId"] == "66e2d689590450d073d2df3b"
    assert user["meta"] == {"resourceType": "User", "location": f"Users/{user['id']}"}


def test_a_duplicate_username_ignoring_case_is_a_409_uniqueness(client, app):
    create_user(client, "ada@example.test")
    before = state(app)
    response = client.post(f"{BASE}/Users", json=user_body("ADA@Example.test"), headers=AUTH)
    assert response.status_code == 409
    assert response.json == {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409",
                              "scimType": "uniqueness",
                              "detail": "One or more of the attribute values are already in use or are reserved."}
    assert state(app) == before


def test_username_case_is_preserved(client):
    assert create_user(client, "Ada.Lovelace@Example.test")["userName"] == "Ada.Lovelace@Example.test"


@pytest.mark.parametrize("email", ["", "   ", None])
def test_a_blank_email_is_strongdms_400(client, app, email):
    body = user_body()
    body["userName"] = email
    response = client.post(f"{BASE}/Users", json=body, headers=AUTH)
    assert response.status_code == 400
    assert response.json["detail"] == "could not create user: cannot create user: invalid operation: email cannot be blank"
    assert state(app) == (0, 0, 0)


@pytest.mark.parametrize("name", [None, {}, {"givenName": "Ada"}, {"familyName": "L"}, {"givenName": "", "familyName": "L"}])
def test_given_and_family_names_are_required(client, app, name):
    body = user_body()
    body["name"] = name
    assert client.post(f"{BASE}/Users", json=body, headers=AUTH).status_code == 400
    assert state(app) == (0, 0, 0)


def test_get_of_an_unknown_user_is_strongdms_404(client):
    response = client.get(f"{BASE}/Users/a-0000000000000000", headers=AUTH)
    assert response.status_code == 404
    assert response.json["detail"] == "Resource a-0000000000000000 not found."
    assert response.json["status"] == "404"


def test_active_false_suspends_and_active_true_reinstates(client, app):
    user = create_user(client)
    response = patch(client, f"Users/{user['id']}", [{"op": "replace", "value": {"active": False}}])
    assert response.status_code == 200 and response.json["active"] is False
    stored = app.extensions["strongdm"].accounts.get_user(user["id"])
    assert stored["suspended"] is True
    response = patch(client, f"Users/{user['id']}", [{"op": "replace", "value": {"active": True}}])
    assert response.json["active"] is True
    verbs = [a["activity"] for a in app.extensions["strongdm"].activities.list(newest_first=False)]
    assert verbs[-3:] == ["user added", "user suspended", "user reinstated"]


def test_a_patch_that_changes_nothing_answers_204(client):
    user = create_user(client)
    assert patch(client, f"Users/{user['id']}", [{"op": "replace", "value": {"active": True}}]).status_code == 204


def test_put_replaces_names_and_keeps_the_id(client):
    user = create_user(client)
    body = user_body(given="Augusta", family="King", id="ignored-client-id")
    response = client.put(f"{BASE}/Users/{user['id']}", json=body, headers=AUTH)
    assert response.status_code == 200
    assert response.json["id"] == user["id"]
    assert response.json["displayName"] == "Augusta King"


def test_put_to_an_email_in_use_is_a_409(client):
    create_user(client, "taken@example.test")
    user = create_user(client, "ada@example.test")
    response = client.put(f"{BASE}/Users/{user['id']}", json=user_body("TAKEN@example.test"), headers=AUTH)
    assert response.status_code == 409


def test_delete_removes_the_user_by_default(client):
    user = create_user(client)
    assert client.delete(f"{BASE}/Users/{user['id']}", headers=AUTH).status_code == 204
    assert client.get(f"{BASE}/Users/{user['id']}", headers=AUTH).status_code == 404


def test_delete_can_be_configured_to_suspend():
    store = Store(None)
    app = create_app(store, token=TOKEN, settings={"STRONGDM_DELETE_MODE": "suspend"})
    client = app.test_client()
    user = create_user(client)
    assert client.delete(f"{BASE}/Users/{user['id']}", headers=AUTH).status_code == 204
    assert client.get(f"{BASE}/Users/{user['id']}", headers=AUTH).json["active"] is False
    store.close()


def test_scim_touched_users_are_managed_by_the_provider(client, app):
    user = create_user(client)
    assert app.extensions["strongdm"].accounts.get_user(user["id"])["managed_by"] == "generic"


@pytest.mark.parametrize("payload", ["jumpcloud_create_user.json", "jumpcloud_put_user_minimal.json",
                                     "jumpcloud_put_user_full.json"])
def test_real_jumpcloud_user_payloads_are_accepted(client, payload):
    body = json.loads((DATA / payload).read_text())
    response = client.post(f"{BASE}/Users", json=body, headers=AUTH)
    assert response.status_code == 201, response.json
    assert response.json["userName"] == body["userName"]


def test_entra_create_with_string_booleans_is_accepted_on_the_azure_path(client):
    body = json.loads((DATA / "entra_create_user.json").read_text())
    response = client.post("/provisioning/azure/v2/Users", json=body, headers=AUTH)
    assert response.status_code == 201, response.json


def test_entra_patch_quirks_work_on_azure_and_are_refused_on_generic(client, app):
    user = create_user(client)
    body = json.loads((DATA / "entra_patch_quirks.json").read_text())
    generic = client.patch(f"{BASE}/Users/{user['id']}", json=body, headers=AUTH)
    assert generic.status_code == 400
    assert app.extensions["strongdm"].accounts.get_user(user["id"])["suspended"] is False
    azure = client.patch(f"/provisioning/azure/v2/Users/{user['id']}", json=body, headers=AUTH)
    assert azure.status_code == 200, azure.json
    assert azure.json["active"] is False


def test_okta_path_less_deactivation_suspends(client):
    user = create_user(client)
    body = json.loads((DATA / "okta_patch_deactivate_user.json").read_text())
    response = client.patch(f"/provisioning/okta/v2/Users/{user['id']}", json=body, headers=AUTH)
    assert response.status_code == 200 and response.json["active"] is False


# -- listing ----------------------------------------------------------------------------------------

def test_listing_pages_with_one_based_start_index_and_zero_treated_as_one(client):
    for i in range(5):
        create_user(client, f"user{i}@example.test")
    page = client.get(f"{BASE}/Users?startIndex=0&count=1", headers=AUTH).json
    assert page["startIndex"] == 1 and page["itemsPerPage"] == 1 and page["totalResults"] == 5
    assert [r["userName"] for r in page["Resources"]] == ["user0@example.test"]
    page = client.get(f"{BASE}/Users?startIndex=4&count=10", headers=AUTH).json
    assert [r["userName"] for r in page["Resources"]] == ["user3@example.test", "user4@example.test"]


def test_a_client_paging_like_scimsdk_sees_every_user_once(client):
    for i in range(12):
        create_user(client, f"user{i}@example.test")
    seen, start = [], 1
    while True:
        page = client.get(f"{BASE}/Users?startIndex={start}&count=5", headers=AUTH).json
        seen += [r["userName"] for r in page["Resources"]]
        if len(page["Resources"]) < page["itemsPerPage"]:
            break
        start += len(page["Resources"])
    assert sorted(seen) == sorted(f"user{i}@example.test" for i in range(12))


def test_username_eq_filter_finds_a_user_ignoring_case(client):
    create_user(client, "ada@example.test")
    create_user(client, "bob@example.test")
    page = client.get(f'{BASE}/Users?filter=userName eq "ADA@example.test"', headers=AUTH).json
    assert page["totalResults"] == 1 and page["Resources"][0]["userName"] == "ada@example.test"


@pytest.mark.parametrize("bad", ['userName co "ada"', 'emails.value eq "x"', "userName eq", "((", 'externalId eq "1"'])
def test_the_strongdm_profile_refuses_other_filters_with_invalid_filter(client, bad):
    response = client.get(f"{BASE}/Users", query_string={"filter": bad}, headers=AUTH)
    assert response.status_code == 400
    assert response.json["scimType"] == "invalidFilter"


@pytest.mark.parametrize("param", ["count=abc", "startIndex=x", "count=1.5"])
def test_bad_paging_parameters_are_a_400(client, param):
    assert client.get(f"{BASE}/Users?{param}", headers=AUTH).status_code == 400


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


# -- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b"[]", b"null", b'"x"', b"", b"[" * 5000 + b"]" * 5000,
                                 b'{"userName": 5, "name": {"givenName": "a", "familyName": "b"}}'])
def test_malformed_bodies_get_a_400_and_change_nothing(client, app, raw):
    response = client.post(f"{BASE}/Users", data=raw, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert state(app) == (0, 0, 0)


def test_a_huge_body_is_a_413():
    store = Store(None)
    app = create_app(store, token=TOKEN, settings={"MAX_CONTENT_LENGTH": 1000})
    response = app.test_client().post(f"{BASE}/Users", data=b"{" + b" " * 5000 + b"}",
                                      headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["status"] == "413"
    store.close()


def test_unknown_paths_under_the_scim_root_are_scim_404s(client):
    response = client.get(f"{BASE}/Nope", headers=AUTH)
    assert response.status_code == 404 and response.json["status"] == "404"


def test_the_content_type_header_is_ignored_like_strongdm_does(client):
    headers = {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post(f"{BASE}/Users", data=json.dumps(user_body()), headers=headers).status_code == 201
    assert client.post(f"{BASE}/Users", data="a=b", headers=headers).status_code == 400


# -- discovery ----------------------------------------------------------------------------------------

def test_service_provider_config_is_honest_about_the_strongdm_profile(client):
    spc = client.get(f"{BASE}/ServiceProviderConfig", headers=AUTH).json
    assert spc["filter"]["supported"] is False and spc["sort"]["supported"] is False
    assert spc["etag"]["supported"] is False and spc["patch"]["supported"] is True


def test_schemas_and_resource_types_are_served(client):
    assert client.get(f"{BASE}/Schemas", headers=AUTH).json["totalResults"] == 3
    names = [r["name"] for r in client.get(f"{BASE}/ResourceTypes", headers=AUTH).json["Resources"]]
    assert names == ["User", "Group"]


# -- audit log ----------------------------------------------------------------------------------------

def test_provisioning_writes_strongdm_activity_verbs(client, app):
    ada = create_user(client)
    create_group(client, "Eng", [ada["id"]])
    verbs = [a["activity"] for a in app.extensions["strongdm"].activities.list(newest_first=False)]
    assert verbs[-3:] == ["user added", "role added", "user added to role"]
