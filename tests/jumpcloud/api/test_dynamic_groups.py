"""Dynamic user groups over real HTTP: `membershipMethod` and `memberQuery` (v1 FilterQuery), recomputed on change."""

import pytest

from sim.fake import directory as fake
from tests.jumpcloud.api.helpers import v2_error


@pytest.fixture(scope="module")
def generated():
    return fake.make_directory(4, 3, 1)


def sales_query(department="Sales"):
    return {"queryType": "FilterQuery", "filters": [{"field": "department", "operator": "eq", "value": department}]}


def person(api, name, department, **fields):
    body = {"username": name, "email": f"{name}@example.com", "firstname": name, "lastname": "X",
            "department": department, **fields}
    response = api.post("/api/systemusers", json=body)
    assert response.status_code == 200, response.text
    return response.json()["_id"]


def group(api, name, method, query, **fields):
    response = api.post("/api/v2/usergroups", json={"name": name, "membershipMethod": method, "memberQuery": query,
                                                    **fields})
    assert response.status_code == 201, response.text
    return response.json()


def members(api, group_id):
    return {m["to"]["id"] for m in api.get(f"/api/v2/usergroups/{group_id}/members", params={"limit": 100}).json()}


def test_an_automated_group_takes_the_matching_users_at_once(api):
    ann, bob = person(api, "ann", "Sales"), person(api, "bob", "Engineering")
    sales = group(api, "Sales team", "DYNAMIC_AUTOMATED", sales_query())
    assert sales["membershipMethod"] == "DYNAMIC_AUTOMATED" and sales["memberQuery"] == sales_query()
    assert ann in members(api, sales["id"]) and bob not in members(api, sales["id"])


def test_a_department_change_moves_the_user_between_automated_groups(api):
    ann = person(api, "ann", "Sales")
    sales = group(api, "Sales team", "DYNAMIC_AUTOMATED", sales_query())
    eng = group(api, "Engineers", "DYNAMIC_AUTOMATED", sales_query("Engineering"))
    assert api.put(f"/api/systemusers/{ann}", json={"department": "Engineering"}).status_code == 200
    assert ann not in members(api, sales["id"]) and ann in members(api, eng["id"])
    created = person(api, "cat", "Sales")
    assert created in members(api, sales["id"])


def test_filters_are_anded_and_take_the_v2_operators(api):
    ann = person(api, "ann", "Sales", jobTitle="Lead")
    person(api, "bob", "Sales", jobTitle="Rep")
    query = {"queryType": "FilterQuery", "filters": [{"field": "department", "operator": "eq", "value": "Sales"},
                                                     {"field": "jobTitle", "operator": "in", "value": ["Lead", "VP"]}]}
    leads = group(api, "Sales leads", "DYNAMIC_AUTOMATED", query)
    assert members(api, leads["id"]) == {ann}


def test_an_exempted_user_is_left_out(api):
    ann, bob = person(api, "ann", "Sales"), person(api, "bob", "Sales")
    sales = group(api, "Sales team", "DYNAMIC_AUTOMATED", sales_query(),
                  memberQueryExemptions=[{"type": "user", "id": bob}])
    assert members(api, sales["id"]) == {ann}


def test_a_review_required_group_holds_suggestions_until_approved(api):
    ann, bob = person(api, "ann", "Sales"), person(api, "bob", "Sales")
    review = group(api, "Sales review", "DYNAMIC_REVIEW_REQUIRED", sales_query())
    assert members(api, review["id"]) == set()
    suggestions = api.get(f"/api/v2/usergroups/{review['id']}/suggestions").json()
    assert sorted(s["object"]["id"] for s in suggestions) == sorted([ann, bob])
    assert all(s["op"] == "add" and s["object"]["type"] == "user" for s in suggestions)
    counts = api.get(f"/api/v2/usergroups/{review['id']}").json()["suggestionCounts"]
    assert counts == {"add": 2, "remove": 0, "total": 2}
    applied = api.post(f"/api/v2/usergroups/{review['id']}/suggestions", json={"user_ids": [ann, "f" * 24]})
    assert applied.status_code == 200
    assert applied.json() == {"suggestions_found": [ann], "suggestions_not_found": ["f" * 24]}
    assert members(api, review["id"]) == {ann}
    api.put(f"/api/systemusers/{ann}", json={"department": "Support"})
    assert members(api, review["id"]) == {ann}  # still a member until the removal is approved
    left = api.get(f"/api/v2/usergroups/{review['id']}/suggestions").json()
    assert {(s["op"], s["object"]["id"]) for s in left} == {("add", bob), ("remove", ann)}
    api.post(f"/api/v2/usergroups/{review['id']}/suggestions", json={"user_ids": [ann]})
    assert members(api, review["id"]) == set()


def test_an_automated_group_refuses_manual_membership(api):
    ann = person(api, "ann", "Engineering")
    sales = group(api, "Sales team", "DYNAMIC_AUTOMATED", sales_query())
    response = api.post(f"/api/v2/usergroups/{sales['id']}/members", json={"op": "add", "type": "user", "id": ann})
    assert v2_error(response, 400) and members(api, sales["id"]) == set()


@pytest.mark.parametrize("body", [
    {"membershipMethod": "DYNAMIC_AUTOMATED"},
    {"membershipMethod": "SOMETIMES", "memberQuery": sales_query()},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": {"queryType": "FilterQuery", "filters": []}},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": {"queryType": "Search", "filters": []}},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": {"queryType": "FilterQuery", "filters": [
        {"field": "department", "operator": "regex", "value": ".*"}]}},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": {"queryType": "FilterQuery", "filters": [
        {"field": "depart ment", "operator": "eq", "value": "x"}]}},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": {"queryType": "FilterQuery", "filters": [
        {"field": "password", "operator": "eq", "value": "x"}]}},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": {"queryType": "FilterQuery", "filters": [
        {"field": "suspended", "operator": "eq", "value": "maybe"}]}},
    {"membershipMethod": "DYNAMIC_AUTOMATED", "memberQuery": "department=Sales"},
    {"membershipMethod": "STATIC", "memberQueryExemptions": [{"type": "user"}]},
])
def test_bad_dynamic_definitions_are_400_and_create_nothing(api, body):
    before = len(api.get("/api/v2/usergroups", params={"limit": 100}).json())
    response = api.post("/api/v2/usergroups", json={"name": "bad", **body})
    assert v2_error(response, 400)
    assert len(api.get("/api/v2/usergroups", params={"limit": 100}).json()) == before


def test_a_huge_in_list_is_400_not_500(api):
    query = {"queryType": "FilterQuery", "filters": [{"field": "department", "operator": "in",
                                                      "value": [f"d{n}" for n in range(40_000)]}]}
    response = api.post("/api/v2/usergroups", json={"name": "huge", "membershipMethod": "DYNAMIC_AUTOMATED",
                                                    "memberQuery": query})
    assert v2_error(response, 400)


def test_a_group_answers_its_member_query_error_flags(api):
    sales = group(api, "Sales team", "DYNAMIC_AUTOMATED", sales_query())
    assert sales["memberQueryErrorFlags"] == []
    assert api.get(f"/api/v2/usergroups/{sales['id']}").json()["memberQueryErrorFlags"] == []
