"""JumpCloud REST API v2 over real HTTP: user groups, members, membership, memberof, associations."""

import pytest

from sim.fake import directory as fake

MISSING = "f" * 24


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 40, 25)


def group_named(api, name):
    return api.get("/api/v2/usergroups", params={"filter": f"name:eq:{name}"}).json()[0]


def strongdm(api):
    return api.jc.directory.find_app("strongdm")["_id"]


def v2_error(response, status):
    body = response.json()
    return response.status_code == status and set(body) == {"code", "message", "status"} and body["code"] == status


def test_usergroups_is_a_bare_array_ten_by_default_sorted_by_name(api):
    groups = api.get("/api/v2/usergroups").json()
    assert isinstance(groups, list) and len(groups) == 10
    assert [g["name"] for g in groups] == sorted(g["name"] for g in groups)
    assert {"id", "name", "type", "membershipMethod"} <= set(groups[0]) and "_id" not in groups[0]
    assert groups[0]["type"] == "user_group"


@pytest.mark.parametrize("page_size", [1, 4, 100])
def test_paging_until_an_empty_or_short_page_sees_every_group_once(api, page_size):
    seen, skip = [], 0
    while True:
        page = api.get("/api/v2/usergroups/", params={"limit": page_size, "skip": skip}).json()
        seen.extend(g["id"] for g in page)
        if len(page) < page_size:
            break
        skip += page_size
    assert len(seen) == len(set(seen)) == 25
    assert api.get("/api/v2/usergroups", params={"skip": 1000}).json() == []


@pytest.mark.parametrize(("params", "status"), [
    ({"limit": 101}, "badRequest"), ({"limit": "x"}, "badRequest"), ({"skip": -1}, "badRequest"),
    ({"sort": "id"}, "invalidSortField"), ({"filter": "name:$eq:x"}, "invalidFilter"),
    ({"filter": "name"}, "invalidFilter")])
def test_bad_parameters_are_400_in_the_v2_shape(api, params, status):
    response = api.get("/api/v2/usergroups", params=params)
    assert v2_error(response, 400) and response.json()["status"] == status


def test_sort_descending_and_fields(api):
    groups = api.get("/api/v2/usergroups", params={"sort": "-name", "fields": "name", "limit": 100}).json()
    assert [g["name"] for g in groups] == sorted((g["name"] for g in groups), reverse=True)
    assert set(groups[0]) == {"id", "name"}


@pytest.mark.parametrize(("flt", "check"), [
    ("name:eq:All Staff", lambda g: g["name"] == "All Staff"),
    ("name:ne:All Staff", lambda g: g["name"] != "All Staff"),
    ("name:search:office", lambda g: "office" in g["name"].lower()),
    ("name:in:All Staff|Engineering", lambda g: g["name"] in ("All Staff", "Engineering")),
])
def test_filters(api, flt, check):
    everyone = api.get("/api/v2/usergroups", params={"limit": 100}).json()
    matched = api.get("/api/v2/usergroups", params={"filter": flt, "limit": 100}).json()
    expected = [g["id"] for g in everyone if check(g)]
    assert expected and [g["id"] for g in matched] == expected


def test_create_is_201_then_get_put_replaces_and_delete_returns_it(api):
    created = api.post("/api/v2/usergroups", json={"name": "Platform", "description": "infra"})
    assert created.status_code == 201
    group = created.json()
    assert (group["membershipMethod"], group["description"]) == ("STATIC", "infra")
    assert api.get(f"/api/v2/usergroups/{group['id']}").json() == group
    replaced = api.put(f"/api/v2/usergroups/{group['id']}", json={"name": "Platform Team"}).json()
    assert (replaced["name"], replaced["description"]) == ("Platform Team", "")
    assert api.delete(f"/api/v2/usergroups/{group['id']}").json()["name"] == "Platform Team"
    assert v2_error(api.get(f"/api/v2/usergroups/{group['id']}"), 404)
    kinds = [(c["object_type"], c["action"]) for c in api.jc.directory.changes_since(0)]
    assert kinds == [("user_group", "create"), ("user_group", "update"), ("user_group", "delete")]


@pytest.mark.parametrize(("method", "body", "status"), [
    ("post", {"description": "no name"}, 400), ("post", {"name": "All Staff"}, 409), ("post", {"name": 5}, 400),
    ("post", {"name": "x", "membershipMethod": "DYNAMIC_AUTOMATED"}, 400), ("post", [], 400),
    ("put", {"description": "no name"}, 400)])
