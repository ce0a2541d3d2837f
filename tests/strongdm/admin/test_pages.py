"""The StrongDM Admin UI over Flask's test client: login, sessions, CSRF, refusals, roles, activities, faults, errors."""

import pytest

from sim.faults import middleware as faults
from sim.store import Store
from sim.strongdm import create_app
from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import API_KEYS
from tests.strongdm.admin.helpers import AUDITOR
from tests.strongdm.admin.helpers import FAST
from tests.strongdm.admin.helpers import PROVISIONING
from tests.strongdm.admin.helpers import SCIM
from tests.strongdm.admin.helpers import activate
from tests.strongdm.admin.helpers import csrf
from tests.strongdm.admin.helpers import login
from tests.strongdm.admin.helpers import post
from tests.strongdm.admin.helpers import scim_user

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


@pytest.mark.parametrize("email", ["nobody@strongdm.test", AUDITOR[0]])
def test_unknown_and_suspended_emails_cost_a_password_check_like_a_wrong_password(client, sdm, monkeypatch, email):
    from sim.strongdm import org

    if email == AUDITOR[0]:
        user = sdm.accounts.find_user_by_email(email)
        sdm.accounts.update_user({**user, "suspended": True})
    checks = []
    real = org.check_password_hash
    monkeypatch.setattr(org, "check_password_hash", lambda *args: checks.append(1) or real(*args))
    assert login(client, email, "whatever").status_code == 401
    assert checks == [1]


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
    assert sdm.activities.list(verb="user logged into the Admin UI")[0]["actorEmail"] == ADMIN[0]


def test_logout_ends_the_session(admin):
    response = post(admin, "/logout")
    assert response.location == "/login"
    assert admin.get("/users").status_code == 302


def test_the_session_cookie_is_signed_with_a_per_install_secret(store):
    first = create_app(store)
    again = create_app(store)
    other_store = Store(None, synchronous="OFF")
    try:
        other = create_app(other_store)
        assert first.secret_key == again.secret_key  # the same install keeps its secret
        assert first.secret_key != other.secret_key
        assert len(first.secret_key) >= 32
        assert first.config["SESSION_COOKIE_NAME"] == "strongdm_admin_session"
    finally:
        other_store.close()


def test_passwords_are_hashed_with_scrypt_unless_a_setting_says_otherwise(store, sdm):
    default = create_app(Store(None, synchronous="OFF")).extensions["strongdm"]
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
    other_store = Store(None, synchronous="OFF")
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
