"""The StrongDM SCIM receiver's /Users: create, read, PATCH, PUT, DELETE, uniqueness and real IdP payloads."""

import json

import pytest

from sim.store import Store
from sim.strongdm import create_app
from tests.paths import DATA
from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import TOKEN
from tests.strongdm.receiver.helpers import create_user
from tests.strongdm.receiver.helpers import patch
from tests.strongdm.receiver.helpers import state
from tests.strongdm.receiver.helpers import user_body

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
    store = Store(None, synchronous="OFF")
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
