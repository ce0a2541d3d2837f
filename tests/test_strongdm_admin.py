"""The StrongDM Admin UI over Flask's test client: every page and form, refusals and CSRF failures."""

import base64
import re

import pytest

from sim import faults
from sim.store import Store
from sim.strongdm import create_app
from sim.strongdm.api_keys import ApiKeys

ADMIN = ("admin@strongdm.test", "correct horse battery")
AUDITOR = ("auditor@strongdm.test", "auditor password 1")
SCIM = "/provisioning/generic/v2"
PROVISIONING = "/settings/user-management/provisioning"
API_KEYS = "/settings/api-keys"
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: scrypt costs ~0.15 s a hash


@pytest.fixture
def store():
    store = Store(None, synchronous="OFF")
    yield store
    store.close()


@pytest.fixture
def app(store):
    app = create_app(store, settings=FAST)
    sdm = app.extensions["strongdm"]
    sdm.ensure_admin(*ADMIN)
    auditor = sdm.accounts.create_user({"email": AUDITOR[0], "first_name": "Audra", "last_name": "Tor",
                                        "permission_level": "auditor"})
    sdm.org.set_password(auditor["id"], AUDITOR[1])
    return app


@pytest.fixture
def sdm(app):
    return app.extensions["strongdm"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(client):
    login(client, *ADMIN)
    return client


def csrf(client, path="/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client, email, password, path="/login"):
    return client.post(path, data={"email": email, "password": password, "csrf_token": csrf(client)})


def post(client, path, data=None, form_page="/users"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, form_page)})


def activate(client, provider="generic") -> str:
    page = post(client, f"{PROVISIONING}/activate", {"provider": provider}, PROVISIONING)
    assert page.status_code == 200
    return re.search(r'id="scim-token" value="([^"]+)"', page.text).group(1)


