"""Hostile review (issue 15) on the StrongDM Admin UI: logout revokes the session (the UI and /_sim/faults),
sign-in throttling, and `next` with CR/LF."""

from sim.web.throttle import ACCOUNT_FAILURES
from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import csrf
from tests.strongdm.admin.helpers import login
from tests.strongdm.admin.helpers import post

COOKIE = "strongdm_admin_session"


def test_a_cookie_captured_before_logout_no_longer_works_anywhere(app, admin):
    captured = admin.get_cookie(COOKIE).value
    assert admin.get("/users").status_code == 200 and admin.get("/_sim/faults").status_code == 200
    assert post(admin, "/logout").status_code == 302
    for request in (lambda c: c.get("/_sim/faults"), lambda c: c.put("/_sim/faults", json={"rules": ["500"]}),
                    lambda c: c.get("/users")):
        thief = app.test_client()  # a fresh client each time: a refused page also clears the cookie it holds
        thief.set_cookie(COOKIE, captured)
        assert request(thief).status_code in (302, 401)
    assert app.extensions["faults"].active() == []


def test_after_too_many_wrong_passwords_the_account_is_throttled_even_with_the_right_one(client):
    for _ in range(ACCOUNT_FAILURES):
        assert login(client, ADMIN[0], "wrong").status_code == 401
    response = login(client, ADMIN[0], ADMIN[1])
    assert response.status_code == 429 and "Too many failed sign-ins" in response.text
    assert int(response.headers["Retry-After"]) > 0


def test_a_next_with_cr_lf_is_not_followed(client):
    response = client.post("/login", query_string={"next": "/users\r\nSet-Cookie: x=1"},
                           data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/users"
