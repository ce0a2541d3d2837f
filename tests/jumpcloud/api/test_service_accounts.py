"""Service accounts (`/api/v2/service-accounts`) and OAuth 2.0 client credentials (`/oauth2/token`) over real HTTP."""

import pytest
import requests

from sim.fake import directory as fake
from tests.jumpcloud.api.helpers import v2_error

SECRET_30_DAYS = {"authType": "CLIENT_SECRET", "clientSecretConfig": {"lifetime": "30 Days"}}


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 5, 2)


def role_id(api, name):
    roles = api.get("/api/v2/roles").json()["results"]
    return next(r["id"] for r in roles if r["name"] == name)


def create(api, name="ci-bot", role="Administrator", auth=None):
    body = {"name": name, "roleId": role_id(api, role), "authConfig": auth or SECRET_30_DAYS}
    return api.post("/api/v2/service-accounts", json=body)


def credentials(account):
    config = account["authConfigList"][0]["clientSecretConfig"]
    return config["clientId"], config["clientSecret"]


def token(api, client_id, secret, **form):
    data = {"grant_type": "client_credentials", "scope": "api", **form}
    return requests.post(api.url + "/oauth2/token", auth=(client_id, secret), data=data, timeout=10)


def bearer(api, path, access_token, method="get", **kw):
    return requests.request(method, api.url + path, headers={"Authorization": f"Bearer {access_token}"},
                            timeout=10, **kw)


def test_create_answers_201_with_the_client_secret_once(api):
    response = create(api)
    assert response.status_code == 201
    account = response.json()["serviceAccount"]
    assert account["name"] == "ci-bot" and account["orgId"] == api.jc.org.id and account["status"] == "ACTIVE"
    assert account["authType"] == "CLIENT_SECRET" and account["roleName"] == "Administrator"
    client_id, secret = credentials(account)
    assert client_id and secret
    again = api.get(f"/api/v2/service-accounts/{account['objectId']}").json()
    assert "clientSecret" not in again["authConfigList"][0]["clientSecretConfig"]
    assert again["authConfigList"][0]["clientSecretConfig"]["clientId"] == client_id


def test_list_has_total_count_and_no_auth_config(api):
    for name in ("zeta", "alpha", "mid"):
        create(api, name)
    body = api.get("/api/v2/service-accounts", params={"sort": "-name"}).json()
    assert body["totalCount"] == 3 and [a["name"] for a in body["results"]] == ["zeta", "mid", "alpha"]
    assert all("authConfigList" not in a for a in body["results"])
    found = api.get("/api/v2/service-accounts", params={"search.searchTerm": "ALP", "search.fields": "name"}).json()
    assert [a["name"] for a in found["results"]] == ["alpha"]
    assert api.get("/api/v2/service-accounts", params={"limit": 1, "skip": 1}).json()["totalCount"] == 3


def test_a_client_credentials_token_works_wherever_the_api_key_does(api):
    access = token(api, *credentials(create(api).json()["serviceAccount"]))
    assert access.status_code == 200 and access.headers["Cache-Control"] == "no-store"
    body = access.json()
    assert body["token_type"].lower() == "bearer" and body["expires_in"] == 3600
    t = body["access_token"]
    assert bearer(api, "/api/systemusers", t).json()["totalCount"] == 5
    assert isinstance(bearer(api, "/api/v2/usergroups", t).json(), list)
    assert bearer(api, "/api/organizations", t).json()["totalCount"] == 1
    assert bearer(api, "/insights/directory/v1/events", t, method="post",
                  json={"service": ["all"], "start_time": "2020-01-01T00:00:00Z"}).status_code == 200
    created = bearer(api, "/api/systemusers", t, method="post", json={"username": "bot1", "email": "b@example.com"})
    assert created.status_code == 200


