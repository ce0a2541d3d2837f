"""Hostile review (issue 15) on the JumpCloud Console: `next` with CR/LF, logout revokes the session, login
throttling, and a changed Base URL needs the token again."""

import pytest

from sim.web.throttle import ACCOUNT_FAILURES
from tests.jumpcloud.console.helpers import PASSWORD
from tests.jumpcloud.console.helpers import TOKEN
from tests.jumpcloud.console.helpers import csrf
from tests.jumpcloud.console.helpers import login
from tests.jumpcloud.console.helpers import new_strongdm_app
from tests.jumpcloud.console.helpers import post

COOKIE = "jumpcloud_console_session"


@pytest.mark.parametrize("target", ["/users\r\nSet-Cookie: x=1", "/users%0d%0aX: 1", "/\x00", "/users\t"])
def test_a_next_with_control_characters_lands_on_users_not_a_500(app, client, target):
    token = csrf(client)
    response = client.post("/login", query_string={"next": target},
                           data={"email": app.config["EMAIL"], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert not any(ord(c) < 0x20 for c in response.headers["Location"])


def test_a_cookie_captured_before_logout_no_longer_works(app, admin):
    captured = admin.get_cookie(COOKIE).value
    assert admin.get("/users").status_code == 200
    assert post(admin, "/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie(COOKIE, captured)
    assert thief.get("/users").status_code == 302  # sent to the login page


def test_logging_in_again_gives_a_new_session_and_the_old_one_stays_dead(app, admin):
    first = admin.get_cookie(COOKIE).value
    post(admin, "/logout")
    assert login(admin, app.config["EMAIL"], PASSWORD).status_code == 302
    assert admin.get("/users").status_code == 200
    thief = app.test_client()
    thief.set_cookie(COOKIE, first)
    assert thief.get("/users").status_code == 302


def test_after_too_many_wrong_passwords_the_account_is_throttled_even_with_the_right_one(app, client):
    for _ in range(ACCOUNT_FAILURES):
        assert login(client, app.config["EMAIL"], "wrong").status_code == 401
    response = login(client, app.config["EMAIL"], PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text and int(response.headers["Retry-After"]) > 0


def test_one_clients_failures_on_many_accounts_throttle_that_client(app, client, jc):
    from sim.web.throttle import CLIENT_FAILURES

    for n in range(CLIENT_FAILURES):
        assert login(client, f"nobody{n}@example.test", "wrong").status_code == 401
    assert login(client, app.config["EMAIL"], PASSWORD).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert login(other, app.config["EMAIL"], PASSWORD).status_code == 302


def test_a_successful_login_clears_the_accounts_failures(app, client):
    for _ in range(ACCOUNT_FAILURES - 1):
        login(client, app.config["EMAIL"], "wrong")
    assert login(client, app.config["EMAIL"], PASSWORD).status_code == 302
    post(client, "/logout")
    assert login(client, app.config["EMAIL"], "wrong").status_code == 401
    assert login(client, app.config["EMAIL"], PASSWORD).status_code == 302


def test_a_changed_base_url_needs_the_token_entered_again(admin, jc):
    app_id = new_strongdm_app(admin, jc)
    path = f"/sso/{app_id}/identity-management"
    data = {"base_url": "http://127.0.0.1:9/provisioning/generic/v2", "token": TOKEN, "action": "save"}
    assert post(admin, path, data, path).status_code == 302
    moved = {**data, "base_url": "http://127.0.0.1:8/attacker/v2", "token": ""}
    response = post(admin, path, moved, path)
    assert response.status_code == 400 and "enter the Token Key again" in response.text
    assert jc.pusher.idm.get(app_id)["base_url"] == data["base_url"]
    same = {**data, "token": ""}  # the same Base URL with Token left empty keeps the stored token
    assert post(admin, path, same, path).status_code == 302
    assert jc.pusher.idm.get(app_id)["token"] == TOKEN
