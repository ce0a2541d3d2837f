"""The StrongDM Admin UI's Settings: SCIM provisioning (activate, regenerate, deactivate) and SDK API keys."""

import base64
import re

import pytest

from sim.strongdm.api_keys import ApiKeys
from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import API_KEYS
from tests.strongdm.admin.helpers import AUDITOR
from tests.strongdm.admin.helpers import PROVISIONING
from tests.strongdm.admin.helpers import SCIM
from tests.strongdm.admin.helpers import activate
from tests.strongdm.admin.helpers import csrf
from tests.strongdm.admin.helpers import login
from tests.strongdm.admin.helpers import post
from tests.strongdm.admin.helpers import scim_user

# -- Settings > User Management > Provisioning ------------------------------------------------------------


def test_provisioning_offers_the_three_documented_providers(admin):
    page = admin.get(PROVISIONING).text
    assert "SCIM Provider" in page and "Activate SCIM" in page
    assert re.findall(r'<option value="(\w+)">(\w+)</option>', page) == [
        ("generic", "Generic"), ("okta", "Okta"), ("azure", "Azure")]


def test_activate_scim_shows_a_working_token_once(app, admin, sdm):
    response = admin.post(f"{PROVISIONING}/activate", data={"provider": "generic", "csrf_token": csrf(admin, PROVISIONING)},
                          follow_redirects=True)
    token = re.search(r'id="scim-token" value="([^"]+)"', response.text).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    assert "displays one time only" in response.text and 'id="copy-token"' in response.text
    assert sdm.org.scim_provider() == "generic"
    assert token not in admin.get(PROVISIONING).text  # shown once
    assert "/provisioning/generic/v2" in admin.get(PROVISIONING).text
    assert scim_user(app.test_client(), token)


def test_the_copy_button_script_carries_the_pages_csp_nonce(admin):
    response = admin.post(f"{PROVISIONING}/activate", data={"provider": "okta", "csrf_token": csrf(admin, PROVISIONING)},
                          follow_redirects=True)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.text


def test_regenerating_the_token_kills_the_old_one(app, admin):
    old = activate(admin)
    response = post(admin, f"{PROVISIONING}/regenerate", form_page=PROVISIONING, follow_redirects=True)
    new = re.search(r'id="scim-token" value="([^"]+)"', response.text).group(1)
    assert new != old
    api = app.test_client()
    assert api.get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert api.get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {new}"}).status_code == 200


def test_deactivating_scim_kills_the_token_and_offers_activation_again(app, admin, sdm):
    token = activate(admin)
    response = post(admin, f"{PROVISIONING}/deactivate", form_page=PROVISIONING)
    assert response.status_code == 302
    assert sdm.org.scim_provider() is None
    assert "Activate SCIM" in admin.get(PROVISIONING).text
    assert app.test_client().get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert {"SCIM token deleted", "SCIM provider deleted"} <= {a["activity"] for a in sdm.activities.list()}


@pytest.mark.parametrize("path, data", [
    (f"{PROVISIONING}/activate", {"provider": "sailpoint"}),
    (f"{PROVISIONING}/regenerate", {}),
    (f"{PROVISIONING}/deactivate", {}),
])
def test_refused_provisioning_actions_show_the_reason(admin, sdm, path, data):
    response = post(admin, path, data, PROVISIONING)
    assert response.status_code == 400
    assert "Unknown SCIM provider" in response.text or "SCIM is not activated." in response.text
    assert sdm.org.scim_provider() is None


# -- Settings > API Keys ----------------------------------------------------------------------------------


@pytest.fixture
def keys(sdm):
    return ApiKeys(sdm.store, sdm.activities)


def create_key(client, name="ci script"):
    response = post(client, API_KEYS, {"name": name}, API_KEYS, follow_redirects=True)
    assert response.status_code == 200
    access = re.search(r'id="api-access-key" value="([^"]+)"', response.text).group(1)
    secret = re.search(r'id="api-secret" value="([^"]+)"', response.text).group(1)
    return response, access, secret


def test_creating_an_api_key_shows_the_access_key_and_secret_once_with_copy_buttons(admin, sdm, keys):
    response, access, secret = create_key(admin)
    assert response.headers["Cache-Control"] == "no-store"
    assert "displays one time only" in response.text
    assert 'data-copy="api-access-key"' in response.text and 'data-copy="api-secret"' in response.text
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.text
    assert access.startswith("auth-")
    assert keys.signing_secret(access) == base64.b64decode(secret, validate=True)  # the secret the SDK signs with
    again = admin.get(API_KEYS)
    assert access in again.text and "ci script" in again.text
    assert secret not in again.text and 'id="api-secret"' not in again.text
    assert sdm.activities.list(verb="admin token created")[0]["actorEmail"] == ADMIN[0]


