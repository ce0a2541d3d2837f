"""The JumpCloud Console over Flask's test client: every page and form, refusals, CSRF, and provisioning triggers."""

import re
import shutil

import pytest

from sim import faults
from sim.jumpcloud import create_app
from sim.jumpcloud import query as q
from sim.jumpcloud.models import seed_if_empty
from sim.serve import ServerThread
from sim.store import Store
from sim.strongdm import create_app as create_strongdm

PASSWORD = "console password 1"
TOKEN = "console-test-token-0123456789"
FAST = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # tests only: scrypt costs ~0.15 s a hash


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One seeded state file per module (Faker and password hashing are slow); each test gets a copy."""
    path = tmp_path_factory.mktemp("seeded") / "jumpcloud.sqlite3"
    store = Store(path, synchronous="OFF")
    email = seed_if_empty(create_app(store, settings=FAST).extensions["jumpcloud"], seed=3, users=60, groups=4,
                          admin_password=PASSWORD)["admin"]["email"]
    store.close()
    return path, email


@pytest.fixture
def store(seeded, tmp_path):
    path = tmp_path / "jumpcloud.sqlite3"
    shutil.copyfile(seeded[0], path)
    store = Store(path, synchronous="OFF")
    yield store
    store.close()


@pytest.fixture
def app(store, seeded):
    app = create_app(store, settings=FAST)
    app.config["EMAIL"] = seeded[1]
    yield app
    app.extensions["jumpcloud"].pusher.stop()


@pytest.fixture
def jc(app):
    return app.extensions["jumpcloud"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(app, client):
    assert login(client, app.config["EMAIL"], PASSWORD).status_code == 302
    return client


@pytest.fixture
def strongdm():
    """A live StrongDM receiver on a loopback port, SCIM active with TOKEN."""
    store = Store(None, synchronous="OFF")
    server = ServerThread(create_strongdm(store, token=TOKEN)).start()
    yield server
    server.stop()
    store.close()


def csrf(client, path="/login") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def login(client, email, password):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf(client)})


def post(client, path, data=None, form_page="/users"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, form_page)})


def first_user(jc) -> dict:
    return jc.directory.list_users(q.Query(limit=1, order=[("username", False)]))[1][0]


def first_group(jc) -> dict:
    return jc.directory.list_groups(q.Query(limit=1))[0]


def new_strongdm_app(admin, jc, label="StrongDM") -> str:
    response = post(admin, "/sso/new/strongdm", {"displayLabel": label}, "/sso/new/strongdm?configure=1")
    return re.search(r"/sso/([0-9a-f]{24})/general", response.location).group(1)


# -- login -------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/sso")
    assert response.status_code == 302 and response.location.startswith("/login?next=")


def test_an_administrator_logs_in_and_lands_on_users(app, client):
    response = login(client, app.config["EMAIL"], PASSWORD)
    assert response.location == "/users"
    assert "<h1>Users</h1>" in client.get("/users").text


@pytest.mark.parametrize("password", ["wrong", ""])
def test_a_wrong_password_is_refused(app, client, password):
    response = login(client, app.config["EMAIL"], password)
    assert response.status_code == 401 and "The email or password is incorrect." in response.text
    assert client.get("/users").status_code == 302


@pytest.mark.parametrize("role", ["Manager", "Help Desk", "Read Only"])
def test_non_administrator_roles_are_refused_at_login(jc, client, role):
    jc.org.create_admin(f"{role.replace(' ', '').lower()}@example.test", PASSWORD, role=role)
    response = login(client, f"{role.replace(' ', '').lower()}@example.test", PASSWORD)
    assert response.status_code == 403
    assert f"Your administrator role ({role}) cannot sign in" in response.text
    assert client.get("/users").status_code == 302


def test_administrator_with_billing_may_log_in(jc, client):
    jc.org.create_admin("billing@example.test", PASSWORD, role="Administrator with Billing")
    assert login(client, "billing@example.test", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_scrypt_unless_a_setting_says_otherwise(jc):
    store = Store(None)
    try:
        default = create_app(store)
        default.extensions["jumpcloud"].org.create_admin("scrypt@example.test", PASSWORD)
        assert store.read().execute("SELECT password_hash FROM jc_admins").fetchone()[0].startswith("scrypt:")
        default.extensions["jumpcloud"].pusher.stop()
    finally:
        store.close()
    fast = jc.store.read().execute("SELECT password_hash FROM jc_admins LIMIT 1").fetchone()[0]
    assert fast.startswith("pbkdf2:sha256:1000$")


def test_logout_ends_the_session(admin):
    assert post(admin, "/logout").location == "/login"
    assert admin.get("/users").status_code == 302


def test_the_session_cookie_has_its_own_name_so_both_consoles_can_share_127_0_0_1(app):
    assert app.config["SESSION_COOKIE_NAME"] == "jumpcloud_console_session"
    assert app.secret_key and len(app.secret_key) >= 32


# -- CSRF and errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "forged"])
@pytest.mark.parametrize("path, data", [
    ("/users/new", {"username": "x", "email": "x@example.test"}),
    ("/groups/new", {"name": "Forged"}),
    ("/sso/new/strongdm", {"displayLabel": "Forged"}),
])
def test_a_form_without_the_right_csrf_token_is_refused_and_changes_nothing(admin, jc, path, data, token):
    before = jc.directory.last_seq()
    response = admin.post(path, data=data if token is None else {**data, "csrf_token": token})
    assert response.status_code == 400 and "security token (CSRF)" in response.text
    assert jc.directory.last_seq() == before


def test_the_login_form_is_csrf_protected(app, client):
    response = client.post("/login", data={"email": app.config["EMAIL"], "password": PASSWORD})
    assert response.status_code == 400


def test_api_paths_keep_their_json_errors_and_need_no_csrf(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code in (401, 404) and response.is_json
    assert client.post("/api/systemusers", json={}).is_json


@pytest.mark.parametrize("path", ["/no-such-page", "/users/not-an-id", "/groups/0123456789abcdef01234567",
                                  "/sso/0123456789abcdef01234567/general", "/sso/new/no-such-app"])
def test_unknown_pages_are_message_pages(admin, path):
    response = admin.get(path)
    assert response.status_code == 404 and "text/html" in response.content_type
    assert "Traceback" not in response.text


def test_an_oversized_form_is_a_message_page(admin):
    response = admin.post("/groups/new", data={"name": "x" * (3 * 1024 * 1024), "csrf_token": csrf(admin, "/groups/new")})
    assert response.status_code == 413 and "more data than this console accepts" in response.text


def test_an_unexpected_error_is_a_message_page_without_details(admin, jc, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(jc.directory, "list_users", broken)
    response = admin.get("/users")
    assert response.status_code == 500 and "secret internals" not in response.text


# -- users ------------------------------------------------------------------------------------------------


def test_users_are_listed_a_page_at_a_time_and_searchable(admin, jc):
    page = admin.get("/users").text
    assert "1–50 of 60 users" in page and len(re.findall(r'href="/users/[0-9a-f]{24}"', page)) == 50
    assert "51–60 of 60 users" in admin.get("/users?page=2").text
    user = first_user(jc)
    found = admin.get(f"/users?q={user['username']}").text
    assert user["email"] in found


@pytest.mark.parametrize("path", ["/users?page=%C2%B2", "/users?page=99999999999999", "/users?q=%25_%5C",
                                  "/users?q=%00", "/groups?q=" + "x" * 5000, "/sso?size=100000",
                                  "/sso/new?q=%F0%9F%92%A9"])
def test_odd_query_strings_still_give_a_page(admin, path):
    response = admin.get(path)
    assert response.status_code == 200 and "<h1>" in response.text


def test_creating_a_user_goes_through_the_directory(admin, jc):
    before = jc.directory.last_seq()
    response = post(admin, "/users/new", {"username": "new.person", "email": "new.person@example.test",
                                          "firstname": "New", "lastname": "Person", "state": "STAGED"}, "/users/new")
    assert response.status_code == 302
    user = jc.directory.find_user(username="new.person")
    assert user["state"] == "STAGED"
    assert jc.directory.changes_since(before)[0]["action"] == "create"


@pytest.mark.parametrize("fields, message", [
    ({"email": "not-an-email"}, "email must be a valid email address"),
    ({"username": "has space"}, "username must not contain whitespace"),
    ({"username": ""}, "username is required"),
])
def test_the_new_user_form_shows_the_directorys_reason(admin, jc, fields, message):
    before = jc.directory.user_count()
    data = {"username": "ok", "email": "ok@example.test", **fields}
    response = post(admin, "/users/new", data, "/users/new")
    assert response.status_code == 400 and message in response.text
    assert jc.directory.user_count() == before


def test_a_taken_username_is_refused(admin, jc):
    user = first_user(jc)
    response = post(admin, "/users/new", {"username": user["username"], "email": "fresh@example.test"}, "/users/new")
    assert response.status_code == 400 and "User already exists" in response.text


def test_editing_suspending_activating_and_deleting_a_user(admin, jc):
    user = first_user(jc)
    path = f"/users/{user['_id']}"
    assert user["email"] in admin.get(path).text
    post(admin, path, {"username": user["username"], "email": user["email"], "firstname": "Renamed",
                       "lastname": user["lastname"]}, path)
    assert jc.directory.get_user(user["_id"])["firstname"] == "Renamed"
    post(admin, f"{path}/suspend", form_page=path)
    assert jc.directory.get_user(user["_id"])["state"] == "SUSPENDED"
    post(admin, f"{path}/activate", form_page=path)
    assert jc.directory.get_user(user["_id"])["state"] == "ACTIVATED"
    response = post(admin, f"{path}/delete", form_page=path)
    assert response.location == "/users"
    assert jc.directory.find_user(username=user["username"]) is None


def test_a_user_is_added_to_and_removed_from_a_group_on_its_page(admin, jc):
    user = first_user(jc)
    group = jc.directory.create_group({"name": "Fresh Group"})
    path = f"/users/{user['_id']}"
    post(admin, f"{path}/groups", {"op": "add", "group_id": group["id"]}, path)
    assert group["id"] in jc.directory.user_group_ids(user["_id"])
    assert "Fresh Group" in admin.get(path).text
    post(admin, f"{path}/groups", {"op": "remove", "group_id": group["id"]}, path)
    assert group["id"] not in jc.directory.user_group_ids(user["_id"])
    response = post(admin, f"{path}/groups", {"op": "remove", "group_id": group["id"]}, path)
    assert response.status_code == 400 and "not a member" in response.text


# -- user groups ------------------------------------------------------------------------------------------


def test_groups_are_listed_with_member_counts(admin, jc):
    group = first_group(jc)
    page = admin.get("/groups").text
    assert group["name"] in page and "of 4 groups" in page
    assert f"<td>{jc.directory.count_group_members(group['id'])}</td>" in page


def test_creating_renaming_and_deleting_a_group(admin, jc):
    response = post(admin, "/groups/new", {"name": "Platform", "description": "SREs"}, "/groups/new")
    group = jc.directory.find_group("Platform")
    assert response.location == f"/groups/{group['id']}"
    path = response.location
    post(admin, path, {"name": "Platform Team", "description": "SREs"}, path)
    assert jc.directory.get_group(group["id"])["name"] == "Platform Team"
    post(admin, f"{path}/delete", form_page=path)
    assert jc.directory.find_group("Platform Team") is None


def test_a_duplicate_group_name_is_refused(admin, jc):
    response = post(admin, "/groups/new", {"name": first_group(jc)["name"]}, "/groups/new")
    assert response.status_code == 409 and "already exists" in response.text


def test_group_members_are_added_by_username_and_removed(admin, jc):
    group = jc.directory.create_group({"name": "Empty"})
    user = first_user(jc)
    path = f"/groups/{group['id']}"
    post(admin, f"{path}/members", {"op": "add", "user": user["email"]}, path)
    assert jc.directory.group_member_ids(group["id"]) == [user["_id"]]
    assert "1–1 of 1 members" in admin.get(path).text
    post(admin, f"{path}/members", {"op": "remove", "user_id": user["_id"]}, path)
    assert jc.directory.group_member_ids(group["id"]) == []
    response = post(admin, f"{path}/members", {"op": "add", "user": "nobody-at-all"}, path)
    assert response.status_code == 400 and "No user has the username or email" in response.text


# -- SSO --------------------------------------------------------------------------------------------------


def test_the_catalog_search_finds_strongdm(admin):
    page = admin.get("/sso/new?q=strongdm").text
    assert 'href="/sso/new/strongdm"' in page and "Slack" not in page
    assert "No application in the catalog matches" in admin.get("/sso/new?q=zzz").text


def test_configure_then_save_creates_the_app_from_the_catalog(admin, jc):
    assert 'href="/sso/new/strongdm?configure=1"' in admin.get("/sso/new/strongdm").text
    assert "Display Label" in admin.get("/sso/new/strongdm?configure=1").text
    app_id = new_strongdm_app(admin, jc, "StrongDM (ops)")
    app = jc.directory.get_app(app_id)
    assert app["name"] == "strongdm" and app["displayLabel"] == "StrongDM (ops)"
    assert "StrongDM (ops)" in admin.get("/sso").text


def test_general_info_saves_display_label_and_description(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/general"
    post(admin, path, {"displayLabel": "SDM", "description": "Access"}, path)
    app = jc.directory.get_app(app_id)
    assert (app["displayLabel"], app["description"]) == ("SDM", "Access")
    response = post(admin, path, {"displayLabel": " "}, path)
    assert response.status_code == 400 and "Display Label is required" in response.text


def test_bookmark_activates_a_url_and_refuses_others(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/bookmark"
    post(admin, path, {"url": "https://app.strongdm.com/app/login", "action": "activate"}, path)
    assert jc.directory.get_app(app_id)["bookmark"] == {"url": "https://app.strongdm.com/app/login", "active": True}
    assert post(admin, path, {"url": "javascript:alert(1)"}, path).status_code == 400
    post(admin, path, {"action": "deactivate"}, path)
    assert jc.directory.get_app(app_id)["bookmark"]["active"] is False


def test_identity_management_starts_with_a_configure_button(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    page = admin.get(f"/sso/{app_id}/identity-management").text
    assert "configure" in page and "Base URL" not in page
    form = admin.get(f"/sso/{app_id}/identity-management?configure=1").text
    assert "https://app.strongdm.com/provisioning/generic/v2" in form  # the catalog's default Base URL
    assert "Enable management of User Groups and Group Membership in this application" in form


@pytest.mark.parametrize("fields, message", [
    ({"token": ""}, "Token Key is required"),
    ({"base_url": "http://127.0.0.1:9/provisioning/generic/v2/"}, "must not end with"),
    ({"base_url": "ftp://example.test/scim"}, "must be an http(s) URL"),
])
def test_identity_management_settings_are_checked(admin, jc, fields, message):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": "http://127.0.0.1:9/provisioning/generic/v2", "token": TOKEN, "action": "save", **fields}
    response = post(admin, path, data, path)
    assert response.status_code == 400 and message in response.text
    assert jc.pusher.idm.get(app_id) is None


def test_activate_runs_the_connection_test_and_provisioning_follows(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": f"{strongdm.url}/provisioning/generic/v2", "token": TOKEN, "group_management": "on",
            "test_user_email": "probe@example.test", "action": "activate"}
    response = post(admin, path, data, path)
    assert response.status_code == 302
    assert "Identity Management is active" in admin.get(path).text
    assert jc.pusher.idm.get(app_id)["status"] == "active"
    group = first_group(jc)
    groups_path = f"/sso/{app_id}/groups"
    page = admin.get(groups_path).text
    assert f'value="{group["id"]}"' in page and "checked" not in page
    response = post(admin, groups_path, {"shown": [group["id"]], "group": [group["id"]]}, groups_path)
    assert "Saved: 1 group added, 0 removed." in admin.get(response.location).text
    assert jc.pusher.wait_idle(30)["idle"]
    sdm = strongdm.app.extensions["strongdm"]
    members = {jc.directory.get_user(u)["email"] for u in jc.directory.group_member_ids(group["id"])
               if jc.directory.get_user(u)["state"] == "ACTIVATED"}
    assert members and all(sdm.accounts.find_user_by_email(e) for e in members)
    events = admin.get(f"/sso/{app_id}/provisioning").text
    assert "user_create_provision" in events and "0 changes waiting to be sent" in events


def test_save_after_activate_keeps_it_active_but_a_changed_setting_pauses_it(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    base = {"base_url": f"{strongdm.url}/provisioning/generic/v2", "group_management": "on",
            "test_user_email": "probe@example.test"}
    post(admin, path, {**base, "token": TOKEN, "action": "activate"}, path)
    post(admin, path, {**base, "action": "save"}, path)  # token left empty: the saved one is kept
    assert jc.pusher.idm.get(app_id)["status"] == "active"
    response = post(admin, path, {**base, "group_management": None, "action": "save"}, path)
    assert "provisioning is paused until you click Activate again" in admin.get(response.location).text
    assert jc.pusher.idm.get(app_id)["status"] == "configured"


def test_a_failed_activation_shows_the_reason_and_the_requests(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": f"{strongdm.url}/provisioning/generic/v2", "token": "wrong-token-0123456789",
            "group_management": "on", "test_user_email": "probe@example.test", "action": "activate"}
    response = post(admin, path, data, path)
    assert response.status_code == 400
    assert "There was a problem activating identity management" in response.text
    assert "Connection test" in response.text and "GET /Users" in response.text
    assert jc.pusher.idm.get(app_id)["status"] == "failed"
    assert "Activation failed" in admin.get("/sso").text
    events = admin.get(f"/sso/{app_id}/provisioning?failed=1").text
    assert "integration_activate" in events and "failed" in events


def test_deactivate_stops_provisioning(admin, jc, strongdm):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    post(admin, path, {"base_url": f"{strongdm.url}/provisioning/generic/v2", "token": TOKEN,
                       "test_user_email": "probe@example.test", "action": "activate"}, path)
    response = post(admin, f"{path}/deactivate", form_page=path)
    assert "Identity Management is deactivated" in admin.get(response.location).text
    assert jc.pusher.idm.get(app_id)["status"] == "configured"


def test_user_groups_tab_unbinds_only_groups_shown_on_the_page(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    groups = [g["id"] for g in jc.directory.list_groups(q.Query(limit=10))]
    for group_id in groups:
        jc.directory.change_binding(app_id, "add", "user_group", group_id)
    path = f"/sso/{app_id}/groups"
    post(admin, path, {"shown": groups[:2], "group": groups[:1]}, path)
    assert set(jc.directory.bound_ids(app_id, "user_group")) == {groups[0], *groups[2:]}


def test_deleting_an_app(admin, jc):
    app_id = new_strongdm_app(admin, jc, "Doomed")
    response = post(admin, f"/sso/{app_id}/delete", form_page=f"/sso/{app_id}/general")
    assert response.location == "/sso" and ">Doomed</a>" not in admin.get("/sso").text


# -- fault injection, visible in the console -------------------------------------------------------------


def test_no_fault_banner_when_no_faults_are_set(admin):
    assert "Fault injection active" not in admin.get("/users").text


@pytest.mark.parametrize("path", ["/users", "/groups", "/sso", "/sso/new", "/sso/new/strongdm", "/no-such-page"])
def test_active_faults_show_a_banner_with_their_rules_on_every_page(app, admin, path):
    faults.set_faults(app, ["429:0.5:retry-after=2", "outage:10m@/api/v2/*"])
    page = admin.get(path).text
    assert "Fault injection active:" in page
    assert "<code>429:0.5:retry-after=2</code>" in page and "<code>outage:" in page


def test_the_fault_banner_is_not_shown_to_visitors_who_are_not_signed_in(app, client):
    faults.set_faults(app, ["503"])
    assert "Fault injection active" not in client.get("/login").text


def test_the_provisioning_tab_lists_recent_injected_faults(app, admin, jc):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/provisioning"
    assert "Injected faults" not in admin.get(path).text
    faults.set_faults(app, ["503@GET /api/systemusers"])
    assert admin.get("/api/systemusers").status_code == 503
    page = admin.get(path).text
    assert "Injected faults" in page and "GET /api/systemusers" in page
    assert "<code>503@GET /api/systemusers</code>" in page and "Fault injection active:" in page