def test_invalid_group_writes_fail_and_change_nothing(api, method, body, status):
    target = "/api/v2/usergroups" if method == "post" else f"/api/v2/usergroups/{group_named(api, 'Engineering')['id']}"
    response = getattr(api, method)(target, json=body)
    assert v2_error(response, status) and api.jc.directory.last_seq() == 0


@pytest.mark.parametrize(("method", "group_id", "status"), [
    ("get", MISSING, 404), ("delete", MISSING, 404), ("get", "nope", 400), ("put", MISSING, 404)])
def test_unknown_and_malformed_group_ids(api, method, group_id, status):
    kwargs = {"json": {"name": "x"}} if method == "put" else {}
    assert v2_error(getattr(api, method)(f"/api/v2/usergroups/{group_id}", **kwargs), status)


def test_members_add_list_remove_with_204s(api):
    gid = api.post("/api/v2/usergroups", json={"name": "Fresh"}).json()["id"]
    users = api.get("/api/systemusers", params={"limit": 2, "sort": "_id"}).json()["results"]
    for user in users:
        response = api.post(f"/api/v2/usergroups/{gid}/members", json={"op": "add", "type": "user", "id": user["_id"]})
        assert response.status_code == 204 and response.content == b""
    members = api.get(f"/api/v2/usergroups/{gid}/members").json()
    assert members == [{"attributes": None, "to": {"attributes": None, "id": u["_id"], "type": "user"}} for u in users]
    membership = api.get(f"/api/v2/usergroups/{gid}/membership").json()
    assert [m["id"] for m in membership] == [u["_id"] for u in users] and membership[0]["paths"]
    memberof = api.get(f"/api/v2/users/{users[0]['_id']}/memberof", params={"limit": 100}).json()
    assert gid in [m["id"] for m in memberof] and all(m["type"] == "user_group" for m in memberof)
    assert api.post(f"/api/v2/usergroups/{gid}/members",
                    json={"op": "remove", "type": "user", "id": users[0]["_id"]}).status_code == 204
    assert [m["to"]["id"] for m in api.get(f"/api/v2/usergroups/{gid}/members").json()] == [users[1]["_id"]]


@pytest.mark.parametrize(("body", "status"), [
    ({"op": "update", "type": "user", "id": MISSING}, 400), ({"op": "add", "type": "system", "id": MISSING}, 400),
    ({"op": "add", "type": "user", "id": "zz"}, 400), ({"op": "add", "type": "user", "id": MISSING}, 404),
    ({"op": "add", "type": "user"}, 400), ({}, 400)])
def test_bad_member_operations(api, body, status):
    gid = group_named(api, "Engineering")["id"]
    assert v2_error(api.post(f"/api/v2/usergroups/{gid}/members", json=body), status)
    assert api.jc.directory.last_seq() == 0


def test_adding_an_existing_member_is_409_and_removing_a_stranger_404(api):
    gid = group_named(api, "All Staff")["id"]
    member = api.get(f"/api/v2/usergroups/{gid}/members", params={"limit": 1}).json()[0]["to"]["id"]
    assert v2_error(api.post(f"/api/v2/usergroups/{gid}/members", json={"op": "add", "type": "user", "id": member}), 409)
    empty = api.post("/api/v2/usergroups", json={"name": "Nobody"}).json()["id"]
    assert v2_error(api.post(f"/api/v2/usergroups/{empty}/members",
                             json={"op": "remove", "type": "user", "id": member}), 404)


def test_group_member_listings_page_with_limit_at_most_100(api):
    gid = group_named(api, "All Staff")["id"]
    first = api.get(f"/api/v2/usergroups/{gid}/members", params={"limit": 30}).json()
    rest = api.get(f"/api/v2/usergroups/{gid}/members", params={"limit": 30, "skip": 30}).json()
    assert len(first) == 30 and len({m["to"]["id"] for m in first + rest}) == len(first + rest)
    assert v2_error(api.get(f"/api/v2/usergroups/{gid}/members", params={"limit": 500}), 400)


def test_binding_a_group_to_an_app_from_either_side(api):
    app_id, gid = strongdm(api), group_named(api, "Engineering")["id"]
    body = {"op": "add", "type": "user_group", "id": gid}
    assert api.post(f"/api/v2/applications/{app_id}/associations", json=body).status_code == 204
    listed = api.get(f"/api/v2/applications/{app_id}/associations", params={"targets": "user_group"}).json()
    assert listed == [{"attributes": None, "to": {"attributes": None, "id": gid, "type": "user_group"}}]
    from_group = api.get(f"/api/v2/usergroups/{gid}/associations", params={"targets": "application"}).json()
    assert [c["to"] for c in from_group] == [{"attributes": None, "id": app_id, "type": "application"}]
    assert api.post(f"/api/v2/usergroups/{gid}/associations",
                    json={"op": "remove", "type": "application", "id": app_id}).status_code == 204
    assert api.get(f"/api/v2/applications/{app_id}/associations", params={"targets": "user_group"}).json() == []


