"""JumpCloud REST API v1 over real HTTP: systemusers (list, filter, CRUD, state, search) and applications."""

import pytest

from sim.fake import directory as fake
from tests.jumpcloud.api.helpers import v1_error


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(3, 120, 6)


def all_users(api, **params):
    """Every user matching `params`, in two pages of 100 (the fixture has 120)."""
    pages = [api.get("/api/systemusers", params={**params, "limit": 100, "skip": skip}).json() for skip in (0, 100)]
    return pages[0]["totalCount"], pages[0]["results"] + pages[1]["results"]


def some_user(api, **filters):
    return api.get("/api/systemusers", params={"limit": 1, "sort": "_id", **filters}).json()["results"][0]


def test_list_returns_the_envelope_with_ten_by_default(api):
    body = api.get("/api/systemusers").json()
    assert set(body) == {"totalCount", "results"}
    assert body["totalCount"] == 120 and len(body["results"]) == 10
    assert all("_id" in u and "id" not in u for u in body["results"])


@pytest.mark.parametrize("page_size", [1, 7, 100])
def test_a_client_paging_with_limit_and_skip_sees_every_user_exactly_once(api, page_size):
    seen, skip = [], 0
    while True:
        page = api.get("/api/systemusers", params={"limit": page_size, "skip": skip, "sort": "_id"}).json()["results"]
        seen.extend(u["_id"] for u in page)
        if len(page) < page_size:
            break
        skip += page_size
    assert len(seen) == len(set(seen)) == 120


def test_limit_over_100_is_clamped_not_refused(api):
    response = api.get("/api/systemusers", params={"limit": 1000})
    assert response.status_code == 200 and len(response.json()["results"]) == 100


@pytest.mark.parametrize("params", [{"limit": "abc"}, {"limit": "-1"}, {"skip": "x"}, {"skip": "-5"},
                                    {"filter": "username"}, {"filter": "username:$like:a"},
                                    {"filter": "bad field:$eq:a"}, {"filter[foo]": "username:$eq:a"},
                                    {"filter": "activated:$eq:maybe"}, {"sort": "a;b"}])
