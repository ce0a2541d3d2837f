"""The JumpCloud Console over Flask's test client: login, sessions, CSRF, error pages and the fault banner."""

import pytest

from sim.faults import middleware as faults
from sim.jumpcloud import create_app
from sim.store import Store
from tests.jumpcloud.console.helpers import PASSWORD
from tests.jumpcloud.console.helpers import csrf
from tests.jumpcloud.console.helpers import login
from tests.jumpcloud.console.helpers import new_strongdm_app
from tests.jumpcloud.console.helpers import post

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
    store = Store(None, synchronous="OFF")
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