def test_application_users_include_direct_and_group_bindings_with_paths(api):
    app_id, gid = strongdm(api), group_named(api, "Engineering")["id"]
    direct = api.get("/api/systemusers", params={"filter": "department:$eq:Sales", "limit": 1}).json()["results"][0]
    api.post(f"/api/v2/applications/{app_id}/associations", json={"op": "add", "type": "user_group", "id": gid})
    api.post(f"/api/v2/applications/{app_id}/associations", json={"op": "add", "type": "user", "id": direct["_id"]})
    members = {m["to"]["id"] for m in api.get(f"/api/v2/usergroups/{gid}/members", params={"limit": 100}).json()}
    users = api.get(f"/api/v2/applications/{app_id}/users", params={"limit": 100}).json()
    assert {u["id"] for u in users} == members | {direct["_id"]}
    by_id = {u["id"]: u["paths"] for u in users}
    assert by_id[direct["_id"]][0] == [{"attributes": None, "to": {"attributes": None, "id": direct["_id"], "type": "user"}}]
    groups = api.get(f"/api/v2/applications/{app_id}/usergroups").json()
    assert [(g["id"], g["type"]) for g in groups] == [(gid, "user_group")]
    direct_assoc = api.get(f"/api/v2/users/{direct['_id']}/associations", params={"targets": "application"}).json()
    assert [c["to"]["id"] for c in direct_assoc] == [app_id]


@pytest.mark.parametrize("path", ["/api/v2/usergroups/{gid}/associations", "/api/v2/applications/{app}/associations"])
@pytest.mark.parametrize("targets", [None, "spaceship"])
def test_associations_need_a_valid_targets(api, path, targets):
    url = path.format(gid=group_named(api, "Engineering")["id"], app=strongdm(api))
    params = {"targets": targets} if targets else {}
    assert v2_error(api.get(url, params=params), 400)


def test_unmodelled_targets_answer_an_empty_list(api):
    gid = group_named(api, "Engineering")["id"]
    assert api.get(f"/api/v2/usergroups/{gid}/associations", params={"targets": "system"}).json() == []


@pytest.mark.parametrize(("body", "status"), [
    ({"op": "add", "type": "user_group", "id": MISSING}, 404), ({"op": "add", "type": "agent", "id": MISSING}, 400),
    ({"op": "add", "type": "user", "id": "nope"}, 400), ({"op": "remove", "type": "user", "id": None}, 400)])
def test_bad_application_associations(api, body, status):
    assert v2_error(api.post(f"/api/v2/applications/{strongdm(api)}/associations", json=body), status)
    assert api.jc.directory.last_seq() == 0


def test_double_binding_is_409_and_unknown_app_404(api):
    gid = group_named(api, "Engineering")["id"]
    body = {"op": "add", "type": "user_group", "id": gid}
    api.post(f"/api/v2/applications/{strongdm(api)}/associations", json=body)
    assert v2_error(api.post(f"/api/v2/applications/{strongdm(api)}/associations", json=body), 409)
    assert v2_error(api.post(f"/api/v2/applications/{MISSING}/associations", json=body), 404)
    assert v2_error(api.get(f"/api/v2/applications/{MISSING}/users"), 404)


def test_each_graph_change_writes_one_outbox_row_with_both_ids(api):
    app_id, gid = strongdm(api), group_named(api, "Engineering")["id"]
    user = api.get("/api/systemusers", params={"limit": 1}).json()["results"][0]["_id"]
    api.post(f"/api/v2/applications/{app_id}/associations", json={"op": "add", "type": "user_group", "id": gid})
    api.post(f"/api/v2/usergroups/{gid}/members", json={"op": "remove", "type": "user", "id": user})
    api.post(f"/api/v2/usergroups/{gid}/members", json={"op": "add", "type": "user", "id": user})
    rows = [(c["object_type"], c["action"], c["detail"]) for c in api.jc.directory.changes_since(0)]
    assert rows[0] == ("association", "add", {"application_id": app_id, "target_type": "user_group", "target_id": gid})
    # `user` may or may not be in Engineering; either way the last row is the add.
    assert rows[-1] == ("membership", "add", {"group_id": gid, "user_id": user})