def scim_user(client, token, email="prov@example.test"):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
            "name": {"givenName": "Pro", "familyName": "Visioned"}, "active": True}
    response = client.post(f"{SCIM}/Users", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.json
    return response.json


# -- login and sessions ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page_with_where_they_were_going(client):
    response = client.get("/users?q=ada")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert "ada" in response.location


def test_an_administrator_logs_in_and_lands_on_users(client):
    response = login(client, *ADMIN)
    assert response.status_code == 302 and response.location == "/users"
    assert "admin@strongdm.test" in client.get("/users").text


def test_login_follows_next_only_to_paths_on_this_site(client):
    token = csrf(client)
    ok = client.post("/login?next=/roles", data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": token})
    assert ok.location == "/roles"
    client.post("/logout", data={"csrf_token": csrf(client, "/users")})
    evil = client.post("/login?next=//evil.example/x",
                       data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf(client)})
    assert evil.location == "/users"


@pytest.mark.parametrize("email, password", [
    (ADMIN[0], "wrong password"),
    ("nobody@strongdm.test", ADMIN[1]),
    ("", ""),
])
def test_a_refused_login_says_so_and_starts_no_session(client, email, password):
    response = login(client, email, password)
    assert response.status_code == 401
    assert "The email or password is incorrect." in response.text
    assert client.get("/users").status_code == 302


def test_a_suspended_user_cannot_log_in(client, sdm):
    user = sdm.accounts.find_user_by_email(AUDITOR[0])
    sdm.accounts.update_user({**user, "suspended": True})
    assert login(client, *AUDITOR).status_code == 401


def test_suspending_a_signed_in_user_ends_their_session(client, sdm):
    login(client, *AUDITOR)
    assert client.get("/users").status_code == 200
    user = sdm.accounts.find_user_by_email(AUDITOR[0])
    sdm.accounts.update_user({**user, "suspended": True})
    assert client.get("/users").status_code == 302


def test_login_is_recorded_in_the_activity_log(admin, sdm):
    assert sdm.activities.list(verb="user logged into the admin UI")[0]["actorEmail"] == ADMIN[0]


def test_logout_ends_the_session(admin):
    response = post(admin, "/logout")
    assert response.location == "/login"
    assert admin.get("/users").status_code == 302


def test_the_session_cookie_is_signed_with_a_per_install_secret(store):
    first = create_app(store)
    again = create_app(store)
    other_store = Store(None)
    try:
        other = create_app(other_store)
        assert first.secret_key == again.secret_key  # the same install keeps its secret
        assert first.secret_key != other.secret_key
        assert len(first.secret_key) >= 32
        assert first.config["SESSION_COOKIE_NAME"] == "strongdm_admin_session"
    finally:
        other_store.close()


def test_passwords_are_hashed_with_scrypt_unless_a_setting_says_otherwise(store, sdm):
    default = create_app(Store(None)).extensions["strongdm"]
    try:
        default.ensure_admin(*ADMIN)
        stored = default.store.read().execute("SELECT hash FROM passwords").fetchone()["hash"]
        assert stored.startswith("scrypt:")
    finally:
        default.store.close()
    fast = store.read().execute("SELECT hash FROM passwords LIMIT 1").fetchone()["hash"]
    assert fast.startswith("pbkdf2:sha256:1000$")


def test_a_session_cookie_from_another_install_is_ignored(app, admin):
    cookie = admin.get_cookie("strongdm_admin_session").value
    other_store = Store(None)
    try:
        other = create_app(other_store, settings=FAST)
        other.extensions["strongdm"].ensure_admin(*ADMIN)
        stranger = other.test_client()
        stranger.set_cookie("strongdm_admin_session", cookie)
        assert stranger.get("/users").status_code == 302
    finally:
        other_store.close()


# -- CSRF -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "forged-token"])
@pytest.mark.parametrize("path, data", [
    (f"{PROVISIONING}/activate", {"provider": "generic"}),
    ("/users/new", {"email": "x@example.test", "first_name": "X", "last_name": "Y", "permission_level": "user"}),
    ("/logout", {}),
])
def test_a_form_without_the_right_csrf_token_is_refused_with_a_message(admin, sdm, path, data, token):
    before = sdm.activities.count()
    if token is not None:
        data = {**data, "csrf_token": token}
    response = admin.post(path, data=data)
    assert response.status_code == 400
    assert "security token (CSRF)" in response.text
    assert sdm.activities.count() == before
    assert admin.get("/users").status_code == 200  # still signed in: the refused logout did nothing


def test_the_login_form_is_csrf_protected_too(client):
    response = client.post("/login", data={"email": ADMIN[0], "password": ADMIN[1]})
    assert response.status_code == 400
    assert client.get("/users").status_code == 302


def test_the_scim_api_needs_no_csrf_token(app, admin):
    token = activate(admin)
    assert scim_user(app.test_client(), token)["userName"] == "prov@example.test"


# -- users ----------------------------------------------------------------------------------------------


def test_users_page_lists_users_with_level_status_and_provisioning_type(admin, sdm):
    token = activate(admin)
    scim_user(admin, token)
    page = admin.get("/users").text
    assert "prov@example.test" in page and "managed by Generic" in page
    assert "Auditor" in page and "sdm" in page and "Active" in page


def test_users_page_searches_by_name_or_email(admin):
    page = admin.get("/users?q=audra").text
    assert f"<td>{AUDITOR[0]}</td>" in page and f"<td>{ADMIN[0]}</td>" not in page
    assert "No user matches that search." in admin.get("/users?q=zzz-nobody").text


def test_users_page_pages_through_many_users(admin, sdm):
    for n in range(120):
        sdm.accounts.create_user({"email": f"u{n:03d}@example.test", "first_name": "U", "last_name": f"{n:03d}"})
    first = admin.get("/users").text
    assert "1–50 of 122 users" in first and "Page 1 of 3" in first
    assert first.count("<tr>") == 51  # header + 50 rows, never the whole table
    last = admin.get("/users?page=3").text
    assert "101–122 of 122 users" in last and "u119@example.test" in last and 'rel="next"' not in last
    assert "Page 1 of 3" in admin.get("/users?page=abc").text  # a bad page number falls back to page 1


@pytest.mark.parametrize("query", ["page=%C2%B2", "page=-1", "page=0", "page=99999999999999", "size=100000",
                                   "q=%25_%5C", "q=%00", "q=" + "x" * 5000, "page=1&page=2"])
def test_odd_query_strings_still_give_a_page(admin, query):
    response = admin.get(f"/users?{query}")
    assert response.status_code == 200 and "<h1>Users</h1>" in response.text


def test_an_admin_adds_a_native_user(admin, sdm):
    response = post(admin, "/users/new", {"email": "new@example.test", "first_name": "New", "last_name": "Person",
                                          "permission_level": "database-admin"}, "/users/new")
    assert response.status_code == 302
    user = sdm.accounts.find_user_by_email("new@example.test")
    assert user["permission_level"] == "database-admin" and user["managed_by"] == ""
    assert sdm.activities.list(verb="user added")[0]["actorEmail"] == ADMIN[0]


@pytest.mark.parametrize("fields, message", [
    ({"email": "not-an-email"}, "Enter a valid email address."),
    ({"first_name": ""}, "First name and last name are required."),
    ({"permission_level": "root-admin"}, "Choose a permission level from the list."),
    ({"email": AUDITOR[0]}, "A user with that email address already exists."),
])
def test_the_add_user_form_explains_what_is_wrong(admin, sdm, fields, message):
    before = sdm.accounts.count_users()
    data = {"email": "ok@example.test", "first_name": "Ok", "last_name": "Person", "permission_level": "user", **fields}
    response = post(admin, "/users/new", data, "/users/new")
    assert response.status_code == 400
    assert message in response.text
    assert sdm.accounts.count_users() == before


def test_an_admin_edits_suspends_and_reinstates_a_native_user(admin, sdm):
    user = sdm.accounts.find_user_by_email(AUDITOR[0])
    path = f"/users/{user['id']}"
    assert "Edit user" in admin.get(path).text
    post(admin, path, {"email": AUDITOR[0], "first_name": "Audrey", "last_name": "Tor", "permission_level": "user"}, path)
    assert sdm.accounts.get_user(user["id"])["first_name"] == "Audrey"
    post(admin, f"{path}/suspend", form_page=path)
    assert sdm.accounts.get_user(user["id"])["suspended"] is True
    assert "Reinstate user" in admin.get(path).text
    post(admin, f"{path}/reinstate", form_page=path)
    assert sdm.accounts.get_user(user["id"])["suspended"] is False


def test_a_provisioned_user_cannot_be_edited_here_and_the_page_says_why(admin, sdm):
    user = scim_user(admin, activate(admin))
    path = f"/users/{user['id']}"
    page = admin.get(path).text
    assert "cannot be" in page and "edited or suspended here" in page and "Edit user" not in page
    for action, data in [(path, {"email": "x@example.test", "first_name": "X", "last_name": "Y",
                                 "permission_level": "user"}), (f"{path}/suspend", {})]:
        response = post(admin, action, data, path)
        assert response.status_code == 409
        assert "managed by Generic through SCIM provisioning" in response.text
    assert sdm.accounts.get_user(user["id"])["email"] == "prov@example.test"
    assert sdm.accounts.get_user(user["id"])["suspended"] is False


@pytest.mark.parametrize("action, data", [
    ("suspend", {}),
    ("", {"email": ADMIN[0], "first_name": "Admin", "last_name": "User", "permission_level": "user"}),
])
def test_an_admin_cannot_lock_themselves_out(admin, sdm, action, data):
    me = sdm.accounts.find_user_by_email(ADMIN[0])
    path = f"/users/{me['id']}" + (f"/{action}" if action else "")
    response = post(admin, path, data, f"/users/{me['id']}")
    assert response.status_code == 409
    after = sdm.accounts.get_user(me["id"])
    assert after["permission_level"] == "admin" and after["suspended"] is False


def test_an_unknown_user_is_a_not_found_message_page(admin):
    response = admin.get("/users/a-0000000000000000")
    assert response.status_code == 404
    assert "There is no page at this address." in response.text and "Traceback" not in response.text


# -- non-administrators -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method, path", [
    ("GET", "/settings"),
    ("GET", "/settings/user-management"),
    ("GET", PROVISIONING),
    ("POST", f"{PROVISIONING}/activate"),
    ("GET", "/users/new"),
])
def test_a_non_administrator_gets_a_refusal_page(client, sdm, method, path):
    login(client, *AUDITOR)
    data = {"provider": "generic", "csrf_token": csrf(client, "/users")}
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    assert response.status_code == 403
    assert "Only users with the Administrator permission level" in response.text
    assert sdm.org.scim_provider() is None