def test_bad_query_parameters_are_400_in_the_v1_error_shape(api, params):
    response = api.get("/api/systemusers", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["status"] == "Bad Request" and body["message"] and "details" in body


@pytest.mark.parametrize("sort", ["username", "-username", "department username", "department,username"])
def test_sort_is_space_or_comma_separated_with_minus_for_descending(api, sort):
    results = api.get("/api/systemusers", params={"sort": sort, "limit": 100}).json()["results"]
    keys = [k.lstrip("-") for k in sort.replace(",", " ").split()]
    rows = [tuple(u[k].lower() for k in keys) for u in results]
    assert rows == sorted(rows, reverse=sort.startswith("-"))


@pytest.mark.parametrize("fields", ["username email", "username,email"])
def test_fields_projects_and_always_keeps_the_id(api, fields):
    user = api.get("/api/systemusers", params={"fields": fields, "limit": 1}).json()["results"][0]
    assert set(user) == {"_id", "username", "email"}


def test_fields_with_minus_excludes(api):
    user = api.get("/api/systemusers", params={"fields": "-addresses -phoneNumbers", "limit": 1}).json()["results"][0]
    assert "addresses" not in user and "username" in user


@pytest.mark.parametrize("op", ["$eq", "eq"])
def test_filter_eq_with_or_without_the_dollar(api, op):
    user = some_user(api)
    body = api.get("/api/systemusers", params={"filter": f"username:{op}:{user['username']}"}).json()
    assert [u["_id"] for u in body["results"]] == [user["_id"]] and body["totalCount"] == 1


@pytest.mark.parametrize(("flt", "check"), [
    ("state:$ne:ACTIVATED", lambda u: u["state"] != "ACTIVATED"),
    ("state:$in:STAGED|SUSPENDED", lambda u: u["state"] in ("STAGED", "SUSPENDED")),
    ("state:$nin:STAGED|SUSPENDED", lambda u: u["state"] == "ACTIVATED"),
    ("department:$sw:Eng", lambda u: u["department"].startswith("Eng")),
    ("suspended:$eq:true", lambda u: u["suspended"] is True),
    ("created:$gte:2023-01-01", lambda u: u["created"] >= "2023-01-01"),
    ("created:$lt:2023-01-01", lambda u: u["created"] < "2023-01-01"),
])
def test_filter_operators_select_exactly_the_matching_users(api, flt, check):
    total, matched = all_users(api, filter=flt)
    expected = sorted(u["_id"] for u in all_users(api)[1] if check(u))
    assert expected and sorted(u["_id"] for u in matched) == expected
    assert total == len(expected)


def test_numbered_filters_and_and_or_filters_or(api):
    a, b = api.get("/api/systemusers", params={"limit": 2, "sort": "_id"}).json()["results"]
    both = {"filter[0]": f"username:$eq:{a['username']}", "filter[1]": f"email:$eq:{a['email']}"}
    assert api.get("/api/systemusers", params=both).json()["totalCount"] == 1
    clash = {"filter[0]": f"username:$eq:{a['username']}", "filter[1]": f"email:$eq:{b['email']}"}
    assert api.get("/api/systemusers", params=clash).json()["totalCount"] == 0
    either = {"filter[or][0]": f"username:$eq:{a['username']}", "filter[or][1]": f"username:$eq:{b['username']}"}
    assert api.get("/api/systemusers", params=either).json()["totalCount"] == 2


def test_search_matches_names_case_insensitively(api):
    user = some_user(api)
    body = api.get("/api/systemusers", params={"search": user["lastname"].upper()}).json()
    assert user["_id"] in [u["_id"] for u in body["results"]]
    assert all(user["lastname"].lower() in (u["lastname"] + u["username"] + u["email"] + u["firstname"]
                                            + u["displayname"]).lower() for u in body["results"])


def test_create_returns_the_full_user_activated_by_default(api):
    response = api.post("/api/systemusers", json={"username": "newbie", "email": "newbie@example.com",
                                                  "firstname": "New", "password": "s3cret!", "unknownField": 1})
    assert response.status_code == 200
    user = response.json()
    assert user["state"] == "ACTIVATED" and user["activated"] is True and len(user["_id"]) == 24
    assert "password" not in user and "unknownField" not in user and user["password_date"]
    assert api.get(f"/api/systemusers/{user['_id']}").json() == user


@pytest.mark.parametrize("body", [{"email": "x@example.com"}, {"username": "x"}, {"username": "", "email": "x@example.com"},
                                  {"username": "x y", "email": "x@example.com"},
                                  {"username": "x", "email": "not-an-email"},
                                  {"username": "x", "email": "x@example.com", "state": "ASLEEP"},
                                  {"username": "x", "email": "x@example.com", "sudo": "yes"},
                                  {"username": "x", "email": "x@example.com", "unix_uid": -1},
                                  {"username": "x", "email": "x@example.com", "phoneNumbers": "555"},
                                  {"username": "x", "email": "x@example.com", "manager": "f" * 24},
                                  {"username": "x" * 1025, "email": "x@example.com"}, ["x"], "x"])
def test_invalid_create_bodies_are_400_and_change_nothing(api, body):
    before = api.jc.directory.last_seq()
    response = api.post("/api/systemusers", json=body)
    assert response.status_code == 400 and response.json()["code"] == 400
    assert api.jc.directory.last_seq() == before and api.jc.directory.user_count() == 120


@pytest.mark.parametrize("raw", [b"{", b"\xff\xfe", b"null", b""])
def test_malformed_json_is_400(api, raw):
    response = api.post("/api/systemusers", data=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["username", "email"])
def test_a_duplicate_username_or_email_is_400_user_already_exists(api, field):
    user = some_user(api)
    body = {"username": "fresh", "email": "fresh@example.com", field: user[field].upper()}
    response = api.post("/api/systemusers", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == "User already exists"
    assert response.json()["details"][0]["field"] == field


def test_put_merges_only_the_sent_fields(api):
    user = some_user(api)
    updated = api.put(f"/api/systemusers/{user['_id']}", json={"jobTitle": "Astronaut"}).json()
    assert updated["jobTitle"] == "Astronaut" and updated["firstname"] == user["firstname"]
    assert api.get(f"/api/systemusers/{user['_id']}").json()["jobTitle"] == "Astronaut"


@pytest.mark.parametrize(("body", "state"), [({"state": "SUSPENDED"}, "SUSPENDED"), ({"suspended": True}, "SUSPENDED")])
def test_put_can_suspend(api, body, state):
    user = some_user(api, filter="state:$eq:ACTIVATED")
    updated = api.put(f"/api/systemusers/{user['_id']}", json=body).json()
    assert (updated["state"], updated["suspended"]) == (state, True)


def test_put_cannot_stage(api):
    user = some_user(api)
    assert api.put(f"/api/systemusers/{user['_id']}", json={"state": "STAGED"}).status_code == 400


def test_state_endpoints_activate_a_staged_user_and_suspend_it(api):
    user = some_user(api, filter="state:$eq:STAGED")
    activated = api.post(f"/api/systemusers/{user['_id']}/state/activate", json={"email": False}).json()
    assert (activated["state"], activated["activated"]) == ("ACTIVATED", True)
    suspended = api.post(f"/api/systemusers/{user['_id']}/state/suspend").json()
    assert (suspended["state"], suspended["suspended"]) == ("SUSPENDED", True)


def test_delete_returns_the_deleted_user_then_it_is_gone(api):
    user = api.post("/api/systemusers", json={"username": "temp", "email": "temp@example.com"}).json()
    deleted = api.delete(f"/api/systemusers/{user['_id']}")
    assert deleted.status_code == 200 and deleted.json()["_id"] == user["_id"]
    assert api.get(f"/api/systemusers/{user['_id']}").status_code == 404


def test_deleting_a_manager_is_409_unless_cascade_manager_null(api):
    manager_id = some_user(api, filter="manager:$ne:null")["manager"]
    assert api.delete(f"/api/systemusers/{manager_id}").status_code == 409
    assert api.delete(f"/api/systemusers/{manager_id}", params={"cascade_manager": "null"}).status_code == 200
    assert api.get("/api/systemusers", params={"filter": f"manager:$eq:{manager_id}"}).json()["totalCount"] == 0


@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("put", ""), ("delete", ""),
                                                ("post", "/state/activate"), ("post", "/state/suspend")])