def test_credentials_in_the_body_work_too(api):
    client_id, secret = credentials(create(api).json()["serviceAccount"])
    response = requests.post(api.url + "/oauth2/token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert response.status_code == 200


def test_the_token_expires_after_an_hour(clocked_api, clock):
    api = clocked_api
    t = token(api, *credentials(create(api).json()["serviceAccount"])).json()["access_token"]
    clock.advance(3599)
    assert bearer(api, "/api/systemusers", t).status_code == 200
    clock.advance(2)
    assert bearer(api, "/api/systemusers", t).status_code == 401


def test_an_expired_client_secret_gets_no_token(clocked_api, clock):
    api = clocked_api
    account = create(api).json()["serviceAccount"]
    clock.advance(31 * 86400)
    response = token(api, *credentials(account))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert api.get(f"/api/v2/service-accounts/{account['objectId']}").json()["status"] == "EXPIRED"


def test_deleting_the_account_refuses_its_token(api):
    account = create(api).json()["serviceAccount"]
    t = token(api, *credentials(account)).json()["access_token"]
    deleted = api.delete(f"/api/v2/service-accounts/{account['objectId']}")
    assert deleted.status_code == 200 and deleted.json() == {}
    assert bearer(api, "/api/systemusers", t).status_code == 401
    assert token(api, *credentials(account)).status_code == 401
    assert v2_error(api.get(f"/api/v2/service-accounts/{account['objectId']}"), 404)


def test_the_role_limits_what_the_token_may_do(api):
    t = token(api, *credentials(create(api, role="Read Only").json()["serviceAccount"])).json()["access_token"]
    assert bearer(api, "/api/systemusers", t).status_code == 200
    refused = bearer(api, "/api/systemusers", t, method="post", json={"username": "x", "email": "x@example.com"})
    assert refused.status_code == 403 and api.jc.directory.user_count() == 5


@pytest.mark.parametrize(("form", "auth", "status", "error"), [
    ({"grant_type": "password"}, True, 400, "unsupported_grant_type"),
    ({}, True, 400, "invalid_request"),
    ({"grant_type": "client_credentials", "scope": "everything"}, True, 400, "invalid_scope"),
    ({"grant_type": "client_credentials"}, False, 401, "invalid_client"),
])
def test_token_request_errors_follow_rfc_6749(api, form, auth, status, error):
    client_id, secret = credentials(create(api).json()["serviceAccount"])
    response = requests.post(api.url + "/oauth2/token", data=form, timeout=10,
                             auth=(client_id, secret) if auth else (client_id, "wrong"))
    assert response.status_code == status and response.json()["error"] == error


def test_a_bad_bearer_is_401_in_the_v2_shape(api):
    assert v2_error(bearer(api, "/api/v2/usergroups", "not-a-token"), 401)


@pytest.mark.parametrize("body", [
    {"roleId": "0" * 24, "authConfig": SECRET_30_DAYS},
    {"name": "x", "roleId": "0" * 24, "authConfig": SECRET_30_DAYS},
    {"name": "x", "authConfig": SECRET_30_DAYS},
    {"name": "x", "roleId": None, "authConfig": {"authType": "CLIENT_SECRET", "clientSecretConfig": {"lifetime": "7 Days"}}},
    {"name": "x", "roleId": None, "authConfig": {"authType": "AUTH_TYPE_UNSPECIFIED"}},
    {"name": "", "roleId": None, "authConfig": SECRET_30_DAYS},
    [],
])
def test_bad_create_bodies_are_400_and_create_nothing(api, body):
    if isinstance(body, dict) and body.get("roleId", 1) is None:
        body["roleId"] = role_id(api, "Administrator")
    response = api.post("/api/v2/service-accounts", json=body)
    assert v2_error(response, 400)
    assert api.get("/api/v2/service-accounts").json()["totalCount"] == 0


def test_a_duplicate_name_is_409(api):
    create(api, "dup")
    assert v2_error(create(api, "DUP"), 409)


def test_only_administrators_manage_service_accounts(api):
    admin = api.jc.org.create_admin("ro@example.com", "pw", role="Read Only")
    key = api.jc.org.create_api_key(admin["_id"])
    body = {"name": "x", "roleId": role_id(api, "Read Only"), "authConfig": SECRET_30_DAYS}
    response = requests.post(api.url + "/api/v2/service-accounts", json=body, headers={"x-api-key": key}, timeout=10)
    assert v2_error(response, 403)


def test_an_api_key_auth_config_gives_a_jcs_key_for_x_api_key(api):
    auth = {"authType": "API_KEY", "apiKeyConfig": {"lifetime": "90 Days"}}
    account = create(api, auth=auth).json()["serviceAccount"]
    key = account["authConfigList"][0]["apiKeyConfig"]["apiKey"]
    assert key.startswith("jcs_") and account["authConfigList"][0]["apiKeyConfig"]["apiKeyPrefix"] == key[:8]
    response = requests.get(api.url + "/api/systemusers", headers={"x-api-key": key}, timeout=10)
    assert response.status_code == 200
    stored = api.get(f"/api/v2/service-accounts/{account['objectId']}").json()
    assert "apiKey" not in stored["authConfigList"][0]["apiKeyConfig"]