def test_a_non_administrator_can_read_users_but_sees_no_edit_controls(client, sdm):
    login(client, *AUDITOR)
    assert "Add user" not in client.get("/users").text
    me = sdm.accounts.find_user_by_email(AUDITOR[0])
    assert "Edit user" not in client.get(f"/users/{me['id']}").text


# -- roles and activities -------------------------------------------------------------------------------


def test_roles_page_lists_roles_and_a_role_page_lists_its_members(admin, sdm):
    token = activate(admin)
    user = scim_user(admin, token)
    group = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineering",
             "members": [{"value": user["id"]}]}
    role = admin.post(f"{SCIM}/Groups", json=group, headers={"Authorization": f"Bearer {token}"}).json
    listing = admin.get("/roles").text
    assert "Engineering" in listing and "managed by Generic" in listing
    members = admin.get(f"/roles/{role['id']}").text
    assert "prov@example.test" in members and "1–1 of 1 members" in members


def test_a_role_page_pages_its_members(admin, sdm):
    ids = [sdm.accounts.create_user({"email": f"m{n}@example.test", "first_name": "M", "last_name": str(n)})["id"]
           for n in range(60)]
    role = sdm.accounts.create_role({"name": "Big"}, ids)
    page = admin.get(f"/roles/{role['id']}?page=2").text
    assert "51–60 of 60 members" in page and "m59@example.test" in page and "m0@example.test" not in page