@pytest.mark.parametrize(("user_id", "status"), [("f" * 24, 404), ("not-an-id", 400)])
def test_unknown_ids_are_404_and_malformed_ids_400(api, method, suffix, user_id, status):
    kwargs = {"json": {"jobTitle": "x"}} if method == "put" else {}
    response = getattr(api, method)(f"/api/systemusers/{user_id}{suffix}", **kwargs)
    assert response.status_code == status and response.json()["code"] == status


def test_trailing_slash_on_the_collection_is_accepted(api):
    assert api.get("/api/systemusers/").json()["totalCount"] == 120


def test_search_endpoint_takes_a_filter_body_and_paging_in_the_query(api):
    body = {"filter": {"and": [{"state": "ACTIVATED"}, {"department": {"$in": ["Sales", "Support"]}}]},
            "fields": "username department state"}
    result = api.post("/api/search/systemusers", params={"limit": 100}, json=body).json()
    assert result["totalCount"] == len(result["results"]) > 0
    assert all(u["state"] == "ACTIVATED" and u["department"] in ("Sales", "Support") for u in result["results"])
    assert set(result["results"][0]) == {"_id", "username", "department", "state"}


def test_search_endpoint_search_filter_and_regex(api):
    user = some_user(api)
    term = {"searchFilter": {"searchTerm": user["username"], "fields": ["username"]}}
    assert user["_id"] in [u["_id"] for u in api.post("/api/search/systemusers", json=term).json()["results"]]
    regex = {"filter": {"or": [{"username": {"$regex": f"(?i)^{user['username'].upper()}$"}}]}}
    assert [u["_id"] for u in api.post("/api/search/systemusers", json=regex).json()["results"]] == [user["_id"]]


@pytest.mark.parametrize("body", [{"filter": []}, {"filter": {"and": {}}}, {"filter": {"a": {"$where": 1}}},
                                  {"filter": {"a": {"$regex": "("}}}, {"searchFilter": "x"}, [1]])
def test_search_endpoint_rejects_bad_bodies(api, body):
    assert api.post("/api/search/systemusers", json=body).status_code == 400


def test_applications_list_get_and_envelope(api):
    body = api.get("/api/applications").json()
    assert body["name"] == "applications" and body["totalCount"] == 6
    names = [a["name"] for a in body["results"]]
    assert names == sorted(names) and "strongdm" in names
    app = next(a for a in body["results"] if a["name"] == "strongdm")
    assert api.get(f"/api/applications/{app['_id']}").json()["displayLabel"] == "StrongDM"
    assert api.get("/api/applications", params={"filter": "name:$eq:zoom"}).json()["totalCount"] == 1


def test_applications_create_update_delete(api):
    created = api.post("/api/applications", json={"name": "strongdm", "ssoUrl": "https://sso.example/2",
                                                   "config": {}, "displayLabel": "StrongDM (staging)"})
    assert created.status_code == 200
    app = created.json()
    assert app["displayName"] == "StrongDM" and app["active"] is True
    assert api.put(f"/api/applications/{app['_id']}", json={"active": False}).json()["active"] is False
    assert api.delete(f"/api/applications/{app['_id']}").json()["_id"] == app["_id"]
    assert api.get(f"/api/applications/{app['_id']}").status_code == 404
    kinds = [(c["object_type"], c["action"]) for c in api.jc.directory.changes_since(0)]
    assert kinds == [("application", "create"), ("application", "update"), ("application", "delete")]


@pytest.mark.parametrize("body", [{"name": "x"}, {"ssoUrl": "u", "config": {}}, {"name": "x", "ssoUrl": "u", "config": 1}])
def test_application_create_requires_name_sso_url_and_config(api, body):
    assert api.post("/api/applications", json=body).status_code == 400


def test_disable_device_max_login_attempts_defaults_false_and_takes_a_boolean(api):
    user = api.get("/api/systemusers", params={"limit": 1}).json()["results"][0]
    assert user["disableDeviceMaxLoginAttempts"] is False
    changed = api.put(f"/api/systemusers/{user['_id']}", json={"disableDeviceMaxLoginAttempts": True})
    assert changed.status_code == 200 and changed.json()["disableDeviceMaxLoginAttempts"] is True
    assert v1_error(api.put(f"/api/systemusers/{user['_id']}", json={"disableDeviceMaxLoginAttempts": "yes"}), 400)
