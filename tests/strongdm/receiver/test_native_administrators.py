"""SCIM does not take over, suspend or delete a native StrongDM Administrator (an assumed 409, see README)."""

import pytest

from tests.strongdm.receiver.helpers import AUTH
from tests.strongdm.receiver.helpers import BASE
from tests.strongdm.receiver.helpers import create_user
from tests.strongdm.receiver.helpers import patch
from tests.strongdm.receiver.helpers import user_body

ADMIN_EMAIL = "root@strongdm.test"


@pytest.fixture
def admin(app):
    return app.extensions["strongdm"].ensure_admin(ADMIN_EMAIL, "root password 1")


def refused(response, *words):
    assert response.status_code == 409, response.json
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response.json["status"] == "409"
    for word in words:
        assert word in response.json["detail"]
    return response.json


def unchanged(app, admin):
    assert app.extensions["strongdm"].accounts.get_user(admin["id"]) == admin


def test_a_patch_deactivating_a_native_administrator_is_refused(app, client, admin):
    response = patch(client, f"Users/{admin['id']}", [{"op": "replace", "path": "active", "value": False}])
    refused(response, "native StrongDM Administrator", ADMIN_EMAIL)
    unchanged(app, admin)


def test_a_put_taking_over_a_native_administrator_by_email_is_refused_with_uniqueness(app, client, admin):
    found = client.get(f"{BASE}/Users", query_string={"filter": f'userName eq "{ADMIN_EMAIL.upper()}"'},
                       headers=AUTH).json["Resources"]
    assert [u["id"] for u in found] == [admin["id"]]  # the lookup still finds it
    body = user_body(ADMIN_EMAIL, externalId="66e2d689590450d073d2df3b")
    error = refused(client.put(f"{BASE}/Users/{admin['id']}", json=body, headers=AUTH), "native StrongDM Administrator")
    assert error["scimType"] == "uniqueness"
    unchanged(app, admin)


def test_a_create_with_a_native_administrators_email_names_the_administrator(app, client, admin):
    response = client.post(f"{BASE}/Users", json=user_body(ADMIN_EMAIL.title()), headers=AUTH)
    assert refused(response, "native StrongDM Administrator")["scimType"] == "uniqueness"


def test_a_delete_of_a_native_administrator_is_refused(app, client, admin):
    refused(client.delete(f"{BASE}/Users/{admin['id']}", headers=AUTH), "native StrongDM Administrator")
    unchanged(app, admin)


def test_native_users_that_are_not_administrators_are_still_taken_over(app, client):
    sdm = app.extensions["strongdm"]
    native = sdm.accounts.create_user({"email": "nat@example.test", "first_name": "Nat", "last_name": "Ive"})
    response = client.put(f"{BASE}/Users/{native['id']}", json=user_body("nat@example.test"), headers=AUTH)
    assert response.status_code == 200 and sdm.accounts.get_user(native["id"])["managed_by"] == "generic"


def test_a_scim_managed_last_administrator_is_not_deactivated(app, client):
    # A state file from before the guard: SCIM had taken the only Administrator over.
    sdm = app.extensions["strongdm"]
    user = create_user(client, "taken@example.test")
    sdm.accounts.update_user({**sdm.accounts.get_user(user["id"]), "permission_level": "admin"})
    response = patch(client, f"Users/{user['id']}", [{"op": "replace", "path": "active", "value": False}])
    refused(response, "last active Administrator")
    assert not sdm.accounts.get_user(user["id"])["suspended"]
    refused(client.delete(f"{BASE}/Users/{user['id']}", headers=AUTH), "last active Administrator")


def test_a_takeover_of_an_account_provisioned_for_another_external_id_is_refused(app, client):
    sdm = app.extensions["strongdm"]
    first = create_user(client, "strasse.rt@example.test", externalId="jc-user-1")
    body = user_body("strasse.rt@example.test", externalId="jc-user-2")
    error = refused(client.put(f"{BASE}/Users/{first['id']}", json=body, headers=AUTH), "jc-user-1")
    assert error["scimType"] == "uniqueness"
    op = [{"op": "replace", "path": "externalId", "value": "jc-user-2"}]
    refused(patch(client, f"Users/{first['id']}", op), "jc-user-1")
    assert sdm.accounts.get_user(first["id"])["external_id"] == "jc-user-1"
    same = client.put(f"{BASE}/Users/{first['id']}", json=user_body("strasse.rt@example.test", externalId="jc-user-1",
                                                                    active=False), headers=AUTH)
    assert same.status_code == 200  # the same client user may change everything else