def test_activity_log_is_paged_newest_first(admin, sdm):
    for n in range(60):
        sdm.accounts.create_user({"email": f"a{n}@example.test", "first_name": "A", "last_name": str(n)})
    first = admin.get("/activities").text
    assert "Added user a59@example.test." in first and "Added user a0@example.test." not in first
    assert "Page 1 of 2" in first


# -- Settings > User Management > Provisioning ------------------------------------------------------------


def test_provisioning_offers_the_three_documented_providers(admin):
    page = admin.get(PROVISIONING).text
    assert "SCIM Provider" in page and "Activate SCIM" in page
    assert re.findall(r'<option value="(\w+)">(\w+)</option>', page) == [
        ("generic", "Generic"), ("okta", "Okta"), ("azure", "Azure")]


def test_activate_scim_shows_a_working_token_once(app, admin, sdm):
    response = admin.post(f"{PROVISIONING}/activate", data={"provider": "generic", "csrf_token": csrf(admin, PROVISIONING)})
    token = re.search(r'id="scim-token" value="([^"]+)"', response.text).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    assert "displays one time only" in response.text and 'id="copy-token"' in response.text
    assert sdm.org.scim_provider() == "generic"
    assert token not in admin.get(PROVISIONING).text  # shown once
    assert "/provisioning/generic/v2" in admin.get(PROVISIONING).text
    assert scim_user(app.test_client(), token)