def test_the_api_key_list_shows_name_access_key_and_creation_but_never_a_secret(admin, keys):
    created = [keys.create_api_key(name) for name in ("deploy bot", "audit script")]
    page = admin.get(API_KEYS)
    assert page.status_code == 200
    for key in created:
        assert key["name"] in page.text and key["access_key"] in page.text and key["created_at"] in page.text
        assert key["secret"] not in page.text
    assert "No API keys yet." not in page.text


def test_with_no_keys_the_list_says_so(admin):
    assert "No API keys yet." in admin.get(API_KEYS).text


@pytest.mark.parametrize("name", ["", "   ", "x" * 256, "tab\there"])
def test_a_bad_api_key_name_is_refused_with_the_reason(admin, keys, name):
    response = post(admin, API_KEYS, {"name": name}, API_KEYS)
    assert response.status_code == 400
    assert "printable name of 1 to 255 characters" in response.text
    assert keys.list_api_keys() == [] and 'id="api-secret"' not in response.text


def test_revoking_asks_first_then_the_key_stops_working(admin, sdm, keys):
    key = keys.create_api_key("old script")
    path = f"{API_KEYS}/{key['access_key']}/revoke"
    assert f'href="{path}"' in admin.get(API_KEYS).text
    question = admin.get(path)
    assert "Revoke API key old script?" in question.text and "cannot be undone" in question.text
    assert keys.find_api_key(key["access_key"]) is not None  # asking changes nothing
    response = post(admin, path, form_page=path)
    assert response.status_code == 302 and response.location == API_KEYS
    assert keys.find_api_key(key["access_key"]) is None and keys.signing_secret(key["access_key"]) is None
    assert "Revoked API key old script" in admin.get(API_KEYS).text
    assert sdm.activities.list(verb="API key deleted")[0]["actorEmail"] == ADMIN[0]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_revoking_an_unknown_key_is_a_not_found_page(admin, method):
    path = f"{API_KEYS}/auth-0000000000000000/revoke"
    response = admin.get(path) if method == "GET" else post(admin, path, form_page=API_KEYS)
    assert response.status_code == 404 and "There is no page at this address." in response.text


@pytest.mark.parametrize("method, action", [("GET", "list"), ("POST", "create"), ("GET", "revoke"),
                                            ("POST", "revoke")])
def test_a_non_administrator_cannot_list_create_or_revoke_api_keys(client, keys, method, action):
    key = keys.create_api_key("existing")
    login(client, *AUDITOR)
    path = f"{API_KEYS}/{key['access_key']}/revoke" if action == "revoke" else API_KEYS
    data = {"name": "sneaky", "csrf_token": csrf(client, "/users")}
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    assert response.status_code == 403
    assert "Only users with the Administrator permission level" in response.text
    assert key["access_key"] not in response.text
    assert [k["access_key"] for k in keys.list_api_keys()] == [key["access_key"]]


@pytest.mark.parametrize("token", [None, "", "forged-token"])
@pytest.mark.parametrize("action", ["create", "revoke"])
def test_api_key_forms_without_the_right_csrf_token_are_refused(admin, keys, action, token):
    key = keys.create_api_key("existing")
    path = f"{API_KEYS}/{key['access_key']}/revoke" if action == "revoke" else API_KEYS
    data = {"name": "forged"} | ({} if token is None else {"csrf_token": token})
    response = admin.post(path, data=data)
    assert response.status_code == 400 and "security token (CSRF)" in response.text
    assert [k["access_key"] for k in keys.list_api_keys()] == [key["access_key"]]


def test_the_strongdm_sdk_authenticates_with_a_key_made_here_until_it_is_revoked(admin, sdm):
    strongdm = pytest.importorskip("strongdm")
    from sim.strongdm.sdk.servicers import start_grpc

    _, access, secret = create_key(admin, "sdk check")
    server, port = start_grpc(sdm, "127.0.0.1", 0)
    try:
        client = strongdm.Client(access, secret, host=f"127.0.0.1:{port}", insecure=True,
                                 retry_rate_limit_errors=False)
        assert ADMIN[0] in {account.email for account in client.accounts.list("type:user")}
        post(admin, f"{API_KEYS}/{access}/revoke", form_page=API_KEYS)
        with pytest.raises(strongdm.AuthenticationError):
            list(client.accounts.list(""))
        client.close()
    finally:
        server.stop(0).wait()
