"""The Admin UI's SCIM Inspector page: for Administrators, filterable, paged, never the token."""

from tests.strongdm.admin.helpers import AUDITOR
from tests.strongdm.admin.helpers import activate
from tests.strongdm.admin.helpers import login
from tests.strongdm.admin.helpers import scim_user

PAGE = "/scim-inspector"


def test_it_shows_what_the_receiver_got_and_answered_without_the_token(admin):
    token = activate(admin)
    scim_user(admin, token, "prov@example.test")
    admin.get("/provisioning/generic/v2/Users")  # refused: no token
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert "POST /provisioning/generic/v2/Users" in page.text and "prov@example.test" in page.text
    assert "401" in page.text and "Bearer [redacted]" in page.text and token not in page.text


def test_it_filters_by_user_and_says_when_nothing_matches(admin):
    token = activate(admin)
    scim_user(admin, token, "ada@example.test")
    scim_user(admin, token, "bob@example.test")
    page = admin.get(PAGE, query_string={"user": "bob@"}).text
    assert "bob@example.test" in page and "ada@example.test" not in page
    assert "No SCIM exchanges match." in admin.get(PAGE, query_string={"group": "none"}).text


def test_it_pages(admin):
    token = activate(admin)
    for n in range(3):
        scim_user(admin, token, f"u{n}@example.test")
    page = admin.get(PAGE, query_string={"size": 2, "page": 2}).text
    assert "3–3 of 3 exchanges" in page and "u0@example.test" in page and "u2@example.test" not in page


def test_it_is_in_the_navigation(admin):
    assert f'href="{PAGE}"' in admin.get("/users").text


def test_anonymous_visitors_go_to_login_and_other_levels_are_refused(client):
    assert client.get(PAGE).status_code == 302
    login(client, *AUDITOR)
    assert client.get(PAGE).status_code == 403


def test_an_admin_session_may_read_the_json_too(admin):
    assert admin.get("/_sim/exchanges").status_code == 200