def test_the_copy_button_script_carries_the_pages_csp_nonce(admin):
    response = admin.post(f"{PROVISIONING}/activate", data={"provider": "okta", "csrf_token": csrf(admin, PROVISIONING)})
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.text


def test_regenerating_the_token_kills_the_old_one(app, admin):
    old = activate(admin)
    response = post(admin, f"{PROVISIONING}/regenerate", form_page=PROVISIONING)
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
    response = post(client, API_KEYS, {"name": name}, API_KEYS)
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
    assert sdm.activities.list(verb="API key created")[0]["actorEmail"] == ADMIN[0]


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
    from sim.strongdm.grpc_api import start_grpc

    _, access, secret = create_key(admin, "sdk check")
    server, port = start_grpc(sdm, "127.0.0.1", 0)
    try:
        client = strongdm.Client(access, secret, host=f"127.0.0.1:{port}", insecure=True,
                                 retry_rate_limit_errors=False)
        assert ADMIN[0] in {account.email for account in client.accounts.list("")}
        post(admin, f"{API_KEYS}/{access}/revoke", form_page=API_KEYS)
        with pytest.raises(strongdm.AuthenticationError):
            list(client.accounts.list(""))
        client.close()
    finally:
        server.stop(0).wait()


# -- fault injection, visible in the console -------------------------------------------------------------


def test_no_fault_banner_when_no_faults_are_set(admin):
    assert "Fault injection active" not in admin.get("/users").text


@pytest.mark.parametrize("path", ["/users", "/roles", "/activities", PROVISIONING, API_KEYS, "/users/a-0000000000000000"])
def test_active_faults_show_a_banner_with_their_rules_on_every_page(app, admin, path):
    faults.set_faults(app, ["503:0.2", "latency:50ms@GET /provisioning/*"])
    page = admin.get(path).text
    assert "Fault injection active:" in page
    assert "<code>503:0.2</code>" in page and "<code>latency:50ms@GET /provisioning/*</code>" in page


def test_the_fault_banner_is_not_shown_to_visitors_who_are_not_signed_in(app, client):
    faults.set_faults(app, ["503"])
    assert "Fault injection active" not in client.get("/login").text


def test_clearing_faults_removes_the_banner(app, admin):
    faults.set_faults(app, ["503"])
    faults.clear_faults(app)
    assert "Fault injection active" not in admin.get("/users").text


def test_the_activity_page_lists_recent_injected_faults(app, admin, sdm):
    token = activate(admin)
    assert "Injected faults" not in admin.get("/activities").text
    faults.set_faults(app, ["503@POST /provisioning/*"])
    response = admin.post(f"{SCIM}/Users", json={"userName": "x@example.test"},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    page = admin.get("/activities").text
    assert "Injected faults" in page
    assert f"POST {SCIM}/Users" in page and "<code>503@POST /provisioning/*</code>" in page
    assert sdm.accounts.find_user_by_email("x@example.test") is None


# -- errors -----------------------------------------------------------------------------------------------


def test_an_unexpected_error_is_a_message_page_without_a_stack_trace(app, admin, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(app.extensions["strongdm"].accounts, "list_users", broken)
    response = admin.get("/users")
    assert response.status_code == 500
    assert "unexpected error" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_a_wrong_method_is_a_message_page(admin):
    response = admin.delete("/users")
    assert response.status_code == 405
    assert "does not accept that kind of request" in response.text


def test_an_oversized_form_is_a_message_page(admin, sdm):
    response = admin.post("/users/new", data={"email": "x" * (3 * 1024 * 1024), "csrf_token": csrf(admin, "/users/new")})
    assert response.status_code == 413 and "more data than this console accepts" in response.text


def test_scim_errors_keep_their_scim_body(client):
    response = client.get(f"{SCIM}/Users")
    assert response.status_code == 401
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
