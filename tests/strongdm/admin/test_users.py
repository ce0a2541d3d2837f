"""The StrongDM Admin UI's Users pages: listing, search, paging, adding, editing, suspending, managed users."""

import pytest

from tests.strongdm.admin.helpers import ADMIN
from tests.strongdm.admin.helpers import AUDITOR
from tests.strongdm.admin.helpers import activate
from tests.strongdm.admin.helpers import post
from tests.strongdm.admin.helpers import scim_user

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
