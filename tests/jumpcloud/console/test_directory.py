"""The JumpCloud Console's Users and User Groups pages: list, search, create, edit, suspend, delete, members."""

import re

import pytest

from tests.jumpcloud.console.helpers import first_group
from tests.jumpcloud.console.helpers import first_user
from tests.jumpcloud.console.helpers import post

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
